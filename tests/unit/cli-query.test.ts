import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALISTIC } from '../../src/engine/sample.ts';
import { sampleText } from './helpers.ts';

// The command line's --where and --lines, checked against a count made apart from the engine (awk-style).
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
const at = (name: string): string => join(dir, name);

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const { text } = sampleText({ bytes: 300_000, seed: 5, incidents: 2, ...REALISTIC });

/** The log's records as a grep user sees them: a line that starts with a time, and the lines after it. */
function records(): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (/^\d{4}-\d\d-\d\dT/.test(line) || out.length === 0) out.push(line + '\n');
    else out[out.length - 1] += line + '\n';
  }
  return out;
}

/** The message and continuation lines of a record: the line after "time LEVEL service ". */
const textOf = (r: string): string => r.replace(/^\S+ \S+ \S+ /, '');

function report(path: string): Record<string, unknown> {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const k of ['generatedAt', 'analysis', 'files', 'view']) delete r[k];
  // what depends on the places in the file (line numbers of sequence steps) is compared by count
  r.sequences = (r.sequences as { examples: unknown[] }[]).map((q) => ({
    ...q,
    examples: q.examples.length,
  }));
  const t = r.totals as Record<string, number>;
  for (const k of ['emptyLines', 'invalidUtf8', 'truncatedLines', 'nulBytesSkipped', 'invalidTimes'])
    delete t[k];
  r.templates = (r.templates as { id: number; template: string }[])
    .map((x) => ({ ...x, id: 0, template: '' }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  // facets: the file's name differs by construction, template ids as above (compared by text and count)
  const facets = r.facets as { fields: { field: string; top: { value: string; label?: string }[] }[] };
  facets.fields = facets.fields.map((f) =>
    f.field === 'file'
      ? { ...f, top: f.top.map((v) => ({ ...v, value: '' })) }
      : f.field === 'template'
        ? {
            ...f,
            top: f.top.map((v) => ({ ...v, value: '' })).sort((a, b) => a.label!.localeCompare(b.label!)),
          }
        : f,
  );
  return r;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loglens-cli-query-'));
  writeFileSync(at('app.log'), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run analyze -- --where', () => {
  it('reports the subset: equal to the report of a file of only the matching records', async () => {
    const matching = records().filter(
      (r) => /^\S+ ERROR /.test(r) && textOf(r).toLowerCase().includes('timeout'),
    );
    expect(matching.length).toBeGreaterThan(5);
    writeFileSync(at('only.log'), matching.join(''));
    const a = await cli([
      at('app.log'),
      '--where',
      'level:ERROR "timeout"',
      '--out',
      at('view.json'),
      '--quiet',
    ]);
    const b = await cli([at('only.log'), '--out', at('only.json'), '--quiet']);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(report(at('view.json'))).toEqual(report(at('only.json')));
    const view = JSON.parse(readFileSync(at('view.json'), 'utf8')) as {
      view: unknown;
      totals: { records: number };
    };
    expect(view.totals.records).toBe(matching.length);
    expect(view.view).toEqual({
      query: 'level:ERROR "timeout"',
      recordsRead: records().length,
      linesRead: text.split('\n').length - 1,
      bytesRead: Buffer.byteLength(text),
    });
  });

  it('gives the same report read in slices on two threads', async () => {
    const env = { LOGLENS_SLICE_MIN_BYTES: '65536' };
    const one = await cli(
      [at('app.log'), '--where', 'timeout OR level:FATAL', '--threads', '1', '--out', at('1.json')],
      env,
    );
    const two = await cli(
      [at('app.log'), '--where', 'timeout OR level:FATAL', '--threads', '2', '--out', at('2.json')],
      env,
    );
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stderr).toContain('slices');
    const strip = (p: string): unknown => {
      const r = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
      delete r.generatedAt;
      delete r.analysis;
      return r;
    };
    expect(strip(at('2.json'))).toEqual(strip(at('1.json')));
  });

  it('--lines prints the matching records’ raw lines, in file order, as grep would find them', async () => {
    const want = records().filter((r) => textOf(r).toLowerCase().includes('connection is closed'));
    expect(want.length).toBeGreaterThan(5);
    const r = await cli([at('app.log'), '--where', '"Connection is closed"', '--lines']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(want.join(''));
    // every line of those records, continuation lines included
    expect(r.stdout.split('\n').length - 1).toBe(want.join('').split('\n').length - 1);
  });

  it('a query that does not parse: exit code 2, with where and why', async () => {
    const r = await cli([at('app.log'), '--where', 'level:ERROR (timeout']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "analyze: --where: expected ')' at 20\n  level:ERROR (timeout\n                      ^\n",
    );
  });
});
