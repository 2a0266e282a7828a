// Records grouped into request bodies within the server's limits (≤ MAX_BATCH_ITEMS items, ≤ MAX_BODY_BYTES).
// Pull-based: the next batch is read only when the sender asks for it, so memory holds the batches
// in flight and one more. A batch keeps its records' errors too, so they are reported in file order.
import type { ReadRecord } from './readers/index';
import { MAX_BATCH_ITEMS, MAX_BODY_BYTES } from './limits';

export interface Entry {
  /** the record's number in the file, from 1 (what --skip counts) */
  n: number;
  line: number;
  /** why it is not sent; absent for an item in the body */
  error?: string;
}

export interface Batch {
  entries: Entry[];
  /** a JSON array of the entries without an error, in order; '' when there are none */
  body: string;
  items: number;
}

export async function* toBatches(records: AsyncIterable<ReadRecord>, { maxItems = MAX_BATCH_ITEMS, skip = 0 } = {}): AsyncGenerator<Batch> {
  let entries: Entry[] = [];
  let parts: string[] = [];
  let bytes = 2; // the brackets
  let n = 0;
  const take = (): Batch => {
    const batch = { entries, body: parts.length ? `[${parts.join(',')}]` : '', items: parts.length };
    entries = [];
    parts = [];
    bytes = 2;
    return batch;
  };
  for await (const r of records) {
    n += 1;
    if (n <= skip) continue;
    if ('error' in r) {
      if (entries.length >= maxItems) yield take();
      entries.push({ n, line: r.line, error: r.error });
      continue;
    }
    const json = JSON.stringify(r.item);
    const size = Buffer.byteLength(json);
    if (size + 2 > MAX_BODY_BYTES) {
      if (entries.length >= maxItems) yield take();
      entries.push({ n, line: r.line, error: `the item is ${size} bytes, more than one request may carry (${MAX_BODY_BYTES})` });
      continue;
    }
    if (entries.length >= maxItems || bytes + size + 1 > MAX_BODY_BYTES) yield take();
    entries.push({ n, line: r.line });
    parts.push(json);
    bytes += size + 1;
  }
  if (entries.length) yield take();
}
