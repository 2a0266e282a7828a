// The "Hardening" issue's absurd inputs, retried over HTTP the way they were first sent: each is
// rejected naming its field, nothing of it is stored, and the valid items beside it are (docs/input.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toShanghaiIso } from '#shared/time';
import { makeCase, makeTicket } from '../support/events';
import { startServer, type TestServer } from '../support/server';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

const HOUR = 3600_000;
/** A valid case of an hour ago: the window around the clock is real time here. */
const recentCase = (over: Record<string, unknown> = {}) => makeCase(over, Math.floor((Date.now() - HOUR) / 1000) * 1000);
const logFrom = async (seq: number) => (await s.store.log.readAfter(seq, 10_000)).map((e) => e.event);
const seqNow = async () => (await s.store.log.bounds()).latest;

async function post(body: string, contentType = 'application/json') {
  const res = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { 'content-type': contentType, authorization: 'Bearer demo-ingest-key' }, body });
  return { status: res.status, body: (await res.json()) as { results: Array<{ index: number; status: string; seq?: number; errors?: Array<{ path: string; message: string }> }> } };
}

describe('absurd event times', () => {
  it.each([
    ['2099', '2099-03-01T09:00:00+08:00', ['occurredAt: is in the future (more than 10 minutes ahead of the server clock)']],
    ['9999', '9999-12-31T23:59:59+08:00', ['occurredAt: is in the future (more than 10 minutes ahead of the server clock)']],
    ['0000', '0000-01-01T00:00:00+08:00', [expect.stringMatching(/^occurredAt: is more than 5 years before the server clock/), expect.stringMatching(/^reportedAt: is more than 5 years before/)]],
  ])('an event of the year %s is rejected naming its time, and nothing is stored', async (_year, iso, errors) => {
    const before = await seqNow();
    const r = await post(JSON.stringify([makeCase({ id: `Y-${iso.slice(0, 4)}`, occurredAt: iso, reportedAt: iso, deadline: iso })]));
    expect(r.status).toBe(200);
    expect(r.body.results[0]!.status).toBe('rejected');
    expect(r.body.results[0]!.errors!.map((e) => `${e.path}: ${e.message}`)).toEqual(errors);
    expect(await seqNow()).toBe(before);
  });

  it('a deadline in 2099 on an event of today is rejected naming the deadline', async () => {
    const r = await post(JSON.stringify(recentCase({ id: 'Y-DEADLINE', deadline: '2099-01-01T00:00:00+08:00' })));
    expect(r.body.results[0]!.errors).toEqual([{ path: 'deadline', message: 'must fall within 366 days of reportedAt' }]);
  });
});

describe('free text', () => {
  it.each([
    ['NUL', '楼道\u0000堆物', 'U+0000 (a control character) at character 3'],
    ['RLO', '楼道\u202Egnp.exe', 'U+202E (a bidirectional override) at character 3'],
    ['a lone surrogate', '楼道\uD800堆物', 'U+D800 (an unpaired surrogate) at character 3'],
  ])('%s in a description is rejected naming the field, and nothing is stored', async (_what, description, message) => {
    const before = await seqNow();
    // JSON.stringify writes the lone surrogate as the escape \ud800, as a source system would send it.
    const r = await post(JSON.stringify([recentCase({ id: 'T-BAD', description })]));
    expect(r.body.results[0]!.status).toBe('rejected');
    expect(r.body.results[0]!.errors).toEqual([{ path: 'description', message: expect.stringMatching(new RegExp(`^${message.replace(/[()+]/g, '\\$&')}`)) }]);
    expect(await seqNow()).toBe(before);
  });

  it('stores text with line breaks and an emoji exactly as sent (nothing rewritten after the acknowledgement)', async () => {
    const before = await seqNow();
    const description = '楼道堆放杂物\n影响通行 😀';
    const r = await post(JSON.stringify([recentCase({ id: 'T-OK', description })]));
    expect(r.body.results[0]!.status).toBe('stored');
    const [stored] = await logFrom(before);
    expect(stored!.kind === 'case' && stored!.description).toBe(description);
  });
});

describe('a dangerous key', () => {
  // Written as a source system sends it: the key is in the JSON text.
  const batchOf3 = (bad: string) =>
    `[${JSON.stringify(recentCase({ id: 'P-1' }))},${JSON.stringify(makeTicket({ id: 'P-2' }, Date.now() - HOUR)).replace(/^\{/, `{${bad},`)},${JSON.stringify(recentCase({ id: 'P-3' }))}]`;

  it('__proto__ in one item of a batch of 3 rejects that item only; the other two are stored', async () => {
    const before = await seqNow();
    const r = await post(batchOf3('"__proto__":{"polluted":true}'));
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { index: 0, status: 'stored', seq: before + 1 },
      { index: 1, status: 'rejected', errors: [{ path: '__proto__', message: 'the key "__proto__" is not accepted: it can reach JavaScript object prototypes' }] },
      { index: 2, status: 'stored', seq: before + 2 },
    ]);
    expect((await logFrom(before)).map((e) => e.id)).toEqual(['P-1', 'P-3']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('constructor.prototype nested in the location rejects its item naming the path', async () => {
    const before = await seqNow();
    const item = recentCase({ id: 'P-4' }) as { location: object };
    const text = JSON.stringify(item).replace('"location":{', '"location":{"constructor":{"prototype":{"polluted":true}},');
    const r = await post(`[${text},${JSON.stringify(recentCase({ id: 'P-5' }))}]`);
    expect(r.body.results[0]).toEqual({ index: 0, status: 'rejected', errors: [{ path: 'location.constructor', message: expect.stringContaining('"constructor" is not accepted') }] });
    expect(r.body.results[1]).toMatchObject({ status: 'stored' });
    expect((await logFrom(before)).map((e) => e.id)).toEqual(['P-5']);
  });

  it('the same in NDJSON lines', async () => {
    const before = await seqNow();
    const lines = [JSON.stringify(recentCase({ id: 'P-6' })), `{"__proto__":{"polluted":true},${JSON.stringify(recentCase({ id: 'P-7' })).slice(1)}`, JSON.stringify(recentCase({ id: 'P-8' }))];
    const r = await post(lines.join('\n'), 'application/x-ndjson');
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.errors?.[0]?.path])).toEqual([['stored', undefined], ['rejected', '__proto__'], ['stored', undefined]]);
    expect((await logFrom(before)).map((e) => e.id)).toEqual(['P-6', 'P-8']);
  });

  it('a valid version after the rejected one is stored (its id was never taken)', async () => {
    const r = await post(JSON.stringify(makeTicket({ id: 'P-2', occurredAt: toShanghaiIso(Date.now() - HOUR) }, Date.now() - 2 * HOUR)));
    expect(r.body.results[0]).toMatchObject({ status: 'stored' });
  });
});
