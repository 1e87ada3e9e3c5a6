import { test, expect } from '@playwright/test';
import { exportReport, waitDone } from './helpers.ts';

test('the sample shows its 4 incidents first in the Incidents panel, the first titled with its surging template', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  const panel = page.getByRole('region', { name: 'Incidents' });
  const titles = panel.getByTestId('incident-title');
  await expect(titles.first()).toHaveText(
    'order-service: "Timeout calling db after <*>" ×688 — errors 262× the baseline',
  );
  const texts = await titles.allTextContents();
  expect(
    texts.slice(0, 4).every((t) => /^(order|payment)-service: "Timeout calling db after <\*>"/.test(t)),
  ).toBe(true);
  expect(texts.slice(4).every((t) => !t.includes('errors'))).toBe(true);
  const report = await exportReport(page);
  const incidents = report.incidents as { title: string; start: string; severity: number }[];
  expect(incidents[0]!.start).toBe('2025-03-14T09:41:00.000Z');
  // "Show records" writes the incident's time query
  await panel
    .getByRole('button', { name: /^Show records of the incident/ })
    .first()
    .click();
  await expect(page).toHaveURL(/#q=time(%3A|:)2025-03-14T09(%3A|:)41/);
});
