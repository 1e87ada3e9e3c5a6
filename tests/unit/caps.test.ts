import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/engine/analyze.ts';
import { Analysis } from '../../src/engine/analysis.ts';
import { buildReport, type Report } from '../../src/engine/report.ts';
import { summaryText } from '../../src/engine/summary.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { ServiceCounts } from '../../src/engine/analyzers/services.ts';
import { DistinctEstimate } from '../../src/engine/analyzers/distinct.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import { config, fileOf, rec } from './helpers.ts';

const T0 = Date.UTC(2025, 2, 14, 10);
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** One line per distinct service svc-0 … svc-(n−1); every tenth line is an ERROR. */
function manyServices(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${iso(i % 60)} ${i % 10 === 0 ? 'ERROR' : 'INFO'} svc-${i} ping`);
  return out.join('\n') + '\n';
}

/** A message of `k` equal words: each length is its own template (Drain groups by token count). */
const words = (k: number): string => Array.from({ length: k }, () => 'tick').join(' ');

/** `n` template shapes (lengths 1 … n), `each` records of each, the last of each shape an ERROR. */
function manyShapes(n: number, each: number, from = 1): string {
  const out: string[] = [];
  for (let k = from; k < from + n; k++)
    for (let j = 0; j < each; j++) out.push(`${iso(j)} ${j === each - 1 ? 'ERROR' : 'INFO'} api ${words(k)}`);
  return out.join('\n') + '\n';
}

const cfg = config({ timeZone: 'UTC' });

describe('capped service counts', () => {
  it('10,050 distinct services: 10,000 counted, capped, 50 records (5 errors) beyond the cap', async () => {
    const snap = await analyze([fileOf(manyServices(10_050), 's.log')], cfg);
    expect(snap.totals.records).toBe(10_050);
    expect(snap.serviceCount).toBe(10_000);
    // the estimate (±2.3 %) of 10,050 names reads 9,948: below the lower bound, so the page shows "10,000+"
    expect(snap.servicesCap).toEqual({
      max: 10_000,
      capped: true,
      beyondRecords: 50,
      beyondErrors: 5,
      estimate: 9948,
    });
    const r = buildReport(snap, cfg);
    expect(r.caps.services).toEqual({
      max: 10_000,
      capped: true,
      counted: 10_000,
      beyondRecords: 50,
      beyondErrors: 5,
      estimate: 9948,
    });
    expect(r.services).toHaveLength(10_001);
    expect(r.services[0]).toEqual({ name: '(other services)', records: 50, errors: 5 });
    expect(r.services.some((s) => s.name === 'svc-9999')).toBe(true);
    expect(r.services.some((s) => s.name === 'svc-10000')).toBe(false);
  });

  it('the plain-text summary says "10,000+", and a report saved without caps still reads', async () => {
    const snap = await analyze([fileOf(manyServices(10_050), 's.log')], cfg);
    const lines = summaryText(buildReport(snap, cfg)).split('\n');
    expect(lines).toContain('Services (10,000+)');
    const old = buildReport(await analyze([fileOf(manyShapes(1, 1), 'c.log')], cfg), cfg);
    delete (old as Partial<Report>).caps;
    expect(summaryText(old).split('\n')).toContain('Services (1)');
  });

  it('exactly 10,000 services is the true count, not capped', async () => {
    const snap = await analyze([fileOf(manyServices(10_000), 's.log')], cfg);
    expect(snap.serviceCount).toBe(10_000);
    expect(snap.servicesCap).toEqual({
      max: 10_000,
      capped: false,
      beyondRecords: 0,
      beyondErrors: 0,
      estimate: null,
    });
    expect(buildReport(snap, cfg).services.some((s) => s.name === '(other services)')).toBe(false);
  });

  it('merging two slices each under the cap whose union is over it is capped', () => {
    const part = (from: number, to: number): Analysis => {
      const a = new Analysis(cfg, false, false);
      for (let i = from; i < to; i++) a.push(rec(T0, i % 10 === 0 ? 'ERROR' : 'INFO', `svc-${i}`));
      return a;
    };
    const a = part(0, 6000);
    const b = part(6000, 12_050);
    expect(a.snapshot().servicesCap.capped).toBe(false);
    expect(b.snapshot().servicesCap.capped).toBe(false);
    // b crosses to a's worker as a structured clone, as in parallel reading
    a.merge(structuredClone(b));
    const s = a.snapshot();
    expect(s.serviceCount).toBe(10_000);
    // svc-10000 … svc-12049: 2,050 records, every tenth an error
    // the estimate is the single pass's exactly: merging takes each register's max
    expect(s.servicesCap).toEqual({
      max: 10_000,
      capped: true,
      beyondRecords: 2050,
      beyondErrors: 205,
      estimate: part(0, 12_050).snapshot().servicesCap.estimate,
    });
    expect(s.servicesCap.estimate).toBe(12_298);
  });

  it('a capped part keeps the merge capped, even when the union fits', () => {
    const over = new Analysis(cfg, false, false);
    for (let i = 0; i < 10_001; i++) over.push(rec(T0, 'INFO', `svc-${i}`));
    const empty = new Analysis(cfg, false, false);
    empty.merge(structuredClone(over));
    expect(empty.snapshot().serviceCount).toBe(10_000);
    expect(empty.snapshot().servicesCap).toEqual({
      max: 10_000,
      capped: true,
      beyondRecords: 1,
      beyondErrors: 0,
      estimate: 9912,
    });
  });
});

describe('the distinct-name estimate beyond the service cap', () => {
  it('200,000 names: about 196,666 (1.7 % under), the same for any split merged in any order', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `svc-${i}`);
    const counts = (list: readonly string[]): ServiceCounts => {
      const sc = new ServiceCounts(errorMask(['ERROR']));
      for (const n of list) sc.push(rec(T0, 'INFO', n));
      return sc;
    };
    const whole = counts(names).cap();
    expect(whole.estimate).toBe(196_666);
    expect(Math.abs(whole.estimate! / 200_000 - 1)).toBeLessThan(0.03);
    // four slices, merged backwards, through structured clones: the same estimate and the same flags
    const parts = [0, 1, 2, 3].map((k) => counts(names.slice(k * 50_000, (k + 1) * 50_000)));
    const merged = parts[3]!;
    for (const p of [parts[2]!, parts[1]!, parts[0]!]) merged.merge(structuredClone(p));
    expect(merged.cap()).toMatchObject({ capped: true, estimate: 196_666, beyondRecords: 190_000 });
    expect(merged.size).toBe(10_000);
  });

  it('estimates 0 for nothing and counts small sets nearly exactly', () => {
    const d = new DistinctEstimate();
    expect(d.estimate()).toBe(0);
    for (let i = 0; i < 100; i++) d.add(`svc-${i % 50}`);
    // the 50 names fill 47 of the 2,048 registers (some share one): linear counting reads 47.5
    expect(d.estimate()).toBe(48);
    expect(Math.abs(d.estimate() / 50 - 1)).toBeLessThan(0.05);
  });
});

describe('capped templates', () => {
  const small = config({ timeZone: 'UTC', templates: { maxTemplates: 10 } });

  it('15 shapes under a cap of 10: 10 kept, 15 records (5 errors) in <overflow>', async () => {
    const snap = await analyze([fileOf(manyShapes(15, 3), 't.log')], small);
    const t = snap.templates;
    expect(t.total).toBe(11);
    expect([t.max, t.capped, t.overflow, t.overflowErrors]).toEqual([10, true, 15, 5]);
    const r = buildReport(snap, small);
    expect(r.caps.templates).toEqual({
      max: 10,
      capped: true,
      kept: 10,
      overflowRecords: 15,
      overflowErrors: 5,
    });
    const overflow = r.templates.find((x) => x.id === 0);
    expect(overflow).toMatchObject({ template: '<overflow>', count: 15, errors: 5 });
    expect(r.templates.filter((x) => x.id !== 0).map((x) => x.template.split(' ').length)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('10 shapes under a cap of 10 are not capped', async () => {
    const snap = await analyze([fileOf(manyShapes(10, 3), 't.log')], small);
    expect(buildReport(snap, small).caps.templates).toEqual({
      max: 10,
      capped: false,
      kept: 10,
      overflowRecords: 0,
      overflowErrors: 0,
    });
  });

  it('merging two miners each under the cap whose union is over it is capped', () => {
    const records = (from: number, n: number): LogRecord[] =>
      Array.from({ length: n * 2 }, (_, j) =>
        rec(T0, j % 2 ? 'ERROR' : 'INFO', 'api', { message: words(from + (j >> 1)) }),
      );
    const a = new Analysis(small, false);
    for (const r of records(1, 6)) a.push(r);
    const b = new Analysis(small, false);
    for (const r of records(7, 6)) b.push(r);
    expect(a.snapshot().templates.capped).toBe(false);
    expect(b.snapshot().templates.capped).toBe(false);
    a.merge(structuredClone(b));
    const t = a.snapshot().templates;
    // lengths 11 and 12 arrive past the cap: 2 shapes × 2 records, one error each
    expect([t.total, t.capped, t.overflow, t.overflowErrors]).toEqual([11, true, 4, 2]);
  });
});

describe('the other caps in the report', () => {
  it('nothing capped in a small clean file', async () => {
    const snap = await analyze([fileOf(manyShapes(3, 2), 'c.log')], cfg);
    expect(buildReport(snap, cfg).caps).toEqual({
      services: { max: 10_000, capped: false, counted: 1, beyondRecords: 0, beyondErrors: 0, estimate: null },
      templates: { max: 5000, capped: false, kept: 3, overflowRecords: 0, overflowErrors: 0 },
      alerts: { max: 500, capped: false, total: 0 },
      sequenceExamples: { max: 20, capped: false },
      lineBytes: { max: 1024 * 1024, capped: false, cut: 0 },
    });
  });

  it('lines cut at maxLineBytes, sequence examples and alerts past their caps', async () => {
    const c = config({
      timeZone: 'UTC',
      maxLineBytes: 1024,
      spikes: { windowSec: 1, threshold: 1 },
      sequences: [{ name: 'ab', steps: [{ contains: 'alpha' }, { contains: 'beta' }], maxGapSec: 1 }],
      alerts: { spikes: true, anomalies: [], sequences: [] },
    });
    const lines: string[] = [`${iso(0)} INFO api ${'x'.repeat(2000)}`];
    // 501 errors two seconds apart: 501 spikes, 501 alerts; 25 alpha → beta matches
    for (let i = 0; i < 501; i++) lines.push(`${iso(10 + 2 * i)} ERROR api boom`);
    for (let i = 0; i < 25; i++)
      lines.push(`${iso(2000 + 3 * i)} INFO api alpha`, `${iso(2001 + 3 * i)} INFO api beta`);
    const snap = await analyze([fileOf(lines.join('\n') + '\n', 'o.log')], c);
    const r = buildReport(snap, c);
    expect(r.alertsTotal).toBe(501);
    expect(r.alerts).toHaveLength(500);
    expect(r.sequences[0]!.matches).toBe(25);
    expect(r.sequences[0]!.examples).toHaveLength(20);
    expect(r.caps.alerts).toEqual({ max: 500, capped: true, total: 501 });
    expect(r.caps.sequenceExamples).toEqual({ max: 20, capped: true });
    expect(r.caps.lineBytes).toEqual({ max: 1024, capped: true, cut: 1 });
  });
});

describe('report schema', () => {
  const schema = JSON.parse(readFileSync('docs/report.schema.json', 'utf8')) as {
    properties: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
  };

  it('documents every top-level field of the report, and every cap', async () => {
    const r = buildReport(await analyze([fileOf(manyShapes(2, 2), 'c.log')], cfg), cfg);
    for (const k of Object.keys(r)) expect(schema.properties, k).toHaveProperty(k);
    const caps = schema.properties.caps!;
    expect(caps.required).toEqual(Object.keys(r.caps));
    for (const k of Object.keys(r.caps)) {
      const sub = caps.properties![k] as { required: string[] };
      expect(sub.required, k).toEqual(Object.keys(r.caps[k as keyof typeof r.caps]));
    }
  });
});
