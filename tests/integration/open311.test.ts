// Open311 GeoReport v2 (/open311/v2/) with a real server: every answer, errors and empty lists
// included, is validated against the official JSON Schemas (tests/specs/open311/), and the lists
// are checked against a brute-force filter over the events that were posted.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEvent, IngestEventInput } from '#shared/events';
import { isOpen, startedAt } from '#shared/lifecycle';
import { DAY_MS, HOUR_MS, toShanghaiIso } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../support/events';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, town, type TestServer } from '../support/server';
import { eventFromRequest } from '../../server/src/open311/fromRequest';
import { pgProxy } from '../contract/proxy';

const KEY = 'o311-ingest-key-123';
const TOWN_TOKEN = 'o311-town-token';
const N02_TOKEN = 'o311-n02-token';
const ENV = { INGEST_KEYS: `citizen-app:${KEY}`, VIEWER_TOKENS: `town:${TOWN_TOKEN},wall-n02:${N02_TOKEN}@N02` };
const NOW = BASE_MS + 6 * HOUR_MS;

// The official schemas, as published. They put minItems inside `items` (where it applies to
// nothing), which Ajv's strict mode refuses; the schemas themselves are used unchanged.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const name of ['request', 'requests', 'service', 'services', 'service-definition'])
  ajv.addSchema(JSON.parse(readFileSync(new URL(`../specs/open311/${name}.json`, import.meta.url), 'utf8')), `${name}.json`);
// Not in the official set: written from the spec's tables ("Errors", "POST Service Request").
ajv.addSchema({
  type: 'array', minItems: 1,
  items: { type: 'object', required: ['code', 'description'], additionalProperties: false, properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } } },
}, 'errors.json');
ajv.addSchema({
  type: 'array', minItems: 1,
  items: {
    type: 'object', required: ['service_request_id'], additionalProperties: false,
    properties: { service_request_id: { type: 'string' }, service_notice: { type: ['string', 'null'] }, account_id: { type: ['string', 'null'] } },
  },
}, 'posted.json');

/** The schema an answer must follow: by its status, then by the endpoint. */
function schemaOf(method: string, path: string, status: number): string {
  if (status >= 400) return 'errors.json';
  if (method === 'POST') return 'posted.json';
  if (path.startsWith('/open311/v2/services/')) return 'service-definition.json';
  return path.startsWith('/open311/v2/services') ? 'services.json' : 'requests.json';
}

type Answer = { status: number; headers: Headers; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const answers: string[] = []; // what was validated, for the count at the end

async function call(s: TestServer, method: 'GET' | 'POST', path: string, init: { token?: string; form?: Record<string, string>; json?: unknown; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = init.token ? { authorization: `Bearer ${init.token}` } : {};
  let body: string | undefined;
  if (init.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
  if (init.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)];
  if (init.raw !== undefined) [headers['content-type'], body] = ['application/json', init.raw];
  const res = await fetch(`${s.url}${path}`, { method, headers, body });
  const answer = { status: res.status, headers: res.headers, body: await res.json() };
  const schema = schemaOf(method, path.split('?')[0]!, res.status);
  const valid = ajv.validate(schema, answer.body);
  expect(valid, `${method} ${path} → ${res.status} against ${schema}: ${ajv.errorsText()}`).toBe(true);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  answers.push(`${method} ${path} ${res.status}`);
  return answer;
}

const N01 = { lng: 121.358, lat: 31.203, neighbourhoodId: 'N01', gridId: 'GC01', compoundId: 'C001' };
const N02 = { lng: 121.3688, lat: 31.2029, neighbourhoodId: 'N02', gridId: 'GC02' };
const iso = (ms: number) => toShanghaiIso(ms);
const PHONE = '13912345678';
const ID_NUMBER = '310101199001011234';

/** What was posted to /api/v1/events: the raw events, the brute force's input. */
const posted: IngestEventInput[] = [];
function seed(): IngestEventInput[] {
  const a = makeCase({ id: 'CS-A', location: N01, description: `楼道堆物，联系人王小明${PHONE}，身份证${ID_NUMBER}`, address: `淞五居民区 馨兰小区 3号楼 ${PHONE}` }, BASE_MS - 2 * HOUR_MS);
  const b = makeCase({ id: 'CS-B', location: N02, category: 'streetOrder', subcategory: '违规停车', description: '路口违规停车' }, BASE_MS - DAY_MS);
  const c = makeCase({ id: 'CS-C', location: N02, description: '非本中心事项' }, BASE_MS - 10 * DAY_MS);
  const rxA = makeTicket({ id: 'RX-A', location: N01, summary: `联系人王小明反映夜间噪音，电话${PHONE}` }, BASE_MS - 3 * HOUR_MS);
  const rxB = makeTicket({ id: 'RX-B', location: N02, topic: '物业管理', summary: '物业不作为' }, BASE_MS - 5 * DAY_MS);
  const out: IngestEventInput[] = [
    a, next(a, 2, BASE_MS - HOUR_MS, { status: 'dispatched', department: '城管中队' }),
    b, next(b, 2, BASE_MS - 20 * HOUR_MS, { status: 'closed', closedAt: iso(BASE_MS - 20 * HOUR_MS), resolvedLevel: 'grid' }),
    c, next(c, 2, BASE_MS - 9 * DAY_MS, { status: 'returned' }),
    makeCase({ id: 'CS-OLD', location: N01 }, BASE_MS - 100 * DAY_MS), // older than the default 90 days
    rxA,
    rxB, next(rxB, 2, BASE_MS - 4 * DAY_MS, { status: 'closed', closedAt: iso(BASE_MS - 4 * DAY_MS), reply: `已联系物业，回电${PHONE}`, satisfaction: 'satisfied' }),
    makeInspection({ id: 'JC-A', location: { ...N01, compoundId: undefined } }, BASE_MS - HOUR_MS), // never a service request
  ];
  for (let i = 0; i < 12; i++) {
    const e = makeCase({
      id: `CS-P-${String(i).padStart(2, '0')}`, location: i % 2 ? N02 : { ...N01, compoundId: undefined },
      category: i % 3 ? 'community' : 'environment', subcategory: i % 3 ? '飞线充电' : '暴露垃圾', description: `巡查发现 ${i}`,
    }, BASE_MS - (i + 4) * HOUR_MS);
    // one in four closed, its versions arriving newest first
    if (i % 4 === 3) out.push(next(e, 2, BASE_MS - HOUR_MS, { status: 'closed', closedAt: iso(BASE_MS - HOUR_MS) }));
    out.push(e);
  }
  return out;
}

/** The current states (highest version) of the cases and tickets posted, the latest reported first. */
function bruteRequests(filter: (e: IngestEvent) => boolean = () => true): string[] {
  const best = new Map<string, IngestEvent>();
  for (const input of posted) {
    const e = input as IngestEvent;
    const key = `${e.kind}:${e.id}`;
    if (!best.has(key) || best.get(key)!.version < e.version) best.set(key, e);
  }
  return [...best.values()]
    .filter((e) => (e.kind === 'case' || e.kind === 'ticket') && filter(e))
    .sort((a, b) => Date.parse(startedAt(b)) - Date.parse(startedAt(a)) || a.kind.localeCompare(b.kind) || (a.id < b.id ? -1 : 1))
    .map((e) => `${e.kind}:${e.id}`);
}
const started = (e: IngestEvent) => Date.parse(startedAt(e));
const inWindow = (e: IngestEvent, from = NOW - 90 * DAY_MS, to = NOW) => started(e) >= from && started(e) <= to;
const codeOf = (e: IngestEvent) => (e.kind === 'case' ? `case-${e.category}` : e.kind === 'ticket' ? { 噪音扰民: 'hotline-noise', 物业管理: 'hotline-property' }[e.topic as string] : '');
const ids = (a: Answer) => a.body.map((r: { service_request_id: string }) => r.service_request_id);

let s: TestServer;
const get = (path: string, token: string | undefined = TOWN_TOKEN) => call(s, 'GET', `/open311/v2/${path}`, { token });
const post = (init: Parameters<typeof call>[3]) => call(s, 'POST', '/open311/v2/requests.json', init);

beforeAll(async () => {
  s = await startServer(ENV, manualClock(NOW));
  posted.push(...seed());
  const r = await s.post(posted, KEY);
  expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(posted.map(() => 'stored'));
});
afterAll(() => s?.stop());

describe('services', () => {
  it('lists every case category and 12345 topic as a realtime service with attributes', async () => {
    const r = await get('services.json');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(16);
    expect(r.body.filter((x: { group: string }) => x.group === '城运案件').map((x: { service_code: string }) => x.service_code)).toEqual([
      'case-community', 'case-environment', 'case-streetOrder', 'case-facilities', 'case-ecology', 'case-safety',
    ]);
    expect(r.body.find((x: { service_code: string }) => x.service_code === 'hotline-noise')).toEqual(expect.objectContaining({
      service_name: '噪音扰民', group: '12345热线', metadata: true, type: 'realtime',
    }));
  });

  it('defines each service: the subcategory of a case (required), the type of a ticket (optional)', async () => {
    const all = (await get('services.json')).body as Array<{ service_code: string }>;
    for (const { service_code } of all) expect((await get(`services/${service_code}.json`)).body.service_code).toBe(service_code);
    const community = (await get('services/case-community.json')).body.attributes[0];
    expect(community).toMatchObject({ code: 'subcategory', datatype: 'singlevaluelist', required: true });
    expect(community.values.map((v: { key: string }) => v.key)).toEqual(['楼道堆物', '飞线充电', '非机动车乱停放', '小区维修', '物业管理', '车棚破损']);
    const noise = (await get('services/hotline-noise.json')).body.attributes[0];
    expect(noise).toMatchObject({ code: 'ticket_type', required: false });
    expect(noise.values.map((v: { key: string }) => v.key)).toEqual(['consult', 'help', 'complaint', 'suggestion', 'report']);
  });

  it('answers an unknown service, another format or jurisdiction with 404, and no key with 403', async () => {
    expect((await get('services/case-parcels.json')).body).toEqual([{ code: 404, description: 'service_code: no service case-parcels (see services.json)' }]);
    expect((await get('services/case-community.xml')).status).toBe(404);
    expect((await get('services.xml')).status).toBe(404);
    expect((await get('services.json?jurisdiction_id=meilong')).body[0]).toMatchObject({ code: 404, description: expect.stringMatching(/^jurisdiction_id: meilong is not served here; this endpoint serves xinjing/) });
    expect((await get('services.json?jurisdiction_id=xinjing')).status).toBe(200);
    expect((await get('services.json', '')).body).toEqual([{ code: 403, description: 'api_key: required (an ingest key), or a screen token as Authorization: Bearer <token>' }]);
    expect((await get('services.json?api_key=wrong-key', '')).status).toBe(403);
    expect((await get(`services.json?api_key=${KEY}`, '')).status).toBe(200);
  });
});

describe('GET requests', () => {
  it('lists the cases and tickets of the last 90 days, the latest requested first, mapped and masked', async () => {
    const r = await get('requests.json');
    expect(ids(r)).toEqual(bruteRequests((e) => inWindow(e)));
    expect(ids(r)).toHaveLength(17); // 15 cases and 2 tickets; not CS-OLD (100 days ago), not the inspection
    const a = r.body.find((x: { service_request_id: string }) => x.service_request_id === 'case:CS-A');
    expect(a).toEqual({
      service_request_id: 'case:CS-A', status: 'open', status_notes: '派单 dispatched', service_name: '小区管理', service_code: 'case-community',
      description: '楼道堆物，联系人王**139****5678，身份证310101********1234', agency_responsible: '城管中队',
      requested_datetime: iso(BASE_MS - 2 * HOUR_MS), updated_datetime: iso(BASE_MS - HOUR_MS), expected_datetime: iso(BASE_MS + 22 * HOUR_MS),
      address: '淞五居民区 馨兰小区 3号楼 139****5678', lat: 31.203, long: 121.358,
    });
    const b = r.body.find((x: { service_request_id: string }) => x.service_request_id === 'case:CS-B');
    expect(b).toMatchObject({ status: 'closed', status_notes: '结案 closed · 网格内解决', service_code: 'case-streetOrder', updated_datetime: iso(BASE_MS - 20 * HOUR_MS), agency_responsible: '新泾镇城运中心' });
    expect(r.body.find((x: { service_request_id: string }) => x.service_request_id === 'case:CS-C')).toMatchObject({ status: 'closed', status_notes: '退回 returned' });
    expect(r.body.find((x: { service_request_id: string }) => x.service_request_id === 'ticket:RX-B')).toMatchObject({
      status: 'closed', service_code: 'hotline-property', status_notes: '办结 closed · 答复：已联系物业，回电139****5678', updated_datetime: iso(BASE_MS - 4 * DAY_MS),
    });
    expect(r.body.find((x: { service_request_id: string }) => x.service_request_id === 'ticket:RX-A')).toMatchObject({
      status: 'open', description: '联系人王**反映夜间噪音，电话139****5678', agency_responsible: '新泾镇城运中心',
    });
    expect(JSON.stringify(r.body)).not.toMatch(new RegExp(`${PHONE}|${ID_NUMBER}|王小明`));
  });

  it('filters by status, service_code and start_date/end_date, each against brute force', async () => {
    const cases: Array<[string, (e: IngestEvent) => boolean]> = [
      ['status=open', (e) => inWindow(e) && isOpen(e)],
      ['status=closed', (e) => inWindow(e) && !isOpen(e)],
      ['status=open,closed', (e) => inWindow(e)],
      ['service_code=case-community', (e) => inWindow(e) && codeOf(e) === 'case-community'],
      ['service_code=case-environment,hotline-noise', (e) => inWindow(e) && ['case-environment', 'hotline-noise'].includes(codeOf(e)!)],
      ['service_code=hotline-property&status=closed', (e) => inWindow(e) && codeOf(e) === 'hotline-property' && !isOpen(e)],
      [`start_date=${encodeURIComponent(iso(BASE_MS - DAY_MS))}`, (e) => inWindow(e, BASE_MS - DAY_MS, BASE_MS - DAY_MS + 90 * DAY_MS)],
      [`end_date=${encodeURIComponent(iso(BASE_MS - 5 * HOUR_MS))}`, (e) => inWindow(e, BASE_MS - 5 * HOUR_MS - 90 * DAY_MS, BASE_MS - 5 * HOUR_MS)],
      [`start_date=${encodeURIComponent(iso(BASE_MS - 120 * DAY_MS))}&end_date=${encodeURIComponent(iso(BASE_MS - 40 * DAY_MS))}`, (e) => inWindow(e, BASE_MS - 120 * DAY_MS, BASE_MS - 40 * DAY_MS)],
      [`start_date=${encodeURIComponent(iso(BASE_MS - 6 * HOUR_MS))}&end_date=${encodeURIComponent(iso(BASE_MS - 3 * HOUR_MS))}&status=open`, (e) => inWindow(e, BASE_MS - 6 * HOUR_MS, BASE_MS - 3 * HOUR_MS) && isOpen(e)],
      ['service_code=case-safety', () => false], // an empty list is an answer too
    ];
    const sizes = [];
    for (const [query, filter] of cases) {
      const r = await get(`requests.json?${query}`);
      expect(r.status, query).toBe(200);
      expect(ids(r), query).toEqual(bruteRequests(filter));
      sizes.push(r.body.length);
    }
    expect(sizes).toEqual([11, 6, 17, 10, 5, 1, 15, 14, 1, 4, 0]);
  });

  it('pages with page and page_size; service_request_id lists ids and overrides the rest', async () => {
    const all = bruteRequests((e) => inWindow(e));
    const paged: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const r = await get(`requests.json?page_size=5&page=${page}`);
      expect(r.body.length).toBe(page < 4 ? 5 : 2);
      paged.push(...ids(r));
    }
    expect(paged).toEqual(all);
    expect((await get('requests.json?page_size=5&page=5')).body).toEqual([]);
    expect(ids(await get('requests.json?page_size=3'))).toEqual(all.slice(0, 3));

    const r = await get('requests.json?service_request_id=ticket:RX-B,case:CS-OLD,case:NOPE,inspection:JC-A,case:CS-A&status=open');
    expect(ids(r)).toEqual(['ticket:RX-B', 'case:CS-OLD', 'case:CS-A']); // in the order asked; closed RX-B and 100-day-old CS-OLD too
  });

  it('with extensions=true each request carries its attributes, and such a dump reads back as the same cases', async () => {
    const r = await get('requests.json?extensions=true');
    expect(ids(r)).toEqual(bruteRequests((e) => inWindow(e)));
    const byId = new Map<string, { attributes: unknown }>(r.body.map((x: { service_request_id: string; attributes: unknown }) => [x.service_request_id, x]));
    expect(byId.get('case:CS-B')!.attributes).toEqual([{ code: 'subcategory', name: '小类', value: '违规停车' }]);
    expect(byId.get('ticket:RX-A')!.attributes).toEqual([{ code: 'ticket_type', name: '工单类型', value: 'complaint' }]);
    expect((await get('requests.json')).body.every((x: object) => !('attributes' in x))).toBe(true);
    expect((await get('requests/case:CS-B.json?extensions=true')).body[0].attributes).toEqual([{ code: 'subcategory', name: '小类', value: '违规停车' }]);

    // the import tool's Open311 reader maps each request back (server/src/open311/fromRequest.ts)
    const states = new Map(posted.map((e) => [`${e.kind}:${e.id}`, e as IngestEvent]));
    for (const e of posted) if ((e.version ?? 1) > states.get(`${e.kind}:${e.id}`)!.version) states.set(`${e.kind}:${e.id}`, e as IngestEvent);
    for (const req of r.body) {
      const back = eventFromRequest(req, town);
      const was = states.get(req.service_request_id)!;
      if (was.kind === 'ticket') {
        expect(back).toEqual({ ok: false, error: "phone: a 12345 ticket needs the caller's phone, which GeoReport answers leave out (a 12345 export adds it as `phone`)" });
        continue;
      }
      if (!back.ok || back.event.kind !== 'case' || was.kind !== 'case') throw new Error(`${req.service_request_id} did not map back: ${JSON.stringify(back)}`);
      expect(back.event).toMatchObject({
        id: was.id, version: isOpen(was) ? 1 : 2, category: was.category, subcategory: was.subcategory, source: 'hotline',
        reportedAt: iso(Date.parse(was.reportedAt)), deadline: iso(Date.parse(was.deadline)),
        location: { neighbourhoodId: was.location.neighbourhoodId, gridId: was.location.gridId, lng: was.location.lng, lat: was.location.lat },
      });
      expect(back.event.status).toBe(isOpen(was) ? 'reported' : 'closed');
    }
  });

  it('answers one request by its id, as an array of one', async () => {
    const r = await get('requests/case:CS-B.json');
    expect(ids(r)).toEqual(['case:CS-B']);
    expect(ids(await get('requests/case%3ACS-A.json'))).toEqual(['case:CS-A']);
    expect((await get('requests/case:NOPE.json')).body).toEqual([{ code: 404, description: 'service_request_id: no request case:NOPE (ids read case:<id> or ticket:<id>)' }]);
    expect((await get('requests/inspection:JC-A.json')).status).toBe(404);
    expect((await get('requests/CS-A.json')).status).toBe(404);
    expect((await get('requests/case:CS-A.xml')).status).toBe(404);
  });

  it('a token bound to a 居民区 sees its requests only', async () => {
    const r = await get('requests.json', N02_TOKEN);
    expect(ids(r)).toEqual(bruteRequests((e) => inWindow(e) && e.location.neighbourhoodId === 'N02'));
    expect(ids(r)).toHaveLength(9);
    expect(ids(await get('requests.json?service_request_id=case:CS-A,case:CS-B', N02_TOKEN))).toEqual(['case:CS-B']);
    expect((await get('requests/case:CS-A.json', N02_TOKEN)).body).toEqual([{ code: 403, description: 'service_request_id: case:CS-A is outside N02, the place of this token' }]);
    expect(ids(await get('requests/case:CS-B.json', N02_TOKEN))).toEqual(['case:CS-B']);
  });

  it('refuses bad parameters with 400 naming them, and no key with 403', async () => {
    const errors = async (path: string, token?: string) => {
      const r = await get(path, token);
      return [r.status, r.body.map((e: { description: string }) => e.description)];
    };
    expect(await errors('requests.json?status=opened')).toEqual([400, ['status.0: Invalid option: expected one of "open"|"closed"']]);
    expect(await errors('requests.json?service_code=case-parcels')).toEqual([400, ['service_code: no service case-parcels (see services.json)']]);
    expect(await errors('requests.json?start_date=2026-11-01')).toEqual([400, ['start_date: expected an ISO-8601 time with offset, e.g. 2026-11-21T09:30:00+08:00']]);
    expect(await errors(`requests.json?start_date=${encodeURIComponent(iso(BASE_MS - 100 * DAY_MS))}&end_date=${encodeURIComponent(iso(BASE_MS))}`))
      .toEqual([400, ['end_date: start_date and end_date may span at most 90 days']]);
    expect(await errors(`requests.json?start_date=${encodeURIComponent(iso(BASE_MS))}&end_date=${encodeURIComponent(iso(BASE_MS - DAY_MS))}`))
      .toEqual([400, ['end_date: must not be before start_date']]);
    expect(await errors('requests.json?page_size=1001&page=0')).toEqual([400, ['page: Too small: expected number to be >=1', 'page_size: Too big: expected number to be <=1000']]);
    expect(await errors(`requests.json?service_request_id=${Array.from({ length: 101 }, (_, i) => `case:X${i}`).join(',')}`)).toEqual([400, ['service_request_id: at most 100 ids']]);
    expect(await errors('requests.json', '')).toEqual([403, ['api_key: required (an ingest key), or a screen token as Authorization: Bearer <token>']]);
    expect(await errors('requests.json', 'not-a-token')).toEqual([403, ['api_key: not a valid key (nor is the Bearer token a screen token)']]);
    expect((await get(`requests.json?api_key=${KEY}`, '')).body).toHaveLength(17);
    expect((await get('nothing-here.json')).body).toEqual([{ code: 404, description: 'GET /open311/v2/nothing-here.json: no such resource; this server answers services.json, services/{service_code}.json, requests.json and requests/{service_request_id}.json (JSON only)' }]);
  });
});

describe('POST requests', () => {
  const C003 = { lat: '31.20313', long: '121.36691' }; // inside 淞三新苑, 居民区 淞三 (N02)

  it('a form-encoded case request is stored through ingest, listed, and visible to the screen API; sent again, it is the same request', async () => {
    const form = {
      api_key: KEY, service_code: 'case-community', ...C003, 'attribute[subcategory]': '飞线充电',
      description: `5号楼飞线充电，联系人李小红${PHONE}`, phone: PHONE, email: 'a@example.cn', first_name: '小红', last_name: '李',
    };
    const r = await post({ form });
    expect(r.status).toBe(200);
    const [{ service_request_id: id, service_notice }] = r.body;
    expect(id).toMatch(/^case:CS-O311-20261121-[0-9a-f]{12}$/);
    expect(service_notice).toBe(`城运案件已受理 received; expected by ${iso(NOW + DAY_MS)}`);

    const listed = (await get('requests.json?service_code=case-community')).body[0];
    expect(listed).toEqual({
      service_request_id: id, status: 'open', status_notes: '发现 reported', service_name: '小区管理', service_code: 'case-community',
      description: '5号楼飞线充电，联系人李**139****5678', agency_responsible: '新泾镇城运中心',
      requested_datetime: iso(NOW), updated_datetime: iso(NOW), expected_datetime: iso(NOW + DAY_MS),
      address: '新泾镇 淞三居民区 淞三新苑', lat: 31.20313, long: 121.36691,
    });
    expect(ids(await get(`requests/${id}.json`))).toEqual([id]);
    expect(ids(await get('requests.json', N02_TOKEN))).toContain(id);

    const entity = await fetch(`${s.url}/api/v1/entities/case/${id.slice(5)}`, { headers: { authorization: `Bearer ${TOWN_TOKEN}` } }).then((x) => x.json() as Promise<{ entity: unknown }>);
    expect(entity.entity).toMatchObject({
      kind: 'case', version: 1, status: 'reported', source: 'hotline', category: 'community', subcategory: '飞线充电', reporterPhone: '139****5678',
      location: { neighbourhoodId: 'N02', gridId: 'GC02', compoundId: 'C003', lat: 31.20313, lng: 121.36691 }, reportedAt: iso(NOW), deadline: iso(NOW + DAY_MS),
    });
    expect(JSON.stringify(entity)).not.toMatch(/a@example|小红/); // names and e-mail are not kept

    const again = await post({ form });
    expect(again.body).toEqual([{ service_request_id: id, service_notice: 'already received: this request was sent before, nothing was stored again', account_id: null }]);
    const history = await s.store.read.history('case', id.slice(5));
    expect(history.map((h) => h.source)).toEqual(['citizen-app']);
  });

  it('a JSON ticket request: the type an attribute, help by default; the phone required and masked', async () => {
    const json = { api_key: KEY, service_code: 'hotline-noise', lat: 31.203, long: 121.3596, description: '楼下广场舞噪音', phone: '021-62345678', attribute: { ticket_type: 'complaint' } };
    const r = await post({ json });
    expect(r.status).toBe(200);
    const id = r.body[0].service_request_id as string;
    expect(id).toMatch(/^ticket:RX-O311-20261121-[0-9a-f]{12}$/);
    const [got] = (await get(`requests/${id}.json`)).body;
    expect(got).toMatchObject({ status: 'open', status_notes: '受理 received', service_code: 'hotline-noise', expected_datetime: iso(NOW + 5 * DAY_MS), address: '新泾镇 淞五居民区' });
    const stored = await s.store.read.entity('ticket', id.slice(7));
    expect(stored).toMatchObject({ ticketType: 'complaint', callerPhone: '021-62345678', firstContactDueAt: iso(NOW + 2 * HOUR_MS), location: { neighbourhoodId: 'N01', gridId: 'GC01' } });

    const help = await post({ json: { ...json, description: '咨询助餐点', service_code: 'hotline-meal-points', attribute: undefined } });
    expect(await s.store.read.entity('ticket', help.body[0].service_request_id.slice(7))).toMatchObject({ ticketType: 'help', topic: '助餐点布局', dueAt: iso(NOW + 5 * DAY_MS) });
    // both posted now: by id among themselves, then RX-A (3 hours before)
    expect(ids(await get('requests.json?service_code=hotline-noise,hotline-meal-points&status=open'))).toEqual([...[help.body[0].service_request_id, id].sort(), 'ticket:RX-A']);
  });

  it('refuses with GeoReport errors naming the field: 403 without an ingest key, 404 unknown service, 400 otherwise; nothing stored', async () => {
    const base = { api_key: KEY, service_code: 'case-community', ...C003, 'attribute[subcategory]': '楼道堆物', description: '楼道堆物' };
    const errors = async (init: Parameters<typeof post>[0]) => {
      const r = await post(init);
      return [r.status, r.body.map((e: { code: number; description: string }) => `${e.code} ${e.description}`)];
    };
    const { api_key: _key, ...noKey } = base;
    expect(await errors({ form: noKey })).toEqual([403, ['403 api_key: required to post (an ingest key)']]);
    expect(await errors({ form: { ...base, api_key: TOWN_TOKEN } })).toEqual([403, ['403 api_key: not a valid ingest key']]);
    expect(await errors({ form: noKey, token: TOWN_TOKEN })).toEqual([403, ['403 api_key: required to post (an ingest key)']]); // a screen token reads only
    expect(await errors({ form: { ...base, service_code: 'case-parcels' } })).toEqual([404, ['404 service_code: no service case-parcels (see services.json)']]);
    expect(await errors({ form: { ...base, jurisdiction_id: 'meilong' } })).toEqual([404, ['404 jurisdiction_id: meilong is not served here; this endpoint serves xinjing (新泾镇)']]);
    const { service_code: _code, ...noCode } = base;
    expect(await errors({ form: noCode })).toEqual([400, ['400 service_code: required: a service_code of GET services.json']]);
    const { lat: _lat, long: _long, ...noPoint } = base;
    expect(await errors({ form: { ...noPoint, address_string: '泉口路109弄' } }))
      .toEqual([400, ['400 lat/long: required; this server places a request by its coordinates (an address_string or address_id alone cannot be placed)']]);
    expect(await errors({ form: { ...base, lat: '39.909', long: '116.397' } })).toEqual([400, ['400 lat/long: 39.909, 116.397 is not inside 新泾镇 (WGS84 degrees, lat first)']]);
    expect(await errors({ form: { ...base, lat: 'north' } })).toEqual([400, ['400 lat: expected a number (WGS84 degrees)']]);
    expect(await errors({ form: { ...base, lat: '91' } })).toEqual([400, ['400 lat: expected WGS84 degrees from -90 to 90']]);
    const { 'attribute[subcategory]': _sub, ...noSub } = base;
    expect(await errors({ form: noSub })).toEqual([400, ['400 attribute[subcategory]: required, one of 楼道堆物, 飞线充电, 非机动车乱停放, 小区维修, 物业管理, 车棚破损']]);
    expect(await errors({ form: { ...base, 'attribute[subcategory]': '违规停车' } })).toEqual([400, ['400 attribute[subcategory]: not a subcategory of community']]);
    expect(await errors({ form: { ...base, description: 'x'.repeat(501) } })).toEqual([400, ['400 description: Too big: expected string to have <=500 characters']]);
    expect(await errors({ form: { ...base, description: '' } })).toEqual([400, ['400 description: required: what is wrong, and where']]);
    expect(await errors({ form: { ...base, phone: '12345' } })).toEqual([400, ['400 phone: expected a mainland phone number']]);
    expect(await errors({ form: { ...base, service_code: 'hotline-noise' } }))
      .toEqual([400, ["400 phone: required for a 12345 ticket (the caller's number, for 先行联系 and the satisfaction call)"]]);
    expect(await errors({ json: { ...base, attribute: { ticket_type: 'gossip' }, service_code: 'hotline-noise', phone: PHONE } }))
      .toEqual([400, ['400 attribute[ticket_type]: Invalid option: expected one of "consult"|"help"|"complaint"|"suggestion"|"report"']]);
    expect(await errors({ raw: '{"service_code": ' })).toEqual([400, [expect.stringMatching(/^400 body: /)]]);
    const array = await call(s, 'POST', `/open311/v2/requests.json?api_key=${KEY}`, { json: [base] });
    expect([array.status, array.body]).toEqual([400, [{ code: 400, description: 'body: expected form fields or one JSON object' }]]);
    expect((await post({ form: { ...base, description: 'x'.repeat(70_000) } })).status).toBe(413);
    // none of it was stored
    expect(ids(await get('requests.json?service_code=case-community&status=open')).filter((x: string) => x.includes('O311'))).toHaveLength(1);
  });

  it('checked every answer against the schemas', () => {
    expect(answers.length).toBeGreaterThan(80);
  });
});

describe('POST requests while the database cannot be reached', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('answers 503 with Retry-After, reads too, and stores nothing; sent again once it is back, the request is stored once', async () => {
    const proxy = await pgProxy(db.url);
    const pg = await startServer({ ...ENV, STORE: 'postgres', DATABASE_URL: proxy.url }, manualClock(NOW));
    try {
      const form = { api_key: KEY, service_code: 'case-safety', lat: '31.2029', long: '121.3688', 'attribute[subcategory]': '消防通道堵塞', description: '消防通道被占' };
      await proxy.stop();
      const down = await call(pg, 'POST', '/open311/v2/requests.json', { form });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('2');
      expect(down.body).toEqual([{ code: 503, description: 'the database cannot be reached: nothing of this request was stored; send it again' }]);
      const read = await call(pg, 'GET', '/open311/v2/requests.json', { token: TOWN_TOKEN });
      expect([read.status, read.headers.get('retry-after')]).toEqual([503, '2']);
      await proxy.start();
      let up = down;
      for (let tries = 0; up.status === 503 && tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 100)); // as a client honouring Retry-After, sooner
        up = await call(pg, 'POST', '/open311/v2/requests.json', { form });
      }
      expect(up.status).toBe(200);
      const list = await call(pg, 'GET', '/open311/v2/requests.json?service_code=case-safety', { token: TOWN_TOKEN });
      expect(ids(list)).toEqual([up.body[0].service_request_id]);
      expect(await pg.store.read.history('case', up.body[0].service_request_id.slice(5))).toHaveLength(1);
    } finally {
      await proxy.start().catch(() => undefined);
      await pg.stop();
      await proxy.stop();
    }
  });
});
