import { RE2JS } from 're2js';
import { isSafePattern } from 'redos-detector';

/**
 * Regular expressions that users write (custom formats, sequence steps, later searches) can never backtrack
 * catastrophically, by construction. Each one runs either
 * - natively (V8's backtracking engine, ~0.1 µs a line) when a static ReDoS check (redos-detector) proves that
 *   no input can make it backtrack more than a small bounded number of times, or
 * - on re2js, the JavaScript port of RE2: an automaton, linear in the input whatever the pattern, ~30–50×
 *   slower per match — the price of a pattern the check could not prove safe.
 * A pattern that is not proven safe and uses what RE2 cannot run (backreferences, lookahead) is refused
 * with a message that says so. Measured in docs/robustness.md; the choice is explained there.
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

/** The check's budget: deterministic (steps), with a wall-clock backstop for very large patterns. */
const CHECK = { maxSteps: 5000, maxScore: 200, timeout: 500 } as const;

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
  if (provenSafe(source, ignoreCase)) return native;
  return compileLinear(source, ignoreCase);
}

/** The pattern on the linear-time engine, or UserRegexError when it uses what that engine cannot run. */
export function compileLinear(source: string, ignoreCase: boolean): LinearRegex {
  const missing = unsupported(source);
  if (missing !== null) throw new UserRegexError(refusal(missing));
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(
      RE2JS.translateRegExp(source),
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
    if (proofs.size > 500) proofs.clear();
    proofs.set(key, safe);
  }
  return safe;
}

function check(source: string, ignoreCase: boolean): boolean {
  // redos-detector cannot combine case-insensitivity with unicode mode. Without `u`, case folding is ASCII-only
  // for the patterns we let through here, so the proof holds for `iu` too — unless the pattern mentions
  // non-ASCII characters or escapes that can name them (\u, \x, \p). (ſ and K fold onto s and k in u mode,
  // but every class that holds them holds s and k too, so they add no ambiguity the ASCII proof missed.)
  if (ignoreCase && /[^\x20-\x7e]|\\[uxpPW]/.test(source)) return false;
  const plain = unnameGroups(source);
  if (plain === null) return false;
  try {
    const r = isSafePattern(plain, {
      ...CHECK,
      caseInsensitive: ignoreCase,
      unicode: !ignoreCase,
      // an unanchored pattern is checked as the search runs it (a lazy any-prefix), which is what downgrading does
      downgradePattern: true,
    });
    return r.safe;
  } catch {
    return false; // a pattern the checker cannot read is not proven
  }
}

/**
 * `(?<name>…)` → `(…)`: names change nothing in how a pattern backtracks, and the checker's parser rejects
 * them outside unicode mode. Null when the pattern refers to a group by name (`\k<…>`), which a rename breaks.
 */
function unnameGroups(source: string): string | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      if (!inClass && source[i + 1] === 'k') return null;
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (
      c === '(' &&
      source.startsWith('?<', i + 1) &&
      source[i + 3] !== '=' &&
      source[i + 3] !== '!'
    ) {
      const close = source.indexOf('>', i + 3);
      if (close < 0) return null;
      out += '(';
      i = close;
      continue;
    }
    out += c;
  }
  return out;
}

function refusal(what: string): string {
  return `could backtrack for a very long time on some lines (the safety check cannot prove otherwise), and it uses ${what}, which the linear-time engine cannot run: rewrite it without (nested repeats such as (a+)+ are fine then)`;
}

/** What in a pattern RE2 cannot run, in words, or null. */
function unsupported(source: string): string | null {
  if (/\\[1-9]|\\k</.test(source)) return 'a backreference (\\1, \\k<name>)';
  if (/\(\?[=!]/.test(source)) return 'a lookahead ((?=…) or (?!…))';
  return null;
}
