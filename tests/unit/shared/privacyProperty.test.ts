// Property tests of masking (docs/privacy.md): random phone and ID numbers, written every way
// tests/support/numberArbitraries.ts knows, inside random text and in every free-text field of random
// events, never show their middle digits — in any script, with or without separators: the digits of
// the masked text (NFKC, any script, numerals read out) are a start and an end of each number only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { FIELD_TREATMENTS, maskEvent, maskText } from '#shared/privacy';
import { makeCase, makeInspection, makeTicket } from '../../support/events';
import { filler, showsOnlyEnds, writtenNumber, type WrittenNumber } from '../../support/numberArbitraries';
import { digitsOf } from '../../support/personalNumbers';

/** Text with the numbers in it, in order, each between digit-free filler. */
const textWith = (maxNumbers: number) =>
  fc.array(fc.tuple(filler(), writtenNumber), { minLength: 1, maxLength: maxNumbers })
    .chain((parts) => filler().map((end) => ({ text: parts.map(([f, n]) => f + n.text).join('') + end, numbers: parts.map(([, n]) => n) })));

describe('masking, property', () => {
  it('shows no middle digit of any number written any way in any text', () => {
    fc.assert(
      fc.property(textWith(3), ({ text, numbers }) => {
        const masked = maskText(text);
        expect(showsOnlyEnds(digitsOf(masked), numbers), `${text} → ${masked}`).toBe(true);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  // Every string field that is not a code: a number in each, and one in a field no schema knows.
  const TEXT_FIELDS: Record<IngestEvent['kind'], string[]> = {
    case: ['address', 'subcategory', 'description', 'department', 'extra.note'],
    ticket: ['address', 'summary', 'reply', 'extra.note'],
    inspection: ['address', 'target.name', 'items.0.name', 'items.1.name', 'inspector', 'note', 'extra.note'],
  };
  const make = { case: makeCase, ticket: makeTicket, inspection: makeInspection };
  const set = (o: Record<string, unknown>, path: string, v: unknown) => {
    const keys = path.split('.');
    let at = o;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = v;
  };
  const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], o);
  const field = fc.tuple(filler(6), writtenNumber, filler(6)).map(([a, n, b]) => ({ text: a + n.text + b, number: n }));
  const phoneField = fc.tuple(fc.constantFrom('', '+86', '86'), fc.constantFrom(...'3456789'), fc.stringMatching(/^\d{9}$/))
    .map(([cc, second, rest]): { text: string; number: WrittenNumber } => ({
      text: `${cc}1${second}${rest}`,
      number: { text: '', digits: `${cc.replace('+', '')}1${second}${rest}`, midStart: cc.replace('+', '').length + 3, midEnd: cc.replace('+', '').length + 7 },
    }));

  it('masks every free-text field of random events, keeps the codes, and masks phone fields as 139****5678', () => {
    const kinds = fc.constantFrom<IngestEvent['kind']>('case', 'ticket', 'inspection');
    fc.assert(
      fc.property(kinds.chain((kind) => fc.tuple(fc.constant(kind), fc.array(field, { minLength: TEXT_FIELDS[kind].length, maxLength: TEXT_FIELDS[kind].length }), phoneField)),
        ([kind, values, phone]) => {
          const event = structuredClone(make[kind]()) as Record<string, unknown>;
          TEXT_FIELDS[kind].forEach((path, i) => set(event, path, values[i]!.text));
          if (kind !== 'inspection') set(event, kind === 'case' ? 'reporterPhone' : 'callerPhone', phone.text);
          const masked = maskEvent(event as IngestEvent);
          TEXT_FIELDS[kind].forEach((path, i) => {
            const shown = get(masked, path) as string;
            expect(showsOnlyEnds(digitsOf(shown), [values[i]!.number]), `${kind}.${path}: ${values[i]!.text} → ${shown}`).toBe(true);
          });
          if (kind !== 'inspection') {
            const shown = get(masked, kind === 'case' ? 'reporterPhone' : 'callerPhone') as string;
            expect(shown).toBe(phone.text.replace(/^(\+?\d*?1\d\d)\d{4}/, '$1****'));
          }
          for (const key of FIELD_TREATMENTS.keys()) {
            const [k, path] = key.split(':') as [string, string];
            if (k !== kind || path.includes('[]') || FIELD_TREATMENTS.get(key) !== 'code') continue;
            expect(get(masked, path), path).toEqual(get(event, path)); // codes as sent
          }
        }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('leaves short numbers in text as they are (house numbers, counts, times)', () => {
    const cjk = fc.string({ unit: fc.constantFrom(...'路弄号楼室幢单元层户人件次时分'), minLength: 1, maxLength: 3 });
    const shortRun = fc.stringMatching(/^\d{1,4}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(cjk, shortRun), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.map(([a, b]) => a + b).join('');
        expect(maskText(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
