// One 12345 市民热线工单: received → assigned → contacted (先行联系) → replied → closed with satisfaction.
import { ticketTopics, ticketTypes } from '#shared/vocab';
import { DAY, HOUR, MINUTE, dayTime, iso, versionsOf, type Timed, type TicketInput } from './lifecycle';
import type { Places, Spot, SpotKind } from './location';
import type { Rng } from './random';
import { contactNote, mobile, ticketReply, ticketSummary } from './wording';

/** Every version of a ticket happens within this span after the call (plans look back this far). */
export const TICKET_SPAN_MS = 3 * DAY;

type TicketType = (typeof ticketTypes)[number];
type Topic = (typeof ticketTopics)[number];

const TYPE_SHARE: readonly (readonly [TicketType, number])[] = [
  ['consult', 0.22], ['help', 0.18], ['complaint', 0.38], ['suggestion', 0.1], ['report', 0.12],
];
// Topic weights per type, in the order of `ticketTopics`:
// 物业管理, 小区维修, 垃圾分类, 大树扰民, 停车难, 噪音扰民, 助餐点布局, 精品小区改造, 交通出行, 政务服务
const TOPIC_WEIGHTS: Record<TicketType, readonly number[]> = {
  consult: [2, 1, 2, 0.5, 1, 0.5, 3, 3, 2, 6],
  help: [3, 5, 1, 3, 1, 1, 1, 0.5, 1, 1],
  complaint: [6, 4, 3, 2, 4, 6, 0.3, 1, 2, 0.5],
  suggestion: [1, 0.5, 1, 0.5, 3, 0.5, 3, 2, 3, 1],
  report: [3, 1, 3, 1, 2, 5, 0, 1, 1, 0],
};
const STREET_TOPICS = new Set<Topic>(['停车难', '交通出行']);
const SATISFACTION: readonly (readonly [NonNullable<TicketInput['satisfaction']>, number])[] = [
  ['satisfied', 0.8], ['basic', 0.14], ['unsatisfied', 0.06],
];

/** What a repeat call (重复来电) takes over from the first one. */
export interface TicketMemo {
  id: string;
  ticketType: TicketType;
  topic: Topic;
  spot: Spot;
  callerPhone: string;
}

export interface NewTicket {
  id: string;
  receivedAt: number;
}

/** Every version of one ticket; `earlier` are the same day's tickets so far (for repeat calls). */
export function ticketVersions(rng: Rng, places: Places, n: NewTicket, earlier: readonly TicketMemo[]): { versions: Timed[]; memo: TicketMemo } {
  const t0 = n.receivedAt;
  const first = earlier.length > 0 && rng.chance(0.08) ? earlier[Math.max(0, earlier.length - 1 - rng.int(40))] : undefined;
  const ticketType = first?.ticketType ?? rng.weighted(TYPE_SHARE);
  const topic = first?.topic ?? ticketTopics[rng.weightedIndex(TOPIC_WEIGHTS[ticketType])]!;
  const kind: SpotKind = STREET_TOPICS.has(topic) ? 'street' : rng.chance(0.8) ? 'compound' : 'open';
  const spot = first?.spot ?? places.pick(rng, kind);
  const callerPhone = first && rng.chance(0.7) ? first.callerPhone : mobile(rng);
  const urgent = (ticketType === 'help' || ticketType === 'complaint') && rng.chance(0.025);

  // 办理时限 1/5/15 days; 先行联系 within 2 h for complaints and requests for help, else 24 h.
  const dueAt = t0 + (urgent ? 1 : ticketType === 'consult' || ticketType === 'suggestion' ? 15 : 5) * DAY;
  const contactWindow = ticketType === 'complaint' || ticketType === 'help' ? 2 * HOUR : DAY;
  const firstContactDueAt = t0 + contactWindow;

  const { address, place, building, ...location } = spot;
  const summary = (first ? '重复来电：' : '') + ticketSummary(rng, topic, place, building) + (rng.chance(0.05) ? contactNote(rng) : '');
  const base: Omit<TicketInput, 'version' | 'occurredAt' | 'status'> = {
    kind: 'ticket', id: n.id, urgent, address, location, ticketType, topic, summary, callerPhone,
    receivedAt: iso(t0), dueAt: iso(dueAt), firstContactDueAt: iso(firstContactDueAt),
  };
  if (first) base.repeatOf = first.id;

  const assigned = t0 + 2 * MINUTE + rng.exponential(15 * MINUTE);
  let contacted: number;
  if (rng.chance(0.9)) {
    // On time: early in the window; a day-long window waits for the morning if the call came at night.
    const room = firstContactDueAt - MINUTE - assigned;
    const early = contactWindow === DAY ? dayTime(rng, assigned + rng.exponential(2 * HOUR)) : assigned + room * rng.next() ** 1.5;
    contacted = early < firstContactDueAt ? early : assigned + room * rng.between(0.3, 0.9);
  } else {
    contacted = firstContactDueAt + rng.between(5 * MINUTE, 4 * HOUR);
  }
  contacted = Math.max(contacted, assigned);
  let replied = dayTime(rng, contacted + rng.logNormal(ticketType === 'consult' ? 1.5 * HOUR : 6 * HOUR, 1));
  if (urgent && replied > dueAt - HOUR && rng.chance(0.85) && dueAt - 2 * HOUR > contacted)
    replied = contacted + (dueAt - 2 * HOUR - contacted) * rng.between(0.3, 0.9);
  const cap = t0 + TICKET_SPAN_MS - 1000;
  replied = Math.min(replied, cap - 20 * HOUR);
  const closed = Math.min(dayTime(rng, replied + rng.between(1, 16) * HOUR), cap); // 回访: the satisfaction call

  const versions = versionsOf<TicketInput>(base, [
    { status: 'received', t: t0 },
    { status: 'assigned', t: assigned },
    { status: 'contacted', t: contacted, set: { firstContactAt: iso(contacted) } },
    { status: 'replied', t: Math.max(replied, contacted), set: { repliedAt: iso(Math.max(replied, contacted)), reply: ticketReply(topic) } },
    { status: 'closed', t: closed, set: { closedAt: iso(closed), satisfaction: rng.weighted(SATISFACTION) } },
  ]);
  return { versions, memo: { id: n.id, ticketType, topic, spot, callerPhone } };
}
