// The store contract: alarms, the cluster singleton, and PostgreSQL as several nodes (harness.ts).
import pg from 'pg';
import type { Alarm } from '#shared/alarms';
import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { HOUR_MS, toShanghaiIso } from '#shared/time';
import { OVERDUE_LOOKBACK_MS } from '../../server/src/store/alarmRows';
import { manualClock } from '../../server/src/clock';
import { StoreUnavailableError } from '../../server/src/store/errors';
import { createPostgresStore } from '../../server/src/store/postgres';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../support/events';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { calls, seeded } from './generate';
import { pgProxy } from './proxy';
import { storeContract, town, NOW, item, ev, waitFor, submitAll, readAll, seqsOf, range } from './harness';

storeContract('alarms and cluster roles', (c) => {
  const { name, open, opened } = c;
  describe('alarms', () => {
    it('a scan raises urgent and recently overdue alarms once, and clears those whose entity closed', async () => {
      const clock = manualClock(BASE_MS + HOUR_MS);
      const s = await open({ clock });
      const urgent = makeCase({ id: 'U-1', urgent: true });
      await s.log.append([
        item(ev(urgent)),
        item(ev(makeCase({ id: 'D-1', deadline: toShanghaiIso(BASE_MS + 2 * HOUR_MS) }))),
        item(ev(makeCase({ id: 'OLD-1', reportedAt: toShanghaiIso(BASE_MS - 72 * HOUR_MS), deadline: toShanghaiIso(BASE_MS - 48 * HOUR_MS) }))),
        item(ev(makeTicket({ id: 'T-1', dueAt: toShanghaiIso(BASE_MS + 3 * HOUR_MS) }))),
        item(ev(makeInspection({ id: 'I-1', status: 'rectifying', rectifyDeadline: toShanghaiIso(BASE_MS + 2 * HOUR_MS) }))),
      ]);
      const raised = await s.alarms.scan(clock.now());
      expect(raised.map((a) => [a.kind, a.entity.id])).toEqual([['urgent', 'U-1']]);
      expect(raised[0]!.raisedAt).toBe(toShanghaiIso(clock.now()));
      expect(await s.alarms.scan(clock.now())).toEqual([]);

      clock.advance(3 * HOUR_MS); // past D-1's and T-1's due time; OLD-1 was due too long ago; inspections raise none
      const overdue = await s.alarms.scan(clock.now());
      expect(overdue.map((a) => [a.kind, a.entity.kind, a.entity.id]).sort()).toEqual([['overdue', 'case', 'D-1'], ['overdue', 'ticket', 'T-1']]);
      // urgent first, then by when raised (and id)
      expect((await s.alarms.active(10)).map((a) => [a.kind, a.entity.id])).toEqual([['urgent', 'U-1'], ['overdue', 'D-1'], ['overdue', 'T-1']]);
      expect(await s.alarms.active(1)).toHaveLength(1);

      const closedAt = toShanghaiIso(clock.now());
      await s.log.append([item(ev(next(urgent, 2, clock.now(), { status: 'closed', closedAt })))]);
      const cleared = await s.alarms.scan(clock.now());
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({ kind: 'urgent', entity: { id: 'U-1', status: 'closed' }, clearedAt: closedAt });
      expect((await s.alarms.active(10)).map((a) => a.entity.id).sort()).toEqual(['D-1', 'T-1']);
      expect(await s.alarms.get(cleared[0]!.id)).toEqual(cleared[0]);
      expect(await s.alarms.get(999_999)).toBeUndefined();
    });

    it('scan after scan, each raises and clears exactly what a scan of every entity would (brute force over the events sent)', async () => {
      // A later scan checks only the entities committed since and the deadlines passed since: a
      // random history of new, changed, urgent and closed cases and tickets, the clock moving on
      // (now and then back) between scans, against the rule applied to the latest version of each.
      const rnd = seeded(8);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      let now = BASE_MS + HOUR_MS;
      const clock = manualClock(now);
      const s = await open({ clock });
      const latest = new Map<string, IngestEvent>();
      /** alarm `kind:entityKind:id` → cleared */
      const model = new Map<string, boolean>();
      const rule = () => {
        const raised: string[] = [];
        const cleared: string[] = [];
        for (const e of latest.values()) {
          if (e.status === 'closed' || e.kind === 'inspection') continue;
          const due = Date.parse(e.kind === 'case' ? e.deadline : e.dueAt);
          const key = `${e.kind}:${e.id}`;
          for (const [kind, due_] of [['urgent', e.urgent], ['overdue', due <= now && due > now - OVERDUE_LOOKBACK_MS]] as const)
            if (due_ && !model.has(`${kind}:${key}`)) {
              model.set(`${kind}:${key}`, false);
              raised.push(`${kind}:${key}`);
            }
        }
        for (const [key, done] of model) {
          const [, kind, id] = key.split(':');
          if (!done && latest.get(`${kind}:${id}`)!.status === 'closed') {
            model.set(key, true);
            cleared.push(key);
          }
        }
        return { raised: raised.sort(), cleared: cleared.sort() };
      };
      const keys = (alarms: Alarm[]) => alarms.map((a) => `${a.kind}:${a.entity.kind}:${a.entity.id}`).sort();
      let n = 0;
      let scans = 0;
      let incremental = { raised: 0, cleared: 0 };
      for (let round = 0; round < 24; round++) {
        const batch: IngestEvent[] = [];
        for (let i = rnd() < 0.2 ? 0 : 1 + Math.floor(rnd() * 8); i > 0; i--) {
          const open_ = [...latest.values()].filter((e) => e.status !== 'closed');
          const prev = open_.length && rnd() < 0.6 ? pick(open_) : undefined;
          if (batch.some((b) => b.id === prev?.id)) continue;
          const at = toShanghaiIso(now);
          const start = now - Math.floor(rnd() * 20) * HOUR_MS;
          const due = (from: number) => toShanghaiIso(from + (1 + Math.floor(rnd() * 30)) * HOUR_MS);
          let e: IngestEvent;
          if (!prev) {
            const id = `A-${++n}`;
            e = ev(rnd() < 0.5
              ? makeCase({ id, urgent: rnd() < 0.2, reportedAt: toShanghaiIso(start), deadline: due(start) }, now)
              : makeTicket({ id, urgent: rnd() < 0.2, receivedAt: toShanghaiIso(start), dueAt: due(start), firstContactDueAt: toShanghaiIso(start + HOUR_MS) }, now));
          } else {
            const startOf = Date.parse(prev.kind === 'case' ? prev.reportedAt : (prev as { receivedAt: string }).receivedAt);
            const change = pick(['urgent', 'due', 'close', 'touch'] as const);
            const over: Record<string, unknown> =
              change === 'urgent' ? { urgent: !prev.urgent }
              : change === 'due' ? { [prev.kind === 'case' ? 'deadline' : 'dueAt']: due(startOf) }
              : change === 'close' ? { status: 'closed', closedAt: at }
              : {};
            e = ev(next(prev as never, prev.version + 1, Math.max(now, startOf), over));
          }
          batch.push(e);
        }
        if (batch.length) await s.log.append(batch.map((e) => item(e)));
        for (const e of batch) latest.set(`${e.kind}:${e.id}`, e);
        now += rnd() < 0.15 ? -HOUR_MS : Math.floor(rnd() * 4 * HOUR_MS);
        const got = await s.alarms.scan(now);
        const want = rule();
        expect({ round, raised: keys(got.filter((a) => !a.clearedAt)), cleared: keys(got.filter((a) => a.clearedAt)) }).toEqual({ round, ...want });
        expect({ round, open: await s.alarms.openCount() }).toEqual({ round, open: [...model.values()].filter((done) => !done).length });
        if (scans++ > 0) incremental = { raised: incremental.raised + want.raised.length, cleared: incremental.cleared + want.cleared.length };
      }
      // the history did exercise the later scans, and what is open now agrees too
      expect(incremental.raised).toBeGreaterThan(10);
      expect(incremental.cleared).toBeGreaterThan(3);
      const active = [...model].filter(([, done]) => !done).map(([key]) => key).sort();
      expect(keys(await s.alarms.active(1_000))).toEqual(active);
    });

    it('of two acknowledgements at once exactly one wins; the note is masked when read', async () => {
      const clock = manualClock(BASE_MS + HOUR_MS);
      const s = await open({ clock });
      await s.log.append([item(ev(makeCase({ id: 'U-2', urgent: true })))]);
      const [alarm] = await s.alarms.scan(clock.now());
      expect(await s.alarms.openCount()).toBe(1);
      const acks = await Promise.all([
        s.alarms.ack(alarm!.id, 'officer-a', '已派城管中队 13912345678', clock.now()),
        s.alarms.ack(alarm!.id, 'officer-b', undefined, clock.now()),
      ]);
      const won = acks.filter((a) => a.ok);
      expect(won).toHaveLength(1);
      expect(acks.filter((a) => !a.ok)).toEqual([{ ok: false, error: 'already_acknowledged' }]);
      const got = await s.alarms.get(alarm!.id);
      expect(got).toEqual((won[0] as { alarm: unknown }).alarm);
      expect(got!.ackedAt).toBe(toShanghaiIso(clock.now()));
      if (got!.ackedBy === 'officer-a') expect(got!.note).toBe('已派城管中队 139****5678');
      else expect(got!.note).toBeUndefined();
      expect(await s.alarms.active(10)).toEqual([]);
      expect(await s.alarms.openCount()).toBe(0);
      expect(await s.alarms.ack(alarm!.id, 'officer-c', undefined, clock.now())).toEqual({ ok: false, error: 'already_acknowledged' });
      expect(await s.alarms.ack(alarm!.id + 1000, 'officer-c', undefined, clock.now())).toEqual({ ok: false, error: 'not_found' });
    });
  });

  describe('cluster roles', () => {
    // Each backend's own case, registered only for it (no skipped tests): SQLite is one node.
    if (name === 'sqlite') it('a single node holds every role', async () => {
      const s = await open();
      expect(await s.singleton.hold('alarm-scan')).toBe(true);
      expect(await s.singleton.hold('alarm-scan')).toBe(true);
      await s.singleton.release('alarm-scan');
      expect(await s.singleton.hold('sim')).toBe(true);
    });

    if (name === 'postgres') it('exactly one of two nodes holds a role; it passes on release, on close and when the holder\'s session dies', async () => {
      const [a, b] = [await open(), await open()];
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false);
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('sim')).toBe(true); // roles are independent
      expect(await a.singleton.hold('sim')).toBe(false);
      await a.singleton.release('alarm-scan');
      expect(await b.singleton.hold('alarm-scan')).toBe(true);
      expect(await a.singleton.hold('alarm-scan')).toBe(false);

      // the holder's session dies (as with its process): the other takes the role on its next hold()
      await killHolder(c.h.db!, 'alarm-scan'); // b's session, with both its roles
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false); // b made a new session, but a holds it now
      expect(await b.singleton.hold('sim')).toBe(true); // and takes 'sim' again: nobody holds it

      // a holder whose session was lost makes a new one on its next hold() and takes the role again when free
      await killHolder(c.h.db!, 'alarm-scan'); // a's session
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false);

      // the holder closes: the other takes over
      await a.close();
      opened.splice(opened.indexOf(a), 1);
      expect(await b.singleton.hold('alarm-scan')).toBe(true);
    });
  });

  if (name === 'postgres') describe('PostgreSQL as several nodes', () => {
    it('two nodes appending at once: gapless seqs, and each node\'s feed delivers 1..n once, in order', async () => {
      const [a, b, reader] = [await open(), await open(), await open()];
      const got = { a: [] as number[][], b: [] as number[][] };
      a.feed.subscribe((events) => got.a.push(events.map((e) => e.seq)));
      b.feed.subscribe((events) => got.b.push(events.map((e) => e.seq)));
      // Seqs become visible in commit order: a reader reading the log forward all along never sees a
      // seq before every lower one (a sequence's numbers, taken before commit, would show holes).
      const holes: string[] = [];
      let seen = 0;
      let appending = true;
      const reading = (async () => {
        for (let reads = 0; appending || reads === 0; reads++) {
          const next = await reader.log.readAfter(seen, 1000);
          next.forEach((x, i) => x.seq !== seen + 1 + i && holes.push(`read after ${seen}: seq ${x.seq} at ${i}`));
          seen = next.at(-1)?.seq ?? seen;
        }
      })();
      const events = Array.from({ length: 1000 }, (_, i) => ev(makeTicket({ id: `N-${i}` })));
      const parts = calls(events, 25, 4);
      const results = await submitAll([a, b], 6, parts);
      appending = false;
      await reading;
      expect(holes).toEqual([]);
      expect(seen).toBeGreaterThan(0);
      expect(results.flat().map((r) => r.status).every((x) => x === 'stored')).toBe(true);
      expect(results.flatMap(seqsOf).sort((x, y) => x - y)).toEqual(range(1, 1000));
      await waitFor(() => a.feed.position() === 1000 && b.feed.position() === 1000, 5_000, 'both feeds');
      for (const batches of [got.a, got.b]) {
        for (const batch of batches) expect(batch).toEqual(range(batch[0]!, batch.at(-1)!));
        expect(batches.flat()).toEqual(range(1, 1000));
        expect(batches.length).toBeGreaterThan(10); // many commits, interleaved between the nodes
      }
      // the same events on both nodes, as stored
      const stored = await readAll(a);
      expect(stored.map((x) => x.event.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('a node cut off from the database: append rejects with StoreUnavailableError storing nothing; it catches up after', async () => {
      const db = c.h.db!;
      const proxy = await pgProxy(db.url);
      const cut = await open({ url: proxy.url, pollMs: 60_000 }); // no poll: only the LISTEN reconnection can catch it up
      const other = await open();
      const got: number[] = [];
      cut.feed.subscribe((events) => got.push(...events.map((e) => e.seq)));
      await cut.log.append([item(ev(makeCase({ id: 'O-1' })))]);
      await waitFor(() => got.length === 1, 1_000, "the node's own commit");
      expect(got).toEqual([1]);

      await proxy.stop();
      await expect(cut.log.append([item(ev(makeCase({ id: 'O-2' }))), item(ev(makeCase({ id: 'O-3' })))])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await cut.ping()).toBe(false);
      await other.log.append([item(ev(makeCase({ id: 'O-4' })))]);
      expect(await other.log.bounds()).toEqual({ oldest: 1, latest: 2 });
      expect((await other.log.readAfter(0, 10)).map((x) => x.event.id)).toEqual(['O-1', 'O-4']);

      await proxy.start();
      await waitFor(() => got.length === 2, 8_000, 'the LISTEN connection to come back and read forward');
      expect(got).toEqual([1, 2]);
      expect(await cut.ping()).toBe(true);
      expect(await cut.log.append([item(ev(makeCase({ id: 'O-2' })))])).toEqual([{ status: 'stored', seq: 3 }]);
      await waitFor(() => got.length === 3);
      expect(got).toEqual([1, 2, 3]);
      await cut.close();
      opened.splice(opened.indexOf(cut), 1);
      await proxy.stop();
    });

    it('a connection lost during COMMIT: append rejects in doubt; the batch was stored whole, and sending it again is answered duplicate', async () => {
      const db = c.h.db!;
      const proxy = await pgProxy(db.url);
      const cut = await open({ url: proxy.url, pollMs: 60_000 });
      const other = await open();
      const batch = [item(ev(makeCase({ id: 'D-1' }))), item(ev(makeCase({ id: 'D-2' })))];
      proxy.cutAfterNextCommit();
      const err = await cut.log.append(batch).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).inDoubt).toBe(true);
      expect((await other.log.readAfter(0, 10)).map((x) => x.event.id)).toEqual(['D-1', 'D-2']);
      expect(await other.log.append(batch)).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
      // a connection refused before COMMIT is not in doubt
      await proxy.stop();
      const refused = await cut.log.append([item(ev(makeCase({ id: 'D-3' })))]).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect((refused as StoreUnavailableError).inDoubt).toBe(false);
      await cut.close();
      opened.splice(opened.indexOf(cut), 1);
    });

    it("another node's commit reaches a feed by NOTIFY alone, well before its poll", async () => {
      const listening = await open({ pollMs: 60_000 });
      const other = await open();
      await other.log.append([item(ev(makeCase({ id: 'L-0' })))]);
      const got: number[] = [];
      await waitFor(() => listening.feed.position() === 1, 5_000, 'the first commit');
      listening.feed.subscribe((events) => got.push(...events.map((e) => e.seq)));
      const t0 = performance.now();
      await other.log.append([item(ev(makeCase({ id: 'L-1' })))]);
      await waitFor(() => got.length === 1, 1_000, 'the commit by NOTIFY');
      expect(got).toEqual([2]);
      expect(performance.now() - t0).toBeLessThan(1_000);
    });

    it('start-up against an unreachable server or a malformed URL rejects naming DATABASE_URL, without the password', async () => {
      const clock = manualClock(NOW);
      const refused = createPostgresStore({ url: 'postgres://postgres:s3cret-pw@127.0.0.1:1/onescreen', geo: town, clock });
      await expect(refused).rejects.toThrow(/^DATABASE_URL: cannot connect to PostgreSQL \(postgres@127\.0\.0\.1:1\/onescreen\): .*ECONNREFUSED/);
      await refused.catch((e: Error) => {
        expect(e.message).not.toContain('s3cret-pw');
        expect(e.stack).toBe(e.message);
      });
      await expect(createPostgresStore({ url: 'not a url', geo: town, clock })).rejects.toThrow(/DATABASE_URL/);
      await expect(createPostgresStore({ url: 'mysql://u:p@host/db', geo: town, clock })).rejects.toThrow(/DATABASE_URL must start with postgres/);
      const missing = `${c.h.db!.url}_missing`;
      await expect(createPostgresStore({ url: missing, geo: town, clock })).rejects.toThrow(/DATABASE_URL: cannot connect.*does not exist/);
    });

    it('three nodes starting at once on an empty database all migrate and agree', async () => {
      const db = await createTestDatabase();
      try {
        const nodes = await Promise.all([0, 1, 2].map(() => c.h.open({ url: db.url })));
        opened.push(...nodes);
        await nodes[0]!.log.append([item(ev(makeCase({ id: 'M-1' })))]);
        for (const n of nodes) expect(await n.log.bounds()).toEqual({ oldest: 1, latest: 1 });
        while (opened.length) await opened.pop()!.close();
      } finally {
        await db.drop();
      }
    });
  });
});

/** Terminates the session holding a role's advisory lock (and waits until it is gone), as if its process died. */
async function killHolder(db: TestDatabase, role: string) {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_locks
       WHERE locktype = 'advisory' AND objsubid = 2 AND objid = hashtext($1)::oid AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $2)`,
      [role, db.name]);
    expect(rows.map((r) => r.ok)).toEqual([true]);
  } finally {
    await c.end();
  }
}
