// Free text shows on a wall and in the briefing exactly as sent, so it holds only visible text: no
// control characters, no bidirectional overrides or isolates (they reorder what a reader sees), no
// unpaired surrogates (a UTF-8 store would rewrite them to U+FFFD after the item was acknowledged).
// Multi-line fields (descriptions, replies, notes) may hold tab and line breaks. docs/input.md

// C0 and C1 control characters and DEL; tab, LF and CR are handled apart (multi-line fields keep them).
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE = /[\t\n\r]/;
// LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ANY = new RegExp([CONTROL, BIDI, LONE_SURROGATE].map((r) => r.source).join('|'));
const ANY_OR_LINE = new RegExp([CONTROL, LINE, BIDI, LONE_SURROGATE].map((r) => r.source).join('|'));

const what = (c: string): string =>
  LINE.test(c) ? 'a tab or line break, in a one-line field'
  : CONTROL.test(c) ? 'a control character'
  : BIDI.test(c) ? (c <= '\u202E' ? 'a bidirectional override' : 'a bidirectional isolate')
  : 'an unpaired surrogate';

const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `s` is not plain text, naming the first offending character and its position (counted in
 * characters as a reader counts them), or undefined when it is.
 */
export function textProblem(s: string, multiline: boolean): string | undefined {
  const m = (multiline ? ANY : ANY_OR_LINE).exec(s);
  if (!m) return undefined;
  const position = [...s.slice(0, m.index)].length + 1;
  return `${codePoint(m[0])} (${what(m[0])}) at character ${position}: control characters, bidirectional overrides and unpaired surrogates are not accepted`;
}

/** The same check as a zod `superRefine` callback, for every schema with free text (events.ts, protocolSchemas.ts). */
export const plainTextCheck = (multiline: boolean) => (s: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }) => {
  const problem = textProblem(s, multiline);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
