import { describe, expect, it } from 'vitest';
import type { StoredVersion } from '../../../client/src/api';
import { buildGeoIndex } from '../../../client/src/stores/geoIndex';
import { detailFields, dueInfo, durationText, placeText, timelineRows } from '../../../client/src/stores/detailView';
import { makeCase, makeTicket, next } from '../../support/events';
import { geoFixture, parsed } from './helpers';

const geo = buildGeoIndex(geoFixture);
const T0 = Date.parse('2026-11-21T09:00:00+08:00');
const H = 3_600_000;
const version = (seq: number, input: Parameters<typeof parsed>[0]): StoredVersion => ({ seq, storedAt: '2026-11-21T09:00:00+08:00', event: parsed(input) });

describe('event detail view', () => {
  it('says how long is left, or how long it is overdue', () => {
    expect(durationText(12 * 60_000, 'zh')).toBe('12 分钟');
    expect(durationText(3 * H + 20 * 60_000, 'zh')).toBe('3 小时 20 分');
    expect(durationText(5 * H, 'zh')).toBe('5 小时');
    expect(durationText(50 * H, 'en')).toBe('2 d 2 h');
    const due = new Date(T0 + 5 * H).toISOString();
    expect(dueInfo(due, true, T0, 'zh')).toEqual({ text: '剩余 5 小时', overdue: false });
    expect(dueInfo(due, true, T0 + 8 * H + 30 * 60_000, 'zh')).toEqual({ text: '超期 3 小时 30 分', overdue: true });
    expect(dueInfo(due, false, T0 + 8 * H, 'zh')).toEqual({ text: '已办结', overdue: false });
    expect(dueInfo(undefined, true, T0, 'zh')).toBeNull();
  });

  it('one timeline row per stored version, in version order, with what changed', () => {
    const c = makeCase({ id: 'CS-1', source: 'smart' }, T0);
    const rows = timelineRows([
      version(9, next(c, 3, T0 + 2 * H, { status: 'closed', closedAt: new Date(T0 + 2 * H).toISOString(), resolvedLevel: 'grid' })),
      version(1, c),
      version(4, next(c, 2, T0 + 600_000, { status: 'dispatched', department: '城管中队' })),
    ], 'zh');
    expect(rows.map((r) => [r.version, r.status, r.time])).toEqual([[1, '发现', '11-21 09:00'], [2, '派单', '11-21 09:10'], [3, '结案', '11-21 11:00']]);
    expect(rows[0]!.changes).toEqual(['来源：智能发现']);
    expect(rows[1]!.changes).toEqual(['处置部门：城管中队']);
    expect(rows[2]!.changes).toEqual(['处置层级：网格内解决']);

    const tk = makeTicket({ id: 'RX-1' }, T0);
    const trows = timelineRows([version(1, tk), version(2, next(tk, 2, T0 + H, { status: 'contacted', firstContactAt: new Date(T0 + H).toISOString() }))], 'zh');
    expect(trows.map((r) => r.status)).toEqual(['受理', '先行联系']);
    expect(trows[1]!.changes).toEqual(['先行联系：11-21 10:00']);
    expect(timelineRows([version(1, tk)], 'en')[0]!.changes).toEqual(['Category: Complaint']);
  });

  it('the facts, with place names from the geography and personal data as masked by the server', () => {
    const e = parsed(makeCase({ id: 'CS-2', reporterPhone: '13912345678', department: '城管中队' }, T0));
    const masked = { ...e, reporterPhone: '139****5678' };
    const place = placeText(masked, (id) => geo.name(id), (nb) => geo.areaOfNeighbourhood(nb));
    expect(place).toBe(`${geo.name('A1')} · 淞五 · ${geo.name('GC01')} · ${geo.name('C001')}`);
    const fields = new Map(detailFields(masked, place, 'zh').map((f) => [f.key, f]));
    expect(fields.get('category')).toMatchObject({ label: '类别', value: '小区管理 · 楼道堆物' });
    expect(fields.get('phone')!.value).toBe('139****5678');
    expect(fields.get('department')!.value).toBe('城管中队');
    expect(fields.get('deadline')!.value).toBe('11-22 09:00');
    expect(fields.has('closedAt')).toBe(false);
  });
});
