// A full disk, on real small tmpfs mounts (needs root, as CI runs): ingest answers 503 with
// Retry-After and stores nothing of the refused request; a SQLite server killed and started again on
// the full disk serves screens read-only; once the disk has room, ingest works again without a
// restart and every acknowledged event is there. PostgreSQL's own full disk (a tablespace on a
// tmpfs) is answered the same way. docs/operations.md, "A full disk".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, spawnServer } from '../support/child';
import { privatePostgres } from '../support/cluster';
import { consume } from '../support/consumer';
import { makeCase } from '../support/events';
import { openSocket, startServer, waitFor } from '../support/server';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs';

let disk: Tmpfs;
beforeAll(() => {
  disk = mountTmpfs(16);
});
afterAll(() => disk?.unmount());

type Results = Array<{ status: string; seq?: number }>;
async function post(url: string, items: unknown[]) {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
    body: JSON.stringify(items),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { results?: Results; error?: string } };
}
const health = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { code: res.status, ...((await res.json()) as { status: string; seq: number; readOnly?: { reason: string } }) };
};
const cases = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => makeCase({ id: `${prefix}-${i}`, description: `${prefix} 楼道堆物 ${'杂物'.repeat(60)}` }));

/** Every event the log holds, read as a screen resuming from 0 would. */
async function logOf(url: string, latest: number) {
  const screen = consume(url);
  screen.connect(0);
  await waitFor(() => screen.seq.applied === latest, 20_000, `resume to ${latest}`);
  screen.close();
  return screen.applied;
}

describe('a full disk (SQLite)', () => {
  it('answers 503 with Retry-After storing nothing, starts read-only after a kill on the full disk, and recovers by itself', async () => {
    const dataDir = join(disk.dir, 'data');
    const first = await spawnServer({ DATA_DIR: dataDir });
    const acked = new Map<string, number>(); // id → seq
    const ack = (items: Array<{ id: string }>, results: Results) =>
      results.forEach((r, i) => r.status === 'stored' && acked.set(items[i]!.id, r.seq!));
    const refused: Array<ReturnType<typeof cases>> = [];
    let second: Awaited<ReturnType<typeof spawnServer>> | undefined;
    try {
      const before = [...cases('A', 200), makeCase({ id: 'A-URGENT', urgent: true })];
      const a = await post(first.url, before);
      expect(a.status).toBe(200);
      ack(before, a.body.results!);
      expect(acked.size).toBe(201);
      const officer = openSocket(first.url, { token: 'demo-officer' });
      const alarms: Array<{ id: number }> = [];
      officer.on('alarms', (list) => alarms.splice(0, alarms.length, ...list));
      officer.on('alarm:raised', (x) => alarms.push(x));
      await waitFor(() => alarms.length === 1, 15_000, 'the urgent alarm');

      expect(disk.fill()).toBeGreaterThan(0);
      expect(disk.freeBytes()).toBe(0);
      // What SQLite had room for already (its WAL file) is stored and durable; the first commit that needs more is refused.
      let answer: Awaited<ReturnType<typeof post>> | undefined;
      for (let k = 0; k < 10 && answer?.status !== 503; k++) {
        const batch = cases(`B${k}`, 300);
        answer = await post(first.url, batch);
        if (answer.status === 200) ack(batch, answer.body.results!);
        else refused.push(batch);
      }
      expect(answer!.status, `after ${acked.size - 201} more acknowledged on the full disk`).toBe(503);
      expect(answer!.retryAfter).toBe('30');
      expect(answer!.body.error).toBe('disk_full');
      const latest = Math.max(...acked.values());
      expect(await health(first.url)).toMatchObject({ code: 200, status: 'read_only', readOnly: { reason: 'disk_full' }, seq: latest });
      // read-only: refused at once, and so is an acknowledgement; the server stays up
      const again = cases('B-again', 5);
      expect((await post(first.url, again)).body.error).toBe('disk_full');
      refused.push(again);
      const ackAnswer = await officer.timeout(15_000).emitWithAck('alarm:ack', { id: alarms[0]!.id, note: 'on a full disk' });
      expect(ackAnswer).toMatchObject({ ok: false, error: expect.stringMatching(/^unavailable/) });
      officer.close();
      expect((await health(first.url)).status).toBe('read_only');

      // Killed with the disk full, started again on it: the start writes nothing, so it succeeds read-only.
      await killHard(first.child);
      second = await spawnServer({ DATA_DIR: dataDir });
      // the start's probe write found no room
      expect(await health(second.url)).toMatchObject({ code: 200, status: 'read_only', seq: latest });
      const screen = consume(second.url);
      screen.connect();
      await waitFor(() => screen.syncs.length === 1, 10_000, 'a snapshot');
      expect(screen.syncs[0]).toMatchObject({ mode: 'snapshot', seq: latest });
      screen.close();
      const entity = await fetch(`${second.url}/api/v1/entities/case/A-7`, { headers: { authorization: 'Bearer demo-viewer' } });
      expect(entity.status).toBe(200);
      expect(((await entity.json()) as { timeline: Array<{ seq: number }> }).timeline.map((t) => t.seq)).toEqual([acked.get('A-7')]);
      expect((await post(second.url, cases('C', 3))).status).toBe(503);

      // Room again: writable by itself (a probe every 5 s), no restart.
      disk.free();
      await waitFor(async () => (await health(second!.url)).status === 'ok', 20_000, 'writable again');
      // Nothing of the refused requests was stored: each is stored now, at the seqs that follow on.
      const resent = refused.flat();
      const r = await post(second.url, resent);
      expect(r.body.results!.map((x) => x.seq)).toEqual(resent.map((_, i) => latest + 1 + i));
      // Every acknowledged event is there, at the seq it was acknowledged with.
      const log = await logOf(second.url, latest + resent.length);
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: latest + resent.length }, (_, i) => i + 1));
      const seqOf = new Map(log.map((e) => [e.event.id, e.seq]));
      for (const [id, seq] of acked) expect(seqOf.get(id)).toBe(seq);
      // and the alarm can be acknowledged now
      const officer2 = openSocket(second.url, { token: 'demo-officer' });
      const ok = await officer2.timeout(15_000).emitWithAck('alarm:ack', { id: alarms[0]!.id, note: 'after' });
      expect(ok).toMatchObject({ ok: true });
      officer2.close();
    } finally {
      disk.free();
      await killHard(first.child);
      if (second) await killHard(second.child);
    }
  });

  it('after a clean stop, starts on a full disk that has no room for the WAL index, and turns writable by itself', async () => {
    const dataDir = join(disk.dir, 'clean');
    const first = await spawnServer({ DATA_DIR: dataDir });
    let second: Awaited<ReturnType<typeof spawnServer>> | undefined;
    try {
      const a = await post(first.url, cases('D', 50));
      expect(a.body.results!.at(-1)).toEqual({ index: 49, status: 'stored', seq: 50 });
      first.child.kill('SIGTERM');
      await new Promise((r) => first.child.once('exit', r));
      // A clean stop leaves only the database file: the next start must make the -shm file.
      expect(existsSync(join(dataDir, 'onescreen.sqlite-shm'))).toBe(false);
      disk.fill();

      second = await spawnServer({ DATA_DIR: dataDir });
      expect(await health(second.url)).toMatchObject({ code: 200, status: 'read_only', readOnly: { reason: 'disk_full' }, seq: 50 });
      const screen = consume(second.url);
      screen.connect(40);
      await waitFor(() => screen.seq.applied === 50, 10_000, 'a resume');
      expect(screen.syncs[0]).toMatchObject({ mode: 'resume', fromSeq: 40, toSeq: 50 });
      expect(screen.applied.map((e) => e.event.id)).toEqual(Array.from({ length: 10 }, (_, i) => `D-${40 + i}`));
      screen.close();
      expect((await post(second.url, cases('E', 2))).body.error).toBe('disk_full');

      disk.free();
      await waitFor(async () => (await health(second!.url)).status === 'ok', 20_000, 'writable again');
      expect((await post(second.url, cases('E', 2))).body.results).toEqual([{ index: 0, status: 'stored', seq: 51 }, { index: 1, status: 'stored', seq: 52 }]);
    } finally {
      disk.free();
      await killHard(first.child);
      if (second) await killHard(second.child);
    }
  });
});

describe('a full disk (PostgreSQL)', () => {
  it('a commit PostgreSQL refuses for want of space (53100) is answered 503 disk_full, rolled back whole; it stores again once there is room', async () => {
    // The database's tablespace on a tmpfs of its own (the WAL stays on the server's disk, as a full data volume would leave it).
    const small = mountTmpfs(24);
    const pgServer = await privatePostgres();
    const location = join(small.dir, 'ts');
    mkdirSync(location);
    execFileSync('chown', ['postgres', location]);
    const admin = new pg.Client(pgServer.url);
    let s: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      await admin.connect();
      await admin.query(`CREATE TABLESPACE onescreen_small LOCATION '${location}'`);
      await admin.query('CREATE DATABASE onescreen_full TABLESPACE onescreen_small');
      s = await startServer({ STORE: 'postgres', DATABASE_URL: pgServer.url.replace(/\/onescreen$/, '/onescreen_full') });
      const first = cases('P', 200);
      expect((await s.post(first)).body.results.at(-1)).toMatchObject({ status: 'stored', seq: 200 });

      small.fill();
      const refused = cases('Q', 300);
      const res = await fetch(`${s.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
        body: JSON.stringify(refused),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(((await res.json()) as { error: string }).error).toBe('disk_full');
      expect(await s.store.log.bounds()).toEqual({ oldest: 1, latest: 200 });
      expect(await s.store.read.entity('case', 'Q-0')).toBeUndefined();
      expect(s.store.writeState()).toEqual({ writable: true }); // PostgreSQL answers each commit itself

      small.free();
      const again = await s.post(refused);
      expect(again.body.results.map((r: { seq: number }) => r.seq)).toEqual(refused.map((_, i) => 201 + i));
    } finally {
      await s?.stop();
      await admin.end().catch(() => undefined);
      pgServer.destroy();
      small.unmount();
    }
  });
});
