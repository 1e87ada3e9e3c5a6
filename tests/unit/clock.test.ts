import { describe, expect, it } from 'vitest';
import { clockError, offsetAt, wallTime } from '../../src/lib/clock.ts';

const t = Date.UTC(2025, 2, 14, 0, 48, 5, 7); // 2025-03-14T00:48:05.007Z

describe('the page clock', () => {
  it('writes a time in UTC as the tables always did', () => {
    expect(wallTime(t, 'UTC')).toBe('2025-03-14 00:48:05.007');
  });
  it('writes the same instant in other zones, with their offsets', () => {
    expect(wallTime(t, 'Europe/Berlin')).toBe('2025-03-14 01:48:05.007');
    expect(offsetAt('Europe/Berlin', t)).toBe('+01:00');
    expect(wallTime(t, 'America/New_York')).toBe('2025-03-13 20:48:05.007');
    expect(offsetAt('America/New_York', t)).toBe('-04:00'); // DST began on 9 March 2025
    expect(wallTime(t, 'Asia/Kolkata')).toBe('2025-03-14 06:18:05.007');
    expect(offsetAt('Asia/Kolkata', t)).toBe('+05:30');
  });
  it('follows daylight saving time: Berlin before and after 30 March 2025 01:00 UTC', () => {
    const before = Date.UTC(2025, 2, 30, 0, 59, 59, 999);
    const after = Date.UTC(2025, 2, 30, 1, 0, 0, 0);
    expect(wallTime(before, 'Europe/Berlin')).toBe('2025-03-30 01:59:59.999');
    expect(wallTime(after, 'Europe/Berlin')).toBe('2025-03-30 03:00:00.000');
    expect(offsetAt('Europe/Berlin', before)).toBe('+01:00');
    expect(offsetAt('Europe/Berlin', after)).toBe('+02:00');
  });
  it('writes times before 1970 with their milliseconds', () => {
    expect(wallTime(Date.UTC(1969, 11, 31, 23, 59, 59, 250), 'Europe/Berlin')).toBe(
      '1970-01-01 00:59:59.250',
    );
  });
  it('shows a dash for a time that is not one', () => {
    expect(wallTime(Number.NaN, 'UTC')).toBe('—');
  });
  it('accepts UTC, local and IANA names, and says what is wrong with others', () => {
    expect(clockError('UTC')).toBeNull();
    expect(clockError('local')).toBeNull();
    expect(clockError(' Europe/Berlin ')).toBeNull();
    expect(clockError('Mars/Olympus')).toBe(
      '"Mars/Olympus" is not a time zone this browser knows (an IANA name such as Europe/Berlin, or UTC, or local).',
    );
    expect(clockError('')).toBe('Give a time zone: UTC, local, or an IANA name such as Europe/Berlin.');
  });
});
