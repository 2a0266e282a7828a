// The event detail: which entity is open, its read from the server (current state and every stored
// version), and where the map should fly. Opened from the feed, a map point, an alarm or a search
// result; a newer version arriving on the stream reloads it.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { StreamKind } from '#shared/vocab';
import { apiGet, errorText, isAbort, type EntityDetail } from '../api';
import { useSessionStore } from './session';
import type { EntityChanges } from './streamData';
import { entityKey } from './streamData';

/** Width of the event detail over the right of the map, in design px (EventDetail.vue): the map keeps the place clear of it. */
export const DETAIL_WIDTH = 440;

export interface Focus {
  key: string;
  lng: number;
  lat: number;
}

export const useDetailStore = defineStore('detail', () => {
  const session = useSessionStore();
  const target = ref<{ kind: StreamKind; id: string } | null>(null);
  const data = shallowRef<EntityDetail | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  /** where the map flies and what it highlights */
  const focus = shallowRef<Focus | null>(null);
  let request: AbortController | undefined;

  async function load() {
    const tgt = target.value;
    if (!tgt) return;
    request?.abort();
    const ctl = (request = new AbortController());
    status.value = data.value ? status.value : 'loading';
    try {
      const d = await apiGet<EntityDetail>(session.token, `/api/v1/entities/${tgt.kind}/${encodeURIComponent(tgt.id)}`, ctl.signal);
      if (ctl.signal.aborted) return;
      data.value = d;
      status.value = 'ready';
      error.value = null;
      const { lng, lat } = d.entity.location;
      const key = entityKey(tgt.kind, tgt.id);
      if (focus.value?.key !== key || focus.value.lng !== lng || focus.value.lat !== lat) focus.value = { key, lng, lat };
    } catch (err) {
      if (isAbort(err)) return;
      status.value = 'error';
      error.value = errorText(err);
    }
  }

  /** Opens an entity; `at` lets the map fly at once, before the read answers. */
  function open(kind: StreamKind, id: string, at?: { lng: number; lat: number }) {
    target.value = { kind, id };
    data.value = null;
    error.value = null;
    status.value = 'loading';
    if (at) focus.value = { key: entityKey(kind, id), lng: at.lng, lat: at.lat };
    void load();
  }

  function close() {
    request?.abort();
    target.value = null;
    data.value = null;
    focus.value = null;
    status.value = 'idle';
    error.value = null;
  }

  /** A stream change: reload when the open entity got a newer version. */
  function noteChanges(changes: EntityChanges) {
    const tgt = target.value;
    if (!tgt || !data.value) return;
    const key = entityKey(tgt.kind, tgt.id);
    if (changes.changed.some((s) => entityKey(s.kind, s.id) === key && s.version > data.value!.entity.version)) void load();
  }

  return { target, data, status, error, focus, open, close, load, noteChanges };
});
