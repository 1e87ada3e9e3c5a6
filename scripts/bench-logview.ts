/**
 * `npx tsx scripts/bench-logview.ts [--file path] [--runs 5] [--browser --port 4371]`: the log view's first rows.
 * Node: the file is analyzed once (its record index), then readRecords' first page (200 records) is timed from
 * the checkpoint before the middle record and at a few other places, each run a fresh read of the File.
 * --browser: the page on the production build in headless Chromium: the file is opened, and once the analysis is
 * done the time from the log view's mounting to its first rows painted, then a jump to the middle record (the
 * Position slider) to its row painted. Prints figures; asserts nothing.
 */
import { openAsBlob } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { analyze } from '../src/engine/analyze.ts';
import { DEFAULT_CONFIG } from '../src/engine/config.ts';
import { readRecords } from '../src/engine/read-records.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, fmt, startPreview } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/work/data/bench-realistic-1GB.log' },
    runs: { type: 'string', default: '5' },
    browser: { type: 'boolean', default: false },
    port: { type: 'string', default: '4371' },
  },
});
const runs = Math.max(1, Number(values.runs));
const path = values.file;

async function node(): Promise<void> {
  const blob = await openAsBlob(path);
  const file = new File([blob], path.split('/').pop()!);
  const t0 = performance.now();
  const snap = await analyze([file], DEFAULT_CONFIG, { detectors: false, templates: false });
  const analyzeMs = performance.now() - t0;
  const index = snap.recordIndex!;
  const f = index.files[0]!;
  const total = snap.totals.records;
  const ctx = { index, formats: snap.files.map((x) => x.format), config: DEFAULT_CONFIG };
  console.log(
    `${path}: ${total} records; index: ${f.offset.length} checkpoints, step ${f.step / 1024} KiB, ` +
      `${(JSON.stringify(index).length / 1024).toFixed(0)} KiB as JSON (analysis ${(analyzeMs / 1000).toFixed(1)} s, detectors and templates off)`,
  );
  for (const [name, from] of [
    ['first', 0],
    ['middle', Math.floor(total / 2)],
    ['last', total - 200],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const page = await readRecords([file], ctx, { fromRecord: from, count: 200 });
      ms.push(performance.now() - t);
      if (page.rows.length !== Math.min(200, total - from) || page.rows[0]!.n !== from)
        throw new Error(`wrong page at ${from}`);
    }
    console.log(`readRecords ${name} page (200 records from ${from}): ${fmt(ms, 1)} ms`);
  }
}

async function browser(): Promise<void> {
  const { url, server } = await startPreview(values.port);
  const first: number[] = [];
  const middle: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const b = await chromium.launch({
        ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
        // when the log view mounts, and when its first row is painted (the frame after it is in the DOM)
        await page.addInitScript(() => {
          const w = window as unknown as { __lv: { mount: number; rows: number } };
          w.__lv = { mount: 0, rows: 0 };
          new MutationObserver(() => {
            if (w.__lv.mount === 0 && document.querySelector('section[aria-label="Log view"]'))
              w.__lv.mount = performance.now();
            if (w.__lv.mount > 0 && w.__lv.rows === 0 && document.querySelector('[data-record]')) {
              w.__lv.rows = -1;
              requestAnimationFrame(() => (w.__lv.rows = performance.now()));
            }
          }).observe(document, { childList: true, subtree: true });
        });
        await page.goto(url);
        await page.getByLabel('Open file').setInputFiles(path);
        await page.waitForFunction(
          () => (window as unknown as { __lv: { rows: number } }).__lv.rows > 0,
          null,
          {
            timeout: 600_000,
            polling: 100,
          },
        );
        const lv = await page.evaluate(
          () => (window as unknown as { __lv: { mount: number; rows: number } }).__lv,
        );
        first.push(lv.rows - lv.mount);
        const total = Number(
          await page.locator('section[aria-label="Log view"] input[type=range]').getAttribute('max'),
        );
        const mid = Math.floor((total + 1) / 2);
        const ms = await page.evaluate(async (n) => {
          const input = document.querySelector<HTMLInputElement>(
            'section[aria-label="Log view"] input[type=range]',
          )!;
          const t = performance.now();
          input.value = String(n);
          input.dispatchEvent(new Event('change', { bubbles: true }));
          for (;;) {
            await new Promise((r) => requestAnimationFrame(r));
            if (document.querySelector(`[data-record="${n}"]`)) return performance.now() - t;
            if (performance.now() - t > 30_000) return NaN;
          }
        }, mid);
        middle.push(ms);
        process.stdout.write(`run ${i + 1}/${runs}: first rows ${lv.rows - lv.mount} ms, middle ${ms} ms\n`);
      } finally {
        await b.close();
      }
    }
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
  console.log(`page: log view mounted → first rows painted: ${fmt(first, 0)} ms`);
  console.log(`page: jump to the middle record → its row painted: ${fmt(middle, 0)} ms`);
}

await (values.browser ? browser() : node());
