/**
 * `npm run bench:gzip [-- --size 1GiB] [--file f.gz]`: a highly compressible .gz (one ISO line
 * repeated, gzip -9: ~300 to 1) analyzed in headless Chromium on the production build. Prints the page's record
 * count beside `zcat | wc -l`, the time, and the largest Chromium process' resident memory, sampled every
 * 200 ms with `ps -o rss` over this script's descendant processes (the browser and its renderers).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip, constants } from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, parseSize, rssPeaks, startPreview } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GiB' },
    file: { type: 'string' },
    port: { type: 'string', default: '4181' },
  },
});

const LINE = '2025-03-14T00:48:00.123Z INFO api-gateway GET /health 200 in 3ms\n';

/** Writes `bytes` of the repeated line, gzip -9. */
export async function makeRepeatedGzip(path: string, bytes: number): Promise<number> {
  const lines = Math.floor(bytes / LINE.length);
  const block = Buffer.from(LINE.repeat(16384));
  const gz = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const out = gz.pipe(createWriteStream(path));
  for (let left = lines; left > 0; left -= 16384) {
    const part = left >= 16384 ? block : block.subarray(0, left * LINE.length);
    if (!gz.write(part)) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'finish');
  return lines;
}

async function main(): Promise<void> {
  let path = values.file;
  if (!path) {
    await mkdir('tmp', { recursive: true });
    path = `tmp/repeated-${values.size}.log.gz`;
    if (!existsSync(path)) {
      console.log(`generating ${path} …`);
      await makeRepeatedGzip(path, parseSize(values.size));
    }
  }
  const expected = Number(execFileSync('sh', ['-c', `zcat '${path}' | wc -l`], { encoding: 'utf8' }).trim());
  const { url, server } = await startPreview(values.port);
  const browser = await chromium.launch({
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
  const memory = rssPeaks();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const t0 = Date.now();
    await page.getByLabel('Open file').setInputFiles(path);
    const outcome = await page.waitForFunction(
      () => {
        const err = document.querySelector('[data-testid="analysis-error"]');
        if (err) return `error: ${err.textContent ?? ''}`;
        // by its accessible name: its text is shortened on a narrow screen ("Report (JSON)")
        const b = [...document.querySelectorAll('button')].find(
          (x) => x.getAttribute('aria-label') === 'Export report (JSON)',
        );
        return b !== undefined && !b.disabled ? 'done' : false;
      },
      null,
      { timeout: 900_000, polling: 100 },
    );
    const wall = Date.now() - t0;
    const result = (await outcome.jsonValue()) as string;
    let records = -1;
    if (result === 'done') {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export report (JSON)' }).click(),
      ]);
      const report = JSON.parse(await readFile(await download.path(), 'utf8')) as {
        totals: { records: number };
      };
      records = report.totals.records;
    }
    console.log(`file          ${path}`);
    console.log(`outcome       ${result} after ${(wall / 1000).toFixed(1)} s`);
    console.log(
      `records       page ${records.toLocaleString('en-US')}, zcat | wc -l ${expected.toLocaleString('en-US')}: ${records === expected ? 'equal' : 'DIFFER'}`,
    );
    const [largest] = memory.stop();
    console.log(
      `largest RSS   ${((largest?.rss ?? 0) / 1024).toFixed(0)} MiB (${largest?.type ?? '?'}; ps -o rss every 200 ms)`,
    );
    if (errors.length > 0) console.log(`page errors   ${errors.join(' | ')}`);
  } finally {
    memory.stop();
    await browser.close();
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
