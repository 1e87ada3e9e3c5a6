import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  asciiText,
  decodeSpan,
  decodeUtf8,
  hasHighBytes,
  isValidUtf8,
  nextHighByte,
} from '../../src/engine/ingest/utf8.ts';
import { bytesOf, rng, utf8 } from './helpers.ts';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function reference(b: Uint8Array): boolean {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
}

const valid = (bytes: number[] | Uint8Array): boolean => {
  const b = Uint8Array.from(bytes);
  return isValidUtf8(b, 0, b.length);
};

describe('nextHighByte', () => {
  /** the answer by a byte loop */
  const naive = (b: Uint8Array, from: number): number => {
    let i = from;
    while (i < b.length && b[i]! < 0x80) i++;
    return i;
  };

  it('finds the first high byte at or after `from` in every unaligned subarray (one high byte)', () => {
    const size = 72;
    for (let high = 0; high < size; high++) {
      const buf = new Uint8Array(size).fill(0x61);
      buf[high] = 0x80 | (high & 0x7f);
      for (let off = 0; off < 8; off++) {
        const sub = buf.subarray(off);
        for (let from = 0; from <= sub.length; from++) expect(nextHighByte(sub, from)).toBe(naive(sub, from));
      }
    }
  });

  it('agrees with a byte loop on random buffers, offsets and starting points', () => {
    const r = rng(7);
    for (let k = 0; k < 3000; k++) {
      const buf = new Uint8Array(1 + Math.floor(r() * 90));
      const p = r() < 0.5 ? 0.01 : 0.1;
      for (let i = 0; i < buf.length; i++)
        buf[i] = r() < p ? 128 + Math.floor(r() * 128) : Math.floor(r() * 128);
      const a = Math.floor(r() * buf.length);
      const sub = buf.subarray(a, a + Math.floor(r() * (buf.length - a + 1)));
      const from = Math.floor(r() * (sub.length + 1));
      expect(nextHighByte(sub, from)).toBe(naive(sub, from));
    }
  });
});

describe('isValidUtf8', () => {
  it('accepts ASCII and well-formed multi-byte text', () => {
    expect(valid([])).toBe(true);
    expect(valid(utf8('hello'))).toBe(true);
    expect(valid(utf8('é ß ü'))).toBe(true); // 2 bytes
    expect(valid(utf8('日本語 €'))).toBe(true); // 3 bytes
    expect(valid(utf8('😀 🚀 𝄞'))).toBe(true); // 4 bytes
    expect(valid([0xc2, 0x80])).toBe(true); // U+0080, smallest 2-byte
    expect(valid([0xdf, 0xbf])).toBe(true); // U+07FF
    expect(valid([0xe0, 0xa0, 0x80])).toBe(true); // U+0800, smallest 3-byte
    expect(valid([0xef, 0xbf, 0xbf])).toBe(true); // U+FFFF
    expect(valid([0xf0, 0x90, 0x80, 0x80])).toBe(true); // U+10000
    expect(valid([0xf4, 0x8f, 0xbf, 0xbf])).toBe(true); // U+10FFFF, the largest
    expect(valid([0xef, 0xbb, 0xbf])).toBe(true); // BOM
  });

  it('rejects overlong encodings', () => {
    expect(valid([0xc0, 0x80])).toBe(false);
    expect(valid([0xc1, 0xbf])).toBe(false);
    expect(valid([0xe0, 0x80, 0x80])).toBe(false);
    expect(valid([0xe0, 0x9f, 0xbf])).toBe(false); // U+07FF in 3 bytes
    expect(valid([0xf0, 0x80, 0x80, 0x80])).toBe(false);
    expect(valid([0xf0, 0x8f, 0xbf, 0xbf])).toBe(false); // U+FFFF in 4 bytes
  });

  it('rejects UTF-16 surrogates and accepts their neighbours', () => {
    expect(valid([0xed, 0xa0, 0x80])).toBe(false); // U+D800
    expect(valid([0xed, 0xbf, 0xbf])).toBe(false); // U+DFFF
    expect(valid([0xed, 0x9f, 0xbf])).toBe(true); // U+D7FF
    expect(valid([0xee, 0x80, 0x80])).toBe(true); // U+E000
  });

  it('rejects code points above U+10FFFF and bytes that never occur', () => {
    expect(valid([0xf4, 0x90, 0x80, 0x80])).toBe(false); // U+110000
    expect(valid([0xf5, 0x80, 0x80, 0x80])).toBe(false);
    expect(valid([0xf7, 0xbf, 0xbf, 0xbf])).toBe(false);
    expect(valid([0xf8, 0x88, 0x80, 0x80, 0x80])).toBe(false);
    expect(valid([0xfe])).toBe(false);
    expect(valid([0xff])).toBe(false);
  });

  it('rejects stray continuation bytes and bad continuations', () => {
    expect(valid([0x80])).toBe(false);
    expect(valid([0x61, 0xbf, 0x61])).toBe(false);
    expect(valid([0xc3, 0x41])).toBe(false);
    expect(valid([0xe6, 0x97, 0x41])).toBe(false);
    expect(valid([0xf0, 0x9f, 0x98, 0x41])).toBe(false);
    expect(valid([0xc3, 0xa9, 0xa9])).toBe(false);
  });

  it('rejects a sequence truncated at the end', () => {
    expect(valid([0x61, 0xc3])).toBe(false);
    expect(valid([0xe6, 0x97])).toBe(false);
    expect(valid([0xe6])).toBe(false);
    expect(valid([0xf0, 0x9f, 0x98])).toBe(false);
    expect(valid([0x61, 0xf0])).toBe(false);
  });

  it('judges only bytes [start, end)', () => {
    const b = bytesOf('a', 'é', 'b'); // 61 c3 a9 62
    expect(isValidUtf8(b, 0, 4)).toBe(true);
    expect(isValidUtf8(b, 0, 2)).toBe(false); // cut inside é
    expect(isValidUtf8(b, 2, 4)).toBe(false); // starts on a continuation byte
    expect(isValidUtf8(b, 1, 3)).toBe(true);
    expect(isValidUtf8(b, 3, 3)).toBe(true);
  });

  it('agrees with TextDecoder({fatal: true}) on many seeded random byte strings', () => {
    const r = rng(20250314);
    const interesting = [
      0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4,
      0xf5, 0xff,
    ];
    const pieces = ['é', '日', '😀', '\u{10FFFF}', '\uD7FF', '\uE000', 'a'].map(utf8);
    let validCount = 0;
    for (let k = 0; k < 20_000; k++) {
      const parts: number[] = [];
      const n = Math.floor(r() * 12);
      for (let i = 0; i < n; i++) {
        const x = r();
        if (x < 0.35) parts.push(...pieces[Math.floor(r() * pieces.length)]!);
        else if (x < 0.6) parts.push(interesting[Math.floor(r() * interesting.length)]!);
        else if (x < 0.8) parts.push(0x80 + Math.floor(r() * 0x40));
        else parts.push(Math.floor(r() * 256));
      }
      const b = Uint8Array.from(parts);
      const expected = reference(b);
      if (expected) validCount++;
      expect([k, isValidUtf8(b, 0, b.length)]).toEqual([k, expected]);
      // the same bytes inside a larger buffer, judged by range
      const framed = bytesOf([0xff, 0xc3], b, [0xe6]);
      expect([k, isValidUtf8(framed, 2, 2 + b.length)]).toEqual([k, expected]);
    }
    // both outcomes are well represented
    expect(validCount).toBeGreaterThan(2000);
    expect(validCount).toBeLessThan(18_000);
  });
});

describe('decodeUtf8 and hasHighBytes', () => {
  it('decode a range, replacing invalid bytes with U+FFFD', () => {
    const b = bytesOf('xx', 'café', [0xff], 'yy');
    expect(decodeUtf8(b, 2, 7)).toBe('café');
    expect(decodeUtf8(b, 2, 8)).toBe('café\uFFFD');
    expect(decodeUtf8(b, 0, 0)).toBe('');
  });

  it('find bytes >= 0x80 only inside the range', () => {
    const b = bytesOf('ab', [0x80], 'cd');
    expect(hasHighBytes(b, 0, 5)).toBe(true);
    expect(hasHighBytes(b, 0, 2)).toBe(false);
    expect(hasHighBytes(b, 3, 5)).toBe(false);
    expect(hasHighBytes(b, 2, 3)).toBe(true);
  });
});

describe('decodeSpan: a span copied out of a large buffer decodes as the span itself', () => {
  it('any span of any bytes, short and long, of a buffer larger than the scratch buffers', () => {
    const dec = new TextDecoder();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 70_000 }),
        (bytes, at, pad) => {
          // the bytes inside a 512 KiB buffer (a File.stream() chunk's size class), at some offset
          const big = new Uint8Array(512 * 1024);
          const start = Math.min(at, big.length - bytes.length);
          big.set(bytes, start);
          const end = start + bytes.length;
          expect(decodeSpan(dec, big, start, end)).toBe(dec.decode(bytes));
          // and a span longer than the largest scratch buffer is decoded in place
          const stop = Math.min(big.length, end + pad);
          expect(decodeSpan(dec, big, start, stop)).toBe(dec.decode(big.subarray(start, stop)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('asciiText: the text of ASCII bytes, one code unit a byte', () => {
  it('equals TextDecoder on any ASCII span, shorter and longer than one apply() chunk (4,096 bytes)', () => {
    const big = new Uint8Array(20_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 37 + (i >> 7)) & 0x7f;
    const dec = new TextDecoder();
    for (const [start, end] of [
      [0, 0],
      [5, 6],
      [100, 4196],
      [100, 4197],
      [0, 8192],
      [1, 8193],
      [3, 20_000],
    ] as const)
      expect(asciiText(big, start, end)).toBe(dec.decode(big.subarray(start, end)));
    expect(
      asciiText(
        Uint8Array.from('GET /x 200', (c) => c.charCodeAt(0)),
        4,
        6,
      ),
    ).toBe('/x');
  });
});
