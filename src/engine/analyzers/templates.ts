import type { LogRecord } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';
import { BUCKET_LADDER } from './timeline.ts';
import { ShapeTable } from './shape-table.ts';

/**
 * Message templates, mined as Drain does (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth
 * Tree", ICWS 2017; logpai/Drain3), after masking the obviously variable parts of each message.
 *
 * Masking (maskMessage): the message is split on whitespace (ASCII space, tab and the other control
 * characters ≤ U+0020); runs of whitespace become one space. Per token, wrapping punctuation is set aside
 * (leading `( [ { " ' < # $` and a backtick, trailing `) ] } " ' > , ; : . ! ? %` and a backtick) and the
 * core is replaced by `<*>` when it is
 * - a path: starts with `/` (and has more), `./`, `../`, `~/`, `X:\`, `X:/` or `\\`, contains `://`, or has
 *   two or more `/` or `\`;
 * - `key=value` with a value that holds a digit or is a path: the value alone is masked (`ttl=<*>`), a value
 *   without digits is kept (`template=order_confirmation`);
 * - number-like: `[+-]?` digits (or `.digits`) in groups joined by `. : / - _ , + T` or an exponent — so ints,
 *   floats, signed numbers, versions, IPv4 with a port or a /prefix, ratios, dates, times, ISO timestamps —
 *   optionally ending in a unit: durations `ns us µs μs ms s sec secs m min mins h hr hrs d`, chained
 *   (`2m30s`), sizes `b B kb kB KB KiB mb MB MiB gb GB GiB tb TB TiB k K M G`, or `Z`;
 * - hex: `0x…`, or ≥ 8 hex digits that hold a digit and do not mix letter cases; a UUID (8-4-4-4-12 hex);
 * - IPv6: hex digits, `:` and `.` only with ≥ 2 colons and a digit (`[v6]:port` as a whole);
 * - `key:value` with a key of letters/digits/`_.-` (with a letter) and a value that holds a digit: the value
 *   alone is masked (`Pool.java:<*>`);
 * - a quoted word: the token starts with `"` or `'` and its core is followed by the same quote (`'Active'`);
 * - `key="…` or `key='…` whose quote does not close in the token: the value runs to the closing quote, up to
 *   SPAN_MAX code units on, spaces and all, as one `<*>` (`tag="View Lock",` → `tag="<*>",`); no closing quote:
 *   nothing changes;
 * - a key's boolean value (`true` or `false`, any case; maskFlag): `key=true`, or a token after one that ends
 *   with `=` (`allDrawn= false,`, `b = TRUE`); a boolean that is no key's value stays a word.
 * Every masked part becomes the same `<*>`: kinds are not kept, so the template text shows `<*>` for every
 * variable part, whether masking or Drain found it. A literal `<*>` in a message reads as a variable.
 *
 * The tree (Drain3's layout): root → token count → the first min(depth − 2, n − 1) tokens → a leaf list of
 * clusters. A token holding a digit or a `<*>` follows the `<*>` child; a node holds at most `maxChildren`
 * children, and past that, new tokens follow the `<*>` child. The search takes the token's own child, else
 * the `<*>` one. In the leaf, similarity = equal positions / n, where a template `<*>` equals a masked `<*>`
 * in the message but not a literal word (Drain3 with include_params off, its masked tokens being equal to
 * themselves); the best cluster with similarity ≥ `similarity` wins (ties: more `<*>`, then the older
 * cluster) among those the message is compatible with (see compatible(): no plain word differs, and the join
 * makes no more positions `<*>` than it keeps constants); its template then gets `<*>` wherever the two differ. Nothing matches → a new cluster. A leaf
 * with many clusters is searched through a per-position token index, with the same result as the scan.
 *
 * Bounds: at most `maxTemplates` clusters; past that, messages that match no cluster are counted under one
 * overflow template, id 0, text `<overflow>` (it is listed, and counted in `total`, once it has records). The
 * shape cache (masked message → cluster id) holds at most 100,000 shapes and 8 M chars (≈ 16 MB), and is
 * cleared when full. A cluster costs its tokens (twice in a big leaf: the index) plus a 48-slot Float64Array.
 * Sparklines use BUCKET_LADDER, continued by coarser rungs only for ranges beyond ~48 years.
 *
 * The cache makes the first decision for a masked shape stick: a shape seen again goes to the same cluster
 * (Drain would search again and might pick a cluster that has since become a better fit). Template ids are
 * local to a miner: they start at 1 and never change for the life of a cluster, but the same template can
 * have different ids in two miners, and the ids a merge hands out depend on the order of merges.
 */

export interface TemplateParams {
  /** a message joins the most similar cluster when the fraction of equal tokens is ≥ this (0..1) */
  similarity: number;
  /**
   * tree depth, the token-count level and the leaf included: the first depth − 2 tokens index the tree.
   * Drain3 also counts the root, so its default depth 4 is depth 3 here: one token of prefix.
   */
  depth: number;
  /** children per tree node, the `<*>` child included */
  maxChildren: number;
  /** clusters kept; past that, unmatched messages go to the overflow template (id 0) */
  maxTemplates: number;
}

export const DEFAULT_TEMPLATE_PARAMS: TemplateParams = {
  similarity: 0.4,
  depth: 3,
  maxChildren: 100,
  maxTemplates: 5000,
};

export interface TemplateInfo {
  /** 1… for mined templates, 0 for the overflow */
  id: number;
  template: string;
  count: number;
  /** records at an error level */
  errors: number;
  /** earliest and latest record time (ms), null when no record had a time */
  firstSeen: number | null;
  lastSeen: number | null;
  /** counts over time, at most 48 buckets, oldest first */
  sparkline: number[];
  /** start of the first sparkline bucket (ms), null when no record had a time */
  sparkStart: number | null;
  sparkBucketMs: number;
  /** where the template's first record is: read it with the engine's linesAround() */
  example: { file: string; fileIndex: number; offset: number; length: number } | null;
}

export interface TemplatesSnapshot {
  templates: TemplateInfo[];
  /** distinct templates (the list may be cut), the overflow template included once it has records */
  total: number;
  /** records counted under the overflow template */
  overflow: number;
  /** errors among them */
  overflowErrors: number;
  /** the cap on templates (config templates.maxTemplates) */
  max: number;
  /** records went to the overflow for the cap: each of them is in no mined template */
  capped: boolean;
}

/** The variable-part marker, in masked messages and in templates. */
export const WILDCARD = '<*>';
export const OVERFLOW_TEMPLATE = '<overflow>';
export const SPARK_BUCKETS = 48;
const CACHE_MAX_ENTRIES = 100_000;
const CACHE_MAX_CHARS = 8_000_000;

const DAY = 24 * 3600_000;
/**
 * BUCKET_LADDER, then coarser rungs (each dividing the next) so that any range of valid Date times fits in
 * SPARK_BUCKETS; they are only reached by ranges longer than ~48 years.
 */
export const LADDER: readonly number[] = [
  ...BUCKET_LADDER,
  3640 * DAY,
  36_400 * DAY,
  364_000 * DAY,
  3_640_000 * DAY,
  36_400_000 * DAY,
];

// ---------------------------------------------------------------------------------------------------------
// Masking

/**
 * Masking reads UTF-16 code units from a scratch array, never from the string: the hot path fills it from the
 * message's bytes (an ASCII line: byte = code unit) and never touches the string; the string path copies the
 * string's code units. One implementation for both, so both mask alike.
 */
type Chars = Uint16Array | Uint8Array;
let scratch = new Uint16Array(1024);

/**
 * Room for n code units and a few after them. Every read past a token's end is bounds-checked (the byte path
 * has no sentinels: the bytes after a line are the next line's), so the zeros loadString writes are a margin only.
 */
function room(n: number): Uint16Array {
  if (scratch.length < n + 4) scratch = new Uint16Array(Math.max(2 * scratch.length, n + 4));
  return scratch;
}

function loadString(s: string): Chars {
  const n = s.length;
  const c = room(n);
  for (let i = 0; i < n; i++) c[i] = s.charCodeAt(i);
  c[n] = c[n + 1] = c[n + 2] = 0;
  return c;
}

const C_DIGIT = 1;
const C_HEX = 2; // a-f A-F (digits are not flagged here)
const C_LEAD = 4;
const C_TRAIL = 8;
const C_KEY = 16; // letters, digits, _ . -
const C_SEP = 32; // joins digit groups in a number-like token
const C_LETTER = 64;
const C_LOWER = 128;

const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = C_DIGIT | C_KEY;
for (let c = 65; c <= 90; c++) CLASS[c] = C_LETTER | C_KEY;
for (let c = 97; c <= 122; c++) CLASS[c] = C_LETTER | C_KEY | C_LOWER;
for (let c = 65; c <= 70; c++) CLASS[c]! |= C_HEX;
for (let c = 97; c <= 102; c++) CLASS[c]! |= C_HEX;
for (const ch of '([{"\'<#$`') CLASS[ch.charCodeAt(0)]! |= C_LEAD;
for (const ch of ')]}"\'>,;:.!?%`') CLASS[ch.charCodeAt(0)]! |= C_TRAIL;
for (const ch of '_.-') CLASS[ch.charCodeAt(0)]! |= C_KEY;
for (const ch of '.:/-_,+T') CLASS[ch.charCodeAt(0)]! |= C_SEP;

const UNIT_DURATION = 1;
const UNIT_OTHER = 2;
/** Units packed 11 bits a char (µ U+00B5 and μ U+03BC fit), up to 4 chars. */
const UNITS = new Map<number, number>();
for (const u of 'ns us µs μs ms s sec secs m min mins h hr hrs d'.split(' '))
  UNITS.set(packUnit(charsOf(u), 0, u.length), UNIT_DURATION);
for (const u of 'b B kb kB KB KiB mb MB MiB gb GB GiB tb TB TiB k K M G Z'.split(' '))
  UNITS.set(packUnit(charsOf(u), 0, u.length), UNIT_OTHER);

function charsOf(u: string): Chars {
  return Uint16Array.from(u, (ch) => ch.charCodeAt(0));
}

function packUnit(s: Chars, a: number, b: number): number {
  let k = 0;
  let m = 1;
  for (let i = a; i < b; i++) {
    k += s[i]! * m;
    m *= 2048;
  }
  return k;
}

function cls(c: number): number {
  return c < 128 ? CLASS[c]! : 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexChar(c: number): boolean {
  return c < 128 && (CLASS[c]! & (C_DIGIT | C_HEX)) !== 0;
}
function isUnitChar(c: number): boolean {
  return c < 128 ? (CLASS[c]! & C_LETTER) !== 0 : c === 0xb5 || c === 0x3bc;
}

function hasDigit(s: Chars, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (isDigit(s[i]!)) return true;
  return false;
}

/** Number-like: [+-]? (digits | .digits) then groups joined by separators or an exponent, then a unit. */
function isNumberLike(s: Chars, p: number, q: number): boolean {
  let i = p;
  let c = s[i]!;
  if (c === 43 || c === 45) c = s[++i]!; // + -
  if (c === 46) c = s[++i]!; // .5
  if (i >= q || !isDigit(c)) return false;
  for (;;) {
    while (i < q && isDigit(s[i]!)) i++;
    if (i === q) return true;
    c = s[i]!;
    const next = i + 1 < q ? s[i + 1]! : 0;
    if ((cls(c) & C_SEP) !== 0 && isDigit(next)) {
      i++;
      continue;
    }
    if (c === 101 || c === 69) {
      // e E: an exponent
      if (isDigit(next)) {
        i++;
        continue;
      }
      if ((next === 43 || next === 45) && i + 2 < q && isDigit(s[i + 2]!)) {
        i += 2;
        continue;
      }
    }
    let j = i;
    while (j < q && j - i <= 4 && isUnitChar(s[j]!)) j++;
    if (j === i || j - i > 4) return false;
    const unit = UNITS.get(packUnit(s, i, j));
    if (unit === undefined) return false;
    if (j === q) return true;
    if (unit === UNIT_DURATION && isDigit(s[j]!)) {
      i = j;
      continue;
    }
    return false;
  }
}

/** 0x…, a UUID, or ≥ 8 hex digits with a digit and without mixed letter cases. */
function isHexLike(s: Chars, p: number, q: number): boolean {
  const n = q - p;
  const c0 = s[p]!;
  if (c0 === 48 && n >= 3 && (s[p + 1]! | 32) === 120) {
    for (let i = p + 2; i < q; i++) if (!isHexChar(s[i]!)) return false;
    return true;
  }
  if (n === 36) {
    for (let i = 0; i < 36; i++) {
      const c = s[p + i]!;
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (c !== 45) return false;
      } else if (!isHexChar(c)) return false;
    }
    return true;
  }
  if (n < 8) return false;
  let digits = 0;
  let lower = 0;
  let upper = 0;
  for (let i = p; i < q; i++) {
    const c = s[i]!;
    if (isDigit(c)) digits++;
    else if (!isHexChar(c)) return false;
    else if (c >= 97) lower++;
    else upper++;
  }
  return digits > 0 && (lower === 0 || upper === 0);
}

/** Hex digits, ':' and '.' only, with ≥ 2 colons and a digit. */
function isIpv6(s: Chars, p: number, q: number): boolean {
  let colons = 0;
  let digits = 0;
  for (let i = p; i < q; i++) {
    const c = s[i]!;
    if (c === 58) colons++;
    else if (isDigit(c)) digits++;
    else if (c !== 46 && !isHexChar(c)) return false;
  }
  return colons >= 2 && digits > 0;
}

function isPathStart(s: Chars, p: number, q: number): boolean {
  const n = q - p;
  const c0 = s[p]!;
  const c1 = n > 1 ? s[p + 1]! : 0;
  if (c0 === 47) return n >= 2; // /x
  if (c0 === 46) {
    // ./ ../
    if (c1 === 47) return n > 2;
    return c1 === 46 && n > 3 && s[p + 2]! === 47;
  }
  if (c0 === 126) return c1 === 47 && n > 2; // ~/
  if (c0 === 92) return c1 === 92 && n > 2; // \\server
  if (c1 === 58 && n > 3 && (cls(c0) & C_LETTER) !== 0) {
    const c2 = s[p + 2]!;
    return c2 === 92 || c2 === 47; // C:\ C:/
  }
  for (let i = p; i + 2 < q; i++) {
    if (s[i]! === 58 && s[i + 1]! === 47 && s[i + 2]! === 47) return i > p;
  }
  return false;
}

function slashes(s: Chars, p: number, q: number): number {
  let k = 0;
  for (let i = p; i < q; i++) {
    const c = s[i]!;
    if (c === 47 || c === 92) k++;
  }
  return k;
}

function isPath(s: Chars, p: number, q: number): boolean {
  return isPathStart(s, p, q) || slashes(s, p, q) >= 2;
}

const F_DIGIT = 1;
const F_SLASH = 2;
/** the token holds a `=` (maskToken looks for key=value only then) */
const F_EQ = 4;
const F_SPACE = 8;
/** the token holds a quote, `"` or `'` (a quoted word, or `key="…` whose value may run over spaces) */
const F_QUOTE = 16;
/** What an ASCII code unit tells the shape hash's token loop: whitespace, or which flag it sets. */
const TOKEN = new Uint8Array(128);
TOKEN.fill(F_SPACE, 0, 33);
TOKEN.fill(F_DIGIT, 48, 58);
TOKEN[47] = TOKEN[92] = F_SLASH;
TOKEN[61] = F_EQ;
TOKEN[34] = TOKEN[39] = F_QUOTE;
/** End of the masked range when maskToken found one (a module variable: no allocation per token). */
let maskEnd = 0;
/**
 * A masked quoted value ran past the token (`tag="View Lock",`): the end of the token its closing quote is in,
 * where the caller goes on; −1 otherwise. maskLimit is where the text ends (set by the caller).
 */
let spanEnd = -1;
let maskLimit = 0;
/** How far a quoted value after `key=` is looked at for its closing quote (code units). */
const SPAN_MAX = 200;
/** maskToken masked a whole number-like token (no trailing punctuation): a size unit after it is part of it */
let maskNumber = false;
/** …and it was a bound, `<N` (its `<` is masked with it): a unit word after it is dropped (`<1 sec` → `<*>`) */
let maskBound = false;

/** A token without digits that is a unit word (UNITS), without punctuation around it. */
function isUnitWord(s: Chars, a: number, b: number): boolean {
  if (b - a > 4) return false;
  for (let i = a; i < b; i++) if (!isUnitChar(s[i]!)) return false;
  return UNITS.has(packUnit(s, a, b));
}

/** Size units that follow a number as a word of their own (`12.5 MB`): masked with it, as units vary with it. */
const SIZE_UNITS = new Set<number>();
for (const u of 'B KB kB MB GB TB PB KiB MiB GiB TiB'.split(' '))
  SIZE_UNITS.add(packUnit(charsOf(u), 0, u.length));

/**
 * For a token without digits, quotes or slashes: the start of its value when it is a key's value that is a
 * boolean, `true` or `false` in any case — `ready=true`, or the token after one that ends with `=`
 * (`allDrawn= true,`, `startingMoved = false`) — maskEnd set; else −1. A flag's value varies as a number does,
 * but with two values it never reaches the five that make a word position a variable; a boolean that is not a
 * key's value (`evaluated to true`) stays a constant word.
 */
function maskFlag(s: Chars, a: number, b: number, afterEq: boolean): number {
  let p = a;
  let q = b;
  while (p < q && (cls(s[p]!) & C_LEAD) !== 0) p++;
  while (q > p && (cls(s[q - 1]!) & C_TRAIL) !== 0) q--;
  let v = p;
  for (let k = p + 1; k < q; k++) {
    if (s[k]! === 61) {
      v = k + 1;
      break;
    }
  }
  if (v === p && !afterEq) return -1;
  while (v < q && (cls(s[v]!) & C_LEAD) !== 0) v++;
  const n = q - v;
  if (n !== 4 && n !== 5) return -1;
  const c0 = s[v]! | 32;
  if (
    n === 4
      ? c0 !== 116 || (s[v + 1]! | 32) !== 114 || (s[v + 2]! | 32) !== 117 || (s[v + 3]! | 32) !== 101
      : c0 !== 102 ||
        (s[v + 1]! | 32) !== 97 ||
        (s[v + 2]! | 32) !== 108 ||
        (s[v + 3]! | 32) !== 115 ||
        (s[v + 4]! | 32) !== 101
  )
    return -1;
  maskEnd = q;
  return v;
}

/**
 * For a token without digits after a whole number: the start of its core when the core is a size unit (maskEnd
 * set), else −1.
 */
function maskUnit(s: Chars, a: number, b: number): number {
  const p = a;
  let q = b;
  while (q > p && (cls(s[q - 1]!) & C_TRAIL) !== 0) q--;
  if (q - p < 1 || q - p > 3) return -1;
  for (let i = p; i < q; i++) if ((cls(s[i]!) & C_LETTER) === 0) return -1;
  if (!SIZE_UNITS.has(packUnit(s, p, q))) return -1;
  maskEnd = q;
  return p;
}

/**
 * The range of token [a, b) to replace by `<*>`: returns its start and sets maskEnd, or returns −1.
 * `flags` says whether the token holds a digit (F_DIGIT), a slash or backslash (F_SLASH), a `=` (F_EQ).
 */
function maskToken(s: Chars, a: number, b: number, flags: number): number {
  let p = a;
  let q = b;
  while (p < q && (cls(s[p]!) & C_LEAD) !== 0) p++;
  while (q > p && (cls(s[q - 1]!) & C_TRAIL) !== 0) q--;
  maskNumber = false;
  maskBound = false;
  spanEnd = -1;
  if (p >= q) return -1;
  if ((flags & F_QUOTE) !== 0 && p > a && q < b) {
    // a quoted word, 'Active' or "x": a value
    const quote = s[p - 1]!;
    if ((quote === 34 || quote === 39) && s[q]! === quote) {
      maskEnd = q;
      return p;
    }
  }
  if ((flags & F_SLASH) !== 0 && isPathStart(s, p, q)) {
    maskEnd = q;
    return p;
  }
  for (let i = (flags & F_EQ) !== 0 ? p + 1 : q; i < q; i++) {
    if (s[i]! === 61) {
      // key="a value with spaces": the whole quoted value is one variable
      const quote = s[i + 1]!;
      if ((flags & F_QUOTE) !== 0 && (quote === 34 || quote === 39)) {
        let z = i + 2;
        while (z < b && s[z]! !== quote) z++;
        if (z === b) {
          const end = Math.min(maskLimit, b + SPAN_MAX);
          while (z < end && s[z]! !== quote) z++;
          if (z < end) {
            maskEnd = z;
            let e = z + 1;
            while (e < maskLimit && s[e]! > 32) e++;
            spanEnd = e;
            return i + 2;
          }
        }
      }
      // key=value: mask a value that holds a digit or is a path
      let v = i + 1;
      while (v < q && (cls(s[v]!) & C_LEAD) !== 0) v++;
      if (v < q && (hasDigit(s, v, q) || ((flags & F_SLASH) !== 0 && isPath(s, v, q)))) {
        maskEnd = q;
        return v;
      }
      return -1;
    }
  }
  if ((flags & F_DIGIT) === 0) {
    if ((flags & F_SLASH) !== 0 && slashes(s, p, q) >= 2) {
      maskEnd = q;
      return p;
    }
    return -1;
  }
  if (isNumberLike(s, p, q)) {
    maskEnd = q;
    maskNumber = q === b;
    if (maskNumber && p === a + 1 && s[a]! === 60) {
      maskBound = true;
      return a;
    }
    return p;
  }
  if (isHexLike(s, p, q) || isIpv6(s, p, q)) {
    maskEnd = q;
    return p;
  }
  if (p > a && s[p - 1]! === 91) {
    // [v6] with a port: the brackets go with it
    for (let i = p + 1; i < q; i++) {
      if (s[i]! === 93) {
        if (isIpv6(s, p, i) && s[i + 1]! === 58 && i + 2 < q && isNumberLike(s, i + 2, q)) {
          maskEnd = q;
          return p - 1;
        }
        break;
      }
    }
  }
  // key:value with a digit in the value
  let letters = 0;
  for (let i = p; i < q; i++) {
    const c = s[i]!;
    if (c === 58) {
      if (letters > 0 && i + 1 < q && hasDigit(s, i + 1, q)) {
        maskEnd = q;
        return i + 1;
      }
      break;
    }
    const k = cls(c);
    if ((k & C_KEY) === 0) break;
    if ((k & C_LETTER) !== 0) letters++;
  }
  if ((flags & F_SLASH) !== 0 && slashes(s, p, q) >= 2) {
    maskEnd = q;
    return p;
  }
  return -1;
}

/**
 * The message with its variable parts replaced by `<*>` and its whitespace normalized (tokens joined by one
 * space, none at the ends). Returns the message itself when nothing changes.
 */
export function maskMessage(s: string): string {
  const n = s.length;
  const c16 = loadString(s);
  let out = '';
  let flush = 0; // s[flush, …) is still to be copied to `out`
  let tokStart = -1;
  let lastEnd = -1; // end of the previous token
  let flags = 0;
  let number = false; // the previous token was a whole number
  let bound = false; // …a bound (<N)
  let afterEq = false; // the previous token ended with `=`
  maskLimit = n;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? c16[i]! : 32;
    if (c <= 32) {
      if (tokStart < 0) continue;
      let m = -1;
      spanEnd = -1;
      if (flags !== 0) {
        m = maskToken(c16, tokStart, i, flags | F_EQ);
        number = m >= 0 && maskNumber;
        bound = number && maskBound;
      } else if (number) {
        number = false;
        if (bound && isUnitWord(c16, tokStart, i)) {
          // `<1 sec`: one variable, the unit dropped with the space before it (already in `out` when the
          // whitespace there was rewritten)
          if (flush > lastEnd) out = out.slice(0, -1);
          else out += s.slice(flush, lastEnd);
          flush = i;
          tokStart = -1;
          afterEq = false;
          continue;
        }
        m = maskUnit(c16, tokStart, i);
      }
      if (m < 0 && flags === 0) m = maskFlag(c16, tokStart, i, afterEq);
      if (m >= 0) {
        out += s.slice(flush, m) + WILDCARD;
        flush = maskEnd;
        if (spanEnd >= 0) i = spanEnd; // the quoted value ran over spaces: go on after its token
      }
      afterEq = c16[i - 1]! === 61;
      lastEnd = i;
      tokStart = -1;
    } else if (tokStart < 0) {
      // a token starts: the whitespace before it must be exactly one space, else it is rewritten
      if (lastEnd < 0) {
        if (i > 0) flush = i;
      } else if (i - lastEnd !== 1 || c16[lastEnd]! !== 32) {
        out += s.slice(flush, lastEnd) + ' ';
        flush = i;
      }
      tokStart = i;
      flags =
        c <= 57
          ? c >= 48
            ? F_DIGIT
            : c === 47
              ? F_SLASH
              : c === 34 || c === 39
                ? F_QUOTE
                : 0
          : c === 92
            ? F_SLASH
            : 0;
    } else if (c <= 57) {
      if (c >= 48) flags |= F_DIGIT;
      else if (c === 47) flags |= F_SLASH;
      else if (c === 34 || c === 39) flags |= F_QUOTE;
    } else if (c === 92) {
      flags |= F_SLASH;
    }
  }
  if (lastEnd < 0) return '';
  if (flush === 0 && lastEnd === n) return s;
  return out + s.slice(flush, lastEnd);
}

/**
 * The hash of maskMessage(s), computed in the same single pass without building the masked string: the hot
 * path of add(). Building the shape (concatenated slices) and hashing it in a Map cost two thirds of the
 * mining time; this feeds the same characters to two 32-bit FNV-style lanes and returns a 53-bit number.
 * Equal shapes always hash equal (the same characters in the same order); a collision between different
 * shapes is ~1e-9 likely over a full cache, and would only put one shape's records under another's template.
 */
export function maskHash(s: string): number {
  return hashChars(loadString(s), 0, s.length);
}

/**
 * maskHash of the text of bytes [start, end), which must be ASCII (a byte is then a code unit): the record
 * builder hashes a message from its line's bytes, so that mining needs no string.
 */
export function maskHashBytes(b: Uint8Array, start: number, end: number): number {
  return hashChars(b, start, end);
}

function hashChars(s: Chars, start: number, n: number): number {
  // One pass: each token's code units are mixed as they are read; a token that turns out masked rewinds the
  // lanes to its start and mixes its masked form instead (masked tokens are few and short).
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  let i = start;
  let first = true;
  let number = false; // the previous token was a whole number
  let bound = false; // …a bound (<N)
  let afterEq = false; // the previous token ended with `=`
  maskLimit = n;
  for (;;) {
    while (i < n && s[i]! <= 32) i++;
    if (i >= n) break;
    const p1 = h1;
    const p2 = h2;
    // tokens are joined by one space, whatever whitespace was between them
    if (!first) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    first = false;
    const t1 = h1;
    const t2 = h2;
    const tokStart = i;
    let flags = 0;
    let flagged = 0; // code units that set a flag
    for (; i < n; i++) {
      const c = s[i]!;
      if (c < 128) {
        const f = TOKEN[c]!;
        if (f !== 0) {
          if (f === F_SPACE) break;
          flags |= f;
          flagged++;
        }
      }
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    let m = -1;
    spanEnd = -1;
    if ((flags & (F_DIGIT | F_SLASH | F_QUOTE)) !== 0) {
      if (flags === F_DIGIT && flagged === i - tokStart) {
        // digits only (an id, a count): number-like as a whole, as maskToken finds, without the call
        m = tokStart;
        maskEnd = i;
        maskBound = false;
        number = true;
      } else {
        m = maskToken(s, tokStart, i, flags);
        number = m >= 0 && maskNumber;
      }
      bound = number && maskBound;
    } else if (number) {
      number = false;
      if (bound && isUnitWord(s, tokStart, i)) {
        // dropped, with the space before it (see maskMessage)
        h1 = p1;
        h2 = p2;
        afterEq = false;
        continue;
      }
      m = maskUnit(s, tokStart, i);
    }
    if (m < 0 && (flags & (F_DIGIT | F_SLASH | F_QUOTE)) === 0 && (afterEq || (flags & F_EQ) !== 0))
      m = maskFlag(s, tokStart, i, afterEq);
    if (m >= 0) {
      if (spanEnd >= 0) i = spanEnd; // a quoted value over spaces (see maskMessage)
      H1 = t1;
      H2 = t2;
      mixRange(s, tokStart, m);
      mix(60); // "<*>"
      mix(42);
      mix(62);
      mixRange(s, maskEnd, i);
      h1 = H1;
      h2 = H2;
    }
    afterEq = s[i - 1]! === 61;
  }
  H1 = h1;
  H2 = h2;
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

// the two hash lanes of maskHash (module state: no closure, no allocation per message)
let H1 = 0;
let H2 = 0;

function mix(c: number): void {
  H1 = Math.imul(H1 ^ c, 0x01000193);
  H2 = Math.imul(H2 ^ c, 0x5bd1e995);
  H2 ^= H2 >>> 15;
}

function mixRange(s: Chars, a: number, b: number): void {
  let h1 = H1;
  let h2 = H2;
  for (let k = a; k < b; k++) {
    const c = s[k]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  H1 = h1;
  H2 = h2;
}

// ---------------------------------------------------------------------------------------------------------
// Clusters and the tree

/**
 * A plain word: letters only, between optional punctuation ("failed", "Started:"). Two different plain words
 * are different constants: Drain would turn them into <*> past the similarity threshold, but a template must
 * keep its constant words ("login succeeded" and "login failed" are two templates). Names with a dash, dot,
 * underscore or digit (api-gateway, com.shop.Orders, user_42) can still become <*>.
 */
function isPlainWord(token: string): boolean {
  if (token.includes(WILDCARD)) return false; // a masked variable is never a constant
  let a = 0;
  let b = token.length;
  while (a < b && !isAlnum(token.charCodeAt(a))) a++;
  while (b > a && !isAlnum(token.charCodeAt(b - 1))) b--;
  if (a === b) return true;
  for (let i = a; i < b; i++) {
    const c = token.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
    if (!letter) return false;
  }
  return true;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * A message may join a template when every position that differs is already <*> or holds no plain word, and
 * the join keeps at least as many of the template's constants (equal tokens without a <*>) as it turns into
 * <*>: a short message is otherwise over-merged at a similarity of 0.4 (`ARPT: <*>: A::syncPowerState: W[x]`
 * and `ARPT: <*>: A::platformWoWEnable: W[y]` share half their tokens, but one of the two is a masked variable).
 */
function compatible(template: readonly string[], tokens: readonly string[]): boolean {
  let kept = 0;
  let made = 0;
  for (let i = 0; i < template.length; i++) {
    const a = template[i]!;
    const b = tokens[i]!;
    if (a === WILDCARD) continue;
    if (a === b) {
      if (!a.includes(WILDCARD)) kept++;
      continue;
    }
    if (isPlainWord(a) || isPlainWord(b)) return false;
    made++;
  }
  return made <= kept;
}

function hasVariable(token: string): boolean {
  if (token === WILDCARD) return true;
  for (let i = 0; i < token.length; i++) if (isDigit(token.charCodeAt(i))) return true;
  return token.includes(WILDCARD);
}

function tokensOf(key: string): string[] {
  return key === '' ? [] : key.split(' ');
}

/** Finest rung, from `from` up, on which [first, last] spans at most SPARK_BUCKETS buckets. */
export function fitRung(first: number, last: number, from = 0): number {
  let r = from;
  while (
    r < LADDER.length - 1 &&
    Math.floor(last / LADDER[r]!) - Math.floor(first / LADDER[r]!) >= SPARK_BUCKETS
  )
    r++;
  return r;
}

class Cluster {
  text: string | null = null;
  count = 0;
  errors = 0;
  first = Infinity;
  last = -Infinity;
  /** sparkline: counts per bucket of width LADDER[rung], spark[k] for bucket base + k */
  rung = 0;
  base = 0;
  spark: Float64Array | null = null;
  /** the tree leaf the cluster is in (null for the overflow) */
  leaf: TreeNode | null = null;
  /** the first record of the template, in file order: where to read an example from */
  exFile = -1;
  exName = '';
  exOffset = -1;
  exLength = 0;
  /** search scratch: the search that last counted this cluster, and its equal positions there */
  mark = 0;
  hits = 0;
  /** the cluster this one was merged into (its records are counted there now), else null */
  into: Cluster | null = null;
  /**
   * Per position, the distinct plain words seen there: this template's own word and those of messages that
   * matched it but for plain words in at most a few positions (see TemplateMiner.widen). At most VARIANTS each.
   */
  variants: Map<number, string[]> | null = null;

  constructor(
    readonly id: number,
    public tokens: string[],
  ) {}

  get template(): string {
    if (this.id === 0) return OVERFLOW_TEMPLATE;
    return (this.text ??= this.tokens.join(' '));
  }

  /** Counts a record at time t (the fast path is a record inside the known range). */
  time(t: number): void {
    if (t >= this.first && t <= this.last) {
      this.spark![Math.floor(t / LADDER[this.rung]!) - this.base]!++;
      return;
    }
    if (t > this.last && this.spark !== null) {
      // a later record (the usual case in a log) that still fits the buckets: widen() would change nothing
      // but `last` (base is always floor(first / width), see widen)
      const k = Math.floor(t / LADDER[this.rung]!) - this.base;
      if (k < SPARK_BUCKETS) {
        this.last = t;
        this.spark[k]!++;
        return;
      }
    }
    this.widen(t < this.first ? t : this.first, t > this.last ? t : this.last, this.rung);
    this.spark![Math.floor(t / LADDER[this.rung]!) - this.base]!++;
  }

  /** Sets the time range to [first, last] (a superset of the current one) and re-buckets. */
  private widen(first: number, last: number, minRung: number): void {
    const rung = fitRung(first, last, Math.max(minRung, this.rung));
    const width = LADDER[rung]!;
    const base = Math.floor(first / width);
    const old = this.spark;
    if (old === null) {
      this.spark = new Float64Array(SPARK_BUCKETS);
    } else if (rung !== this.rung || base !== this.base) {
      const oldWidth = LADDER[this.rung]!;
      const spark = new Float64Array(SPARK_BUCKETS);
      for (let k = 0; k < SPARK_BUCKETS; k++) {
        const v = old[k]!;
        if (v !== 0) spark[Math.floor(((this.base + k) * oldWidth) / width) - base]! += v;
      }
      this.spark = spark;
    }
    this.rung = rung;
    this.base = base;
    this.first = first;
    this.last = last;
  }

  /** Adds another cluster's counts, errors, time range and sparkline. */
  absorb(o: Cluster): void {
    this.count += o.count;
    this.errors += o.errors;
    // the example stays the earliest record in file order, whichever part saw it
    if (
      o.exOffset >= 0 &&
      (this.exOffset < 0 ||
        o.exFile < this.exFile ||
        (o.exFile === this.exFile && o.exOffset < this.exOffset))
    ) {
      this.exFile = o.exFile;
      this.exName = o.exName;
      this.exOffset = o.exOffset;
      this.exLength = o.exLength;
    }
    const os = o.spark;
    if (os === null) return;
    const first = o.first < this.first ? o.first : this.first;
    const last = o.last > this.last ? o.last : this.last;
    if (first !== this.first || last !== this.last || this.spark === null) this.widen(first, last, o.rung);
    const width = LADDER[this.rung]!;
    const oWidth = LADDER[o.rung]!;
    const spark = this.spark!;
    for (let k = 0; k < SPARK_BUCKETS; k++) {
      const v = os[k]!;
      if (v !== 0) spark[Math.floor(((o.base + k) * oWidth) / width) - this.base]! += v;
    }
  }

  /** Puts `<*>` wherever the template and the tokens differ (and keeps the leaf's index up to date). */
  generalize(tokens: readonly string[]): boolean {
    const t = this.tokens;
    let changed = false;
    for (let i = 0; i < t.length; i++) {
      const was = t[i]!;
      if (was !== tokens[i] && was !== WILDCARD) {
        this.wildcard(i);
        changed = true;
      }
    }
    return changed;
  }

  /** Makes position i a variable (and keeps the leaf's index up to date). */
  wildcard(i: number): void {
    const t = this.tokens;
    const was = t[i]!;
    const index = this.leaf?.index ?? null;
    if (index !== null) {
      indexRemove(index[i]!, was, this);
      indexAdd(index[i]!, WILDCARD, this);
    }
    t[i] = WILDCARD;
    this.text = null;
  }

  info(): TemplateInfo {
    const timed = this.spark !== null;
    const width = LADDER[this.rung]!;
    const n = timed ? Math.floor(this.last / width) - this.base + 1 : 0;
    return {
      id: this.id,
      template: this.template,
      count: this.count,
      errors: this.errors,
      firstSeen: timed ? this.first : null,
      lastSeen: timed ? this.last : null,
      sparkline: timed ? Array.from(this.spark!.subarray(0, n)) : [],
      sparkStart: timed ? this.base * width : null,
      sparkBucketMs: width,
      example:
        this.exOffset < 0
          ? null
          : { file: this.exName, fileIndex: this.exFile, offset: this.exOffset, length: this.exLength },
    };
  }
}

/** Distinct plain words at a position that make it a variable (see TemplateMiner.widen). */
const VARIANTS = 5;

/** The cluster c's records are counted in now. */
function live(c: Cluster): Cluster {
  while (c.into !== null) c = c.into;
  return c;
}

/** A leaf with this many clusters gets an index. */
const INDEX_FROM = 24;

class TreeNode {
  readonly children = new Map<string, TreeNode>();
  /** in id order */
  readonly clusters: Cluster[] = [];
  /**
   * For a big leaf: per position, template token → the clusters with that token there. A search then counts
   * equal positions from the message's tokens' lists instead of comparing every cluster (a leaf full of
   * distinct free-text messages would otherwise cost O(clusters) per new message).
   */
  index: Map<string, Cluster[]>[] | null = null;

  remove(c: Cluster): void {
    this.clusters.splice(this.clusters.indexOf(c), 1);
    c.leaf = null;
    if (this.index !== null)
      for (let i = 0; i < c.tokens.length; i++) indexRemove(this.index[i]!, c.tokens[i]!, c);
  }

  add(c: Cluster): void {
    this.clusters.push(c);
    c.leaf = this;
    if (this.index !== null) {
      for (let i = 0; i < c.tokens.length; i++) indexAdd(this.index[i]!, c.tokens[i]!, c);
    } else if (this.clusters.length >= INDEX_FROM) {
      const index = Array.from({ length: c.tokens.length }, () => new Map<string, Cluster[]>());
      for (const d of this.clusters)
        for (let i = 0; i < d.tokens.length; i++) indexAdd(index[i]!, d.tokens[i]!, d);
      this.index = index;
    }
  }
}

function indexRemove(map: Map<string, Cluster[]>, token: string, c: Cluster): void {
  const list = map.get(token)!;
  list.splice(list.indexOf(c), 1);
  if (list.length === 0) map.delete(token);
}

function indexAdd(map: Map<string, Cluster[]>, token: string, c: Cluster): void {
  const list = map.get(token);
  if (list === undefined) map.set(token, [c]);
  else list.push(c);
}

/**
 * Drain templates over a stream of records, with counts, errors, time range and a sparkline per template.
 * See the module comment for the masking, the tree, the bounds and what ids mean.
 */
export class TemplateMiner implements Analyzer<TemplatesSnapshot> {
  /** clusters by id; 0 is the overflow */
  private readonly clusters: Cluster[] = [new Cluster(0, [])];
  private readonly root = new Map<number, TreeNode>();
  private cache = new Map<string, number>();
  /** maskHash → id: the fast path in front of `cache`, cleared with it */
  private hashed = new ShapeTable();
  private cacheChars = 0;
  private readonly prefix: number;
  /** search scratch (see TreeNode.index) */
  private searches = 0;
  private readonly touched: Cluster[] = [];

  constructor(
    private readonly params: TemplateParams,
    private readonly isError: readonly boolean[],
  ) {
    const { similarity, depth, maxChildren, maxTemplates } = params;
    if (!(similarity >= 0 && similarity <= 1)) throw new RangeError('templates.similarity must be in 0..1');
    if (!Number.isInteger(depth) || depth < 3) throw new RangeError('templates.depth must be an integer ≥ 3');
    if (!Number.isInteger(maxChildren) || maxChildren < 2)
      throw new RangeError('templates.maxChildren must be an integer ≥ 2');
    if (!Number.isInteger(maxTemplates) || maxTemplates < 1)
      throw new RangeError('templates.maxTemplates must be an integer ≥ 1');
    this.prefix = depth - 2;
  }

  /**
   * A miner again from its structured clone (sent from another worker: plain objects without their classes).
   * The clone keeps every field and shared reference (clusters in the tree and in `clusters` are the same
   * objects), so giving each object its class back makes a miner that behaves as the one cloned: `match`
   * gives the same ids (the fast read path of a view in slices: src/engine/ingest/text-view.ts).
   */
  static revive(clone: TemplateMiner): TemplateMiner {
    Object.setPrototypeOf(clone, TemplateMiner.prototype);
    Object.setPrototypeOf(clone.hashed, ShapeTable.prototype);
    for (const c of clone.clusters) Object.setPrototypeOf(c, Cluster.prototype);
    const nodes = [...clone.root.values()];
    for (let n = nodes.pop(); n !== undefined; n = nodes.pop()) {
      Object.setPrototypeOf(n, TreeNode.prototype);
      for (const child of n.children.values()) nodes.push(child);
    }
    return clone;
  }

  push(r: LogRecord, shape = NaN): void {
    this.add(r, shape);
  }

  /**
   * Assigns the record to a template and counts it there; returns the template's id (0: the overflow).
   * `shape`: maskHash(r.message) when the caller has it (hashed from the line's bytes), else NaN.
   */
  add(r: LogRecord, shape = NaN): number {
    const h = shape === shape ? shape : maskHash(r.message);
    let id = this.hashed.get(h);
    if (id < 0) {
      const key = maskMessage(r.message);
      let known = this.cache.get(key);
      if (known === undefined) {
        known = this.assign(key);
        this.remember(key, known);
      }
      id = known;
      this.hashed.set(h, id);
    }
    let c = this.clusters[id]!;
    if (c.into !== null) {
      c = live(c);
      id = c.id;
    }
    if (c.exOffset < 0) {
      c.exFile = r.fileIndex;
      c.exName = r.file;
      c.exOffset = r.offset;
      c.exLength = r.length;
    }
    c.count++;
    if (this.isError[levelIndex(r.level)]) c.errors++;
    if (r.time !== null) c.time(r.time);
    return id;
  }

  /**
   * The id add() would give the message now, changing nothing: its masked shape's id when the shape is
   * known (so it agrees with add() for every message added, while the shape cache holds it), else the best
   * matching template's; 0 when none matches (or the shape went to the overflow).
   */
  match(message: string): number {
    const byHash = this.hashed.get(maskHash(message));
    if (byHash >= 0) return this.resolve(byHash);
    const key = maskMessage(message);
    const id = this.cache.get(key);
    if (id !== undefined) return this.resolve(id);
    return this.search(tokensOf(key))?.id ?? 0;
  }

  /** The id a template has now: an id add() returned may since have been merged into another (see merge). */
  resolve(id: number): number {
    const c = this.clusters[id];
    return c === undefined ? id : live(c).id;
  }

  /** Current template text of an id ('<overflow>' for 0). */
  template(id: number): string {
    const c = this.clusters[id];
    if (c === undefined) throw new RangeError(`no template ${id}`);
    return live(c).template;
  }

  /** Records at an error level of a template id (as it is now). */
  errors(id: number): number {
    const c = this.clusters[id];
    return c === undefined ? 0 : live(c).errors;
  }

  /** Templates with records, by count (descending) then id; at most `limit` of them. */
  snapshot(limit = Infinity): TemplatesSnapshot {
    const live = this.clusters.filter((c) => c.count > 0);
    live.sort((a, b) => b.count - a.count || a.id - b.id);
    const listed = limit < live.length ? live.slice(0, Math.max(0, limit)) : live;
    return { ...this.emptySnapshot(), templates: listed.map((c) => c.info()), total: live.length };
  }

  /** The overflow's counts and the cap, without the list (a progress snapshot that shows counts only). */
  emptySnapshot(): TemplatesSnapshot {
    const o = this.clusters[0]!;
    return {
      templates: [],
      total: 0,
      overflow: o.count,
      overflowErrors: o.errors,
      max: this.params.maxTemplates,
      capped: o.count > 0,
    };
  }

  /**
   * Adds another miner's templates, as Drain3 would insert them: each of the other's templates (in id
   * order) is matched against this tree like a message; a match takes its counts (and gets `<*>` where the
   * two differ), else it becomes a new cluster with a fresh id (or goes to the overflow when full). Drain is
   * order-sensitive, and so is this in general; for inputs whose templates are well separated (as in
   * realistic logs), the merged templates and counts equal one pass over the whole. Returns, for each of the
   * other's ids, the id its records went to here.
   */
  merge(other: TemplateMiner): Int32Array {
    if (other === this) throw new Error('cannot merge a template miner into itself');
    const ids = new Int32Array(other.clusters.length);
    this.clusters[0]!.absorb(other.clusters[0]!);
    for (let i = 1; i < other.clusters.length; i++) {
      const o = other.clusters[i]!;
      if (o.into !== null) continue;
      let c = this.search(o.tokens) ?? this.widen(o.tokens, true);
      if (c !== null) this.generalize(c, o.tokens);
      else c = this.create(o.tokens.slice());
      c.absorb(o);
      ids[i] = c.id;
    }
    // a cluster the other merged away: its shapes go where its records went (ids found now: `into` may be newer)
    for (let i = 1; i < other.clusters.length; i++) {
      const o = other.clusters[i]!;
      if (o.into !== null) ids[i] = ids[live(o).id]!;
    }
    for (let i = 1; i < ids.length; i++) ids[i] = this.resolve(ids[i]!);
    for (const [key, id] of other.cache) if (!this.cache.has(key)) this.remember(key, ids[id]!);
    return ids;
  }

  private remember(key: string, id: number): void {
    if (this.cache.size >= CACHE_MAX_ENTRIES || this.cacheChars + key.length > CACHE_MAX_CHARS) {
      this.cache = new Map();
      this.hashed = new ShapeTable();
      this.cacheChars = 0;
    }
    this.cache.set(key, id);
    this.cacheChars += key.length;
  }

  /** The cluster a new masked shape goes to, made if needed. */
  private assign(key: string): number {
    const tokens = tokensOf(key);
    const c = this.search(tokens) ?? this.widen(tokens, false);
    if (c !== null) {
      this.generalize(c, tokens);
      return c.id;
    }
    return this.create(tokens).id;
  }

  /** c.generalize(tokens); when a position became a variable, the clusters c now covers are merged into it. */
  private generalize(c: Cluster, tokens: readonly string[]): void {
    if (c.generalize(tokens)) this.absorbCovered(c);
  }

  /**
   * Drain keeps two templates apart when they differ in a plain word ("login succeeded", "login failed"), but
   * a position where many different plain words come (user names, states: "Invalid user admin", "Invalid
   * user oracle", …) is a variable. For a message no cluster takes, the nearest cluster of its leaf that
   * differs from it in plain words at ≤ max(1, n/3) positions, and is otherwise as similar as a match must be,
   * notes the message's words there; a position that has seen VARIANTS distinct words becomes `<*>` (at once
   * when `merging` and the message has `<*>` there: another miner already found it variable). Returns the
   * cluster when it now takes the message, else null (the message makes a new cluster).
   */
  private widen(tokens: readonly string[], merging: boolean): Cluster | null {
    const n = tokens.length;
    const node = this.leafOf(tokens);
    if (node === null || n === 0) return null;
    const maxDiff = Math.max(1, Math.floor(n / 3));
    const diffs: number[] = [];
    let best: Cluster | null = null;
    let bestEqual = -1;
    let bestDiffs: number[] = [];
    for (const c of node.clusters) {
      const t = c.tokens;
      let equal = 0;
      diffs.length = 0;
      for (let i = 0; i < n; i++) {
        const a = t[i]!;
        const b = tokens[i]!;
        if (a === b || a === WILDCARD) equal++;
        else if (isPlainWord(a) || isPlainWord(b)) {
          diffs.push(i);
          if (diffs.length > maxDiff) break;
        }
      }
      if (diffs.length === 0 || diffs.length > maxDiff || equal / n < this.params.similarity) continue;
      if (equal > bestEqual) {
        best = c;
        bestEqual = equal;
        bestDiffs = diffs.slice();
      }
    }
    if (best === null) return null;
    let widened = false;
    const variants = (best.variants ??= new Map());
    for (const i of bestDiffs) {
      const word = tokens[i]!;
      let seen = variants.get(i);
      if (seen === undefined) variants.set(i, (seen = [best.tokens[i]!]));
      if (!seen.includes(word)) seen.push(word);
      if (seen.length >= VARIANTS || (merging && word === WILDCARD)) {
        best.wildcard(i);
        variants.delete(i);
        widened = true;
      }
    }
    if (!widened) return null;
    this.absorbCovered(best);
    return compatible(best.tokens, tokens) ? best : null;
  }

  /**
   * Merges into c every other cluster of its leaf that c's template now covers (`<*>` or the same token at
   * every position) and that a search would put there (equal positions, `<*>` with `<*>`, ≥ similarity).
   */
  private absorbCovered(c: Cluster): void {
    const node = c.leaf;
    if (node === null) return;
    const t = c.tokens;
    const n = t.length;
    const clusters = node.clusters;
    for (let k = clusters.length - 1; k >= 0; k--) {
      const d = clusters[k]!;
      if (d === c) continue;
      let equal = 0;
      let i = 0;
      for (; i < n; i++) {
        const a = t[i]!;
        if (a === d.tokens[i]) equal++;
        else if (a !== WILDCARD) break;
      }
      if (i < n || equal < this.params.similarity * n) continue;
      node.remove(d);
      c.absorb(d);
      d.into = c;
      d.count = 0;
      d.errors = 0;
      d.spark = null;
    }
  }

  /** The leaf a message of these tokens is searched in, or null. */
  private leafOf(tokens: readonly string[]): TreeNode | null {
    let node = this.root.get(tokens.length);
    if (node === undefined) return null;
    const depth = this.prefixOf(tokens.length);
    for (let d = 0; d < depth; d++) {
      const next: TreeNode | undefined = node.children.get(tokens[d]!) ?? node.children.get(WILDCARD);
      if (next === undefined) return null;
      node = next;
    }
    return node;
  }

  /** A new cluster in the tree, or the overflow when maxTemplates are there. */
  private create(tokens: string[]): Cluster {
    if (this.clusters.length > this.params.maxTemplates) return this.clusters[0]!;
    const c = new Cluster(this.clusters.length, tokens);
    this.clusters.push(c);
    this.leafFor(tokens).add(c);
    return c;
  }

  /** Number of tokens that index the tree for a message of n tokens. */
  private prefixOf(n: number): number {
    return n === 0 ? 0 : Math.min(this.prefix, n - 1);
  }

  /** The leaf a new cluster goes to, the path made as needed (Drain3's add_seq_to_prefix_tree). */
  private leafFor(tokens: readonly string[]): TreeNode {
    const n = tokens.length;
    let node = this.root.get(n);
    if (node === undefined) {
      node = new TreeNode();
      this.root.set(n, node);
    }
    const depth = this.prefixOf(n);
    const max = this.params.maxChildren;
    for (let d = 0; d < depth; d++) {
      const token = tokens[d]!;
      const children: Map<string, TreeNode> = node.children;
      let next = children.get(token);
      if (next === undefined) {
        let key = WILDCARD;
        if (!hasVariable(token)) {
          const size = children.size;
          if (children.has(WILDCARD)) {
            if (size < max) key = token;
          } else if (size + 1 < max) {
            key = token;
          }
        }
        next = children.get(key);
        if (next === undefined) {
          next = new TreeNode();
          children.set(key, next);
        }
      }
      node = next;
    }
    return node;
  }

  /** The best cluster for the tokens, or null (Drain3's tree_search and fast_match). */
  private search(tokens: readonly string[]): Cluster | null {
    const n = tokens.length;
    let node = this.root.get(n);
    if (node === undefined) return null;
    const depth = this.prefixOf(n);
    for (let d = 0; d < depth; d++) {
      const next: TreeNode | undefined = node.children.get(tokens[d]!) ?? node.children.get(WILDCARD);
      if (next === undefined) return null;
      node = next;
    }
    const threshold = this.params.similarity;
    let best: Cluster | null = null;
    let bestSim = -1;
    let bestParams = -1;
    const index = node.index;
    if (index !== null && threshold > 0 && n > 0) {
      // Only clusters with an equal position can reach a similarity > 0: count those from the lists.
      const mark = ++this.searches;
      const touched = this.touched;
      touched.length = 0;
      for (let i = 0; i < n; i++) {
        const list = index[i]!.get(tokens[i]!);
        if (list === undefined) continue;
        for (const c of list) {
          if (c.mark !== mark) {
            c.mark = mark;
            c.hits = 0;
            touched.push(c);
          }
          c.hits++;
        }
      }
      for (const c of touched) {
        const sim = c.hits / n;
        if (sim < bestSim || sim < threshold || !compatible(c.tokens, tokens)) continue;
        let params = 0;
        for (const a of c.tokens) if (a === WILDCARD) params++;
        // ties as in the scan below: more wildcards, then the older cluster
        if (sim > bestSim || params > bestParams || (params === bestParams && c.id < best!.id)) {
          best = c;
          bestSim = sim;
          bestParams = params;
        }
      }
      touched.length = 0;
      return best;
    }
    for (const c of node.clusters) {
      const t = c.tokens;
      let equal = 0;
      let params = 0;
      for (let i = 0; i < n; i++) {
        const a = t[i]!;
        if (a === WILDCARD) {
          params++;
          if (tokens[i] === WILDCARD) equal++;
        } else if (a === tokens[i]) {
          equal++;
        }
      }
      const sim = n === 0 ? 1 : equal / n;
      if (sim < threshold || !compatible(t, tokens)) continue;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    return bestSim >= threshold ? best : null;
  }
}
