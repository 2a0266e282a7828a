// Baseline for fan-out: a raw `ws` server that broadcasts each posted batch, as is, to every client
// as one JSON message — what a minimal push server costs, with no validation, storage or ordering.
// Run as a child: `node --import tsx bench/wsRelay.ts`; prints "http://localhost:<port>".
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

const server = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const body = Buffer.concat(parts).toString();
    const count = (JSON.parse(body) as unknown[]).length;
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(body); // encoded once, like a broadcast
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: count }));
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`ws relay http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}`);
});
