import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { buildReport, GENERATOR, REPORT_SCHEMA_ID } from '../../src/engine/report.ts';
import { LEVELS_AND_NONE } from '../../src/engine/types.ts';
import { config, fileOf } from './helpers.ts';

const cfg = config({ timeZone: 'UTC' });
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 6);
// The garbage line comes before the first record, so it is an unparsed record (named after the file);
// the exception header and the frame continue the ERROR record.
const TEXT = [
  'garbage line',
  '2025-03-14T10:00:00.250Z INFO api hello',
  '2025-03-14T10:00:02Z ERROR db boom',
  'java.lang.IllegalStateException: closed',
  '\tat a.b.C.d(C.java:1)',
  '2025-03-14T10:00:03Z WARN api slow',
  '',
].join('\n');

describe('buildReport', () => {
  it('turns a snapshot into a loglens.report/1 document', async () => {
    const snap = await analyze([fileOf(TEXT, 'r.log')], cfg);
    const r = buildReport(snap, cfg, NOW);
    expect(r.schema).toBe('loglens.report/1');
    expect(REPORT_SCHEMA_ID).toBe('loglens.report/1');
    expect(r.generatedAt).toBe('2025-01-02T03:04:05.006Z');
    expect(r.generator).toBe(GENERATOR);
    expect(r.files).toEqual([
      {
        name: 'r.log',
        bytes: TEXT.length,
        bytesRead: TEXT.length,
        gzip: false,
        format: 'iso-level-service',
        formatName: 'ISO time, level, service, message',
        formatConfidence: 0.75,
        records: 4,
        lines: 6,
        error: null,
        warnings: [],
        relativeTime: false,
        formats: [{ id: 'iso-level-service', name: 'ISO time, level, service, message', records: 3 }],
      },
    ]);
    expect(r.totals).toEqual({
      bytes: TEXT.length,
      lines: 6,
      emptyLines: 0,
      records: 4,
      unparsed: 1,
      continuationLines: 2,
      invalidUtf8: 0,
      truncatedLines: 0,
      untimed: 1,
      invalidTimes: 0,
      nulBytesSkipped: 0,
    });
    expect(r.timeRange).toEqual({ start: '2025-03-14T10:00:00.250Z', end: '2025-03-14T10:00:03.000Z' });
    expect(r.levels).toEqual({ TRACE: 0, DEBUG: 0, INFO: 1, WARN: 1, ERROR: 1, FATAL: 0, NONE: 1 });
    expect(Object.keys(r.levels)).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE']);
    expect(r.services).toEqual([
      { name: 'api', records: 2, errors: 0 },
      { name: 'db', records: 1, errors: 1 },
      { name: 'r.log', records: 1, errors: 0 },
    ]);
    expect(r.timeline).toEqual({
      bucketMs: 1000,
      start: '2025-03-14T10:00:00.000Z',
      startMs: Date.UTC(2025, 2, 14, 10),
      levels: {
        TRACE: [0, 0, 0, 0],
        DEBUG: [0, 0, 0, 0],
        INFO: [1, 0, 0, 0],
        WARN: [0, 0, 0, 1],
        ERROR: [0, 0, 1, 0],
        FATAL: [0, 0, 0, 0],
        NONE: [0, 0, 0, 0],
      },
    });
    expect(Object.keys(r.timeline.levels)).toEqual([...LEVELS_AND_NONE]);
    LEVELS_AND_NONE.forEach((l, i) => expect(r.timeline.levels[l]).toEqual(snap.timeline.counts[i]));
    expect(r.config).toEqual(cfg);
    expect(r.analysis).toEqual({
      durationMs: Math.round(snap.progress.elapsedMs),
      complete: true,
      stopped: null,
    });
    // it is plain data
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(Object.keys(r)).toEqual([
      'schema',
      'generatedAt',
      'generator',
      'files',
      'totals',
      'timeRange',
      'levels',
      'services',
      'timeline',
      'spikes',
      'windowsAnalyzed',
      'anomalies',
      'sequences',
      'alerts',
      'alertsTotal',
      'spikeThreshold',
      'incidentsTotal',
      'incidents',
      'templates',
      'facets',
      'config',
      'analysis',
      'caps',
    ]);
    // the default detectors find nothing in four records
    expect(r.spikes).toEqual([]);
    expect(r.windowsAnalyzed).toBe(4);
    expect(snap.detectors.untimed).toBe(1); // the garbage line: left out of the detectors, and counted
    expect(r.anomalies).toEqual([]);
    expect(r.sequences.map((q) => [q.name, q.matches])).toEqual([
      ['db-outage', 0],
      ['restart', 0],
    ]);
    expect(r.alerts).toEqual([]);
    expect(r.alertsTotal).toBe(0);
  });

  it('marks the report of an analysis stopped early as incomplete, with what was read', async () => {
    // the last progress snapshot of a cancelled run: 3 of its 4 records, 80 of 200 bytes
    const snaps: Awaited<ReturnType<typeof analyze>>[] = [];
    await analyze([fileOf(TEXT, 'r.log')], cfg, { intervalMs: 0, onSnapshot: (s) => snaps.push(s) });
    const last = snaps[snaps.length - 1]!;
    const stopped = { reason: 'cancelled' as const, bytesRead: 80, totalBytes: 200 };
    const r = buildReport(last, cfg, NOW, stopped);
    expect(r.analysis).toEqual({
      durationMs: Math.round(last.progress.elapsedMs),
      complete: false,
      stopped: { reason: 'cancelled', bytesRead: 80, totalBytes: 200 },
    });
    expect(r.totals.records).toBe(last.totals.records);
  });

  it('reports the detectors: ISO times, z null when infinite, alerts in time order', async () => {
    const dcfg = config({
      timeZone: 'UTC',
      spikes: { windowSec: 2, threshold: 2 },
      // the plain rolling mean/σ without a minimum excess: the values below are worked out for it
      anomalies: {
        bucketSec: 1,
        history: 2,
        minHistory: 2,
        z: 1,
        minCount: 1,
        minStd: 0,
        minExcess: 0,
        baseline: 'mean',
      },
      sequences: [{ name: 'ab', steps: [{ contains: 'hello' }, { contains: 'slow' }], maxGapSec: 10 }],
    });
    const text = [
      '2025-03-14T10:00:00Z INFO api hello',
      '2025-03-14T10:00:01Z INFO api hello',
      '2025-03-14T10:00:02Z ERROR db boom',
      '2025-03-14T10:00:02.500Z ERROR db boom',
      '2025-03-14T10:00:03Z WARN api slow',
      '',
    ].join('\n');
    const snap = await analyze([fileOf(text, 'd.log')], dcfg);
    const r = buildReport(snap, dcfg, NOW);
    // errors per second 0, 0, 2, 0 with W=2: S(2) = S(3) = 2
    expect(r.spikes).toEqual([
      { start: '2025-03-14T10:00:02.000Z', end: '2025-03-14T10:00:04.000Z', peak: 2, errors: 2 },
    ]);
    expect(r.windowsAnalyzed).toBe(4);
    // volume 1, 1, 2, 1 and errors 0, 0, 2, 0 per second; σ = 0 before the jump, so z = +∞ (null in JSON)
    expect(r.anomalies).toEqual([
      {
        series: 'errors',
        bucketStart: '2025-03-14T10:00:02.000Z',
        value: 2,
        mean: 0,
        std: 0,
        rawStd: 0,
        z: null,
      },
      {
        series: 'volume',
        bucketStart: '2025-03-14T10:00:02.000Z',
        value: 2,
        mean: 1,
        std: 0,
        rawStd: 0,
        z: null,
      },
      {
        series: 'volume',
        bucketStart: '2025-03-14T10:00:03.000Z',
        value: 1,
        mean: 1.5,
        std: 0.5,
        rawStd: 0.5,
        z: -1,
      },
    ]);
    expect(snap.detectors.anomalies[0]!.z).toBe(Infinity);
    // hello@0, hello@1 (restart), slow@3
    expect(r.sequences).toEqual([
      {
        name: 'ab',
        matches: 1,
        firstMatch: '2025-03-14T10:00:03.000Z',
        lastMatch: '2025-03-14T10:00:03.000Z',
        medianDurationMs: 2000,
        examples: [
          {
            key: null,
            start: '2025-03-14T10:00:01.000Z',
            end: '2025-03-14T10:00:03.000Z',
            durationMs: 2000,
            steps: [
              { file: 'd.log', line: 2, time: '2025-03-14T10:00:01.000Z' },
              { file: 'd.log', line: 5, time: '2025-03-14T10:00:03.000Z' },
            ],
          },
        ],
      },
    ]);
    expect(r.alerts.map((a) => [a.kind, a.rule, a.time, a.end])).toEqual([
      ['sequence', 'ab', '2025-03-14T10:00:01.000Z', '2025-03-14T10:00:03.000Z'],
      ['anomaly', 'errors', '2025-03-14T10:00:02.000Z', '2025-03-14T10:00:03.000Z'],
      ['anomaly', 'volume', '2025-03-14T10:00:02.000Z', '2025-03-14T10:00:03.000Z'],
      ['spike', 'spikes', '2025-03-14T10:00:02.000Z', '2025-03-14T10:00:04.000Z'],
      ['anomaly', 'volume', '2025-03-14T10:00:03.000Z', '2025-03-14T10:00:04.000Z'],
    ]);
    expect(r.alerts.map((a) => a.message)).toEqual(snap.detectors.alerts.map((a) => a.message));
    expect(r.alertsTotal).toBe(5);
    expect(r.config).toEqual(dcfg);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('rounds the format confidence to 4 digits and copies file notes', async () => {
    const text = '2025-03-14T10:00:00Z INFO a x\nno\nno\n2025-03-14T10:00:01Z INFO a y\nno\nno\n';
    const snap = await analyze([fileOf(text, 'c.log'), fileOf('', 'e.log')], cfg);
    const r = buildReport(snap, cfg, NOW);
    expect(snap.files[0]!.formatConfidence).toBe(1 / 3);
    expect(r.files[0]!.formatConfidence).toBe(0.3333);
    expect(r.files[1]).toEqual({
      name: 'e.log',
      bytes: 0,
      bytesRead: 0,
      gzip: false,
      format: 'unknown',
      formatName: 'not detected',
      formatConfidence: 0,
      records: 0,
      lines: 0,
      error: null,
      warnings: ['The file is empty: there is nothing to analyze.'],
      relativeTime: false,
      formats: [],
    });
  });

  it('has null times and empty series when no record had a time', async () => {
    const snap = await analyze([fileOf('just words\nmore words\n', 'w.txt')], cfg);
    const r = buildReport(snap, cfg, 0);
    expect(r.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(r.timeRange).toBeNull();
    expect(r.levels).toEqual({ TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, FATAL: 0, NONE: 2 });
    expect(r.timeline).toEqual({
      bucketMs: 1000,
      start: null,
      startMs: null,
      levels: { TRACE: [], DEBUG: [], INFO: [], WARN: [], ERROR: [], FATAL: [], NONE: [] },
    });
  });
});
