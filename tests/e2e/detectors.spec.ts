import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { exportReport, waitDone } from './helpers.ts';

async function sample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('the sample shows every detector at work: spikes, anomalies, sequences and alerts', async ({ page }) => {
  await sample(page);
  await expect(page.getByTestId('spikes-table').locator('tbody tr')).not.toHaveCount(0);
  const anomalies = page.getByTestId('anomalies-table');
  await expect(anomalies.locator('tbody tr').filter({ hasText: 'errors' }).first()).toBeVisible();
  await expect(anomalies.locator('tbody tr').filter({ hasText: 'volume' }).first()).toBeVisible();
  const seq = page.getByTestId('sequences-table');
  await expect(seq.locator('tr', { hasText: 'db-outage' })).toBeVisible();
  await expect(seq.locator('tr', { hasText: 'restart' })).toContainText('3');
  await expect(page.getByTestId('alerts-list').locator('li', { hasText: 'spike' }).first()).toBeVisible();
  await expect(page.getByTestId('alerts-list').locator('li', { hasText: 'sequence' }).first()).toBeVisible();

  const report = await exportReport(page);
  // the alerts of one incident share one row, titled with the incident: one row per incident that has alerts,
  // one per alert outside any incident (counted independently from the exported report)
  const alerts = report.alerts as { incident?: string }[];
  const incidents = report.incidents as { id: string; title: string }[];
  const inIncident = new Set(alerts.map((a) => a.incident).filter((x) => x !== undefined));
  const list = page.getByTestId('alerts-list');
  await expect(list.locator('li')).toHaveCount(
    Math.min(100, inIncident.size + alerts.filter((a) => a.incident === undefined).length),
  );
  expect(inIncident.size).toBeGreaterThanOrEqual(4);
  for (const inc of incidents.filter((i) => inIncident.has(i.id))) {
    const n = alerts.filter((a) => a.incident === inc.id).length;
    const row = list.locator('li', { hasText: `Incident: ${inc.title}` });
    if (n > 1) await expect(row).toHaveCount(1);
    if (n > 1) await expect(row).toContainText(`(${n} alerts)`);
  }
  expect((report.spikes as unknown[]).length).toBeGreaterThan(0);
  expect(report.windowsAnalyzed).toBeGreaterThan(20_000);
  expect((report.anomalies as unknown[]).length).toBeGreaterThan(0);
  const seqs = report.sequences as { name: string; matches: number }[];
  expect(seqs.find((s) => s.name === 'restart')?.matches).toBe(3);
  expect((report.alerts as unknown[]).length).toBeGreaterThan(0);
});

test('changing a threshold in the settings re-runs the analysis and changes the counts', async ({ page }) => {
  await sample(page);
  const before = await page.getByTestId('spikes-table').locator('tbody tr').count();
  expect(before).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Settings' }).click();
  // the threshold is "auto" by default: a number replaces it
  await page.getByLabel('Automatic threshold').uncheck();
  await page.getByLabel('Spike threshold (errors)').fill('100000');
  await expect(page.getByTestId('spikes-empty')).toBeVisible();
  await waitDone(page);
  const report = await exportReport(page);
  expect(report.spikes).toEqual([]);
  expect((report.config as { spikes: { threshold: number } }).spikes.threshold).toBe(100000);

  await page.getByLabel('Spike threshold (errors)').fill('20');
  await waitDone(page);
  // the re-run may not have started when waitDone looks: wait for its rows
  await expect
    .poll(() => page.getByTestId('spikes-table').locator('tbody tr').count(), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(before);
});

test('an invalid value is shown inline, not applied, and settings survive a reload', async ({ page }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  const windowField = page.getByLabel('Spike window (s)');
  await windowField.fill('0');
  await expect(page.getByText('spikes.windowSec: must be at least 1')).toBeVisible();
  await expect(windowField).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('or regex').first().fill('(unclosed');
  await expect(page.getByText(/is not a valid regular expression/).first()).toBeVisible();
  await page.getByLabel('or regex').first().fill('');
  await windowField.fill('90');
  await expect(page.getByTestId('settings-errors')).toHaveCount(0);
  await page.waitForTimeout(800); // applied after a pause in typing
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Spike window (s)')).toHaveValue('90');
});

test('the sequence editor adds, reorders and removes steps and sequences', async ({ page }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add sequence' }).click();
  const third = page.getByRole('group', { name: 'Sequence 3' });
  await third.getByLabel('Name').fill('login-then-fail');
  await third.getByLabel('Step 1: contains').fill('logged in');
  await third.getByLabel('Step 2: contains').fill('declined');
  await third.getByRole('button', { name: 'Add step' }).click();
  await third.getByLabel('Step 3: contains').fill('timeout');
  await page.getByRole('button', { name: 'Move step 3 of sequence 3 up' }).click();
  await expect(third.getByLabel('Step 2: contains')).toHaveValue('timeout');
  await page.getByRole('button', { name: 'Remove step 2 of sequence 3' }).click();
  await expect(third.getByLabel('Step 2: contains')).toHaveValue('declined');
  await page.getByRole('button', { name: 'Move sequence 3 up' }).click();
  await expect(page.getByRole('group', { name: 'Sequence 2' }).getByLabel('Name')).toHaveValue(
    'login-then-fail',
  );
  await page.waitForTimeout(800);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export config' }).click(),
  ]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    sequences: { name: string; steps: { contains?: string }[] }[];
  };
  expect(exported.sequences.map((s) => s.name)).toEqual(['db-outage', 'login-then-fail', 'restart']);
  expect(exported.sequences[1]!.steps).toEqual([{ contains: 'logged in' }, { contains: 'declined' }]);
  await page.getByRole('button', { name: 'Remove sequence 2' }).click();
  await expect(page.getByRole('group', { name: 'Sequence 2' }).getByLabel('Name')).toHaveValue('restart');
});

test('a share link carries the settings to another page; an invalid link says why and keeps the settings', async ({
  page,
  context,
}) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('z threshold').fill('4.5');
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('loglens.config') ?? ''))
    .toContain('"z":4.5');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel(/Share link/).inputValue();
  expect(link).toMatch(/#config=[A-Za-z0-9_-]+$/);

  const other = await context.newPage();
  await other.goto('./');
  await other.evaluate(() => localStorage.clear());
  await other.goto(link);
  await expect(other.getByText('Settings loaded from the link.')).toBeVisible();
  await expect(other.getByLabel('z threshold')).toHaveValue('4.5');
  expect(other.url()).not.toContain('#config=');

  // In the same tab, a pasted link arrives as a hash change.
  await other.goto('./#config=' + Buffer.from('{"spikes":{"windowSec":-1}}').toString('base64url'));
  await expect(
    other.getByText(/The link’s settings are not valid: spikes.windowSec: must be at least 1/),
  ).toBeVisible();
  await expect(other.getByLabel('z threshold')).toHaveValue('4.5');
  await other.goto('./#config=%%%garbage');
  await expect(other.getByText(/could not be read/)).toBeVisible();
  await expect(other.getByLabel('z threshold')).toHaveValue('4.5');
});

test('Import config applies a valid file and refuses an invalid one with its reasons', async ({ page }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Import config').setInputFiles({
    name: 'team.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ schema: 'loglens.config/1', spikes: { windowSec: 30, threshold: 7 } }),
    ),
  });
  await expect(page.getByText('Settings imported from team.json.')).toBeVisible();
  await expect(page.getByLabel('Spike threshold (errors)')).toHaveValue('7');
  await page.getByLabel('Import config').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ anomalies: { z: 'high' }, colour: 'red' })),
  });
  await expect(page.getByText(/bad.json was not imported: .*anomalies.z: must be a number/)).toBeVisible();
  await expect(page.getByLabel('Spike threshold (errors)')).toHaveValue('7');
});

test('clicking a spike zooms the timeline to it; alerts link there too', async ({ page }) => {
  await sample(page);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const full = await timeline.getAttribute('data-range');
  await page.getByTestId('spikes-table').locator('tbody tr').first().getByRole('button').first().click();
  await expect(timeline).not.toHaveAttribute('data-range', full ?? '');
  const [min, max] = (await timeline.getAttribute('data-range'))!.split('-').map(Number);
  expect(max! - min!).toBeLessThan(3600_000);
  await page.getByRole('button', { name: 'Reset zoom' }).first().click();
  await expect(timeline).toHaveAttribute('data-range', full ?? '');
  await page.getByTestId('alerts-list').getByRole('button').first().click();
  await expect(timeline).not.toHaveAttribute('data-range', full ?? '');
});

test('Notify me asks for permission on that click only, then notifies when an alert fires', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __shown: string[] }).__shown = shown;
    let asked = 0;
    class FakeNotification {
      static permission = 'default';
      static async requestPermission(): Promise<string> {
        asked++;
        (window as unknown as { __asked: number }).__asked = asked;
        return 'granted';
      }
      constructor(title: string, opts?: { body?: string }) {
        shown.push(`${title}: ${opts?.body ?? ''}`);
      }
    }
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  });
  await page.goto('./');
  await sample(page);
  expect(await page.evaluate(() => (window as unknown as { __asked?: number }).__asked ?? 0)).toBe(0);
  await page.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.getByText('You will be notified when an alert fires.')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
  await sample(page); // alerts fire during this analysis
  const shown = await page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.length).toBeLessThanOrEqual(3 * 4); // at most one per kind every few seconds
  expect(shown.some((s) => s.startsWith('Loglens: '))).toBe(true);
});

test('Email summary opens a mailto: draft with the findings', async ({ page }) => {
  await sample(page);
  const href = await page.getByRole('link', { name: 'Email summary' }).getAttribute('href');
  expect(href).toMatch(/^mailto:\?subject=/);
  const body = decodeURIComponent(href!.split('&body=')[1]!);
  expect(body).toContain('Error spikes');
  expect(body).toContain('db-outage');
});

test('a regex that would backtrack forever runs in linear time: the analysis finishes and matches', async ({
  page,
}) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  const first = page.getByRole('group', { name: 'Sequence 1' });
  await first.getByLabel('Step 1: contains').fill('');
  await first.getByLabel('or regex').first().fill('^(a+)+$');
  await first.getByLabel('Step 2: contains').fill('');
  await first.getByLabel('or regex').nth(1).fill('^(a+)+b$');
  await first.getByLabel('Level').nth(1).fill('');
  await first.getByLabel('Step 3: contains').fill('ok');
  await page.waitForTimeout(800);
  const lines = [
    '2025-03-14T10:00:00.000Z INFO api ok',
    `2025-03-14T10:00:01.000Z INFO api ${'a'.repeat(40)}!`,
    `2025-03-14T10:00:02.000Z INFO api ${'a'.repeat(40)}`,
    `2025-03-14T10:00:03.000Z INFO api ${'a'.repeat(40)}b`,
    '2025-03-14T10:00:04.000Z INFO api ok',
  ];
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'evil.log', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) });
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('5');
  const report = await exportReport(page);
  const seq = (report.sequences as { name: string; matches: number }[]).find((s) => s.name === 'db-outage');
  expect(seq?.matches).toBe(1);
});
