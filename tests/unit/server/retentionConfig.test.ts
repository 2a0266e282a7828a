// RETENTION_DAYS (docs/operations.md, "Retention"): whole days, 400 unless set, refused by name.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config';

describe('RETENTION_DAYS', () => {
  it('keeps raw events 400 days unless set', () => {
    expect(loadConfig({}).retentionDays).toBe(400);
    expect(loadConfig({ RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(loadConfig({ RETENTION_DAYS: '3650' }).retentionDays).toBe(3650);
  });

  it('refuses what is not 1 to 3650 whole days, naming the variable', () => {
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow('invalid configuration:\n  RETENTION_DAYS: expected 1 to 3650 days');
    expect(() => loadConfig({ RETENTION_DAYS: '3651' })).toThrow('RETENTION_DAYS: expected 1 to 3650 days');
    expect(() => loadConfig({ RETENTION_DAYS: '7.5' })).toThrow('RETENTION_DAYS: expected whole days');
    expect(() => loadConfig({ RETENTION_DAYS: 'a year' })).toThrow('RETENTION_DAYS: expected a number of days');
  });
});
