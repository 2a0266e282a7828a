import { describe, expect, it } from 'vitest';
import { buildGeoIndex } from '../../../client/src/stores/geoIndex';
import { matches, NO_FILTERS, normalise, readFilters, writeFilters, type FilterSubject, type Filters } from '#shared/filters';
import { readViewState, writeViewState } from '../../../client/src/stores/urlState';
import { LIVE_RANGE } from '../../../client/src/stores/rangeChoice';
import { TOWN } from '../../../client/src/stores/screen';
import { geoFixture } from './helpers';

const geo = buildGeoIndex(geoFixture);
const NOW = Date.parse('2026-11-21T12:00:00+08:00');
const item = (over: Partial<FilterSubject> = {}): FilterSubject => ({
  kind: 'case', status: 'dispatched', urgent: false, label: 'community', open: true, dueAt: '2026-11-22T09:00:00+08:00', ...over,
});
const f = (over: Partial<Filters>): Filters => ({ ...NO_FILTERS, ...over });

describe('filter predicate', () => {
  it('filters by stream, category, urgency and status', () => {
    expect(matches(NO_FILTERS, item(), NOW)).toBe(true);
    expect(matches(f({ stream: 'ticket' }), item(), NOW)).toBe(false);
    expect(matches(f({ stream: 'case', category: 'community' }), item(), NOW)).toBe(true);
    expect(matches(f({ category: 'safety' }), item(), NOW)).toBe(false);
    expect(matches(f({ urgent: true }), item(), NOW)).toBe(false);
    expect(matches(f({ urgent: true }), item({ urgent: true }), NOW)).toBe(true);
    expect(matches(f({ status: 'dispatched' }), item(), NOW)).toBe(true);
    expect(matches(f({ status: 'closed' }), item(), NOW)).toBe(false);
    expect(matches(f({ status: 'open' }), item(), NOW)).toBe(true);
    expect(matches(f({ status: 'finished' }), item({ open: false, status: 'closed' }), NOW)).toBe(true);
  });

  it('treats overdue as a matter of time', () => {
    const due = item({ dueAt: '2026-11-21T12:30:00+08:00' });
    expect(matches(f({ status: 'overdue' }), due, NOW)).toBe(false);
    expect(matches(f({ status: 'overdue' }), due, NOW + 3_600_000)).toBe(true);
    expect(matches(f({ status: 'overdue' }), { ...due, open: false }, NOW + 3_600_000)).toBe(false);
  });

  it('drops a category or status the chosen stream lacks', () => {
    expect(normalise(f({ stream: 'ticket', category: 'community', status: 'dispatched' }))).toEqual(f({ stream: 'ticket' }));
    expect(normalise(f({ stream: 'ticket', category: '噪音扰民', status: 'contacted' }))).toEqual(f({ stream: 'ticket', category: '噪音扰民', status: 'contacted' }));
    expect(normalise(f({ category: 'sewage', status: 'overdue' }))).toEqual(f({ category: 'sewage', status: 'overdue' }));
  });
});

describe('view state in the URL', () => {
  it('round-trips filters, place and range, leaving other parameters alone', () => {
    const selection = { level: 'neighbourhood' as const, id: 'N07', path: { areaId: geo.areaOfNeighbourhood('N07'), neighbourhoodId: 'N07' } };
    const view = { filters: f({ stream: 'case', category: 'safety', status: 'open', urgent: true }), selection, range: { preset: '7d' as const } };
    const search = writeViewState('?lang=en&rotate=0&token=x', view);
    const q = new URLSearchParams(search);
    expect(q.get('lang')).toBe('en');
    expect(q.get('rotate')).toBe('0');
    expect(q.get('stream')).toBe('case');
    expect(q.get('urgent')).toBe('1');
    expect(q.get('nb')).toBe('N07');
    expect(q.get('range')).toBe('7d');
    expect(readViewState(search, geo)).toEqual(view);
  });

  it('reproduces a wall view from its URL, and ignores nonsense', () => {
    const v = readViewState('?stream=case&urgent=1&area=A2', geo);
    expect(v.filters).toEqual(f({ stream: 'case', urgent: true }));
    expect(v.selection).toEqual({ level: 'area', id: 'A2', path: { areaId: 'A2' } });
    expect(v.range).toEqual(LIVE_RANGE);

    const grid = geo.geo.grids.features.find((g) => g.properties.kind === 'community')!.properties;
    const g = readViewState(`?grid=${grid.id}&from=2026-11-01&to=2026-11-10`, geo);
    expect(g.selection).toEqual({ level: 'grid', id: grid.id, path: { areaId: grid.areaId, neighbourhoodId: grid.neighbourhoodId, gridId: grid.id } });
    expect(g.range).toEqual({ preset: 'custom', from: '2026-11-01', to: '2026-11-10' });
    expect(new URLSearchParams(writeViewState('', g)).get('grid')).toBe(grid.id);

    const bad = readViewState('?stream=parcel&category=x&status=dancing&area=A99&nb=N999&range=1y&from=2026-11-10&to=2026-11-01', geo);
    expect(bad).toEqual({ filters: NO_FILTERS, selection: TOWN, range: LIVE_RANGE });
    expect(writeViewState('?lang=en', bad)).toBe('?lang=en');
  });

  it('writes only what is set', () => {
    const q = new URLSearchParams('stream=case&urgent=1');
    writeFilters(q, NO_FILTERS);
    expect(q.toString()).toBe('');
    expect(readFilters(new URLSearchParams('urgent=true'))).toEqual(f({ urgent: true }));
  });
});
