import type { Level } from './types.ts';

/**
 * Level words as logs write them, normalized to the six levels. Looked up from bytes through a packed
 * integer key (5 bits a letter), so the hot path makes no string per line.
 */
const WORDS: Record<string, Level> = {
  trace: 'TRACE',
  trc: 'TRACE',
  finest: 'TRACE',
  finer: 'TRACE',
  verbose: 'TRACE',
  debug: 'DEBUG',
  dbg: 'DEBUG',
  dbug: 'DEBUG',
  fine: 'DEBUG',
  config: 'DEBUG',
  info: 'INFO',
  inf: 'INFO',
  information: 'INFO',
  informational: 'INFO',
  notice: 'INFO',
  warn: 'WARN',
  warning: 'WARN',
  wrn: 'WARN',
  error: 'ERROR',
  err: 'ERROR',
  eror: 'ERROR',
  severe: 'ERROR',
  fatal: 'FATAL',
  // RAS logs (Blue Gene/L): INFO WARNING SEVERE ERROR FATAL FAILURE, the last the gravest
  failure: 'FATAL',
  critical: 'FATAL',
  crit: 'FATAL',
  alert: 'FATAL',
  emerg: 'FATAL',
  emergency: 'FATAL',
  panic: 'FATAL',
};

const MAX_WORD = 13;
/** 10 letters x 5 bits stay within a double's 53 exact bits; longer words take the string path */
const MAX_PACKED = 10;
const byKey = new Map<number, Level>();
for (const [word, level] of Object.entries(WORDS))
  if (word.length <= MAX_PACKED) byKey.set(keyOfString(word), level);

const K_INFO = keyOfString('info');
const K_ERROR = keyOfString('error');
const K_WARN = keyOfString('warn');
const K_DEBUG = keyOfString('debug');

function keyOfString(word: string): number {
  let k = 0;
  for (let i = 0; i < word.length; i++) k = k * 32 + (word.charCodeAt(i) - 96);
  return k;
}

/** The level named by bytes [start, end) (any case), or null. */
export function levelFromBytes(b: Uint8Array, start: number, end: number): Level | null {
  const n = end - start;
  if (n < 3 || n > MAX_WORD) return null;
  if (n > MAX_PACKED) return levelFromString(String.fromCharCode(...b.subarray(start, end)));
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]! | 0x20; // ASCII lower case
    if (c < 97 || c > 122) return null;
    k = k * 32 + (c - 96);
  }
  // the usual words by compare: cheaper than a Map lookup per line
  if (k === K_INFO) return 'INFO';
  if (k === K_ERROR) return 'ERROR';
  if (k === K_WARN) return 'WARN';
  if (k === K_DEBUG) return 'DEBUG';
  return byKey.get(k) ?? null;
}

/** The level named by a string (any case, surrounding spaces ignored), or null. */
export function levelFromString(s: string): Level | null {
  const w = s.trim().toLowerCase();
  // own properties only: "constructor" or "__proto__" are not level words
  return Object.hasOwn(WORDS, w) ? WORDS[w]! : null;
}

/** Numeric levels: bunyan/pino (10 trace … 60 fatal). */
export function levelFromNumber(n: number): Level | null {
  if (!Number.isFinite(n)) return null;
  if (n >= 60) return 'FATAL';
  if (n >= 50) return 'ERROR';
  if (n >= 40) return 'WARN';
  if (n >= 30) return 'INFO';
  if (n >= 20) return 'DEBUG';
  if (n >= 10) return 'TRACE';
  return null;
}

/**
 * Syslog severities 0–7 (RFC 5424 §6.2.1), as a PRI's low three bits or journald's PRIORITY carry them:
 * emerg, alert, crit → FATAL; err → ERROR; warning → WARN; notice, info → INFO; debug → DEBUG.
 */
const SYSLOG_SEVERITY: readonly Level[] = [
  'FATAL',
  'FATAL',
  'FATAL',
  'ERROR',
  'WARN',
  'INFO',
  'INFO',
  'DEBUG',
];

/** The level of a syslog severity 0–7 (a number or its digit as text, as journald writes it), or null. */
export function levelFromSyslogSeverity(v: unknown): Level | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-7]$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 7 ? SYSLOG_SEVERITY[n]! : null;
}

/** Single-letter levels (Android, klog/glog, MongoDB): V D I W E F, and A (assert), C (critical), N (notice). */
const LETTERS: Record<string, Level> = {
  V: 'TRACE',
  D: 'DEBUG',
  I: 'INFO',
  N: 'INFO',
  W: 'WARN',
  E: 'ERROR',
  F: 'FATAL',
  A: 'FATAL',
  C: 'FATAL',
};

export function levelFromLetter(s: string): Level | null {
  if (s.length !== 1) return null;
  const u = s.toUpperCase();
  return Object.hasOwn(LETTERS, u) ? LETTERS[u]! : null;
}

/** `s` without its trailing ASCII digits: a loop, because V8 runs `/\d+$/` from every digit (quadratic). */
export function stripTrailingDigits(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) >= 48 && s.charCodeAt(e - 1) <= 57) e--;
  return s.slice(0, e);
}

/** A level from a JSON or logfmt value: a word, a letter, or a number in any of the above schemes. */
export function levelFromValue(v: unknown): Level | null {
  if (typeof v === 'string') {
    const t = v.trim();
    const l = levelFromString(t) ?? levelFromLetter(t) ?? levelFromLetter(stripTrailingDigits(t));
    if (l !== null) return l;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? levelFromNumber(n) : null;
  }
  if (typeof v === 'number') return levelFromNumber(v);
  return null;
}

/**
 * A level word near the start of a message (container logs carry the app's own line): "ERROR …",
 * "[warn] …", "level=error", "\"level\":\"error\"".
 */
export function guessLevel(message: string): Level | null {
  const lv = message.indexOf('level');
  if (lv >= 0 && lv < 200) {
    const m = /level"?\s*[=:]\s*"?([A-Za-z]+)/.exec(message.slice(lv, lv + 40));
    if (m) {
      const l = levelFromString(m[1]!);
      if (l !== null) return l;
    }
  }
  const head = message.slice(0, 120).split(/\s+/, 6);
  for (const raw of head) {
    const bare = raw.replace(/^[[(<]+|[\]):>,]+$/g, '');
    if (bare.length < 3) continue;
    const marked = bare !== raw || bare === bare.toUpperCase();
    if (!marked) continue;
    const l = levelFromString(bare);
    if (l !== null) return l;
  }
  return null;
}
