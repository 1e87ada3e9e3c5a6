import { describe, it, expect } from 'vitest';
import { FORMATS, formatById, type LineFormat, type RecordDraft } from '../../src/engine/formats/index.ts';
import { parseLogfmt } from '../../src/engine/formats/logfmt.ts';
import { epochToMs } from '../../src/engine/formats/fields.ts';
import { detectFormat } from '../../src/engine/ingest/detect.ts';
import { lineInfo, utcContext, utf8 } from './helpers.ts';

function fmt(id: string): LineFormat {
  const f = formatById(id);
  if (f === undefined) throw new Error(`no format ${id}`);
  return f;
}

/** Parses one line with a format; a copy of the draft, or null when the format rejects the line. */
function parse(format: LineFormat, line: string, zone = 'UTC'): RecordDraft | null {
  const b = utf8(line);
  const draft: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  return format.parse(b, 0, b.length, lineInfo(b.length), draft, utcContext(zone)) ? { ...draft } : null;
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

describe('FORMATS', () => {
  it('lists the whole catalog and generic, most specific first (docs/formats.md)', () => {
    // ties keep the catalog's order, which is the order docs/formats.md lists them in
    expect(FORMATS.map((f) => [f.id, f.specificity])).toEqual([
      ['syslog-5424', 80],
      ['access-log', 75],
      ['apache-error', 70],
      ['nginx-error', 70],
      ['k8s-cri', 65],
      ['postgresql', 65],
      ['mysql', 65],
      ['redis', 65],
      ['windows-cbs', 65],
      ['spring-boot', 60],
      ['zookeeper', 60],
      ['kafka', 60],
      ['klog', 60],
      ['logcat', 60],
      ['log4j', 55],
      ['logback', 55],
      ['python', 55],
      ['spark', 55],
      ['hdfs', 55],
      ['dmesg', 50],
      ['dmesg-t', 50],
      ['syslog-3164', 45],
      ['json', 40],
      ['logfmt', 35],
      ['iso-level-service', 30],
      ['epoch', 20],
      ['generic', 5],
    ]);
    expect(FORMATS.filter((f) => f.relative === true).map((f) => f.id)).toEqual(['dmesg']);
    expect(formatById('logfmt')?.name).toBe('logfmt');
    expect(formatById('nope')).toBeUndefined();
  });

  it('each sample parses with its own format, and with no format ranked before it', () => {
    for (const [i, f] of FORMATS.entries()) {
      expect([f.id, f.samples.length >= 2]).toEqual([f.id, true]);
      for (const s of f.samples) {
        expect([f.id, s, parse(f, s) !== null]).toEqual([f.id, s, true]);
        for (const more of FORMATS.slice(0, i))
          expect([more.id, s, parse(more, s)]).toEqual([more.id, s, null]);
      }
    }
  });

  it('detectFormat picks each format from its own samples with full confidence', () => {
    const ctx = utcContext();
    for (const f of FORMATS) {
      const lines = f.samples.map((s) => {
        const bytes = utf8(s);
        return { bytes, info: lineInfo(bytes.length) };
      });
      const d = detectFormat(lines, FORMATS, ctx);
      expect(d.format?.id).toBe(f.id);
      expect(d.confidence).toBe(1);
      expect(d.scores[f.id]).toBe(f.samples.length);
    }
  });

  it('detectFormat ignores blank and stack-trace lines and finds nothing in prose', () => {
    const ctx = utcContext();
    const mk = (s: string) => ({ bytes: utf8(s), info: lineInfo(utf8(s).length) });
    const d = detectFormat(
      [
        mk('2025-03-14T10:22:31Z ERROR api boom'),
        mk('java.lang.IllegalStateException: boom'),
        mk('\tat com.x.Y.z(Y.java:10)'),
        mk('   '),
        mk(''),
        mk('not a log line'),
      ],
      FORMATS,
      ctx,
    );
    // every format is scored; the ISO line also has a generic timestamp-and-level reading, but a line a specific
    // format parses is no evidence for the generic fallback (a mixed file must not make it win)
    const zero = Object.fromEntries(FORMATS.map((f) => [f.id, 0]));
    expect(d.format?.id).toBe('iso-level-service');
    expect(d.confidence).toBe(0.5);
    expect(d.scores).toEqual({ ...zero, 'iso-level-service': 1 });
    const none = detectFormat([mk('hello'), mk('world')], FORMATS, ctx);
    expect(none).toEqual({ format: null, confidence: 0, scores: zero });
    expect(detectFormat([], FORMATS, ctx)).toEqual({ format: null, confidence: 0, scores: zero });
  });
});

describe('iso-level-service', () => {
  const f = fmt('iso-level-service');

  it('parses time, level, service and message', () => {
    expect(
      parse(f, '2025-03-14T10:22:31.123Z ERROR payment-service Timeout calling db after 3000ms'),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31, 123),
        level: 'ERROR',
        service: 'payment-service',
        message: 'Timeout calling db after 3000ms',
      }),
    );
    expect(parse(f, '2025-03-14T10:22:31Z INFO api-gateway GET /v1/orders 200 12ms')).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31),
        level: 'INFO',
        service: 'api-gateway',
        message: 'GET /v1/orders 200 12ms',
      }),
    );
    expect(
      parse(f, '2025-03-14 10:22:31.123456+01:00 WARN auth-service token close to expiry for user 8812'),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 9, 22, 31, 123),
        level: 'WARN',
        service: 'auth-service',
        message: 'token close to expiry for user 8812',
      }),
    );
    expect(parse(f, '2025-03-14T10:22:31.5-05:00 [DEBUG] inventory-service cache hit ratio=0.93')).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 15, 22, 31, 500),
        level: 'DEBUG',
        service: 'inventory-service',
        message: 'cache hit ratio=0.93',
      }),
    );
    expect(parse(f, '2024-11-02T23:59:59.999Z FATAL order-service Out of memory: heap exhausted')).toEqual(
      draft({
        time: Date.UTC(2024, 10, 2, 23, 59, 59, 999),
        level: 'FATAL',
        service: 'order-service',
        message: 'Out of memory: heap exhausted',
      }),
    );
  });

  it('normalizes level words, skips runs of spaces and tabs, keeps the message as written', () => {
    expect(parse(f, '2025-03-14T10:22:31  warning \t svc   two  spaces ')).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31),
        level: 'WARN',
        service: 'svc',
        message: 'two  spaces ',
      }),
    );
    expect(parse(f, '2025-03-14T10:22:31Z\tinfo\tapi\thello')).toEqual(
      draft({ time: Date.UTC(2025, 2, 14, 10, 22, 31), level: 'INFO', service: 'api', message: 'hello' }),
    );
    expect(parse(f, '2025-03-14T10:22:31Z [err] db')).toEqual(
      draft({ time: Date.UTC(2025, 2, 14, 10, 22, 31), level: 'ERROR', service: 'db', message: '' }),
    );
  });

  it('applies the configured zone to times without one', () => {
    expect(parse(f, '2025-07-14T12:00:00 INFO api up', 'Europe/Paris')?.time).toBe(Date.UTC(2025, 6, 14, 10));
  });

  it('decodes non-ASCII messages and services', () => {
    expect(parse(f, '2025-03-14T10:22:31Z INFO café-svc ☕ prêt à servir 😀')).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31),
        level: 'INFO',
        service: 'café-svc',
        message: '☕ prêt à servir 😀',
      }),
    );
  });

  it('reads a line inside a larger buffer, through the pre-decoded chunk text when given', () => {
    const chunk = 'junk\n2025-03-14T10:22:31Z INFO api hello world\nmore';
    const b = utf8(chunk);
    const start = 5;
    const end = chunk.indexOf('\nmore');
    const ctx = utcContext();
    const d: RecordDraft = draft({});
    const info = lineInfo(end - start + 1, { ascii: true, text: chunk, textBase: 0, offset: start });
    expect(f.parse(b, start, end, info, d, ctx)).toBe(true);
    expect(d).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31),
        level: 'INFO',
        service: 'api',
        message: 'hello world',
      }),
    );
    // the interner hands out the same string for the same service bytes
    const d2: RecordDraft = draft({});
    expect(f.parse(b, start, end, lineInfo(end - start), d2, ctx)).toBe(true);
    expect(d2.service).toBe('api');
  });

  it('rejects lines that are not time, level, service', () => {
    for (const s of [
      '',
      'hello world',
      '2025-03-14T10:22:31Z',
      '2025-03-14T10:22:31Z ',
      '2025-03-14T10:22:31Z INFO',
      '2025-03-14T10:22:31Z INFO   ',
      '2025-03-14T10:22:31Z NOTALEVEL svc msg',
      '2025-03-14T10:22:31ZINFO svc msg',
      '2025-03-14T10:22:31Z [] svc msg',
      '[2025-03-14T10:22:31Z] INFO svc msg',
      '2025-03-14 INFO svc msg',
      '14/Mar/2025:10:22:31 +0000 INFO svc msg',
      'INFO 2025-03-14T10:22:31Z svc msg',
      '{"time":"2025-03-14T10:22:31Z","level":"info","msg":"x"}',
    ]) {
      expect([s, parse(f, s)]).toEqual([s, null]);
    }
  });
});

describe('json', () => {
  const f = fmt('json');

  it('parses the common field names and keeps the rest as fields', () => {
    expect(
      parse(
        f,
        '{"time":"2025-03-14T10:22:31.123Z","level":"error","service":"payment-service","msg":"Timeout calling db after 3000ms"}',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31, 123),
        level: 'ERROR',
        service: 'payment-service',
        message: 'Timeout calling db after 3000ms',
      }),
    );
    expect(
      parse(
        f,
        '{"timestamp":"2025-03-14T10:22:31Z","severity":"WARNING","logger":"auth","message":"token close to expiry","user":8812}',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31),
        level: 'WARN',
        service: 'auth',
        message: 'token close to expiry',
        fields: { user: 8812 },
      }),
    );
    expect(
      parse(
        f,
        '{"level":30,"time":1710411751123,"pid":4242,"hostname":"web-1","name":"checkout","msg":"request completed","res":{"statusCode":200}}',
      ),
    ).toEqual(
      draft({
        time: 1710411751123,
        level: 'INFO',
        service: 'checkout',
        message: 'request completed',
        fields: { pid: 4242, hostname: 'web-1', res: '{"statusCode":200}' },
      }),
    );
    expect(
      parse(
        f,
        '{"@timestamp":"2025-03-14T10:22:31.123+00:00","log.level":"info","service.name":"search","message":"query ok"}',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31, 123),
        level: 'INFO',
        service: 'search',
        message: 'query ok',
      }),
    );
  });

  it('reads epoch times in seconds, ms, µs and ns, as numbers or digit strings, and {"$date"}', () => {
    const ms = 1710411751123;
    expect(parse(f, '{"ts":1710411751,"msg":"s"}')?.time).toBe(1710411751000);
    expect(parse(f, '{"ts":1710411751.5,"msg":"s"}')?.time).toBe(1710411751500);
    expect(parse(f, `{"ts":${ms},"msg":"ms"}`)?.time).toBe(ms);
    expect(parse(f, `{"ts":${ms}456,"msg":"us"}`)?.time).toBe(ms);
    expect(parse(f, `{"ts":"${ms}456789","msg":"ns"}`)?.time).toBe(ms);
    expect(parse(f, '{"ts":"1710411751","msg":"s"}')?.time).toBe(1710411751000);
    expect(parse(f, '{"t":{"$date":"2025-03-14T10:22:31.000Z"},"msg":"mongo"}')).toEqual(
      draft({ time: Date.UTC(2025, 2, 14, 10, 22, 31), message: 'mongo' }),
    );
    expect(epochToMs(0)).toBeNaN();
    expect(epochToMs(-5)).toBeNaN();
    expect(epochToMs(NaN)).toBeNaN();
  });

  it('keeps records whose time is not understood, without a time', () => {
    expect(parse(f, '{"time":"yesterday","level":"info","msg":"x"}')).toEqual(
      draft({ level: 'INFO', message: 'x' }),
    );
    expect(parse(f, '{"time":true,"msg":"x"}')).toEqual(draft({ message: 'x' }));
  });

  it('normalizes message, level and service values', () => {
    expect(parse(f, '{"msg":"hello\\n  ","level":"50","service":""}')).toEqual(
      draft({ level: 'ERROR', message: 'hello' }),
    );
    expect(parse(f, '{"msg":42,"level":"nonsense","app":7}')).toEqual(draft({ message: '42' }));
    expect(parse(f, '{"message":{"a":1},"lvl":"dbg"}')).toEqual(
      draft({ level: 'DEBUG', message: '{"a":1}' }),
    );
    expect(parse(f, '{"level":"warn"}')).toEqual(draft({ level: 'WARN' }));
    expect(parse(f, '  {"msg":"padded"}\t')).toEqual(draft({ message: 'padded' }));
    // ("s" is a level key since MongoDB logs use it, so the string field is named "str" here)
    expect(parse(f, '{"msg":"x","arr":[1,2],"nul":null,"b":true,"str":"t","n":1.5}')).toEqual(
      draft({ message: 'x', fields: { arr: '[1,2]', nul: null, b: true, str: 't', n: 1.5 } }),
    );
  });

  it('reads MongoDB-style "s" (level letter) and "c" (component) keys, and single-letter levels', () => {
    expect(
      parse(
        f,
        '{"t":{"$date":"2024-01-15T10:30:45.123+00:00"},"s":"W","c":"NETWORK","id":22943,"msg":"Connection refused"}',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2024, 0, 15, 10, 30, 45, 123),
        level: 'WARN',
        service: 'NETWORK',
        message: 'Connection refused',
        fields: { id: 22943 },
      }),
    );
    const letters: [string, string][] = [
      ['V', 'TRACE'],
      ['D', 'DEBUG'],
      ['I', 'INFO'],
      ['N', 'INFO'],
      ['W', 'WARN'],
      ['E', 'ERROR'],
      ['F', 'FATAL'],
      ['A', 'FATAL'],
      ['C', 'FATAL'],
      ['e', 'ERROR'],
    ];
    for (const [letter, level] of letters) {
      expect([letter, parse(f, `{"s":"${letter}","msg":"x"}`)?.level]).toEqual([letter, level]);
      expect([letter, parse(f, `{"level":"${letter}","msg":"x"}`)?.level]).toEqual([letter, level]);
    }
    // "level" comes before "s" in the key list
    expect(parse(f, '{"level":"error","s":"I","msg":"x"}')).toEqual(
      draft({ level: 'ERROR', message: 'x', fields: { s: 'I' } }),
    );
    expect(parse(f, '{"s":"X","msg":"x"}')?.level).toBeNull();
  });

  it('guesses the level of a Docker json-file line from the app line in "log"', () => {
    expect(
      parse(
        f,
        '{"log":"ERROR failed to connect to db\\n","stream":"stderr","time":"2024-01-15T10:30:45.123456789Z"}',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2024, 0, 15, 10, 30, 45, 123),
        level: 'ERROR',
        message: 'ERROR failed to connect to db',
        fields: { stream: 'stderr' },
      }),
    );
    expect(
      parse(
        f,
        '{"log":"{\\"level\\":\\"warn\\",\\"msg\\":\\"slow\\"}\\n","stream":"stdout","time":"2024-01-15T10:30:45Z"}',
      )?.level,
    ).toBe('WARN');
    expect(
      parse(f, '{"log":"listening on :8080\\n","stream":"stdout","time":"2024-01-15T10:30:45Z"}')?.level,
    ).toBeNull();
    // prose that mentions an error is not a level
    expect(
      parse(f, '{"log":"an error occurred\\n","stream":"stdout","time":"2024-01-15T10:30:45Z"}')?.level,
    ).toBeNull();
    // without "stream" it is no Docker line: no guess
    expect(parse(f, '{"log":"ERROR boom","time":"2024-01-15T10:30:45Z"}')?.level).toBeNull();
  });

  it('takes the first key present in the listed order and leaves the others as fields', () => {
    expect(
      parse(f, '{"ts":"2025-03-14T10:22:31Z","time":"2025-03-14T11:00:00Z","msg":"m","message":"first"}'),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 11),
        message: 'first',
        fields: { ts: '2025-03-14T10:22:31Z', msg: 'm' },
      }),
    );
  });

  it('reads a nested "log": {"level"} (ECS)', () => {
    const d = parse(f, '{"log":{"level":"warn"},"message":"hi"}');
    expect(d?.level).toBe('WARN');
    expect(d?.message).toBe('hi');
  });

  // Regression: an object under "service" (ECS) is passed over for the nested "service.name".
  it('reads a nested "service": {"name"} (ECS)', () => {
    expect(
      parse(f, '{"@timestamp":"2025-03-14T10:22:31Z","service":{"name":"search"},"message":"hi"}')?.service,
    ).toBe('search');
  });

  it('rejects lines that are not log objects', () => {
    for (const s of [
      '',
      '{}',
      '{"user":1,"id":2}',
      '[1,2]',
      '{bad json}',
      '"str"',
      'null',
      '{"msg":"x"',
      '{"msg":"x"} trailing',
      'x {"msg":"x"}',
      '2025-03-14T10:22:31Z INFO svc {"msg":"x"}',
      'level=info msg=x',
    ]) {
      expect([s, parse(f, s)]).toEqual([s, null]);
    }
  });
});

describe('logfmt', () => {
  const f = fmt('logfmt');

  it('parses the sample lines', () => {
    expect(
      parse(
        f,
        'time="2021-09-15T21:17:10.220731Z" level=error msg="failed to sync pod" component=kubelet pod=web-7f9',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2021, 8, 15, 21, 17, 10, 220),
        level: 'ERROR',
        service: 'kubelet',
        message: 'failed to sync pod',
        fields: { pod: 'web-7f9' },
      }),
    );
    expect(
      parse(
        f,
        'ts=2025-03-14T10:22:31.123Z level=info service=api-gateway msg="request done" method=GET path=/v1/orders status=200 dur=12ms',
      ),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 31, 123),
        level: 'INFO',
        service: 'api-gateway',
        message: 'request done',
        fields: { method: 'GET', path: '/v1/orders', status: '200', dur: '12ms' },
      }),
    );
    expect(
      parse(f, 'level=warn ts=2025-03-14T10:22:32Z caller=main.go:42 msg="slow query" took=2.5s'),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 32),
        level: 'WARN',
        message: 'slow query',
        fields: { caller: 'main.go:42', took: '2.5s' },
      }),
    );
  });

  // Regression: log15 writes lvl=dbug, a level word since src/engine/levels.ts lists it.
  it('parses the log15 sample with lvl=dbug as DEBUG', () => {
    expect(
      parse(f, 't=2025-03-14T10:22:33+0000 lvl=dbug msg="cache refreshed" logger=store entries=512'),
    ).toEqual(
      draft({
        time: Date.UTC(2025, 2, 14, 10, 22, 33),
        level: 'DEBUG',
        service: 'store',
        message: 'cache refreshed',
        fields: { entries: '512' },
      }),
    );
  });

  it('handles escapes in quoted values, bare keys and empty values', () => {
    expect(parse(f, 'level=info msg="say \\"hi\\"\\tnow\\nplease" x=1')).toEqual(
      draft({ level: 'INFO', message: 'say "hi"\tnow\nplease', fields: { x: '1' } }),
    );
    expect(parse(f, 'level=info msg=hi debug')).toEqual(
      draft({ level: 'INFO', message: 'hi', fields: { debug: true } }),
    );
    expect(parse(f, 'level=info msg= x=1')).toEqual(
      draft({ level: 'INFO', message: '', fields: { x: '1' } }),
    );
    expect(parse(f, 'msg="héllo wörld" level=warn app=café')).toEqual(
      draft({ level: 'WARN', service: 'café', message: 'héllo wörld' }),
    );
  });

  it('parseLogfmt returns the pairs, or null when the line is not logfmt', () => {
    expect(parseLogfmt('a=1 b="x y"  msg=z flag')).toEqual({ a: '1', b: 'x y', msg: 'z', flag: true });
    expect(parseLogfmt('a=1 b=2')).toBeNull(); // no known key
    expect(parseLogfmt('msg=x')).toBeNull(); // one pair
    expect(parseLogfmt('msg=x flag')).toBeNull(); // bare keys are not pairs
    expect(parseLogfmt('msg="open level=info')).toBeNull(); // unterminated quote
    expect(parseLogfmt('a:b=1 msg=x')).toBeNull();
  });

  it('rejects lines that are not logfmt', () => {
    for (const s of [
      '',
      'hello world',
      'level=info',
      'foo=1 bar=2',
      'level=info msg="unterminated',
      ' level=info msg=x',
      '=x level=info msg=y',
      'a:b=1 level=info msg=x',
      'GET /index.html?a=b HTTP/1.1',
      '2025-03-14T10:22:31Z INFO api ratio=0.93',
      '{"level":"info","msg":"x"}',
    ]) {
      expect([s, parse(f, s)]).toEqual([s, null]);
    }
  });
});
