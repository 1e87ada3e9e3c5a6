import { expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { existsSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample, type SampleTruth } from '../../src/engine/sample.ts';

/** Drops files on the page the way a user's drag does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFiles(
  page: Page,
  files: { name: string; text: string }[],
  checkOverlay = false,
): Promise<void> {
  const dt = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  if (checkOverlay) await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** Waits until the analysis has finished (the export button turns on). */
export async function waitDone(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Export report (JSON)' })).toBeEnabled({ timeout: 60_000 });
}

/** Clicks "Export report (JSON)" and returns the parsed download. */
export async function exportReport(page: Page): Promise<Record<string, unknown>> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export report (JSON)' }).click(),
  ]);
  const path = await download.path();
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** The number shown in a summary card. */
export async function cardValue(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).locator('.value').innerText()).trim();
}

/** A generated log on disk (made once per machine), with the generator's own counts. */
export async function bigSample(bytes: number, seed = 7): Promise<{ path: string; truth: SampleTruth }> {
  const path = join(tmpdir(), `loglens-e2e-${bytes}-${seed}.log`);
  const truthPath = `${path}.truth.json`;
  if (existsSync(path) && existsSync(truthPath)) {
    return { path, truth: JSON.parse(await readFile(truthPath, 'utf8')) as SampleTruth };
  }
  const out = createWriteStream(path);
  const gen = generateSample({ bytes, seed });
  let step = gen.next();
  while (!step.done) {
    if (!out.write(step.value)) await once(out, 'drain');
    step = gen.next();
  }
  out.end();
  await once(out, 'finish');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(truthPath, JSON.stringify(step.value));
  return { path, truth: step.value };
}
