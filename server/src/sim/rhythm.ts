// The rhythm of a simulated day: expected arrivals per Asia/Shanghai local hour, per stream, at scale 1.
// Shapes are relative weights; each is normalised to its daily mean so the mix and the totals stay exact.
import type { Campaign, CaseSource } from '#shared/vocab';
import type { Rng } from './random';

/** Daily means at scale 1 (DOMAIN: 150–300 cases, 100–200 tickets, 30–80 inspections). */
export const DAILY_MEAN = { case: 220, ticket: 150, inspection: 50 } as const;

/** 案件来源 mix: patrol ~45 %, smart ~25 %, wecom ~10 %, hotline ~12 %, 110 ~5 %, inspection ~3 %. */
export const CASE_SOURCE_SHARE: Record<CaseSource, number> = {
  patrol: 0.45, smart: 0.25, wecom: 0.1, hotline: 0.12, police110: 0.05, inspection: 0.03,
};

type Shape = readonly number[]; // 24 weights, index = local hour

// 12345 calls: peaks 09–11 and 14–16, lunch dip, quiet small hours.
const HOTLINE: Shape = [
  0.15, 0.1, 0.07, 0.05, 0.05, 0.07, 0.2, 0.5, 1.0, 1.6, 1.7, 1.3,
  0.8, 1.0, 1.5, 1.6, 1.3, 1.0, 0.8, 0.7, 0.6, 0.5, 0.35, 0.25,
];
// 网格员巡查 follows working hours (shifts 07:30–19:00), lunch dip.
const PATROL: Shape = [
  0, 0, 0, 0, 0, 0, 0, 0.4, 1.0, 1.4, 1.5, 1.2,
  0.6, 1.0, 1.4, 1.4, 1.2, 0.9, 0.4, 0.15, 0, 0, 0, 0,
];
// 智能发现: cameras and sensors never sleep; a night floor, peaks with traffic and evening parking.
const SMART: Shape = [
  0.45, 0.4, 0.4, 0.4, 0.4, 0.5, 0.7, 1.1, 1.3, 1.2, 1.1, 1.0,
  1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.3, 1.1, 0.9, 0.8, 0.6, 0.5,
];
// 政务微信: property-company staff report in their office hours.
const WECOM: Shape = [
  0, 0, 0, 0, 0, 0, 0.1, 0.4, 0.9, 1.2, 1.2, 1.0,
  0.6, 0.9, 1.1, 1.1, 1.0, 0.8, 0.5, 0.4, 0.3, 0.2, 0.1, 0,
];
// 110非警情: all day, heavier in the evening (noise, neighbour disputes).
const POLICE110: Shape = [
  0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.7, 0.8, 0.8, 0.8,
  0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.3, 1.1, 0.8,
];
// 专项检查: inspectors' working hours, lunch break.
const INSPECTION: Shape = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.3, 1.2, 1.4, 1.0,
  0.1, 0.8, 1.3, 1.3, 1.0, 0.3, 0, 0, 0, 0, 0, 0,
];
// 12345转办 cases reach the grid about an hour after the call.
const HOTLINE_TRANSFER: Shape = HOTLINE.map((_, h) => HOTLINE[(h + 23) % 24]!);

function scaled(shape: Shape, dailyMean: number): number[] {
  const sum = shape.reduce((s, w) => s + w, 0);
  return shape.map((w) => (w / sum) * dailyMean);
}

/** Expected 12345 tickets per local hour at scale 1. */
export const ticketRates: readonly number[] = scaled(HOTLINE, DAILY_MEAN.ticket);

const caseShapes: Record<CaseSource, Shape> = {
  patrol: PATROL, smart: SMART, wecom: WECOM, hotline: HOTLINE_TRANSFER, police110: POLICE110, inspection: INSPECTION,
};
/** Expected cases per local hour and source at scale 1. */
export const caseRates: Readonly<Record<CaseSource, readonly number[]>> = Object.fromEntries(
  Object.entries(caseShapes).map(([src, shape]) => [src, scaled(shape, DAILY_MEAN.case * CASE_SOURCE_SHARE[src as CaseSource])]),
) as Record<CaseSource, number[]>;

/** Expected inspections per local hour at scale 1, before the day's campaign bursts. */
export const inspectionRates: readonly number[] = scaled(INSPECTION, DAILY_MEAN.inspection);

/** Which campaigns run how often (文明城区创评 and 垃圾分类 are the standing ones). */
export const CAMPAIGN_SHARE: readonly (readonly [Campaign, number])[] = [
  ['civility', 0.35], ['garbage', 0.3], ['sewage', 0.25], ['overheadLines', 0.1],
];

export interface InspectionHour {
  /** expected inspections in this hour at scale 1 */
  rate: number;
  /** the campaign the teams work on in this hour (a burst) */
  campaign: Campaign;
}

/**
 * Today's inspection plan: teams go out in bursts, one campaign for a stretch of hours. Hour weights
 * are redrawn per day (exponential, mean 1) and renormalised, so the day's expected total stays
 * DAILY_MEAN.inspection while the hours in between are lumpy.
 */
export function inspectionBursts(rng: Rng): InspectionHour[] {
  const weights = inspectionRates.map((r) => (r > 0 ? r * rng.exponential(1) : 0));
  const sum = weights.reduce((s, w) => s + w, 0);
  let campaign = rng.weighted(CAMPAIGN_SHARE);
  return weights.map((w) => {
    if (w > 0 && !rng.chance(0.7)) campaign = rng.weighted(CAMPAIGN_SHARE); // a team keeps its campaign for a while
    return { rate: sum > 0 ? (w / sum) * DAILY_MEAN.inspection : 0, campaign };
  });
}
