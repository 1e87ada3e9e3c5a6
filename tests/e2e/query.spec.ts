import { test, expect, type Page } from '@playwright/test';
import { generateSample } from '../../src/engine/sample.ts';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { bigSample, exportReport, waitDone } from './helpers.ts';

/**
 * Issue 10's page side: the "Query" filter bar, findings that write queries, `#q=` links, a view's export.
 * The truth is counted here, from the text of the sample the page makes ("Try a sample": the same generator,
 * the same options), the way grep and awk would: one record per line that starts with a time.
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
  text: string;
}

/** Records: a line that starts with an ISO time begins one, the lines after it (stack traces) continue it. */
const RECORDS: Rec[] = (() => {
  const out: Rec[] = [];
  for (const line of SAMPLE.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\S+) (\S+) (\S+)/.exec(line);
    if (m) out.push({ time: Date.parse(m[1]!), level: m[2]!, service: m[3]!, text: line });
    else if (line !== '' && out.length > 0) out[out.length - 1]!.text += `\n${line}`;
  }
  return out;
})();

const count = (f: (r: Rec) => boolean): number => RECORDS.filter(f).length;
const fmt = (n: number): string => n.toLocaleString('en-US');

async function sample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
}

async function query(page: Page, q: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Query' }).fill(q);
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** Waits for the view of `q` to be read, and checks its banner and the records card. */
async function expectView(page: Page, q: string, records: number): Promise<void> {
  const banner = page.getByTestId('view-banner');
  await expect(banner).toContainText(`View: ${q} — ${fmt(records)} of ${fmt(RECORDS.length)} records`, {
    timeout: 60_000,
  });
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(records));
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('the sample parses as the test counts it', () => {
  expect(RECORDS.length).toBe(87_886);
});

test('level:ERROR shows the report’s error count; clearing returns to the whole file at once', async ({
  page,
}) => {
  await sample(page);
  const whole = (await exportReport(page)) as { totals: { records: number }; levels: Record<string, number> };
  const errors = count((r) => r.level === 'ERROR');
  expect(whole.levels.ERROR).toBe(errors);
  await query(page, 'level:ERROR');
  await expectView(page, 'level:ERROR', errors);
  await expect(page.getByTestId('level-INFO')).toHaveCount(0); // a level with no record has no row
  await expect(page.getByTestId('level-ERROR')).toHaveText(fmt(errors));
  // the view's export is the view's report
  const view = (await exportReport(page)) as { totals: { records: number }; view?: { query: string } };
  expect(view.totals.records).toBe(errors);
  // the URL carries the query (and nothing else)
  expect(new URL(page.url()).hash).toBe(`#q=${encodeURIComponent('level:ERROR')}`);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('view-banner')).toHaveCount(0);
  // kept, not recomputed: the whole file's dashboard is back without a progress bar
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(RECORDS.length));
  await expect(page.getByRole('button', { name: 'Export report (JSON)' })).toBeEnabled();
  expect(new URL(page.url()).hash).toBe('');
});

// The report builder's `view: {query}` is helper QUERY's (docs/report.md); the page passes the view's
// snapshot, which carries its query. Turn this on once it has landed.
test('a view’s exported report names its query', async ({ page }) => {
  await sample(page);
  await query(page, 'level:ERROR');
  await expectView(
    page,
    'level:ERROR',
    count((r) => r.level === 'ERROR'),
  );
  const view = (await exportReport(page)) as { view?: { query: string } };
  expect(view.view).toMatchObject({ query: 'level:ERROR' });
});

test('a text query shows exactly the records that contain it', async ({ page }) => {
  await sample(page);
  const smtp = count((r) => r.text.toLowerCase().includes('smtp'));
  expect(smtp).toBeGreaterThan(0);
  await query(page, 'smtp');
  await expectView(page, 'smtp', smtp);
});

test('a service click filters every panel', async ({ page }) => {
  await sample(page);
  const name = 'payment-service';
  await page.getByRole('button', { name: `Show records of service ${name}` }).click();
  const records = count((r) => r.service === name);
  await expectView(page, `service:${name}`, records);
  const services = page.getByTestId('services-table').locator('tbody tr');
  await expect(services).toHaveCount(1);
  await expect(services.first()).toContainText(name);
  await expect(page.getByTestId('level-ERROR')).toHaveText(
    fmt(count((r) => r.service === name && r.level === 'ERROR')),
  );
});

test('a spike’s records are exactly the records inside it', async ({ page }) => {
  await sample(page);
  const report = (await exportReport(page)) as { spikes: { start: string; end: string }[] };
  const spike = report.spikes[0]!;
  const start = Date.parse(spike.start);
  const end = Date.parse(spike.end);
  const inside = count((r) => r.time >= start && r.time < end);
  expect(inside).toBeGreaterThan(0);
  await page
    .getByTestId('spikes-table')
    .getByRole('link', {
      name: `Show records of the spike at ${spike.start.replace('T', ' ').replace('Z', ' UTC')}`,
    })
    .click();
  const q = `time:${spike.start.replace('.000Z', 'Z')}..${spike.end.replace('.000Z', 'Z')}`;
  await expectView(page, q, inside);
});

test('a range dragged on the timeline filters every panel to it', async ({ page }) => {
  await sample(page);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline).toHaveAttribute('data-range', /^\d+-\d+$/);
  const full = await timeline.getAttribute('data-range');
  const canvas = page.getByTestId('timeline-chart');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const y = box.y + box.height * 0.4;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  await expect(timeline).not.toHaveAttribute('data-range', full ?? '');
  const banner = page.getByTestId('view-banner');
  await expect(banner).toContainText(/View: time:\S+\.\.\S+ — [\d,]+ of/, { timeout: 60_000 });
  await waitDone(page);
  const [, from, to] = /time:(\S+)\.\.(\S+)/.exec(await banner.innerText())!;
  const start = Date.parse(from!);
  const end = Date.parse(to!);
  expect(end).toBeGreaterThan(start);
  const inside = count((r) => r.time >= start && r.time < end);
  await expectView(page, `time:${from}..${to}`, inside);
  await expect(page.getByTestId('level-ERROR')).toHaveText(
    fmt(count((r) => r.time >= start && r.time < end && r.level === 'ERROR')),
  );
});

test('a shared #q= link reopens the same view once the file is read', async ({ page }) => {
  const q = 'level:WARN service:auth-service';
  await page.goto(`./#q=${encodeURIComponent(q)}`);
  await expect(page.getByRole('searchbox', { name: 'Query' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await expectView(
    page,
    q,
    count((r) => r.level === 'WARN' && r.service === 'auth-service'),
  );
  expect(new URL(page.url()).hash).toBe(`#q=${encodeURIComponent(q)}`);
});

test('a query that does not parse says where and keeps the view', async ({ page }) => {
  await sample(page);
  await query(page, 'level:ERROR');
  const errors = count((r) => r.level === 'ERROR');
  await expectView(page, 'level:ERROR', errors);
  await query(page, 'level:ERROR (timeout');
  await expect(page.getByTestId('query-error')).toContainText(
    "The query does not parse: expected ')' at 20.",
  );
  await expect(page.getByTestId('query-error')).toContainText('The view of “level:ERROR” stays.');
  await expect(page.getByTestId('view-banner')).toContainText('View: level:ERROR');
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(errors));
});

test('every read path shows the view: a file read in slices, and its .gz read in a pipeline', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // 40 MB: past SLICE_MIN_BYTES, so the plain file is read by a worker per core; its .gz, past
  // PIPELINE_MIN_BYTES, by two workers in a pipeline
  const { path, truth } = await bigSample(40_000_000, 11);
  const gz = `${path}.gz`;
  if (!existsSync(gz)) {
    await writeFile(`${gz}.part`, gzipSync(await readFile(path), { level: 1 }));
    await rename(`${gz}.part`, gz);
  }
  const q = 'service:payment-service';
  const records = truth.services['payment-service']!.records;
  for (const file of [path, gz]) {
    await page.getByLabel('Open file').setInputFiles(file);
    await waitDone(page);
    await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(truth.records));
    await query(page, q);
    await expect(page.getByTestId('view-banner')).toContainText(
      `View: ${q} — ${fmt(records)} of ${fmt(truth.records)} records`,
      { timeout: 90_000 },
    );
    await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(records));
    await page.getByRole('button', { name: 'Clear' }).click();
  }
});

test.describe('in Europe/Berlin', () => {
  test.use({ timezoneId: 'Europe/Berlin' });

  test('charts read UTC, as the tables do: a spike row’s time and the zoomed axis agree', async ({
    page,
  }) => {
    await sample(page);
    expect(await page.evaluate(() => new Date(Date.UTC(2025, 2, 14)).getTimezoneOffset())).toBe(-60);
    const row = page.getByTestId('spikes-table').locator('tbody tr').first();
    const startText = (await row.locator('td').first().innerText()).trim(); // "2025-03-14 00:48:00 UTC"
    const start = Date.parse(startText.replace(' ', 'T').replace(' UTC', 'Z'));
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const full = await timeline.getAttribute('data-range');
    await row.getByRole('button').first().click();
    await expect(timeline).not.toHaveAttribute('data-range', full ?? '');
    const [min, max] = (await timeline.getAttribute('data-range'))!.split('-').map(Number);
    expect(min! <= start && start <= max!).toBe(true);
    // the axis' first tick, read as a UTC clock time on the spike's day, lies within the range shown
    const tick = (await timeline.getAttribute('data-first-tick'))!;
    expect(tick).toMatch(/^\d\d:\d\d(:\d\d)?$/);
    const [h, m, s = 0] = tick.split(':').map(Number);
    const day = new Date(start);
    const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m, s);
    expect(at).toBeGreaterThanOrEqual(min!);
    expect(at).toBeLessThanOrEqual(max!);
  });
});

test('a sequence match opens its records with its steps marked in the log view', async ({ page }) => {
  await sample(page);
  const seq = page.getByTestId('sequences-table');
  const show = seq.getByRole('button', { name: /^Show records of the db-outage match at / }).first();
  await seq.locator('tr', { hasText: 'db-outage' }).getByRole('button', { name: 'Examples' }).click();
  const match = show.locator('xpath=ancestor::li[1]');
  const stepLines = (await match.locator('ol.steps code').allInnerTexts()).map((t) =>
    Number(t.split(':').pop()),
  );
  expect(stepLines.length).toBeGreaterThan(1);
  await show.click();
  await expect(page.getByTestId('view-banner')).toBeVisible();
  await waitDone(page);
  const first = page.getByRole('region', { name: 'Log view' }).locator('[data-step="1"]');
  await expect(first).toHaveAttribute('data-line', String(stepLines[0]));
  await expect(first).toContainText('step 1');
});
