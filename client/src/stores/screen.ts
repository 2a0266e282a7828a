// What the wall shows: the topic (rotating unless pinned), the drill-down selection
// town → 片区 → 居民区 → 网格, the heatmap toggle and the requested layout.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { topics, type LayoutRequest, type Topic } from '../params';

export type SelectionLevel = 'town' | 'area' | 'neighbourhood' | 'grid';

/** A drill-down position. `path` holds the ancestors so grids outside a 居民区 still have a trail. */
export interface Selection {
  level: SelectionLevel;
  id: string;
  path: { areaId?: string; neighbourhoodId?: string; gridId?: string };
}

export const TOWN: Selection = { level: 'town', id: 'town', path: {} };

/** The one factory of a drill-down position: the deepest place of a path, with its ancestors. */
export function selectAt(path: Selection['path']): Selection {
  const { areaId, neighbourhoodId, gridId } = path;
  const keep = { ...(areaId ? { areaId } : {}), ...(neighbourhoodId ? { neighbourhoodId } : {}) };
  if (gridId) return { level: 'grid', id: gridId, path: { ...keep, gridId } };
  if (neighbourhoodId) return { level: 'neighbourhood', id: neighbourhoodId, path: keep };
  if (areaId) return { level: 'area', id: areaId, path: { areaId } };
  return TOWN;
}

export const useScreenStore = defineStore('screen', () => {
  const topic = ref<Topic>('overview');
  const pinned = ref(false);
  /** Seconds between topics; 0 = never rotate. */
  const rotateSec = ref(60);
  const selection = ref<Selection>(TOWN);
  const heatmap = ref(false);
  const layout = ref<LayoutRequest>('auto');
  /** The top of the drill-down: the town, or the place a bound screen's token is limited to. */
  const floor = ref<Selection>(TOWN);
  const within = (s: Selection) => floor.value.level === 'town' || s.id === floor.value.id || Object.values(s.path).includes(floor.value.id);

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

  /** Selects a place; one outside a bound screen's place is refused (its figures are not sent). */
  function select(s: Selection) {
    selection.value = within(s) ? s : floor.value;
  }

  /** Limits the drill-down to a place (a screen token bound to it) and shows it. */
  function bind(place: Selection) {
    floor.value = place;
    if (!within(selection.value)) selection.value = place;
  }

  /** One level up the drill-down (not above the bound place). */
  function up() {
    if (selection.value.id === floor.value.id) return;
    const { path, level } = selection.value;
    if (level === 'grid' && path.neighbourhoodId) selection.value = selectAt({ areaId: path.areaId, neighbourhoodId: path.neighbourhoodId });
    else if ((level === 'grid' || level === 'neighbourhood') && path.areaId) selection.value = selectAt({ areaId: path.areaId });
    else selection.value = TOWN;
    if (!within(selection.value)) selection.value = floor.value;
  }

  return { topic, pinned, rotateSec, selection, heatmap, layout, floor, rotate, choose, select, bind, up };
});
export type ScreenStore = ReturnType<typeof useScreenStore>;
