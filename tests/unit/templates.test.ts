import { describe, it, expect, beforeAll } from 'vitest';
import {
  DEFAULT_TEMPLATE_PARAMS,
  SPARK_BUCKETS,
  TemplateMiner,
  maskHash,
  maskHashBytes,
  maskMessage,
  type TemplateInfo,
  type TemplateParams,
  type TemplatesSnapshot,
} from '../../src/engine/analyzers/templates.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import { ViewTemplates } from '../../src/engine/query/view-templates.ts';
import { LEVELS, type Level, type LogRecord } from '../../src/engine/types.ts';
import { rec, rng, sampleText, utf8 } from './helpers.ts';

const IS_ERROR = errorMask(['ERROR', 'FATAL']);
const T0 = Date.UTC(2025, 2, 14);

function miner(params: Partial<TemplateParams> = {}): TemplateMiner {
  return new TemplateMiner({ ...DEFAULT_TEMPLATE_PARAMS, ...params }, IS_ERROR);
}

function msg(message: string, time: number | null = T0, level: Level | null = 'INFO'): LogRecord {
  return rec(time, level, null, { message });
}

/** Mines the messages (one second apart) and returns the miner and the id each got. */
function mine(messages: readonly string[], params: Partial<TemplateParams> = {}): [TemplateMiner, number[]] {
  const m = miner(params);
  const ids = messages.map((s, i) => m.add(msg(s, T0 + i * 1000)));
  return [m, ids];
}

function templatesOf(messages: readonly string[]): string[] {
  return mine(messages)[0]
    .snapshot()
    .templates.map((t) => t.template)
    .sort();
}

/** The sample's records, parsed from `<ISO time> <LEVEL> <service> <message>` lines (continuations skipped). */
function sampleRecords(bytes: number, seed: number): LogRecord[] {
  const { text } = sampleText({ bytes, seed });
  const out: LogRecord[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    const m = /^(\d{4}-\S+) ([A-Z]+) (\S+) (.*)$/.exec(l);
    if (m === null) continue;
    const level = m[2] as Level;
    expect(LEVELS).toContain(level);
    out.push(rec(Date.parse(m[1]!), level, m[3]!, { message: m[4]!, line, lineEnd: line }));
  }
  return out;
}

/** Template text → everything but the (miner-local) id. */
function byTemplate(s: TemplatesSnapshot): Map<string, Omit<TemplateInfo, 'id'>> {
  const out = new Map<string, Omit<TemplateInfo, 'id'>>();
  for (const { id: _id, ...rest } of s.templates) {
    expect(out.has(rest.template)).toBe(false);
    out.set(rest.template, rest);
  }
  return out;
}

describe('masking', () => {
  it.each([
    ['Timeout calling db after 3000ms', 'Timeout calling db after <*>'],
    ['User 42 logged in from 10.1.2.3', 'User <*> logged in from <*>'],
    ['conn 192.168.0.1:8080 closed, -5 +3.2 1.5e-3 7.', 'conn <*> closed, <*> <*> <*> <*>.'],
    ['peer fe80::1ff:fe23:4567:890a and [2001:db8::1]:443', 'peer <*> and <*>'],
    ['job 123e4567-e89b-12d3-a456-426614174000 done', 'job <*> done'],
    ['ptr 0x7FFEE3B4 session 1f2e3d4c5b6a7980', 'ptr <*> session <*>'],
    ['words deadbeef DeadBeef12 stay', 'words deadbeef DeadBeef12 stay'],
    ['read /var/log/app.log C:\\logs\\a.txt https://x.io/a?b=1 a/b/c', 'read <*> <*> <*> <*>'],
    ['and/or stays', 'and/or stays'],
    ['took 12ms 3.5s 250µs 2m30s 1h 10MB', 'took <*> <*> <*> <*> <*> <*>'],
    ['at 2025-03-14T10:00:00.123Z 12:30:45 version 2.14.3', 'at <*> <*> version <*>'],
    [
      'hit key=user:123 ttl=30s template=order_confirmation path=/tmp/x id="42",',
      'hit key=<*> ttl=<*> template=order_confirmation path=<*> id="<*>",',
    ],
    ['at OrderService.java:42) rate 85% (12) #99', 'at OrderService.java:<*>) rate <*>% (<*>) #<*>'],
    ['digits in words v0 order_12 SKU-1234 3rd', 'digits in words v0 order_12 SKU-1234 3rd'],
    ['  spaces   and\ttabs  ', 'spaces and tabs'],
    // a size unit after a number is part of it; a bound's unit goes with it: "<1 sec" is one variable
    ['sent 12 bytes (12.5 MB), free 3 KB, took 12 ms', 'sent <*> bytes (<*> <*>), free <*> <*>, took <*> ms'],
    ['lifetime <1 sec, then 00:01', 'lifetime <*> sec, then <*>'],
    ['lifetime <1 sec', 'lifetime <*>'],
    ['under <5 MB; <3 ms. <2 hours', 'under <*> <*>; <*> ms. <*> hours'],
    ['x 12, MB and 12 MBs', 'x <*>, MB and <*> MBs'],
    // a quoted word is a value; a quoted value of a key runs over spaces to its closing quote, as one variable
    ["Location icon should now be in state 'Active'", "Location icon should now be in state '<*>'"],
    ['acquire tag="View Lock", name=a.b, ws=null', 'acquire tag="<*>", name=a.b, ws=null'],
    ['k=\'a b c\' and k="x"y z', 'k=\'<*>\' and k="x"y z'],
    ['q="never closed at all', 'q="never closed at all'],
    // a key's boolean value: in the token, or the token after one that ends with `=`
    [
      'ready=true, mode=FALSE a= True, b = false; c:true to true',
      'ready=<*>, mode=<*> a= <*>, b = <*>; c:true to true',
    ],
    ['"GET /a/b HTTP/1.1" and "two words"', '"GET <*> HTTP/1.1" and "two words"'],
    ['', ''],
    [' \t ', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskMessage(input)).toBe(expected);
  });

  it('returns the message itself when nothing changes', () => {
    const s = 'Connection reset by peer';
    expect(maskMessage(s)).toBe(s);
  });
});

/** The shape hash by its definition: both lanes over every code unit of maskMessage's result. */
function shapeHash(s: string): number {
  const m = maskMessage(s);
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

describe('shape hash', () => {
  const PIECES = [
    'User',
    'logged',
    'in',
    'from',
    '10.1.2.3',
    '42',
    '-5',
    '+3.2',
    '1.5e-3',
    '7.',
    'key=user:123',
    'ttl=30s',
    'path=/tmp/x',
    'id="42",',
    '/var/log/a.log',
    'a/b/c',
    'C:\\x\\y',
    'https://x.io/a?b=1',
    '0x7FFEE3B4',
    '123e4567-e89b-12d3-a456-426614174000',
    'deadbeef12',
    'fe80::1ff:fe23',
    '[2001:db8::1]:443',
    '250µs',
    '2m30s',
    '3μs',
    'Pool.java:42)',
    '(12)',
    '85%',
    '<*>',
    'José',
    'Zoë',
    '北京',
    'Müller',
    '😀',
    'SKU-1234',
    'order_12',
    'v0',
    '2025-03-14T10:00:00.123Z',
    '12:30:45',
    'MB',
    'KB),',
    'tag="View',
    'Lock",',
    "'Active'",
    '"x"',
    "k='a",
    "b'",
    'ready=true,',
    'x=',
    'False;',
    'true',
    '"',
    "'",
    'id="4',
    'sec',
    'ms',
    '<1',
    '(<7',
    'x',
    ':',
    '=',
    '.',
    '-',
    '[',
    ']',
  ];
  const SPACES = [' ', ' ', ' ', '  ', '\t', ' \t ', '\r', '\u0001'];

  function randomMessage(random: () => number): string {
    let s = random() < 0.2 ? SPACES[Math.floor(random() * SPACES.length)]! : '';
    const n = Math.floor(random() * 12);
    for (let i = 0; i < n; i++) {
      if (i > 0) s += SPACES[Math.floor(random() * SPACES.length)]!;
      const a = PIECES[Math.floor(random() * PIECES.length)]!;
      // glue two pieces now and then: tokens the list does not hold
      s += random() < 0.2 ? a + PIECES[Math.floor(random() * PIECES.length)]! : a;
    }
    return random() < 0.2 ? s + ' ' : s;
  }

  it('mines messages with code units above U+00FF by their masked shape, and match() agrees', () => {
    const messages = [
      'user 北京 took 250μs',
      'user 北京 took 3µs',
      'user 北京 took 12ms',
      'user 😀 took 7μs',
    ];
    const [m, ids] = mine(messages);
    expect(ids.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(m.template(ids[0]!)).toBe('user 北京 took <*>');
    expect(m.template(ids[3]!)).toBe('user 😀 took <*>');
    for (const [i, s] of messages.entries()) expect(m.match(s)).toBe(ids[i]);
    expect(m.match('user 北京 took 99μs')).toBe(ids[0]);
  });

  it('maskHash (one pass) and maskHashBytes (ASCII bytes) equal the hash of the masked string', () => {
    const random = rng(7);
    const { text } = sampleText({ bytes: 200_000, seed: 3 });
    const messages = text.split('\n').map((l) => l.split(' ').slice(3).join(' '));
    for (let i = 0; i < 20_000; i++) messages.push(randomMessage(random));
    for (const m of messages) {
      const h = shapeHash(m);
      // a message with a code unit above U+00FF has no hash: its shape goes by the masked string alone
      expect(maskHash(m)).toBe(h);
      // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
      if (/^[\x00-\x7f]*$/.test(m)) {
        const b = utf8(`pad ${m} pad`);
        expect(maskHashBytes(b, 4, b.length - 4)).toBe(h);
      }
    }
  });
});

describe('plain words that vary', () => {
  it('a position that takes five different plain words becomes <*>, and the clusters it covers merge', () => {
    const users = ['admin', 'oracle', 'guest', 'test', 'backup', 'daniel'];
    const [m, ids] = mine(users.map((u) => `Invalid user ${u} from 10.0.0.${u.length}`));
    // four words: four templates; the fifth makes the position a variable, and the first four join it
    expect(ids).toEqual([1, 2, 3, 4, 1, 1]);
    expect(ids.map((id) => m.resolve(id))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(m.template(2)).toBe('Invalid user <*> from <*>');
    const s = m.snapshot();
    expect(s.templates.map((t) => [t.id, t.template, t.count])).toEqual([
      [1, 'Invalid user <*> from <*>', 6],
    ]);
    expect(s.total).toBe(1);
    expect(m.match('Invalid user oracle from 10.0.0.1')).toBe(1);
    expect(m.match('Invalid user zed from 10.0.0.1')).toBe(1);
    // a shape seen before the merge still counts where its records went
    expect(m.add(msg('Invalid user admin from 10.9.9.9'))).toBe(1);
  });

  it("a view's templates count a merged template's records under the template they went to", () => {
    const users = ['admin', 'oracle', 'guest', 'test', 'backup', 'daniel'];
    const m = miner();
    const view = new ViewTemplates();
    for (const [i, u] of users.entries()) {
      const r = msg(`Invalid user ${u} from 10.0.0.${i}`, T0 + i * 1000);
      view.push(r, m.add(r), IS_ERROR);
    }
    const s = view.snapshot(m, 5000);
    expect(s.templates.map((t) => [t.id, t.template, t.count])).toEqual([
      [1, 'Invalid user <*> from <*>', 6],
    ]);
    expect(s.templates[0]!.sparkline).toEqual(m.snapshot().templates[0]!.sparkline);
    // the view's own counts are not changed by the fold
    expect([...view.byId.values()].map((v) => v.count)).toEqual([3, 1, 1, 1]);
  });

  it('four constant words stay four templates', () => {
    const words = ['Started', 'Paused', 'Resumed', 'Stopped'];
    const messages = words.flatMap((w) => [1, 2, 3].map((k) => `[instance: ${k}] VM ${w} (Lifecycle Event)`));
    expect(templatesOf(messages)).toEqual(
      words.map((w) => `[instance: <*>] VM ${w} (Lifecycle Event)`).sort(),
    );
  });

  it("a key's boolean value is a variable: flags with two values share one template", () => {
    // the sixteen combinations of four flags, in a shuffled but fixed order
    const order = [2, 12, 5, 11, 0, 15, 9, 6, 3, 14, 8, 1, 13, 4, 10, 7];
    const bools = order.map((k) => [8, 4, 2, 1].map((bit) => (k & bit) !== 0));
    const messages = bools.map(
      ([a, b, c, d], i) =>
        `opening app token=${i} allDrawn= ${a}, startingDisplayed = ${b}, startingMoved = ${c}, isRelaunching = ${d}`,
    );
    expect(templatesOf(messages)).toEqual([
      'opening app token=<*> allDrawn= <*>, startingDisplayed = <*>, startingMoved = <*>, isRelaunching = <*>',
    ]);
    // the words of two templates change all at once: they stay apart, however many come
    const claims = ['Total disk: 15 GB, used: 2.5 GB', 'Total vcpu: 16 VCPU, used: 3 VCPU'];
    const other = ['memory limit: 96258 MB, free: 12 MB', 'Total memory: 64172 MB, used: 512 MB'];
    const all = [...claims, ...other].flatMap((m) => [1, 2].map((k) => `[instance: ${k}] ${m}`));
    expect(templatesOf(all)).toHaveLength(4);
  });

  it('a short message joins a template only when the join keeps as many constants as it makes <*>', () => {
    // 4 tokens, 2 equal: one of them a masked variable, so the join would make 2 variables and keep 1 constant
    const messages = [
      'ARPT: 620701.0: AirPort_Brcm43xx::syncPowerState: WWEN[enabled]',
      'ARPT: 620702.5: AirPort_Brcm43xx::platformWoWEnable: WWEN[disable]',
      'ARPT: 620703.1: AirPort_Brcm43xx::syncPowerState: WWEN[enabled]',
    ];
    const [m, ids] = mine(messages);
    expect(ids).toEqual([1, 2, 1]);
    expect(m.template(1)).toBe('ARPT: <*>: AirPort_Brcm43xx::syncPowerState: WWEN[enabled]');
    // ids that differ but keep more constants than they make variables still join (Drain's rule)
    expect(
      templatesOf(['Receiving block blk_1 of job_7 done', 'Receiving block blk_2 of job_9 done']),
    ).toEqual(['Receiving block <*> of <*> done']);
  });

  it('two positions vary (from A to B): both become <*>', () => {
    const states = ['NEW', 'SCHEDULED', 'RUNNING', 'KILLED', 'DONE', 'FAILED'];
    const messages = states.flatMap((a, i) =>
      states.map((b, j) => `task_${i}${j} Transitioned from ${a} to ${b}`),
    );
    expect(templatesOf(messages)).toEqual(['<*> Transitioned from <*> to <*>']);
  });

  it('two miners merged give the one pass templates and counts', () => {
    const users = ['admin', 'oracle', 'guest', 'test', 'backup', 'daniel', 'john', 'pi'];
    const messages = users.flatMap((u, i) => [
      `Failed password for ${u} from 10.0.0.${i} port ${1000 + i} ssh2`,
      `Accepted password for ${u} from 10.0.0.${i} port ${2000 + i} ssh2`,
    ]);
    const counts = (m: TemplateMiner): string[] =>
      m
        .snapshot()
        .templates.map((t) => `${t.count} ${t.template}`)
        .sort();
    const whole = counts(mine(messages)[0]);
    expect(whole).toEqual([
      '8 Accepted password for <*> from <*> port <*> ssh2',
      '8 Failed password for <*> from <*> port <*> ssh2',
    ]);
    for (const cut of [3, 5, 8, 11]) {
      const [a] = mine(messages.slice(0, cut));
      const [b] = mine(messages.slice(cut));
      a.merge(b);
      expect(counts(a)).toEqual(whole);
    }
  });
});

describe('templates', () => {
  it('messages that differ only in variable parts share a template', () => {
    const groups: [string[], string][] = [
      [
        ['Timeout calling db after 3000ms', 'Timeout calling db after 5000ms'],
        'Timeout calling db after <*>',
      ],
      [
        ['User 42 logged in from 10.1.2.3', 'User 7 logged in from 192.168.0.1'],
        'User <*> logged in from <*>',
      ],
      [
        [
          'Job 123e4567-e89b-12d3-a456-426614174000 finished',
          'Job 9f8e7d6c-5b4a-3210-fedc-ba9876543210 finished',
        ],
        'Job <*> finished',
      ],
      [['Freed block at 0x7ffee3b4', 'Freed block at 0xDEADBEEF'], 'Freed block at <*>'],
      [['Session 1f2e3d4c5b6a7980 renewed', 'Session a1b2c3d4e5f60718 renewed'], 'Session <*> renewed'],
      [['Reading /var/log/app.log', 'Reading /etc/hosts', 'Reading C:\\logs\\app.txt'], 'Reading <*>'],
      [['Done in 12ms', 'Done in 3.5s', 'Done in 250µs', 'Done in 2m30s', 'Done in 1h'], 'Done in <*>'],
      [
        ['Cache hit key=user:123 ttl=30s mode=lru', 'Cache hit key=user:9 ttl=600s mode=lru'],
        'Cache hit key=<*> ttl=<*> mode=lru',
      ],
      // no masking: Drain finds the variable word
      [
        ['Outgoing call to api-gateway took 5ms', 'Outgoing call to auth-service took 7ms'],
        'Outgoing call to <*> took <*>',
      ],
      [
        ['Rendering template order_12 failed', 'Rendering template order_7 failed'],
        'Rendering template <*> failed',
      ],
    ];
    for (const [messages, template] of groups) {
      const [m, ids] = mine(messages);
      expect([messages, new Set(ids).size]).toEqual([messages, 1]);
      expect(m.template(ids[0]!)).toBe(template);
      const s = m.snapshot();
      expect(s.total).toBe(1);
      expect(s.templates[0]).toMatchObject({ id: ids[0], template, count: messages.length });
    }
  });

  it('different constant words do not share a template', () => {
    expect(templatesOf(['Connection pool exhausted', 'Connection reset by peer'])).toEqual([
      'Connection pool exhausted',
      'Connection reset by peer',
    ]);
    // the method is a constant word (the first token indexes the tree): GET and POST stay apart
    expect(templatesOf(['GET /v1/orders 200', 'POST /v1/orders 201', 'GET /v1/cart 404'])).toEqual([
      'GET <*> <*>',
      'POST <*> <*>',
    ]);
    // same first word and length, but too little in common (1/4 < 0.4)
    expect(templatesOf(['Cache hit for user', 'Cache eviction ran twice'])).toEqual([
      'Cache eviction ran twice',
      'Cache hit for user',
    ]);
    // two-word messages with the same first word are half equal (≥ 0.4), which Drain alone would merge, but
    // started/stopped are plain words: different constants, so two templates
    expect(templatesOf(['Server started', 'Server stopped', 'started'])).toEqual([
      'Server started',
      'Server stopped',
      'started',
    ]);
    // names (a dash, dot, underscore or digit) are not plain words: half equal is still enough to merge them
    expect(templatesOf(['Server api-gateway', 'Server auth-service'])).toEqual(['Server <*>']);
  });

  it('"login succeeded" and "login failed" are two templates (4 of 5 equal, but a constant word differs)', () => {
    const [m, ids] = mine(['login succeeded for user 42', 'login failed for user 7']);
    expect(ids).toEqual([1, 2]);
    expect(m.template(1)).toBe('login succeeded for user <*>');
    expect(m.template(2)).toBe('login failed for user <*>');
    expect(m.match('login failed for user 99')).toBe(2);
    expect(m.match('login succeeded for user 99')).toBe(1);
    expect(m.match('login expired for user 99')).toBe(0);
  });

  it('names that differ (api-gateway, auth-service) still share a template', () => {
    const [m, ids] = mine([
      'Outgoing call to api-gateway took 5ms',
      'Outgoing call to auth-service took 7ms',
    ]);
    expect(ids).toEqual([1, 1]);
    expect(m.template(1)).toBe('Outgoing call to <*> took <*>');
    expect(m.snapshot().templates.map((t) => [t.template, t.count])).toEqual([
      ['Outgoing call to <*> took <*>', 2],
    ]);
    expect(m.match('Outgoing call to payment-service took 9ms')).toBe(1);
  });

  it('an empty message has its own template ""', () => {
    const [m, ids] = mine(['', '   ', 'x', '']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(ids[3]);
    expect(m.template(ids[0]!)).toBe('');
    expect(m.snapshot().templates.map((t) => [t.template, t.count])).toEqual([
      ['', 3],
      ['x', 1],
    ]);
  });

  it('ids start at 1, stay stable while templates generalize, and match() agrees with add()', () => {
    const corpus = [
      'Server started on port 8080',
      'Connection reset by peer',
      'Server started on port 9090',
      'User alice logged in',
      'User bob logged in',
      'Connection pool exhausted',
      'Server stopped',
      'Disk /dev/sda1 at 91%',
      'User carol logged in',
      'Disk /dev/sdb2 at 47%',
      'Connection reset by peer',
      '',
      'Server started on port 80',
      // id 10 is handed out for the first call, then its template generalizes: the id stays
      'Outgoing call to api-gateway took 5ms',
      'Outgoing call to auth-service took 7ms',
      'Outgoing call to payment-service took 12ms',
    ];
    const [m, ids] = mine(corpus);
    // alice, bob and carol are plain words: different constants, three templates
    expect(ids).toEqual([1, 2, 1, 3, 4, 5, 6, 7, 8, 7, 2, 9, 1, 10, 10, 10]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => m.template(id))).toEqual([
      'Server started on port <*>',
      'Connection reset by peer',
      'User alice logged in',
      'User bob logged in',
      'Connection pool exhausted',
      'Server stopped',
      'Disk <*> at <*>%',
      'User carol logged in',
      '',
      'Outgoing call to <*> took <*>',
    ]);
    expect(corpus.map((s) => m.match(s))).toEqual(ids);
    // match changes nothing, and finds no template for a new shape
    const before = m.snapshot();
    expect(m.match('Something else entirely')).toBe(0);
    // 3 of 4 equal with each User template, but dave is another constant word
    expect(m.match('User dave logged in')).toBe(0);
    expect(m.match('Server started on port 443')).toBe(1);
    expect(m.match('Outgoing call to search-service took 3ms')).toBe(10);
    expect(m.snapshot()).toEqual(before);
    expect(() => m.template(99)).toThrow(RangeError);
    expect(m.template(0)).toBe('<overflow>');
  });

  it('counts errors, first and last seen; snapshot is sorted by count then id and can be cut', () => {
    const m = miner();
    m.add(msg('b happened 1', T0 + 5000, 'ERROR'));
    m.add(msg('a happened', T0 + 9000, 'INFO'));
    m.add(msg('b happened 2', T0 + 1000, 'FATAL'));
    m.add(msg('b happened 3', null, 'WARN'));
    m.add(msg('c happened', null, null));
    m.add(msg('a happened', T0 + 3000, 'INFO'));
    const s = m.snapshot();
    expect(s.total).toBe(3);
    expect(s.overflow).toBe(0);
    expect(s.templates).toEqual([
      {
        id: 1,
        template: 'b happened <*>',
        count: 3,
        errors: 2,
        firstSeen: T0 + 1000,
        lastSeen: T0 + 5000,
        sparkline: [1, 0, 0, 0, 1],
        sparkStart: T0 + 1000,
        sparkBucketMs: 1000,
        example: { file: 'x.log', fileIndex: 0, offset: 0, length: 1 },
      },
      {
        id: 2,
        template: 'a happened',
        count: 2,
        errors: 0,
        firstSeen: T0 + 3000,
        lastSeen: T0 + 9000,
        sparkline: [1, 0, 0, 0, 0, 0, 1],
        sparkStart: T0 + 3000,
        sparkBucketMs: 1000,
        example: { file: 'x.log', fileIndex: 0, offset: 0, length: 1 },
      },
      {
        id: 3,
        template: 'c happened',
        count: 1,
        errors: 0,
        firstSeen: null,
        lastSeen: null,
        sparkline: [],
        sparkStart: null,
        sparkBucketMs: 1000,
        example: { file: 'x.log', fileIndex: 0, offset: 0, length: 1 },
      },
    ]);
    const cut = m.snapshot(1);
    expect(cut.total).toBe(3);
    expect(cut.templates.map((t) => t.id)).toEqual([1]);
    expect(m.snapshot(0).templates).toEqual([]);
  });

  it('rejects bad parameters', () => {
    expect(() => miner({ similarity: 1.5 })).toThrow(RangeError);
    expect(() => miner({ depth: 2 })).toThrow(RangeError);
    expect(() => miner({ maxChildren: 1 })).toThrow(RangeError);
    expect(() => miner({ maxTemplates: 0 })).toThrow(RangeError);
  });
});

describe('bounds', () => {
  /** Three random lowercase words: shapes that share nothing with each other. */
  function distinct(n: number, seed: number): string[] {
    const random = rng(seed);
    const word = (): string =>
      Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    return Array.from({ length: n }, () => `${word()} ${word()} ${word()}`);
  }

  it('past maxTemplates, unmatched messages go to the overflow template (id 0)', () => {
    const messages = distinct(1000, 3);
    const [m, ids] = mine(messages, { maxTemplates: 10 });
    const s = m.snapshot();
    expect(s.total).toBeLessThanOrEqual(11);
    expect(s.total).toBe(11);
    expect(ids.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ids.slice(10).every((id) => id === 0)).toBe(true);
    expect(s.overflow).toBe(990);
    expect(s.templates[0]).toMatchObject({ id: 0, template: '<overflow>', count: 990 });
    expect(s.templates.reduce((n, t) => n + t.count, 0)).toBe(1000);
    // known shapes still reach their templates, new ones the overflow
    expect(m.add(msg(messages[3]!))).toBe(4);
    expect(m.match(messages[500]!)).toBe(0);
    expect(m.match('a new message')).toBe(0);
  });

  it('a leaf with many clusters (searched through its index) picks the best, ties to more <*> then older', () => {
    // names with a dash (abcd-efgh): not plain words, so differing ones may become <*>
    const words = distinct(200, 5).map((s) => s.split(' ').map((w) => `${w.slice(0, 4)}-${w.slice(4)}`));
    const [m, ids] = mine(words.map(([a, b, c]) => `x ${a} ${b} ${c}`));
    expect(ids).toEqual(words.map((_, i) => i + 1)); // 1/4 in common: all apart
    const [a57, b57] = words[56]!;
    const [a12, b12] = words[11]!;
    expect(m.add(msg(`x ${a57} ${b57} zz-zz`))).toBe(57);
    expect(m.template(57)).toBe(`x ${a57} ${b57} <*>`);
    expect(m.match(`x ${a57} yy-yy yy-yy`)).toBe(57);
    // 2 of 4 equal with both 12 and 57: 57 has more <*>
    expect(m.match(`x ${a12} ${b57} yy-yy`)).toBe(57);
    // 2 of 4 equal with both 12 and 13, no <*> in either: the older one
    expect(m.match(`x ${a12} ${words[12]![1]} yy-yy`)).toBe(12);
    // 3 of 4 equal with 12, but a plain word (zzz) never takes a name's place, through the index either
    expect(m.match(`x ${a12} ${b12} zzz`)).toBe(0);
    expect(m.match('x yy-yy yy-yy yy-yy')).toBe(0);
    expect(m.snapshot().total).toBe(200);
  });

  it('maxChildren sends new first words under <*> once a node is full', () => {
    // first words with a dash (abcd-efgh): names, which may become <*> (plain words would stay apart)
    const messages = distinct(300, 4).map((s) => `${s.slice(0, 4)}-${s.slice(4, 8)} shared tail words here`);
    const [m] = mine(messages, { maxChildren: 5 });
    const s = m.snapshot();
    // four first words keep their own child; the rest meet under <*> and merge there (4/5 ≥ 0.4)
    expect(s.total).toBe(5);
    expect(s.templates[0]).toMatchObject({ id: 5, template: '<*> shared tail words here', count: 296 });
    expect(s.templates.slice(1).map((t) => t.template)).toEqual(messages.slice(0, 4));
    // with room for every first word, each message has a leaf of its own and nothing merges
    expect(mine(messages, { maxChildren: 1000 })[0].snapshot().total).toBe(300);
  });
});

describe('on a generated sample', () => {
  let records: LogRecord[] = [];
  let m: TemplateMiner;
  let ids: number[];
  let snap: TemplatesSnapshot;

  beforeAll(() => {
    records = sampleRecords(2_000_000, 5);
    m = miner();
    ids = records.map((r) => m.add(r));
    snap = m.snapshot();
  });

  it('finds the generator’s few dozen shapes', () => {
    expect(records.length).toBeGreaterThan(20_000);
    expect(snap.total).toBeGreaterThanOrEqual(20);
    expect(snap.total).toBeLessThanOrEqual(60);
    expect(snap.overflow).toBe(0);
    expect(snap.templates.reduce((n, t) => n + t.count, 0)).toBe(records.length);
    const top = snap.templates.slice(0, 12).map((t) => t.template);
    for (const t of [
      'GET <*> <*> <*> request_id=<*>',
      'POST <*> <*> <*> request_id=<*>',
      'User <*> logged in from <*>',
      'Order <*> created with <*> items total=<*> EUR',
      'Stock reserved sku=<*> qty=<*>',
      'Email queued for user <*> template=order_confirmation',
      'Session <*> renewed',
      'Timeout calling db after <*>',
    ]) {
      expect(top).toContain(t);
    }
    const all = new Map(snap.templates.map((t) => [t.template, t]));
    for (const t of [
      'Outgoing call to <*> took <*>',
      // true and false are plain words: different constants, two templates
      'Feature flag checkout_v2 evaluated to true for user <*>',
      'Feature flag checkout_v2 evaluated to false for user <*>',
      'Rate limit at <*>% for client <*>',
      'Could not send email to user <*>: SMTP <*>',
      'NullPointerException while rendering template <*>',
      'Starting <*> version <*>',
      'Received SIGTERM, shutting down gracefully',
      'Out of memory: Java heap space, shutting down',
    ]) {
      expect([t, all.has(t)]).toEqual([t, true]);
    }
    expect(all.has('Feature flag checkout_v2 evaluated to <*> for user <*>')).toBe(false);
    // every Timeout record is an error; no INFO template has errors
    const timeout = all.get('Timeout calling db after <*>')!;
    expect(timeout.errors).toBe(timeout.count);
    expect(all.get('Session <*> renewed')!.errors).toBe(0);
  });

  it('every record has an id, and match() gives the same id after the fact', () => {
    expect(ids.every((id) => id >= 1 && id <= snap.total)).toBe(true);
    let same = 0;
    for (let i = 0; i < records.length; i++) if (m.match(records[i]!.message) === ids[i]) same++;
    expect(same / records.length).toBeGreaterThanOrEqual(0.99);
  });

  it('sparklines sum to the counts, within 48 buckets', () => {
    for (const t of snap.templates) {
      expect(t.sparkline.length).toBeGreaterThan(0);
      expect(t.sparkline.length).toBeLessThanOrEqual(SPARK_BUCKETS);
      expect(t.sparkline.reduce((a, b) => a + b, 0)).toBe(t.count);
      expect(t.sparkStart! % t.sparkBucketMs).toBe(0);
      expect(t.sparkStart!).toBeLessThanOrEqual(t.firstSeen!);
      expect(t.sparkStart! + t.sparkline.length * t.sparkBucketMs).toBeGreaterThan(t.lastSeen!);
    }
  });

  it('merging miners of contiguous parts gives the one-pass templates, counts and sparklines', () => {
    const whole = byTemplate(snap);
    for (let seed = 1; seed <= 16; seed++) {
      const random = rng(seed);
      const k = 2 + Math.floor(random() * 3); // 2..4
      const cuts = Array.from({ length: k - 1 }, () => Math.floor(random() * (records.length + 1))).sort(
        (a, b) => a - b,
      );
      const bounds = [0, ...cuts, records.length];
      const parts = bounds.slice(1).map((end, i) => {
        const p = miner();
        for (const r of records.slice(bounds[i], end)) p.push(r);
        return p;
      });
      // merge in a seeded order
      while (parts.length > 1) {
        const i = Math.floor(random() * parts.length);
        let j = Math.floor(random() * (parts.length - 1));
        if (j >= i) j++;
        parts[i]!.merge(parts[j]!);
        parts.splice(j, 1);
      }
      const merged = parts[0]!;
      const s = merged.snapshot();
      expect([seed, s.total, s.overflow]).toEqual([seed, snap.total, 0]);
      expect([seed, byTemplate(s)]).toEqual([seed, whole]);
      // the merged miner still labels every record with a template of the same text
      let same = 0;
      for (let i = 0; i < records.length; i++) {
        if (merged.template(merged.match(records[i]!.message)) === m.template(ids[i]!)) same++;
      }
      expect(same / records.length).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('merging an empty miner changes nothing, and merging into an empty one copies', () => {
    const a = miner();
    for (const r of records.slice(0, 3000)) a.push(r);
    const expected = a.snapshot();
    a.merge(miner());
    expect(a.snapshot()).toEqual(expected);
    const b = miner();
    b.merge(a);
    expect(b.snapshot()).toEqual(expected);
    expect(() => a.merge(a)).toThrow();
  });
});

describe('sparklines', () => {
  const H = 3_600_000;
  const D = 24 * H;

  it('coarsen along the ladder as the range grows, also out of order', () => {
    const m = miner();
    const times = [T0 + 10 * D, T0, T0 + 3 * H, T0 + 400 * D, T0 - 2 * D, T0 + 10 * D + 1];
    for (const t of times) m.add(msg('tick', t));
    const [t] = m.snapshot().templates;
    expect(t!.sparkBucketMs).toBe(28 * D);
    expect(t!.sparkline.length).toBeLessThanOrEqual(SPARK_BUCKETS);
    expect(t!.sparkline.reduce((a, b) => a + b, 0)).toBe(times.length);
    expect(t!.firstSeen).toBe(T0 - 2 * D);
    expect(t!.lastSeen).toBe(T0 + 400 * D);
  });

  it('count later records in place while they fit the 48 buckets, and coarsen on the first that does not', () => {
    const m = miner();
    // 1 s buckets: T0 … T0 + 47 s fit; T0 + 48 s does not (the range then needs coarser buckets)
    const times = [T0, T0 + 999, T0 + 1000, T0 + 30_500, T0 + 47_999, T0 + 47_999];
    for (const t of times) m.add(msg('tick', t));
    let [t] = m.snapshot().templates;
    expect(t!.sparkBucketMs).toBe(1000);
    expect([t!.sparkStart, t!.firstSeen, t!.lastSeen]).toEqual([T0, T0, T0 + 47_999]);
    expect(t!.sparkline).toEqual([2, 1, ...Array<number>(28).fill(0), 1, ...Array<number>(16).fill(0), 2]);
    m.add(msg('tick', T0 + 48_000));
    [t] = m.snapshot().templates;
    expect(t!.sparkBucketMs).toBe(5000);
    expect(t!.lastSeen).toBe(T0 + 48_000);
    expect(t!.sparkline).toEqual([3, 0, 0, 0, 0, 0, 1, 0, 0, 3]);
  });

  it('stay within 48 buckets even across centuries', () => {
    const m = miner();
    for (const t of [Date.UTC(1900, 0, 1), 0, T0, Date.UTC(2500, 0, 1)]) m.add(msg('tick', t));
    const [t] = m.snapshot().templates;
    expect(t!.sparkline.length).toBeLessThanOrEqual(SPARK_BUCKETS);
    expect(t!.sparkline.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('merge exactly, whatever the widths of the parts', () => {
    const times = [T0, T0 + 1500, T0 + 5 * H, T0 - 2 * H, T0 + 90 * D, T0 + 7 * H + 17];
    const one = miner();
    for (const t of times) one.add(msg('tick', t));
    for (let cut = 0; cut <= times.length; cut++) {
      for (const swap of [false, true]) {
        const a = miner();
        const b = miner();
        times.forEach((t, i) => (i < cut ? a : b).add(msg('tick', t)));
        if (swap) {
          b.merge(a);
          expect(b.snapshot()).toEqual(one.snapshot());
        } else {
          a.merge(b);
          expect(a.snapshot()).toEqual(one.snapshot());
        }
      }
    }
  });
});
