import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { scopeDim, useScreenStore } from '../../../client/src/stores/screen';

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

  it('climbs the drill-down one level at a time and scopes by the matching rollup dimension', () => {
    const s = useScreenStore();
    s.select({ level: 'grid', id: 'GC01', path: { areaId: 'A1', neighbourhoodId: 'N01', gridId: 'GC01' } });
    expect(s.scope).toBe('grid:GC01');
    s.up();
    expect(s.selection).toMatchObject({ level: 'neighbourhood', id: 'N01' });
    expect(s.scope).toBe('nb:N01');
    s.up();
    expect(s.selection).toMatchObject({ level: 'area', id: 'A1' });
    s.up();
    expect(s.selection.level).toBe('town');
    expect(scopeDim(s.selection)).toBeNull();
  });
});
