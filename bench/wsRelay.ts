// Baseline for fan-out: a raw `ws` server that relays each posted batch to every client as one JSON
// message — what a minimal push server costs, with no validation, storage or ordering guarantees.
// Run as a child: `node --import tsx bench/wsRelay.ts`; prints "http://localhost:<port>".
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

let seq = 0;
const server = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const items = JSON.parse(Buffer.concat(parts).toString()) as unknown[];
    const batch = items.map((event) => ({ seq: ++seq, event }));
    const message = JSON.stringify(batch); // encoded once, sent to all, like a socket.io broadcast
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(message);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: batch.map((b) => ({ status: 'stored', seq: b.seq })) }));
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`ws relay http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}`);
});
