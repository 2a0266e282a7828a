// An Open311 requests.json dump (the array GET requests.json answers, as another system exports it):
// each service request becomes a case or 12345 ticket by the mapping of the server's own Open311 API
// (server/src/open311/fromRequest.ts, docs/open311.md). Its lat/long are placed in the town's
// geography, read once from the server (GET /api/v1/geo). A request that cannot become an event is
// a record error with the reason; the rest is validated by the server like any item.
import { townGeoSchema } from '#shared/geo';
import { indexTown, type Town } from '../../../server/src/geo/town';
import { eventFromRequest } from '../../../server/src/open311/fromRequest';
import { MAX_ITEM_BYTES } from '../limits';
import type { Reader, ReadContext } from './index';
import { jsonValues } from './jsonValues';

/** A JSON array whose first object names a service request or service code: what no event has. */
const DUMP_HEAD = /^[\s\uFEFF]*\[\s*\{[^{}]*"(service_request_id|service_code|requested_datetime)"\s*:/;

async function townOf(url: string): Promise<Town | string> {
  const endpoint = new URL('/api/v1/geo', url).href;
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return `${endpoint} answered ${res.status}`;
    const geo = townGeoSchema.safeParse(await res.json());
    return geo.success ? indexTown(geo.data) : `${endpoint} did not answer a town's geography`;
  } catch (err) {
    return `cannot reach ${endpoint} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message})`;
  }
}

export const open311: Reader = {
  name: 'open311',
  numbered: true,
  matches: (path, head) => DUMP_HEAD.test(head),
  async *read(chunks, context?: ReadContext) {
    const town = context ? await townOf(context.url) : 'no server was named';
    if (typeof town === 'string') {
      yield { line: 1, error: `the requests are placed by their lat/long in the town's geography, and ${town}; nothing of the file was read` };
      return;
    }
    for await (const r of jsonValues(chunks, MAX_ITEM_BYTES)) {
      if ('error' in r) {
        yield r;
        continue;
      }
      const mapped = eventFromRequest(r.item, town);
      yield mapped.ok ? { line: r.line, item: mapped.event } : { line: r.line, error: mapped.error };
    }
  },
};
