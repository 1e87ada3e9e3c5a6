import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import { fileOf } from './helpers.ts';

const cfg: Config = { ...DEFAULT_CONFIG, timeZone: 'UTC' };
const T0 = Date.UTC(2025, 2, 14, 0, 0, 0);
const MIN = 60_000;

/**
 * A hand-made log, minute by minute, no randomness: `web` writes 30 INFO records and 10 errors ("Request
 * failed code=<n>") a minute, evenly spaced; `plan(m)` adds to or changes minute m.
 */
function log(
  minutes: number,
  plan: (m: number) => { web?: number; webErrors?: number; extra?: string[] },
): string {
  const out: string[] = [];
  for (let m = 0; m < minutes; m++) {
    const p = plan(m);
    const lines: [number, string][] = [];
    const web = p.web ?? 30;
    const webErrors = p.webErrors ?? 10;
    for (let i = 0; i < web; i++) lines.push([(i * MIN) / web, `INFO web GET /items/${i % 7} ok`]);
    for (let i = 0; i < webErrors; i++)
      lines.push([(i * MIN) / webErrors + 1000, `ERROR web Request failed code=${500 + (i % 4)}`]);
    const extra = p.extra ?? [];
    extra.forEach((l, i) => lines.push([(i * MIN) / extra.length + 500, l]));
    lines.sort((a, b) => a[0] - b[0]);
    for (const [dt, l] of lines) out.push(`${new Date(T0 + m * MIN + Math.floor(dt)).toISOString()} ${l}`);
  }
  return out.join('\n') + '\n';
}

const burst = (n: number, service = 'db'): string[] =>
  Array.from({ length: n }, (_, i) => `ERROR ${service} Timeout calling db after ${1000 + (i % 5) * 1000}ms`);

const rows = async (text: string, config = cfg): Promise<[string, string, string, string][]> => {
  const snap = await analyze([fileOf(text, 'shapes.log')], config);
  return snap.detectors.incidents.map((i) => [
    i.kind,
    new Date(i.start).toISOString().slice(11, 16),
    new Date(i.end).toISOString().slice(11, 16),
    i.title,
  ]);
};

describe('incidents: how findings group, and titles', () => {
  it('a burst with one quiet minute inside is one incident; two bursts four quiet minutes apart are two', async () => {
    const text = log(180, (m) =>
      (m >= 60 && m < 63) || (m >= 64 && m < 67) || (m >= 100 && m < 103) || (m >= 107 && m < 110)
        ? { extra: burst(80) }
        : {},
    );
    expect(await rows(text)).toEqual([
      ['errors', '00:59', '01:08', 'db: "Timeout calling db after <*>" ×480 — errors 6.3× the baseline'],
      ['errors', '01:39', '01:44', 'db: "Timeout calling db after <*>" ×240 — errors 5.8× the baseline'],
      ['errors', '01:46', '01:51', 'db: "Timeout calling db after <*>" ×240 — errors 5.8× the baseline'],
    ]);
  });

  it('anomalies alone (no spike): one quiet bucket between two flagged ones does not split the incident', async () => {
    const text = log(180, (m) =>
      (m >= 60 && m < 63) || (m >= 64 && m < 67) || (m >= 100 && m < 103) || (m >= 105 && m < 108)
        ? { extra: burst(80) }
        : {},
    );
    const noSpikes: Config = { ...cfg, spikes: { ...cfg.spikes, threshold: 1_000_000 } };
    // the buckets flagged: 60–62 and 64–66 (one apart: one incident), 100–102 and 105–107 (two apart: two)
    expect(await rows(text, noSpikes)).toEqual([
      ['errors', '01:00', '01:07', 'db: "Timeout calling db after <*>" ×480 — errors 7.8× the baseline'],
      ['errors', '01:40', '01:43', 'db: "Timeout calling db after <*>" ×240 — errors 9.0× the baseline'],
      ['errors', '01:45', '01:48', 'db: "Timeout calling db after <*>" ×240 — errors 9.0× the baseline'],
    ]);
  });

  it('errors that surge inside a drop in volume are titled as a burst during the drop', async () => {
    const text = log(180, (m) =>
      m >= 140 && m < 160
        ? { web: 3, webErrors: 1, ...(m >= 145 && m < 148 ? { extra: burst(40, 'cache') } : {}) }
        : {},
    );
    // all errors fell to 0.7× (the web's errors with its traffic); the cache's template rose from none
    expect(await rows(text)).toEqual([
      [
        'errors',
        '02:20',
        '02:40',
        'cache: "Timeout calling db after <*>" ×120 — 182× its baseline, during a drop to 0.3× the records',
      ],
    ]);
  });
});
