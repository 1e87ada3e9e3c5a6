import type { LineFormat } from '../formats/types.ts';
import type { FormatShare } from '../types.ts';

/**
 * Mixed files (lines of ISO, JSON, logfmt, syslog and access-log shapes in one file): a line the file's own
 * format does not parse is tried against the other known formats before it may continue the record before it,
 * so a line that some known format parses is never a continuation. Only lines that look like a record's start
 * pay for that (the file's format is still tried first, on bytes): stack frames, indented lines and wrapped text
 * never do.
 */

/**
 * The formats a file's lines fall back to: every format but the file's own and the generic one, most specific
 * first. The generic format (a time somewhere in the first 40 characters and a level word) is left out: it
 * would split a wrapped message that merely quotes a time and a level.
 */
export function alternatesFor(main: LineFormat | null, formats: readonly LineFormat[]): LineFormat[] {
  return formats
    .filter((f) => f !== main && f.id !== 'generic')
    .sort((a, b) => b.specificity - a.specificity);
}

/**
 * Whether a line could start a record of some known format, read from its first bytes: a digit (dates, IPs,
 * epoch seconds, Redis's `1:M`), `{` (JSON), `<` (syslog PRI), `[` (bracketed times, Kafka, Apache, dmesg),
 * a month name and a space (BSD syslog), a klog letter and a digit (`I0507`), or a lower-case key and `=`
 * (logfmt). Anything else (indented lines, stack frames, `Caused by:`, prose) is not tried.
 */
export function looksLikeRecordStart(b: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  const c = b[start]!;
  if ((c >= 48 && c <= 57) || c === 123 || c === 60 || c === 91) return true;
  if (c >= 65 && c <= 90) {
    const d = start + 1 < end ? b[start + 1]! : 0;
    if (d >= 48 && d <= 57) return c === 73 || c === 87 || c === 69 || c === 70; // I W E F (klog)
    return end - start > 4 && b[start + 3] === 32 && MONTHS.has((c << 16) | (d << 8) | b[start + 2]!);
  }
  if (c >= 97 && c <= 122) {
    // logfmt: key=… (a key is letters, digits, _ . - @)
    let i = start + 1;
    while (i < end && i - start < 64) {
      const k = b[i]!;
      if (k === 61) return true;
      const word =
        (k >= 97 && k <= 122) ||
        (k >= 65 && k <= 90) ||
        (k >= 48 && k <= 57) ||
        k === 95 ||
        k === 46 ||
        k === 45;
      if (!word) return false;
      i++;
    }
  }
  return false;
}

const MONTHS = new Set(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
    (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
  ),
);

/** Format shares in their shown order: most records first, ties by id (the same for one pass and merged slices). */
export function sortShares(shares: FormatShare[]): FormatShare[] {
  return shares.sort((a, b) => b.records - a.records || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Slices' (or pieces') format shares summed per format; null when none had any. */
export function mergeShares(parts: readonly (readonly FormatShare[] | undefined)[]): FormatShare[] | null {
  const by = new Map<string, FormatShare>();
  let any = false;
  for (const p of parts) {
    if (p === undefined) continue;
    any = true;
    for (const f of p) {
      const had = by.get(f.id);
      if (had) had.records += f.records;
      else by.set(f.id, { ...f });
    }
  }
  return any ? sortShares([...by.values()]) : null;
}
