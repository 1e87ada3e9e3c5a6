/**
 * `npx tsx scripts/bench-search.ts FILE [RUNS] [QUERY]`: a text query's view in the page, as a user gets it —
 * each run in a fresh headless Chromium: the file dropped and analyzed (until Export report (JSON) is on), the
 * query typed in the Query bar and applied (Apply's click → Export off → on again: the view's final report),
 * also timed in the page as bench-browser times it (VIEW_PROBES: Apply's event time → the first frame with the
 * view's banner and Export on), then the floor in the same page (two workers read halves of File.stream() and count newline bytes, as
 * bench-browser's floor). Prints one JSON line per run: the times, MB/s and the view's ratio to its run's
 * floor. Written when bench-browser.ts lost its page during the whole analysis of 1 GB (2026-12-01, twice, not
 * explained); asserts nothing.
 */
import { statSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startPreview } from './bench-lib.ts';
import { floorInput, FLOOR_IN_PAGE, VIEW_PROBES, viewLongTasks, type ViewProbes } from './bench-page.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: bench-search.ts FILE [RUNS] [QUERY]');
const runs = Number(process.argv[3] ?? 3);
const query = process.argv[4] ?? 'timeout';
const mb = statSync(path).size / 1e6;
/** BENCH_PAUSE_MS: wait this long after the whole analysis before typing the query (default 0: at once) */
const pauseMs = Number(process.env.BENCH_PAUSE_MS ?? 0);
/** BENCH_VIEWPORT=WxH (default 1440x900; bench-browser's page is Playwright's 1280x720) */
const [width, height] = (process.env.BENCH_VIEWPORT ?? '1440x900').split('x').map(Number) as [number, number];
const { url, server } = await startPreview('4375');
try {
  for (let run = 0; run < runs; run++) {
    const browser = await chromium.launch({
      ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage({ viewport: { width, height } });
      page.on('crash', () => console.log('the page crashed'));
      await page.addInitScript(VIEW_PROBES);
      await page.goto(url);
      const exportButton = page.getByRole('button', { name: 'Export report (JSON)' });
      let t = Date.now();
      await page.getByLabel('Open file').setInputFiles(path);
      await exportButton.and(page.locator(':enabled')).waitFor({ timeout: 600_000 });
      const wholeMs = Date.now() - t;
      if (pauseMs > 0) await page.waitForTimeout(pauseMs);
      await page.getByRole('searchbox', { name: 'Query' }).fill(query);
      t = Date.now();
      await page.getByRole('button', { name: 'Apply' }).click();
      await exportButton.and(page.locator(':disabled')).waitFor({ timeout: 60_000 });
      await exportButton.and(page.locator(':enabled')).waitFor({ timeout: 600_000 });
      const viewMs = Date.now() - t;
      const banner = (await page.locator('[data-testid="view-banner"]').textContent()) ?? '';
      // the same view timed in the page, as bench-browser does: Apply's event time → the frame showing it done
      await page.waitForFunction(() => (window as unknown as { __view: ViewProbes }).__view.done > 0);
      const v = await page.evaluate(() => (window as unknown as { __view: ViewProbes }).__view);
      await floorInput(page, path);
      const floor = (await page.evaluate(FLOOR_IN_PAGE)) as { ms: number };
      console.log(
        JSON.stringify({
          run,
          wholeMs,
          viewMs,
          inPageMs: Math.round(v.done - v.apply),
          // the page's own work while the view was read: on 2 cores it takes from the slices' time
          longTasks: viewLongTasks(v),
          pauseMs,
          floorMs: Math.round(floor.ms),
          floorMBs: Math.round(mb / (floor.ms / 1000)),
          viewMBs: Math.round(mb / (viewMs / 1000)),
          ratio: +(floor.ms / viewMs).toFixed(3),
          banner: banner.replace(/\s+/g, ' ').trim(),
        }),
      );
    } finally {
      await browser.close();
    }
  }
} finally {
  server.kill();
}
