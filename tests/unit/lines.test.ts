import { describe, it, expect } from 'vitest';
import { LineSplitter, type LineInfo, type LineSink } from '../../src/engine/ingest/lines.ts';
import { bytesOf, rng, utf8 } from './helpers.ts';

interface Line {
  text: string;
  offset: number;
  rawLength: number;
  lineNo: number;
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Records every line; also checks the per-line promises of LineInfo (text slice, ascii flag). */
class Collector implements LineSink {
  readonly lines: Line[] = [];
  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    const bytes = buf.subarray(start, end);
    if (info.text !== null) {
      // The pre-decoded chunk text must be exactly the line's bytes.
      expect(info.text.slice(start - info.textBase, end - info.textBase)).toBe(latin1.decode(bytes));
    }
    if (info.ascii) expect(bytes.every((b) => b < 0x80)).toBe(true);
    this.lines.push({
      text: decoder.decode(bytes),
      offset: info.offset,
      rawLength: info.rawLength,
      lineNo: info.lineNo,
      truncated: info.truncated,
    });
  }
}

/** Splits `input` pushed as the given chunks (slices of it). */
function splitChunks(chunks: readonly Uint8Array[], max: number): Line[] {
  const sink = new Collector();
  const splitter = new LineSplitter(sink, max);
  let pushed = 0;
  for (const c of chunks) {
    splitter.push(c);
    pushed += c.length;
    expect(splitter.bytes).toBe(pushed);
  }
  splitter.end();
  return sink.lines;
}

function splitOne(input: Uint8Array, max: number): Line[] {
  return splitChunks([input], max);
}

/** Cuts input into chunks of the given sizes; `copy` gives each chunk its own buffer, else subarrays. */
function cut(input: Uint8Array, sizes: readonly number[], copy: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let k = 0;
  while (at < input.length) {
    const n = sizes[k++ % sizes.length]!;
    out.push(copy ? input.slice(at, at + n) : input.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Random chunk sizes in 1..maxChunk (with some empty chunks mixed in). */
function randomChunks(input: Uint8Array, seed: number, maxChunk: number): Uint8Array[] {
  const r = rng(seed);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < input.length) {
    if (r() < 0.05) out.push(new Uint8Array(0));
    const n = 1 + Math.floor(r() * maxChunk);
    out.push(seed % 2 === 0 ? input.slice(at, at + n) : input.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Every chunking of `input` must give what one chunk gives. */
function expectChunkingInvariant(input: Uint8Array, max: number, expected: Line[]): void {
  expect(splitOne(input, max)).toEqual(expected);
  expect(splitChunks(cut(input, [1], false), max)).toEqual(expected);
  expect(splitChunks(cut(input, [1], true), max)).toEqual(expected);
  for (const size of [2, 3, 5, 7, 16])
    expect(splitChunks(cut(input, [size], size % 2 === 0), max)).toEqual(expected);
  for (let seed = 1; seed <= 60; seed++) {
    const maxChunk = [1, 2, 3, 4, 8, 13, 64][seed % 7]!;
    expect(splitChunks(randomChunks(input, seed, maxChunk), max)).toEqual(expected);
  }
}

const L = (text: string, offset: number, rawLength: number, lineNo: number, truncated = false): Line => ({
  text,
  offset,
  rawLength,
  lineNo,
  truncated,
});

describe('LineSplitter: line ends', () => {
  it('splits LF lines', () => {
    expectChunkingInvariant(utf8('one\ntwo\nthree\n'), 1024, [
      L('one', 0, 4, 1),
      L('two', 4, 4, 2),
      L('three', 8, 6, 3),
    ]);
  });

  it('splits CRLF lines and strips the CR', () => {
    expectChunkingInvariant(utf8('one\r\ntwo\r\n'), 1024, [L('one', 0, 5, 1), L('two', 5, 5, 2)]);
  });

  it('handles mixed LF and CRLF', () => {
    expectChunkingInvariant(utf8('a\r\nb\nc\r\nd\n'), 1024, [
      L('a', 0, 3, 1),
      L('b', 3, 2, 2),
      L('c', 5, 3, 3),
      L('d', 8, 2, 4),
    ]);
  });

  it('flushes a last line without a newline on end()', () => {
    expectChunkingInvariant(utf8('a\nbc'), 1024, [L('a', 0, 2, 1), L('bc', 2, 2, 2)]);
    expectChunkingInvariant(utf8('only'), 1024, [L('only', 0, 4, 1)]);
  });

  it('strips a CR ending the input without LF', () => {
    expectChunkingInvariant(utf8('a\nbc\r'), 1024, [L('a', 0, 2, 1), L('bc', 2, 3, 2)]);
  });

  it('keeps a lone CR inside a line, and strips only one CR before LF', () => {
    expectChunkingInvariant(utf8('a\rb\nc\r\r\n'), 1024, [L('a\rb', 0, 4, 1), L('c\r', 4, 4, 2)]);
  });

  it('reports empty lines', () => {
    expectChunkingInvariant(utf8('\n\n\na\n\n'), 1024, [
      L('', 0, 1, 1),
      L('', 1, 1, 2),
      L('', 2, 1, 3),
      L('a', 3, 2, 4),
      L('', 5, 1, 5),
    ]);
    expectChunkingInvariant(utf8('\r\n\r\n'), 1024, [L('', 0, 2, 1), L('', 2, 2, 2)]);
  });

  it('gives one empty line for "\\n" and none for empty input', () => {
    expectChunkingInvariant(utf8('\n'), 1024, [L('', 0, 1, 1)]);
    expect(splitOne(new Uint8Array(0), 1024)).toEqual([]);
    expect(splitChunks([], 1024)).toEqual([]);
  });

  it('joins a CR at the end of a chunk with the LF at the start of the next', () => {
    const chunks = [utf8('ab\r'), utf8('\ncd\n')];
    const expected = [L('ab', 0, 4, 1), L('cd', 4, 3, 2)];
    expect(splitChunks(chunks, 1024)).toEqual(expected);
    expect(splitChunks([utf8('x\nab\r'), utf8('\n'), utf8('cd\r'), utf8('\n')], 1024)).toEqual([
      L('x', 0, 2, 1),
      L('ab', 2, 4, 2),
      L('cd', 6, 4, 3),
    ]);
    expectChunkingInvariant(utf8('ab\r\ncd\n'), 1024, expected);
  });

  it('carries a line over many chunks', () => {
    expect(splitChunks([utf8('he'), utf8('ll'), utf8('o w'), utf8('orld\nn'), utf8('ext')], 1024)).toEqual([
      L('hello world', 0, 12, 1),
      L('next', 12, 4, 2),
    ]);
  });

  it('does not emit anything before end() for an unterminated line', () => {
    const sink = new Collector();
    const s = new LineSplitter(sink, 1024);
    s.push(utf8('a\npartial'));
    expect(sink.lines).toEqual([L('a', 0, 2, 1)]);
    s.end();
    expect(sink.lines).toEqual([L('a', 0, 2, 1), L('partial', 2, 7, 2)]);
    expect(s.bytes).toBe(9);
  });
});

describe('LineSplitter: non-ASCII', () => {
  it('splits UTF-8 text under any chunking, including inside characters', () => {
    const text = 'héllo wörld\n日本語のログ\r\n😀 emoji 🚀\n\nκαλημέρα';
    const lines = text.split('\n').map((t) => t.replace(/\r$/, ''));
    let offset = 0;
    const expected = lines.map((t, i) => {
      const raw = utf8(text.split('\n')[i]!).length + (i < lines.length - 1 ? 1 : 0);
      const line = L(t, offset, raw, i + 1);
      offset += raw;
      return line;
    });
    expect(expected.map((l) => l.rawLength)).toEqual([14, 20, 16, 1, 16]);
    expectChunkingInvariant(utf8(text), 1024, expected);
  });

  it('gives the ASCII lines of a chunk with a non-ASCII line a decoded run (no decoding per line)', () => {
    const seen: { text: boolean; ascii: boolean }[] = [];
    const sink: LineSink = {
      line(buf, start, end, info) {
        if (info.text !== null)
          expect(info.text.slice(start - info.textBase, end - info.textBase)).toBe(
            latin1.decode(buf.subarray(start, end)),
          );
        seen.push({ text: info.text !== null, ascii: info.ascii });
      },
    };
    const s = new LineSplitter(sink, 1024);
    s.push(utf8('a 1\r\nb 2\n\u0000\u0000c 3\nZoë 4\nd 5\n北京\ne 6\nf 7\ng'));
    s.push(utf8(' 8\nh 9'));
    s.end();
    const y = { text: true, ascii: true };
    const n = { text: false, ascii: false };
    const carried = { text: false, ascii: true };
    // a 1, b 2, c 3 (after NUL padding), Zoë 4, d 5, 北京, e 6, f 7, then g 8 and h 9 carried over chunks
    expect(seen).toEqual([y, y, y, n, y, n, y, y, carried, carried]);
  });

  it('passes invalid UTF-8 through as bytes (decoded here with U+FFFD)', () => {
    const input = bytesOf('a', [0xff, 0xfe], 'b\n', [0xc3], '\n');
    expectChunkingInvariant(input, 1024, [L('a\uFFFD\uFFFDb', 0, 5, 1), L('\uFFFD', 5, 2, 2)]);
  });
});

describe('LineSplitter: the line-length cap', () => {
  it('cuts a line longer than the cap, keeps its full raw length, and the next line is fine', () => {
    expectChunkingInvariant(utf8('abcdefghijkl\nxy\n'), 8, [
      L('abcdefgh', 0, 13, 1, true),
      L('xy', 13, 3, 2),
    ]);
  });

  it('does not cut a line of exactly the cap, and cuts one byte more', () => {
    expectChunkingInvariant(utf8('abcdefgh\nabcdefghi\n'), 8, [
      L('abcdefgh', 0, 9, 1),
      L('abcdefgh', 9, 10, 2, true),
    ]);
  });

  it('cuts a CRLF line longer than the cap at the cap', () => {
    expectChunkingInvariant(utf8('abcdefghijk\r\nz\r\n'), 8, [
      L('abcdefgh', 0, 13, 1, true),
      L('z', 13, 3, 2),
    ]);
  });

  it('cuts a long last line without a newline', () => {
    expectChunkingInvariant(utf8('ok\nabcdefghijk'), 8, [L('ok', 0, 3, 1), L('abcdefgh', 3, 11, 2, true)]);
  });

  it('handles several long lines in a row and long lines between short ones', () => {
    const input = utf8('0123456789\n0123456789ABCDEF\n\nab\n' + 'x'.repeat(100) + '\nlast');
    expectChunkingInvariant(input, 8, [
      L('01234567', 0, 11, 1, true),
      L('01234567', 11, 17, 2, true),
      L('', 28, 1, 3),
      L('ab', 29, 3, 4),
      L('xxxxxxxx', 32, 101, 5, true),
      L('last', 133, 4, 6),
    ]);
  });

  it('does not split a 2-byte character at the cut', () => {
    // 'abcdefg' + 'é' (c3 a9) + 'z': the cap (8) falls inside 'é', so the cut moves back to 7.
    expectChunkingInvariant(utf8('abcdefgéz\nok\n'), 8, [L('abcdefg', 0, 11, 1, true), L('ok', 11, 3, 2)]);
  });

  it('does not split a 4-byte character at the cut', () => {
    // 'abcde' + '😀' (f0 9f 98 80): the cap (8) falls on the last byte of the emoji.
    expectChunkingInvariant(utf8('abcde😀xyz\n'), 8, [L('abcde', 0, 13, 1, true)]);
    // the emoji ends exactly at the cap: kept whole
    expectChunkingInvariant(utf8('ab😀cdefgh\n'), 8, [L('ab😀cd', 0, 13, 1, true)]);
  });

  it('cuts non-ASCII lines at the cap with a realistic cap of 1024', () => {
    const long = 'é'.repeat(600); // 1200 bytes; 1024 is even so the cut lands between characters
    const odd = 'a' + 'é'.repeat(600); // 1201 bytes; byte 1024 is the second byte of an 'é'
    const input = utf8(`${long}\n${odd}\nend\n`);
    expectChunkingInvariant(input, 1024, [
      L('é'.repeat(512), 0, 1201, 1, true),
      L('a' + 'é'.repeat(511), 1201, 1202, 2, true),
      L('end', 2403, 4, 3),
    ]);
  });

  it('handles a line far longer than the carry buffer, pushed in big chunks', () => {
    const max = 2 * 1024 * 1024;
    const huge = 'y'.repeat(max + 500_000);
    const input = utf8(`first\n${huge}\nsecond\n${'z'.repeat(70_000)}\n`);
    const expected = [
      L('first', 0, 6, 1),
      L('y'.repeat(max), 6, huge.length + 1, 2, true),
      L('second', 6 + huge.length + 1, 7, 3),
      L('z'.repeat(70_000), 6 + huge.length + 8, 70_001, 4),
    ];
    expect(splitOne(input, max)).toEqual(expected);
    expect(splitChunks(cut(input, [65_536], false), max)).toEqual(expected);
    expect(splitChunks(cut(input, [1_000_003], true), max)).toEqual(expected);
  });
});

describe('LineSplitter: random inputs under random chunkings', () => {
  const PIECES = [
    'a',
    'bc',
    'def ',
    'é',
    '日',
    '😀',
    '\r',
    '\n',
    '\r\n',
    '\n\n',
    'xxxxxxxxxxxxxxxxxxxx',
    ' ',
    '\t',
  ];

  /**
   * Random text; a line whose content is exactly the cap followed by CRLF is avoided here
   * (see the it.fails test below: it is the one case where chunking changes the result).
   */
  function randomText(seed: number, max: number): Uint8Array {
    const r = rng(seed);
    const n = 5 + Math.floor(r() * 60);
    let s = '';
    for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)]!;
    const fixed = s
      .split('\n')
      .map((line) => (line.endsWith('\r') && utf8(line).length === max + 1 ? line + ' ' : line))
      .join('\n');
    return utf8(fixed);
  }

  it('equals the one-chunk result for many seeds, chunk sizes and caps', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const max = [8, 9, 16, 1024][seed % 4]!;
      const input = randomText(seed, max);
      const expected = splitOne(input, max);
      // sanity of the one-chunk result itself
      expect(expected.reduce((n, l) => n + l.rawLength, 0)).toBe(input.length);
      expected.forEach((l, i) => {
        expect(l.lineNo).toBe(i + 1);
        expect(utf8(l.text).length <= max).toBe(true);
      });
      expect(splitChunks(cut(input, [1], seed % 2 === 0), max)).toEqual(expected);
      for (let k = 0; k < 8; k++) {
        const chunkSeed = seed * 100 + k;
        expect(splitChunks(randomChunks(input, chunkSeed, 1 + (k % 5) * 3), max)).toEqual(expected);
      }
    }
  });

  it('offsets are contiguous: each line starts where the previous one ended', () => {
    const input = randomText(4242, 16);
    const lines = splitChunks(randomChunks(input, 7, 5), 16);
    let at = 0;
    for (const l of lines) {
      expect(l.offset).toBe(at);
      at += l.rawLength;
    }
    expect(at).toBe(input.length);
  });
});

describe('LineSplitter: known bug', () => {
  // BUG (src/engine/ingest/lines.ts, appendCarry/emitCarry): a line whose content is exactly maxLineBytes
  // long and ends with CRLF is reported truncated when it spans chunks, because the carried CR is counted
  // against the cap (carryLen = cap + 1 > cap sets `skipping`). In one chunk it is (rightly) not truncated.
  it('a line of exactly the cap followed by CRLF is not truncated when it spans chunks', () => {
    const input = utf8('abcdefgh\r\nz\n');
    const expected = [L('abcdefgh', 0, 10, 1), L('z', 10, 2, 2)];
    expect(splitOne(input, 8)).toEqual(expected);
    expect(splitChunks([input.subarray(0, 4), input.subarray(4)], 8)).toEqual(expected);
  });
});
