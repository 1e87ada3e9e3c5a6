import type { ZoneResolver } from './zone.ts';

/**
 * ISO-8601 / RFC 3339 timestamps parsed by hand from bytes: `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH[:MM]]`.
 * No regex and no Date.parse per line (a third of the time in a profile); Date.UTC runs once per day of log.
 */
export class IsoTimeParser {
  private dayKey = -1;
  private dayMs = 0;
  /** index just past the last parsed timestamp (also past a well-formed but impossible one) */
  end = 0;
  /**
   * The last parse returned NaN for a well-formed time whose values cannot be (30 February, month 13, hour 25):
   * the line has a time's shape, so it is a record without a time rather than "not a time at all". Time
   * patterns of the same file (pattern.ts) set it too.
   */
  impossible = false;

  constructor(readonly zone: ZoneResolver) {}

  /** Parses a timestamp starting at `p`; returns ms since epoch, or NaN (and `end` is then meaningless). */
  parse(b: Uint8Array | ArrayLike<number>, p: number, limit: number): number {
    this.impossible = false;
    if (limit - p < 19) return NaN;
    // the shape first (digits and separators), then the values: a wrong value is an impossible time
    const y = d4(b, p);
    if (y < 0 || b[p + 4] !== 45) return NaN; // '-'
    const mo = d2(b, p + 5);
    if (mo < 0 || b[p + 7] !== 45) return NaN;
    const d = d2(b, p + 8);
    if (d < 0) return NaN;
    const sep = b[p + 10];
    if (sep !== 84 && sep !== 32 && sep !== 116) return NaN; // 'T', ' ', 't'
    const h = d2(b, p + 11);
    if (h < 0 || b[p + 13] !== 58) return NaN; // ':'
    const mi = d2(b, p + 14);
    if (mi < 0 || b[p + 16] !== 58) return NaN;
    const s = d2(b, p + 17);
    if (s < 0) return NaN;
    // 60: a leap second, folded into the next minute by the arithmetic
    let bad = mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60;
    let i = p + 19;
    let ms = 0;
    const c = b[i];
    if (i < limit && (c === 46 || c === 44)) {
      // '.' or ',' then any number of digits; milliseconds from the first three, the rest truncated
      i++;
      const fracStart = i;
      while (i < limit) {
        const v = b[i]! - 48;
        if (v < 0 || v > 9) break;
        const pos = i - fracStart;
        if (pos < 3) ms += v * (pos === 0 ? 100 : pos === 1 ? 10 : 1);
        i++;
      }
      if (i === fracStart) return NaN;
    }
    const key = y * 10000 + mo * 100 + d;
    if (!bad && key !== this.dayKey) {
      const dayMs = Date.UTC(y, mo - 1, d);
      if (new Date(dayMs).getUTCDate() !== d) {
        bad = true; // 30 February and the like
      } else {
        this.dayKey = key;
        this.dayMs = dayMs;
      }
    }
    // Zone designator: `zoned` false leaves the wall time to the configured zone
    let zoned = false;
    let off = 0;
    let e = i;
    if (i < limit) {
      const z = b[i];
      if (z === 90 || z === 122) {
        // 'Z'
        zoned = true;
        e = i + 1;
      } else if (z === 43 || z === 45) {
        // '+' or '-'
        const oh = d2(b, i + 1);
        if (oh >= 0 && oh <= 23 && i + 3 <= limit) {
          let j = i + 3;
          let om = 0;
          if (b[j] === 58 && j + 3 <= limit) {
            om = d2(b, j + 1);
            if (om >= 0) j += 3;
            else om = 0;
          } else if (j + 2 <= limit) {
            const m2 = d2(b, j);
            if (m2 >= 0 && m2 < 60) {
              om = m2;
              j += 2;
            }
          }
          zoned = true;
          e = j;
          off = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
        }
      }
    }
    this.end = e;
    if (bad) {
      this.impossible = true;
      return NaN;
    }
    const wall = this.dayMs + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
    return zoned ? wall - off : this.zone.toUtc(wall);
  }
}

/** Two ASCII digits at p as a number, or -1. */
export function d2(b: Uint8Array | ArrayLike<number>, p: number): number {
  const a = (b[p] ?? 0) - 48;
  const c = (b[p + 1] ?? 0) - 48;
  if (a < 0 || a > 9 || c < 0 || c > 9) return -1;
  return a * 10 + c;
}

/** Four ASCII digits at p as a number, or -1. */
export function d4(b: Uint8Array | ArrayLike<number>, p: number): number {
  const hi = d2(b, p);
  const lo = d2(b, p + 2);
  if (hi < 0 || lo < 0) return -1;
  return hi * 100 + lo;
}

const scratch = new Uint8Array(64);

/** Parses an ISO timestamp held in a string (JSON, logfmt values). */
export function parseIsoString(parser: IsoTimeParser, s: string): number {
  const n = s.length;
  parser.impossible = false;
  if (n > scratch.length) return NaN;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    scratch[i] = c > 127 ? 0 : c;
  }
  const t = parser.parse(scratch, 0, n);
  // Anything after the timestamp (even a space) means the string was not one.
  if (parser.end !== n) {
    parser.impossible = false;
    return NaN;
  }
  return t;
}
