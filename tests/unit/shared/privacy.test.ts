import { describe, expect, it } from 'vitest';
import { parseEvent, type TicketEvent } from '#shared/events';
import { maskEvent, maskPhone, maskText } from '#shared/privacy';
import { makeCase, makeTicket } from '../../support/events';

describe('masking of personal data', () => {
  it.each([
    ['13912345678', '139****5678'],
    ['+8613912345678', '+86139****5678'],
    ['139 1234 5678', '139****5678'],
    ['021-62345678', '021-******78'],
  ])('masks phone %s', (raw, masked) => expect(maskPhone(raw)).toBe(masked));

  it.each([
    ['联系人王先生13912345678', '联系人王先生139****5678'],
    ['身份证310105198001011234请核实', '身份证310105********1234请核实'],
    ['身份证31010519800101123X', '身份证310105********123X'],
    ['来电人：张小明反映噪音', '来电人：张**反映噪音'],
    ['3号楼楼道堆物', '3号楼楼道堆物'],
    ['泉口路109弄', '泉口路109弄'],
  ])('masks free text %s', (raw, masked) => expect(maskText(raw)).toBe(masked));

  it('leaves no raw number in a masked event', () => {
    const parsed = parseEvent(makeTicket({ summary: '市民13800001111反映，身份证310105198001011234', reply: '已联系13800001111' }));
    if (!parsed.ok) throw new Error('fixture invalid');
    const masked = maskEvent(parsed.event) as TicketEvent;
    const json = JSON.stringify(masked);
    expect(json).not.toMatch(/13912345678|13800001111|310105198001011234/);
    expect(masked.callerPhone).toBe('139****5678');
    expect(masked.summary).toBe('市民138****1111反映，身份证310105********1234');
    expect(parsed.event.kind === 'ticket' && parsed.event.callerPhone).toBe('13912345678'); // the input is untouched
  });

  it('masks case reporter phones and descriptions', () => {
    const parsed = parseEvent(makeCase({ reporterPhone: '13712345678', description: '物业电话13712345678' }));
    if (!parsed.ok) throw new Error('fixture invalid');
    const masked = maskEvent(parsed.event);
    expect(JSON.stringify(masked)).not.toContain('13712345678');
  });
});
