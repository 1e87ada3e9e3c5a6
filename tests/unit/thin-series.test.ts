import { describe, expect, it } from 'vitest';
import { thinSeries } from '../../src/engine/analyzers/thin-series.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG } from '../../src/engine/config.ts';
import { PROGRESS_SERIES } from '../../src/engine/analysis.ts';
import type { Snapshot } from '../../src/engine/types.ts';

describe('thinSeries', () => {
  it('keeps a short series as it is', () => {
    const s = { bucketMs: 60_000, start: 0, values: [1, 2, 3], mean: [null, 1, 1.5], std: [null, 0, 0.5] };
    expect(thinSeries(s, 3)).toBe(s);
  });

  it('shows each run of buckets by its highest, with that bucket’s mean and σ′', () => {
    const values = [0, 5, 1, 2, 9, 3, 4];
    const s = {
      bucketMs: 1000,
      start: 10_000,
      values,
      mean: values.map((v) => v / 2),
      std: values.map((v) => v / 4),
    };
    expect(thinSeries(s, 3)).toEqual({
      bucketMs: 3000,
      start: 10_000,
      values: [5, 9, 4],
      mean: [2.5, 4.5, 2],
      std: [1.25, 2.25, 1],
    });
  });
});

describe('progress snapshots', () => {
  it('carry rolling series of bounded size; the final one carries every bucket', async () => {
    // one error a minute for three days: 4,320 one-minute anomaly buckets
    const lines: string[] = [];
    for (let m = 0; m < 3 * 24 * 60; m++)
      lines.push(`${new Date(Date.UTC(2025, 0, 1) + m * 60_000).toISOString()} ERROR api failed ${m}`);
    const text = lines.join('\n') + '\n';
    const file = new File([text], 'a.log');
    const seen: Snapshot[] = [];
    const final = await analyze(
      [file],
      { ...DEFAULT_CONFIG, anomalies: { ...DEFAULT_CONFIG.anomalies, bucketSec: 60 } },
      {
        intervalMs: 0,
        onSnapshot: (s) => seen.push(s),
      },
    );
    expect(final.detectors.errorSeries.values.length).toBe(4320);
    // a late progress snapshot had more buckets than that, and was thinned
    expect(seen.some((s) => s.detectors.errorSeries.bucketMs > 60_000)).toBe(true);
    for (const s of seen) {
      expect(s.detectors.errorSeries.values.length).toBeLessThanOrEqual(PROGRESS_SERIES);
      expect(s.detectors.volumeSeries.values.length).toBeLessThanOrEqual(PROGRESS_SERIES);
    }
  });
});
