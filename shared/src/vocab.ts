// Controlled vocabularies of the three streams (docs/domain.md). Identifiers on the wire, Chinese labels for screens.

/** 案件来源 */
export const caseSources = ['patrol', 'smart', 'wecom', 'hotline', 'police110', 'inspection'] as const;
export type CaseSource = (typeof caseSources)[number];

/** 案件大类 → 小类 */
export const caseCategories = {
  community: ['楼道堆物', '飞线充电', '非机动车乱停放', '小区维修', '物业管理', '车棚破损'],
  environment: ['垃圾分类违规', '暴露垃圾', '绿化带乱停放', '占道经营', '乱张贴'],
  streetOrder: ['占道经营', '违规停车', '停车难', '施工扰民'],
  facilities: ['道路积水', '排污总管堵塞', '无主电线杆', '路面破损', '窨井盖缺失'],
  ecology: ['餐饮污水乱排放', '油烟扰民', '河道漂浮物'],
  safety: ['飞线充电', '消防通道堵塞', '大树扰民', '树木倒伏', '架空线'],
} as const;
export type CaseCategory = keyof typeof caseCategories;
export const caseCategoryIds = Object.keys(caseCategories) as [CaseCategory, ...CaseCategory[]];

/** 发现 → 立案 → 派单 → 处置 → 反馈 → 核查 → 结案, or 退回 / 作废 */
export const caseStatuses = [
  'reported', 'accepted', 'dispatched', 'handling', 'feedback', 'verified', 'closed', 'returned', 'voided',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** 小事不出网格，大事不出镇: where a closed case was solved */
export const resolutionLevels = ['grid', 'town', 'district'] as const;

/** 12345 工单类型 */
export const ticketTypes = ['consult', 'help', 'complaint', 'suggestion', 'report'] as const;
export const ticketTopics = [
  '物业管理', '小区维修', '垃圾分类', '大树扰民', '停车难', '噪音扰民', '助餐点布局', '精品小区改造', '交通出行', '政务服务',
] as const;
export const ticketStatuses = ['received', 'assigned', 'contacted', 'replied', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const satisfactions = ['satisfied', 'basic', 'unsatisfied'] as const;

/** 专项检查 */
export const campaigns = ['sewage', 'civility', 'garbage', 'overheadLines'] as const;
export type Campaign = (typeof campaigns)[number];
export const inspectionStatuses = ['done', 'rectifying', 'rectified', 'overdue'] as const;
export const inspectionOutcomes = ['pass', 'rectify'] as const;
export const checkResults = ['pass', 'fail', 'na'] as const;
export const targetTypes = ['enterprise', 'compound', 'site'] as const;

export const streamKinds = ['case', 'ticket', 'inspection'] as const;
export type StreamKind = (typeof streamKinds)[number];
