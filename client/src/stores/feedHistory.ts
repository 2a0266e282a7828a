// The feed's memory beyond the screen's own buffer: when the topic, place or filters change, the
// latest matching events are asked of the server (the live buffer holds the town's last 200, which
// may hold none of a quiet 居民区). Newer events keep arriving through the stream.
import { defineStore } from 'pinia';
import { shallowRef, watch } from 'vue';
import { writeFilters } from '#shared/filters';
import type { FeedPage } from '#shared/http';
import { apiGet, isAbort } from '../api';
import { useFilterStore } from './filters';
import { placeQuery } from './range';
import { useScreenStore } from './screen';
import { useSessionStore } from './session';
import { toFeedItem, type FeedItem } from './streamData';
import { topicStreams } from './figureViews';

/** As many as the feed panel shows. */
export const FEED_HISTORY = 16;

export const useFeedHistoryStore = defineStore('feedHistory', () => {
  const session = useSessionStore();
  const screen = useScreenStore();
  const filters = useFilterStore();
  /** the server's latest matching events for the current view, newest first */
  const items = shallowRef<FeedItem[]>([]);
  let request: AbortController | undefined;

  const query = () => {
    const q = new URLSearchParams({ kinds: topicStreams[screen.topic].join(','), limit: String(FEED_HISTORY) });
    writeFilters(q, filters.filters);
    return `${q.toString()}${placeQuery(screen.selection.id)}`;
  };

  async function load(q: string) {
    request?.abort();
    const ctl = (request = new AbortController());
    try {
      const page = await apiGet<FeedPage>(session.token, `/api/v1/feed?${q}`, ctl.signal);
      if (!ctl.signal.aborted) items.value = page.events.map(toFeedItem);
    } catch (err) {
      if (!isAbort(err)) items.value = []; // the live buffer still shows what it has
    }
  }

  /** Follows the view; returns the stopper. */
  function follow(): () => void {
    return watch(query, (q) => {
      items.value = [];
      void load(q);
    }, { immediate: true });
  }

  return { items, follow, load };
});
