// Who this screen is: the token it connected with and the role the server told it (`session`,
// the first message of every connection). Officer-only controls are shown by it; the server
// checks again whatever the screen sends.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role } from '#shared/protocol';

export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(null);
  /** null until the server has said who we are */
  const role = ref<Role | null>(null);
  const name = ref<string | null>(null);
  /** the place the token is bound to (three-level screens); 'town' when unbound */
  const place = ref('town');
  const isOfficer = computed(() => role.value === 'officer');

  function setSession(who: { role: Role; name: string; place?: string }) {
    role.value = who.role;
    name.value = who.name;
    place.value = who.place ?? 'town';
  }

  return { token, role, name, place, isOfficer, setSession };
});
export type SessionStore = ReturnType<typeof useSessionStore>;
