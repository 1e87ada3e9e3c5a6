import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ERRORS, BASE_RECORDS, BURST_ERRORS, BURST_RECORDS, baseLog, burstLog } from './live-fixture.ts';

// The real command line in its own process, followed as a user would: --follow, -, --json, Ctrl-C.
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'loglens-live-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Event = Record<string, unknown>;

/** The command line with its JSON events parsed as they come. */
class Live {
  readonly child: ChildProcessWithoutNullStreams;
  readonly events: { at: number; event: Event }[] = [];
  stderr = '';
  private rest = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT });
    this.child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const lines = (this.rest + s).split('\n');
      this.rest = lines.pop()!;
      for (const l of lines) this.events.push({ at: performance.now(), event: JSON.parse(l) as Event });
      for (const w of this.waiters) w();
    });
    this.child.stderr.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((done) => this.child.on('close', done));
  }

  /** The first event (from index `from`) that `test` accepts, and when it came. */
  async next(test: (e: Event) => boolean, from = 0): Promise<{ at: number; event: Event }> {
    for (;;) {
      const found = this.events.slice(from).find((e) => test(e.event));
      if (found) return found;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

const isStatus =
  (records: number) =>
  (e: Event): boolean =>
    e.type === 'status' && e.records === records;
const isOpen = (e: Event): boolean => e.type === 'incident' && e.state === 'open';
type Report = { totals: { records: number }; levels: Record<string, number> };
const report = (path: string): Report => JSON.parse(readFileSync(path, 'utf8')) as Report;

describe('analyze --follow', () => {
  it('prints the incident open event within 2 s of the append; Ctrl-C ends it and writes --out', async () => {
    const log = join(dir, 'app.log');
    const out = join(dir, 'report.json');
    writeFileSync(log, baseLog());
    const live = new Live(['--follow', log, '--json', '--out', out]);
    await live.next(isStatus(BASE_RECORDS));
    expect(live.events.some((e) => isOpen(e.event))).toBe(false);
    const appended = performance.now();
    appendFileSync(log, burstLog());
    const open = await live.next(isOpen);
    expect(open.at - appended).toBeLessThan(2000);
    expect(open.event).toMatchObject({ kind: 'errors', errors: BURST_ERRORS });
    expect(String(open.event.title)).toMatch(/^order-service: "Timeout calling db after <\*> ms" ×120/);
    // the incident holds the burst's minute
    expect(Date.parse(String(open.event.start))).toBeLessThanOrEqual(Date.UTC(2025, 2, 14, 9, 40));
    expect(Date.parse(String(open.event.end))).toBeGreaterThanOrEqual(Date.UTC(2025, 2, 14, 9, 41));
    await live.next(isStatus(BASE_RECORDS + BURST_RECORDS));
    live.child.kill('SIGINT');
    expect(await live.exited).toBe(0);
    const r = report(out);
    expect(r.totals.records).toBe(BASE_RECORDS + BURST_RECORDS);
    expect(r.levels.ERROR).toBe(BASE_ERRORS + BURST_ERRORS);
    expect(live.stderr).toContain(`wrote ${out}`);
  }, 30_000);

  it('a truncated file is said so and followed anew from its start', async () => {
    const log = join(dir, 'rotated.log');
    writeFileSync(log, baseLog());
    const live = new Live(['--follow', log, '--json']);
    await live.next(isStatus(BASE_RECORDS));
    truncateSync(log, 0);
    const said = await live.next((e) => e.type === 'file');
    expect(said.event).toEqual({ type: 'file', state: 'truncated', file: log });
    appendFileSync(log, burstLog());
    await live.next(isStatus(BURST_RECORDS), live.events.indexOf(said));
    live.child.kill('SIGINT');
    expect(await live.exited).toBe(0);
  }, 30_000);
});

describe('analyze -', () => {
  it('reads a pipe as it comes, and writes the report when it ends', async () => {
    const out = join(dir, 'stdin.json');
    const live = new Live(['-', '--json', '--out', out]);
    live.child.stdin.write(baseLog());
    // the first part is analyzed while the pipe is still open
    await live.next(isStatus(BASE_RECORDS));
    live.child.stdin.end(burstLog());
    await live.next(isOpen);
    expect(await live.exited).toBe(0);
    const r = report(out);
    expect(r.totals.records).toBe(BASE_RECORDS + BURST_RECORDS);
    expect(r.levels.ERROR).toBe(BASE_ERRORS + BURST_ERRORS);
  }, 30_000);

  it('without --json: a line for the incident when it opens, and the summary at the end', async () => {
    const live = new Live(['-']);
    const stdout: string[] = [];
    live.child.stdout.removeAllListeners('data');
    live.child.stdout.on('data', (s: string) => stdout.push(s));
    live.child.stdin.end(baseLog() + burstLog());
    expect(await live.exited).toBe(0);
    const text = stdout.join('');
    expect(text).toMatch(
      /^incident open {4}2025-03-14T09:\d\d:00\.000Z {2}errors {2}severity [\d.]+ {2}order-service: "Timeout calling db after <\*> ms" ×120/m,
    );
    expect(text).toContain(`Records     ${(BASE_RECORDS + BURST_RECORDS).toLocaleString('en-US')} from`);
  }, 30_000);

  it('--json alone is a usage error; --follow takes one file', async () => {
    const a = new Live([join(dir, 'x.log'), '--json']);
    expect(await a.exited).toBe(2);
    expect(a.stderr).toContain('--json goes with --follow or -');
    const b = new Live(['--follow', 'a.log', 'b.log']);
    expect(await b.exited).toBe(2);
  }, 30_000);
});
