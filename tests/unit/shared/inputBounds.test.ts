// The schema's bounds on free text, on the order of an item's times and on dangerous keys
// (docs/input.md); the clock's window is in tests/unit/server/timeWindow.test.ts.
import { describe, expect, it } from 'vitest';
import { dangerousKeyPaths } from '#shared/dangerousKeys';
import { MAX_TERM_DAYS, parseEvent } from '#shared/events';
import { textProblem } from '#shared/plainText';
import { toShanghaiIso } from '#shared/time';
import { BASE_MS, makeCase, makeInspection, makeTicket } from '../../support/events';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => toShanghaiIso(ms);
const startsWith = (prefix: string) => new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** The errors of a rejected item as "path: message". */
function errorsOf(input: unknown): string[] {
  const r = parseEvent(input);
  expect(r.ok, 'expected a rejection').toBe(false);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('free text holds visible text only', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000 (a control character) at character 2'],
    ['ESC', '3号楼\u001b[31m', 'U+001B (a control character) at character 4'],
    ['DEL', 'x\u007f', 'U+007F (a control character) at character 2'],
    ['C1 NEL', '\u0085楼道', 'U+0085 (a control character) at character 1'],
    ['RLO', '楼道\u202Etxt.exe', 'U+202E (a bidirectional override) at character 3'],
    ['LRE', 'ab\u202A', 'U+202A (a bidirectional override) at character 3'],
    ['RLI', 'ab\u2067c', 'U+2067 (a bidirectional isolate) at character 3'],
    ['PDI', '\u2069', 'U+2069 (a bidirectional isolate) at character 1'],
    ['lone high surrogate', 'ab\uD800', 'U+D800 (an unpaired surrogate) at character 3'],
    ['lone low surrogate', '\uDC00ab', 'U+DC00 (an unpaired surrogate) at character 1'],
    ['reversed pair', 'a\uDE00\uD83D', 'U+DE00 (an unpaired surrogate) at character 2'],
  ])('%s is named with its position', (_what, s, message) => {
    expect(textProblem(s, true)).toMatch(startsWith(message));
    expect(textProblem(s, false)).toMatch(startsWith(message));
  });

  it('counts a character beyond the BMP once, and accepts a paired surrogate (an emoji)', () => {
    expect(textProblem('😀ok', false)).toBeUndefined();
    expect(textProblem('😀\u0000', false)).toMatch(/at character 2:/);
  });

  it('lets multi-line fields hold tab, LF and CR; one-line fields none of them', () => {
    expect(textProblem('第一行\r\n第二行\t完', true)).toBeUndefined();
    expect(textProblem('淞五居民区\n馨兰小区', false)).toMatch(/^U\+000A \(a tab or line break, in a one-line field\) at character 6/);
    expect(textProblem('a\tb', false)).toMatch(/^U\+0009/);
  });

  it.each([
    ['NUL in description', makeCase({ description: '楼道\u0000堆物' }), 'description', 'U+0000'],
    ['RLO in address', makeCase({ address: '馨兰小区\u202E3号楼' }), 'address', 'U+202E'],
    ['lone surrogate in summary', makeTicket({ summary: '噪音\uD800扰民' }), 'summary', 'U+D800'],
    ['LRI in the reply', makeTicket({ reply: '已处理\u2066' }), 'reply', 'U+2066'],
    ['C1 in a target name', makeInspection({ target: { type: 'enterprise', name: '某\u0090餐饮店' } }), 'target.name', 'U+0090'],
    ['line break in a checklist item', makeInspection({ items: [{ name: '排水\n许可证', result: 'pass' }] }), 'items.0.name', 'U+000A'],
    ['NUL in the note', makeInspection({ note: '整改\u0000' }), 'note', 'U+0000'],
    ['line break in the department', makeCase({ department: '城管\n中队' }), 'department', 'U+000A'],
  ])('rejects %s naming the field', (_what, input, path, codePoint) => {
    expect(errorsOf(input)).toEqual([expect.stringMatching(startsWith(`${path}: ${codePoint} (`))]);
  });

  it('keeps a multi-line description as sent', () => {
    const r = parseEvent(makeCase({ description: '楼道堆放杂物\n影响通行\t（3号楼）' }));
    expect(r.ok && r.event.kind === 'case' && r.event.description).toBe('楼道堆放杂物\n影响通行\t（3号楼）');
  });
});

describe("an item's times agree with each other", () => {
  const t = BASE_MS;
  it.each([
    ['a report after the version occurred', makeCase({ reportedAt: at(t + HOUR) }), 'reportedAt: must not be after occurredAt'],
    ['a case closed after the version occurred', makeCase({ status: 'closed', closedAt: at(t + HOUR) }), 'closedAt: must not be after occurredAt'],
    ['a case handled before its report', makeCase({ handledAt: at(t - HOUR) }), 'handledAt: must not be before reportedAt'],
    ['a deadline before the report', makeCase({ deadline: at(t - 1000) }), 'deadline: must not be before reportedAt'],
    ['a deadline in 2099', makeCase({ deadline: '2099-01-01T00:00:00+08:00' }), `deadline: must fall within ${MAX_TERM_DAYS} days of reportedAt`],
    ['a deadline in 9999', makeCase({ deadline: '9999-12-31T23:59:59+08:00' }), `deadline: must fall within ${MAX_TERM_DAYS} days of reportedAt`],
    ['a receipt after the version occurred', makeTicket({ receivedAt: at(t + 1000) }), 'receivedAt: must not be after occurredAt'],
    ['a first contact before the receipt', makeTicket({ firstContactAt: at(t - 1000) }), 'firstContactAt: must not be before receivedAt'],
    ['a reply after the version occurred', makeTicket({ repliedAt: at(t + HOUR) }), 'repliedAt: must not be after occurredAt'],
    ['a first-contact limit before the receipt', makeTicket({ firstContactDueAt: at(t - HOUR) }), 'firstContactDueAt: must not be before receivedAt'],
    ['a due time in 0000 (before the receipt)', makeTicket({ dueAt: '0000-01-01T00:00:00+08:00' }), 'dueAt: must not be before receivedAt'],
    ['an inspection after the version occurred', makeInspection({ inspectedAt: at(t + HOUR) }), 'inspectedAt: must not be after occurredAt'],
    ['a rectification before the inspection', makeInspection({ rectifiedAt: at(t - HOUR) }), 'rectifiedAt: must not be before inspectedAt'],
    ['a rectification deadline in 2099', makeInspection({ rectifyDeadline: '2099-06-01T00:00:00+08:00' }), `rectifyDeadline: must fall within ${MAX_TERM_DAYS} days of inspectedAt`],
  ])('rejects %s', (_what, input, error) => {
    expect(errorsOf(input)).toEqual([error]);
  });

  it('accepts the edges: times equal to the start or to occurredAt, a deadline exactly the term away', () => {
    const closed = makeCase({ status: 'closed', handledAt: at(t), closedAt: at(t), deadline: at(t + MAX_TERM_DAYS * DAY) });
    expect(parseEvent(closed).ok).toBe(true);
    const later = makeTicket({ occurredAt: at(t + DAY), firstContactAt: at(t + HOUR), repliedAt: at(t + DAY), status: 'replied' });
    expect(parseEvent(later).ok).toBe(true);
    expect(parseEvent(makeCase({ deadline: at(t + MAX_TERM_DAYS * DAY + 1000) })).ok).toBe(false);
  });
});

describe('dangerous keys reject their item, naming the key', () => {
  /** An object with an own key "__proto__", as JSON.parse makes it. */
  const withProto = (o: object, value: unknown = { polluted: true }) => Object.defineProperty({ ...o }, '__proto__', { value, enumerable: true, configurable: true, writable: true });

  it('finds own keys at any depth and spells out their paths', () => {
    const parsed: unknown = JSON.parse('{"a":{"b":[{"__proto__":{"x":1}}]},"constructor":{"prototype":{}},"c":1}');
    expect(dangerousKeyPaths(parsed)).toEqual(['a.b.0.__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined(); // JSON.parse set no prototype
    expect(dangerousKeyPaths({ ok: [1, 'two', null, { fine: true }] })).toEqual([]);
  });

  it('walks a value nested 100,000 levels deep without running out of stack', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(100_000)}{"prototype":1}${']'.repeat(100_000)}`);
    const [path] = dangerousKeyPaths(deep);
    expect(path).toBe(`${'0.'.repeat(100_000)}prototype`);
  });

  it.each([
    ['__proto__ at the root', withProto(makeCase()), '__proto__'],
    ['__proto__ in the location', makeCase({ location: withProto({ lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01' }) }), 'location.__proto__'],
    ['constructor.prototype', { ...makeTicket(), constructor: { prototype: { polluted: true } } }, 'constructor'],
    ['prototype in a checklist item', makeInspection({ items: [{ name: '排水许可证', result: 'pass', prototype: {} }] }), 'items.0.prototype'],
  ])('%s', (_what, input, path) => {
    expect(errorsOf(input)).toEqual([`${path}: the key "${path.split('.').pop()}" is not accepted: it can reach JavaScript object prototypes`]);
  });

  it('names the item itself as (root) when it is not an object', () => {
    for (const item of [42, 'case', null, true, [makeCase()]]) expect(errorsOf(item)).toEqual([expect.stringMatching(/^\(root\): /)]);
  });
});
