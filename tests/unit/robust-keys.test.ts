import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { exportRecords } from '../../src/engine/export.ts';
import { regexFormat } from '../../src/engine/formats/regex-format.ts';
import type { RecordDraft } from '../../src/engine/formats/types.ts';
import { buildReport } from '../../src/engine/report.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { config, fileOf, lineInfo, utcContext, utf8 } from './helpers.ts';

/**
 * Keys from log text — field names, sequence keys, service names — are data: "__proto__", "constructor",
 * "toString" and "hasOwnProperty" are kept and counted like any other name.
 */
const UTC = config({ timeZone: 'UTC' });

async function records(text: string, cfg = UTC): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  await analyze([fileOf(text, 'app.log')], cfg, { onRecord: (r) => out.push(r) });
  return out;
}

const own = (o: object | null): [string, unknown][] =>
  o === null ? [] : Object.keys(o).map((k) => [k, (o as Record<string, unknown>)[k]]);

describe('field names from log text', () => {
  const JSON_LINE = '{"msg":"x","__proto__":"p","constructor":"c","user":{"__proto__":1}}';

  it('JSON lines keep __proto__, constructor and a nested __proto__ as fields', async () => {
    const [r] = await records(JSON_LINE + '\n');
    expect(r!.message).toBe('x');
    expect(own(r!.fields)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['user', '{"__proto__":1}'],
    ]);
  });

  it('the JSON Lines export writes them', async () => {
    let out = '';
    const n = await exportRecords(
      [fileOf(JSON_LINE + '\n', 'app.log')],
      UTC,
      'jsonl',
      null,
      (c) => (out += c),
    );
    expect(n).toBe(1);
    const row = out.trimEnd();
    expect(row).toContain('"fields":{"__proto__":"p","constructor":"c","user":"{\\"__proto__\\":1}"}');
    // read back with JSON.parse, the keys are own properties again
    const back = JSON.parse(row) as { fields: Record<string, unknown> };
    expect(Object.keys(back.fields)).toEqual(['__proto__', 'constructor', 'user']);
  });

  it('logfmt keeps them', async () => {
    const [r] = await records('level=info msg=x __proto__=p constructor=c toString=t\n');
    expect(r!.level).toBe('INFO');
    expect(own(r!.fields)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['toString', 't'],
    ]);
  });

  it('a regex format keeps a group named __proto__', () => {
    const f = regexFormat({
      id: 'keys',
      name: 'keys',
      specificity: 1,
      samples: [],
      variants: [
        { regex: String.raw`^(?<time>\S+) (?<level>\S+) (?<__proto__>\S+) (?<message>.*)$`, time: 'iso' },
      ],
    });
    const b = utf8('2025-03-14T10:00:00Z INFO proto-value hello');
    const d: RecordDraft = {
      time: null,
      level: null,
      service: null,
      message: '',
      fields: null,
      partial: false,
    };
    expect(f.parse(b, 0, b.length, lineInfo(b.length), d, utcContext())).toBe(true);
    expect(own(d.fields)).toEqual([['__proto__', 'proto-value']]);
    expect(d.message).toBe('hello');
  });
});

describe('a sequence keyed by a field named __proto__ or constructor', () => {
  const line = (s: number, msg: string, key?: string): string =>
    JSON.stringify({
      time: `2025-03-14T10:00:0${s}Z`,
      level: 'error',
      msg,
      ...(key ? { ['__proto__']: key } : {}),
    });
  // JSON.stringify of a spread with a computed "__proto__" key writes it as a field (spread defines own keys)
  const TEXT =
    [
      line(0, 'start job', 'a'),
      line(1, 'start job', 'b'),
      line(2, 'done job', 'a'),
      line(3, 'done job', 'b'),
      line(4, 'done job'),
    ].join('\n') + '\n';

  it('matches per value of the field', async () => {
    expect(TEXT).toContain('"__proto__":"a"');
    const steps = [{ contains: 'start' }, { contains: 'done' }];
    const snap = await analyze(
      [fileOf(TEXT, 'jobs.log')],
      config({ timeZone: 'UTC', sequences: [{ name: 'job', steps, maxGapSec: 60, key: '__proto__' }] }),
    );
    const q = snap.detectors.sequences[0]!;
    expect(q.matches).toBe(2);
    expect(q.examples.map((m) => [m.key, m.steps.map((s) => s.line)])).toEqual([
      ['a', [1, 3]],
      ['b', [2, 4]],
    ]);
    // no record has a field "constructor": a pattern keyed by it has nothing to match (not Object's constructor)
    const none = await analyze(
      [fileOf(TEXT, 'jobs.log')],
      config({ timeZone: 'UTC', sequences: [{ name: 'job', steps, maxGapSec: 60, key: 'constructor' }] }),
    );
    expect(none.detectors.sequences[0]!.matches).toBe(0);
    expect(none.detectors.sequences[0]!.events).toBe(0);
  });
});

describe('service names that are Object.prototype’s', () => {
  it('toString, hasOwnProperty, constructor and __proto__ are counted as services, in the report too', async () => {
    const names = [
      'toString',
      'hasOwnProperty',
      'constructor',
      '__proto__',
      'toString',
      'constructor',
      'toString',
    ];
    const text = names.map((n, i) => `2025-03-14T10:00:0${i}Z ERROR ${n} boom ${i}`).join('\n') + '\n';
    const snap = await analyze([fileOf(text, 'app.log')], UTC);
    expect(snap.services).toEqual([
      { name: 'toString', records: 3, errors: 3 },
      { name: 'constructor', records: 2, errors: 2 },
      { name: '__proto__', records: 1, errors: 1 },
      { name: 'hasOwnProperty', records: 1, errors: 1 },
    ]);
    expect(snap.serviceCount).toBe(4);
    expect(buildReport(snap, UTC).services.map((s) => s.name)).toEqual([
      'toString',
      'constructor',
      '__proto__',
      'hasOwnProperty',
    ]);
  });
});
