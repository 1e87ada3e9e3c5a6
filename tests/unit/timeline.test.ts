import { describe, it, expect } from 'vitest';
import { BUCKET_LADDER, Timeline } from '../../src/engine/analyzers/timeline.ts';
import type { Level, LogRecord } from '../../src/engine/types.ts';
import { rec, rng, shuffled } from './helpers.ts';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 2, 14, 10, 0, 0); // a multiple of every ladder width up to a day

function feed(tl: Timeline, records: readonly LogRecord[]): Timeline {
  for (const r of records) tl.push(r);
  return tl;
}

const empty7 = (): number[][] => [[], [], [], [], [], [], []];

describe('Timeline', () => {
  it('the ladder widths each divide the next', () => {
    for (let i = 1; i < BUCKET_LADDER.length; i++) expect(BUCKET_LADDER[i]! % BUCKET_LADDER[i - 1]!).toBe(0);
    expect(BUCKET_LADDER[0]).toBe(S);
  });

  it('is empty before any timed record, and ignores untimed ones', () => {
    const tl = new Timeline(2000);
    expect(tl.snapshot()).toEqual({ bucketMs: 1000, start: null, counts: empty7() });
    tl.push(rec(null, 'ERROR'));
    expect(tl.snapshot()).toEqual({ bucketMs: 1000, start: null, counts: empty7() });
  });

  it('counts per level and NONE in 1 s buckets aligned to the epoch', () => {
    const tl = feed(new Timeline(2000), [
      rec(T0 + 400, 'INFO'),
      rec(T0 + 999, 'INFO'),
      rec(T0 + 1000, 'ERROR'),
      rec(T0 + 3500, null),
      rec(T0 + 3999, 'TRACE'),
      rec(null, 'FATAL'),
    ]);
    expect(tl.bucketMs).toBe(1000);
    expect(tl.snapshot()).toEqual({
      bucketMs: 1000,
      start: T0,
      counts: [
        [0, 0, 0, 1],
        [0, 0, 0, 0],
        [2, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 1],
      ],
    });
  });

  it('one hour of records at 1 s gives 5 s buckets of 5 under maxBuckets 2000', () => {
    const tl = new Timeline(2000);
    for (let i = 0; i < 3600; i++) tl.push(rec(T0 + i * S, 'INFO'));
    const s = tl.snapshot();
    expect(s.bucketMs).toBe(5000);
    expect(s.start).toBe(T0);
    expect(s.counts[2]).toEqual(new Array<number>(720).fill(5));
    for (const i of [0, 1, 3, 4, 5, 6]) expect(s.counts[i]).toEqual(new Array<number>(720).fill(0));
  });

  it('buckets stay aligned to the epoch when the records are not', () => {
    const tl = new Timeline(2000);
    const first = T0 + 2 * S + 250;
    for (let i = 0; i < 3600; i++) tl.push(rec(first + i * S, 'WARN'));
    const s = tl.snapshot();
    expect(s.bucketMs).toBe(5000);
    expect(s.start).toBe(T0);
    // seconds 2,3,4 | 5..9 | … | 3600,3601
    expect(s.counts[3]).toEqual([3, ...new Array<number>(719).fill(5), 2]);
  });

  it('keeps 1 s buckets up to exactly maxBuckets, and widens one record later', () => {
    const at = new Timeline(2000);
    for (let i = 0; i < 2000; i++) at.push(rec(T0 + i * S, 'DEBUG'));
    expect(at.snapshot().bucketMs).toBe(1000);
    expect(at.snapshot().counts[1]).toEqual(new Array<number>(2000).fill(1));
    at.push(rec(T0 + 2000 * S, 'DEBUG'));
    const s = at.snapshot();
    expect(s.bucketMs).toBe(5000);
    expect(s.counts[1]).toEqual([...new Array<number>(400).fill(5), 1]);
  });

  it('jumps several rungs at once for a wide range', () => {
    const tl = feed(new Timeline(2000), [rec(T0, 'INFO'), rec(T0 + 30 * DAY, 'ERROR')]);
    const s = tl.snapshot();
    expect(s.bucketMs).toBe(HOUR); // 15 min would need 2881 buckets
    expect(s.start).toBe(T0);
    expect(s.counts[2]).toEqual([1, ...new Array<number>(720).fill(0)]);
    expect(s.counts[4]).toEqual([...new Array<number>(720).fill(0), 1]);
  });

  it('reaches the top of the ladder for a range of decades, and stays there', () => {
    const tl = feed(new Timeline(10), [rec(0, 'INFO'), rec(40 * 364 * DAY, 'INFO')]);
    const s = tl.snapshot();
    expect(s.bucketMs).toBe(364 * DAY);
    expect(s.start).toBe(0);
    expect(s.counts[2]).toHaveLength(41);
    expect(s.counts[2]!.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('handles times before the epoch', () => {
    const tl = feed(new Timeline(2000), [rec(-1500, 'INFO'), rec(-1, 'INFO'), rec(0, 'ERROR')]);
    expect(tl.snapshot()).toEqual({
      bucketMs: 1000,
      start: -2000,
      counts: [
        [0, 0, 0],
        [0, 0, 0],
        [1, 1, 0],
        [0, 0, 0],
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    });
  });

  it('out-of-order pushes give the same snapshot as sorted pushes', () => {
    const levels: (Level | null)[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', null];
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      const span = [10 * S, 10 * MIN, 6 * HOUR, 3 * DAY, 90 * DAY][seed % 5]!;
      const records: LogRecord[] = [];
      for (let i = 0; i < 400; i++) {
        records.push(rec(T0 + Math.floor(r() * span), levels[Math.floor(r() * levels.length)]!));
      }
      const sorted = [...records].sort((a, b) => a.time! - b.time!);
      for (const maxBuckets of [10, 50, 2000]) {
        const expected = feed(new Timeline(maxBuckets), sorted).snapshot();
        expect(feed(new Timeline(maxBuckets), shuffled(records, r)).snapshot()).toEqual(expected);
        expect(feed(new Timeline(maxBuckets), [...sorted].reverse()).snapshot()).toEqual(expected);
        const total = expected.counts.reduce((n, row) => n + row.reduce((a, b) => a + b, 0), 0);
        expect(total).toBe(400);
        expect(expected.counts[0]!.length).toBeLessThanOrEqual(maxBuckets);
      }
    }
  });

  it('picks the finest width on the ladder that fits the range', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(1000 + seed);
      const a = T0 + Math.floor(r() * DAY);
      const b = a + Math.floor(r() * 400 * DAY * r() * r());
      const maxBuckets = 10 + Math.floor(r() * 300);
      const s = feed(new Timeline(maxBuckets), [rec(b, 'INFO'), rec(a, 'INFO')]).snapshot();
      const fits = (w: number): boolean => Math.floor(b / w) - Math.floor(a / w) + 1 <= maxBuckets;
      const finest = BUCKET_LADDER.find(fits) ?? BUCKET_LADDER[BUCKET_LADDER.length - 1]!;
      expect([seed, s.bucketMs]).toEqual([seed, finest]);
      expect(s.start).toBe(Math.floor(a / finest) * finest);
      expect(s.counts[2]).toHaveLength(Math.floor(b / finest) - Math.floor(a / finest) + 1);
    }
  });
});
