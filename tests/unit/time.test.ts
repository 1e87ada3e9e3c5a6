import { describe, it, expect } from 'vitest';
import { IsoTimeParser, parseIsoString, d2, d4 } from '../../src/engine/time/iso.ts';
import { ZoneResolver } from '../../src/engine/time/zone.ts';
import { utf8 } from './helpers.ts';

const H = 3_600_000;
const M = 60_000;

function parser(zone = 'UTC'): IsoTimeParser {
  return new IsoTimeParser(new ZoneResolver(zone));
}

/** Parses with a fresh parser through both entry points, which must agree. */
function t(s: string, zone = 'UTC'): number {
  const viaString = parseIsoString(parser(zone), s);
  const p = parser(zone);
  const b = utf8(s);
  const viaBytes = p.parse(b, 0, b.length);
  if (!Number.isNaN(viaBytes) && p.end === b.length) expect(viaString).toBe(viaBytes);
  else expect(viaString).toBeNaN();
  return viaString;
}

describe('IsoTimeParser: zones written in the timestamp', () => {
  it('reads Z (and z) as UTC', () => {
    expect(t('2025-03-14T10:22:31Z')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(t('2025-03-14T10:22:31z')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(t('1999-12-31T23:59:59Z')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
    expect(t('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('ignores the configured zone when the timestamp has one', () => {
    expect(t('2025-07-01T12:00:00Z', 'Europe/Paris')).toBe(Date.UTC(2025, 6, 1, 12));
    expect(t('2025-07-01T12:00:00+02:00', 'America/New_York')).toBe(Date.UTC(2025, 6, 1, 10));
  });

  it('applies +HH:MM, -HHMM and +HH offsets', () => {
    const wall = Date.UTC(2025, 2, 14, 10, 22, 31);
    expect(t('2025-03-14T10:22:31+01:00')).toBe(wall - H);
    expect(t('2025-03-14T10:22:31-01:00')).toBe(wall + H);
    expect(t('2025-03-14T10:22:31-0530')).toBe(wall + 5 * H + 30 * M);
    expect(t('2025-03-14T10:22:31+0530')).toBe(wall - 5 * H - 30 * M);
    expect(t('2025-03-14T10:22:31+05:45')).toBe(wall - 5 * H - 45 * M);
    expect(t('2025-03-14T10:22:31+01')).toBe(wall - H);
    expect(t('2025-03-14T10:22:31-08')).toBe(wall + 8 * H);
    expect(t('2025-03-14T10:22:31+00:00')).toBe(wall);
    expect(t('2025-03-14T10:22:31+0000')).toBe(wall);
    expect(t('2025-03-14T10:22:31.123-05:00')).toBe(wall + 5 * H + 123);
  });

  it('crosses the day boundary with an offset', () => {
    expect(t('2025-01-01T00:30:00+01:00')).toBe(Date.UTC(2024, 11, 31, 23, 30));
    expect(t('2024-12-31T23:30:00-01:00')).toBe(Date.UTC(2025, 0, 1, 0, 30));
  });
});

describe('IsoTimeParser: timestamps without a zone', () => {
  it('are UTC under ZoneResolver("UTC")', () => {
    expect(t('2025-03-14T10:22:31')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(t('2025-03-14 10:22:31.250')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31, 250));
  });

  it('are Paris wall-clock times under ZoneResolver("Europe/Paris"), across DST', () => {
    const z = 'Europe/Paris';
    expect(t('2025-01-15T12:00:00', z)).toBe(Date.UTC(2025, 0, 15, 11)); // CET, +1
    expect(t('2025-07-15T12:00:00', z)).toBe(Date.UTC(2025, 6, 15, 10)); // CEST, +2
    // 2025-03-30: clocks go from 02:00 to 03:00 (01:00Z)
    expect(t('2025-03-30T01:30:00', z)).toBe(Date.UTC(2025, 2, 30, 0, 30));
    expect(t('2025-03-30T03:30:00', z)).toBe(Date.UTC(2025, 2, 30, 1, 30));
    expect(t('2025-03-30T12:00:00.5', z)).toBe(Date.UTC(2025, 2, 30, 10, 0, 0, 500));
    // 2025-10-26: clocks go back from 03:00 to 02:00 (01:00Z)
    expect(t('2025-10-26T00:30:00', z)).toBe(Date.UTC(2025, 9, 25, 22, 30));
    expect(t('2025-10-26T03:30:00', z)).toBe(Date.UTC(2025, 9, 26, 2, 30));
  });

  it('are New York wall-clock times under ZoneResolver("America/New_York"), across DST', () => {
    const z = 'America/New_York';
    expect(t('2025-01-15T12:00:00', z)).toBe(Date.UTC(2025, 0, 15, 17)); // EST, -5
    expect(t('2025-07-04T12:00:00', z)).toBe(Date.UTC(2025, 6, 4, 16)); // EDT, -4
    // 2025-03-09: 02:00 EST becomes 03:00 EDT (07:00Z)
    expect(t('2025-03-09T01:30:00', z)).toBe(Date.UTC(2025, 2, 9, 6, 30));
    expect(t('2025-03-09T03:30:00', z)).toBe(Date.UTC(2025, 2, 9, 7, 30));
    // 2025-11-02: 02:00 EDT becomes 01:00 EST (06:00Z)
    expect(t('2025-11-02T03:30:00', z)).toBe(Date.UTC(2025, 10, 2, 8, 30));
    expect(t('2025-12-31T23:59:59', z)).toBe(Date.UTC(2026, 0, 1, 4, 59, 59));
  });

  it('one parser reused over many days and hours gives what fresh parsers give (caches)', () => {
    const inputs = [
      '2025-03-30T01:30:00',
      '2025-03-30T03:30:00',
      '2025-03-30T01:59:59',
      '2025-07-15T12:00:00',
      '2025-07-15T12:00:00Z',
      '2025-01-15T12:00:00',
      '2025-03-30T03:00:00',
      '2025-03-30T01:30:00+05:00',
      '2025-03-30T01:30:00',
    ];
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York']) {
      const shared = parser(zone);
      for (const s of inputs) expect([zone, s, parseIsoString(shared, s)]).toEqual([zone, s, t(s, zone)]);
    }
  });

  it('"local" uses the runtime zone, as new Date(y, m, d, h, mi, s) does', () => {
    const z = new ZoneResolver('local');
    for (const [y, mo, d, h] of [
      [2025, 0, 15, 12],
      [2025, 6, 15, 8],
      [2024, 1, 29, 23],
    ] as const) {
      expect(z.toUtc(Date.UTC(y, mo, d, h, 17, 5))).toBe(new Date(y, mo, d, h, 17, 5).getTime());
    }
  });

  it('ZoneResolver("UTC") is the identity', () => {
    const z = new ZoneResolver('UTC');
    expect(z.toUtc(0)).toBe(0);
    expect(z.toUtc(1741947751123)).toBe(1741947751123);
  });
});

describe('IsoTimeParser: fractions and separators', () => {
  const base = Date.UTC(2025, 2, 14, 10, 22, 31);

  it('keeps milliseconds of 1 to 9 fraction digits, truncating the rest', () => {
    const cases: [string, number][] = [
      ['1', 100],
      ['12', 120],
      ['123', 123],
      ['1234', 123],
      ['12345', 123],
      ['123456', 123],
      ['1234567', 123],
      ['12345678', 123],
      ['123456789', 123],
      ['5', 500],
      ['05', 50],
      ['007', 7],
      ['999', 999],
      ['9999', 999],
      ['99999999', 999],
      ['000000001', 0],
      ['220731', 220],
    ];
    for (const [frac, ms] of cases)
      expect([frac, t(`2025-03-14T10:22:31.${frac}Z`) - base]).toEqual([frac, ms]);
  });

  it('accepts a comma before the fraction', () => {
    expect(t('2025-03-14T10:22:31,5Z')).toBe(base + 500);
    expect(t('2025-03-14 10:22:31,123')).toBe(base + 123);
  });

  it('accepts a space or a lowercase t between date and time', () => {
    expect(t('2025-03-14 10:22:31Z')).toBe(base);
    expect(t('2025-03-14t10:22:31Z')).toBe(base);
    expect(t('2025-03-14 10:22:31.123456+01:00')).toBe(base + 123 - H);
  });

  it('folds a leap second into the next minute', () => {
    expect(t('2016-12-31T23:59:60Z')).toBe(Date.UTC(2017, 0, 1, 0, 0, 0));
  });

  // BUG (src/engine/time/iso.ts, `ms = Math.floor(ms + 1e-6)` after the fraction loop): the fraction is
  // summed in floating point with scale 100, 10, 1, 0.1 … and then floored after adding 1e-6, so a fraction
  // whose sub-millisecond digits are 999999 or more rounds UP into the next millisecond (or second):
  // '.999999999' gives +1000 ms (the next second) instead of 999, '.123999999' gives 124 instead of 123,
  // '.000999999' gives 1 instead of 0. Every other digit count truncates (e.g. '.99999999' gives 999).
  it('truncates 9-digit fractions like the others (.999999999 stays in the same second)', () => {
    expect(t('2025-03-14T10:22:31.999999999Z') - base).toBe(999);
  });
  it('truncates .123999999 to 123 ms', () => {
    expect(t('2025-03-14T10:22:31.123999999Z') - base).toBe(123);
  });
});

describe('IsoTimeParser: what is not a timestamp', () => {
  it('returns NaN for malformed input', () => {
    const bad = [
      '',
      '2025-03-14',
      '2025-03-14T10:22',
      '2025-03-14T10:22:3',
      '2025-13-01T00:00:00Z',
      '2025-00-10T00:00:00Z',
      '2025-03-00T00:00:00Z',
      '2025-03-32T00:00:00Z',
      '2025-03-14T24:00:00Z',
      '2025-03-14T10:60:00Z',
      '2025-03-14T10:22:61Z',
      '2025-03-14X10:22:31Z',
      '2025/03/14T10:22:31Z',
      '2025-03-14T10-22-31Z',
      '2025-03-14T10:22:31.Z',
      '2025-03-14T10:22:31,',
      'abcd-03-14T10:22:31Z',
      '20250314T102231Z',
      ' 2025-03-14T10:22:31Z',
      '+2025-03-14T10:22:31Z',
      '14/Mar/2025:10:22:31 +0000',
    ];
    for (const s of bad) expect([s, t(s)]).toEqual([s, NaN]);
  });

  it('parseIsoString rejects anything after the timestamp, over-long strings and non-ASCII', () => {
    const p = parser();
    expect(parseIsoString(p, '2025-03-14T10:22:31Zjunk')).toBeNaN();
    expect(parseIsoString(p, '2025-03-14T10:22:31Z ')).toBeNaN();
    expect(parseIsoString(p, '2025-03-14T10:22:31+01:00x')).toBeNaN();
    expect(parseIsoString(p, '2025-03-14T10:22:31.123Z' + ' '.repeat(60))).toBeNaN();
    expect(parseIsoString(p, '２025-03-14T10:22:31Z')).toBeNaN();
    expect(parseIsoString(p, '2025-03-14T10:22:31Z')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
  });

  it('parseIsoString is not confused by a longer string parsed before (shared scratch buffer)', () => {
    const p = parser();
    expect(parseIsoString(p, '2025-03-14T10:22:31.123456+05:30')).toBe(Date.UTC(2025, 2, 14, 4, 52, 31, 123));
    expect(parseIsoString(p, '2025-03-14T10:22:31')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(parseIsoString(p, '2025-03-14T10:22:31+01')).toBe(Date.UTC(2025, 2, 14, 9, 22, 31));
    expect(parseIsoString(p, '2025-03-14T10:22:31.1')).toBe(Date.UTC(2025, 2, 14, 10, 22, 31, 100));
  });
});

describe('IsoTimeParser.parse on bytes', () => {
  it('parses from an offset and sets end just past the timestamp', () => {
    const b = utf8('>> 2025-03-14T10:22:31.5+02:00 INFO svc');
    const p = parser();
    expect(p.parse(b, 3, b.length)).toBe(Date.UTC(2025, 2, 14, 8, 22, 31, 500));
    expect(p.end).toBe(30);
    expect(p.parse(b, 3, 22)).toBe(Date.UTC(2025, 2, 14, 10, 22, 31)); // limit before the fraction
    expect(p.end).toBe(22);
    expect(p.parse(b, 0, b.length)).toBeNaN();
  });

  it('stops at the limit: a zone past it is not read', () => {
    const b = utf8('2025-03-14T10:22:31Z');
    const p = parser('Europe/Paris');
    expect(p.parse(b, 0, 19)).toBe(Date.UTC(2025, 2, 14, 9, 22, 31)); // no zone seen: Paris wall clock
    expect(p.end).toBe(19);
    expect(p.parse(b, 0, 20)).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(p.end).toBe(20);
    expect(p.parse(b, 0, 18)).toBeNaN();
  });

  it('leaves end before an incomplete offset', () => {
    const p = parser();
    const b = utf8('2025-03-14T10:22:31+1 x');
    expect(p.parse(b, 0, b.length)).toBe(Date.UTC(2025, 2, 14, 10, 22, 31));
    expect(p.end).toBe(19);
  });
});

describe('d2 / d4', () => {
  it('read ASCII digits or return -1', () => {
    expect(d2(utf8('07'), 0)).toBe(7);
    expect(d2(utf8('x99'), 1)).toBe(99);
    expect(d2(utf8('9a'), 0)).toBe(-1);
    expect(d2(utf8('9'), 0)).toBe(-1);
    expect(d4(utf8('2025'), 0)).toBe(2025);
    expect(d4(utf8('20x5'), 0)).toBe(-1);
  });
});

describe('IsoTimeParser: one parser over consecutive lines (its day cache)', () => {
  /** One parser over the lines in order: each result (and `end`, `impossible`) must equal a fresh parser's. */
  function sequence(lines: string[], zone = 'UTC'): (number | string)[] {
    const shared = parser(zone);
    return lines.map((s) => {
      const b = utf8(s);
      const got = shared.parse(b, 0, b.length);
      const fresh = parser(zone);
      const want = fresh.parse(b, 0, b.length);
      expect([got, shared.impossible]).toEqual([want, fresh.impossible]);
      if (!Number.isNaN(want) || fresh.impossible) expect(shared.end).toBe(fresh.end);
      return Number.isNaN(got) ? (shared.impossible ? 'impossible' : 'NaN') : got;
    });
  }

  it('gives what a fresh parser gives within a minute and across a minute, hour, day, month and year', () => {
    expect(
      sequence([
        '2024-12-31T23:58:59.100Z',
        '2024-12-31T23:58:59.900Z',
        '2024-12-31T23:59:00Z',
        '2024-12-31T23:59:07,5+01:00',
        '2024-12-31T23:59:59.999Z',
        '2025-01-01T00:00:00.000Z',
        '2025-01-01T00:00:01.000Z',
        '2025-01-31T23:59:59Z',
        '2025-02-01T00:00:00Z',
        '2025-02-01 00:00:00Z',
      ]),
    ).toEqual([
      Date.UTC(2024, 11, 31, 23, 58, 59, 100),
      Date.UTC(2024, 11, 31, 23, 58, 59, 900),
      Date.UTC(2024, 11, 31, 23, 59, 0),
      Date.UTC(2024, 11, 31, 23, 59, 7, 500) - H,
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(2025, 0, 1),
      Date.UTC(2025, 0, 1, 0, 0, 1),
      Date.UTC(2025, 0, 31, 23, 59, 59),
      Date.UTC(2025, 1, 1),
      Date.UTC(2025, 1, 1),
    ]);
  });

  it('keeps leap seconds, impossible seconds and impossible dates as a fresh parser has them', () => {
    expect(
      sequence([
        '2016-12-31T23:59:59Z',
        '2016-12-31T23:59:60Z', // leap second: the next minute
        '2016-12-31T23:59:61Z', // same minute, impossible second
        '2016-12-31T23:59:70Z',
        '2016-12-31T23:59:5xZ', // not a time at all
        '2016-12-31T23:59:58.Z', // a dot without digits: not a time
        '2025-02-30T10:00:00Z', // impossible date: never cached …
        '2025-02-30T10:00:01Z', // … so the next line of that day is impossible too
        '2025-02-28T10:00:00Z',
        '2025-02-28T10:00:99Z',
        '2025-02-28T10:00:00.5',
      ]),
    ).toEqual([
      Date.UTC(2016, 11, 31, 23, 59, 59),
      Date.UTC(2017, 0, 1),
      'impossible',
      'impossible',
      'NaN',
      'NaN',
      'impossible',
      'impossible',
      Date.UTC(2025, 1, 28, 10),
      'impossible',
      Date.UTC(2025, 1, 28, 10, 0, 0, 500),
    ]);
  });

  it('applies the configured zone to every line (a DST change between two lines of the same day)', () => {
    // Paris, 2025-03-30: 02:00 local does not exist; 01:59 is UTC+1, 03:00 is UTC+2
    expect(
      sequence(
        ['2025-03-30T01:59:00', '2025-03-30T01:59:30', '2025-03-30T03:00:00', '2025-03-30T03:00:30'],
        'Europe/Paris',
      ),
    ).toEqual([
      Date.UTC(2025, 2, 30, 0, 59),
      Date.UTC(2025, 2, 30, 0, 59, 30),
      Date.UTC(2025, 2, 30, 1),
      Date.UTC(2025, 2, 30, 1, 0, 30),
    ]);
  });

  it('a line whose first 16 bytes differ in any one byte from the line before', () => {
    const base = '2025-03-14T10:22:31.123Z';
    const lines = [base];
    for (let k = 0; k < 16; k++) {
      const c = base[k]!;
      const other =
        c === '-' || c === ':' || c === 'T'
          ? c === 'T'
            ? ' '
            : 'x'
          : c === '9'
            ? '0'
            : String.fromCharCode(c.charCodeAt(0) + 1);
      lines.push(base.slice(0, k) + other + base.slice(k + 1), base);
    }
    sequence(lines); // each equals a fresh parser's result (checked inside)
  });

  it('parses non-ASCII bytes after the time the same way', () => {
    expect(sequence(['2025-03-14T10:22:31Z José', '2025-03-14T10:22:32Zé', '2025-03-14T10:22:3é'])).toEqual([
      Date.UTC(2025, 2, 14, 10, 22, 31),
      Date.UTC(2025, 2, 14, 10, 22, 32),
      'NaN',
    ]);
  });
});
