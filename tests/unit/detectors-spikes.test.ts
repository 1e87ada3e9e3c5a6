import { describe, it, expect } from 'vitest';
import { SpikeDetector, type SpikesSnapshot } from '../../src/engine/analyzers/spikes.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import type { Level, LogRecord } from '../../src/engine/types.ts';
import { rec, rng } from './helpers.ts';
import { naiveSpikes } from './naive/spikes.ts';
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
/** an arbitrary epoch second to build hand-worked cases on */
const B = 1_741_910_400;
const at = (sec: number, ms = 0): number => (B + sec) * 1000 + ms;

function detect(
  records: readonly LogRecord[],
  W: number,
  T: number,
  errorLevels: readonly Level[] = DEFAULT_ERRORS,
): Omit<SpikesSnapshot, 'threshold'> {
  const d = new SpikeDetector(W, T, errorMask(errorLevels));
  for (const r of records) d.push(r);
  const { threshold, ...rest } = d.snapshot();
  expect(threshold).toBe(T);
  return rest;
}

interface SpikeCase {
  W: number;
  T: number;
  errorLevels: Level[];
  records: LogRecord[];
}

function spikeCase(seed: number): SpikeCase {
  const random = rng(seed);
  const W = pick(random, [1, 2, 3, 5, 10, 30, 60, 300]);
  const T = pick(random, [1, 2, 3, 5, 8, 13, 30, 60]);
  const errorLevels = randomErrorLevels(random);
  const records = randomRecords(random, {
    count: seed % 25 === 0 ? intIn(random, 0, 3) : intIn(random, 20, 1500),
    // a few inputs before 1970, where flooring to seconds goes towards −∞
    t0:
      seed % 10 === 0
        ? -86_400_000 * 40 + intIn(random, 0, 86_400_000)
        : Date.UTC(2025, 2, 14) + intIn(random, 0, 86_400_000),
    files: intIn(random, 1, 3),
    meanGapMs: pick(random, [50, 300, 1000, 3000]),
    tieChance: 0.15,
    untimedChance: pick(random, [0, 0.05, 0.3]),
    disorderChance: pick(random, [0, 0.05, 0.2]),
    disorderMs: 2000 * W,
    gapChance: 0.003,
    gapMs: [60_000, 2 * 3_600_000],
    burstChance: pick(random, [0.005, 0.02, 0.05]),
    burstSize: [3, 80],
    burstSpanMs: pick(random, [500, 1000 * W, 5000 * W]),
    services: ['a', 'b', null],
  });
  return { W, T, errorLevels, records };
}

const SEEDS = Array.from({ length: 160 }, (_, i) => i + 1);

describe('SpikeDetector: threshold "auto"', () => {
  it('is 5× the median errors per aligned window (empty ones counting 0), at least 10', () => {
    const W = 10;
    const auto = (records: LogRecord[]): number => {
      const d = new SpikeDetector(W, 'auto', errorMask(DEFAULT_ERRORS));
      for (const r of records) d.push(r);
      return d.snapshot().threshold;
    };
    // windows [0,10) … [40,50): 4, 4, 0, 6, 3 errors → sorted 0 3 4 4 6, median 4 → 20
    const counts = [4, 4, 0, 6, 3];
    const records = counts.flatMap((n, w) =>
      Array.from({ length: n }, (_, k) => rec(at(w * W + k), 'ERROR')),
    );
    records.push(rec(at(49), 'INFO')); // the range reaches the fifth window
    expect(auto(records)).toBe(20);
    // an even count: windows 0 3 4 4 6 and an empty sixth → median (4 + 4) / 2 … sorted 0 0 3 4 4 6 → 3.5 → 18
    expect(auto([...records, rec(at(55), 'INFO')])).toBe(18);
    // a quiet log: at least 10
    expect(auto([rec(at(0), 'ERROR'), rec(at(100), 'INFO')])).toBe(10);
    expect(auto([])).toBe(10);
  });
});

describe('SpikeDetector: hand-worked cases', () => {
  it('W=3, T=2, errors at seconds 10, 11 and 15', () => {
    // n: 10→1, 11→1, 15→1. S(10)=1, S(11)=2, S(12)=2, S(13)=1, S(14)=0, S(15)=1.
    // One run, seconds 11..12: start 11 s, end 13 s, peak 2, errors in [11−3+1, 13) = [9, 13) → 2.
    const records = [rec(at(10), 'ERROR'), rec(at(11), 'ERROR'), rec(at(15), 'ERROR')];
    const expected: Omit<SpikesSnapshot, 'threshold'> = {
      spikes: [{ start: at(11), end: at(13), peak: 2, errors: 2 }],
      windowsAnalyzed: 6,
    };
    expect(detect(records, 3, 2)).toEqual(expected);
    expect(naiveSpikes(records, 3, 2, DEFAULT_ERRORS)).toEqual(expected);
    // the same at 10 s, 11 s and 15 s after the epoch: the run starts at 11 000 ms, not 10 000 (S(10) = 1 < T)
    expect(
      detect(
        [10_000, 11_000, 15_000].map((t) => rec(t, 'ERROR')),
        3,
        2,
      ),
    ).toEqual({
      spikes: [{ start: 11_000, end: 13_000, peak: 2, errors: 2 }],
      windowsAnalyzed: 6,
    });
  });

  it('W=2, T=2: the peak is the largest window, errors reach back W−1 s before the start', () => {
    // n: 0→1, 1→2, 2→1, 3→3, 7→1. S: 0→1, 1→3, 2→3, 3→4, 4→3, 5→0, 6→0, 7→1.
    // Run 1..4: start 1 s, end 5 s, peak 4, errors in [0, 5) → 7.
    const secs = [0, 1, 1, 2, 3, 3, 3, 7];
    const records = secs.map((s, i) => rec(at(s, (i * 137) % 1000), i % 2 ? 'FATAL' : 'ERROR'));
    const expected: Omit<SpikesSnapshot, 'threshold'> = {
      spikes: [{ start: at(1), end: at(5), peak: 4, errors: 7 }],
      windowsAnalyzed: 8,
    };
    expect(detect(records, 2, 2)).toEqual(expected);
    expect(detect(records.slice().reverse(), 2, 2)).toEqual(expected);
    expect(naiveSpikes(records, 2, 2, DEFAULT_ERRORS)).toEqual(expected);
  });

  it('a run is cut at the last record: the evaluated seconds end there', () => {
    // Three errors in second 100, W=60, T=3: S(s) = 3 for s in 100..159 if records reach that far.
    const errs = [rec(at(100), 'ERROR'), rec(at(100, 500), 'ERROR'), rec(at(100, 999), 'ERROR')];
    expect(detect(errs, 60, 3)).toEqual({
      spikes: [{ start: at(100), end: at(101), peak: 3, errors: 3 }],
      windowsAnalyzed: 1,
    });
    // an INFO record at 200.5 s extends the range to second 200: the window holds the 3 errors until 159
    expect(detect([...errs, rec(at(200, 500), 'INFO')], 60, 3)).toEqual({
      spikes: [{ start: at(100), end: at(160), peak: 3, errors: 3 }],
      windowsAnalyzed: 101,
    });
    // … and a DEBUG record before them moves the start of the range, not the spike
    expect(detect([rec(at(50), 'DEBUG'), ...errs, rec(at(120), 'INFO')], 60, 3)).toEqual({
      spikes: [{ start: at(100), end: at(121), peak: 3, errors: 3 }],
      windowsAnalyzed: 71,
    });
  });

  it('two runs separated by a quiet second, with T=1', () => {
    // W=1, T=1: every second with an error is a window ≥ T; runs of consecutive such seconds
    const records = [5, 6, 6, 8, 9].map((s) => rec(at(s), 'ERROR'));
    expect(detect(records, 1, 1)).toEqual({
      spikes: [
        { start: at(5), end: at(7), peak: 2, errors: 3 },
        { start: at(8), end: at(10), peak: 1, errors: 2 },
      ],
      windowsAnalyzed: 5,
    });
  });

  it('seconds are floored: 9.999 s and 10.000 s are different seconds', () => {
    expect(detect([rec(at(9, 999), 'ERROR'), rec(at(10), 'ERROR')], 1, 2)).toEqual({
      spikes: [],
      windowsAnalyzed: 2,
    });
    expect(detect([rec(at(10), 'ERROR'), rec(at(10, 999), 'ERROR')], 1, 2)).toEqual({
      spikes: [{ start: at(10), end: at(11), peak: 2, errors: 2 }],
      windowsAnalyzed: 1,
    });
  });

  it('before 1970 the seconds are floored towards −∞', () => {
    // −1.5 s is in second −2, −0.001 s in second −1
    expect(detect([rec(-1500, 'ERROR'), rec(-1, 'ERROR')], 2, 2)).toEqual({
      spikes: [{ start: -1000, end: 0, peak: 2, errors: 2 }],
      windowsAnalyzed: 2,
    });
  });

  it('only error levels count; untimed records and records without a level are left out', () => {
    const records = [
      rec(at(0), 'INFO'),
      rec(at(1), 'WARN'),
      rec(at(1), 'WARN'),
      rec(at(2), 'ERROR'),
      rec(null, 'ERROR'),
      rec(null, 'FATAL'),
      rec(at(2), null),
      rec(at(3), 'FATAL'),
      rec(at(4), 'DEBUG'),
    ];
    // errors (ERROR, FATAL) at 2 and 3: W=2 → S(2)=1, S(3)=2, S(4)=1
    expect(detect(records, 2, 2)).toEqual({
      spikes: [{ start: at(3), end: at(4), peak: 2, errors: 2 }],
      windowsAnalyzed: 5,
    });
    // errorLevels ['WARN']: two at second 1 → S(1)=S(2)=2
    expect(detect(records, 2, 2, ['WARN'])).toEqual({
      spikes: [{ start: at(1), end: at(3), peak: 2, errors: 2 }],
      windowsAnalyzed: 5,
    });
    // errorLevels ['WARN', 'ERROR']: 1→2, 2→1: S(1)=2, S(2)=3, S(3)=1
    expect(detect(records, 2, 2, ['WARN', 'ERROR'])).toEqual({
      spikes: [{ start: at(1), end: at(3), peak: 3, errors: 3 }],
      windowsAnalyzed: 5,
    });
  });

  it('no timed record: nothing evaluated; no error: windows but no spike', () => {
    expect(detect([], 60, 1)).toEqual({ spikes: [], windowsAnalyzed: 0 });
    expect(detect([rec(null, 'ERROR'), rec(null, 'FATAL')], 60, 1)).toEqual({
      spikes: [],
      windowsAnalyzed: 0,
    });
    expect(detect([rec(at(0), 'INFO'), rec(at(9, 999), 'WARN')], 60, 1)).toEqual({
      spikes: [],
      windowsAnalyzed: 10,
    });
  });

  it('a long empty stretch between two errors (12 days)', () => {
    const far = 1_000_000;
    const records = [rec(at(0), 'ERROR'), rec(at(far), 'ERROR')];
    expect(detect(records, 10, 1)).toEqual({
      spikes: [
        { start: at(0), end: at(10), peak: 1, errors: 1 },
        { start: at(far), end: at(far + 1), peak: 1, errors: 1 },
      ],
      windowsAnalyzed: far + 1,
    });
  });

  it('the threshold is reached exactly (S = T counts)', () => {
    const records = [rec(at(0), 'ERROR'), rec(at(4), 'ERROR'), rec(at(5), 'INFO')];
    // W=5: S(4) = 2 = T, S(5) = 1
    expect(detect(records, 5, 2)).toEqual({
      spikes: [{ start: at(4), end: at(5), peak: 2, errors: 2 }],
      windowsAnalyzed: 6,
    });
    expect(detect(records, 4, 2).spikes).toEqual([]);
  });
});

describe('SpikeDetector: parameters', () => {
  it('rejects a window that is not a whole number of seconds ≥ 1, and a threshold < 1', () => {
    const mask = errorMask(DEFAULT_ERRORS);
    for (const W of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => new SpikeDetector(W, 5, mask)).toThrow(RangeError);
    }
    for (const T of [0, -3, 0.5, NaN]) {
      expect(() => new SpikeDetector(60, T, mask)).toThrow(RangeError);
    }
    expect(() => new SpikeDetector(1, 1, mask)).not.toThrow();
    expect(() => new SpikeDetector(86_400, 1_000_000_000, mask)).not.toThrow();
  });
});

describe('SpikeDetector against the naive definition', () => {
  it(`equals it on ${SEEDS.length} seeded random inputs`, () => {
    let spikes = 0;
    let multi = 0;
    let empty = 0;
    for (const seed of SEEDS) {
      const c = spikeCase(seed);
      const expected = naiveSpikes(c.records, c.W, c.T, c.errorLevels);
      expect([seed, detect(c.records, c.W, c.T, c.errorLevels)]).toEqual([seed, expected]);
      spikes += expected.spikes.length;
      if (expected.spikes.length > 1) multi++;
      if (expected.spikes.length === 0) empty++;
    }
    // the inputs exercise the definition: many spikes, several per input, and inputs without any
    expect(spikes).toBeGreaterThan(300);
    expect(multi).toBeGreaterThan(40);
    expect(empty).toBeGreaterThan(5);
  });

  it('out-of-order input changes nothing: a shuffled push order gives the identical snapshot', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = spikeCase(seed);
      const random = rng(seed * 7919);
      const expected = detect(c.records, c.W, c.T, c.errorLevels);
      expect([seed, detect(shuffle(c.records, random), c.W, c.T, c.errorLevels)]).toEqual([seed, expected]);
      expect([seed, detect(c.records.slice().reverse(), c.W, c.T, c.errorLevels)]).toEqual([seed, expected]);
    }
  });

  it('merging the detectors of random splits (2..5 parts, any merge order) equals one pass', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = spikeCase(seed);
      const random = rng(seed * 104_729);
      const expected = detect(c.records, c.W, c.T, c.errorLevels);
      const parts = randomSplit(c.records, seed, random).map((p) => {
        const d = new SpikeDetector(c.W, c.T, errorMask(c.errorLevels));
        for (const r of p) d.push(r);
        if (random() < 0.5) d.snapshot(); // a snapshot before the merge must not matter
        return d;
      });
      expect([seed, mergeAll(parts, random).snapshot()]).toEqual([seed, { ...expected, threshold: c.T }]);
    }
  });

  it('incremental snapshots while pushing equal fresh one-shot snapshots of the prefix', () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const c = spikeCase(seed);
      const random = rng(seed * 31);
      const order = seed % 3 === 0 ? shuffle(c.records, random) : c.records;
      incremental(order, random, () => new SpikeDetector(c.W, c.T, errorMask(c.errorLevels)), seed);
    }
  });
});

function incremental(
  order: readonly LogRecord[],
  random: Random,
  make: () => SpikeDetector,
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
      next = i + 1 + Math.floor(random() * 200);
    }
  }
}
