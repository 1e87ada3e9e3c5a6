import { test, expect, type Page } from '@playwright/test';
import { dropFiles, waitDone } from './helpers.ts';

/** Ten records a minute apart from 2025-03-14 00:48 UTC. */
const t0 = Date.parse('2025-03-14T00:48:00.000Z');
const text =
  Array.from(
    { length: 10 },
    (_, i) => `${new Date(t0 + i * 60_000).toISOString()} INFO api GET /orders/${i} 200`,
  ).join('\n') + '\n';

async function open(page: Page): Promise<void> {
  await dropFiles(page, [{ name: 'clock.log', text }]);
  await waitDone(page);
}

async function setClock(page: Page, zone: string): Promise<void> {
  const settings = page.getByRole('button', { name: 'Settings', exact: true });
  if ((await settings.getAttribute('aria-expanded')) !== 'true') await settings.click();
  const field = page.getByLabel('Show times in');
  await field.fill(zone);
  await field.press('Enter');
}

/** The timeline's first tick, read as a clock time on 2025-03-14 in a zone `offsetMin` east of UTC. */
async function firstTickInstant(
  page: Page,
  offsetMin: number,
): Promise<{ at: number; min: number; max: number }> {
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const tick = (await timeline.getAttribute('data-first-tick'))!;
  expect(tick).toMatch(/^\d\d:\d\d(:\d\d)?$/);
  const [h, m, s = 0] = tick.split(':').map(Number);
  const [min, max] = (await timeline.getAttribute('data-range'))!.split('-').map(Number);
  return { at: Date.UTC(2025, 2, 14, h, m, s) - offsetMin * 60_000, min: min!, max: max! };
}

test.describe('in a browser set to Europe/Berlin', () => {
  test.use({ timezoneId: 'Europe/Berlin' });

  test('one clock: UTC by default, an IANA zone or the browser’s for the log view and the timeline alike, kept over a reload', async ({
    page,
  }) => {
    await page.goto('./');
    await open(page);
    const view = page.getByRole('region', { name: 'Log view' });
    const first = view.getByRole('list', { name: 'Records' }).locator('[data-record]').first();
    await expect(view).toContainText('Time (UTC)');
    await expect(first).toContainText('2025-03-14 00:48:00.000');
    let tick = await firstTickInstant(page, 0);
    expect(tick.at).toBeGreaterThanOrEqual(tick.min);
    expect(tick.at).toBeLessThanOrEqual(tick.max);

    await setClock(page, 'Asia/Kolkata'); // UTC+05:30, no daylight saving
    await expect(view).toContainText('Time (Asia/Kolkata)');
    await expect(first).toContainText('2025-03-14 06:18:00.000');
    await expect
      .poll(async () => {
        const k = await firstTickInstant(page, 330);
        return k.min <= k.at && k.at <= k.max;
      })
      .toBe(true);

    // a zone the browser does not know is refused, and the clock stays
    await setClock(page, 'Mars/Olympus');
    await expect(page.getByText('"Mars/Olympus" is not a time zone this browser knows')).toBeVisible();
    await expect(first).toContainText('2025-03-14 06:18:00.000');

    // kept over a reload
    await page.reload();
    await open(page);
    await expect(first).toContainText('2025-03-14 06:18:00.000');

    // the browser's own zone
    await setClock(page, 'local');
    await expect(view).toContainText('Time (Europe/Berlin)');
    await expect(first).toContainText('2025-03-14 01:48:00.000');
    tick = await firstTickInstant(page, 60);
    expect(tick.at).toBeGreaterThanOrEqual(tick.min);
    expect(tick.at).toBeLessThanOrEqual(tick.max);
  });
});
