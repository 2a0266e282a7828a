import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { TOWN, useScreenStore } from '../../../client/src/stores/screen';

describe('screen store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('rotates through the topics in order and wraps', () => {
    const s = useScreenStore();
    const seen = [s.topic];
    for (let i = 0; i < 4; i++) {
      expect(s.rotate()).toBe(true);
      seen.push(s.topic);
    }
    expect(seen).toEqual(['overview', 'cases', 'hotline', 'inspections', 'overview']);
  });

  it('skips rotation while a topic is pinned, and resumes when the pin is released', () => {
    const s = useScreenStore();
    s.choose('hotline');
    expect(s.pinned).toBe(true);
    expect(s.rotate()).toBe(false);
    expect(s.topic).toBe('hotline');
    s.choose('hotline'); // click on the pinned tab releases it
    expect(s.pinned).toBe(false);
    expect(s.rotate()).toBe(true);
    expect(s.topic).toBe('inspections');
  });

  it('does not rotate when rotation is off', () => {
    const s = useScreenStore();
    s.rotateSec = 0;
    expect(s.rotate()).toBe(false);
    expect(s.topic).toBe('overview');
  });

  it('climbs the drill-down one level at a time', () => {
    const s = useScreenStore();
    s.select({ level: 'grid', id: 'GC01', path: { areaId: 'A1', neighbourhoodId: 'N01', gridId: 'GC01' } });
    expect(s.selection.id).toBe('GC01');
    s.up();
    expect(s.selection).toEqual({ level: 'neighbourhood', id: 'N01', path: { areaId: 'A1', neighbourhoodId: 'N01' } });
    s.up();
    expect(s.selection).toEqual({ level: 'area', id: 'A1', path: { areaId: 'A1' } });
    s.up();
    expect(s.selection).toEqual(TOWN);
  });

  it('keeps a screen bound to a place within it: no climbing above it, no selecting outside it', () => {
    const s = useScreenStore();
    const a1 = { level: 'area' as const, id: 'A1', path: { areaId: 'A1' } };
    s.bind(a1);
    expect(s.selection).toEqual(a1);
    s.select({ level: 'neighbourhood', id: 'N01', path: { areaId: 'A1', neighbourhoodId: 'N01' } });
    expect(s.selection.id).toBe('N01');
    s.up();
    expect(s.selection).toEqual(a1);
    s.up();
    expect(s.selection).toEqual(a1); // not above the bound place
    s.select({ level: 'area', id: 'A2', path: { areaId: 'A2' } });
    expect(s.selection).toEqual(a1); // another 片区's figures are not sent to this screen
    s.select(TOWN);
    expect(s.selection).toEqual(a1);
  });
});
