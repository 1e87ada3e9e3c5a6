import { describe, it, expect } from 'vitest';
import {
  AnomalyDetector,
  type AnomaliesSnapshot,
  type AnomalyParams,
} from '../../src/engine/analyzers/anomalies.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import type { Level, LogRecord } from '../../src/engine/types.ts';
import { rec, rng } from './helpers.ts';
import { exactTie, naiveAnomalies, type NaiveAnomalies } from './naive/anomalies.ts';
import { anomalyDifferences } from './naive/compare.ts';
import {
  intIn,
  mergeAll,
  pick,
  randomErrorLevels,
  randomRecords,
  randomSplit,
  shuffle,
  type Random,
} from './naive/random.ts';

const DEFAULT_ERRORS: Level[] = ['ERROR', 'FATAL'];
const DEFAULTS: AnomalyParams = { bucketSec: 60, history: 30, minHistory: 10, z: 3, minCount: 5, minStd: 1 };
/** a minute boundary */
const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);

function detect(
  records: readonly LogRecord[],
  p: AnomalyParams,
  errorLevels: readonly Level[] = DEFAULT_ERRORS,
): AnomaliesSnapshot {
  const d = new AnomalyDetector(p, errorMask(errorLevels));
  for (const r of records) d.push(r);
  return d.snapshot();
}

/** `counts[i]` records of each given level in bucket i (of bucketMs), spread inside the bucket. */
type Group = readonly [number, Level | null];

function buckets(bucketMs: number, counts: readonly (readonly Group[])[]): LogRecord[] {
  const out: LogRecord[] = [];
  counts.forEach((groups, i) => {
    for (const [n, level] of groups) {
      for (let j = 0; j < n; j++) out.push(rec(T0 + i * bucketMs + ((j * 7919) % bucketMs), level));
    }
  });
  return out;
}

/** The snapshot against the naive result (see anomalyDifferences), tagged for a readable failure. */
function expectLikeNaive(actual: AnomaliesSnapshot, expected: NaiveAnomalies, tag: string): void {
  expect([tag, anomalyDifferences(actual, expected)]).toEqual([tag, []]);
}

interface AnomalyCase {
  p: AnomalyParams;
  errorLevels: Level[];
  records: LogRecord[];
}

function anomalyCase(seed: number): AnomalyCase {
  const random = rng(seed);
  const bucketSec = pick(random, [1, 2, 5, 10, 60, 300]);
  const history = pick(random, [1, 2, 3, 5, 10, 30]);
  const minHistory = pick(random, [1, Math.min(3, history), intIn(random, 1, history), history]);
  const p: AnomalyParams = {
    bucketSec,
    history,
    minHistory,
    z: pick(random, [0.5, 1, 1.5, 2, 3, 4]),
    minCount: pick(random, [0, 1, 2, 2.5, 5, 10]),
    // σ' = 0 (minStd 0) on a constant history gives z = ±∞: both sides must agree on that too
    minStd: pick(random, [0, 0, 0.5, 1, 2]),
  };
  const bucketMs = bucketSec * 1000;
  const perBucket = pick(random, [0.5, 3, 10, 30]);
  const records = randomRecords(random, {
    count: seed % 25 === 0 ? intIn(random, 0, 3) : intIn(random, 20, 2500),
    t0:
      seed % 10 === 0
        ? -86_400_000 * 40 + intIn(random, 0, 86_400_000)
        : Date.UTC(2025, 2, 14) + intIn(random, 0, 86_400_000),
    files: intIn(random, 1, 3),
    meanGapMs: bucketMs / perBucket,
    tieChance: 0.1,
    untimedChance: pick(random, [0, 0.05, 0.3]),
    disorderChance: pick(random, [0, 0.05, 0.2]),
    disorderMs: 3 * bucketMs,
    gapChance: pick(random, [0, 0.002, 0.01]),
    gapMs: [2 * bucketMs, 40 * bucketMs],
    burstChance: pick(random, [0.002, 0.01, 0.03]),
    burstSize: [5, 100],
    burstSpanMs: bucketMs,
    services: ['a', null],
  });
  return { p, errorLevels: randomErrorLevels(random), records };
}

const SEEDS = Array.from({ length: 160 }, (_, i) => i + 1);

describe('AnomalyDetector: hand-worked cases', () => {
  const M = 60_000;

  it('a flat history, then a jump in errors and volume', () => {
    const p = { ...DEFAULTS, history: 5, minHistory: 5 };
    // volume 10, 10, 10, 10, 10, 30 (8 of them errors), 0, 10
    const flat: [number, Level | null][] = [[10, 'INFO']];
    const records = buckets(M, [
      flat,
      flat,
      flat,
      flat,
      flat,
      [
        [22, 'INFO'],
        [5, 'ERROR'],
        [3, 'FATAL'],
      ],
      [],
      flat,
    ]);
    const s = detect(records, p);
    // bucket 5: errors μ=0 σ=0 σ'=1 z=8; volume μ=10 σ=0 σ'=1 z=20.
    // bucket 6: volume history 10,10,10,10,30: μ=14 σ=8 z=−1.75; bucket 7: history 10,10,10,30,0: μ=12.
    expect(s.anomalies).toEqual([
      { series: 'errors', bucketStart: T0 + 5 * M, value: 8, mean: 0, std: 1, rawStd: 0, z: 8 },
      { series: 'volume', bucketStart: T0 + 5 * M, value: 30, mean: 10, std: 1, rawStd: 0, z: 20 },
    ]);
    expect(s.buckets).toBe(8);
    const N = null;
    expect(s.errors).toEqual({
      bucketMs: M,
      start: T0,
      values: [0, 0, 0, 0, 0, 8, 0, 0],
      mean: [N, N, N, N, N, 0, 1.6, 1.6],
      std: [N, N, N, N, N, 1, 3.2, 3.2],
    });
    expect(s.volume.values).toEqual([10, 10, 10, 10, 10, 30, 0, 10]);
    expect(s.volume.mean).toEqual([N, N, N, N, N, 10, 14, 12]);
    expect(s.volume.std.slice(0, 7)).toEqual([N, N, N, N, N, 1, 8]);
    expect(s.volume.std[7]).toBeCloseTo(Math.sqrt(96), 9);
    expectLikeNaive(s, naiveAnomalies(records, p, DEFAULT_ERRORS), 'jump');
  });

  it('a drop in volume is an anomaly with a negative z; errors never are', () => {
    const records = buckets(M, [
      ...Array.from({ length: 10 }, () => [[20, 'INFO']] as const),
      [[2, 'INFO']],
      [[20, 'INFO']],
    ]);
    const s = detect(records, DEFAULTS);
    // bucket 10: μ=20 σ=0 σ'=1 z=−18; bucket 11: μ=202/11, σ≈5.17, z≈0.32
    expect(s.anomalies).toEqual([
      { series: 'volume', bucketStart: T0 + 10 * M, value: 2, mean: 20, std: 1, rawStd: 0, z: -18 },
    ]);
    expect(s.volume.mean[11]).toBeCloseTo(202 / 11, 9);
    expectLikeNaive(s, naiveAnomalies(records, DEFAULTS, DEFAULT_ERRORS), 'drop');
  });

  it('volume needs max(x, μ) ≥ minCount; errors need x ≥ minCount', () => {
    // volume 2 ×10, then 0, then 2: bucket 10 has z = −2 with Z = 1, but max(0, 2) = 2
    const flat = Array.from({ length: 10 }, () => [[2, 'INFO']] as const);
    const records = buckets(M, [...flat, [], [[2, 'INFO']]]);
    expect(detect(records, { ...DEFAULTS, z: 1, minCount: 5 }).anomalies).toEqual([]);
    expect(detect(records, { ...DEFAULTS, z: 1, minCount: 2 }).anomalies).toEqual([
      { series: 'volume', bucketStart: T0 + 10 * M, value: 0, mean: 2, std: 1, rawStd: 0, z: -2 },
    ]);
    // 4 errors after a history of none: z = 4 ≥ Z = 3 but 4 < minCount 5
    const errs = buckets(M, [...flat, [[4, 'ERROR']]]);
    expect(detect(errs, { ...DEFAULTS, minCount: 5, minStd: 1 }).anomalies.map((a) => a.series)).toEqual([]);
    expect(detect(errs, { ...DEFAULTS, minCount: 4, minStd: 1 }).anomalies).toEqual([
      { series: 'errors', bucketStart: T0 + 10 * M, value: 4, mean: 0, std: 1, rawStd: 0, z: 4 },
    ]);
  });

  it('z equal to Z is an anomaly', () => {
    // errors 0, 2, 0, 2, then 4: μ=1, σ=1 → z=3. volume one more each: 1, 3, 1, 3, 5: μ=2, σ=1 → z=3.
    const p: AnomalyParams = { bucketSec: 10, history: 4, minHistory: 4, z: 3, minCount: 4, minStd: 0.5 };
    const one: [number, Level][] = [[1, 'INFO']];
    const records = buckets(10_000, [
      one,
      [...one, [2, 'ERROR']],
      one,
      [...one, [2, 'ERROR']],
      [...one, [4, 'ERROR']],
    ]);
    expect(detect(records, p).anomalies).toEqual([
      { series: 'errors', bucketStart: T0 + 40_000, value: 4, mean: 1, std: 1, rawStd: 1, z: 3 },
      { series: 'volume', bucketStart: T0 + 40_000, value: 5, mean: 2, std: 1, rawStd: 1, z: 3 },
    ]);
    expect(detect(records, { ...p, z: 3.000001 }).anomalies).toEqual([]);
    // one error fewer: z = 2
    expect(detect(records.slice(0, -1), p).anomalies).toEqual([]);
  });

  it('no verdict before minHistory earlier buckets; the history is the last L buckets only', () => {
    const p: AnomalyParams = { bucketSec: 60, history: 3, minHistory: 3, z: 3, minCount: 5, minStd: 1 };
    expect(detect(buckets(M, [[[1, 'INFO']], [[50, 'ERROR']]]), p).anomalies).toEqual([]);
    expect(detect(buckets(M, [[[1, 'INFO']], [], [[50, 'ERROR']]]), p).anomalies).toEqual([]);
    expect(detect(buckets(M, [[[1, 'INFO']], [], [], [[50, 'ERROR']]]), p).anomalies).toEqual([
      { series: 'errors', bucketStart: T0 + 3 * M, value: 50, mean: 0, std: 1, rawStd: 0, z: 50 },
      {
        series: 'volume',
        bucketStart: T0 + 3 * M,
        value: 50,
        mean: 1 / 3,
        std: 1,
        rawStd: expect.closeTo(Math.sqrt(2) / 3, 12),
        z: 50 - 1 / 3,
      },
    ]);
    // errors 100, 0, 0, 0, 6: with L=3 the 100 has left the history (μ=0 → z=6); with L=4 it has not
    const records = buckets(M, [
      [[100, 'ERROR']],
      [[1, 'INFO']],
      [[1, 'INFO']],
      [[1, 'INFO']],
      [[6, 'ERROR']],
    ]);
    const s3 = detect(records, p);
    expect(s3.anomalies.filter((a) => a.series === 'errors')).toEqual([
      { series: 'errors', bucketStart: T0 + 4 * M, value: 6, mean: 0, std: 1, rawStd: 0, z: 6 },
    ]);
    const s4 = detect(records, { ...p, history: 4 });
    expect(s4.anomalies.filter((a) => a.series === 'errors')).toEqual([]);
    expect(s4.errors.mean[4]).toBe(25);
    expectLikeNaive(s3, naiveAnomalies(records, p, DEFAULT_ERRORS), 'L=3');
    expectLikeNaive(s4, naiveAnomalies(records, { ...p, history: 4 }, DEFAULT_ERRORS), 'L=4');
  });

  it('buckets are aligned to multiples of B seconds since the epoch', () => {
    const t = Date.UTC(2025, 2, 14, 9, 0, 59, 999);
    const s = detect([rec(t, 'INFO'), rec(t + 1, 'ERROR')], { ...DEFAULTS, minHistory: 1 });
    expect(s.volume.start).toBe(T0);
    expect(s.volume.values).toEqual([1, 1]);
    expect(s.errors.values).toEqual([0, 1]);
    // B = 7 s: the first bucket starts at floor(t / 7000) × 7000, not at the first record
    const s7 = detect([rec(t, 'INFO'), rec(t + 20_000, 'INFO')], {
      ...DEFAULTS,
      bucketSec: 7,
      minHistory: 1,
    });
    expect(s7.volume.start).toBe(Math.floor(t / 7000) * 7000);
    expect(s7.volume.start! % 7000).toBe(0);
    expect(s7.buckets).toBe(Math.floor((t + 20_000) / 7000) - Math.floor(t / 7000) + 1);
    expect(s7.volume.values.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('minStd 0 on a constant history: z is ±∞, and x = μ is no anomaly', () => {
    const p: AnomalyParams = { bucketSec: 60, history: 3, minHistory: 3, z: 3, minCount: 1, minStd: 0 };
    // volume 3, 3, 3, 3 (no anomaly), then 3 errors + 3 infos = 6 (errors 0,0,0,0 → 3: z = +∞)
    const three: [number, Level][] = [[3, 'INFO']];
    const records = buckets(M, [
      three,
      three,
      three,
      three,
      [
        [3, 'INFO'],
        [3, 'ERROR'],
      ],
    ]);
    const s = detect(records, p);
    expect(s.anomalies).toEqual([
      { series: 'errors', bucketStart: T0 + 4 * M, value: 3, mean: 0, std: 0, rawStd: 0, z: Infinity },
      { series: 'volume', bucketStart: T0 + 4 * M, value: 6, mean: 3, std: 0, rawStd: 0, z: Infinity },
    ]);
    expect(s.volume.std).toEqual([null, null, null, 0, 0]);
    expectLikeNaive(s, naiveAnomalies(records, p, DEFAULT_ERRORS), 'minStd 0');
    // a drop after a constant history: −∞
    const drop = detect(buckets(M, [three, three, three, [[1, 'INFO']]]), p);
    expect(drop.anomalies).toEqual([
      { series: 'volume', bucketStart: T0 + 3 * M, value: 1, mean: 3, std: 0, rawStd: 0, z: -Infinity },
    ]);
  });

  it('untimed records are left out; errorLevels decide what an error is', () => {
    const p: AnomalyParams = { bucketSec: 60, history: 2, minHistory: 2, z: 2, minCount: 3, minStd: 1 };
    const records = [
      ...buckets(M, [[[2, 'INFO']], [[2, 'INFO']], [[4, 'WARN']]]),
      rec(null, 'ERROR'),
      rec(null, 'WARN'),
      rec(null, 'INFO'),
    ];
    const s = detect(records, p);
    expect(s.errors.values).toEqual([0, 0, 0]);
    expect(s.volume.values).toEqual([2, 2, 4]);
    // volume: μ=2, σ=0 → σ'=1, z=2
    expect(s.anomalies).toEqual([
      { series: 'volume', bucketStart: T0 + 2 * M, value: 4, mean: 2, std: 1, rawStd: 0, z: 2 },
    ]);
    const w = detect(records, p, ['WARN']);
    expect(w.errors.values).toEqual([0, 0, 4]);
    expect(w.anomalies.map((a) => a.series)).toEqual(['errors', 'volume']);
  });

  it('no timed record: no buckets', () => {
    const empty = { bucketMs: M, start: null, values: [], mean: [], std: [] };
    const expected = { anomalies: [], buckets: 0, errors: empty, volume: empty };
    expect(detect([], DEFAULTS)).toEqual(expected);
    expect(detect([rec(null, 'ERROR')], DEFAULTS)).toEqual(expected);
  });
});

describe('AnomalyDetector: z exactly on the threshold (src bug, see the report)', () => {
  // history 0, 1, 1, 1, 1 → μ = 0.8, σ = 0.4 exactly; x = 2 → z = 1.2 / 0.4 = 3 exactly, so z ≥ Z = 3 holds.
  // src/engine/analyzers/anomalies.ts computes z in floating point as 2.9999999999999996 and drops it.
  const records = [
    rec(T0, 'INFO'),
    ...[1, 2, 3, 4].map((i) => rec(T0 + i * 60_000, 'ERROR')),
    rec(T0 + 5 * 60_000, 'ERROR'),
    rec(T0 + 5 * 60_000 + 1, 'ERROR'),
  ];
  const p: AnomalyParams = { bucketSec: 60, history: 5, minHistory: 5, z: 3, minCount: 2, minStd: 0.25 };

  it('the exact value of z is 3 (checked in rational arithmetic)', () => {
    const n = naiveAnomalies(records, p, DEFAULT_ERRORS);
    expect([...n.ties]).toEqual([`errors:${T0 + 5 * 60_000}`]);
    expect(exactTie(2, 5, 4, 4, 3, 0.25)).toBe(true);
    // the volume series (1, 1, 1, 1, 1, then 2) is an anomaly either way: z = 1 / 0.25 = 4
    expect(detect(records, p).anomalies).toContainEqual({
      series: 'volume',
      bucketStart: T0 + 5 * 60_000,
      value: 2,
      mean: 1,
      std: 0.25,
      rawStd: 0,
      z: 4,
    });
  });

  it('reports the errors anomaly whose z equals Z exactly', () => {
    expect(detect(records, p).anomalies.map((a) => a.series)).toEqual(['errors', 'volume']);
  });

  it('reports every anomaly whose z is exactly on the threshold, on the random inputs', () => {
    const missed: string[] = [];
    for (const seed of SEEDS) {
      const c = anomalyCase(seed);
      const n = naiveAnomalies(c.records, c.p, c.errorLevels);
      const s = detect(c.records, c.p, c.errorLevels);
      const got = new Set(s.anomalies.map((a) => `${a.series}:${a.bucketStart}`));
      for (const key of n.ties) {
        const [series, at] = key.split(':') as ['errors' | 'volume', string];
        const i = (Number(at) - n[series].start!) / n[series].bucketMs;
        const x = n[series].values[i]!;
        const mu = n[series].mean[i]!;
        const counts = series === 'errors' ? x >= c.p.minCount : Math.max(x, mu) >= c.p.minCount;
        if (counts && !got.has(key)) missed.push(`seed ${seed} ${key}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('AnomalyDetector: parameters', () => {
  it('rejects bad bucket, history, minHistory, z and minStd values with a RangeError', () => {
    const mask = errorMask(DEFAULT_ERRORS);
    const bad: Partial<AnomalyParams>[] = [
      { bucketSec: 0 },
      { bucketSec: 1.5 },
      { bucketSec: NaN },
      { history: 0 },
      { history: 2.5, minHistory: 1 },
      { minHistory: 0 },
      { minHistory: 31 },
      { minHistory: 1.5 },
      { z: 0 },
      { z: -1 },
      { z: NaN },
      { minStd: -0.1 },
      { minStd: NaN },
    ];
    for (const b of bad)
      expect(() => new AnomalyDetector({ ...DEFAULTS, ...b }, mask), JSON.stringify(b)).toThrow(RangeError);
    expect(() => new AnomalyDetector(DEFAULTS, mask)).not.toThrow();
    expect(
      () => new AnomalyDetector({ ...DEFAULTS, history: 1, minHistory: 1, minStd: 0, z: 0.001 }, mask),
    ).not.toThrow();
  });
});

describe('AnomalyDetector against the naive definition', () => {
  it(`equals it on ${SEEDS.length} seeded random inputs`, () => {
    let errors = 0;
    let volumeUp = 0;
    let volumeDown = 0;
    let infinite = 0;
    let borderline = 0;
    const notTies: string[] = [];
    for (const seed of SEEDS) {
      const c = anomalyCase(seed);
      const expected = naiveAnomalies(c.records, c.p, c.errorLevels);
      expectLikeNaive(detect(c.records, c.p, c.errorLevels), expected, `seed ${seed}`);
      for (const a of expected.anomalies) {
        if (a.series === 'errors') errors++;
        else if (a.z > 0) volumeUp++;
        else volumeDown++;
        if (!Number.isFinite(a.z)) infinite++;
      }
      borderline += expected.borderline.size;
      // the only verdicts left open are true ties (z = Z exactly), which floating point can put either side
      for (const k of expected.borderline) if (!expected.ties.has(k)) notTies.push(`seed ${seed} ${k}`);
    }
    expect(notTies).toEqual([]);
    // the inputs exercise every branch
    expect(errors).toBeGreaterThan(100);
    expect(volumeUp).toBeGreaterThan(100);
    expect(volumeDown).toBeGreaterThan(20);
    expect(infinite).toBeGreaterThan(5);
    expect(borderline).toBeGreaterThan(0);
  });

  it('out-of-order input changes nothing: a shuffled push order gives the identical snapshot', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = anomalyCase(seed);
      const random = rng(seed * 7919);
      const expected = detect(c.records, c.p, c.errorLevels);
      expect([seed, detect(shuffle(c.records, random), c.p, c.errorLevels)]).toEqual([seed, expected]);
    }
  });

  it('merging the detectors of random splits (2..5 parts, any merge order) equals one pass', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = anomalyCase(seed);
      const random = rng(seed * 104_729);
      const expected = detect(c.records, c.p, c.errorLevels);
      const parts = randomSplit(c.records, seed, random).map((part) => {
        const d = new AnomalyDetector(c.p, errorMask(c.errorLevels));
        const cut = Math.floor(random() * (part.length + 1));
        for (const r of part.slice(0, cut)) d.push(r);
        if (random() < 0.5) d.snapshot(); // a snapshot before the merge must not matter
        for (const r of part.slice(cut)) d.push(r);
        return d;
      });
      const merged = mergeAll(parts, random);
      expect([seed, merged.snapshot()]).toEqual([seed, expected]);
    }
  });

  it('pushing after a merge keeps counting into the right buckets', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const c = anomalyCase(seed);
      const n = c.records.length;
      const a = new AnomalyDetector(c.p, errorMask(c.errorLevels));
      const b = new AnomalyDetector(c.p, errorMask(c.errorLevels));
      c.records.slice(0, n >> 1).forEach((r) => a.push(r));
      c.records.slice(n >> 1, (3 * n) >> 2).forEach((r) => b.push(r));
      a.merge(b);
      c.records.slice((3 * n) >> 2).forEach((r) => a.push(r));
      expect([seed, a.snapshot()]).toEqual([seed, detect(c.records, c.p, c.errorLevels)]);
    }
  });

  it('incremental snapshots while pushing equal fresh one-shot snapshots of the prefix', () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const c = anomalyCase(seed);
      const random = rng(seed * 31);
      const order = seed % 3 === 0 ? shuffle(c.records, random) : c.records;
      incremental(order, random, () => new AnomalyDetector(c.p, errorMask(c.errorLevels)), seed);
    }
  });
});

function incremental(
  order: readonly LogRecord[],
  random: Random,
  make: () => AnomalyDetector,
  seed: number,
): void {
  const live = make();
  let next = 0;
  for (let i = 0; i < order.length; i++) {
    live.push(order[i]!);
    if (i === next || i === order.length - 1) {
      const fresh = make();
      for (let j = 0; j <= i; j++) fresh.push(order[j]!);
      expect([seed, i, live.snapshot()]).toEqual([seed, i, fresh.snapshot()]);
      next = i + 1 + Math.floor(random() * 300);
    }
  }
}

describe('AnomalyDetector: robust baseline and minimum excess', () => {
  /** errors per 60 s bucket: 20 buckets alternating 9 and 11, a burst of 1,000, then 40 */
  const counts = [...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 9 : 11)), 1000, 40];
  const records = counts.flatMap((n, b) =>
    Array.from({ length: n }, (_, k) => rec(T0 + b * 60_000 + k, 'ERROR')),
  );
  const flagged = (p: AnomalyParams): number[] => {
    const d = new AnomalyDetector(p, errorMask(DEFAULT_ERRORS));
    for (const r of records) d.push(r);
    return d
      .snapshot()
      .anomalies.filter((a) => a.series === 'errors')
      .map((a) => (a.bucketStart - T0) / 60_000);
  };

  it('"mean": the burst swells the band and masks the 40 after it; "robust": the burst enters clipped, 40 stands out', () => {
    expect(flagged({ ...DEFAULTS, baseline: 'mean' })).toEqual([20]);
    expect(flagged({ ...DEFAULTS, baseline: 'robust' })).toEqual([20, 21]);
  });

  it('minExcess: a bucket must be that many records off its mean, whatever z says', () => {
    // 40 is 29 above the robust mean ≈ 10.1: flagged at minExcess 29, not at 30
    expect(flagged({ ...DEFAULTS, baseline: 'robust', minExcess: 29 })).toEqual([20, 21]);
    expect(flagged({ ...DEFAULTS, baseline: 'robust', minExcess: 30 })).toEqual([20]);
  });
});
