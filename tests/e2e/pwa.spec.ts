import { test, expect, chromium, type Page, type Request } from '@playwright/test';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardValue, exportReport, waitDone } from './helpers.ts';

const BASE = `http://localhost:${process.env.E2E_PORT ?? 4317}/`;
const LOG = [
  '2025-03-14T10:00:00.000Z INFO api-gateway GET /v1/orders 200 12ms',
  '2025-03-14T10:00:01.000Z ERROR payment-service Timeout calling db after 3000ms',
  '2025-03-14T10:00:02.000Z WARN auth-service token close to expiry',
].join('\n');

/** Waits until the service worker controls the page and has everything cached. */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
  });
  await expect(page.getByText('Ready to work offline.')).toBeVisible();
}

test('after one visit the app loads and analyzes a file with the network off', async ({ page, context }) => {
  await page.goto('./');
  await controlled(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Drop a log file anywhere on this page' })).toBeVisible();
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'offline.log', mimeType: 'text/plain', buffer: Buffer.from(LOG) });
  await waitDone(page);
  expect(await cardValue(page, 'card-records')).toBe('3');
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  await expect(page.getByTestId('card-file')).toContainText('loglens-sample.log');
  await context.setOffline(false);
});

test('no request ever goes to another origin, and analyzing makes no request at all', async ({ page }) => {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  await page.addInitScript(() => {
    const v: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = v;
    document.addEventListener('securitypolicyviolation', (e) =>
      v.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto('./');
  await controlled(page);
  await page.waitForTimeout(500); // the spare worker loads
  const loaded = requests.length;

  // A full use of the app: a file, the sample, settings, exports, the recent list, the privacy page.
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'a.log', mimeType: 'text/plain', buffer: Buffer.from(LOG) });
  await waitDone(page);
  const afterAnalysis = requests.length;
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Automatic threshold').uncheck(); // a number: the old fixed threshold
  await page.getByLabel('Spike threshold (errors)').fill('20');
  await page.waitForTimeout(800); // the change applies after a pause, then the analysis runs again
  await waitDone(page);
  await page.getByRole('button', { name: 'Copy share link' }).click();
  // Settings is a drawer over the page's right side: closed, the templates' export button is in reach
  await page.getByRole('button', { name: 'Close settings' }).click();
  await exportReport(page);
  for (const name of ['Export records (CSV)', 'Export records (JSON Lines)', 'Export templates (CSV)']) {
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  }
  await page.getByRole('button', { name: 'Recent' }).click();
  await page
    .getByRole('button', { name: /^Open the report of/ })
    .first()
    .click();
  await expect(page.getByTestId('stored-notice')).toBeVisible();
  await page.getByRole('link', { name: 'Nothing leaves this device' }).first().click();
  await expect(page.getByRole('heading', { name: 'Nothing leaves this device' })).toBeVisible();

  const foreign = requests
    .map((r) => r.url())
    .filter((u) => !u.startsWith(BASE) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
  // analyzing a dropped file fetched nothing: its worker was made ahead, and the engine reads the File itself
  expect(requests.slice(loaded, afterAnalysis).map((r) => r.url())).toEqual([]);
  await page.goBack();
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});

test('a file handed over by the OS (launchQueue) is analyzed', async ({ page }) => {
  await page.addInitScript(() => {
    // Chromium has a real launchQueue (fed only when an installed app is launched with files): replace it
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: {
        setConsumer(fn: (p: unknown) => void) {
          (window as unknown as { __launch: (p: unknown) => void }).__launch = fn;
        },
      },
    });
  });
  await page.goto('./');
  await page.waitForFunction(
    () => typeof (window as unknown as { __launch?: unknown }).__launch === 'function',
  );
  await page.evaluate((text) => {
    const file = new File([text], 'opened-with.log', { type: 'text/plain' });
    (window as unknown as { __launch: (p: unknown) => void }).__launch({
      files: [{ getFile: async () => file }],
    });
  }, LOG);
  await waitDone(page);
  await expect(page.getByTestId('card-file')).toContainText('opened-with.log');
  expect(await cardValue(page, 'card-records')).toBe('3');
});

test('past analyses survive a reload, reopen without the file, and can be deleted or all cleared', async ({
  page,
}) => {
  await page.goto('./');
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'first.log', mimeType: 'text/plain', buffer: Buffer.from(LOG) });
  await waitDone(page);
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'second.log', mimeType: 'text/plain', buffer: Buffer.from(LOG + '\n' + LOG) });
  await waitDone(page);
  await page.getByRole('button', { name: 'Recent' }).click();
  await expect(page.getByTestId('recent-list').locator('li')).toHaveCount(2); // saved before the reload
  await page.reload();
  const list = page.getByTestId('recent-list');
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li').first()).toContainText('second.log');
  await expect(list.locator('li').first()).toContainText('6 records');
  await page.getByRole('button', { name: 'Open the report of first.log' }).click();
  await expect(page.getByTestId('stored-notice')).toContainText('the log itself was not kept');
  expect(await cardValue(page, 'card-records')).toBe('3');
  await expect(page.getByRole('button', { name: 'Export records (CSV)' })).toBeDisabled();
  const report = await exportReport(page);
  expect((report.files as { name: string }[])[0]!.name).toBe('first.log');
  await page.getByRole('button', { name: 'Recent' }).click();
  await page.getByRole('button', { name: 'Delete the report of first.log' }).click();
  await expect(list.locator('li')).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await expect(page.getByTestId('recent-empty')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('recent-list')).toHaveCount(0);
});

test('the manifest passes Chromium’s installability check', async () => {
  // A real (non-incognito) profile: installability is never granted to incognito windows.
  const dir = await mkdtemp(join(tmpdir(), 'loglens-profile-'));
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p) ?? undefined;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: (await import('node:fs')).existsSync(executablePath ?? '') ? executablePath : undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await context.newPage();
    await page.goto(BASE);
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = JSON.parse(await readFile('dist/manifest.webmanifest', 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      short_name: 'Loglens',
      display: 'standalone',
      start_url: './',
      scope: './',
    });
    expect((manifest.file_handlers as { accept: Record<string, string[]> }[])[0]!.accept).toMatchObject({
      'text/plain': ['.log', '.txt', '.out'],
      'application/gzip': ['.gz'],
      'application/x-ndjson': ['.jsonl'],
      'application/json': ['.json'],
    });
  } finally {
    await context.close();
  }
});

test('a new version deployed while the page is open is offered with "Reload to update"', async ({ page }) => {
  test.setTimeout(120_000);
  const { execSync } = await import('node:child_process');
  const { cpSync, rmSync } = await import('node:fs');
  // the running version, and the next one built aside (vite preview serves whatever is in dist/ now)
  rmSync('tmp/dist-prev', { recursive: true, force: true });
  cpSync('dist', 'tmp/dist-prev', { recursive: true });
  execSync('npx vite build --outDir tmp/dist-next --emptyOutDir', {
    env: { ...process.env, BUILD_ID: 'next-version' },
    stdio: 'ignore',
  });
  try {
    await page.goto('./');
    await controlled(page);
    const before = await page.locator('footer').getAttribute('data-build');
    expect(before).not.toBe('next-version');
    cpSync('tmp/dist-next', 'dist', { recursive: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const reload = page.getByRole('button', { name: 'Reload to update' });
    await expect(reload).toBeVisible({ timeout: 30_000 });
    // nothing switched under the user's feet: the old version still runs until the click
    await expect(page.locator('footer')).toHaveAttribute('data-build', before!);
    await reload.click();
    await expect(page.locator('footer')).toHaveAttribute('data-build', 'next-version', { timeout: 30_000 });
  } finally {
    rmSync('dist', { recursive: true, force: true });
    cpSync('tmp/dist-prev', 'dist', { recursive: true });
  }
});
