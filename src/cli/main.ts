/**
 * The engine from the command line, the same code path as the page:
 *   npm run analyze -- <file...> [--config cfg.json] [--out report.json] [--where QUERY [--lines]]
 *     [--what-changed START..END] [--what-changed START..END]
 * Without --out it prints a readable summary. Exit codes (README "Command line"): 0 every file read, 1 some file
 * not read (the others analyzed), 2 bad usage, an invalid config or an unwritable output, 3 a bug.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Analysis } from '../engine/analysis.ts';
import type { FileSummary, LogRecord } from '../engine/types.ts';
import { parseQuery } from '../engine/query/index.ts';
import { orderRotated } from '../engine/ingest/rotation.ts';
import { RecordRanges, writeRanges } from './lines-output.ts';
import { whatChangedIn, type TimeWindow } from '../engine/what-changed.ts';
import { parseQueryTime } from '../engine/query/time.ts';
import { openAsBlob } from 'node:fs';
import { DEFAULT_CONFIG, parseConfigText, type Config } from '../engine/config.ts';
import { buildReport } from '../engine/report.ts';
import { unreadSummary } from '../engine/analyze.ts';
import { fsReason, openInput, type DiskInput } from './node-input.ts';
import { outputsWritable } from './output-paths.ts';
import { print, safe, status, warn } from './terminal-text.ts';
import { analyzeThreaded } from './threads.ts';
import { writeOutputs } from './write-outputs.ts';
import { runLive } from './live.ts';

const USAGE = safe`usage: npm run analyze -- <file...> [--config cfg.json] [--out report.json] [--records out.csv|out.jsonl] [--templates t.csv] [--threads N] [--where QUERY [--lines]] [--what-changed START..END]

  <file...>        log files to analyze together (plain or .gz; rotated sets are read oldest first)
  --config FILE    a loglens.config/1 document (see docs/config.md)
  --out FILE       write the loglens.report/1 JSON there (- for standard output)
  --records FILE   write every record, one row each, as CSV (.csv) or JSON Lines (.jsonl)
  --templates FILE write the message templates as CSV
  --threads N      read on N threads (default: the number of cores); big plain files are read in slices,
                   several files side by side, and the report is the same; 1 reads on this thread alone
  --quiet          no progress or "wrote" lines on standard error (why a file was not read still is)
  --where QUERY    analyze only the records the query matches (docs/query.md), e.g. 'level:ERROR "timeout"';
                   the report says so in "view"; a query that does not parse: exit code 2, with where and why
  --lines          with --where: print the matching records' raw lines (all their lines, in file order) to
                   standard output instead of the summary (read on one thread)
  --what-changed START..END
                   print, as JSON, what changed in that time range against the same length before it
                   (docs/what-changed.md) instead of the summary, e.g. 2025-03-14T00:48:00Z..2025-03-14T00:51:00Z
  -f, --follow     follow the one file as it grows (as tail -F; a truncated or replaced file is followed anew):
                   a live status line, and a line for each incident when it opens and when it closes;
                   Ctrl-C ends it (and writes --out); docs/live.md
  -                read standard input as it comes (kubectl logs -f pod | npm run analyze -- -), as --follow
  --json           with --follow or -: one JSON object per event on standard output
                   ({"type":"incident","state":"open",…}, {"type":"status",…})

exit codes: 0 every file read, 1 some file not read (the others analyzed), 2 bad usage, config or output
path, 3 a bug in Loglens`;

const OK = 0;
const NOT_READ = 1;
const USAGE_ERROR = 2;
const BUG = 3;

/** A file that could not even be opened: it is reported, and the others are analyzed. */
interface NotRead {
  path: string;
  reason: string;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        records: { type: 'string' },
        templates: { type: 'string' },
        threads: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        where: { type: 'string' },
        lines: { type: 'boolean', default: false },
        'what-changed': { type: 'string' },
        follow: { type: 'boolean', short: 'f', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    warn(safe`analyze: ${(e as Error).message}\n`);
    warn(USAGE);
    return USAGE_ERROR;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(USAGE);
    return OK;
  }
  if (positionals.length === 0) {
    warn(safe`analyze: no file given\n`);
    warn(USAGE);
    return USAGE_ERROR;
  }
  const live = values.follow || positionals.includes('-');
  if (live) return mainLive(values, positionals);
  if (values.json) {
    warn(safe`analyze: --json goes with --follow or - (the report itself is JSON: --out)`);
    return USAGE_ERROR;
  }
  if (values.records && !/\.(csv|jsonl)$/i.test(values.records)) {
    warn(safe`analyze: --records ${values.records}: the name must end in .csv or .jsonl`);
    return USAGE_ERROR;
  }
  const where = values.where ?? '';
  const query = parseQuery(where);
  if (!query.ok) {
    warn(safe`analyze: --where: ${query.error.message}`);
    warn(safe`  ${where}`);
    warn(safe`  ${' '.repeat(query.error.at)}^`);
    return USAGE_ERROR;
  }
  if (values.lines && values.out === '-') {
    warn(safe`analyze: --lines prints the lines to standard output: give --out a file name`);
    return USAGE_ERROR;
  }
  let window: TimeWindow | null = null;
  if (values['what-changed'] !== undefined) {
    const [a = '', b = '', ...more] = values['what-changed'].split('..');
    const w = { start: parseQueryTime(a), end: parseQueryTime(b) };
    if (more.length > 0 || !(w.end > w.start)) {
      warn(
        safe`analyze: --what-changed ${values['what-changed']}: expected START..END, two ISO times, END after START`,
      );
      return USAGE_ERROR;
    }
    if (values.lines || values.out === '-') {
      warn(
        safe`analyze: --what-changed prints its ranking to standard output: no --lines, and give --out a file name`,
      );
      return USAGE_ERROR;
    }
    window = w;
  }
  const ranges = values.lines ? new RecordRanges() : null;
  const threads =
    ranges !== null ? 1 : values.threads === undefined ? availableParallelism() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    warn(safe`analyze: --threads ${values.threads ?? ''}: expected a whole number from 1 to 256`);
    return USAGE_ERROR;
  }
  const config = await readConfig(values.config);
  if (config === null) return USAGE_ERROR;
  if (!(await outputsWritable(values, positionals))) return USAGE_ERROR;

  const inputs: DiskInput[] = [];
  const notRead: NotRead[] = [];
  for (const path of positionals) {
    const input = await openInput(path);
    if (typeof input === 'string') notRead.push({ path, reason: input });
    else inputs.push(input);
  }
  for (const f of notRead) warn(safe`analyze: ${f.path}: ${f.reason}`);

  const tty = process.stderr.isTTY && !values.quiet;
  let kept: Analysis | null = null;
  let shared = false;
  const snapshot = await analyzeThreaded(inputs, config, {
    threads,
    ...(where.trim() !== '' ? { where } : {}),
    ...(ranges !== null ? { onRecord: (r: LogRecord) => ranges.add(r) } : {}),
    keep: (a) => (kept = a),
    onPlan: (plan: string) => {
      shared = true;
      if (!values.quiet) warn(safe`analyze: ${plan}`);
    },
    ...(tty
      ? {
          onProgress: (bytesRead: number, totalBytes: number, records: number) => {
            const pct = totalBytes > 0 ? ((100 * bytesRead) / totalBytes).toFixed(0) : '?';
            status(safe`\r${pct}%  ${records.toLocaleString('en-US')} records  `);
          },
        }
      : {}),
  });
  if (tty) status(safe`\r\x1b[K`);
  for (const f of snapshot.files) {
    if (f.error !== null) warn(safe`analyze: ${f.name}: ${f.error}`);
    for (const w of f.warnings) warn(safe`analyze: ${f.name}: note: ${w}`);
  }
  // the files that could not be opened stay in the report, after those that were read
  snapshot.files.push(...notRead.map(notReadSummary));
  const report = buildReport(snapshot, config);
  const analysis = kept as Analysis | null;
  // each thread fills a cap on its own before the merge: past it, a one-thread read can count differently
  if (shared && (report.caps.services.capped || report.caps.templates.capped))
    warn(
      safe`analyze: note: the ${report.caps.services.capped ? 'services' : 'templates'} cap was reached; read on several threads, what lands beyond a cap can differ from a one-thread read (--threads 1 gives the exact one-pass report)`,
    );

  if (ranges !== null) {
    // the lines instead of the summary; the report still goes to --out when asked for
    await writeRanges(orderRotated(inputs), ranges, writeStdout);
  }
  if (window !== null) {
    // the ranking instead of the summary (docs/what-changed.md); the report still goes to --out when asked for
    if (!snapshot.recordIndex) {
      warn(safe`analyze: --what-changed: the analysis kept no record index`);
      return USAGE_ERROR;
    }
    const ctx = { index: snapshot.recordIndex, formats: snapshot.files.map((f) => f.format), config };
    // the files as Blobs (read by byte range), in the analysis' order
    const blobs = await Promise.all(
      orderRotated(inputs).map(
        async (f) => new File([await openAsBlob(f.path)], f.name, { lastModified: f.lastModified }),
      ),
    );
    const changed = await whatChangedIn(blobs, ctx, { window }, analysis?.templates ?? null);
    await writeStdout(new TextEncoder().encode(JSON.stringify(changed, null, 2) + '\n'));
  }
  const outputs =
    (ranges !== null || window !== null) && !values.out
      ? { ...values, out: undefined, summary: false }
      : values;
  if (!(await writeOutputs(outputs, report, analysis, inputs, config))) return USAGE_ERROR;
  return notRead.length > 0 || snapshot.files.some((f) => f.error !== null) ? NOT_READ : OK;
}

/** --follow FILE or -: a live analysis until Ctrl-C (or the end of standard input), then --out. */
async function mainLive(
  values: { config?: string; out?: string; quiet: boolean; json: boolean } & Record<string, unknown>,
  positionals: string[],
): Promise<number> {
  const other = ['records', 'templates', 'threads', 'where', 'lines', 'what-changed'].filter(
    (k) => values[k] !== undefined && values[k] !== false,
  );
  if (positionals.length !== 1 || other.length > 0) {
    warn(
      safe`analyze: --follow and - read one file (or standard input) and take --config, --out, --json and --quiet only`,
    );
    return USAGE_ERROR;
  }
  const path = positionals[0]!;
  const config = await readConfig(values.config);
  if (config === null) return USAGE_ERROR;
  if (!(await outputsWritable({ out: values.out }, path === '-' ? [] : [path]))) return USAGE_ERROR;
  if (path !== '-') {
    const input = await openInput(path);
    // a file that is not there yet is waited for (tail -F); anything else that cannot be read is said now
    if (typeof input === 'string' && input !== 'no such file') {
      warn(safe`analyze: ${path}: ${input}`);
      return NOT_READ;
    }
  }
  const { snapshot, analysis } = await runLive(path, config, {
    json: values.json,
    statusLine: process.stderr.isTTY && !values.quiet && !values.json,
    quiet: values.quiet,
  });
  const report = buildReport(snapshot, config);
  // with --json standard output holds the events: the summary is left out
  const outputs = { out: values.out, quiet: values.quiet, summary: !values.json };
  if (!(await writeOutputs(outputs, report, analysis, [], config))) return USAGE_ERROR;
  return snapshot.files.some((f) => f.error !== null) ? NOT_READ : OK;
}

/** The config document, or DEFAULT_CONFIG; null (after saying why) when it cannot be read or is invalid. */
async function readConfig(path: string | undefined): Promise<Config | null> {
  if (!path) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    warn(safe`analyze: cannot read the config ${path}: ${fsReason(e)}`);
    return null;
  }
  const result = parseConfigText(text);
  if (!result.ok) {
    warn(safe`analyze: the config ${path} is not valid:`);
    for (const error of result.errors) warn(safe`  ${error}`);
    return null;
  }
  return result.config;
}

function notReadSummary(f: NotRead): FileSummary {
  return unreadSummary(basename(f.path), 0, `Not read: ${f.reason}. Nothing of it was analyzed.`);
}

/** Raw bytes to standard output, waiting when the pipe is full (the log's own bytes: data, not terminal text). */
function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(bytes)) done();
    else process.stdout.once('drain', done);
  });
}

// `… | head` closes standard output early: that ends the command quietly, not with an EPIPE stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(OK);
  throw e;
});

/**
 * Exits once standard output and error are flushed: to a pipe they are written asynchronously, and a bare
 * process.exit() cut a large `--out -` report at 64 KiB (a write's callback runs after those before it).
 */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (e: unknown) => {
  // a bug, not a user's mistake: the stack trace helps, escaped line by line like everything printed
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  for (const line of `analyze: internal error: ${text}`.split('\n')) warn(safe`${line}`);
  exit(BUG);
});
