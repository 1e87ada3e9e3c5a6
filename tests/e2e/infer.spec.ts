import { test, expect } from '@playwright/test';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cardValue, dropFiles, exportReport, waitDone } from './helpers.ts';

const DIR = fileURLToPath(new URL('../fixtures/debian/', import.meta.url));

/**
 * The Debian fixtures, counted with grep (tests/unit/infer.test.ts has the commands): dpkg.log 240 records of
 * 240 lines, alternatives.log 60 of 60, history.log 6 (one per Start-Date block) of 32, term.log 4 (one per
 * "Log started:") of 104.
 */
const DEBIAN = [
  {
    file: 'dpkg.log',
    records: 240,
    lines: 240,
    name: 'inferred: time at column 1, `YYYY-MM-DD HH:mm:ss`, no level',
  },
  {
    file: 'alternatives.log',
    records: 60,
    lines: 60,
    name: 'inferred: time at column 21 after `update-alternatives`',
  },
  { file: 'history.log', records: 6, lines: 32, name: 'inferred: time at column 13 after `Start-Date:`' },
  { file: 'term.log', records: 4, lines: 104, name: 'inferred: time at column 14 after `Log started:`' },
];

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

for (const d of DEBIAN) {
  test(`${d.file}: an inferred format, every record with a time`, async ({ page }) => {
    await dropFiles(page, [{ name: d.file, text: readFileSync(`${DIR}${d.file}`, 'utf8') }]);
    await waitDone(page);
    expect(await cardValue(page, 'card-records')).toBe(String(d.records));
    await expect(page.getByTestId('card-records')).toContainText(`${d.lines} lines · 0 unparsed`);
    await expect(page.getByTestId('card-span').locator('.value')).not.toHaveText('no timestamps');
    await expect(page.getByTestId('card-span').locator('.sub')).not.toContainText('without a time');
    await expect(page.getByTestId('files-table')).toContainText(d.name);
    await expect(page.getByTestId('card-file')).toContainText(d.name);
  });
}

test('the real /var/log/dpkg.log, when this machine has one: a record per line', async ({ page }) => {
  test.skip(!existsSync('/var/log/dpkg.log'), 'no /var/log/dpkg.log here');
  const text = readFileSync('/var/log/dpkg.log', 'utf8');
  const lines = text.split('\n').filter((l) => l !== '').length;
  await dropFiles(page, [{ name: 'dpkg.log', text }]);
  await waitDone(page);
  expect((await cardValue(page, 'card-records')).replace(/\D/g, '')).toBe(String(lines));
  await expect(page.getByTestId('card-span').locator('.value')).not.toHaveText('no timestamps');
  await expect(page.getByTestId('files-table')).toContainText('inferred: time at column 1');
});

test('Save as custom format: Settings lists it and the analysis re-runs with it', async ({ page }) => {
  await dropFiles(page, [{ name: 'history.log', text: readFileSync(`${DIR}history.log`, 'utf8') }]);
  await waitDone(page);
  await page.getByRole('button', { name: 'Save as custom format' }).click();
  const table = page.getByTestId('files-table');
  await expect(table).toContainText('inferred history.log (custom) · ');
  await waitDone(page);
  expect(await cardValue(page, 'card-records')).toBe('6');
  const report = await exportReport(page);
  expect((report.files as { format: string }[])[0]!.format).toBe('custom:inferred history.log');
  expect((report.totals as { records: number; untimed: number }).untimed).toBe(0);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Custom format 1').getByLabel('Name')).toHaveValue('inferred history.log');
  await expect(page.getByLabel('Custom format 1').getByLabel('Time pattern')).toHaveValue(
    'YYYY-MM-DD HH:mm:ssZ',
  );
});
