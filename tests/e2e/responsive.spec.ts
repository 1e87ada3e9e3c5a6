import { test, expect, type Page } from '@playwright/test';
import { bigSample, exportReport } from './helpers.ts';

/**
 * The page answers while a large file is analyzed: Settings opens and closes with the analysis still going,
 * and Cancel stops it. Behaviour only; how fast is the benches' business (scripts/bench-browser.ts).
 */
const BYTES = 200_000_000;
/**
 * The engine reads 200 MB in a second or two now: two sequence steps that only the linear-time engine can run
 * (unanchored and ambiguous, so never proven) keep every record busy for a few µs, so that the analysis lasts
 * long enough for a person — and this test — to open Settings and press Cancel while it runs.
 */
const SLOW = {
  sequences: [{ name: 'slow', steps: [{ regex: '(a|b)*c(a|b)*d' }, { regex: '(a|b)*c(a|b)*e' }] }],
};

async function percent(page: Page): Promise<number> {
  return Number((await page.getByTestId('progress-percent').innerText()).replace(/\D/g, ''));
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript((cfg) => localStorage.setItem('loglens.config', cfg), JSON.stringify(SLOW));
  await page.goto('./');
});

test('while a 200 MB file is read, Settings opens and closes and the analysis goes on; Cancel then stops it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { path, truth } = await bigSample(BYTES);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // the engine's workers (Settings' config check has one of its own): before a drop, the session's spare and the
  // log view's reader, both made while the page is idle; the reader stays after Cancel
  const engines = (): number => page.workers().filter((w) => w.url().includes('engine.worker')).length;
  await expect.poll(engines).toBe(2);
  await page.getByLabel('Open file').setInputFiles(path);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeVisible();
  await expect(page.getByTestId('card-records').locator('.value')).not.toHaveText('0');

  // Settings, mid-analysis: the panel shows, the analysis keeps running
  const settings = page.getByRole('button', { name: 'Settings', exact: true });
  await settings.click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  await expect(cancel).toBeVisible();
  const before = await percent(page);
  await expect.poll(() => percent(page), { timeout: 60_000 }).toBeGreaterThan(before);
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeHidden();
  await expect(cancel).toBeVisible();

  // Cancel, mid-analysis: the status says so, the progress goes, what was read is an incomplete report
  expect(engines()).toBeGreaterThanOrEqual(3); // read in slices, beside the log view's reader
  await cancel.click();
  await expect(page.getByText(/Analysis cancelled after reading \d+ %/)).toBeVisible();
  await expect(cancel).toBeHidden();
  // the file was read in slices by several workers: Cancel ends them all, none is left waiting for the others
  await expect.poll(engines).toBe(1);
  const report = (await exportReport(page)) as {
    totals: { records: number };
    analysis: { complete: boolean; stopped: { reason: string } };
  };
  expect(report.analysis.complete).toBe(false);
  expect(report.analysis.stopped.reason).toBe('cancelled');
  expect(report.totals.records).toBeGreaterThan(0);
  expect(report.totals.records).toBeLessThan(truth.records);
  expect(errors).toEqual([]);
});
