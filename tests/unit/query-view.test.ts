import { describe, expect, it } from 'vitest';
import { analyze, mergedSnapshot } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import type { LogRecord, Snapshot, TemplateInfo } from '../../src/engine/types.ts';
import { REALISTIC } from '../../src/engine/sample.ts';
import { chunkedStream, config, fileOf, incidentsComparable, sampleText, utf8 } from './helpers.ts';

const CONFIG = config({ timeZone: 'UTC' });
const { text } = sampleText({ bytes: 400_000, seed: 7, incidents: 3, ...REALISTIC });
const BYTES = utf8(text);

/** The view's analysis, and the matching records' raw bytes as a file of their own. */
async function view(
  where: string,
): Promise<{ snap: Snapshot; records: LogRecord[]; only: Uint8Array<ArrayBuffer> }> {
  const records: LogRecord[] = [];
  const snap = await analyze([fileOf(BYTES)], CONFIG, { where, onRecord: (r) => records.push(r) });
  const parts = records.map((r) => BYTES.subarray(r.offset, r.offset + r.length));
  const only = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    only.set(p, at);
    at += p.length;
  }
  return { snap, records, only };
}

/** What a view and the analysis of a file of only its records can both say: line and byte places aside. */
function comparable(s: Snapshot, offsets: Map<number, number> | null): unknown {
  const place = (o: number): number => (offsets === null ? o : offsets.get(o)!);
  return {
    totals: {
      records: s.totals.records,
      unparsed: s.totals.unparsed,
      untimed: s.totals.untimed,
      lines: s.totals.lines,
      continuationLines: s.totals.continuationLines,
      bytes: s.totals.bytes,
    },
    levels: s.levels,
    services: s.services,
    serviceCount: s.serviceCount,
    servicesCap: s.servicesCap,
    timeRange: s.timeRange,
    timeline: s.timeline,
    detectors: {
      ...s.detectors,
      // sequence examples point at line numbers, which differ between the two files
      sequences: s.detectors.sequences.map((q) => ({ ...q, examples: q.examples.length })),
      incidents: incidentsComparable(s.detectors.incidents, false),
    },
    // the miner is order- and subset-sensitive: compared by the example each template points at
    templates: s.templates.templates
      .map((t: TemplateInfo) => ({
        ...t,
        id: 0,
        template: '',
        example: t.example && place(t.example.offset),
      }))
      .sort((a, b) => (a.example ?? 0) - (b.example ?? 0)),
    templateTotal: s.templates.total,
  };
}

describe('analyze(…, { where }): the analysis of the matching records', () => {
  it.each([
    'level:ERROR',
    'level:>=WARN',
    'timeout',
    '"connection is closed" OR "payment declined"',
    'service:pay* -level:INFO',
    '/sku=SKU-\\d+ qty=[12]$/ OR -(level:INFO OR level:DEBUG)',
  ])('%s equals the analysis of a file of only those records', async (where) => {
    const { snap, records, only } = await view(where);
    expect(records.length).toBeGreaterThan(0);
    const alone = await analyze([fileOf(only)], CONFIG);
    expect(alone.totals.records).toBe(records.length);
    // offsets in the file of only the records → the same records' offsets in the whole file
    const offsets = new Map<number, number>();
    let at = 0;
    for (const r of records) {
      offsets.set(at, r.offset);
      at += r.length;
    }
    expect(comparable(snap, null)).toEqual(comparable(alone, offsets));
    expect(snap.view).toEqual({
      query: where,
      recordsRead: (await analyze([fileOf(BYTES)], CONFIG)).totals.records,
      linesRead: text.split('\n').length - 1,
      bytesRead: BYTES.length,
    });
  });

  it('keeps the whole file’s template ids: template:N in a view and its table agree with the whole', async () => {
    const whole = await analyze([fileOf(BYTES)], CONFIG);
    const errors = await analyze([fileOf(BYTES)], CONFIG, { where: 'level:ERROR' });
    const byId = new Map(whole.templates.templates.map((t) => [t.id, t]));
    for (const t of errors.templates.templates) {
      expect(t.template).toBe(byId.get(t.id)!.template);
      expect(t.count).toBeLessThanOrEqual(byId.get(t.id)!.count);
    }
    const top = errors.templates.templates[0]!;
    const one = await analyze([fileOf(BYTES)], CONFIG, { where: `template:${top.id} level:ERROR` });
    expect(one.totals.records).toBe(top.count);
    expect(one.templates.templates.map((t) => [t.id, t.count])).toEqual([[top.id, top.count]]);
    const all = await analyze([fileOf(BYTES)], CONFIG, { where: `template:${top.id}` });
    expect(all.totals.records).toBe(byId.get(top.id)!.count);
  });

  it('an empty query is the whole analysis, with no view', async () => {
    const whole = await analyze([fileOf(BYTES)], CONFIG);
    const empty = await analyze([fileOf(BYTES)], CONFIG, { where: '  ' });
    expect({ ...empty, progress: null }).toEqual({ ...whole, progress: null });
    expect(empty.view).toBeUndefined();
  });

  it('slices read apart and merged (through a structured clone) give the one-pass view', async () => {
    const file = fileOf(BYTES);
    const forced = { ...CONFIG, format: 'iso-level-service' };
    for (const where of ['level:>=WARN', 'timeout', 'service:pay* -level:INFO']) {
      const one = await analyze([file], forced, { where });
      for (const cuts of [[BYTES.length >> 1], [100_001, 250_003]]) {
        const bounds = [0, ...cuts, BYTES.length];
        const parts: { snap: Snapshot; analysis: Analysis }[] = [];
        for (let i = 0; i + 1 < bounds.length; i++) {
          let kept: Analysis | null = null;
          const snap = await analyze([file], forced, {
            where,
            range: { start: bounds[i]!, end: bounds[i + 1]! },
            keep: (a) => (kept = a),
          });
          parts.push({ snap, analysis: kept! });
        }
        const base = parts[0]!.analysis;
        let lines = parts[0]!.snap.view!.linesRead;
        for (const p of parts.slice(1)) {
          base.merge(structuredClone(p.analysis), lines);
          lines += p.snap.view!.linesRead;
        }
        const merged = mergedSnapshot(
          base,
          parts.map((p) => p.snap.files[0]!),
          0,
          0,
        );
        expect({ ...merged, progress: null, files: null }).toEqual({ ...one, progress: null, files: null });
      }
    }
  });
});

describe('the text-search fast path changes no result', () => {
  const JSON_LOG = [
    '{"time":"2025-03-14T00:00:00Z","level":"error","msg":"say \\"timeout\\" twice","service":"a"}',
    '{"time":"2025-03-14T00:00:01Z","level":"info","msg":"\\u0074imeout in an escape","service":"b"}',
    '{"time":"2025-03-14T00:00:02Z","level":"info","msg":"fine","service":"a"}',
  ].join('\n');
  const LOGFMT = [
    'time=2025-03-14T00:00:00Z level=error msg="Time\\"out here" svc=a',
    'time=2025-03-14T00:00:01Z level=info msg="all good" svc=b',
  ].join('\n');
  const ISO = [
    '2025-03-14T00:00:00Z ERROR pay TIMEOUT calling db',
    'java.lang.Exception: socket timeout',
    '\tat a.b(C.java:1)',
    '2025-03-14T00:00:01Z INFO pay Zoë saw a \u212Aelvin sign: \u212A',
    '2025-03-14T00:00:02Z INFO pay nothing here',
    'not a record line with timeout',
    '',
    '2025-03-14T00:00:03Z WARN auth time out',
  ].join('\n');

  const cases: [string, string, string[]][] = [
    [
      'sample',
      text,
      ['timeout', '"connection is closed"', 'declined OR sku', 'level:ERROR timeout', 'x-y OR -timeout'],
    ],
    ['json', JSON_LOG, ['timeout', '"\\"timeout\\""']],
    ['logfmt', LOGFMT, ['"time\\"out"', 'good']],
    ['iso', ISO, ['timeout', 'k', 'kelvin', '"time out" OR socket', 'c.java']],
  ];
  it.each(cases)('%s', async (_, content, queries) => {
    const bytes = utf8(content);
    for (const where of queries) {
      const slow = await analyze([fileOf(bytes)], CONFIG, { where, textSearch: false });
      const fast = await analyze([fileOf(bytes)], CONFIG, { where, textSearch: true });
      expect({ ...fast, progress: null }).toEqual({ ...slow, progress: null });
      // and in small chunks of random sizes (lines across buffers)
      let seed = 1;
      const sizes = Array.from({ length: 4000 }, () => ((seed = (seed * 48271) % 2147483647) % 97) + 1);
      const chunked = await analyze(
        [{ name: 'x.log', size: bytes.length, stream: () => chunkedStream(bytes, sizes) }],
        CONFIG,
        { where, textSearch: true },
      );
      expect({ ...chunked, progress: null }).toEqual({ ...slow, progress: null });
    }
  });
});

describe('a view without onRecord', () => {
  it('still searches the continuation lines (stack traces)', async () => {
    const seen = await analyze([fileOf(BYTES)], CONFIG, {
      where: '"connection is closed"',
      onRecord: () => {},
    });
    const alone = await analyze([fileOf(BYTES)], CONFIG, { where: '"connection is closed"' });
    expect(seen.totals.records).toBeGreaterThan(0);
    expect({ ...alone, progress: null }).toEqual({ ...seen, progress: null });
  });
});
