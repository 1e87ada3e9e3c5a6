import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/engine/analyze.ts';
import { looksLikeRecordStart } from '../../src/engine/ingest/mixed.ts';
import { LEVELS_AND_NONE, type LogRecord, type Snapshot } from '../../src/engine/types.ts';
import { analyzeSliced, config, utf8 } from './helpers.ts';

/**
 * Mixed files (issue 11, docs/formats.md "Mixed files"). tests/fixtures/mixed/mixed-500.log (made by
 * scripts/fixtures/make-mixed.py) cycles five shapes — ISO time-level-service, JSON lines, logfmt, BSD syslog
 * with a PRI, combined access log — with two 3-frame stack traces and three impossible dates. Every number below
 * was counted on the file with grep/awk, not by Loglens (run in tests/fixtures/mixed):
 *
 *   grep -c '' mixed-500.log                                                    → 506 lines
 *   grep -cv $'^\t' mixed-500.log                                               → 500 records
 *   grep -c $'^\t' mixed-500.log                                                → 6 continuation lines
 *   grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T\S+ [A-Z]+ ' mixed-500.log            → 100 ISO
 *   grep -c '^{' mixed-500.log                                                  → 100 JSON
 *   grep -c '^ts=' mixed-500.log                                                → 100 logfmt
 *   grep -c '^<[0-9]*>' mixed-500.log                                           → 100 syslog
 *   grep -cE '^([0-9]+\.){3}[0-9]+ ' mixed-500.log                              → 100 access log
 *   grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T\S+ ERROR |"level":"error"| level=error |^<11>' mixed-500.log
 *                                                                               → 180 error lines
 *   grep -E '^([0-9]+\.){3}[0-9]+ ' mixed-500.log | awk '$9 >= 500' | wc -l     → 40 (HTTP 5xx)
 *     (180 + 40 = 220 error lines; <11> is user.err)
 *   grep -cE ' WARN |"level":"warn"| level=warn |^<12>' mixed-500.log           → 20 warnings (<12> user.warning)
 *   grep -E '^([0-9]+\.){3}[0-9]+ ' mixed-500.log | awk '$9 >= 400 && $9 < 500' | wc -l → 0
 *   grep -c '2025-13-45' mixed-500.log                                          → 3 impossible dates
 * INFO is the rest: 500 - 220 - 20 = 260.
 */
const FILE = fileURLToPath(new URL('../fixtures/mixed/mixed-500.log', import.meta.url));
const BYTES = readFileSync(FILE);
const LAST_MODIFIED = Date.parse('2025-03-15T00:00:00Z'); // the syslog lines carry no year

const mixedFile = (): File => new File([BYTES], 'mixed.log', { lastModified: LAST_MODIFIED });
const levels = (s: Snapshot): Record<string, number> =>
  Object.fromEntries(LEVELS_AND_NONE.map((l, i) => [l, s.levels[i] ?? 0]));

describe('a mixed file', () => {
  it('gives every record and every error line grep counts, each record parsed by the format that fits it', async () => {
    const records: LogRecord[] = [];
    const snap = await analyze([mixedFile()], config({ timeZone: 'UTC' }), {
      onRecord: (r) => records.push(r),
    });
    expect(snap.totals).toMatchObject({
      lines: 506,
      records: 500,
      unparsed: 0,
      continuationLines: 6,
      emptyLines: 0,
      // the three impossible dates are records (time null), counted, not continuation lines
      invalidTimes: 3,
      untimed: 3,
    });
    expect(levels(snap)).toEqual({ TRACE: 0, DEBUG: 0, INFO: 260, WARN: 20, ERROR: 220, FATAL: 0, NONE: 0 });
    const f = snap.files[0]!;
    // five shapes of 100 lines each: the tie goes to the most specific format (access log, 75)
    expect([f.format, f.records, f.lines]).toEqual(['access-log', 500, 506]);
    expect(f.formats).toEqual([
      { id: 'access-log', name: 'access log (common / combined)', records: 100 },
      { id: 'iso-level-service', name: 'ISO time, level, service, message', records: 100 },
      { id: 'json', name: 'JSON lines', records: 100 },
      { id: 'logfmt', name: 'logfmt', records: 100 },
      { id: 'syslog-3164', name: 'syslog (RFC 3164, BSD)', records: 100 },
    ]);
    expect(f.invalidTimes).toEqual({ count: 3, line: 16, time: '2025-13-45T10:00:00.000Z' });
    expect(f.warnings).toEqual([
      '3 records had an impossible time (e.g. line 16: 2025-13-45T10:00:00.000Z); they are counted without a time.',
    ]);
    // each record carries what its own format reads: the syslog program, the JSON service, the logfmt component
    expect(records.slice(0, 5).map((r) => [r.line, r.level, r.service, r.parsed])).toEqual([
      [1, 'ERROR', 'api-gateway', true],
      [2, 'ERROR', 'payment-service', true],
      [3, 'INFO', 'payment-service', true],
      [4, 'INFO', 'sshd', true],
      [5, 'ERROR', 'mixed.log', true],
    ]);
    // a stack trace still joins the record before it: grep -n -B1 $'^\tat com.shop.db' → lines 106 and 119
    const traced = records.filter((r) => r.continuation !== null);
    expect(traced.map((r) => [r.line, r.lineEnd, r.level])).toEqual([
      [106, 109, 'ERROR'],
      [119, 122, 'ERROR'],
    ]);
    expect(snap.timeRange).toEqual({
      start: Date.parse('2025-03-14T10:00:00.056Z'),
      end: Date.parse('2025-03-14T10:08:19Z'),
    });
  });

  it('gives the same result read in slices as in one pass (the slices force the head’s format)', async () => {
    const cfg = config({ timeZone: 'UTC' });
    const one = await analyze([mixedFile()], cfg, {});
    const sliced = await analyzeSliced(
      mixedFile(),
      [9000, 20011, 33333],
      config({ timeZone: 'UTC', format: 'access-log' }),
    );
    expect(sliced.totals).toEqual(one.totals);
    expect(sliced.levels).toEqual(one.levels);
    expect(sliced.files[0]!.formats).toEqual(one.files[0]!.formats);
    expect(sliced.services).toEqual(one.services);
  });
});

describe('looksLikeRecordStart', () => {
  const starts = (s: string): boolean => looksLikeRecordStart(utf8(s), 0, utf8(s).length);
  it('passes what a known format may start with', () => {
    for (const s of [
      '2025-03-14T10:00:00Z INFO x',
      '10.0.0.1 - - [14/Mar/2025…',
      '{"level":"info"}',
      '<13>Jan 15 …',
      '[2024-05-07 10:55:53,434] INFO',
      'Jan 15 10:30:45 host app: x',
      'Sep  1 10:30:45 host app: x',
      'I0507 12:04:17.597069 1 x.go:1] y',
      'ts=2025 level=info',
      'level=warn msg=x',
    ])
      expect([s, starts(s)]).toEqual([s, true]);
  });
  it('rejects stack frames, indented and wrapped text', () => {
    for (const s of [
      '\tat com.x.Y.z(Y.java:10)',
      '    more text',
      'Caused by: java.lang.Error',
      'java.lang.IllegalStateException: boom',
      '... 12 more',
      'Traceback (most recent call last):',
      'Janitor ran',
      'Info: x',
      'hello world',
      'key: value',
      '',
    ])
      expect([s, starts(s)]).toEqual([s, false]);
  });
});
