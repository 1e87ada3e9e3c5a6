import { describe, it, expect, beforeAll } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { Analysis, type AnalysisState } from '../../src/engine/analysis.ts';
import { DEFAULT_CONFIG } from '../../src/engine/config.ts';
import { errorMask, type Analyzer } from '../../src/engine/analyzers/analyzer.ts';
import { Totals } from '../../src/engine/analyzers/totals.ts';
import { LevelCounts } from '../../src/engine/analyzers/levels.ts';
import { ServiceCounts } from '../../src/engine/analyzers/services.ts';
import { TimeRange } from '../../src/engine/analyzers/time-range.ts';
import { Timeline } from '../../src/engine/analyzers/timeline.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { config, fileOf, incidentsComparable, rec, rng, sampleText, shuffled } from './helpers.ts';

let records: LogRecord[] = [];
let analyzed: Snapshot;

beforeAll(async () => {
  const { text } = sampleText({ bytes: 300_000, seed: 2024 });
  const collected: LogRecord[] = [];
  analyzed = await analyze([fileOf(text, 'sample.log')], config({ timeZone: 'UTC' }), {
    onRecord: (r) => collected.push(r),
  });
  records = collected;
});

/** Contiguous parts: k-1 sorted random cut points (parts may be empty). */
function contiguous(items: readonly LogRecord[], k: number, random: () => number): LogRecord[][] {
  const cuts = Array.from({ length: k - 1 }, () => Math.floor(random() * (items.length + 1))).sort(
    (a, b) => a - b,
  );
  const bounds = [0, ...cuts, items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end));
}

/** Each record to a random part, each part then shuffled. */
function scattered(items: readonly LogRecord[], k: number, random: () => number): LogRecord[][] {
  const parts: LogRecord[][] = Array.from({ length: k }, () => []);
  for (const r of items) parts[Math.floor(random() * k)]!.push(r);
  return parts.map((p) => shuffled(p, random));
}

/** Merges in a random tree shape: repeatedly merges one random part into another. */
function mergeAll<A extends Analyzer<unknown>>(parts: A[], random: () => number): A {
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

function build<A extends Analyzer<unknown>>(make: () => A, items: readonly LogRecord[]): A {
  const a = make();
  for (const r of items) a.push(r);
  return a;
}

/** For many seeded splits, merging the parts' analyzers equals one pass over all records. */
function expectMergeProperty<A extends Analyzer<unknown>>(
  make: () => A,
  items: readonly LogRecord[],
  seeds = 40,
  normalize: (s: ReturnType<A['snapshot']>) => unknown = (s) => s,
): void {
  const expected = normalize(build(make, items).snapshot() as ReturnType<A['snapshot']>);
  for (let seed = 1; seed <= seeds; seed++) {
    const random = rng(seed);
    const k = 2 + Math.floor(random() * 4); // 2..5
    const split = seed % 2 === 0 ? contiguous(items, k, random) : scattered(items, k, random);
    expect(split.reduce((n, p) => n + p.length, 0)).toBe(items.length);
    const merged = mergeAll(
      split.map((p) => build(make, p)),
      random,
    );
    expect([seed, normalize(merged.snapshot() as ReturnType<A['snapshot']>)]).toEqual([seed, expected]);
  }
}

/**
 * An Analysis snapshot with its templates reduced to what any merge must keep: every record counted once.
 * Which cluster a message joins depends on the order messages arrive (Drain), and template ids are local to
 * a miner (src/engine/analyzers/templates.ts), so the templates' own merge contract is tested in
 * templates.test.ts. The record index is positional (record numbers, the previous record's offset): its parts
 * merge in file order only, tested in record-index.test.ts. Everything else of the Analysis must merge exactly.
 */
function withTemplateTotals(s: AnalysisState): unknown {
  const { templates, recordIndex: _positional, ...rest } = s;
  let count = 0;
  let errors = 0;
  for (const t of templates.templates) {
    count += t.count;
    errors += t.errors;
  }
  // the template facet lists ids, which depend on the merge order like the templates: its total only
  const facets = {
    ...rest.facets,
    fields: rest.facets.fields.map((f) => (f.field === 'template' ? { records: f.records } : f)),
  };
  return {
    ...rest,
    facets,
    detectors: { ...rest.detectors, incidents: incidentsComparable(rest.detectors.incidents) },
    templates: { count, errors },
  };
}

describe('the merge property on a generated sample', () => {
  it('the sample is big enough to matter', () => {
    expect(records.length).toBeGreaterThan(3000);
    expect(analyzed.totals.records).toBe(records.length);
    expect(analyzed.totals.continuationLines).toBeGreaterThan(0);
  });

  it('one pass of Analysis over the records equals what analyze() reported', () => {
    const single = build(() => new Analysis(config({ timeZone: 'UTC' })), records).snapshot();
    expect(single.levels).toEqual(analyzed.levels);
    expect(single.services).toEqual(analyzed.services);
    expect(single.serviceCount).toBe(analyzed.serviceCount);
    expect(single.timeRange).toEqual(analyzed.timeRange);
    expect(single.timeline).toEqual(analyzed.timeline);
    expect(single.templates).toEqual(analyzed.templates); // same records in the same order: same ids
    // Line-level counts (bytes, lines, continuation, empty…) come from the ingest stage, not from records.
    const { records: n, unparsed, untimed } = analyzed.totals;
    expect(single.templates.templates.reduce((sum, t) => sum + t.count, 0)).toBe(n);
    expect(single.totals).toEqual({
      bytes: 0,
      lines: 0,
      emptyLines: 0,
      records: n,
      unparsed,
      continuationLines: 0,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
  });

  it('Analysis: merged parts (contiguous and scattered, 2..5, any merge order) equal one pass', () => {
    expectMergeProperty(() => new Analysis(DEFAULT_CONFIG), records, 40, withTemplateTotals);
  });

  it('Analysis with a small timeline (forced coarsening) merges too', () => {
    const cfg = config({ timeline: { maxBuckets: 10 } });
    expectMergeProperty(() => new Analysis(cfg), records, 20, withTemplateTotals);
  });

  it('Totals', () => {
    expectMergeProperty(() => new Totals(), records);
  });

  it('LevelCounts', () => {
    expectMergeProperty(() => new LevelCounts(), records);
  });

  it('ServiceCounts', () => {
    expectMergeProperty(() => new ServiceCounts(errorMask(['ERROR', 'FATAL'])), records);
    expectMergeProperty(() => new ServiceCounts(errorMask(['WARN'])), records, 10);
  });

  it('TimeRange', () => {
    expectMergeProperty(() => new TimeRange(), records);
  });

  it('Timeline with maxBuckets 2000, 50 and 10', () => {
    expectMergeProperty(() => new Timeline(2000), records);
    expectMergeProperty(() => new Timeline(50), records);
    expectMergeProperty(() => new Timeline(10), records);
    expect(build(() => new Timeline(50), records).snapshot().bucketMs).toBe(3_600_000);
  });
});

describe('merging edge cases', () => {
  it('merging an empty analyzer changes nothing, and merging into an empty one copies', () => {
    const some = records.slice(0, 500);
    const expected = build(() => new Analysis(DEFAULT_CONFIG), some).snapshot();
    const a = build(() => new Analysis(DEFAULT_CONFIG), some);
    a.merge(new Analysis(DEFAULT_CONFIG));
    expect(a.snapshot()).toEqual(expected);
    const b = new Analysis(DEFAULT_CONFIG);
    b.merge(build(() => new Analysis(DEFAULT_CONFIG), some));
    expect(b.snapshot()).toEqual(expected);
  });

  it('a coarse timeline merged into a fine one, and the other way round', () => {
    const H = 3_600_000;
    const t0 = Date.UTC(2025, 2, 14);
    const fine = [rec(t0, 'INFO'), rec(t0 + 1500, 'ERROR')];
    const wide = [rec(t0 + 5 * H, 'WARN'), rec(t0 - 2 * H, null)];
    const expected = build(() => new Timeline(50), [...fine, ...wide]).snapshot();
    expect(expected.bucketMs).toBe(15 * 60_000);
    const a = build(() => new Timeline(50), fine);
    a.merge(build(() => new Timeline(50), wide));
    expect(a.snapshot()).toEqual(expected);
    const b = build(() => new Timeline(50), wide);
    b.merge(build(() => new Timeline(50), fine));
    expect(b.snapshot()).toEqual(expected);
    // two fine parts whose union needs a coarser width
    const c = build(() => new Timeline(50), [rec(t0, 'INFO')]);
    c.merge(build(() => new Timeline(50), [rec(t0 + 7 * H, 'INFO')]));
    expect(c.snapshot()).toEqual(
      build(() => new Timeline(50), [rec(t0, 'INFO'), rec(t0 + 7 * H, 'INFO')]).snapshot(),
    );
  });

  it('pushing after a merge keeps counting correctly', () => {
    const a = build(() => new Analysis(DEFAULT_CONFIG), records.slice(0, 1000));
    a.merge(build(() => new Analysis(DEFAULT_CONFIG), records.slice(1000, 2000)));
    for (const r of records.slice(2000)) a.push(r);
    expect(a.snapshot()).toEqual(build(() => new Analysis(DEFAULT_CONFIG), records).snapshot());
  });
});

describe('ServiceCounts cap', () => {
  it('counts names beyond the cap under "(other services)"', () => {
    const sc = new ServiceCounts(errorMask(['ERROR']), 2);
    for (const [s, l] of [
      ['a', 'INFO'],
      ['b', 'ERROR'],
      ['c', 'ERROR'],
      ['a', 'INFO'],
      ['d', 'INFO'],
    ] as const) {
      sc.push(rec(1, l, s));
    }
    expect(sc.snapshot()).toEqual([
      { name: '(other services)', records: 2, errors: 1 },
      { name: 'a', records: 2, errors: 0 },
      { name: 'b', records: 1, errors: 1 },
    ]);
    // two names counted on their own, and a flag that more came (not 3: the "(other services)" row is no name)
    expect(sc.size).toBe(2);
    expect(sc.cap()).toMatchObject({ max: 2, capped: true, beyondRecords: 2, beyondErrors: 1 });
    expect(sc.snapshot(1)).toEqual([{ name: '(other services)', records: 2, errors: 1 }]);
  });
});
