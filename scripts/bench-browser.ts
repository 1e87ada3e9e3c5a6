/**
 * `npm run bench:browser [-- --size 1GB --file path]`: the engine's throughput in headless Chromium, on the
 * production build, beside the floor measured in the same browser (a worker reading the same File's stream and
 * counting newline bytes). Also checks the page's report against an independent count (awk) of the file, and
 * how responsive the page stayed (longest gap between animation frames, long tasks). Prints figures.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    file: { type: 'string' },
    port: { type: 'string', default: '4179' },
    /** a loglens.config/1 file to run with (put in the page's local storage before it loads) */
    config: { type: 'string' },
  },
});

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
];

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
    { encoding: 'utf8', maxBuffer: 1 << 20 },
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

async function main(): Promise<void> {
  let path = values.file;
  if (!path) {
    await mkdir('tmp', { recursive: true });
    path = `tmp/bench-${values.size}.log`;
    if (!existsSync(path)) {
      console.log(`generating ${path} …`);
      execFileSync('npx', ['tsx', 'scripts/gen.ts', '--size', values.size, '--out', path], {
        stdio: 'inherit',
      });
    }
  }
  if (!existsSync('dist/index.html')) execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--port', values.port, '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://localhost:${values.port}/`;
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(url);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    if (values.config) {
      const text = await readFile(values.config, 'utf8');
      await page.addInitScript((t) => localStorage.setItem('loglens.config', t), text);
    }
    await page.goto(url);
    // Responsiveness probes: the longest gap between animation frames, and long tasks on the main thread.
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    await page.evaluate(`(() => {
      window.__gap = 0; window.__long = []; window.__stop = false;
      let last = performance.now();
      const tick = (t) => { window.__gap = Math.max(window.__gap, t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ entryTypes: ['longtask'] });
    })()`);
    const t0 = Date.now();
    await page.getByLabel('Open file').setInputFiles(path);
    const exportButton = page.getByRole('button', { name: 'Export report (JSON)' });
    await exportButton.waitFor();
    await page.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('button')].find((x) =>
          x.textContent?.includes('Export report (JSON)'),
        );
        return b !== undefined && !b.disabled;
      },
      null,
      { timeout: 600_000, polling: 100 },
    );
    const wall = Date.now() - t0;
    const probes = await page.evaluate(() => {
      const w = window as unknown as { __gap: number; __long: number[]; __stop: boolean };
      w.__stop = true;
      return { gap: w.__gap, long: w.__long };
    });
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    const report = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      totals: { bytes: number; records: number };
      levels: Record<string, number>;
      services: { name: string; records: number }[];
      analysis: { durationMs: number };
    };
    // The floor: a worker in the same browser reads the same File's stream and counts newline bytes.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-floor';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-floor', path);
    const floor = await page.evaluate(async () => {
      const file = (document.getElementById('bench-floor') as HTMLInputElement).files![0]!;
      const src = `onmessage = async (e) => { const t = performance.now(); const r = e.data.stream().getReader(); let n = 0;
        for (;;) { const { done, value } = await r.read(); if (done) break; let p = value.indexOf(10); while (p !== -1) { n++; p = value.indexOf(10, p + 1); } }
        postMessage({ ms: performance.now() - t, newlines: n }); };`;
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      const result = await new Promise<{ ms: number; newlines: number }>((resolve) => {
        w.onmessage = (e) => resolve(e.data as { ms: number; newlines: number });
        w.postMessage(file);
      });
      w.terminate();
      return result;
    });
    const mb = report.totals.bytes / 1e6;
    const engineMBs = mb / (report.analysis.durationMs / 1000);
    const floorMBs = mb / (floor.ms / 1000);
    console.log(
      `file          ${path} (${mb.toFixed(1)} MB, ${floor.newlines.toLocaleString('en-US')} lines)`,
    );
    console.log(`runtime       ${browser.version()} headless, engine worker`);
    console.log(
      `floor         ${floorMBs.toFixed(0)} MB/s  (worker reads File.stream(), counts newline bytes: ${floor.ms.toFixed(0)} ms)`,
    );
    console.log(
      `engine        ${engineMBs.toFixed(0)} MB/s, ${(((report.totals.records / report.analysis.durationMs) * 1000) / 1e6).toFixed(2)} M records/s  (${report.analysis.durationMs} ms in the worker, ${wall} ms drop-to-done)`,
    );
    console.log(`ratio         ${(engineMBs / floorMBs).toFixed(2)} of the floor`);
    console.log(
      `responsive    longest frame gap ${probes.gap.toFixed(0)} ms, ${probes.long.length} long tasks (longest ${Math.max(0, ...probes.long).toFixed(0)} ms)`,
    );
    const awk = awkCount(path);
    const pageServices = Object.fromEntries(report.services.map((s) => [s.name, s.records]));
    const levelsOk = Object.entries(awk.levels).every(([k, v]) => report.levels[k] === v);
    const servicesOk =
      Object.keys(awk.services).length === report.services.length &&
      Object.entries(awk.services).every(([k, v]) => pageServices[k] === v);
    console.log(
      `awk check     records ${awk.records === report.totals.records ? 'equal' : `DIFFER (awk ${awk.records}, page ${report.totals.records})`}, levels ${levelsOk ? 'equal' : 'DIFFER'}, services ${servicesOk ? 'equal' : 'DIFFER'}`,
    );
    if (!levelsOk || !servicesOk)
      console.log(JSON.stringify({ awk, page: { levels: report.levels, services: pageServices } }));
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
