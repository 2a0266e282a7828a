// KPI formulas of DOMAIN.md, each over summed rollup counters for a period [from, to).
// A rate with a zero denominator is null ("no data"), never 0 % or 100 %.

export type Totals = ReadonlyMap<string, number>;

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

const n = (t: Totals, key: string) => t.get(key) ?? 0;

export interface KpiSet {
  casesNew: number;
  /** 结案率 */ closureRate: number | null;
  /** 及时处置率 */ timelyRate: number | null;
  /** 智能发现率 */ smartRate: number | null;
  /** 网格内解决率 */ inGridRate: number | null;
  ticketsNew: number;
  /** 热线按时办结率 */ ticketOnTimeRate: number | null;
  /** 热线满意率 */ satisfactionRate: number | null;
  /** 先行联系率 */ firstContactRate: number | null;
  inspectionsDone: number;
  /** 检查问题发现率 */ issueRate: number | null;
  /** 整改完成率 */ rectifyRate: number | null;
}

export function computeKpis(t: Totals): KpiSet {
  return {
    casesNew: n(t, 'case.new'),
    closureRate: ratio(n(t, 'case.closed'), n(t, 'case.new')),
    timelyRate: ratio(n(t, 'case.timely'), n(t, 'case.closed')),
    smartRate: ratio(n(t, 'case.new|src:smart'), n(t, 'case.new')),
    inGridRate: ratio(n(t, 'case.inGrid'), n(t, 'case.closed')),
    ticketsNew: n(t, 'ticket.new'),
    ticketOnTimeRate: ratio(n(t, 'ticket.onTime'), n(t, 'ticket.closed')),
    satisfactionRate: ratio(n(t, 'ticket.satisfied'), n(t, 'ticket.rated')),
    firstContactRate: ratio(n(t, 'ticket.fcOnTime'), n(t, 'ticket.fcDue')),
    inspectionsDone: n(t, 'insp.done'),
    issueRate: ratio(n(t, 'insp.failed'), n(t, 'insp.done')),
    rectifyRate: ratio(n(t, 'insp.rectOnTime'), n(t, 'insp.rectDue')),
  };
}

/** Sum rollup rows whose hour lies in [fromHour, toHour) into one counter per key. */
export function sumRollups(rows: Iterable<readonly [number, string, number]>, fromHour: number, toHour: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [hour, key, count] of rows) {
    if (hour < fromHour || hour >= toHour) continue;
    out.set(key, (out.get(key) ?? 0) + count);
  }
  return out;
}

/** Relative change against a previous period (环比); null when the base is 0 or unknown. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}
