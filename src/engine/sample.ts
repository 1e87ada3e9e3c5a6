import type { Level } from './types.ts';

/**
 * A realistic multi-service log, seeded so that every run gives the same bytes: the page's "Try a sample"
 * and `npm run gen` share it. Level mix ≈ 80 % INFO, 10 % DEBUG, 7 % WARN, 3 % ERROR; a few incidents
 * (an error burst with a warning → error → breaker sequence) and Java stack traces under some errors.
 * Format: `<ISO-8601 time> <LEVEL> <service> <message>`.
 */
export interface SampleOptions {
  /** stop once this many bytes are written (the last record completes) */
  bytes: number;
  seed?: number;
  /** time of the first record, ms since epoch */
  start?: number;
  /** time the log spans, roughly */
  spanMs?: number;
  /** number of incidents (error bursts) spread over the span */
  incidents?: number;
  /**
   * Off by default (the page's sample and the tests' truths stay byte-identical). On: errors are ~10 % of the
   * records and every traffic error is followed by a 5–30-line stack trace (`\tat …`, `Caused by: …`, `... N more`).
   */
  stackTraces?: boolean;
  /** Off by default. On: ~0.1 % of the records carry one non-ASCII name (José, Zoë, 北京, Müller …). */
  nonAscii?: boolean;
  /** On by default: the gateway's traffic drops to a tenth for ~1 % of the span. Off: no outage. */
  outage?: boolean;
  /** Off (0) by default. Extra message shapes mixed into 30 % of the INFO and DEBUG traffic: many templates. */
  extraTemplates?: number;
}

/** The benchmarks' realistic log (issue 9): stack traces, a few non-ASCII names, many templates. */
export const REALISTIC: Pick<SampleOptions, 'stackTraces' | 'nonAscii' | 'extraTemplates'> = {
  stackTraces: true,
  nonAscii: true,
  extraTemplates: 300,
};

export interface SampleTruth {
  bytes: number;
  lines: number;
  records: number;
  levels: Record<Level, number>;
  services: Record<string, { records: number; errors: number }>;
  firstTime: number;
  lastTime: number;
  /** the planted incidents (error bursts of one service), in time order; times in ms since epoch */
  incidents: { start: number; end: number; service: string }[];
  /** the planted outage: the gateway's traffic drops to a tenth (a drop in volume, not an error incident) */
  outage: { start: number; end: number } | null;
}

/** xmur3-seeded mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES: readonly [string, number][] = [
  ['api-gateway', 26],
  ['auth-service', 14],
  ['order-service', 13],
  ['payment-service', 11],
  ['inventory-service', 10],
  ['search-service', 10],
  ['user-service', 9],
  ['notification-service', 7],
];

type Msg = (r: () => number) => string;
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const hex = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const PATHS = [
  '/v1/orders',
  '/v1/users/me',
  '/v1/cart',
  '/v1/search',
  '/v1/payments',
  '/v1/inventory',
  '/health',
];

const INFO: Msg[] = [
  (r) => `GET ${PATHS[int(r, 0, 6)]} 200 ${int(r, 2, 180)}ms request_id=${hex(r, 12)}`,
  (r) => `POST ${PATHS[int(r, 0, 5)]} 201 ${int(r, 5, 400)}ms request_id=${hex(r, 12)}`,
  (r) =>
    `User ${int(r, 1000, 99999)} logged in from 10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
  (r) =>
    `Order ${int(r, 100000, 999999)} created with ${int(r, 1, 9)} items total=${int(r, 5, 900)}.${int(r, 10, 99)} EUR`,
  (r) => `Payment authorized for order ${int(r, 100000, 999999)} in ${int(r, 40, 900)}ms`,
  (r) => `Stock reserved sku=SKU-${int(r, 1000, 9999)} qty=${int(r, 1, 5)}`,
  (r) => `Search query served hits=${int(r, 0, 500)} took=${int(r, 3, 120)}ms`,
  (r) => `Email queued for user ${int(r, 1000, 99999)} template=order_confirmation`,
  (r) => `Cache refreshed entries=${int(r, 100, 5000)} in ${int(r, 10, 300)}ms`,
  (r) => `Session ${hex(r, 16)} renewed`,
];
const DEBUG: Msg[] = [
  (r) => `Cache hit key=user:${int(r, 1000, 99999)} ttl=${int(r, 1, 600)}s`,
  (r) => `Acquired db connection pool=${int(r, 1, 20)}/20 wait=${int(r, 0, 15)}ms`,
  (r) =>
    `Feature flag checkout_v2 evaluated to ${r() < 0.5 ? 'true' : 'false'} for user ${int(r, 1000, 99999)}`,
  (r) => `Outgoing call to ${SERVICES[int(r, 0, 7)]![0]} took ${int(r, 1, 90)}ms`,
];
const WARN: Msg[] = [
  (r) => `Slow query on orders took ${int(r, 1000, 4000)}ms rows=${int(r, 1, 50000)}`,
  (r) => `Retrying call to payment-provider attempt=${int(r, 1, 3)} after ${int(r, 100, 2000)}ms`,
  (r) => `Rate limit at ${int(r, 80, 99)}% for client ${hex(r, 8)}`,
  (r) => `Token for user ${int(r, 1000, 99999)} close to expiry`,
  (r) => `Deprecated API version v0 called by client ${hex(r, 8)}`,
];
const ERROR: Msg[] = [
  (r) => `Timeout calling db after ${int(r, 2, 5) * 1000}ms`,
  (r) => `Failed to process order ${int(r, 100000, 999999)}: upstream returned 503`,
  (r) => `NullPointerException while rendering template order_${int(r, 1, 40)}`,
  (r) => `Payment declined by provider code=${int(r, 5001, 5099)} order=${int(r, 100000, 999999)}`,
  (r) => `Could not send email to user ${int(r, 1000, 99999)}: SMTP 421`,
];

const EXCEPTIONS = [
  'java.lang.IllegalStateException: connection is closed',
  'java.util.concurrent.TimeoutException: Timed out after 3000 ms',
  'java.lang.NullPointerException: Cannot invoke "Order.getId()" because "order" is null',
  'org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection',
];
const FRAMES = [
  'com.shop.orders.OrderService.create(OrderService.java:',
  'com.shop.payments.PaymentClient.authorize(PaymentClient.java:',
  'com.shop.db.Pool.acquire(Pool.java:',
  'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:',
  'jakarta.servlet.http.HttpServlet.service(HttpServlet.java:',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:',
  'java.base/java.lang.Thread.run(Thread.java:',
];

// Names with 2-, 3- and 4-byte UTF-8 sequences.
const NAMES = ['José', 'Zoë', '北京', 'Müller', 'François', 'Łukasz', 'Søren', 'Dvořák', 'Алексей', '𠮷田'];
const NOUNS = [
  'cart',
  'invoice',
  'shipment',
  'coupon',
  'profile',
  'session',
  'token',
  'webhook',
  'report',
  'export',
];
const NOUNS2 = [
  'index',
  'queue',
  'batch',
  'ledger',
  'refund',
  'address',
  'wishlist',
  'review',
  'catalog',
  'price',
];
const VERBS = ['validated', 'synced', 'archived', 'rebuilt', 'scheduled', 'expired', 'merged', 'rejected'];
const VERBS2 = ['replayed', 'compacted', 'flushed', 'migrated', 'signed', 'throttled', 'resolved'];
const ALL_NOUNS = [...NOUNS, ...NOUNS2];
const ALL_VERBS = [...VERBS, ...VERBS2];

/** Extra message shape k: fixed words from k (20 nouns × 15 verbs), four layouts, variable numbers. */
function extraMessage(r: () => number, k: number): string {
  const noun = ALL_NOUNS[k % ALL_NOUNS.length]!;
  const verb = ALL_VERBS[Math.floor(k / ALL_NOUNS.length) % ALL_VERBS.length]!;
  switch (Math.floor(k / 5) % 4) {
    case 0:
      return `${noun} ${verb} id=${int(r, 1, 999999)} in ${int(r, 1, 900)}ms`;
    case 1:
      return `${noun} ${verb} for tenant t-${int(r, 1, 400)} after ${int(r, 1, 5)} attempts`;
    case 2:
      return `Job ${noun}-${verb} finished processed=${int(r, 0, 90000)} skipped=${int(r, 0, 90)} duration=${int(r, 5, 9000)}ms`;
    default:
      return `${noun} ${verb} by worker-${int(r, 1, 32)} shard=${int(r, 0, 63)}/64 lag=${int(r, 0, 5000)}ms`;
  }
}

interface Incident {
  start: number;
  end: number;
  service: string;
}

/** A service restart: shutdown, start, ready — the sample's second recurring sequence. */
interface Deploy {
  at: number;
  service: string;
  version: string;
  done: number;
}

/**
 * Yields the log in chunks of about 64 KiB; the generator's return value is the ground truth
 * (records, levels, services) counted while writing.
 */
export function* generateSample(opts: SampleOptions): Generator<string, SampleTruth> {
  const r = rng(opts.seed ?? 42);
  const start = opts.start ?? Date.UTC(2025, 2, 14, 0, 0, 0);
  const span = opts.spanMs ?? 24 * 3600_000;
  const realTraces = opts.stackTraces === true;
  const nonAscii = opts.nonAscii === true;
  const extra = opts.extraTemplates ?? 0;
  // ~92 bytes a record on average (~180 with long traces): spread the records evenly over the span
  const estRecords = Math.max(50, opts.bytes / (realTraces ? 180 : 92));
  const meanGap = span / estRecords;
  const nIncidents = opts.incidents ?? 4;
  const incidents: Incident[] = [];
  for (let i = 0; i < nIncidents; i++) {
    const at = start + ((i + 0.5) / nIncidents) * span + (r() - 0.5) * (span / nIncidents / 3);
    const len = Math.max(90_000, span * (0.004 + r() * 0.002)); // ~0.5 % of the span, 90 s at least
    incidents.push({ start: at, end: at + len, service: i % 2 === 0 ? 'payment-service' : 'order-service' });
  }
  // A few restarts, and one outage of the gateway: traffic drops to a tenth for ~1 % of the span.
  const deploys: Deploy[] = [];
  for (let i = 0; i < 3; i++) {
    deploys.push({
      at: start + ((i + 0.3) / 3) * span,
      service: ['order-service', 'search-service', 'auth-service'][i]!,
      version: `2.${14 + i}.${int(r, 0, 9)}`,
      done: 0,
    });
  }
  const outageStart = start + 0.62 * span;
  const outageEnd = outageStart + span * 0.01;
  // Incidents write ~2 lines a second (at most 1.5 per traffic line); the background error rate makes room
  // for them, so that errors stay near 3 % of the records whatever the size and span.
  const incidentLambda = Math.min(1.5, (2 * meanGap) / 1000);
  const incidentShare =
    incidents.reduce((s, i) => s + ((i.end - i.start) / meanGap) * incidentLambda, 0) / estRecords;
  // With s incident lines per traffic line (about 90 % errors, 10 % warnings), the traffic's own mix is
  // set so that the whole log is ~80 % INFO, 10 % DEBUG, 7 % WARN, 3 % ERROR.
  // With long stack traces on, the mix is 72 / 10 / 8 / 10 % (errors are a tenth of the records).
  const s = Math.min(incidentShare, 0.028);
  const infoUpTo = (realTraces ? 0.72 : 0.8) * (1 + s);
  const debugUpTo = infoUpTo + 0.1 * (1 + s);
  const warnUpTo = debugUpTo + (realTraces ? 0.08 : 0.07) * (1 + s) - 0.1 * s;
  const truth: SampleTruth = {
    bytes: 0,
    lines: 0,
    records: 0,
    levels: { TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, FATAL: 0 },
    services: {},
    firstTime: start,
    lastTime: start,
    incidents: incidents.map((i) => ({
      start: Math.floor(i.start),
      end: Math.floor(i.end),
      service: i.service,
    })),
    outage: opts.outage === false ? null : { start: outageStart, end: outageEnd },
  };
  const totalWeight = SERVICES.reduce((s, [, w]) => s + w, 0);
  const pickService = (): string => {
    let x = r() * totalWeight;
    for (const [name, w] of SERVICES) {
      x -= w;
      if (x < 0) return name;
    }
    return SERVICES[0]![0];
  };
  let t = start;
  let buf = '';
  const lines: string[] = [];
  const emit = (time: number, level: Level, service: string, message: string, extra: string[] = []): void => {
    const line = `${new Date(time).toISOString()} ${level} ${service} ${message}\n`;
    lines.push(line);
    for (const e of extra) lines.push(e + '\n');
    truth.records++;
    truth.lines += 1 + extra.length;
    truth.levels[level]++;
    const s = (truth.services[service] ??= { records: 0, errors: 0 });
    s.records++;
    if (level === 'ERROR' || level === 'FATAL') s.errors++;
    truth.lastTime = time;
  };
  const trace = (): string[] => (realTraces ? longTrace() : shortTrace());
  // 5–30 lines: the exception, its frames, and sometimes a cause with `... N more`.
  const longTrace = (): string[] => {
    const total = int(r, 5, 30);
    const caused = total >= 8 && r() < 0.4;
    const out = [EXCEPTIONS[int(r, 0, EXCEPTIONS.length - 1)]!];
    for (let i = 0; i < total - 1 - (caused ? 3 : 0); i++)
      out.push(`\tat ${FRAMES[int(r, 0, FRAMES.length - 1)]}${int(r, 20, 900)})`);
    if (caused) {
      out.push(`Caused by: ${EXCEPTIONS[int(r, 0, EXCEPTIONS.length - 1)]}`);
      out.push(`\tat ${FRAMES[2]}${int(r, 20, 900)})`);
      out.push(`\t... ${int(r, 5, 40)} more`);
    }
    return out;
  };
  const shortTrace = (): string[] => {
    const out = [EXCEPTIONS[int(r, 0, EXCEPTIONS.length - 1)]!];
    const depth = int(r, 3, 8);
    for (let i = 0; i < depth; i++)
      out.push(`\tat ${FRAMES[int(r, 0, FRAMES.length - 1)]}${int(r, 20, 900)})`);
    if (r() < 0.4) {
      out.push(`Caused by: ${EXCEPTIONS[int(r, 0, EXCEPTIONS.length - 1)]}`);
      out.push(`\tat ${FRAMES[2]}${int(r, 20, 900)})`);
      out.push(`\t... ${int(r, 5, 40)} more`);
    }
    return out;
  };
  // Every option draws from r() only when on, so that the default bytes do not change.
  const pick = (msgs: Msg[]): string =>
    extra > 0 && r() < 0.3 ? extraMessage(r, int(r, 0, extra - 1)) : msgs[int(r, 0, msgs.length - 1)]!(r);
  const named = (m: string): string =>
    nonAscii && r() < 0.001 ? `${m} customer=${NAMES[int(r, 0, NAMES.length - 1)]}` : m;
  while (truth.bytes < opts.bytes) {
    t += -Math.log(1 - r()) * meanGap;
    const time = Math.floor(t);
    // the gateway is down: silence
    if (opts.outage !== false && time >= outageStart && time < outageEnd && r() < 0.9) continue;
    for (const d of deploys) {
      // shutdown → start (5–15 s later) → ready (3–8 s later), written when their time comes
      if (d.done === 0 && time >= d.at) {
        emit(time, 'INFO', d.service, 'Received SIGTERM, shutting down gracefully');
        d.done = 1;
        d.at = time + int(r, 5000, 15000);
      } else if (d.done === 1 && time >= d.at) {
        emit(time, 'INFO', d.service, `Starting ${d.service} version ${d.version}`);
        d.done = 2;
        d.at = time + int(r, 3000, 8000);
      } else if (d.done === 2 && time >= d.at) {
        emit(time, 'INFO', d.service, `Ready to accept connections in ${int(r, 2500, 9000)}ms`);
        d.done = 3;
      }
    }
    const incident = incidents.find((i) => time >= i.start && time < i.end);
    if (incident) {
      // The incident writes ~2 lines a second on top of the traffic, whatever the traffic's rate: pool
      // exhausted (first 10 s) → timeouts → the breaker opens 40–60 s in.
      const lambda = incidentLambda;
      const k = Math.floor(lambda) + (r() < lambda - Math.floor(lambda) ? 1 : 0);
      const since = time - incident.start;
      const s = incident.service;
      for (let i = 0; i < k; i++) {
        if (since < 10_000)
          emit(time, 'WARN', s, `Connection pool exhausted active=20/20 waiting=${int(r, 5, 60)}`);
        else if (since >= 40_000 && since < 60_000 && r() < 0.15) {
          emit(time, 'ERROR', s, 'Circuit breaker opened for db after repeated timeouts');
        } else
          emit(
            time,
            'ERROR',
            s,
            `Timeout calling db after ${int(r, 3, 5) * 1000}ms`,
            r() < 0.1 ? trace() : [],
          );
      }
    }
    {
      const x = r();
      const service = pickService();
      if (x < infoUpTo) emit(time, 'INFO', service, named(pick(INFO)));
      else if (x < debugUpTo) emit(time, 'DEBUG', service, named(pick(DEBUG)));
      else if (x < warnUpTo) emit(time, 'WARN', service, named(WARN[int(r, 0, WARN.length - 1)]!(r)));
      else if (x < 0.99995)
        emit(
          time,
          'ERROR',
          service,
          named(ERROR[int(r, 0, ERROR.length - 1)]!(r)),
          realTraces || r() < 0.25 ? trace() : [],
        );
      else emit(time, 'FATAL', service, 'Out of memory: Java heap space, shutting down', trace());
    }
    if (lines.length >= 512) {
      const text = lines.join('');
      lines.length = 0;
      buf += text;
      truth.bytes += nonAscii ? utf8Length(text) : text.length;
      if (buf.length >= 64 * 1024) {
        yield buf;
        buf = '';
      }
    }
  }
  if (lines.length > 0) {
    const text = lines.join('');
    buf += text;
    truth.bytes += nonAscii ? utf8Length(text) : text.length;
  }
  if (buf.length > 0) yield buf;
  return truth;
}

/** UTF-8 bytes of `s`; a surrogate pair (4 bytes) counts 2 + 2. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return n;
}
