import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { waitDone } from './helpers.ts';

/**
 * axe-core on the real page (WCAG 2.0/2.1 A and AA, and axe's best practices): no violation on the empty page,
 * the dashboard of the sample in light and in dark, Settings open, and the raw lines and log view open.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // the rule, how many nodes, and the first node's selector: enough to find it when this fails
  return result.violations.map(
    (v) =>
      `${v.id} ×${v.nodes.length}: ${v.nodes[0]?.target.join(' ') ?? ''} — ${v.nodes[0]?.failureSummary ?? ''}`,
  );
}

async function sample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  // the dashboard mounts in stages, a frame apart: wait for its last panel
  await expect(page.getByRole('region', { name: 'Files' })).toBeVisible();
}

test('the empty page has no axe violation', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Loglens' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the dashboard of the sample has no axe violation (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    await sample(page);
    expect(await violations(page)).toEqual([]);
  });
}

test('Settings open has no axe violation, in light and dark', async ({ page }) => {
  await page.goto('./');
  await sample(page);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await violations(page)).toEqual([]);
});

test('the raw lines and the log view open have no axe violation', async ({ page }) => {
  await page.goto('./');
  await sample(page);
  await page
    .getByRole('region', { name: 'Templates', exact: true })
    .getByRole('button', { name: /^Lines: show an example of / })
    .first()
    .click();
  await expect(page.getByTestId('raw-lines').locator('li.focus')).toHaveCount(1);
  expect(await violations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Close lines' }).click();
  // the log view of a query, a record expanded
  await page.getByRole('searchbox', { name: 'Query' }).fill('level:ERROR');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('view-banner')).toContainText('of');
  await waitDone(page);
  await expect(page.getByRole('region', { name: 'Log view' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await violations(page)).toEqual([]);
});
