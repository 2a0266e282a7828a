// One 专项检查: a checklist at a target, 合格 or 限期整改; a rectification then runs to 整改完成 or 逾期.
import type { Campaign } from '#shared/vocab';
import { DAY, HOUR, dayTime, iso, versionsOf, type InspectionInput, type Step, type Timed } from './lifecycle';
import type { Places, Spot } from './location';
import type { Rng } from './random';
import { personName } from './wording';

/** Every version of an inspection happens within this span (deadline ≤ 7 days, late fixes after it). */
export const INSPECTION_SPAN_MS = 10 * DAY;

/** Checklist (检查项) per campaign. */
export const CHECKLISTS: Record<Campaign, readonly string[]> = {
  sewage: ['排水许可证', '隔油池设置规范', '油脂清运记录'],
  civility: ['楼道堆物', '飞线充电', '绿化带内乱停放非机动车', '垃圾非投放时间乱扔'],
  garbage: ['分类投放点设置', '分类标识规范', '混投混装', '垃圾箱房保洁'],
  overheadLines: ['交通', '噪音', '建筑垃圾'],
};
/** Share of checks that end in 限期整改 (the sewage campaign targets known offenders). */
const RECTIFY_SHARE: Record<Campaign, number> = { sewage: 0.35, civility: 0.25, garbage: 0.22, overheadLines: 0.15 };
const TEAM: Record<Campaign, string> = { sewage: '市场监管所', civility: '文明办', garbage: '绿化市容所', overheadLines: '城管中队' };
const SHOPS = ['川味小厨', '兰州拉面', '沙县小吃', '老盛昌汤包', '新疆大盘鸡', '麻辣烫', '烘焙坊', '火锅店', '本帮菜馆', '咖啡馆', '快餐店', '烧烤店'];

type Target = InspectionInput['target'];

/** Where the check happens and what it is called. */
function targetOf(rng: Rng, places: Places, campaign: Campaign): { spot: Spot; target: Target } {
  const street = (s: Spot) => s.address.slice(places.townName.length); // 剑河路662号
  if (campaign === 'sewage') {
    // 餐饮企业污水乱排放专项治理: the restaurants on 剑河路 between 甘溪路 and 仙霞西路 (near 百联西郊购物中心).
    const spot = places.alongRoad(rng, '剑河路', '甘溪路', '仙霞西路');
    return { spot, target: { type: 'enterprise', name: `${rng.pick(SHOPS)}（${street(spot)}）` } };
  }
  if (campaign === 'overheadLines') {
    const spot = places.pick(rng, 'street');
    return { spot, target: { type: 'site', name: `${spot.place}架空线入地工程${1 + rng.int(6)}标段` } };
  }
  if (campaign === 'garbage' && rng.chance(0.3)) {
    const spot = places.pick(rng, 'street'); // a shop's waste, most 垃圾分类 checks are at compounds
    return { spot, target: { type: 'enterprise', name: `${rng.pick(SHOPS)}（${street(spot)}）` } };
  }
  const spot = places.pick(rng, 'compound');
  return { spot, target: { type: 'compound', name: spot.place } };
}

export interface NewInspection {
  id: string;
  inspectedAt: number;
  campaign: Campaign;
}

/** Every version of one inspection done at `n.inspectedAt`. */
export function inspectionVersions(rng: Rng, places: Places, n: NewInspection): Timed[] {
  const t0 = n.inspectedAt;
  const { spot, target } = targetOf(rng, places, n.campaign);
  const checklist = CHECKLISTS[n.campaign];
  const rectify = rng.chance(RECTIFY_SHARE[n.campaign]);
  const failed = new Set<string>();
  if (rectify) {
    failed.add(rng.pick(checklist));
    if (rng.chance(0.35)) failed.add(rng.pick(checklist));
  }
  const items = checklist.map((name) => ({
    name,
    result: failed.has(name) ? ('fail' as const) : !rectify && rng.chance(0.06) ? ('na' as const) : ('pass' as const),
  }));
  const days = 3 + rng.int(5); // 限期 3–7 days
  const deadline = t0 + days * DAY;
  const { address, place: _place, building: _building, ...location } = spot;
  const base: Omit<InspectionInput, 'version' | 'occurredAt' | 'status'> = {
    kind: 'inspection', id: n.id, address, location, campaign: n.campaign, target, items,
    outcome: rectify ? 'rectify' : 'pass', inspectedAt: iso(t0),
    inspector: `${TEAM[n.campaign]}·${personName(rng)}`,
    note: rectify ? `${[...failed].join('、')}不符合要求，限期${days}日内整改` : '检查合格',
  };
  if (rectify) base.rectifyDeadline = iso(deadline);
  const steps: Step<InspectionInput>[] = [{ status: 'done', t: t0 }];
  if (rectify) {
    const notice = dayTime(rng, t0 + rng.between(1, 5) * HOUR); // 整改通知书 served
    steps.push({ status: 'rectifying', t: notice, set: { note: `已下达限期整改通知书，限期${days}日` } });
    if (rng.chance(0.85)) {
      const fixed = Math.min(dayTime(rng, notice + (deadline - notice) * rng.between(0.2, 0.85)), deadline - HOUR);
      steps.push({ status: 'rectified', t: fixed, set: { rectifiedAt: iso(fixed), note: '复查合格，整改完成' } });
    } else {
      const due = deadline + rng.between(2, 20) * HOUR; // the re-check finds it not done
      steps.push({ status: 'overdue', t: due, set: { note: '逾期未完成整改，已督办' } });
      if (rng.chance(0.5)) {
        const late = due + rng.between(12, 48) * HOUR;
        steps.push({ status: 'rectified', t: late, set: { rectifiedAt: iso(late), note: '逾期后完成整改，复查合格' } });
      }
    }
  }
  return versionsOf<InspectionInput>(base, steps);
}
