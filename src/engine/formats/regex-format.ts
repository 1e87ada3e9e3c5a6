import type { FieldValue, Level } from '../types.ts';
import {
  guessLevel,
  levelFromLetter,
  levelFromString,
  levelFromSyslogSeverity,
  stripTrailingDigits,
} from '../levels.ts';
import {
  MAX_BAD_TIME_CHARS,
  newFields,
  type LineFormat,
  type ParseContext,
  type RecordDraft,
} from './types.ts';
import { compileUserRegex, type UserMatch } from '../user-regex.ts';

/**
 * Formats as data: one or more regex variants with named groups, each with a time pattern
 * (src/engine/time/pattern.ts). Group names with a meaning: time, level, service, message, pri (syslog
 * priority → level), status (HTTP status → level), partial (CRI "P" → the record goes on in the next line).
 * Every other named group becomes a field. These formats pay one regex per line: the hot ISO format does not.
 */
export interface RegexVariant {
  regex: string;
  /** time pattern(s) for the `time` group, tried in order */
  time: string | string[];
  flags?: string;
}

export interface RegexFormatSpec {
  id: string;
  name: string;
  specificity: number;
  samples: readonly string[];
  variants: readonly RegexVariant[];
  /** extra level words (lower case) for this format; 'continuation' makes such a line join the record before */
  levels?: Readonly<Record<string, Level | 'continuation'>>;
  /** times are relative (seconds since boot) */
  relative?: boolean;
  /** without a level group, take a level word from the start of the message */
  guessLevel?: boolean;
  /**
   * the regexes are a user's (custom formats): they run natively only when proven free of catastrophic
   * backtracking, else on the linear-time engine (src/engine/user-regex.ts); the catalog's are proven by a test
   */
  userRegex?: boolean;
}

const SPECIAL = new Set(['time', 'level', 'service', 'message', 'pri', 'partial']);

/** A level from a word, a single letter, or a word with a number (trace1, debug2). */
export function normalizeLevel(
  text: string,
  extra?: Readonly<Record<string, Level | 'continuation'>>,
): Level | 'continuation' | null {
  const t = text.trim();
  if (t === '') return null;
  const lower = t.toLowerCase();
  if (extra !== undefined && Object.hasOwn(extra, lower)) return extra[lower]!;
  const w = levelFromString(lower);
  if (w !== null) return w;
  const letter = levelFromLetter(t);
  if (letter !== null) return letter;
  const stripped = stripTrailingDigits(lower);
  if (stripped !== lower) return levelFromString(stripped);
  return null;
}

export function levelFromSeverity(pri: number): Level | null {
  // PRI = facility · 8 + severity
  return Number.isInteger(pri) && pri >= 0 && pri <= 191 ? levelFromSyslogSeverity(pri % 8) : null;
}

/** `METHOD PATH[ PROTOCOL]` (a method in capitals): sets the fields `method` and `path`. */
function requestFields(message: string, fields: Record<string, FieldValue>): void {
  const sp = message.indexOf(' ');
  if (sp < 1 || sp > 16) return;
  for (let i = 0; i < sp; i++) {
    const c = message.charCodeAt(i);
    if (c < 65 || c > 90) return;
  }
  let end = message.indexOf(' ', sp + 1);
  if (end < 0) end = message.length;
  if (end === sp + 1) return;
  fields.method = message.slice(0, sp);
  fields.path = message.slice(sp + 1, end);
}

export function levelFromStatus(status: number): Level {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
}

export interface CompiledVariant {
  re: { exec(s: string): UserMatch | null };
  time: readonly string[];
}

export function regexFormat(spec: RegexFormatSpec): LineFormat {
  const variants: CompiledVariant[] = spec.variants.map((v) => ({
    re: spec.userRegex
      ? compileUserRegex(v.regex, (v.flags ?? '').includes('i'))
      : new RegExp(v.regex, v.flags ?? ''),
    time: Array.isArray(v.time) ? v.time : [v.time as string],
  }));
  return {
    id: spec.id,
    name: spec.name,
    specificity: spec.specificity,
    samples: spec.samples,
    relative: spec.relative ?? false,
    parse(b, start, end, info, out, ctx) {
      const line = ctx.text(b, start, end, info);
      // a variant that reads the line but finds its time impossible stands only if no other reads it whole
      // (a failed fill leaves the draft alone, so the last such variant's draft is still there)
      let impossible = false;
      for (const v of variants) {
        const m = v.re.exec(line);
        if (m === null || m.groups === undefined) continue;
        const filled = fill(spec, v, m.groups, out, ctx);
        if (filled === FILLED) {
          if (impossible) out.badTime = null;
          return true;
        }
        if (filled === IMPOSSIBLE_TIME) impossible = true;
      }
      return impossible;
    },
  };
}

export const NOT_FILLED = 0;
export const FILLED = 1;
/** filled, with time null: the time has the pattern's shape but impossible values (out.badTime says which) */
export const IMPOSSIBLE_TIME = 2;

export function fill(
  spec: RegexFormatSpec,
  v: CompiledVariant,
  g: Record<string, string | undefined>,
  out: RecordDraft,
  ctx: ParseContext,
): number {
  let time: number | null = null;
  let badTime: string | null = null;
  const ts = g.time;
  if (ts !== undefined && ts !== '-' && ts !== '') {
    let t = NaN;
    let impossible = false;
    for (const pattern of v.time) {
      ctx.iso.impossible = false; // epoch and relative patterns never set it
      t = ctx.timeFn(pattern)(ts);
      if (!Number.isNaN(t)) break;
      impossible ||= ctx.iso.impossible;
    }
    if (Number.isNaN(t)) {
      // a time of the pattern's shape with impossible values: a record without a time; else not this format's
      if (!impossible) return NOT_FILLED;
      badTime = ts.length > MAX_BAD_TIME_CHARS ? ts.slice(0, MAX_BAD_TIME_CHARS) + '…' : ts;
    } else {
      time = t;
    }
  }
  let level: Level | null = null;
  if (g.level !== undefined) {
    const l = normalizeLevel(g.level, spec.levels);
    if (l === 'continuation') {
      out.continues = true;
      return NOT_FILLED;
    }
    level = l;
  } else if (g.pri !== undefined) {
    level = levelFromSeverity(Number(g.pri));
  } else if (g.status !== undefined) {
    level = levelFromStatus(Number(g.status));
  }
  // a partial line's trailing space belongs to the text that the next line completes; trimEnd strips what
  // /\s+$/ did, without that regex's quadratic retries on a long run of blanks that does not end the line
  const message = g.partial === 'P' ? (g.message ?? '') : (g.message ?? '').trimEnd();
  if (level === null && spec.guessLevel) level = guessLevel(message);
  let fields: Record<string, FieldValue> | null = null;
  for (const k in g) {
    if (SPECIAL.has(k)) continue;
    const val = g[k];
    if (val === undefined) continue;
    fields ??= newFields();
    fields[k] = val;
  }
  // an access log's request line "GET /path HTTP/1.1": its method and path are fields too (facets, queries)
  if (g.status !== undefined && fields !== null && fields.path === undefined) requestFields(message, fields);
  const service = g.service;
  out.time = time;
  if (badTime !== null) out.badTime = badTime;
  out.level = level;
  out.service = service === undefined || service === '' || service === '-' ? null : service;
  out.message = message;
  out.fields = fields;
  out.partial = g.partial === 'P';
  return badTime === null ? FILLED : IMPOSSIBLE_TIME;
}
