import type { Level } from '../types.ts';
import type { LineInfo } from '../ingest/lines.ts';
import { isContinuation } from '../ingest/continuation.ts';
import { DETECT_MAX_LINES, type Detection } from '../ingest/detect.ts';
import { levelFromBytes, levelFromLetter } from '../levels.ts';
import {
  MAX_BAD_TIME_CHARS,
  newFields,
  type LineFormat,
  type ParseContext,
  type RecordDraft,
} from './types.ts';

/**
 * Structure inference for files no catalog format reads: from the file's first lines, the literal text before
 * the timestamp (nothing, "[", a program name, "Start-Date: "), the timestamp's shape, and whether a level word,
 * a `program[pid]:` service or key=value pairs follow. The layout is compiled into a byte-level parser (no regex
 * per line); the time's text goes through the same time patterns as the catalog's (with their day cache).
 */

/** One timestamp shape. Template: 9 a digit, 8 one or two digits, A a letter, ' ' one or more spaces. */
interface Shape {
  id: string;
  template: string;
  /** the time pattern (docs/formats.md) for the text matched */
  pattern: string;
  /** the same shape as a regex (for "Save as custom format") */
  regex: string;
  /** a fraction `.123`/`,123` may follow; a zone may follow ('iso': Z or ±hh[:mm] right after; 'space': " +hhmm") */
  fraction: boolean;
  zone: 'iso' | 'space' | null;
  /** epoch digits: exact count, no digit after */
  epoch?: boolean;
  /** a time of day alone: the date is the file's last-modified day */
  timeOfDay?: boolean;
}

// most specific first: at one position, the first shape that matches is the line's
const SHAPES: readonly Shape[] = [
  {
    id: 'iso-t',
    template: '9999-99-99T99:99:99',
    pattern: 'YYYY-MM-DDTHH:mm:ss',
    regex: String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`,
    fraction: true,
    zone: 'iso',
  },
  {
    id: 'iso-space',
    template: '9999-99-99 99:99:99',
    pattern: 'YYYY-MM-DD HH:mm:ss',
    regex: String.raw`\d{4}-\d\d-\d\d +\d\d:\d\d:\d\d`,
    fraction: true,
    zone: 'iso',
  },
  {
    id: 'ymd-slash',
    template: '9999/99/99 99:99:99',
    pattern: 'YYYY/MM/DD HH:mm:ss',
    regex: String.raw`\d{4}/\d\d/\d\d +\d\d:\d\d:\d\d`,
    fraction: true,
    zone: null,
  },
  {
    id: 'clf',
    template: '99/AAA/9999:99:99:99',
    pattern: 'DD/MMM/YYYY:HH:mm:ss',
    regex: String.raw`\d\d/[A-Za-z]{3}/\d{4}:\d\d:\d\d:\d\d`,
    fraction: false,
    zone: 'space',
  },
  {
    id: 'compact',
    template: '99999999-99:99:99:999',
    pattern: 'YYYYMMDD-HH:mm:ss:SSS',
    regex: String.raw`\d{8}-\d\d:\d\d:\d\d:\d{3}`,
    fraction: false,
    zone: null,
  },
  {
    id: 'syslog',
    template: 'AAA 8 99:99:99',
    pattern: 'MMM DD HH:mm:ss',
    regex: String.raw`[A-Za-z]{3} +\d{1,2} \d\d:\d\d:\d\d`,
    fraction: true,
    zone: null,
  },
  {
    id: 'yy-slash',
    template: '99/99/99 99:99:99',
    pattern: 'YY/MM/DD HH:mm:ss',
    regex: String.raw`\d\d/\d\d/\d\d +\d\d:\d\d:\d\d`,
    fraction: true,
    zone: null,
  },
  {
    id: 'md-dot',
    template: '99.99 99:99:99',
    pattern: 'MM.DD HH:mm:ss',
    regex: String.raw`\d\d\.\d\d +\d\d:\d\d:\d\d`,
    fraction: true,
    zone: null,
  },
  {
    id: 'epoch-ms',
    template: '9999999999999',
    pattern: 'epoch',
    regex: String.raw`\d{13}`,
    fraction: false,
    zone: null,
    epoch: true,
  },
  {
    id: 'epoch-s',
    template: '9999999999',
    pattern: 'epoch',
    regex: String.raw`\d{10}(?:\.\d+)?`,
    fraction: true,
    zone: null,
    epoch: true,
  },
  {
    id: 'time-of-day',
    template: '99:99:99',
    pattern: 'HH:mm:ss',
    regex: String.raw`\d\d:\d\d:\d\d`,
    fraction: true,
    zone: null,
    timeOfDay: true,
  },
];

/** The longest literal text before a timestamp that inference considers. */
const MAX_PREFIX = 48;
/** A column (level, service, key=value) is the layout's when this share of the timed lines has it. */
const COLUMN_SHARE = 0.6;

export interface InferredLayout {
  /** the literal text every record's line starts with before its time ("", "[", "update-alternatives ") */
  prefix: string;
  shape: Shape;
  /** the fraction's separator when the head's times had one */
  fractionSep: '.' | ',' | null;
  /** a level word or letter right after the time (and its closing bracket) */
  level: boolean;
  /** tokens after the time (and level) before `name[pid]:` / `name:`, or -1 when there is no such column */
  serviceAt: number;
  /** key=value pairs in the message become fields */
  kv: boolean;
  /** the file's records span lines: untimed lines join the record before them */
  multiline: boolean;
  /** lines of the head that start records in this layout, and the head's lines that could start one */
  matched: number;
  candidates: number;
  samples: string[];
}

export interface InferredFormat extends LineFormat {
  readonly layout: InferredLayout;
  /** the layout as a custom format (docs/formats.md), or null when the time cannot be expressed (time of day) */
  readonly custom: { name: string; regex: string; time: string; samples: string[] } | null;
}

/** End of the shape's text at p (fraction and zone included), or -1. */
function matchShape(s: Shape, b: Uint8Array, p: number, end: number): number {
  const t = s.template;
  let i = p;
  for (let k = 0; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c === 57 /* 9 */) {
      if (i >= end || b[i]! < 48 || b[i]! > 57) return -1;
      i++;
    } else if (c === 56 /* 8 */) {
      if (i >= end || b[i]! < 48 || b[i]! > 57) return -1;
      i++;
      if (i < end && b[i]! >= 48 && b[i]! <= 57) i++;
    } else if (c === 65 /* A */) {
      const x = i < end ? b[i]! | 0x20 : 0;
      if (x < 97 || x > 122) return -1;
      i++;
    } else if (c === 32) {
      if (i >= end || b[i] !== 32) return -1;
      while (i < end && b[i] === 32) i++;
    } else {
      if (i >= end || b[i] !== c) return -1;
      i++;
    }
  }
  if (s.fraction && i + 1 < end && (b[i] === 46 || b[i] === 44) && isDigit(b[i + 1]!)) {
    i += 2;
    while (i < end && isDigit(b[i]!)) i++;
  }
  if (s.zone === 'iso' && i < end) {
    if (b[i] === 90) i++;
    else if ((b[i] === 43 || b[i] === 45) && i + 2 < end && isDigit(b[i + 1]!) && isDigit(b[i + 2]!)) {
      let j = i + 3;
      if (j < end && b[j] === 58) j++;
      if (j + 1 < end && isDigit(b[j]!) && isDigit(b[j + 1]!)) j += 2;
      else j = i + 3;
      i = j;
    }
  } else if (s.zone === 'space' && i + 5 < end && b[i] === 32 && (b[i + 1] === 43 || b[i + 1] === 45)) {
    if (isDigit(b[i + 2]!) && isDigit(b[i + 3]!) && isDigit(b[i + 4]!) && isDigit(b[i + 5]!)) i += 6;
  }
  // a time ends at a word's end: 2025-06-24 14:36:25x or a 14-digit number is no time
  if (i < end && (isDigit(b[i]!) || isLetter(b[i]!))) return -1;
  return i;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95;

/** The level named by bytes [s, e) with brackets and a trailing colon left out, or null. */
function levelToken(b: Uint8Array, s: number, e: number): Level | null {
  if (e > s && b[e - 1] === 58) e--;
  if (e - s >= 2 && (b[s] === 91 || b[s] === 60 || b[s] === 40)) {
    s++;
    e--;
  }
  if (e - s === 1) return levelFromLetter(String.fromCharCode(b[s]!));
  return levelFromBytes(b, s, e);
}

/** Past a time: its closing bracket, one `:`/`,`/`-`/`|` separator and the spaces around. */
function afterTime(b: Uint8Array, p: number, end: number): number {
  if (p < end && b[p] === 93) p++;
  while (p < end && b[p] === 32) p++;
  if (
    p < end &&
    (b[p] === 58 || b[p] === 44 || b[p] === 124 || b[p] === 45) &&
    (p + 1 >= end || b[p + 1] === 32)
  )
    p++;
  while (p < end && (b[p] === 32 || b[p] === 9)) p++;
  return p;
}

function tokenEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] !== 32 && b[p] !== 9) p++;
  return p;
}

/** `name[pid]:` or `name:` at [s, e): the end of the name, or -1. */
function serviceToken(b: Uint8Array, s: number, e: number): number {
  if (e - s < 2 || b[e - 1] !== 58) return -1;
  let n = e - 1;
  if (b[n - 1] === 93) {
    let o = n - 2;
    while (o > s && isDigit(b[o]!)) o--;
    if (b[o] !== 91 || o === n - 2) return -1;
    n = o;
  }
  if (n === s || !isLetter(b[s]!)) return -1;
  for (let i = s; i < n; i++) {
    const c = b[i]!;
    if (!(isLetter(c) || isDigit(c) || c === 45 || c === 46 || c === 47)) return -1;
  }
  return n;
}

function hasKeyValue(b: Uint8Array, p: number, end: number): boolean {
  for (let i = p + 1; i < end - 1; i++)
    if (b[i] === 61 && isLetter(b[i - 1]!) && b[i + 1] !== 32) return true;
  return false;
}

interface Candidate {
  prefix: string;
  shape: Shape;
  count: number;
  first: number;
  frac: '.' | ',' | null;
  lines: number[];
}

const decoder = new TextDecoder();

/**
 * A layout for the head's lines, or null when no timestamp shape recurs. `minCount` is the number of lines it
 * must read (the catalog's best, to beat it).
 */
export function inferLayout(lines: readonly { bytes: Uint8Array }[], minCount = 0): InferredLayout | null {
  const cands = new Map<string, Candidate>();
  let candidates = 0;
  let untimed = 0;
  let blocks = 0;
  let blockStartsTimed = 0;
  let afterBlank = true;
  const timedIdx: { idx: number; te: number; pre: number }[][] = [];
  lines.forEach(({ bytes: b }, idx) => {
    const end = b.length;
    const blank = !b.some((c) => c !== 32 && c !== 9 && c !== 13);
    if (blank) {
      afterBlank = true;
      return;
    }
    const startsBlock = afterBlank;
    afterBlank = false;
    if (isContinuation(b, 0, end)) return;
    candidates++;
    if (startsBlock) blocks++;
    let timed = false;
    const found: { idx: number; te: number; pre: number }[] = [];
    scan: for (let p = 0; p <= Math.min(MAX_PREFIX, end - 1); p++) {
      if (p > 0) {
        const c = b[p - 1]!;
        if (isDigit(c)) break; // the text before a time holds no digits
        if (c !== 32 && c !== 91) continue;
      }
      for (const s of SHAPES) {
        const te = matchShape(s, b, p, end);
        if (te < 0) continue;
        const prefix = decoder.decode(b.subarray(0, p));
        const key = prefix + '\u0000' + s.id;
        let c = cands.get(key);
        if (c === undefined) {
          c = { prefix, shape: s, count: 0, first: idx, frac: null, lines: [] };
          cands.set(key, c);
        }
        c.count++;
        if (c.lines.length < 3) c.lines.push(idx);
        for (let i = p; i < te - 1; i++)
          if ((b[i] === 46 || b[i] === 44) && isDigit(b[i + 1]!) && isDigit(b[i - 1]!) && b[i - 3] === 58) {
            c.frac = b[i] === 46 ? '.' : ',';
          }
        found.push({ idx, te, pre: p });
        timed = true;
        break scan;
      }
    }
    timedIdx[idx] = found;
    if (!timed) untimed++;
    else if (startsBlock) blockStartsTimed++;
  });
  let best: Candidate | null = null;
  for (const c of cands.values()) {
    if (best === null || c.count > best.count || (c.count === best.count && c.first < best.first)) best = c;
  }
  if (best === null || best.count < 2 || best.count <= minCount) return null;
  // a layout reads most lines, or starts the blank-line-separated blocks (apt's history.log)
  const blockFormat = blocks >= 2 && blockStartsTimed >= 0.8 * blocks;
  if (best.count < 0.5 * candidates && !blockFormat && best.count < 0.05 * candidates) return null;
  // the columns after the time, on the lines this layout reads
  const prefixBytes = new TextEncoder().encode(best.prefix);
  let levels = 0;
  let kv = 0;
  const svc = [0, 0];
  let n = 0;
  lines.forEach(({ bytes: b }, idx) => {
    const f = timedIdx[idx]?.find((x) => x.pre === prefixBytes.length);
    if (f === undefined || !startsWithBytes(b, prefixBytes)) return;
    if (matchShape(best.shape, b, f.pre, b.length) < 0) return;
    n++;
    let p = afterTime(b, f.te, b.length);
    let e = tokenEnd(b, p, b.length);
    if (levelToken(b, p, e) !== null) {
      levels++;
      p = e;
      while (p < b.length && b[p] === 32) p++;
      e = tokenEnd(b, p, b.length);
    }
    for (let k = 0; k < 2 && p < b.length; k++) {
      if (serviceToken(b, p, e) >= 0) {
        svc[k]!++;
        break;
      }
      p = e;
      while (p < b.length && b[p] === 32) p++;
      e = tokenEnd(b, p, b.length);
    }
    if (hasKeyValue(b, f.te, b.length)) kv++;
  });
  const level = levels >= COLUMN_SHARE * n;
  const serviceAt = svc[0]! >= COLUMN_SHARE * n ? 0 : svc[1]! >= COLUMN_SHARE * n ? 1 : -1;
  return {
    prefix: best.prefix,
    shape: best.shape,
    fractionSep: best.frac,
    level,
    serviceAt,
    kv: kv >= COLUMN_SHARE * n,
    multiline: blockFormat || untimed >= 0.1 * candidates,
    matched: best.count,
    candidates,
    samples: best.lines.map((i) => decoder.decode(lines[i]!.bytes).replace(/\r$/, '')),
  };
}

function startsWithBytes(b: Uint8Array, p: Uint8Array, at = 0): boolean {
  if (b.length - at < p.length) return false;
  for (let i = 0; i < p.length; i++) if (b[at + i] !== p[i]) return false;
  return true;
}

/** The time pattern of a layout, as docs/formats.md writes them. */
function timePattern(l: InferredLayout): string {
  const s = l.shape;
  if (s.epoch) return 'epoch';
  let p = s.pattern;
  if (l.fractionSep !== null) p += `[${l.fractionSep}SSS]`;
  if (s.zone === 'iso') p += 'Z';
  else if (s.zone === 'space') p += '[ Z]';
  return p;
}

/** What the page shows: "inferred: time at column 1, `YYYY-MM-DD HH:mm:ss`, no level". */
export function describeLayout(l: InferredLayout): string {
  const shown = l.shape.epoch
    ? l.shape.id === 'epoch-ms'
      ? 'epoch ms'
      : 'epoch seconds'
    : l.shape.pattern + (l.fractionSep !== null ? `${l.fractionSep}SSS` : '');
  const after = l.prefix.trim() === '' || l.prefix === '[' ? '' : ` after \`${l.prefix.trim()}\``;
  const col = [...l.prefix].length + 1;
  const parts = [`inferred: time at column ${col}${after}, \`${shown}\``];
  parts.push(l.level ? 'level after the time' : 'no level');
  if (l.shape.timeOfDay) parts.push("date from the file's last change");
  if (l.serviceAt >= 0) parts.push('service `name[pid]:`');
  else if (programWord(l.prefix) !== null) parts.push(`service \`${programWord(l.prefix)}\``);
  if (l.kv) parts.push('key=value fields');
  if (l.multiline) parts.push('records span lines');
  return parts.join(', ');
}

/** A leading word that names the program (`update-alternatives `), not a label (`Start-Date: `). */
function programWord(prefix: string): string | null {
  const w = prefix.trim();
  return /^[A-Za-z][\w.-]*$/.test(w) ? w : null;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The layout as a custom format's regex (named groups time, level, service, message). */
function customRegex(l: InferredLayout): string {
  const s = l.shape;
  let time = s.regex;
  if (l.fractionSep !== null && !s.epoch) time += `(?:${escapeRe(l.fractionSep)}\\d+)?`;
  if (s.zone === 'iso') time += String.raw`(?:Z|[+-]\d\d(?::?\d\d)?)?`;
  else if (s.zone === 'space') time += String.raw`(?: [+-]\d{4})?`;
  let re = `^${escapeRe(l.prefix)}(?<time>${time})\\]? *(?:[:,|-] +)?`;
  if (l.level) re += String.raw`(?:[\[<(]?(?<level>[A-Za-z]+)[\]>)]?:? +)?`;
  if (l.serviceAt === 1) re += String.raw`(?<host>\S+) +`;
  if (l.serviceAt >= 0) re += String.raw`(?:(?<service>[A-Za-z][\w./-]*)(?:\[(?<pid>\d+)\])?: +)?`;
  return re + '(?<message>.*)$';
}

/** The layout compiled into a format. `fileName` names the custom format it can be saved as. */
export function inferredFormat(l: InferredLayout, fileName: string): InferredFormat {
  const prefix = new TextEncoder().encode(l.prefix);
  const shape = l.shape;
  const pattern = timePattern(l);
  const program = programWord(l.prefix);
  const name = describeLayout(l);
  const base =
    fileName
      .replace(/^.*[\\/]/, '')
      .replace(/[^\w .-]/g, '_')
      .slice(0, 40) || 'log';
  return {
    id: `inferred`,
    name,
    specificity: 1,
    samples: l.samples,
    ownLines: !l.multiline,
    layout: l,
    custom: shape.timeOfDay
      ? null
      : { name: `inferred ${base}`, regex: customRegex(l), time: pattern, samples: l.samples.slice(0, 3) },
    parse(b, start, end, info: LineInfo, out: RecordDraft, ctx: ParseContext): boolean {
      if (!startsWithBytes(b, prefix, start)) return false;
      const ts = start + prefix.length;
      const te = matchShape(shape, b, ts, end);
      if (te < 0) return false;
      let text = ctx.text(b, ts, te, info);
      let time: number;
      ctx.iso.impossible = false;
      if (shape.timeOfDay) {
        time = ctx.timeFn(`YYYY-MM-DD ${pattern}`)(`${dayOf(ctx.refTime)} ${text}`);
      } else {
        time = ctx.timeFn(pattern)(text);
      }
      out.time = null;
      if (Number.isNaN(time)) {
        if (!ctx.iso.impossible) return false;
        if (text.length > MAX_BAD_TIME_CHARS) text = text.slice(0, MAX_BAD_TIME_CHARS) + '…';
        out.badTime = text;
      } else out.time = time;
      let p = afterTime(b, te, end);
      let level: Level | null = null;
      let e = tokenEnd(b, p, end);
      if (l.level) {
        level = levelToken(b, p, e);
        if (level !== null) {
          p = e;
          while (p < end && b[p] === 32) p++;
          e = tokenEnd(b, p, end);
        }
      }
      let service: string | null = program;
      let fields: Record<string, string> | null = null;
      if (l.serviceAt >= 0) {
        let q = p;
        let qe = e;
        if (l.serviceAt === 1) {
          q = qe;
          while (q < end && b[q] === 32) q++;
          qe = tokenEnd(b, q, end);
        }
        const n = serviceToken(b, q, qe);
        if (n >= 0) {
          service = ctx.names.wordAt(b, q, n);
          if (n < qe - 1)
            (fields ??= newFields() as Record<string, string>).pid = ctx.text(b, n + 1, qe - 2, info);
          if (l.serviceAt === 1)
            (fields ??= newFields() as Record<string, string>).host = ctx.text(b, p, e, info);
          p = qe;
          while (p < end && b[p] === 32) p++;
        }
      }
      let me = end;
      while (me > p && (b[me - 1] === 32 || b[me - 1] === 13 || b[me - 1] === 9)) me--;
      if (me === end) ctx.messageAt = p;
      if (l.kv) fields = keyValues(b, p, me, info, ctx, fields);
      out.level = level;
      out.service = service;
      out.message = ctx.text(b, p, me, info);
      out.fields = fields;
      out.partial = false;
      return true;
    },
  };
}

/** `key=value` and `key="quoted value"` pairs of bytes [p, end). */
function keyValues(
  b: Uint8Array,
  p: number,
  end: number,
  info: LineInfo,
  ctx: ParseContext,
  into: Record<string, string> | null,
): Record<string, string> | null {
  let i = p;
  while (i < end) {
    while (i < end && b[i] === 32) i++;
    const ks = i;
    while (i < end && (isLetter(b[i]!) || isDigit(b[i]!) || b[i] === 46 || b[i] === 45)) i++;
    if (i > ks && i < end && b[i] === 61 && isLetter(b[ks]!)) {
      const key = ctx.text(b, ks, i, info);
      let vs = ++i;
      let ve: number;
      if (i < end && b[i] === 34) {
        vs = ++i;
        while (i < end && b[i] !== 34) i++;
        ve = i;
        if (i < end) i++;
      } else {
        i = tokenEnd(b, i, end);
        ve = i;
      }
      (into ??= newFields() as Record<string, string>)[key] = ctx.text(b, vs, ve, info);
    }
    i = tokenEnd(b, i, end);
  }
  return into;
}

/** The UTC day of a time, as YYYY-MM-DD (a time of day alone is read on the file's last-modified day). */
function dayOf(t: number): string {
  return new Date(Number.isFinite(t) ? t : 0).toISOString().slice(0, 10);
}

export const _forTests = { matchShape, SHAPES };

/**
 * When no catalog format reads the head well (none, or under half its lines), a layout inferred from the head
 * that reads more of its lines than the catalog's best takes the catalog's place.
 */
export function inferWhenUnknown(
  detection: Detection,
  held: readonly { bytes: Uint8Array; info: LineInfo }[],
  fileName: string,
  ctx: ParseContext,
): void {
  if (detection.format !== null && detection.confidence >= 0.5) return;
  const best = detection.format === null ? 0 : (detection.scores[detection.format.id] ?? 0);
  const layout = inferLayout(held, best);
  if (layout === null) return;
  const format = inferredFormat(layout, fileName);
  // evidence as detection counts it: lines read with a possible time (impossible ones are no evidence)
  const out: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  let good = 0;
  for (const { bytes, info } of held) {
    out.badTime = null;
    if (format.parse(bytes, 0, bytes.length, info, out, ctx) && out.badTime === null) good++;
  }
  ctx.messageAt = -1;
  if (good <= best) return;
  detection.format = format;
  detection.scores[format.id] = good;
  detection.confidence = layout.candidates === 0 ? 0 : Math.min(1, good / layout.candidates);
}

/** The inferred format of a file's head (the log view re-reads a file of format 'inferred' with it). */
export function inferFromHead(head: Uint8Array, fileName: string): InferredFormat | null {
  const lines: { bytes: Uint8Array }[] = [];
  let s = 0;
  for (let i = 0; i < head.length && lines.length < DETECT_MAX_LINES; i++) {
    if (head[i] !== 10) continue;
    lines.push({ bytes: head.subarray(s, i > s && head[i - 1] === 13 ? i - 1 : i) });
    s = i + 1;
  }
  const layout = inferLayout(lines);
  return layout === null ? null : inferredFormat(layout, fileName);
}
