// The main thread's side of the SQLite writer (writer.ts): requests answered in order. A writer
// that dies fails what it was asked (the store reports itself unavailable); the next request starts
// a new one on the same file.
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../errors';
import type { WriterData, WriterOps, WriterReply, WriterRequest } from './writer';

const BOOT = new URL('../../tsWorker.mjs', import.meta.url);
const MODULE = new URL('./writer.ts', import.meta.url).href;

export async function startWriter(file: string, areas: Record<string, string>) {
  let worker: Worker;
  let lastSeq = 0;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: WriterReply) => void }>();
  let dead: Error | undefined;

  function spawn(): Promise<void> {
    dead = undefined;
    worker = new Worker(BOOT, { workerData: { module: MODULE, file, areas } satisfies WriterData });
    return new Promise((resolve, reject) => {
      worker.on('message', (m: WriterReply | { ready: number }) => {
        if ('ready' in m) {
          lastSeq = m.ready;
          return resolve();
        }
        waiting.get(m.id)?.resolve(m);
        waiting.delete(m.id);
      });
      worker.on('error', (err) => {
        dead = err;
        reject(err);
      });
      worker.on('exit', (code) => {
        dead ??= new Error(`the SQLite writer stopped (exit code ${code})`);
        for (const w of waiting.values()) w.resolve({ id: 0, ok: false, message: dead.message });
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
      if (!reply.ok) throw new StoreUnavailableError(new Error(reply.message));
      return reply.value as WriterOps[K]['value'];
    },
    async close() {
      dead = new Error('the store is closed');
      await worker.terminate();
    },
  };
}
