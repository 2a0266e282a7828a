// Labels the event detail needs beyond labels.ts (the screen only, for now). Same shape as labels.ts.
import type { checkResults, inspectionStatuses, resolutionLevels, targetTypes } from './vocab';

type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const inspectionStatusLabels: Labels<(typeof inspectionStatuses)[number]> = {
  done: { zh: '已检查', en: 'Inspected' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  rectified: { zh: '已整改', en: 'Rectified' },
  overdue: { zh: '整改超期', en: 'Rectification overdue' },
};
/** 小事不出网格，大事不出镇 */
export const resolutionLabels: Labels<(typeof resolutionLevels)[number]> = {
  grid: { zh: '网格内解决', en: 'Solved in the grid' },
  town: { zh: '镇级处置', en: 'Handled by the town' },
  district: { zh: '上报区级', en: 'Escalated to the district' },
};
export const targetTypeLabels: Labels<(typeof targetTypes)[number]> = {
  enterprise: { zh: '企业', en: 'Enterprise' },
  compound: { zh: '小区', en: 'Compound' },
  site: { zh: '场所', en: 'Site' },
};
export const checkResultLabels: Labels<(typeof checkResults)[number]> = {
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  na: { zh: '不适用', en: 'N/A' },
};
