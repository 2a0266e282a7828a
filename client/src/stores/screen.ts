// What the wall shows: the topic (rotating unless pinned), the drill-down selection
// town → 片区 → 居民区 → 网格, the heatmap toggle and the requested layout.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { topics, type LayoutRequest, type Topic } from '../params';

export type SelectionLevel = 'town' | 'area' | 'neighbourhood' | 'grid';

/** A drill-down position. `path` holds the ancestors so grids outside a 居民区 still have a trail. */
export interface Selection {
  level: SelectionLevel;
  id: string;
  path: { areaId?: string; neighbourhoodId?: string; gridId?: string };
}

export const TOWN: Selection = { level: 'town', id: 'town', path: {} };

/** The rollup dimension a selection scopes by (`area:A1`, `nb:N07`, `grid:GC07`); null for the town. */
export function scopeDim(s: Selection): string | null {
  if (s.level === 'area') return `area:${s.id}`;
  if (s.level === 'neighbourhood') return `nb:${s.id}`;
  if (s.level === 'grid') return `grid:${s.id}`;
  return null;
}

export const useScreenStore = defineStore('screen', () => {
  const topic = ref<Topic>('overview');
  const pinned = ref(false);
  /** Seconds between topics; 0 = never rotate. */
  const rotateSec = ref(60);
  const selection = ref<Selection>(TOWN);
  const heatmap = ref(false);
  const layout = ref<LayoutRequest>('auto');

  /** Advances to the next topic unless the topic is pinned or rotation is off. Returns whether it moved. */
  function rotate(): boolean {
    if (pinned.value || rotateSec.value <= 0) return false;
    topic.value = topics[(topics.indexOf(topic.value) + 1) % topics.length]!;
    return true;
  }

  /** A click on a topic pins it; a click on the pinned topic releases the pin (rotation resumes). */
  function choose(t: Topic) {
    if (t === topic.value && pinned.value) pinned.value = false;
    else {
      topic.value = t;
      pinned.value = true;
    }
  }

  function select(s: Selection) {
    selection.value = s;
  }

  /** One level up the drill-down. */
  function up() {
    const { path, level } = selection.value;
    if (level === 'grid' && path.neighbourhoodId)
      selection.value = { level: 'neighbourhood', id: path.neighbourhoodId, path: { areaId: path.areaId, neighbourhoodId: path.neighbourhoodId } };
    else if ((level === 'grid' || level === 'neighbourhood') && path.areaId)
      selection.value = { level: 'area', id: path.areaId, path: { areaId: path.areaId } };
    else selection.value = TOWN;
  }

  const scope = computed(() => scopeDim(selection.value));

  return { topic, pinned, rotateSec, selection, heatmap, layout, scope, rotate, choose, select, up };
});
export type ScreenStore = ReturnType<typeof useScreenStore>;
