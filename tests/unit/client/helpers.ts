// Stream events for the client's unit tests, built the way the server builds them: parsed
// ingest events with their compact counter change (shared/src/model/contributions.ts).
import { parseEvent, type IngestEvent, type IngestEventInput } from '#shared/events';
import type { TownGeo } from '#shared/geo';
import { expandDelta, rollupDelta, type GeoLookup } from '#shared/model/contributions';
import type { RollupDelta } from '#shared/model/keys';
import type { SnapshotSync, StreamEvent } from '#shared/protocol';
import { toShanghaiIso } from '#shared/time';
import geoJson from '../../../fixtures/geo/xinjing.json';

export const geoFixture = geoJson as unknown as TownGeo;
const areaOf = new Map(geoFixture.neighbourhoods.features.map((f) => [f.properties.id, f.properties.areaId]));
export const lookup: GeoLookup = { areaOf: (nb: string) => areaOf.get(nb) };

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

  /** An event's change written out at its four places, as the server's snapshot rows are. */
  rows(...events: StreamEvent[]): RollupDelta {
    return events.flatMap((e) => expandDelta(e.delta, e.event, lookup));
  }

  snapshot(over: Partial<SnapshotSync> = {}): SnapshotSync {
    return {
      mode: 'snapshot', seq: this.seq, serverTime: toShanghaiIso(this.nowMs), rollups: [], recent: [], entities: [],
      gauges: { overdue: {} }, ...over,
    };
  }
}
