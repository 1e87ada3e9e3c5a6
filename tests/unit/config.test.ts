import { describe, it, expect } from 'vitest';
import {
  CONFIG_SCHEMA_ID,
  DEFAULT_CONFIG,
  DEFAULT_SEQUENCES,
  parseConfig,
  parseConfigText,
  type ConfigResult,
} from '../../src/engine/config.ts';

const SEQUENCES = [
  {
    name: 'db-outage',
    steps: [
      { contains: 'connection pool exhausted' },
      { contains: 'timeout calling db', level: 'ERROR' },
      { contains: 'circuit breaker opened' },
    ],
    maxGapSec: 60,
    key: 'service',
  },
  {
    name: 'restart',
    steps: [
      { contains: 'shutting down' },
      { regex: '^Starting \\S+ version' },
      { contains: 'ready to accept connections' },
    ],
    maxGapSec: 30,
    key: 'service',
  },
];

const DEFAULTS = {
  schema: 'loglens.config/1',
  maxLineBytes: 1024 * 1024,
  timeZone: 'local',
  errorLevels: ['ERROR', 'FATAL'],
  timeline: { maxBuckets: 2000 },
  spikes: { windowSec: 60, threshold: 'auto' },
  anomalies: {
    bucketSec: 60,
    history: 30,
    minHistory: 10,
    z: 3,
    minCount: 5,
    minStd: 1,
    minExcess: 10,
    baseline: 'robust',
  },
  incidents: { minSeverity: 25 },
  sequences: SEQUENCES,
  templates: { similarity: 0.4, depth: 3, maxChildren: 100, maxTemplates: 5000 },
  format: 'auto',
  customFormats: [],
  alerts: { spikes: true, anomalies: ['errors', 'volume'], sequences: 'all' },
};

/** Two steps that pass validation, for sequences whose other fields are under test. */
const TWO_STEPS = [{ contains: 'a' }, { contains: 'b' }];

function errorsOf(r: ConfigResult): string[] {
  if (r.ok) throw new Error('expected errors, got a config');
  return r.errors;
}

describe('parseConfig', () => {
  it('fills every default', () => {
    expect(CONFIG_SCHEMA_ID).toBe('loglens.config/1');
    expect(parseConfig({})).toEqual({ ok: true, config: DEFAULTS });
    expect(parseConfig(undefined)).toEqual({ ok: true, config: DEFAULTS });
    expect(parseConfig(null)).toEqual({ ok: true, config: DEFAULTS });
    expect(DEFAULT_CONFIG).toEqual(DEFAULTS);
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect(parseConfig({ timeline: {} })).toEqual({ ok: true, config: DEFAULTS });
    expect(parseConfig({ spikes: {}, anomalies: {}, alerts: {} })).toEqual({ ok: true, config: DEFAULTS });
    expect(DEFAULT_SEQUENCES).toEqual(SEQUENCES);
  });

  it('keeps valid values', () => {
    const input = {
      schema: 'loglens.config/1',
      maxLineBytes: 1024,
      timeZone: 'Europe/Paris',
      errorLevels: ['WARN', 'ERROR', 'FATAL'],
      timeline: { maxBuckets: 10 },
      spikes: { windowSec: 1, threshold: 1 },
      anomalies: {
        bucketSec: 5,
        history: 4,
        minHistory: 4,
        z: 2.5,
        minCount: 0,
        minStd: 0,
        minExcess: 3,
        baseline: 'mean',
      },
      incidents: { minSeverity: 5 },
      sequences: [
        {
          name: 'login',
          steps: [
            { regex: 'login (?<user>\\w+)', caseSensitive: true },
            { level: ['WARN', 'ERROR'], service: 'auth' },
            { contains: 'locked', level: 'ERROR' },
          ],
          maxGapSec: 0.5,
          key: 'user',
        },
      ],
      templates: { similarity: 0.5, depth: 4, maxChildren: 50, maxTemplates: 100 },
      format: 'custom:my app',
      customFormats: [
        {
          name: 'my app',
          regex: '^(?<time>\\S+ \\S+) (?<level>\\w+) (?<message>.*)$',
          time: 'YYYY-MM-DD HH:mm:ss',
          samples: ['2024-01-15 10:30:45 INFO started'],
        },
      ],
      alerts: { spikes: false, anomalies: ['volume'], sequences: ['login'] },
    };
    expect(parseConfig(input)).toEqual({ ok: true, config: input });
    expect(parseConfig({ format: 'log4j' })).toEqual({ ok: true, config: { ...DEFAULTS, format: 'log4j' } });
    expect(parseConfig({ format: 'generic' })).toMatchObject({ ok: true });
    // a custom format's time pattern defaults to "iso", its samples to none
    expect(parseConfig({ customFormats: [{ name: 'x', regex: '^(?<message>.*)$' }] })).toEqual({
      ok: true,
      config: {
        ...DEFAULTS,
        customFormats: [{ name: 'x', regex: '^(?<message>.*)$', time: 'iso', samples: [] }],
      },
    });
    expect(parseConfig({ timeZone: 'UTC' })).toEqual({ ok: true, config: { ...DEFAULTS, timeZone: 'UTC' } });
    expect(parseConfig({ maxLineBytes: 64 * 1024 * 1024 })).toMatchObject({ ok: true });
    expect(parseConfig({ timeline: { maxBuckets: 100_000 } })).toMatchObject({ ok: true });
  });

  it('maxLineBytes: too small, too large, not an integer, not a number', () => {
    expect(errorsOf(parseConfig({ maxLineBytes: 10 }))).toEqual([
      'maxLineBytes: must be at least 1024 bytes',
    ]);
    expect(errorsOf(parseConfig({ maxLineBytes: 1023 }))).toEqual([
      'maxLineBytes: must be at least 1024 bytes',
    ]);
    expect(errorsOf(parseConfig({ maxLineBytes: 64 * 1024 * 1024 + 1 }))).toEqual([
      'maxLineBytes: must be at most 64 MiB',
    ]);
    const frac = errorsOf(parseConfig({ maxLineBytes: 2048.5 }));
    expect(frac).toHaveLength(1);
    expect(frac[0]).toMatch(/^maxLineBytes: /);
    const str = errorsOf(parseConfig({ maxLineBytes: '2048' }));
    expect(str).toHaveLength(1);
    expect(str[0]).toMatch(/^maxLineBytes: /);
  });

  it('timeZone: an unknown zone is named with the rule', () => {
    expect(errorsOf(parseConfig({ timeZone: 'Mars/Olympus' }))).toEqual([
      'timeZone: must be "local", "UTC" or an IANA time zone such as "Europe/Paris"',
    ]);
    const empty = errorsOf(parseConfig({ timeZone: '' }));
    expect(empty.length).toBeGreaterThanOrEqual(1);
    for (const e of empty) expect(e).toMatch(/^timeZone: /);
    expect(errorsOf(parseConfig({ timeZone: 5 }))[0]).toMatch(/^timeZone: /);
  });

  it('errorLevels: empty, or naming an unknown level', () => {
    expect(errorsOf(parseConfig({ errorLevels: [] }))).toEqual(['errorLevels: must name at least one level']);
    const bogus = errorsOf(parseConfig({ errorLevels: ['ERROR', 'BOGUS'] }));
    expect(bogus).toHaveLength(1);
    expect(bogus[0]).toMatch(
      /^errorLevels\.1: Invalid option: expected one of "TRACE"\|"DEBUG"\|"INFO"\|"WARN"\|"ERROR"\|"FATAL"$/,
    );
    expect(errorsOf(parseConfig({ errorLevels: 'ERROR' }))[0]).toMatch(/^errorLevels: /);
  });

  it('timeline.maxBuckets out of range', () => {
    const e = errorsOf(parseConfig({ timeline: { maxBuckets: 5 } }));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^timeline\.maxBuckets: /);
    expect(errorsOf(parseConfig({ timeline: { maxBuckets: 100_001 } }))[0]).toMatch(
      /^timeline\.maxBuckets: /,
    );
  });

  it('rejects unknown keys, naming them, at the top level and nested', () => {
    expect(errorsOf(parseConfig({ maxLineByte: 2048 }))).toEqual([
      '(document): Unrecognized key: "maxLineByte"',
    ]);
    expect(errorsOf(parseConfig({ timeline: { maxBuckets: 100, width: 5 } }))).toEqual([
      'timeline: Unrecognized key: "width"',
    ]);
    expect(errorsOf(parseConfig({ spikes: { window: 5 } }))).toEqual(['spikes: Unrecognized key: "window"']);
    expect(errorsOf(parseConfig({ anomalies: { zScore: 5 } }))).toEqual([
      'anomalies: Unrecognized key: "zScore"',
    ]);
    expect(errorsOf(parseConfig({ sequences: [{ name: 'a', steps: TWO_STEPS, gap: 5 }] }))).toEqual([
      'sequences.0: Unrecognized key: "gap"',
    ]);
    expect(
      errorsOf(
        parseConfig({ sequences: [{ name: 'a', steps: [{ contains: 'a' }, { contains: 'b', text: 'c' }] }] }),
      ),
    ).toEqual(['sequences.0.steps.1: Unrecognized key: "text"']);
    expect(errorsOf(parseConfig({ alerts: { spike: true } }))).toEqual(['alerts: Unrecognized key: "spike"']);
  });

  it('spikes.threshold: "auto" (the default) or a whole number', () => {
    expect(parseConfig({ spikes: { threshold: 'auto' } })).toMatchObject({ ok: true });
    expect(errorsOf(parseConfig({ spikes: { threshold: 'automatic' } }))).toEqual([
      'spikes.threshold: must be a number',
    ]);
  });

  it('spikes: windowSec and threshold', () => {
    expect(errorsOf(parseConfig({ spikes: { windowSec: 0 } }))).toEqual([
      'spikes.windowSec: must be at least 1',
    ]);
    expect(errorsOf(parseConfig({ spikes: { windowSec: 86_401 } }))).toEqual([
      'spikes.windowSec: must be at most 86400',
    ]);
    expect(errorsOf(parseConfig({ spikes: { windowSec: 1.5 } }))).toEqual([
      'spikes.windowSec: must be a whole number',
    ]);
    expect(errorsOf(parseConfig({ spikes: { threshold: 0 } }))).toEqual([
      'spikes.threshold: must be at least 1',
    ]);
    expect(errorsOf(parseConfig({ spikes: { threshold: 2.5 } }))).toEqual([
      'spikes.threshold: must be a whole number',
    ]);
    expect(errorsOf(parseConfig({ spikes: { threshold: '5' } }))[0]).toMatch(/^spikes\.threshold: /);
    expect(parseConfig({ spikes: { windowSec: 86_400, threshold: 1 } })).toMatchObject({ ok: true });
  });

  it('anomalies: each field, and minHistory against history', () => {
    const one = (a: Record<string, unknown>): string[] => errorsOf(parseConfig({ anomalies: a }));
    expect(one({ bucketSec: 0 })).toEqual(['anomalies.bucketSec: must be at least 1']);
    expect(one({ bucketSec: 86_401 })).toEqual(['anomalies.bucketSec: must be at most 86400']);
    expect(one({ bucketSec: 0.5 })).toEqual(['anomalies.bucketSec: must be a whole number']);
    expect(one({ history: 10_001 })).toEqual(['anomalies.history: must be at most 10000']);
    expect(one({ minHistory: 0 })).toEqual(['anomalies.minHistory: must be at least 1']);
    expect(one({ minHistory: 31 })).toEqual(['anomalies.minHistory: must not exceed history']);
    expect(one({ history: 5 })).toEqual(['anomalies.minHistory: must not exceed history']);
    expect(one({ z: 0 })).toEqual(['anomalies.z: must be greater than 0']);
    expect(one({ z: 1001 })).toEqual(['anomalies.z: must be at most 1000']);
    expect(one({ minCount: -1 })).toEqual(['anomalies.minCount: must be at least 0']);
    expect(one({ minStd: -0.5 })).toEqual(['anomalies.minStd: must be at least 0']);
    expect(parseConfig({ anomalies: { history: 5, minHistory: 5 } })).toMatchObject({ ok: true });
  });

  it('sequences: regex, steps, names, gaps and keys', () => {
    const seq = (x: Record<string, unknown>): string[] =>
      errorsOf(parseConfig({ sequences: [{ name: 'a', steps: TWO_STEPS, ...x }] }));
    const bad = errorsOf(
      parseConfig({ sequences: [{ name: 'a', steps: [{ regex: '(' }, { contains: 'x' }] }] }),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^sequences\.0\.steps\.0\.regex: is not a valid regular expression: .+/);
    expect(seq({ steps: [{ regex: '' }, { contains: 'x' }] })).toEqual([
      'sequences.0.steps.0.regex: must not be empty',
    ]);
    expect(seq({ steps: [{}, { contains: 'x' }] })).toEqual([
      'sequences.0.steps.0: a step needs at least one condition: contains, regex, level or service',
    ]);
    // caseSensitive alone is no condition
    expect(seq({ steps: [{ contains: 'x' }, { caseSensitive: true }] })).toEqual([
      'sequences.0.steps.1: a step needs at least one condition: contains, regex, level or service',
    ]);
    expect(seq({ steps: [{ contains: 'x' }] })).toEqual([
      'sequences.0.steps: a sequence needs at least 2 steps',
    ]);
    expect(seq({ steps: Array.from({ length: 17 }, () => ({ contains: 'x' })) })).toEqual([
      'sequences.0.steps: at most 16 steps',
    ]);
    expect(seq({ steps: [{ contains: '' }, { level: [] }] })).toEqual([
      'sequences.0.steps.0.contains: must not be empty',
      'sequences.0.steps.1.level: must name at least one level',
    ]);
    expect(seq({ steps: [{ service: '' }, { contains: 'x' }] })).toEqual([
      'sequences.0.steps.0.service: must not be empty',
    ]);
    expect(seq({ steps: [{ level: 'NOPE' }, { contains: 'x' }] })[0]).toMatch(
      /^sequences\.0\.steps\.0\.level: /,
    );
    expect(seq({ name: ' ' })).toEqual(['sequences.0.name: must not be empty']);
    expect(seq({ name: 'x'.repeat(81) })).toEqual(['sequences.0.name: must be at most 80 characters']);
    expect(seq({ maxGapSec: 0 })).toEqual(['sequences.0.maxGapSec: must be greater than 0']);
    expect(seq({ maxGapSec: 30 * 86_400 + 1 })).toEqual(['sequences.0.maxGapSec: must be at most 30 days']);
    expect(seq({ key: '' })).toEqual(['sequences.0.key: must not be empty']);
    const twice = { name: 'dup', steps: TWO_STEPS };
    expect(errorsOf(parseConfig({ sequences: [twice, { name: 'other', steps: TWO_STEPS }, twice] }))).toEqual(
      ['sequences.2.name: the name "dup" is used twice'],
    );
    expect(
      errorsOf(
        parseConfig({
          sequences: Array.from({ length: 51 }, (_, i) => ({ name: `s${i}`, steps: TWO_STEPS })),
        }),
      ),
    ).toEqual(['sequences: at most 50 sequences']);
  });

  it('sequences: maxGapSec defaults to 30; an empty list is allowed', () => {
    const r = parseConfig({ sequences: [{ name: 'a', steps: TWO_STEPS }] });
    expect(r).toMatchObject({
      ok: true,
      config: { sequences: [{ name: 'a', steps: TWO_STEPS, maxGapSec: 30 }] },
    });
    expect(parseConfig({ sequences: [] })).toMatchObject({ ok: true, config: { sequences: [] } });
  });

  it('alerts: the rules, and sequence names that must exist', () => {
    expect(errorsOf(parseConfig({ alerts: { sequences: ['zz'] } }))).toEqual([
      'alerts.sequences.0: names no sequence ("zz")',
    ]);
    expect(errorsOf(parseConfig({ alerts: { sequences: ['restart', 'zz', 'db-outage', 'yy'] } }))).toEqual([
      'alerts.sequences.1: names no sequence ("zz")',
      'alerts.sequences.3: names no sequence ("yy")',
    ]);
    // the names are those of the configured sequences, not of the defaults
    expect(errorsOf(parseConfig({ sequences: [], alerts: { sequences: ['restart'] } }))).toEqual([
      'alerts.sequences.0: names no sequence ("restart")',
    ]);
    expect(parseConfig({ alerts: { sequences: ['restart'] } })).toMatchObject({ ok: true });
    expect(parseConfig({ alerts: { sequences: [] } })).toMatchObject({ ok: true });
    expect(errorsOf(parseConfig({ alerts: { anomalies: ['bogus'] } }))).toEqual([
      'alerts.anomalies.0: must be "errors" or "volume"',
    ]);
    expect(errorsOf(parseConfig({ alerts: { spikes: 'yes' } }))[0]).toMatch(/^alerts\.spikes: /);
    expect(errorsOf(parseConfig({ alerts: { sequences: 'some' } }))[0]).toMatch(/^alerts\.sequences: /);
  });

  it('rejects another schema id', () => {
    const e = errorsOf(parseConfig({ schema: 'loglens.config/2' }));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^schema: /);
  });

  it('reports every bad field at once', () => {
    const e = errorsOf(parseConfig({ maxLineBytes: 10, timeZone: 'Mars/Olympus', errorLevels: [], foo: 1 }));
    expect(e).toEqual([
      'maxLineBytes: must be at least 1024 bytes',
      'timeZone: must be "local", "UTC" or an IANA time zone such as "Europe/Paris"',
      'errorLevels: must name at least one level',
      '(document): Unrecognized key: "foo"',
    ]);
  });

  it('rejects a document that is not an object', () => {
    for (const v of ['text', 42, [], true]) {
      const e = errorsOf(parseConfig(v));
      expect(e).toHaveLength(1);
      expect(e[0]).toMatch(/^\(document\): /);
    }
  });
});

describe('parseConfigText', () => {
  it('parses JSON and validates it', () => {
    expect(parseConfigText('{"timeZone":"UTC","timeline":{"maxBuckets":500}}')).toEqual({
      ok: true,
      config: { ...DEFAULTS, timeZone: 'UTC', timeline: { maxBuckets: 500 } },
    });
    expect(parseConfigText('null')).toEqual({ ok: true, config: DEFAULTS });
    expect(errorsOf(parseConfigText('{"maxLineBytes": 5}'))).toEqual([
      'maxLineBytes: must be at least 1024 bytes',
    ]);
  });

  it('reports bad JSON as a document error', () => {
    for (const text of ['{bad', '', '{"a":1,}', "{'a':1}"]) {
      const e = errorsOf(parseConfigText(text));
      expect(e).toHaveLength(1);
      expect(e[0]).toMatch(/^\(document\): not valid JSON \(.+\)$/);
    }
  });
});
