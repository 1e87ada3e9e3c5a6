import { test, expect } from '@playwright/test';
import { dropFiles, waitDone } from './helpers.ts';

test('markup in log lines is shown as text: no element made, no script run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('./');
  const evil = ['<img src=x onerror="alert(1)">', '<script>alert(2)</script>', '"><svg onload=alert(3)>'];
  const lines = evil.flatMap((m, i) => [
    `2025-03-14T10:00:0${i}.000Z ERROR <b>api</b> ${m}`,
    `2025-03-14T10:00:1${i}.000Z ERROR <b>api</b> ${m}`,
  ]);
  await dropFiles(page, [{ name: '<i>x</i>.log', text: lines.join('\n') }]);
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('6');
  // the service and the messages appear as the characters they are
  await expect(page.getByText('<b>api</b>', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('<script>alert(2)</script>').first()).toBeVisible();
  expect(await page.locator('main img[src="x"], main svg[onload], main script, b').count()).toBe(0);
  expect(dialogs).toEqual([]);
});
