import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import { REALISTIC, type SampleOptions, type SampleTruth } from '../../src/engine/sample.ts';
import type { Incident, Snapshot } from '../../src/engine/types.ts';
import { buildReport } from '../../src/engine/report.ts';
import { fileOf, sampleText, analyzeSliced } from './helpers.ts';

const cfg: Config = { ...DEFAULT_CONFIG, timeZone: 'UTC' };

async function run(opts: SampleOptions): Promise<{ snap: Snapshot; truth: SampleTruth; text: string }> {
  const { text, truth } = sampleText(opts);
  const snap = await analyze([fileOf(text, 'gen.log')], cfg);
  return { snap, truth, text };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

/** Every planted incident is exactly one reported error incident, and every error incident is a planted one. */
function expectPlanted(incidents: readonly Incident[], truth: SampleTruth): void {
  const errors = incidents.filter((i) => i.kind === 'errors');
  expect(errors.length).toBe(truth.incidents.length);
  for (const p of truth.incidents) expect(errors.filter((i) => overlaps(i, p)).length).toBe(1);
  for (const i of errors) expect(truth.incidents.filter((p) => overlaps(i, p)).length).toBe(1);
  // each is titled with the burst's service and template
  for (const i of errors) {
    const p = truth.incidents.find((x) => overlaps(i, x))!;
    expect(i.title).toMatch(new RegExp(`^${p.service}: "Timeout calling db after <\\*>" ×[\\d,]+ — errors `));
  }
  // anything else is the planted outage: a drop in volume
  for (const i of incidents.filter((x) => x.kind !== 'errors')) {
    expect(i.kind).toBe('volume');
    expect(truth.outage !== null && overlaps(i, truth.outage)).toBe(true);
  }
}

describe('incidents on the page sample (8 MB, seed 42)', () => {
  it('the 4 planted bursts are the 4 first incidents, ranked by severity; the first is titled with its surging template', async () => {
    const { snap, truth } = await run({ bytes: 8_000_000, seed: 42 });
    const d = snap.detectors;
    expect(d.spikeThreshold).toBe(10);
    expect(d.incidents.map((i) => [i.kind, new Date(i.start).toISOString(), i.severity, i.title])).toEqual([
      [
        'errors',
        '2025-03-14T09:41:00.000Z',
        1858,
        'order-service: "Timeout calling db after <*>" ×688 — errors 262× the baseline',
      ],
      [
        'errors',
        '2025-03-14T20:32:00.000Z',
        1783.7,
        'order-service: "Timeout calling db after <*>" ×661 — errors 252× the baseline',
      ],
      [
        'errors',
        '2025-03-14T14:20:00.000Z',
        1742.9,
        'payment-service: "Timeout calling db after <*>" ×645 — errors 280× the baseline',
      ],
      [
        'errors',
        '2025-03-14T03:11:00.000Z',
        1425.4,
        'payment-service: "Timeout calling db after <*>" ×558 — errors 94× the baseline',
      ],
      ['volume', '2025-03-14T14:53:00.000Z', 132.1, 'api-gateway: records 0.1× the baseline'],
    ]);
    expectPlanted(d.incidents, truth);
    const first = d.incidents[0]!;
    // what changed most: the surging template, then its service
    expect(first.changed[0]).toMatchObject({ kind: 'template', label: 'Timeout calling db after <*>' });
    expect(first.changed.some((c) => c.kind === 'service' && c.name === 'order-service')).toBe(true);
    // the db-outage sequence matched inside it
    expect(first.sequences.map((s) => [s.name, s.key])).toEqual([['db-outage', 'order-service']]);
    expect(first.query).toBe('time:2025-03-14T09:41:00Z..2025-03-14T09:51:00Z');
    // the alerts inside an incident name it: the page notifies once per incident
    const ids = new Set(d.alerts.map((a) => a.incident).filter((x) => x !== undefined));
    expect([...ids].sort()).toEqual(d.incidents.map((i) => i.id).sort());
    // the report carries them with ISO times
    const report = buildReport(snap, cfg, 0);
    expect(report.incidents![0]!.start).toBe('2025-03-14T09:41:00.000Z');
    expect(report.incidents![0]!.title).toBe(first.title);
    expect(report.incidentsTotal).toBe(5);
  });
});

describe('every planted incident is one reported incident, and nothing else is an error incident', () => {
  const cases: [string, SampleOptions][] = [
    ['30 MB, seed 42, 3 % errors', { bytes: 30_000_000, seed: 42 }],
    ['30 MB, seed 7, 10 % errors with stack traces', { bytes: 30_000_000, seed: 7, ...REALISTIC }],
    ['30 MB, seed 99, 10 % errors, 5 incidents', { bytes: 30_000_000, seed: 99, ...REALISTIC, incidents: 5 }],
    [
      '30 MB over 6 h, seed 1234, 6 incidents',
      { bytes: 30_000_000, seed: 1234, spanMs: 6 * 3600_000, incidents: 6 },
    ],
    [
      '20 MB over 12 h, seed 3, 3 incidents',
      { bytes: 20_000_000, seed: 3, spanMs: 12 * 3600_000, incidents: 3 },
    ],
  ];
  for (const [name, opts] of cases) {
    it(name, async () => {
      const { snap, truth } = await run(opts);
      expectPlanted(snap.detectors.incidents, truth);
    });
  }

  it('a log with no incident (no burst, no outage) gives none', async () => {
    const { snap, truth } = await run({ bytes: 20_000_000, seed: 5, incidents: 0, outage: false });
    expect(truth.incidents).toEqual([]);
    expect(snap.detectors.incidents).toEqual([]);
    expect(snap.detectors.incidentsTotal).toBe(0);
  });

  it('a log whose only incident is the outage gives that one, a drop in volume', async () => {
    const { snap, truth } = await run({ bytes: 20_000_000, seed: 5, incidents: 0 });
    expect(snap.detectors.incidents.map((i) => i.kind)).toEqual(['volume']);
    expect(overlaps(snap.detectors.incidents[0]!, truth.outage!)).toBe(true);
  });
});

describe('incidents merge: slices give the incidents of one pass', () => {
  it('3 MB over 6 h cut in 2 and 4 slices', async () => {
    const { text } = sampleText({ bytes: 3_000_000, seed: 11, spanMs: 6 * 3600_000 });
    const file = fileOf(text, 'gen.log');
    const one = await analyze([file], cfg);
    expect(one.detectors.incidents.length).toBeGreaterThanOrEqual(4);
    const strip = (s: Snapshot): unknown =>
      s.detectors.incidents.map((i) => ({
        ...i,
        // template ids are local to a miner; the label is the template
        changed: i.changed.map((c) => (c.kind === 'template' ? { ...c, name: '', query: '' } : c)),
      }));
    const forced = { ...cfg, format: one.files[0]!.format };
    for (const cuts of [[0.5], [0.2, 0.45, 0.8]]) {
      const many = await analyzeSliced(
        file,
        cuts.map((f) => Math.floor(text.length * f)),
        forced,
      );
      expect(strip(many)).toEqual(strip(one));
    }
  });
});

describe('an incident of errors is titled by its errors, not by the traffic that rose with them', () => {
  it('requests ×100 and db timeouts from none: the title names the timeouts', async () => {
    const lines: string[] = [];
    const at = (min: number, k: number, n: number): string =>
      new Date(Date.UTC(2025, 2, 14, 9, min, (60 * k) / n)).toISOString();
    for (let m = 0; m < 60; m++)
      for (let k = 0; k < 20; k++)
        lines.push(`${at(m, k, 20)} INFO gateway Request ${m * 20 + k} handled in 5 ms`);
    for (let m = 60; m < 65; m++) {
      for (let k = 0; k < 2000; k++)
        lines.push(`${at(m, k, 2000)} INFO gateway Request ${m * 2000 + k} handled in 5 ms`);
      for (let k = 0; k < 40; k++)
        lines.push(`${at(m, k, 40)} ERROR gateway Timeout calling db after ${900 + k} ms`);
    }
    lines.sort();
    const snap = await analyze([fileOf(lines.join('\n') + '\n', 'surge.log')], cfg);
    const i = snap.detectors.incidents.find((x) => x.kind === 'errors')!;
    // the requests rose most (What changed ranks them first); the title still names what went wrong
    expect(i.changed.find((c) => c.kind === 'template')).toMatchObject({
      kind: 'template',
      label: 'Request <*> handled in <*> ms',
      // the 10,000 of the surge and the 20 of the minute before it: the incident starts at 09:59
      window: 10_020,
    });
    expect(new Date(i.start).toISOString()).toBe('2025-03-14T09:59:00.000Z');
    expect(i.title).toMatch(/^gateway: "Timeout calling db after <\*> ms" ×200 — errors /);
  });
});
