import { describe, expect, it } from 'vitest';
import { RecordIndex } from '../../src/engine/analyzers/record-index.ts';
import { analyze } from '../../src/engine/analyze.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { analyzeSliced, config, fileOf, rng, sampleText } from './helpers.ts';

/** 12 records of 40 bytes each (39 characters and '\n'): offsets 0, 40, … 440. */
function fortyByteLines(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const line = `2025-03-14T10:00:${String(i).padStart(2, '0')}.000Z INFO svc m`;
    s += line.padEnd(39, 'x') + '\n';
  }
  return s;
}

async function recordsOf(text: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  await analyze([fileOf(text)], config(), { onRecord: (r) => out.push(r) });
  return out;
}

/** The definition, written apart: a checkpoint at step S has a multiple of S in (previous offset, offset]. */
function oracle(records: readonly LogRecord[], base: number, cap: number) {
  const at = (s: number) =>
    records.filter((r, i) => i === 0 || Math.floor(r.offset / s) > Math.floor(records[i - 1]!.offset / s));
  let step = base;
  while (at(step).length - 1 > cap) step *= 2;
  const kept = at(step);
  return {
    fileIndex: 0,
    records: records.length,
    step,
    offset: kept.map((r) => r.offset),
    line: kept.map((r) => r.line),
    record: kept.map((r) => records.indexOf(r)),
    time: kept.map((r) => r.time),
  };
}

describe('record index', () => {
  it('keeps the first record past each step, exactly', async () => {
    const records = await recordsOf(fortyByteLines(12));
    expect(records.map((r) => r.offset)).toEqual([0, 40, 80, 120, 160, 200, 240, 280, 320, 360, 400, 440]);
    const idx = new RecordIndex(100, 10);
    for (const r of records) idx.push(r);
    const f = idx.snapshot().files[0]!;
    expect(f).toMatchObject({
      records: 12,
      step: 100,
      offset: [0, 120, 200, 320, 400],
      line: [1, 4, 6, 9, 11],
      record: [0, 3, 5, 8, 10],
    });
    expect(f.time[1]).toBe(Date.parse('2025-03-14T10:00:03.000Z'));
  });

  it('doubles the step when the list passes the cap', async () => {
    const records = await recordsOf(fortyByteLines(12));
    const idx = new RecordIndex(100, 3);
    for (const r of records) idx.push(r);
    expect(idx.snapshot().files[0]).toMatchObject({ step: 200, offset: [0, 200, 400], record: [0, 5, 10] });
  });

  it('counts multi-line records by their first line', async () => {
    const text = 'a\n' + fortyByteLines(2) + '\tat x\n\tat y\n' + fortyByteLines(3);
    const records = await recordsOf(text);
    const idx = new RecordIndex(64, 100);
    for (const r of records) idx.push(r);
    expect(idx.snapshot().files[0]).toEqual(oracle(records, 64, 100));
  });

  it('equals the definition on a realistic sample, whatever the cap', async () => {
    const { text } = sampleText({ bytes: 300_000, seed: 3, stackTraces: true });
    const records = await recordsOf(text);
    for (const [base, cap] of [
      [1024, 4096],
      [512, 50],
      [64, 7],
    ] as const) {
      const idx = new RecordIndex(base, cap);
      for (const r of records) idx.push(r);
      expect(idx.snapshot().files[0]).toEqual(oracle(records, base, cap));
    }
  });

  it('merged parts equal one pass, for any split (parts cloned, line numbers from each part)', async () => {
    const { text } = sampleText({ bytes: 200_000, seed: 9, stackTraces: true });
    const records = await recordsOf(text);
    const whole = new RecordIndex(256, 40);
    for (const r of records) whole.push(r);
    const random = rng(17);
    for (let trial = 0; trial < 20; trial++) {
      const cuts = [
        0,
        ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * records.length)),
        records.length,
      ].sort((a, b) => a - b);
      let merged: RecordIndex | null = null;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const part = records.slice(cuts[i], cuts[i + 1]);
        const lineOffset = cuts[i]! > 0 ? records[cuts[i]!]!.line - 1 : 0;
        const idx = new RecordIndex(256, 40);
        for (const r of part) idx.push({ ...r, line: r.line - lineOffset, lineEnd: r.lineEnd - lineOffset });
        if (merged === null) merged = idx;
        else merged.merge(structuredClone(idx), lineOffset);
      }
      expect(merged!.snapshot()).toEqual(whole.snapshot());
    }
  });

  it('keeps files apart, numbering records and lines per file', () => {
    const idx = new RecordIndex(10, 100);
    const r = (fileIndex: number, offset: number, line: number) =>
      ({ offset, line, lineEnd: line, fileIndex, time: null }) as LogRecord;
    [r(0, 0, 1), r(0, 15, 2), r(1, 0, 1), r(1, 5, 2), r(1, 12, 3)].forEach((x) => idx.push(x));
    expect(idx.snapshot().files).toEqual([
      {
        fileIndex: 0,
        records: 2,
        step: 10,
        offset: [0, 15],
        line: [1, 2],
        record: [0, 1],
        time: [null, null],
      },
      {
        fileIndex: 1,
        records: 3,
        step: 10,
        offset: [0, 12],
        line: [1, 3],
        record: [0, 2],
        time: [null, null],
      },
    ]);
  });

  it('is in the final snapshot, equal for a file read in slices', async () => {
    const { text } = sampleText({ bytes: 400_000, seed: 5, stackTraces: true });
    const file = fileOf(text);
    const cfg = config({ format: 'iso-level-service' });
    const one = await analyze([file], cfg);
    const sliced = await analyzeSliced(file, [100_000, 150_001, 333_333], cfg);
    expect(one.recordIndex!.files[0]!.records).toBe(one.totals.records);
    expect(one.recordIndex!.files[0]!.offset.length).toBeGreaterThan(4);
    expect(sliced.recordIndex).toEqual(one.recordIndex);
  });
});
