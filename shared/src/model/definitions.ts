// The figures of docs/domain.md as data: each count is one counter, each rate a pair of counts
// whose numerator is a subset of its denominator (so no rate can pass 100 %). Pure tables, no zod.
import { campaigns, caseCategoryIds, caseSources, ticketTopics, ticketTypes } from '../vocab';

/** Count → the counter it sums. */
export const COUNTS = {
  /** 立案数: cases reported in the period */
  casesNew: 'case.new',
  /** 应结案数: cases due in the period (deadline in it, or closed in it before the deadline) */
  casesDue: 'case.due',
  /** 结案数: due cases that are closed */
  casesClosed: 'case.closed',
  /** 按期结案数: due cases closed on or before the deadline */
  casesOnTime: 'case.onTime',
  /** 及时处置数: due cases whose handling (处置, reported at 反馈) was done by the deadline */
  casesTimely: 'case.timely',
  /** 返工: due cases sent back to handling at least once */
  casesReworked: 'case.reworked',
  /** 网格内解决: closed due cases solved inside their grid */
  casesInGrid: 'case.inGrid',
  /** 智能发现: new cases found by cameras and sensors */
  casesSmart: 'case.new|src:smart',
  ticketsNew: 'ticket.new',
  /** tickets due in the period (same cohort rule as cases) */
  ticketsDue: 'ticket.due',
  ticketsOnTime: 'ticket.onTime',
  /** tickets whose first-contact limit fell in the period */
  ticketsFcDue: 'ticket.fcDue',
  ticketsFcOnTime: 'ticket.fcOnTime',
  ticketsRated: 'ticket.rated',
  ticketsSatisfied: 'ticket.satisfied',
  ticketsRepeat: 'ticket.repeat',
  inspectionsDone: 'insp.done',
  /** inspections that ended in 限期整改 */
  inspectionsFailed: 'insp.failed',
  rectificationsDue: 'insp.rectDue',
  rectificationsOnTime: 'insp.rectOnTime',
  /** funnel of the cases reported in the period (one cohort) */
  funnelDispatched: 'case.reached.dispatched',
  funnelHandling: 'case.reached.handling',
  funnelClosed: 'case.reached.closed',
} as const;
export type CountId = keyof typeof COUNTS;

/** Rate → [numerator, denominator]; a zero denominator is "no data" (null). */
export const RATES = {
  /** 结案率 */ closure: ['casesClosed', 'casesDue'],
  /** 按期结案率 */ onTime: ['casesOnTime', 'casesDue'],
  /** 及时处置率 */ timely: ['casesTimely', 'casesDue'],
  /** 返工率 */ rework: ['casesReworked', 'casesDue'],
  /** 智能发现率 */ smart: ['casesSmart', 'casesNew'],
  /** 网格内解决率 (小事不出网格) */ inGrid: ['casesInGrid', 'casesClosed'],
  /** 热线按时办结率 */ ticketOnTime: ['ticketsOnTime', 'ticketsDue'],
  /** 先行联系率 */ firstContact: ['ticketsFcOnTime', 'ticketsFcDue'],
  /** 满意率 */ satisfaction: ['ticketsSatisfied', 'ticketsRated'],
  /** 重复来电率 */ repeat: ['ticketsRepeat', 'ticketsNew'],
  /** 检查问题发现率 */ issue: ['inspectionsFailed', 'inspectionsDone'],
  /** 整改完成率 */ rectify: ['rectificationsOnTime', 'rectificationsDue'],
} as const satisfies Record<string, readonly [CountId, CountId]>;
export type RateId = keyof typeof RATES;

/** Breakdowns of a place's counters by a vocabulary: breakdown → [counter prefix, the vocabulary]. */
export const BREAKDOWNS = {
  source: ['case.new|src:', caseSources],
  category: ['case.new|cat:', caseCategoryIds],
  topic: ['ticket.new|topic:', ticketTopics],
  ticketType: ['ticket.new|type:', ticketTypes],
  campaign: ['insp.done|campaign:', campaigns],
  campaignFailed: ['insp.failed|campaign:', campaigns],
} as const;
export type BreakdownId = keyof typeof BREAKDOWNS;

/** Point-in-time gauges: open now, by stream. */
export const GAUGES = { case: 'case.open', ticket: 'ticket.open', inspection: 'insp.rectifying' } as const;
