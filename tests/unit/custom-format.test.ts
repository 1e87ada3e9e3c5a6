import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { parseConfig, type ConfigResult } from '../../src/engine/config.ts';
import { checkTimePattern, customFormat, customSampleProblem } from '../../src/engine/formats/custom.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { config, fileOf, lineInfo, utcContext, utf8 } from './helpers.ts';

function errorsOf(r: ConfigResult): string[] {
  if (r.ok) throw new Error('expected errors, got a config');
  return r.errors;
}

/** A custom format that passes validation; tests change one field at a time. */
const SHOP = {
  name: 'shop',
  regex: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?<level>[A-Z]+) (?<message>.*)$`,
  time: 'YYYY-MM-DD HH:mm:ss',
  samples: ['2024-01-15 10:30:45 INFO order placed', '2024-01-15 10:30:46 ERROR card declined'],
};

const withFormat = (over: Record<string, unknown>, rest: Record<string, unknown> = {}): ConfigResult =>
  parseConfig({ customFormats: [{ ...SHOP, ...over }], ...rest });

const UNKNOWN_FORMAT =
  'format: is not a known format: use "auto", one of syslog-5424, access-log, apache-error, nginx-error, ' +
  'k8s-cri, postgresql, mysql, redis, windows-cbs, spring-boot, zookeeper, kafka, klog, logcat, log4j, ' +
  'logback, python, spark, hdfs, dmesg, dmesg-t, syslog-3164, json, logfmt, iso-level-service, epoch, ' +
  'generic, or "custom:<name>" of a custom format';

describe('config.customFormats validation', () => {
  it('accepts a valid custom format and fills time "iso" and no samples by default', () => {
    expect(withFormat({})).toMatchObject({ ok: true, config: { customFormats: [SHOP] } });
    expect(parseConfig({ customFormats: [{ name: 'x', regex: '(?<message>.*)' }] })).toMatchObject({
      ok: true,
      config: { customFormats: [{ name: 'x', regex: '(?<message>.*)', time: 'iso', samples: [] }] },
    });
    // a time group alone is enough
    expect(withFormat({ regex: String.raw`^(?<time>\S+ \S+)`, samples: [] })).toMatchObject({ ok: true });
  });

  it('a regex that does not compile: names the field and why', () => {
    const e = errorsOf(withFormat({ regex: '(?<message>.*' }));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^customFormats\.0\.regex: is not a valid regular expression: .*Unterminated group/);
    // (an empty regex compiles, so it also has no named group: both rules are named)
    expect(errorsOf(withFormat({ regex: '' }))).toEqual([
      'customFormats.0.regex: must not be empty',
      'customFormats.0.regex: needs a named group "message" or "time", e.g. (?<message>.*)',
    ]);
  });

  it('a regex with neither a message nor a time group', () => {
    expect(errorsOf(withFormat({ regex: String.raw`^(?<level>\w+) (?<msg>.*)$`, samples: [] }))).toEqual([
      'customFormats.0.regex: needs a named group "message" or "time", e.g. (?<message>.*)',
    ]);
    // lookbehinds are no named groups
    expect(errorsOf(withFormat({ regex: '(?<=x)(?<!y).*', samples: [] }))).toEqual([
      'customFormats.0.regex: needs a named group "message" or "time", e.g. (?<message>.*)',
    ]);
  });

  it('a time pattern that does not compile (and then no sample is checked)', () => {
    expect(errorsOf(withFormat({ time: 'YYYY-MM-DD hh:mm:ss', samples: ['no match'] }))).toEqual([
      'customFormats.0.time: is not a valid time pattern: unknown token at "hh:m" (use YYYY, YY, MM, MMM, DD, HH, mm, ss, SSS, Z, ddd)',
    ]);
    expect(errorsOf(withFormat({ time: 'HH:mm:ss' }))).toEqual([
      'customFormats.0.time: is not a valid time pattern: a time pattern needs at least a month (MM or MMM), a day (DD) and an hour (HH)',
    ]);
    expect(errorsOf(withFormat({ time: '[YYYY' }))).toEqual([
      'customFormats.0.time: is not a valid time pattern: an "[" is not closed',
    ]);
    expect(errorsOf(withFormat({ time: '' }))).toEqual([
      'customFormats.0.time: must not be empty',
      'customFormats.0.time: is not a valid time pattern: a time pattern needs at least a month (MM or MMM), a day (DD) and an hour (HH)',
    ]);
  });

  it('a sample that does not match the regex, and one whose time does not read', () => {
    expect(
      errorsOf(
        withFormat({
          samples: [
            '2024-01-15 10:30:45 INFO fine',
            'not a line of this format',
            '2024-02-30 10:30:45 WARN no such day',
          ],
        }),
      ),
    ).toEqual([
      'customFormats.0.samples.1: does not match the regex: "not a line of this format"',
      'customFormats.0.samples.2: its time "2024-02-30 10:30:45" does not read with the pattern "YYYY-MM-DD HH:mm:ss"',
    ]);
    // a long sample is cut at 80 characters in the message
    const long = 'x'.repeat(100);
    expect(errorsOf(withFormat({ samples: [long] }))).toEqual([
      `customFormats.0.samples.0: does not match the regex: "${'x'.repeat(80)}…"`,
    ]);
  });

  it('names: empty, odd characters, too long, or used twice', () => {
    expect(errorsOf(withFormat({ name: ' ' }))).toEqual([
      'customFormats.0.name: must not be empty',
      'customFormats.0.name: may hold letters, digits, spaces, dots, dashes and underscores only',
    ]);
    expect(errorsOf(withFormat({ name: 'a/b' }))).toEqual([
      'customFormats.0.name: may hold letters, digits, spaces, dots, dashes and underscores only',
    ]);
    expect(errorsOf(withFormat({ name: 'x'.repeat(61) }))).toEqual([
      'customFormats.0.name: must be at most 60 characters',
    ]);
    const other = { ...SHOP, name: 'other' };
    expect(errorsOf(parseConfig({ customFormats: [SHOP, other, SHOP] }))).toEqual([
      'customFormats.2.name: the name "shop" is used twice',
    ]);
    // names are trimmed before they are compared
    expect(errorsOf(parseConfig({ customFormats: [SHOP, { ...SHOP, name: ' shop ' }] }))).toEqual([
      'customFormats.1.name: the name "shop" is used twice',
    ]);
  });

  it('unknown keys and too many formats', () => {
    expect(errorsOf(withFormat({ flags: 'i' }))).toEqual(['customFormats.0: Unrecognized key: "flags"']);
    const many = Array.from({ length: 21 }, (_, i) => ({ ...SHOP, name: `f${i}` }));
    expect(errorsOf(parseConfig({ customFormats: many }))).toEqual([
      'customFormats: at most 20 custom formats',
    ]);
  });

  it('format: "auto", a built-in id, or custom:<name> of a configured custom format', () => {
    expect(parseConfig({ format: 'auto' })).toMatchObject({ ok: true });
    expect(parseConfig({ format: 'k8s-cri' })).toMatchObject({ ok: true, config: { format: 'k8s-cri' } });
    expect(withFormat({}, { format: 'custom:shop' })).toMatchObject({
      ok: true,
      config: { format: 'custom:shop' },
    });
    expect(errorsOf(parseConfig({ format: 'log4' }))).toEqual([UNKNOWN_FORMAT]);
    expect(errorsOf(parseConfig({ format: 'Log4j' }))).toEqual([UNKNOWN_FORMAT]);
    expect(errorsOf(parseConfig({ format: 'custom:shop' }))).toEqual([UNKNOWN_FORMAT]);
    expect(errorsOf(withFormat({}, { format: 'custom:Shop' }))).toEqual([UNKNOWN_FORMAT]);
    expect(errorsOf(withFormat({}, { format: 'shop' }))).toEqual([UNKNOWN_FORMAT]);
    expect(errorsOf(parseConfig({ format: '' }))[0]).toBe('format: must not be empty');
    expect(errorsOf(parseConfig({ format: 5 }))[0]).toMatch(/^format: /);
  });

  it('checkTimePattern and customSampleProblem say why, or null', () => {
    expect(checkTimePattern('iso')).toBeNull();
    expect(checkTimePattern('DD/MMM/YYYY:HH:mm:ss Z')).toBeNull();
    expect(checkTimePattern('YYYY-MM-DD HH:mm:ss]')).toBe(
      'is not a valid time pattern: unexpected "]" at 20',
    );
    const re = new RegExp(SHOP.regex, 'u');
    expect(customSampleProblem(re, SHOP.time, SHOP.samples[0]!)).toBeNull();
    expect(customSampleProblem(re, SHOP.time, 'nope')).toBe('does not match the regex: "nope"');
    expect(customSampleProblem(re, 'iso', '2024-01-15 10:30:45 INFO x')).toBeNull();
    expect(customSampleProblem(re, 'epoch', '2024-01-15 10:30:45 INFO x')).toBe(
      'its time "2024-01-15 10:30:45" does not read with the pattern "epoch"',
    );
    // a regex without a time group: nothing to read
    expect(customSampleProblem(/^(?<message>.*)$/u, SHOP.time, 'anything')).toBeNull();
  });
});

describe('customFormat', () => {
  it("is a regex format with id custom:<name>, specificity 100, and the user's samples", () => {
    const f = customFormat(SHOP);
    expect([f.id, f.name, f.specificity, f.samples, f.relative]).toEqual([
      'custom:shop',
      'shop (custom)',
      100,
      SHOP.samples,
      false,
    ]);
    const line = '2024-01-15 10:30:46 ERROR card declined';
    const b = utf8(line);
    const out = { time: null, level: null, service: null, message: '', fields: null, partial: false };
    expect(f.parse(b, 0, b.length, lineInfo(b.length), out, utcContext())).toBe(true);
    expect(out).toEqual({
      time: Date.UTC(2024, 0, 15, 10, 30, 46),
      level: 'ERROR',
      service: null,
      message: 'card declined',
      fields: null,
      partial: false,
    });
  });
});

describe('a custom format in detection', () => {
  // log4j lines that a custom format also reads in full: both parse every line
  const LINES = [
    '2024-01-15 10:30:45,123 INFO [main] com.shop.App: started',
    '2024-01-15 10:30:46,456 ERROR [http-1] com.shop.Pay: card declined',
    '2024-01-15 10:30:47,789 WARN [main] com.shop.App: slow',
  ];
  const TEXT = LINES.join('\n') + '\n';
  const MINE = {
    name: 'mine',
    regex: String.raw`^(?<time>\S+ \S+) (?<level>[A-Z]+) \[(?<worker>[^\]]*)\] (?<service>[\w.]+): (?<message>.*)$`,
    time: 'YYYY-MM-DD HH:mm:ss,SSS',
    samples: [LINES[0]!],
  };

  async function run(input: Parameters<typeof config>[0]): Promise<{
    format: string;
    confidence: number;
    records: LogRecord[];
  }> {
    const records: LogRecord[] = [];
    const snap = await analyze([fileOf(TEXT, 'app.log')], config(input), {
      onRecord: (r) => records.push(r),
    });
    return { format: snap.files[0]!.format, confidence: snap.files[0]!.formatConfidence, records };
  }

  it('wins over a built-in format at equal parse counts (specificity 100)', async () => {
    const builtIn = await run({ timeZone: 'UTC' });
    expect([builtIn.format, builtIn.confidence]).toEqual(['log4j', 1]);
    expect(builtIn.records[1]!.fields).toEqual({ thread: 'http-1' });
    const custom = await run({ timeZone: 'UTC', customFormats: [MINE] });
    expect([custom.format, custom.confidence]).toEqual(['custom:mine', 1]);
    expect(custom.records.map((r) => [r.time, r.level, r.service, r.message, r.fields])).toEqual([
      [Date.UTC(2024, 0, 15, 10, 30, 45, 123), 'INFO', 'com.shop.App', 'started', { worker: 'main' }],
      [
        Date.UTC(2024, 0, 15, 10, 30, 46, 456),
        'ERROR',
        'com.shop.Pay',
        'card declined',
        { worker: 'http-1' },
      ],
      [Date.UTC(2024, 0, 15, 10, 30, 47, 789), 'WARN', 'com.shop.App', 'slow', { worker: 'main' }],
    ]);
  });

  it('loses to a built-in format that parses more lines', async () => {
    const narrow = { ...MINE, regex: MINE.regex.replace('[A-Z]+', 'INFO') };
    const r = await run({ timeZone: 'UTC', customFormats: [narrow] });
    expect([r.format, r.confidence]).toEqual(['log4j', 1]);
  });

  it('among custom formats at equal counts, the first listed wins', async () => {
    const r = await run({
      timeZone: 'UTC',
      customFormats: [
        { ...MINE, name: 'first' },
        { ...MINE, name: 'second' },
      ],
    });
    expect(r.format).toBe('custom:first');
  });
});
