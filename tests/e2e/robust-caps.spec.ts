import { test, expect } from '@playwright/test';
import { cardValue, dropFiles, exportReport, waitDone } from './helpers.ts';

// Capped counts say they are capped (issue 8): the files are made here, in memory, with small lines.

const T0 = Date.UTC(2025, 2, 14, 10);
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** One line per distinct service svc-0 … svc-(n−1); every tenth line is an ERROR. */
function manyServices(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${iso(i % 60)} ${i % 10 === 0 ? 'ERROR' : 'INFO'} svc-${i} ping`);
  return out.join('\n') + '\n';
}

/** `n` template shapes (messages of 1 … n equal words), 3 records each, the last of each an ERROR. */
function manyShapes(n: number): string {
  const out: string[] = [];
  for (let k = 1; k <= n; k++) {
    const message = Array.from({ length: k }, () => 'tick').join(' ');
    for (let j = 0; j < 3; j++) out.push(`${iso(j)} ${j === 2 ? 'ERROR' : 'INFO'} api ${message}`);
  }
  return out.join('\n') + '\n';
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('10,050 services: the card says 10,000+, the table says what is beyond, the report is flagged', async ({
  page,
}) => {
  await dropFiles(page, [{ name: 'many-services.log', text: manyServices(10_050) }]);
  await waitDone(page);
  expect(await cardValue(page, 'card-services')).toBe('10,000+');
  await expect(page.getByTestId('card-services').locator('.value')).toHaveAttribute(
    'title',
    /More than 10,000 distinct services/,
  );
  await expect(page.getByTestId('services-capped')).toHaveText(
    'more than the 10,000 kept · 50 records beyond',
  );
  await expect(page.getByRole('region', { name: 'Top services' })).toContainText('top 12 of 10,000+');
  await expect(page.getByTestId('services-beyond-cap')).toHaveText(
    'More services not listed: past the first 10,000 names, 50 records (5 errors) of other names are counted together as “(other services)”.',
  );

  const report = (await exportReport(page)) as {
    caps: { services: unknown; templates: { capped: boolean } };
    services: unknown[];
  };
  expect(report.caps.services).toEqual({
    max: 10_000,
    capped: true,
    counted: 10_000,
    beyondRecords: 50,
    beyondErrors: 5,
    estimate: 9948,
  });
  expect(report.caps.templates.capped).toBe(false);
  expect(report.services).toHaveLength(10_001);
  expect(report.services[0]).toEqual({ name: '(other services)', records: 50, errors: 5 });
});

test('30,000 services: the card adds an estimate of how many there were in all', async ({ page }) => {
  await dropFiles(page, [{ name: 'more-services.log', text: manyServices(30_000) }]);
  await waitDone(page);
  expect(await cardValue(page, 'card-services')).toBe('10,000+');
  // HyperLogLog, ±2.3 %: 29,895 for these 30,000 names (tests/unit/caps.test.ts checks the estimator)
  await expect(page.getByTestId('services-capped')).toHaveText(
    'about 29,895 in all (estimate) · 20,000 records beyond',
  );
  await expect(page.getByTestId('services-beyond-cap')).toHaveText(
    'More services not listed (about 29,895 in all, an estimate): past the first 10,000 names, 20,000 records (2,000 errors) of other names are counted together as “(other services)”.',
  );
  const report = (await exportReport(page)) as { caps: { services: unknown } };
  expect(report.caps.services).toEqual({
    max: 10_000,
    capped: true,
    counted: 10_000,
    beyondRecords: 20_000,
    beyondErrors: 2000,
    estimate: 29_895,
  });
});

test('more shapes than "Templates at most": <overflow> is explained above the table and in its row', async ({
  page,
}) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Templates at most').fill('10');
  await dropFiles(page, [{ name: 'shapes.log', text: manyShapes(15) }]);
  await waitDone(page);
  // The settings apply as typed and re-run the analysis, so this waits for the run with the cap of 10.
  await expect(page.getByTestId('templates-capped')).toHaveText(
    'Templates: 10 kept, 15 records (33.3 %) beyond the 10-template cap in <overflow>: they matched none of the kept templates. Raise “Templates at most” in Settings to mine them.',
  );
  const templates = page.getByRole('region', { name: 'Templates', exact: true });
  await expect(templates).toContainText('10 message shapes kept, and <overflow>');
  const row = page.getByTestId('templates-table').locator('tbody tr').filter({ hasText: '<overflow>' });
  await expect(row).toContainText(
    'records beyond the 10-template cap: raise “Templates at most” in Settings',
  );
  await expect(row.locator('td.n').first()).toHaveText('15');
  await expect(
    page.getByTestId('top-error-templates').locator('tr').filter({ hasText: '<overflow>' }),
  ).toContainText('records beyond the template cap');

  await waitDone(page);
  const report = (await exportReport(page)) as { caps: { templates: unknown } };
  expect(report.caps.templates).toEqual({
    max: 10,
    capped: true,
    kept: 10,
    overflowRecords: 15,
    overflowErrors: 5,
  });
});

test('more anomaly buckets than the errors chart keeps: the chart says so instead of staying blank', async ({
  page,
}) => {
  // 40 days of 1-minute buckets (the default) are 57,601 buckets, past the chart's 50,000
  const text = '2025-01-01T00:00:00Z ERROR api start\n2025-02-10T00:00:00Z INFO api end\n';
  await dropFiles(page, [{ name: 'long.log', text }]);
  await waitDone(page);
  await expect(page.getByTestId('errors-chart-capped')).toHaveText(
    '57,601 buckets of 1 min: more than the 50,000 this chart draws. Every bucket was still tested (the anomalies table lists what was found); a wider anomaly bucket in Settings draws the band.',
  );
  expect(await cardValue(page, 'card-records')).toBe('2');
});
