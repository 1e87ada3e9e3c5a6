import type { Config } from './config.ts';
import type { LogRecord } from './types.ts';
import { analyze, type ByteInput } from './analyze.ts';
import { compileQuery, parseQuery } from './query/index.ts';

/**
 * Structured export: one row per record, written in chunks to a sink (a Blob part list in the worker, a file
 * descriptor on the command line) — never one giant string. Columns: file, line, time (ISO-8601 UTC), level,
 * service, template_id, template, message, and continuation (the joined lines of the record, e.g. a trace).
 */
export type RecordExportKind = 'csv' | 'jsonl';

export const RECORD_COLUMNS = [
  'file',
  'line',
  'time',
  'level',
  'service',
  'template_id',
  'template',
  'message',
  'continuation',
] as const;

/** What the export needs of the template miner built during the analysis. */
export interface TemplateLookup {
  match(message: string): number;
  template(id: number): string;
}

const CHUNK_CHARS = 1 << 20;

/** RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes inside. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function recordRow(kind: RecordExportKind, r: LogRecord, templates: TemplateLookup | null): string {
  const id = templates ? templates.match(r.message) : 0;
  const template = templates && id !== 0 ? templates.template(id) : '';
  const time = r.time === null ? null : new Date(r.time).toISOString();
  if (kind === 'jsonl') {
    return (
      JSON.stringify({
        file: r.file,
        line: r.line,
        time,
        level: r.level,
        service: r.service,
        template_id: id === 0 ? null : id,
        template: id === 0 ? null : template,
        message: r.message,
        continuation: r.continuation,
        ...(r.fields ? { fields: r.fields } : {}),
      }) + '\n'
    );
  }
  return (
    [
      csvField(r.file),
      csvField(r.line),
      csvField(time),
      csvField(r.level),
      csvField(r.service),
      csvField(id === 0 ? null : id),
      csvField(template),
      csvField(r.message),
      csvField(r.continuation),
    ].join(',') + '\r\n'
  );
}

/**
 * Reads the inputs again and writes every record — a view's (`where`, a query's text) only the records it
 * matches, template terms matched through `templates` as the log view does. Returns how many were written.
 * `write` is called with chunks of about 1 MiB of text, in order. Throws when `where` does not parse.
 */
export async function exportRecords(
  inputs: readonly ByteInput[],
  config: Config,
  kind: RecordExportKind,
  templates: TemplateLookup | null,
  write: (chunk: string) => void,
  where = '',
): Promise<number> {
  const parsed = parseQuery(where);
  if (!parsed.ok) throw new Error(`The query does not parse: ${parsed.error.message}`);
  const matcher = parsed.query.empty ? null : compileQuery(parsed.query);
  let buf: string[] = [];
  let size = 0;
  let n = 0;
  if (kind === 'csv') {
    buf.push(RECORD_COLUMNS.join(',') + '\r\n');
  }
  await analyze(inputs, config, {
    detectors: false,
    templates: false,
    onRecord: (r) => {
      if (matcher !== null && !matcher.matches(r, templates ? templates.match(r.message) || null : null))
        return;
      const row = recordRow(kind, r, templates);
      buf.push(row);
      size += row.length;
      n++;
      if (size >= CHUNK_CHARS) {
        write(buf.join(''));
        buf = [];
        size = 0;
      }
    },
  });
  if (buf.length > 0) write(buf.join(''));
  return n;
}

/** Templates as CSV: id, template, count, errors, first_seen, last_seen. */
export function templatesCsv(
  templates: readonly {
    id: number;
    template: string;
    count: number;
    errors: number;
    firstSeen: number | null;
    lastSeen: number | null;
  }[],
): string {
  const rows = ['id,template,count,errors,first_seen,last_seen'];
  for (const t of templates) {
    rows.push(
      [
        t.id,
        csvField(t.template),
        t.count,
        t.errors,
        t.firstSeen === null ? '' : new Date(t.firstSeen).toISOString(),
        t.lastSeen === null ? '' : new Date(t.lastSeen).toISOString(),
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}
