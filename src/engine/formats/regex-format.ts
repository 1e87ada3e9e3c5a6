import type { FieldValue, Level } from '../types.ts';
import { guessLevel, levelFromLetter, levelFromString, stripTrailingDigits } from '../levels.ts';
import type { LineFormat, ParseContext, RecordDraft } from './types.ts';

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
}

const SPECIAL = new Set(['time', 'level', 'service', 'message', 'pri', 'partial']);

/** Syslog severities 0–7. */
const SEVERITY: Level[] = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG'];

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
  return Number.isInteger(pri) && pri >= 0 && pri <= 191 ? SEVERITY[pri % 8]! : null;
}

export function levelFromStatus(status: number): Level {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
}

export interface CompiledVariant {
  re: RegExp;
  time: readonly string[];
}

export function regexFormat(spec: RegexFormatSpec): LineFormat {
  const variants: CompiledVariant[] = spec.variants.map((v) => ({
    re: new RegExp(v.regex, v.flags ?? ''),
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
      for (const v of variants) {
        const m = v.re.exec(line);
        if (m === null || m.groups === undefined) continue;
        if (fill(spec, v, m.groups, out, ctx)) return true;
      }
      return false;
    },
  };
}

export function fill(
  spec: RegexFormatSpec,
  v: CompiledVariant,
  g: Record<string, string | undefined>,
  out: RecordDraft,
  ctx: ParseContext,
): boolean {
  let time: number | null = null;
  const ts = g.time;
  if (ts !== undefined && ts !== '-' && ts !== '') {
    let t = NaN;
    for (const pattern of v.time) {
      t = ctx.timeFn(pattern)(ts);
      if (!Number.isNaN(t)) break;
    }
    if (Number.isNaN(t)) return false; // a time that does not parse: not this format's line
    time = t;
  }
  let level: Level | null = null;
  if (g.level !== undefined) {
    const l = normalizeLevel(g.level, spec.levels);
    if (l === 'continuation') {
      out.continues = true;
      return false;
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
    fields ??= {};
    fields[k] = val;
  }
  const service = g.service;
  out.time = time;
  out.level = level;
  out.service = service === undefined || service === '' || service === '-' ? null : service;
  out.message = message;
  out.fields = fields;
  out.partial = g.partial === 'P';
  return true;
}
