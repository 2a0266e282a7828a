// Stream events for the client's unit tests, built the way the server builds them: parsed
// ingest events with their rollup delta (shared/src/kpi/contributions.ts).
import { parseEvent, type IngestEvent, type IngestEventInput } from '../../../shared/src/events';
import type { TownGeo } from '../../../shared/src/geo';
import { rollupDelta } from '../../../shared/src/kpi/contributions';
import type { SnapshotSync, StreamEvent } from '../../../shared/src/protocol';
import { toShanghaiIso } from '../../../shared/src/time';
import geoJson from '../../../fixtures/geo/xinjing.json';

export const geoFixture = geoJson as unknown as TownGeo;
const areaOf = new Map(geoFixture.neighbourhoods.features.map((f) => [f.properties.id, f.properties.areaId]));
export const lookup = { areaOf: (nb: string) => areaOf.get(nb) };

export function parsed(input: IngestEventInput): IngestEvent {
  const r = parseEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
}

/** A stream of events with gapless seqs and exact deltas, tracking each entity's last state. */
export class StreamBuilder {
  seq = 0;
  private readonly last = new Map<string, IngestEvent>();
  constructor(readonly nowMs: number) {}

  next(input: IngestEventInput): StreamEvent {
    const event = parsed(input);
    const key = `${event.kind}:${event.id}`;
    const delta = rollupDelta(this.last.get(key), event, lookup);
    this.last.set(key, event);
    return { seq: ++this.seq, storedAt: toShanghaiIso(this.nowMs), event, delta };
  }

  snapshot(over: Partial<SnapshotSync> = {}): SnapshotSync {
    return {
      mode: 'snapshot', seq: this.seq, serverTime: toShanghaiIso(this.nowMs), rollups: [], recent: [], entities: [],
      gauges: { overdue: { case: 0, ticket: 0, inspection: 0 }, overdueByArea: {} }, ...over,
    };
  }
}
