import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { BASE_RECORDS, BURST_RECORDS, baseLog, burstLog } from '../unit/live-fixture.ts';
import { exportReport, waitDone } from './helpers.ts';

/**
 * Live (docs/live.md). "Follow a file" on a real FileSystemFileHandle from the origin-private file system, which
 * the test writes to (showOpenFilePicker is made to return it); `loglens serve -` fed by the test's pipe.
 * The counts are the fixture's own lines (tests/unit/live-fixture.ts).
 */

/** Writes `text` to live.log in the origin-private file system: appended, or the file replaced by it. */
async function writeOpfs(page: Page, text: string, append: boolean): Promise<void> {
  await page.evaluate(
    async ({ text, append }) => {
      const root = await navigator.storage.getDirectory();
      const handle = await root.getFileHandle('live.log', { create: true });
      const size = (await handle.getFile()).size;
      const w = await handle.createWritable({ keepExistingData: append });
      if (append) await w.seek(size);
      await w.write(text);
      await w.close();
    },
    { text, append },
  );
}

test('Follow a file: new records and a new incident within 2 s of the append; a truncation is said and followed anew', async ({
  page,
}) => {
  await page.addInitScript(() => {
    (window as unknown as { showOpenFilePicker: () => Promise<FileSystemFileHandle[]> }).showOpenFilePicker =
      async () => {
        const root = await navigator.storage.getDirectory();
        return [await root.getFileHandle('live.log', { create: true })];
      };
  });
  await page.goto('./');
  await writeOpfs(page, baseLog(), false);
  await page.getByRole('button', { name: 'Follow a file' }).click();
  const live = page.getByTestId('live');
  await expect(live).toContainText(`Following live.log: ${BASE_RECORDS} records`);
  await expect(page.getByTestId('incidents-empty')).toBeVisible();

  await writeOpfs(page, burstLog(), true);
  const appended = Date.now();
  await expect(live).toContainText(`${BASE_RECORDS + BURST_RECORDS} records`, { timeout: 2000 });
  await expect(page.getByTestId('incident-title').first()).toContainText(
    'order-service: "Timeout calling db after <*> ms" ×120',
    { timeout: Math.max(1, 2000 - (Date.now() - appended)) },
  );
  expect(Date.now() - appended).toBeLessThan(2000);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText(
    (BASE_RECORDS + BURST_RECORDS).toLocaleString('en-US'),
  );

  // truncated and rewritten: said so, and analyzed anew from its start
  await writeOpfs(page, burstLog(), false);
  await expect(page.getByTestId('live-note')).toContainText('live.log was truncated or replaced');
  await expect(live).toContainText(`Following live.log: ${BURST_RECORDS} records`);

  await page.getByRole('button', { name: 'Stop following' }).click();
  await expect(live).toContainText(`Stopped following live.log: ${BURST_RECORDS} records read.`);
  await waitDone(page);
  const report = (await exportReport(page)) as { totals: { records: number } };
  expect(report.totals.records).toBe(BURST_RECORDS);
});

/** `loglens serve -` on a free port, fed by the test's pipe; the address it prints. */
async function startServe(): Promise<{
  url: string;
  port: number;
  write: (s: string) => void;
  end: () => void;
  stop: () => Promise<void>;
}> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts', '-', '--quiet'], {
    cwd: root,
  });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) done(out.trim());
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`serve exited (${code})`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    write: (s) => child.stdin.write(s),
    end: () => child.stdin.end(),
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGINT');
      }),
  };
}

/** A GET of the server with the given Host and Origin headers: its status. */
function statusWith(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

test('loglens serve -: the piped input streams into the page, which shows it live; other origins are refused', async ({
  page,
}) => {
  const serve = await startServe();
  try {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const own = `127.0.0.1:${serve.port}`;
    expect(await statusWith(serve.port, '/live/info', { Host: own })).toBe(200);
    // DNS rebinding (another name for 127.0.0.1) and another site's page are refused
    expect(await statusWith(serve.port, '/live/info', { Host: `evil.example:${serve.port}` })).toBe(403);
    expect(await statusWith(serve.port, '/live', { Host: own, Origin: 'http://evil.example' })).toBe(403);
    expect(await statusWith(serve.port, '/', { Host: own })).toBe(200);

    serve.write(baseLog());
    await page.goto(serve.url);
    const live = page.getByTestId('live');
    await expect(live).toContainText(`Following stdin: ${BASE_RECORDS} records`);
    serve.write(burstLog());
    await expect(live).toContainText(`${BASE_RECORDS + BURST_RECORDS} records`);
    await expect(page.getByTestId('incident-title').first()).toContainText(
      'order-service: "Timeout calling db after <*> ms" ×120',
    );
    serve.end();
    await expect(page.getByTestId('live-note')).toHaveText('The stream of stdin ended.');
    await waitDone(page);
    const report = (await exportReport(page)) as { totals: { records: number } };
    expect(report.totals.records).toBe(BASE_RECORDS + BURST_RECORDS);
  } finally {
    await serve.stop();
  }
});
