import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../../src/engine/analyze.ts';
import { parseConfig, DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import { compileLinear, compileUserRegex, UserRegexError } from '../../src/engine/user-regex.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { analyzeSliced, config, fileOf } from './helpers.ts';

/**
 * Property-based fuzzing of the engine (fast-check), seeded so CI is reproducible and bounded in time:
 * whatever bytes, chunkings, splits, configs and regexes come in, nothing throws, the counts add up, any
 * split merges to the single pass, and no user regex runs in more than linear time.
 */
const RUN = { seed: 20261130, interruptAfterTimeLimit: 20_000 } as const;
const LIMIT = 60_000;

const UTC = config({ timeZone: 'UTC' });

/** Log-shaped pieces, glued at random: the fuzzer's bytes look like the files people drop, and worse. */
const piece = fc.oneof(
  fc.constantFrom(
    '2025-03-14T00:48:00.123Z ERROR payment-service Timeout calling db after 3000ms\n',
    '2025-03-14T00:48:01Z INFO api-gateway GET /health 200 in 3ms\n',
    '2025-02-30T10:00:00Z WARN svc impossible date\n',
    '\tat com.shop.Checkout.pay(Checkout.java:42)\n',
    'Caused by: java.io.IOException: broken pipe\n',
    '{"time":"2025-03-14T00:48:02Z","level":"error","msg":"boom","__proto__":"p"}\n',
    'ts=2025-03-14T00:48:03Z level=warn msg="slow" constructor=1\n',
    'Mar 14 00:48:04 host sshd[123]: Failed password for root\n',
    '\n',
    '   \n',
    '\r\n',
    'naïve café — 日本語 ✓\n',
    '\x1b]0;TITLE\x07\x1b[2J\n',
  ),
  fc.string({ maxLength: 40 }).map((s) => s + '\n'),
);
const bytesArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(piece, { maxLength: 60 }).map((ps) => new TextEncoder().encode(ps.join(''))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3000 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(piece, { maxLength: 30 }), fc.uint8Array({ maxLength: 64 }), fc.nat(2000))
      .map(([ps, junk, at]) => {
        const text = new TextEncoder().encode(ps.join(''));
        const i = Math.min(at, text.length);
        return Uint8Array.from([...text.subarray(0, i), ...junk, ...text.subarray(i)]);
      }),
  },
);

/** The same bytes as a stream cut into the given chunk sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): ReturnType<typeof streamInput> {
  let at = 0;
  let k = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close();
      const n = Math.max(1, sizes[k++ % sizes.length]!);
      c.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
  return streamInput('fuzz.log', stream, bytes.length);
}

function counts(s: Snapshot): unknown {
  return {
    totals: s.totals,
    levels: s.levels,
    services: s.services,
    timeRange: s.timeRange,
    error: s.files[0]?.error ?? null,
    format: s.files[0]?.format,
  };
}

describe('fuzz: bytes and chunkings', () => {
  it(
    'never throws; lines = records + continuation + empty; any chunking = one chunk',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          bytesArb,
          fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }),
          async (bytes, sizes) => {
            const one = await analyze([fileOf(new Uint8Array(bytes), 'fuzz.log')], UTC);
            const many = await analyze([chunked(bytes, sizes)], UTC);
            expect(counts(many)).toEqual(counts(one));
            const t = one.totals;
            if (one.files[0]!.error === null) {
              expect(t.lines).toBe(t.records + t.continuationLines + t.emptyLines);
              expect(t.records).toBe(one.levels.reduce((a, b) => a + b, 0));
              expect(t.untimed).toBeLessThanOrEqual(t.records);
            }
          },
        ),
        { ...RUN, numRuns: 150 },
      );
    },
    LIMIT,
  );
});

describe('fuzz: slices', () => {
  const line = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 0, max: 3599 }),
        fc.constantFrom('INFO', 'WARN', 'ERROR', 'DEBUG'),
        fc.constantFrom('api', 'db', 'payment-service', 'auth'),
        fc.constantFrom(
          'request done',
          'Timeout calling db after 30ms',
          'connection pool exhausted',
          'café ✓',
        ),
      )
      .map(([s, l, svc, m]) => {
        const t = new Date(Date.UTC(2025, 2, 14, 0, 0, s)).toISOString();
        return `${t} ${l} ${svc} ${m}`;
      }),
    fc.constantFrom('\tat a.b.C.d(C.java:1)', 'Caused by: x', ''),
  );
  it(
    'any split of a file into slices merges to the single pass',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(line, { minLength: 1, maxLength: 80 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
          async (lines, fractions) => {
            const file = fileOf(lines.join('\n') + '\n');
            const whole = await analyze([file], UTC);
            // the page slices only files of a known format, at cuts inside the file
            fc.pre(whole.files[0]!.format !== 'unknown');
            const forced: Config = { ...UTC, format: whole.files[0]!.format };
            const cuts = fractions.map((f) => 1 + Math.floor(f * (file.size - 2))).sort((a, b) => a - b);
            const merged = await analyzeSliced(file, cuts, forced);
            expect({
              totals: merged.totals,
              levels: merged.levels,
              services: merged.services,
              timeline: merged.timeline,
              spikes: merged.detectors.spikes,
              sequences: merged.detectors.sequences,
            }).toEqual({
              totals: whole.totals,
              levels: whole.levels,
              services: whole.services,
              timeline: whole.timeline,
              spikes: whole.detectors.spikes,
              sequences: whole.detectors.sequences,
            });
          },
        ),
        { ...RUN, numRuns: 60 },
      );
    },
    LIMIT,
  );
});

describe('fuzz: configs', () => {
  it('any JSON value is validated without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseConfig(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { ...RUN, numRuns: 400 },
    );
  });

  it(
    'any mutation of a valid config is validated; the valid ones analyze a file without throwing',
    async () => {
      const base = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Record<string, unknown>;
      const paths: string[][] = [];
      (function walk(o: unknown, at: string[]): void {
        if (o !== null && typeof o === 'object') for (const [k, v] of Object.entries(o)) walk(v, [...at, k]);
        else paths.push(at);
      })(base, []);
      const value = fc.oneof(
        fc.integer({ min: -5, max: 100_000 }),
        fc.double({ noNaN: false }),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('(a+)+$', '^(?<message>.*)$', '(', '\\1', 'ERROR', null, [], {}, true),
      );
      const text = '2025-03-14T00:48:00Z ERROR api boom\n2025-03-14T00:48:01Z INFO api ok\n  at x\n';
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), value, async (path, v) => {
          const doc = structuredClone(base);
          let o = doc as Record<string, unknown>;
          for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
          o[path[path.length - 1]!] = v;
          const r = parseConfig(doc);
          if (r.ok) {
            const s = await analyze([fileOf(text)], r.config);
            expect(s.totals.lines).toBe(3);
          } else {
            expect(r.errors.length).toBeGreaterThan(0);
          }
        }),
        { ...RUN, numRuns: 200 },
      );
    },
    LIMIT,
  );
});

describe('fuzz: user regexes', () => {
  const atom = fc.constantFrom(
    'a',
    'b',
    '.',
    '\\d',
    '\\w',
    '\\s',
    '\\S',
    '[ab]',
    '[^b]',
    'a|b',
    'x',
    '(?=a)',
    '(?!b)',
    '(?<=a)',
    '(?<!b)',
    '\\b',
  );
  const regex: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
    re: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc
        .tuple(tie('re'), fc.constantFrom('*', '+', '?', '{1,3}', '{2,}', '*?', ''))
        .map(([r, q]) => `(?:${r})${q}`),
      fc.tuple(tie('re'), tie('re')).map(([a, b]) => a + b),
      fc.tuple(tie('re'), tie('re')).map(([a, b]) => `(${a}|${b})`),
      tie('re').map((r) => `(?<g>${r})`),
    ),
  })).re;
  const pumps = [
    'a'.repeat(3000) + '!',
    'ab'.repeat(1500) + 'x',
    ' '.repeat(3000) + '!',
    '1'.repeat(3000) + 'b',
  ];

  it(
    'a random regex is refused with a reason, or runs in linear time with the same answers',
    () => {
      fc.assert(
        fc.property(regex, fc.boolean(), fc.boolean(), (body, anchored, i) => {
          const src = anchored ? `^${body}$` : body;
          let re;
          try {
            re = compileUserRegex(src, i);
          } catch (e) {
            expect(e).toBeInstanceOf(UserRegexError); // a named group used twice, say
            return;
          }
          // on pumped input: a proven regex whose proof were wrong would not finish (the test would time out)
          for (const p of pumps) re.exec(p);
          if (re instanceof RegExp) {
            // natively only what the check can model: no lookaround, no backreference
            expect(/\(\?<?[=!]|\\[1-9]|\\k</.test(src)).toBe(false);
            const linear = compileLinear(src, i);
            for (const s of ['ab', 'a1 b', 'xx', 'aab!', '', 'a\rb', 'a\u00a0b', 'x\u2028a', ' \n']) {
              const a = re.exec(s);
              const b = linear.exec(s);
              expect(b === null ? null : [b.index, b[0]]).toEqual(a === null ? null : [a.index, a[0]]);
            }
          }
        }),
        { ...RUN, numRuns: 80 },
      );
    },
    LIMIT,
  );
});
