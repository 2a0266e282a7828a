// Phone and ID numbers in the forms people and source systems write them (docs/privacy.md), each
// with the digits a screen must never see: the middle of a mobile, a landline's subscriber number
// but its last two digits, the birth date of an ID. The visible digits of each form never contain
// its middle, so "the middle is in the digits of the output" is a leak and nothing else.

export interface NumberForm {
  name: string;
  text: string;
  /** digits that must not survive masking, in order */
  middle: string;
}

export const NUMBER_FORMS: readonly NumberForm[] = [
  { name: 'mobile', text: '13912345678', middle: '1234' },
  { name: 'mobile, spaces', text: '139 1234 5678', middle: '1234' },
  { name: 'mobile, hyphens', text: '139-1234-5678', middle: '1234' },
  { name: 'mobile, dots', text: '139.1234.5678', middle: '1234' },
  { name: 'mobile, no-break spaces', text: '139\u00A01234\u00A05678', middle: '1234' },
  { name: 'mobile, thin spaces', text: '139\u20091234\u20095678', middle: '1234' },
  { name: 'mobile, narrow no-break spaces', text: '139\u202F1234\u202F5678', middle: '1234' },
  { name: 'mobile, en dashes', text: '139–1234–5678', middle: '1234' },
  { name: 'mobile, +86 and spaces', text: '+86 139 1234 5678', middle: '1234' },
  { name: 'mobile, 0086', text: '0086-13912345678', middle: '1234' },
  { name: 'mobile, full-width', text: '１３９１２３４５６７８', middle: '1234' },
  { name: 'mobile, full-width, ideographic spaces', text: '１３９　１２３４　５６７８', middle: '1234' },
  { name: 'landline, hyphen', text: '021-62345678', middle: '623456' },
  { name: 'landline, spaces', text: '021 6234 5678', middle: '623456' },
  { name: 'landline, parentheses', text: '(021)62345678', middle: '623456' },
  { name: 'landline, full-width parentheses', text: '（021）6234-5678', middle: '623456' },
  { name: 'landline, +86', text: '+86 21 6234 5678', middle: '623456' },
  { name: 'landline, local', text: '6234 5678', middle: '623456' },
  { name: 'ID, ID label', text: 'ID310105198001011234', middle: '19800101' },
  { name: 'ID, 身份证号 label', text: '身份证号：310105198001011234', middle: '19800101' },
  { name: 'ID, spaces', text: '310105 19800101 1234', middle: '19800101' },
  { name: 'ID, check letter X', text: '31010519800101123X', middle: '19800101' },
  { name: 'ID, full-width', text: '３１０１０５１９８００１０１１２３４', middle: '19800101' },
  { name: 'ID, 15-digit legacy', text: '310105800101123', middle: '800101' },
  { name: 'ID, 身份证 label and dots', text: '身份证310105.19800101.1234', middle: '19800101' },
];

const NUMERALS = '〇一二三四五六七八九';

/** Decimal digits of any script, full-width forms and numerals read out (〇…九, 零, 幺) as ASCII digits, everything else dropped. */
export const digitsOf = (s: string): string =>
  [...s.normalize('NFKC')].map((c) =>
    /\p{Nd}/u.test(c) ? String(decimalValue(c)) : NUMERALS.includes(c) ? String(NUMERALS.indexOf(c)) : c === '零' ? '0' : c === '幺' ? '1' : '').join('');

/** The value of a decimal digit of any script (Unicode lays every script's 0–9 out contiguously). */
function decimalValue(c: string): number {
  const cp = c.codePointAt(0)!;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (cp - start) % 10;
}

/** Whether masked text still shows the middle of a form, in any script, separators or none. */
export const leaks = (masked: string, form: NumberForm): boolean => digitsOf(masked).includes(form.middle);
