// The main thread's side of the SQLite writer (writer.ts): requests answered in order. A writer
// that dies fails what it was asked (the store reports itself unavailable); the next request starts
// a new one on the same file. A write the disk refused rejects with DiskError.
import { Worker } from 'node:worker_threads';
import { DiskError, StoreUnavailableError, diskProblemOf } from '../errors';
import type { WriterData, WriterFailure, WriterOps, WriterReply, WriterRequest, WriterStart } from './writer';

const BOOT = new URL('../../tsWorker.mjs', import.meta.url);
const MODULE = new URL('./writer.ts', import.meta.url).href;

/** The error a failed write rejects with: DiskError when the disk refused it. */
export function writeError({ message, code }: WriterFailure): StoreUnavailableError {
  const cause = Object.assign(new Error(message), { code });
  const problem = diskProblemOf(code);
  return problem ? new DiskError(problem, cause) : new StoreUnavailableError(cause);
}

export type Writer = Awaited<ReturnType<typeof startWriter>>;

/** Starts the writer on the file; rejects (DiskError on a full disk) when it cannot open the file. */
export async function startWriter(file: string, areas: Record<string, string>) {
  let worker: Worker;
  let lastSeq = 0;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: WriterReply) => void }>();
  let dead: Error | undefined;

  function spawn(): Promise<void> {
    dead = undefined;
    const w = new Worker(BOOT, { workerData: { module: MODULE, file, areas } satisfies WriterData });
    worker = w;
    return new Promise((resolve, reject) => {
      w.on('message', (m: WriterReply | WriterStart) => {
        if ('ready' in m) {
          lastSeq = m.ready;
          return resolve();
        }
        if ('failed' in m) {
          dead = writeError(m.failed);
          reject(dead);
          return void w.terminate();
        }
        waiting.get(m.id)?.resolve(m);
        waiting.delete(m.id);
      });
      w.on('error', (err) => {
        dead = err;
        reject(err);
      });
      w.on('exit', (code) => {
        dead ??= new Error(`the SQLite writer stopped (exit code ${code})`);
        for (const x of waiting.values()) x.resolve({ id: 0, ok: false, message: dead.message });
        waiting.clear();
      });
    });
  }
  await spawn();

  return {
    lastSeq,
    alive: () => dead === undefined,
    async ask<K extends keyof WriterOps>(op: K, args: WriterOps[K]['args']): Promise<WriterOps[K]['value']> {
      if (dead) await spawn();
      const id = nextId++;
      const reply = await new Promise<WriterReply>((resolve) => {
        waiting.set(id, { resolve });
        worker.postMessage({ id, op, args } as WriterRequest);
      });
      if (!reply.ok) throw writeError(reply);
      return reply.value as WriterOps[K]['value'];
    },
    async close() {
      dead = new Error('the store is closed');
      await worker.terminate();
    },
  };
}
