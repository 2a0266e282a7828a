// Masking of personal data towards screens: it never leaves the server unmasked.
// Raw values stay in the store; everything sent to a screen goes through maskEvent.
import type { IngestEvent } from './events';

// 18-digit resident ID (last may be X) and 15-digit legacy IDs: keep region (6) and last 4.
const ID_CARD = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const ID_CARD_15 = /(?<![0-9A-Za-z])(\d{6})(\d{5})(\d{4})(?![0-9A-Za-z])/g;
// Mobiles (optionally +86): keep 3 + last 4. Landlines 0xx(x)-xxxxxxx(x): keep area code + last 2.
const MOBILE = /(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{5,6})(\d{2})(?!\d)/g;
// Names after a label (联系人：王小明 / 来电人 李四) keep the surname only; 王先生 is already anonymous.
const LABELLED_NAME = /((?:联系人|来电人|报案人|反映人|姓名|市民)[:：\s]*)([\u4e00-\u9fa5])(?!先生|女士|师傅|阿姨|老师)([\u4e00-\u9fa5]{1,2})/g;

export function maskPhone(value: string): string {
  return value.replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, mid: string, tail: string) => `${area}-${'*'.repeat(mid.length)}${tail}`);
}

export function maskText(value: string): string {
  const ids = value
    .replace(ID_CARD, (_m, a: string, _b: string, c: string) => `${a}********${c}`)
    .replace(ID_CARD_15, (_m, a: string, _b: string, c: string) => `${a}*****${c}`);
  return maskPhone(ids).replace(LABELLED_NAME, (_m, label: string, surname: string, rest: string) => `${label}${surname}${'*'.repeat(rest.length)}`);
}

const mask = (v: string | undefined) => (v === undefined ? undefined : maskText(v));

/** A copy of the event safe for any screen: phone fields and free text masked. */
export function maskEvent<E extends IngestEvent>(e: E): E {
  const base = { ...e, address: maskText(e.address) };
  switch (base.kind) {
    case 'case':
      return { ...base, description: maskText(base.description), reporterPhone: mask(base.reporterPhone), department: base.department } as E;
    case 'ticket':
      return { ...base, summary: maskText(base.summary), callerPhone: maskPhone(base.callerPhone), reply: mask(base.reply) } as E;
    case 'inspection':
      return { ...base, note: mask(base.note), target: { ...base.target, name: maskText(base.target.name) } } as E;
  }
}
