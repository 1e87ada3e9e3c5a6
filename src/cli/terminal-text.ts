/**
 * Text from a log, a file name or a config never reaches the terminal raw: an `ESC]0;…BEL` in a line would set
 * the terminal's title, `ESC[2J` clear the screen, a U+202E reverse what follows. Everything the command line
 * prints goes through `print`/`warn`, which accept only `Safe` text: text made by the `safe` tag (whose
 * interpolated values are escaped) or by `escapeText`.
 */

declare const brand: unique symbol;
/** Text fit for a terminal: our own words, with every value from outside escaped. */
export type Safe = string & { readonly [brand]: true };

// C0 controls, DEL, C1 controls, and the bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// the same less C0, which JSON.stringify escapes in strings (and whose line breaks lay out the JSON)
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Writes each unsafe character as a JavaScript string literal would: `\x1b` for ESC, `\x0a` for a line feed,
 * `\u202e` for RIGHT-TO-LEFT OVERRIDE. A tab becomes a space. Everything else is kept as it is.
 */
export function escapeText(s: string): Safe {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s as Safe;
  return s.replace(UNSAFE, (c) => {
    if (c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  }) as Safe;
}

/** A template tag: the literal parts are ours and kept; every interpolated value is escaped. */
export function safe(parts: TemplateStringsArray, ...values: unknown[]): Safe {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out += escapeText(String(values[i])) + parts[i + 1]!;
  return out as Safe;
}

/** A copy of a value (a report) with every string in it escaped, for text built from all of its fields. */
export function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    // fromEntries defines a key named __proto__ as an own field, as JSON.parse does
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)])) as T;
  }
  return value;
}

/**
 * JSON text whose strings hold no raw control or bidi character: JSON.stringify escapes C0 controls, and the
 * rest (DEL, C1, bidi) are written as `\u` escapes too. JSON.parse reads back exactly the same values.
 */
export function jsonText(value: unknown): Safe {
  return JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  ) as Safe;
}

/** Standard output: the summary, the report with `--out -`, the usage. */
export function print(text: Safe): void {
  process.stdout.write(text + '\n');
}

/** Standard error: errors, notes on the files, what was written. */
export function warn(text: Safe): void {
  process.stderr.write(text + '\n');
}

/** Standard error without a line break: the progress line, rewritten in place with `\r`. */
export function status(text: Safe): void {
  process.stderr.write(text);
}
