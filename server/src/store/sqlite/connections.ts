// The SQLite store's two connections — the main thread's reader and the writer thread — and whether
// the store can write (docs/operations.md, "A full disk"). When the disk refuses a write, the store
// turns read-only: reads and screens go on, writes are refused at once with DiskError, and every
// `retryMs` it tries to write again (reopening a fallback reader normally, starting the writer, a
// probe write), turning writable by itself once the disk has room.
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock';
import { DiskError, diskProblemOf, type DiskProblem } from '../errors';
import type { WriteState } from '../types';
import { openDatabase } from './db';
import type { WriterOps } from './writer';
import { startWriter, type Writer } from './writerClient';

interface Reader { db: Database.Database; shared: boolean }

/**
 * The main thread's connection: shared with the writer (WAL index in the -shm file), or exclusive
 * (the index in memory) when the disk is too full to make that file, as after a clean shutdown.
 */
function openReader(file: string): Reader {
  try {
    return { db: openDatabase(file), shared: true };
  } catch (err) {
    if (!diskProblemOf((err as { code?: unknown }).code)) throw err;
    try {
      return { db: openDatabase(file, { exclusive: true }), shared: false };
    } catch (again) {
      throw new Error(`${file} cannot be opened: the disk refused a write (${(again as Error).message}); free space where DATA_DIR is`, { cause: again });
    }
  }
}

export interface ConnectionOptions {
  file: string;
  areas: Record<string, string>;
  clock: Clock;
  /** how often a read-only store tries to write again */
  retryMs: number;
  /** the reader to prepare statements on: at start, and again when it is reopened */
  onReader(db: Database.Database): void;
}

/** Opens the connections; starts read-only, rather than failing, when the disk is full. */
export async function openConnections({ file, areas, clock, retryMs, onReader }: ConnectionOptions) {
  let reader = openReader(file);
  onReader(reader.db);
  let writer: Writer | undefined;
  let state: WriteState = { writable: true };
  let timer: NodeJS.Timeout | undefined;
  let trying: Promise<void> | undefined;
  let closed = false;

  function readOnly(reason: DiskProblem) {
    if (state.writable) state = { writable: false, reason, since: clock.now() };
    if (!timer && !closed) {
      timer = setInterval(() => void tryWriting(), retryMs);
      timer.unref();
    }
  }

  async function writeAgain() {
    if (!reader.shared) {
      reader.db.close();
      reader = openReader(file);
      onReader(reader.db);
      if (!reader.shared) throw new DiskError('disk_full', new Error('the WAL index file cannot be made'));
    }
    // an I/O error may have left the writer's connection unusable: a new one
    if (!state.writable && state.reason === 'io_error') await writer?.close();
    if (!writer?.alive()) writer = await startWriter(file, areas);
    await writer.ask('probe', { nowMs: clock.now() });
  }

  function tryWriting(): Promise<void> {
    trying ??= writeAgain()
      .then(() => {
        state = { writable: true };
        clearInterval(timer);
        timer = undefined;
      })
      .catch((err: unknown) => {
        if (err instanceof DiskError) readOnly(err.reason);
        else console.error('[store] writing again failed:', (err as Error).message);
      })
      .finally(() => (trying = undefined));
    return trying;
  }

  // At start: a probe tells a full disk before the first commit does.
  if (reader.shared) {
    try {
      writer = await startWriter(file, areas);
      await writer.ask('probe', { nowMs: clock.now() });
    } catch (err) {
      if (!(err instanceof DiskError)) {
        await writer?.close();
        reader.db.close();
        throw err;
      }
      readOnly(err.reason);
    }
  } else readOnly('disk_full');

  return {
    reader: () => reader.db,
    state: () => state,
    /** Whether the writer runs (or the store is read-only, waiting for room). */
    alive: () => !state.writable || (writer?.alive() ?? false),
    /** A write, made by the writer; rejects with DiskError at once while read-only. */
    async ask<K extends keyof WriterOps>(op: K, args: WriterOps[K]['args']): Promise<WriterOps[K]['value']> {
      if (!state.writable || !writer) throw new DiskError(state.writable ? 'io_error' : state.reason, new Error('the store is read-only until the disk takes writes again'));
      try {
        return await writer.ask(op, args);
      } catch (err) {
        if (err instanceof DiskError) readOnly(err.reason);
        throw err;
      }
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await trying;
      await writer?.close();
      reader.db.close();
    },
  };
}
