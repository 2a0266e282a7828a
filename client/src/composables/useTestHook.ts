// Registers window.__onescreen for tests and the benchmark (read-only figures, no secrets).
import { onBeforeUnmount, type ComputedRef } from 'vue';
import type { Layout } from '../screen/layout';
import { useAlarmStore } from '../stores/alarms';
import { useDashboardStore } from '../stores/dashboard';
import { useGeoStore } from '../stores/geo';
import { useRangeStore } from '../stores/range';
import { useReplayStore } from '../stores/replay';
import { useScreenStore } from '../stores/screen';
import { useStreamStore } from '../stores/stream';
import { setHook } from './testHook';

export function useTestHook(layout: ComputedRef<Layout>) {
  const stream = useStreamStore();
  const screen = useScreenStore();
  const geo = useGeoStore();
  const replay = useReplayStore();
  const alarms = useAlarmStore();
  const range = useRangeStore();
  const dash = useDashboardStore();
  const pick = (list: ReadonlyArray<{ id: string; value: number | null }>) => list.map(({ id, value }) => ({ id, value }));
  setHook({
    state: () => ({
      appliedSeq: stream.appliedSeq(),
      firstSyncAt: stream.firstSyncAt(),
      eventsApplied: stream.eventsApplied,
      status: stream.status,
      stale: stream.stale,
      entities: stream.data.entities.size,
      feed: stream.data.feed.length,
      topic: screen.topic,
      selection: { ...screen.selection },
      layout: { ...layout.value },
      replay: {
        active: replay.active, clock: replay.clock, applied: replay.player?.applied ?? 0, loaded: replay.loaded, playing: replay.playing,
      },
      alarms: alarms.open.length,
      range: range.choice.preset,
    }),
    panels: () => {
      const v = dash.view;
      if (!v) return null;
      const r = dash.ranking;
      return {
        mode: v.mode,
        place: v.place,
        kpis: pick(dash.kpis),
        funnel: dash.funnelData.stages.map(({ id, value }) => ({ id, value })),
        ranking: r && { level: r.level, metric: r.metric, items: r.items.map(({ id, value }) => ({ id, value })) },
        rates: [...pick(dash.hotlineQuality).map((x) => ({ ...x, id: `hotline.${x.id}` })), ...pick(dash.inspectionQuality).map((x) => ({ ...x, id: `inspection.${x.id}` }))],
      };
    },
    centre: (id) => geo.index?.centre(id),
  });
  onBeforeUnmount(() => {
    delete window.__onescreen;
  });
}
