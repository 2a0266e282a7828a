// Three-level screens (镇·片·居): a token bound to 片区 A2 gets A2's events, figures and alarms only —
// live, on resume and in the snapshot — and the screen API refuses other places; an unbound token
// still gets the whole town, every event exactly once. Real server on port 0, real socket.io-client.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm } from '#shared/alarms';
import type { IngestEventInput } from '#shared/events';
import { splitKey } from '#shared/model/keys';
import type { Heartbeat, Session, SnapshotSync, StreamEvent } from '#shared/protocol';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, next } from '../support/events';
import { consume } from '../support/consumer';
import { openSocket, startServer, town, waitFor, type TestServer, type TestSocket } from '../support/server';

const INGEST = 'test-ingest-key-0001';
const TOKENS = {
  town: 'town-wall-token-0001',
  a2: 'a2-wall-token-0002',
  a1: 'a1-wall-token-0003',
  a2Officer: 'a2-duty-token-0004',
  townOfficer: 'town-duty-token-0005',
};
const ENV = {
  INGEST_KEYS: `tests:${INGEST}`,
  VIEWER_TOKENS: `${TOKENS.town},wall-a2:${TOKENS.a2}@A2,wall-a1:${TOKENS.a1}@A1`,
  OFFICER_TOKENS: `李娜:${TOKENS.a2Officer}@A2,张伟:${TOKENS.townOfficer}`,
  ALARM_SCAN_MS: '100',
};

// The places of 片区 A2 from the geography itself: its 居民区 and the grids of the 片区.
const A2_NBS = new Set(town.geo.neighbourhoods.features.filter((f) => f.properties.areaId === 'A2').map((f) => f.properties.id));
const A2_PLACES = new Set(['A2', ...A2_NBS, ...town.geo.grids.features.filter((f) => f.properties.areaId === 'A2').map((f) => f.properties.id)]);
const inA2 = (key: string) => A2_PLACES.has(splitKey(key)[1]);

/** The centre of the 居民区's 居村网格: inside both the grid and the 居民区 polygons. */
function locationIn(nb: string) {
  const gridId = town.communityGridOf(nb)!;
  const ring = town.gridRing(gridId)!.slice(0, -1);
  const mean = (i: 0 | 1) => Math.round((ring.reduce((a, p) => a + p[i], 0) / ring.length) * 1e6) / 1e6;
  return { lng: mean(0), lat: mean(1), gridId, neighbourhoodId: nb };
}
const caseIn = (nb: string, id: string, over: Record<string, unknown> = {}): IngestEventInput =>
  makeCase({ id, address: `${town.nameOf(nb)}居民区 1号楼`, location: locationIn(nb), ...over });
const urgent = { urgent: true, category: 'safety', subcategory: '消防通道堵塞' };

let s: TestServer;
const clock = manualClock(BASE_MS + 3600_000);
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function server() {
  clock.set(BASE_MS + 3600_000);
  s = await startServer(ENV, clock);
  cleanup.push(() => s.stop());
  return s;
}
async function post(items: IngestEventInput[]) {
  const r = await s.post(items, INGEST);
  expect(r.status).toBe(200);
  expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(items.map(() => 'stored'));
  return r.body.results.map((x: { seq: number }) => x.seq) as number[];
}
/** A screen over the shared Sequencer (tests/support/consumer.ts), with its heartbeats. */
function screen(token: string, lastSeq?: number) {
  const c = consume(s.url, token, lastSeq);
  const sock = c.connect();
  const beats: Heartbeat[] = [];
  sock.on('heartbeat', (b) => beats.push(b));
  cleanup.push(() => c.close());
  return Object.assign(c, { beats });
}
const get = async (path: string, token: string) => {
  const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const sum = (rows: Array<[number, string, number]>, key: string) => rows.filter(([, k]) => k === key).reduce((a, [, , n]) => a + n, 0);
const nbOf = (e: StreamEvent) => e.event.location.neighbourhoodId;

describe('screens bound to a place', () => {
  it('the snapshot of an A2 token holds A2 only: entities, latest events, counters, gauges', async () => {
    await server();
    await post([caseIn('N01', 'CS-A1-1'), caseIn('N09', 'CS-A2-1'), caseIn('N02', 'CS-A1-2'), caseIn('N12', 'CS-A2-2'), caseIn('N16', 'CS-A2-3')]);
    const a2 = screen(TOKENS.a2);
    const all = screen(TOKENS.town);
    await waitFor(() => a2.syncs.length === 1 && all.syncs.length === 1, 5000, 'snapshots');
    const snap = a2.syncs[0] as SnapshotSync;
    expect(snap).toMatchObject({ mode: 'snapshot', seq: 5 });
    expect(snap.entities.map((e) => e.id).sort()).toEqual(['CS-A2-1', 'CS-A2-2', 'CS-A2-3']);
    expect(snap.recent.map((e) => e.event.id)).toEqual(['CS-A2-1', 'CS-A2-2', 'CS-A2-3']);
    expect(snap.rollups.length).toBeGreaterThan(0);
    expect(snap.rollups.filter(([, k]) => !inA2(k))).toEqual([]); // no town key, nothing of A1
    expect(sum(snap.rollups, 'case.new@A2')).toBe(3);
    expect(sum(snap.rollups, 'case.new@N09')).toBe(1);
    expect(sum(snap.rollups, 'case.open@GC12')).toBe(1);
    expect(Object.keys(snap.gauges.overdue).filter((p) => !A2_PLACES.has(p))).toEqual([]);

    const townSnap = all.syncs[0] as SnapshotSync;
    expect(townSnap.entities).toHaveLength(5);
    expect(sum(townSnap.rollups, 'case.new')).toBe(5);
    expect(sum(townSnap.rollups, 'case.new@A1')).toBe(2);
  });

  it('tells a bound connection its place; an unbound one has none', async () => {
    await server();
    const who = (token: string) => new Promise<Session>((resolve) => {
      const sock = openSocket(s.url, { token });
      cleanup.push(() => sock.close());
      sock.once('session', resolve);
    });
    expect(await who(TOKENS.a2Officer)).toEqual({ role: 'officer', name: '李娜', place: 'A2' });
    expect(await who(TOKENS.townOfficer)).toEqual({ role: 'officer', name: '张伟' });
  });

  it('live: an A2 screen gets A2 events with A2 counters, never a gap; the town screen gets all, exactly once', async () => {
    await server();
    await post([caseIn('N01', 'CS-PRE-1')]);
    const a2 = screen(TOKENS.a2);
    const all = screen(TOKENS.town);
    await waitFor(() => a2.syncs.length === 1 && all.syncs.length === 1, 5000, 'snapshots');

    // Mixed batches, several flushes: A1 and A2 interleaved.
    const seqs: number[] = [];
    for (let round = 0; round < 5; round++) {
      seqs.push(...(await post([
        caseIn('N01', `CS-L-A1-${round}`), caseIn('N09', `CS-L-A2-${round}`),
        caseIn('N05', `CS-L-A1b-${round}`), caseIn('N13', `CS-L-A2b-${round}`),
      ])));
    }
    const latest = seqs[seqs.length - 1]!;
    await waitFor(() => all.applied.length === 20 && a2.applied.length === 10, 5000, 'live events');
    expect(all.applied.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 2 + i));
    expect(all.resyncs).toBe(0);

    expect(a2.applied.every((e) => A2_NBS.has(nbOf(e)))).toBe(true);
    expect(a2.applied.map((e) => e.event.id).sort()).toEqual(
      [0, 1, 2, 3, 4].flatMap((r) => [`CS-L-A2-${r}`, `CS-L-A2b-${r}`]).sort(),
    );
    expect(new Set(a2.applied.map((e) => e.seq)).size).toBe(10);
    for (const e of a2.applied) {
      expect(e.delta.length).toBeGreaterThan(0);
      expect(e.delta.filter(([, k]) => !inA2(k))).toEqual([]); // written out at A2's places, never `@*`
    }
    expect(a2.resyncs).toBe(0);
    await waitFor(() => a2.seq.applied === latest, 3000, 'the A2 screen accounted up to the latest seq');

    // A quiet spell for A2 while A1 is busy: the heartbeat finds the A2 screen up to date.
    const a1Only = await post([caseIn('N03', 'CS-Q-1'), caseIn('N04', 'CS-Q-2')]);
    const beatsBefore = a2.beats.length;
    await waitFor(() => a2.beats.some((b, i) => i >= beatsBefore && b.seq === a1Only[1]), 3000, 'a heartbeat');
    expect(a2.seq.applied).toBe(a1Only[1]);
    expect(a2.seq.behind(a1Only[1]!)).toBe(false);
    expect(a2.applied).toHaveLength(10);
    expect(a2.resyncs).toBe(0);
    const beat = a2.beats.at(-1)!;
    expect(Object.keys(beat.gauges.overdue).filter((p) => !A2_PLACES.has(p))).toEqual([]);
  });

  it('resume: an A2 screen back after a drop gets the A2 events it missed, and nothing else', async () => {
    await server();
    const a2 = screen(TOKENS.a2);
    await waitFor(() => a2.syncs.length === 1, 5000, 'snapshot');
    await post([caseIn('N10', 'CS-R-0')]);
    await waitFor(() => a2.applied.length === 1, 5000, 'first event');
    a2.close();
    // Missed: more than one resume chunk of the town's events, a few of them A2's.
    const missed: IngestEventInput[] = [];
    for (let i = 0; i < 1_200; i++) missed.push(i % 300 === 7 ? caseIn('N14', `CS-R-A2-${i}`) : caseIn('N06', `CS-R-A1-${i}`));
    const seqs = [...(await post(missed.slice(0, 600))), ...(await post(missed.slice(600)))]; // ≤ 1,000 a request
    const back = screen(TOKENS.a2, a2.seq.applied);
    await waitFor(() => back.seq.applied === seqs[seqs.length - 1], 5000, 'resume');
    expect(back.syncs[0]).toMatchObject({ mode: 'resume', fromSeq: 1 });
    expect(back.applied.map((e) => e.event.id)).toEqual(['CS-R-A2-7', 'CS-R-A2-307', 'CS-R-A2-607', 'CS-R-A2-907']);
    expect(back.resyncs).toBe(0);

    // Live again after the resume; and an unbound screen resuming from the same point gets every one.
    await post([caseIn('N11', 'CS-R-after'), caseIn('N08', 'CS-R-after-A1')]);
    await waitFor(() => back.applied.length === 5, 5000, 'live after resume');
    expect(back.applied.at(-1)!.event.id).toBe('CS-R-after');
    const all = screen(TOKENS.town, 1);
    await waitFor(() => all.applied.length === 1_202, 5000, 'town resume');
    expect(all.applied.map((e) => e.seq)).toEqual(Array.from({ length: 1_202 }, (_, i) => 2 + i));
    expect(all.resyncs).toBe(0);
  });

  it('an entity moving from A1 to A2 takes its counts out of A1 on the A1 screen and into A2 on the A2 screen', async () => {
    await server();
    const first = caseIn('N01', 'CS-MOVE');
    await post([first]);
    const a1 = screen(TOKENS.a1);
    const a2 = screen(TOKENS.a2);
    await waitFor(() => a1.syncs.length === 1 && a2.syncs.length === 1, 5000, 'snapshots');
    const a1Open = sum((a1.syncs[0] as SnapshotSync).rollups, 'case.open@A1');
    expect(a1Open).toBe(1);
    // Re-located on its next version (e.g. the reporter's point corrected to 金平).
    await post([next(first, 2, BASE_MS + 60_000, { status: 'accepted', location: locationIn('N12'), address: '金平居民区' })]);
    await waitFor(() => a1.applied.length === 1 && a2.applied.length === 1, 5000, 'the move on both screens');
    expect(a1.applied[0]!.delta.filter(([, k]) => !['A1', 'N01', 'GC01'].includes(splitKey(k)[1]))).toEqual([]);
    expect(a1Open + sum(a1.applied[0]!.delta, 'case.open@A1')).toBe(0);
    expect(sum(a2.applied[0]!.delta, 'case.open@A2')).toBe(1);
    expect(a2.applied[0]!.delta.filter(([, k]) => !inA2(k))).toEqual([]);
  });

  it('alarms: an A2 screen hears of A2 entities only; an A2 officer cannot acknowledge an A1 alarm', async () => {
    await server();
    const listen = (token: string) => {
      const sock: TestSocket = openSocket(s.url, { token });
      const seen = { list: undefined as Alarm[] | undefined, raised: [] as Alarm[], updated: [] as Alarm[], sock };
      sock.on('alarms', (l) => (seen.list = l));
      sock.on('alarm:raised', (a) => seen.raised.push(a));
      sock.on('alarm:updated', (a) => seen.updated.push(a));
      cleanup.push(() => sock.close());
      return seen;
    };
    const a2 = listen(TOKENS.a2);
    const officer = listen(TOKENS.a2Officer);
    const all = listen(TOKENS.town);
    await waitFor(() => [a2, officer, all].every((x) => x.list !== undefined), 5000, 'connections');
    await post([caseIn('N01', 'U-A1', urgent), caseIn('N09', 'U-A2', urgent)]);
    await waitFor(() => all.raised.length === 2 && a2.raised.length >= 1, 3000, 'alarms');
    await new Promise((r) => setTimeout(r, 300));
    expect(a2.raised.map((a) => a.entity.id)).toEqual(['U-A2']);
    expect(officer.raised.map((a) => a.entity.id)).toEqual(['U-A2']);
    expect(all.raised.map((a) => a.entity.id).sort()).toEqual(['U-A1', 'U-A2']);

    // On (re)connection, the open ones of the place only.
    const later = listen(TOKENS.a2);
    await waitFor(() => later.list !== undefined, 3000, 'open alarms');
    expect(later.list!.map((a) => a.entity.id)).toEqual(['U-A2']);

    const ack = (id: number) => new Promise<{ ok: boolean; error?: string }>((r) => officer.sock.emit('alarm:ack', { id }, r));
    const a1Alarm = all.raised.find((a) => a.entity.id === 'U-A1')!;
    expect(await ack(a1Alarm.id)).toMatchObject({ ok: false, error: expect.stringMatching(/^forbidden/) });
    expect(await ack(a2.raised[0]!.id)).toMatchObject({ ok: true });
    await waitFor(() => all.updated.length === 1 && a2.updated.length === 1, 3000, 'acknowledgement broadcast');
    expect(all.updated[0]).toMatchObject({ ackedBy: '李娜', entity: { id: 'U-A2' } });
  });

  it('the screen API: other places are 403, lists and replay are cut to the place', async () => {
    await server();
    await post([
      caseIn('N01', 'CS-H-A1'), caseIn('N09', 'CS-H-A2'), caseIn('N15', 'CS-H-A2b'),
      caseIn('N02', 'CS-H-A1b', { deadline: '2026-11-21T09:30:00+08:00' }),
      caseIn('N16', 'CS-H-A2c', { deadline: '2026-11-21T09:40:00+08:00' }),
    ]);
    const { a2, town: all } = TOKENS;

    // Range: a forged place outside the token's → 403; none → the token's own; inside → fine.
    expect(await get('/api/v1/range?preset=today&area=A1', a2)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/v1/range?preset=today&grid=GC01', a2)).status).toBe(403);
    const own = await get('/api/v1/range?preset=today', a2);
    expect(own.status).toBe(200);
    expect(own.body.place).toBe('A2');
    expect(own.body.figures.counts).toBeDefined();
    expect((await get('/api/v1/range?preset=today&nb=N09', a2)).body.place).toBe('N09');
    expect((await get('/api/v1/range?preset=today&area=A1', all)).status).toBe(200);
    expect((await get('/api/v1/range?preset=today', all)).body.place).toBe('town');

    // Entity detail elsewhere → 403; in the place → 200.
    expect(await get('/api/v1/entities/case/CS-H-A1', a2)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/v1/entities/case/CS-H-A2', a2)).status).toBe(200);
    expect((await get('/api/v1/entities/case/CS-H-A1', all)).status).toBe(200);

    // Search: never an A1 entity, not even by its exact id.
    const ids = (r: { body: { results: Array<{ id: string }> } }) => r.body.results.map((x) => x.id).sort();
    expect(ids(await get('/api/v1/search?q=CS-H', a2))).toEqual(['CS-H-A2', 'CS-H-A2b', 'CS-H-A2c']);
    expect(ids(await get('/api/v1/search?q=CS-H-A1', a2))).toEqual([]);
    expect(ids(await get('/api/v1/search?q=CS-H', all))).toHaveLength(5);

    // Overdue (an hour on, two deadlines have passed, one in each 片区).
    clock.set(BASE_MS + 2 * 3600_000);
    expect(ids(await get('/api/v1/overdue', a2))).toEqual(['CS-H-A2c']);
    expect(ids(await get('/api/v1/overdue', all))).toEqual(['CS-H-A1b', 'CS-H-A2c']);

    // Replay: the day's events and opening state of A2 only, with A2 counter changes.
    const date = new Date(BASE_MS + 8 * 3600_000).toISOString().slice(0, 10);
    const replay = await get(`/api/v1/replay?date=${date}`, a2);
    expect(replay.status).toBe(200);
    expect(replay.body.events.map((e: StreamEvent) => e.event.id).sort()).toEqual(['CS-H-A2', 'CS-H-A2b', 'CS-H-A2c']);
    for (const e of replay.body.events as StreamEvent[]) expect(e.delta.filter(([, k]) => !inA2(k))).toEqual([]);
    if (replay.body.base) expect(replay.body.base.rollups.filter(([, k]: [number, string]) => !inA2(k))).toEqual([]);
    expect((await get(`/api/v1/replay?date=${date}`, all)).body.events).toHaveLength(5);
  });

  it('a token bound to a place the town does not have stops the server at start-up, naming the variable', async () => {
    await expect(startServer({ ...ENV, VIEWER_TOKENS: `wall-a9:${TOKENS.a2}@A9` })).rejects.toThrow(/VIEWER_TOKENS: .*A9/);
  });
});
