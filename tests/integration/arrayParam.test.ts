// The commit's array parameters (server/src/store/postgres/arrayParam.ts) must reach PostgreSQL as
// the very values, in order: quotes, backslashes, JSON text, line breaks and other control
// characters, Chinese, emoji, the string "NULL", empty strings and nulls for text; numbers,
// booleans and nulls as literals.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalarArray, textArray, texts } from '../../server/src/store/postgres/arrayParam';
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

const first = async (sql: string, values: unknown[]) => (await client.query<{ a: unknown }>(sql, values)).rows[0]!.a;

describe('array parameters', () => {
  const strings = [
    'plain', '', 'NULL', 'null', ' spaced ', 'a,b', '{braces}', '[brackets]', 'say "hi"', 'back\\slash', 'both \\" mixed', '\\\\', '"',
    JSON.stringify({ address: '梅陇镇 "A" 栋\\1室', note: 'line\nbreak\ttab', n: 1 }), 'line\nbreak', 'tab\t', 'ctl\u0001',
    '梅陇镇城运中心', '🚧 施工', 'ñ é ü',
  ];

  it('text: every string back, in order, nulls kept', async () => {
    expect(await first(`SELECT ${texts(1)} AS a`, [textArray(strings)])).toEqual(strings);
    expect(await first(`SELECT ${texts(1)} AS a`, [textArray([...strings, null, 'last'])])).toEqual([...strings, null, 'last']);
    expect(await first(`SELECT ${texts(1)} AS a`, [textArray([])])).toEqual([]);
    const many = Array.from({ length: 5_000 }, (_, i) => `#${i}`);
    expect(await first(`SELECT ${texts(1)} AS a`, [textArray(many)])).toEqual(many);
  });

  it('text zipped with scalars by unnest, row by row', async () => {
    const { rows } = await client.query<{ s: string; n: string; b: boolean }>(
      `SELECT s, n::text, b FROM unnest(${texts(1)}, $2::bigint[], $3::bool[]) AS x(s, n, b)`,
      [textArray(['a', 'b"', 'c\n']), scalarArray([1, 1795650673106, null]), scalarArray([true, null, false])]);
    expect(rows).toEqual([{ s: 'a', n: '1', b: true }, { s: 'b"', n: '1795650673106', b: null }, { s: 'c\n', n: null, b: false }]);
  });

  it('scalars as literals; a number that is not finite is refused', async () => {
    expect(scalarArray([1, -2, 1795650673106, null])).toBe('{1,-2,1795650673106,NULL}');
    expect(scalarArray([true, false, null])).toBe('{true,false,NULL}');
    expect(scalarArray([])).toBe('{}');
    expect(await first('SELECT $1::int[] AS a', [scalarArray([3, -4, null])])).toEqual([3, -4, null]);
    expect(() => scalarArray([1, Number.NaN])).toThrow('not a finite number for an array parameter: NaN');
  });
});
