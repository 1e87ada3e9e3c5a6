/**
 * Diagnostic (not a benchmark): while `loglens serve FILE` streams a growing file into the built page, prints
 * every `--every` seconds the renderer's RSS, the page's and each worker's JS heap (CDP Runtime.getHeapUsage),
 * the page's DOM counters; `--snap DIR` writes heap snapshots of the page and workers at the first and last row.
 * `--raw`: Chromium started without any DevTools session (as a user's browser): each Chromium process' resident
 * memory only (the renderer's split into anonymous, file-backed and shared memory), and `loglens serve`'s.
 * `--infra` (with `--raw`): each row also gives the largest renderer's memory by allocator, from Chromium's own
 * memory-infra dump (scripts/memory-infra.ts; a DevTools connection for the moment of the dump).
 * `--no-logview`: the page is served through a proxy (in this script) whose `/live/info` says that the server
 * keeps none of the stream's start, so the page shows no log view (docs/live.md: "none of those read can be read
 * again now") and fetches no `/live/bytes`: the dashboard alone follows the stream. Without it the same proxy
 * passes everything through unchanged, so that both runs have the same path.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumRss } from './bench-lib.ts';
import { allocatorLine, memoryInfra } from './memory-infra.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    every: { type: 'string', default: '20' },
    rate: { type: 'string', default: '2000' },
    port: { type: 'string', default: '4382' },
    /** the remote debugging port of --raw's Chromium (default: --port + 1); the proxy's is --port + 2 */
    'cdp-port': { type: 'string' },
    'no-logview': { type: 'boolean', default: false },
    snap: { type: 'string' },
    hide: { type: 'boolean', default: false },
    raw: { type: 'boolean', default: false },
    infra: { type: 'boolean', default: false },
    /** the built page to serve (`loglens serve --dist`): a copy keeps a long run apart from builds meanwhile */
    dist: { type: 'string' },
    /** what `loglens serve` keeps of the stream (`--keep`): small, its start is dropped within minutes */
    keep: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const every = Number(values.every) * 1000;
const cdpPort = Number(values['cdp-port'] ?? Number(values.port) + 1);
const proxyPort = Number(values.port) + 2;

/** A process' resident memory (KiB) by kind, from /proc/PID/status. */
function rssParts(pid: number): { anon: number; file: number; shmem: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const k = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { anon: k('RssAnon'), file: k('RssFile'), shmem: k('RssShmem') };
  } catch {
    return { anon: 0, file: 0, shmem: 0 };
  }
}

/**
 * The page's way to `loglens serve` (at `target`): everything passed through, but with `hideLog` its
 * `/live/info` says the server keeps nothing before 2^52 (the page then shows no log view).
 */
function proxy(target: URL, hideLog: boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: target.host };
    if (headers.origin !== undefined) headers.origin = target.origin;
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (r) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (hideLog && path === '/live/info' && r.statusCode === 200) {
          let body = '';
          r.setEncoding('utf8').on('data', (c: string) => (body += c));
          r.on('end', () => {
            const info = JSON.parse(body) as Record<string, unknown>;
            const text = JSON.stringify({ ...info, from: 2 ** 52 });
            const h = { ...r.headers, 'content-length': String(Buffer.byteLength(text)) };
            res.writeHead(200, h).end(text);
          });
          return;
        }
        res.writeHead(r.statusCode ?? 502, r.headers);
        if (path === '/live') res.flushHeaders();
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(proxyPort, '127.0.0.1', () => resolve(server)));
}

const SERVICES = ['order-service', 'payment-service', 'auth', 'gateway', 'inventory', 'search', 'mailer'];
const PATHS = ['/api/orders', '/api/cart', '/api/login', '/api/search', '/health'];
let seq = 0;
function line(t: number, burst: boolean): string {
  seq++;
  const when = new Date(t).toISOString();
  const svc = SERVICES[seq % SERVICES.length]!;
  if (burst && seq % 3 === 0)
    return `${when} ERROR order-service Timeout calling db after ${1000 + (seq % 900)} ms\n`;
  if (seq % 97 === 0)
    return `${when} WARN ${svc} Slow response from ${PATHS[seq % 5]} took ${seq % 5000} ms\n`;
  if (seq % 1013 === 0) return `${when} ERROR ${svc} Connection reset by peer ${seq % 255}.${seq % 7}\n`;
  return `${when} INFO ${svc} Request ${seq} ${PATHS[seq % 5]} handled in ${seq % 300} ms user=u${seq % 5000}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'loglens-probe-'));
const file = join(dir, 'app.log');
writeFileSync(file, '');
const children: ChildProcess[] = [];
let browser: Browser | null = null;
let proxied: Server | null = null;
const DONE = new Error('done');

/** Workers reached through the page's session (Target.sendMessageToTarget, not flattened). */
class Workers {
  private next = 1;
  private waiting = new Map<number, (r: unknown) => void>();
  readonly targets = new Map<string, { sessionId: string; url: string }>();
  constructor(private readonly s: CDPSession) {
    s.on('Target.attachedToTarget', (e) => {
      this.targets.set(e.targetInfo.targetId, { sessionId: e.sessionId, url: e.targetInfo.url });
    });
    s.on('Target.detachedFromTarget', (e) => {
      for (const [k, v] of this.targets) if (v.sessionId === e.sessionId) this.targets.delete(k);
    });
    s.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown; method?: string; params?: unknown };
      if (m.id !== undefined) {
        this.waiting.get(m.id)?.(m.result);
        this.waiting.delete(m.id);
      } else if (m.method && this.onEvent) this.onEvent(e.sessionId, m.method, m.params);
    });
  }
  onEvent: ((sessionId: string, method: string, params: unknown) => void) | null = null;
  send(sessionId: string, method: string, params: object = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      void this.s.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
  }
}

async function snapshotTo(
  path: string,
  send: (m: string, p?: object) => Promise<unknown>,
  on: (f: (chunk: string) => void) => void,
): Promise<void> {
  const out = createWriteStream(path);
  on((chunk) => out.write(chunk));
  await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await new Promise<void>((r) => out.end(r));
}

try {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' });
  const serve = spawn(
    process.execPath,
    [
      'dist-cli/loglens.js',
      'serve',
      file,
      '--port',
      values.port,
      '--quiet',
      ...(values.dist !== undefined ? ['--dist', values.dist] : []),
      ...(values.keep !== undefined ? ['--keep', values.keep] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(serve);
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    serve.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) done(out.trim().split('\n')[0]!);
    });
    serve.on('exit', (code) => fail(new Error(`serve exited (${code})`)));
  });
  const serveUrl = new URL(url);
  proxied = await proxy(serveUrl, values['no-logview']);
  const pageUrl = `http://127.0.0.1:${proxyPort}/`;
  if (values.raw) {
    // no DevTools session at all (a user's browser): the renderer's RSS only, and the page's records at the end
    const profile = mkdtempSync(join(tmpdir(), 'loglens-probe-profile-'));
    const chrome = spawn(
      CHROMIUM_PATH ?? chromium.executablePath(),
      [
        '--headless=new',
        ...CHROMIUM_ARGS,
        `--user-data-dir=${profile}`,
        `--remote-debugging-port=${cdpPort}`,
        '--window-size=1280,900',
        pageUrl,
      ],
      { stdio: 'ignore' },
    );
    children.push(chrome);
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    let nextRow = t0 + every;
    let written = 0;
    while (Date.now() < end) {
      const now = Date.now();
      const due = Math.floor(((now - t0) / 1000) * rate) - written;
      const burst = (now - t0) % 180_000 > 60_000 && (now - t0) % 180_000 < 80_000;
      let chunk = '';
      for (let i = 0; i < due; i++) chunk += line(now - 100 + (100 * i) / Math.max(1, due), burst);
      if (chunk !== '') appendFileSync(file, chunk);
      written += due;
      if (now >= nextRow) {
        nextRow += every;
        const mb = (kib: number): string => (kib / 1024).toFixed(0);
        const procs = chromiumRss();
        const rs = procs
          .filter((p) => p.type === 'renderer')
          .map((p) => {
            const x = rssParts(p.pid);
            return `${mb(p.rss)} (anon ${mb(x.anon)} file ${mb(x.file)} shmem ${mb(x.shmem)})`;
          });
        const others = procs
          .filter((p) => p.type !== 'renderer')
          .map((p) => `${p.type} ${mb(p.rss)}`)
          .join(', ');
        const serveRss = rssParts(serve.pid!);
        console.log(
          `${((now - t0) / 60000).toFixed(1)} min  written ${written}  renderers ${rs.join(' ')} MB  others ${others}  serve ${mb(serveRss.anon + serveRss.file + serveRss.shmem)}`,
        );
        if (values.infra) {
          // the renderer with the largest RSS (the page's): a dump can miss a process that was busy
          const page = procs.filter((p) => p.type === 'renderer').sort((a, b) => b.rss - a.rss)[0];
          const dump = await memoryInfra(cdpPort).catch(() => []);
          const big = dump.find((p) => p.pid === page?.pid);
          console.log(
            big === undefined
              ? '  renderer by allocator: not in this dump'
              : `  renderer by allocator (MiB): ${allocatorLine(big)}; footprint ${big.footprint.toFixed(0)}`,
          );
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`);
    const pg = browser.contexts()[0]?.pages()[0];
    console.log(
      'page:',
      (
        await pg
          ?.getByTestId('live')
          .textContent()
          .catch(() => '?')
      )?.slice(0, 120),
    );
    console.log(
      'log view:',
      (
        await pg
          ?.getByTestId('logview-status')
          .textContent()
          .catch(() => '?')
      )?.trim(),
    );
    if (pg !== undefined) {
      // at the end only (a DevTools session from now on): how much of the renderer is the JS heaps, and how much
      // a full collection of each (the page's, each worker's) gives back
      const renderers = (): string =>
        chromiumRss()
          .filter((p) => p.type === 'renderer')
          .map((p) => (p.rss / 1024).toFixed(0))
          .join(' ');
      const cdp = await pg.context().newCDPSession(pg);
      const workers = new Workers(cdp);
      await cdp.send('Target.setAutoAttach', {
        autoAttach: true,
        waitForDebuggerOnStart: false,
        flatten: false,
      });
      await new Promise((r) => setTimeout(r, 1000));
      const heaps = async (): Promise<string> => {
        const mb = (x: number): string => (x / 1048576).toFixed(1);
        const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
        const out = [`page ${mb(h.usedSize)}/${mb(h.totalSize)}`];
        for (const [, w] of workers.targets) {
          const u = (await workers.send(w.sessionId, 'Runtime.getHeapUsage')) as
            { usedSize: number; totalSize: number } | undefined;
          out.push(
            `${w.url.split('/').pop()?.slice(0, 14)} ${mb(u?.usedSize ?? 0)}/${mb(u?.totalSize ?? 0)}`,
          );
        }
        return out.join(', ');
      };
      console.log(`renderers ${renderers()} MB; JS heaps used/total MB: ${await heaps()}`);
      await cdp.send('HeapProfiler.collectGarbage');
      for (const [, w] of workers.targets) await workers.send(w.sessionId, 'HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, 3000));
      console.log(`after a full GC of each: renderers ${renderers()} MB; JS heaps: ${await heaps()}`);
    }
    throw DONE;
  }
  browser = await chromium.launch({
    args: CHROMIUM_ARGS,
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
  });
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  const workers = new Workers(cdp);
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await page.goto(pageUrl);
  if (values.hide) {
    await page.waitForTimeout(3000);
    await page.addStyleTag({ content: '[aria-label="Log view"]{display:none !important}' });
  }
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  let nextRow = t0 + every;
  let written = 0;
  let row = 0;
  const sample = async (snapTag: string | null): Promise<void> => {
    const pageHeap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const dom = (await cdp.send('Memory.getDOMCounters')) as {
      documents: number;
      nodes: number;
      jsEventListeners: number;
    };
    const ws: string[] = [];
    for (const [, w] of workers.targets) {
      const h = (await workers.send(w.sessionId, 'Runtime.getHeapUsage')) as { usedSize: number } | undefined;
      ws.push(`${w.url.split('/').pop()?.slice(0, 14)}:${((h?.usedSize ?? 0) / 1048576).toFixed(1)}`);
    }
    const rss =
      Math.max(
        0,
        ...chromiumRss()
          .filter((p) => p.type === 'renderer')
          .map((p) => p.rss),
      ) / 1024;
    const text =
      (await page
        .getByTestId('live')
        .textContent()
        .catch(() => '')) ?? '';
    const view =
      (await page
        .getByTestId('logview-status')
        .textContent()
        .catch(() => '')) ?? '';
    console.log(
      `${((Date.now() - t0) / 60000).toFixed(1)} min  written ${written}  page "${/([\d,]+) records/.exec(text)?.[1] ?? '?'}"  log view "${view.trim().replace(/\s+/g, ' ')}"  rss ${rss.toFixed(0)} MB  pageHeap ${(pageHeap.usedSize / 1048576).toFixed(1)}/${(pageHeap.totalSize / 1048576).toFixed(1)}  dom nodes ${dom.nodes} listeners ${dom.jsEventListeners}  workers ${ws.join(' ')}`,
    );
    if (snapTag !== null && values.snap) {
      await cdp.send('HeapProfiler.enable');
      let onChunk: ((c: string) => void) | null = null;
      const h = (e: { chunk: string }): void => onChunk?.(e.chunk);
      cdp.on('HeapProfiler.addHeapSnapshotChunk', h);
      await snapshotTo(
        join(values.snap, `page-${snapTag}.heapsnapshot`),
        (m, p) => cdp.send(m as 'HeapProfiler.takeHeapSnapshot', p as never),
        (f) => (onChunk = f),
      );
      cdp.off('HeapProfiler.addHeapSnapshotChunk', h);
      let k = 0;
      for (const [, w] of workers.targets) {
        k++;
        await workers.send(w.sessionId, 'HeapProfiler.enable');
        let sink: ((c: string) => void) | null = null;
        workers.onEvent = (sid, method, params) => {
          if (sid === w.sessionId && method === 'HeapProfiler.addHeapSnapshotChunk')
            sink?.((params as { chunk: string }).chunk);
        };
        await snapshotTo(
          join(values.snap, `worker${k}-${snapTag}.heapsnapshot`),
          (m, p) => workers.send(w.sessionId, m, p),
          (f) => (sink = f),
        );
      }
      console.log(`  heap snapshots ${snapTag} written`);
    }
  };
  while (Date.now() < end) {
    const now = Date.now();
    const due = Math.floor(((now - t0) / 1000) * rate) - written;
    const burst = (now - t0) % 180_000 > 60_000 && (now - t0) % 180_000 < 80_000;
    let chunk = '';
    for (let i = 0; i < due; i++) chunk += line(now - 100 + (100 * i) / Math.max(1, due), burst);
    if (chunk !== '') appendFileSync(file, chunk);
    written += due;
    if (now >= nextRow) {
      nextRow += every;
      row++;
      const last = now + every >= end;
      await sample(row === 2 ? 'a' : last ? 'b' : null);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
} catch (e) {
  if (e !== DONE) throw e;
} finally {
  await browser?.close().catch(() => undefined);
  proxied?.closeAllConnections();
  proxied?.close();
  for (const c of children) c.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
}
