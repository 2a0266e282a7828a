// The one ingest path, used by the HTTP route and by the built-in simulator alike:
// validate every item, store the valid ones in one durable commit, report per item.
import { MAX_BATCH_ITEMS, type ItemResult } from '#shared/ingestApi';
import type { Clock } from '../clock';
import type { Town } from '../geo/town';
import type { IngestMetrics } from '../metrics/metrics';
import type { AppendItem, EventLog } from '../store/types';
import { validateItem } from './validate';

// The answer's schema (and the limit it documents) is the ingest API's, in shared/.
export { MAX_BATCH_ITEMS, type ItemResult };

export interface IngestService {
  submit(source: string, items: readonly unknown[]): Promise<ItemResult[]>;
}

export function createIngestService({ log, town, clock, metrics }: { log: EventLog; town: Town; clock: Clock; metrics?: IngestMetrics }): IngestService {
  return {
    async submit(source, items) {
      const now = clock.now();
      const results: ItemResult[] = new Array(items.length);
      const valid: AppendItem[] = [];
      const validIndex: number[] = [];
      items.forEach((input, index) => {
        const r = validateItem(input, town, now);
        if (r.ok) {
          valid.push({ event: r.event, source });
          validIndex.push(index);
        } else results[index] = { index, status: 'rejected', errors: r.errors };
      });
      const stored = await log.append(valid);
      stored.forEach((r, i) => {
        const index = validIndex[i]!;
        results[index] = r.status === 'stored' ? { index, status: 'stored', seq: r.seq } : { index, status: 'duplicate' };
      });
      metrics?.ingested(source, items, results);
      return results;
    },
  };
}
