// The screen's authenticated HTTP reads (officers and briefings): the same token as the socket,
// sent as a bearer header. Errors become an ApiError carrying the server's stable code and message,
// for the panels to show; nothing here throws anything else.
import type { EntityDetail, EntityRow, ReplayPage, StoredVersion } from '#shared/http';
import type { RangeReport } from '#shared/range';

export type { EntityDetail, EntityRow, RangeReport, ReplayPage, StoredVersion };

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function apiGet<T>(token: string | null, path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store', signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', (err as Error).message);
  }
  const body = (await res.json().catch(() => null)) as { error?: string; message?: string; path?: string } | null;
  if (!res.ok) {
    const where = body?.path ? ` (${body.path})` : '';
    throw new ApiError(res.status, body?.error ?? 'http_error', `${body?.message ?? `HTTP ${res.status}`}${where}`);
  }
  return body as T;
}

export const isAbort = (err: unknown): boolean => (err as Error | null)?.name === 'AbortError';

/** What a panel shows for a failed read. */
export const errorText = (err: unknown): string => (err instanceof ApiError ? `${err.code}: ${err.message}` : String((err as Error)?.message ?? err));
