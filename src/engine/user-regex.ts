import { RE2JS } from 're2js';
import { isSafePattern } from 'redos-detector';

/**
 * Regular expressions that users write (custom formats, sequence steps, later searches) can never backtrack
 * catastrophically, by construction. Each one runs either
 * - natively (V8's backtracking engine, ~0.1 µs a line) when it has no lookaround or backreference (whose cost
 *   the check does not model) and a static ReDoS check (redos-detector) proves that no input can make it
 *   backtrack more than a small bounded number of times, or
 * - on re2js, the JavaScript port of RE2: an automaton, linear in the input whatever the pattern, several times
 *   slower per match — the price of a pattern the check could not prove safe. `.`, `\s` and `\S` are rewritten
 *   to JavaScript's meaning first, so both engines give the same answers.
 * A pattern with a lookahead or backreference (which RE2 cannot run) is refused with a message that says so:
 * whether a pattern is refused never depends on the check. Measured and explained in docs/regex.md.
 */

export interface UserMatch {
  readonly index: number;
  readonly 0: string;
  readonly groups?: Record<string, string | undefined> | undefined;
}

/**
 * A RegExp when proven safe (V8's engine), else a LinearRegex (re2js). Both are plain data to structured clone
 * (analyses cross between workers), which closures would not be.
 */
export type UserRegex = RegExp | LinearRegex;

export class LinearRegex {
  constructor(
    readonly source: string,
    private readonly re2: RE2JS,
  ) {}

  exec(s: string): UserMatch | null {
    return this.re2.exec(s) as UserMatch | null;
  }

  test(s: string): boolean {
    return this.re2.test(s);
  }
}

export function engineOf(r: UserRegex): 'native' | 'linear' {
  return r instanceof RegExp ? 'native' : 'linear';
}

export class UserRegexError extends Error {}

/**
 * The check's budget: 2,000 steps (deterministic), a wall-clock backstop per pattern, and a total per process so
 * that a config of many hard patterns cannot hold a worker for long: past it, patterns simply run on re2js.
 * Which engine runs a pattern changes its speed only, never its answers (see LinearRegex).
 */
const CHECK = { maxSteps: 2000, maxScore: 200, timeout: 300 } as const;
const TOTAL_CHECK_MS = 1500;
let checkedMs = 0;

const proofs = new Map<string, boolean>();

/**
 * Compiles a user's regex (always with the `u` flag, `i` when ignoreCase) on the engine it may safely use.
 * Throws UserRegexError with a readable reason when it cannot.
 */
export function compileUserRegex(source: string, ignoreCase: boolean): UserRegex {
  let native: RegExp;
  try {
    native = new RegExp(source, ignoreCase ? 'iu' : 'u');
  } catch (e) {
    throw new UserRegexError(`is not a valid regular expression: ${(e as Error).message}`);
  }
  runnable(source);
  if (provenSafe(source, ignoreCase)) return native;
  return compileLinear(source, ignoreCase);
}

/** The pattern on the linear-time engine, or UserRegexError when it uses what that engine cannot run. */
export function compileLinear(source: string, ignoreCase: boolean): LinearRegex {
  const shape = runnable(source);
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(
      RE2JS.translateRegExp(shape.asJavaScript),
      RE2JS.LOOKBEHINDS | (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0),
    );
  } catch (e) {
    throw new UserRegexError(
      refusal(`syntax the linear-time engine does not accept (${(e as Error).message})`),
    );
  }
  return new LinearRegex(source, re2);
}

/** Whether the pattern, as a JS regex with these flags, provably cannot backtrack catastrophically. */
export function provenSafe(source: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : '-'}${source}`;
  let safe = proofs.get(key);
  if (safe === undefined) {
    safe = check(source, ignoreCase);
    if (proofs.size >= 5000) proofs.clear();
    proofs.set(key, safe);
  }
  return safe;
}

function check(source: string, ignoreCase: boolean): boolean {
  const shape = scan(source);
  // the check does not count what a lookaround rescans on each repeat, nor what a backreference compares
  if (shape.lookaround || shape.lookahead || shape.backreference) return false;
  // redos-detector cannot combine case-insensitivity with unicode mode. Without `u`, case folding is ASCII-only
  // for the patterns we let through here, so the proof holds for `iu` too — unless the pattern mentions
  // non-ASCII characters or escapes that can name them (\u, \x, \p). (ſ and K fold onto s and k in u mode,
  // but every class that holds them holds s and k too, so they add no ambiguity the ASCII proof missed.)
  if (ignoreCase && /[^\x20-\x7e]|\\[uxpPW]/.test(source)) return false;
  if (checkedMs >= TOTAL_CHECK_MS) return false;
  const t0 = performance.now();
  try {
    const r = isSafePattern(shape.unnamed, {
      ...CHECK,
      caseInsensitive: ignoreCase,
      unicode: !ignoreCase,
      // the checker asks to rewrite a pattern not anchored at its start (checked as the search runs it)
      downgradePattern: true,
    });
    return r.safe;
  } catch {
    return false; // a pattern the checker cannot read is not proven
  } finally {
    checkedMs += performance.now() - t0;
  }
}

// JavaScript's `\s` (u mode): RE2's is ASCII only. Written as JS escapes; RE2JS.translateRegExp converts them.
const JS_SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

interface Shape {
  /** `(?<name>…)` → `(…)`: names change nothing in how a pattern backtracks, and the checker rejects them */
  unnamed: string;
  /** the pattern with `.`, `\s`, `\S` spelled out as JavaScript means them (for re2js) */
  asJavaScript: string;
  lookahead: boolean;
  /** a lookbehind (re2js runs those) */
  lookaround: boolean;
  backreference: boolean;
}

/** One pass over the pattern, outside and inside character classes. */
function scan(source: string): Shape {
  let unnamed = '';
  let js = '';
  let inClass = false;
  const shape = { lookahead: false, lookaround: false, backreference: false };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      i++;
      if (!inClass && (e === 'k' || (e >= '1' && e <= '9'))) shape.backreference = true;
      unnamed += c + e;
      if (e === 's') js += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (e === 'S' && !inClass) js += `[^${JS_SPACE}]`;
      else js += c + e;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '.') {
      unnamed += c;
      js += '[^\\n\\r\\u2028\\u2029]';
      continue;
    } else if (c === '(' && source[i + 1] === '?') {
      const k = source[i + 2];
      if (k === '=' || k === '!') shape.lookahead = true;
      else if (k === '<' && (source[i + 3] === '=' || source[i + 3] === '!')) shape.lookaround = true;
      else if (k === '<') {
        const close = source.indexOf('>', i + 3);
        if (close > 0) {
          unnamed += '(';
          js += source.slice(i, close + 1);
          i = close;
          continue;
        }
      }
    }
    unnamed += c;
    js += c;
  }
  return { unnamed, asJavaScript: js, ...shape };
}

/** The pattern's shape, or UserRegexError when it uses what neither engine can run safely. */
function runnable(source: string): Shape {
  const shape = scan(source);
  if (shape.lookahead || shape.backreference)
    throw new UserRegexError(
      refusal(shape.backreference ? 'a backreference (\\1, \\k<name>)' : 'a lookahead ((?=…) or (?!…))'),
    );
  return shape;
}

function refusal(what: string): string {
  return `uses ${what}, which Loglens cannot run safely: a backtracking engine could take very long on some lines, and the linear-time engine does not support it. Rewrite it without (nested repeats such as (a+)+ are fine)`;
}
