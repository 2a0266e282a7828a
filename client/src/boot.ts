// Start-up: the token (from ?token=, kept in sessionStorage and removed from the address bar,
// or the server's demo token) and the screen's configuration and geography.
import type { TownGeo } from '#shared/geo';
import type { ScreenConfig } from '#shared/protocol';

const TOKEN_KEY = 'onescreen.token';

/** Screen config as served; `basemap` is an optional site setting (see README of the client). */
export type ClientScreenConfig = ScreenConfig & { basemap?: string | null };

/** Reads ?token= once: stores it for this tab (reloads keep it) and strips it from the URL. */
export function takeToken(urlToken: string | null, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined, loc: Location, history: History): string | null {
  if (urlToken) {
    try {
      storage?.setItem(TOKEN_KEY, urlToken);
    } catch {
      // storage disabled (kiosk profile): the token still works for this page
    }
    const url = new URL(loc.href);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return urlToken;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function loadScreen(): Promise<{ config: ClientScreenConfig; geo: TownGeo }> {
  const [config, geo] = await Promise.all([getJson<ClientScreenConfig>('/api/v1/screen-config'), getJson<TownGeo>('/api/v1/geo')]);
  return { config, geo };
}
