import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  highlightTerms,
  parseQuery,
  printQuery,
  queryAst,
  queryTimeRange,
  requiredWords,
  conjunctWords,
  type Query,
} from '../../src/engine/query/index.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { rec } from './helpers.ts';

const T0 = Date.UTC(2025, 2, 14, 0, 48, 0);

/** Six records, each with what the constructs below tell apart; the template id is the record's index + 10. */
const RECORDS: LogRecord[] = [
  rec(T0, 'INFO', 'payment-api', { message: 'charge ok', fields: { status: 200, duration: 120 } }),
  rec(T0 + 60_000, 'WARN', 'Payment-Worker', { message: 'Retrying: Timeout after 3s', file: 'app.log' }),
  rec(T0 + 120_000, 'ERROR', 'auth', {
    message: 'login failed for user',
    continuation: 'java.net.SocketTimeoutException: connect timed out\n\tat Foo.bar(Foo.java:12)',
    fields: { status: '503', 'user.id': 42 },
  }),
  rec(T0 + 180_000, 'FATAL', 'db', { message: 'disk full', fields: { user: '{"id":7,"name":"ann"}' } }),
  rec(null, null, 'app.log', { message: 'unparsed line: status=500 x-y', parsed: false, file: 'other.log' }),
  rec(T0 + 240_000, 'DEBUG', 'payment-api', {
    message: 'cache hit ÉTÉ',
    fields: { duration: '1500', path: '/api/v1' },
  }),
];

function q(text: string): Query {
  const p = parseQuery(text);
  if (!p.ok) throw new Error(`${text}: ${p.error.message}`);
  return p.query;
}

/** Indexes of the records the query matches. */
function hits(text: string): number[] {
  const m = compileQuery(q(text));
  return RECORDS.flatMap((r, i) => (m.matches(r, i + 10) ? [i] : []));
}

describe('query language: each construct, exact matches', () => {
  it.each([
    ['', [0, 1, 2, 3, 4, 5]],
    ['   ', [0, 1, 2, 3, 4, 5]],
    ['level:ERROR', [2]],
    ['level:error', [2]],
    ['level:warning', [1]],
    ['level:>=WARN', [1, 2, 3]],
    ['level:<INFO', [5]],
    ['level:NONE', [4]],
    ['level:*R*', [1, 2]], // WARN, ERROR: a glob reads the level's name
    ['service:payment*', [0, 1, 5]],
    ['service:PAYMENT-API', [0, 5]],
    ['service:*worker', [1]],
    ['service:/^pay/', [0, 5]],
    ['template:12', [2]],
    ['template:>=14', [4, 5]],
    ['file:app.log', [1]],
    ['file:*.log', [0, 1, 2, 3, 4, 5]],
    ['file:other*', [4]],
    ['time:2025-03-14T00:49:00Z..2025-03-14T00:51:00Z', [1, 2]],
    ['time:2025-03-14T00:50:00Z..', [2, 3, 5]],
    ['time:..2025-03-14T00:49:00Z', [0]],
    ['time:>=2025-03-14T00:51:00Z', [3, 5]],
    ['time:>2025-03-14T00:51:00Z', [5]],
    ['time:<=2025-03-14T00:49:00Z', [0, 1]],
    ['time:2025-03-14T01:49:00+01:00..2025-03-14T00:50:00', [1]],
    ['status:5*', [2]],
    ['status:200', [0]],
    ['status:>=500', [2]],
    ['duration:>1000', [5]],
    ['duration:100..200', [0]],
    ['user.id:42', [2]],
    ['user.id:7', [3]],
    ['user.name:ANN', [3]],
    ['path:/api/', [5]],
    ['timeout', [1, 2]],
    ['TIMEOUT', [1, 2]],
    ['"timed out"', [2]],
    ['"Foo.java:12"', [2]],
    ['été', [5]],
    ['status=500', [4]],
    ['/Time(out|d)/', [1, 2]], // SocketTimeoutException, in the continuation
    ['/Time(out|d) /', [1]],
    ['/time(out|d) /i', [1, 2]],
    ['-timeout', [0, 3, 4, 5]],
    ['NOT timeout', [0, 3, 4, 5]],
    ['-level:ERROR -level:FATAL', [0, 1, 4, 5]],
    ['service:payment* timeout', [1]],
    ['service:payment* AND timeout', [1]],
    ['disk OR charge', [0, 3]],
    ['disk OR charge level:INFO', [0, 3]],
    ['(disk OR charge) level:INFO', [0]],
    ['-(disk OR charge)', [1, 2, 4, 5]],
    ['NOT disk OR charge', [0, 1, 2, 4, 5]],
    ['x-y', [4]],
    ['http://x', []],
  ])('%s', (text, want) => {
    expect(hits(text)).toEqual(want);
  });
});

describe('query errors say where and why', () => {
  it.each([
    ['(a OR b', "expected ')' at 7"],
    ['level:ERROR (timeout OR', 'expected a term at 23'],
    ['a OR', 'expected a term at 4'],
    ['OR a', "expected a term before 'OR' at 0"],
    ['a)', "unexpected ')': no '(' to close at 1"],
    ['()', 'expected a term inside () at 1'],
    ['"open', "unterminated phrase: expected a closing '\"' at 0"],
    ['a /b', "unterminated regex: expected a closing '/' at 2"],
    ['/a/g', "unknown regex flags 'g' (only i) at 3"],
    ['level:', "expected a value after 'level:' at 6"],
    ['level:LOUD', "unknown level 'LOUD' (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, NONE) at 6"],
    ['level:2..3', 'expected a level (level:ERROR) or a comparison (level:>=WARN) at 6'],
    ['x time:yesterday..', "expected an ISO-8601 time (2025-03-14T00:48:00Z), got 'yesterday' at 7"],
    ['time:2025-02-30..', "expected an ISO-8601 time (2025-03-14T00:48:00Z), got '2025-02-30' at 5"],
    ['time:2025-03-14', 'expected time:A..B, time:>=A or time:<B (ISO-8601 times) at 5'],
    ['duration:>fast', "expected a number, got 'fast' at 10"],
    ['duration:>', "expected a value after '>' at 10"],
    ['template:abc', "expected a template id (template:12), got 'abc' at 9"],
    ['x:..', "expected a bound on either side of '..' at 2"],
    ['/(a)\\1/', 'the regex /(a)\\1/ '],
  ])('%s', (text, message) => {
    const p = parseQuery(text);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error.message.startsWith(message)).toBe(true);
  });

  it('positions an error inside the text, with the offset the message names', () => {
    const p = parseQuery('level:ERROR (timeout');
    expect(p).toEqual({ ok: false, error: { at: 20, message: "expected ')' at 20" } });
  });
});

describe('query helpers', () => {
  it('queryTimeRange intersects the top-level time terms', () => {
    expect(queryTimeRange(q('a'))).toBeNull();
    expect(queryTimeRange(q('time:2025-03-14T00:48:00Z..2025-03-14T00:51:00Z x'))).toEqual({
      start: T0,
      end: T0 + 180_000,
    });
    expect(queryTimeRange(q('time:>=2025-03-14T00:48:00Z time:<2025-03-14T00:50:00Z'))).toEqual({
      start: T0,
      end: T0 + 120_000,
    });
    expect(queryTimeRange(q('time:..2025-03-14T00:48:00Z'))).toEqual({ start: -Infinity, end: T0 });
    expect(queryTimeRange(q('time:2025-03-14T00:48:00Z.. OR x'))).toBeNull(); // not AND'ed at the top
  });

  it('highlightTerms lists the words and regexes looked for, not the excluded ones', () => {
    expect(highlightTerms(q('level:ERROR "timed out" -disk (a OR /b+/) a'))).toEqual({
      words: ['timed out', 'a'],
      regexes: ['b+'],
    });
  });

  it('requiredWords: a word every match holds, or null', () => {
    expect(requiredWords(q('level:ERROR "timed out"'))).toEqual(['timed out']);
    expect(requiredWords(q('a OR "b c"'))).toEqual(['a', 'b c']);
    expect(requiredWords(q('a OR level:ERROR'))).toBeNull();
    expect(requiredWords(q('-a'))).toBeNull();
    expect(requiredWords(q('(a OR b) c'))).toEqual(['c']);
  });

  it('conjunctWords: the words of a conjunction of words and text-free terms, or null', () => {
    expect(conjunctWords(q('timeout'))).toEqual(['timeout']);
    expect(conjunctWords(q('level:ERROR "timed out" service:api* (status:5* OR -file:a.log) db'))).toEqual([
      'timed out',
      'db',
    ]);
    expect(conjunctWords(q('(a b) c'))).toEqual(['a', 'b', 'c']);
    expect(conjunctWords(q('a OR b'))).toBeNull();
    expect(conjunctWords(q('a -b'))).toBeNull();
    expect(conjunctWords(q('a NOT (level:ERROR OR b)'))).toBeNull();
    expect(conjunctWords(q('a /b+/'))).toBeNull();
    expect(conjunctWords(q('a (level:ERROR OR /b/)'))).toBeNull();
    expect(conjunctWords(q('level:ERROR'))).toBeNull();
    expect(conjunctWords(q(''))).toBeNull();
  });

  it('prints a canonical text', () => {
    expect(printQuery(q('  level:>=WARN   NOT  service:"a b"  ( x  OR  /a\\/b/i ) '))).toBe(
      'level:>=WARN -service:"a b" (x OR /a\\/b/i)',
    );
    expect(printQuery(q('"OR" "-x" OR'.slice(0, 9)))).toBe('"OR" "-x"');
  });
});

/** Pieces of queries: valid and broken, so random joins reach every branch of the parser. */
const PIECES = [
  'a',
  'Timeout',
  '"x y"',
  '"q\\"uote"',
  '/re+/',
  '/a\\/b/i',
  'level:ERROR',
  'level:>=WARN',
  'service:pay*',
  'status:5*',
  'duration:>100',
  'x:1..5',
  'time:2025-03-14T00:48:00Z..',
  'template:3',
  'user.id:42',
  'OR',
  'AND',
  'NOT',
  '-',
  '(',
  ')',
  '"',
  '/',
  ':',
  'x:',
  'a:"b*c"',
  'http://h/p',
  '..',
  '>',
  ' ',
  '  ',
  'é',
];

describe('query properties', () => {
  it('never throws: any text parses or gives an error positioned inside it', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fc.constantFrom(...PIECES)).map((p) => p.join('')),
        ),
        (text) => {
          const p = parseQuery(text);
          if (p.ok) return;
          expect(p.error.at).toBeGreaterThanOrEqual(0);
          expect(p.error.at).toBeLessThanOrEqual(text.length);
          expect(p.error.message.endsWith(` at ${p.error.at}`)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('round trip: the printed text parses to the same tree', () => {
    // positions move, and a word that would not read back bare (a lone '-') is printed as a phrase: same test
    const strip = (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'at' || k === 'quoted' ? undefined : v)));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }), (pieces) => {
        const p = parseQuery(pieces.join(' '));
        if (!p.ok) return;
        const printed = printQuery(p.query);
        const again = parseQuery(printed);
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(strip(queryAst(again.query))).toEqual(strip(queryAst(p.query)));
        // and the same records match
        const a = compileQuery(p.query);
        const b = compileQuery(again.query);
        for (const [i, r] of RECORDS.entries()) expect(b.matches(r, i + 10)).toBe(a.matches(r, i + 10));
      }),
      { numRuns: 3000 },
    );
  });
});
