/**
 * Writes the sample log: `npm run gen -- --size 200MB --out sample.log [--seed 42] [--span 24h] [--truth truth.json]
 * [--realistic [--ascii]]`. The same generator as the page's "Try a sample"; --realistic is the benchmarks' log
 * (10 % errors with 5–30-line stack traces, 0.1 % of records with a non-ASCII name, many templates), --ascii its
 * pure-ASCII twin. --truth writes the counts the generator made, for checks. Streams to disk: any size fits.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateSample, REALISTIC, type SampleOptions } from '../src/engine/sample.ts';
import { parseSize } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10MB' },
    out: { type: 'string' },
    seed: { type: 'string', default: '42' },
    span: { type: 'string', default: '24h' },
    truth: { type: 'string' },
    realistic: { type: 'boolean', default: false },
    ascii: { type: 'boolean', default: false },
  },
});

/** The generator's options for --realistic / --ascii (none: the page's sample). */
export function genOptions(realistic: boolean, ascii: boolean): Partial<SampleOptions> {
  if (!realistic) return {};
  return ascii ? { ...REALISTIC, nonAscii: false } : { ...REALISTIC };
}

function parseSpan(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(s.trim());
  if (!m) throw new Error(`--span: expected a duration such as 30m, 6h or 2d, got "${s}"`);
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

async function main(): Promise<void> {
  if (!values.out) throw new Error('--out: where to write the log, e.g. --out sample.log');
  const bytes = parseSize(values.size);
  const out = createWriteStream(values.out);
  if (values.ascii && !values.realistic)
    throw new Error('--ascii: only with --realistic (the sample is ASCII)');
  const gen = generateSample({
    bytes,
    seed: Number(values.seed),
    spanMs: parseSpan(values.span),
    ...genOptions(values.realistic, values.ascii),
  });
  let step = gen.next();
  while (!step.done) {
    if (!out.write(step.value)) await once(out, 'drain');
    step = gen.next();
  }
  out.end();
  await once(out, 'finish');
  const truth = step.value;
  if (values.truth) await writeFile(values.truth, JSON.stringify(truth, null, 2));
  console.log(
    `wrote ${values.out}: ${(truth.bytes / 1e6).toFixed(1)} MB, ${truth.records} records, ${truth.lines} lines`,
  );
}

main().catch((e: unknown) => {
  console.error(`gen: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
