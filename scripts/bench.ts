/**
 * `npm run bench [-- --size 1GB|4GB] [--ascii | --sample | --file path] [--runs 3] [--skip-gzip] [--custom]
 * [--where QUERY [--where-only]]`: the
 * engine's throughput in Node, one thread, on issue 9's realistic log by default (--ascii its pure-ASCII twin,
 * --sample `npm run gen`'s log), beside the floor measured in the same run on the same file — the same stream,
 * counting newline bytes — and their ratio; then bare (neither detectors nor templates), the same file gzipped,
 * and the CLI's `--threads N` (threads are used from 256 MiB of input). `--where`: a query's view, on the fast read path and
 * on the slow one (`--where-only`: the floor, the full engine and these rows only). Medians
 * with min–max. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { analyze, type WholeFile } from '../src/engine/analyze.ts';
import type { Analysis } from '../src/engine/analysis.ts';
import type { Snapshot } from '../src/engine/types.ts';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../src/engine/config.ts';
import { fileInput } from '../src/cli/node-input.ts';
import { benchFile, fmt, gzipOf, kindOf } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    file: { type: 'string' },
    ascii: { type: 'boolean', default: false },
    sample: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'skip-gzip': { type: 'boolean', default: false },
    /** worker threads for the CLI row (the CLI uses them from 256 MiB of input) */
    threads: { type: 'string', default: String(cpus().length) },
    /** also time a custom format (a user's regex) on the proven-safe native path and on the linear engine */
    custom: { type: 'boolean', default: false },
    /** a query (docs/query.md): time its view, with and without the text-search fast path */
    where: { type: 'string' },
    'where-only': { type: 'boolean', default: false },
  },
});

/**
 * The generator's lines as a user's custom format: the same regex twice, as written (proven safe, so it runs
 * natively) and with `.*` wrapped as `(?:.*)*` — the same language, but unprovable, so it runs on re2js.
 */
const CUSTOM = String.raw`^(?<time>\S+) (?<level>[A-Z]+) (?<service>\S+) (?<message>MSG)$`;
function customConfig(message: string): Config {
  const r = parseConfig({
    format: 'custom:bench',
    customFormats: [{ name: 'bench', regex: CUSTOM.replace('MSG', message), time: 'iso' }],
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

async function customRun(path: string, config: Config): Promise<number> {
  const input = await fileInput(path);
  const t0 = performance.now();
  await analyze([input], config, { detectors: false, templates: false });
  return performance.now() - t0;
}

async function floor(path: string): Promise<{ ms: number; newlines: number }> {
  const input = await fileInput(path);
  const t0 = performance.now();
  const reader = input.stream().getReader();
  let newlines = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    const b = r.value;
    let p = b.indexOf(10);
    while (p !== -1) {
      newlines++;
      p = b.indexOf(10, p + 1);
    }
  }
  return { ms: performance.now() - t0, newlines };
}

async function engine(
  path: string,
  detectors: boolean,
  templates: boolean,
  where?: { query: string; whole?: WholeFile },
  keep?: (w: WholeFile) => void,
): Promise<{ ms: number; records: number; bytes: number; snap: Snapshot }> {
  const input = await fileInput(path);
  const t0 = performance.now();
  let kept: Analysis | null = null;
  const s = await analyze([input], DEFAULT_CONFIG, {
    detectors,
    templates,
    ...(where ? { where: where.query, ...(where.whole ? { wholeFile: where.whole } : {}) } : {}),
    ...(keep ? { keep: (a: Analysis) => (kept = a) } : {}),
  });
  const ms = performance.now() - t0;
  if (keep && kept !== null) keep({ miner: (kept as Analysis).templates, snapshot: s });
  return { ms, records: s.totals.records, bytes: s.view?.bytesRead ?? s.totals.bytes, snap: s };
}

/** The CLI's wall time (tsx's start-up included) and its report without the timing fields. */
async function cliRun(path: string, threads: string, out: string): Promise<{ ms: number; report: string }> {
  const t0 = performance.now();
  execFileSync('npx', ['tsx', 'src/cli/main.ts', path, '--threads', threads, '--out', out, '--quiet'], {
    stdio: 'inherit',
  });
  const ms = performance.now() - t0;
  const report = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
  delete report.analysis;
  delete report.generatedAt;
  return { ms, report: JSON.stringify(report) };
}

async function main(): Promise<void> {
  const path = values.file ?? (await benchFile(kindOf(values), values.size));
  // the floor reads the file as it is: on a .gz it would time compressed bytes
  if (path.endsWith('.gz'))
    throw new Error('--file: give the plain log; the bench gzips it and measures both');
  const where = values.where ?? null;
  const only = where !== null && values['where-only'];
  const gz = values['skip-gzip'] || only ? null : await gzipOf(path);
  const threads = only ? '' : values.threads;
  const runs = Math.max(1, Number(values.runs));
  const rows = {
    floor: [] as number[],
    full: [] as number[],
    noDetectors: [] as number[],
    bare: [] as number[],
    gz: [] as number[],
    one: [] as number[],
    many: [] as number[],
    where: [] as number[],
    whereSlow: [] as number[],
  };
  let matched = 0;
  let records = 0;
  let bytes = 0;
  let newlines = 0;
  let sameReport = true;
  let sameView = true;
  for (let i = 0; i < runs; i++) {
    // Every row once per run, in the same order: the shared machine's load hits them alike.
    const f = await floor(path);
    let whole: WholeFile | null = null;
    const e = await engine(path, true, true, undefined, where === null ? undefined : (w) => (whole = w));
    rows.floor.push(f.ms);
    rows.full.push(e.ms);
    if (where !== null) {
      const w = await engine(path, true, true, { query: where, whole: whole! });
      rows.where.push(w.ms);
      matched = w.records;
      const slow = await engine(path, true, true, { query: where });
      rows.whereSlow.push(slow.ms);
      const plain = (x: Snapshot): string => JSON.stringify({ ...x, progress: null });
      sameView &&= plain(w.snap) === plain(slow.snap);
    }
    if (!only) {
      rows.noDetectors.push((await engine(path, false, true)).ms);
      rows.bare.push((await engine(path, false, false)).ms);
    }
    if (gz) rows.gz.push((await engine(gz, true, true)).ms);
    if (threads) {
      const one = await cliRun(path, '1', 'tmp/bench-threads-1.json');
      const many = await cliRun(path, threads, `tmp/bench-threads-${threads}.json`);
      rows.one.push(one.ms);
      rows.many.push(many.ms);
      sameReport &&= one.report === many.report;
    }
    records = e.records;
    bytes = e.bytes;
    newlines = f.newlines;
    process.stdout.write(`run ${i + 1}/${runs} done\n`);
  }
  await rm('tmp/bench-threads-1.json', { force: true });
  const mb = bytes / 1e6;
  const mbs = (ms: number[]): number[] => ms.map((x) => mb / (x / 1000));
  // each run's row against that run's floor: the ratio survives the load the other work puts on the machine
  const ratio = (ms: number[], of: number[] = rows.floor): string =>
    fmt(
      ms.map((x, i) => of[i]! / x),
      2,
    );
  const pad = (s: string): string => s.padEnd(18);
  console.log(`file              ${path} (${mb.toFixed(1)} MB, ${newlines.toLocaleString('en-US')} lines)`);
  console.log(`runtime           Node ${process.version}; ${runs} runs: median (min–max)`);
  console.log(`${pad('floor')}${fmt(mbs(rows.floor))} MB/s  (read the same stream, count newline bytes)`);
  console.log(
    `${pad('engine, 1 thread')}${fmt(mbs(rows.full))} MB/s, ${fmt(
      rows.full.map((ms) => records / ms / 1e3),
      2,
    )} M records/s (${records.toLocaleString('en-US')} records); ratio ${ratio(rows.full)} of the floor`,
  );
  if (where !== null) {
    console.log(
      `${pad('--where')}${fmt(mbs(rows.where))} MB/s; ratio ${ratio(rows.where)} of the floor: the view of ${JSON.stringify(where)} (${matched.toLocaleString('en-US')} records), the fast read path (the whole file's analysis given); equal to the slow path's: ${sameView ? 'yes' : 'NO'}`,
    );
    console.log(
      `${pad('--where, slow')}${fmt(mbs(rows.whereSlow))} MB/s; ratio ${ratio(rows.whereSlow)}: the same view, every record parsed, mined and matched`,
    );
  }
  if (!only)
    console.log(
      `${pad('no detectors')}${fmt(mbs(rows.noDetectors))} MB/s; ratio ${ratio(rows.noDetectors)}: templates on, spikes, anomalies and sequences off`,
    );
  if (!only)
    console.log(
      `${pad('bare')}${fmt(mbs(rows.bare))} MB/s; ratio ${ratio(rows.bare)}: neither detectors nor templates`,
    );
  if (gz)
    console.log(
      `${pad('gzip')}${fmt(mbs(rows.gz))} MB/s of decompressed bytes; ${ratio(rows.gz, rows.full)} of the plain run's speed`,
    );
  if (threads)
    console.log(
      `${pad(`CLI --threads ${threads}`)}${fmt(mbs(rows.many))} MB/s; ${ratio(rows.many, rows.one)}× the CLI's --threads 1 (${fmt(mbs(rows.one))} MB/s; wall time with tsx's start-up); reports ${sameReport ? 'equal' : 'DIFFER'}`,
    );
  else console.log(`${pad('CLI --threads')}not in this checkout's CLI yet`);
  console.log(
    `${pad('peak RSS')}${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (this process, over all rows)`,
  );
  if (values.custom) {
    const native = customConfig('.*');
    const linear = customConfig('(?:.*)*');
    const n: number[] = [];
    const l: number[] = [];
    for (let i = 0; i < runs; i++) {
      n.push(await customRun(path, native));
      l.push(await customRun(path, linear));
    }
    console.log(`custom format, bare: a user's regex on the same lines`);
    console.log(`  native        ${fmt(mbs(n))} MB/s  proven free of catastrophic backtracking: V8's engine`);
    console.log(
      `  linear        ${fmt(mbs(l))} MB/s  not proven: re2js; ${fmt(
        l.map((x, i) => x / n[i]!),
        1,
      )}× the native time`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
