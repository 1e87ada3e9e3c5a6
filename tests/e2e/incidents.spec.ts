import { test, expect } from '@playwright/test';
import { exportReport, waitDone } from './helpers.ts';
import { generateSample, type SampleTruth } from '../../src/engine/sample.ts';

/** The page's sample (src/lib/session.svelte.ts startSample): its truth, planted incidents included. */
function sampleTruth(): SampleTruth {
  const gen = generateSample({ bytes: 8_000_000, seed: 42, spanMs: 6 * 3600_000 });
  let step = gen.next();
  while (!step.done) step = gen.next();
  return step.value;
}

test('the sample shows its 4 planted incidents first in the Incidents panel, each titled with its surging template', async ({
  page,
}) => {
  const truth = sampleTruth();
  expect(truth.incidents.length).toBe(4);
  await page.goto('./');
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitDone(page);
  const report = await exportReport(page);
  const incidents = report.incidents as { kind: string; title: string; start: string; end: string }[];
  const errors = incidents.filter((i) => i.kind === 'errors');
  // every planted incident is one error incident, and nothing else is
  expect(errors.length).toBe(4);
  for (const planted of truth.incidents) {
    const hits = errors.filter((i) => Date.parse(i.start) < planted.end && planted.start < Date.parse(i.end));
    expect(hits.length).toBe(1);
    expect(hits[0]!.title.startsWith(`${planted.service}: "Timeout calling db after <*>"`)).toBe(true);
  }
  // ranked: the 4 error incidents first, in the panel as in the report
  expect(incidents.slice(0, 4).every((i) => i.kind === 'errors')).toBe(true);
  const panel = page.getByRole('region', { name: 'Incidents' });
  const titles = panel.getByTestId('incident-title');
  await expect(titles.first()).toHaveText(incidents[0]!.title);
  expect((await titles.allTextContents()).slice(0, 4)).toEqual(incidents.slice(0, 4).map((i) => i.title));
  // "Show records" writes the incident's time query
  await panel
    .getByRole('button', { name: /^Show records of the incident/ })
    .first()
    .click();
  const startQ = incidents[0]!.start.replace('.000Z', 'Z');
  await expect(page.getByRole('searchbox', { name: 'Query' })).toHaveValue(
    new RegExp(`^time:${startQ.replace(/[.]/g, '\\.')}`),
  );
});
