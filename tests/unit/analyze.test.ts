import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { bytesOf, chunkedStream, config, fileOf, sampleText, utf8 } from './helpers.ts';

const UTC = config({ timeZone: 'UTC' });
const T = (h: number, m: number, s: number, ms = 0): number => Date.UTC(2025, 2, 14, h, m, s, ms);

const MIXED_LINES = [
  '2025-03-14T10:00:00Z INFO api-gateway GET /v1/orders 200 12ms', // 1
  '2025-03-14T10:00:01.500Z WARN auth-service token close to expiry', // 2
  '', // 3
  '2025-03-14T10:00:02Z ERROR order-service Failed to create order', // 4
  'java.lang.IllegalStateException: connection is closed', // 5
  '\tat com.shop.orders.OrderService.create(OrderService.java:42)', // 6
  '\tat java.base/java.lang.Thread.run(Thread.java:1583)', // 7
  'Caused by: java.util.concurrent.TimeoutException: Timed out', // 8
  '\t... 12 more', // 9
  'this line is not a log line', // 10: the file has a format, so this continues the record of line 4
  '2025-03-14T10:00:05Z DEBUG api-gateway cache hit', // 11
  '   ', // 12
  '2025-03-14T10:00:09Z FATAL payment-service Out of memory', // 13
];
const MIXED = MIXED_LINES.join('\n') + '\n';
const lineStart = (i: number): number =>
  utf8(
    MIXED_LINES.slice(0, i - 1)
      .map((l) => l + '\n')
      .join(''),
  ).length;

async function run(
  inputs: Parameters<typeof analyze>[0],
  cfg = UTC,
): Promise<{ snap: Snapshot; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const snap = await analyze(inputs, cfg, { onRecord: (r) => records.push(r) });
  return { snap, records };
}

// Lines 1, 2, 4, 11, 13 start records; lines 5–10 continue the record of line 4 (10 too: in a file of a
// known format any line that does not parse continues the record before it); lines 3 and 12 are blank.
const MIXED_TOTALS = {
  bytes: utf8(MIXED).length,
  lines: 13,
  emptyLines: 2,
  records: 5,
  unparsed: 0,
  continuationLines: 6,
  invalidUtf8: 0,
  truncatedLines: 0,
  untimed: 0,
  invalidTimes: 0,
  nulBytesSkipped: 0,
};

describe('analyze: one realistic file', () => {
  it('gives exact totals, levels, services, time range, timeline and file summary', async () => {
    const file = fileOf(MIXED, 'app.log');
    const { snap, records } = await run([file]);
    expect(snap.totals).toEqual(MIXED_TOTALS);
    expect(snap.levels).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(snap.services).toEqual([
      { name: 'api-gateway', records: 2, errors: 0 },
      { name: 'order-service', records: 1, errors: 1 },
      { name: 'payment-service', records: 1, errors: 1 },
      { name: 'auth-service', records: 1, errors: 0 },
    ]);
    expect(snap.serviceCount).toBe(4);
    expect(snap.timeRange).toEqual({ start: T(10, 0, 0), end: T(10, 0, 9) });
    const z = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const at = (i: number): number[] => z.map((_, j) => (j === i ? 1 : 0));
    expect(snap.timeline).toEqual({
      bucketMs: 1000,
      start: T(10, 0, 0),
      counts: [z, at(5), at(0), at(1), at(2), at(9), z],
    });
    expect(snap.files).toEqual([
      {
        name: 'app.log',
        bytes: MIXED_TOTALS.bytes,
        bytesRead: MIXED_TOTALS.bytes,
        gzip: false,
        format: 'iso-level-service',
        formatName: 'ISO time, level, service, message',
        // detection counts line 10 as a line that should start a record: 5 of 6 parse
        formatConfidence: 5 / 6,
        records: 5,
        lines: 13,
        error: null,
        warnings: [],
        relativeTime: false,
        formats: [{ id: 'iso-level-service', name: 'ISO time, level, service, message', records: 5 }],
      },
    ]);
    expect(snap.error).toBeNull();
    expect(snap.jobId).toBe(0);
    expect(snap.progress).toMatchObject({
      bytesRead: MIXED_TOTALS.bytes,
      totalBytes: MIXED_TOTALS.bytes,
      records: 5,
      fileIndex: 0,
      done: true,
    });
    expect(records.map((r) => [r.line, r.lineEnd, r.level, r.service, r.parsed])).toEqual([
      [1, 1, 'INFO', 'api-gateway', true],
      [2, 2, 'WARN', 'auth-service', true],
      [4, 10, 'ERROR', 'order-service', true],
      [11, 11, 'DEBUG', 'api-gateway', true],
      [13, 13, 'FATAL', 'payment-service', true],
    ]);
  });

  it('joins a stack trace (exception header, \\tat frames, Caused by:, ... more) and a stray line to its record', async () => {
    const { records } = await run([fileOf(MIXED, 'app.log')]);
    const err = records[2]!;
    expect(err).toEqual({
      time: T(10, 0, 2),
      level: 'ERROR',
      service: 'order-service',
      message: 'Failed to create order',
      continuation: MIXED_LINES.slice(4, 10).join('\n'),
      file: 'app.log',
      fileIndex: 0,
      line: 4,
      lineEnd: 10,
      offset: lineStart(4),
      length: lineStart(11) - lineStart(4),
      parsed: true,
      fields: null,
    });
  });

  it('keeps a line before the first record as an unparsed record without time or level', async () => {
    const preamble = 'this line is not a log line';
    const { snap, records } = await run([fileOf(`${preamble}\n${MIXED}`, 'app.log')]);
    expect(records[0]).toEqual({
      time: null,
      level: null,
      service: 'app.log', // no service of its own: the file's name
      message: preamble,
      continuation: null,
      file: 'app.log',
      fileIndex: 0,
      line: 1,
      lineEnd: 1,
      offset: 0,
      length: preamble.length + 1,
      parsed: false,
      fields: null,
    });
    expect(records[1]!.offset).toBe(preamble.length + 1);
    expect(records[1]!.line).toBe(2);
    expect(records[2]!.time).toBe(T(10, 0, 1, 500));
    expect(snap.totals).toEqual({
      ...MIXED_TOTALS,
      bytes: MIXED_TOTALS.bytes + preamble.length + 1,
      lines: 14,
      records: 6,
      unparsed: 1,
      untimed: 1,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(snap.levels).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(snap.services.find((s) => s.name === 'app.log')).toEqual({
      name: 'app.log',
      records: 1,
      errors: 0,
    });
    expect(snap.services.some((s) => s.name === '(none)')).toBe(false);
  });

  it('gives the same result when the bytes arrive in tiny chunks from a stream', async () => {
    const bytes = utf8(MIXED);
    const a = await run([fileOf(MIXED, 'app.log')]);
    const b = await run([
      streamInput('app.log', chunkedStream(bytes, [1, 1, 1, 2, 3, 5, 8, 13, 21, 34]), bytes.length),
    ]);
    expect(b.records).toEqual(a.records);
    expect({ ...b.snap, progress: null }).toEqual({ ...a.snap, progress: null });
  });

  it('gives the same snapshot without onRecord (which leaves continuation text unbuilt) as with it', async () => {
    const { text } = sampleText({ bytes: 300_000, seed: 5, stackTraces: true, nonAscii: true });
    const withRecords = await run([fileOf(text, 'app.log')]);
    const without = await analyze([fileOf(text, 'app.log')], UTC);
    expect(withRecords.records.some((r) => r.continuation !== null)).toBe(true);
    expect(withRecords.snap.totals.continuationLines).toBeGreaterThan(0);
    const strip = (s: Snapshot): unknown => ({ ...s, progress: { ...s.progress, elapsedMs: 0 } });
    expect(strip(without)).toEqual(strip(withRecords.snap));
  });

  it('gives the same result from a byte stream read in tiny pieces into one reused buffer', async () => {
    const bytes = utf8(MIXED);
    let at = 0;
    // a byte stream: openBytes reads it through a BYOB reader, every chunk a view of the same buffer
    const stream = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (at >= bytes.length) {
          controller.close();
          return controller.byobRequest?.respond(0); // a pending BYOB read ends with the stream
        }
        const n = 1 + (at % 7);
        controller.enqueue(bytes.slice(at, at + n));
        at += n;
      },
    });
    expect(() => stream.getReader({ mode: 'byob' }).releaseLock()).not.toThrow();
    const a = await run([fileOf(MIXED, 'app.log')]);
    const b = await run([streamInput('app.log', stream, bytes.length)]);
    expect(b.records).toEqual(a.records);
    expect({ ...b.snap, progress: null }).toEqual({ ...a.snap, progress: null });
  });

  it('echoes jobId and counts two files together', async () => {
    const second = '2025-03-14T11:00:00Z ERROR api-gateway boom\n2025-03-14T11:00:01Z INFO api-gateway ok';
    const { snap, records } = await run([fileOf(MIXED, 'a.log'), fileOf(second, 'b.log')]);
    expect(snap.totals).toEqual({
      ...MIXED_TOTALS,
      bytes: MIXED_TOTALS.bytes + utf8(second).length,
      lines: 15,
      records: 7,
    });
    expect(snap.levels).toEqual([0, 1, 2, 1, 2, 1, 0]);
    expect(snap.services[0]).toEqual({ name: 'api-gateway', records: 4, errors: 1 });
    expect(snap.timeRange).toEqual({ start: T(10, 0, 0), end: T(11, 0, 1) });
    expect(snap.timeline.bucketMs).toBe(5000);
    expect(snap.files.map((f) => [f.name, f.records, f.lines, f.format])).toEqual([
      ['a.log', 5, 13, 'iso-level-service'],
      ['b.log', 2, 2, 'iso-level-service'],
    ]);
    expect(records.slice(5).map((r) => [r.file, r.fileIndex, r.line])).toEqual([
      ['b.log', 1, 1],
      ['b.log', 1, 2],
    ]);
    expect(snap.progress.fileIndex).toBe(1);
    const withJob = await analyze([fileOf(MIXED)], UTC, { jobId: 42 });
    expect(withJob.jobId).toBe(42);
  });

  it('detects JSON lines and logfmt files', async () => {
    const json =
      '{"time":"2025-03-14T10:00:00Z","level":"info","service":"a","msg":"x","k":1}\n{"time":"2025-03-14T10:00:01Z","level":"error","service":"b","msg":"y"}\n';
    const { snap, records } = await run([fileOf(json, 'j.log')]);
    expect(snap.files[0]!.format).toBe('json');
    expect(snap.levels).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(records[0]!.fields).toEqual({ k: 1 });
    const lf =
      'ts=2025-03-14T10:00:00Z level=warn msg="a b" app=x\nts=2025-03-14T10:00:01Z level=info msg=c app=y\n';
    const r2 = await run([fileOf(lf, 'l.log')]);
    expect(r2.snap.files[0]!.format).toBe('logfmt');
    expect(r2.snap.services.map((s) => s.name)).toEqual(['x', 'y']);
  });

  it('keeps every line of an unrecognized file as an unparsed record, with a warning', async () => {
    const text = 'hello\nworld\n  indented goes with world\n\n';
    const { snap, records } = await run([fileOf(text, 'notes.txt')]);
    expect(snap.totals).toEqual({
      bytes: text.length,
      lines: 4,
      emptyLines: 1,
      records: 2,
      unparsed: 2,
      continuationLines: 1,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed: 2,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(records.map((r) => [r.message, r.continuation, r.service, r.parsed])).toEqual([
      ['hello', null, 'notes.txt', false],
      ['world', '  indented goes with world', 'notes.txt', false],
    ]);
    expect(snap.levels).toEqual([0, 0, 0, 0, 0, 0, 2]);
    expect(snap.timeRange).toBeNull();
    expect(snap.timeline).toEqual({ bucketMs: 1000, start: null, counts: [[], [], [], [], [], [], []] });
    expect(snap.files[0]!.format).toBe('unknown');
    expect(snap.files[0]!.formatName).toBe('not detected');
    expect(snap.files[0]!.warnings).toEqual([
      'No known log format was recognized: every line was kept as an unparsed record (no times or levels).',
    ]);
  });
});

describe('analyze: damaged and odd inputs', () => {
  it('reads gzip input (recognized by its magic bytes) like the plain text', async () => {
    const plain = await run([fileOf(MIXED, 'app.log')]);
    const gz = new Uint8Array(gzipSync(utf8(MIXED)));
    const { snap, records } = await run([fileOf(gz, 'app.log.whatever')]);
    expect(records).toEqual(plain.records.map((r) => ({ ...r, file: 'app.log.whatever' })));
    expect(snap.totals).toEqual(MIXED_TOTALS);
    expect(snap.files[0]).toEqual({
      ...plain.snap.files[0]!,
      name: 'app.log.whatever',
      bytes: gz.length,
      bytesRead: MIXED_TOTALS.bytes,
      gzip: true,
    });
    // gzip fed one byte at a time through a stream
    const streamed = await run([
      streamInput('s.gz', chunkedStream(gz, new Array<number>(gz.length).fill(1))),
    ]);
    expect(streamed.snap.totals).toEqual(MIXED_TOTALS);
    expect(streamed.snap.files[0]!.gzip).toBe(true);
    expect(streamed.snap.files[0]!.bytes).toBe(0); // size unknown for a stream
  });

  it('analyzes what came before the end of a truncated gzip and warns', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++)
      lines.push(
        `2025-03-14T10:00:${String(i % 60).padStart(2, '0')}Z INFO svc-${i % 7} message number ${i}`,
      );
    const text = lines.join('\n') + '\n';
    const gz = new Uint8Array(gzipSync(utf8(text)));
    const cutAt = Math.floor(gz.length / 2);
    const { snap, records } = await run([fileOf(gz.slice(0, cutAt), 'cut.log.gz')]);
    const f = snap.files[0]!;
    expect(f.error).toBeNull();
    expect(f.gzip).toBe(true);
    expect(f.bytes).toBe(cutAt);
    expect(f.warnings).toHaveLength(1);
    expect(f.warnings[0]).toMatch(
      /^The gzip data is truncated or corrupt \(.+\); the .+ decompressed before that were analyzed\.$/,
    );
    // a prefix of the text was analyzed: all whole lines, then at most one cut line
    expect(f.bytesRead).toBeGreaterThan(0);
    expect(f.bytesRead).toBeLessThan(utf8(text).length);
    expect(snap.totals.bytes).toBe(f.bytesRead);
    expect(records.length).toBeGreaterThan(100);
    // records match lines one to one; every one but the last is whole, the last may be cut anywhere
    const n = records.length;
    records.slice(0, -1).forEach((r, i) => {
      expect([r.parsed, r.line, r.message]).toEqual([true, i + 1, `message number ${i}`]);
    });
    const last = records[n - 1]!;
    const lastLine = lines[n - 1]!;
    if (last.parsed) expect(`message number ${n - 1}`.startsWith(last.message)).toBe(true);
    else expect(lastLine.startsWith(last.message)).toBe(true);
    expect(f.bytesRead).toBe(utf8(lines.slice(0, n - 1).join('\n') + '\n').length + last.length);
    expect(snap.totals.records).toBe(n);
    expect(snap.totals.lines).toBe(n);
    expect(f.format).toBe('iso-level-service');
  });

  it('refuses a binary file (control bytes, invalid UTF-8) with an error and analyzes nothing of it', async () => {
    // a text line, then bytes of every value: 154 of the 285 judged (54 %) are control bytes or not UTF-8
    const bin = bytesOf(
      '2025-03-14T10:00:00Z INFO a b\n',
      Array.from({ length: 256 }, (_, i) => i),
    );
    const { snap, records } = await run([
      fileOf(bin, 'image.bin'),
      fileOf('2025-03-14T10:00:00Z INFO a ok\n', 'ok.log'),
    ]);
    expect(snap.files[0]!.error).toMatch(/not a text log/);
    expect(snap.files[0]!.records).toBe(0);
    expect(snap.files[0]!.warnings).toEqual([]);
    expect(records.map((r) => r.file)).toEqual(['ok.log']);
    expect(snap.totals.records).toBe(1);
    expect(snap.files[1]!.error).toBeNull();
  });

  it('names UTF-16 input as such', async () => {
    const utf16 = bytesOf([0xff, 0xfe], [0x61, 0, 0x62, 0, 0x0a, 0]);
    const { snap } = await run([fileOf(utf16, 'win.log')]);
    expect(snap.files[0]!.error).toMatch(/UTF-16/);
  });

  it('warns that an empty file is empty', async () => {
    const { snap, records } = await run([fileOf('', 'empty.log')]);
    expect(records).toEqual([]);
    expect(snap.files[0]!.warnings).toEqual(['The file is empty: there is nothing to analyze.']);
    expect(snap.files[0]!.error).toBeNull();
    expect(snap.files[0]!.format).toBe('unknown');
    expect(snap.totals).toEqual({
      bytes: 0,
      lines: 0,
      emptyLines: 0,
      records: 0,
      unparsed: 0,
      continuationLines: 0,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed: 0,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(snap.progress).toMatchObject({ bytesRead: 0, totalBytes: 0, done: true });
  });

  it('analyzes no input at all', async () => {
    const snap = await analyze([], UTC);
    expect(snap.files).toEqual([]);
    expect(snap.totals.records).toBe(0);
    expect(snap.levels).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('counts lines with invalid UTF-8 and decodes them with U+FFFD', async () => {
    const input = bytesOf(
      '2025-03-14T10:00:00Z INFO api caf',
      [0xe9], // Latin-1 é
      '\n2025-03-14T10:00:01Z INFO api café\n2025-03-14T10:00:02Z WARN api bad ',
      [0xc0, 0xaf], // overlong '/'
      '\n2025-03-14T10:00:03Z INFO api ascii\n',
    );
    const { snap, records } = await run([fileOf(input)]);
    expect(snap.totals.invalidUtf8).toBe(2);
    expect(snap.totals.records).toBe(4);
    expect(records.map((r) => r.message)).toEqual(['caf\uFFFD', 'café', 'bad \uFFFD\uFFFD', 'ascii']);
    expect(snap.files[0]!.warnings).toEqual(['2 line(s) held invalid UTF-8, shown with U+FFFD (�).']);
  });

  it('cuts a line over maxLineBytes and counts it truncated', async () => {
    const cfg = config({ maxLineBytes: 1024, timeZone: 'UTC' });
    const prefix = '2025-03-14T10:00:00Z ERROR api ';
    const long = prefix + 'x'.repeat(2000);
    const text = `${long}\n2025-03-14T10:00:01Z INFO api short\n`;
    const { snap, records } = await run([fileOf(text)], cfg);
    expect(snap.totals.truncatedLines).toBe(1);
    expect(snap.totals.records).toBe(2);
    expect(snap.totals.lines).toBe(2);
    expect(records[0]!.message).toBe('x'.repeat(1024 - prefix.length));
    expect(records[0]!.length).toBe(long.length + 1);
    expect(records[1]!).toMatchObject({ message: 'short', offset: long.length + 1, line: 2 });
    expect(snap.files[0]!.warnings).toEqual([
      '1 line(s) longer than the line-length cap were cut at the cap.',
    ]);
    // the same line under the default 1 MiB cap is whole
    const whole = await run([fileOf(text)]);
    expect(whole.snap.totals.truncatedLines).toBe(0);
    expect(whole.records[0]!.message).toBe('x'.repeat(2000));
  });

  it('strips a UTF-8 byte order mark', async () => {
    const text = '\uFEFF2025-03-14T10:00:00Z INFO api hello\n2025-03-14T10:00:01Z INFO api again\n';
    const { snap, records } = await run([fileOf(text, 'bom.log')]);
    expect(snap.files[0]!.format).toBe('iso-level-service');
    expect(snap.files[0]!.formatConfidence).toBe(1);
    expect(snap.totals.records).toBe(2);
    expect(snap.totals.unparsed).toBe(0);
    expect(records.map((r) => [r.time, r.service, r.message])).toEqual([
      [T(10, 0, 0), 'api', 'hello'],
      [T(10, 0, 1), 'api', 'again'],
    ]);
  });

  it('applies the configured time zone to times without one', async () => {
    const text = '2025-07-14 12:00:00 INFO api hello\n';
    const paris = await run([fileOf(text)], config({ timeZone: 'Europe/Paris' }));
    expect(paris.records[0]!.time).toBe(Date.UTC(2025, 6, 14, 10));
    const utc = await run([fileOf(text)]);
    expect(utc.records[0]!.time).toBe(Date.UTC(2025, 6, 14, 12));
  });

  it('counts only the configured error levels as service errors', async () => {
    const cfg = config({ timeZone: 'UTC', errorLevels: ['WARN'] });
    const { snap } = await run([fileOf(MIXED)], cfg);
    expect(snap.services.find((s) => s.name === 'auth-service')).toEqual({
      name: 'auth-service',
      records: 1,
      errors: 1,
    });
    expect(snap.services.find((s) => s.name === 'order-service')).toEqual({
      name: 'order-service',
      records: 1,
      errors: 0,
    });
  });

  // Regression: a blank line inside a stack trace was once counted twice (as an empty line and, since the
  // next continuation line extends lineEnd across it, as a continuation line). The builder now counts
  // continuation lines one by one: 3 lines = 1 record line + 1 empty + 1 continuation.
  it('does not count a blank line inside a stack trace as a continuation line too', async () => {
    const { snap } = await run([fileOf('2025-03-14T10:22:31Z ERROR svc boom\n\n\tat a.b(C.java:1)\n')]);
    expect(snap.totals.continuationLines).toBe(1);
    expect(snap.totals.emptyLines).toBe(1);
    expect(snap.totals.records).toBe(1);
  });

  // Regression: 'constructor' (inherited from Object.prototype) was once taken for a level word. The line is
  // rejected by every format; before the first record, it is an unparsed record named after the file.
  it('does not take "constructor" for a level word', async () => {
    const line = '2025-03-14T10:22:31Z constructor svc hello';
    const { records } = await run([fileOf(`${line}\n2025-03-14T10:22:32Z INFO svc ok\n`)]);
    expect(records[0]).toMatchObject({
      parsed: false,
      time: null,
      level: null,
      service: 'x.log',
      message: line,
      continuation: null,
    });
    expect(records).toHaveLength(2);
  });
});

describe('analyze: progress', () => {
  it('calls onSnapshot after each chunk when intervalMs is 0', async () => {
    const bytes = utf8(MIXED.repeat(200)); // 2600 lines: past the 1000-line detection sample
    const snaps: Snapshot[] = [];
    const sizes = [10_000, 10_000, 10_000];
    const final = await analyze([streamInput('big.log', chunkedStream(bytes, sizes), bytes.length)], UTC, {
      intervalMs: 0,
      jobId: 7,
      onSnapshot: (s) => snaps.push(s),
    });
    const chunks = Math.ceil(bytes.length / 10_000) >= 4 ? 4 : 3;
    expect(snaps).toHaveLength(chunks);
    expect(snaps.map((s) => s.progress.bytesRead)).toEqual(
      [10_000, 20_000, 30_000, bytes.length].slice(0, chunks),
    );
    for (const s of snaps) {
      expect(s.jobId).toBe(7);
      expect(s.progress.done).toBe(false);
      expect(s.progress.totalBytes).toBe(bytes.length);
      expect(s.progress.fileIndex).toBe(0);
      expect(s.totals.bytes).toBe(s.progress.bytesRead);
      expect(s.files[0]!.bytesRead).toBe(s.progress.bytesRead);
    }
    const recs = snaps.map((s) => s.progress.records);
    expect([...recs].sort((a, b) => a - b)).toEqual(recs);
    expect(final.progress.done).toBe(true);
    expect(final.totals.records).toBe(1000); // 5 records in each of the 200 copies
    expect(final.totals.lines).toBe(2600);
  });

  it('one snapshot for a small file read in one chunk, before detection has decided', async () => {
    const snaps: Snapshot[] = [];
    const size = utf8(MIXED).length;
    await analyze([fileOf(MIXED)], UTC, { intervalMs: 0, onSnapshot: (s) => snaps.push(s) });
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.progress).toMatchObject({
      bytesRead: size,
      totalBytes: size,
      records: 0,
      fileIndex: 0,
      done: false,
    });
    expect(snaps[0]!.totals.bytes).toBe(size);
  });
});
