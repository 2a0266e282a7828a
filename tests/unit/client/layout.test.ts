import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../../client/src/screen/layout';
import { parseScreenParams } from '../../../client/src/params';

describe('wall layout', () => {
  it('letterboxes the 1920×1080 design into any 16:9-ish screen', () => {
    expect(computeLayout(1920, 1080, 'auto')).toMatchObject({ mode: 'fit', u: 1, left: 0, top: 0, width: 1920, height: 1080 });
    expect(computeLayout(3840, 2160, 'auto')).toMatchObject({ mode: 'fit', u: 2, width: 3840, height: 2160 });
    const small = computeLayout(1366, 768, 'auto');
    expect(small.u).toBeCloseTo(768 / 1080);
    expect(small.width).toBeLessThanOrEqual(1366);
    expect(small.height).toBeLessThanOrEqual(768);
    const tall = computeLayout(1920, 1440, 'auto');
    expect(tall).toMatchObject({ u: 1, top: 180, height: 1080 });
  });

  it('uses the whole of an ultra-wide wall with extra panel columns', () => {
    expect(computeLayout(5760, 1080, 'auto')).toMatchObject({ mode: 'wall', u: 1, width: 5760, height: 1080, sideColumns: 2 });
    expect(computeLayout(2560, 1080, 'stretch')).toMatchObject({ mode: 'stretch', width: 2560, sideColumns: 1 });
    expect(computeLayout(5760, 1080, 'fit')).toMatchObject({ mode: 'fit', width: 1920, left: 1920 });
  });

  it('reads the wall configuration from the URL with safe defaults', () => {
    expect(parseScreenParams('')).toMatchObject({ lang: 'zh', rotateSec: 60, layout: 'auto', staleReloadMin: 10, token: null, basemap: null });
    expect(parseScreenParams('?lang=en&rotate=0&layout=wall&staleReloadMin=3&token=abc&topic=hotline')).toMatchObject({
      lang: 'en', rotateSec: 0, layout: 'wall', staleReloadMin: 3, token: 'abc', topic: 'hotline',
    });
    expect(parseScreenParams('?rotate=banana&layout=diagonal&topic=x')).toMatchObject({ rotateSec: 60, layout: 'auto', topic: null });
  });
});

describe('map update pacing', () => {
  it('redraws twice a second on an idle thread and backs off to 5 s on a saturated one', async () => {
    const { pointIntervalMs } = await import('../../../client/src/screen/loadMeter');
    expect(pointIntervalMs(0)).toBe(500);
    expect(pointIntervalMs(0.1)).toBe(1_500);
    expect(pointIntervalMs(0.9)).toBe(5_000);
  });
});
