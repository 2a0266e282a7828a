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
export function scalarArray(xs: ReadonlyArray<number | boolean | null>): string {
  // join writes numbers and booleans natively; null and undefined as '' (NULL here), NaN and ±Infinity as words
  const joined = xs.includes(null) ? xs.map((x) => x ?? 'NULL').join(',') : xs.join(',');
  if (/NaN|Infinity/.test(joined)) throw new Error(`not a finite number for an array parameter: ${xs.find((x) => typeof x === 'number' && !Number.isFinite(x))}`);
  return `{${joined}}`;
}
