import { describe, it, expect } from 'vitest';
import {
  COMPACT_EVENTS,
  EXACT_DURATIONS,
  MAX_EXAMPLES,
  SequenceMatcher,
  type PatternSpec,
  type SequenceResult,
  type StepSpec,
} from '../../src/engine/analyzers/sequences.ts';
import { LEVELS, type Level, type LogRecord, type SequenceStepHit } from '../../src/engine/types.ts';
import { rec, rng } from './helpers.ts';
import { naiveSequences, NAIVE_MAX_EXAMPLES } from './naive/sequences.ts';
import {
  intIn,
  mergeAll,
  pick,
  randomRecords,
  randomSplit,
  shuffle,
  type Message,
  type Random,
} from './naive/random.ts';

const B = Date.UTC(2025, 2, 14, 12, 0, 0);
/** ms since epoch of second `s` (fractions allowed) after B */
const at = (s: number): number => B + Math.round(s * 1000);

interface EvOptions {
  level?: Level | null;
  service?: string | null;
  fileIndex?: number;
  line?: number;
  fields?: LogRecord['fields'];
}

let autoLine = 0;
/** A record at second `s` with a message; lines count up by themselves unless given. */
function ev(s: number | null, message: string, o: EvOptions = {}): LogRecord {
  const fileIndex = o.fileIndex ?? 0;
  const line = o.line ?? ++autoLine;
  return rec(s === null ? null : at(s), o.level === undefined ? 'INFO' : o.level, o.service ?? null, {
    message,
    fileIndex,
    file: `f${fileIndex}.log`,
    line,
    lineEnd: line,
    fields: o.fields ?? null,
  });
}

function pattern(name: string, steps: StepSpec[], maxGapSec = 30, key?: string): PatternSpec {
  return key === undefined ? { name, steps, maxGapSec } : { name, steps, maxGapSec, key };
}

function match(specs: readonly PatternSpec[], records: readonly LogRecord[]): SequenceResult[] {
  const m = new SequenceMatcher(specs);
  for (const r of records) m.push(r);
  return m.snapshot();
}

function one(spec: PatternSpec, records: readonly LogRecord[]): SequenceResult {
  const [result] = match([spec], records);
  // every hand-worked case also holds for the naive reading, and for any push order
  expect(naiveSequences(records, [spec])).toEqual([result]);
  expect(match([spec], records.slice().reverse())).toEqual([result]);
  return result!;
}

const hit = (r: LogRecord): SequenceStepHit => ({
  file: r.file,
  line: r.line,
  time: r.time!,
  fileIndex: r.fileIndex,
  offset: r.offset,
  length: r.length,
});

const AB = pattern('ab', [{ contains: 'alpha' }, { contains: 'bravo' }], 10);
const ABC = pattern('abc', [{ contains: 'alpha' }, { contains: 'bravo' }, { contains: 'charlie' }], 30);

describe('SequenceMatcher: hand-worked cases', () => {
  it('a match, and a reset when the gap exceeds maxGapSec (a gap equal to it is fine)', () => {
    const rs = [ev(0, 'alpha'), ev(10, 'bravo'), ev(20, 'alpha'), ev(30.001, 'bravo')];
    expect(one(AB, rs)).toEqual({
      name: 'ab',
      matches: 1,
      firstMatch: at(10),
      lastMatch: at(10),
      medianDurationMs: 10_000,
      examples: [
        { key: null, start: at(0), end: at(10), durationMs: 10_000, steps: [hit(rs[0]!), hit(rs[1]!)] },
      ],
      events: 4,
    });
  });

  it('a fractional maxGapSec: 0.5 s allows a 500 ms gap, not a 501 ms one', () => {
    const half = pattern('half', AB.steps, 0.5);
    expect(one(half, [ev(0, 'alpha'), ev(0.5, 'bravo')]).matches).toBe(1);
    expect(one(half, [ev(0, 'alpha'), ev(0.501, 'bravo')]).matches).toBe(0);
  });

  it('after a reset, the same record may start the pattern again', () => {
    // alpha@0 → k=1; alpha@100: gap 100 > 10 → k=0, then it matches step 0 → k=1; bravo@105 → match
    const rs = [ev(0, 'alpha'), ev(100, 'alpha'), ev(105, 'bravo')];
    const r = one(AB, rs);
    expect(r.matches).toBe(1);
    expect(r.examples[0]!.steps).toEqual([hit(rs[1]!), hit(rs[2]!)]);
  });

  it('a record that matches step 0 (and not step k) restarts at k = 1', () => {
    // alpha@0 bravo@1 → k=2; alpha@2 → restart k=1; charlie@3: k=1 wants bravo → nothing; bravo@4, charlie@5
    const rs = [
      ev(0, 'alpha'),
      ev(1, 'bravo'),
      ev(2, 'alpha'),
      ev(3, 'charlie'),
      ev(4, 'bravo'),
      ev(5, 'charlie'),
    ];
    expect(one(ABC, rs)).toMatchObject({
      matches: 1,
      firstMatch: at(5),
      medianDurationMs: 3000,
      examples: [
        { start: at(2), end: at(5), durationMs: 3000, steps: [hit(rs[2]!), hit(rs[4]!), hit(rs[5]!)] },
      ],
      events: 6,
    });
  });

  it('the gap is measured from the last matched step, not from the first', () => {
    const rs = [ev(0, 'alpha'), ev(20, 'bravo'), ev(45, 'charlie')];
    expect(one(ABC, rs)).toMatchObject({ matches: 1, medianDurationMs: 45_000 });
    expect(one(ABC, [ev(0, 'alpha'), ev(20, 'bravo'), ev(50.5, 'charlie')]).matches).toBe(0);
  });

  it('advancing wins over restarting when a record matches step k and step 0', () => {
    const xx = pattern('xx', [{ contains: 'x' }, { contains: 'x' }], 30);
    const rs = [0, 1, 2, 3, 4].map((s) => ev(s, 'x'));
    const r = one(xx, rs);
    expect(r.matches).toBe(2);
    expect(r.examples.map((m) => [m.start, m.end])).toEqual([
      [at(0), at(1)],
      [at(2), at(3)],
    ]);
  });

  it('records without a time are left out', () => {
    const rs = [ev(null, 'alpha'), ev(1, 'bravo'), ev(2, 'alpha'), ev(null, 'bravo'), ev(3, 'x')];
    expect(one(AB, rs)).toMatchObject({
      matches: 0,
      firstMatch: null,
      lastMatch: null,
      medianDurationMs: null,
      events: 2,
    });
  });

  it('no records, no patterns', () => {
    expect(one(AB, [])).toEqual({
      name: 'ab',
      matches: 0,
      firstMatch: null,
      lastMatch: null,
      medianDurationMs: null,
      examples: [],
      events: 0,
    });
    expect(match([], [ev(0, 'alpha')])).toEqual([]);
  });

  it('key "service": one state per service; records without one are ignored', () => {
    const keyed = pattern('ab-svc', AB.steps, 10, 'service');
    const rs = [
      ev(0, 'alpha', { service: 'api' }),
      ev(1, 'alpha', { service: 'db' }),
      ev(2, 'bravo', { service: 'db' }),
      ev(3, 'bravo', { service: 'api' }),
      ev(4, 'alpha'),
      ev(5, 'bravo', { service: 'web' }),
    ];
    const r = one(keyed, rs);
    expect(r.matches).toBe(2);
    expect(r.examples.map((m) => [m.key, m.start, m.end])).toEqual([
      ['db', at(1), at(2)],
      ['api', at(0), at(3)],
    ]);
    expect(r.events).toBe(5);
    // without a key the same records interleave: alpha@0, alpha@1 (restart), bravo@2 → match; then alpha@4, bravo@5
    const plain = one(AB, rs);
    expect(plain.examples.map((m) => [m.key, m.start, m.end])).toEqual([
      [null, at(1), at(2)],
      [null, at(4), at(5)],
    ]);
  });

  it('key "file" and key "level"', () => {
    const rs = [
      ev(0, 'alpha', { fileIndex: 0, level: 'WARN' }),
      ev(1, 'alpha', { fileIndex: 1, level: 'ERROR' }),
      ev(2, 'bravo', { fileIndex: 0, level: 'ERROR' }),
      ev(3, 'bravo', { fileIndex: 1, level: 'WARN' }),
    ];
    expect(one(pattern('f', AB.steps, 10, 'file'), rs).examples.map((m) => [m.key, m.start])).toEqual([
      ['f0.log', at(0)],
      ['f1.log', at(1)],
    ]);
    expect(one(pattern('l', AB.steps, 10, 'level'), rs).examples.map((m) => [m.key, m.start])).toEqual([
      ['ERROR', at(1)],
      ['WARN', at(0)],
    ]);
  });

  it('a key from a named group of the step regex, else from the record fields', () => {
    const req = pattern('req', [{ regex: '^begin (?<rid>\\w+)' }, { regex: '^end (?<rid>\\w+)' }], 30, 'rid');
    const rs = [ev(0, 'begin a'), ev(1, 'begin b'), ev(2, 'end a'), ev(3, 'end c'), ev(4, 'end b')];
    const r = one(req, rs);
    expect(r.examples.map((m) => [m.key, m.start, m.end])).toEqual([
      ['a', at(0), at(2)],
      ['b', at(1), at(4)],
    ]);
    expect(r.events).toBe(5);
    // a step without the group takes the key from fields; a number field is its string
    const mixed = pattern('mixed', [{ regex: '^begin (?<rid>\\w+)' }, { contains: 'commit' }], 30, 'rid');
    const ms = [
      ev(0, 'begin a'),
      ev(1, 'commit'), // no key: ignored
      ev(2, 'commit', { fields: { rid: 'b' } }), // another key
      ev(3, 'begin 7'),
      ev(4, 'commit', { fields: { rid: 7 } }),
      ev(5, 'commit', { fields: { rid: 'a' } }),
    ];
    expect(one(mixed, ms).examples.map((m) => [m.key, m.start, m.end])).toEqual([
      ['7', at(3), at(4)],
      ['a', at(0), at(5)],
    ]);
  });

  it('contains and regex are case-insensitive unless caseSensitive', () => {
    const rs = [ev(0, 'alpha'), ev(1, 'Alpha'), ev(2, 'bravo'), ev(3, 'BRAVO')];
    const sensitive = pattern(
      'cs',
      [
        { contains: 'Alpha', caseSensitive: true },
        { regex: '^BRAVO$', caseSensitive: true },
      ],
      30,
    );
    // Alpha@1 → k=1; bravo@2 does not match; BRAVO@3 → match
    expect(one(sensitive, rs).examples.map((m) => [m.start, m.end])).toEqual([[at(1), at(3)]]);
    const insensitive = pattern('ci', [{ contains: 'Alpha' }, { regex: '^BRAVO$' }], 30);
    // alpha@0 → k=1; Alpha@1 restarts; bravo@2 → match; BRAVO@3 cannot start
    expect(one(insensitive, rs).examples.map((m) => [m.start, m.end])).toEqual([[at(1), at(2)]]);
    // case-insensitive beyond ASCII
    expect(
      one(pattern('u', [{ contains: 'ÉTAPE' }, { regex: 'fin$' }], 30), [ev(0, 'étape 1'), ev(1, 'FIN')])
        .matches,
    ).toBe(1);
  });

  it('level (one or a list) and service conditions; every condition of a step must hold', () => {
    const p = pattern(
      'lv',
      [
        { level: ['WARN', 'ERROR'], contains: 'timeout' },
        { level: 'FATAL', service: 'db' },
      ],
      30,
    );
    const rs = [
      ev(0, 'timeout', { level: 'INFO' }), // wrong level
      ev(1, 'timeout', { level: null }), // no level
      ev(2, 'slow', { level: 'WARN' }), // no "timeout"
      ev(3, 'Timeout!', { level: 'ERROR' }), // step 0
      ev(4, 'down', { level: 'FATAL', service: 'api' }), // wrong service
      ev(5, 'down', { level: 'FATAL', service: 'db' }), // step 1
      ev(6, 'db timeout', { level: 'WARN', service: 'db' }),
      ev(7, 'x', { level: 'FATAL', service: 'db' }),
    ];
    const r = one(p, rs);
    expect(r.examples.map((m) => [m.start, m.end])).toEqual([
      [at(3), at(5)],
      [at(6), at(7)],
    ]);
    expect(r.events).toBe(4); // the records at 3, 5, 6 and 7 s match a step
  });

  it('ties in time are taken in file order: file index, then line', () => {
    const t = 5;
    const inOrder = [ev(t, 'alpha', { line: 1 }), ev(t, 'bravo', { line: 2 })];
    expect(one(AB, inOrder).matches).toBe(1);
    const reversed = [ev(t, 'bravo', { line: 1 }), ev(t, 'alpha', { line: 2 })];
    expect(one(AB, reversed).matches).toBe(0);
    // the file index decides before the line
    const fileFirst = [ev(t, 'alpha', { fileIndex: 1, line: 1 }), ev(t, 'bravo', { fileIndex: 0, line: 9 })];
    expect(one(AB, fileFirst).matches).toBe(0);
    const fileSecond = [ev(t, 'alpha', { fileIndex: 0, line: 9 }), ev(t, 'bravo', { fileIndex: 1, line: 1 })];
    expect(one(AB, fileSecond)).toMatchObject({
      matches: 1,
      examples: [
        {
          steps: [
            { file: 'f0.log', line: 9, time: at(t) },
            { file: 'f1.log', line: 1, time: at(t) },
          ],
        },
      ],
    });
  });

  it('the median of the durations, the first and last match, and at most 20 examples', () => {
    const four = [1, 2, 3, 10].flatMap((d, k) => [ev(k * 100, 'alpha'), ev(k * 100 + d, 'bravo')]);
    expect(one(AB, four)).toMatchObject({
      matches: 4,
      medianDurationMs: 2500,
      firstMatch: at(1),
      lastMatch: at(310),
    });
    const many = Array.from({ length: 25 }, (_, k) => [
      ev(k * 100, 'alpha'),
      ev(k * 100 + ((k * 7) % 10) + 0.5, 'bravo'),
    ]).flat();
    const r = one(AB, many);
    expect(MAX_EXAMPLES).toBe(20);
    expect(NAIVE_MAX_EXAMPLES).toBe(MAX_EXAMPLES);
    expect(r.matches).toBe(25);
    expect(r.examples).toHaveLength(20);
    expect(r.examples.map((m) => m.start)).toEqual(Array.from({ length: 20 }, (_, k) => at(k * 100)));
    expect(r.firstMatch).toBe(at(0.5));
    expect(r.lastMatch).toBe(at(2400 + ((24 * 7) % 10) + 0.5));
    // durations 0.5 + (7k mod 10) s for k = 0..24: the 13th smallest
    const ds = Array.from({ length: 25 }, (_, k) => (((k * 7) % 10) + 0.5) * 1000).sort((a, b) => a - b);
    expect(r.medianDurationMs).toBe(ds[12]);
  });

  it('several patterns are matched independently, in config order', () => {
    const rs = [ev(0, 'alpha'), ev(1, 'bravo'), ev(2, 'charlie')];
    const rsAll = match([ABC, AB], rs);
    expect(rsAll.map((r) => [r.name, r.matches])).toEqual([
      ['abc', 1],
      ['ab', 1],
    ]);
  });

  it('a bad regular expression fails at construction', () => {
    expect(() => new SequenceMatcher([pattern('bad', [{ regex: '(' }, { contains: 'x' }])])).toThrow(
      /^is not a valid regular expression: /,
    );
  });
});

// ——— random inputs ———

const IDS = ['a1', 'b2', 'c3', 'd4'];
const TEMPLATES = [
  'Job started id={id}',
  'job STARTED',
  'step one done id={id}',
  'Step Two done',
  'commit id={id}',
  'Connection lost',
  'connection LOST id={id}',
  'retry #{n}',
  'Finished id={id}',
  'finished',
  'Étape suivante',
  'noise {n}',
];

/** Messages from a small vocabulary; a record's id (message and `fields.id`) is one value when present. */
function message(random: Random): Message {
  const tpl = pick(random, TEMPLATES);
  const id = pick(random, IDS);
  const text = tpl.replace('{id}', id).replace('{n}', String(intIn(random, 0, 5)));
  const hasId = tpl.includes('{id}');
  const fields: Record<string, string | number | boolean | null> = {};
  if (hasId && random() < 0.7) fields['id'] = id;
  if (random() < 0.6) fields['rid'] = pick(random, ['x', 'y', 7, true, null]);
  return { message: text, fields: Object.keys(fields).length > 0 ? fields : null };
}

const CONTAINS = [
  'start',
  'STARTED',
  'step',
  'done',
  'commit',
  'lost',
  'retry',
  'finish',
  'Finished',
  'id=a1',
  'two',
  'étape',
];
const REGEXES = [
  '^job',
  'step (one|two)',
  'id=(?<id>\\w+)',
  'commit id=(?<id>[a-z]\\d)',
  'fin(ished)?\\b',
  '^Connection',
  '(?<id>[a-d]\\d)$',
  'retry #(?<n>[0-3])',
  '^(?:job|step)',
];
const SERVICES = ['api', 'db', 'web', null];

function randomStep(random: Random): StepSpec {
  const step: StepSpec = {};
  if (random() < 0.6) step.contains = pick(random, CONTAINS);
  else step.regex = pick(random, REGEXES);
  if (random() < 0.3) step.caseSensitive = random() < 0.5;
  if (random() < 0.25) {
    const levels = LEVELS.filter(() => random() < 0.5);
    step.level =
      levels.length === 1 || random() < 0.3 ? pick(random, LEVELS) : levels.length > 0 ? levels : ['INFO'];
  }
  if (random() < 0.15) step.service = pick(random, ['api', 'db', 'web']);
  return step;
}

interface SequenceCase {
  specs: PatternSpec[];
  records: LogRecord[];
}

function sequenceCase(seed: number): SequenceCase {
  const random = rng(seed);
  const specs = Array.from({ length: intIn(random, 1, 4) }, (_, i) => {
    const steps = Array.from({ length: random() < 0.9 ? intIn(random, 2, 4) : intIn(random, 5, 6) }, () =>
      randomStep(random),
    );
    // whole or half seconds: the gap test is the same whether done in seconds or milliseconds
    const maxGapSec = pick(random, [0.5, 1, 2, 5, 10, 30, 120]);
    const key = pick(random, [undefined, undefined, 'service', 'file', 'level', 'rid', 'id']);
    return pattern(`p${i}`, steps, maxGapSec, key);
  });
  const records = randomRecords(random, {
    count: seed % 25 === 0 ? intIn(random, 0, 3) : intIn(random, 100, 1200),
    t0: Date.UTC(2025, 2, 14) + intIn(random, 0, 86_400_000),
    files: intIn(random, 1, 3),
    meanGapMs: pick(random, [200, 1000, 3000]),
    tieChance: 0.2,
    untimedChance: pick(random, [0, 0.05, 0.2]),
    disorderChance: pick(random, [0, 0.05, 0.2]),
    disorderMs: 10_000,
    gapChance: 0.01,
    gapMs: [30_000, 600_000],
    burstChance: 0.02,
    burstSize: [2, 20],
    burstSpanMs: 2000,
    services: SERVICES,
    message,
  });
  return { specs, records };
}

const SEEDS = Array.from({ length: 160 }, (_, i) => i + 1);

describe('SequenceMatcher against the naive definition', () => {
  it(`equals it on ${SEEDS.length} seeded random inputs`, () => {
    let matches = 0;
    let capped = 0;
    let keyed = 0;
    for (const seed of SEEDS) {
      const c = sequenceCase(seed);
      const expected = naiveSequences(c.records, c.specs);
      expect([seed, match(c.specs, c.records)]).toEqual([seed, expected]);
      for (const [i, r] of expected.entries()) {
        matches += r.matches;
        if (r.matches > NAIVE_MAX_EXAMPLES) capped++;
        if (c.specs[i]!.key !== undefined && r.matches > 0) keyed++;
      }
    }
    // the inputs exercise the definition: many matches, keyed ones, more matches than examples
    expect(matches).toBeGreaterThan(2000);
    expect(capped).toBeGreaterThan(10);
    expect(keyed).toBeGreaterThan(30);
  });

  it('out-of-order input changes nothing: a shuffled push order gives the identical snapshot', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = sequenceCase(seed);
      const expected = match(c.specs, c.records);
      expect([seed, match(c.specs, shuffle(c.records, rng(seed * 7919)))]).toEqual([seed, expected]);
    }
  });

  it('merging the matchers of random splits (2..5 parts, any merge order) equals one pass', () => {
    for (const seed of SEEDS.slice(0, 60)) {
      const c = sequenceCase(seed);
      const random = rng(seed * 104_729);
      const expected = match(c.specs, c.records);
      const parts = randomSplit(c.records, seed, random).map((part) => {
        const m = new SequenceMatcher(c.specs);
        const cut = Math.floor(random() * (part.length + 1));
        for (const r of part.slice(0, cut)) m.push(r);
        if (random() < 0.5) m.snapshot(); // a (partial) replay before the merge must not matter
        for (const r of part.slice(cut)) m.push(r);
        if (random() < 0.3) m.snapshot();
        return m;
      });
      expect([seed, mergeAll(parts, random).snapshot()]).toEqual([seed, expected]);
    }
  });

  it('pushing after a merge, with snapshots in between, ends equal to one pass', () => {
    for (const seed of SEEDS.slice(0, 30)) {
      const c = sequenceCase(seed);
      const n = c.records.length;
      const a = new SequenceMatcher(c.specs);
      const b = new SequenceMatcher(c.specs);
      c.records.slice(0, n >> 1).forEach((r) => a.push(r));
      a.snapshot();
      c.records.slice(n >> 1, (3 * n) >> 2).forEach((r) => b.push(r));
      b.snapshot();
      a.merge(b);
      a.snapshot();
      c.records.slice((3 * n) >> 2).forEach((r) => a.push(r));
      expect([seed, a.snapshot()]).toEqual([seed, match(c.specs, c.records)]);
    }
  });

  it('incremental snapshots while pushing (in file order, sorted, or shuffled) equal fresh ones of the prefix', () => {
    for (const seed of SEEDS.slice(0, 45)) {
      const c = sequenceCase(seed);
      const random = rng(seed * 31);
      const order =
        seed % 3 === 0
          ? shuffle(c.records, random)
          : seed % 3 === 1
            ? c.records
            : c.records
                .slice()
                .sort(
                  (x, y) => (x.time ?? 0) - (y.time ?? 0) || x.fileIndex - y.fileIndex || x.line - y.line,
                );
      const live = new SequenceMatcher(c.specs);
      let next = 0;
      for (let i = 0; i < order.length; i++) {
        live.push(order[i]!);
        if (i === next || i === order.length - 1) {
          const prefix = order.slice(0, i + 1);
          const snap = live.snapshot();
          expect([seed, i, snap]).toEqual([seed, i, match(c.specs, prefix)]);
          if (i % 4 === 0) expect([seed, i, snap]).toEqual([seed, i, naiveSequences(prefix, c.specs)]);
          next = i + 1 + Math.floor(random() * 60);
        }
      }
    }
  });

  it('a late record that lands before the replayed ones restarts the replay', () => {
    const live = new SequenceMatcher([ABC]);
    const rs = [ev(0, 'alpha'), ev(2, 'bravo'), ev(3, 'charlie'), ev(4, 'alpha'), ev(6, 'charlie')];
    rs.forEach((r) => live.push(r));
    expect(live.snapshot()[0]!.matches).toBe(1);
    // bravo at 5 s arrives late: alpha@4 bravo@5 charlie@6 is a second match
    const late = ev(5, 'bravo');
    live.push(late);
    expect(live.snapshot()).toEqual(match([ABC], [...rs, late]));
    expect(live.snapshot()[0]!.matches).toBe(2);
    // and a late alpha at 1 s turns the first match into alpha@1 bravo@2 charlie@3
    const early = ev(1, 'alpha');
    live.push(early);
    const snap = live.snapshot()[0]!;
    expect(snap.examples.map((m) => m.start)).toEqual([at(1), at(4)]);
    expect(snap).toEqual(naiveSequences([...rs, late, early], [ABC])[0]);
  });

  it('a live matcher drops the events it replayed, past COMPACT_EVENTS, and snapshots as one pass does', () => {
    // 3 × COMPACT_EVENTS events in time order: alpha bravo charlie a second apart, a 40 s gap (past maxGapSec)
    // every 37th record, an unrelated record every 5th; snapshots every 997 records
    const words = ['alpha', 'bravo', 'charlie'];
    const rs: LogRecord[] = [];
    let t = 0;
    for (let i = 0; rs.length < 3 * COMPACT_EVENTS; i++) {
      t += i % 37 === 0 ? 40 : 1;
      rs.push(ev(t, i % 5 === 4 ? 'unrelated' : words[i % 3]!));
    }
    const live = new SequenceMatcher([ABC]);
    live.live();
    const kept = (): number => (live as unknown as { events: { time: number[] }[] }).events[0]!.time.length;
    let most = 0;
    for (let i = 0; i < rs.length; i++) {
      live.push(rs[i]!);
      if (i % 997 === 0) {
        expect(live.snapshot()).toEqual(match([ABC], rs.slice(0, i + 1)));
        most = Math.max(most, kept());
      }
    }
    const snap = live.snapshot();
    expect(snap).toEqual(match([ABC], rs));
    expect(snap).toEqual(naiveSequences(rs, [ABC]));
    expect(snap[0]!.events).toBe(rs.filter((r) => r.message !== 'unrelated').length);
    expect(snap[0]!.matches).toBeGreaterThan(1000);
    // what it keeps stays below the threshold plus a snapshot's worth; one pass keeps all
    expect(most).toBeLessThan(COMPACT_EVENTS + 997);
    const whole = new SequenceMatcher([ABC]);
    rs.forEach((r) => whole.push(r));
    whole.snapshot();
    expect((whole as unknown as { events: { time: number[] }[] }).events[0]!.time.length).toBe(
      snap[0]!.events,
    );
  });

  it('a live matcher keyed by ids that never come back keeps the state of the keys still in progress only', () => {
    // request r<i> at second i: alpha, then bravo a second later for 2 in 3 of them; every 5th never gets
    // its charlie, the others do 2 s after alpha. A key's state, once matched or past maxGapSec, is not kept.
    const spec = pattern(
      'abc',
      [{ contains: 'alpha' }, { contains: 'bravo' }, { contains: 'charlie' }],
      5,
      'req',
    );
    const rs: LogRecord[] = [];
    for (let i = 0; rs.length < 3 * COMPACT_EVENTS; i++) {
      const fields = { req: `r${i}` };
      rs.push(ev(i, 'alpha', { fields }));
      if (i % 3 !== 2) rs.push(ev(i + 0.5, 'bravo', { fields }));
      if (i % 5 !== 4) rs.push(ev(i + 0.7, 'charlie', { fields }));
    }
    rs.sort((a, b) => a.time! - b.time!);
    const live = new SequenceMatcher([spec]);
    live.live();
    const states = (): number =>
      (live as unknown as { events: { states: Map<unknown, unknown> }[] }).events[0]!.states.size;
    let most = 0;
    for (let i = 0; i < rs.length; i++) {
      live.push(rs[i]!);
      if (i % 997 === 0) {
        live.snapshot();
        most = Math.max(most, states());
      }
    }
    const snap = live.snapshot();
    expect(snap).toEqual(naiveSequences(rs, [spec]));
    expect(snap[0]!.matches).toBe(rs.filter((r) => r.message === 'charlie').length - countNoBravo(rs));
    // 997 records span ~450 s: the keys kept are those since the last compaction, not the ~13,000 seen
    expect(most).toBeLessThan(COMPACT_EVENTS / 2);
    expect(states()).toBeLessThan(COMPACT_EVENTS / 2);
  });

  it(`a live matcher's median duration comes from a ±1 % sketch past EXACT_DURATIONS matches; one pass's stays exact`, () => {
    // alpha then bravo after (i % 1000) ms + 1 s: every duration from 1,000 to 1,999 ms, the median 1,499.5 exactly
    const rs: LogRecord[] = [];
    for (let i = 0; i < EXACT_DURATIONS + 5000; i++) {
      rs.push(ev(10 * i, 'alpha'), ev(10 * i + 1 + (i % 1000) / 1000, 'bravo'));
    }
    const exact = (n: number): number => {
      const d = Array.from({ length: n }, (_, i) => 1000 + (i % 1000)).sort((a, b) => a - b);
      return n % 2 === 1 ? d[n >> 1]! : (d[(n >> 1) - 1]! + d[n >> 1]!) / 2;
    };
    const live = new SequenceMatcher([AB]);
    live.live();
    const durations = (): number =>
      (live as unknown as { events: { durations: number[] }[] }).events[0]!.durations.length;
    for (let i = 0; i < rs.length; i++) {
      live.push(rs[i]!);
      if (i === 2 * 777 + 1) expect(live.snapshot()[0]!.medianDurationMs).toBe(exact(778));
      if (i === 2 * EXACT_DURATIONS - 1) {
        expect(live.snapshot()[0]!.medianDurationMs).toBe(exact(EXACT_DURATIONS));
        expect(durations()).toBe(EXACT_DURATIONS);
      }
    }
    const snap = live.snapshot()[0]!;
    expect(snap.matches).toBe(EXACT_DURATIONS + 5000);
    expect(durations()).toBe(0);
    const median = exact(EXACT_DURATIONS + 5000);
    expect(Math.abs(snap.medianDurationMs! - median) / median).toBeLessThanOrEqual(0.01);
    expect(snap.medianDurationMs).not.toBe(median); // it is the sketch's
    expect(match([AB], rs)[0]!.medianDurationMs).toBe(median);
  });
});

/** Requests with a charlie but no bravo: their charlie matches nothing. */
function countNoBravo(rs: readonly LogRecord[]): number {
  const bravo = new Set(rs.filter((r) => r.message === 'bravo').map((r) => r.fields!['req']));
  return rs.filter((r) => r.message === 'charlie' && !bravo.has(r.fields!['req'])).length;
}
