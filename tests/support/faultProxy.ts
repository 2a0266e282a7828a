// An HTTP proxy in front of a real server for client tests: each request is forwarded, held until the
// test lets it go, answered 503 without reaching the server, or forwarded and then cut off before the
// answer (the server stored it, the client never hears). A slow or faulty network, not a fake server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'forward' | 'busy' | 'cut';

export interface FaultProxy {
  url: string;
  /** request bodies seen so far, in arrival order */
  requests: string[];
  close(): Promise<void>;
}

/** `decide(n)` (n from 1) picks what happens to the n-th request; it may wait before answering. */
export async function startFaultProxy(target: string, decide: (n: number) => Fault | Promise<Fault> = () => 'forward'): Promise<FaultProxy> {
  const requests: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push(body);
    const fault = await decide(requests.length);
    if (fault === 'busy') {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: 'overloaded', message: 'test proxy: busy' }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const answer = await fetch(target + req.url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    const text = await answer.text();
    if (fault === 'cut') {
      res.socket?.destroy();
      return;
    }
    const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) out['retry-after'] = retryAfter;
    res.writeHead(answer.status, out);
    res.end(text);
  };
  const server = createServer((req, res) => void handle(req, res).catch(() => res.socket?.destroy()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
