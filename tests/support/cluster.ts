// A cluster for fault tests: a private PostgreSQL server and a private Redis (the machine's own
// binaries, on free ports, in a temp folder), so a test can stop and restart them without touching
// the services other tests share; and server nodes as child processes on them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killHard, spawnServer } from './child';

const PG_BIN = (() => {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
  return join(root, version, 'bin');
})();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** What is still running when the test process exits (a timed-out hook skipped its cleanup) is stopped then. */
const leftovers = new Set<() => void>();
process.on('exit', () => {
  for (const stop of leftovers) {
    try {
      stop();
    } catch {
      // stopped already
    }
  }
});

/** PostgreSQL refuses to run as root: as the machine's postgres user when we are root. */
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;

export async function privatePostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'onescreen-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const data = join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asPostgres(join(PG_BIN, cmd), args);
    execFileSync(c, a, { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pg = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/onescreen`,
    start: () => run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']),
    /** A fast shutdown: open sessions are ended, as in a restart by an operator. */
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy() {
      leftovers.delete(pg.destroy);
      try {
        pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  leftovers.add(pg.destroy);
  pg.start();
  const [c, a] = asPostgres(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'onescreen']);
  execFileSync(c, a, { stdio: 'pipe' });
  return pg;
}

export async function privateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = started;
      const stop = () => started.kill('SIGKILL');
      leftovers.add(stop);
      started.once('exit', () => leftovers.delete(stop));
      for (let i = 0; i < 100; i++) {
        try {
          execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error('redis-server did not start');
    },
    async stop() {
      if (child) await killHard(child);
      child = undefined;
    },
  };
  await redis.start();
  return redis;
}

export interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** A server node on the cluster's PostgreSQL and Redis. */
export async function startNode(name: string, pg: { url: string }, redis: { url: string }, env: Record<string, string> = {}): Promise<Node> {
  const s = await spawnServer({ STORE: 'postgres', DATABASE_URL: pg.url, REDIS_URL: redis.url, HEARTBEAT_MS: '500', DATA_DIR: join(tmpdir(), 'unused'), ...env });
  const stop = () => s.child.kill('SIGKILL');
  leftovers.add(stop);
  s.child.once('exit', () => leftovers.delete(stop));
  return { name, ...s };
}

export async function post(url: string, items: unknown[]) {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
    body: JSON.stringify(items),
  });
  return { status: res.status, body: (await res.json()) as { results?: Array<{ status: string; seq?: number }>; error?: string } };
}
