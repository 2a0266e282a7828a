// A long run stays within the disk bound of docs/operations.md ("Retention"): ten simulated days
// of the simulator's town (≈ 2,300 events a day) with RETENTION_DAYS=3 on SQLite. The log's share of
// the file stops growing once the window is full (pages freed by retention are reused), and the
// whole file stays within the documented per-event, per-entity and per-counter-row sizes.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock';
import { loadTown } from '../../server/src/geo/town';
import { createSqliteStore } from '../../server/src/store/sqlite';
import { FIRST_DAY, playDays, sqliteBytes } from '../support/longRun';

const dir = mkdtempSync(join(tmpdir(), 'onescreen-bound-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The documented sizes (docs/operations.md): bytes per event kept, per entity, per counter row, and the WAL's ceiling. */
const BOUND = { perEvent: 1024, perEntity: 5 * 1024, perCounterRow: 40, wal: 16 * 2 ** 20 };
const RETENTION_DAYS = 3;
const DAYS = 10;

describe('the disk bound (SQLite)', () => {
  it(`ten days with RETENTION_DAYS=${RETENTION_DAYS}: the log stops growing and the file stays within the documented sizes`, async () => {
    const town = loadTown();
    const file = join(dir, 'onescreen.sqlite');
    const clock = manualClock(FIRST_DAY);
    const store = await createSqliteStore({ file, geo: town, clock });
    const db = new Database(file, { readonly: true });
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    const days: Array<{ stored: number; deleted: number; kept: number; log: number; file: number; wal: number }> = [];
    let busiest = 0;
    try {
      await playDays({ town, store, clock, scale: 1, days: DAYS, retentionDays: RETENTION_DAYS }, async (day, stored, deleted) => {
        busiest = Math.max(busiest, stored);
        const { oldest, latest } = await store.log.bounds();
        const b = sqliteBytes(db);
        const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
        const row = { stored, deleted, kept: latest - oldest + 1, log: b.log + b.free, file: size(file), wal: size(`${file}-wal`) };
        days.push(row);
        // the whole file within the documented sizes, every day
        const bound = (RETENTION_DAYS + 2) * busiest * BOUND.perEvent + count('entities') * BOUND.perEntity + count('rollups') * BOUND.perCounterRow + 1024 * 1024;
        expect(row.file, `day ${day}: ${JSON.stringify({ ...row, ...b })}`).toBeLessThanOrEqual(bound);
        expect(row.log).toBeLessThanOrEqual((RETENTION_DAYS + 2) * busiest * BOUND.perEvent);
        expect(row.wal).toBeLessThanOrEqual(BOUND.wal);
      });
    } finally {
      db.close();
      await store.close();
    }
    // Retention ran every day once the window was full, deleting about a day's events...
    expect(days.slice(0, RETENTION_DAYS + 1).every((d) => d.deleted === 0)).toBe(true);
    for (const d of days.slice(RETENTION_DAYS + 1)) expect(d.deleted).toBeGreaterThan(1500);
    // ...so what is kept, and the log's share of the file, stop growing (freed pages are reused).
    const full = days[RETENTION_DAYS + 1]!;
    for (const d of days.slice(RETENTION_DAYS + 2)) {
      expect(d.kept).toBeLessThanOrEqual((RETENTION_DAYS + 1) * busiest);
      expect(d.log).toBeLessThanOrEqual(full.log * 1.1);
    }
  });
});
