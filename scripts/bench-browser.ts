/**
 * `npm run bench:browser [-- --size 1GB|4GB] [--ascii | --sample | --file path] [--runs 3] [--skip-gzip] [--query q]`: the
 * page on the production build in headless Chromium, drop → final report, on issue 9's realistic log by default
 * (--ascii its pure-ASCII twin, --sample `npm run gen`'s log), beside the floor measured in the same browser in the
 * same run (two workers reading halves of the same File's stream, counting newline bytes), and the same file
 * gzipped. Per run: MB/s, records/s, long tasks on the main thread, the first snapshot's time, Cancel and Settings
 * (click → the frame showing it, while the file is read, in a run of its own), and the peak
 * resident memory of each Chromium process (ps every 200 ms); medians with min–max. An awk count of the file
 * cross-checks the page's records, levels and services. After the plain file's analysis: the log view's first
 * rows (mounted → painted) and the search speed: `--query` (default `timeout`, '' for none) applied as a view,
 * Apply → its final report, in MB/s of the file and as a ratio to that run's floor. Prints figures; asserts
 * nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import {
  benchFile,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  fmt,
  gzipOf,
  kindOf,
  rssPeaks,
  spread,
  startPreview,
  type ProcessRss,
} from './bench-lib.ts';
import {
  floorInput,
  FLOOR_IN_PAGE,
  PROBES,
  VIEW_PROBES,
  type Probes,
  type ViewProbes,
} from './bench-page.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    file: { type: 'string' },
    ascii: { type: 'boolean', default: false },
    sample: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'skip-gzip': { type: 'boolean', default: false },
    port: { type: 'string', default: '4179' },
    /** a loglens.config/1 file to run with (put in the page's local storage before it loads) */
    config: { type: 'string' },
    /** the text query timed as a view after the whole file's analysis ('' leaves the search row out) */
    query: { type: 'string', default: 'timeout' },
  },
});

interface Report {
  totals: { bytes: number; records: number };
  levels: Record<string, number>;
  services: { name: string; records: number }[];
  analysis: { durationMs: number };
}

interface Run {
  report: Report;
  probes: Probes;
  /** each process' peak RSS, KiB, largest first */
  rss: ProcessRss[];
  floor?: { ms: number; newlines: number };
  /** the renderer's peak RSS (KiB) while the floor read the file (its own browser's page, after the analysis) */
  floorRss?: number;
  /** the log view, mounted after the analysis → its first rows painted, ms */
  logView?: number;
  /** the query applied: Apply clicked → the view's final report (Export on again), ms; its records */
  search?: { ms: number; records: number };
}

/** grep/awk's view of the file: records are lines that start with a timestamp; fields 2 and 3 are level and service. */
function awkCount(path: string): {
  records: number;
  levels: Record<string, number>;
  services: Record<string, number>;
} {
  const out = execFileSync(
    'awk',
    [
      '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++; l[$2]++; s[$3]++ } END { print "records", n; for (k in l) print "level", k, l[k]; for (k in s) print "service", k, s[k] }',
      path,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' } },
  );
  const res = { records: 0, levels: {} as Record<string, number>, services: {} as Record<string, number> };
  for (const line of out.trim().split('\n')) {
    const [kind, a, b] = line.split(' ');
    if (kind === 'records') res.records = Number(a);
    else if (kind === 'level') res.levels[a!] = Number(b);
    else if (kind === 'service') res.services[a!] = Number(b);
  }
  return res;
}

/** One analysis in a fresh browser: drop → the Export button is on; then, for a plain file, the floor. */
async function runOnce(url: string, path: string, withFloor: boolean): Promise<Run> {
  const t0 = Date.now();
  // where a run is, on stderr: a run that stalls says at which step
  const step = (what: string): void => {
    process.stderr.write(`  ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}\n`);
  };
  const browser: Browser = await chromium.launch({
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    if (values.config) {
      const text = await readFile(values.config, 'utf8');
      await page.addInitScript((t) => localStorage.setItem('loglens.config', t), text);
    }
    await page.addInitScript(VIEW_PROBES);
    await page.goto(url);
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(PROBES);
    const memory = rssPeaks();
    await page.getByLabel('Open file').setInputFiles(path);
    await page
      .waitForFunction(
        () => {
          const b = (window as unknown as { __bench: Probes }).__bench;
          return b.done > 0 || document.querySelector('[data-testid="analysis-error"]') !== null;
        },
        null,
        // BENCH_STALL_MS: give up sooner, with a screenshot and the probes of the page as it was
        { timeout: Number(process.env.BENCH_STALL_MS ?? 3_600_000), polling: 500 },
      )
      .catch(async (e: unknown) => {
        const shot = join(tmpdir(), 'bench-browser-stall.png');
        await page.screenshot({ path: shot });
        console.error(`stalled: ${shot}`);
        console.error(
          JSON.stringify(await page.evaluate(() => (window as unknown as { __bench: Probes }).__bench)),
        );
        throw e;
      });
    const rss = memory.stop();
    step('final report shown');
    const probes = await page.evaluate(() => (window as unknown as { __bench: Probes }).__bench);
    const error = await page
      .locator('[data-testid="analysis-error"]')
      .textContent({ timeout: 100 })
      .catch(() => null);
    if (error) throw new Error(`the page says: ${error}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export report (JSON)' }).click(),
    ]);
    const report = JSON.parse(await readFile(await download.path(), 'utf8')) as Report;
    step('report exported');
    const viewProbes = (): Promise<ViewProbes> =>
      page.evaluate(() => (window as unknown as { __view: ViewProbes }).__view);
    let logView: number | undefined;
    let search: Run['search'];
    if (withFloor) {
      // the log view opens with the dashboard: its first rows
      await page.waitForFunction(() => (window as unknown as { __view: ViewProbes }).__view.rows > 0, null, {
        timeout: 60_000,
        polling: 100,
      });
      const v = await viewProbes();
      logView = v.rows - v.mount;
      step('log view painted');
    }
    if (withFloor && values.query) {
      await page.getByRole('searchbox', { name: 'Query' }).fill(values.query);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForFunction(() => (window as unknown as { __view: ViewProbes }).__view.done > 0, null, {
        timeout: 3_600_000,
        polling: 200,
      });
      const v = await viewProbes();
      const [viewDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export report (JSON)' }).click(),
      ]);
      const viewReport = JSON.parse(await readFile(await viewDownload.path(), 'utf8')) as Report;
      search = { ms: v.done - v.apply, records: viewReport.totals.records };
      step('view exported');
    }
    let floor: Run['floor'];
    let floorRss: number | undefined;
    if (withFloor) {
      await floorInput(page, path);
      const floorMemory = rssPeaks();
      floor = (await page.evaluate(FLOOR_IN_PAGE)) as { ms: number; newlines: number };
      floorRss = floorMemory.stop().find((p) => p.type === 'renderer')?.rss;
      step('floor read');
    }
    return {
      report,
      probes,
      rss,
      ...(floor ? { floor } : {}),
      ...(floorRss ? { floorRss } : {}),
      ...(logView !== undefined ? { logView } : {}),
      ...(search ? { search } : {}),
    };
  } finally {
    await browser.close();
  }
}

/**
 * Cancel and Settings while a file is read, in a fresh browser: once the first snapshot is shown, a click on
 * Settings, then (the panel shown) a click on Cancel; each timed in the page from the click to the first frame
 * that shows its effect. Null for a click that came after the analysis had ended.
 */
async function uiOnce(url: string, path: string): Promise<Probes['ui'] & { late?: string }> {
  const browser: Browser = await chromium.launch({
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(PROBES);
    await page.getByLabel('Open file').setInputFiles(path);
    const bench = (): Promise<Probes> =>
      page.evaluate(() => (window as unknown as { __bench: Probes }).__bench);
    await page.waitForFunction(() => (window as unknown as { __bench: Probes }).__bench.first > 0, null, {
      timeout: 60_000,
      polling: 50,
    });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.waitForFunction(
      () => (window as unknown as { __bench: Probes }).__bench.ui.settings !== undefined,
      null,
      { timeout: 60_000, polling: 50 },
    );
    if ((await bench()).done > 0) return { ...(await bench()).ui, late: 'the analysis ended before Cancel' };
    // Settings opens in a drawer over the page (Escape closes it): Cancel is clicked as a user would, after
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForFunction(
      () => (window as unknown as { __bench: Probes }).__bench.ui.cancel !== undefined,
      null,
      { timeout: 60_000, polling: 50 },
    );
    // the browser's Event Timing entry for the click, when it has one, comes a moment later
    await page.waitForTimeout(300);
    return (await bench()).ui;
  } finally {
    await browser.close();
  }
}

const MiB = (kib: number): string => (kib / 1024).toFixed(0);

/** The median of each process type's peak across runs, largest first: "renderer 310, browser 120 …" MiB. */
function rssByType(runs: Run[]): string {
  const byType = new Map<string, number[]>();
  for (const r of runs) {
    const peak = new Map<string, number>();
    for (const p of r.rss) peak.set(p.type, Math.max(peak.get(p.type) ?? 0, p.rss));
    for (const [t, v] of peak) byType.set(t, [...(byType.get(t) ?? []), v]);
  }
  return [...byType.entries()]
    .map(([t, v]) => [t, spread(v).median] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([t, v]) => `${t} ${MiB(v)}`)
    .join(', ');
}

function printRuns(label: string, runs: Run[], mbOf: (r: Run) => number): void {
  const sec = (r: Run): number => (r.probes.done - r.probes.t0) / 1000;
  const mbs = runs.map((r) => mbOf(r) / sec(r));
  const pad = (s: string): string => s.padEnd(24);
  console.log(
    `${pad(label)}${fmt(mbs)} MB/s, ${fmt(
      runs.map((r) => r.report.totals.records / sec(r) / 1e6),
      2,
    )} M records/s (drop → final report; in the worker ${fmt(runs.map((r) => r.report.analysis.durationMs))} ms)`,
  );
  const long = runs.map((r) => r.probes.long.filter(([s]) => s >= r.probes.t0 && s <= r.probes.done));
  console.log(
    `${pad('  long tasks')}${fmt(long.map((l) => l.length))}, the longest ${fmt(
      long.map((l) => Math.max(0, ...l.map(([, d]) => d))),
    )} ms; longest frame gap ${fmt(runs.map((r) => r.probes.gap))} ms`,
  );
  // where they fall: what blocks the main thread at the start is not what blocks it at the end
  console.log(
    `${pad('  long tasks at')}${runs
      .map((r, i) => long[i]!.map(([s, d]) => `${Math.round(s - r.probes.t0)}+${Math.round(d)}`).join(' '))
      .join(' | ')} ms after the drop (start+duration; the final report at ${fmt(
      runs.map((r) => r.probes.done - r.probes.t0),
    )} ms)`,
  );
  console.log(
    `${pad('  first snapshot shown')}${fmt(runs.map((r) => (r.probes.first || r.probes.done) - r.probes.t0))} ms after the drop`,
  );
  console.log(
    `${pad('  largest RSS')}${fmt(runs.map((r) => (r.rss[0]?.rss ?? 0) / 1024))} MiB (${runs[0]?.rss[0]?.type ?? '?'}); by process, MiB: ${rssByType(runs)}`,
  );
}

async function main(): Promise<void> {
  const kind = kindOf(values);
  const path = values.file ?? (await benchFile(kind, values.size));
  // the floor reads the file as it is: on a .gz it would time compressed bytes
  if (path.endsWith('.gz'))
    throw new Error('--file: give the plain log; the bench gzips it and measures both');
  const gz = values['skip-gzip'] ? null : await gzipOf(path);
  const runs = Math.max(1, Number(values.runs));
  const { url, server } = await startPreview(values.port);
  const plain: Run[] = [];
  const zipped: Run[] = [];
  const clicks: Awaited<ReturnType<typeof uiOnce>>[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // Plain and gzip in turn, each in a fresh browser: the load of the shared machine hits both alike.
      plain.push(await runOnce(url, path, true));
      if (gz) zipped.push(await runOnce(url, gz, false));
      clicks.push(await uiOnce(url, path));
      process.stdout.write(`run ${i + 1}/${runs} done\n`);
    }
  } finally {
    // the server may be gone already (its port was taken: a page served by another one was measured)
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  }
  const report = plain[0]!.report;
  const mb = report.totals.bytes / 1e6;
  const browser = execFileSync(CHROMIUM_PATH ?? 'chromium', ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  console.log(
    `file          ${path} (${mb.toFixed(1)} MB, ${plain[0]!.floor!.newlines.toLocaleString('en-US')} lines, ${report.totals.records.toLocaleString('en-US')} records)${gz ? ` and ${gz} (${(statSync(gz).size / 1e6).toFixed(1)} MB)` : ''}`,
  );
  console.log(`runtime       ${browser}, headless, production build; ${runs} runs: median (min–max)`);
  const floorMBs = plain.map((r) => mb / (r.floor!.ms / 1000));
  console.log(
    `floor                   ${fmt(floorMBs)} MB/s (two workers read halves of File.stream(), count newline bytes)`,
  );
  console.log(
    `  largest RSS           ${fmt(plain.map((r) => (r.floorRss ?? 0) / 1024))} MiB (the renderer while the floor reads: the default reader's chunks wait for GC)`,
  );
  printRuns('page', plain, () => mb);
  const timed = (k: 'settings' | 'cancel'): string => {
    const xs = clicks.map((c) => c[k]).filter((x): x is number => x !== undefined);
    return xs.length ? `${fmt(xs)} ms` : 'not measured (the analysis ended first)';
  };
  console.log(
    `  click → shown          Settings ${timed('settings')}, Cancel ${timed('cancel')} (while reading; in the page, from the click to the first frame showing it)`,
  );
  const sec = (r: Run): number => (r.probes.done - r.probes.t0) / 1000;
  const ratios = plain.map((r, i) => mb / sec(r) / floorMBs[i]!);
  console.log(`ratio                   ${fmt(ratios, 2)} of the floor (each run's page / its own floor)`);
  const logViews = plain.map((r) => r.logView).filter((x): x is number => x !== undefined);
  if (logViews.length > 0)
    console.log(
      `log view                ${fmt(logViews)} ms: mounted (after the analysis) → its first rows painted`,
    );
  const searches = plain.filter((r) => r.search !== undefined);
  if (searches.length > 0) {
    const mbs = searches.map((r) => mb / (r.search!.ms / 1000));
    console.log(
      `search                  ${fmt(mbs)} MB/s, ratio ${fmt(
        plain.flatMap((r, i) => (r.search ? [mb / (r.search.ms / 1000) / floorMBs[i]!] : [])),
        2,
      )} of the floor: the view of ${JSON.stringify(values.query)} (${searches[0]!.search!.records.toLocaleString('en-US')} records), Apply → its final report, ${fmt(searches.map((r) => r.search!.ms))} ms`,
    );
  }
  if (gz && zipped.length > 0) {
    printRuns('gzip', zipped, (r) => r.report.totals.bytes / 1e6);
    const gzRatio = zipped.map((r, i) => sec(plain[i]!) / sec(r));
    const same = zipped.every(
      (r) =>
        r.report.totals.records === report.totals.records &&
        JSON.stringify(r.report.levels) === JSON.stringify(report.levels),
    );
    console.log(
      `  gzip / plain          ${fmt(gzRatio, 2)} of the plain run's speed (MB/s of decompressed bytes); records and levels ${same ? 'equal' : 'DIFFER'}`,
    );
  }
  const awk = awkCount(path);
  const pageServices = Object.fromEntries(report.services.map((s) => [s.name, s.records]));
  const levelsOk = Object.entries(awk.levels).every(([k, v]) => report.levels[k] === v);
  const servicesOk =
    Object.keys(awk.services).length === report.services.length &&
    Object.entries(awk.services).every(([k, v]) => pageServices[k] === v);
  const runsAgree = plain.every((r) => JSON.stringify(r.report.levels) === JSON.stringify(report.levels));
  console.log(
    `awk check     records ${awk.records === report.totals.records ? 'equal' : `DIFFER (awk ${awk.records}, page ${report.totals.records})`}, levels ${levelsOk ? 'equal' : 'DIFFER'}, services ${servicesOk ? 'equal' : 'DIFFER'}; the runs ${runsAgree ? 'agree' : 'DISAGREE'}`,
  );
  if (!levelsOk || !servicesOk)
    console.log(JSON.stringify({ awk, page: { levels: report.levels, services: pageServices } }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
