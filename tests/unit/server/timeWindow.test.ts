// The window around the server's clock that an item's times must fall in (docs/input.md).
import { describe, expect, it } from 'vitest';
import { toShanghaiIso } from '#shared/time';
import { loadTown } from '../../../server/src/geo/town';
import { earliestAccepted, MAX_AGE_YEARS, MAX_FUTURE_MS, validateItem } from '../../../server/src/ingest/validate';
import { makeCase, makeInspection, makeTicket } from '../../support/events';

const town = loadTown();
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const HOUR = 3600_000;

const errorsAt = (input: unknown, now = NOW) => {
  const r = validateItem(input, town, now);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};
/** A case reported and occurring at `iso`, due a day later when that is a real time. */
const caseAt = (iso: string) => makeCase({ occurredAt: iso, reportedAt: iso, deadline: iso });

describe('times within the window around the server clock', () => {
  it(`the earliest accepted instant is the same calendar instant ${MAX_AGE_YEARS} years back`, () => {
    expect(new Date(earliestAccepted(NOW)).toISOString()).toBe('2021-11-25T02:00:00.000Z');
    expect(new Date(earliestAccepted(Date.parse('2028-02-29T12:00:00Z'))).toISOString()).toBe('2023-03-01T12:00:00.000Z');
  });

  it.each([
    ['2099', '2099-01-01T00:00:00+08:00'],
    ['9999', '9999-12-31T23:59:59+08:00'],
  ])('rejects an event occurring in %s, naming occurredAt', (_year, iso) => {
    expect(errorsAt(caseAt(iso))).toEqual(['occurredAt: is in the future (more than 10 minutes ahead of the server clock)']);
  });

  it('rejects an event of the year 0000, naming occurredAt and the report', () => {
    const earliest = 'the earliest accepted is 2021-11-25T02:00:00.000Z';
    expect(errorsAt(caseAt('0000-01-01T00:00:00+08:00'))).toEqual([
      `occurredAt: is more than ${MAX_AGE_YEARS} years before the server clock (${earliest})`,
      `reportedAt: is more than ${MAX_AGE_YEARS} years before the server clock (${earliest})`,
    ]);
  });

  it('names the start of each stream: receivedAt, inspectedAt', () => {
    // Received or inspected just before the window, the version itself an hour ago.
    const old = earliestAccepted(NOW) - 1000;
    const then = { occurredAt: toShanghaiIso(NOW - HOUR) };
    expect(errorsAt(makeTicket(then, old))).toEqual([expect.stringMatching(/^receivedAt: is more than 5 years before/)]);
    expect(errorsAt(makeInspection(then, old))).toEqual([expect.stringMatching(/^inspectedAt: is more than 5 years before/)]);
  });

  it('accepts the edges of the window and rejects one second beyond either', () => {
    const first = earliestAccepted(NOW);
    const at = (ms: number) => makeCase({}, ms);
    expect(errorsAt(at(first))).toEqual([]);
    expect(errorsAt(at(first - 1000))).toHaveLength(2); // occurredAt and reportedAt
    expect(errorsAt(at(NOW + MAX_FUTURE_MS))).toEqual([]);
    expect(errorsAt(at(NOW + MAX_FUTURE_MS + 1000))).toEqual(['occurredAt: is in the future (more than 10 minutes ahead of the server clock)']);
  });

  it("accepts last year's history (an import), and a case reported then and closed now", () => {
    const lastYear = Date.parse('2025-01-02T09:00:00+08:00');
    expect(errorsAt(makeCase({}, lastYear))).toEqual([]);
    const closedNow = makeCase({ status: 'closed', occurredAt: toShanghaiIso(NOW), closedAt: toShanghaiIso(NOW) }, lastYear);
    expect(errorsAt(closedNow)).toEqual([]);
  });
});
