/**
 * The engine from the command line, the same code path as the page:
 *   npm run analyze -- <file...> [--config cfg.json] [--out report.json]
 * Without --out it prints a readable summary. Exit codes: 0 done, 1 analysis problems (a file not read),
 * 2 bad usage or config.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Analysis } from '../engine/analysis.ts';
import { exportRecords, templatesCsv } from '../engine/export.ts';
import { parseArgs } from 'node:util';
import { analyze } from '../engine/analyze.ts';
import { DEFAULT_CONFIG, parseConfigText, type Config } from '../engine/config.ts';
import { buildReport } from '../engine/report.ts';
import { summaryText } from '../engine/summary.ts';
import { fileInput } from './node-input.ts';

const USAGE = `usage: npm run analyze -- <file...> [--config cfg.json] [--out report.json] [--records out.csv|out.jsonl] [--templates t.csv]

  <file...>        log files to analyze together (plain or .gz; rotated sets are read oldest first)
  --config FILE    a loglens.config/1 document (see docs/config.md)
  --out FILE       write the loglens.report/1 JSON there (- for standard output)
  --records FILE   write every record, one row each, as CSV (.csv) or JSON Lines (.jsonl)
  --templates FILE write the message templates as CSV
  --quiet          no progress on standard error`;

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
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`analyze: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`analyze: no file given\n\n${USAGE}`);
    return 2;
  }
  let config: Config = DEFAULT_CONFIG;
  if (values.config) {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch (e) {
      console.error(`analyze: cannot read the config ${values.config}: ${(e as Error).message}`);
      return 2;
    }
    const result = parseConfigText(text);
    if (!result.ok) {
      console.error(`analyze: the config ${values.config} is not valid:\n  ${result.errors.join('\n  ')}`);
      return 2;
    }
    config = result.config;
  }
  const inputs = [];
  for (const p of positionals) {
    try {
      inputs.push(await fileInput(p));
    } catch (e) {
      console.error(
        `analyze: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `${p}: no such file` : (e as Error).message}`,
      );
      return 2;
    }
  }
  if (values.records && !/\.(csv|jsonl)$/i.test(values.records)) {
    console.error(`analyze: --records ${values.records}: the name must end in .csv or .jsonl`);
    return 2;
  }
  const tty = process.stderr.isTTY && !values.quiet;
  let kept: Analysis | null = null;
  const snapshot = await analyze(inputs, config, {
    keep: (a) => (kept = a),
    onSnapshot: tty
      ? (s) => {
          const p = s.progress;
          const pct = p.totalBytes > 0 ? ((100 * p.bytesRead) / p.totalBytes).toFixed(0) : '?';
          process.stderr.write(`\r${pct}%  ${p.records.toLocaleString('en-US')} records  `);
        }
      : undefined,
  });
  if (tty) process.stderr.write('\r\x1b[K');
  const report = buildReport(snapshot, config);
  if (values.out) {
    const json = JSON.stringify(report, null, 2) + '\n';
    if (values.out === '-') process.stdout.write(json);
    else await writeFile(values.out, json);
    if (values.out !== '-' && !values.quiet) console.error(`wrote ${values.out}`);
  } else {
    process.stdout.write(summaryText(report) + '\n');
  }
  const analysis = kept as Analysis | null;
  if (values.templates && analysis) {
    await writeFile(values.templates, templatesCsv(analysis.templates.snapshot().templates));
    if (!values.quiet) console.error(`wrote ${values.templates}`);
  }
  if (values.records && analysis) {
    // A second pass over the files, written in 1 MiB chunks: memory stays flat whatever the size.
    const kind = values.records.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
    const fd = openSync(values.records, 'w');
    try {
      const n = await exportRecords(
        await Promise.all(positionals.map((p) => fileInput(p))),
        config,
        kind,
        analysis.templates,
        (chunk) => writeSync(fd, chunk),
      );
      if (!values.quiet) console.error(`wrote ${values.records}: ${n} records`);
    } finally {
      closeSync(fd);
    }
  }
  return snapshot.files.some((f) => f.error !== null) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`analyze: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
