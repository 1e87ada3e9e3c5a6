import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ERRORS, BASE_RECORDS, BURST_RECORDS, baseLog, burstLog } from './live-fixture.ts';

// The `loglens` command as package.json's "bin" gives it: compiled JavaScript run by plain node (no tsx).
const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: { loglens: string };
  scripts: Record<string, string>;
};
const BIN = join(ROOT, pkg.bin.loglens);
let dir: string;

beforeAll(() => {
  // what `npm ci` runs (prepare): the test checks the current sources' build
  execFileSync('npm', ['run', 'build:cli'], { cwd: ROOT, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'loglens-bin-'));
  writeFileSync(join(dir, 'app.log'), baseLog());
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input?: string): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', input, timeout: 30_000 });

describe('the loglens bin', () => {
  it('npm ci builds it (prepare), and it needs no TypeScript runner', () => {
    expect(pkg.scripts.prepare).toBe('npm run build:cli');
    const compiled = readdirSync(join(ROOT, 'dist-cli')).filter((f) => f.endsWith('.js'));
    expect(compiled).toContain('loglens.js');
    expect(compiled).toContain('worker.js');
    for (const f of compiled)
      expect(readFileSync(join(ROOT, 'dist-cli', f), 'utf8')).not.toMatch(
        /from ["']tsx|import\(["']tsx|require\(["']tsx/,
      );
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('loglens FILE analyzes it (as loglens analyze FILE)', () => {
    const a = run(['app.log']);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain(`Records     ${BASE_RECORDS} from ${BASE_RECORDS} lines`);
    const b = run(['analyze', 'app.log', '--out', '-', '--quiet']);
    expect(b.status).toBe(0);
    const report = JSON.parse(String(b.stdout)) as { totals: { records: number }; levels: { ERROR: number } };
    expect(report.totals.records).toBe(BASE_RECORDS);
    expect(report.levels.ERROR).toBe(BASE_ERRORS);
  }, 60_000);

  it('loglens - reads standard input; --threads runs the compiled worker', () => {
    const a = run(['-', '--json', '--out', 'stdin.json', '--quiet'], baseLog() + burstLog());
    expect(a.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'stdin.json'), 'utf8')) as {
      totals: { records: number };
    };
    expect(report.totals.records).toBe(BASE_RECORDS + BURST_RECORDS);
    writeFileSync(join(dir, 'b.log'), burstLog());
    const b = run(['app.log', 'b.log', '--threads', '2', '--out', '-', '--quiet']);
    expect(b.status).toBe(0);
    expect((JSON.parse(String(b.stdout)) as { totals: { records: number } }).totals.records).toBe(
      BASE_RECORDS + BURST_RECORDS,
    );
  }, 60_000);

  it('loglens gen writes the sample log', () => {
    const g = run(['gen', '--size', '20KB', '--out', 'sample.log']);
    expect(g.status).toBe(0);
    const lines = readFileSync(join(dir, 'sample.log'), 'utf8').split('\n').length - 1;
    expect(String(g.stdout) + String(g.stderr)).toContain(`${lines} lines`);
  }, 60_000);

  it('loglens bench outside a checkout says what it needs', () => {
    const b = run(['bench']);
    expect(b.status).toBe(2);
    expect(String(b.stderr)).toContain(
      'loglens bench: the benchmarks run in a Loglens checkout, from its folder',
    );
  });

  it('loglens serve --dist DIR with no page in it says so', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const s = run(['serve', '--dist', 'empty']);
    expect(s.status).toBe(2);
    expect(String(s.stderr)).toContain('serve: no built page in empty (index.html)');
  });

  it('loglens serve --keep with no size it can read, or nothing to keep, says so', () => {
    for (const [keep, said] of [
      ['lots', 'serve: --keep: expected a size such as 200MB or 1GB, got "lots"'],
      ['0', 'serve: --keep: at least 1 byte, got "0"'],
    ]) {
      const s = run(['serve', '--keep', keep!]);
      expect(s.status).toBe(2);
      expect(String(s.stderr)).toContain(said);
      expect(String(s.stderr)).toContain('--keep S');
    }
  });

  it('loglens serve FILE ends on Ctrl-C (SIGINT) while a page streams /live and holds an idle connection', async () => {
    const dist = join(dir, 'page');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>page</title>\n');
    const child = spawn(process.execPath, [BIN, 'serve', 'app.log', '--dist', dist, '--quiet'], { cwd: dir });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          out += s;
          if (out.includes('\n')) done(out.trim());
        });
        child.on('exit', (code) => fail(new Error(`serve exited (${code})`)));
      });
      const port = Number(new URL(url).port);
      // what a page holds: the stream of /live (which never ends while the file is followed), and a kept-alive
      // connection its last request left idle
      let streamed = '';
      const streamEnded = new Promise<void>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/live' }, (res) => {
          res.setEncoding('utf8').on('data', (s: string) => (streamed += s));
          res.on('close', () => done());
        });
        req.on('error', fail);
        req.end();
      });
      const idle = await fetch(`${url}live/info`, { headers: { Connection: 'keep-alive' } });
      expect(((await idle.json()) as { name: string }).name).toBe('app.log');
      await expect.poll(() => streamed.length).toBe(baseLog().length);
      expect(streamed).toBe(baseLog());
      child.kill('SIGINT');
      // it exits (0), and the stream it was sending ends: no connection keeps it alive
      expect(await exited).toBe(0);
      await streamEnded;
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('loglens serve in a checkout with no built page builds it once, then serves it', async () => {
    // a checkout after npm ci: the sources, the dependencies, the compiled bin; no dist/
    const co = join(dir, 'checkout');
    mkdirSync(co);
    for (const f of ['src', 'public', 'svelte.config.js', 'node_modules'])
      symlinkSync(join(ROOT, f), join(co, f));
    for (const f of readdirSync(ROOT).filter((f) =>
      /^(tsconfig.*\.json|package\.json|vite\.config\.ts|index\.html)$/.test(f),
    ))
      copyFileSync(join(ROOT, f), join(co, f));
    cpSync(join(ROOT, 'dist-cli'), join(co, 'dist-cli'), { recursive: true });
    const child = spawn(process.execPath, [join(co, 'dist-cli', 'loglens.js'), 'serve', '--quiet'], {
      cwd: dir,
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => {
          out += s;
          if (out.includes('\n')) done(out.trim());
        });
        child.on('exit', (code) => fail(new Error(`serve exited (${code}): ${err}`)));
      });
      expect(err).toContain('no built page in');
      expect(err).toContain('building it once (npm run build)');
      expect(existsSync(join(co, 'dist', 'index.html'))).toBe(true);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>');
    } finally {
      child.kill('SIGINT');
    }
  }, 180_000);
});
