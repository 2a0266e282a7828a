// The SQLite writer, in a worker thread: plans each commit and writes it in one transaction, so the
// commit's CPU and its fsync never hold up the main thread, which fans events out to screens
// (docs/architecture.md, "Latency"). The main thread reads through its own connection (WAL).
import { parentPort, workerData } from 'node:worker_threads';
import { planCommit } from '../commitPlan';
import type { AppendItem } from '../types';
import { openDatabase } from './db';
import { createSqliteWrites } from './writes';

/** The 片区 of each 居民区: all of the geography a commit plan needs. */
export interface WriterData { module: string; file: string; areas: Record<string, string> }
export type WriterRequest = { id: number; items: AppendItem[]; storedAt: number };
export type WriterReply =
  | { id: number; ok: true; results: ReturnType<typeof planCommit>['results']; stored: Array<ReturnType<typeof planCommit>['log'][number]['stored']> }
  | { id: number; ok: false; message: string };

const { file, areas } = workerData as WriterData;
const geo = { areaOf: (nb: string) => areas[nb] };
const db = openDatabase(file);
const writes = createSqliteWrites(db);
let lastSeq = writes.maxSeq();

parentPort!.on('message', ({ id, items, storedAt }: WriterRequest) => {
  try {
    const plan = writes.transaction(() => {
      const p = planCommit({ items, lastSeq, storedAt, geo, entity: writes.entity, stored: writes.isStored });
      writes.write(p);
      return p;
    })();
    lastSeq = plan.lastSeq;
    parentPort!.postMessage({ id, ok: true, results: plan.results, stored: plan.log.map((l) => l.stored) } satisfies WriterReply);
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, message: (err as Error).message } satisfies WriterReply);
  }
});
parentPort!.postMessage({ ready: lastSeq });
