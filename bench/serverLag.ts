// The server's own share of ingest→client latency, read from its /metrics: the delivery lag of live
// batches (from the start of the commit that stored a batch's first event until the batch was written
// to every socket, docs/metrics.md), between two scrapes. Prometheus histograms are cumulative per
// bucket, so a quantile is known to the bucket: "≤ 50 ms".
const LAG = /^onescreen_delivery_lag_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm;

export type LagBuckets = Map<number, number>;

/** The delivery-lag histogram's cumulative counts by upper bound (ms). */
export async function lagBuckets(url: string): Promise<LagBuckets> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets: LagBuckets = new Map();
  for (const [, le, n] of text.matchAll(LAG)) buckets.set(le === '+Inf' ? Infinity : Number(le) * 1000, Number(n));
  if (buckets.size === 0) throw new Error(`${url}/metrics has no onescreen_delivery_lag_seconds histogram`);
  return buckets;
}

/** The smallest bucket bound (ms) under which `q` % of the batches sent between the two scrapes fall, and how many were sent. */
export function lagQuantile(before: LagBuckets, after: LagBuckets, q: number): { boundMs: number; batches: number } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const count = (le: number) => after.get(le)! - (before.get(le) ?? 0);
  const batches = count(Infinity);
  const boundMs = bounds.find((le) => count(le) >= (q / 100) * batches) ?? Infinity;
  return { boundMs, batches };
}
