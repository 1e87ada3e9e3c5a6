import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { dropFiles, waitDone } from './helpers.ts';

/** A log of `n` records; every 97th is an ERROR followed by a 3-line stack trace. */
function makeLog(n: number): string {
  const out: string[] = [];
  const t0 = Date.parse('2025-03-14T10:00:00.000Z');
  for (let i = 0; i < n; i++) {
    const time = new Date(t0 + i * 100).toISOString();
    if (i % 97 === 5) {
      out.push(`${time} ERROR payment-service Charge ${i} failed`);
      out.push(`java.lang.IllegalStateException: card ${i} declined`);
      out.push(`\tat com.shop.Pay.charge(Pay.java:${i})`);
      out.push(`\tat com.shop.Api.post(Api.java:12)`);
    } else out.push(`${time} INFO api-gateway GET /v1/orders/${i} 200`);
  }
  return out.join('\n') + '\n';
}

/** Line numbers (1-based) of the lines that start a record: those that begin with an ISO time. */
function recordStarts(text: string): number[] {
  const starts: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(l)) starts.push(i + 1);
  });
  return starts;
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('the log view lists the records with their line numbers, to the last one', async ({ page }) => {
  const text = makeLog(30_000);
  const starts = recordStarts(text);
  expect(starts.length).toBe(30_000);
  await dropFiles(page, [{ name: 'big.log', text }]);
  await waitDone(page);
  const view = page.getByRole('region', { name: 'Log view' });
  await expect(view).toBeVisible();
  const list = view.getByRole('list', { name: 'Records' });
  const rows = list.locator('[data-record]');
  await expect(rows.first()).toHaveAttribute('data-line', '1');
  const shown = await rows.evaluateAll((els) =>
    els.slice(0, 10).map((e) => Number(e.getAttribute('data-line'))),
  );
  expect(shown).toEqual(starts.slice(0, 10));
  await expect(rows.nth(5)).toContainText('Charge 5 failed');
  await expect(rows.nth(5)).toContainText('2025-03-14 10:00:00.500');
  await expect(view.getByTestId('logview-status')).toContainText('of 30,000');

  // the end: the last record, past the virtualizer's first window
  await list.focus();
  await page.keyboard.press('End');
  const last = list.locator(`[data-record="29999"]`);
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('data-line', String(starts[starts.length - 1]));
  await expect(last).toContainText('GET /v1/orders/29999 200');
  await page.keyboard.press('Home');
  await expect(list.locator('[data-record="0"]')).toBeVisible();
});

test('a multi-line record expands to its stack trace; context shows the lines around it', async ({
  page,
}) => {
  const text = await readFile('tests/fixtures/e2e/checkout.log', 'utf8');
  const lines = text.split('\n');
  const errorLine = lines.findIndex((l) => l.includes('ERROR payment-service')) + 1;
  await dropFiles(page, [{ name: 'checkout.log', text }]);
  await waitDone(page);
  const view = page.getByRole('region', { name: 'Log view' });
  const row = view.locator(`[data-line="${errorLine}"]`);
  await expect(row).toContainText('Timeout calling db after 3000ms');
  const more = row.getByRole('button', { name: '+5 lines' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(row.locator('pre')).toHaveText(lines.slice(errorLine, errorLine + 5).join('\n'));
  await expect(row.getByRole('button', { name: '−5 lines' })).toHaveAttribute('aria-expanded', 'true');

  await row.getByRole('button', { name: 'Context' }).click();
  const raw = view.getByTestId('raw-lines');
  await expect(raw.locator('li.focus')).toHaveCount(6);
  await expect(raw.locator('li.focus').first()).toContainText('Timeout calling db after 3000ms');
});
