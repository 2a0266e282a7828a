// Valid ingest events for tests, with overrides. Places are real ids of the demo town (N01 淞五, C001 馨兰小区).
import type { IngestEventInput } from '#shared/events';
import { toShanghaiIso } from '#shared/time';

const at = (ms: number) => toShanghaiIso(ms);
export const BASE_MS = Date.parse('2026-11-21T09:00:00+08:00');
const location = { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01', compoundId: 'C001' };

export function makeCase(over: Record<string, unknown> = {}, t = BASE_MS): IngestEventInput {
  return {
    kind: 'case', id: 'CS-T-0001', version: 1, occurredAt: at(t), urgent: false,
    address: '淞五居民区 馨兰小区 3号楼', location,
    status: 'reported', source: 'patrol', category: 'community', subcategory: '楼道堆物',
    description: '3号楼楼道堆放杂物，影响通行', reportedAt: at(t), deadline: at(t + 24 * 3600_000),
    ...over,
  } as IngestEventInput;
}

export function makeTicket(over: Record<string, unknown> = {}, t = BASE_MS): IngestEventInput {
  return {
    kind: 'ticket', id: 'RX-T-0001', version: 1, occurredAt: at(t), urgent: false,
    address: '淞五居民区 馨兰小区', location,
    status: 'received', ticketType: 'complaint', topic: '噪音扰民', summary: '夜间施工噪音扰民',
    callerPhone: '13912345678', receivedAt: at(t), dueAt: at(t + 5 * 86400_000), firstContactDueAt: at(t + 2 * 3600_000),
    ...over,
  } as IngestEventInput;
}

export function makeInspection(over: Record<string, unknown> = {}, t = BASE_MS): IngestEventInput {
  return {
    kind: 'inspection', id: 'JC-T-0001', version: 1, occurredAt: at(t), urgent: false,
    address: '剑河路 甘溪路口', location: { ...location, compoundId: undefined },
    status: 'done', campaign: 'sewage', target: { type: 'enterprise', name: '某餐饮店' },
    items: [{ name: '排水许可证', result: 'pass' }, { name: '隔油池设置规范', result: 'fail' }],
    outcome: 'rectify', inspectedAt: at(t), rectifyDeadline: at(t + 5 * 86400_000),
    ...over,
  } as IngestEventInput;
}

/** The same entity's later version with a new status and time. */
export function next(e: IngestEventInput, version: number, tMs: number, over: Record<string, unknown> = {}): IngestEventInput {
  return { ...e, version, occurredAt: at(tMs), ...over } as IngestEventInput;
}
