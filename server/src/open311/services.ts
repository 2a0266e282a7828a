// The Open311 service catalogue (docs/open311.md, "Services"), built from the vocabularies: each case
// category (大类) and each 12345 topic is a service. Inspections are not service requests (the
// centre's own checks, nobody asks for them) and have none.
import { categoryLabels, kindLabels, ticketTypeLabels, topicLabels } from '#shared/labels';
import type { Service, ServiceAttribute, ServiceDefinition } from '#shared/open311';
import { caseCategories, caseCategoryIds, ticketTopics, ticketTypes, type CaseCategory } from '#shared/vocab';

type Topic = (typeof ticketTopics)[number];
export type TicketType = (typeof ticketTypes)[number];

/** What a service code stands for: the stream and the entity's label (category or topic, see summarize). */
export type ServiceTarget = { kind: 'case'; label: CaseCategory } | { kind: 'ticket'; label: Topic };

/** Codes of the 12345 topics: ASCII, so they sit in a URL as they are. */
const TOPIC_CODES: Record<Topic, string> = {
  物业管理: 'property', 小区维修: 'repairs', 垃圾分类: 'waste-sorting', 大树扰民: 'trees', 停车难: 'parking',
  噪音扰民: 'noise', 助餐点布局: 'meal-points', 精品小区改造: 'estate-renewal', 交通出行: 'transport', 政务服务: 'gov-services',
};

/** A ticket posted without `attribute[ticket_type]` is a request for help (求助): what a report asks of the town. */
export const DEFAULT_TICKET_TYPE: TicketType = 'help';

interface Entry { service: Service; target: ServiceTarget; attributes: ServiceAttribute[] }

const caseEntry = (category: CaseCategory): Entry => {
  const { zh, en } = categoryLabels[category];
  const subs = caseCategories[category];
  return {
    target: { kind: 'case', label: category },
    service: {
      service_code: `case-${category}`, service_name: zh, description: `${zh} ${en}: ${subs.join('、')}`,
      metadata: true, type: 'realtime', keywords: subs.join(','), group: kindLabels.case.zh,
    },
    attributes: [{
      variable: true, code: 'subcategory', datatype: 'singlevaluelist', required: true, datatype_description: '小类 subcategory',
      order: 1, description: `${zh}的哪一类问题 (a subcategory of ${en})`, values: subs.map((s) => ({ key: s, name: s })),
    }],
  };
};

const ticketEntry = (topic: Topic): Entry => {
  const { zh, en } = topicLabels[topic];
  return {
    target: { kind: 'ticket', label: topic },
    service: {
      service_code: `hotline-${TOPIC_CODES[topic]}`, service_name: zh,
      description: `12345 ${zh} ${en}; a request needs the caller's phone (先行联系 and the satisfaction call)`,
      metadata: true, type: 'realtime', keywords: en, group: kindLabels.ticket.zh,
    },
    attributes: [{
      variable: true, code: 'ticket_type', datatype: 'singlevaluelist', required: false, datatype_description: '工单类型 ticket type',
      order: 1, description: `咨询、求助、投诉、建议或举报; ${ticketTypeLabels[DEFAULT_TICKET_TYPE].zh} (${DEFAULT_TICKET_TYPE}) when not given`,
      values: ticketTypes.map((t) => ({ key: t, name: `${ticketTypeLabels[t].zh} ${ticketTypeLabels[t].en}` })),
    }],
  };
};

const entries = [...caseCategoryIds.map(caseEntry), ...ticketTopics.map(ticketEntry)];
const byCode = new Map(entries.map((e) => [e.service.service_code, e]));
const byLabel = new Map(entries.map((e) => [`${e.target.kind}:${e.target.label}`, e.service]));

export const services: readonly Service[] = entries.map((e) => e.service);

export const serviceByCode = (code: string): { service: Service; target: ServiceTarget } | undefined => byCode.get(code);

export function serviceDefinition(code: string): ServiceDefinition | undefined {
  const e = byCode.get(code);
  return e && { service_code: code, attributes: e.attributes };
}

/** The service of an entity: its stream and label (category of a case, topic of a ticket). */
export const serviceOf = (kind: string, label: string): Service | undefined => byLabel.get(`${kind}:${label}`);
