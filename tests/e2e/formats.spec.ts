import { test, expect } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { exportReport, waitDone } from './helpers.ts';

const log4j = (n: number, hour: number): string =>
  Array.from({ length: n }, (_, i) => {
    const level = i % 10 === 9 ? 'ERROR' : 'INFO';
    const ts = `2024-01-15 ${String(hour).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')}`;
    const line = `${ts} ${level} [main] org.shop.Orders: order ${1000 + i} ${level === 'ERROR' ? 'failed after ' + (i % 7) + ' retries' : 'created in ' + (i % 90) + ' ms'}`;
    return level === 'ERROR'
      ? `${line}\njava.lang.IllegalStateException: boom ${i}\n\tat org.shop.Orders.create(Orders.java:42)`
      : line;
  }).join('\n') + '\n';

const access = Array.from(
  { length: 40 },
  (_, i) =>
    `10.0.0.${i % 9} - - [15/Jan/2024:12:00:${String(i).padStart(2, '0')} +0000] "GET /api/items/${i} HTTP/1.1" ${i % 8 === 0 ? 500 : i % 5 === 0 ? 404 : 200} ${100 + i} "-" "curl/8.4.0"`,
).join('\n');

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('several files, a rotated set among them, give one analysis with each file detected on its own', async ({
  page,
}) => {
  await page.getByLabel('Open file').setInputFiles([
    { name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(30, 12)) },
    { name: 'app.log.1', mimeType: 'text/plain', buffer: Buffer.from(log4j(20, 11)) },
    { name: 'app.log.2.gz', mimeType: 'application/gzip', buffer: gzipSync(Buffer.from(log4j(10, 10))) },
    { name: 'access.log', mimeType: 'text/plain', buffer: Buffer.from(access) },
  ]);
  await waitDone(page);
  const rows = page.getByTestId('files-table').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  // rotated sets are read oldest first
  await expect(rows.nth(0)).toContainText('app.log.2.gz');
  await expect(rows.nth(1)).toContainText('app.log.1');
  await expect(rows.nth(2).locator('td').first()).toHaveText('app.log');
  await expect(rows.nth(0)).toContainText('log4j');
  await expect(rows.nth(3)).toContainText('access log');
  const report = await exportReport(page);
  expect((report.totals as { records: number }).records).toBe(100);
  expect(
    (report.files as { name: string; format: string; records: number }[]).map((f) => [
      f.name,
      f.format,
      f.records,
    ]),
  ).toEqual([
    ['app.log.2.gz', 'log4j', 10],
    ['app.log.1', 'log4j', 20],
    ['app.log', 'log4j', 30],
    ['access.log', 'access-log', 40],
  ]);
  // one merged timeline from 10:00 to 12:00:39, services: the logger, and the access log's file name
  expect(report.timeRange).toEqual({ start: '2024-01-15T10:00:00.000Z', end: '2024-01-15T12:00:39.000Z' });
  const services = Object.fromEntries(
    (report.services as { name: string; records: number }[]).map((s) => [s.name, s.records]),
  );
  expect(services).toEqual({ 'org.shop.Orders': 60, 'access.log': 40 });
  // 6 errors in the log4j files (one in ten), 5 from HTTP 5xx
  expect((report.levels as Record<string, number>).ERROR).toBe(1 + 2 + 3 + 5);
});

test('the format menu overrides detection and re-runs the analysis', async ({ page }) => {
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(30, 12)) });
  await waitDone(page);
  await expect(page.getByTestId('files-table')).toContainText('log4j (Hadoop, Java) · 100 % of lines');
  await page.getByLabel('Format', { exact: true }).selectOption('generic');
  await expect(page.getByTestId('files-table')).toContainText('timestamp and level (generic)');
  await waitDone(page);
  const report = await exportReport(page);
  expect((report.files as { format: string }[])[0]!.format).toBe('generic');
  expect((report.config as { format: string }).format).toBe('generic');
  await page.getByLabel('Format', { exact: true }).selectOption('auto');
  await expect(page.getByTestId('files-table')).toContainText('log4j (Hadoop, Java)');
});

test('templates: the table groups messages, sorts and filters; top error templates show', async ({
  page,
}) => {
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(60, 12)) });
  await waitDone(page);
  const table = page.getByTestId('templates-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody tr').nth(0)).toContainText('order <*> created in <*> ms');
  await expect(table.locator('tbody tr').nth(0)).toContainText('54');
  await page.getByRole('button', { name: 'Errors', exact: true }).click();
  await expect(table.locator('tbody tr').nth(0)).toContainText('order <*> failed after <*> retries');
  await page.getByLabel('Filter templates').fill('created');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('top-error-templates')).toContainText('order <*> failed after <*> retries');
});

test('Export records (CSV), (JSON Lines) and templates (CSV) write one row per record', async ({ page }) => {
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(30, 12)) });
  await waitDone(page);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export records (CSV)' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe('app.records.csv');
  const text = await readFile(await csv.path(), 'utf8');
  const header = text.split('\r\n')[0];
  expect(header).toBe('file,line,time,level,service,template_id,template,message,continuation');
  expect(text).toContain(
    'app.log,1,2024-01-15T12:00:00.000Z,INFO,org.shop.Orders,1,order <*> created in <*> ms,order 1000 created in 0 ms,\r\n',
  );
  // 30 records; the errors' traces are quoted multi-line fields
  expect(text.match(/^app\.log,/gm)).toHaveLength(30);
  expect(text).toContain(
    '"java.lang.IllegalStateException: boom 9\n\tat org.shop.Orders.create(Orders.java:42)"',
  );

  const [jsonl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export records (JSON Lines)' }).click(),
  ]);
  const rows = (await readFile(await jsonl.path(), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(rows).toHaveLength(30);
  expect(rows[9]).toMatchObject({
    file: 'app.log',
    line: 10,
    level: 'ERROR',
    template: 'order <*> failed after <*> retries',
    message: 'order 1009 failed after 2 retries',
  });

  const [tpl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export templates (CSV)' }).click(),
  ]);
  const tcsv = await readFile(await tpl.path(), 'utf8');
  expect(tcsv.split('\r\n')[0]).toBe('id,template,count,errors,first_seen,last_seen');
  expect(tcsv).toContain(',order <*> created in <*> ms,27,0,');
  expect(tcsv).toContain(',order <*> failed after <*> retries,3,3,');
});

test('dmesg times are relative: the report says so and the timeline counts seconds since boot', async ({
  page,
}) => {
  const dmesg = Array.from(
    { length: 50 },
    (_, i) => `[${String((i * 0.5).toFixed(6)).padStart(12)}] usb 1-${i % 4}: device ${i} ready`,
  ).join('\n');
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'dmesg.txt', mimeType: 'text/plain', buffer: Buffer.from(dmesg) });
  await waitDone(page);
  const report = await exportReport(page);
  expect((report.files as { format: string; relativeTime: boolean }[])[0]).toMatchObject({
    format: 'dmesg',
    relativeTime: true,
  });
  expect((report.totals as { records: number }).records).toBe(50);
  await expect(page.getByTestId('files-table')).toContainText('dmesg');
  // the timeline's axis spans the 24.5 s since boot (a linear axis in ms from 0), not a date in 1970
  const range = await page.getByRole('region', { name: 'Timeline' }).getAttribute('data-range');
  const [min, max] = range!.split('-').map(Number);
  expect(min).toBeGreaterThanOrEqual(0);
  expect(max).toBeLessThan(60_000);
  expect(max).toBeGreaterThanOrEqual(24_000);
  // … labelled in seconds since boot ("+0.000 s"), which a time axis would write as a clock time
  await expect(page.getByRole('region', { name: 'Timeline' })).toHaveAttribute(
    'data-first-tick',
    /^\+\d+(\.\d+)? s$/,
  );
});

test('a custom format made in the settings is validated inline and then reads the file', async ({ page }) => {
  const pipes = [
    '2024-01-15 10:00:00|INFO|billing|invoice 1 sent',
    '2024-01-15 10:00:05|ERROR|billing|invoice 2 failed',
    '2024-01-15 10:00:09|WARN|mailer|queue at 80%',
  ].join('\n');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add custom format' }).click();
  const f = page.getByRole('group', { name: 'Custom format 1' });
  await f.getByLabel('Name').fill('pipes');
  await f
    .getByLabel('Regex')
    .fill('^(?<time>[^|]+)\\|(?<level>[A-Z]+)\\|(?<service>[^|]+)\\|(?<message>.*)$');
  await f.getByLabel('Time pattern').fill('YYYY-MM-DD HH:mm:ss');
  await f.getByLabel('Sample lines (one per line)').fill('2024-01-15 10:00:00 INFO no pipes here');
  await expect(
    page.getByText(/customFormats\.0\.samples\.0: does not match the regex/).first(),
  ).toBeVisible();
  await f.getByLabel('Sample lines (one per line)').fill('2024-01-15 10:00:00|INFO|billing|invoice 1 sent');
  await expect(page.getByTestId('settings-errors')).toHaveCount(0);
  await page.waitForTimeout(800);
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'billing.txt', mimeType: 'text/plain', buffer: Buffer.from(pipes) });
  await waitDone(page);
  const report = await exportReport(page);
  expect((report.files as { format: string }[])[0]!.format).toBe('custom:pipes');
  expect(report.levels).toMatchObject({ INFO: 1, ERROR: 1, WARN: 1 });
  expect((report.services as { name: string }[]).map((s) => s.name).sort()).toEqual(['billing', 'mailer']);
});

test('a format chosen in the Files menu survives an edit in the settings panel', async ({ page }) => {
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(30, 12)) });
  await waitDone(page);
  await page.getByLabel('Format', { exact: true }).selectOption('generic');
  await waitDone(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Automatic threshold').uncheck(); // a number: the old fixed threshold
  await page.getByLabel('Spike threshold (errors)').fill('77');
  await page.waitForTimeout(800);
  await waitDone(page);
  const report = await exportReport(page);
  expect(report.config).toMatchObject({ format: 'generic', spikes: { threshold: 77 } });
});

test('a template and a sequence step open their raw lines, read again from the file', async ({ page }) => {
  await page
    .getByLabel('Open file')
    .setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(log4j(30, 12)) });
  await waitDone(page);
  await page.getByRole('button', { name: 'Show an example of order <*> failed after <*> retries' }).click();
  const raw = page.getByTestId('raw-lines');
  await expect(raw.locator('li.focus')).toHaveCount(3);
  await expect(raw.locator('li.focus').nth(0)).toContainText(
    'ERROR [main] org.shop.Orders: order 1009 failed after 2 retries',
  );
  await expect(raw.locator('li.focus').nth(1)).toContainText('java.lang.IllegalStateException: boom 9');
  await expect(raw.locator('li').first()).toContainText('order 1000 created in 0 ms'); // context before
  await page.getByRole('button', { name: 'Close lines' }).click();
  await expect(raw).toHaveCount(0);

  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  const seq = page.getByTestId('sequences-table');
  await seq.locator('tr', { hasText: 'restart' }).getByRole('button', { name: 'Examples' }).click();
  await page
    .getByRole('button', { name: /^Show the lines of step 1: loglens-sample\.log line \d+$/ })
    .first()
    .click();
  await expect(page.getByTestId('raw-lines').locator('li.focus')).toContainText(
    'Received SIGTERM, shutting down gracefully',
  );
});
