// One 城运案件 from 发现 to 结案 (or 退回/作废): every version, with realistic delays and deadlines.
// 反馈 (feedback) stamps handledAt, when the department reported the work done; a few cases fail 核查
// and go back to 处置 once (返工, reworkCount 1) before a second 反馈, 核查 and 结案.
import type { CaseCategory, CaseSource } from '#shared/vocab';
import { DAY, HOUR, MINUTE, dayTime, iso, versionsOf, type CaseInput, type Step, type Timed } from './lifecycle';
import type { Places, SpotKind } from './location';
import type { Rng } from './random';
import { caseDescription, contactNote, mobile } from './wording';

/** Every version of a case happens within this span after its report (plans look back this far). */
export const CASE_SPAN_MS = 3 * DAY;

type Kind = readonly [CaseCategory, string, number];
// 大类, 小类, relative frequency among patrol findings.
const KINDS: readonly Kind[] = [
  ['community', '楼道堆物', 10], ['community', '飞线充电', 5], ['community', '非机动车乱停放', 8],
  ['community', '小区维修', 6], ['community', '物业管理', 5], ['community', '车棚破损', 2],
  ['environment', '垃圾分类违规', 7], ['environment', '暴露垃圾', 7], ['environment', '绿化带乱停放', 4],
  ['environment', '占道经营', 3], ['environment', '乱张贴', 4],
  ['streetOrder', '占道经营', 6], ['streetOrder', '违规停车', 9], ['streetOrder', '停车难', 3], ['streetOrder', '施工扰民', 3],
  ['facilities', '道路积水', 2], ['facilities', '排污总管堵塞', 2], ['facilities', '无主电线杆', 1],
  ['facilities', '路面破损', 3], ['facilities', '窨井盖缺失', 2],
  ['ecology', '餐饮污水乱排放', 2], ['ecology', '油烟扰民', 2], ['ecology', '河道漂浮物', 2],
  ['safety', '飞线充电', 2], ['safety', '消防通道堵塞', 2], ['safety', '大树扰民', 2], ['safety', '树木倒伏', 1], ['safety', '架空线', 1],
];
/** 紧急: safety hazards, flooding, fallen trees, fire-lane blockages. */
const URGENT_KINDS: readonly Kind[] = [
  ['safety', '消防通道堵塞', 3], ['safety', '树木倒伏', 2], ['facilities', '道路积水', 2], ['safety', '飞线充电', 1], ['safety', '架空线', 1],
];
/** What each source tends to find (cameras see parking and stalls, property staff see their compounds …). */
const SOURCE_BIAS: Record<CaseSource, Partial<Record<CaseCategory, number>>> = {
  patrol: {},
  smart: { streetOrder: 3, environment: 1.5, community: 0.4, safety: 0.5 },
  wecom: { community: 3, safety: 1.5, streetOrder: 0.3, facilities: 0.5, ecology: 0.3 },
  hotline: { community: 2, ecology: 2, environment: 0.7 },
  police110: { streetOrder: 2, ecology: 1.5, safety: 1.5, community: 0.5, environment: 0.3, facilities: 0.5 },
  inspection: { ecology: 3, community: 1.5, environment: 1.5, streetOrder: 0.3, facilities: 0.2 },
};
const NOT_SEEN_BY_CAMERAS = new Set(['小区维修', '物业管理', '施工扰民', '油烟扰民', '大树扰民']);
const kindWeights = (src: CaseSource) =>
  KINDS.map(([cat, sub, w]) => (src === 'smart' && NOT_SEEN_BY_CAMERAS.has(sub) ? 0 : w * (SOURCE_BIAS[src][cat] ?? 1)));
const WEIGHTS = Object.fromEntries((Object.keys(SOURCE_BIAS) as CaseSource[]).map((s) => [s, kindWeights(s)])) as Record<CaseSource, number[]>;

const STREET = new Set(['占道经营', '违规停车', '停车难', '施工扰民', '绿化带乱停放', '乱张贴', '道路积水', '路面破损', '窨井盖缺失', '无主电线杆', '树木倒伏', '架空线', '餐饮污水乱排放', '油烟扰民']);
const spotKind = (rng: Rng, sub: string): SpotKind =>
  sub === '河道漂浮物' ? 'river' : STREET.has(sub) || (sub === '暴露垃圾' && rng.chance(0.5)) ? 'street' : rng.chance(0.85) ? 'compound' : 'open';

/** 处置时限: 4 h when urgent, 72 h for repairs and works, 24 h otherwise. */
const LONG = new Set(['小区维修', '物业管理', '车棚破损', '路面破损', '无主电线杆', '架空线', '停车难', '排污总管堵塞', '大树扰民']);
const deadlineHours = (urgent: boolean, sub: string) => (urgent ? 4 : LONG.has(sub) ? 72 : 24);

type Level = 'grid' | 'town' | 'district';
const DEPARTMENTS: Record<CaseCategory, Record<Level, readonly string[]>> = {
  community: { grid: ['物业公司', '居委会'], town: ['房管办'], district: ['区房管局'] },
  environment: { grid: ['物业公司', '居委会'], town: ['绿化市容所', '城管中队'], district: ['区绿化市容局'] },
  streetOrder: { grid: ['网格工作站'], town: ['城管中队'], district: ['区城管执法局'] },
  facilities: { grid: ['物业公司'], town: ['镇建管中心'], district: ['区建管委'] },
  ecology: { grid: ['网格工作站'], town: ['市场监管所', '城管中队', '河道管理所'], district: ['区生态环境局'] },
  safety: { grid: ['物业公司'], town: ['房管办', '绿化市容所', '镇安全办'], district: ['区建管委'] },
};
const LEVELS: readonly (readonly [Level, number])[] = [['grid', 0.75], ['town', 0.22], ['district', 0.03]];
/** 返工: share of the cases reaching 核查 that verification sends back to handling once. */
const REWORK_SHARE = 0.04;

const PREFIX: Record<CaseSource, string> = {
  patrol: '网格员巡查发现：', smart: '智能发现：', wecom: '物业上报：', hotline: '12345转办：市民反映', police110: '110非警情：', inspection: '检查发现：',
};
const PHONE_SHARE: Partial<Record<CaseSource, number>> = { wecom: 0.6, hotline: 0.9, police110: 0.5 };

/** 反馈: the department reports the work done; handledAt is that instant (to the second, as occurredAt). */
const handled = (t: number): Step<CaseInput> => ({ status: 'feedback', t, set: { handledAt: iso(t) } });

export interface NewCase {
  id: string;
  reportedAt: number;
  source: CaseSource;
}

/** Every version of one case reported at `c.reportedAt`. */
export function caseVersions(rng: Rng, places: Places, c: NewCase): Timed[] {
  const t0 = c.reportedAt;
  const urgent = rng.chance(0.02);
  const [category, subcategory] = urgent ? rng.weighted(URGENT_KINDS.map((k) => [k, k[2]] as const)) : KINDS[rng.weightedIndex(WEIGHTS[c.source])]!;
  const spot = places.pick(rng, spotKind(rng, subcategory));
  const deadline = t0 + deadlineHours(urgent, subcategory) * HOUR;
  const level = rng.weighted(LEVELS);
  const department = rng.pick(DEPARTMENTS[category][level]);
  const phoneShare = PHONE_SHARE[c.source] ?? 0;
  const withContact = c.source !== 'smart' && rng.chance(0.133); // ≈ 10 % of all descriptions

  const { address, place, building, ...location } = spot;
  const base: Omit<CaseInput, 'version' | 'occurredAt' | 'status'> = {
    kind: 'case', id: c.id, urgent, address, location,
    source: c.source, category, subcategory,
    description: PREFIX[c.source] + caseDescription(rng, subcategory, place, building) + (withContact ? contactNote(rng) : ''),
    reportedAt: iso(t0), deadline: iso(deadline), reworkCount: 0,
  };
  if (rng.chance(phoneShare)) base.reporterPhone = mobile(rng);

  // 立案, 派单: minutes (faster when urgent).
  const accepted = t0 + MINUTE + rng.exponential(urgent ? 3 * MINUTE : 8 * MINUTE);
  const dispatched = accepted + MINUTE + rng.exponential(urgent ? 2 * MINUTE : 10 * MINUTE);
  const fate = rng.next();
  if (fate < 0.015) return versionsOf<CaseInput>(base, [{ status: 'reported', t: t0 }, { status: 'voided', t: accepted }]); // 作废: duplicate or invalid
  const reported: Step<CaseInput>[] = [
    { status: 'reported', t: t0 },
    { status: 'accepted', t: accepted },
    { status: 'dispatched', t: dispatched, set: { department } },
  ];
  if (fate < 0.04) return versionsOf<CaseInput>(base, [...reported, { status: 'returned', t: dispatched + rng.between(10 * MINUTE, 3 * HOUR) }]); // 退回: not theirs

  // 处置 → 反馈 → 核查 → 结案: handling takes hours, departments work by day.
  const window = deadline - t0;
  const cap = t0 + CASE_SPAN_MS - 1000;
  let handling = urgent ? dispatched + rng.between(5, 20) * MINUTE : dayTime(rng, dispatched + rng.between(15, 90) * MINUTE);
  let feedback = handling + Math.min(rng.logNormal(window / 8, 0.8), window); // long tail, but bounded
  if (!urgent) feedback = dayTime(rng, feedback);
  let verified = dayTime(rng, feedback + rng.between(15, 150) * MINUTE);
  let closed = verified + rng.between(5, 60) * MINUTE;

  const overdue = rng.chance(0.055); // 超期: past the deadline, closing late or not at all
  if (!overdue && closed > deadline - 5 * MINUTE) {
    // Squeeze the work after dispatch so the case closes inside its deadline, as most do.
    const target = Math.max(t0 + window * rng.between(0.55, 0.95), dispatched + MINUTE);
    const f = (target - dispatched) / (closed - dispatched);
    [handling, feedback, verified, closed] = [handling, feedback, verified, closed].map((t) => dispatched + (t - dispatched) * f) as [number, number, number, number];
  }
  const steps: Step<CaseInput>[] = [...reported, { status: 'handling', t: handling }];
  if (overdue && (deadlineHours(urgent, subcategory) === 72 || rng.chance(0.4))) {
    // Stays open past its deadline: stuck in handling, or handled but never verified.
    if (rng.chance(0.3)) steps.push(handled(Math.min(feedback, cap)));
    return versionsOf<CaseInput>(base, steps);
  }
  if (overdue && closed <= deadline) {
    // Closes late: the handling stretched past the deadline.
    const lateBy = deadline + rng.between(30 * MINUTE, urgent ? 10 * HOUR : 36 * HOUR) - closed;
    [feedback, verified, closed] = [feedback + lateBy, verified + lateBy, closed + lateBy];
  }
  // Drawn after everything else, so a case without rework plays exactly as it would without this option.
  if (rng.chance(REWORK_SHARE)) {
    // 返工: 核查 finds the work not done (at the time it would have been verified) and sends the case
    // back; the department redoes it (hours, by day), reports again, and verification passes. The case
    // closes later than it would have, often past its deadline.
    steps.push(handled(Math.min(feedback, cap)));
    const back = verified;
    steps.push({ status: 'handling', t: Math.min(back, cap), set: { handledAt: undefined, reworkCount: 1 } });
    let again = back + 10 * MINUTE + Math.min(rng.logNormal(window / 6, 0.7), window);
    if (!urgent) again = dayTime(rng, again);
    feedback = again;
    verified = dayTime(rng, feedback + rng.between(15, 150) * MINUTE);
    closed = verified + rng.between(5, 60) * MINUTE;
  }
  return versionsOf<CaseInput>(base, [
    ...steps,
    handled(Math.min(feedback, cap)),
    { status: 'verified', t: Math.min(verified, cap) },
    { status: 'closed', t: Math.min(closed, cap), set: { closedAt: iso(Math.min(closed, cap)), resolvedLevel: level } },
  ]);
}
