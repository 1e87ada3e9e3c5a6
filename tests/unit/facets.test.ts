import { describe, expect, it } from 'vitest';
import {
  Facets,
  MAX_FACET_FIELDS,
  MAX_FACET_VALUES,
  SKETCH_ACCURACY,
  type FieldFacet,
} from '../../src/engine/analyzers/facets.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { compileQuery, parseQuery, printQuery } from '../../src/engine/query/index.ts';
import { queryTerm } from '../../src/lib/format.ts';
import type { FieldValue, LogRecord } from '../../src/engine/types.ts';
import { config, fileOf, rec, rng } from './helpers.ts';

const T0 = Date.UTC(2025, 2, 14);
const withFields = (fields: Record<string, FieldValue>, time: number | null = T0): LogRecord =>
  rec(time, 'INFO', null, { fields });

function run(records: LogRecord[]): Facets {
  const f = new Facets();
  for (const r of records) f.push(r);
  return f;
}

const field = (f: Facets, name: string): FieldFacet => f.snapshot().fields.find((x) => x.field === name)!;

describe('facets: top values, distinct counts, numeric fields', () => {
  const records = [
    ...Array.from({ length: 5 }, () => withFields({ method: 'GET', status: 200 })),
    ...Array.from({ length: 3 }, () => withFields({ method: 'POST', status: '503' })),
    withFields({ method: 'GET', status: 404, user: 'a b' }),
    withFields({ method: 'PUT' }),
  ];

  it('counts each value exactly, numbers and their text together, sorted by count then value', () => {
    const f = run(records);
    expect(field(f, 'method')).toEqual({
      field: 'method',
      records: 10,
      distinct: 3,
      distinctExact: true,
      top: [
        { value: 'GET', count: 6 },
        { value: 'POST', count: 3 },
        { value: 'PUT', count: 1 },
      ],
      maxError: 0,
      numeric: null,
    });
    const status = field(f, 'status');
    expect(status.records).toBe(9);
    expect(status.distinct).toBe(3);
    expect(status.top).toEqual([
      { value: '200', count: 5 },
      { value: '503', count: 3 },
      { value: '404', count: 1 },
    ]);
    expect(status.numeric).toMatchObject({ count: 9, min: 200, max: 503, sum: 200 * 5 + 503 * 3 + 404 });
    // fields by records, then name
    expect(f.snapshot().fields.map((x) => x.field)).toEqual(['method', 'status', 'user']);
    expect(f.snapshot().access).toEqual({
      requests: 9,
      classes: [0, 5, 0, 1, 3],
      overTime: { bucketMs: 1000, start: T0, counts: [[0], [5], [0], [1], [3], [0], [0]] },
      bytesSent: null,
    });
    expect(f.fileRecords).toEqual([10]);
    expect(f.fileNames).toEqual(['x.log']);
  });

  it('merges to the single pass for every split, through a structured clone', () => {
    const one = run(records).snapshot();
    for (let cut = 0; cut <= records.length; cut++) {
      const a = run(records.slice(0, cut));
      a.merge(structuredClone(run(records.slice(cut))));
      expect(a.snapshot()).toEqual(one);
    }
  });

  it('a field is numeric when ≥ 90 % of its values (not empty, not "-") parse as numbers', () => {
    const nine = Array.from({ length: 9 }, (_, i) => withFields({ bytes: String(i * 10) }));
    const f = run([
      ...nine,
      withFields({ bytes: 'n/a' }),
      withFields({ bytes: '-' }),
      withFields({ bytes: '' }),
    ]);
    expect(field(f, 'bytes').numeric).toMatchObject({ count: 9, min: 0, max: 80, sum: 360 });
    const g = run([...nine.slice(0, 8), withFields({ bytes: 'n/a' }), withFields({ bytes: 'x' })]);
    expect(field(g, 'bytes').numeric).toBeNull();
  });

  it('tracks the first MAX_FACET_FIELDS keys and counts the others as untracked', () => {
    const fields: Record<string, FieldValue> = {};
    for (let i = 0; i < MAX_FACET_FIELDS + 5; i++) fields[`k${i}`] = i;
    const f = run([withFields(fields)]);
    expect(f.snapshot().fields.length).toBe(MAX_FACET_FIELDS);
    expect(f.snapshot().untracked).toBe(5);
  });

  it('past MAX_FACET_VALUES distinct values: the heavy hitter kept, its count low by at most maxError ≤ n/(k+1)', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 5 * MAX_FACET_VALUES; i++) {
      recs.push(withFields({ id: `u${i}` }));
      if (i % 3 === 0) recs.push(withFields({ id: 'hot' }));
    }
    const hot = Math.ceil((5 * MAX_FACET_VALUES) / 3);
    const f = field(run(recs), 'id');
    expect(f.distinctExact).toBe(false);
    expect(f.top[0]!.value).toBe('hot');
    expect(f.maxError).toBeGreaterThan(0);
    expect(f.maxError).toBeLessThanOrEqual(recs.length / (MAX_FACET_VALUES + 1));
    expect(f.top[0]!.count).toBeLessThanOrEqual(hot);
    expect(f.top[0]!.count).toBeGreaterThanOrEqual(hot - f.maxError);
    // the HyperLogLog estimate of 5,001 distinct values, within 3 standard errors (2.3 %)
    expect(Math.abs(f.distinct - (5 * MAX_FACET_VALUES + 1))).toBeLessThan(0.07 * 5001);
  });

  it('p50/p95/p99 within DDSketch’s relative accuracy of the exact quantiles (a sort), on merged parts too', () => {
    const random = rng(42);
    const values = Array.from({ length: 20_000 }, () => Math.round(Math.exp(3 + 2 * random()) * 1000) / 1000);
    const recs = values.map((v) => withFields({ duration: v }));
    const sorted = [...values].sort((a, b) => a - b);
    const exact = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;
    const a = run(recs.slice(0, 7_000));
    a.merge(structuredClone(run(recs.slice(7_000))));
    for (const f of [run(recs), a]) {
      const n = field(f, 'duration').numeric!;
      expect(n.count).toBe(20_000);
      for (const [q, got] of [
        [0.5, n.p50],
        [0.95, n.p95],
        [0.99, n.p99],
      ] as const)
        expect(Math.abs(got - exact(q)) / exact(q)).toBeLessThanOrEqual(SKETCH_ACCURACY + 1e-6);
      expect(n.histogram.counts.reduce((x, y) => x + y, 0)).toBe(20_000);
      expect(n.histogram.counts.length).toBe(16);
    }
    // the sketch merges exactly (bin counts add); the top values of a field with more distinct values than
    // MAX_FACET_VALUES depend on the order (Misra-Gries), within maxError
    expect(field(a, 'duration').numeric).toEqual(field(run(recs), 'duration').numeric);
    expect(field(a, 'duration').distinct).toBe(field(run(recs), 'duration').distinct);
  });
});

describe('facets in an analysis', () => {
  const access = [
    '10.0.0.1 - - [15/Jan/2024:10:30:45 +0000] "GET /api/a HTTP/1.1" 200 100 "-" "curl/8"',
    '10.0.0.2 - - [15/Jan/2024:10:30:46 +0000] "GET /api/a HTTP/1.1" 200 200 "-" "curl/8"',
    '10.0.0.1 - - [15/Jan/2024:10:30:47 +0000] "POST /api/b?x=1 HTTP/1.1" 503 - "-" "curl/8"',
    '10.0.0.1 - - [15/Jan/2024:10:31:47 +0000] "GET /missing HTTP/1.1" 404 0 "-" "Mozilla/5.0 (X11)"',
  ].join('\n');

  it('an access log: level, service, file, template and its fields; method and path from the request line', async () => {
    const s = await analyze([fileOf(access, 'access.log')], config({ timeZone: 'UTC' }));
    const f = s.facets!;
    const by = new Map(f.fields.map((x) => [x.field, x]));
    expect([...by.keys()].slice(0, 4)).toEqual(['level', 'service', 'file', 'template']);
    expect(by.get('level')!.top).toEqual([
      { value: 'INFO', count: 2 },
      { value: 'ERROR', count: 1 },
      { value: 'WARN', count: 1 },
    ]);
    expect(by.get('file')!.top).toEqual([{ value: 'access.log', count: 4 }]);
    expect(by.get('method')!.top).toEqual([
      { value: 'GET', count: 3 },
      { value: 'POST', count: 1 },
    ]);
    expect(by.get('path')!.top).toEqual([
      { value: '/api/a', count: 2 },
      { value: '/api/b?x=1', count: 1 },
      { value: '/missing', count: 1 },
    ]);
    expect(by.get('client')!.top).toEqual([
      { value: '10.0.0.1', count: 3 },
      { value: '10.0.0.2', count: 1 },
    ]);
    expect(by.get('bytes')!.numeric).toMatchObject({ count: 3, sum: 300, min: 0, max: 200 });
    expect(f.access).toMatchObject({ requests: 4, classes: [0, 2, 0, 1, 1], bytesSent: 300 });
    expect(f.access!.overTime.counts.slice(0, 5).map((c) => c.reduce((a, b) => a + b, 0))).toEqual([
      0, 2, 0, 1, 1,
    ]);
    const templateSum = by.get('template')!.top.reduce((a, v) => a + v.count, 0);
    expect(templateSum).toBe(4);
  });

  it('a view counts its own records: status:200 leaves the 200s', async () => {
    const s = await analyze([fileOf(access, 'access.log')], config({ timeZone: 'UTC' }), {
      where: 'status:200',
    });
    const by = new Map(s.facets!.fields.map((x) => [x.field, x]));
    expect(by.get('status')!.top).toEqual([{ value: '200', count: 2 }]);
    expect(by.get('file')!.top).toEqual([{ value: 'access.log', count: 2 }]);
    expect(s.facets!.access!.classes).toEqual([0, 2, 0, 0, 0]);
  });

  it('a value’s query term matches exactly the records with that value, and prints back the same', () => {
    const values = [
      '503',
      'GET',
      '/api/v1/x?y=1',
      'a b',
      'say "hi"',
      'x*y',
      'a..b',
      '-',
      'NOT',
      '(x)',
      'back\\slash',
    ];
    for (const v of values) {
      const t = queryTerm('f', v);
      const p = parseQuery(t);
      expect(p.ok, t).toBe(true);
      if (!p.ok) continue;
      expect(parseQuery(printQuery(p.query)).ok).toBe(true);
      const m = compileQuery(p.query);
      expect(m.matches(withFields({ f: v }), null), t).toBe(true);
      for (const other of values.filter((o) => o.toLowerCase() !== v.toLowerCase()))
        expect(m.matches(withFields({ f: other }), null), `${t} on ${other}`).toBe(false);
      const not = parseQuery(`-${t}`);
      expect(not.ok && compileQuery(not.query).matches(withFields({ f: v }), null)).toBe(false);
    }
  });
});
