// The SQLite writer, in a worker thread: every write to the file happens here, one at a time —
// commits (planned and written in one transaction), alarm scans and acknowledgements — so neither a
// commit's CPU and fsync nor waiting for the write lock ever holds up the main thread, which fans
// events out to screens and reads through its own connection (WAL) (docs/architecture.md, "Latency").
import { parentPort, workerData } from 'node:worker_threads';
import type { Alarm } from '#shared/alarms';
import { planCommit, prepareItems } from '../commitPlan';
import type { AckResult, AppendItem, AppendResult, StoredEvent } from '../types';
import { createSqliteAlarms } from './alarms';
import { openDatabase } from './db';
import { createSqliteWrites } from './writes';

/** The 片区 of each 居民区: all of the geography a commit plan needs. */
export interface WriterData { module: string; file: string; areas: Record<string, string> }

/** What the writer is asked, and what it answers to each. */
export interface WriterOps {
  commit: { args: { items: AppendItem[]; storedAt: number }; value: { results: AppendResult[]; stored: StoredEvent[] } };
  scan: { args: { nowMs: number }; value: Alarm[] };
  ack: { args: { id: number; who: string; note: string | undefined; nowMs: number }; value: AckResult };
}
export type WriterRequest = { [K in keyof WriterOps]: { id: number; op: K; args: WriterOps[K]['args'] } }[keyof WriterOps];
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

const { file, areas } = workerData as WriterData;
const geo = { areaOf: (nb: string) => areas[nb] };
const db = openDatabase(file);
const writes = createSqliteWrites(db);
const alarms = createSqliteAlarms(db);
let lastSeq = writes.maxSeq();

function commit({ items, storedAt }: WriterOps['commit']['args']): WriterOps['commit']['value'] {
  const plan = writes.transaction(() => {
    const p = planCommit({ items: prepareItems(items, geo), lastSeq, storedAt, geo, entity: writes.entity, stored: writes.isStored });
    writes.write(p);
    return p;
  })();
  lastSeq = plan.lastSeq;
  return { results: plan.results, stored: plan.log.map((l) => l.stored) };
}

const run = (r: WriterRequest): unknown =>
  r.op === 'commit' ? commit(r.args)
  : r.op === 'scan' ? alarms.scan(r.args.nowMs)
  : alarms.ack(r.args.id, r.args.who, r.args.note, r.args.nowMs);

parentPort!.on('message', (r: WriterRequest) => {
  try {
    parentPort!.postMessage({ id: r.id, ok: true, value: run(r) } satisfies WriterReply);
  } catch (err) {
    parentPort!.postMessage({ id: r.id, ok: false, message: (err as Error).message } satisfies WriterReply);
  }
});
parentPort!.postMessage({ ready: lastSeq });
