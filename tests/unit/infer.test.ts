import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/engine/analyze.ts';
import { parseConfig, type Config } from '../../src/engine/config.ts';
import { inferLayout, inferredFormat, inferFromHead } from '../../src/engine/formats/infer.ts';
import { ParseContext, type RecordDraft } from '../../src/engine/formats/types.ts';
import { IsoTimeParser } from '../../src/engine/time/iso.ts';
import { ZoneResolver } from '../../src/engine/time/zone.ts';
import { Interner } from '../../src/engine/ingest/interner.ts';
import type { LogRecord } from '../../src/engine/types.ts';

const DIR = fileURLToPath(new URL('../fixtures/debian/', import.meta.url));
const enc = new TextEncoder();
const LAST_MODIFIED = Date.parse('2026-06-01T00:00:00Z');

function config(extra: Record<string, unknown> = {}): Config {
  const r = parseConfig({ timeZone: 'UTC', ...extra });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

async function run(name: string, text: string, cfg = config()) {
  const records: LogRecord[] = [];
  const snap = await analyze([new File([text], name, { lastModified: LAST_MODIFIED })], cfg, {
    onRecord: (r) => records.push(r),
  });
  return { snap, records };
}

const fixture = (f: string): string => readFileSync(`${DIR}${f}`, 'utf8');

/**
 * The Debian fixtures (excerpts of this machine's /var/log files; history.log's long package lists cut, one
 * Requested-By and one Error line added). Counts made with grep/awk, not with Loglens:
 *   dpkg.log          grep -c '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} ' → 240; wc -l → 240
 *   alternatives.log  grep -c '^update-alternatives [0-9-]\{10\} [0-9:]\{8\}: ' → 60; wc -l → 60
 *   history.log       grep -c '^Start-Date: [0-9-]\{10\}  [0-9:]\{8\}$' → 6; wc -l → 32; grep -c '^$' → 5
 *   term.log          grep -c '^Log started: [0-9-]\{10\}  [0-9:]\{8\}$' → 4; wc -l → 104; grep -c '^$' → 3
 *   first/last times  awk '{print $1, $2}' dpkg.log | sed -n '1p;$p' → 2025-06-24 14:36:25, 2025-06-24 14:36:40
 *                     awk '{print $2,$3}' alternatives.log | sed -n '1p;$p' → 2025-06-24 14:36:53, 14:39:44
 */
const DEBIAN = [
  {
    file: 'dpkg.log',
    records: 240,
    lines: 240,
    empty: 0,
    continuation: 0,
    name: 'inferred: time at column 1, `YYYY-MM-DD HH:mm:ss`, no level',
    service: 'dpkg.log',
    first: '2025-06-24T14:36:25.000Z',
    last: '2025-06-24T14:36:40.000Z',
  },
  {
    file: 'alternatives.log',
    records: 60,
    lines: 60,
    empty: 0,
    continuation: 0,
    name: 'inferred: time at column 21 after `update-alternatives`, `YYYY-MM-DD HH:mm:ss`, no level, service `update-alternatives`',
    service: 'update-alternatives',
    first: '2025-06-24T14:36:53.000Z',
    last: '2025-06-24T14:39:44.000Z',
  },
  {
    file: 'history.log',
    records: 6,
    lines: 32,
    empty: 5,
    continuation: 32 - 5 - 6,
    name: 'inferred: time at column 13 after `Start-Date:`, `YYYY-MM-DD HH:mm:ss`, no level, records span lines',
    service: 'history.log',
    first: '2025-06-24T14:36:25.000Z',
    last: '2026-05-09T07:29:02.000Z',
  },
  {
    file: 'term.log',
    records: 4,
    lines: 104,
    empty: 3,
    continuation: 104 - 3 - 4,
    name: 'inferred: time at column 14 after `Log started:`, `YYYY-MM-DD HH:mm:ss`, no level, records span lines',
    service: 'term.log',
    first: '2025-06-24T14:36:25.000Z',
    last: '2025-06-24T14:42:05.000Z',
  },
] as const;

describe('Debian logs: an inferred format, a time on every record', () => {
  for (const d of DEBIAN) {
    it(d.file, async () => {
      const { snap, records } = await run(d.file, fixture(d.file));
      const f = snap.files[0]!;
      expect(f.format).toBe('inferred');
      expect(f.formatName).toBe(d.name);
      expect(f.warnings).toEqual([]);
      expect(snap.totals.records).toBe(d.records);
      expect(snap.totals.lines).toBe(d.lines);
      expect(snap.totals.emptyLines).toBe(d.empty);
      expect(snap.totals.continuationLines).toBe(d.continuation);
      expect(records.filter((r) => r.time === null)).toEqual([]);
      expect(records.every((r) => r.parsed && r.service === d.service)).toBe(true);
      expect(new Date(records[0]!.time!).toISOString()).toBe(d.first);
      expect(new Date(records.at(-1)!.time!).toISOString()).toBe(d.last);
    });
  }

  it('history.log: one record per block, its time from Start-Date', async () => {
    const { records } = await run('history.log', fixture('history.log'));
    expect(records.map((r) => [r.line, r.lineEnd])).toEqual([
      [1, 4],
      [6, 9],
      [11, 15],
      [17, 20],
      [22, 26],
      [28, 32],
    ]);
    expect(records[0]!.message).toBe('');
    expect(records[0]!.continuation).toBe(
      'Commandline: apt-get -qqy upgrade\nUpgrade: libsystemd0:amd64 (252.36-1~deb12u1, 252.38-1~deb12u1), libudev1:amd64 (252.36-1~deb12u1, 252.38-1~deb12u1)\nEnd-Date: 2025-06-24  14:36:25',
    );
  });

  it('alternatives.log: the message after the time and its colon', async () => {
    const { records } = await run('alternatives.log', fixture('alternatives.log'));
    expect(records[1]!.message).toBe('link group pager updated to point to /usr/bin/less');
  });

  it('saved as a custom format, it validates and reads the same records', async () => {
    for (const d of DEBIAN) {
      const text = fixture(d.file);
      const first = await run(d.file, text);
      const custom = first.snap.files[0]!.inferredFormat!;
      expect(custom.name).toBe(`inferred ${d.file}`);
      const cfg = config({ customFormats: [custom] });
      const again = await run(d.file, text, cfg);
      expect(again.snap.files[0]!.format).toBe(`custom:inferred ${d.file}`);
      expect(again.snap.totals.records).toBe(d.records);
      expect(again.records.map((r) => [r.time, r.line, r.lineEnd])).toEqual(
        first.records.map((r) => [r.time, r.line, r.lineEnd]),
      );
    }
  });

  it('the real /var/log/dpkg.log, when present: one record per line, each with a time', async () => {
    let text: string;
    try {
      text = readFileSync('/var/log/dpkg.log', 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l !== '').length;
    const { snap, records } = await run('dpkg.log', text);
    expect(snap.files[0]!.format).toBe('inferred');
    expect(snap.totals.records).toBe(lines);
    expect(records.some((r) => r.time === null)).toBe(false);
  });
});

const ctx = (): ParseContext =>
  new ParseContext(new IsoTimeParser(new ZoneResolver('UTC')), new Interner(), LAST_MODIFIED);
const lines = (t: string): { bytes: Uint8Array }[] => t.split('\n').map((l) => ({ bytes: enc.encode(l) }));

function parseWith(head: string, line: string): RecordDraft | null {
  const layout = inferLayout(lines(head));
  if (layout === null) return null;
  const f = inferredFormat(layout, 'x.log');
  const out: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  const b = enc.encode(line);
  const info = {
    lineNo: 1,
    offset: 0,
    rawLength: b.length,
    truncated: false,
    ascii: true,
    padding: 0,
    text: null,
    textBase: 0,
  };
  return f.parse(b, 0, b.length, info, out, ctx()) ? out : null;
}

describe('inferLayout: shapes, columns, exact outputs', () => {
  const cases: [string, string, string, number][] = [
    [
      'iso T with ms and Z',
      '2024-03-01T10:00:00.123Z',
      'YYYY-MM-DDTHH:mm:ss.SSSZ',
      Date.parse('2024-03-01T10:00:00.123Z'),
    ],
    ['YYYY/MM/DD', '2024/03/01 10:00:00', 'YYYY/MM/DD HH:mm:ss', Date.parse('2024-03-01T10:00:00Z')],
    ['CLF', '01/Mar/2024:10:00:00 +0100', 'DD/MMM/YYYY:HH:mm:ssZ', Date.parse('2024-03-01T09:00:00Z')],
    ['syslog', 'Mar  1 10:00:00', 'MMM DD HH:mm:ss', Date.parse('2026-03-01T10:00:00Z')],
    ['compact', '20240301-10:00:00:250', 'YYYYMMDD-HH:mm:ss:SSS', Date.parse('2024-03-01T10:00:00.250Z')],
    ['YY/MM/DD', '24/03/01 10:00:00', 'YY/MM/DD HH:mm:ss', Date.parse('2024-03-01T10:00:00Z')],
    ['epoch s', '1709287200', 'epoch', Date.parse('2024-03-01T10:00:00Z')],
    ['epoch ms', '1709287200500', 'epoch', Date.parse('2024-03-01T10:00:00.500Z')],
    ['time of day', '10:00:00.5', 'HH:mm:ss.SSS', Date.parse('2026-06-01T10:00:00.500Z')],
  ];
  for (const [what, time, shown, ms] of cases) {
    it(what, () => {
      const head = [1, 2, 3].map((i) => `${time} worker ${i} did a thing`).join('\n');
      const layout = inferLayout(lines(head))!;
      expect(layout).not.toBeNull();
      const name = inferredFormat(layout, 'x.log').name;
      expect(
        name.replace(/^inferred: time at column 1, `|`, no level(, date from the file's last change)?$/g, ''),
      ).toBe(
        shown === 'epoch' ? (time.length === 13 ? 'epoch ms' : 'epoch seconds') : shown.replace(/Z$/, ''),
      );
      const d = parseWith(head, `${time} worker 9 did a thing`)!;
      expect(d.time).toBe(ms);
      expect(d.message).toBe('worker 9 did a thing');
    });
  }

  it('[MM.DD HH:mm:ss] after a bracket, and program[pid]: as the service', () => {
    const head = [
      '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy',
      '[10.30 16:49:07] chrome.exe - x close',
    ].join('\n');
    expect(inferredFormat(inferLayout(lines(head))!, 'p.log').name).toBe(
      'inferred: time at column 2, `MM.DD HH:mm:ss`, no level',
    );
    const sys = [
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x',
      'Jun 14 15:16:02 combo sshd[19937]: check pass; user unknown',
      'Jun 15 02:04:59 combo su[1]: session opened',
    ].join('\n');
    const d = parseWith(sys, 'Jun 15 02:04:59 combo sshd[20882]: Failed password for root')!;
    expect([d.service, d.fields, d.message]).toEqual([
      'sshd',
      { pid: '20882', host: 'combo' },
      'Failed password for root',
    ]);
  });

  it('a level word in its column (not anywhere in the message), key=value pairs as fields', () => {
    const head = [
      '2024-03-01 10:00:00 INFO started port=8080',
      '2024-03-01 10:00:01 WARN slow query ms=1200 table="a b"',
      '2024-03-01 10:00:02 ERROR failed code=7',
    ].join('\n');
    const l = inferLayout(lines(head))!;
    expect(inferredFormat(l, 'x').name).toBe(
      'inferred: time at column 1, `YYYY-MM-DD HH:mm:ss`, level after the time, key=value fields',
    );
    const d = parseWith(head, '2024-03-01 10:00:03 ERROR retry took=5ms note="an error"')!;
    expect([d.level, d.message, d.fields]).toEqual([
      'ERROR',
      'retry took=5ms note="an error"',
      { took: '5ms', note: 'an error' },
    ]);
    expect(parseWith(head, '2024-03-01 10:00:03 done, no error here')!.level).toBeNull();
  });

  it('impossible times stay records without a time; text that is no time is not a record', () => {
    const head = ['2024-03-01 10:00:00 a', '2024-03-01 10:00:01 b'].join('\n');
    const d = parseWith(head, '2024-02-30 10:00:00 c')!;
    expect([d.time, d.badTime]).toEqual([null, '2024-02-30 10:00:00']);
    expect(parseWith(head, '2024-03-01 10:00:0x c')).toBeNull();
  });

  it('one-line records: an untimed line is its own record unless it looks like a stack trace', async () => {
    const text = [
      '2024-03-01 10:00:00 a',
      'stray line',
      '2024-03-01 10:00:01 b',
      '\tat x.Y.z(Y.java:1)',
      '2024-03-01 10:00:02 c',
      '2024-03-01 10:00:03 d',
      '2024-03-01 10:00:04 e',
      '2024-03-01 10:00:05 f',
      '2024-03-01 10:00:06 g',
      '2024-03-01 10:00:07 h',
      '2024-03-01 10:00:08 i',
      '2024-03-01 10:00:09 j',
      '2024-03-01 10:00:10 k',
    ].join('\n');
    const { records } = await run('x.log', text);
    expect(records.map((r) => [r.line, r.lineEnd, r.parsed])).toEqual([
      [1, 1, true],
      [2, 2, false],
      [3, 4, true],
      ...[5, 6, 7, 8, 9, 10, 11, 12, 13].map((n) => [n, n, true]),
    ]);
  });

  it('no recurring time: nothing inferred', () => {
    expect(inferLayout(lines('hello\nworld\nno times here'))).toBeNull();
    expect(inferFromHead(enc.encode('a\nb\n'), 'x')).toBeNull();
  });
});
