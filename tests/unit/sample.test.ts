import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { REALISTIC, rng } from '../../src/engine/sample.ts';
import { LEVELS } from '../../src/engine/types.ts';
import { config, fileOf, sampleText } from './helpers.ts';

describe('rng', () => {
  it('is deterministic per seed and in [0, 1)', () => {
    const a = rng(5);
    const b = rng(5);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(rng(6)()).not.toBe(rng(5)());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('generateSample', () => {
  it('is deterministic for a seed, and differs across seeds', () => {
    const a = sampleText({ bytes: 100_000, seed: 7 });
    const b = sampleText({ bytes: 100_000, seed: 7 });
    expect(b.text).toBe(a.text);
    expect(b.truth).toEqual(a.truth);
    const c = sampleText({ bytes: 100_000, seed: 8 });
    expect(c.text).not.toBe(a.text);
  });

  it('writes at least the asked bytes, whole lines, and starts at `start`', () => {
    const start = Date.UTC(2024, 0, 1);
    const { text, truth } = sampleText({ bytes: 50_000, seed: 3, start, spanMs: 3600_000 });
    expect(truth.bytes).toBe(text.length);
    expect(truth.bytes).toBeGreaterThanOrEqual(50_000);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').length - 1).toBe(truth.lines);
    expect(truth.firstTime).toBe(start);
    expect(text.startsWith('2024-01-01T00:')).toBe(true);
    expect(truth.lastTime).toBeGreaterThan(start);
    expect(truth.lastTime).toBeLessThan(start + 2 * 3600_000);
  });

  it("its truth equals analyze()'s counts on the generated text", async () => {
    for (const seed of [1, 2, 3]) {
      const { text, truth } = sampleText({ bytes: 200_000, seed });
      const snap = await analyze([fileOf(text, 'sample.log')], config({ timeZone: 'UTC' }));
      expect(snap.totals).toEqual({
        bytes: truth.bytes,
        lines: truth.lines,
        emptyLines: 0,
        records: truth.records,
        unparsed: 0,
        continuationLines: truth.lines - truth.records,
        invalidUtf8: 0,
        truncatedLines: 0,
        untimed: 0,
        invalidTimes: 0,
        nulBytesSkipped: 0,
      });
      expect(snap.levels).toEqual([...LEVELS.map((l) => truth.levels[l]), 0]);
      const services = Object.fromEntries(
        snap.services.map((s) => [s.name, { records: s.records, errors: s.errors }]),
      );
      expect(services).toEqual(truth.services);
      expect(snap.timeRange?.end).toBe(truth.lastTime);
      expect(snap.timeRange!.start).toBeGreaterThanOrEqual(truth.firstTime);
      expect(snap.files[0]!.format).toBe('iso-level-service');
      expect(snap.files[0]!.formatConfidence).toBe(1);
      expect(truth.lines).toBeGreaterThan(truth.records); // there are stack traces
    }
  });

  it('has a level mix within 1.5 points of 80 / 10 / 7 / 3 % (ERROR and FATAL together)', () => {
    for (const seed of [42, 1]) {
      const { truth } = sampleText({ bytes: 2_000_000, seed });
      const pct = (n: number): number => (100 * n) / truth.records;
      expect(Math.abs(pct(truth.levels.INFO) - 80)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(pct(truth.levels.DEBUG) - 10)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(pct(truth.levels.WARN) - 7)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(pct(truth.levels.ERROR + truth.levels.FATAL) - 3)).toBeLessThanOrEqual(1.5);
      expect(truth.levels.TRACE).toBe(0);
    }
  });

  it('writes the same bytes as before its options existed, when they are off', () => {
    // "Try a sample", the golden truths and the tests depend on these bytes (sha256 of 1 MB, seed 42).
    const { text } = sampleText({ bytes: 1_000_000, seed: 42 });
    expect(createHash('sha256').update(text).digest('hex')).toBe(
      '881a27759b08494d80f6fae8c2473cd244077e5b6305ea34f12fe3bad2ad6ddb',
    );
    const off = sampleText({
      bytes: 200_000,
      seed: 42,
      stackTraces: false,
      nonAscii: false,
      extraTemplates: 0,
    });
    expect(off.text).toBe(sampleText({ bytes: 200_000, seed: 42 }).text);
  });
});

describe("generateSample, realistic (the benchmarks' log)", () => {
  it("its truth equals analyze()'s counts on 2 MB, stack traces joined", async () => {
    const { text, truth } = sampleText({ bytes: 2_000_000, seed: 42, ...REALISTIC });
    const bytes = new TextEncoder().encode(text);
    expect(truth.bytes).toBe(bytes.length);
    expect(truth.bytes).toBeGreaterThan(text.length); // some names are non-ASCII
    const snap = await analyze([fileOf(bytes, 'realistic.log')], config({ timeZone: 'UTC' }));
    expect(snap.totals.records).toBe(truth.records);
    expect(snap.totals.lines).toBe(truth.lines);
    expect(snap.totals.bytes).toBe(truth.bytes);
    expect(snap.totals.continuationLines).toBe(truth.lines - truth.records);
    expect(snap.totals.unparsed).toBe(0);
    expect(snap.totals.invalidUtf8).toBe(0);
    expect(snap.levels).toEqual([...LEVELS.map((l) => truth.levels[l]), 0]);
    const services = Object.fromEntries(
      snap.services.map((s) => [s.name, { records: s.records, errors: s.errors }]),
    );
    expect(services).toEqual(truth.services);
    expect(snap.timeRange?.end).toBe(truth.lastTime);
  });

  it('has ~10 % errors, each traffic error with a 5–30-line trace, ~0.1 % non-ASCII records, many shapes', () => {
    const { text, truth } = sampleText({ bytes: 2_000_000, seed: 1, ...REALISTIC });
    const errors = (truth.levels.ERROR + truth.levels.FATAL) / truth.records;
    expect(errors).toBeGreaterThan(0.08);
    expect(errors).toBeLessThan(0.13);
    const lines = text.split('\n').slice(0, -1);
    const isRecord = (l: string): boolean => /^\d{4}-\d\d-\d\dT/.test(l);
    let run = 0;
    const runs: number[] = [];
    for (const l of lines) {
      if (isRecord(l)) {
        if (run > 0) runs.push(run);
        run = 0;
      } else run++;
    }
    if (run > 0) runs.push(run);
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(4); // the short traces of incident errors: 4+ lines
    expect(Math.max(...runs)).toBeLessThanOrEqual(30);
    expect(lines.some((l) => l.startsWith('Caused by: '))).toBe(true);
    expect(lines.some((l) => /^\t\.\.\. \d+ more$/.test(l))).toBe(true);
    const nonAscii = lines.filter((l) => /[\u0080-\uffff]/.test(l)).length / truth.records;
    expect(nonAscii).toBeGreaterThan(0.0004);
    expect(nonAscii).toBeLessThan(0.002);
    const ascii = sampleText({ bytes: 500_000, seed: 1, ...REALISTIC, nonAscii: false });
    expect(/[\u0080-\uffff]/.test(ascii.text)).toBe(false);
    const shapes = new Set(
      lines.filter(isRecord).map((l) =>
        l
          .split(' ')
          .slice(3)
          .filter((w) => !/\d/.test(w))
          .join(' '),
      ),
    );
    expect(shapes.size).toBeGreaterThan(200);
  });
});
