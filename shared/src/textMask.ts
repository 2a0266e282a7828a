// Personal numbers, e-mail addresses and labelled names in free text, masked for screens
// (docs/privacy.md). Numbers are looked for in a folded copy of the text — NFKC, so full-width digits,
// parentheses and spaces read as ASCII; digits of any script and the numerals 〇零一…九幺 as digits;
// any space, dash or invisible formatting character as a separator — and their hidden digits are
// starred in the original text, one star per character, so everything else is shown as sent.

/** Numerals of a number read out digit by digit (幺 is 1 on the phone). */
const CHINESE_DIGITS: Readonly<Record<string, string>> = {
  '〇': '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};

const NUMERAL_CODES = new Set(Object.keys(CHINESE_DIGITS).map((c) => c.charCodeAt(0)));

/** Where a digit's script starts its 0–9 (Unicode lays every script's digits out contiguously). */
function digitValue(c: string): number {
  const cp = c.codePointAt(0)!;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (cp - start) % 10;
}

/**
 * One character as the number finder reads it, always one UTF-16 unit so positions line up with the
 * original's characters: a digit, ' ' for any space or invisible format character, '-' for any dash,
 * the NFKC form when that is one character, else U+FFFD.
 */
function fold(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x80) return c;
  const numeral = CHINESE_DIGITS[c];
  if (numeral) return numeral;
  if (code >= 0x4e00 && code <= 0x9fff) return c; // unified ideographs are their own NFKC form
  let f = folds.get(c);
  if (f === undefined) {
    if (folds.size >= MAX_FOLDS) folds.clear();
    folds.set(c, (f = foldOther(c)));
  }
  return f;
}
/** Folds of other characters met so far (punctuation, full-width forms), bounded. */
const folds = new Map<string, string>();
const MAX_FOLDS = 4096;

function foldOther(c: string): string {
  const n = c.normalize('NFKC');
  const one = [...n].length === 1 ? n : '';
  if (/^\p{Nd}$/u.test(one)) return one < '\u0080' ? one : String(digitValue(one));
  if (/[\s\p{Zs}\p{Cf}]/u.test(c) || /^[\s\p{Zs}]$/u.test(one)) return ' ';
  if (/^[\p{Pd}\u2212]$/u.test(one)) return '-';
  return one.length === 1 ? one : '\uFFFD';
}

/** The digits of one number: digit groups joined by at most three separators. */
const RUN = /\d(?:[ \t.\-()/_~·・]{0,3}\d)*/g;
/** Fewer digit-like characters than this cannot hold a number worth masking. */
const MIN_DIGITS = 7;

/** Whether the text has MIN_DIGITS characters that read as digits (most text has not: a quick no). */
function mayHoldNumber(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length && n < MIN_DIGITS; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) n++;
    else if (code >= 0x4e00 && code <= 0x9fff) n += NUMERAL_CODES.has(code) ? 1 : 0;
    else if (code >= 0x80) {
      const c = String.fromCodePoint(text.codePointAt(i)!);
      const f = fold(c);
      if (f >= '0' && f <= '9') n++;
      i += c.length - 1;
    }
  }
  return n >= MIN_DIGITS;
}

// Runs that are not personal and stay as written: a date (with the hour after it), a span of
// years, an amount of money, a company's 400/800 service number.
const DATE = /^(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?: \d{1,2})?$/;
const YEARS = /^(?:19|20)\d\d-(?:19|20)\d\d$/;
const AMOUNT = /^\d{1,6}\.\d{1,2}$/;
const SERVICE = /^[48]00\d{7}$/;
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * How many digits of a number stay visible at its start and end. Mobiles keep 3 and 4
 * (139****5678), resident IDs their region (6) and last 4 (3 of 15-digit IDs), landlines their area
 * code and last 2; anything else of 7 or more digits keeps its last 2. A country code 86 / 0086
 * stays visible too.
 */
function visible(digits: string, before: string, after: string): [number, number] {
  const n = digits.length;
  const plus = /\+[ (]*$/.test(before);
  const cc = digits.startsWith('0086') ? 4 : digits.startsWith('86') && (plus || MOBILE.test(digits.slice(2))) ? 2 : 0;
  const rest = digits.slice(cc);
  if (MOBILE.test(rest)) return [cc + 3, 4];
  if (n === 18 || (n === 17 && /^[Xx]/.test(after))) return [6, n === 18 ? 4 : 3];
  if (n === 15) return [6, 3];
  if (rest.startsWith('0')) {
    // area codes are 010 and 02x, or four digits (0512): known from the digits, whatever the grouping
    const head = cc + (/^0[12]/.test(rest) ? 3 : 4);
    if (n - head - 2 >= 5) return [head, 2];
  }
  return [cc, 2];
}

function maskNumbers(text: string): string {
  if (!mayHoldNumber(text)) return text;
  // eslint-disable-next-line no-control-regex -- ASCII is its own folded form
  const ascii = /^[\u0000-\u007f]*$/.test(text);
  const chars = ascii ? text.split('') : [...text];
  const folded = ascii ? text : chars.map(fold).join('');
  let out: string[] | undefined;
  for (const m of folded.matchAll(RUN)) {
    const run = m[0];
    const digits = run.replace(/\D/g, '');
    if (digits.length < MIN_DIGITS || DATE.test(run) || YEARS.test(run) || AMOUNT.test(run) || SERVICE.test(digits)) continue;
    const [head, tail] = visible(digits, folded.slice(Math.max(0, m.index - 3), m.index), folded.slice(m.index + run.length));
    out ??= chars.slice();
    let k = 0;
    for (let i = 0; i < run.length; i++) {
      if (run[i]! < '0' || run[i]! > '9') continue;
      if (k >= head && k < digits.length - tail) out[m.index + i] = '*';
      k++;
    }
  }
  return out ? out.join('') : text;
}

// Names after a label (联系人：王小明 / 来电人 李四) keep the surname only; 王先生 is already anonymous.
const LABELLED_NAME = /((?:联系人|来电人|报案人|反映人|投诉人|举报人|姓名|市民)[:：\s]*)([\u4e00-\u9fa5])(?!先生|女士|师傅|阿姨|老师)([\u4e00-\u9fa5]{1,2})/g;
// E-mail addresses keep the first character of the mailbox and the domain.
const EMAIL = /([A-Za-z0-9])([A-Za-z0-9._%+-]*)(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

const maskEmails = (text: string) =>
  text.includes('@') ? text.replace(EMAIL, (_m, first: string, rest: string, domain: string) => `${first}${'*'.repeat(rest.length)}${domain}`) : text;
const maskNames = (text: string) =>
  text.replace(LABELLED_NAME, (_m, label: string, surname: string, rest: string) => `${label}${surname}${'*'.repeat(rest.length)}`);

/** Free text safe for a screen: personal numbers, e-mail addresses and labelled names masked. */
export const maskText = (value: string): string => maskNames(maskEmails(maskNumbers(value)));

const SPACES = /[\s\p{Zs}\p{Cf}]/gu;
/** A phone-typed field: masked as text, written without spaces (139****5678, 021-******78). */
export const maskPhone = (value: string): string => maskText(value.replace(SPACES, ''));
