// Array parameters for the commit's one statement, cheaper than node-postgres's own: it escapes
// every element of an array parameter with two regular expressions in JavaScript, which at 1.5 KB
// of text per event was the largest cost of a commit on the node (docs/BENCHMARKS.md, cluster).
// - Text columns go as one JSON array (JSON.stringify is native), expanded in SQL by `texts(n)`:
//   json_array_elements_text decodes every JSON escape, and the order is kept by its ordinality.
//   Lone surrogates would be refused by PostgreSQL's JSON parser; validated text has none
//   (shared/src/plainText.ts).
// - Numbers and booleans go as an array literal, `{1,-2,NULL}`: nothing in them needs escaping.

/** SQL for parameter `$n` (from textArray) as a text[]. */
export const texts = (n: number) =>
  `ARRAY(SELECT t FROM json_array_elements_text($${n}::json) WITH ORDINALITY AS x(t, o) ORDER BY o)`;

/** Strings (or nulls) for a `texts(n)` parameter. */
export const textArray = (xs: ReadonlyArray<string | null>): string => JSON.stringify(xs);

/** Numbers, booleans or nulls as an array literal, for `$n::bigint[]`, `$n::int[]`, `$n::bool[]`. */
export const scalarArray = (xs: ReadonlyArray<number | boolean | null>): string =>
  `{${xs.map((x) => (x === null ? 'NULL' : typeof x === 'number' && !Number.isFinite(x) ? fail(x) : String(x))).join(',')}}`;

function fail(x: number): never {
  throw new Error(`not a finite number for an array parameter: ${x}`);
}
