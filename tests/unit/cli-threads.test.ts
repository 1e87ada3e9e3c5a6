import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/engine/sample.ts';

/**
 * `--threads N` gives the report of one thread: the real command line on multi-MB generated logs, read on one
 * thread and on several (slices of a big file, the files of a rotated set side by side). The slicing threshold
 * (256 MiB) is lowered to 1 MB through LOGLENS_SLICE_MIN_BYTES, a knob for this test only.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MIN = '1000000';
let dir: string;
const at = (name: string): string => join(dir, name);

function cli(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOGLENS_SLICE_MIN_BYTES: MIN },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.resume();
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

function sample(bytes: number, seed: number, start: number): string {
  const g = generateSample({ bytes, seed, start, spanMs: 3 * 3600_000 });
  let text = '';
  for (let s = g.next(); !s.done; s = g.next()) text += s.value;
  return text;
}

/** The report without what differs between any two runs: when it was made and how long it took. */
function report(path: string): Record<string, unknown> {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  expect(r['generatedAt']).toEqual(expect.any(String));
  expect((r['analysis'] as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
  delete r['generatedAt'];
  delete (r['analysis'] as { durationMs?: number }).durationMs;
  return r;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loglens-threads-'));
  writeFileSync(at('big.log'), sample(6_000_000, 7, Date.UTC(2025, 2, 14, 8)));
  // a rotated set, given out of order: the oldest gzipped, the middle one big enough to be sliced
  writeFileSync(at('app.log.2.gz'), gzipSync(sample(1_500_000, 21, Date.UTC(2025, 2, 14, 0))));
  writeFileSync(at('app.log.1'), sample(3_500_000, 22, Date.UTC(2025, 2, 14, 3)));
  writeFileSync(at('app.log'), sample(600_000, 23, Date.UTC(2025, 2, 14, 6)));
  writeFileSync(at('one.log.gz'), gzipSync(sample(2_500_000, 31, Date.UTC(2025, 2, 14, 9))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('command line on several threads', { timeout: 120_000 }, () => {
  it('a big file in 3 slices: the same report and the same records export as one thread', async () => {
    const [one, three] = await Promise.all([
      cli(at('big.log'), '--threads', '1', '--out', at('big-1.json'), '--records', at('big-1.csv')),
      cli(at('big.log'), '--threads', '3', '--out', at('big-3.json'), '--records', at('big-3.csv')),
    ]);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(one.stderr).not.toContain('read on');
    expect(three.stderr).toContain('analyze: read on 3 threads: big.log in 3 slices');
    const r1 = report(at('big-1.json'));
    expect((r1['totals'] as { records: number }).records).toBeGreaterThan(50_000);
    // templates included: on this log Drain finds the same ones whatever the cuts (parallel.test.ts)
    expect(report(at('big-3.json'))).toEqual(r1);
    // the merged template miner numbers every record's template as one pass does
    expect(readFileSync(at('big-3.csv'), 'utf8')).toBe(readFileSync(at('big-1.csv'), 'utf8'));
  });

  it('a rotated set given out of order: read side by side, merged oldest first, the same report', async () => {
    const files = [at('app.log'), at('app.log.2.gz'), at('app.log.1')];
    const [one, three] = await Promise.all([
      cli(...files, '--threads', '1', '--out', at('set-1.json')),
      cli(...files, '--threads', '3', '--out', at('set-3.json')),
    ]);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(three.stderr).toContain(
      'analyze: read on 3 threads: app.log.2.gz whole, app.log.1 in 3 slices, app.log whole',
    );
    const r1 = report(at('set-1.json'));
    expect((r1['files'] as { name: string }[]).map((f) => f.name)).toEqual([
      'app.log.2.gz',
      'app.log.1',
      'app.log',
    ]);
    // sequence steps name their file and line: a whole file merged later keeps its own line numbers
    expect((r1['sequences'] as { matches: number }[]).some((q) => q.matches > 0)).toBe(true);
    expect(report(at('set-3.json'))).toEqual(r1);
  });

  it('a gzip file (not sliceable) on 2 threads: the same report as on one', async () => {
    const [one, two] = await Promise.all([
      cli(at('one.log.gz'), '--threads', '1', '--out', at('gz-1.json')),
      cli(at('one.log.gz'), '--threads', '2', '--out', at('gz-2.json')),
    ]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const r1 = report(at('gz-1.json'));
    expect((r1['files'] as { gzip: boolean }[])[0]!.gzip).toBe(true);
    expect(report(at('gz-2.json'))).toEqual(r1);
  });

  it('a missing file beside sliced ones: exit 1, reported after the others, the rest as on one thread', async () => {
    const files = [at('big.log'), at('nope.log'), at('app.log')];
    const [one, two] = await Promise.all([
      cli(...files, '--threads', '1', '--out', at('miss-1.json')),
      cli(...files, '--threads', '2', '--out', at('miss-2.json')),
    ]);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('nope.log: no such file');
    expect(report(at('miss-2.json'))).toEqual(report(at('miss-1.json')));
  });

  it('refuses a --threads that is not a whole number from 1 up', async () => {
    const runs = await Promise.all(
      ['0', '-2', '1.5', 'many'].map((bad) => cli(at('app.log'), '--threads', bad)),
    );
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--threads');
    }
  });
});

describe('--threads past a cap', () => {
  it('says that what lands beyond the services cap can differ from one thread', async () => {
    // 24,000 distinct services in 1.2 MB: over the 10,000 cap, sliced in two
    const lines = Array.from(
      { length: 24_000 },
      (_, i) =>
        `2025-03-14T10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:00.000Z INFO svc-${i} request done`,
    );
    writeFileSync(at('many.log'), lines.join('\n') + '\n');
    const two = await cli(at('many.log'), '--threads', '2', '--out', at('many2.json'));
    expect(two.code).toBe(0);
    expect(two.stderr).toContain('analyze: read on 2 threads: many.log in 2 slices');
    expect(two.stderr).toContain(
      'analyze: note: the services cap was reached; read on several threads, what lands beyond a cap can differ from a one-thread read (--threads 1 gives the exact one-pass report)',
    );
    const one = await cli(at('many.log'), '--threads', '1', '--out', at('many1.json'));
    expect(one.code).toBe(0);
    expect(one.stderr).not.toContain('cap was reached');
    // the totals agree whatever the cap did
    expect((report(at('many2.json'))['totals'] as { records: number }).records).toBe(24_000);
    expect((report(at('many1.json'))['totals'] as { records: number }).records).toBe(24_000);
  });
});
