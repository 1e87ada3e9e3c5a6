/**
 * The text-search fast path's byte test: does a line hold one of the words, ASCII case-insensitively? Run on
 * the line's bytes before its record is decoded or matched, so records without the word cost no string work.
 *
 * Each word is found through its rarest byte (both cases of a letter), located with TypedArray.indexOf
 * (native, no per-byte JS loop); the next occurrence found past a line is kept for the lines after it, so a
 * buffer is scanned once whatever its number of lines.
 */

/** Rough rank of a byte's frequency in log text: the rarest byte of a word anchors its search. */
const COMMON = ' etaoinsrhldcumfpgwybvkxjqz';
function frequency(c: number): number {
  if (c >= 48 && c <= 57) return 40; // digits are everywhere in logs
  const k = COMMON.indexOf(String.fromCharCode(c));
  if (k >= 0) return 100 - k * 3;
  return c === 46 || c === 58 || c === 45 || c === 61 || c === 47 ? 50 : 5; // . : - = /
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

class Word {
  readonly bytes: Uint8Array;
  /** index of the anchor byte in the word, and the anchor in each case (one entry when not a letter) */
  readonly anchor: number;
  readonly variants: number[];
  /** per variant: next position of it in the current buffer (≥ the current line's start), -1 none, -2 unknown */
  readonly next: number[];

  constructor(word: string) {
    this.bytes = Uint8Array.from(word.toLowerCase(), (ch) => ch.charCodeAt(0));
    let best = 0;
    for (let i = 1; i < this.bytes.length; i++)
      if (frequency(this.bytes[i]!) < frequency(this.bytes[best]!)) best = i;
    this.anchor = best;
    const a = this.bytes[best]!;
    this.variants = a >= 97 && a <= 122 ? [a, a - 32] : [a];
    this.next = this.variants.map(() => -2);
  }

  reset(): void {
    this.next.fill(-2);
  }

  /** Whether bytes [start, end) of buf hold the word (lines come in order within a buffer). */
  in(buf: Uint8Array, start: number, end: number): boolean {
    const w = this.bytes;
    const n = w.length;
    for (let v = 0; v < this.variants.length; v++) {
      let p = this.next[v]!;
      if (p === -2 || (p >= 0 && p < start)) p = buf.indexOf(this.variants[v]!, start + this.anchor);
      while (p >= 0 && p < end) {
        const s = p - this.anchor;
        if (s >= start && s + n <= end) {
          let i = 0;
          while (i < n && lower(buf[s + i]!) === w[i]) i++;
          if (i === n) {
            this.next[v] = p;
            return true;
          }
        }
        p = buf.indexOf(this.variants[v]!, p + 1);
      }
      this.next[v] = p;
    }
    return false;
  }
}

/** Whether a line holds any of the words; only for ASCII words (see textSearchWords). */
export class NeedleScan {
  private readonly words: Word[];
  private buf: Uint8Array | null = null;
  private last = 0;

  constructor(words: readonly string[]) {
    this.words = words.map((w) => new Word(w));
  }

  has(buf: Uint8Array, start: number, end: number): boolean {
    // a new buffer, or the same one refilled (a BYOB read, the splitter's carry for a line across chunks: lines
    // of one fill have increasing starts): positions found before are stale
    if (buf !== this.buf || start <= this.last) {
      this.buf = buf;
      for (const w of this.words) w.reset();
    }
    this.last = start;
    for (const w of this.words) if (w.in(buf, start, end)) return true;
    return false;
  }
}

/** The words usable on bytes: all printable ASCII (a non-ASCII word would need Unicode case folding). */
export function textSearchWords(words: readonly string[] | null): string[] | null {
  if (words === null || words.length === 0) return null;
  for (const w of words) if (w === '' || !/^[\x20-\x7e]+$/.test(w)) return null;
  return [...words];
}
