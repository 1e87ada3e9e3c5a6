import { describe, it, expect, beforeAll } from 'vitest';
import { buildAlerts, MAX_ALERTS } from '../../src/engine/alerts.ts';
import { Analysis } from '../../src/engine/analysis.ts';
import { analyze } from '../../src/engine/analyze.ts';
import type { Config, ConfigInput } from '../../src/engine/config.ts';
import type {
  Alert,
  Anomaly,
  LogRecord,
  SequenceMatch,
  SequenceResult,
  Spike,
} from '../../src/engine/types.ts';
import { config, fileOf, sampleText } from './helpers.ts';

const T = Date.UTC(2025, 2, 14, 10);
const S = 1000;

const SPIKES: Spike[] = [
  { start: T + 30 * S, end: T + 50 * S, peak: 70, errors: 90 },
  { start: T + 100 * S, end: T + 101 * S, peak: 50, errors: 50 },
];

const ANOMALIES: Anomaly[] = [
  { series: 'errors', bucketStart: T, value: 8, mean: 1, std: 1, rawStd: 0.5, z: 7 },
  { series: 'volume', bucketStart: T, value: 2, mean: 20, std: 3, rawStd: 3, z: -6 },
  { series: 'volume', bucketStart: T + 60 * S, value: 50, mean: 20, std: 0, rawStd: 0, z: Infinity },
];

function matchAt(start: number, end: number, key: string | null): SequenceMatch {
  return { key, start, end, durationMs: end - start, steps: [] };
}

function result(name: string, matches: number, examples: SequenceMatch[]): SequenceResult {
  return {
    name,
    matches,
    firstMatch: examples[0]?.end ?? null,
    lastMatch: examples[examples.length - 1]?.end ?? null,
    medianDurationMs: examples.length > 0 ? 1000 : null,
    examples,
    events: matches * 3,
  };
}

const SEQUENCES: SequenceResult[] = [
  result('db-outage', 2, [
    matchAt(T + 40 * S, T + 90 * S, 'payment-service'),
    matchAt(T + 10 * S, T + 20 * S, null),
  ]),
  // 25 matches, 20 examples (one every 7 s from T + 5 s)
  result(
    'restart',
    25,
    Array.from({ length: 20 }, (_, i) =>
      matchAt(T + 5 * S + i * 7 * S, T + 9 * S + i * 7 * S, 'auth-service'),
    ),
  ),
];

function alertsOf(input: ConfigInput): { alerts: Alert[]; total: number } {
  return buildAlerts(config(input), SPIKES, ANOMALIES, SEQUENCES);
}

function expectSorted(alerts: readonly Alert[]): void {
  for (let i = 1; i < alerts.length; i++) {
    const a = alerts[i - 1]!;
    const b = alerts[i]!;
    expect(a.time < b.time || (a.time === b.time && a.id < b.id), `${a.id} before ${b.id}`).toBe(true);
  }
}

describe('buildAlerts', () => {
  it('by default: every spike, every anomaly of both series and every sequence example, in time order', () => {
    const { alerts, total } = alertsOf({});
    expect(alerts).toHaveLength(2 + 3 + 2 + 20);
    // alertsTotal adds the restart matches beyond its 20 examples
    expect(total).toBe(2 + 3 + 2 + 25);
    expectSorted(alerts);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    const byId = new Map(alerts.map((a) => [a.id, a]));
    expect(byId.get(`spike:${T + 30 * S}`)).toMatchObject({
      kind: 'spike',
      rule: 'spikes',
      time: T + 30 * S,
      end: T + 50 * S,
    });
    expect(byId.get(`anomaly:errors:${T}`)).toMatchObject({
      kind: 'anomaly',
      rule: 'errors',
      time: T,
      end: T + 60 * S,
    });
    expect(byId.get(`anomaly:volume:${T}`)).toMatchObject({
      kind: 'anomaly',
      rule: 'volume',
      time: T,
      end: T + 60 * S,
    });
    expect(byId.get('sequence:db-outage:0')).toMatchObject({
      kind: 'sequence',
      rule: 'db-outage',
      time: T + 40 * S,
      end: T + 90 * S,
    });
    expect(byId.get('sequence:db-outage:1')).toMatchObject({ time: T + 10 * S, end: T + 20 * S });
    expect(byId.get('sequence:restart:19')).toMatchObject({ time: T + 5 * S + 19 * 7 * S });
    // at the same time, ties go by id: the two anomalies at T
    expect(alerts.slice(0, 2).map((a) => a.id)).toEqual([`anomaly:errors:${T}`, `anomaly:volume:${T}`]);
  });

  it('messages carry the numbers that matter', () => {
    const byId = new Map(alertsOf({}).alerts.map((a) => [a.id, a]));
    const spike = byId.get(`spike:${T + 30 * S}`)!.message;
    expect(spike).toContain('70');
    expect(spike).toContain('60 s');
    expect(byId.get(`anomaly:volume:${T}`)!.message).toMatch(/below/);
    expect(byId.get(`anomaly:errors:${T}`)!.message).toMatch(/above/);
    expect(byId.get('sequence:db-outage:0')!.message).toContain('payment-service');
    expect(byId.get('sequence:db-outage:1')!.message).toContain('db-outage');
  });

  it('alerts.spikes false leaves the spikes out', () => {
    const { alerts, total } = alertsOf({ alerts: { spikes: false } });
    expect(alerts.some((a) => a.kind === 'spike')).toBe(false);
    expect(alerts).toHaveLength(3 + 2 + 20);
    expect(total).toBe(3 + 2 + 25);
  });

  it('alerts.anomalies selects the series', () => {
    const errorsOnly = alertsOf({ alerts: { anomalies: ['errors'] } });
    expect(errorsOnly.alerts.filter((a) => a.kind === 'anomaly').map((a) => a.id)).toEqual([
      `anomaly:errors:${T}`,
    ]);
    expect(errorsOnly.total).toBe(2 + 1 + 2 + 25);
    const volumeOnly = alertsOf({ alerts: { anomalies: ['volume'] } });
    expect(volumeOnly.alerts.filter((a) => a.kind === 'anomaly').map((a) => a.rule)).toEqual([
      'volume',
      'volume',
    ]);
    const none = alertsOf({ alerts: { anomalies: [] } });
    expect(none.alerts.some((a) => a.kind === 'anomaly')).toBe(false);
    expect(none.total).toBe(2 + 2 + 25);
  });

  it('alerts.sequences: "all", a list of names, or none', () => {
    const restart = alertsOf({ alerts: { sequences: ['restart'] } });
    expect(new Set(restart.alerts.filter((a) => a.kind === 'sequence').map((a) => a.rule))).toEqual(
      new Set(['restart']),
    );
    expect(restart.total).toBe(2 + 3 + 25);
    const outage = alertsOf({ alerts: { sequences: ['db-outage'] } });
    expect(outage.alerts.filter((a) => a.kind === 'sequence').map((a) => a.id)).toEqual([
      'sequence:db-outage:1',
      'sequence:db-outage:0',
    ]);
    // the restart matches beyond the examples do not count when restart raises no alert
    expect(outage.total).toBe(2 + 3 + 2);
    const none = alertsOf({ alerts: { sequences: [] } });
    expect(none.alerts.some((a) => a.kind === 'sequence')).toBe(false);
    expect(none.total).toBe(5);
    expect(alertsOf({ alerts: { sequences: 'all' } })).toEqual(alertsOf({}));
  });

  it('nothing found, nothing raised', () => {
    expect(buildAlerts(config({}), [], [], [])).toEqual({ alerts: [], total: 0 });
    expect(buildAlerts(config({}), [], [], [result('restart', 0, [])])).toEqual({ alerts: [], total: 0 });
  });

  it(`lists at most MAX_ALERTS (${MAX_ALERTS}), the earliest ones, and counts them all`, () => {
    expect(MAX_ALERTS).toBe(500);
    // 600 spikes given latest first: the cap applies after sorting by time
    const many: Spike[] = Array.from({ length: 600 }, (_, i) => ({
      start: T + (600 - i) * 10 * S,
      end: T + (600 - i) * 10 * S + S,
      peak: 50,
      errors: 50,
    }));
    const { alerts, total } = buildAlerts(config({}), many, ANOMALIES, SEQUENCES);
    expect(alerts).toHaveLength(MAX_ALERTS);
    expect(total).toBe(600 + 3 + 2 + 25);
    expectSorted(alerts);
    const all = buildAlerts(config({}), many.slice().reverse(), ANOMALIES, SEQUENCES);
    expect(all.alerts).toEqual(alerts);
    // what is left out is later than everything listed
    const last = alerts[alerts.length - 1]!.time;
    const listed = new Set(alerts.map((a) => a.id));
    expect(many.filter((s) => !listed.has(`spike:${s.start}`)).every((s) => s.start >= last)).toBe(true);
  });

  it('is deterministic: the same findings give the same alerts and ids', () => {
    expect(alertsOf({})).toEqual(alertsOf({}));
    const shuffledInput = buildAlerts(
      config({}),
      SPIKES.slice().reverse(),
      ANOMALIES.slice().reverse(),
      SEQUENCES,
    );
    expect(shuffledInput).toEqual(alertsOf({}));
  });
});

describe('alert ids across the snapshots of one analysis', () => {
  let records: LogRecord[] = [];
  let cfg: Config;

  beforeAll(async () => {
    cfg = config({ timeZone: 'UTC', spikes: { windowSec: 60, threshold: 8 } });
    const { text } = sampleText({ bytes: 600_000, seed: 5, spanMs: 2 * 3600_000 });
    const collected: LogRecord[] = [];
    await analyze([fileOf(text, 'ids.log')], cfg, { onRecord: (r) => collected.push(r) });
    records = collected;
  });

  it('an id keeps meaning the same finding while records stream in (in time order)', () => {
    const a = new Analysis(cfg);
    const seen = new Map<string, Alert>();
    let checks = 0;
    for (let i = 0; i < records.length; i++) {
      a.push(records[i]!);
      if (i % 500 !== 499 && i !== records.length - 1) continue;
      const { alerts } = a.snapshot().detectors;
      const now = new Map(alerts.map((x) => [x.id, x]));
      for (const [id, before] of seen) {
        const after = now.get(id);
        if (after === undefined) {
          // only a volume verdict on a bucket still filling may come and go
          expect([id, before.kind, before.rule]).toEqual([id, 'anomaly', 'volume']);
          continue;
        }
        expect([id, after.kind, after.rule, after.time]).toEqual([id, before.kind, before.rule, before.time]);
        checks++;
      }
      for (const [id, x] of now) seen.set(id, x);
    }
    const kinds = new Set([...seen.values()].map((x) => x.kind));
    expect(kinds).toEqual(new Set(['spike', 'anomaly', 'sequence']));
    expect(checks).toBeGreaterThan(100);
  });
});
