import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { BASE_RECORDS, BURST_RECORDS, baseLog, burstLog, reopenParts } from '../unit/live-fixture.ts';
import { dropFiles, exportReport, waitDone } from './helpers.ts';

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
  await pickOpfs(page);
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

/** showOpenFilePicker made to return live.log of the origin-private file system (a real FileSystemFileHandle). */
async function pickOpfs(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { showOpenFilePicker: () => Promise<FileSystemFileHandle[]> }).showOpenFilePicker =
      async () => {
        const root = await navigator.storage.getDirectory();
        return [await root.getFileHandle('live.log', { create: true })];
      };
  });
}

/** A record written for the log view test: its text is nowhere else in the fixture. */
const APPENDED = '2025-03-14T09:40:59.900Z WARN checkout-service Card processor slow: answered in 4812 ms\n';

/** Lines of `text` at `level`, counted here (independently of the engine). */
const atLevel = (text: string, level: string): number =>
  text.split('\n').filter((l) => l.split(' ')[1] === level).length;

test('Follow a file: the log view shows the records read so far and grows with an append; a query applied while following counts its subset and keeps following', async ({
  page,
}) => {
  await pickOpfs(page);
  await page.goto('./');
  await writeOpfs(page, baseLog(), false);
  await page.getByRole('button', { name: 'Follow a file' }).click();
  const live = page.getByTestId('live');
  await expect(live).toContainText(`Following live.log: ${BASE_RECORDS} records`);
  const view = page.getByRole('region', { name: 'Log view' });
  await expect(view.getByTestId('logview-status')).toContainText(`of ${BASE_RECORDS}`);
  // it opens at the end, as tail does: the last record of the base log
  await expect(view.getByRole('list', { name: 'Records' })).toContainText('GET /api/items/799 200 in 22 ms');

  // an append: the log view grows and shows it (the view stays at the end)
  await writeOpfs(page, APPENDED, true);
  await expect(live).toContainText(`${BASE_RECORDS + 1} records`);
  await expect(view.getByTestId('logview-status')).toContainText(`of ${BASE_RECORDS + 1}`);
  await expect(view.getByRole('list', { name: 'Records' })).toContainText(
    'Card processor slow: answered in 4812 ms',
  );
  // held at the bottom, as tail -f: the last row fully in sight, not a row or two short of it
  const list = view.getByRole('list', { name: 'Records' });
  const gap = (): Promise<number> => list.evaluate((e) => e.scrollHeight - e.clientHeight - e.scrollTop);
  await expect.poll(gap).toBeLessThanOrEqual(1);
  // scrolled up by the user: it stays where it is as the log grows
  await list.hover();
  await page.mouse.wheel(0, -300);
  await expect.poll(gap).toBeGreaterThan(200);
  // settled (a wheel's scroll can be animated): the same twice
  let settled = -1;
  await expect.poll(async () => settled === (settled = await gap())).toBe(true);
  const status = view.getByTestId('logview-status');
  const before = await status.textContent();
  await writeOpfs(page, APPENDED.replace('4812', '4813'), true);
  await expect(live).toContainText(`${BASE_RECORDS + 2} records`);
  await expect(status).toContainText(`of ${BASE_RECORDS + 2}`);
  expect((await status.textContent())?.replace(`of ${BASE_RECORDS + 2}`, '')).toBe(
    before?.replace(`of ${BASE_RECORDS + 1}`, ''),
  );
  expect(await gap()).toBeGreaterThan(200);
  // End: at the bottom again, and held there as the log grows
  await list.focus();
  await page.keyboard.press('End');
  await expect.poll(gap).toBeLessThanOrEqual(1);
  await writeOpfs(page, APPENDED.replace('4812', '4814'), true);
  await expect(status).toContainText(`of ${BASE_RECORDS + 3}`);
  await expect(list).toContainText('answered in 4814 ms');
  await expect.poll(gap).toBeLessThanOrEqual(1);

  // a query while following: the bytes read so far analyzed again with it, and following goes on
  const read = baseLog() + APPENDED + APPENDED.replace('4812', '4813') + APPENDED.replace('4812', '4814');
  await page.getByRole('searchbox', { name: 'Query' }).fill('level:ERROR');
  await page.getByRole('button', { name: 'Apply' }).click();
  const banner = page.getByTestId('view-banner');
  const errors = atLevel(read, 'ERROR');
  expect(errors).toBe(6);
  await expect(banner).toContainText(`${errors} of ${BASE_RECORDS + 3} records`);
  await expect(view.getByTestId('logview-status')).toHaveText(`${errors} matching records`);
  await expect(live).toContainText('Following live.log');
  // appended while the view is shown: the view counts the new matching records, the log view lists them
  await writeOpfs(page, burstLog(), true);
  const all = read + burstLog();
  const moreErrors = atLevel(all, 'ERROR');
  expect(moreErrors).toBe(126);
  await expect(banner).toContainText(`${moreErrors} of ${BASE_RECORDS + 3 + BURST_RECORDS} records`);
  await expect(view.getByTestId('logview-status')).toHaveText(`${moreErrors} matching records`);
  await expect(view.getByRole('list', { name: 'Records' })).toContainText('Timeout calling db after');

  // Clear: the whole log again, still followed
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(banner).toHaveCount(0);
  await expect(view.getByTestId('logview-status')).toContainText(`of ${BASE_RECORDS + 3 + BURST_RECORDS}`);
  await expect(live).toContainText(`Following live.log: ${BASE_RECORDS + 3 + BURST_RECORDS} records`);

  // stopped: the log view keeps reading what was read
  await page.getByRole('button', { name: 'Stop following' }).click();
  await expect(live).toContainText('Stopped following live.log');
  await expect(view.getByTestId('logview-status')).toContainText(`of ${BASE_RECORDS + 3 + BURST_RECORDS}`);
});

/**
 * Notifications shown, recorded: `Notification` replaced by a fake (granted) before the page loads. Returns a
 * reader of what was shown ("title: body").
 */
async function fakeNotifications(page: Page, context: BrowserContext): Promise<() => Promise<string[]>> {
  await context.grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __shown: string[] }).__shown = shown;
    class FakeNotification {
      static permission = 'default';
      static async requestPermission(): Promise<string> {
        return 'granted';
      }
      constructor(title: string, opts?: { body?: string }) {
        shown.push(`${title}: ${opts?.body ?? ''}`);
      }
    }
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  });
  return () => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown.slice());
}

/** Notify me turned on (on a dropped file's dashboard), before following: nothing notified yet. */
async function notifyMe(page: Page, shown: () => Promise<string[]>): Promise<void> {
  await dropFiles(page, [{ name: 'quiet.log', text: baseLog() }]);
  await waitDone(page);
  await page.getByRole('button', { name: 'Notify me' }).click();
  await expect(page.getByText('You will be notified when an alert fires.')).toBeVisible();
  expect(await shown()).toEqual([]);
}

/**
 * Notify me on, then live.log followed, its history ending in the db burst (still open when following starts):
 * shown, not notified. Returns the reader of what was notified.
 */
async function followWithHistory(page: Page, context: BrowserContext): Promise<() => Promise<string[]>> {
  const shown = await fakeNotifications(page, context);
  await pickOpfs(page);
  await page.goto('./');
  await notifyMe(page, shown);
  await writeOpfs(page, baseLog() + burstLog(), false);
  await page.getByRole('button', { name: 'Follow a file' }).click();
  await expect(page.getByTestId('live')).toContainText(
    `Following live.log: ${BASE_RECORDS + BURST_RECORDS} records`,
  );
  await expect(page.getByTestId('incident-title').first()).toContainText('Timeout calling db after <*> ms');
  expect(await shown()).toEqual([]);
  return shown;
}

test('Notify me while following: nothing for what the file already held when following started, then the new incident', async ({
  page,
  context,
}) => {
  const shown = await followWithHistory(page, context);
  // appended: quiet traffic, then a new burst at 10:10: notified
  const at = (m: number, s: number): string => new Date(Date.UTC(2025, 2, 14, 9, m, s)).toISOString();
  let more = '';
  for (let m = 41; m < 70; m++)
    for (let k = 0; k < 20; k++) more += `${at(m, k * 3)} INFO api-gateway GET /x/${m}/${k} 200 in 4 ms\n`;
  for (let k = 0; k < 90; k++)
    more += `${at(70, Math.floor(k / 2))} ERROR storage Disk full on /var/data${k}\n`;
  await writeOpfs(page, more, true);
  await expect.poll(async () => (await shown()).join('\n')).toContain('Disk full on <*>');
  expect((await shown()).some((s) => s.includes('Timeout calling db'))).toBe(false);
});

test('Notify me while following: an incident that closed and grew again notifies once more, "(again)"', async ({
  page,
  context,
}) => {
  // tests/unit/live.test.ts' reopening, appended part by part: the db burst at 09:40 (incident 09:39–09:42), quiet
  // minutes to 09:44 (it closes: a window of log time without growing), a second db burst at 09:44, one quiet
  // bucket after it (the detectors merge it into the same incident, which grows: open again), quiet again
  const shown = await followWithHistory(page, context);
  const live = page.getByTestId('live');
  let records = BASE_RECORDS + BURST_RECORDS;
  const parts = reopenParts();
  // each part read (its records counted on the page) before the next is written: one snapshot each
  const append = async (part: string): Promise<void> => {
    await writeOpfs(page, part, true);
    records += part.split('\n').length - 1;
    await expect(live).toContainText(`Following live.log: ${records.toLocaleString('en-US')} records`);
  };
  for (const part of parts.slice(0, 3)) await append(part);
  // once, with the incident's title as it is now (grown to 240 errors)
  await expect.poll(async () => (await shown()).length).toBe(1);
  expect((await shown())[0]).toMatch(
    /^Loglens: incident: order-service: "Timeout calling db after <\*> ms" ×240 — errors \d+× the baseline \(again\)$/,
  );
  // one incident, grown: 120 + 120 errors
  await expect(page.getByTestId('incident-title')).toHaveCount(1);
  await expect(page.getByTestId('incident-title').first()).toContainText('×240');
  // quiet again (it closes), and later: nothing more to notify
  for (const part of parts.slice(3)) await append(part);
  expect(await shown()).toHaveLength(1);
});

/** `loglens serve - [args]` on a free port, fed by the test's pipe; the address it prints. */
async function startServe(args: readonly string[] = []): Promise<{
  url: string;
  port: number;
  write: (s: string) => void;
  end: () => void;
  stop: () => Promise<void>;
}> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts', '-', '--quiet', ...args], {
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
    // the log view reads the stream's bytes kept in the page: the last piped record is there
    const view = page.getByRole('region', { name: 'Log view' });
    await expect(view.getByTestId('logview-status')).toContainText(`of ${BASE_RECORDS + BURST_RECORDS}`);
    await expect(view.getByRole('list', { name: 'Records' })).toContainText('GET /api/items/19 200 in 5 ms');
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

/** INDEX_STEP (src/engine/analyzers/record-index.ts): the log view's index seeks to a record every 64 KiB */
const INDEX_STEP = 64 * 1024;

/** The 1-based number of the first line of `text` that starts at or after `offset` bytes (-1: none). */
function lineFrom(text: string, offset: number): number {
  let at = 0;
  for (const [i, l] of text.split('\n').entries()) {
    if (at >= offset) return i + 1;
    at += Buffer.byteLength(l) + 1;
  }
  return -1;
}

test("loglens serve --keep: once the stream's start is dropped, the log view lists the records kept, numbered as the dashboard counts them", async ({
  page,
}) => {
  // 69,606 bytes piped, the server keeps the last 16 KiB: the log view lists from the first record the page's
  // index can seek to in what is kept, the first starting at or after 64 KiB (INDEX_STEP), counted here
  const serve = await startServe(['--keep', '16KiB']);
  try {
    const all = baseLog() + burstLog();
    const firstKept = lineFrom(all, INDEX_STEP);
    expect(firstKept).toBe(888);
    serve.write(baseLog());
    await page.goto(serve.url);
    const live = page.getByTestId('live');
    await expect(live).toContainText(`Following stdin: ${BASE_RECORDS} records`);
    serve.write(burstLog());
    const total = BASE_RECORDS + BURST_RECORDS;
    await expect(live).toContainText(`${total} records`);
    await expect(page.getByTestId('card-records').locator('.value')).toHaveText(String(total));
    await expect(page.getByTestId('live-log-note')).toHaveText(
      `The log view of stdin lists what loglens serve still keeps of it, its last 16 KiB: the records from line ${firstKept} on. The dashboard counts all of them.`,
    );
    // at the end, as tail: the last record, numbered as the dashboard counts (not from the first one kept)
    const view = page.getByRole('region', { name: 'Log view' });
    const records = view.getByRole('list', { name: 'Records' });
    await expect(records).toContainText('GET /api/items/19 200 in 5 ms');
    await expect(view.getByTestId('logview-status')).toHaveText(/^record [\d,]+ of 940$/);
    const shown = Number(
      /record ([\d,]+)/
        .exec((await view.getByTestId('logview-status').textContent()) ?? '')![1]!
        .replace(/,/g, ''),
    );
    expect(shown).toBeGreaterThan(firstKept);
    expect(shown).toBeLessThanOrEqual(total);
    // its first record: line 888, the burst's 88th db timeout
    await expect
      .poll(() => records.evaluate((e) => e.scrollHeight - e.clientHeight - e.scrollTop))
      .toBeLessThanOrEqual(1);
    await records.focus();
    await page.keyboard.press('Home');
    await expect(view.getByTestId('logview-status')).toHaveText(`record ${firstKept} of ${total}`);
    await expect(records.getByRole('listitem').first()).toContainText('Timeout calling db after 3087 ms');

    // a page that joins now reads what is kept, from the start of a line: it says where it joined, and counts
    // the lines from there
    const late = await page.context().newPage();
    await late.goto(serve.url);
    const joined = late.getByTestId('live-joined');
    await expect(joined).toContainText('This page joined stdin at byte ');
    const at = Number(/at byte ([\d,]+):/.exec((await joined.textContent()) ?? '')![1]!.replace(/,/g, ''));
    const bytes = Buffer.from(all);
    // at most 16 KiB kept (the last piece read is 10,790 bytes at most: always kept whole)
    expect(at).toBeGreaterThanOrEqual(bytes.length - 16 * 1024);
    expect(at).toBeLessThan(bytes.length);
    expect(bytes[at - 1]).toBe(0x0a);
    await expect(joined).toHaveText(
      `This page joined stdin at byte ${at.toLocaleString('en-US')}: loglens serve keeps its last 16 KiB, and had dropped what came before. The dashboard counts the records from there, and numbers their lines from there.`,
    );
    const rest = bytes.subarray(at).toString('utf8').split('\n').length - 1;
    await expect(late.getByTestId('live')).toContainText(`Following stdin: ${rest} records`);
    await expect(late.getByTestId('card-records').locator('.value')).toHaveText(String(rest));
  } finally {
    await serve.stop();
  }
});

test("loglens serve --keep: while the server drops the stream's start, the records shown stay on screen", async ({
  page,
}) => {
  // lines of about 60 bytes, written a hundred at a time (the server keeps whole pieces as read: small ones)
  const serve = await startServe(['--keep', '100KiB']);
  const T = Date.UTC(2025, 2, 14, 9, 0, 0);
  const lines = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let i = from; i <= to; i++)
      out.push(
        i % 10 === 0
          ? `${new Date(T + i * 1000).toISOString()} ERROR api-gateway GET /p/${i} 500 in 5 ms\n`
          : `${new Date(T + i * 1000).toISOString()} INFO api-gateway GET /p/${i} 200 in 5 ms\n`,
      );
    return out;
  };
  const all = lines(1, 3600);
  const write = async (from: number, to: number): Promise<void> => {
    for (let i = from; i <= to; i += 100) {
      serve.write(all.slice(i - 1, Math.min(to, i + 99)).join(''));
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await page.goto(serve.url);
    const live = page.getByTestId('live');
    // the page reads the stream from its start (its first 100 lines counted), then 2,400 lines more: about
    // 150 KB in all, of which the server keeps the last 100 KiB
    await write(1, 100);
    await expect(live).toContainText('Following stdin: 100 records');
    await write(101, 2500);
    await expect(live).toContainText('Following stdin: 2,500 records');
    const note = page.getByTestId('live-log-note');
    const l1 = lineFrom(all.join(''), INDEX_STEP);
    await expect(note).toContainText(`its last 100 KiB: the records from line ${l1} on`);
    // the user goes to line 2,300 (the position slider: records from the first listed)
    const view = page.getByRole('region', { name: 'Log view' });
    const status = view.getByTestId('logview-status');
    const r = 2300;
    await view.getByRole('slider', { name: 'Position' }).evaluate((e, v) => {
      (e as HTMLInputElement).value = String(v);
      e.dispatchEvent(new Event('change', { bubbles: true }));
    }, r - l1);
    await expect(status).toHaveText(`record ${r.toLocaleString('en-US')} of 2,500`);
    const records = view.getByRole('list', { name: 'Records' });
    const firstRow = async (): Promise<string> =>
      records.evaluate((e) => {
        const top = e.getBoundingClientRect().top;
        const row = [...e.querySelectorAll('[role="listitem"]')].find(
          (x) => x.getBoundingClientRect().bottom > top + 2,
        );
        return row?.textContent ?? '';
      });
    // the status first, then the page of records it read ("Reading…" meanwhile)
    await expect.poll(firstRow).toContain(`GET /p/${r} `);

    // 500 more lines: the server drops more of the start, the log view lists from a later line, and line 2,300
    // stays where it was, numbered as before
    await write(2501, 3000);
    await expect(live).toContainText('Following stdin: 3,000 records');
    const l2 = lineFrom(all.join(''), 2 * INDEX_STEP);
    expect(l2).toBeGreaterThan(l1);
    expect(l2).toBeLessThan(r);
    await expect(note).toContainText(`its last 100 KiB: the records from line ${l2} on`);
    await expect(status).toHaveText(`record ${r.toLocaleString('en-US')} of 3,000`);
    expect(await firstRow()).toContain(`GET /p/${r} `);

    // a query while following: its list of matches, at its end (line 3,000); more lines, more of the start
    // dropped: the matches shown stay on screen
    await page.getByRole('searchbox', { name: 'Query' }).fill('level:ERROR');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(status).toHaveText(/^\d+ matching records$/);
    await records.focus();
    await page.keyboard.press('End');
    await expect(records).toContainText('GET /p/3000 500');
    await expect.poll(firstRow).toMatch(/GET \/p\/2\d\d0 500/);
    const before = await firstRow();
    await write(3001, 3600);
    await expect(live).toContainText('Following stdin');
    await expect(page.getByTestId('view-banner')).toBeVisible();
    // the last match read (the list reads on as it is scrolled: scrolled to the end, then back)
    await expect(status).toHaveText(/^\d+\+? matching records$/);
    expect(await firstRow()).toBe(before);

    // Context on a match that slid: the lines around it, read from where the server keeps them now, at their
    // offsets in the stream
    const n = Number(/GET \/p\/(\d+) 500/.exec(before)![1]);
    const at = (i: number): number => Buffer.byteLength(all.slice(0, i - 1).join(''));
    const row = records.getByRole('listitem').filter({ hasText: `GET /p/${n} 500` });
    await row.getByRole('button', { name: 'Context' }).click();
    const raw = view.getByTestId('raw-lines');
    await expect(raw.locator('li.focus')).toHaveCount(1);
    await expect(raw.locator('li.focus')).toHaveText(`${at(n)}${all[n - 1]!.trimEnd()}`);
    await expect(raw.locator('li.focus + li')).toHaveText(`${at(n + 1)}${all[n]!.trimEnd()}`);
  } finally {
    await serve.stop();
  }
});
