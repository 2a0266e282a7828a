// A server killed with SIGKILL mid-stream and restarted on the same data loses nothing it acknowledged,
// and a screen that was watching gets every event exactly once across the crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killHard, spawnServer } from '../support/child';
import { consume } from '../support/consumer';
import { makeCase } from '../support/events';
import { waitFor } from '../support/server';

const dir = mkdtempSync(join(tmpdir(), 'onescreen-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, items: unknown[]) {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
    body: JSON.stringify(items),
  });
  return (await res.json()) as { results: Array<{ status: string; seq?: number }> };
}

describe('crash safety', () => {
  it('loses no acknowledged event across kill -9 and restart, and the screen resumes without gaps', async () => {
    const first = await spawnServer({ DATA_DIR: dir });
    const screen = consume(first.url);
    screen.connect();
    await waitFor(() => screen.syncs.length === 1, 10_000, 'first sync');

    const acked = new Map<string, number>(); // id → seq
    let batch = 0;
    let producing = true;
    let interrupted = 0;
    const producer = (async () => {
      while (producing) {
        const items = Array.from({ length: 50 }, (_, i) => makeCase({ id: `k-${batch}-${i}` }));
        batch++;
        try {
          const r = await post(first.url, items);
          r.results.forEach((x, i) => x.status === 'stored' && acked.set(items[i]!.id, x.seq!));
        } catch {
          interrupted++; // the server died with this batch in flight: it is not acknowledged
          return;
        }
      }
    })();

    await waitFor(() => acked.size >= 3000, 30_000, '3000 acknowledged');
    await killHard(first.child); // mid-stream, with requests in flight
    producing = false;
    await producer;
    expect(interrupted).toBe(1);
    screen.close();
    const seenBeforeCrash = screen.seq.applied;
    expect(seenBeforeCrash).toBeGreaterThan(0);

    // Restart on the same address, as an operations centre's server would come back.
    const second = await spawnServer({ DATA_DIR: dir, PORT: new URL(first.url).port });
    try {
      const health = (await (await fetch(`${second.url}/healthz`)).json()) as { seq: number };
      const maxAcked = Math.max(...acked.values());
      expect(health.seq).toBeGreaterThanOrEqual(maxAcked);

      // Every acknowledged item is there: sending it again is a duplicate.
      const ids = [...acked.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const r = await post(second.url, ids.slice(i, i + 1000).map((id) => makeCase({ id })));
        expect(r.results.every((x) => x.status === 'duplicate')).toBe(true);
      }

      // The screen reconnects with its last seq and ends with exactly 1…latest, each once.
      screen.connect(seenBeforeCrash);
      await waitFor(() => screen.seq.applied === health.seq, 20_000, 'resume after restart');
      const seqs = screen.applied.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: health.seq }, (_, i) => i + 1));
      const streamed = new Map(screen.applied.map((e) => [e.event.id, e.seq]));
      for (const [id, seq] of acked) expect(streamed.get(id)).toBe(seq);
      screen.close();
    } finally {
      await killHard(second.child);
    }
  });
});
