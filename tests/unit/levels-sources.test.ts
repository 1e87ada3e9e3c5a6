import { describe, it, expect } from 'vitest';
import { formatById, type LineFormat, type RecordDraft } from '../../src/engine/formats/index.ts';
import { levelFromBytes, levelFromSyslogSeverity } from '../../src/engine/levels.ts';
import { lineInfo, utcContext, utf8 } from './helpers.ts';

/** Levels wherever a log carries them (issue 11, docs/formats.md "Levels"): each source, with exact outputs. */

function fmt(id: string): LineFormat {
  const f = formatById(id);
  if (f === undefined) throw new Error(`no format ${id}`);
  return f;
}

/** The level (and service) a format reads from a line; undefined when the format rejects the line. */
function read(id: string, line: string): [RecordDraft['level'], string | null] | undefined {
  const b = utf8(line);
  const d: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  return fmt(id).parse(b, 0, b.length, lineInfo(b.length), d, utcContext())
    ? [d.level, d.service]
    : undefined;
}

describe('syslog severities (PRI, journald PRIORITY)', () => {
  it('maps 0–7 to the six levels', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromSyslogSeverity)).toEqual([
      'FATAL', // emerg
      'FATAL', // alert
      'FATAL', // crit
      'ERROR', // err
      'WARN', // warning
      'INFO', // notice
      'INFO', // info
      'DEBUG', // debug
    ]);
    expect(['0', '3', '7'].map(levelFromSyslogSeverity)).toEqual(['FATAL', 'ERROR', 'DEBUG']);
    for (const v of [8, -1, 2.5, '8', '03', ' 3', 'err', null, undefined, NaN])
      expect([v, levelFromSyslogSeverity(v)]).toEqual([v, null]);
  });

  it('reads a PRI in BSD and RFC 5424 syslog: its low three bits', () => {
    // <13> = user.notice (1·8 + 5)
    expect(read('syslog-3164', '<13>Jan 15 10:30:45 web-1 app[7]: hello')).toEqual(['INFO', 'app']);
    expect(read('syslog-3164', '<11>Jan 15 10:30:45 web-1 sshd[7]: error: too many tries')).toEqual([
      'ERROR',
      'sshd',
    ]);
    expect(read('syslog-3164', '<12>Jan 15 10:30:45 web-1 app: disk 91%')).toEqual(['WARN', 'app']);
    expect(read('syslog-3164', '<8>Jan 15 10:30:45 web-1 kernel: panic')).toEqual(['FATAL', 'kernel']);
    expect(read('syslog-3164', '<15>Jan 15 10:30:45 web-1 app: x=1')).toEqual(['DEBUG', 'app']);
    // no PRI, no level
    expect(read('syslog-3164', 'Jan 15 10:30:45 web-1 app: hello')).toEqual([null, 'app']);
    expect(read('syslog-5424', '<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 - x')).toEqual([
      'INFO',
      'evntslog',
    ]);
    expect(read('syslog-5424', '<34>1 2003-10-11T22:14:15.003Z host su - ID47 - x')).toEqual(['FATAL', 'su']);
  });

  it("reads journald's JSON export: PRIORITY (a digit as text, or a number), MESSAGE, SYSLOG_IDENTIFIER", () => {
    const j = (p: string | number): string =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: '1718000000123456',
        PRIORITY: p,
        SYSLOG_IDENTIFIER: 'sshd',
        _PID: '812',
        MESSAGE: 'Accepted publickey for deploy',
      });
    const levels = ['0', '1', '2', '3', '4', '5', '6', '7'].map((p) => read('json', j(p))?.[0]);
    expect(levels).toEqual(['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG']);
    expect(read('json', j(3))).toEqual(['ERROR', 'sshd']);
    const b = utf8(j('6'));
    const d: RecordDraft = {
      time: null,
      level: null,
      service: null,
      message: '',
      fields: null,
      partial: false,
    };
    expect(fmt('json').parse(b, 0, b.length, lineInfo(b.length), d, utcContext())).toBe(true);
    expect({ ...d, fields: { ...d.fields } }).toEqual({
      time: 1718000000123,
      level: 'INFO',
      service: 'sshd',
      message: 'Accepted publickey for deploy',
      fields: { _PID: '812' },
      partial: false,
    });
    // a level key wins over PRIORITY; an out-of-range PRIORITY is a field, not a level
    expect(read('json', JSON.stringify({ level: 'warn', PRIORITY: '3', MESSAGE: 'x' }))).toEqual([
      'WARN',
      null,
    ]);
    expect(read('json', JSON.stringify({ PRIORITY: '9', MESSAGE: 'x' }))).toEqual([null, null]);
  });
});

describe('level words in a level column', () => {
  const iso = (word: string): RecordDraft['level'] | undefined =>
    read(
      'iso-level-service',
      `2025-03-14T10:22:31Z ${word} node-1 instruction cache parity error corrected`,
    )?.[0];

  it('RAS-style severities (Blue Gene/L): INFO WARNING SEVERE ERROR FATAL FAILURE', () => {
    expect(['INFO', 'WARNING', 'SEVERE', 'ERROR', 'FATAL', 'FAILURE'].map(iso)).toEqual([
      'INFO',
      'WARN',
      'ERROR',
      'ERROR',
      'FATAL',
      'FATAL',
    ]);
  });

  it("Java's java.util.logging levels: SEVERE WARNING INFO CONFIG FINE FINER FINEST", () => {
    expect(['SEVERE', 'WARNING', 'INFO', 'CONFIG', 'FINE', 'FINER', 'FINEST'].map(iso)).toEqual([
      'ERROR',
      'WARN',
      'INFO',
      'DEBUG',
      'DEBUG',
      'TRACE',
      'TRACE',
    ]);
  });

  it('syslog words: EMERG ALERT CRIT ERR WARNING NOTICE INFO DEBUG', () => {
    expect(['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'].map(iso)).toEqual([
      'FATAL',
      'FATAL',
      'FATAL',
      'ERROR',
      'WARN',
      'INFO',
      'INFO',
      'DEBUG',
    ]);
    expect(['emerg', 'Alert', '[crit]', '[notice]'].map(iso)).toEqual(['FATAL', 'FATAL', 'FATAL', 'INFO']);
  });

  it('levelFromBytes reads FAILURE in any case, and not its neighbours', () => {
    const of = (s: string): string | null => levelFromBytes(utf8(s), 0, utf8(s).length);
    expect(['FAILURE', 'failure', 'Failure'].map(of)).toEqual(['FATAL', 'FATAL', 'FATAL']);
    expect(['FAILURES', 'FAILED', 'FAIL'].map(of)).toEqual([null, null, null]);
  });
});

describe('single letters in logcat position', () => {
  it('V D I W E F A', () => {
    const line = (l: string): string => `03-17 16:13:38.811  1702  2395 ${l} WindowManager: x`;
    expect(['V', 'D', 'I', 'W', 'E', 'F', 'A'].map((l) => read('logcat', line(l)))).toEqual([
      ['TRACE', 'WindowManager'],
      ['DEBUG', 'WindowManager'],
      ['INFO', 'WindowManager'],
      ['WARN', 'WindowManager'],
      ['ERROR', 'WindowManager'],
      ['FATAL', 'WindowManager'],
      ['FATAL', 'WindowManager'],
    ]);
    // any other letter there is not logcat
    expect(read('logcat', line('X'))).toBeUndefined();
  });
});
