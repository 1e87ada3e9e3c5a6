import { test, expect, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bigSample, exportReport, waitDone } from './helpers.ts';

/**
 * Issue 10's search: a text query's view finds exactly the records holding the text (counted here, the way
 * grep would), the log view lists them with the text highlighted, `template:` terms list a template's records
 * in the log view, a view's record export holds the view's records, and the command line's `--where` report
 * equals the page's exported view report.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const DIR = mkdtempSync(join(tmpdir(), 'loglens-search-'));

/** 3,000 records; every 7th an ERROR with a stack trace whose 2nd line names a timeout; some non-ASCII. */
function makeLog(): string {
  const out: string[] = [];
  const t0 = Date.parse('2025-03-14T10:00:00.000Z');
  for (let i = 0; i < 3000; i++) {
    const time = new Date(t0 + i * 1000).toISOString();
    if (i % 7 === 3) {
      out.push(`${time} ERROR payment-service Charge ${i} failed`);
      out.push(`java.lang.IllegalStateException: card ${i} declined`);
      out.push(`\tat com.shop.Pay.${i % 2 ? 'TimeOut' : 'retry'}(Pay.java:${i})`);
    } else if (i % 11 === 0) out.push(`${time} WARN user-service Ünïcode user Zoë ${i} TIMEOUT near`);
    else out.push(`${time} INFO api-gateway GET /v1/orders/${i} 200 in ${i % 90}ms`);
  }
  return out.join('\n') + '\n';
}

const TEXT = makeLog();
const PATH = join(DIR, 'search.log');
writeFileSync(PATH, TEXT);

/** Records as grep sees them: a line starting with a time begins one; their first line numbers. */
const RECORDS = (() => {
  const out: { line: number; text: string }[] = [];
  TEXT.split('\n').forEach((l, i) => {
    if (/^\d{4}-\d\d-\d\dT/.test(l)) out.push({ line: i + 1, text: l });
    else if (l !== '' && out.length > 0) out[out.length - 1]!.text += `\n${l}`;
  });
  return out;
})();
/** the text a word is looked for in: the message and the continuation lines (not time, level, service) */
const textOf = (t: string): string => t.replace(/^\S+ \S+ \S+ /, '');
const fmt = (n: number): string => n.toLocaleString('en-US');

async function query(page: Page, q: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Query' }).fill(q);
  await page.getByRole('button', { name: 'Apply' }).click();
}

async function expectView(page: Page, q: string, records: number, total = RECORDS.length): Promise<void> {
  await expect(page.getByTestId('view-banner')).toContainText(
    `View: ${q} — ${fmt(records)} of ${fmt(total)} records`,
    { timeout: 60_000 },
  );
  await waitDone(page);
}

/**
 * The log view's shown records (the rows rendered near the top): their line numbers, in order. Its status
 * says how many matches are read so far: all of them, or a page (200) and more to come ("+").
 */
async function listedLines(page: Page, n: number): Promise<number[]> {
  const view = page.getByRole('region', { name: 'Log view' });
  await expect(view.getByTestId('logview-status')).toHaveText(
    n <= 200 ? `${fmt(n)} matching record${n === 1 ? '' : 's'}` : /^[\d,]+\+ matching records$/,
  );
  const rows = view.getByRole('list', { name: 'Records' }).locator('[data-record]');
  // the status says the count first; the rows come with the page of records read after it
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

test('the log counts as the test makes it', () => {
  expect(RECORDS.length).toBe(3000);
});

for (const { q, has, marks } of [
  // a bare word: case-insensitive, in messages, in continuation lines, beside non-ASCII text
  { q: 'timeout', has: (t: string) => t.toLowerCase().includes('timeout'), marks: ['TimeOut', 'TIMEOUT'] },
  { q: '"zoë 11"', has: (t: string) => t.toLowerCase().includes('zoë 11'), marks: ['Zoë 11'] },
  {
    q: '/Charge 1\\d5 failed/',
    has: (t: string) => /Charge 1\d5 failed/.test(t),
    marks: ['Charge 115 failed'],
  },
]) {
  test(`a text search finds exactly the records holding it, highlighted: ${q}`, async ({ page }) => {
    const truth = RECORDS.filter((r) => has(textOf(r.text)));
    expect(truth.length).toBeGreaterThan(0);
    await page.getByLabel('Open file').setInputFiles(PATH);
    await waitDone(page);
    await query(page, q);
    await expectView(page, q, truth.length);
    const lines = await listedLines(page, truth.length);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(truth.slice(0, lines.length).map((r) => r.line));
    const view = page.getByRole('region', { name: 'Log view' });
    // a match in a continuation line: shown once its record is expanded
    const more = view.locator('[data-record]').getByRole('button', { name: /^\+\d+ lines$/ });
    if (q === 'timeout') await more.first().click();
    const marked = await view.locator('mark').allInnerTexts();
    for (const m of marks) expect(marked).toContain(m);
    for (const m of marked) expect(has(m)).toBe(true);
  });
}

test('a template: term lists that template’s records in the log view', async ({ page }) => {
  await page.getByLabel('Open file').setInputFiles(PATH);
  await waitDone(page);
  const whole = (await exportReport(page)) as {
    templates: { id: number; template: string; count: number }[];
  };
  const t = whole.templates.find((x) => x.template.startsWith('Charge'))!;
  const truth = RECORDS.filter((r) =>
    / ERROR payment-service Charge \d+ failed$/.test(r.text.split('\n')[0]!),
  );
  expect(t.count).toBe(truth.length);
  await query(page, `template:${t.id}`);
  await expectView(page, `template:${t.id}`, truth.length);
  await expect(page.getByTestId('logview-template-note')).toHaveCount(0);
  const lines = await listedLines(page, truth.length);
  expect(lines.length).toBeGreaterThan(10);
  expect(lines).toEqual(truth.slice(0, lines.length).map((r) => r.line));
});

test('a view’s record exports hold the view’s records only', async ({ page }) => {
  await page.getByLabel('Open file').setInputFiles(PATH);
  await waitDone(page);
  const truth = RECORDS.filter((r) => textOf(r.text).toLowerCase().includes('timeout'));
  await query(page, 'timeout');
  await expectView(page, 'timeout', truth.length);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export records (JSON Lines)' }).click(),
  ]);
  const rows = (await readFile((await download.path())!, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number });
  expect(rows.map((r) => r.line)).toEqual(truth.map((r) => r.line));
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export records (CSV)' }).click(),
  ]);
  const lines = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
  expect(lines.length).toBe(1 + truth.length);
});

/** The command line's report of `--where q` on a file (the CLI run in this test's process' Node). */
function cliReport(path: string, q: string): Promise<Record<string, unknown>> {
  const out = join(DIR, `cli-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', path, '--where', q, '--out', out, '--quiet', '--threads', '1'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`the CLI exited with ${code}: ${err}`));
      else readFile(out, 'utf8').then((t) => done(JSON.parse(t) as Record<string, unknown>), fail);
    });
  });
}

/** A report without what differs by run or by reader: when it was made, how long it took. */
function comparable(r: Record<string, unknown>): Record<string, unknown> {
  const { generatedAt: _g, analysis: _a, ...rest } = r;
  return rest;
}

test('a text search on a file the page reads in slices finds exactly the records holding it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // 40 MB: past SLICE_MIN_BYTES, so the page reads it with a worker per core, and its view of a word is read
  // in slices on the fast path (each slice with the whole file's template miner: docs/performance.md)
  const { path } = await bigSample(40_000_000, 11);
  // grep's count: records start with a time; a record holds the word in its message or a continuation line
  let records = 0;
  let start = 0;
  let hit = false;
  /** the first line of each record that holds the word */
  const hits: number[] = [];
  (await readFile(path, 'utf8')).split('\n').forEach((l, i) => {
    if (/^\d{4}-\d\d-\d\dT/.test(l)) {
      records++;
      start = i + 1;
      hit = textOf(l).toLowerCase().includes('timeout');
      if (hit) hits.push(start);
    } else if (l !== '' && records > 0 && !hit && l.toLowerCase().includes('timeout')) {
      hit = true;
      hits.push(start);
    }
  });
  expect(hits.length).toBeGreaterThan(1000);
  await page.getByLabel('Open file').setInputFiles(path);
  await waitDone(page);
  for (const q of ['timeout', 'TimeOut']) {
    await query(page, q);
    await expectView(page, q, hits.length, records);
  }
  const lines = await listedLines(page, hits.length);
  expect(lines.length).toBeGreaterThan(5);
  expect(lines).toEqual(hits.slice(0, lines.length));
});

for (const { name, file, q } of [
  { name: 'a small file, one worker', file: async () => PATH, q: 'timeout level:>=WARN' },
  {
    name: 'a 40 MB file read in slices',
    file: async () => (await bigSample(40_000_000, 11)).path,
    q: '"payment" OR /time(d )?out/',
  },
  {
    name: 'a 40 MB file read in slices, a word (the fast read path in slices)',
    file: async () => (await bigSample(40_000_000, 11)).path,
    q: 'timeout level:>=WARN',
  },
]) {
  test(`the command line's --where report equals the page's exported view report: ${name}`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const path = await file();
    const cli = await cliReport(path, q);
    await page.getByLabel('Open file').setInputFiles(path);
    await waitDone(page);
    await query(page, q);
    await expect(page.getByTestId('view-banner')).toContainText(`View: ${q} — `, { timeout: 120_000 });
    await waitDone(page);
    const shown = await exportReport(page);
    expect((shown.view as { query: string }).query).toBe(q);
    expect(comparable(shown)).toEqual(comparable(cli));
  });
}
