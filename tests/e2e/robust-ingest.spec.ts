import { test, expect } from '@playwright/test';
import { cardValue, dropFiles, exportReport, waitDone } from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
});

// 4 KiB of NUL (what copytruncate leaves), then 12 records: line 5 has an impossible date (30 February), line 10
// a NUL inside its message. 4 of the 12 are ERROR (lines 3, 6, 9, 12), the rest INFO.
function copytruncated(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 12; i++) {
    const day = i === 5 ? '30' : '28';
    const level = i % 3 === 0 ? 'ERROR' : 'INFO';
    const message = i === 10 ? 'mess\u0000ge 10' : `message ${i}`;
    lines.push(`2025-02-${day}T10:00:${String(i).padStart(2, '0')}Z ${level} api ${message}`);
  }
  return '\u0000'.repeat(4096) + lines.join('\n') + '\n';
}

test('leading NUL padding, a NUL in a line and an impossible date: every record analyzed, the notes shown', async ({
  page,
}) => {
  await dropFiles(page, [{ name: 'copytruncated.log', text: copytruncated() }]);
  await waitDone(page);
  await expect(page.getByTestId('fatal-message')).toHaveCount(0);
  expect(await cardValue(page, 'card-records')).toBe('12');
  const files = page.getByRole('region', { name: 'Files' });
  await expect(files.getByTestId('files-table')).toContainText('ISO time, level, service, message');
  await expect(
    files.getByText(
      'copytruncated.log: 4,096 NUL bytes of padding were skipped at the start (log rotation with copytruncate leaves these).',
    ),
  ).toBeVisible();
  await expect(
    files.getByText(
      'copytruncated.log: 1 record had an impossible time (line 5: 2025-02-30T10:00:05Z); it is counted without a time.',
    ),
  ).toBeVisible();
  const report = await exportReport(page);
  expect(report.totals).toMatchObject({
    records: 12,
    lines: 12,
    unparsed: 0,
    untimed: 1,
    invalidTimes: 1,
    nulBytesSkipped: 4096,
    bytes: Buffer.byteLength(copytruncated()),
  });
  expect(report.levels).toMatchObject({ INFO: 8, ERROR: 4, NONE: 0 });
});
