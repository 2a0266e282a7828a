// Which entities the map draws as points, kept current: the live stream's, or the replayed day's in
// replay mode, filtered by the filters and the place; a click on a point opens the event detail.
// Subscriptions and watches end with the component that uses it.
import { onBeforeUnmount, watch, type ShallowRef } from 'vue';
import type { EntitySummary } from '#shared/protocol';
import type { StreamKind } from '#shared/vocab';
import { useDetailStore } from '../stores/detail';
import { matches } from '#shared/filters';
import { useFilterStore } from '../stores/filters';
import { useGeoStore } from '../stores/geo';
import { useReplayStore } from '../stores/replay';
import { useScreenStore } from '../stores/screen';
import { useStreamStore } from '../stores/stream';
import { entityKey, type EntityChanges } from '../stores/streamData';
import { pointFeature } from './points';
import type { TownMap } from './townMap';

export function useMapPoints(townMap: ShallowRef<TownMap | null>) {
  const stream = useStreamStore();
  const screen = useScreenStore();
  const geo = useGeoStore();
  const filters = useFilterStore();
  const replay = useReplayStore();
  const detail = useDetailStore();

  const entities = (): ReadonlyMap<string, EntitySummary> => (replay.active ? (replay.player?.entities ?? new Map()) : stream.data.entities);
  const nowMs = () => (replay.active ? replay.clock : stream.serverNow());
  const visible = (s: EntitySummary, now: number) =>
    matches(filters.filters, s, now) && (!geo.index || geo.index.contains(screen.selection, s.neighbourhoodId, s.gridId));

  /** All points anew, from the source the map shows; `asap` when the user changed what is shown. */
  function resetPoints(asap = true) {
    const m = townMap.value;
    if (!m) return;
    const now = nowMs();
    m.points.reset([...entities().values()].filter((s) => visible(s, now)).map((s) => pointFeature(s, now)), asap);
    m.pulse.clear();
  }

  function applyChanges(changes: EntityChanges, fromReplay: boolean) {
    const m = townMap.value;
    if (!m || fromReplay !== replay.active) return;
    if (changes.reset) return resetPoints(fromReplay);
    const now = nowMs();
    const shown = changes.changed.filter((s) => visible(s, now));
    const hidden = changes.changed.filter((s) => !visible(s, now)).map((s) => entityKey(s.kind, s.id));
    m.upsertPoints(shown.map((s) => pointFeature(s, now)), true);
    if (changes.removed.length || hidden.length) m.points.remove([...changes.removed, ...hidden]);
  }

  /** Overdue is a matter of time, not of events: the red points (or the overdue filter) re-checked. */
  function refreshOverdue() {
    if (filters.filters.status === 'overdue') resetPoints(false);
    else townMap.value?.points.refreshAlarms(entities(), nowMs());
  }

  function openPoint(key: string) {
    const i = key.indexOf(':');
    const f = townMap.value?.points.features.get(key);
    const [lng, lat] = (f?.geometry.coordinates ?? []) as number[];
    detail.open(key.slice(0, i) as StreamKind, key.slice(i + 1), lng !== undefined && lat !== undefined ? { lng, lat } : undefined);
  }

  const offs = [
    stream.onEntities((c) => applyChanges(c, false)),
    replay.onEntities((c) => applyChanges(c, true)),
    watch(() => [filters.filters, screen.selection, replay.active, replay.date], () => resetPoints()),
  ];
  onBeforeUnmount(() => {
    for (const off of offs) off();
  });

  return { resetPoints, refreshOverdue, openPoint };
}
