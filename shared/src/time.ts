// Asia/Shanghai calendar arithmetic. China has no DST, so local hours align with UTC hours (offset +8 h).
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** Hours since the epoch: the rollup bucket of an instant. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS);
export const hourOfIso = (iso: string): number => hourOf(Date.parse(iso));

/** Start (epoch ms) of the Shanghai calendar day containing `ms`. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** ISO-8601 with +08:00, e.g. 2026-11-21T09:30:00+08:00 (what the simulator writes and screens show). */
export function toShanghaiIso(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${d.slice(0, 19)}+08:00`;
}

/** yyyy-mm-dd of the Shanghai day containing `ms`. */
export const shanghaiDate = (ms: number): string => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);


/** Epoch ms of 00:00 Shanghai on a yyyy-mm-dd date. */
export const shanghaiMidnight = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);
