// Screen labels for the vocabularies, zh-CN first. One table per vocabulary, typed against it.
import type { CaseCategory, CaseSource, CaseStatus, Campaign, StreamKind, TicketStatus } from './vocab';
import type {
  caseCategories, checkResults, inspectionOutcomes, inspectionStatuses, resolutionLevels, satisfactions, targetTypes, ticketTopics, ticketTypes,
} from './vocab';

type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const kindLabels: Labels<StreamKind> = {
  case: { zh: '城运案件', en: 'Cases' },
  ticket: { zh: '12345热线', en: '12345 hotline' },
  inspection: { zh: '专项检查', en: 'Inspections' },
};
export const sourceLabels: Labels<CaseSource> = {
  patrol: { zh: '网格员巡查', en: 'Grid patrol' },
  smart: { zh: '智能发现', en: 'Smart sensing' },
  wecom: { zh: '政务微信', en: 'WeCom' },
  hotline: { zh: '12345转办', en: '12345 transfer' },
  police110: { zh: '110非警情', en: '110 non-police' },
  inspection: { zh: '检查发现', en: 'Inspection' },
};
export const categoryLabels: Labels<keyof typeof caseCategories & CaseCategory> = {
  community: { zh: '小区管理', en: 'Compounds' },
  environment: { zh: '市容环境', en: 'Cityscape' },
  streetOrder: { zh: '街面秩序', en: 'Street order' },
  facilities: { zh: '公共设施', en: 'Facilities' },
  ecology: { zh: '环境保护', en: 'Environment' },
  safety: { zh: '安全隐患', en: 'Safety' },
};
export const caseStatusLabels: Labels<CaseStatus> = {
  reported: { zh: '发现', en: 'Reported' },
  accepted: { zh: '立案', en: 'Accepted' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  handling: { zh: '处置', en: 'Handling' },
  feedback: { zh: '反馈', en: 'Feedback' },
  verified: { zh: '核查', en: 'Verified' },
  closed: { zh: '结案', en: 'Closed' },
  returned: { zh: '退回', en: 'Returned' },
  voided: { zh: '作废', en: 'Voided' },
};
export const ticketStatusLabels: Labels<TicketStatus> = {
  received: { zh: '受理', en: 'Received' },
  assigned: { zh: '派单', en: 'Assigned' },
  contacted: { zh: '先行联系', en: 'Contacted' },
  replied: { zh: '答复', en: 'Replied' },
  closed: { zh: '办结', en: 'Closed' },
};
export const ticketTypeLabels: Labels<(typeof ticketTypes)[number]> = {
  consult: { zh: '咨询', en: 'Consult' },
  help: { zh: '求助', en: 'Help' },
  complaint: { zh: '投诉', en: 'Complaint' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  report: { zh: '举报', en: 'Report' },
};
export const satisfactionLabels: Labels<(typeof satisfactions)[number]> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Fairly satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
};
export const campaignLabels: Labels<Campaign> = {
  sewage: { zh: '餐饮企业污水乱排放专项治理', en: 'Restaurant sewage campaign' },
  civility: { zh: '文明城区创评', en: 'Civilised-city review' },
  garbage: { zh: '垃圾分类检查', en: 'Waste sorting checks' },
  overheadLines: { zh: '架空线入地与合杆整治', en: 'Overhead-line works' },
};
export const outcomeLabels: Labels<(typeof inspectionOutcomes)[number]> = {
  pass: { zh: '合格', en: 'Passed' },
  rectify: { zh: '限期整改', en: 'Rectify by deadline' },
};
export const topicLabels: Labels<(typeof ticketTopics)[number]> = {
  物业管理: { zh: '物业管理', en: 'Property management' },
  小区维修: { zh: '小区维修', en: 'Estate repairs' },
  垃圾分类: { zh: '垃圾分类', en: 'Waste sorting' },
  大树扰民: { zh: '大树扰民', en: 'Overgrown trees' },
  停车难: { zh: '停车难', en: 'Parking shortage' },
  噪音扰民: { zh: '噪音扰民', en: 'Noise' },
  助餐点布局: { zh: '助餐点布局', en: 'Meal points for elders' },
  精品小区改造: { zh: '精品小区改造', en: 'Estate renewal' },
  交通出行: { zh: '交通出行', en: 'Transport' },
  政务服务: { zh: '政务服务', en: 'Government services' },
};

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
