// A TCP proxy in front of PostgreSQL, for outages in the contract tests: stop() cuts every
// connection and refuses new ones (as a server restart or a network cut would); start() again on
// the same port lets clients reconnect; cutAfterNextCommit() loses the answer to a COMMIT.
import net from 'node:net';

/** A simple-protocol Query message of COMMIT, as node-postgres sends it ('Q', length 11, "COMMIT\0"). */
const COMMIT = Buffer.from('Q\0\0\0\x0bCOMMIT\0', 'latin1');

/** A proxy in front of the PostgreSQL of `dbUrl`; `url` is `dbUrl` through it. */
export async function pgProxy(dbUrl: string) {
  const target = new URL(dbUrl);
  const sockets = new Set<net.Socket>();
  let cutNextCommit = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    /** This connection sent the COMMIT to be cut: the server's answer to it is dropped, and the connection with it. */
    let committing = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d: Buffer) => {
      if (cutNextCommit && d.includes(COMMIT)) [cutNextCommit, committing] = [false, true];
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!committing) return void client.write(d);
      client.destroy();
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: dbUrl.replace(`:${target.port}/`, `:${port}/`),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    /** The next COMMIT reaches the server, which commits; its answer is lost with the connection. */
    cutAfterNextCommit() {
      cutNextCommit = true;
    },
  };
}
