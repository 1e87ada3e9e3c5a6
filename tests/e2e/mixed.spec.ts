import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dropFiles, exportReport, waitDone } from './helpers.ts';

/**
 * A mixed file dropped on the page (issue 11): tests/fixtures/mixed/mixed-500.log cycles ISO, JSON, logfmt, BSD
 * syslog and access-log lines. Counted with grep/awk (the commands are in tests/unit/mixed.test.ts): 500 records
 * (`grep -cv $'^\t'`), 220 error lines (180 by level words and <11>, 40 HTTP 5xx), 100 lines of each shape.
 */
const TEXT = readFileSync(fileURLToPath(new URL('../fixtures/mixed/mixed-500.log', import.meta.url)), 'utf8');

test('a mixed file: the Records and Errors cards give grep’s counts, the Files table lists the mix', async ({
  page,
}) => {
  await page.goto('./');
  await dropFiles(page, [{ name: 'mixed.log', text: TEXT }]);
  await waitDone(page);
  await expect(page.getByTestId('card-records').locator('.value')).toHaveText('500');
  await expect(page.getByTestId('card-errors').locator('.value')).toHaveText('220');
  const mix = page.getByTestId('files-table').getByRole('list', { name: 'Formats in mixed.log' });
  await expect(mix.getByRole('listitem')).toHaveText([
    'access log (common / combined): 100 (20 %)',
    'ISO time, level, service, message: 100 (20 %)',
    'JSON lines: 100 (20 %)',
    'logfmt: 100 (20 %)',
    'syslog (RFC 3164, BSD): 100 (20 %)',
  ]);
  const report = await exportReport(page);
  expect(report.totals).toMatchObject({ records: 500, continuationLines: 6, unparsed: 0, invalidTimes: 3 });
  expect((report.levels as Record<string, number>).ERROR).toBe(220);
  const file = (report.files as { format: string; formats: { id: string; records: number }[] }[])[0]!;
  expect(file.format).toBe('access-log');
  expect(file.formats.map((f) => [f.id, f.records])).toEqual([
    ['access-log', 100],
    ['iso-level-service', 100],
    ['json', 100],
    ['logfmt', 100],
    ['syslog-3164', 100],
  ]);
});
