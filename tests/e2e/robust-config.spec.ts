import { test, expect, type Page } from '@playwright/test';
import { dropFiles, exportReport, waitDone } from './helpers.ts';

/** Issue 8's hostile share links: a custom format whose regex backtracks catastrophically on its own sample. */
const link = (config: unknown): string =>
  './#config=' + Buffer.from(JSON.stringify(config)).toString('base64url');
const EVIL = {
  customFormats: [
    { name: 'evil', regex: '^(?<message>(a+)+)$', time: 'iso', samples: ['a'.repeat(36) + '!'] },
  ],
};
const EVIL_VALID = {
  customFormats: [
    { name: 'evil', regex: '^(?<message>(?:(a+)+b|.*))$', time: 'iso', samples: ['a'.repeat(30) + '!'] },
  ],
};
const CLEAN = Array.from(
  { length: 300 },
  (_, i) =>
    `2025-03-14T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z ${i % 10 === 0 ? 'ERROR' : 'INFO'} api request ${i} done`,
).join('\n');

/** The longest main-thread task (ms) since the observer was installed at page start. */
async function longestTask(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __longest: number }).__longest);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
});

test('a share link with a catastrophic regex and a sample that triggers it is refused without freezing the page', async ({
  page,
}) => {
  await page.goto(link(EVIL));
  await expect(
    page.getByText(/The link’s settings are not valid: customFormats.0.samples.0: does not match the regex/),
  ).toBeVisible();
  // the page never froze (the old behaviour: the tab dead for good)
  expect(await longestTask(page)).toBeLessThan(2000);
  await dropFiles(page, [{ name: 'clean.log', text: CLEAN }]);
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('300');
});

test('a valid config with a nested-repeat regex is saved, survives reloads without freezing, and analyzes clean files', async ({
  page,
}) => {
  await page.goto(link(EVIL_VALID));
  await expect(page.getByText('Settings loaded from the link.')).toBeVisible();
  await page.reload();
  await dropFiles(page, [{ name: 'clean.log', text: CLEAN }]);
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('300');
  expect(await longestTask(page)).toBeLessThan(2000);
  const report = await exportReport(page);
  expect((report.config as { customFormats: { name: string }[] }).customFormats[0]?.name).toBe('evil');
  // and a file of that format's worst case is read to the end
  await dropFiles(page, [
    {
      name: 'a.log',
      text: Array(50)
        .fill('a'.repeat(40) + '!')
        .join('\n'),
    },
  ]);
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('50');
});

test('a link whose settings are null, or cannot be saved, says so', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('z threshold').fill('4.5');
  await expect(page.getByTestId('settings-state')).toHaveText(
    'changes apply as you type and re-run the analysis',
  );
  await page.waitForTimeout(800);
  await page.goto('./#config=bnVsbA');
  await expect(
    page.getByText(/The link holds no settings \(null instead of a settings document\)/),
  ).toBeVisible();
  await expect(page.getByLabel('z threshold')).toHaveValue('4.5');

  // storage refuses the write: the settings apply in this tab, and the page says a reload loses them
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
  });
  await page.goto('about:blank'); // a new document, so that the init script runs
  await page.goto(link({ spikes: { threshold: 7 } }));
  await expect(page.getByText(/apply in this tab only: this browser could not save them/)).toBeVisible();
  await expect(page.getByLabel('Spike threshold (errors)')).toHaveValue('7');
});

test('the settings panel shows a draft as being checked, then its errors from the worker', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Settings' }).click();
  const first = page.getByRole('group', { name: 'Sequence 1' });
  await first.getByLabel('or regex').first().fill('(\\d+)-\\1');
  await expect(page.getByTestId('settings-errors')).toContainText(
    'sequences.0.steps.0.regex: uses a backreference (\\1, \\k<name>), which Loglens cannot run safely',
  );
  await expect(page.getByTestId('settings-errors')).toContainText('uses a backreference');
  await expect(page.getByTestId('settings-state')).toHaveText('fix the fields in red to apply');
});
