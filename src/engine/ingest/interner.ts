import { decodeUtf8 } from './utf8.ts';

/**
 * Turns short repeated byte strings (the ISO format's service names) into shared JS strings without decoding
 * them on every line: FNV-1a over the bytes, then a byte compare against the cached entry.
 */
export class Interner {
  private readonly hashes: Int32Array;
  private readonly keys: (Uint8Array | null)[];
  private readonly values: (string | null)[];
  private readonly mask: number;
  private used = 0;

  constructor(bits = 12) {
    const size = 1 << bits;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.keys = new Array<Uint8Array | null>(size).fill(null);
    this.values = new Array<string | null>(size).fill(null);
  }

  /** end of the word the last wordAt() read */
  wordEnd = 0;

  /**
   * The word at `start` (up to a space, a tab or `limit`), interned; its end goes to `wordEnd`. Finding the end
   * and hashing are one pass.
   */
  wordAt(b: Uint8Array, start: number, limit: number): string {
    let h = 0x811c9dc5 | 0;
    let i = start;
    for (; i < limit; i++) {
      const c = b[i]!;
      if (c === 32 || c === 9) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.wordEnd = i;
    if (i - start > 64) return decodeUtf8(b, start, i);
    return this.find(b, start, i, h);
  }

  private find(b: Uint8Array, start: number, end: number, h: number): string {
    const n = end - start;
    let slot = h & this.mask;
    // Linear probing; a full table (unlikely: thousands of distinct names) falls back to decoding.
    for (let probe = 0; probe < 8; probe++) {
      const key = this.keys[slot];
      if (key === null || key === undefined) {
        if (this.used > this.mask >> 1) return decodeUtf8(b, start, end);
        const copy = b.slice(start, end);
        const value = decodeUtf8(copy, 0, n);
        this.keys[slot] = copy;
        this.values[slot] = value;
        this.hashes[slot] = h;
        this.used++;
        return value;
      }
      if (this.hashes[slot] === h && key.length === n && sameBytes(key, b, start)) return this.values[slot]!;
      slot = (slot + 1) & this.mask;
    }
    return decodeUtf8(b, start, end);
  }
}

function sameBytes(key: Uint8Array, b: Uint8Array, start: number): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] !== b[start + i]) return false;
  return true;
}
