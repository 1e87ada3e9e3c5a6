import { describe, it, expect } from 'vitest';
import { analyze, mergedSnapshot } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import { compileTimePattern } from '../../src/engine/time/pattern.ts';
import { IsoTimeParser } from '../../src/engine/time/iso.ts';
import { ZoneResolver } from '../../src/engine/time/zone.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { config, fileOf, utf8 } from './helpers.ts';

/**
 * Impossible times (30 February, month 13, hour 25): the line is still its format's record — level, service
 * and message kept — with time null, counted as an invalid time and named in the file's notes. A string that is
 * not a time at all is still "not this format's line".
 */
const UTC = config({ timeZone: 'UTC' });

async function run(text: string, name = 'app.log'): Promise<{ snap: Snapshot; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const snap = await analyze([fileOf(text, name)], UTC, { onRecord: (r) => records.push(r) });
  return { snap, records };
}

const brief = (r: LogRecord): unknown[] => [
  r.line,
  r.time === null ? null : 'time',
  r.level,
  r.service,
  r.message,
];

describe('the ISO fast path', () => {
  const text = [
    '2025-02-28T10:00:00Z INFO svc ok 1',
    '2025-02-28T10:00:01Z INFO svc ok 2',
    '2025-02-28T10:00:02Z INFO svc ok 3',
    '2025-02-28T10:00:03Z INFO svc ok 4',
    '2025-02-30T10:00:00Z ERROR svc boom', // 5
    '2025-13-01T10:00:00.123+02:00 WARN auth month thirteen', // 6
    '2025-02-28T25:00:00Z FATAL db hour twenty-five', // 7
    '\tat a.b.C.d(C.java:1)', // 8: continues the record of line 7
    '2025-02-28T10:00:04Z INFO svc ok 9',
    '2025-02-3XT10:00:00Z ERROR svc not a time', // 10: not a time at all: continues line 9
  ].join('\n');

  it('keeps each such line as a record with its level, service and message, time null; counts and notes them', async () => {
    const { snap, records } = await run(text);
    expect(records.map(brief)).toEqual([
      [1, 'time', 'INFO', 'svc', 'ok 1'],
      [2, 'time', 'INFO', 'svc', 'ok 2'],
      [3, 'time', 'INFO', 'svc', 'ok 3'],
      [4, 'time', 'INFO', 'svc', 'ok 4'],
      [5, null, 'ERROR', 'svc', 'boom'],
      [6, null, 'WARN', 'auth', 'month thirteen'],
      [7, null, 'FATAL', 'db', 'hour twenty-five'],
      [9, 'time', 'INFO', 'svc', 'ok 9'],
    ]);
    expect(records[6]!.continuation).toBe('\tat a.b.C.d(C.java:1)');
    expect(records[7]!.continuation).toBe('2025-02-3XT10:00:00Z ERROR svc not a time');
    expect(records.every((r) => r.parsed)).toBe(true);
    expect(snap.totals).toMatchObject({
      records: 8,
      untimed: 3,
      invalidTimes: 3,
      unparsed: 0,
      continuationLines: 2,
    });
    expect(snap.levels).toEqual([0, 0, 5, 1, 1, 1, 0]);
    const f = snap.files[0]!;
    expect(f.format).toBe('iso-level-service');
    expect(f.invalidTimes).toEqual({ count: 3, line: 5, time: '2025-02-30T10:00:00Z' });
    expect(f.warnings).toEqual([
      '3 records had an impossible time (e.g. line 5: 2025-02-30T10:00:00Z); they are counted without a time.',
    ]);
    expect(snap.timeRange).toEqual({
      start: Date.UTC(2025, 1, 28, 10),
      end: Date.UTC(2025, 1, 28, 10, 0, 4),
    });
  });

  it('detection is not fooled: a file with more impossible than good times is still its format', async () => {
    const lines = ['2025-03-14T10:00:00Z INFO api started'];
    for (let i = 0; i < 5; i++) lines.push(`2025-02-31T10:00:0${i}Z ERROR api boom ${i}`);
    const { snap } = await run(lines.join('\n'));
    expect(snap.files[0]!.format).toBe('iso-level-service');
    expect(snap.totals).toMatchObject({ records: 6, invalidTimes: 5, unparsed: 0 });
    expect(snap.files[0]!.warnings).toEqual([
      '5 records had an impossible time (e.g. line 2: 2025-02-31T10:00:00Z); they are counted without a time.',
    ]);
  });

  it('one impossible time: the note says so in the singular', async () => {
    const { snap } = await run('2025-03-14T10:00:00Z INFO a x\n2025-03-14T24:00:00Z INFO a y\n');
    expect(snap.files[0]!.warnings).toEqual([
      '1 record had an impossible time (line 2: 2025-03-14T24:00:00Z); it is counted without a time.',
    ]);
  });
});

describe('time patterns: impossible values against no time at all', () => {
  const ctx = (): { zone: ZoneResolver; iso: IsoTimeParser; refTime: number } => {
    const zone = new ZoneResolver('UTC');
    return { zone, iso: new IsoTimeParser(zone), refTime: Date.UTC(2025, 5, 1) };
  };

  it('sets the impossible flag only for a string of the pattern’s shape', () => {
    const c = ctx();
    const withYear = compileTimePattern('YYYY-MM-DD HH:mm:ss', c);
    const cases: [string, boolean][] = [
      ['2025-02-30 10:00:00', true],
      ['2025-13-01 10:00:00', true],
      ['2025-01-01 25:00:00', true],
      ['2025-01-01 10:61:00', true],
      ['2025-01-01 10:00', false], // not the shape
      ['yesterday at noon', false],
    ];
    for (const [s, impossible] of cases) {
      expect(withYear(s)).toBeNaN();
      expect([s, c.iso.impossible]).toEqual([s, impossible]);
    }
    expect(withYear('2024-02-29 10:00:00')).toBe(Date.UTC(2024, 1, 29, 10));
    expect(c.iso.impossible).toBe(false);
    const noYear = compileTimePattern('MMM DD HH:mm:ss', c);
    expect(noYear('Feb 30 10:00:00')).toBeNaN();
    expect(c.iso.impossible).toBe(true);
    expect(noYear('Foo 30 10:00:00')).toBeNaN();
    expect(c.iso.impossible).toBe(false);
    expect(noYear('Feb 29 10:00:00')).toBe(Date.UTC(2024, 1, 29, 10)); // the latest leap year
  });
});

describe('regex, JSON, logfmt and generic formats', () => {
  it('syslog 3164 (no year): Feb 30 keeps its record, level from the priority', async () => {
    const { snap, records } = await run(
      [
        '<11>Feb 28 10:00:00 web1 sshd[1]: good',
        '<11>Feb 30 10:00:00 web1 sshd[2]: no such day',
        '<14>Feb 28 10:00:02 web1 cron[3]: good again',
      ].join('\n'),
    );
    expect(snap.files[0]!.format).toBe('syslog-3164');
    expect(records.map(brief)).toEqual([
      [1, 'time', 'ERROR', 'sshd', 'good'],
      [2, null, 'ERROR', 'sshd', 'no such day'],
      [3, 'time', 'INFO', 'cron', 'good again'],
    ]);
    expect(records[1]!.fields).toEqual({ host: 'web1', pid: '2' });
    expect(snap.files[0]!.warnings).toEqual([
      '1 record had an impossible time (line 2: Feb 30 10:00:00); it is counted without a time.',
    ]);
  });

  it('access log: 31 April is impossible, a garbage bracket is not a time (continues the record)', async () => {
    const { snap, records } = await run(
      [
        '10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 10',
        '10.0.0.2 - - [31/Apr/2024:13:55:36 +0000] "GET /b HTTP/1.1" 503 10',
        '10.0.0.3 - - [garbage] "GET /c HTTP/1.1" 200 10',
      ].join('\n'),
    );
    expect(snap.files[0]!.format).toBe('access-log');
    // no service group: the records take the file's name
    expect(records.map(brief)).toEqual([
      [1, 'time', 'INFO', 'app.log', 'GET /a HTTP/1.1'],
      [2, null, 'ERROR', 'app.log', 'GET /b HTTP/1.1'],
    ]);
    expect(records[1]!.continuation).toBe('10.0.0.3 - - [garbage] "GET /c HTTP/1.1" 200 10');
    expect(snap.totals).toMatchObject({ records: 2, invalidTimes: 1, untimed: 1 });
  });

  it('log4j with a comma fraction: hour 25', async () => {
    const { snap, records } = await run(
      [
        '2024-01-15 10:30:45,123 INFO [main] com.shop.App: started',
        '2024-01-15 25:30:45,123 ERROR [main] com.shop.App: late',
      ].join('\n'),
    );
    expect(snap.files[0]!.format).toBe('log4j');
    expect(records.map(brief)).toEqual([
      [1, 'time', 'INFO', 'com.shop.App', 'started'],
      [2, null, 'ERROR', 'com.shop.App', 'late'],
    ]);
    expect(snap.files[0]!.invalidTimes).toEqual({ count: 1, line: 2, time: '2024-01-15 25:30:45,123' });
  });

  it('JSON lines and logfmt: an impossible ISO time is counted; a time that is no ISO time is not', async () => {
    const json = await run(
      [
        '{"time":"2025-03-14T10:00:00Z","level":"info","msg":"ok"}',
        '{"time":"2025-02-30T10:00:00Z","level":"error","msg":"boom"}',
        '{"time":"soon","level":"warn","msg":"vague"}',
      ].join('\n'),
    );
    expect(json.snap.files[0]!.format).toBe('json');
    expect(json.records.map((r) => [r.time === null, r.level, r.message])).toEqual([
      [false, 'INFO', 'ok'],
      [true, 'ERROR', 'boom'],
      [true, 'WARN', 'vague'],
    ]);
    expect(json.snap.totals).toMatchObject({ records: 3, untimed: 2, invalidTimes: 1 });
    expect(json.snap.files[0]!.warnings).toEqual([
      '1 record had an impossible time (line 2: 2025-02-30T10:00:00Z); it is counted without a time.',
    ]);
    const logfmt = await run(
      'ts=2025-03-14T10:00:00Z level=info msg=ok\nts=2025-03-14T10:61:00Z level=error msg=bad\n',
    );
    expect(logfmt.snap.files[0]!.format).toBe('logfmt');
    expect(logfmt.snap.totals).toMatchObject({ records: 2, invalidTimes: 1 });
    expect(logfmt.records[1]).toMatchObject({ time: null, level: 'ERROR', message: 'bad' });
  });

  it('the generic fallback', async () => {
    const { snap, records } = await run(
      ['app[1] 2024/01/15 10:30:45 WARNING disk 91%', 'app[1] 2024/02/30 10:30:46 ERROR disk full'].join(
        '\n',
      ),
    );
    expect(snap.files[0]!.format).toBe('generic');
    expect(records.map(brief)).toEqual([
      [1, 'time', 'WARN', 'app.log', 'disk 91%'],
      [2, null, 'ERROR', 'app.log', 'disk full'],
    ]);
    expect(snap.totals.invalidTimes).toBe(1);
  });
});

describe('impossible times in a file read in parallel slices', () => {
  it('the merged note names the first one with its line in the whole file', async () => {
    const line = (i: number): string =>
      i === 4500 || i === 5000
        ? `2025-02-30T10:00:00Z ERROR api boom ${i}\n`
        : `2025-03-14T10:00:${String(i % 60).padStart(2, '0')}Z INFO api msg ${i}\n`;
    let text = '';
    for (let i = 1; i <= 6000; i++) text += line(i);
    const file = new File([utf8(text)], 'app.log');
    const one = await analyze([file], UTC);
    expect(one.files[0]!.warnings).toEqual([
      '2 records had an impossible time (e.g. line 4500: 2025-02-30T10:00:00Z); they are counted without a time.',
    ]);
    const forced = { ...UTC, format: 'iso-level-service' };
    const cut = Math.floor(file.size / 2);
    const parts: { snap: Snapshot; analysis: Analysis }[] = [];
    for (const range of [
      { start: 0, end: cut },
      { start: cut, end: file.size },
    ]) {
      let kept: Analysis | null = null;
      const snap = await analyze([file], forced, { range, keep: (a) => (kept = a) });
      parts.push({ snap, analysis: kept! });
    }
    parts[0]!.analysis.merge(structuredClone(parts[1]!.analysis), parts[0]!.snap.totals.lines);
    const merged = mergedSnapshot(
      parts[0]!.analysis,
      parts.map((p) => p.snap.files[0]!),
      0,
      0,
    );
    expect(merged.totals).toEqual(one.totals);
    expect(merged.files[0]!.warnings).toEqual(one.files[0]!.warnings);
    expect(merged.files[0]!.invalidTimes).toEqual({ count: 2, line: 4500, time: '2025-02-30T10:00:00Z' });
  });
});
