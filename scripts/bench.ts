/**
 * `npm run bench [-- --size 200MB --file path --runs 3]`: the engine's throughput in Node on a generated
 * file, beside the floor measured in the same run on the same file — reading it through the same stream and
 * counting newline bytes — and their ratio. Prints figures; asserts nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { analyze } from '../src/engine/analyze.ts';
import { DEFAULT_CONFIG, parseConfig, type Config } from '../src/engine/config.ts';
import { fileInput } from '../src/cli/node-input.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '200MB' },
    file: { type: 'string' },
    runs: { type: 'string', default: '3' },
    /** also time a custom format (a user's regex) on the proven-safe native path and on the linear engine */
    custom: { type: 'boolean', default: false },
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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
): Promise<{ ms: number; records: number; bytes: number }> {
  const input = await fileInput(path);
  const t0 = performance.now();
  const s = await analyze([input], DEFAULT_CONFIG, { detectors, templates });
  return { ms: performance.now() - t0, records: s.totals.records, bytes: s.totals.bytes };
}

async function main(): Promise<void> {
  let path = values.file;
  if (!path) {
    await mkdir('tmp', { recursive: true });
    path = `tmp/bench-${values.size}.log`;
    if (!existsSync(path)) {
      console.log(`generating ${path} …`);
      execFileSync('npx', ['tsx', 'scripts/gen.ts', '--size', values.size, '--out', path], {
        stdio: 'inherit',
      });
    }
  }
  const runs = Math.max(1, Number(values.runs));
  const best = { floor: Infinity, engine: Infinity, noDetectors: Infinity, bare: Infinity };
  let records = 0;
  let bytes = 0;
  let newlines = 0;
  for (let i = 0; i < runs; i++) {
    const f = await floor(path);
    const e = await engine(path, true, true);
    const noDetectors = await engine(path, false, true);
    best.noDetectors = Math.min(best.noDetectors, noDetectors.ms);
    const bare = await engine(path, false, false);
    best.floor = Math.min(best.floor, f.ms);
    best.engine = Math.min(best.engine, e.ms);
    best.bare = Math.min(best.bare, bare.ms);
    records = e.records;
    bytes = e.bytes;
    newlines = f.newlines;
  }
  const mb = bytes / 1e6;
  const floorMBs = mb / (best.floor / 1000);
  const engineMBs = mb / (best.engine / 1000);
  console.log(`file          ${path} (${mb.toFixed(1)} MB, ${newlines.toLocaleString('en-US')} lines)`);
  console.log(`runtime       Node ${process.version}, best of ${runs}`);
  console.log(
    `floor         ${floorMBs.toFixed(0)} MB/s  (read the same stream, count newline bytes: ${best.floor.toFixed(0)} ms)`,
  );
  console.log(
    `engine        ${engineMBs.toFixed(0)} MB/s, ${(((records / best.engine) * 1000) / 1e6).toFixed(2)} M records/s  (${best.engine.toFixed(0)} ms, ${records.toLocaleString('en-US')} records)`,
  );
  console.log(`ratio         ${(engineMBs / floorMBs).toFixed(2)} of the floor`);
  const bareMBs = mb / (best.bare / 1000);
  console.log(
    `no detectors  ${(mb / (best.noDetectors / 1000)).toFixed(0)} MB/s (${best.noDetectors.toFixed(0)} ms): templates on; spikes, anomalies and the default sequences cost ${(100 * (1 - best.noDetectors / best.engine)).toFixed(0)} % of the full run`,
  );
  console.log(
    `bare          ${bareMBs.toFixed(0)} MB/s (${best.bare.toFixed(0)} ms): neither detectors nor templates; template mining costs ${(100 * (1 - best.bare / best.noDetectors)).toFixed(0)} % of the run without detectors`,
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
    const at = (ms: number): string => `${(mb / (ms / 1000)).toFixed(0)} MB/s (${ms.toFixed(0)} ms)`;
    console.log(`custom format, bare, median of ${runs}: a user's regex on the same lines`);
    console.log(`  native      ${at(median(n))}  proven free of catastrophic backtracking: V8's engine`);
    console.log(
      `  linear      ${at(median(l))}  not proven: re2js; ${(median(l) / median(n)).toFixed(1)}× the native time`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
