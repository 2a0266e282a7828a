import { describe, expect, it } from 'vitest';
import { parseEvent, type IngestEventInput, type InspectionEvent, type TicketEvent } from '#shared/events';
import { FIELD_TREATMENTS, maskEvent, maskPhone, maskText } from '#shared/privacy';
import { makeCase, makeInspection, makeTicket } from '../../support/events';
import { leaks, NUMBER_FORMS } from '../../support/personalNumbers';

const parsed = (input: IngestEventInput) => {
  const p = parseEvent(input);
  if (!p.ok) throw new Error(`fixture invalid: ${JSON.stringify(p.errors)}`);
  return p.event;
};

describe('masking of personal data', () => {
  it.each([
    ['13912345678', '139****5678'],
    ['+8613912345678', '+86139****5678'],
    ['139 1234 5678', '139****5678'],
    ['021-62345678', '021-******78'],
    ['02162345678', '021******78'],
    ['051262345678', '0512******78'],
  ])('masks phone %s', (raw, masked) => expect(maskPhone(raw)).toBe(masked));

  // Every form people and source systems write numbers in: hidden digits starred in place, one star each.
  it.each([
    ['mobile', '13912345678', '139****5678'],
    ['mobile, spaces', '139 1234 5678', '139 **** 5678'],
    ['mobile, hyphens', '139-1234-5678', '139-****-5678'],
    ['mobile, dots', '139.1234.5678', '139.****.5678'],
    ['mobile, no-break spaces', '139\u00A01234\u00A05678', '139\u00A0****\u00A05678'],
    ['mobile, thin spaces', '139\u20091234\u20095678', '139\u2009****\u20095678'],
    ['mobile, narrow no-break spaces', '139\u202F1234\u202F5678', '139\u202F****\u202F5678'],
    ['mobile, zero-width spaces', '139\u200B1234\u200B5678', '139\u200B****\u200B5678'],
    ['mobile, en dashes', '139–1234–5678', '139–****–5678'],
    ['mobile, spaced hyphens', '139 - 1234 - 5678', '139 - **** - 5678'],
    ['mobile, +86 and spaces', '+86 139 1234 5678', '+86 139 **** 5678'],
    ['mobile, (+86)', '(+86)139-1234-5678', '(+86)139-****-5678'],
    ['mobile, 0086', '0086-13912345678', '0086-139****5678'],
    ['mobile, 86 without +', '8613912345678', '86139****5678'],
    ['mobile, full-width', '１３９１２３４５６７８', '１３９****５６７８'],
    ['mobile, full-width, ideographic spaces', '１３９　１２３４　５６７８', '１３９　****　５６７８'],
    ['mobile, full-width hyphens', '１３９－１２３４－５６７８', '１３９－****－５６７８'],
    ['mobile, mathematical digits', '𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖', '𝟏𝟑𝟗****𝟓𝟔𝟕𝟖'],
    ['mobile, Arabic-Indic digits', '١٣٩١٢٣٤٥٦٧٨', '١٣٩****٥٦٧٨'],
    ['mobile, read out', '幺三九一二三四五六七八', '幺三九****五六七八'],
    ['mobile, inside text', '电话13912345678请回电', '电话139****5678请回电'],
    ['mobile, after letters', 'Tel13912345678', 'Tel139****5678'],
    ['landline, hyphen', '021-62345678', '021-******78'],
    ['landline, spaces', '021 6234 5678', '021 **** **78'],
    ['landline, parentheses', '(021)62345678', '(021)******78'],
    ['landline, full-width parentheses', '（021）6234-5678', '（021）****-**78'],
    ['landline, +86', '+86 21 6234 5678', '+86 ** **** **78'],
    ['landline, +86 (0)', '+86 (0)21 6234 5678', '+86 (0)21 **** **78'],
    ['landline, 4-digit area code', '0512-6234567', '0512-*****67'],
    ['landline, local', '6234 5678', '**** **78'],
    ['landline, local, 7 digits', '623-4567', '***-**67'],
    ['landline, extension', '021-62345678-801', '021-********-*01'],
    ['ID, ID label', 'ID310105198001011234', 'ID310105********1234'],
    ['ID, ID: label', 'ID:310105198001011234', 'ID:310105********1234'],
    ['ID, 身份证号 label', '身份证号：310105198001011234', '身份证号：310105********1234'],
    ['ID, spaces', '310105 19800101 1234', '310105 ******** 1234'],
    ['ID, check letter X', '31010519800101123X', '310105********123X'],
    ['ID, full-width check letter', '３１０１０５１９８００１０１１２３Ｘ', '３１０１０５********１２３Ｘ'],
    ['ID, full-width', '３１０１０５１９８００１０１１２３４', '３１０１０５********１２３４'],
    ['ID, 15-digit legacy', '310105800101123', '310105******123'],
    ['ID, dots', '身份证310105.19800101.1234', '身份证310105.********.1234'],
    ['two numbers in a row', '13912345678、13812345678', '139****5678、138****5678'],
    ['any long number', '银行卡6222020200112233445', '银行卡*****************45'],
  ])('masks %s', (_name, raw, masked) => expect(maskText(raw)).toBe(masked));

  it.each([
    ['a house number', '泉口路109弄3号楼201室'],
    ['a date', '已于2026-11-21处理'],
    ['a date and time', '预约2026.11.21 09:30上门'],
    ['a span of years', '2025-2026年度'],
    ['an amount', '罚款12345.67元'],
    ['a service number', '请拨打400-820-8820'],
    ['a count', '共3件，已处理2件'],
    ['a time', '09:30-11:00'],
    ['an address', '淞五居民区 馨兰小区 3号楼'],
  ])('leaves %s as it is', (_name, text) => expect(maskText(text)).toBe(text));

  it.each([
    ['联系人王先生13912345678', '联系人王先生139****5678'],
    ['身份证310105198001011234请核实', '身份证310105********1234请核实'],
    ['来电人：张小明反映噪音', '来电人：张**反映噪音'],
    ['投诉人 李四', '投诉人 李*'],
    ['邮箱zhangsan@example.com', '邮箱z*******@example.com'],
    ['3号楼楼道堆物', '3号楼楼道堆物'],
  ])('masks free text %s', (raw, masked) => expect(maskText(raw)).toBe(masked));

  it('covers every form of the shared list (tests/support/personalNumbers.ts)', () => {
    for (const form of NUMBER_FORMS) expect(leaks(maskText(`备注${form.text}。`), form), form.name).toBe(false);
  });

  // The allow-list: derived from the schemas (enums, literals, ISO times, ids); everything else is text.
  it('shows only codes as sent, derived from the schemas', () => {
    const codes = (kind: string) => [...FIELD_TREATMENTS].filter(([k, t]) => k.startsWith(`${kind}:`) && t === 'code').map(([k]) => k.slice(kind.length + 1));
    const common = ['kind', 'id', 'occurredAt', 'location.gridId', 'location.neighbourhoodId', 'location.compoundId', 'status'];
    expect(codes('case')).toEqual([...common, 'source', 'category', 'reportedAt', 'deadline', 'handledAt', 'closedAt', 'resolvedLevel']);
    expect(codes('ticket')).toEqual([...common, 'ticketType', 'topic', 'receivedAt', 'dueAt', 'firstContactDueAt', 'firstContactAt', 'repliedAt', 'closedAt', 'satisfaction', 'repeatOf']);
    expect(codes('inspection')).toEqual([...common, 'campaign', 'target.type', 'items[].result', 'outcome', 'inspectedAt', 'rectifyDeadline', 'rectifiedAt']);
    expect([...FIELD_TREATMENTS].filter(([, t]) => t === 'phone').map(([k]) => k)).toEqual(['case:reporterPhone', 'ticket:callerPhone']);
  });

  it('leaves no raw number in a masked event', () => {
    const event = parsed(makeTicket({ summary: '市民13800001111反映，身份证310105198001011234', reply: '已联系13800001111' }));
    const masked = maskEvent(event) as TicketEvent;
    const json = JSON.stringify(masked);
    expect(json).not.toMatch(/13912345678|13800001111|310105198001011234/);
    expect(masked.callerPhone).toBe('139****5678');
    expect(masked.summary).toBe('市民138****1111反映，身份证310105********1234');
    expect(event.kind === 'ticket' && event.callerPhone).toBe('13912345678'); // the input is untouched
  });

  it('masks case reporter phones, descriptions and departments', () => {
    const masked = maskEvent(parsed(makeCase({ reporterPhone: '13712345678', description: '物业电话13712345678', department: '城管中队 021 6234 5678' })));
    expect(JSON.stringify(masked)).not.toContain('13712345678');
    expect(masked).toMatchObject({ reporterPhone: '137****5678', description: '物业电话137****5678', department: '城管中队 021 **** **78' });
  });

  it('masks inspectors, item names and targets, and keeps every code of the event', () => {
    const event = parsed(makeInspection({
      inspector: 'ID310105198001011234', target: { type: 'enterprise', name: '某餐饮店（０２１）６２３４５６７８' },
      items: [{ name: '负责人139 1234 5678', result: 'fail' }, { name: '排水许可证', result: 'pass' }], note: '联系人：王小明',
    }));
    const masked = maskEvent(event) as InspectionEvent;
    expect(masked).toMatchObject({
      inspector: 'ID310105********1234', target: { type: 'enterprise', name: '某餐饮店（０２１）******７８' },
      items: [{ name: '负责人139 **** 5678', result: 'fail' }, { name: '排水许可证', result: 'pass' }], note: '联系人：王**',
    });
    const { inspector: _a, target: _b, items: _c, note: _d, ...codes } = event as InspectionEvent;
    expect(masked).toMatchObject(codes);
  });
});
