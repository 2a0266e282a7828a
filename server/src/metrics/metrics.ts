// The metrics of one app, in a registry of its own (several servers in one process do not clash):
// counters and histograms moved where things happen (ingest, commits, fan-out, syncs), and gauges
// read at scrape time (scrape.ts). Every label has a small fixed set of values; nothing per client.
// Names and meanings: docs/metrics.md.
import { Counter, Histogram, Registry } from 'prom-client';
import { streamKinds } from '#shared/vocab';
import type { Clock } from '../clock';
import { addProcessMetrics } from './process';
import { createScrapeGauges, type ScrapeSources } from './scrape';

const STATUSES = ['stored', 'duplicate', 'rejected'] as const;
type IngestStatus = (typeof STATUSES)[number];
const STATUS_INDEX: Record<IngestStatus, number> = { stored: 0, duplicate: 1, rejected: 2 };
/** An item whose kind is none of the streams (rejected) counts under `unknown`. */
const STREAMS = [...streamKinds, 'unknown'] as const;

const streamIndex = (item: unknown): number => {
  const kind = typeof item === 'object' && item !== null ? (item as { kind?: unknown }).kind : undefined;
  const i = (streamKinds as readonly unknown[]).indexOf(kind);
  return i < 0 ? STREAMS.length - 1 : i;
};

/** Commits take milliseconds (an fsync, or a few round trips to PostgreSQL); a backfill's or a slow disk's, up to seconds. */
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Around the batch window (BATCH_MS, 50 ms by default) and the target of 70 ms, then the tail. */
const LAG_BUCKETS = [0.01, 0.025, 0.05, 0.07, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(clock: Clock) {
  const register = new Registry();
  addProcessMetrics(register);
  const registers = [register];

  const ingestItems = new Counter({
    name: 'onescreen_ingest_items_total',
    help: 'Ingest items answered, by source system, stream and status (stored, duplicate, rejected); the simulator is a source',
    labelNames: ['source', 'stream', 'status'] as const,
    registers,
  });
  const commitSeconds = new Histogram({
    name: 'onescreen_commit_duration_seconds',
    help: 'Durable commits of this node (one group commit, SQLite or PostgreSQL): time from the start of the commit until it is durable',
    buckets: COMMIT_BUCKETS,
    registers,
  });
  const deliveryLag = new Histogram({
    name: 'onescreen_delivery_lag_seconds',
    help: "Live batches sent to this node's screens: time from the storing of the batch's oldest event to the send",
    buckets: LAG_BUCKETS,
    registers,
  });
  const reconnects = new Counter({
    name: 'onescreen_reconnects_total',
    help: 'Screens connecting with a lastSeq (a reconnect), by how they were brought up to date: resume or snapshot',
    labelNames: ['mode'] as const,
    registers,
  });
  const resyncs = new Counter({
    name: 'onescreen_resyncs_total',
    help: 'Resyncs asked for by connected screens (stream:resync, after a gap), by mode: resume or snapshot',
    labelNames: ['mode'] as const,
    registers,
  });
  const syncOverflows = new Counter({
    name: 'onescreen_sync_buffer_overflows_total',
    help: 'Syncs whose buffer of live events outgrew its bound while the snapshot or resume was read (the sync starts over)',
    registers,
  });
  const screensDropped = new Counter({
    name: 'onescreen_screens_dropped_total',
    help: 'Screens disconnected for falling too far behind (too many packets queued); they reconnect and resume',
    registers,
  });
  const httpResponses = new Counter({
    name: 'onescreen_http_responses_total',
    help: 'HTTP answers, by method, route pattern (unmatched for no route) and status code',
    labelNames: ['method', 'route', 'code'] as const,
    registers,
  });

  // Series that exist from the start, at 0: rate() and alerts see them before the first increment.
  for (const mode of ['resume', 'snapshot'] as const) for (const c of [reconnects, resyncs]) c.inc({ mode }, 0);

  let gauges: ReturnType<typeof createScrapeGauges> | undefined;
  let stopCommits: (() => void) | undefined;

  return {
    contentType: register.contentType,

    /** One submit's items (a tally per batch: per item only an array increment). */
    ingested(source: string, items: readonly unknown[], results: ReadonlyArray<{ status: IngestStatus }>) {
      const counts = new Array<number>(STREAMS.length * STATUSES.length).fill(0);
      results.forEach((r, i) => counts[streamIndex(items[i]) * STATUSES.length + STATUS_INDEX[r.status]]!++);
      counts.forEach((n, k) => {
        if (n) ingestItems.inc({ source, stream: STREAMS[Math.floor(k / STATUSES.length)]!, status: STATUSES[k % STATUSES.length]! }, n);
      });
    },
    /** A live batch went out; `oldestStoredAt` is its first event's storedAt (the store's clock, as here). */
    batchSent(oldestStoredAt: number) {
      deliveryLag.observe(Math.max(0, clock.now() - oldestStoredAt) / 1000);
    },
    /** A screen's sync started: on connecting (with a lastSeq: a reconnect) or asked for (a resync). */
    synced(mode: 'resume' | 'snapshot', why: 'reconnect' | 'resync') {
      (why === 'reconnect' ? reconnects : resyncs).inc({ mode });
    },
    syncOverflowed: () => syncOverflows.inc(),
    screenDropped: () => screensDropped.inc(),
    answered(method: string, route: string | undefined, code: number) {
      httpResponses.inc({ method, route: route ?? 'unmatched', code: String(code) });
    },

    /** Starts timing the store's commits and reading the scrape-time gauges from these sources. */
    watch(sources: ScrapeSources) {
      stopCommits = sources.store.log.observeCommits((seconds) => commitSeconds.observe(seconds));
      gauges = createScrapeGauges(register, sources);
    },
    /** The exposition text, the scrape-time gauges read first. */
    async render(): Promise<string> {
      await gauges?.refresh();
      return register.metrics();
    },
    close() {
      stopCommits?.();
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
export type IngestMetrics = Pick<Metrics, 'ingested'>;
export type StreamMetrics = Pick<Metrics, 'batchSent' | 'synced' | 'syncOverflowed' | 'screenDropped'>;
