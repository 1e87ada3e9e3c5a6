import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import { judgeText, TEXT_SCAN_BYTES } from '../../src/engine/ingest/text-check.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { analyzeSliced, bytesOf, chunkedStream, config, fileOf, rng, utf8 } from './helpers.ts';

/**
 * Bytes that are not text: NUL padding (copytruncate) is skipped and counted, a stray NUL is a byte of its
 * line, and a file is refused as binary only by the share of its control bytes and invalid UTF-8.
 */
const UTC = config({ timeZone: 'UTC' });

async function run(inputs: Parameters<typeof analyze>[0]): Promise<{ snap: Snapshot; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const snap = await analyze(inputs, UTC, { onRecord: (r) => records.push(r) });
  return { snap, records };
}

const line = (i: number): string =>
  `2025-03-14T10:00:${String(i % 60).padStart(2, '0')}Z ${i % 3 === 0 ? 'ERROR' : 'INFO'} api message ${i}\n`;
const lines = (from: number, to: number): string => {
  let s = '';
  for (let i = from; i < to; i++) s += line(i);
  return s;
};
const zeros = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(n);

/** 4 KiB of NUL (copytruncate), then 12 lines, the 10th with a NUL inside its message. */
function copytruncated(): Uint8Array<ArrayBuffer> {
  const body = utf8(lines(1, 13));
  const at = utf8(lines(1, 10)).length + 'YYYY-MM-DDTHH:MM:SSZ INFO api mess'.length;
  body[at] = 0;
  return bytesOf(zeros(4096), body);
}

describe('NUL bytes: padding skipped and counted, a stray NUL kept', () => {
  it('4 KiB of leading NUL and a NUL in line 10: every record analyzed, the padding noted', async () => {
    const bytes = copytruncated();
    const { snap, records } = await run([fileOf(bytes, 'app.log')]);
    const f = snap.files[0]!;
    expect(f.error).toBeNull();
    expect(f.format).toBe('iso-level-service');
    expect(f.warnings).toEqual([
      '4,096 NUL bytes of padding were skipped at the start (log rotation with copytruncate leaves these).',
    ]);
    expect(f.nulPadding).toEqual({ bytes: 4096, atStart: 4096, lines: 0 });
    expect(snap.totals).toMatchObject({
      bytes: bytes.length,
      lines: 12,
      records: 12,
      unparsed: 0,
      emptyLines: 0,
      nulBytesSkipped: 4096,
      invalidTimes: 0,
    });
    expect(snap.levels).toEqual([0, 0, 8, 0, 4, 0, 0]);
    // the first record starts after the padding; its line is line 1
    expect(records[0]).toMatchObject({
      line: 1,
      offset: 4096,
      length: line(1).length,
      time: Date.UTC(2025, 2, 14, 10, 0, 1),
    });
    expect(records[9]!.message).toBe('mess\u0000ge 10');
    expect(records[9]).toMatchObject({ line: 10, level: 'INFO', service: 'api', parsed: true });
  });

  it('the same in chunks of 1, 7 and 4,097 bytes', async () => {
    const bytes = copytruncated();
    const one = await run([fileOf(bytes, 'app.log')]);
    for (const size of [1, 7, 4097]) {
      const sizes = Array.from({ length: Math.ceil(bytes.length / size) }, () => size);
      const got = await run([streamInput('app.log', chunkedStream(bytes, sizes), bytes.length)]);
      expect(got.snap.totals).toEqual(one.snap.totals);
      expect(got.snap.files[0]!.warnings).toEqual(one.snap.files[0]!.warnings);
      expect(got.records).toEqual(one.records);
    }
  });

  it('NUL runs at the start of later lines (a writer that kept its offset) are skipped and counted too', async () => {
    const head = lines(1, 4);
    const bytes = bytesOf(zeros(10), head, zeros(300), lines(4, 6), zeros(5), '\n', lines(6, 7));
    const { snap, records } = await run([fileOf(bytes, 'app.log')]);
    expect(snap.files[0]!.warnings).toEqual([
      '315 NUL bytes of padding were skipped: 10 at the start and 305 at the start of 2 later lines (log rotation with copytruncate leaves these).',
    ]);
    // the 5 NUL then a newline: an empty line
    expect(snap.totals).toMatchObject({ lines: 7, emptyLines: 1, records: 6, nulBytesSkipped: 315 });
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 7]);
    const fourth = 10 + utf8(head).length + 300;
    expect(records[3]).toMatchObject({ offset: fourth, length: line(4).length, message: 'message 4' });
  });

  it('only later lines padded: says so without "at the start"', async () => {
    const bytes = bytesOf(lines(1, 3), zeros(1), lines(3, 4));
    const { snap } = await run([fileOf(bytes, 'app.log')]);
    expect(snap.files[0]!.warnings).toEqual([
      '1 NUL byte of padding was skipped at the start of 1 later line (log rotation with copytruncate leaves these).',
    ]);
    expect(snap.totals).toMatchObject({ records: 3, nulBytesSkipped: 1 });
  });

  it('a file of nothing but NUL bytes: one empty line, no record, the padding noted', async () => {
    const { snap, records } = await run([fileOf(zeros(4096), 'zero.log')]);
    expect(snap.files[0]!.error).toBeNull();
    expect(records).toEqual([]);
    expect(snap.totals).toMatchObject({
      bytes: 4096,
      lines: 1,
      emptyLines: 1,
      records: 0,
      nulBytesSkipped: 4096,
    });
    expect(snap.files[0]!.warnings).toEqual([
      '4,096 NUL bytes of padding were skipped at the start (log rotation with copytruncate leaves these).',
    ]);
  });

  it('judges the 64 KiB after the padding: 1 MiB of NUL then random bytes is binary', async () => {
    const r = rng(7);
    const random = Uint8Array.from({ length: 80_000 }, () => Math.floor(r() * 256));
    const { snap } = await run([fileOf(bytesOf(zeros(1 << 20), random), 'pad.bin')]);
    expect(snap.files[0]!.error).toMatch(
      /^This is not a text log: \d+ % of its first 64 KiB are control bytes/,
    );
    expect(snap.totals.records).toBe(0);
  });
});

describe('binary detection by the share of control bytes and invalid UTF-8', () => {
  /** 100-byte lines: `control` SOH bytes, `high` bytes 0xE0–0xFF (not UTF-8 alone), letters, then LF. */
  function mixed(control: number, high: number, n = 100): Uint8Array<ArrayBuffer> {
    const row: number[] = [];
    for (let i = 0; i < control; i++) row.push(1);
    for (let i = 0; i < high; i++) row.push(0xe0 + (i % 32));
    while (row.length < 99) row.push(97);
    row.push(10);
    return bytesOf(...Array.from({ length: n }, () => row));
  }

  it('judgeText counts control bytes and invalid UTF-8, not valid sequences, whitespace or ESC', () => {
    const s = bytesOf('a\t\r\n\x0b\x0c\x1b[31mé😀', [1, 0x7f, 0, 0xff, 0xc3]);
    // controls: 0x01, DEL, NUL; invalid: 0xFF; a cut sequence at the very end (0xC3) counts as valid
    expect(judgeText(s, s.length)).toEqual({
      judged: s.length,
      control: 3,
      invalid: 1,
      nul: 1,
      binary: false,
    });
  });

  it('30 % control bytes is text, 31 % is binary', async () => {
    const at = await run([fileOf(mixed(30, 0), 'fix.log')]);
    expect(at.snap.files[0]!.error).toBeNull();
    expect(at.snap.totals).toMatchObject({ lines: 100, records: 100, unparsed: 100 });
    const over = await run([fileOf(mixed(31, 0), 'fix.log')]);
    expect(over.snap.files[0]!.error).toBe(
      'This is not a text log: 31 % of its first 10 KiB are control bytes or invalid UTF-8, as in binary files. Nothing was analyzed.',
    );
    expect(over.snap.totals.records).toBe(0);
  });

  it('legacy 8-bit text (60 % high bytes, no control bytes) is read; with 2 % control bytes it is binary', async () => {
    const legacy = await run([fileOf(mixed(0, 60), 'cp1251.log')]);
    expect(legacy.snap.files[0]!.error).toBeNull();
    expect(legacy.snap.totals).toMatchObject({ records: 100, invalidUtf8: 100 });
    // 1 % control is not more than 1 %: still text
    expect((await run([fileOf(mixed(1, 60), 'a.log')])).snap.files[0]!.error).toBeNull();
    expect((await run([fileOf(mixed(2, 60), 'b.log')])).snap.files[0]!.error).toMatch(
      /^This is not a text log: 62 %/,
    );
  });

  it('only the first 64 KiB are judged: binary bytes after them are analyzed as lines', async () => {
    const text = utf8(lines(0, 2000));
    expect(text.length).toBeGreaterThan(TEXT_SCAN_BYTES);
    const { snap } = await run([
      fileOf(
        bytesOf(
          text,
          Array.from({ length: 256 }, (_, i) => i),
          '\n',
        ),
        'x.log',
      ),
    ]);
    expect(snap.files[0]!.error).toBeNull();
    expect(snap.totals.records).toBe(2000);
  });

  const random = (n: number, seed: number): number[] => {
    const r = rng(seed);
    return Array.from({ length: n }, () => Math.floor(r() * 256));
  };
  const elf = bytesOf(
    [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0],
    zeros(40),
    '\n/lib64/ld-linux-x86-64.so.2\0GLIBC_2.34\0',
    random(20_000, 1),
    zeros(4000),
    random(20_000, 2),
  );
  const png = bytesOf(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [0, 0, 0, 13],
    'IHDR',
    random(30_000, 3),
  );
  for (const [name, bytes] of [
    ['a.out', elf],
    ['image.png', png],
    ['ls.gz', new Uint8Array(gzipSync(elf))],
    ['random.bin', Uint8Array.from(random(100_000, 4))],
  ] as const) {
    it(`refuses ${name} with the clear message, and analyzes the next file`, async () => {
      const { snap, records } = await run([
        fileOf(bytes as Uint8Array<ArrayBuffer>, name),
        fileOf(line(1), 'ok.log'),
      ]);
      const f = snap.files[0]!;
      expect(f.error).toMatch(
        /^This is not a text log: \d+ % of its first \d+ KiB are control bytes or invalid UTF-8, as in binary files\. Nothing was analyzed\.$/,
      );
      expect(f.records).toBe(0);
      expect(f.warnings).toEqual([]);
      expect(records.map((r) => r.file)).toEqual(['ok.log']);
      expect(snap.files[1]!.error).toBeNull();
    });
  }

  it('names UTF-16 as such, with or without a byte order mark', async () => {
    const le = (s: string): number[] => [...s].flatMap((c) => [c.charCodeAt(0), 0]);
    const noBom = await run([fileOf(bytesOf(le(lines(0, 20))), 'win.log')]);
    expect(noBom.snap.files[0]!.error).toMatch(/^This file is UTF-16 text/);
    // CJK text in UTF-16 has no NUL at all: the byte order mark tells
    const cjk = bytesOf(
      [0xff, 0xfe],
      [...'日志条目'].flatMap((c) => [c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8]),
    );
    expect((await run([fileOf(cjk, 'cjk.log')])).snap.files[0]!.error).toMatch(/^This file is UTF-16 text/);
  });
});

describe('NUL padding in a file read in parallel slices', () => {
  const split = (file: File, cuts: number[]): Promise<Snapshot> =>
    analyzeSliced(file, cuts, { ...UTC, format: 'iso-level-service' });

  it('slices cut inside the padding merge to the single pass: counts, bytes and the note', async () => {
    const bytes = bytesOf(zeros(4096), lines(0, 3000), zeros(5000), lines(3000, 6000));
    const file = new File([bytes], 'app.log');
    const one = await analyze([file], UTC);
    expect(one.totals).toMatchObject({ records: 6000, nulBytesSkipped: 9096, bytes: bytes.length });
    const mid = 4096 + utf8(lines(0, 3000)).length;
    for (const cuts of [[2000], [mid + 10], [mid + 2500, mid + 4999], [mid + 5000]]) {
      const merged = await split(file, cuts);
      expect(merged.totals).toEqual(one.totals);
      expect(merged.files[0]!.warnings).toEqual(one.files[0]!.warnings);
      expect(merged.files[0]!.warnings).toEqual([
        '9,096 NUL bytes of padding were skipped: 4,096 at the start and 5,000 at the start of 1 later line (log rotation with copytruncate leaves these).',
      ]);
    }
  });
});
