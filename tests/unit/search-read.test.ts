import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { RecordIndex } from '../../src/engine/analyzers/record-index.ts';
import { dropGzipCursor, readRecords } from '../../src/engine/read-records.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { config, sampleText } from './helpers.ts';

/** A .gz File that counts how often it is read from its start (stream()). */
function countingGzip(text: string, name: string): { file: File; opened: () => number } {
  const bytes = gzipSync(Buffer.from(text));
  const file = new File([bytes], name);
  let n = 0;
  const stream = file.stream.bind(file);
  Object.defineProperty(file, 'stream', {
    value: () => {
      n++;
      return stream();
    },
  });
  return { file, opened: () => n };
}

describe('the log view reading a .gz: paging on does not inflate from the start again', () => {
  const text = sampleText({ bytes: 400_000, seed: 3, stackTraces: true, nonAscii: true }).text;

  it('pages read one after another equal analyze()’s records, through one inflating stream', async () => {
    dropGzipCursor();
    const { file, opened } = countingGzip(text, 'app.log.gz');
    const records: LogRecord[] = [];
    const snap = await analyze([file], config(), { onRecord: (r) => records.push(r) });
    const idx = new RecordIndex(4096, 4096);
    for (const r of records) idx.push(r);
    const ctx = { index: idx.snapshot(), formats: snap.files.map((f) => f.format), config: config() };
    const before = opened();
    const rows: number[] = [];
    let from: number | null = 0;
    let pages = 0;
    while (from !== null) {
      const page = await readRecords([file], ctx, { fromRecord: from, count: 150 });
      for (const r of page.rows) rows.push(r.offset);
      from = page.next;
      pages++;
    }
    expect(pages).toBeGreaterThan(10);
    expect(rows).toEqual(records.map((r) => r.offset));
    expect(opened() - before).toBe(1);

    // a jump back starts again from the file's start, and reads the same records
    const back = await readRecords([file], ctx, { fromRecord: 10, count: 5 });
    expect(back.rows.map((r) => r.line)).toEqual(records.slice(10, 15).map((r) => r.line));
    expect(opened() - before).toBe(2);
    // and a query's pages (matches found on, from `next`) go on the same way: from record 0, where the cursor
    // left after that jump still is (in the stream's first chunk), so no stream is opened again
    const errors = records.filter((r) => r.level === 'ERROR');
    const found: number[] = [];
    from = 0;
    while (from !== null) {
      const page = await readRecords([file], ctx, {
        fromRecord: from,
        count: 7,
        match: (r) => r.level === 'ERROR',
      });
      for (const r of page.rows) found.push(r.line);
      from = page.next;
    }
    expect(found).toEqual(errors.map((r) => r.line));
    expect(opened() - before).toBe(2);
  });
});
