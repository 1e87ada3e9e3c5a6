import { test, expect, type Page } from '@playwright/test';
import { generateSample } from '../../src/engine/sample.ts';
import { exportReport, waitDone } from './helpers.ts';

/**
 * Issue 10's "What changed": on the sample the page makes ("Try a sample": the same generator and options), the
 * first incident's spike ranks the injected template ("Timeout calling db after …ms") first, and its counts equal
 * an independent count of the sample's lines in the window and in the baseline (plain JS over the text).
 */
const SAMPLE = (() => {
  const parts: string[] = [];
  const gen = generateSample({ bytes: 8_000_000, seed: 42, spanMs: 6 * 3600_000 });
  for (let step = gen.next(); !step.done; step = gen.next()) parts.push(step.value);
  return parts.join('');
})();

interface Rec {
  time: number;
  level: string;
  service: string;
  message: string;
}

/** Records: a line that starts with an ISO time begins one (the lines after it continue it). */
const RECORDS: Rec[] = (() => {
  const out: Rec[] = [];
  for (const line of SAMPLE.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\S+) (\S+) (\S+) (.*)$/.exec(line);
    if (m) out.push({ time: Date.parse(m[1]!), level: m[2]!, service: m[3]!, message: m[4]! });
  }
  return out;
})();

const count = (lo: number, hi: number, f: (r: Rec) => boolean): number =>
  RECORDS.filter((r) => r.time >= lo && r.time < hi && f(r)).length;
const fmt = (n: number): string => n.toLocaleString('en-US');
const TIMEOUT = /^Timeout calling db after \d+ms$/;

async function sample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('"What changed" on the first incident’s spike ranks the injected template first, with exact counts', async ({
  page,
}) => {
  await sample(page);
  const report = (await exportReport(page)) as { spikes: { start: string; end: string }[] };
  const spike = report.spikes[0]!;
  const start = Date.parse(spike.start);
  const end = Date.parse(spike.end);
  const base = { start: start - (end - start), end: start };

  await page
    .getByTestId('spikes-table')
    .locator('tbody tr')
    .first()
    .getByRole('button', { name: 'What changed' })
    .click();
  const panel = page.getByRole('region', { name: 'What changed' });
  await expect(panel.getByRole('heading', { name: 'What changed' })).toBeVisible();
  const rows = panel.getByTestId('changed-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });

  // the whole window and baseline, counted from the text
  const all = (): boolean => true;
  await expect(panel.getByTestId('changed-window')).toContainText(
    `(${fmt(count(start, end, all))} vs ${fmt(count(base.start, base.end, all))} records)`,
  );

  // first: the injected template, its counts the text's
  const top = rows.first();
  await expect(top).toHaveAttribute('data-kind', 'template');
  await expect(top.getByRole('link')).toHaveText('Timeout calling db after <*>');
  const inWindow = count(start, end, (r) => TIMEOUT.test(r.message));
  const inBase = count(base.start, base.end, (r) => TIMEOUT.test(r.message));
  expect(inWindow).toBeGreaterThan(20);
  await expect(top.getByTestId('changed-window-count')).toHaveText(fmt(inWindow));
  await expect(top.getByTestId('changed-baseline-count')).toHaveText(fmt(inBase));
  await expect(top).toContainText('▲ up');

  // a level's and a service's counts, the same way
  const error = rows.and(page.locator('[data-kind="level"][data-name="ERROR"]'));
  await expect(error.getByTestId('changed-window-count')).toHaveText(
    fmt(count(start, end, (r) => r.level === 'ERROR')),
  );
  await expect(error.getByTestId('changed-baseline-count')).toHaveText(
    fmt(count(base.start, base.end, (r) => r.level === 'ERROR')),
  );
  const api = rows.and(page.locator('[data-kind="service"][data-name="api-gateway"]'));
  await expect(api.getByTestId('changed-window-count')).toHaveText(
    fmt(count(start, end, (r) => r.service === 'api-gateway')),
  );

  // one click filters to the item's records in the window
  const q = await top.getByRole('link').getAttribute('title');
  expect(q).toMatch(/^template:\d+ time:\S+\.\.\S+$/);
  await top.getByRole('link').click();
  await expect(page.getByTestId('view-banner')).toContainText(`View: ${q} — ${fmt(inWindow)} of`, {
    timeout: 60_000,
  });
});

test('"What changed" on a time view (a timeline selection or a typed range)', async ({ page }) => {
  await sample(page);
  const start = Date.parse('2025-03-14T01:00:00Z');
  const end = Date.parse('2025-03-14T01:30:00Z');
  const q = 'time:2025-03-14T01:00:00Z..2025-03-14T01:30:00Z';
  await page.getByRole('searchbox', { name: 'Query' }).fill(q);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('view-banner')).toContainText(`View: ${q}`, { timeout: 60_000 });
  await waitDone(page);
  await page.getByRole('button', { name: 'What changed' }).first().click();
  const panel = page.getByRole('region', { name: 'What changed' });
  const all = (): boolean => true;
  await expect(panel.getByTestId('changed-window')).toContainText(
    `(${fmt(count(start, end, all))} vs ${fmt(count(start - 1_800_000, start, all))} records)`,
    { timeout: 30_000 },
  );
  const info = panel.locator('tbody tr[data-kind="level"][data-name="INFO"]');
  await expect(info.getByTestId('changed-window-count')).toHaveText(
    fmt(count(start, end, (r) => r.level === 'INFO')),
  );
  await expect(info.getByTestId('changed-baseline-count')).toHaveText(
    fmt(count(start - 1_800_000, start, (r) => r.level === 'INFO')),
  );
});
