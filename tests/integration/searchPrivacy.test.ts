// Search cannot de-mask (docs/privacy.md): it matches ids and the masked address only, so the hidden
// digits of 139****5678 are not recovered by trying candidates, nor a masked name by its full name;
// and it is limited per screen token: 429 with Retry-After after SEARCH_PER_MINUTE searches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PER_MINUTE } from '../../server/src/http/searchLimit';
import { makeCase, makeTicket } from '../support/events';
import { startServer, type TestServer } from '../support/server';

let s: TestServer;
const search = async (q: string, token = 'demo-officer') => {
  const res = await fetch(`${s.url}/api/v1/search?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const ids = async (q: string) => {
  const r = await search(q);
  expect(r.status, q).toBe(200);
  return r.body.results.map((x: { id: string }) => x.id);
};

beforeAll(async () => {
  s = await startServer();
  const res = await s.post([
    makeCase({ id: 'CS-PHONE', address: '淞五居民区 联系人王小明 13912345678' }),
    makeTicket({ id: 'RX-PLAIN', address: '泉口路109弄 5号' }),
  ]);
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['stored', 'stored']);
});
afterAll(() => s?.stop());

describe('search and personal data', () => {
  it('finds what screens see, by id or masked address, and nothing they do not', async () => {
    expect(await ids('139****5678')).toEqual(['CS-PHONE']);
    expect((await search('139****5678')).body.results[0].address).toBe('淞五居民区 联系人王** 139****5678');
    expect(await ids('cs-phone')).toEqual(['CS-PHONE']);
    expect(await ids('泉口路109弄')).toEqual(['RX-PLAIN']);
    expect(await ids('联系人王')).toEqual(['CS-PHONE']);
    for (const hidden of ['13912345678', '139 1234 5678', '１３９１２３４５６７８', '1391234', '王小明', '小明'])
      expect(await ids(hidden), hidden).toEqual([]);
  });

  it('the recovery attack finds nothing and is stopped after the limit with 429 and Retry-After', async () => {
    let answered = 0;
    let found = 0;
    let refused: Awaited<ReturnType<typeof search>> | undefined;
    for (let m = 0; m < 10_000 && !refused; m++) {
      const r = await search(`139${String(m).padStart(4, '0')}5678`, 'demo-viewer');
      if (r.status === 429) refused = r;
      else {
        expect(r.status).toBe(200);
        answered++;
        found += r.body.results.length;
      }
    }
    expect(found).toBe(0);
    expect(answered).toBe(SEARCH_PER_MINUTE);
    expect(refused!.body).toEqual({ error: 'rate_limited', message: expect.stringMatching(/^at most 30 searches a minute per screen token: retry in \d+ s/) });
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(60);
    // per token: another screen still searches, and the other reads are not limited
    expect((await search('泉口路', 'demo-officer')).status).toBe(200);
    const overdue = await fetch(`${s.url}/api/v1/overdue`, { headers: { authorization: 'Bearer demo-viewer' } });
    expect(overdue.status).toBe(200);
    // a request without a token is refused before it is counted
    expect((await fetch(`${s.url}/api/v1/search?q=x`)).status).toBe(401);
  });
});
