import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import type { Config } from '../../src/engine/config.ts';
import { isContinuation } from '../../src/engine/ingest/continuation.ts';
import { serviceFromFileName } from '../../src/engine/ingest/records.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { config, utf8 } from './helpers.ts';

const UTC = config({ timeZone: 'UTC' });
/** The default last-modified time of the test files. */
const LM = Date.UTC(2024, 5, 1);

function file(content: string | Uint8Array<ArrayBuffer>, name: string, lastModified = LM): File {
  return new File([content], name, { lastModified });
}

async function run(inputs: File[], cfg: Config = UTC): Promise<{ snap: Snapshot; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const snap = await analyze(inputs, cfg, { onRecord: (r) => records.push(r) });
  return { snap, records };
}

const text = (lines: readonly string[]): string => lines.join('\n') + '\n';
/** Bytes of lines [from, to] (1-based, inclusive) with their line ends. */
const span = (lines: readonly string[], from: number, to: number): number =>
  utf8(text(lines.slice(from - 1, to))).length;
/** Byte offset of line n (1-based). */
const offsetOf = (lines: readonly string[], n: number): number => (n === 1 ? 0 : span(lines, 1, n - 1));

const LOG4J = [
  '2024-01-15 18:01:47,978 INFO [main] org.apache.hadoop.App: Starting', // 1
  '2024-01-15 18:01:48,001 ERROR [main] org.apache.hadoop.App: Request failed', // 2
  'Exception in thread "main" java.lang.RuntimeException: boom', // 3: not indented, not trace-looking
  '\tat org.apache.hadoop.App.main(App.java:10)', // 4
  '2024-01-15 18:01:49,500 WARN [pool-1] org.apache.hadoop.Slow: Slow call', // 5
  '\tat org.apache.hadoop.Slow.run(Slow.java:5)', // 6
  '2024-01-15 18:01:50,000 INFO [main] org.apache.hadoop.App: Done', // 7
];
const L4 = (s: number, ms: number): number => Date.UTC(2024, 0, 15, 18, 1, s, ms);

const PG = [
  '2024-01-15 10:30:45.123 UTC [12345] LOG:  database system is ready to accept connections', // 1
  '2024-01-15 10:30:46.456 UTC [12399] app@shop ERROR:  relation "orders_old" does not exist at character 15', // 2
  '2024-01-15 10:30:46.456 UTC [12399] app@shop STATEMENT:  SELECT * FROM orders_old', // 3
  '2024-01-15 10:30:47.789 CET [12400] FATAL:  password authentication failed for user "report"', // 4
  '2024-01-15 10:30:47.789 CET [12400] DETAIL:  Connection matched pg_hba.conf line 95: "host all all 0.0.0.0/0 md5"', // 5
  '2024-01-15 10:30:47.789 CET [12400] HINT:  check pg_hba.conf', // 6
  '2024-01-15 10:30:48 UTC [12401] WARNING:  there is no transaction in progress', // 7
];

// (times within a day: the anomaly detector's per-minute series over a range of years costs seconds)
const ACCESS = [
  '10.1.2.3 - - [15/Jan/2024:06:43:36 +0000] "GET /x HTTP/1.1" 200 5778 "-" "Mozilla/5.0"',
  '127.0.0.1 - frank [15/Jan/2024:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326',
  '192.168.1.20 - - [15/Jan/2024:10:30:45 +0100] "POST /api/v1/orders HTTP/2.0" 503 154 "https://shop.example.com/cart" "curl/8.4.0"',
];

describe("continuation rule: a line that does not parse in the file's format continues the record before it", () => {
  it('joins a Java stack trace whose exception line is not indented to its log4j record', async () => {
    // the exception line is no trace-looking line: it joins only because the file has a format
    expect(isContinuation(utf8(LOG4J[2]!), 0, utf8(LOG4J[2]!).length)).toBe(false);
    const { snap, records } = await run([file(text(LOG4J), 'app.log')]);
    expect(snap.files[0]).toMatchObject({
      format: 'log4j',
      formatName: 'log4j (Hadoop, Java)',
      formatConfidence: 4 / 5, // lines 1, 2, 3, 5, 7 would start records; 3 does not parse
      records: 4,
      lines: 7,
      relativeTime: false,
      warnings: [],
    });
    expect(snap.totals).toEqual({
      bytes: utf8(text(LOG4J)).length,
      lines: 7,
      emptyLines: 0,
      records: 4,
      unparsed: 0,
      continuationLines: 3,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed: 0,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(records[0]).toEqual({
      time: L4(47, 978),
      level: 'INFO',
      service: 'org.apache.hadoop.App',
      message: 'Starting',
      continuation: null,
      file: 'app.log',
      fileIndex: 0,
      line: 1,
      lineEnd: 1,
      offset: 0,
      length: span(LOG4J, 1, 1),
      parsed: true,
      fields: { thread: 'main' },
    });
    expect(records[1]).toEqual({
      time: L4(48, 1),
      level: 'ERROR',
      service: 'org.apache.hadoop.App',
      message: 'Request failed',
      continuation: `${LOG4J[2]!}\n${LOG4J[3]!}`,
      file: 'app.log',
      fileIndex: 0,
      line: 2,
      lineEnd: 4,
      offset: offsetOf(LOG4J, 2),
      length: span(LOG4J, 2, 4),
      parsed: true,
      fields: { thread: 'main' },
    });
    expect(records.map((r) => [r.line, r.lineEnd, r.level, r.message])).toEqual([
      [1, 1, 'INFO', 'Starting'],
      [2, 4, 'ERROR', 'Request failed'],
      [5, 6, 'WARN', 'Slow call'],
      [7, 7, 'INFO', 'Done'],
    ]);
  });

  it('a WARN with a trace stays a WARN (the trace belongs to the record it follows)', async () => {
    const { snap, records } = await run([file(text(LOG4J), 'app.log')]);
    expect(records[2]).toMatchObject({
      level: 'WARN',
      service: 'org.apache.hadoop.Slow',
      continuation: LOG4J[5],
      line: 5,
      lineEnd: 6,
      offset: offsetOf(LOG4J, 5),
      length: span(LOG4J, 5, 6),
      fields: { thread: 'pool-1' },
    });
    expect(snap.levels).toEqual([0, 0, 2, 1, 1, 0, 0]);
    expect(snap.services).toEqual([
      { name: 'org.apache.hadoop.App', records: 3, errors: 1 },
      { name: 'org.apache.hadoop.Slow', records: 1, errors: 0 },
    ]);
  });

  it('joins PostgreSQL STATEMENT, DETAIL and HINT lines to the record before them', async () => {
    const { snap, records } = await run([file(text(PG), 'postgresql.log')]);
    // DETAIL/STATEMENT/HINT lines are continuations the format declares: left out of the share's denominator
    expect(snap.files[0]).toMatchObject({ format: 'postgresql', formatConfidence: 1, records: 4 });
    expect(snap.totals).toMatchObject({ lines: 7, records: 4, continuationLines: 3, unparsed: 0 });
    expect(records).toEqual([
      {
        time: Date.UTC(2024, 0, 15, 10, 30, 45, 123),
        level: 'INFO', // LOG → INFO
        service: 'postgresql.log',
        message: 'database system is ready to accept connections',
        continuation: null,
        file: 'postgresql.log',
        fileIndex: 0,
        line: 1,
        lineEnd: 1,
        offset: 0,
        length: span(PG, 1, 1),
        parsed: true,
        fields: { pid: '12345' },
      },
      {
        time: Date.UTC(2024, 0, 15, 10, 30, 46, 456),
        level: 'ERROR',
        service: 'postgresql.log',
        message: 'relation "orders_old" does not exist at character 15',
        continuation: PG[2],
        file: 'postgresql.log',
        fileIndex: 0,
        line: 2,
        lineEnd: 3,
        offset: offsetOf(PG, 2),
        length: span(PG, 2, 3),
        parsed: true,
        fields: { pid: '12399', user: 'app', db: 'shop' },
      },
      {
        time: Date.UTC(2024, 0, 15, 9, 30, 47, 789), // CET is +01:00
        level: 'FATAL',
        service: 'postgresql.log',
        message: 'password authentication failed for user "report"',
        continuation: `${PG[4]!}\n${PG[5]!}`,
        file: 'postgresql.log',
        fileIndex: 0,
        line: 4,
        lineEnd: 6,
        offset: offsetOf(PG, 4),
        length: span(PG, 4, 6),
        parsed: true,
        fields: { pid: '12400' },
      },
      {
        time: Date.UTC(2024, 0, 15, 10, 30, 48),
        level: 'WARN',
        service: 'postgresql.log',
        message: 'there is no transaction in progress',
        continuation: null,
        file: 'postgresql.log',
        fileIndex: 0,
        line: 7,
        lineEnd: 7,
        offset: offsetOf(PG, 7),
        length: span(PG, 7, 7),
        parsed: true,
        fields: { pid: '12401' },
      },
    ]);
  });

  it('joins Kubernetes CRI "P" lines with the line that completes them into one record', async () => {
    const CRI = [
      '2024-01-15T10:30:47.5Z stdout P {"level":"info","msg":"a long line',
      '2024-01-15T10:30:47.6Z stdout P  split by the',
      '2024-01-15T10:30:47.7Z stdout F  runtime"}',
      '2024-01-15T10:30:48.000000001Z stderr F ERROR failed to connect to redis',
    ];
    const name = 'var/log/pods/shop_web-7f9_1234/web/0.log';
    const { snap, records } = await run([file(text(CRI), name)]);
    expect(snap.files[0]).toMatchObject({ format: 'k8s-cri', formatConfidence: 1, records: 2, lines: 4 });
    expect(snap.totals).toMatchObject({ lines: 4, records: 2, continuationLines: 2, unparsed: 0 });
    expect(records).toEqual([
      {
        time: Date.UTC(2024, 0, 15, 10, 30, 47, 500),
        level: 'INFO', // guessed from the app's line: "level":"info"
        service: '0.log',
        message: '{"level":"info","msg":"a long line split by the runtime"}',
        continuation: null,
        file: name,
        fileIndex: 0,
        line: 1,
        lineEnd: 3,
        offset: 0,
        length: span(CRI, 1, 3),
        parsed: true,
        fields: { stream: 'stdout' },
      },
      {
        time: Date.UTC(2024, 0, 15, 10, 30, 48),
        level: 'ERROR',
        service: '0.log',
        message: 'ERROR failed to connect to redis',
        continuation: null,
        file: name,
        fileIndex: 0,
        line: 4,
        lineEnd: 4,
        offset: offsetOf(CRI, 4),
        length: span(CRI, 4, 4),
        parsed: true,
        fields: { stream: 'stderr' },
      },
    ]);
  });

  // BUG (src/engine/formats/regex-format.ts fill(): `message.replace(/\s+$/, '')`, and records.ts appending
  // d.message): each CRI part loses its trailing spaces before the parts are concatenated. The runtime splits
  // lines at arbitrary points, so "…stdout P hello " + "…stdout F world" gives "helloworld" instead of the
  // concatenation "hello world" that docs/formats.md promises.
  it('keeps the spaces at the end of a CRI "P" part', async () => {
    const { records } = await run([
      file('2024-01-15T10:30:47.5Z stdout P hello \n2024-01-15T10:30:47.6Z stdout F world\n', '0.log'),
    ]);
    expect(records.map((r) => r.message)).toEqual(['hello world']);
  });

  // BUG (src/engine/ingest/records.ts RecordBuilder.line, the `this.has && this.pPartial` branch): any line that
  // parses after a "P" line is appended to it, whatever its stream. The kubelet writes stdout and stderr to the
  // same file, so a stderr line between a stdout "P" line and the stdout line that completes it is swallowed:
  // below, the result is one record "part oneERROR boom" (level null: the ERROR is lost) and a separate record
  // " part two", instead of "part one part two" (stdout) and "ERROR boom" (stderr, ERROR).
  it('joins a CRI "P" line with the line of the same stream that completes it', async () => {
    const lines = [
      '2024-01-15T10:30:47.5Z stdout P part one',
      '2024-01-15T10:30:47.6Z stderr F ERROR boom',
      '2024-01-15T10:30:47.7Z stdout F  part two',
    ];
    const { records } = await run([file(text(lines), '0.log')]);
    const byLine = [...records].sort((a, b) => a.line - b.line);
    expect(byLine.map((r) => [r.line, r.message, r.level])).toEqual([
      [1, 'part one part two', null],
      [2, 'ERROR boom', 'ERROR'],
    ]);
  });
});

describe('lines that start no record', () => {
  it('a line before the first record is an unparsed record', async () => {
    const lines = ['=== starting (build 42) ===', ...LOG4J];
    const { snap, records } = await run([file(text(lines), 'app.log')]);
    expect(records[0]).toEqual({
      time: null,
      level: null,
      service: 'app.log',
      message: '=== starting (build 42) ===',
      continuation: null,
      file: 'app.log',
      fileIndex: 0,
      line: 1,
      lineEnd: 1,
      offset: 0,
      length: span(lines, 1, 1),
      parsed: false,
      fields: null,
    });
    expect(records[1]).toMatchObject({ line: 2, level: 'INFO', parsed: true, offset: span(lines, 1, 1) });
    expect(snap.totals).toMatchObject({
      lines: 8,
      records: 5,
      unparsed: 1,
      untimed: 1,
      continuationLines: 3,
    });
    expect(snap.levels).toEqual([0, 0, 2, 1, 1, 0, 1]);
  });

  // BUG (src/engine/ingest/records.ts RecordBuilder.line: `this.has && (this.format !== null || …)`): once the
  // first unparsed record is pending, every later non-parsing line joins it as a continuation, so the lines
  // before the first record become ONE unparsed record (message "banner line 1", continuation "banner line 2")
  // instead of one unparsed record each, as docs/formats.md says ("Lines before the first record of a file
  // become unparsed records"). The same happens to a whole file under a forced format that parses nothing.
  it('each line before the first record is an unparsed record of its own', async () => {
    const lines = ['banner line 1', 'banner line 2', ...LOG4J];
    const { snap, records } = await run([file(text(lines), 'app.log')]);
    expect(records.slice(0, 2).map((r) => [r.line, r.lineEnd, r.message, r.continuation, r.parsed])).toEqual([
      [1, 1, 'banner line 1', null, false],
      [2, 2, 'banner line 2', null, false],
    ]);
    expect(snap.totals).toMatchObject({ records: 6, unparsed: 2, continuationLines: 3 });
  });

  it('in a file of no recognized format every line is an unparsed record, except trace-looking lines', async () => {
    const NOTES = [
      'Deploy checklist', // 1
      'step one: drain the node', // 2
      '    indented detail', // 3
      'java.lang.IllegalStateException: boom', // 4
      'Caused by: java.io.IOException: gone', // 5
      '\t... 3 more', // 6
      '... 12 more', // 7
      'Traceback (most recent call last):', // 8
      '', // 9
      'step two: upgrade', // 10
    ];
    const { snap, records } = await run([file(text(NOTES), 'checklist.txt')]);
    expect(snap.files[0]).toMatchObject({
      format: 'unknown',
      formatName: 'not detected',
      formatConfidence: 0,
      records: 3,
      lines: 10,
      relativeTime: false,
      warnings: [
        'No known log format was recognized: every line was kept as an unparsed record (no times or levels).',
      ],
    });
    expect(snap.totals).toEqual({
      bytes: utf8(text(NOTES)).length,
      lines: 10,
      emptyLines: 1,
      records: 3,
      unparsed: 3,
      continuationLines: 6,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed: 3,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(records.map((r) => [r.line, r.lineEnd, r.message, r.continuation, r.service, r.parsed])).toEqual([
      [1, 1, 'Deploy checklist', null, 'checklist.txt', false],
      [2, 8, 'step one: drain the node', NOTES.slice(2, 8).join('\n'), 'checklist.txt', false],
      [10, 10, 'step two: upgrade', null, 'checklist.txt', false],
    ]);
    expect(records[1]!.length).toBe(span(NOTES, 2, 8));
    expect(snap.levels).toEqual([0, 0, 0, 0, 0, 0, 3]);
    expect(snap.services).toEqual([{ name: 'checklist.txt', records: 3, errors: 0 }]);
  });
});

describe('service from the file name', () => {
  it('strips directories, .gz and rotation suffixes', () => {
    const cases: [string, string][] = [
      ['app.log', 'app.log'],
      ['app.log.2.gz', 'app.log'],
      ['app.log.gz', 'app.log'],
      ['app.log.1', 'app.log'],
      ['app.log.10', 'app.log'],
      ['/var/log/nginx/access.log.1', 'access.log'],
      ['C:\\logs\\app.log', 'app.log'],
      ['messages-20240115', 'messages'],
      ['app.log-20240115.gz', 'app.log'],
      ['app.log.2024-01-15', 'app.log'],
      ['syslog', 'syslog'],
      ['0.log', '0.log'],
    ];
    for (const [name, service] of cases) expect([name, serviceFromFileName(name)]).toEqual([name, service]);
  });

  it('names the records of access logs (rotated, gzipped or not) after their file', async () => {
    const t = text(ACCESS);
    const gz = new Uint8Array(gzipSync(utf8(t)));
    const { snap, records } = await run([
      file(t, 'access.log'),
      file(t, 'logs/access.log.1'),
      file(gz, 'app.log.2.gz'),
      file(t, 'access.log-20240115'),
    ]);
    // (analyze() may reorder rotated sets, so files and records are looked up by name)
    const byName = Object.fromEntries(snap.files.map((f) => [f.name, [f.format, f.gzip, f.records]]));
    expect(byName).toEqual({
      'access.log': ['access-log', false, 3],
      'logs/access.log.1': ['access-log', false, 3],
      'app.log.2.gz': ['access-log', true, 3],
      'access.log-20240115': ['access-log', false, 3],
    });
    const services = new Map<string, Set<string | null>>();
    for (const r of records) services.set(r.file, (services.get(r.file) ?? new Set()).add(r.service));
    expect(Object.fromEntries([...services].map(([f, s]) => [f, [...s]]))).toEqual({
      'access.log': ['access.log'],
      'logs/access.log.1': ['access.log'],
      'app.log.2.gz': ['app.log'],
      'access.log-20240115': ['access.log'],
    });
    expect(snap.services).toEqual([
      { name: 'access.log', records: 9, errors: 3 },
      { name: 'app.log', records: 3, errors: 1 },
    ]);
    // the request line is the message (its method and path are fields too), the status gives the level, the rest are fields
    const own = records.filter((r) => r.file === 'access.log');
    expect(own.map((r) => [r.time, r.level, r.message, r.fields])).toEqual([
      [
        Date.UTC(2024, 0, 15, 6, 43, 36),
        'INFO',
        'GET /x HTTP/1.1',
        {
          client: '10.1.2.3',
          ident: '-',
          user: '-',
          status: '200',
          bytes: '5778',
          referer: '-',
          agent: 'Mozilla/5.0',
          method: 'GET',
          path: '/x',
        },
      ],
      [
        Date.UTC(2024, 0, 15, 20, 55, 36),
        'WARN',
        'GET /apache_pb.gif HTTP/1.0',
        {
          client: '127.0.0.1',
          ident: '-',
          user: 'frank',
          status: '404',
          bytes: '2326',
          method: 'GET',
          path: '/apache_pb.gif',
        },
      ],
      [
        Date.UTC(2024, 0, 15, 9, 30, 45),
        'ERROR',
        'POST /api/v1/orders HTTP/2.0',
        {
          client: '192.168.1.20',
          ident: '-',
          user: '-',
          status: '503',
          bytes: '154',
          referer: 'https://shop.example.com/cart',
          agent: 'curl/8.4.0',
          method: 'POST',
          path: '/api/v1/orders',
        },
      ],
    ]);
    expect(snap.services.some((s) => s.name === '(none)')).toBe(false);
  });
});

describe('several files, forced formats', () => {
  it('two files analyzed together keep their own formats, and a file never continues the one before', async () => {
    const second = ['\tat a.trace.Line(Left.java:1)', ...PG];
    const { snap, records } = await run([file(text(LOG4J), 'app.log'), file(text(second), 'pg.log')]);
    expect(snap.files.map((f) => [f.name, f.format, f.records, f.lines])).toEqual([
      ['app.log', 'log4j', 4, 7],
      ['pg.log', 'postgresql', 5, 8],
    ]);
    // the trace-looking first line of pg.log is not joined to app.log's last record: it is pg.log's first
    expect(records[3]).toMatchObject({ file: 'app.log', line: 7, lineEnd: 7, continuation: null });
    expect(records[4]).toMatchObject({
      file: 'pg.log',
      fileIndex: 1,
      line: 1,
      lineEnd: 1,
      parsed: false,
      message: '\tat a.trace.Line(Left.java:1)',
      service: 'pg.log',
    });
    expect(records.slice(5).map((r) => [r.fileIndex, r.line, r.lineEnd, r.level, r.service])).toEqual([
      [1, 2, 2, 'INFO', 'pg.log'],
      [1, 3, 4, 'ERROR', 'pg.log'],
      [1, 5, 7, 'FATAL', 'pg.log'],
      [1, 8, 8, 'WARN', 'pg.log'],
    ]);
    expect(snap.totals).toMatchObject({ lines: 15, records: 9, unparsed: 1, continuationLines: 6 });
  });

  it('config.format forces a built-in format, with the share of lines it parses as its confidence', async () => {
    const t = text(LOG4J);
    const auto = await run([file(t, 'app.log')]);
    expect([auto.snap.files[0]!.format, auto.snap.files[0]!.formatConfidence]).toEqual(['log4j', 4 / 5]);
    // generic reads the timestamp and the level word, but no service: the file's name
    const generic = await run([file(t, 'app.log')], config({ timeZone: 'UTC', format: 'generic' }));
    expect(generic.snap.files[0]).toMatchObject({
      format: 'generic',
      formatName: 'timestamp and level (generic)',
      formatConfidence: 4 / 5,
      records: 4,
    });
    expect(generic.records.map((r) => [r.time, r.level, r.service, r.message, r.lineEnd])).toEqual([
      [L4(47, 978), 'INFO', 'app.log', '[main] org.apache.hadoop.App: Starting', 1],
      [L4(48, 1), 'ERROR', 'app.log', '[main] org.apache.hadoop.App: Request failed', 4],
      [L4(49, 500), 'WARN', 'app.log', '[pool-1] org.apache.hadoop.Slow: Slow call', 6],
      [L4(50, 0), 'INFO', 'app.log', '[main] org.apache.hadoop.App: Done', 7],
    ]);
    // a forced format that parses nothing is still the user's word (confidence 0), but a line another known
    // format parses is that format's record, not an unparsed line (docs/formats.md, "Mixed files")
    const none = await run([file(t, 'app.log')], config({ timeZone: 'UTC', format: 'syslog-5424' }));
    expect(none.snap.files[0]).toMatchObject({
      format: 'syslog-5424',
      formatConfidence: 0,
      formats: [{ id: 'log4j', name: 'log4j (Hadoop, Java)', records: 4 }],
    });
    expect(none.snap.totals).toMatchObject({ lines: 7, records: 4, unparsed: 0, untimed: 0 });
    expect(none.records.map((r) => [r.level, r.service, r.lineEnd])).toEqual([
      ['INFO', 'org.apache.hadoop.App', 1],
      ['ERROR', 'org.apache.hadoop.App', 4],
      ['WARN', 'org.apache.hadoop.Slow', 6],
      ['INFO', 'org.apache.hadoop.App', 7],
    ]);
  });

  it('config.format "custom:<name>" forces a custom format; "auto" detects it too', async () => {
    const shop = {
      name: 'my shop',
      regex: String.raw`^(?<time>\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d) \| (?<level>\w+) +\| (?<service>[\w-]+) \| (?<message>.*)$`,
      time: 'DD.MM.YYYY HH:mm:ss',
      samples: ['15.01.2024 10:30:45 | INFO  | checkout | order 1 placed'],
    };
    const lines = [
      '15.01.2024 10:30:45 | INFO  | checkout | order 1 placed',
      '15.01.2024 10:30:46 | ERROR | payment | card declined',
      '    at Gateway.charge (gateway.js:10)',
      'retrying in 5s',
      '16.01.2024 08:00:00 | WARN  | checkout | slow',
    ];
    const t = text(lines);
    const forced = await run(
      [file(t, 'shop.log')],
      config({ timeZone: 'UTC', customFormats: [shop], format: 'custom:my shop' }),
    );
    expect(forced.snap.files[0]).toMatchObject({
      format: 'custom:my shop',
      formatName: 'my shop (custom)',
      formatConfidence: 3 / 4, // the indented line is no start; "retrying in 5s" is
      records: 3,
    });
    expect(
      forced.records.map((r) => [r.time, r.level, r.service, r.message, r.line, r.lineEnd, r.continuation]),
    ).toEqual([
      [Date.UTC(2024, 0, 15, 10, 30, 45), 'INFO', 'checkout', 'order 1 placed', 1, 1, null],
      [
        Date.UTC(2024, 0, 15, 10, 30, 46),
        'ERROR',
        'payment',
        'card declined',
        2,
        4,
        `${lines[2]!}\n${lines[3]!}`,
      ],
      [Date.UTC(2024, 0, 16, 8), 'WARN', 'checkout', 'slow', 5, 5, null],
    ]);
    const auto = await run([file(t, 'shop.log')], config({ timeZone: 'UTC', customFormats: [shop] }));
    expect(auto.snap.files[0]).toMatchObject({ format: 'custom:my shop', formatConfidence: 3 / 4 });
    expect(auto.records).toEqual(forced.records);
    // without the custom format, nothing knows these lines
    const without = await run([file(t, 'shop.log')]);
    expect(without.snap.files[0]!.format).toBe('unknown');
  });
});

describe('times', () => {
  it('dmesg seconds since boot are kept as ms since 0, and the file is flagged relativeTime', async () => {
    const DMESG = [
      '[    0.000000] Linux version 6.1.0',
      '[    0.011400] ACPI: Early table checksum verification disabled',
      '[    1.234567] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
      'kern  :err   : [  123.456789] EXT4-fs error (device sda1): ext4_find_entry:1455',
    ];
    const dmesgT = '[Mon Jan 15 10:30:45 2024] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n';
    // (analyzed apart: together, their range would run from 1970 to 2024)
    const { snap, records } = await run([file(text(DMESG), 'dmesg.txt')]);
    expect(snap.files[0]).toMatchObject({ format: 'dmesg', relativeTime: true, formatConfidence: 1 });
    expect(records.map((r) => [r.time, r.level, r.service, r.fields])).toEqual([
      [0, null, 'dmesg.txt', null],
      [11, null, 'dmesg.txt', null],
      [1234, null, 'dmesg.txt', null], // fractions truncated to ms, as for every timestamp
      [123456, 'ERROR', 'dmesg.txt', { facility: 'kern' }],
    ]);
    expect(snap.timeRange).toEqual({ start: 0, end: 123456 });
    expect(snap.totals.untimed).toBe(0);
    const human = await run([file(dmesgT, 'dmesg-T.txt')]);
    expect(human.snap.files[0]).toMatchObject({ format: 'dmesg-t', relativeTime: false });
    expect(human.records.map((r) => [r.time, r.level, r.service])).toEqual([
      [Date.UTC(2024, 0, 15, 10, 30, 45), null, 'dmesg-T.txt'],
    ]);
  });

  it('syslog (RFC 3164) times without a year take it from the file across a New Year', async () => {
    const SYSLOG = [
      'Dec 31 23:59:58 web-1 cron[812]: (root) CMD (backup.sh)',
      'Jan  1 00:00:01 web-1 sshd[4242]: Accepted publickey for deploy',
      "<34>Jan  2 09:15:00 web-1 su: 'su root' failed for lonvick on /dev/pts/8",
    ];
    const expected = [
      [Date.UTC(2024, 11, 31, 23, 59, 58), null, 'cron', { host: 'web-1', pid: '812' }],
      [Date.UTC(2025, 0, 1, 0, 0, 1), null, 'sshd', { host: 'web-1', pid: '4242' }],
      [Date.UTC(2025, 0, 2, 9, 15), 'FATAL', 'su', { host: 'web-1' }], // PRI 34: severity 2
    ];
    const view = (rs: LogRecord[]): unknown[] => rs.map((r) => [r.time, r.level, r.service, r.fields]);
    const lastModified = Date.UTC(2025, 0, 2, 12);
    const { snap, records } = await run([file(text(SYSLOG), 'syslog', lastModified)]);
    expect(snap.files[0]).toMatchObject({ format: 'syslog-3164', formatConfidence: 1 });
    expect(view(records)).toEqual(expected);
    expect(snap.timeRange).toEqual({
      start: Date.UTC(2024, 11, 31, 23, 59, 58),
      end: Date.UTC(2025, 0, 2, 9, 15),
    });
    // a file last modified later in 2025 reads the same
    expect(view((await run([file(text(SYSLOG), 'syslog', Date.UTC(2025, 5, 1))])).records)).toEqual(expected);
    // the same lines in a file last modified in 2030 are from 2029 and 2030
    const later = await run([file(text(SYSLOG), 'syslog', Date.UTC(2030, 0, 5))]);
    expect(later.records.map((r) => r.time)).toEqual([
      Date.UTC(2029, 11, 31, 23, 59, 58),
      Date.UTC(2030, 0, 1, 0, 0, 1),
      Date.UTC(2030, 0, 2, 9, 15),
    ]);
  });
});
