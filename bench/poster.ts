// A source system posting events on a clock, in a process of its own (a child of the benchmarks, as
// the screen fleets are): latency is timed from the start of each POST, and the benchmark process —
// which holds every event, sample and recorded batch of the section — must neither delay a POST nor,
// collecting its garbage on every core, take the CPU from the server and the screens mid-run
// (docs/architecture.md, "Latency").
// argv: url. Talks to the parent over IPC:
//   → {ready}  ← {bodies: JSON strings, tickMs, startAt: epoch ms}  → {sentAt, acks, cpuMs}
//   (sentAt: epoch ms, acks: ms, one per body; cpuMs: this process's CPU time during the run)
import { Agent, request } from 'node:http';

const [url] = process.argv.slice(2) as [string];
const target = new URL('/api/v1/events', url);
/** Keep-alive connections, as many as POSTs in flight (a source system's HTTP client). */
const agent = new Agent({ keepAlive: true });
const now = () => performance.timeOrigin + performance.now();

interface Job { bodies: string[]; tickMs: number; startAt: number }

async function postOnClock({ bodies, tickMs, startAt }: Job) {
  const cpu = process.cpuUsage();
  const sentAt = new Array<number>(bodies.length).fill(NaN);
  const acks = new Array<number>(bodies.length).fill(NaN);
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const wait = startAt + i * tickMs - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = (sentAt[i] = now());
    inflight.push(
      post(bodies[i]!).then((status) => {
        if (status < 200 || status >= 300) throw new Error(`POST ${i} answered ${status}`);
        acks[i] = now() - t;
      }),
    );
  }
  await Promise.all(inflight);
  const used = process.cpuUsage(cpu);
  return { sentAt, acks, cpuMs: (used.user + used.system) / 1000 };
}

/** One POST of a JSON body; resolves with the status once the whole answer is read. */
function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer demo-ingest-key' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', (job: Job) => {
  postOnClock(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: Error) => {
      console.error(`poster: ${err.message}`);
      process.exit(1);
    },
  );
});
process.send!({ ready: true });
