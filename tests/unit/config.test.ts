import { describe, it, expect } from 'vitest';
import {
  CONFIG_SCHEMA_ID,
  DEFAULT_CONFIG,
  parseConfig,
  parseConfigText,
  type ConfigResult,
} from '../../src/engine/config.ts';

const DEFAULTS = {
  schema: 'loglens.config/1',
  maxLineBytes: 1024 * 1024,
  timeZone: 'local',
  errorLevels: ['ERROR', 'FATAL'],
  timeline: { maxBuckets: 2000 },
};

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
  });

  it('keeps valid values', () => {
    const input = {
      schema: 'loglens.config/1',
      maxLineBytes: 1024,
      timeZone: 'Europe/Paris',
      errorLevels: ['WARN', 'ERROR', 'FATAL'],
      timeline: { maxBuckets: 10 },
    };
    expect(parseConfig(input)).toEqual({ ok: true, config: input });
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
