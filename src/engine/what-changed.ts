/**
 * What changed: for a time window and a baseline (by default the same length just before it), the templates,
 * services, levels and field values ranked by how much more (or less) often they occur in the window than in
 * the baseline. Each item carries both counts, a rate ratio with a smoothing prior, a significance score (a
 * G-test of the two Poisson rates) and the query that filters to it. The formulas: docs/what-changed.md.
 *
 * The counting (ChangeCounter, rankChanges) is plain and exact; whatChangedIn() feeds it from the files, reading
 * only the byte span the record index (analyzers/record-index.ts) says holds the window and the baseline — for
 * a file in time order (as logs are), exactly their records. It runs in a worker (engine.worker.ts) or in Node;
 * its memory is bounded: counts per template, service and level (themselves capped by the analysis), and at most
 * FIELD_NAMES × FIELD_VALUES field values.
 */
import type { FieldValue, LogRecord } from './types.ts';
import type { ByteInput } from './ingest/source.ts';
import { checkpointAt, formatOf, scanFrom, type ReadContext } from './read-records.ts';
import { LEVELS } from './types.ts';

/** A time range, ms since the epoch: start ≤ t < end. */
export interface TimeWindow {
  start: number;
  end: number;
}

export type ChangeKind = 'template' | 'service' | 'level' | 'field';
export type Direction = 'up' | 'down' | 'same';

export interface ChangeItem {
  kind: ChangeKind;
  /** the template id (as text), the service, the level, or the field's name */
  name: string;
  /** a field's value ('' for the other kinds) */
  value: string;
  /** what the page shows: the template's text, the service, the level, `name=value` */
  label: string;
  /** records of the item in the window, and in the baseline */
  window: number;
  baseline: number;
  /** ((window + prior) / window length) / ((baseline + prior) / baseline length) */
  ratio: number;
  /** the G statistic (log-likelihood ratio) of equal rates; ≥ 0, larger is less likely by chance */
  score: number;
  direction: Direction;
  /** the query of the item's records in the window (src/engine/query) */
  query: string;
}

export interface WhatChanged {
  window: TimeWindow;
  baseline: TimeWindow;
  /** records (with a time) in the window, and in the baseline */
  records: { window: number; baseline: number };
  /** the smoothing prior added to both counts in the ratio */
  prior: number;
  /** the highest-ranked items, at most `limit` */
  items: ChangeItem[];
  /** items counted (ranked), of which `items` are the first */
  ranked: number;
  /** false when no template miner was at hand: templates are then not ranked */
  templates: boolean;
  /** true when the field cap left some field values uncounted */
  fieldsCapped: boolean;
  /** records read to count them */
  scanned: number;
}

export interface WhatChangedOptions {
  window: TimeWindow;
  /** default: the same length just before the window */
  baseline?: TimeWindow;
  /** items returned (default 100) */
  limit?: number;
  /** the ratio's smoothing prior (default 1) */
  prior?: number;
}

/** Field names counted, at most; values counted per field name, at most; longer values are not counted. */
export const FIELD_NAMES = 64;
export const FIELD_VALUES = 100;
export const FIELD_VALUE_CHARS = 120;
export const DEFAULT_LIMIT = 100;
export const DEFAULT_PRIOR = 1;

/** The default baseline: the same length just before the window. */
export function defaultBaseline(w: TimeWindow): TimeWindow {
  return { start: w.start - (w.end - w.start), end: w.start };
}

function checkWindow(w: TimeWindow, what: string): void {
  if (!Number.isFinite(w.start) || !Number.isFinite(w.end) || !(w.end > w.start))
    throw new RangeError(`the ${what} must be a time range with its end after its start`);
}

/** [window, baseline] counts of one key */
type Pair = [number, number];

/** Counts per template, service, level and field value, on the window's side (0) or the baseline's (1). */
export class ChangeCounter {
  readonly templates = new Map<number, Pair>();
  readonly services = new Map<string, Pair>();
  readonly levels = new Map<string, Pair>();
  readonly fields = new Map<string, Map<string, Pair>>();
  readonly totals: Pair = [0, 0];
  fieldsCapped = false;

  /** Counts a record on `side` (0: window, 1: baseline); `template`: its template id, or null. */
  add(r: LogRecord, side: 0 | 1, template: number | null): void {
    this.totals[side]++;
    if (template !== null) bump(this.templates, template, side);
    if (r.service !== null) bump(this.services, r.service, side);
    if (r.level !== null) bump(this.levels, r.level, side);
    const f = r.fields;
    if (f === null) return;
    for (const name in f) {
      const v = scalar(f[name]);
      if (v === null) continue;
      let values = this.fields.get(name);
      if (values === undefined) {
        if (this.fields.size >= FIELD_NAMES) {
          this.fieldsCapped = true;
          continue;
        }
        values = new Map();
        this.fields.set(name, values);
      }
      if (!values.has(v) && values.size >= FIELD_VALUES) {
        this.fieldsCapped = true;
        continue;
      }
      bump(values, v, side);
    }
  }
}

function bump<K>(m: Map<K, Pair>, k: K, side: 0 | 1): void {
  let p = m.get(k);
  if (p === undefined) m.set(k, (p = [0, 0]));
  p[side]++;
}

function scalar(v: FieldValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s.length > FIELD_VALUE_CHARS ? null : s;
}

/** x·ln(x/e), 0 when x is 0. */
function xlog(x: number, e: number): number {
  return x === 0 ? 0 : x * Math.log(x / e);
}

/**
 * The G statistic for `a` events in a window of length `lw` against `b` in a baseline of length `lb`, under
 * equal rates: given n = a + b, a is binomial with p0 = lw / (lw + lb), and G = 2·[a·ln(a/Ea) + b·ln(b/Eb)]
 * with Ea = n·p0, Eb = n·(1 − p0) (0·ln 0 = 0).
 */
export function gScore(a: number, b: number, lw: number, lb: number): number {
  const n = a + b;
  if (n === 0) return 0;
  const p0 = lw / (lw + lb);
  const g = 2 * (xlog(a, n * p0) + xlog(b, n * (1 - p0)));
  // rounding can leave a tiny negative for equal rates; and Math.log's last bit differs between JS engines
  // (Node's and Chromium's V8 gave scores 1 ulp apart): 12 significant digits, so the command line's report
  // and the page's agree
  return g > 0 ? Number(g.toPrecision(12)) : 0;
}

/** The smoothed rate ratio ((a + prior) / lw) / ((b + prior) / lb). */
export function rateRatio(a: number, b: number, lw: number, lb: number, prior = DEFAULT_PRIOR): number {
  return (a + prior) / lw / ((b + prior) / lb);
}

export function direction(a: number, b: number, lw: number, lb: number): Direction {
  const x = a * lb;
  const y = b * lw;
  return x > y ? 'up' : x < y ? 'down' : 'same';
}

const KIND_ORDER: Record<ChangeKind, number> = { template: 0, service: 1, level: 2, field: 3 };

/** An instant as the query language writes it (ISO 8601, UTC; milliseconds only when there are some). */
export function isoQuery(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `field:value`, the value quoted when it holds anything but word characters, dots, dashes and @. */
export function fieldTerm(field: string, value: string): string {
  return /^[\w.\-@]+$/.test(value) && !value.includes('..')
    ? `${field}:${value}`
    : `${field}:"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Ranks the counted items: by score (descending), then by the ratio's distance from 1 (log), then kind
 * (template, service, level, field), then name and value. `templateText(id)`: a template's text for its label.
 */
export function rankChanges(
  c: ChangeCounter,
  win: TimeWindow,
  baseline: TimeWindow,
  opts: { limit?: number; prior?: number; templateText?: (id: number) => string } = {},
): Omit<WhatChanged, 'templates' | 'scanned'> {
  const lw = win.end - win.start;
  const lb = baseline.end - baseline.start;
  const prior = opts.prior ?? DEFAULT_PRIOR;
  const time = `time:${isoQuery(win.start)}..${isoQuery(win.end)}`;
  const items: ChangeItem[] = [];
  const push = (
    kind: ChangeKind,
    name: string,
    value: string,
    label: string,
    term: string,
    p: Pair,
  ): void => {
    const [a, b] = p;
    items.push({
      kind,
      name,
      value,
      label,
      window: a,
      baseline: b,
      ratio: rateRatio(a, b, lw, lb, prior),
      score: gScore(a, b, lw, lb),
      direction: direction(a, b, lw, lb),
      query: `${term} ${time}`,
    });
  };
  for (const [id, p] of c.templates) {
    const text = opts.templateText ? opts.templateText(id) : `template ${id}`;
    push('template', String(id), '', text, `template:${id}`, p);
  }
  for (const [s, p] of c.services) push('service', s, '', s, fieldTerm('service', s), p);
  for (const level of LEVELS) {
    const p = c.levels.get(level);
    if (p) push('level', level, '', level, `level:${level}`, p);
  }
  for (const [name, values] of c.fields)
    for (const [v, p] of values) push('field', name, v, `${name}=${v}`, fieldTerm(name, v), p);
  items.sort(
    (x, y) =>
      y.score - x.score ||
      Math.abs(Math.log(y.ratio)) - Math.abs(Math.log(x.ratio)) ||
      KIND_ORDER[x.kind] - KIND_ORDER[y.kind] ||
      (x.name < y.name ? -1 : x.name > y.name ? 1 : 0) ||
      (x.value < y.value ? -1 : x.value > y.value ? 1 : 0),
  );
  const limit = opts.limit ?? DEFAULT_LIMIT;
  return {
    window: win,
    baseline,
    records: { window: c.totals[0], baseline: c.totals[1] },
    prior,
    items: items.length > limit ? items.slice(0, limit) : items,
    ranked: items.length,
    fieldsCapped: c.fieldsCapped,
  };
}

/** What whatChangedIn() needs to name templates: the analysis' miner (its match() and template()). */
export interface TemplateLookup {
  match(message: string): number;
  template(id: number): string;
}

/**
 * Counts the window's and the baseline's records from the files, through the record index: per file, from the
 * last checkpoint whose time is before both ranges to the first checkpoint whose time is at or past both ends
 * (the whole file when the index has no such checkpoints). Records without a time are not counted.
 */
export async function whatChangedIn(
  inputs: readonly (ByteInput & Partial<Blob>)[],
  ctx: ReadContext,
  opts: WhatChangedOptions,
  miner: TemplateLookup | null = null,
): Promise<WhatChanged> {
  const win = opts.window;
  const baseline = opts.baseline ?? defaultBaseline(win);
  checkWindow(win, 'window');
  checkWindow(baseline, 'baseline');
  const lo = Math.min(win.start, baseline.start);
  const hi = Math.max(win.end, baseline.end);
  const counter = new ChangeCounter();
  let scanned = 0;
  const files = [...ctx.index.files].sort((a, b) => a.fileIndex - b.fileIndex);
  for (const f of files) {
    if (f.records === 0 || f.record.length === 0) continue;
    const input = inputs[f.fileIndex];
    if (input === undefined) throw new Error(`file ${f.fileIndex} of the analysis is not given`);
    const span = indexSpan(f.time, f.record, lo, hi);
    if (span === null) continue;
    const cp = checkpointAt(f, f.record[span.from]!);
    const stop = span.to;
    await scanFrom(input, await formatOf(ctx, f.fileIndex, input), ctx.config, f, cp, (r, k) => {
      if (k >= stop) return false;
      scanned++;
      const t = r.time;
      if (t === null || t < lo || t >= hi) return true;
      const inWindow = t >= win.start && t < win.end;
      const inBaseline = t >= baseline.start && t < baseline.end;
      if (!inWindow && !inBaseline) return true;
      const id = miner === null ? null : miner.match(r.message);
      if (inWindow) counter.add(r, 0, id);
      if (inBaseline) counter.add(r, 1, id);
      return true;
    });
  }
  const ranked = rankChanges(counter, win, baseline, {
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    ...(opts.prior !== undefined ? { prior: opts.prior } : {}),
    ...(miner ? { templateText: (id: number) => miner.template(id) } : {}),
  });
  return { ...ranked, templates: miner !== null, scanned };
}

/**
 * The checkpoints to read for [lo, hi): `from` the last one whose time is before lo (0 when none), `to` the
 * record number of the first one after it whose time is at or past hi (Infinity: to the file's end); null when
 * the file's first checkpoint already starts at or past hi.
 */
export function indexSpan(
  times: readonly (number | null)[],
  records: readonly number[],
  lo: number,
  hi: number,
): { from: number; to: number } | null {
  let from = 0;
  for (let j = 0; j < times.length; j++) {
    const t = times[j];
    if (t !== null && t !== undefined && t < lo) from = j;
  }
  const first = times[0];
  if (from === 0 && first !== null && first !== undefined && first >= hi) return null;
  let to = Infinity;
  for (let j = from + 1; j < times.length; j++) {
    const t = times[j];
    if (t !== null && t !== undefined && t >= hi) {
      to = records[j]!;
      break;
    }
  }
  return { from, to };
}
