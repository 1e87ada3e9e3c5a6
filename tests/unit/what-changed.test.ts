import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { analyze } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import type { LogRecord, Snapshot } from '../../src/engine/types.ts';
import {
  ChangeCounter,
  defaultBaseline,
  gScore,
  indexSpan,
  rankChanges,
  rateRatio,
  whatChangedIn,
  FIELD_VALUES,
  type WhatChanged,
} from '../../src/engine/what-changed.ts';
import { config, fileOf, sampleText } from './helpers.ts';

const T0 = Date.parse('2025-03-14T10:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

async function analyzed(file: File): Promise<{ snap: Snapshot; analysis: Analysis; records: LogRecord[] }> {
  let analysis: Analysis | null = null;
  const records: LogRecord[] = [];
  const snap = await analyze([file], config(), {
    keep: (a) => (analysis = a),
    onRecord: (r) => records.push(r),
  });
  return { snap, analysis: analysis!, records };
}

const ctxOf = (snap: Snapshot) => ({
  index: snap.recordIndex!,
  formats: snap.files.map((f) => f.format),
  config: config(),
});

describe('the scores', () => {
  it('G-test of two Poisson rates: exact values (to the 12 significant digits it keeps)', () => {
    // a = 2, b = 0, equal lengths: Ea = Eb = 1, G = 2·2·ln 2
    expect(gScore(2, 0, 1, 1)).toBe(Number((4 * Math.log(2)).toPrecision(12)));
    // a = 3, b = 1: Ea = Eb = 2, G = 2·(3 ln 1.5 + ln 0.5)
    expect(gScore(3, 1, 1, 1)).toBeCloseTo(2 * (3 * Math.log(1.5) + Math.log(0.5)), 11);
    expect(gScore(3, 1, 1, 1)).toBe(1.04649628753);
    // the same rate over a baseline twice as long: nothing changed
    expect(gScore(1, 2, 1, 2)).toBe(0);
    expect(gScore(0, 0, 1, 1)).toBe(0);
    // symmetric: a drop scores as a rise does
    expect(gScore(0, 2, 1, 1)).toBeCloseTo(gScore(2, 0, 1, 1), 12);
  });

  it('the ratio is smoothed by the prior, so a baseline of 0 gives a finite ratio', () => {
    expect(rateRatio(3, 0, 1, 1)).toBe(4);
    expect(rateRatio(0, 3, 1, 1)).toBe(0.25);
    expect(rateRatio(2, 2, 1, 2)).toBe(2);
    expect(rateRatio(3, 0, 1, 1, 0.5)).toBe(7);
  });

  it('the default baseline is the same length just before the window', () => {
    expect(defaultBaseline({ start: 100, end: 160 })).toEqual({ start: 40, end: 100 });
  });
});

/** One record a line: the baseline minute has 6 GETs, the window minute 6 GETs and 4 timeouts. */
function written(): string {
  const out: string[] = [];
  out.push(`${iso(T0 - 30_000)} ERROR payment-service Timeout calling db after 5000ms`); // before both
  for (let i = 0; i < 6; i++) out.push(`${iso(T0 + i * 10_000)} INFO api-gateway GET /v1/orders/${i} 200`);
  for (let i = 0; i < 6; i++) {
    out.push(`${iso(T0 + 60_000 + i * 10_000)} INFO api-gateway GET /v1/orders/${10 + i} 200`);
    if (i < 4)
      out.push(`${iso(T0 + 61_000 + i * 10_000)} ERROR payment-service Timeout calling db after 3000ms`);
  }
  out.push(`${iso(T0 + 120_000)} ERROR payment-service Timeout calling db after 4000ms`); // the window's end: out
  return out.join('\n') + '\n';
}

describe('whatChangedIn', () => {
  it('ranks a written log exactly: counts, ratio, score, direction, query', async () => {
    const file = fileOf(written(), 'w.log');
    const { snap, analysis } = await analyzed(file);
    const w = { start: T0 + 60_000, end: T0 + 120_000 };
    const got = await whatChangedIn([file], ctxOf(snap), { window: w }, analysis.templates);
    expect(got.baseline).toEqual({ start: T0, end: T0 + 60_000 });
    expect(got.records).toEqual({ window: 10, baseline: 6 });
    expect(got.templates).toBe(true);
    expect(got.scanned).toBe(18); // one checkpoint: the whole (small) file is read
    const timeoutId = analysis.templates.match('Timeout calling db after 3000ms');
    const getId = analysis.templates.match('GET /v1/orders/1 200');
    const time = 'time:2025-03-14T10:01:00Z..2025-03-14T10:02:00Z';
    const g = 8 * Math.log(2);
    expect(
      got.items.map((i) => [i.kind, i.name, i.window, i.baseline, i.ratio, i.direction, i.query]),
    ).toEqual([
      ['template', String(timeoutId), 4, 0, 5, 'up', `template:${timeoutId} ${time}`],
      ['service', 'payment-service', 4, 0, 5, 'up', `service:payment-service ${time}`],
      ['level', 'ERROR', 4, 0, 5, 'up', `level:ERROR ${time}`],
      ['template', String(getId), 6, 6, 1, 'same', `template:${getId} ${time}`],
      ['service', 'api-gateway', 6, 6, 1, 'same', `service:api-gateway ${time}`],
      ['level', 'INFO', 6, 6, 1, 'same', `level:INFO ${time}`],
    ]);
    for (const i of got.items.slice(0, 3)) expect(i.score).toBeCloseTo(g, 12);
    for (const i of got.items.slice(3)) expect(i.score).toBe(0);
    expect(got.items[0]!.label).toBe('Timeout calling db after <*>');
    expect(got.ranked).toBe(6);
  });

  it('a given baseline, and a drop', async () => {
    const file = fileOf(written(), 'w.log');
    const { snap, analysis } = await analyzed(file);
    // the window is the quiet minute, the baseline the busy one
    const got = await whatChangedIn(
      [file],
      ctxOf(snap),
      {
        window: { start: T0, end: T0 + 60_000 },
        baseline: { start: T0 + 60_000, end: T0 + 120_000 },
        limit: 2,
      },
      analysis.templates,
    );
    expect(got.items.map((i) => [i.kind, i.window, i.baseline, i.ratio, i.direction])).toEqual([
      ['template', 0, 4, 0.2, 'down'],
      ['service', 0, 4, 0.2, 'down'],
    ]);
    expect(got.ranked).toBe(6);
  });

  it('counts field values (bounded), quoting values in the query', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 4; i++)
      lines.push(
        JSON.stringify({ time: iso(T0 + i * 1000), level: 'info', msg: 'req', path: '/a b', status: 200 }),
      );
    for (let i = 0; i < 4; i++)
      lines.push(
        JSON.stringify({
          time: iso(T0 + 10_000 + i * 1000),
          level: 'error',
          msg: 'req',
          path: '/a b',
          status: 503,
        }),
      );
    const file = fileOf(lines.join('\n') + '\n', 'j.log');
    const { snap } = await analyzed(file);
    const got = await whatChangedIn([file], ctxOf(snap), {
      window: { start: T0 + 10_000, end: T0 + 20_000 },
    });
    expect(got.templates).toBe(false);
    const fields = got.items.filter((i) => i.kind === 'field');
    const byLabel = Object.fromEntries(
      fields.map((i) => [i.label, [i.window, i.baseline, i.direction, i.query]]),
    );
    const time = 'time:2025-03-14T10:00:10Z..2025-03-14T10:00:20Z';
    expect(byLabel['status=503']).toEqual([4, 0, 'up', `status:503 ${time}`]);
    expect(byLabel['status=200']).toEqual([0, 4, 'down', `status:200 ${time}`]);
    expect(byLabel['path=/a b']).toEqual([4, 4, 'same', `path:"/a b" ${time}`]);
  });

  it('caps the values counted per field', () => {
    const c = new ChangeCounter();
    const r = (v: number): LogRecord => ({
      time: 0,
      level: null,
      service: null,
      message: '',
      continuation: null,
      file: 'x',
      fileIndex: 0,
      line: 1,
      lineEnd: 1,
      offset: 0,
      length: 1,
      parsed: true,
      fields: { id: v },
    });
    for (let v = 0; v < FIELD_VALUES + 5; v++) c.add(r(v), 0, null);
    c.add(r(0), 1, null);
    expect(c.fields.get('id')!.size).toBe(FIELD_VALUES);
    expect(c.fieldsCapped).toBe(true);
    const ranked = rankChanges(c, { start: 1, end: 2 }, { start: 0, end: 1 }, { limit: 1 });
    expect(ranked.ranked).toBe(FIELD_VALUES);
  });

  it('reads only the indexed span, and counts what a pass over every record counts', async () => {
    const { text } = sampleText({ bytes: 600_000, seed: 5, spanMs: 3600_000 });
    const file = fileOf(text, 's.log');
    const { snap, analysis, records } = await analyzed(file);
    const idx = snap.recordIndex!.files[0]!;
    expect(idx.record.length).toBeGreaterThan(5);
    const start = Date.parse('2025-03-14T00:20:00Z');
    const w = { start, end: start + 120_000 };
    const b = defaultBaseline(w);
    const got = await whatChangedIn([file], ctxOf(snap), { window: w, limit: 10_000 }, analysis.templates);
    expect(got.scanned).toBeLessThan(records.length / 2);
    const count = (lo: number, hi: number, f: (r: LogRecord) => boolean): number =>
      records.filter((r) => r.time !== null && r.time >= lo && r.time < hi && f(r)).length;
    expect(got.records).toEqual({
      window: count(w.start, w.end, () => true),
      baseline: count(b.start, b.end, () => true),
    });
    for (const i of got.items.filter((x) => x.kind === 'service' || x.kind === 'level')) {
      const f = (r: LogRecord): boolean => (i.kind === 'service' ? r.service === i.name : r.level === i.name);
      expect([i.window, i.baseline]).toEqual([count(w.start, w.end, f), count(b.start, b.end, f)]);
    }
  });

  it('indexSpan: from the last checkpoint before the ranges to the first at or past their end', () => {
    const times = [0, 10, 20, 30, 40, 50];
    const recs = [0, 5, 9, 14, 20, 25];
    expect(indexSpan(times, recs, 25, 35)).toEqual({ from: 2, to: 20 });
    expect(indexSpan(times, recs, 0, 100)).toEqual({ from: 0, to: Infinity });
    expect(indexSpan([50, 60], [0, 3], 0, 40)).toBeNull();
    expect(indexSpan([null, 10, null, 30], [0, 2, 4, 6], 15, 25)).toEqual({ from: 1, to: 6 });
  });
});

describe('the command line: --what-changed', () => {
  const ROOT = resolve(import.meta.dirname, '../..');
  const cli = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });

  it('prints the ranking as JSON', async () => {
    const r = await cli([
      'tests/fixtures/e2e/checkout.log',
      '--what-changed',
      '2025-03-14T10:00:05Z..2025-03-14T10:00:10Z',
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as WhatChanged;
    expect(got.records).toEqual({ window: 3, baseline: 5 });
    expect(got.baseline).toEqual({
      start: Date.parse('2025-03-14T10:00:00Z'),
      end: Date.parse('2025-03-14T10:00:05Z'),
    });
    expect(got.items.slice(0, 2).map((i) => [i.kind, i.label, i.window, i.baseline, i.direction])).toEqual([
      ['template', 'GET <*> <*> <*>', 0, 2, 'down'],
      ['service', 'payment-service', 0, 2, 'down'],
    ]);
    expect(got.items[0]!.score).toBeCloseTo(4 * Math.log(2), 12);
    const error = got.items.find((i) => i.kind === 'level' && i.name === 'ERROR')!;
    expect([error.window, error.baseline, error.ratio, error.score, error.direction]).toEqual([
      1,
      1,
      1,
      0,
      'same',
    ]);
  }, 30_000);

  it('refuses a range that is not START..END', async () => {
    const r = await cli(['tests/fixtures/e2e/checkout.log', '--what-changed', '2025-03-14T10:00:05Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected START..END');
  }, 30_000);
});
