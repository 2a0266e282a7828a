// Everything this project produces as events passes ingest's geography check: the simulator's plan
// (the points server/src/sim/location.ts picks) and the example events in fixtures/events/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiMidnight } from '#shared/time';
import { loadTown } from '../../../server/src/geo/town';
import { validateItem } from '../../../server/src/ingest/validate';
import { eventsBetween } from '../../../server/src/sim/plan';

const town = loadTown();

/** Every rejection, as "id v: path message", so a failure shows what and where. */
function rejections(events: readonly unknown[], nowMs: number): string[] {
  const out: string[] = [];
  for (const e of events) {
    const r = validateItem(e, town, nowMs);
    if (!r.ok) {
      const { id, version } = e as { id: string; version: number };
      out.push(...r.errors.map((x) => `${id} v${version}: ${x.path} ${x.message}`));
    }
  }
  return out;
}

describe('event producers pass the geography check', () => {
  it.each([
    [1, 1],
    [7, 3],
  ])('the simulator (seed %i, scale %i): three days of the plan, no rejection', (seed, scale) => {
    const from = shanghaiMidnight('2026-11-20');
    const to = from + 3 * DAY_MS;
    const events = eventsBetween(town, { seed, scale }, from, to);
    expect(events.length).toBeGreaterThan(1000 * scale);
    // Street spots do occur (so the street-grid pairing is exercised), and only in their own 片区.
    expect(events.some((e) => town.gridInfo(e.location.gridId)?.kind === 'street')).toBe(true);
    expect(rejections(events, to)).toEqual([]);
  });

  it.each(['cases', 'tickets', 'inspections'])('fixtures/events/%s.ndjson: no rejection', (name) => {
    const file = new URL(`../../../fixtures/events/${name}.ndjson`, import.meta.url);
    const events = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(events.length).toBeGreaterThan(0);
    expect(rejections(events, Date.parse('2030-01-01T00:00:00Z'))).toEqual([]);
  });
});
