/**
 * Screenshots of the dashboard with the page's sample ("Try a sample"), light and dark, at three sizes, into
 * docs/screenshots/. Runs Chromium (/usr/bin/chromium, or CHROMIUM_PATH) against the production build:
 *
 *   npx vite build && npx tsx scripts/screenshots.ts        (serves it with `vite preview --port 4366`)
 *
 * SCREENSHOT_URL points it at a server already running instead.
 */
import { chromium } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PORT = Number(process.env.SCREENSHOT_PORT ?? 4366);
const OUT = 'docs/screenshots';
const SIZES = [
  { name: '1440x900', width: 1440, height: 900 },
  { name: '1280x720', width: 1280, height: 720 },
  { name: '390x844', width: 390, height: 844 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  let server: ChildProcess | null = null;
  let url = process.env.SCREENSHOT_URL;
  if (!url) {
    url = `http://localhost:${PORT}/`;
    server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
    await waitFor(url, 30_000);
  }
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
    (p): p is string => !!p && existsSync(p),
  );
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  mkdirSync(OUT, { recursive: true });
  try {
    for (const size of SIZES)
      for (const scheme of SCHEMES) {
        const page = await browser.newPage({
          viewport: { width: size.width, height: size.height },
          colorScheme: scheme,
          deviceScaleFactor: 1,
        });
        await page.goto(url);
        await page.getByRole('button', { name: 'Try a sample' }).click();
        await page
          .getByRole('button', { name: 'Export report (JSON)' })
          .and(page.locator(':enabled'))
          .waitFor({ timeout: 60_000 });
        // the dashboard mounts in stages and the charts draw on the next frames
        await page.waitForTimeout(1500);
        const file = join(OUT, `dashboard-${size.name}-${scheme}.png`);
        await page.screenshot({ path: file });
        console.log(`${file}  ${Math.round(statSync(file).size / 1024)} KB`);
        await page.close();
      }
  } finally {
    await browser.close();
    server?.kill();
  }
}

await main();
