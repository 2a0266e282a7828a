// Array parameters as PostgreSQL array literals, written by JSON.stringify. node-postgres escapes
// every element of an array parameter with two regular expressions in JavaScript; at 1.5 KB of
// text per event that was the largest cost of a commit on the node (docs/BENCHMARKS.md, cluster).
// JSON and PostgreSQL's array literal quote strings alike — in double quotes, `"` and `\` escaped
// by a backslash; numbers, true/false and null bare — so JSON's text between its brackets is the
// literal, except where JSON writes an escape PostgreSQL does not know: control characters (\n,
// \u0001) and lone surrogates (\ud800). Arrays holding either go to node-postgres as they are.
// The commit's text is JSON (bodies, summaries, deltas) or validated plain text, so that is rare.

/** What JSON.stringify writes as an escape PostgreSQL reads otherwise: control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const JSON_ONLY_ESCAPE = /[\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const literalSafe = (x: unknown) => typeof x !== 'string' || !JSON_ONLY_ESCAPE.test(x);

/** A one-dimensional array of strings, numbers, booleans or nulls, as a parameter for `$n::type[]`. */
export function arrayParam(xs: ReadonlyArray<string | number | boolean | null>): string | ReadonlyArray<string | number | boolean | null> {
  if (!xs.every(literalSafe)) return xs;
  const json = JSON.stringify(xs);
  return `{${json.slice(1, -1)}}`;
}
