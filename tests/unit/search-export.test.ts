import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import { exportRecords } from '../../src/engine/export.ts';
import { config, fileOf } from './helpers.ts';

/** A view's record export writes the view's records, not the file's. */
const UTC = config({ timeZone: 'UTC' });
const TEXT = [
  '2025-03-14T00:00:00Z INFO api started',
  '2025-03-14T00:00:01Z ERROR api Request failed',
  'java.lang.IllegalStateException: Timeout after 30 s',
  '\tat com.x.Y.z(Y.java:10)',
  '2025-03-14T00:00:02Z WARN db slow query took 300ms',
  '2025-03-14T00:00:03Z ERROR db connection lost',
  '2025-03-14T00:00:04Z INFO api Ünïcode TIMEOUT here',
  '',
].join('\n');

async function exported(where: string): Promise<{ n: number; lines: number[] }> {
  let kept: Analysis | null = null;
  await analyze([fileOf(TEXT, 'app.log')], UTC, { where, keep: (a) => (kept = a) });
  let out = '';
  const n = await exportRecords(
    [fileOf(TEXT, 'app.log')],
    UTC,
    'jsonl',
    kept!.templates,
    (c) => (out += c),
    kept!.view?.query ?? '',
  );
  const lines = out
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { line: number }).line);
  return { n, lines };
}

describe('record exports of a view', () => {
  it('the whole file: every record', async () => {
    expect(await exported('')).toEqual({ n: 5, lines: [1, 2, 5, 6, 7] });
  });

  it('a level: the view records only', async () => {
    expect(await exported('level:ERROR')).toEqual({ n: 2, lines: [2, 6] });
  });

  it('a word found in a continuation line and case-insensitively in non-ASCII text', async () => {
    expect(await exported('timeout')).toEqual({ n: 2, lines: [2, 7] });
  });

  it('a template term matches through the analysis miner', async () => {
    let kept: Analysis | null = null;
    await analyze([fileOf(TEXT, 'app.log')], UTC, { keep: (a) => (kept = a) });
    const id = kept!.templates.match('connection lost');
    expect(id).toBeGreaterThan(0);
    expect(await exported(`template:${id}`)).toEqual({ n: 1, lines: [6] });
  });

  it('a query that does not parse throws', async () => {
    await expect(
      exportRecords([fileOf(TEXT, 'app.log')], UTC, 'csv', null, () => {}, 'level:'),
    ).rejects.toThrow(/does not parse/);
  });
});
