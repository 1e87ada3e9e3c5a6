import { LEVELS, type FieldValue, type Level, type LogRecord } from '../../../src/engine/types.ts';

/** Random inputs and splits for the detector property tests (driven by the seeded rng of sample.ts). */
export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
export const intIn = (random: Random, lo: number, hi: number): number =>
  lo + Math.floor(random() * (hi - lo + 1));

export interface Message {
  message: string;
  fields: Record<string, FieldValue> | null;
}

export interface RecordGenOptions {
  count: number;
  /** time of the first record, ms since epoch (may be negative) */
  t0: number;
  files: number;
  /** mean gap between consecutive records (exponential) */
  meanGapMs: number;
  /** chance that a record has exactly the time of the one before */
  tieChance: number;
  untimedChance: number;
  /** chance that a record's time is moved back by up to disorderMs (out-of-order input) */
  disorderChance: number;
  disorderMs: number;
  /** chance of an empty stretch before a record, and its length */
  gapChance: number;
  gapMs: readonly [number, number];
  /** chance of a burst of error-ish records within burstSpanMs */
  burstChance: number;
  burstSize: readonly [number, number];
  burstSpanMs: number;
  services: readonly (string | null)[];
  message?: (random: Random, level: Level | null) => Message;
}

const NORMAL: readonly [Level | null, number][] = [
  ['TRACE', 3],
  ['DEBUG', 10],
  ['INFO', 60],
  ['WARN', 12],
  ['ERROR', 8],
  ['FATAL', 2],
  [null, 5],
];
const BURST: readonly [Level | null, number][] = [
  ['ERROR', 70],
  ['FATAL', 10],
  ['WARN', 20],
];

function weighted(random: Random, table: readonly [Level | null, number][]): Level | null {
  let x = random() * table.reduce((s, [, w]) => s + w, 0);
  for (const [l, w] of table) {
    x -= w;
    if (x < 0) return l;
  }
  return table[0]![0];
}

/**
 * Records in "file order" (the order a reader would meet them): times mostly increasing, with ties,
 * out-of-order ones, untimed ones, long empty stretches and bursts, spread over several files whose line
 * numbers increase in that order (so (fileIndex, line) is unique).
 */
export function randomRecords(random: Random, o: RecordGenOptions): LogRecord[] {
  const out: LogRecord[] = [];
  const lines = new Array<number>(o.files).fill(0);
  let t = o.t0;
  let prev = o.t0;
  const make = (time: number | null, level: Level | null): void => {
    const fileIndex = Math.floor(random() * o.files);
    const line = (lines[fileIndex]! += 1 + (random() < 0.2 ? intIn(random, 1, 3) : 0));
    const { message, fields } = o.message ? o.message(random, level) : { message: 'm', fields: null };
    out.push({
      time,
      level,
      service: pick(random, o.services),
      message,
      continuation: null,
      file: `f${fileIndex}.log`,
      fileIndex,
      line,
      lineEnd: line,
      offset: 0,
      length: 1,
      parsed: true,
      fields,
    });
  };
  const timeOf = (base: number): number | null => {
    if (random() < o.untimedChance) return null;
    if (random() < o.disorderChance) return base - Math.floor(random() * o.disorderMs);
    return base;
  };
  while (out.length < o.count) {
    if (random() < o.gapChance) t += intIn(random, o.gapMs[0], o.gapMs[1]);
    if (random() < o.burstChance) {
      const n = intIn(random, o.burstSize[0], o.burstSize[1]);
      const times = Array.from({ length: n }, () => t + Math.floor(random() * o.burstSpanMs)).sort(
        (a, b) => a - b,
      );
      for (const bt of times) make(timeOf(bt), weighted(random, BURST));
      t = times[times.length - 1]!;
      prev = t;
      continue;
    }
    if (random() >= o.tieChance) t = prev + Math.floor(-Math.log(1 - random()) * o.meanGapMs);
    prev = t;
    make(timeOf(t), weighted(random, NORMAL));
  }
  return out;
}

/** Half the time the default ['ERROR', 'FATAL'], else a random non-empty set of levels. */
export function randomErrorLevels(random: Random): Level[] {
  if (random() < 0.5) return ['ERROR', 'FATAL'];
  const set = LEVELS.filter(() => random() < 0.35);
  return set.length > 0 ? set : [pick(random, LEVELS)];
}

/** Contiguous parts: k−1 sorted random cut points (parts may be empty). */
export function contiguous<T>(items: readonly T[], k: number, random: Random): T[][] {
  const cuts = Array.from({ length: k - 1 }, () => Math.floor(random() * (items.length + 1))).sort(
    (a, b) => a - b,
  );
  const bounds = [0, ...cuts, items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end));
}

/** Each item to a random part, each part then shuffled. */
export function scattered<T>(items: readonly T[], k: number, random: Random): T[][] {
  const parts: T[][] = Array.from({ length: k }, () => []);
  for (const x of items) parts[Math.floor(random() * k)]!.push(x);
  return parts.map((p) => shuffle(p, random));
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

interface Mergeable {
  merge(other: this): void;
}

/** Merges in a random tree shape: repeatedly merges one random part into another. */
export function mergeAll<A extends Mergeable>(parts: A[], random: Random): A {
  const left = parts.slice();
  while (left.length > 1) {
    const i = Math.floor(random() * left.length);
    let j = Math.floor(random() * (left.length - 1));
    if (j >= i) j++;
    left[i]!.merge(left[j]!);
    left.splice(j, 1);
  }
  return left[0]!;
}

/** 2..5 parts, contiguous for even seeds and scattered for odd ones. */
export function randomSplit<T>(items: readonly T[], seed: number, random: Random): T[][] {
  const k = 2 + Math.floor(random() * 4);
  return seed % 2 === 0 ? contiguous(items, k, random) : scattered(items, k, random);
}
