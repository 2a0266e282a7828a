// The bulk import tool (scripts/import, docs/import.md) run as a real child process against a real
// server, and NDJSON ingest bodies. Every figure is checked against a brute-force count over the
// files' own lines and against what the store holds.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, type IngestEventInput } from '#shared/events';
import { makeCase, makeTicket } from '../support/events';
import { startFaultProxy, type Fault } from '../support/faultProxy';
import { startServer, type TestServer } from '../support/server';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'demo-ingest-key';
let s: TestServer;
let dir: string;

beforeAll(async () => {
  s = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'onescreen-import-'));
});
afterAll(async () => {
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number | null; stdout: string; stderr: string }

function startImport(args: string[], env: Record<string, string> = {}) {
  const { INGEST_KEY: _unset, ...base } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import/main.ts', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}
const runImport = (args: string[], env?: Record<string, string>) => startImport(args, env).done;

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const keyOf = (e: { kind: string; id: string; version: number }) => `${e.kind}|${e.id}|${e.version}`;

/** kind|id|version of every stored event whose id starts with the prefix, one per stored row. */
async function storedKeys(prefix: string): Promise<string[]> {
  const all = await s.store.log.readAfter(0, 1_000_000);
  return all.filter((x) => x.event.id.startsWith(prefix)).map((x) => keyOf(x.event)).sort();
}

/** A file's line of the summary: `file: 9 read, 7 stored, 0 duplicate, 2 rejected[, n not answered]`. */
function counts(stdout: string, file: string) {
  const line = stdout.split('\n').find((l) => l.startsWith(`${file}: `));
  const m = /: (\d+) read, (\d+) stored, (\d+) duplicate, (\d+) rejected(?:, (\d+) not answered)?$/.exec(line ?? '');
  if (!m) throw new Error(`no counts for ${file} in:\n${stdout}`);
  return { read: +m[1]!, stored: +m[2]!, duplicate: +m[3]!, rejected: +m[4]!, unanswered: +(m[5] ?? 0) };
}

/** The summary's rejected lines, `file:line…: reason`. */
const rejectedLines = (stdout: string) => {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => /^Rejected \(\d+\):$/.test(l));
  if (from < 0) return [];
  const n = Number(/\d+/.exec(lines[from]!)![0]);
  return lines.slice(from + 1, from + 1 + n);
};

/** Brute force over a file's records in order: the keys of valid items, and what a first run answers. */
function expectFor(records: Array<IngestEventInput | 'bad'>, stored: ReadonlySet<string> = new Set()) {
  const seen = new Set(stored);
  let fresh = 0;
  let dup = 0;
  let bad = 0;
  for (const r of records) {
    if (r === 'bad') bad++;
    else if (seen.has(keyOf(r))) dup++;
    else {
      seen.add(keyOf(r));
      fresh++;
    }
  }
  return { stored: fresh, duplicate: dup, rejected: bad, keys: seen };
}

describe('POST /api/v1/events with application/x-ndjson', () => {
  const postNdjson = async (body: string) => {
    const res = await fetch(`${s.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${KEY}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it.each(['cases', 'tickets', 'inspections'])('stores fixtures/events/%s.ndjson posted as it is, each line answered with its number', async (name) => {
    const text = readFileSync(join(ROOT, `fixtures/events/${name}.ndjson`), 'utf8');
    const lines = text.trim().split('\n');
    const before = (await s.store.log.bounds()).latest;
    const r = await postNdjson(text);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual(lines.map((_, i) => ({ index: i, line: i + 1, status: 'stored', seq: before + 1 + i })));
    const again = await postNdjson(text);
    expect(again.body.results.map((x: { status: string }) => x.status)).toEqual(lines.map(() => 'duplicate'));
    const stored = (await s.store.log.readAfter(before, 10_000)).map((x) => keyOf(x.event));
    expect(stored).toEqual(lines.map((l) => keyOf(JSON.parse(l) as IngestEventInput)));
  });

  it('rejects a line that is not JSON by itself, naming its line; blank lines are skipped; valid lines are stored', async () => {
    const body = [
      JSON.stringify(makeCase({ id: 'ND-1' })),
      '',
      '{"kind": "case",',
      JSON.stringify(makeCase({ id: 'ND-2', version: 0 })) + '\r',
      '   ',
      JSON.stringify(makeTicket({ id: 'ND-3' })),
      '',
    ].join('\n');
    const before = (await s.store.log.bounds()).latest;
    const r = await postNdjson(body);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { index: 0, line: 1, status: 'stored', seq: before + 1 },
      { index: 1, line: 3, status: 'rejected', errors: [{ path: '(root)', message: expect.stringMatching(/^line 3 is not JSON: /) }] },
      { index: 2, line: 4, status: 'rejected', errors: [expect.objectContaining({ path: 'version' })] },
      { index: 3, line: 6, status: 'stored', seq: before + 2 },
    ]);
    expect(await storedKeys('ND-')).toEqual(['case|ND-1|1', 'ticket|ND-3|1']);
  });

  it('counts non-blank lines against the 1,000-item limit, and refuses a body of blank lines', async () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => JSON.stringify(makeCase({ id: `${prefix}-${i}` })));
    const before = (await s.store.log.bounds()).latest;
    const over = await postNdjson(many(1001, 'NDL-over').join('\n'));
    expect(over.status).toBe(413);
    expect(over.body.error).toBe('too_many_items');
    expect((await s.store.log.bounds()).latest).toBe(before);
    const spaced = await postNdjson(many(1000, 'NDL-ok').join('\n\n'));
    expect(spaced.status).toBe(200);
    expect(spaced.body.results.at(-1)).toMatchObject({ index: 999, line: 1999, status: 'stored' });
    expect(await storedKeys('NDL-')).toHaveLength(1000);
    const empty = await postNdjson('\n \n\n');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('empty_batch');
  });
});

describe('npm run import', () => {
  it('imports NDJSON, JSON and CSV files with bad lines: exact counts, each bad line named with its reason, exit 1', async () => {
    // NDJSON: line 3 not JSON, line 5 blank, line 7 version 0, line 9 a point off the map, line 11 line 1 again.
    const nd: Array<IngestEventInput | 'bad'> = [];
    const ndLines: string[] = [];
    const addNd = (line: string, record?: IngestEventInput | 'bad') => {
      ndLines.push(line);
      if (record) nd.push(record);
    };
    for (let i = 1; i <= 11; i++) {
      if (i === 3) addNd('{"kind":"case","id":', 'bad');
      else if (i === 5) addNd('');
      else if (i === 7) addNd(JSON.stringify(makeCase({ id: 'IMP-N-7', version: 0 })), 'bad');
      else if (i === 9) addNd(JSON.stringify(makeCase({ id: 'IMP-N-9', location: { lng: 121.36, lat: 99, gridId: 'GC01', neighbourhoodId: 'N01' } })), 'bad');
      else if (i === 11) addNd(ndLines[0]!, nd[0]);
      else {
        const e = makeCase({ id: `IMP-N-${i}` });
        addNd(JSON.stringify(e), e);
      }
    }
    const ndPath = write('bad.ndjson', ndLines.join('\n') + '\n');

    // JSON: a pretty-printed array of tickets; the 4th has a phone that is not one.
    const tickets = Array.from({ length: 6 }, (_, i) => makeTicket({ id: `IMP-J-${i}`, ...(i === 3 ? { callerPhone: '12345' } : {}) }));
    const jsonText = JSON.stringify(tickets, null, 2);
    const jsonPath = write('bad.json', jsonText);
    const itemStarts = jsonText.split('\n').flatMap((l, i) => (l === '  {' ? [i + 1] : []));
    expect(itemStarts).toHaveLength(6);

    // CSV: the sample with its ids renamed; line 3 loses fields, line 5 has lng "abc", line 8 urgent "maybe".
    const sample = readFileSync(join(ROOT, 'fixtures/import/events.csv'), 'utf8').trim().split('\n');
    const header = sample[0]!.split(',');
    const lngAt = header.indexOf('lng');
    const urgentAt = header.indexOf('urgent');
    const rows = sample.slice(1, 10).map((r) => r.replace('-CSV,', '-CSVT,'));
    const broken = rows.map((r, i) => {
      const line = i + 2;
      if (line === 3) return r.split(',').slice(0, 5).join(',');
      const cells = r.split(','); // the sample's first rows hold no quoted commas
      if (line === 5) cells[lngAt] = 'abc';
      if (line === 8) cells[urgentAt] = 'maybe';
      return cells.join(',');
    });
    const csvPath = write('bad.csv', [sample[0], ...broken].join('\n') + '\n');
    const fixtureEvents = readFileSync(join(ROOT, 'fixtures/events/cases.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as IngestEventInput);
    const csvEvents = rows.map((r) => {
      const [, id, version] = r.split(',');
      return fixtureEvents.find((e) => `${e.id}-CSVT` === id && e.version === Number(version))!;
    });
    expect(csvEvents.every(Boolean)).toBe(true);
    const csvExpected = expectFor(csvEvents.map((e, i) => ([3, 5, 8].includes(i + 2) ? 'bad' : { ...e, id: `${e.id}-CSVT` })));

    const missing = join(dir, 'missing.ndjson');
    const run = await runImport(['--url', s.url, '--key', KEY, '--batch', '4', ndPath, jsonPath, csvPath, missing]);
    expect(run.code).toBe(1);

    const ndExpected = expectFor(nd);
    expect(counts(run.stdout, ndPath)).toEqual({ read: 10, stored: ndExpected.stored, duplicate: 1, rejected: 3, unanswered: 0 });
    expect(counts(run.stdout, jsonPath)).toEqual({ read: 6, stored: 5, duplicate: 0, rejected: 1, unanswered: 0 });
    expect(counts(run.stdout, csvPath)).toEqual({ read: 9, stored: csvExpected.stored, duplicate: 0, rejected: 3, unanswered: 0 });
    expect(run.stdout).toContain(`${missing}: cannot be read: ENOENT`);

    const rejected = rejectedLines(run.stdout);
    expect(rejected).toHaveLength(3 + 1 + 3);
    expect(rejected[0]).toMatch(new RegExp(`^${ndPath}:3: not JSON: `));
    expect(rejected[1]).toMatch(new RegExp(`^${ndPath}:7: version: Too small`));
    expect(rejected[2]).toMatch(new RegExp(`^${ndPath}:9: location\\.lat: Too big`));
    expect(rejected[3]).toMatch(new RegExp(`^${jsonPath}:${itemStarts[3]} \\(item 4\\): callerPhone: expected a mainland phone number$`));
    expect(rejected[4]).toMatch(new RegExp(`^${csvPath}:3: Invalid Record Length: expect ${header.length}, got 5 on line 3$`));
    expect(rejected[5]).toMatch(new RegExp(`^${csvPath}:5: location\\.lng: Invalid input: expected number, received string$`));
    expect(rejected[6]).toMatch(new RegExp(`^${csvPath}:8: urgent: Invalid input: expected boolean, received string$`));

    // The store holds each valid item once, nothing of the rejected ones.
    expect(await storedKeys('IMP-N-')).toEqual([...ndExpected.keys].sort());
    expect(await storedKeys('IMP-J-')).toEqual(tickets.filter((_, i) => i !== 3).map(keyOf).sort());
    expect((await storedKeys('CS-20261101-')).filter((k) => k.includes('-CSVT|'))).toEqual([...csvExpected.keys].sort());
    // A CSV row stores exactly the event its NDJSON twin holds (numbers, booleans, the nested location).
    const first = csvEvents[0]!;
    const [stored] = await s.store.read.history('case', `${first.id}-CSVT`);
    const twin = parseEvent({ ...first, id: `${first.id}-CSVT` });
    expect(twin.ok && stored?.event).toEqual(twin.ok && twin.event);
  });

  it('stops after the batches in flight when interrupted, says where to continue; resuming and re-running store every item once', async () => {
    // 1,500 records: a line that is not JSON every 300th; every 250th repeats the record 99 before it.
    const records: Array<IngestEventInput | 'bad'> = [];
    const lines: string[] = [];
    for (let i = 1; i <= 1500; i++) {
      const e = i % 300 === 0 ? 'bad' : i % 250 === 0 ? records[i - 100]! : makeCase({ id: `IMP-I-${i}` });
      records.push(e);
      lines.push(i % 250 === 0 && e !== 'bad' ? lines[i - 100]! : e === 'bad' ? 'not json' : JSON.stringify(e));
    }
    const file = write('big.ndjson', lines.join('\n') + '\n');

    // The tool is interrupted while its third request is on the way: deterministic, not a race.
    const proxy = await startFaultProxy(s.url, async (n): Promise<Fault> => {
      if (n === 3) {
        tool.child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 300));
      }
      return 'forward';
    });
    const tool = startImport(['--url', proxy.url, '--batch', '100', '--parallel', '2', file], { INGEST_KEY: KEY });
    const first = await tool.done;
    await proxy.close();
    expect(first.code).toBe(130);
    const cont = /To continue: npm run import -- --url (\S+) --skip (\d+) (\S+)$/m.exec(first.stdout);
    expect(cont?.[1]).toBe(proxy.url);
    expect(cont?.[3]).toBe(file);
    const skip = Number(cont![2]);
    // Every request sent was answered before the tool stopped, and the checkpoint is their last record.
    expect(skip).toBe(100 * proxy.requests.length);
    expect(proxy.requests.length).toBeGreaterThanOrEqual(3);
    expect(skip).toBeLessThan(1500);
    const one = expectFor(records.slice(0, skip));
    expect(counts(first.stdout, file)).toEqual({ read: skip, stored: one.stored, duplicate: one.duplicate, rejected: one.rejected, unanswered: 0 });
    expect(await storedKeys('IMP-I-')).toEqual([...one.keys].sort());

    // Continuing where it said: the rest, nothing twice.
    const second = await runImport(['--url', s.url, '--key', KEY, '--skip', String(skip), file]);
    const two = expectFor(records.slice(skip), one.keys);
    expect(second.code).toBe(two.rejected > 0 ? 1 : 0);
    expect(counts(second.stdout, file)).toEqual({ read: 1500 - skip, stored: two.stored, duplicate: two.duplicate, rejected: two.rejected, unanswered: 0 });

    // Running the whole file again stores nothing; every bad line is named again.
    const third = await runImport(['--url', s.url, '--key', KEY, file]);
    const all = expectFor(records);
    expect(third.code).toBe(1);
    expect(counts(third.stdout, file)).toEqual({ read: 1500, stored: 0, duplicate: 1500 - all.rejected, rejected: all.rejected, unanswered: 0 });
    expect(rejectedLines(third.stdout)).toEqual([300, 600, 900, 1200, 1500].map((l) => expect.stringMatching(new RegExp(`^${file}:${l}: not JSON: `))));

    // Brute force: every valid item of the file stored exactly once.
    const stored = await storedKeys('IMP-I-');
    expect(stored).toEqual([...all.keys].sort());
    expect(new Set(stored).size).toBe(stored.length);
    expect(one.stored + two.stored).toBe(all.stored);
  });

  it('waits out a 503 and retries a request cut off after the server stored it: counts only what was answered', async () => {
    const cases = Array.from({ length: 300 }, (_, i) => makeCase({ id: `IMP-F-${i}` }));
    const file = write('faults.ndjson', cases.map((c) => JSON.stringify(c)).join('\n'));
    const faults: Fault[] = ['busy', 'cut'];
    const proxy = await startFaultProxy(s.url, (n) => faults[n - 1] ?? 'forward');
    const run = await runImport(['--url', proxy.url, '--key', KEY, '--batch', '100', '--parallel', '1', file]);
    await proxy.close();
    expect(run.code).toBe(0);
    // The first batch: refused busy, then stored but cut off, then answered duplicate.
    expect(proxy.requests).toHaveLength(5);
    expect(proxy.requests[0]).toBe(proxy.requests[1]);
    expect(proxy.requests[1]).toBe(proxy.requests[2]);
    expect(counts(run.stdout, file)).toEqual({ read: 300, stored: 200, duplicate: 100, rejected: 0, unanswered: 0 });
    expect(run.stderr).toMatch(/busy \(503 overloaded: test proxy: busy\); trying again in 1 s/);
    expect(run.stderr).toMatch(/cannot reach the server .*; trying again/);
    expect(await storedKeys('IMP-F-')).toEqual(cases.map(keyOf).sort());
  });

  it('stops with exit 2 naming --key when the key is refused or missing, storing nothing', async () => {
    const file = write('key.ndjson', JSON.stringify(makeCase({ id: 'IMP-K-1' })) + '\n');
    const wrong = await runImport(['--url', s.url, '--key', 'not-a-valid-key', file]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/refused the ingest key \(401.*pass a valid key with --key KEY or the INGEST_KEY environment variable/);
    expect(counts(wrong.stdout, file)).toEqual({ read: 1, stored: 0, duplicate: 0, rejected: 0, unanswered: 1 });
    const none = await runImport(['--url', s.url, file]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^no ingest key: pass --key KEY or set INGEST_KEY/);
    expect(await storedKeys('IMP-K-')).toEqual([]);
  });
});
