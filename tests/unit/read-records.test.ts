import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { RecordIndex } from '../../src/engine/analyzers/record-index.ts';
import { readRecords, type RecordRow } from '../../src/engine/read-records.ts';
import type { Config } from '../../src/engine/config.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { config, fileOf, rng, sampleText } from './helpers.ts';
import { compileQuery, parseQuery } from '../../src/engine/query/index.ts';
import { highlighter } from '../../src/lib/highlight.ts';

const CHECKOUT = readFileSync(new URL('../fixtures/e2e/checkout.log', import.meta.url), 'utf8');

function rowOf(r: LogRecord, n: number): RecordRow {
  return {
    n,
    file: r.file,
    fileIndex: r.fileIndex,
    line: r.line,
    lineEnd: r.lineEnd,
    time: r.time,
    level: r.level,
    service: r.service,
    message: r.message,
    continuation: r.continuation,
    offset: r.offset,
    length: r.length,
  };
}

async function analyzed(
  files: File[],
  cfg: Config = config(),
): Promise<{ snap: Snapshot; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const snap = await analyze(files, cfg, { onRecord: (r) => records.push(r) });
  return { snap, records };
}

const ctxOf = (snap: Snapshot, cfg: Config = config()) => ({
  index: snap.recordIndex!,
  formats: snap.files.map((f) => f.format),
  config: cfg,
});

describe('readRecords', () => {
  it('reads exact rows of the fixture, with their line numbers in the file', async () => {
    const file = fileOf(CHECKOUT, 'checkout.log');
    const { snap } = await analyzed([file]);
    const page = await readRecords([file], ctxOf(snap), { fromRecord: 2, count: 3 });
    expect(page.next).toBe(5);
    expect(page.rows.map((r) => [r.n, r.line, r.lineEnd, r.level, r.service, r.message])).toEqual([
      [2, 3, 3, 'WARN', 'payment-service', 'Retrying call to provider attempt=1'],
      [3, 4, 9, 'ERROR', 'payment-service', 'Timeout calling db after 3000ms'],
      // a blank line and a line of no format join the record before them
      [4, 10, 12, 'INFO', 'api-gateway', 'GET /v1/cart 200 8ms'],
    ]);
    expect(page.rows[1]!.continuation).toBe(CHECKOUT.split('\n').slice(4, 9).join('\n'));
    expect(page.rows[1]!.time).toBe(Date.parse('2025-03-14T10:00:03.000Z'));
    const tail = await readRecords([file], ctxOf(snap), { fromRecord: 5, count: 100 });
    expect(tail.next).toBeNull();
    expect(tail.rows.map((r) => [r.n, r.line, r.message])).toEqual([
      [5, 13, 'Out of memory'],
      [6, 14, 'User 42 logged in'],
      [7, 15, 'upstream returned 503'],
      [8, 16, 'GET /health 200 1ms'],
    ]);
  });

  it('filters with a predicate, paging on with the next record number', async () => {
    const file = fileOf(CHECKOUT, 'checkout.log');
    const { snap } = await analyzed([file]);
    const match = (r: LogRecord) => r.level === 'ERROR';
    const first = await readRecords([file], ctxOf(snap), { fromRecord: 0, count: 1, match });
    expect(first.rows.map((r) => r.n)).toEqual([3]);
    expect(first.next).toBe(4);
    const rest = await readRecords([file], ctxOf(snap), { fromRecord: first.next!, count: 5, match });
    expect(rest.rows.map((r) => r.n)).toEqual([7]);
    expect(rest.next).toBeNull();
    const short = await readRecords([file], ctxOf(snap), {
      fromRecord: 0,
      count: 5,
      match: () => false,
      scanLimit: 4,
    });
    expect(short).toEqual({ rows: [], next: 4, scanned: 4 });
  });

  it("equals analyze()'s records, from any record, through checkpoints (plain and gzip, several files)", async () => {
    const a = sampleText({ bytes: 250_000, seed: 1, stackTraces: true, nonAscii: true }).text;
    const b = sampleText({ bytes: 120_000, seed: 2, stackTraces: true }).text;
    const files = [new File([a], 'a.log'), new File([gzipSync(Buffer.from(b))], 'b.log.gz')];
    // a fine index (1 KiB steps), so pages start from checkpoints in the middle
    const records: LogRecord[] = [];
    const snap = await analyze(files, config(), { onRecord: (r) => records.push(r) });
    const idx = new RecordIndex(1024, 4096);
    for (const r of records) idx.push(r);
    const ctxs = [ctxOf(snap), { ...ctxOf(snap), index: idx.snapshot() }];
    expect(ctxs[1]!.index.files[0]!.offset.length).toBeGreaterThan(100);
    const random = rng(4);
    for (let trial = 0; trial < 12; trial++) {
      const from = Math.floor(random() * records.length);
      const count = 1 + Math.floor(random() * 300);
      const want = records.slice(from, from + count).map((r, i) => rowOf(r, from + i));
      for (const ctx of ctxs) {
        const page = await readRecords(files, ctx, { fromRecord: from, count });
        expect(page.rows).toEqual(want);
        expect(page.next).toBe(from + count < records.length ? from + count : null);
      }
    }
  });

  it('filters with a query (the worker compiles `where` so)', async () => {
    const file = fileOf(CHECKOUT, 'checkout.log');
    const { snap } = await analyzed([file]);
    const where = (text: string) => {
      const p = parseQuery(text);
      if (!p.ok) throw new Error(p.error.message);
      const m = compileQuery(p.query);
      return (r: LogRecord) => m.matches(r, null);
    };
    const read = async (q: string) =>
      (await readRecords([file], ctxOf(snap), { fromRecord: 0, count: 50, match: where(q) })).rows.map(
        (r) => r.line,
      );
    // lines counted in the fixture: ERROR records start at lines 4 and 15; 'api-gateway' at 1, 10, 15, 16
    expect(await read('level:ERROR')).toEqual([4, 15]);
    expect(await read('service:api-gateway')).toEqual([1, 10, 15, 16]);
    expect(await read('level:>=WARN -service:payment*')).toEqual([13, 15]);
  });
});

describe('highlighter', () => {
  it('splits text into plain and marked parts: words case-insensitive, regexes', () => {
    const h = highlighter({ words: ['timeout'], regexes: ['\\d+ms'] });
    expect(h.split('Timeout calling db after 3000ms, timeout')).toEqual([
      { text: 'Timeout', hit: true },
      { text: ' calling db after ', hit: false },
      { text: '3000ms', hit: true },
      { text: ', ', hit: false },
      { text: 'timeout', hit: true },
    ]);
    expect(highlighter(null).split('a b')).toEqual([{ text: 'a b', hit: false }]);
  });
});
