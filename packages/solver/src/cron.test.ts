import { describe, expect, it } from 'vitest';
import { CronError, cronMatches, lastFiring, parseCron, utcFields } from './cron.js';

describe('utcFields', () => {
  it('matches the calendar across eras, leap days and the epoch', () => {
    for (const t of [0, Date.UTC(2000, 1, 29, 23, 59), Date.UTC(2026, 11, 3, 14, 5), Date.UTC(2100, 2, 1), Date.UTC(1969, 11, 31, 23, 0)]) {
      const d = new Date(t);
      expect(utcFields(t)).toEqual({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        weekday: d.getUTCDay(),
      });
    }
  });
});

describe('cron', () => {
  it('matches lists, ranges, steps and names', () => {
    const s = parseCron('*/15 9-17 * jan,dec mon-fri');
    expect(cronMatches(s, Date.UTC(2026, 11, 3, 9, 45))).toBe(true);
    expect(cronMatches(s, Date.UTC(2026, 11, 3, 9, 40))).toBe(false);
    expect(cronMatches(s, Date.UTC(2026, 11, 6, 9, 45))).toBe(false); // Sunday
    expect(cronMatches(s, Date.UTC(2026, 5, 3, 9, 45))).toBe(false); // June
  });

  it('treats 7 as Sunday and ORs restricted day fields', () => {
    expect(cronMatches(parseCron('0 0 * * 7'), Date.UTC(2026, 11, 6))).toBe(true);
    const either = parseCron('0 0 1 * 1'); // the 1st, or any Monday
    expect(cronMatches(either, Date.UTC(2026, 11, 1))).toBe(true); // a Tuesday, the 1st
    expect(cronMatches(either, Date.UTC(2026, 11, 7))).toBe(true); // a Monday
    expect(cronMatches(either, Date.UTC(2026, 11, 8))).toBe(false);
  });

  it('knows the macros', () => {
    expect(cronMatches(parseCron('@daily'), Date.UTC(2026, 11, 3))).toBe(true);
    expect(cronMatches(parseCron('@hourly'), Date.UTC(2026, 11, 3, 5, 1))).toBe(false);
  });

  it('finds the last firing within a window', () => {
    const s = parseCron('30 2 * * *');
    expect(lastFiring(s, Date.UTC(2026, 11, 3, 4), 2 * 3_600_000)).toBe(Date.UTC(2026, 11, 3, 2, 30));
    expect(lastFiring(s, Date.UTC(2026, 11, 3, 4), 3_600_000)).toBeUndefined();
  });

  it('rejects bad expressions with the field at fault', () => {
    expect(() => parseCron('* * *')).toThrow(/needs 5 fields/);
    expect(() => parseCron('0 24 * * *')).toThrow(/hour "24" is not in 0-23/);
    expect(() => parseCron('0 0 * foo *')).toThrow(CronError);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
  });
});
