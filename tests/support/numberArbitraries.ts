// fast-check arbitraries of personal numbers written every way we know of (docs/privacy.md): mobiles
// with or without +86 / 0086, landlines with area codes in parentheses or dropped after +86, 18- and
// 15-digit resident IDs (check letter X), any grouping, any separators, digits of any script, a label
// in front, inside random Chinese/ASCII text without digits. Each knows its digits and which of them
// must stay hidden (`middle`), so a test can tell exactly which digits may survive masking.
import fc from 'fast-check';

export interface WrittenNumber {
  /** the number as written, label and separators included */
  text: string;
  /** its digits in order (ASCII), country code included; an ID's X is not a digit */
  digits: string;
  /** digits[midStart, midEnd) must never be shown */
  midStart: number;
  midEnd: number;
}

const SCRIPTS: ReadonlyArray<(d: number) => string> = [
  (d) => String(d),
  (d) => String.fromCodePoint(0xff10 + d), // full-width
  (d) => String.fromCodePoint(0x0660 + d), // Arabic-Indic
  (d) => String.fromCodePoint(0x0966 + d), // Devanagari
  (d) => String.fromCodePoint(0x1d7ce + d), // mathematical bold (astral)
  (d) => '〇一二三四五六七八九'[d]!, // read out
];
export const SEPARATORS = [' ', '\u00A0', '\u2009', '\u202F', '\u3000', '\u200B', '\t', '-', '–', '—', '－', '.', '．', '·', '/', ' - ', '\u00A0-\u00A0'];
const LABELS = ['', '', 'ID', 'ID:', 'ID ', '身份证', '身份证号', '身份证号：', '电话', '手机：', 'Tel.', '联系方式 '];
/** Chinese without numerals, ASCII letters and punctuation: text around numbers, no digit in it. */
const FILLER = [...'楼道堆物施工噪音扰民小区路弄号室幢单元河道垃圾分类物业维修停车绿化消防通道请回电反映情况已处理',
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWYZ', ...' ，。、；！？()-+.:：'];
export const filler = (maxLength = 12) => fc.string({ unit: fc.constantFrom(...FILLER), maxLength });

const digitString = (n: number, first = '0123456789') =>
  fc.tuple(fc.constantFrom(...first), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n - 1, maxLength: n - 1 }))
    .map(([f, rest]) => f + rest.join(''));

/** A number before it is written: its digits, the hidden ones, what comes before and after, the usual groups. */
interface Plain {
  digits: string; midStart: number; midEnd: number; lead: string; suffix: string; cuts: number[];
  /** the digits before this may be put in parentheses: (021)6234 5678, (86)139… */
  parensTo?: number;
}

const mobile = fc.tuple(fc.constantFrom('', '86', '+86', '0086'), fc.constantFrom(...'3456789'), digitString(9))
  .map(([cc, second, rest]): Plain => {
    const code = cc.replace('+', '');
    const n = code.length;
    return {
      digits: `${code}1${second}${rest}`, midStart: n + 3, midEnd: n + 7, lead: cc.startsWith('+') ? '+' : '', suffix: '',
      cuts: [...(n ? [n] : []), n + 3, n + 7], ...(n ? { parensTo: n } : {}),
    };
  });

// Area codes: 010, 02x, 0xxx from 0310 (none other starts 01 or 02); +86 drops the trunk 0.
const areaCode = fc.oneof(fc.constant('10'), digitString(1).map((b) => `2${b}`),
  fc.tuple(fc.constantFrom(...'3456789'), digitString(2)).map(([a, b]) => a + b));
const landline = fc.tuple(fc.boolean(), areaCode, fc.constantFrom(7, 8))
  .chain(([international, area, subLen]) =>
    digitString(subLen, '23456789').map((sub): Plain => {
      const code = `${international ? '86' : '0'}${area}`;
      return {
        digits: code + sub, midStart: code.length, midEnd: code.length + subLen - 2, lead: international ? '+' : '', suffix: '',
        cuts: [code.length], parensTo: code.length,
      };
    }));

const id18 = fc.tuple(digitString(6, '123456789'), digitString(8), digitString(3), fc.constantFrom('', '', 'X', 'x', 'Ｘ'))
  .chain(([region, birth, seq, x]) => (x ? fc.constant({ check: '', x }) : digitString(1).map((check) => ({ check, x })))
    .map(({ check, x: letter }): Plain => ({ digits: region + birth + seq + check, midStart: 6, midEnd: 14, lead: '', suffix: letter, cuts: [6, 14] })));

const id15 = fc.tuple(digitString(6, '123456789'), digitString(6), digitString(3))
  .map(([region, birth, seq]): Plain => ({ digits: region + birth + seq, midStart: 6, midEnd: 12, lead: '', suffix: '', cuts: [6, 12] }));

/** A number written out: groups at random cuts (or the usual ones), separators, scripts, a label. */
export const writtenNumber: fc.Arbitrary<WrittenNumber> = fc
  .tuple(fc.oneof(mobile, landline, id18, id15), fc.constantFrom(...LABELS), fc.boolean(), fc.boolean())
  .chain(([plain, label, usualCuts, parens]) =>
    fc.tuple(
      fc.constant(plain), fc.constant(label),
      usualCuts ? fc.constant(plain.cuts) : fc.uniqueArray(fc.integer({ min: 1, max: plain.digits.length - 1 }), { maxLength: 4 }),
      fc.array(fc.constantFrom(...SEPARATORS), { minLength: 4, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: SCRIPTS.length - 1 }), { minLength: plain.digits.length, maxLength: plain.digits.length }),
      fc.constant(parens ? plain.parensTo : undefined),
    ))
  .map(([plain, label, cuts, seps, scripts, parensTo]) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    let text = '';
    for (let i = 0; i < plain.digits.length; i++) {
      const cut = sorted.indexOf(i);
      if (parensTo !== undefined && i === 0) text += '(';
      if (i === parensTo) text += ')';
      else if (cut >= 0) text += seps[cut % seps.length];
      text += SCRIPTS[scripts[i]!]!(Number(plain.digits[i]));
    }
    return { text: `${label}${plain.lead}${text}${plain.suffix}`, digits: plain.digits, midStart: plain.midStart, midEnd: plain.midEnd };
  });

/**
 * Whether `shown` (the digits left in masked text, in order) holds nothing of the numbers but a
 * start and an end of each that stop short of its middle: the numbers' own digits, in order.
 */
export function showsOnlyEnds(shown: string, numbers: readonly WrittenNumber[]): boolean {
  const alternatives = (parts: string[]) => `(?:${parts.join('|')})`;
  const pattern = numbers.map((n) => {
    const starts = Array.from({ length: n.midStart + 1 }, (_, a) => n.digits.slice(0, a));
    const ends = Array.from({ length: n.digits.length - n.midEnd + 1 }, (_, b) => n.digits.slice(n.digits.length - b));
    return alternatives(starts) + alternatives(ends);
  }).join('');
  return new RegExp(`^${pattern}$`).test(shown);
}
