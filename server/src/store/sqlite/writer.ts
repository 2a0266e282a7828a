// The SQLite writer, in a worker thread: every write to the file happens here, one at a time —
// commits (planned and written in one transaction), alarm scans and acknowledgements, retention's
// deletions and the probe of a read-only store — so neither a commit's CPU and fsync nor waiting for
// the write lock ever holds up the main thread, which fans events out to screens and reads through
// its own connection (WAL) (docs/architecture.md, "Latency"). A failed write is rolled back whole and
// answered with its SQLite code, so a full disk is told apart (docs/operations.md, "A full disk").
import { parentPort, workerData } from 'node:worker_threads';
import type { Alarm } from '#shared/alarms';
import { planCommit, prepareItems } from '../commitPlan';
import type { AckResult, AppendItem, AppendResult, StoredEvent } from '../types';
import { createSqliteAlarms } from './alarms';
import { openDatabase } from './db';
import { createSqlitePrune } from './retention';
import { createSqliteWrites } from './writes';

/** The 片区 of each 居民区: all of the geography a commit plan needs. */
export interface WriterData { module: string; file: string; areas: Record<string, string> }

/** What the writer is asked, and what it answers to each. */
export interface WriterOps {
  commit: { args: { items: AppendItem[]; storedAt: number }; value: { results: AppendResult[]; stored: StoredEvent[] } };
  scan: { args: { nowMs: number }; value: Alarm[] };
  ack: { args: { id: number; who: string; note: string | undefined; nowMs: number }; value: AckResult };
  /** a small write: whether the disk takes writes again */
  probe: { args: { nowMs: number }; value: null };
  prune: { args: { storedBefore: number; limit: number }; value: number };
}
export type WriterRequest = { [K in keyof WriterOps]: { id: number; op: K; args: WriterOps[K]['args'] } }[keyof WriterOps];
/** `code`: SQLite's extended result code, when the failure was SQLite's. */
export type WriterFailure = { message: string; code?: string };
export type WriterReply = { id: number; ok: true; value: unknown } | ({ id: number; ok: false } & WriterFailure);
/** The first message: the last seq in the file, or why the file could not be opened. */
export type WriterStart = { ready: number } | { failed: WriterFailure };

const failure = (err: unknown): WriterFailure => {
  const { message, code } = err as { message?: string; code?: unknown };
  return { message: message ?? String(err), ...(typeof code === 'string' ? { code } : {}) };
};

function open(file: string, areas: Record<string, string>) {
  const geo = { areaOf: (nb: string) => areas[nb] };
  const db = openDatabase(file);
  const writes = createSqliteWrites(db);
  const alarms = createSqliteAlarms(db);
  const prune = createSqlitePrune(db);
  const probe = db.prepare<[string]>("INSERT INTO meta (key, value) VALUES ('probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
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
    : r.op === 'ack' ? alarms.ack(r.args.id, r.args.who, r.args.note, r.args.nowMs)
    : r.op === 'probe' ? (probe.run(new Date(r.args.nowMs).toISOString()), null)
    : prune(r.args.storedBefore, r.args.limit);
  return { run, lastSeq };
}

const { file, areas } = workerData as WriterData;
let writer: ReturnType<typeof open> | undefined;
try {
  writer = open(file, areas);
  parentPort!.postMessage({ ready: writer.lastSeq } satisfies WriterStart);
} catch (err) {
  parentPort!.postMessage({ failed: failure(err) } satisfies WriterStart); // the main thread ends this worker
}

parentPort!.on('message', (r: WriterRequest) => {
  try {
    parentPort!.postMessage({ id: r.id, ok: true, value: writer!.run(r) } satisfies WriterReply);
  } catch (err) {
    parentPort!.postMessage({ id: r.id, ok: false, ...failure(err) } satisfies WriterReply);
  }
});
