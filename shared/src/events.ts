// Wire schemas of the three streams: the only definition of ingest data. Types are inferred, never restated.
import { z } from 'zod';
import { dangerousKeyPaths } from './dangerousKeys';
import { compoundId, gridId, neighbourhoodId } from './geo';
import { plainTextCheck } from './plainText';
import { DAY_MS } from './time';
import {
  campaigns, caseCategories, caseCategoryIds, caseSources, caseStatuses, checkResults, inspectionOutcomes,
  inspectionStatuses, resolutionLevels, satisfactions, targetTypes, ticketStatuses, ticketTopics, ticketTypes,
} from './vocab';

/** ISO-8601 with an explicit offset, e.g. 2026-11-21T09:30:00+08:00 */
export const isoTime = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time with offset, e.g. 2026-11-21T09:30:00+08:00' });
/** Free text is plain text (plainText.ts): `text` one line (an address, a name), `lines` may hold tabs and line breaks. */
const plain = (max: number, multiline: boolean) =>
  z.string().trim().min(1).max(max).superRefine(plainTextCheck(multiline));
const text = (max: number) => plain(max, false);
const lines = (max: number) => plain(max, true);
/** Mainland mobile or landline; raw values are kept in the store and masked towards screens. */
export const phone = z.string().regex(/^(\+?86)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'expected a mainland phone number');
export const entityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'expected letters, digits and _ . : - (max 64)');

export const locationSchema = z.object({
  lng: z.number().min(73).max(136),
  lat: z.number().min(3).max(54),
  gridId,
  neighbourhoodId,
  compoundId: compoundId.optional(),
});

const common = {
  id: entityId,
  version: z.int().min(1).max(1_000_000),
  occurredAt: isoTime,
  urgent: z.boolean().default(false),
  address: text(120),
  location: locationSchema,
};

/** How long after an item's start (report, receipt, inspection) a deadline may fall. */
export const MAX_TERM_DAYS = 366;

/**
 * A version's times agree with each other (docs/input.md): its start and what has happened since
 * happened by occurredAt, and not before the start; a due time falls after the start and within
 * MAX_TERM_DAYS of it. How far occurredAt may lie from the server's clock is the server's check.
 */
function timesInOrder<T extends Record<string, unknown>>(
  e: T, ctx: z.RefinementCtx, start: keyof T & string, happened: ReadonlyArray<keyof T & string>, due: ReadonlyArray<keyof T & string>,
) {
  const ms = (f: string) => (typeof e[f] === 'string' ? Date.parse(e[f]) : undefined);
  const from = ms(start)!;
  const at = ms('occurredAt')!;
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (from > at) issue(start, 'must not be after occurredAt');
  for (const f of happened) {
    const t = ms(f);
    if (t === undefined) continue;
    if (t < from) issue(f, `must not be before ${start}`);
    else if (t > at) issue(f, 'must not be after occurredAt');
  }
  for (const f of due) {
    const t = ms(f);
    if (t === undefined) continue;
    if (t < from) issue(f, `must not be before ${start}`);
    else if (t > from + MAX_TERM_DAYS * DAY_MS) issue(f, `must fall within ${MAX_TERM_DAYS} days of ${start}`);
  }
}

export const caseEventSchema = z
  .object({
    kind: z.literal('case'),
    ...common,
    status: z.enum(caseStatuses),
    source: z.enum(caseSources),
    category: z.enum(caseCategoryIds),
    subcategory: text(20),
    description: lines(500),
    reportedAt: isoTime,
    deadline: isoTime,
    /** 处置完成: when the handling department reported the work done (反馈); 及时处置 is judged by it. */
    handledAt: isoTime.optional(),
    closedAt: isoTime.optional(),
    /** 返工: how many times verification (核查) sent the case back to handling. */
    reworkCount: z.int().min(0).max(100).default(0),
    resolvedLevel: z.enum(resolutionLevels).optional(),
    department: text(40).optional(),
    reporterPhone: phone.optional(),
  })
  .superRefine((c, ctx) => {
    if (!(caseCategories[c.category] as readonly string[]).includes(c.subcategory))
      ctx.addIssue({ code: 'custom', path: ['subcategory'], message: `not a subcategory of ${c.category}` });
    if (c.status === 'closed' && !c.closedAt)
      ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'required when status is closed' });
    timesInOrder(c, ctx, 'reportedAt', ['handledAt', 'closedAt'], ['deadline']);
  })
  .meta({ id: 'CaseEvent', description: '网格化案件: a grid-management case, one version of its lifecycle' });

export const ticketEventSchema = z
  .object({
    kind: z.literal('ticket'),
    ...common,
    status: z.enum(ticketStatuses),
    ticketType: z.enum(ticketTypes),
    topic: z.enum(ticketTopics),
    summary: lines(500),
    callerPhone: phone,
    receivedAt: isoTime,
    dueAt: isoTime,
    firstContactDueAt: isoTime,
    firstContactAt: isoTime.optional(),
    repliedAt: isoTime.optional(),
    closedAt: isoTime.optional(),
    reply: lines(500).optional(),
    satisfaction: z.enum(satisfactions).optional(),
    repeatOf: entityId.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.status === 'closed' && !t.closedAt)
      ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'required when status is closed' });
    timesInOrder(t, ctx, 'receivedAt', ['firstContactAt', 'repliedAt', 'closedAt'], ['dueAt', 'firstContactDueAt']);
  })
  .meta({ id: 'TicketEvent', description: '12345 热线工单: a hotline ticket, one version of its lifecycle' });

export const checkItemSchema = z.object({ name: text(30), result: z.enum(checkResults) });

export const inspectionEventSchema = z
  .object({
    kind: z.literal('inspection'),
    ...common,
    status: z.enum(inspectionStatuses),
    campaign: z.enum(campaigns),
    target: z.object({ type: z.enum(targetTypes), name: text(60) }),
    items: z.array(checkItemSchema).min(1).max(20),
    outcome: z.enum(inspectionOutcomes),
    inspectedAt: isoTime,
    rectifyDeadline: isoTime.optional(),
    rectifiedAt: isoTime.optional(),
    inspector: text(20).optional(),
    note: lines(300).optional(),
  })
  .superRefine((i, ctx) => {
    if (i.outcome === 'rectify' && !i.rectifyDeadline)
      ctx.addIssue({ code: 'custom', path: ['rectifyDeadline'], message: 'required when outcome is rectify' });
    if (i.status === 'rectified' && !i.rectifiedAt)
      ctx.addIssue({ code: 'custom', path: ['rectifiedAt'], message: 'required when status is rectified' });
    timesInOrder(i, ctx, 'inspectedAt', ['rectifiedAt'], ['rectifyDeadline']);
  })
  .meta({ id: 'InspectionEvent', description: '专项检查: an inspection of a campaign, one version of its lifecycle' });

// The `id`s name the schemas in the OpenAPI document (/openapi.json, docs/architecture.md#http-api).
export const ingestEventSchema = z
  .discriminatedUnion('kind', [caseEventSchema, ticketEventSchema, inspectionEventSchema])
  .meta({ id: 'IngestEvent', description: 'One event of a stream, told apart by kind; (kind, id, version) identifies it' });

export type CaseEvent = z.infer<typeof caseEventSchema>;
export type TicketEvent = z.infer<typeof ticketEventSchema>;
export type InspectionEvent = z.infer<typeof inspectionEventSchema>;
export type IngestEvent = z.infer<typeof ingestEventSchema>;
export type IngestEventInput = z.input<typeof ingestEventSchema>;

export const fieldErrorSchema = z.object({
  path: z.string().describe('the failing field, e.g. location.lat; (root) for the item itself'),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/**
 * Parse one untrusted item; errors name the failing field paths (e.g. "location.lat"), or "(root)"
 * when the item itself is not an object (a number, a string, null, an array). An item carrying a
 * dangerous key (dangerousKeys.ts) is rejected for that alone, naming the key's path.
 */
export function parseEvent(input: unknown): { ok: true; event: IngestEvent } | { ok: false; errors: FieldError[] } {
  const dangerous = dangerousKeyPaths(input);
  if (dangerous.length)
    return { ok: false, errors: dangerous.map((path) => ({ path, message: `the key "${path.slice(path.lastIndexOf('.') + 1)}" is not accepted: it can reach JavaScript object prototypes` })) };
  const r = ingestEventSchema.safeParse(input);
  if (r.success) return { ok: true, event: r.data };
  return {
    ok: false,
    errors: r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  };
}
