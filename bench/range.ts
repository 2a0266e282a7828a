// A 30-day range at city scale (×100): KPIs, rankings and series recomputed by the server from the
// hourly rollups, against today's range in the same run. The rollups are those 30 days of the
// ×100 plan would leave (each entity's final state's contributions), written straight into the
// table: ingesting ~7 million events through HTTP would take longer than a benchmark should.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent, type IngestEvent } from '#shared/events';
import { contributions } from '#shared/model/contributions';
import { splitKey } from '#shared/model/keys';
import type { RangeReport } from '#shared/range';
import { DAY_MS, shanghaiDayStart } from '#shared/time';
import { planDay } from '../server/src/sim/plan';
import { openDatabase } from '../server/src/store/sqlite/db';
import { killHard, spawnServer } from '../tests/support/child';
import { town } from './events';
import { fmt, median, type BenchSection } from './report';

const DAYS = 31;
const SAMPLES = 15;

function fillRollups(file: string): { rows: number; entities: number } {
  const db = openDatabase(file);
  const bump = db.prepare<[string, number, string, number]>(
    'INSERT INTO rollups (place, hour, key, count) VALUES (?, ?, ?, ?) ON CONFLICT (place, hour, key) DO UPDATE SET count = count + excluded.count');
  const today = shanghaiDayStart(Date.now());
  let entities = 0;
  for (let d = DAYS; d >= 0; d--) {
    const finals = new Map<string, IngestEvent>();
    for (const e of planDay(town, { seed: 5, scale: 100 }, today - d * DAY_MS)) {
      if (Date.parse(e.occurredAt) > Date.now()) continue;
      const p = parseEvent(e);
      if (p.ok) finals.set(`${p.event.kind}:${p.event.id}`, p.event); // versions come in order: the last is final
    }
    const counts = new Map<string, number>();
    for (const e of finals.values()) for (const [h, k] of contributions(e, town)) counts.set(`${h}\u0000${k}`, (counts.get(`${h}\u0000${k}`) ?? 0) + 1);
    // Rows are stored as (place, hour, metric): the full key `metric@place` split as the store does.
    db.transaction(() => {
      for (const [hk, n] of counts) {
        const [h, k] = hk.split('\u0000') as [string, string];
        const [metric, place] = splitKey(k);
        bump.run(place, Number(h), metric, n);
      }
    })();
    entities += finals.size;
  }
  const rows = db.prepare('SELECT count(*) FROM rollups').pluck().get() as number;
  db.close();
  return { rows, entities };
}

async function timeQueries(url: string, query: string): Promise<{ client: number[]; server: number[]; report: RangeReport }> {
  const client: number[] = [];
  const server: number[] = [];
  let report!: RangeReport;
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v1/range?${query}`, { headers: { authorization: 'Bearer demo-viewer' } });
    report = (await res.json()) as RangeReport;
    client.push(performance.now() - t0);
    server.push(report.tookMs);
  }
  return { client, server, report };
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-range-'));
  try {
    const t0 = performance.now();
    const filled = fillRollups(join(dir, 'onescreen.sqlite'));
    const fillSeconds = (performance.now() - t0) / 1000;
    const s = await spawnServer({ DATA_DIR: dir });
    try {
      const today = await timeQueries(s.url, 'preset=today');
      const month = await timeQueries(s.url, 'preset=30d');
      const m = median(month.client);
      return {
        title: 'Time ranges (city scale ×100)',
        rows: [
          { metric: `近30天 range report over HTTP (median of ${SAMPLES})`, value: `${fmt(m)} ms`, baseline: `${fmt(median(today.client))} ms for 今日`, ratio: fmt(m / median(today.client), 2), target: '≤ 200 ms', met: m <= 200 },
          { metric: '近30天 of which server computation', value: `${fmt(median(month.server))} ms`, baseline: `${fmt(median(today.server))} ms for 今日`, target: '—', met: null },
        ],
        notes: [
          `${fmt(filled.entities, 0)} entities over ${DAYS + 1} days of the ×100 plan → ${fmt(filled.rows, 0)} hourly rollup rows (filled in ${fmt(fillSeconds, 0)} s); the 30-day report counted ${fmt(month.report.figures.counts.casesNew, 0)} new cases, ${fmt(month.report.figures.counts.ticketsNew, 0)} tickets.`,
        ],
      };
    } finally {
      await killHard(s.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
