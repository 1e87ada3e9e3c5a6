/**
 * Is this file a text log? Judged on its first 64 KiB of content — NUL padding at line starts left out (the
 * padding `copytruncate` rotation leaves, which the line splitter skips and counts) — by the share of bytes
 * that are not text:
 *   control bytes: C0 controls other than TAB, LF, VT, FF, CR and ESC (colour codes), and DEL;
 *   bytes that are not part of a valid UTF-8 sequence.
 * Binary: more than BINARY_SHARE of the bytes are not text AND more than CONTROL_MIN_SHARE are control bytes.
 * Executables, images, archives and random bytes have both (random bytes: ~10 % control, ~60 % not text);
 * a text log with a stray NUL has neither; text in a legacy 8-bit encoding (Latin-1, CP1251) has many bytes
 * that are not UTF-8 but no control bytes, and is read (with U+FFFD) as before; a FIX log (SOH between fields,
 * ~15 %) stays text.
 */
import { utf8SequenceLength } from './utf8.ts';

export const TEXT_SCAN_BYTES = 64 * 1024;
export const BINARY_SHARE = 0.3;
export const CONTROL_MIN_SHARE = 0.01;

/** Thrown inside a file's read when it is not text; caught per file. */
export class NotTextError extends Error {}

export interface TextVerdict {
  /** bytes judged (line-start NUL padding left out) */
  judged: number;
  control: number;
  /** bytes that are not part of a valid UTF-8 sequence */
  invalid: number;
  nul: number;
  binary: boolean;
}

/** Counts the kinds of bytes in `s[0, n)` (the sample, padding already left out). */
export function judgeText(s: Uint8Array, n: number): TextVerdict {
  let control = 0;
  let invalid = 0;
  let nul = 0;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (c < 0x80) {
      if (c === 0) nul++;
      if ((c < 32 && (c < 9 || c > 13) && c !== 27) || c === 127) control++;
      i++;
      continue;
    }
    const k = utf8SequenceLength(s, i, n, true);
    if (k === 0) {
      invalid++;
      i++;
    } else {
      i += k;
    }
  }
  const binary = control + invalid > BINARY_SHARE * n && control > CONTROL_MIN_SHARE * n;
  return { judged: n, control, invalid, nul, binary };
}

/**
 * Holds the start of a file until it is judged (TEXT_SCAN_BYTES of content, or the end of the file), then
 * lets it through; throws NotTextError for a binary file, before any of it became a record. Chunks that are
 * nothing but leading padding pass at once: a file may start with gigabytes of NUL bytes.
 */
export class TextGate {
  private readonly sample = new Uint8Array(TEXT_SCAN_BYTES);
  private n = 0;
  private atLineStart = true;
  private held: Uint8Array[] = [];
  /** bytes in `held`: read, not yet passed on */
  heldBytes = 0;
  private first = true;
  private decided = false;

  /** The chunks that may go on now (this one, and those held before it, once the file is judged). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.decided) return [chunk];
    if (this.first && chunk.length > 0) {
      this.first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new NotTextError(UTF16_MESSAGE);
      }
    }
    const s = this.sample;
    let n = this.n;
    let atLineStart = this.atLineStart;
    const len = chunk.length;
    let i = 0;
    for (; i < len && n < TEXT_SCAN_BYTES; i++) {
      const c = chunk[i]!;
      if (c === 0 && atLineStart) continue; // padding: skipped by the splitter, not judged
      atLineStart = c === 10;
      s[n++] = c;
    }
    this.n = n;
    this.atLineStart = atLineStart;
    if (n === 0 && this.held.length === 0) return [chunk]; // leading padding only
    this.heldBytes += len;
    if (n < TEXT_SCAN_BYTES) {
      this.held.push(chunk.slice()); // kept past this call: the reader reuses the chunk's buffer (source.ts)
      return [];
    }
    this.held.push(chunk);
    return this.decide();
  }

  /** At the end of the file: judges what there was (a short file) and lets it through. */
  end(): Uint8Array[] {
    return this.decided ? [] : this.decide();
  }

  private decide(): Uint8Array[] {
    this.decided = true;
    const v = judgeText(this.sample, this.n);
    if (v.binary) {
      // ASCII text in UTF-16 without a byte order mark: NUL on every other byte, the rest printable
      const utf16 = v.nul > 0.3 * v.judged && v.control - v.nul + v.invalid < 0.05 * v.judged;
      throw new NotTextError(utf16 ? UTF16_MESSAGE : binaryMessage(v));
    }
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held;
  }
}

const UTF16_MESSAGE =
  'This file is UTF-16 text; Loglens reads UTF-8 (and ASCII). Convert it first, e.g. `iconv -f UTF-16 -t UTF-8`.';

function binaryMessage(v: TextVerdict): string {
  const pct = Math.round((100 * (v.control + v.invalid)) / v.judged);
  const size = v.judged >= 1024 ? `${Math.round(v.judged / 1024)} KiB` : `${v.judged} bytes`;
  return `This is not a text log: ${pct} % of its first ${size} are control bytes or invalid UTF-8, as in binary files. Nothing was analyzed.`;
}
