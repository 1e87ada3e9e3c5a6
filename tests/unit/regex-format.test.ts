import { describe, it, expect } from 'vitest';
import {
  levelFromSeverity,
  levelFromStatus,
  normalizeLevel,
  regexFormat,
  type RegexFormatSpec,
} from '../../src/engine/formats/regex-format.ts';
import { ParseContext, type LineFormat, type RecordDraft } from '../../src/engine/formats/types.ts';
import { guessLevel, levelFromValue } from '../../src/engine/levels.ts';
import { Interner } from '../../src/engine/ingest/interner.ts';
import { IsoTimeParser } from '../../src/engine/time/iso.ts';
import { ZoneResolver } from '../../src/engine/time/zone.ts';
import type { Level } from '../../src/engine/types.ts';
import { lineInfo, utf8 } from './helpers.ts';

/** The file's last-modified time, for year-less times: mid-June 2024. */
const REF = Date.UTC(2024, 5, 15);

/** Parses one line; a copy of the draft, or null when the format rejects the line. */
function parse(format: LineFormat, line: string): RecordDraft | null {
  const b = utf8(line);
  // a draft left dirty by a previous line: the format must overwrite every field
  const out: RecordDraft = {
    time: -1,
    level: 'FATAL',
    service: 'stale',
    message: 'stale',
    fields: { stale: true },
    partial: true,
  };
  const ctx = new ParseContext(new IsoTimeParser(new ZoneResolver('UTC')), new Interner(), REF);
  return format.parse(b, 0, b.length, lineInfo(b.length), out, ctx) ? { ...out } : null;
}

const draft = (d: Partial<RecordDraft>): RecordDraft => ({
  time: null,
  level: null,
  service: null,
  message: '',
  fields: null,
  partial: false,
  ...d,
});

function spec(over: Partial<RegexFormatSpec>): RegexFormatSpec {
  return { id: 'test', name: 'test format', specificity: 1, samples: [], variants: [], ...over };
}

const T = Date.UTC(2024, 0, 15, 10, 30, 45);

describe('normalizeLevel', () => {
  it('reads level words in any case, trimmed', () => {
    const words: [string, Level][] = [
      ['trace', 'TRACE'],
      ['TRACE', 'TRACE'],
      ['finest', 'TRACE'],
      ['finer', 'TRACE'],
      ['verbose', 'TRACE'],
      ['debug', 'DEBUG'],
      ['dbg', 'DEBUG'],
      ['fine', 'DEBUG'],
      ['config', 'DEBUG'],
      ['info', 'INFO'],
      ['Info', 'INFO'],
      ['notice', 'INFO'],
      ['warn', 'WARN'],
      ['WARNING', 'WARN'],
      ['Warning', 'WARN'],
      ['err', 'ERROR'],
      ['error', 'ERROR'],
      ['eror', 'ERROR'],
      ['SEVERE', 'ERROR'],
      ['crit', 'FATAL'],
      ['critical', 'FATAL'],
      ['fatal', 'FATAL'],
      ['alert', 'FATAL'],
      ['emerg', 'FATAL'],
      ['panic', 'FATAL'],
      [' error ', 'ERROR'],
    ];
    for (const [w, l] of words) expect([w, normalizeLevel(w)]).toEqual([w, l]);
  });

  it('reads single letters V D I W E F, and A, C, N', () => {
    const letters: [string, Level][] = [
      ['V', 'TRACE'],
      ['D', 'DEBUG'],
      ['I', 'INFO'],
      ['W', 'WARN'],
      ['E', 'ERROR'],
      ['F', 'FATAL'],
      ['A', 'FATAL'],
      ['C', 'FATAL'],
      ['N', 'INFO'],
      ['w', 'WARN'],
      ['e', 'ERROR'],
    ];
    for (const [w, l] of letters) expect([w, normalizeLevel(w)]).toEqual([w, l]);
    for (const w of ['X', 'Z', 'B', '1']) expect([w, normalizeLevel(w)]).toEqual([w, null]);
  });

  // BUG? (src/engine/levels.ts LETTERS): docs/formats.md lists the letters "V D I W E F (and A, C, N)" and the
  // comment above LETTERS says the same, but LETTERS also maps T → TRACE, so a "T" level (or a JSON "s":"t")
  // reads as TRACE instead of no level.
  it('does not read letters beyond the documented ones (T)', () => {
    expect(normalizeLevel('T')).toBeNull();
    expect(levelFromValue('T')).toBeNull();
  });

  it('reads a word with a trailing number (trace1, debug2)', () => {
    expect(normalizeLevel('trace1')).toBe('TRACE');
    expect(normalizeLevel('debug2')).toBe('DEBUG');
    expect(normalizeLevel('DEBUG5')).toBe('DEBUG');
    expect(normalizeLevel('info10')).toBe('INFO');
    expect(normalizeLevel('x1')).toBeNull();
    expect(normalizeLevel('42')).toBeNull();
  });

  it('rejects empty text, unknown words and Object.prototype names', () => {
    for (const w of [
      '',
      '   ',
      'LOG',
      'Note',
      'bogus',
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
    ]) {
      expect([w, normalizeLevel(w)]).toEqual([w, null]);
      expect([w, normalizeLevel(w, {})]).toEqual([w, null]);
    }
  });

  it('takes a format\'s extra words first (lower-cased), including "continuation"', () => {
    const pg = { log: 'INFO', detail: 'continuation', statement: 'continuation' } as const;
    expect(normalizeLevel('LOG', pg)).toBe('INFO');
    expect(normalizeLevel('DETAIL', pg)).toBe('continuation');
    expect(normalizeLevel('statement', pg)).toBe('continuation');
    expect(normalizeLevel('ERROR', pg)).toBe('ERROR');
    const redis = { '.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARN' } as const;
    expect(['.', '-', '*', '#'].map((c) => normalizeLevel(c, redis))).toEqual([
      'DEBUG',
      'DEBUG',
      'INFO',
      'WARN',
    ]);
    expect(normalizeLevel('*')).toBeNull();
    // an extra word overrides the built-in meaning
    expect(normalizeLevel('Error', { error: 'WARN' })).toBe('WARN');
  });
});

describe('levelFromSeverity (syslog PRI mod 8)', () => {
  it('maps severities 0–2 FATAL, 3 ERROR, 4 WARN, 5–6 INFO, 7 DEBUG', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromSeverity)).toEqual([
      'FATAL',
      'FATAL',
      'FATAL',
      'ERROR',
      'WARN',
      'INFO',
      'INFO',
      'DEBUG',
    ]);
    expect(levelFromSeverity(165)).toBe('INFO'); // local4.notice: 165 = 20·8 + 5
    expect(levelFromSeverity(34)).toBe('FATAL'); // auth.crit: 34 = 4·8 + 2
    expect(levelFromSeverity(86)).toBe('INFO'); // authpriv.info
    expect(levelFromSeverity(11)).toBe('ERROR'); // user.err
    expect(levelFromSeverity(191)).toBe('DEBUG');
  });

  it('rejects what is no PRI', () => {
    for (const n of [192, -1, 1.5, NaN, Infinity]) expect([n, levelFromSeverity(n)]).toEqual([n, null]);
  });
});

describe('levelFromStatus (access logs)', () => {
  it('5xx ERROR, 4xx WARN, else INFO', () => {
    expect([100, 200, 204, 301, 304, 399].map(levelFromStatus)).toEqual(new Array(6).fill('INFO'));
    expect([400, 401, 404, 499].map(levelFromStatus)).toEqual(new Array(4).fill('WARN'));
    expect([500, 502, 503, 599].map(levelFromStatus)).toEqual(new Array(4).fill('ERROR'));
  });
});

describe('guessLevel (a level at the start of an app line)', () => {
  it('reads level=…, "level":"…" and level: …', () => {
    expect(guessLevel('level=error msg="db down"')).toBe('ERROR');
    expect(guessLevel('ts=1 level=warn msg=x')).toBe('WARN');
    expect(guessLevel('{"level":"info","msg":"started"}')).toBe('INFO');
    expect(guessLevel('{"time":"x", "level" : "debug"}')).toBe('DEBUG');
    expect(guessLevel('level: fatal')).toBe('FATAL');
  });

  it('reads a marked level word among the first tokens: [WARN], ERROR:, ERROR, (error), <info>', () => {
    expect(guessLevel('[WARN] disk almost full')).toBe('WARN');
    expect(guessLevel('[warn] disk almost full')).toBe('WARN');
    expect(guessLevel('ERROR: boom')).toBe('ERROR');
    expect(guessLevel('ERROR failed to connect to redis')).toBe('ERROR');
    expect(guessLevel('(error) something')).toBe('ERROR');
    expect(guessLevel('<info> ok')).toBe('INFO');
    expect(guessLevel('12:00:01 [main] WARNING low memory')).toBe('WARN');
    // a level= that names no level falls back to the words
    expect(guessLevel('level=bogus ERROR x')).toBe('ERROR');
  });

  it('does not take lowercase prose for a level', () => {
    expect(guessLevel('an error occurred')).toBeNull();
    expect(guessLevel('error while reading the config')).toBeNull();
    expect(guessLevel('Error while appending records')).toBeNull();
    expect(guessLevel('the info you asked for')).toBeNull();
    expect(guessLevel('the level is high')).toBeNull();
    expect(guessLevel('Server listening on :8080')).toBeNull();
    expect(guessLevel('')).toBeNull();
    // only the first six tokens count
    expect(guessLevel('a b c d e f ERROR')).toBeNull();
    // nor do short or unknown marked words
    expect(guessLevel('[OK] done')).toBeNull();
    expect(guessLevel('[CONSTRUCTOR] x')).toBeNull();
  });
});

describe('regexFormat', () => {
  const base = spec({
    variants: [
      {
        regex: String.raw`^(?<time>\S+ \S+) (?<level>\w+) \[(?<thread>[^\]]*)\](?: user=(?<user>\w+))? (?:(?<service>[\w.-]+): )?(?<message>.*)$`,
        time: 'YYYY-MM-DD HH:mm:ss',
      },
    ],
  });
  const f = regexFormat(base);

  it('copies id, name, specificity and samples, and is not relative by default', () => {
    const g = regexFormat(spec({ samples: ['a', 'b'], specificity: 42, id: 'x', name: 'X' }));
    expect([g.id, g.name, g.specificity, g.samples, g.relative]).toEqual(['x', 'X', 42, ['a', 'b'], false]);
    expect(regexFormat(spec({ relative: true })).relative).toBe(true);
  });

  it('fills time, level, service, message; every other named group becomes a field', () => {
    expect(parse(f, '2024-01-15 10:30:45 INFO [main] user=ann com.shop.Api: order placed  ')).toEqual(
      draft({
        time: T,
        level: 'INFO',
        service: 'com.shop.Api',
        message: 'order placed',
        fields: { thread: 'main', user: 'ann' },
      }),
    );
    // groups that did not take part in the match are left out; no service: null (the builder names the file)
    expect(parse(f, '2024-01-15 10:30:45 warning [] hello')).toEqual(
      draft({ time: T, level: 'WARN', message: 'hello', fields: { thread: '' } }),
    );
    // a level group that names no level leaves the level null, the line still parses
    expect(parse(f, '2024-01-15 10:30:45 BOGUS [t] hi')).toEqual(
      draft({ time: T, message: 'hi', fields: { thread: 't' } }),
    );
    expect(parse(f, 'no match at all')).toBeNull();
  });

  it('rejects a line whose time does not read, and a line whose level is a "continuation" word', () => {
    expect(parse(f, '2024-0X-15 10:30:45 INFO [main] no time')).toBeNull();
    // a time of the pattern's shape with impossible values: the line is the format's, without a time
    expect(parse(f, '2024-02-30 10:30:45 INFO [main] bad day')).toEqual(
      draft({
        level: 'INFO',
        message: 'bad day',
        fields: { thread: 'main' },
        badTime: '2024-02-30 10:30:45',
      }),
    );
    const pg = regexFormat(
      spec({
        variants: [{ regex: String.raw`^(?<time>\S+ \S+) (?<level>[A-Z]+): +(?<message>.*)$`, time: 'iso' }],
        levels: { log: 'INFO', detail: 'continuation' },
      }),
    );
    expect(parse(pg, '2024-01-15 10:30:45 LOG:  ready')).toEqual(
      draft({ time: T, level: 'INFO', message: 'ready' }),
    );
    expect(parse(pg, '2024-01-15 10:30:45 DETAIL:  more about it')).toBeNull();
  });

  it('leaves time null for "-" or an empty time group; service "-" or "" is no service', () => {
    const g = regexFormat(
      spec({
        variants: [
          {
            regex: String.raw`^(?<time>[^|]*)\|(?<service>[^|]*)\|(?<message>.*)$`,
            time: 'YYYY-MM-DD HH:mm:ss',
          },
        ],
      }),
    );
    expect(parse(g, '-|-|a')).toEqual(draft({ message: 'a' }));
    expect(parse(g, '||b')).toEqual(draft({ message: 'b' }));
    expect(parse(g, '2024-01-15 10:30:45|api|c')).toEqual(draft({ time: T, service: 'api', message: 'c' }));
    expect(parse(g, 'soon|api|d')).toBeNull();
  });

  it('takes the level from pri (syslog), else keeps status as a field and reads its level', () => {
    const sys = regexFormat(
      spec({ variants: [{ regex: String.raw`^<(?<pri>\d+)>(?<message>.*)$`, time: 'iso' }] }),
    );
    expect(parse(sys, '<11>disk failed')).toEqual(draft({ level: 'ERROR', message: 'disk failed' }));
    expect(parse(sys, '<999>odd')).toEqual(draft({ message: 'odd' }));
    const web = regexFormat(
      spec({ variants: [{ regex: String.raw`^(?<status>\d{3}) (?<message>.*)$`, time: 'iso' }] }),
    );
    expect(parse(web, '503 GET /x')).toEqual(
      draft({ level: 'ERROR', message: 'GET /x', fields: { status: '503', method: 'GET', path: '/x' } }),
    );
    expect(parse(web, '404 GET /y')).toEqual(
      draft({ level: 'WARN', message: 'GET /y', fields: { status: '404', method: 'GET', path: '/y' } }),
    );
    expect(parse(web, '200 GET /z')).toEqual(
      draft({ level: 'INFO', message: 'GET /z', fields: { status: '200', method: 'GET', path: '/z' } }),
    );
  });

  it('guesses the level from the message when asked and there is no level group', () => {
    const variants = [{ regex: String.raw`^(?<time>\S+) (?<message>.*)$`, time: 'iso' }];
    const guess = regexFormat(spec({ variants, guessLevel: true }));
    const plain = regexFormat(spec({ variants }));
    expect(parse(guess, '2024-01-15T10:30:45Z ERROR boom')?.level).toBe('ERROR');
    expect(parse(guess, '2024-01-15T10:30:45Z an error occurred')?.level).toBeNull();
    expect(parse(plain, '2024-01-15T10:30:45Z ERROR boom')?.level).toBeNull();
  });

  it('sets partial for a "P" partial group only', () => {
    const cri = regexFormat(
      spec({
        variants: [
          { regex: String.raw`^(?<time>\S+) (?<stream>\w+) (?<partial>[PF]) ?(?<message>.*)$`, time: 'iso' },
        ],
      }),
    );
    expect(parse(cri, '2024-01-15T10:30:45Z stdout P first part')).toEqual(
      draft({ time: T, message: 'first part', fields: { stream: 'stdout' }, partial: true }),
    );
    expect(parse(cri, '2024-01-15T10:30:45Z stdout F last part')).toEqual(
      draft({ time: T, message: 'last part', fields: { stream: 'stdout' }, partial: false }),
    );
    expect(parse(f, '2024-01-15 10:30:45 INFO [main] x')?.partial).toBe(false);
  });

  it('tries variants and their time patterns in order', () => {
    const g = regexFormat(
      spec({
        variants: [
          { regex: String.raw`^A (?<time>.+?) - (?<message>.*)$`, time: ['MMM DD HH:mm:ss', 'iso'] },
          { regex: String.raw`^(?:A )?(?<time>\d{6} \d{6}) (?<message>.*)$`, time: 'YYMMDD HHmmss' },
        ],
      }),
    );
    expect(parse(g, 'A Jan 15 10:30:45 - syslog time')).toEqual(
      draft({ time: Date.UTC(2024, 0, 15, 10, 30, 45), message: 'syslog time' }),
    );
    expect(parse(g, 'A 2024-01-15T10:30:45Z - iso time')).toEqual(draft({ time: T, message: 'iso time' }));
    // the first variant matches but its time does not read: the second variant is tried
    expect(parse(g, 'A 240115 103045 - compact')).toEqual(draft({ time: T, message: '- compact' }));
    expect(parse(g, '240115 103045 compact')).toEqual(draft({ time: T, message: 'compact' }));
  });
});
