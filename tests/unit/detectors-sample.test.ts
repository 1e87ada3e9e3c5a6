import { describe, it, expect, beforeAll } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { buildAlerts } from '../../src/engine/alerts.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import { SpikeDetector } from '../../src/engine/analyzers/spikes.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import { fileOf, sampleText } from './helpers.ts';
import { naiveSpikes } from './naive/spikes.ts';
import { naiveAnomalies } from './naive/anomalies.ts';
import { naiveSequences } from './naive/sequences.ts';
import { anomalyDifferences } from './naive/compare.ts';

/**
 * The default configuration, with times read as UTC, and the plain detector semantics the naive definitions
 * spell out: a fixed spike threshold of 50, the plain rolling mean/σ, no minimum excess ("auto", "robust" and
 * minExcess are tested in detectors-anomalies, detectors-spikes and incidents tests).
 */
const cfg: Config = {
  ...DEFAULT_CONFIG,
  timeZone: 'UTC',
  spikes: { windowSec: 60, threshold: 50 },
  anomalies: { ...DEFAULT_CONFIG.anomalies, baseline: 'mean', minExcess: 0 },
};
let snap: Snapshot;
let records: LogRecord[] = [];

beforeAll(async () => {
  const { text } = sampleText({ bytes: 3_000_000, seed: 3, spanMs: 6 * 3600_000 });
  const collected: LogRecord[] = [];
  snap = await analyze([fileOf(text, 'sample.log')], cfg, { onRecord: (r) => collected.push(r) });
  records = collected;
});

describe('the detectors on a generated sample (3 MB over 6 h, default config)', () => {
  it('find what the generator planted', () => {
    const d = snap.detectors;
    expect(records.length).toBeGreaterThan(25_000);
    // the incidents are error bursts …
    expect(d.anomalies.filter((a) => a.series === 'errors').length).toBeGreaterThanOrEqual(1);
    // … and the gateway outage is a drop in volume
    expect(d.anomalies.filter((a) => a.series === 'volume' && a.z < 0).length).toBeGreaterThanOrEqual(1);
    const byName = new Map(d.sequences.map((s) => [s.name, s]));
    expect(d.sequences.map((s) => s.name)).toEqual(['db-outage', 'restart']);
    expect(byName.get('db-outage')!.matches).toBeGreaterThanOrEqual(1);
    expect(byName.get('restart')!.matches).toBe(3);
    expect(byName.get('restart')!.examples.map((m) => m.key)).toEqual([
      'order-service',
      'search-service',
      'auth-service',
    ]);
    expect(d.alerts.length).toBeGreaterThan(0);
    expect(new Set(d.alerts.map((a) => a.kind))).toEqual(new Set(['anomaly', 'sequence', 'spike']));
    expect(d.untimed).toBe(snap.totals.untimed);
    expect(d.windowsAnalyzed).toBe(
      Math.floor(snap.timeRange!.end / 1000) - Math.floor(snap.timeRange!.start / 1000) + 1,
    );
  });

  it('the incidents are error spikes for a threshold the sample reaches (W = 60 s, T = 25)', () => {
    const found = naiveSpikes(records, 60, 25, cfg.errorLevels).spikes;
    const d = new SpikeDetector(60, 25, errorMask(cfg.errorLevels));
    records.forEach((r) => d.push(r));
    expect(d.snapshot().spikes).toEqual(found);
    expect(found.length).toBeGreaterThanOrEqual(4); // four incidents, some of them in several runs
    // incidents write ~2 errors a second: the busiest minute is far above the default threshold of 50
    expect(Math.max(...found.map((s) => s.peak))).toBeGreaterThan(100);
  });

  it('find one error spike per incident with the default config', () => {
    expect(snap.detectors.spikes.length).toBe(4);
  });

  it('equal the naive definitions run over the records analyze() produced', () => {
    const d = snap.detectors;
    expect({ spikes: d.spikes, windowsAnalyzed: d.windowsAnalyzed }).toEqual(
      naiveSpikes(records, cfg.spikes.windowSec, 50, cfg.errorLevels),
    );
    const anomalies = naiveAnomalies(records, cfg.anomalies, cfg.errorLevels);
    expect(
      anomalyDifferences(
        { anomalies: d.anomalies, buckets: d.anomalyBuckets, errors: d.errorSeries, volume: d.volumeSeries },
        anomalies,
      ),
    ).toEqual([]);
    expect(anomalies.borderline.size).toBe(0);
    const sequences = naiveSequences(records, cfg.sequences);
    expect(d.sequences).toEqual(sequences);
    // and the alerts are those the naive findings select
    const naive = buildAlerts(
      cfg,
      naiveSpikes(records, 60, 50, cfg.errorLevels).spikes,
      anomalies.anomalies,
      sequences,
      d.incidents,
    );
    expect(d.alerts).toEqual(naive.alerts);
    expect(d.alertsTotal).toBe(naive.total);
  });
});
