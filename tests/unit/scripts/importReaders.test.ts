// The import tool's readers and batching (scripts/import): every record with its line, whatever the
// chunking of the file; the CSV mapping against the NDJSON fixtures it was made from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events';
import { toBatches } from '../../../scripts/import/batches';
import { MAX_BODY_BYTES } from '../../../scripts/import/limits';
import { csv } from '../../../scripts/import/readers/csv';
import { pickReader, type ReadContext, type ReadRecord } from '../../../scripts/import/readers/index';
import { jsonValues } from '../../../scripts/import/readers/jsonValues';
import { ndjson } from '../../../scripts/import/readers/ndjson';
import { splitLines } from '../../../scripts/import/readers/splitLines';

async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
/** The same records however the bytes are cut (1 byte cuts every UTF-8 character). */
async function readAll(read: (c: AsyncIterable<Buffer>, context: ReadContext) => AsyncIterable<ReadRecord>, text: string): Promise<ReadRecord[]> {
  const context = { url: 'http://127.0.0.1:1' }; // these readers never ask the server
  const whole = await all(read(chunked(text, 1 << 16), context));
  for (const size of [1, 2, 7]) expect(await all(read(chunked(text, size), context))).toEqual(whole);
  return whole;
}

describe('jsonValues', () => {
  const read = (max = 1000) => (c: AsyncIterable<Buffer>) => jsonValues(c, max);

  it('yields each element of an array with its line, strings with brackets and escapes kept whole', async () => {
    expect(await readAll(read(), '[{"a":"x]}\\"y"} , 3,true,\n null, "s中" ,[1,[2]]]')).toEqual([
      { line: 1, item: { a: 'x]}"y' } },
      { line: 1, item: 3 },
      { line: 1, item: true },
      { line: 2, item: null },
      { line: 2, item: 's中' },
      { line: 2, item: [1, [2]] },
    ]);
  });

  it('reports an element that is not JSON by itself and reads on', async () => {
    expect(await readAll(read(), '[\n  {"a": 1},\n  {"b": tru},\n  {"c": 3}\n]\n')).toEqual([
      { line: 2, item: { a: 1 } },
      { line: 3, error: expect.stringMatching(/^not JSON: /) },
      { line: 4, item: { c: 3 } },
    ]);
  });

  it('reads one object, or objects one after another', async () => {
    expect(await readAll(read(), '\uFEFF{"one":1}')).toEqual([{ line: 1, item: { one: 1 } }]);
    expect(await readAll(read(), '{"one":1}\n\n{"two":2}\n')).toEqual([{ line: 1, item: { one: 1 } }, { line: 3, item: { two: 2 } }]);
    expect(await readAll(read(), '[]')).toEqual([]);
  });

  it('stops at broken structure naming the line, after what it read', async () => {
    expect(await readAll(read(), '[{"a":1},\n{"b":2}')).toEqual([
      { line: 1, item: { a: 1 } },
      { line: 2, item: { b: 2 } },
      { line: 2, error: 'the file ends before the closing "]" at line 2; the rest of the file was not read' },
    ]);
    expect(await readAll(read(), '[{"a":1}\n {"b":2}]')).toEqual([
      { line: 1, item: { a: 1 } },
      { line: 2, error: 'expected "," or "]" but found "{" at line 2; the rest of the file was not read' },
    ]);
    expect(await readAll(read(), '[{"a":1}] x')).toEqual([{ line: 1, item: { a: 1 } }, { line: 1, error: 'text after the closing "]" at line 1; the rest of the file was not read' }]);
    expect(await readAll(read(), '[1,\n{"a": "unclosed}]')).toEqual([{ line: 1, item: 1 }, { line: 2, error: 'the file ends inside this item; the rest of the file was not read' }]);
  });

  it('refuses an item over the size bound without holding it, and reads on', async () => {
    const big = `{"a":"${'x'.repeat(200)}"}`;
    expect(await readAll(read(100), `[${big},{"ok":1}]`)).toEqual([
      { line: 1, error: 'the item is larger than 100 characters, more than one request may carry' },
      { line: 1, item: { ok: 1 } },
    ]);
  });
});

describe('splitLines and the NDJSON reader', () => {
  it('numbers lines across chunks, strips CR and the BOM, and reports an overlong line without holding it', async () => {
    const text = `\uFEFFa\r\n${'y'.repeat(50)}\n中文\n\nlast`;
    const split = (c: AsyncIterable<Buffer>) => splitLines(c, 20);
    const whole = await all(split(chunked(text, 1 << 16)));
    for (const size of [1, 3]) expect(await all(split(chunked(text, size)))).toEqual(whole);
    expect(whole).toEqual([
      { line: 1, text: 'a' },
      { line: 2, tooLong: true },
      { line: 3, text: '中文' },
      { line: 4, text: '' },
      { line: 5, text: 'last' },
    ]);
  });

  it('skips blank lines and names a line that is not JSON', async () => {
    expect(await readAll(ndjson.read, '{"a":1}\n\n  \n{"a":\n[2]\n')).toEqual([
      { line: 1, item: { a: 1 } },
      { line: 4, error: expect.stringMatching(/^not JSON: /) },
      { line: 5, item: [2] },
    ]);
  });
});

describe('the CSV reader', () => {
  const sample = readFileSync(new URL('../../../fixtures/import/events.csv', import.meta.url), 'utf8');
  const twins = ['cases', 'tickets', 'inspections'].flatMap((f) =>
    readFileSync(new URL(`../../../fixtures/events/${f}.ndjson`, import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; version: number }),
  );

  it('maps every row of the sample to the very event its NDJSON twin holds', async () => {
    const records = await readAll(csv.read, sample);
    expect(records).toHaveLength(sample.trim().split('\n').length - 1);
    for (const [i, r] of records.entries()) {
      expect(r.line).toBe(i + 2);
      if (!('item' in r)) throw new Error(r.error);
      const item = r.item as { id: string; version: number };
      const twin = twins.find((t) => `${t.id}-CSV` === item.id && t.version === item.version);
      expect(twin, item.id).toBeDefined();
      const parsed = parseEvent(item);
      expect(parsed).toEqual(parseEvent({ ...twin, id: item.id }));
      expect(parsed.ok).toBe(true);
    }
  });

  it('converts cells by the schema of the row’s kind: numbers, booleans, JSON arrays, dotted paths; empty cells left out', async () => {
    const text = 'kind,id,version,urgent,lng,lat,target.name,items,items.1.name,note\ninspection,J-1,2,是,121.5,31.2,店,"[{""name"":""a"",""result"":""pass""}]",b,\ncase,C-1,x1,maybe,,,,,,\n';
    expect(await readAll(csv.read, text)).toEqual([
      { line: 2, item: { kind: 'inspection', id: 'J-1', version: 2, urgent: true, location: { lng: 121.5, lat: 31.2 }, target: { name: '店' }, items: [{ name: 'a', result: 'pass' }, { name: 'b' }] } },
      // left as text, so the server names the field
      { line: 3, item: { kind: 'case', id: 'C-1', version: 'x1', urgent: 'maybe' } },
    ]);
  });

  it('names a bad row and reads on; a quoted field over lines counts from its first line', async () => {
    const text = 'kind,id,description\ncase,A,"two\nlines"\ncase,B\n\ncase,C,ok\n';
    expect(await readAll(csv.read, text)).toEqual([
      { line: 2, item: { kind: 'case', id: 'A', description: 'two\nlines' } },
      { line: 4, error: 'Invalid Record Length: expect 3, got 2 on line 4' },
      { line: 6, item: { kind: 'case', id: 'C', description: 'ok' } },
    ]);
  });

  it('stops at an unclosed quote, naming where the rest of the file was lost', async () => {
    const records = await readAll(csv.read, 'kind,id,description\ncase,A,ok\ncase,B,"never closed\ncase,C,x\n');
    expect(records).toEqual([
      { line: 2, item: { kind: 'case', id: 'A', description: 'ok' } },
      { line: 3, error: 'a quoted field opened at line 3 or after is never closed; the rest of the file was not read' },
    ]);
  });

  it.each([
    ['kind,id,colour\n', 'unknown column "colour": not a field of a case, ticket or inspection (docs/import.md lists the columns); nothing of the file was read'],
    ['id,version\n', 'no "kind" column: each row must say case, ticket or inspection; nothing of the file was read'],
    ['kind,lng,location.lng\n', 'the column location.lng appears twice; nothing of the file was read'],
  ])('refuses the header %j before any row', async (header, error) => {
    expect(await readAll(csv.read, `${header}case,1,2\n`)).toEqual([{ line: 1, error }]);
  });
});

describe('pickReader', () => {
  it.each([
    ['a.ndjson', '[1]', 'ndjson'],
    ['a.jsonl', '', 'ndjson'],
    ['a.json', '[{"kind":"case"}]', 'json'],
    ['a.json', '{"kind":"case"}\n{"kind":"case"}\n', 'ndjson'],
    ['a.json', '{\n  "kind": "case"\n}\n', 'json'],
    ['a.csv', 'kind,id\n', 'csv'],
    ['dump.txt', '  [{"a":1}]', 'json'],
    ['dump.txt', '{"a":1}\n', 'ndjson'],
  ])('%s holding %j → %s', (path, head, name) => {
    expect(pickReader(path, head)?.name).toBe(name);
  });

  it('names no reader for a file it cannot tell, unless told', () => {
    expect(pickReader('notes.txt', 'hello')).toBeUndefined();
    expect(pickReader('notes.txt', 'hello', 'csv')?.name).toBe('csv');
  });
});

describe('toBatches', () => {
  async function* records(n: number, make: (i: number) => ReadRecord): AsyncGenerator<ReadRecord> {
    for (let i = 1; i <= n; i++) yield make(i);
  }

  it('cuts at the item count and at the byte limit, keeps errors in order, and skips the first records', async () => {
    const item = (i: number): ReadRecord => (i % 10 === 0 ? { line: i, error: 'bad' } : { line: i, item: { i, pad: 'x'.repeat(90_000) } });
    const batches = await all(toBatches(records(40, item), { maxItems: 25, skip: 3 }));
    const entries = batches.flatMap((b) => b.entries);
    expect(entries.map((e) => e.n)).toEqual(Array.from({ length: 37 }, (_, i) => i + 4));
    expect(entries.filter((e) => e.error).map((e) => e.line)).toEqual([10, 20, 30, 40]);
    for (const b of batches) {
      expect(b.entries.length).toBeLessThanOrEqual(25);
      expect(Buffer.byteLength(b.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      const sent = JSON.parse(b.body) as Array<{ i: number }>;
      expect(sent.map((x) => x.i)).toEqual(b.entries.filter((e) => !e.error).map((e) => e.n));
      expect(b.items).toBe(sent.length);
    }
    // ≈ 90 KB an item: 11 fit under 1 MB; the error of record 40 joins the last batch
    expect(batches.map((b) => [b.entries[0]!.n, b.entries.at(-1)!.n, b.items])).toEqual([[4, 15, 11], [16, 27, 11], [28, 40, 11]]);
    const small = await all(toBatches(records(60, (i) => ({ line: i, item: { i } })), { maxItems: 25 }));
    expect(small.map((b) => b.items)).toEqual([25, 25, 10]);
  });

  it('refuses an item that no request could carry, naming its size', async () => {
    const [batch] = await all(toBatches(records(1, (i) => ({ line: i, item: { pad: 'x'.repeat(MAX_BODY_BYTES) } }))));
    expect(batch!.items).toBe(0);
    expect(batch!.entries[0]!.error).toMatch(/^the item is \d+ bytes, more than one request may carry \(1048576\)$/);
  });
});
