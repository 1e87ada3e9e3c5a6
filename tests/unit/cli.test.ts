import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText, jsonText, safe } from '../../src/cli/terminal-text.ts';

// The real command line in its own process: exit codes, stdout and stderr as a user sees them.
const ROOT = resolve(import.meta.dirname, '../..');
const ESC = '\x1b';
const BEL = '\x07';
const RLO = '\u202e';
const HOSTILE = `a${ESC}[31m.log`; // a file name that would turn the terminal red
let dir: string;

/** Runs the command line; the tests run side by side, each in its own process. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
const at = (name: string): string => join(dir, name);
/** No character a terminal would act on: C0 but the line feed, DEL, C1, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loglens-cli-'));
  writeFileSync(
    at(HOSTILE),
    `2024-01-01T00:00:00Z ERROR svc${ESC}[2J: boom ${ESC}]0;TITLE${BEL} done\n` +
      `2024-01-01T00:00:01Z INFO ${RLO}evil: fine\n`,
  );
  writeFileSync(
    at('ok.log'),
    '2024-01-01T00:00:00Z INFO api: started\n2024-01-01T00:00:05Z ERROR api: failed\n',
  );
  writeFileSync(at('bin.log'), Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0, 0x0a]));
  writeFileSync(at('empty.log'), '');
  mkdirSync(at('a-folder'));
  writeFileSync(
    at('cfg.json'),
    JSON.stringify({
      schema: 'loglens.config/1',
      sequences: [
        { name: `up${ESC}]0;T${BEL}`, steps: [{ contains: 'boom' }, { contains: 'fine' }], maxGapSec: 60 },
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('terminal text', () => {
  it('escapes controls and bidi marks as a string literal would, a tab as a space', () => {
    expect(escapeText(`a${ESC}]0;T${BEL}b\tc\r\nd\u007f\u009b${RLO}\u2066e`)).toBe(
      'a\\x1b]0;T\\x07b c\\x0d\\x0ad\\x7f\\x9b\\u202e\\u2066e',
    );
    expect(escapeText('plain, ünïcödé → ok')).toBe('plain, ünïcödé → ok');
    expect(safe`ours\n${`theirs${ESC}\n`}`).toBe('ours\ntheirs\\x1b\\x0a');
  });

  it('writes JSON with no raw control or bidi character, which parses back to the same values', () => {
    const value = { name: `x${ESC}[2J\u009b${RLO}\u007f`, n: [1, 2] };
    const text = jsonText(value);
    expect(text).not.toMatch(RAW);
    expect(text).toContain('"x\\u001b[2J\\u009b\\u202e\\u007f"');
    expect(JSON.parse(text)).toEqual(value);
  });
});

// each test spawns Node with tsx: seconds, not milliseconds, on a busy machine
describe.concurrent('command line', { timeout: 30_000 }, () => {
  it('prints log text, file names and config names escaped, never raw', async () => {
    const r = await cli(at(HOSTILE), '--config', at('cfg.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stderr).not.toMatch(RAW);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Loglens report — a\\x1b[31m.log');
    expect(lines).toContain(
      '  a\\x1b[31m.log: 97 bytes, 2 records, ISO time, level, service, message (100 % of sampled lines)',
    );
    expect(lines).toContain('  svc\\x1b[2J:                             1 records          1 errors');
    expect(lines).toContain('  \\u202eevil:                             1 records          0 errors');
    expect(lines).toContain('  up\\x1b]0;T\\x07: 1 match, first 2024-01-01T00:00:01.000Z, median 1.0 s');
  });

  it('with --out -, writes the JSON with its controls as \\u escapes', async () => {
    const r = await cli(at(HOSTILE), '--out', '-');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    const report = JSON.parse(r.stdout) as { files: { name: string }[]; services: { name: string }[] };
    expect(report.files[0]!.name).toBe(HOSTILE);
    expect(report.services.map((s) => s.name)).toEqual([`svc${ESC}[2J:`, `${RLO}evil:`]);
  });

  it('with --out -, writes a report larger than a pipe buffer whole', async () => {
    // 20,000 services make a report of ~750 KB; the process used to exit with only the first 64 KiB written
    const lines = Array.from({ length: 20_000 }, (_, i) => `2024-01-01T00:00:00Z INFO svc${i}: hello\n`);
    writeFileSync(at('services.log'), lines.join(''));
    const r = await cli(at('services.log'), '--out', '-');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    expect((JSON.parse(r.stdout) as { totals: { records: number } }).totals.records).toBe(20_000);
  });

  it('keeps the record export exact: it is a data file, not terminal output', async () => {
    const r = await cli(at(HOSTILE), '--records', at('records.csv'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(at('records.csv'), 'utf8')).toContain(`,boom ${ESC}]0;TITLE${BEL} done,`);
  });

  it('fails on a missing output folder before reading anything: one line, exit 2, nothing written', async () => {
    const out = at('no-such-folder/report.json');
    // bin.log is not read: reading it would print why it is not a text log
    const r = await cli(at('bin.log'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`analyze: --out ${out}: the folder ${at('no-such-folder')} does not exist\n`);
    expect(existsSync(at('no-such-folder'))).toBe(false);
  });

  it('refuses an output that is a folder, an input, or given twice, each in one line with exit 2', async () => {
    const runs = await Promise.all([
      cli(at('ok.log'), '--templates', at('a-folder')),
      cli(at('ok.log'), '--records', at('records.txt')),
      cli(at('ok.log'), '--out', at('ok.log')),
      cli(at('ok.log'), '--out', at('same.csv'), '--templates', at('same.csv')),
    ]);
    expect(runs).toEqual(
      [
        `--templates ${at('a-folder')}: is a folder`,
        `--records ${at('records.txt')}: the name must end in .csv or .jsonl`,
        `--out ${at('ok.log')}: is one of the input files`,
        `--templates ${at('same.csv')}: also given to --out`,
      ].map((line) => ({ code: 2, stdout: '', stderr: `analyze: ${line}\n` })),
    );
    expect(readFileSync(at('ok.log'), 'utf8')).toContain('api: failed');
  });

  it('analyzes the other files when one is missing or a folder, reports them, and exits 1', async () => {
    const missing = at(`gone${ESC}[2J.log`);
    const r = await cli(missing, at('ok.log'), at('a-folder'), '--out', at('r.json'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `analyze: ${at('gone\\x1b[2J.log')}: no such file\n` +
        `analyze: ${at('a-folder')}: is a folder (name the files in it, e.g. folder/*.log)\n`,
    );
    const report = JSON.parse(readFileSync(at('r.json'), 'utf8')) as {
      files: { name: string; records: number; error: string | null }[];
      totals: { records: number };
    };
    expect(report.files.map((f) => [f.name, f.records, f.error])).toEqual([
      ['ok.log', 2, null],
      [`gone${ESC}[2J.log`, 0, 'Not read: no such file. Nothing of it was analyzed.'],
      [
        'a-folder',
        0,
        'Not read: is a folder (name the files in it, e.g. folder/*.log). Nothing of it was analyzed.',
      ],
    ]);
    expect(report.totals.records).toBe(2);
  });

  it('with --out, says on stderr why a binary file was not read, and notes an empty one', async () => {
    const r = await cli(at('bin.log'), at('empty.log'), at('ok.log'), '--out', at('r2.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'analyze: bin.log: This is not a text log: 56 % of its first 9 bytes are control bytes or invalid UTF-8, as in binary files. Nothing was analyzed.',
      'analyze: empty.log: note: The file is empty: there is nothing to analyze.',
      `wrote ${at('r2.json')}`,
      '',
    ]);
  });

  it('notes a truncated .gz on stderr, analyzed up to the damage: exit 0', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `2024-01-01T00:00:00Z INFO api: request ${i}\n`);
    const gz = gzipSync(lines.join(''));
    writeFileSync(at('cut.log.gz'), gz.subarray(0, gz.length >> 1));
    const r = await cli(at('cut.log.gz'), '--out', at('r3.json'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^analyze: cut\.log\.gz: note: The gzip data is truncated or corrupt \(unexpected end of file\); the [\d.]+ KiB decompressed before that were analyzed\.\n$/,
    );
  });

  it.runIf(existsSync('/dev/full'))(
    'says in one line when an output fails while written: exit 2',
    async () => {
      // /dev/full passes every check and then fails each write with ENOSPC, like a full disk
      expect(await cli(at('ok.log'), '--out', '/dev/full', '--quiet')).toEqual({
        code: 2,
        stdout: '',
        stderr: 'analyze: cannot write /dev/full: no space left on the device\n',
      });
    },
  );

  it('says in one line why a config cannot be read, a line per error when invalid: exit 2', async () => {
    expect(await cli(at('ok.log'), '--config', at('nope.json'))).toEqual({
      code: 2,
      stdout: '',
      stderr: `analyze: cannot read the config ${at('nope.json')}: no such file\n`,
    });
    writeFileSync(at('bad.json'), '{"maxLineBytes": 5}');
    const r = await cli(at('ok.log'), '--config', at('bad.json'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`analyze: the config ${at('bad.json')} is not valid:`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
