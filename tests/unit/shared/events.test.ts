import { describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events';
import { makeCase, makeInspection, makeTicket } from '../../support/events';

describe('ingest schemas', () => {
  it.each([
    ['case', makeCase()],
    ['ticket', makeTicket()],
    ['inspection', makeInspection()],
  ])('accepts a valid %s and applies defaults', (_kind, input) => {
    const r = parseEvent(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.event.urgent).toBe(false);
  });

  const rejected: Array<[string, unknown, string, RegExp]> = [
    ['unknown kind', { ...makeCase(), kind: 'parcel' }, 'kind', /./],
    ['version 0', makeCase({ version: 0 }), 'version', /./],
    ['fractional version', makeCase({ version: 1.5 }), 'version', /int/i],
    ['time without offset', makeCase({ occurredAt: '2026-11-21T09:00:00' }), 'occurredAt', /offset/],
    ['time that is not a date', makeCase({ reportedAt: 'yesterday' }), 'reportedAt', /ISO-8601/],
    ['latitude out of range', makeCase({ location: { lng: 121.3, lat: 95, gridId: 'GC01', neighbourhoodId: 'N01' } }), 'location.lat', /./],
    ['bad grid id', makeCase({ location: { lng: 121.3, lat: 31.2, gridId: 'grid-1', neighbourhoodId: 'N01' } }), 'location.gridId', /grid id/],
    ['unknown category', makeCase({ category: 'weather' }), 'category', /./],
    ['subcategory of another category', makeCase({ subcategory: '道路积水' }), 'subcategory', /not a subcategory/],
    ['closed without closedAt', makeCase({ status: 'closed' }), 'closedAt', /required/],
    ['deadline before report', makeCase({ deadline: '2026-11-20T09:00:00+08:00' }), 'deadline', /before/],
    ['description too long', makeCase({ description: 'x'.repeat(501) }), 'description', /500/],
    ['empty address', makeCase({ address: '   ' }), 'address', /./],
    ['id with spaces', makeCase({ id: 'a b' }), 'id', /letters/],
    ['bad phone', makeTicket({ callerPhone: '12345' }), 'callerPhone', /phone/],
    ['unknown topic', makeTicket({ topic: '天气' }), 'topic', /./],
    ['unknown satisfaction', makeTicket({ satisfaction: 'ok' }), 'satisfaction', /./],
    ['rectify without deadline', makeInspection({ rectifyDeadline: undefined }), 'rectifyDeadline', /required/],
    ['no checklist items', makeInspection({ items: [] }), 'items', /./],
    ['too many checklist items', makeInspection({ items: Array.from({ length: 21 }, () => ({ name: '项', result: 'pass' })) }), 'items', /./],
  ];
  it.each(rejected)('rejects %s naming the field', (_what, input, path, message) => {
    const r = parseEvent(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('rejects non-objects at the root', () => {
    const r = parseEvent('hello');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('(root)');
  });
});
