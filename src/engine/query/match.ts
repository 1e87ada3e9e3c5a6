import type { FieldValue, Level, LogRecord } from '../types.ts';
import { LEVELS } from '../types.ts';
import { levelFromValue } from '../levels.ts';
import { compileUserRegex, UserRegexError, type UserRegex } from '../user-regex.ts';
import type { Comparison, FieldTest, QueryNode } from './ast.ts';
import { QuerySyntaxError } from './parse.ts';
import { parseQueryTime } from './time.ts';

/** One record under test: its text is lowercased at most once, whatever the number of words. */
export class Subject {
  r!: LogRecord;
  templateId: number | null = null;
  private raw: string | null = null;
  private lower: string | null = null;

  reset(r: LogRecord, templateId: number | null): void {
    this.r = r;
    this.templateId = templateId;
    this.raw = null;
    this.lower = null;
  }

  /** The text words and regexes search: the message, then the continuation lines (a stack trace). */
  text(): string {
    if (this.raw === null) {
      const c = this.r.continuation;
      this.raw = c === null ? this.r.message : this.r.message + '\n' + c;
    }
    return this.raw;
  }

  lowerText(): string {
    return (this.lower ??= this.text().toLowerCase());
  }
}

export type Test = (s: Subject) => boolean;

const NO_LEVEL = 'NONE';
const RANK: Record<Level, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };

/**
 * A glob: `*` matches any run of characters, `\x` is a literal x; whole-value, case-insensitive.
 * Linear in the value: literal pieces are found left to right (first anchored at the start, last at the end).
 */
export function globTest(pattern: string): (value: string) => boolean {
  const parts: string[] = [''];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) parts[parts.length - 1] += pattern[++i]!;
    else if (c === '*') parts.push('');
    else parts[parts.length - 1] += c;
  }
  const lower = parts.map((p) => p.toLowerCase());
  if (lower.length === 1) {
    const only = lower[0]!;
    return (v) => v.toLowerCase() === only;
  }
  const first = lower[0]!;
  const last = lower[lower.length - 1]!;
  const middle = lower.slice(1, -1);
  return (value) => {
    const v = value.toLowerCase();
    if (v.length < first.length + last.length || !v.startsWith(first) || !v.endsWith(last)) return false;
    let at = first.length;
    const end = v.length - last.length;
    for (const m of middle) {
      const k = v.indexOf(m, at);
      if (k < 0 || k + m.length > end) return false;
      at = k + m.length;
    }
    return true;
  };
}

function compare(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

function userRegex(source: string, flags: string, at: number): UserRegex {
  try {
    return compileUserRegex(source, flags.includes('i'));
  } catch (e) {
    if (e instanceof UserRegexError) throw new QuerySyntaxError(at, `the regex /${source}/ ${e.message}`);
    throw e;
  }
}

function numberOf(v: FieldValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function numericBound(value: string, at: number, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new QuerySyntaxError(at, `expected ${what}, got '${value}'`);
  return n;
}

function levelOf(value: string, at: number): Level {
  const l = levelFromValue(value);
  if (l === null) throw new QuerySyntaxError(at, `unknown level '${value}' (${LEVELS.join(', ')}, NONE)`);
  return l;
}

function valueAt(n: Extract<QueryNode, { type: 'field' }>): number {
  return n.at + n.name.length + 1;
}

/** A numeric test on a value (fields, template ids): comparison, range, or an exact number. */
function numericTest(t: FieldTest, at: number, what: string): ((x: number) => boolean) | null {
  if (t.kind === 'compare') {
    const b = numericBound(t.value, at + t.op.length, what);
    return (x) => compare(t.op, x, b);
  }
  if (t.kind === 'range') {
    const lo = t.from === '' ? -Infinity : numericBound(t.from, at, what);
    const hi = t.to === '' ? Infinity : numericBound(t.to, at + t.from.length + 2, what);
    return (x) => x >= lo && x < hi;
  }
  return null;
}

/** The time bounds a time: term asks for, [start, end), in ms; ±Infinity for an open side. */
export function timeBounds(t: FieldTest, at: number): { start: number; end: number } {
  const time = (s: string, pos: number): number => {
    const v = parseQueryTime(s);
    if (Number.isNaN(v))
      throw new QuerySyntaxError(pos, `expected an ISO-8601 time (2025-03-14T00:48:00Z), got '${s}'`);
    return v;
  };
  switch (t.kind) {
    case 'range':
      return {
        start: t.from === '' ? -Infinity : time(t.from, at),
        end: t.to === '' ? Infinity : time(t.to, at + t.from.length + 2),
      };
    case 'compare': {
      const v = time(t.value, at + t.op.length);
      if (t.op === '>=') return { start: v, end: Infinity };
      if (t.op === '>') return { start: v + 1, end: Infinity };
      if (t.op === '<') return { start: -Infinity, end: v };
      return { start: -Infinity, end: v + 1 };
    }
    default:
      throw new QuerySyntaxError(at, 'expected time:A..B, time:>=A or time:<B (ISO-8601 times)');
  }
}

function fieldValue(
  fields: Readonly<Record<string, FieldValue>> | null,
  name: string,
): FieldValue | undefined {
  if (fields === null) return undefined;
  const v = fields[name];
  if (v !== undefined || !name.includes('.')) return v;
  // a nested object is stored as its JSON text under its top key: `user.id` reads {"user":{"id":42}}
  for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
    const head = fields[name.slice(0, dot)];
    if (typeof head !== 'string' || head[0] !== '{') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(head);
    } catch {
      continue;
    }
    const found = walk(obj, name.slice(dot + 1));
    if (found !== undefined) return found;
  }
  return undefined;
}

function walk(obj: unknown, path: string): FieldValue | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  if (Object.hasOwn(o, path)) {
    const v = o[path];
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return JSON.stringify(v) ?? null;
  }
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
    const head = path.slice(0, dot);
    if (!Object.hasOwn(o, head)) continue;
    const v = walk(o[head], path.slice(dot + 1));
    if (v !== undefined) return v;
  }
  return undefined;
}

function fieldNode(n: Extract<QueryNode, { type: 'field' }>): Test {
  const t = n.test;
  const at = valueAt(n);
  const name = n.name;
  switch (name.toLowerCase()) {
    case 'level': {
      if (t.kind === 'compare') {
        const b = RANK[levelOf(t.value, at + t.op.length)];
        return (s) => s.r.level !== null && compare(t.op, RANK[s.r.level], b);
      }
      if (t.kind === 'glob') {
        if (!t.pattern.includes('*')) {
          const want = t.pattern.replace(/\\(.)/g, '$1');
          if (want.toUpperCase() === NO_LEVEL) return (s) => s.r.level === null;
          const l = levelOf(want, at);
          return (s) => s.r.level === l;
        }
        const g = globTest(t.pattern);
        return (s) => g(s.r.level ?? NO_LEVEL);
      }
      throw new QuerySyntaxError(at, 'expected a level (level:ERROR) or a comparison (level:>=WARN)');
    }
    case 'time': {
      const { start, end } = timeBounds(t, at);
      return (s) => s.r.time !== null && s.r.time >= start && s.r.time < end;
    }
    case 'template': {
      const num = numericTest(t, at, 'a template id');
      if (num !== null) return (s) => s.templateId !== null && num(s.templateId);
      if (t.kind === 'glob' && /^\d+$/.test(t.pattern)) {
        const id = Number(t.pattern);
        return (s) => s.templateId === id;
      }
      throw new QuerySyntaxError(at, `expected a template id (template:12), got '${printValue(t)}'`);
    }
    case 'service':
    case 'file': {
      const get = name.toLowerCase() === 'file' ? (r: LogRecord) => r.file : (r: LogRecord) => r.service;
      if (t.kind === 'glob') {
        const g = globTest(t.pattern);
        return (s) => {
          const v = get(s.r);
          return v !== null && g(v);
        };
      }
      if (t.kind === 'regex') {
        const re = userRegex(t.source, t.flags, at);
        return (s) => {
          const v = get(s.r);
          return v !== null && re.test(v);
        };
      }
      throw new QuerySyntaxError(at, `expected a name or a glob (${name}:payment*)`);
    }
  }
  const num = numericTest(t, at, 'a number');
  if (num !== null) {
    return (s) => {
      const v = numberOf(fieldValue(s.r.fields, name));
      return !Number.isNaN(v) && num(v);
    };
  }
  if (t.kind === 'regex') {
    const re = userRegex(t.source, t.flags, at);
    return (s) => {
      const v = fieldValue(s.r.fields, name);
      return v !== undefined && re.test(String(v));
    };
  }
  if (t.kind !== 'glob') throw new QuerySyntaxError(at, 'unexpected value');
  const g = globTest(t.pattern);
  return (s) => {
    const v = fieldValue(s.r.fields, name);
    return v !== undefined && g(String(v));
  };
}

function printValue(t: FieldTest): string {
  return t.kind === 'glob' ? t.pattern : t.kind === 'compare' ? t.op + t.value : t.kind;
}

/** Compiles a tree to one test; throws QuerySyntaxError (positioned) for values that make no sense. */
export function compileNode(n: QueryNode): Test {
  switch (n.type) {
    case 'text': {
      const w = n.value.toLowerCase();
      return (s) => s.lowerText().includes(w);
    }
    case 'regex': {
      const re = userRegex(n.source, n.flags, n.at);
      return (s) => re.test(s.text());
    }
    case 'field':
      return fieldNode(n);
    case 'not': {
      const c = compileNode(n.child);
      return (s) => !c(s);
    }
    case 'and': {
      const cs = n.children.map(compileNode);
      return (s) => {
        for (const c of cs) if (!c(s)) return false;
        return true;
      };
    }
    case 'or': {
      const cs = n.children.map(compileNode);
      return (s) => {
        for (const c of cs) if (c(s)) return true;
        return false;
      };
    }
  }
}
