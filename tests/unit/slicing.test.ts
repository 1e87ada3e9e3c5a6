import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { generateSample } from '../../src/engine/sample.ts';
import { SLICE_MIN_BYTES, planPieces, sliceCount, sliceRanges } from '../../src/engine/slicing.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { fileInput } from '../../src/cli/node-input.ts';
import { analyzeThreaded } from '../../src/cli/threads.ts';
import { config } from './helpers.ts';

const MiB = 1024 * 1024;
const iso = { format: 'iso-level', gzip: false };

describe('the slicing plan', () => {
  it('slices a big plain file of a known format, one slice per worker, none under half the threshold', () => {
    expect(sliceCount(1024 * MiB, 4, iso)).toBe(4);
    expect(sliceCount(1024 * MiB, 2, iso)).toBe(2);
    expect(sliceCount(40 * MiB, 8, iso)).toBe(2);
    expect(sliceCount(SLICE_MIN_BYTES, 8, iso)).toBe(2);
  });

  it('reads whole: one worker, a small file, gzip, no known format, CRI', () => {
    expect(sliceCount(1024 * MiB, 1, iso)).toBe(1);
    expect(sliceCount(SLICE_MIN_BYTES - 1, 4, iso)).toBe(1);
    expect(sliceCount(1024 * MiB, 4, { format: 'iso-level', gzip: true })).toBe(1);
    expect(sliceCount(1024 * MiB, 4, { format: 'unknown', gzip: false })).toBe(1);
    expect(sliceCount(1024 * MiB, 4, { format: 'k8s-cri', gzip: false })).toBe(1);
  });

  it('cuts ranges that cover the file without overlap', () => {
    expect(sliceRanges(10, 3)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
  });

  it('plans pieces in file order: sliced files with their head format, the others whole', () => {
    const pieces = planPieces(
      [5 * MiB, 100 * MiB, 200 * MiB],
      [null, iso, { ...iso, gzip: true }],
      2,
      'auto',
    );
    expect(pieces).toEqual([
      { file: 0, range: null, format: 'auto' },
      { file: 1, range: { start: 0, end: 50 * MiB }, format: 'iso-level' },
      { file: 1, range: { start: 50 * MiB, end: 100 * MiB }, format: 'iso-level' },
      { file: 2, range: null, format: 'auto' },
    ]);
  });
});

describe('threads merged in file order equal one pass', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'loglens-slicing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sample = (bytes: number, seed: number, hour: number): string => {
    const g = generateSample({ bytes, seed, start: Date.UTC(2025, 2, 14, hour), spanMs: 3 * 3600_000 });
    let text = '';
    for (let s = g.next(); !s.done; s = g.next()) text += s.value;
    return text;
  };
  const without = (s: Snapshot): unknown => ({ ...s, progress: { ...s.progress, elapsedMs: 0 } });

  it('every field of the snapshot, template examples and sequence steps pointing at their files', async () => {
    writeFileSync(join(dir, 'svc.log.2.gz'), gzipSync(sample(800_000, 3, 0)));
    writeFileSync(join(dir, 'svc.log.1'), sample(2_500_000, 4, 3));
    writeFileSync(join(dir, 'svc.log'), sample(1_200_000, 5, 6));
    const inputs = await Promise.all(
      ['svc.log', 'svc.log.1', 'svc.log.2.gz'].map((n) => fileInput(join(dir, n))),
    );
    const cfg = config({ timeZone: 'UTC' });
    const one = await analyze(inputs, cfg);
    const before = process.env['LOGLENS_SLICE_MIN_BYTES'];
    process.env['LOGLENS_SLICE_MIN_BYTES'] = '1000000';
    let plan = '';
    try {
      const many = await analyzeThreaded(inputs, cfg, { threads: 3, onPlan: (p) => (plan = p) });
      expect(plan).toBe('read on 3 threads: svc.log.2.gz whole, svc.log.1 in 3 slices, svc.log in 2 slices');
      expect(without(many)).toEqual(without(one));
      // not vacuous: sequence steps in the later files (a template's example is its earliest record)
      const steps = many.detectors.sequences.flatMap((q) => q.examples.flatMap((e) => e.steps));
      expect(new Set(steps.map((s) => s.fileIndex)).size).toBeGreaterThan(1);
    } finally {
      if (before === undefined) delete process.env['LOGLENS_SLICE_MIN_BYTES'];
      else process.env['LOGLENS_SLICE_MIN_BYTES'] = before;
    }
  });
});
