/**
 * `npm run bench:follow -- [--minutes 10] [--rate 2000] [--no-page] [--port 4392]`: memory over time while a
 * log is followed (docs/live.md, "Memory"). A file in a temporary directory is appended to every 100 ms at
 * `--rate` records a second (the log's clock is the wall clock; a 20 s burst of errors every 3 minutes: one
 * incident, as the detectors merge findings one quiet bucket apart, announced open again at each burst:
 * docs/live.md, "Incidents"), for `--minutes`, while
 * - the command line follows it: `node dist-cli/loglens.js --follow FILE --json` (the compiled bin, built
 *   first), its resident memory (VmRSS) sampled, and the records it last reported;
 * - unless --no-page, `loglens serve FILE` streams it into the built page in headless Chromium: the server's and
 *   the renderer's resident memory (the engine worker lives in the renderer), and the records the page shows.
 * Prints a row every 30 s and a summary (first minute, last, peak, the slope over the second half). Asserts
 * nothing.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumRss } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    page: { type: 'boolean', default: true },
    'no-page': { type: 'boolean', default: false },
    port: { type: 'string', default: '4392' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const withPage = values.page && !values['no-page'];
if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate take positive numbers');

const SERVICES = ['order-service', 'payment-service', 'auth', 'gateway', 'inventory', 'search', 'mailer'];
const PATHS = ['/api/orders', '/api/cart', '/api/login', '/api/search', '/health'];
let seq = 0;

/** One record at time `t`: mostly INFO, some WARN, and during a burst many order-service errors. */
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

function rssKiB(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const mb = (kib: number): string => (kib / 1024).toFixed(0);

const dir = mkdtempSync(join(tmpdir(), 'loglens-follow-'));
const file = join(dir, 'app.log');
writeFileSync(file, '');
const children: ChildProcess[] = [];
let browser: Browser | null = null;

try {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' });
  if (withPage && !existsSync('dist/index.html'))
    execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });

  // the command line, following
  const cli = spawn(process.execPath, ['dist-cli/loglens.js', '--follow', file, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(cli);
  let cliRecords = 0;
  const cliEvents = { open: 0, closed: 0 };
  let buf = '';
  cli.stdout.setEncoding('utf8').on('data', (s: string) => {
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const ev = JSON.parse(buf.slice(0, nl)) as { type: string; records?: number; state?: string };
      buf = buf.slice(nl + 1);
      if (ev.type === 'status') cliRecords = ev.records ?? cliRecords;
      if (ev.type === 'incident') cliEvents[ev.state === 'open' ? 'open' : 'closed']++;
    }
  });

  // the page, fed by loglens serve
  let page: Page | null = null;
  let serve: ChildProcess | null = null;
  if (withPage) {
    serve = spawn(
      process.execPath,
      ['dist-cli/loglens.js', 'serve', file, '--port', values.port, '--quiet'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(serve);
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      serve!.stdout!.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        if (out.includes('\n')) done(out.trim().split('\n')[0]!);
      });
      serve!.on('exit', (code) => fail(new Error(`serve exited (${code})`)));
    });
    browser = await chromium.launch({
      args: CHROMIUM_ARGS,
      ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    });
    page = await browser.newPage();
    await page.goto(url);
  }
  const pageRecords = async (): Promise<number> => {
    if (page === null) return 0;
    const text =
      (await page
        .getByTestId('live')
        .textContent()
        .catch(() => '')) ?? '';
    return Number(/([\d,]+) records/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
  };
  const renderer = (): number =>
    Math.max(
      0,
      ...chromiumRss()
        .filter((p) => p.type === 'renderer')
        .map((p) => p.rss),
    );

  console.log(
    `following ${file}: ${rate} records/s for ${minutes} min; command line${withPage ? ', loglens serve and the page' : ''}`,
  );
  console.log(
    '   min   file MB   records   cli records  cli RSS MB  serve RSS MB  page records  renderer RSS MB',
  );
  const rows: { min: number; cli: number; serve: number; renderer: number }[] = [];
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  let nextRow = t0 + 30_000;
  let written = 0;
  while (Date.now() < end) {
    const now = Date.now();
    // the records due by now, timed across the last 100 ms
    const due = Math.floor(((now - t0) / 1000) * rate) - written;
    const burst = (now - t0) % 180_000 > 60_000 && (now - t0) % 180_000 < 80_000;
    let chunk = '';
    for (let i = 0; i < due; i++) chunk += line(now - 100 + (100 * i) / Math.max(1, due), burst);
    if (chunk !== '') appendFileSync(file, chunk);
    written += due;
    if (now >= nextRow) {
      nextRow += 30_000;
      const r = {
        min: (now - t0) / 60_000,
        cli: rssKiB(cli.pid!),
        serve: serve ? rssKiB(serve.pid!) : 0,
        renderer: withPage ? renderer() : 0,
      };
      rows.push(r);
      const pr = await pageRecords();
      console.log(
        [
          r.min.toFixed(1).padStart(6),
          (statSync(file).size / 1048576).toFixed(0).padStart(9),
          String(written).padStart(9),
          String(cliRecords).padStart(13),
          mb(r.cli).padStart(11),
          (withPage ? mb(r.serve) : '-').padStart(13),
          (withPage ? String(pr) : '-').padStart(13),
          (withPage ? mb(r.renderer) : '-').padStart(16),
        ].join(' '),
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const summary = (name: string, pick: (r: (typeof rows)[number]) => number): void => {
    const xs = rows.map((r) => ({ min: r.min, v: pick(r) / 1024 }));
    if (xs.length < 2) return;
    const half = xs.filter((x) => x.min >= minutes / 2);
    const a = half[0] ?? xs[0]!;
    const b = xs[xs.length - 1]!;
    const slope = b.min > a.min ? (b.v - a.v) / (b.min - a.min) : 0;
    const at1 = xs.find((x) => x.min >= 1) ?? xs[0]!;
    console.log(
      `${name}: ${at1.v.toFixed(0)} MB at ${at1.min.toFixed(1)} min, ${b.v.toFixed(0)} MB at ${b.min.toFixed(1)} min, peak ${Math.max(...xs.map((x) => x.v)).toFixed(0)} MB; second half ${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MB/min`,
    );
  };
  console.log(
    `written: ${written} records, ${(statSync(file).size / 1048576).toFixed(0)} MB; command line: ${cliEvents.open} incidents opened, ${cliEvents.closed} closed`,
  );
  summary('command line RSS', (r) => r.cli);
  if (withPage) {
    summary('loglens serve RSS', (r) => r.serve);
    summary('renderer RSS', (r) => r.renderer);
  }
} finally {
  await browser?.close().catch(() => undefined);
  for (const c of children) c.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
}
