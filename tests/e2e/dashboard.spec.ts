import { test, expect, type Page } from '@playwright/test';
import { exportReport, waitDone } from './helpers.ts';
import { generateSample, type SampleTruth } from '../../src/engine/sample.ts';

/** The page's sample (src/lib/session.svelte.ts startSample): its truth, planted incidents included. */
function sampleTruth(): SampleTruth {
  const gen = generateSample({ bytes: 8_000_000, seed: 42, spanMs: 6 * 3600_000 });
  let step = gen.next();
  while (!step.done) step = gen.next();
  return step.value;
}

async function sample(page: Page): Promise<void> {
  await page.goto('./');
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
}

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the first screen shows the 4 planted incidents ranked, the first titled with its surging template, and the timeline', async ({
    page,
  }) => {
    const truth = sampleTruth();
    await sample(page);
    const report = await exportReport(page);
    const incidents = report.incidents as { kind: string; title: string; start: string; end: string }[];
    const first4 = incidents.slice(0, 4);
    expect(first4.every((i) => i.kind === 'errors')).toBe(true);
    // each of the 4 is one planted incident, titled with its surging template
    for (const i of first4) {
      const planted = truth.incidents.filter(
        (p) => p.start < Date.parse(i.end) && Date.parse(i.start) < p.end,
      );
      expect(planted.length).toBe(1);
      expect(i.title.startsWith(`${planted[0]!.service}: "Timeout calling db after <*>"`)).toBe(true);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    const titles = page.getByRole('region', { name: 'Incidents' }).getByTestId('incident-title');
    expect((await titles.allTextContents()).slice(0, 4)).toEqual(first4.map((i) => i.title));
    // all four on the first screen, without scrolling
    for (let k = 0; k < 4; k++) {
      const box = await titles.nth(k).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(720);
    }
    // each with its small chart of errors
    await expect(page.getByTestId('incident').first().getByRole('img')).toHaveAttribute(
      'aria-label',
      /^Errors per .+ around it: at most \d/,
    );
    // and the timeline, whole, beside them
    const timeline = await page.getByTestId('timeline-chart').boundingBox();
    expect(timeline).not.toBeNull();
    expect(timeline!.y).toBeGreaterThan(0);
    expect(timeline!.y + timeline!.height).toBeLessThanOrEqual(720);
  });

  test('the timeline zooms by keyboard, and the zoom is the time filter', async ({ page }) => {
    await sample(page);
    // the whole file's span, before the zoom makes a view (whose report is the view's)
    const report = await exportReport(page);
    const chart = page.getByRole('img', { name: /^Timeline chart\./ });
    await chart.focus();
    await page.keyboard.press('+');
    const query = page.getByRole('searchbox', { name: 'Query' });
    await expect(query).toHaveValue(/^time:\S+\.\.\S+$/);
    const [a, b] = (await query.inputValue())
      .slice(5)
      .split('..')
      .map((t) => Date.parse(t));
    const span = report.timeRange as { start: string; end: string };
    const whole = Date.parse(span.end) - Date.parse(span.start);
    // half of what was shown (the whole file, give or take the axis' rounding), in the middle of it
    expect(b! - a!).toBeGreaterThan(whole * 0.4);
    expect(b! - a!).toBeLessThan(whole * 0.6);
    await expect(page.getByTestId('view-banner')).toBeVisible();
    // and the timeline has a text alternative: a summary and a table
    await page.getByText('The timeline as a table').click();
    await expect(page.getByTestId('timeline-table').locator('tbody tr').first()).toBeVisible();
  });

  test('Settings opens beside the page where it is scrolled, and closes with Escape', async ({ page }) => {
    await sample(page);
    await page.getByRole('region', { name: 'Templates', exact: true }).scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Settings' });
    await expect(panel).toBeInViewport();
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeFocused();
  });

  test('the skip link is first in the tab order and leads to the incidents', async ({ page }) => {
    await page.goto('./');
    // the first Tab on a fresh page
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await page.getByRole('button', { name: 'Try a sample' }).click();
    await waitDone(page);
    // still the first focusable element of the page, now leading to the incidents
    const first = await page.evaluate(() => {
      const e = document.querySelector<HTMLElement>(
        'a[href], button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex="-1"])',
      );
      return e?.textContent?.trim() ?? null;
    });
    expect(first).toBe('Skip to incidents');
    // from "Try a sample", back past Follow a file (where the browser can follow files) and Open file: the skip link
    const follow = await page.getByRole('button', { name: 'Follow a file' }).isVisible();
    for (let i = 0; i < (follow ? 3 : 2); i++) await page.keyboard.press('Shift+Tab');
    const skip = page.getByRole('link', { name: 'Skip to incidents' });
    await expect(skip).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Incidents' })).toBeFocused();
  });

  test('a level with no record has no row, and a panel with nothing to say is one line', async ({ page }) => {
    await sample(page);
    const report = await exportReport(page);
    const levels = report.levels as Record<string, number>;
    const table = page.getByTestId('levels-table');
    for (const [level, n] of Object.entries(levels)) {
      const row = table.locator(`tr[data-level="${level}"]`);
      if (n === 0) await expect(row).toHaveCount(0);
      else await expect(row).toHaveCount(1);
    }
    await expect(page.getByTestId('alerts-empty').or(page.getByTestId('alerts-list'))).toBeVisible();
  });
});

test.describe('at 390×844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('nothing scrolls sideways, the header is short, numbers do not split', async ({ page }) => {
    await page.goto('./');
    const sideways = (): Promise<boolean> =>
      page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);
    expect(await sideways()).toBe(true);
    await page.getByRole('button', { name: 'Try a sample' }).click();
    await waitDone(page);
    await expect(page.getByRole('region', { name: 'Files' })).toBeVisible();
    expect(await sideways()).toBe(true);
    const header = await page.locator('header.top').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(120);
    // a number is one line: its box is one line high
    const value = page.getByTestId('card-records').locator('.value');
    const lineHeight = await value.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
    expect((await value.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    // Settings, then the raw lines, open without a sideways scroll either
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
    expect(await sideways()).toBe(true);
  });
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });

  test('the empty page says "Open a log file", not "drop"', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'Open a log file' })).toBeVisible();
    await expect(page.getByText(/drop/i)).toHaveCount(0);
  });
});
