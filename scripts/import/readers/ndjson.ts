// NDJSON (JSON Lines): one event per line; blank lines are skipped, a line that is not JSON is a record error.
import { MAX_ITEM_BYTES } from '../limits';
import type { Reader } from './index';
import { splitLines } from './splitLines';

/** Whether the first non-blank line is a JSON object by itself: NDJSON under another file name. */
function firstLineIsObject(head: string): boolean {
  const first = head.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!first?.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

export const ndjson: Reader = {
  name: 'ndjson',
  matches: (path, head) => /\.(ndjson|jsonl|ldjson)$/i.test(path) || (!/\.csv$/i.test(path) && firstLineIsObject(head)),
  async *read(chunks) {
    for await (const l of splitLines(chunks, MAX_ITEM_BYTES)) {
      if (!('text' in l)) {
        yield { line: l.line, error: `the line is longer than ${MAX_ITEM_BYTES} bytes, more than one request may carry` };
        continue;
      }
      const text = l.text.trim();
      if (!text) continue;
      try {
        yield { line: l.line, item: JSON.parse(text) as unknown };
      } catch (err) {
        yield { line: l.line, error: `not JSON: ${(err as Error).message}` };
      }
    }
  },
};
