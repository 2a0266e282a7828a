// One file through the ingest API: records → batches → at most `parallel` requests in flight. Answers
// are taken in file order, so the tally's checkpoint (`acked`) always covers a prefix of the file:
// everything up to it has been answered, whatever happens after.
import type { ItemResult } from '#shared/ingestApi';
import { toBatches, type Batch, type Entry } from './batches';
import type { Reader } from './readers/index';
import type { RejectLog } from './rejects';
import { sendBatch, type SendOptions } from './send';
import type { FileTally } from './tally';

export interface ImportOptions extends SendOptions {
  batch: number;
  parallel: number;
  skip: number;
  /** checked before each batch is sent: true once the import is asked to stop */
  stopping: () => boolean;
  /** after each answered batch */
  onAnswer?: () => void;
}

type Answer = { results: ItemResult[] } | { error: unknown };

/** Resolves when every batch sent is answered; rejects with the first SendError once in-flight batches are in. */
export async function importFile(chunks: AsyncIterable<Buffer>, reader: Reader, tally: FileTally, rejects: RejectLog, opts: ImportOptions) {
  const where = (e: Entry) => `${tally.file}:${e.line}${reader.numbered ? ` (item ${e.n})` : ''}`;
  const inFlight: Array<{ batch: Batch; answer: Promise<Answer> }> = [];
  let failure: unknown;

  const settle = async () => {
    const { batch, answer } = inFlight.shift()!;
    const a = await answer;
    if ('error' in a) failure ??= a.error; // its records stay unanswered
    else {
      count(batch, a.results, tally, rejects, where);
      if (!failure) tally.acked = { n: batch.entries.at(-1)!.n, line: batch.entries.at(-1)!.line };
    }
    opts.onAnswer?.();
  };

  let stopped = false;
  let lastLine = 0;
  let readError: Error | undefined;
  try {
    for await (const batch of toBatches(reader.read(chunks, opts), { maxItems: opts.batch, skip: opts.skip })) {
      if (failure || opts.stopping()) {
        stopped = true; // this batch was read ahead and never sent: not counted
        break;
      }
      tally.read += batch.entries.length;
      lastLine = batch.entries.at(-1)!.line;
      // A failed send becomes a value, so a batch behind it in flight never leaves a rejection unhandled.
      const answer: Promise<Answer> = batch.items
        ? sendBatch(batch.body, batch.items, opts).then((results) => ({ results }), (error: unknown) => ({ error }))
        : Promise.resolve({ results: [] });
      inFlight.push({ batch, answer });
      while (inFlight.length >= opts.parallel) await settle();
    }
  } catch (err) {
    readError = err as Error;
  }
  while (inFlight.length) await settle();
  if (readError) {
    // The file cannot be read on (a disk error mid-file): reported like a reader's own stop, in file order.
    tally.read += 1;
    tally.rejected += 1;
    rejects.add(tally.file, `reading stopped after line ${lastLine}: ${readError.message}; the rest of the file was not read`);
  }
  if (failure) throw failure;
  tally.done = !stopped;
}

function count(batch: Batch, results: ItemResult[], tally: FileTally, rejects: RejectLog, where: (e: Entry) => string) {
  let k = 0;
  for (const e of batch.entries) {
    if (e.error !== undefined) {
      tally.rejected += 1;
      rejects.add(where(e), e.error);
      continue;
    }
    const r = results[k++]!;
    if (r.status === 'stored') tally.stored += 1;
    else if (r.status === 'duplicate') tally.duplicate += 1;
    else {
      tally.rejected += 1;
      rejects.add(where(e), r.errors.map((f) => `${f.path}: ${f.message}`).join('; '));
    }
  }
}
