import { levelFromString } from '../levels.ts';
import type { LineFormat } from './types.ts';

/**
 * The fallback: a timestamp somewhere near the start of the line (within its first 40 characters) and a level
 * word among the next few tokens. The least specific format: it only wins when nothing else parses the file.
 */
export const SHAPES: readonly RegExp[] = [
  String.raw`(?<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)`,
  String.raw`(?<slash>\d{4}/\d\d/\d\d[ T-]\d\d:\d\d:\d\d(?:[.,]\d+)?)`,
  String.raw`(?<syslog>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)`,
  String.raw`(?<clf>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d(?: [+-]\d{4})?)`,
  String.raw`(?<us>\d\d/\d\d/\d{4} \d\d:\d\d:\d\d(?:[.,]\d+)?)`,
  String.raw`(?<epoch>\b\d{10}(?:\.\d{1,9})?\b|\b\d{13}\b)`,
].map((source) => new RegExp(source, 'y'));
/** the shapes that start with a digit, in the order the one alternation had; syslog starts with a capital */
const DIGIT_SHAPES = SHAPES.filter((_, i) => i !== 2);
const SYSLOG_ONLY = [SHAPES[2]!];

/**
 * The leftmost timestamp that starts within the first 41 characters, each sticky shape tried in order where
 * one can start: what one unanchored alternation of the shapes found, but recheck proves each shape linear in
 * well under a second and timed out on the alternation (tests/unit/catalog-redos.test.ts).
 */
export function findTimestamp(s: string): RegExpExecArray | null {
  const last = Math.min(40, s.length - 1);
  for (let p = 0; p <= last; p++) {
    const c = s.charCodeAt(p);
    const shapes = c >= 48 && c <= 57 ? DIGIT_SHAPES : c >= 65 && c <= 90 ? SYSLOG_ONLY : null;
    if (shapes === null) continue;
    for (const re of shapes) {
      re.lastIndex = p;
      const m = re.exec(s);
      if (m !== null) return m;
    }
  }
  return null;
}

const PATTERNS: Record<string, string> = {
  iso: 'iso',
  slash: 'YYYY/MM/DD HH:mm:ss[.SSS]',
  syslog: 'MMM DD HH:mm:ss',
  clf: 'DD/MMM/YYYY:HH:mm:ss[ Z]',
  us: 'MM/DD/YYYY HH:mm:ss[.SSS]',
  epoch: 'epoch',
};

export const generic: LineFormat = {
  id: 'generic',
  name: 'timestamp and level (generic)',
  specificity: 5,
  samples: [
    'app[42] 2024-01-15 10:30:45 WARNING disk usage at 91%',
    '>> 15/Jan/2024:10:30:45 +0000 | error | payment gateway returned 502',
    'node-3 | 2024/01/15 10:30:45.120 | INFO | rebalancing 12 partitions',
  ],
  parse(b, start, end, info, out, ctx) {
    const line = ctx.text(b, start, Math.min(end, start + 4096), info);
    const m = findTimestamp(line.length > 120 ? line.slice(0, 120) : line);
    if (m === null || m.groups === undefined) return false;
    const kind = Object.keys(PATTERNS).find((k) => m.groups![k] !== undefined);
    if (kind === undefined) return false;
    ctx.iso.impossible = false; // the epoch pattern never sets it
    const t = ctx.timeFn(PATTERNS[kind]!)(m[0]);
    // a timestamp of the right shape with impossible values still makes a record (without a time)
    const bad = Number.isNaN(t);
    if (bad && !ctx.iso.impossible) return false;
    // a level word among the next four tokens after the timestamp
    let p = m.index + m[0].length;
    for (let k = 0; k < 4; k++) {
      while (p < line.length && ' \t|-:[]()'.includes(line[p]!)) p++;
      let q = p;
      while (q < line.length && !' \t|:[]()'.includes(line[q]!)) q++;
      if (q === p) break;
      const level = levelFromString(line.slice(p, q));
      if (level !== null) {
        let r = q;
        while (r < line.length && ' \t|-:]'.includes(line[r]!)) r++;
        out.time = bad ? null : t;
        if (bad) out.badTime = m[0];
        out.level = level;
        out.service = null;
        // trimEnd, not /\s+$/: that regex is quadratic on a long run of blanks followed by text
        out.message = (end - start > 4096 ? ctx.text(b, start, end, info) : line).slice(r).trimEnd();
        out.fields = null;
        return true;
      }
      p = q;
    }
    return false;
  },
};
