// Events placed inside the demo town's real polygons, timed now, for the screen's e2e tests and
// its benchmark. Posted through the real ingest API with the demo key.
import type { IngestEventInput } from '#shared/events';
import type { TownGeo } from '#shared/geo';
import { ringCentre } from '#shared/geometry';
import { makeCase, makeInspection, makeTicket } from '../support/events';

export interface Place {
  nb: string;
  areaId: string;
  grid: string;
  lng: number;
  lat: number;
}

export function placesOf(geo: TownGeo): Place[] {
  const grid = new Map(geo.grids.features.filter((g) => g.properties.kind === 'community').map((g) => [g.properties.neighbourhoodId, g.properties.id]));
  return geo.neighbourhoods.features.map((f) => {
    const [lng, lat] = ringCentre(f.geometry.coordinates[0]!);
    return { nb: f.properties.id, areaId: f.properties.areaId, grid: grid.get(f.properties.id)!, lng, lat };
  });
}

let serial = 0;
const jitter = () => (Math.random() - 0.5) * 0.001;

/** A new case (or ticket/inspection) at a place, reported `agoMs` before now. */
export function eventAt(place: Place, kind: 'case' | 'ticket' | 'inspection' = 'case', agoMs = 60_000, over: Record<string, unknown> = {}): IngestEventInput {
  const t = Date.now() - agoMs;
  const location = { lng: place.lng + jitter(), lat: place.lat + jitter(), gridId: place.grid, neighbourhoodId: place.nb };
  const id = `E2E-${process.pid}-${++serial}`;
  const base = { id, location, address: `测试地址 ${serial} 号`, ...over };
  if (kind === 'ticket') return makeTicket(base, t);
  if (kind === 'inspection') return makeInspection(base, t);
  return makeCase(base, t);
}

export async function post(url: string, events: IngestEventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1_000) {
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
      body: JSON.stringify(events.slice(i, i + 1_000)),
    });
    if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { results: Array<{ status: string; errors?: unknown }> };
    const bad = body.results.find((r) => r.status !== 'stored' && r.status !== 'duplicate');
    if (bad) throw new Error(`ingest refused an event: ${JSON.stringify(bad)}`);
  }
}

export async function fetchGeo(url: string): Promise<TownGeo> {
  return (await (await fetch(`${url}/api/v1/geo`)).json()) as TownGeo;
}
