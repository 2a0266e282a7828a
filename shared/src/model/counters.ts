// Counter rows kept by hour, bounded to a window of hours (plus the gauges), for the screens: the
// live day and a replayed day hold one each. Plain data; no framework.
import { GAUGE_HOUR, type RollupDelta } from './keys';

export class Counters {
  /** hour → key → count; hour 0 holds the gauges */
  private readonly byHour = new Map<number, Map<string, number>>();

  /** Rows outside [fromHour, toHour) are not kept (gauges always are). */
  constructor(readonly fromHour: number, readonly toHour: number) {}

  add(delta: RollupDelta): void {
    for (const [hour, key, n] of delta) {
      if (hour !== GAUGE_HOUR && (hour < this.fromHour || hour >= this.toHour)) continue;
      let row = this.byHour.get(hour);
      if (!row) this.byHour.set(hour, (row = new Map()));
      const next = (row.get(key) ?? 0) + n;
      if (next === 0) row.delete(key);
      else row.set(key, next);
    }
  }

  at(hour: number, key: string): number {
    return this.byHour.get(hour)?.get(key) ?? 0;
  }

  /** Every key summed over hours [fromHour, toHour). */
  sum(fromHour: number, toHour: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [hour, row] of this.byHour) {
      if (hour === GAUGE_HOUR || hour < fromHour || hour >= toHour) continue;
      for (const [k, n] of row) out.set(k, (out.get(k) ?? 0) + n);
    }
    return out;
  }

  /** Every row [hour, key, count], the gauges' (hour 0) included. */
  *rows(): Generator<[number, string, number]> {
    for (const [hour, row] of this.byHour) for (const [key, n] of row) yield [hour, key, n];
  }

  gauges(): ReadonlyMap<string, number> {
    return this.byHour.get(GAUGE_HOUR) ?? new Map();
  }
}
