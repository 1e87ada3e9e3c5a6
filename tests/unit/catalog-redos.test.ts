import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SPECS, TWO_STEP } from '../../src/engine/formats/catalog.ts';
import { FORMATS } from '../../src/engine/formats/index.ts';
import { SHAPES, findTimestamp } from '../../src/engine/formats/generic.ts';
import { EPOCH_DIGITS } from '../../src/engine/formats/fields.ts';
import { normalizeLevel, regexFormat, type RegexFormatSpec } from '../../src/engine/formats/regex-format.ts';
import type { LineFormat, RecordDraft } from '../../src/engine/formats/types.ts';
import { lineInfo, utcContext, utf8 } from './helpers.ts';

/**
 * The catalog's regexes run on every line of any file, up to 1 MiB a line: one with polynomial backtracking is
 * a denial of service by log file. recheck's automaton checker (a proof, not a fuzzer) must call each linear.
 */

type Check = (
  source: string,
  flags: string,
  params: { checker: 'automaton'; timeout: number },
) => { status: string; checker?: string; complexity?: { type: string } };
let checkSync: Check;
beforeAll(async () => {
  // the pure-JS backend: no JVM or native binary, the same answer everywhere
  process.env.RECHECK_BACKEND = 'pure';
  checkSync = (await import('recheck')).checkSync as Check;
});

const PER_LINE: [string, string, string][] = [
  ...SPECS.flatMap((s) =>
    s.variants.map((v, i): [string, string, string] => [`${s.id} #${i}`, v.regex, v.flags ?? '']),
  ),
  ...TWO_STEP.flatMap((s): [string, string, string][] => [
    [`${s.id} head`, s.head.source, s.head.flags],
    [`${s.id} rest`, s.rest.source, s.rest.flags],
  ]),
  ...SHAPES.map((re, i): [string, string, string] => [`generic shape #${i}`, re.source, re.flags]),
  ['JSON/logfmt EPOCH_DIGITS', EPOCH_DIGITS.source, EPOCH_DIGITS.flags],
];

describe('every regex that runs per line on log text is proven linear by recheck', () => {
  it.each(PER_LINE)(
    '%s',
    (_id, source, flags) => {
      const r = checkSync(source, flags, { checker: 'automaton', timeout: 60_000 });
      expect({ status: r.status, checker: r.checker }).toEqual({ status: 'safe', checker: 'automaton' });
      // 'safe' complexity: no unbounded repetition at all, even better than linear
      expect(['linear', 'safe'], source).toContain(r.complexity?.type);
    },
    90_000,
  );
});

/**
 * The sources before the fix: recheck 4.5 called the first eight polynomial and timed out on apache-error;
 * syslog-3164 (unchanged, linear) is compared too, as a control of the comparison itself.
 */
const OLD: Record<string, string> = {
  'syslog-5424': String.raw`^<(?<pri>\d{1,3})>1 (?<time>\S+) (?<host>\S+) (?<service>\S+) (?<procid>\S+) (?<msgid>\S+) (?<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?<message>.*)$`,
  'access-log': String.raw`^(?<client>\S+) (?<ident>\S+) (?<user>\S+) \[(?<time>[^\]]+)\] "(?<message>(?:[^"\\]|\\.)*)" (?<status>\d{3}) (?<bytes>\d+|-)(?: "(?<referer>(?:[^"\\]|\\.)*)" "(?<agent>(?:[^"\\]|\\.)*)")?.*$`,
  'spring-boot': String.raw`^(?<time>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) +(?<level>[A-Z]+) +(?<pid>\d+) --- (?:\[(?<app>[^\]]*)\] )?\[ *(?<thread>[^\]]*)\] (?<service>\S+) *: (?<message>.*)$`,
  zookeeper: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - (?<level>[A-Z]+) +\[(?<thread>.*):(?<service>[\w$]+)@(?<srcline>\d+)\] - (?<message>.*)$`,
  logcat: String.raw`^(?<time>\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) +(?<pid>\d+) +(?<tid>\d+) (?<level>[VDIWEFA]) (?<service>[^:]*?) *: (?<message>.*)$`,
  postgresql: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Z]{2,5}| [+-]\d\d(?::?\d\d)?)?) \[(?<pid>\d+)\](?:[:-] ?(?:\[\d+-\d+\] )?)? ?(?:(?<user>[\w.\[\]-]*)@(?<db>[\w.\[\]-]*) )?(?<level>LOG|DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION): +(?<message>.*)$`,
  'windows-cbs': String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (?<level>[A-Za-z]+) +(?<service>[A-Za-z]+) +(?<message>.*)$`,
  epoch: String.raw`^\[?(?<time>\d{10}(?:\.\d{1,9})?|\d{13}(?:\.\d+)?|\d{16}|\d{19})\]?[ \t]+(?:\[?(?<level>trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|severe)\]?:?[ \t]+)?(?<message>.*)$`,
  'syslog-3164': String.raw`^(?:<(?<pri>\d{1,3})>)?(?<time>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?<host>[^\s:]+) (?<service>[^\s:\[]+)(?:\[(?<pid>\d+)\])?: ?(?<message>.*)$`,
  'apache-error': String.raw`^\[(?<time>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4})\] \[(?:(?<service>[\w-]*):)?(?<level>\w+)\](?: \[pid (?<pid>\d+)(?::tid (?<tid>\d+))?\])?(?: \[client (?<client>[^\]]+)\])? ?(?<message>.*)$`,
};

/**
 * The attack strings recheck's checkSync reported on the old sources (prefix + pump × n + suffix): each made
 * the old regex retry O(n²) times. The `\n` suffixes stand for any character `.` refuses (CR, U+2028).
 */
const ATTACKS: Record<string, { prefix: string; pump: string; n: number; suffix: string }> = {
  'syslog-5424': { prefix: '<1>1 < 0 0 ] \\ []', pump: '[]', n: 38730, suffix: '\n' },
  'access-log': { prefix: '\\ \\ ] ["] "" 000 0', pump: '0', n: 54773, suffix: '\n' },
  'spring-boot': { prefix: '0000-00-00 00:00:00 Z 0 --- [', pump: ' ', n: 54773, suffix: '' },
  zookeeper: { prefix: '0000-00-00 00:00:00,000 - A [', pump: ':A@0] - ', n: 19365, suffix: '\n' },
  logcat: { prefix: '00-00 00:00:00.000 0 0 A ', pump: ' ', n: 54773, suffix: ' ' },
  postgresql: { prefix: '0011-00-00 11:10:11 [1]LOG: ', pump: ' ', n: 54773, suffix: '\n' },
  'windows-cbs': { prefix: '0000-00-00 00:00:00, A A ', pump: ' ', n: 54773, suffix: '\n' },
  epoch: { prefix: '0000000000\tERR\t', pump: '\t', n: 54773, suffix: '\n' },
};

const attack = (id: string, n?: number): string => {
  const a = ATTACKS[id]!;
  return a.prefix + a.pump.repeat(n ?? a.n) + a.suffix;
};

/** The new regex's groups on a line: one regex, or a two-step format's head then sticky rest. */
function groups(id: string, line: string): Record<string, string | undefined> | null {
  const two = TWO_STEP.find((s) => s.id === id);
  if (two !== undefined) {
    const h = two.head.exec(line);
    if (h === null) return null;
    two.rest.lastIndex = h[0].length;
    const r = two.rest.exec(line);
    return r === null ? null : { ...h.groups, ...r.groups };
  }
  const v = SPECS.find((s) => s.id === id)!.variants[0]!;
  const m = new RegExp(v.regex, v.flags ?? '').exec(line);
  return m === null ? null : { ...m.groups };
}

describe('the attacks recheck found on the old regexes, against the new ones', () => {
  it('are refused where the old regex would have failed only after O(n²) retries', () => {
    for (const id of ['spring-boot', 'logcat', 'postgresql', 'windows-cbs', 'epoch']) {
      expect(groups(id, attack(id)), id).toBeNull();
      // on a short pump the old regex still answers: the same refusal
      expect(new RegExp(OLD[id]!, id === 'epoch' ? 'i' : '').exec(attack(id, 8)), id).toBeNull();
    }
  });

  it('access-log: the status line is read, whatever follows it (the old `.*$` refused a line with a CR in its tail)', () => {
    const g = groups('access-log', attack('access-log'))!;
    expect({ ...g, bytes: g.bytes!.length }).toEqual({
      client: '\\',
      ident: '\\',
      user: ']',
      time: '"',
      message: '',
      status: '000',
      bytes: 54774,
      referer: undefined,
      agent: undefined,
    });
  });

  it('zookeeper: the thread runs to the last ":Service@line] - ", the message keeps the rest', () => {
    const g = groups('zookeeper', attack('zookeeper'))!;
    expect({ ...g, thread: g.thread!.length }).toEqual({
      time: '0000-00-00 00:00:00,000',
      level: 'A',
      thread: 8 * 19364,
      service: 'A',
      srcline: '0',
      message: '\n',
    });
  });

  it('syslog-5424: the head takes the five words, the rest every [..] element and the message', () => {
    expect(groups('syslog-5424', attack('syslog-5424'))).toEqual({
      pri: '1',
      time: '<',
      host: '0',
      service: '0',
      procid: ']',
      msgid: '\\',
      sd: '[]'.repeat(38731),
      message: '\n',
    });
  });
});

// ---- behaviour kept: the old and the new parse give the same record on real and random lines ----

const DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
function goldenLines(format: string): string[] {
  const lines: string[] = [];
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.expected.json'))) {
    const e = JSON.parse(readFileSync(DIR + f, 'utf8')) as { file: string; format: string };
    if (e.format !== format) continue;
    for (const l of readFileSync(DIR + e.file, 'utf8').split('\n')) lines.push(l.replace(/\r$/, ''));
  }
  return lines;
}

function oldFormat(id: string): LineFormat {
  const two = TWO_STEP.find((s) => s.id === id);
  const base: RegexFormatSpec = SPECS.find((s) => s.id === id) ?? {
    ...two!,
    variants: [{ regex: '', time: two!.time }],
  };
  const flags = id === 'epoch' ? 'i' : '';
  return regexFormat({ ...base, variants: [{ ...base.variants[0]!, regex: OLD[id]!, flags }] });
}

function parse(f: LineFormat, line: string): RecordDraft | null {
  const bytes = utf8(line);
  const out: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  return f.parse(bytes, 0, bytes.length, lineInfo(bytes.length), out, utcContext())
    ? out
    : out.continues
      ? out
      : null;
}

/** Lines written for the edges each rewrite touches: blanks, empty pieces, brackets, colons. */
const EDGES: Record<string, string[]> = {
  'syslog-5424': [
    '<13>1 2024-01-15T10:30:45Z h a p m [x a="1"][y b="]\\"2"] msg',
    '<13>1 2024-01-15T10:30:45Z h a p m [x][y]msg [z] tail',
    '<13>1 2024-01-15T10:30:45Z h a p m -- two dashes',
    '<13>1 - h - p m -',
    '<13>1 2024-01-15T10:30:45Z h a p m [unclosed a="1" msg',
    '<13>1 2024-01-15T10:30:45Z h a p m  [x] double space',
  ],
  'access-log': [
    '1.2.3.4 - - [15/Jan/2024:10:30:45 +0000] "GET / HTTP/1.1" 200 12345678 "r" "a" trailing',
    '1.2.3.4 - - [15/Jan/2024:10:30:45 +0000] "GET / HTTP/1.1" 200 -42',
    '1.2.3.4 - - [15/Jan/2024:10:30:45 +0000] "GET \\" HTTP/1.1" 200 1 "r"',
  ],
  'spring-boot': [
    '2024-01-15 10:30:45.123  INFO 1 --- [ ] a.B : empty thread',
    '2024-01-15 10:30:45.123  INFO 1 --- [   x y ] a.B :   spaced',
    '2024-01-15 10:30:45.123  INFO 1 --- [app] [main] a.B: no space before colon',
    '2024-01-15 10:30:45.123  INFO 1 --- [] a:b:c : colons',
  ],
  zookeeper: [
    '2015-07-29 17:41:44,747 - INFO  [a:B@1] - x [c:D@2] - y',
    '2015-07-29 17:41:44,747 - INFO  [:B@1] - ',
    '2015-07-29 17:41:44,747 - INFO  [a:b:c:Svc$In@12] - nested',
  ],
  logcat: [
    '03-17 16:13:38.811  1702  2395 D   Lead  Spaces  : m',
    '03-17 16:13:38.811  1702  2395 D : empty tag',
    '03-17 16:13:38.811  1702  2395 D Tag:no space after colon: then one',
    '03-17 16:13:38.811  1702  2395 D Tag  :  two spaces',
    '03-17 16:13:38.811  1702  2395 D      : only spaces',
  ],
  postgresql: [
    '2024-01-15 10:30:45 UTC [1] LOG:      many spaces',
    '2024-01-15 10:30:45 UTC [1] LOG: ',
    '2024-01-15 10:30:45 UTC [1]: [3-1] u@d DETAIL:  key',
    '2024-01-15 10:30:45 UTC [1] [unknown]@[unknown] ERROR:  x',
  ],
  'windows-cbs': [
    '2016-09-28 04:30:30, Info   CBS',
    '2016-09-28 04:30:30, Info   CBS   ',
    '2016-09-28 04:30:30, Info CBS \t tab then text',
  ],
  epoch: [
    '1705314645 warning: disk',
    '1705314645\t[ERR]:\t\tx',
    '1705314645 info',
    '1705314645 info ',
    '[1705314645123] CRITICAL   boom',
    '1705314645  \t ',
  ],
  'syslog-3164': [
    'Jun  1 09:00:55 host svc: m',
    '<13>2024-01-15T10:30:45.1+01:00 h s[12]:no space',
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]:',
    'Jun 14 15:16:01 combo a:b: c',
    'Jun 14 15:16:01  combo svc: double space',
  ],
  'apache-error': [
    '[Sun Dec 04 04:47:44 2005] [error]',
    '[Sun Dec 04 04:47:44 2005] [mod-x:warn] [pid 1] [client 1.2.3.4:5]  two spaces',
    '[Sun Dec 04 04:47:44 2005] [error] [pid 1:tid 2]x',
  ],
};

/** Pieces random lines are made of: each format's punctuation, words and blanks. */
const PIECES = [
  ' ',
  '  ',
  '\t',
  ':',
  ': ',
  '[',
  ']',
  '] ',
  '-',
  ' - ',
  '@',
  '\\',
  '"',
  '" ',
  'a',
  'Tag',
  'INFO',
  'LOG',
  '0',
  '12',
  'x=1',
  '[pid 1]',
  'warn',
  '.',
];

describe('behaviour kept: the new regexes parse every line as the old ones did', () => {
  for (const id of Object.keys(OLD)) {
    const before = oldFormat(id);
    const after = FORMATS.find((f) => f.id === id)!;

    it(`${id}: its samples, its golden fixtures and lines written for its edges`, () => {
      const lines = [...after.samples, ...goldenLines(id), ...EDGES[id]!];
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect(parse(after, line), line).toEqual(parse(before, line));
    });

    it(`${id}: random lines made from its samples and punctuation (seeded)`, () => {
      const line = fc
        .tuple(
          fc.constantFrom(...after.samples),
          fc.nat(),
          fc.nat(),
          fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }),
        )
        .map(([s, a, b, ins]) => {
          const i = a % (s.length + 1);
          return s.slice(0, i) + ins.join('') + s.slice(Math.min(s.length, i + (b % 8)));
        });
      fc.assert(
        fc.property(line, (l) => {
          expect(parse(after, l)).toEqual(parse(before, l));
        }),
        { seed: 8, numRuns: 600 },
      );
    });
  }

  it('a lone CR inside a line: the old `.*$` refused the line, the new keep it in the message', () => {
    const line = '2015-07-29 17:41:44,747 - WARN  [main:Q@1] - half\rhalf';
    expect(parse(oldFormat('zookeeper'), line)).toBeNull();
    expect(
      parse(
        FORMATS.find((f) => f.id === 'zookeeper')!,
        line,
      )?.message,
    ).toBe('half\rhalf');
  });
});

describe('generic: a sticky regex tried at each possible start finds what the unanchored search found', () => {
  // the search before: one unanchored alternation of the shapes, its match refused after character 40
  const before = new RegExp(SHAPES.map((re) => re.source).join('|'));
  const find = (s: string) => {
    const m = before.exec(s);
    return m === null || m.index > 40 ? null : { index: m.index, text: m[0], groups: { ...m.groups } };
  };
  const now = (s: string) => {
    const m = findTimestamp(s);
    return m === null ? null : { index: m.index, text: m[0], groups: { ...m.groups } };
  };

  it('on written lines: near the start, at character 40 and 41, two candidates, epoch word edges', () => {
    const lines = [
      'app[42] 2024-01-15 10:30:45 WARNING disk usage at 91%',
      `${'x'.repeat(40)}2024-01-15 10:30:45 INFO at 40`,
      `${'x'.repeat(41)}2024-01-15 10:30:45 INFO at 41`,
      'Jan 15 10:30:45 then 2024-01-15 10:30:45',
      'id12345678901 1705314645 INFO',
      '17053146451 1705314645123 x',
      '>> 15/Jan/2024:10:30:45 +0000 | error',
      '01/15/2024 10:30:45.120 WARN',
      'nothing here at all',
    ];
    for (const l of lines) expect(now(l), l).toEqual(find(l));
    expect(now(lines[1]!)?.index).toBe(40);
    expect(now(lines[2]!)).toBeNull();
  });

  it('on random lines of digits, capitals and separators (seeded)', () => {
    const bits = [
      '2024-01-15',
      ' ',
      'T',
      '10:30:45',
      '.123',
      'Z',
      '+01:00',
      '/',
      'Jan',
      ' 5',
      '1705314645',
      '123',
      'x',
      ':',
      '-',
      'A',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...bits), { maxLength: 24 }), (parts) => {
        const l = parts.join('');
        expect(now(l)).toEqual(find(l));
      }),
      { seed: 8, numRuns: 2000 },
    );
  });
});

describe('trimming and level words without a backtracking regex', () => {
  it('a message with 200,000 blanks inside keeps them; trailing blanks still go', () => {
    const f = FORMATS.find((x) => x.id === 'windows-cbs')!;
    const inner = ' '.repeat(200_000);
    const d = parse(f, `2016-09-28 04:30:30, Info CBS a${inner}b \t `)!;
    expect(d.message).toBe(`a${inner}b`);
  });

  it('a level word of 100,000 digits then a letter is no level; "debug2" is DEBUG', () => {
    expect(normalizeLevel('1'.repeat(100_000) + 'x')).toBeNull();
    expect(normalizeLevel('debug2')).toBe('DEBUG');
    expect(normalizeLevel('warn10')).toBe('WARN');
  });
});
