import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze, fastTextView, type WholeFile } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import type { ByteInput } from '../../src/engine/ingest/source.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { parseQuery } from '../../src/engine/query/index.ts';
import { REALISTIC } from '../../src/engine/sample.ts';
import { chunkedStream, config, fileOf, sampleText, utf8 } from './helpers.ts';
import { TemplateMiner } from '../../src/engine/analyzers/templates.ts';
import { LOWERS_TO_ASCII } from '../../src/engine/ingest/text-view.ts';
import { mergeSlices, type SlicePart } from '../../src/worker/handover.ts';

const CONFIG = config({ timeZone: 'UTC' });

async function wholeOf(inputs: ByteInput[], cfg = CONFIG): Promise<WholeFile> {
  let kept: Analysis | null = null;
  const snapshot = await analyze(inputs, cfg, { keep: (a) => (kept = a) });
  return { miner: kept!.templates, snapshot };
}

function chunked(bytes: Uint8Array, name: string, seed: number, most = 97): ByteInput {
  let s = seed;
  const sizes = Array.from({ length: 4000 }, () => ((s = (s * 48271) % 2147483647) % most) + 1);
  return { name, size: bytes.length, lastModified: 0, stream: () => chunkedStream(bytes, sizes) };
}

/**
 * The slow path's view and the fast one's, with the records each gave to onRecord; `records` false: without
 * onRecord, as the page asks for a view (the fast path then stops building a record's text once the query's
 * words are found in it).
 */
async function both(
  inputs: ByteInput[],
  where: string,
  whole?: WholeFile,
  cfg = CONFIG,
  records = true,
): Promise<{ slow: unknown; fast: unknown; used: boolean }> {
  const w = whole ?? (await wholeOf(inputs, cfg));
  const q = parseQuery(where);
  const used = q.ok && fastTextView(q.query, w.snapshot) !== null;
  const slowRecs: LogRecord[] = [];
  const fastRecs: LogRecord[] = [];
  const slow = await analyze(inputs, cfg, {
    where,
    ...(records ? { onRecord: (r) => slowRecs.push(r) } : {}),
  });
  const fast = await analyze(inputs, cfg, {
    where,
    wholeFile: w,
    ...(records ? { onRecord: (r) => fastRecs.push(r) } : {}),
  });
  const strip = (s: Snapshot): unknown => ({ ...s, progress: { ...s.progress, elapsedMs: 0 } });
  return { slow: [strip(slow), slowRecs], fast: [strip(fast), fastRecs], used };
}

const ISO = [
  'a line before any record, with timeout',
  '\tat before.first(X.java:1)',
  '2025-03-14T00:00:00Z ERROR pay TIMEOUT calling db',
  'java.lang.Exception: socket timeout',
  '',
  '\tat a.b(C.java:1)',
  '2025-03-14T00:00:01Z INFO pay Zoë saw a \u212Aelvin sign: \u212A',
  '2025-03-14T00:00:02Z INFO pay nothing here',
  'not a record line with TimeOut',
  '',
  '2025-03-14T00:00:03Z WARN auth time out',
  '2025-03-14T00:00:04Z WARN timeout-service the word is in the service name only',
  '2025-03-14T00:00:05Z ERROR pay Ünïcödé ÉCHEC écrit',
  '2025-03-14T00:00:06Z INFO pay İstanbul ıi',
  '2025-03-14T00:00:07Z ERROR pay exception',
  '\tat only.in.the.trace(Timeout.java:9)',
  '2025-03-14T00:00:07Z WARN timeout-svc the word in the service name, then in the trace',
  '\tat in.the.trace(Timeout.java:9)',
  '2025-03-14T00:00:08Z INFO pay last line without newline timeout',
].join('\n');

const QUERIES = [
  'timeout',
  'TIMEOUT',
  'k',
  'kelvin',
  '\u212A',
  '"time out" OR socket',
  'c.java',
  'échec',
  'ÜNÏCÖDÉ',
  'i̇stanbul',
  'timeout-service',
  'level:ERROR timeout',
  'timeout -socket',
  'service:pay timeout',
  'trace',
  'x-y OR timeout',
  'timeout db',
  'db timeout',
  'exception timeout',
];

describe('the fast read path of a text view equals the slow one', () => {
  it.each(QUERIES)('%s, one input, whole and in small chunks', async (where) => {
    const bytes = utf8(ISO);
    for (const records of [true, false]) {
      const r = await both([fileOf(bytes, 'app.log')], where, undefined, CONFIG, records);
      expect(r.used).toBe(true);
      expect(r.fast).toEqual(r.slow);
      const c = await both([chunked(bytes, 'app.log', 3)], where, undefined, CONFIG, records);
      expect(c.fast).toEqual(c.slow);
    }
  });

  it('a trace past the text kept of continuation lines: a word only past it is not in the text', async () => {
    const trace = Array.from({ length: 3000 }, (_, i) => `\tat a.b.C${i}(C.java:${i})`).join('\n');
    const text = [
      '2025-03-14T00:00:00Z ERROR pay failed',
      trace,
      '\tat past.the.Cap(Timeout.java:1)',
      '2025-03-14T00:00:01Z ERROR pay timeout',
      trace,
      '\tat past.the.Cap(Timeout.java:1)',
      '2025-03-14T00:00:02Z INFO timeout-svc here',
      trace,
      '\tat past.the.Cap(Timeout.java:1)',
      '2025-03-14T00:00:03Z INFO pay done',
    ].join('\n');
    for (const records of [true, false]) {
      const r = await both([fileOf(utf8(text))], 'timeout', undefined, CONFIG, records);
      expect(r.used).toBe(true);
      expect(r.fast).toEqual(r.slow);
      // the first and third records hold the word only past the cap: the second alone matches
      expect((r.fast as [Snapshot])[0].totals.records).toBe(1);
    }
  });

  it('several files (a word in each, records across their ends)', async () => {
    const a = utf8(ISO.slice(0, 300));
    const b = utf8(ISO.slice(300) + '\n');
    for (const where of ['timeout', 'pay', 'é']) {
      const r = await both([fileOf(a, 'a.log'), fileOf(b, 'b.log')], where);
      expect(r.used).toBe(true);
      expect(r.fast).toEqual(r.slow);
    }
  });

  it('a realistic sample (stack traces, non-ASCII names), in chunks of random sizes', async () => {
    const { text } = sampleText({ bytes: 300_000, seed: 11, incidents: 3, ...REALISTIC });
    const bytes = utf8(text);
    const whole = await wholeOf([fileOf(bytes)]);
    for (const where of [
      'timeout',
      '"connection is closed"',
      'declined OR sku',
      'level:ERROR timeout',
      'at',
      'timeout exception',
    ]) {
      for (const records of [true, false]) {
        const r = await both([fileOf(bytes)], where, whole, CONFIG, records);
        expect(r.used).toBe(true);
        expect(r.fast).toEqual(r.slow);
        const c = await both([chunked(bytes, 'x.log', 5)], where, whole, CONFIG, records);
        expect(c.fast).toEqual(c.slow);
      }
    }
  });

  it('leaves queries without a required word, or with template:, to the slow path', async () => {
    const whole = await wholeOf([fileOf(utf8(ISO))]);
    for (const where of ['level:ERROR', 'timeout OR level:WARN', '-timeout', 'template:1 timeout', 'NOT x'])
      expect(
        fastTextView((parseQuery(where) as { ok: true; query: never }).query, whole.snapshot),
      ).toBeNull();
  });
});

describe('property: fast equals slow on random small logs and words', () => {
  const WORDS = ['timeout', 'TimeOut', 'db', 'Zoë', 'ÉCHEC', 'x', 'a b', 'K', '\u212A', 'ok'];
  const line = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('INFO', 'ERROR', 'WARN', '[DEBUG]'),
        fc.constantFrom('pay', 'timeout-svc', 'auth'),
        fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }),
      )
      .map(([s, l, svc, w]) => `2025-03-14T00:00:${String(s).padStart(2, '0')}Z ${l} ${svc} ${w.join(' ')}`),
    fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }).map((w) => `\tat ${w.join('.')}(F.java:1)`),
    fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }).map((w) => w.join(' ')),
    fc.constant(''),
  );
  it('any query of a required word (and a field), whole and chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(
          ...WORDS.filter((w) => w !== 'a b'),
          '"a b"',
          'timeout level:ERROR',
          'é',
          'o',
          'timeout pay',
          'a timeout',
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        async (lines, where, newline, seed, records) => {
          // the first line a record, so the file is read as ISO
          const text = ['2025-03-14T00:00:00Z INFO pay start', ...lines].join('\n') + (newline ? '\n' : '');
          const bytes = utf8(text);
          const r = await both([chunked(bytes, 'p.log', seed)], where, undefined, CONFIG, records);
          if (!r.used) return;
          expect(r.fast).toEqual(r.slow);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('lines passed over: the splitter skips what no record with a hit spans', () => {
  // the cap at its least, so lines past it are cut (a word before and after the cut)
  const CAPPED = config({ timeZone: 'UTC', maxLineBytes: 1024 });
  const WORDS = ['timeout', 'TimeOut', 'db', 'Zoë', 'x', 'İ', '\u212A', 'ok', 'caused'];
  const words = fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((w) => w.join(' '));
  const head = fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 59 }), fc.constantFrom('INFO', 'ERROR', 'WARN'), words)
      .map(([s, l, w]) => `2025-03-14T00:00:${String(s).padStart(2, '0')}Z ${l} pay ${w}`),
    // a record line after NUL padding (copytruncate), and a record line with a CR (CRLF)
    words.map((w) => `\0\0\u00002025-03-14T00:00:09Z INFO pay padded ${w}`),
    words.map((w) => `2025-03-14T00:00:10Z WARN pay crlf ${w}\r`),
    // a line longer than the cap: a word before the cut, another after it
    fc
      .constantFrom('timeout', 'db')
      .map((w) => `2025-03-14T00:00:11Z INFO pay long ${w} ${'y'.repeat(1100)} ok`),
  );
  const cont = fc.oneof(
    words.map((w) => `\tat a.b(${w}.java:1)`),
    words.map((w) => `Caused by: java.io.IOException: ${w}`),
    fc.constant('\tat c.d(E.java:2)'),
    fc.constant(''),
  );
  // past format detection's 1,000 lines and the text check's 64 KiB: the lines after are split as they come
  const FILLER = Array.from(
    { length: 2000 },
    (_, i) => `2025-03-14T00:00:00Z INFO pay filler line number ${i} of the file`,
  );
  // records of a line and a stack trace of up to 8 lines: a hit deep in a trace needs the record's start
  const line = fc.tuple(head, fc.array(cont, { maxLength: 8 })).map(([h, c]) => [h, ...c].join('\n'));
  it('fast equals slow, read whole, in chunks of up to 5,000 bytes and of up to 97', async () => {
    let used = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...WORDS, 'timeout level:ERROR', 'ok -db', 'i', 'k', 'timeout caused', 'db ok'),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        async (lines, where, seed, records) => {
          const text = [...FILLER, ...lines].join('\n') + '\n';
          const bytes = utf8(text);
          const whole = await wholeOf([fileOf(bytes)], CAPPED);
          for (const input of [
            fileOf(bytes),
            chunked(bytes, 'x.log', seed, 5000),
            chunked(bytes, 'x.log', seed),
          ]) {
            const r = await both([input], where, whole, CAPPED, records);
            if (!r.used) return;
            used++;
            expect(r.fast).toEqual(r.slow);
          }
        },
      ),
      { numRuns: 60 },
    );
    // most cases take the fast path (a word's query of an ISO log), not the slow one twice
    expect(used).toBeGreaterThan(100);
  });

  it('İ and the Kelvin sign are the only characters outside ASCII whose lowercase holds ASCII', () => {
    const found: number[] = [];
    for (let c = 0x80; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if ([...String.fromCodePoint(c).toLowerCase()].some((x) => x.charCodeAt(0) < 0x80)) found.push(c);
    }
    expect(found).toEqual([0x130, 0x212a]);
    expect(LOWERS_TO_ASCII.map((b) => [...b])).toEqual([[...utf8('\u0130')], [...utf8('\u212A')]]);
  });
});

describe('slices (the page reads big files in slices)', () => {
  it('a slice gives the records the slow path gives it: a record across a seam is the slice where it starts', async () => {
    const { text } = sampleText({ bytes: 120_000, seed: 5, incidents: 2, ...REALISTIC });
    const bytes = utf8(text + ISO.slice(ISO.indexOf('2025')));
    const file = fileOf(bytes);
    const whole = await wholeOf([file]);
    const cfg = { ...CONFIG, format: whole.snapshot.files[0]!.format };
    // seams at fixed places and on every byte of the stack trace near the end (mid-line, at a line start)
    const near = bytes.length - 200;
    const cuts = [1, 30_000, 59_999, 90_001, ...Array.from({ length: 40 }, (_, i) => near + i * 3)];
    for (const where of ['timeout', 'at', 'trace', 'é']) {
      const q = parseQuery(where);
      expect(q.ok && fastTextView(q.query, whole.snapshot)).toEqual([where]);
      for (const cut of cuts) {
        for (const range of [
          { start: 0, end: cut },
          { start: cut, end: bytes.length },
        ]) {
          const slow: LogRecord[] = [];
          const fast: LogRecord[] = [];
          await analyze([file], cfg, { where, range, onRecord: (r) => slow.push(r) });
          await analyze([file], cfg, { where, range, wholeFile: whole, onRecord: (r) => fast.push(r) });
          expect(fast).toEqual(slow);
        }
      }
    }
  }, 60_000);
});

/**
 * A view in slices as the page reads it (src/worker/engine.worker.ts): each slice analyzed on its own, the
 * later slices' analyses sent to the first (a structured clone, as postMessage makes) and merged there
 * (mergeSlices). The fast slices read with the whole file's analysis, itself made in the same slices: the first
 * slice its miner, the later ones a structured clone of it, revived.
 */
async function inSlices(
  file: ByteInput & Blob,
  cfg: typeof CONFIG,
  cuts: number[],
  where: string,
  whole: WholeFile | null,
): Promise<{ snapshot: Snapshot; records: LogRecord[][]; first: Analysis }> {
  const bounds = [0, ...cuts, file.size];
  const records: LogRecord[][] = [];
  const finals: Snapshot[] = [];
  const kept: Analysis[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const recs: LogRecord[] = [];
    const wholeFile =
      whole === null
        ? undefined
        : i === 0
          ? whole
          : { miner: TemplateMiner.revive(structuredClone(whole.miner)), snapshot: whole.snapshot };
    finals.push(
      await analyze([file], cfg, {
        ...(where ? { where } : {}),
        range: { start: bounds[i]!, end: bounds[i + 1]! },
        ...(wholeFile ? { wholeFile } : {}),
        keep: (a) => kept.push(a),
        onRecord: (r) => recs.push(r),
      }),
    );
    records.push(recs);
  }
  const parts: SlicePart[] = kept.slice(1).map((a, k) => {
    if (whole !== null) a.dropMiner();
    const final = finals[k + 1]!;
    return {
      state: structuredClone(a),
      file: final.files[0]!,
      lines: final.view?.linesRead ?? final.totals.lines,
    };
  });
  const snapshot = mergeSlices(kept[0]!, finals[0]!, parts, 0, 0, whole?.snapshot ?? null);
  return { snapshot, records, first: kept[0]! };
}

describe('fast slices: a view read in slices with the whole file’s analysis equals the slow slices', () => {
  const { text } = sampleText({ bytes: 200_000, seed: 8, incidents: 2, ...REALISTIC });
  // the test's own block at the end: a stack trace, non-ASCII text, a word in a continuation line only
  const bytes = utf8(text + ISO.slice(ISO.indexOf('2025')) + '\n');
  const file = fileOf(bytes) as ByteInput & Blob;
  const trace = bytes.length - 120; // inside the block's lines (its traces and non-ASCII records)
  const mid = text.indexOf('\tat ', 100_000); // a line of a realistic stack trace
  const cases: { name: string; cuts: number[] }[] = [
    { name: 'two slices, the cut inside a stack trace', cuts: [mid + 2] },
    { name: 'two slices, the cut at a stack trace line’s start', cuts: [mid] },
    { name: 'three slices, one cut in the non-ASCII block', cuts: [70_000, trace] },
    { name: 'two slices, a cut on each byte near the end', cuts: [trace + 1] },
  ];

  it.each(cases)('$name', async ({ cuts }) => {
    expect(mid).toBeGreaterThan(0);
    const cfg = { ...CONFIG, format: 'iso-level-service' };
    const slow0 = await inSlices(file, cfg, cuts, '', null);
    const whole: WholeFile = { miner: slow0.first.templates, snapshot: slow0.snapshot };
    for (const where of ['timeout', 'at', 'é', 'zoë OR müller', 'level:ERROR exception', 'trace']) {
      const q = parseQuery(where);
      expect(q.ok && fastTextView(q.query, whole.snapshot)).not.toBeNull();
      const slow = await inSlices(file, cfg, cuts, where, null);
      const fast = await inSlices(file, cfg, cuts, where, whole);
      expect(fast.records).toEqual(slow.records);
      expect(fast.records.flat().length).toBeGreaterThan(0);
      const strip = (s: Snapshot): unknown => ({ ...s, progress: { ...s.progress, elapsedMs: 0 } });
      expect(strip(fast.snapshot)).toEqual(strip(slow.snapshot));
    }
  });

  it('the merged view counts every line and record the whole file has', async () => {
    const cfg = { ...CONFIG, format: 'iso-level-service' };
    const lines = text.split('\n').length + ISO.slice(ISO.indexOf('2025')).split('\n').length - 1;
    const slow0 = await inSlices(file, cfg, [mid + 2, trace], '', null);
    expect(slow0.snapshot.totals.lines).toBe(lines);
    const whole: WholeFile = { miner: slow0.first.templates, snapshot: slow0.snapshot };
    // the line numbers of a later slice's records (sequence steps) are the file's, as one pass over it gives:
    // a sequence of two records holding the word, its examples the first matches, the cut before the second
    const seqCfg = {
      ...config({
        timeZone: 'UTC',
        sequences: [
          { name: 'two', steps: [{ contains: 'timeout' }, { contains: 'timeout' }], maxGapSec: 1e6 },
        ],
      }),
      format: 'iso-level-service',
    };
    const stepLines = (s: Snapshot): number[] =>
      s.detectors.sequences.flatMap((r) => r.examples.flatMap((m) => m.steps.map((st) => st.line)));
    const steps = stepLines(await analyze([file], seqCfg, { where: 'timeout' }));
    expect(steps.length).toBeGreaterThan(4);
    const cut =
      text
        .split('\n')
        .slice(0, steps[1]! - 1)
        .join('\n').length + 3;
    const wholeSeq = await inSlices(file, seqCfg, [cut], '', null);
    for (const w of [null, whole]) {
      const v = await inSlices(file, cfg, [mid + 2, trace], 'timeout', w);
      expect(v.snapshot.view).toMatchObject({ recordsRead: slow0.snapshot.totals.records, linesRead: lines });
      const o = await inSlices(
        file,
        seqCfg,
        [cut],
        'timeout',
        w === null ? null : { miner: wholeSeq.first.templates, snapshot: wholeSeq.snapshot },
      );
      expect(stepLines(o.snapshot)).toEqual(steps);
    }
  });
});

describe('a template miner sent to another worker', () => {
  it('revived from its structured clone, matches every message as the original does', async () => {
    const { text } = sampleText({ bytes: 150_000, seed: 4, ...REALISTIC });
    let kept: Analysis | null = null;
    await analyze([fileOf(utf8(text))], CONFIG, { keep: (a) => (kept = a) });
    const miner = (kept as Analysis | null)!.templates;
    const copy = TemplateMiner.revive(structuredClone(miner));
    const messages = text.split('\n').map((l) => l.replace(/^\S+ \S+ \S+ /, ''));
    messages.push('a message no template has 42', 'Zoë 北京 𠮷田', '');
    const ids = messages.map((m) => miner.match(m));
    expect(new Set(ids).size).toBeGreaterThan(10);
    expect(messages.map((m) => copy.match(m))).toEqual(ids);
    expect(copy.snapshot()).toEqual(miner.snapshot());
  });
});
