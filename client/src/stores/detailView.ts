// What the event detail shows, from the entity read (/api/v1/entities/:kind/:id): the facts of
// the entity with names from the geography, its deadline as time left or overdue, and one
// timeline row per stored version with what changed. Pure; the text is already masked by the server.
import type { IngestEvent } from '#shared/events';
import {
  campaignLabels, caseStatusLabels, categoryLabels, checkResultLabels, inspectionStatusLabels, kindLabels, outcomeLabels, resolutionLabels,
  satisfactionLabels, sourceLabels, targetTypeLabels, ticketStatusLabels, ticketTypeLabels, topicLabels,
} from '#shared/labels';
import type { StoredVersion } from '../api';
import { fmtDayTime } from '../format';
import { getLang, label, t, type MessageKey } from '../i18n';
import type { Lang } from '../params';

const MINUTE = 60_000;

/** "2 天 3 小时", "5 小时 12 分", "12 分钟" (and English) of a positive duration. */
export function durationText(ms: number, lang?: Lang): string {
  const min = Math.max(0, Math.floor(ms / MINUTE));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return t(h ? 'dur.dh' : 'dur.d', { d, h }, lang);
  if (h > 0) return t(m ? 'dur.hm' : 'dur.h', { h, m }, lang);
  return t('dur.m', { m }, lang);
}

export interface DueInfo {
  text: string;
  overdue: boolean;
}

/** 剩余 … / 超期 … for an open entity with a due time; "已办结" once closed; null without a due time. */
export function dueInfo(dueAt: string | undefined, open: boolean, nowMs: number, lang?: Lang): DueInfo | null {
  if (!dueAt) return null;
  if (!open) return { text: t('due.closed', undefined, lang), overdue: false };
  const left = Date.parse(dueAt) - nowMs;
  return left >= 0
    ? { text: t('due.left', { d: durationText(left, lang) }, lang), overdue: false }
    : { text: t('due.overdue', { d: durationText(-left, lang) }, lang), overdue: true };
}

export function statusLabel(kind: IngestEvent['kind'], status: string, lang?: Lang): string {
  const table = kind === 'case' ? caseStatusLabels : kind === 'ticket' ? ticketStatusLabels : inspectionStatusLabels;
  return label(table, status, lang);
}

export interface Field {
  key: string;
  label: string;
  value: string;
}

/** Names of places (片区, 居民区, grid, compound) by id. */
export type NameOf = (id: string) => string | undefined;

const f = (key: string, value: string | undefined | null, lang?: Lang): Field[] =>
  value ? [{ key, label: t(`detail.${key}` as MessageKey, undefined, lang), value }] : [];

/** The place: 片区 · 居民区 · 网格 · 小区, by name. */
export function placeText(e: IngestEvent, name: NameOf, areaOf: (nb: string) => string | undefined): string {
  const { neighbourhoodId, gridId, compoundId } = e.location;
  const area = areaOf(neighbourhoodId);
  return [area && name(area), name(neighbourhoodId) ?? neighbourhoodId, name(gridId) ?? gridId, compoundId && (name(compoundId) ?? compoundId)]
    .filter(Boolean)
    .join(' · ');
}

/** The facts of an entity, in reading order for a duty officer. */
export function detailFields(e: IngestEvent, place: string, lang?: Lang): Field[] {
  const common = [...f('place', place, lang), ...f('address', e.address, lang)];
  if (e.kind === 'case')
    return [
      ...f('category', `${label(categoryLabels, e.category, lang)} · ${e.subcategory}`, lang),
      ...common,
      ...f('source', label(sourceLabels, e.source, lang), lang),
      ...f('description', e.description, lang),
      ...f('phone', e.reporterPhone, lang),
      ...f('department', e.department, lang),
      ...f('reportedAt', fmtDayTime(e.reportedAt), lang),
      ...f('deadline', fmtDayTime(e.deadline), lang),
      ...f('closedAt', e.closedAt && fmtDayTime(e.closedAt), lang),
      ...f('resolvedLevel', e.resolvedLevel && label(resolutionLabels, e.resolvedLevel, lang), lang),
    ];
  if (e.kind === 'ticket')
    return [
      ...f('category', `${label(ticketTypeLabels, e.ticketType, lang)} · ${label(topicLabels, e.topic, lang)}`, lang),
      ...common,
      ...f('summary', e.summary, lang),
      ...f('phone', e.callerPhone, lang),
      ...f('receivedAt', fmtDayTime(e.receivedAt), lang),
      ...f('deadline', fmtDayTime(e.dueAt), lang),
      ...f('firstContactAt', e.firstContactAt && fmtDayTime(e.firstContactAt), lang),
      ...f('reply', e.reply, lang),
      ...f('satisfaction', e.satisfaction && label(satisfactionLabels, e.satisfaction, lang), lang),
      ...f('repeatOf', e.repeatOf, lang),
    ];
  return [
    ...f('category', label(campaignLabels, e.campaign, lang), lang),
    ...f('target', `${label(targetTypeLabels, e.target.type, lang)} · ${e.target.name}`, lang),
    ...common,
    ...f('items', e.items.map((i) => `${i.name} ${label(checkResultLabels, i.result, lang)}`).join('；'), lang),
    ...f('outcome', label(outcomeLabels, e.outcome, lang), lang),
    ...f('inspector', e.inspector, lang),
    ...f('deadline', e.rectifyDeadline && fmtDayTime(e.rectifyDeadline), lang),
    ...f('note', e.note, lang),
  ];
}

export interface TimelineRow {
  seq: number;
  version: number;
  status: string;
  /** mm-dd hh:mm of the event */
  time: string;
  changes: string[];
}

type Changed = (prev: IngestEvent | undefined, e: IngestEvent, lang?: Lang) => string[];
const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}…` : s);
const line = (key: MessageKey, value: string, lang: Lang = getLang()) => `${t(key, undefined, lang)}${lang === 'zh' ? '：' : ': '}${value}`;

/** What a version changed (the first version: how it started). */
const changed: Changed = (prev, e, lang) => {
  const out: string[] = [];
  const was = prev as Record<string, unknown> | undefined;
  const now = e as unknown as Record<string, unknown>;
  const diff = (k: string) => now[k] !== undefined && now[k] !== was?.[k];
  if (!prev) {
    if (e.kind === 'case') out.push(line('detail.source', label(sourceLabels, e.source, lang), lang));
    if (e.kind === 'ticket') out.push(line('detail.category', label(ticketTypeLabels, e.ticketType, lang), lang));
    if (e.kind === 'inspection') out.push(line('detail.outcome', label(outcomeLabels, e.outcome, lang), lang));
  }
  if (e.urgent && prev && !prev.urgent) out.push(t('detail.markedUrgent', undefined, lang));
  if (e.kind === 'case') {
    if (diff('department')) out.push(line('detail.department', e.department!, lang));
    if (prev && diff('deadline')) out.push(line('detail.deadline', fmtDayTime(e.deadline), lang));
    if (diff('resolvedLevel')) out.push(line('detail.resolvedLevel', label(resolutionLabels, e.resolvedLevel!, lang), lang));
  } else if (e.kind === 'ticket') {
    if (diff('firstContactAt')) out.push(line('detail.firstContactAt', fmtDayTime(e.firstContactAt), lang));
    if (diff('reply')) out.push(line('detail.reply', short(e.reply!), lang));
    if (diff('satisfaction')) out.push(line('detail.satisfaction', label(satisfactionLabels, e.satisfaction!, lang), lang));
    if (prev && diff('dueAt')) out.push(line('detail.deadline', fmtDayTime(e.dueAt), lang));
  } else {
    if (prev && diff('outcome')) out.push(line('detail.outcome', label(outcomeLabels, e.outcome, lang), lang));
    if (diff('rectifyDeadline')) out.push(line('detail.deadline', fmtDayTime(e.rectifyDeadline), lang));
    if (diff('rectifiedAt')) out.push(line('detail.rectifiedAt', fmtDayTime(e.rectifiedAt), lang));
    if (diff('inspector')) out.push(line('detail.inspector', e.inspector!, lang));
  }
  return out;
};

/** One row per stored version, in version order (corrections of one version keep their store order). */
export function timelineRows(timeline: readonly StoredVersion[], lang?: Lang): TimelineRow[] {
  const sorted = [...timeline].sort((a, b) => a.event.version - b.event.version || a.seq - b.seq);
  return sorted.map((v, i) => ({
    seq: v.seq,
    version: v.event.version,
    status: statusLabel(v.event.kind, v.event.status, lang),
    time: fmtDayTime(v.event.occurredAt),
    changes: changed(sorted[i - 1]?.event, v.event, lang),
  }));
}

/** Heading of the detail: stream and id. */
export const detailTitle = (e: IngestEvent, lang?: Lang): string => `${label(kindLabels, e.kind, lang)} · ${e.id}`;

