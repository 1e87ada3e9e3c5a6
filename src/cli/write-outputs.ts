import { writeFile } from 'node:fs/promises';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Analysis } from '../engine/analysis.ts';
import type { Config } from '../engine/config.ts';
import type { ByteInput } from '../engine/ingest/source.ts';
import { exportRecords, templatesCsv } from '../engine/export.ts';
import type { Report } from '../engine/report.ts';
import { summaryText } from '../engine/summary.ts';
import { fsReason } from './node-input.ts';
import { escapeDeep, jsonText, print, safe, warn, type Safe } from './terminal-text.ts';

export type OutputFlags = {
  out?: string | undefined;
  records?: string;
  templates?: string;
  quiet?: boolean;
  /** false: no summary on standard output without --out (--lines prints the lines there instead) */
  summary?: boolean;
};

/** The summary or the report, then the exports; false (after saying why) when a write fails. */
export async function writeOutputs(
  values: OutputFlags,
  report: Report,
  analysis: Analysis | null,
  inputs: readonly ByteInput[],
  config: Config,
): Promise<boolean> {
  const wrote = (file: string, what = ''): void => {
    if (!values.quiet) warn(safe`wrote ${file}${what}`);
  };
  const out = values.out;
  if (!out) {
    // every string of the report escaped, so nothing the summary takes from it reaches the terminal raw;
    // none when standard output holds the lines (--lines)
    if (values.summary !== false) print(summaryText(escapeDeep(report)) as Safe);
  } else if (out === '-') {
    print(jsonText(report));
  } else {
    if (!(await writeTo(out, () => writeFile(out, jsonText(report) + '\n')))) return false;
    wrote(out);
  }
  const templates = values.templates;
  if (templates && analysis) {
    const csv = templatesCsv(analysis.templates.snapshot().templates);
    if (!(await writeTo(templates, () => writeFile(templates, csv)))) return false;
    wrote(templates);
  }
  const records = values.records;
  if (records && analysis) {
    // A second pass over the files, written in 1 MiB chunks: memory stays flat whatever the size.
    const kind = records.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
    let n = 0;
    const ok = await writeTo(records, async () => {
      const fd = openSync(records, 'w');
      try {
        // the record exports are data files: their content is the log's, exactly
        // a view's (--where) records only
        n = await exportRecords(
          inputs,
          config,
          kind,
          analysis.templates,
          (chunk) => writeSync(fd, chunk),
          analysis.view?.query ?? '',
        );
      } finally {
        closeSync(fd);
      }
    });
    if (!ok) return false;
    wrote(records, `: ${n} records`);
  }
  return true;
}

/** Runs a write; a file-system error (a full disk, a folder removed meanwhile) is one line, not a stack trace. */
async function writeTo(path: string | undefined, write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    warn(safe`analyze: cannot write ${path ?? 'the output'}: ${fsReason(e)}`);
    return false;
  }
}
