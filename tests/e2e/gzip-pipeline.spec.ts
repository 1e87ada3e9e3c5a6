import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateSample } from '../../src/engine/sample.ts';
import { cardValue, exportReport, waitDone } from './helpers.ts';

/**
 * A .gz big enough to be read in a pipeline (one worker inflates and cuts pieces at record starts, another parses
 * them: src/engine/pipeline.ts) and its plain twin (read in slices) must show the same analysis: 80 MB of
 * generated log with stack traces, so cuts fall next to traces.
 */
const BYTES = 80_000_000;

async function twins(): Promise<{ plain: string; gz: string }> {
  const plain = join(tmpdir(), `loglens-e2e-twin-${BYTES}.log`);
  const gz = `${plain}.gz`;
  if (!existsSync(gz)) {
    const parts: string[] = [];
    const gen = generateSample({ bytes: BYTES, seed: 5, spanMs: 24 * 3600_000, stackTraces: true });
    for (let s = gen.next(); !s.done; s = gen.next()) parts.push(s.value);
    const text = Buffer.from(parts.join(''));
    await writeFile(plain, text);
    await writeFile(`${gz}.part`, gzipSync(text, { level: 1 }));
    await rename(`${gz}.part`, gz);
  }
  return { plain, gz };
}

/** What the report says about the log's content: everything but when, how long, and the file's stored size. */
function content(report: Record<string, unknown>): unknown {
  const { generatedAt: _g, analysis: _a, files, ...rest } = report;
  const [file] = files as Record<string, unknown>[];
  const { name: _n, bytes: _b, gzip: _z, ...summary } = file!;
  return JSON.parse(JSON.stringify({ ...rest, file: summary }).replaceAll('.log.gz', '.log'));
}

test('a big .gz shows what its plain twin shows', async ({ page }) => {
  test.setTimeout(120_000);
  const { plain, gz } = await twins();
  await page.goto('./');
  await page.getByLabel('Open file').setInputFiles(gz);
  await waitDone(page);
  await expect(page.getByTestId('files-table')).toContainText('(gzip)');
  const fromGz = await exportReport(page);
  const gzCards = await Promise.all(['card-records', 'card-services'].map((id) => cardValue(page, id)));

  await page.getByLabel('Open file').setInputFiles(plain);
  await waitDone(page);
  const fromPlain = await exportReport(page);
  const plainCards = await Promise.all(['card-records', 'card-services'].map((id) => cardValue(page, id)));

  expect((fromGz.files as { gzip: boolean }[])[0]!.gzip).toBe(true);
  expect(gzCards).toEqual(plainCards);
  expect(content(fromGz)).toEqual(content(fromPlain));
  expect((fromGz.totals as { records: number }).records).toBeGreaterThan(300_000);
});
