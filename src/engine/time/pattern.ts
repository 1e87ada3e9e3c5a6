import type { ZoneResolver } from './zone.ts';
import { type IsoTimeParser, parseIsoString } from './iso.ts';

/**
 * Time patterns for log formats, parsed by hand (no Date.parse, no regex), with the day cache and the zone
 * resolver of the ISO parser. Tokens:
 *   YYYY  4-digit year        YY  2-digit year (70–99 → 19xx, else 20xx)
 *   MM    month, 1–2 digits   MMM month name (Jan, january; any case)
 *   DD    day, 1–2 digits (a leading space is allowed: "Jun  4")
 *   HH mm ss   hour, minute, second (HH may have 1 digit)
 *   SSS   fraction of a second, any number of digits (milliseconds kept)
 *   Z     optional zone: Z, ±HH:MM, ±HHMM, ±HH, or an abbreviation (UTC, GMT, CET, PST…)
 *   ddd   a weekday name, skipped
 *   ' '   one or more spaces;  '[…]' optional part;  anything else matches itself
 * Whole-string patterns: 'iso' (ISO-8601 / RFC 3339), 'epoch' (s, ms, µs or ns by magnitude, fraction allowed),
 * 'relative' (seconds since boot, as dmesg writes them: kept as ms since 0).
 * Without a year, the year is the file's last-modified year, or the year before when that would put the time
 * more than a day after the file was last modified (a log that crosses a New Year).
 * A string of the pattern's shape whose values cannot be (month 13, 30 February, hour 25) gives NaN and sets
 * `ctx.iso.impossible`, so that a format can keep its line as a record without a time.
 */
export interface TimeContext {
  zone: ZoneResolver;
  iso: IsoTimeParser;
  /** the file's last-modified time (ms), to infer missing years */
  refTime: number;
}

export type TimeFn = (s: string) => number;

type Token =
  | { k: 'YYYY' | 'YY' | 'MM' | 'MMM' | 'DD' | 'HH' | 'mm' | 'ss' | 'SSS' | 'Z' | 'ddd' | 'space' }
  | { k: 'lit'; c: number }
  | { k: 'opt'; tokens: Token[] };

const TOKEN_NAMES = ['YYYY', 'YY', 'MMM', 'MM', 'DD', 'HH', 'mm', 'ss', 'SSS', 'Z', 'ddd'] as const;

export class TimePatternError extends Error {}

function tokenize(p: string, from: number, close: boolean): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = from;
  while (i < p.length) {
    const c = p[i]!;
    if (c === ']') {
      if (!close) throw new TimePatternError(`unexpected "]" at ${i + 1}`);
      return { tokens, end: i + 1 };
    }
    if (c === '[') {
      const inner = tokenize(p, i + 1, true);
      tokens.push({ k: 'opt', tokens: inner.tokens });
      i = inner.end;
      continue;
    }
    if (c === ' ') {
      tokens.push({ k: 'space' });
      while (p[i] === ' ') i++;
      continue;
    }
    const name = TOKEN_NAMES.find((t) => p.startsWith(t, i));
    if (name !== undefined) {
      tokens.push({ k: name });
      i += name.length;
      // "SSSSSS" and the like: any run of S is one fraction token
      if (name === 'SSS') while (p[i] === 'S') i++;
      continue;
    }
    // A lone letter matches itself (the T of 2024-01-15T10:30:45); a run of one letter looks like a mistyped
    // token (hh, QQ) and is refused rather than silently never matching.
    if (/[A-Za-z]/.test(c) && p[i + 1] === c) {
      throw new TimePatternError(
        `unknown token at "${p.slice(i, i + 4)}" (use YYYY, YY, MM, MMM, DD, HH, mm, ss, SSS, Z, ddd)`,
      );
    }
    tokens.push({ k: 'lit', c: c.charCodeAt(0) });
    i++;
  }
  if (close) throw new TimePatternError('an "[" is not closed');
  return { tokens, end: i };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Offsets of zone abbreviations logs commonly carry, in minutes east of UTC. */
export const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  IST: 330,
  SGT: 480,
  HKT: 480,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
};

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** minutes east of UTC, or NaN when the string carries no zone */
  off: number;
}

/** Compiles a time pattern; throws TimePatternError with a readable reason. */
export function compileTimePattern(pattern: string, ctx: TimeContext): TimeFn {
  if (pattern === 'iso') return (s) => parseIsoString(ctx.iso, s.trim());
  if (pattern === 'epoch') return parseEpoch;
  if (pattern === 'relative') {
    // seconds and fraction read as digits: ms = whole seconds × 1000 + the first three fraction digits
    return (s) => {
      const t = s.trim();
      const dot = t.indexOf('.');
      const whole = dot < 0 ? t : t.slice(0, dot);
      const frac = dot < 0 ? '' : t.slice(dot + 1);
      if (whole === '' || !/^\d+$/.test(whole) || (frac !== '' && !/^\d+$/.test(frac))) return NaN;
      return Number(whole) * 1000 + Number((frac + '000').slice(0, 3));
    };
  }
  const { tokens } = tokenize(pattern, 0, false);
  const flat = flatten(tokens);
  if (!flat.some((t) => t === 'MM' || t === 'MMM') || !flat.includes('DD') || !flat.includes('HH')) {
    throw new TimePatternError(
      'a time pattern needs at least a month (MM or MMM), a day (DD) and an hour (HH)',
    );
  }
  const hasYear = flat.includes('YYYY') || flat.includes('YY');
  const impossible = (): number => {
    ctx.iso.impossible = true;
    return NaN;
  };
  let dayKey = -1;
  let dayMs = 0;
  const f: Fields = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, ms: 0, off: NaN };
  return (str) => {
    f.y = 0;
    f.mo = 0;
    f.d = 0;
    f.h = 0;
    f.mi = 0;
    f.s = 0;
    f.ms = 0;
    f.off = NaN;
    ctx.iso.impossible = false;
    const end = run(tokens, str, 0, f);
    if (end < 0) return NaN;
    // trailing spaces are fine, anything else is not
    for (let i = end; i < str.length; i++) if (str.charCodeAt(i) !== 32) return NaN;
    // the string has the pattern's shape: from here a NaN is an impossible time, not "no time"
    if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > 31 || f.h > 23 || f.mi > 59 || f.s > 60)
      return impossible();
    const timeOfDay = f.h * 3_600_000 + f.mi * 60_000 + f.s * 1000 + f.ms;
    const toUtc = (wall: number): number =>
      Number.isNaN(f.off) ? ctx.zone.toUtc(wall) : wall - f.off * 60_000;
    if (hasYear) {
      const key = f.y * 10000 + f.mo * 100 + f.d;
      if (key !== dayKey) {
        const ms = Date.UTC(f.y, f.mo - 1, f.d);
        if (new Date(ms).getUTCDate() !== f.d) return impossible();
        dayKey = key;
        dayMs = ms;
      }
      return toUtc(dayMs + timeOfDay);
    }
    // No year: the latest year, from the file's own back, in which the date exists and is not more than a day
    // after the file was last modified (a log that crosses a New Year; 29 February goes back to a leap year).
    const refYear = new Date(ctx.refTime).getUTCFullYear();
    const key = refYear * 10000 + f.mo * 100 + f.d;
    if (key === dayKey) {
      const t = toUtc(dayMs + timeOfDay);
      if (t <= ctx.refTime + 86_400_000) return t;
    }
    for (let y = refYear; y > refYear - 8; y--) {
      const ms = Date.UTC(y, f.mo - 1, f.d);
      if (new Date(ms).getUTCDate() !== f.d) continue;
      const t = toUtc(ms + timeOfDay);
      if (t > ctx.refTime + 86_400_000) continue;
      if (y === refYear) {
        dayKey = key;
        dayMs = ms;
      }
      return t;
    }
    return impossible(); // 30 February, or 29 February in none of the years tried
  };
}

function flatten(tokens: Token[]): string[] {
  return tokens.flatMap((t) => (t.k === 'opt' ? flatten(t.tokens) : [t.k]));
}

/** Runs tokens against s from position p; returns the end position or -1. */
function run(tokens: Token[], s: string, p: number, f: Fields): number {
  for (const t of tokens) {
    switch (t.k) {
      case 'YYYY':
        p = digits(s, p, 4, 4, (v) => (f.y = v));
        break;
      case 'YY':
        p = digits(s, p, 2, 2, (v) => (f.y = v >= 70 ? 1900 + v : 2000 + v));
        break;
      case 'MM':
        p = digits(s, p, 1, 2, (v) => (f.mo = v));
        break;
      case 'DD':
        if (s.charCodeAt(p) === 32) p++;
        p = digits(s, p, 1, 2, (v) => (f.d = v));
        break;
      case 'HH':
        if (s.charCodeAt(p) === 32) p++;
        p = digits(s, p, 1, 2, (v) => (f.h = v));
        break;
      case 'mm':
        p = digits(s, p, 2, 2, (v) => (f.mi = v));
        break;
      case 'ss':
        p = digits(s, p, 2, 2, (v) => (f.s = v));
        break;
      case 'SSS': {
        const start = p;
        let ms = 0;
        while (p < s.length) {
          const v = s.charCodeAt(p) - 48;
          if (v < 0 || v > 9) break;
          const pos = p - start;
          if (pos < 3) ms += v * (pos === 0 ? 100 : pos === 1 ? 10 : 1);
          p++;
        }
        if (p === start) return -1;
        f.ms = ms;
        break;
      }
      case 'MMM': {
        const start = p;
        while (p < s.length && isLetter(s.charCodeAt(p))) p++;
        const word = s.slice(start, p).toLowerCase();
        if (word.length < 3) return -1;
        const m = MONTHS.indexOf(word.slice(0, 3));
        if (m < 0 || (word.length > 3 && FULL_MONTHS[m] !== word && !(m === 8 && word === 'sept'))) return -1;
        f.mo = m + 1;
        break;
      }
      case 'ddd': {
        const start = p;
        while (p < s.length && isLetter(s.charCodeAt(p))) p++;
        if (p - start < 3) return -1;
        break;
      }
      case 'Z':
        p = zone(s, p, f);
        break;
      case 'space':
        if (s.charCodeAt(p) !== 32 && s.charCodeAt(p) !== 9) return -1;
        while (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9) p++;
        break;
      case 'lit':
        if (s.charCodeAt(p) !== t.c) return -1;
        p++;
        break;
      case 'opt': {
        const saved = { ...f };
        const e = run(t.tokens, s, p, f);
        if (e >= 0) p = e;
        else Object.assign(f, saved);
        break;
      }
    }
    if (p < 0) return -1;
  }
  return p;
}

function digits(s: string, p: number, min: number, max: number, set: (v: number) => void): number {
  let v = 0;
  let n = 0;
  while (n < max && p + n < s.length) {
    const c = s.charCodeAt(p + n) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    n++;
  }
  if (n < min) return -1;
  set(v);
  return p + n;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** An optional zone: sets f.off (minutes east) when one is there; returns the position after it. */
function zone(s: string, p: number, f: Fields): number {
  let q = p;
  if (s.charCodeAt(q) === 32) q++;
  const c = s.charCodeAt(q);
  if (c === 43 || c === 45) {
    // ±HH[:MM] or ±HHMM
    const sign = c === 43 ? 1 : -1;
    let h = -1;
    let m = 0;
    let r = digits(s, q + 1, 2, 2, (v) => (h = v));
    if (r < 0) return p;
    if (s.charCodeAt(r) === 58) {
      const r2 = digits(s, r + 1, 2, 2, (v) => (m = v));
      if (r2 > 0) r = r2;
    } else {
      const r2 = digits(s, r, 2, 2, (v) => (m = v));
      if (r2 > 0) r = r2;
    }
    f.off = sign * (h * 60 + m);
    return r;
  }
  if (isLetter(c)) {
    let r = q;
    while (r < s.length && isLetter(s.charCodeAt(r))) r++;
    const name = s.slice(q, r).toUpperCase();
    const off = ZONE_ABBREVIATIONS[name];
    if (off === undefined || !Object.hasOwn(ZONE_ABBREVIATIONS, name)) return p;
    f.off = off;
    return r;
  }
  return p;
}

/** Epoch numbers: seconds (with any fraction), ms, µs or ns, told apart by the integer part's magnitude. */
export function parseEpoch(s: string): number {
  const t = s.trim();
  let dot = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 && i > 0 && i < t.length - 1) dot++;
    else if (c < 48 || c > 57) return NaN;
  }
  if (t === '' || dot > 1) return NaN;
  const v = Number(t);
  if (!Number.isFinite(v) || v <= 0) return NaN;
  if (v >= 1e17) return Math.floor(v / 1e6);
  if (v >= 1e14) return Math.floor(v / 1e3);
  if (v >= 1e11) return Math.floor(v);
  return Math.floor(v * 1000);
}
