// Array parameters written as literals by JSON.stringify (server/src/store/postgres/arrayParam.ts)
// must reach PostgreSQL as the very values: quotes, backslashes, JSON text, Chinese, emoji, the
// string "NULL", empty strings, numbers, booleans and nulls. Strings JSON would escape in a way
// PostgreSQL reads otherwise (control characters, lone surrogates) go to node-postgres instead.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayParam } from '../../server/src/store/postgres/arrayParam';
import { createTestDatabase, type TestDatabase } from '../support/pg';

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const roundTrip = async (xs: Array<string | number | boolean | null>, type: string) =>
  (await client.query<{ a: unknown[] }>(`SELECT $1::${type}[] AS a`, [arrayParam(xs)])).rows[0]!.a;

describe('arrayParam', () => {
  const texts = [
    'plain', '', 'NULL', 'null', ' spaced ', 'a,b', '{braces}', 'say "hi"', 'back\\slash', 'both \\" mixed', '\\\\', '"',
    JSON.stringify({ address: '梅陇镇 "A" 栋\\1室', note: 'line\nbreak\ttab', n: 1 }), '梅陇镇城运中心', '🚧 施工', 'ñ é ü',
  ];

  it('writes a literal for text and reads back every string', async () => {
    expect(typeof arrayParam(texts)).toBe('string');
    expect(await roundTrip(texts, 'text')).toEqual(texts);
    expect(await roundTrip([...texts, null], 'text')).toEqual([...texts, null]);
    expect(await roundTrip([], 'text')).toEqual([]);
  });

  it('writes numbers, booleans and nulls bare', async () => {
    expect(arrayParam([1, -2, 1795650673106, null])).toBe('{1,-2,1795650673106,null}');
    expect(await roundTrip([1, -2, 1795650673106, null], 'bigint')).toEqual(['1', '-2', '1795650673106', null]);
    expect(await roundTrip([true, false, null], 'bool')).toEqual([true, false, null]);
  });

  it('leaves arrays with control characters or lone surrogates to node-postgres', async () => {
    for (const odd of ['line\nbreak', 'nul\u0000x'.replace('\u0000', '\u0001'), 'tab\t', 'lone \ud800 high', 'lone \udc00 low']) {
      const xs = ['fine', odd];
      expect(arrayParam(xs)).toBe(xs);
    }
    expect(await roundTrip(['fine', 'line\nbreak', 'tab\t'], 'text')).toEqual(['fine', 'line\nbreak', 'tab\t']);
  });
});
