import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dropFiles, exportReport, waitDone } from './helpers.ts';

/**
 * The Fields panel (issue 10, "Field facets") and the access-log summary, on a real access log. The truth is
 * counted here over the file's text, as awk would: one request per line, its fields split by the format.
 */
const NAME = 'access.log.1';
const TEXT = readFileSync(new URL(`../fixtures/golden/${NAME}`, import.meta.url), 'utf8');
const LINE = /^(\S+) \S+ \S+ \[[^\]]+\] "(\S+) (\S+)[^"]*" (\d{3}) (\d+|-)/;
const REQS = TEXT.split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const m = LINE.exec(l)!;
    return { client: m[1]!, method: m[2]!, path: m[3]!, status: m[4]!, bytes: m[5]! };
  });
type Req = (typeof REQS)[number];
const fmt = (n: number): string => n.toLocaleString('en-US');
const count = (f: (r: Req) => boolean): number => REQS.filter(f).length;

function top(key: keyof Req): [string, number][] {
  const m = new Map<string, number>();
  for (const r of REQS) m.set(r[key], (m.get(r[key]) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
}

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [{ name: NAME, text: TEXT }]);
  await waitDone(page);
}

const field = (page: Page, name: string) =>
  page.getByTestId('fields-panel').locator(`details[data-field="${name}"]`);

/** Opens a field's details (the first few are open, the rest one click away). */
async function openField(page: Page, name: string): Promise<void> {
  await field(page, name).evaluate((d) => ((d as HTMLDetailsElement).open = true));
}

async function expectView(page: Page, q: string, records: number): Promise<void> {
  await expect(page.getByTestId('view-banner')).toContainText(
    `View: ${q} — ${fmt(records)} of ${fmt(REQS.length)} records`,
    { timeout: 60_000 },
  );
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText(fmt(records));
}

test('the Fields panel lists each field’s top values with the counts awk finds', async ({ page }) => {
  expect(REQS.length).toBe(440);
  await open(page);
  for (const key of ['status', 'client', 'method'] as const) {
    const f = field(page, key);
    await f.evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const expected = top(key);
    const rows = f.locator('li');
    await expect(rows).toHaveCount(expected.length);
    const got = await rows.evaluateAll((lis) =>
      lis.map((li) => [
        li.getAttribute('data-value'),
        li.querySelector('[data-testid="facet-count"]')!.textContent,
      ]),
    );
    expect(got).toEqual(expected.map(([v, c]) => [v, fmt(c)]));
    const distinct = new Set(REQS.map((r) => r[key])).size;
    await expect(f.getByTestId('facet-distinct')).toHaveText(
      `${fmt(distinct)} distinct · ${fmt(REQS.length)} records`,
    );
  }
  // the numeric bytes field: p50/p95/p99 shown; the access summary: classes and bytes sent
  await field(page, 'bytes').evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await expect(field(page, 'bytes').getByTestId('facet-quantiles')).toContainText('p50');
  const access = page.getByTestId('access-panel');
  for (const c of [2, 3, 4, 5])
    await expect(access.getByTestId(`status-${c}xx`).locator('b')).toHaveText(
      fmt(count((r) => r.status[0] === String(c))),
    );
  const sent = REQS.reduce((a, r) => a + (r.bytes === '-' ? 0 : Number(r.bytes)), 0);
  const report = (await exportReport(page)) as {
    facets: { access: { bytesSent: number; requests: number } };
  };
  expect(report.facets.access.bytesSent).toBe(sent);
  expect(report.facets.access.requests).toBe(440);
});

test('a click on a value filters every panel to it; alt-click and the exclude button filter it out', async ({
  page,
}) => {
  await open(page);
  await openField(page, 'status');
  await openField(page, 'method');
  const [status] = top('status').find(([v]) => v === '404') ?? top('status')[1]!;
  await field(page, 'status')
    .getByRole('button', { name: `Filter status ${status}` })
    .click();
  const n = count((r) => r.status === status);
  await expectView(page, `status:${status}`, n);
  // every panel counts the view: the status facet holds the one value, the levels table its records
  await expect(field(page, 'status').locator('li')).toHaveCount(1);
  await expect(field(page, 'status').getByTestId('facet-count')).toHaveText(fmt(n));
  await expect(page.getByTestId('access-panel').getByTestId(`status-${status[0]}xx`).locator('b')).toHaveText(
    fmt(n),
  );
  await openField(page, 'method');
  // alt-click: the value out, ANDed with the view's query
  const method = 'GET';
  await field(page, 'method')
    .getByRole('button', { name: `Filter method ${method}` })
    .click({ modifiers: ['Alt'] });
  await expectView(
    page,
    `status:${status} -method:${method}`,
    count((r) => r.status === status && r.method !== method),
  );
  // from the whole file, the visible exclude button does the same
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByTestId('view-banner')).toBeHidden();
  await waitDone(page);
  // the panel is drawn again for the whole file: open the field once it is there
  const exclude = field(page, 'method').getByRole('button', { name: `Exclude method ${method}` });
  await expect(async () => {
    await openField(page, 'method');
    await expect(exclude).toBeVisible({ timeout: 1000 });
  }).toPass();
  await exclude.click();
  await expectView(
    page,
    `-method:${method}`,
    count((r) => r.method !== method),
  );
});
