import { DDSketch } from '@datadog/sketches-js';
import type { FieldValue, LogRecord, TimelineSnapshot } from '../types.ts';
import type { Analyzer } from './analyzer.ts';
import { DistinctEstimate } from './distinct.ts';
import { Timeline } from './timeline.ts';

/** Fields tracked per analysis: the first keys seen (in record order; on a merge, this one's then the other's). */
export const MAX_FACET_FIELDS = 64;
/**
 * Values counted per field. Up to this many distinct values a field's counts are exact. Past it, the
 * Misra-Gries summary keeps the heaviest: when the table reaches 2 × MAX_FACET_VALUES entries, every count is
 * lowered by the (MAX_FACET_VALUES + 1)-th largest and those at zero are dropped. A kept count is then low by
 * at most `maxError` (the sum of the amounts taken), which is ≤ records / (MAX_FACET_VALUES + 1); any value
 * seen in more than that many records is kept.
 */
export const MAX_FACET_VALUES = 1000;
/** Top values listed per field in a snapshot. */
export const FACET_TOP = 10;
/** A field is numeric when at least this share of its (non-empty, non-"-") values parse as numbers. */
export const NUMERIC_SHARE = 0.9;
/** DDSketch's relative accuracy: a quantile it returns is within ±1 % of a value at that rank. */
export const SKETCH_ACCURACY = 0.01;
/** Bars in a numeric field's distribution. */
export const HISTOGRAM_BARS = 16;
export { MAX_VALUE_CHARS, STATUS_CLASSES } from './facet-limits.ts';
import { MAX_VALUE_CHARS } from './facet-limits.ts';

export interface FacetValue {
  value: string;
  count: number;
  /** what to show for the value when it is not the value itself (a template id's text) */
  label?: string;
}

export interface NumericFacet {
  /** values that parsed as numbers */
  count: number;
  min: number;
  max: number;
  sum: number;
  /** from a DDSketch of the non-negative values (±SKETCH_ACCURACY relative) */
  p50: number;
  p95: number;
  p99: number;
  /** a distribution: HISTOGRAM_BARS bars of equal width from min to p99, the last one holding all above */
  histogram: { edges: number[]; counts: number[] };
}

export interface FieldFacet {
  /** `level`, `service`, `file`, `template` (the record's own) or a field's name */
  field: string;
  /** records that have it */
  records: number;
  /** distinct values: exact when `distinctExact`, else a HyperLogLog estimate (±2.3 %) */
  distinct: number;
  distinctExact: boolean;
  /** the most frequent values, by count (then value), at most FACET_TOP */
  top: FacetValue[];
  /** a top count may be low by at most this much (0: exact; see MAX_FACET_VALUES) */
  maxError: number;
  /** set for numeric fields */
  numeric: NumericFacet | null;
}

/** What a GoAccess user reads at a glance, when records carry an HTTP status (access logs). */
export interface AccessSummary {
  /** records with a 3-digit status */
  requests: number;
  /** requests per status class, STATUS_CLASSES order */
  classes: number[];
  /** per-bucket counts, slots in STATUS_CLASSES order (the two last slots unused): as TimelineSnapshot */
  overTime: TimelineSnapshot;
  /** sum of the numeric `bytes` values, or null when there is no bytes field */
  bytesSent: number | null;
}

export interface FacetsSnapshot {
  /** fields with at least one record, the record's own first (level, service, file, template), then by records */
  fields: FieldFacet[];
  /** field names seen beyond MAX_FACET_FIELDS (not tracked) */
  untracked: number;
  maxFields: number;
  access: AccessSummary | null;
}

/** One field's counts. Plain data (a structured clone from another worker merges like the original). */
interface FieldCounts {
  name: string;
  records: number;
  values: Map<string, number>;
  /** sum of the amounts the Misra-Gries reductions took from every count */
  maxError: number;
  distinct: DistinctEstimate;
  /** values considered for numeric (not empty, not "-") and those of them that parsed */
  candidates: number;
  numbers: number;
  min: number;
  max: number;
  sum: number;
  sketch: DDSketch | null;
}

function newCounts(name: string): FieldCounts {
  return {
    name,
    records: 0,
    values: new Map(),
    maxError: 0,
    distinct: new DistinctEstimate(),
    candidates: 0,
    numbers: 0,
    min: Infinity,
    max: -Infinity,
    sum: 0,
    sketch: null,
  };
}

/** A value's text (numbers as JS prints them, so `status:503` and `"503"` count together). */
function valueText(v: FieldValue): string {
  const s = typeof v === 'string' ? v : String(v);
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS) : s;
}

/** Misra-Gries reduction: lower every count by the (cap + 1)-th largest, drop those at zero. Deterministic. */
function reduce(f: FieldCounts): void {
  const counts = [...f.values.values()].sort((a, b) => b - a);
  const cut = counts[MAX_FACET_VALUES]!;
  f.maxError += cut;
  for (const [k, c] of f.values) {
    if (c <= cut) f.values.delete(k);
    else f.values.set(k, c - cut);
  }
}

function numberOf(v: FieldValue): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const c = v.charCodeAt(0);
  // a cheap first check: a number starts with a digit, a sign or a point
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return NaN;
  return Number(v);
}

/**
 * Per-field top values, distinct counts and, for numeric fields, quantiles: the facets of Kibana's Discover
 * for the fields the formats parse (JSON and logfmt keys, access-log fields). The record's own level, service,
 * file and template are counted exactly by their own analyzers; Analysis adds them (facetsFromAnalysis).
 */
export class Facets implements Analyzer<FacetsSnapshot> {
  private readonly fields = new Map<string, FieldCounts>();
  private untrackedNames = new Set<string>();
  /** the fields of the last record with fields, in its order (a cache: never merged) */
  private order: FieldCounts[] = [];
  /** HTTP status classes over time (records with a `status` field and a time) */
  readonly statusTimeline: Timeline;
  readonly statusClasses = [0, 0, 0, 0, 0];
  /** records per file index, and the files' names */
  readonly fileRecords: number[] = [];
  readonly fileNames: string[] = [];

  constructor(maxBuckets = 2000) {
    this.statusTimeline = new Timeline(maxBuckets);
  }

  push(r: LogRecord): void {
    const fi = r.fileIndex;
    if (this.fileRecords[fi] === undefined) {
      for (let i = this.fileRecords.length; i <= fi; i++) this.fileRecords[i] ??= 0;
      this.fileNames[fi] = r.file;
    }
    this.fileRecords[fi]!++;
    const fields = r.fields;
    if (fields === null) return;
    // records of one format name their fields in the same order: the previous record's order saves a Map lookup
    const order = this.order;
    let i = 0;
    for (const k in fields) {
      const guess = order[i];
      let f = guess !== undefined && guess.name === k ? guess : this.fields.get(k);
      if (f !== undefined) order[i++] = f;
      if (f === undefined) {
        if (this.fields.size >= MAX_FACET_FIELDS) {
          if (this.untrackedNames.size < MAX_FACET_FIELDS) this.untrackedNames.add(k);
          continue;
        }
        f = newCounts(k);
        this.fields.set(k, f);
        order[i++] = f;
      }
      const v = fields[k]!;
      f.records++;
      const text = valueText(v);
      const c = f.values.get(text);
      if (c === undefined) {
        f.distinct.add(text);
        f.values.set(text, 1);
        if (f.values.size >= 2 * MAX_FACET_VALUES) reduce(f);
      } else f.values.set(text, c + 1);
      if (text === '' || text === '-' || v === null) continue;
      f.candidates++;
      const n = numberOf(v);
      if (Number.isNaN(n) || !Number.isFinite(n)) continue;
      f.numbers++;
      if (n < f.min) f.min = n;
      if (n > f.max) f.max = n;
      f.sum += n;
      if (n >= 0) (f.sketch ??= new DDSketch({ relativeAccuracy: SKETCH_ACCURACY })).accept(n);
      if (k === 'status' && n >= 100 && n <= 599 && Number.isInteger(n)) {
        const slot = Math.floor(n / 100) - 1;
        this.statusClasses[slot]!++;
        if (r.time !== null) this.statusTimeline.pushSlot(r.time, slot);
      }
    }
  }

  merge(other: Facets): void {
    for (const o of other.fields.values()) {
      let f = this.fields.get(o.name);
      if (f === undefined) {
        if (this.fields.size >= MAX_FACET_FIELDS) {
          if (this.untrackedNames.size < MAX_FACET_FIELDS) this.untrackedNames.add(o.name);
          continue;
        }
        f = newCounts(o.name);
        this.fields.set(o.name, f);
      }
      f.records += o.records;
      f.maxError += o.maxError;
      for (const [k, c] of o.values) f.values.set(k, (f.values.get(k) ?? 0) + c);
      if (f.values.size >= 2 * MAX_FACET_VALUES) reduce(f);
      f.distinct.merge(o.distinct);
      f.candidates += o.candidates;
      f.numbers += o.numbers;
      if (o.min < f.min) f.min = o.min;
      if (o.max > f.max) f.max = o.max;
      f.sum += o.sum;
      if (o.sketch !== null) {
        // the other's sketch may be a structured clone (no methods): DDSketch.merge reads its fields only
        (f.sketch ??= new DDSketch({ relativeAccuracy: SKETCH_ACCURACY })).merge(o.sketch);
      }
    }
    for (const n of other.untrackedNames)
      if (this.untrackedNames.size < MAX_FACET_FIELDS && !this.fields.has(n)) this.untrackedNames.add(n);
    for (let i = 0; i < 5; i++) this.statusClasses[i]! += other.statusClasses[i]!;
    for (let i = 0; i < other.fileRecords.length; i++) {
      this.fileRecords[i] = (this.fileRecords[i] ?? 0) + (other.fileRecords[i] ?? 0);
      if (other.fileNames[i] !== undefined) this.fileNames[i] ??= other.fileNames[i];
    }
    this.statusTimeline.merge(other.statusTimeline);
  }

  /** The parsed fields' facets, by records (then name); `limit` caps how many (progress snapshots). */
  snapshot(limit = Infinity): FacetsSnapshot {
    const all = [...this.fields.values()].sort(
      (a, b) => b.records - a.records || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    const fields = (limit < all.length ? all.slice(0, limit) : all).map(fieldFacet);
    const status = this.fields.get('status');
    const bytes = this.fields.get('bytes');
    const requests = this.statusClasses.reduce((a, b) => a + b, 0);
    return {
      fields,
      untracked: this.untrackedNames.size,
      maxFields: MAX_FACET_FIELDS,
      access:
        status !== undefined && requests > 0
          ? {
              requests,
              classes: [...this.statusClasses],
              overTime: this.statusTimeline.snapshot(),
              bytesSent: bytes !== undefined && bytes.numbers > 0 ? bytes.sum : null,
            }
          : null,
    };
  }
}

/** The record's own facets (level, service, file, template), from the analyzers that count them exactly. */
export function recordFacets(
  levels: readonly number[],
  levelNames: readonly string[],
  services: readonly { name: string; records: number }[],
  serviceCount: number,
  servicesCapped: boolean,
  noService: string,
  facets: Facets,
  templates: readonly { id: number; template: string; count: number }[],
  templateTotal: number,
): FieldFacet[] {
  const out: FieldFacet[] = [];
  const facet = (field: string, top: FacetValue[], records: number, distinct: number, exact = true): void => {
    if (records > 0)
      out.push({ field, records, distinct, distinctExact: exact, top, maxError: 0, numeric: null });
  };
  const lv = topValues(levels.map((c, i): [string, number] => [levelNames[i]!, c]).filter(([, c]) => c > 0));
  facet(
    'level',
    lv,
    levels.reduce((a, b) => a + b, 0),
    levels.filter((c) => c > 0).length,
  );
  // records without a service are not a value of it (the query `service:…` cannot name them)
  const named = services.filter((s) => s.name !== noService && s.records > 0);
  const withService = named.reduce((a, s) => a + s.records, 0);
  facet(
    'service',
    topValues(named.map((s): [string, number] => [s.name, s.records])),
    withService,
    serviceCount - (services.some((s) => s.name === noService) ? 1 : 0),
    !servicesCapped,
  );
  const files: [string, number][] = [];
  facets.fileRecords.forEach((c, i) => {
    if (c > 0) files.push([facets.fileNames[i]!, c]);
  });
  facet(
    'file',
    topValues(files),
    files.reduce((a, [, c]) => a + c, 0),
    files.length,
  );
  const mined = templates.filter((t) => t.id > 0 && t.count > 0);
  const byCount = [...mined].sort((a, b) => b.count - a.count || a.id - b.id).slice(0, FACET_TOP);
  facet(
    'template',
    byCount.map((t) => ({ value: String(t.id), count: t.count, label: t.template })),
    mined.reduce((a, t) => a + t.count, 0),
    Math.max(mined.length, templateTotal - (templates.some((t) => t.id === 0) ? 1 : 0)),
  );
  return out;
}

/** Sorted by count (then value), at most FACET_TOP. */
export function topValues(entries: Iterable<[string, number]>, n = FACET_TOP): FacetValue[] {
  const all: FacetValue[] = [];
  for (const [value, count] of entries) all.push({ value, count });
  all.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return all.length > n ? all.slice(0, n) : all;
}

function fieldFacet(f: FieldCounts): FieldFacet {
  const exact = f.maxError === 0;
  return {
    field: f.name,
    records: f.records,
    distinct: exact ? f.values.size : Math.max(f.distinct.estimate(), f.values.size),
    distinctExact: exact,
    top: topValues(f.values),
    maxError: f.maxError,
    numeric: f.candidates > 0 && f.numbers >= NUMERIC_SHARE * f.candidates ? numericFacet(f) : null,
  };
}

/** Rounded to 6 significant digits: a sketch's quantile carries float noise that would differ between runs. */
function round6(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6));
}

function numericFacet(f: FieldCounts): NumericFacet {
  const s = f.sketch;
  const q = (p: number): number =>
    s === null || s.count === 0 ? 0 : round6(Math.min(f.max, Math.max(f.min, s.getValueAtQuantile(p))));
  const p99 = q(0.99);
  return {
    count: f.numbers,
    min: f.min,
    max: f.max,
    sum: round6(f.sum),
    p50: q(0.5),
    p95: q(0.95),
    p99,
    histogram: histogram(s, f.min, p99),
  };
}

/** Bars of equal width from `lo` to `hi` from the sketch's bins (each bin counted at its value). */
function histogram(s: DDSketch | null, lo: number, hi: number): { edges: number[]; counts: number[] } {
  const counts = new Array<number>(HISTOGRAM_BARS).fill(0);
  const from = Math.max(0, lo);
  const width = hi > from ? (hi - from) / HISTOGRAM_BARS : 0;
  const edges = Array.from({ length: HISTOGRAM_BARS + 1 }, (_, i) => round6(from + i * width));
  if (s === null) return { edges, counts };
  const bar = (v: number): number =>
    width === 0 ? 0 : Math.min(HISTOGRAM_BARS - 1, Math.max(0, Math.floor((v - from) / width)));
  counts[bar(0)]! += s.zeroCount;
  const st = s.store;
  if (st.count > 0)
    for (let key = st.minKey; key <= st.maxKey; key++) {
      const c = st.bins[key - st.offset] ?? 0;
      if (c > 0) counts[bar(s.mapping.value(key))]! += c;
    }
  return { edges, counts };
}
