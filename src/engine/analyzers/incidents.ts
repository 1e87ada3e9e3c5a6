import type { LogRecord } from '../types.ts';
import { LEVEL_SLOTS, LEVELS } from '../types.ts';
import { levelIndex } from './analyzer.ts';
import type { Spike } from './spikes.ts';
import type { Anomaly } from './anomalies.ts';
import type { SequenceResult } from './sequences.ts';
import { ChangeCounter, gScore, rateRatio, rankChanges, isoQuery, type ChangeItem } from '../what-changed.ts';

/**
 * Incidents (docs/detectors.md, "Incidents"): the spikes, anomalies (both series) and sequence matches that
 * overlap, touch or lie one quiet bucket apart in time, merged into one finding with a severity, a title and what changed most against the
 * baseline before it. They are built from the analysis' own state — the detectors' findings and the per-bucket
 * counts kept here (records per level, per template and per service, in the anomaly detector's buckets) — so a
 * merge of slices gives the same incidents as one pass.
 */

/** Template ids are below this (config templates.maxTemplates ≤ 100,000); a key is bucket · TPL_SPAN + id. */
const TPL_SPAN = 2 ** 17;
/** Service indices are below this (at most MAX_SERVICES names); a key is bucket · SVC_SPAN + index. */
const SVC_SPAN = 2 ** 14;
/** Buckets whose index is beyond ±2^35 (keys would pass 2^53) get no per-template or per-service counts. */
const MAX_BUCKET = 2 ** 35;
/** Per-template and per-service (bucket, key) counts kept at most; past that new pairs are not counted. */
export const MAX_PAIRS = 4_000_000;
/** Incidents listed at most; the total is reported beside them. */
export const MAX_INCIDENTS = 100;
/** Changed items kept per incident. */
export const CHANGED_ITEMS = 5;
/** Findings at most this many buckets apart are one incident (0 would be: only those that overlap or touch). */
export const MERGE_GAP_BUCKETS = 1;
/** Characters of a template kept in a title. */
const TITLE_TEMPLATE_CHARS = 80;
const KIND_ORDER: Record<ChangeItem['kind'], number> = { template: 0, service: 1, level: 2, field: 3 };

/** Per-bucket counts of records per level, template and service: what an incident's "what changed" needs. */
export class BucketCounts {
  readonly bucketMs: number;
  /** bucket → records per level (LEVELS order, NONE last) */
  readonly levels = new Map<number, Float64Array>();
  /** bucket · TPL_SPAN + template id → records */
  readonly templates = new Map<number, number>();
  /** bucket · SVC_SPAN + service index → records */
  readonly services = new Map<number, number>();
  /** service names by index (local to this instance: merges map them by name) */
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** a (bucket, key) pair was not counted for MAX_PAIRS or the key spans */
  capped = false;
  private lastB = NaN;
  private lastLevels: Float64Array | null = null;
  private lastName: string | null = null;
  private lastIdx = -1;
  /**
   * The current bucket's template and service counts, dense by id and index, with the ids touched: a record
   * costs an array increment; they go into the maps when the bucket changes (flush). Fields, not closures, so
   * that a structured clone carries them and merge() reads them.
   */
  pendingB = NaN;
  pendingTpl: Float64Array = new Float64Array(64);
  pendingTplIds: number[] = [];
  pendingSvc: Float64Array = new Float64Array(16);
  pendingSvcIds: number[] = [];

  constructor(bucketSec: number) {
    this.bucketMs = bucketSec * 1000;
  }

  /** `template`: the record's template id (null when templates are not mined). */
  push(r: LogRecord, template: number | null): void {
    const t = r.time;
    if (t === null) return;
    const b = Math.floor(t / this.bucketMs);
    let lv = this.lastLevels;
    if (b !== this.lastB) {
      lv = this.levels.get(b) ?? null;
      if (lv === null) {
        lv = new Float64Array(LEVEL_SLOTS);
        this.levels.set(b, lv);
      }
      this.lastB = b;
      this.lastLevels = lv;
      if (b !== this.pendingB) {
        this.flush();
        this.pendingB = b;
      }
    }
    lv![levelIndex(r.level)]!++;
    if (template !== null) {
      let a = this.pendingTpl;
      if (template >= a.length) a = this.pendingTpl = grow(a, template);
      if (a[template]!++ === 0) this.pendingTplIds.push(template);
    }
    const name = r.service;
    if (name !== null) {
      let idx = this.lastIdx;
      if (name !== this.lastName) {
        idx = this.serviceIndex(name);
        this.lastName = name;
        this.lastIdx = idx;
      }
      if (idx >= 0) {
        let a = this.pendingSvc;
        if (idx >= a.length) a = this.pendingSvc = grow(a, idx);
        if (a[idx]!++ === 0) this.pendingSvcIds.push(idx);
      }
    }
  }

  /** Moves the current bucket's counts into the maps. */
  flush(): void {
    const b = this.pendingB;
    const ok = b <= MAX_BUCKET && b >= -MAX_BUCKET;
    if (!ok && this.pendingTplIds.length + this.pendingSvcIds.length > 0) this.capped = true;
    const tpl = this.pendingTpl;
    for (const id of this.pendingTplIds) {
      if (ok) this.bump(this.templates, b * TPL_SPAN + id, tpl[id]!);
      tpl[id] = 0;
    }
    const svc = this.pendingSvc;
    for (const idx of this.pendingSvcIds) {
      if (ok) this.bump(this.services, b * SVC_SPAN + idx, svc[idx]!);
      svc[idx] = 0;
    }
    this.pendingTplIds.length = 0;
    this.pendingSvcIds.length = 0;
  }

  private serviceIndex(name: string): number {
    let idx = this.index.get(name);
    if (idx === undefined) {
      if (this.names.length >= SVC_SPAN) {
        this.capped = true;
        return -1;
      }
      idx = this.names.length;
      this.names.push(name);
      this.index.set(name, idx);
    }
    return idx;
  }

  private bump(m: Map<number, number>, key: number, c: number): void {
    const prev = m.get(key);
    if (prev !== undefined) m.set(key, prev + c);
    else if (this.templates.size + this.services.size < MAX_PAIRS) m.set(key, c);
    else this.capped = true;
  }

  /**
   * Adds another instance's counts (it may be a structured clone: only its fields are read). `templateIds[i]`:
   * the id the other's template i has here (what TemplateMiner.merge returns); null keeps the ids.
   */
  merge(other: BucketCounts, templateIds: Int32Array | null): void {
    this.flush();
    this.pendingB = NaN;
    for (const [b, o] of other.levels) {
      let lv = this.levels.get(b);
      if (lv === undefined) {
        lv = new Float64Array(LEVEL_SLOTS);
        this.levels.set(b, lv);
      }
      for (let i = 0; i < LEVEL_SLOTS; i++) lv[i]! += o[i]!;
    }
    const tplKey = (b: number, id: number): number =>
      b * TPL_SPAN + (templateIds === null ? id : (templateIds[id] ?? id));
    for (const [key, c] of other.templates) {
      const id = mod(key, TPL_SPAN);
      this.bump(this.templates, tplKey((key - id) / TPL_SPAN, id), c);
    }
    const svcKey = (b: number, idx: number): number => {
      const mine = this.serviceIndex(other.names[idx]!);
      return mine < 0 ? NaN : b * SVC_SPAN + mine;
    };
    for (const [key, c] of other.services) {
      const idx = mod(key, SVC_SPAN);
      const k = svcKey((key - idx) / SVC_SPAN, idx);
      if (k === k) this.bump(this.services, k, c);
    }
    // the other's current bucket, not yet flushed
    const pb = other.pendingB;
    if (pb === pb) {
      const ok = pb <= MAX_BUCKET && pb >= -MAX_BUCKET;
      for (const id of other.pendingTplIds)
        if (ok) this.bump(this.templates, tplKey(pb, id), other.pendingTpl[id]!);
        else this.capped = true;
      for (const idx of other.pendingSvcIds) {
        const k = ok ? svcKey(pb, idx) : NaN;
        if (k === k) this.bump(this.services, k, other.pendingSvc[idx]!);
        else this.capped = true;
      }
    }
    if (other.capped) this.capped = true;
    this.lastB = NaN;
    this.lastLevels = null;
    this.lastName = null;
    this.lastIdx = -1;
  }
}

function grow(a: Float64Array, i: number): Float64Array {
  let n = a.length;
  while (n <= i) n *= 2;
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function mod(x: number, m: number): number {
  const r = x % m;
  return r < 0 ? r + m : r;
}

export type IncidentKind = 'errors' | 'volume' | 'sequence';

/** One incident. Times in ms since epoch. */
export interface Incident {
  /** `incident:<start>`: stable across snapshots while the incident does not grow at its start */
  id: string;
  /** "errors": it holds an error spike or errors anomaly; "volume": a volume anomaly; "sequence": matches only */
  kind: IncidentKind;
  start: number;
  end: number;
  /** the G statistic of its errors (or records, whichever is larger) against the baseline (docs/detectors.md) */
  severity: number;
  title: string;
  /** records and errors in the incident's buckets */
  records: number;
  errors: number;
  /** the buckets it was compared with: up to `history` buckets before it that are in no incident */
  baseline: { start: number; end: number; buckets: number; records: number; errors: number } | null;
  /** (errors + 1) per ms in the incident over (baseline errors + 1) per ms in the baseline; same for records */
  errorsRatio: number | null;
  recordsRatio: number | null;
  /** the templates, services and levels that changed most against the baseline (What changed's ranking) */
  changed: ChangeItem[];
  /** the sequence matches inside it (examples only: the matches a sequence lists) */
  sequences: { name: string; key: string | null; start: number; end: number }[];
  spikes: number;
  anomalies: number;
  /** the query for its records (docs/query.md) */
  query: string;
}

export interface IncidentsSnapshot {
  incidents: Incident[];
  /** incidents before the cap on how many are listed */
  total: number;
}

export interface IncidentInputs {
  spikes: readonly Spike[];
  spikeWindowSec: number;
  anomalies: readonly Anomaly[];
  sequences: readonly SequenceResult[];
  counts: BucketCounts;
  isError: readonly boolean[];
  /** history buckets a baseline spans at most (config anomalies.history) */
  history: number;
  /** a group is an incident when its severity is at least this */
  minSeverity: number;
  /**
   * The template id a counted id has now, its text and its records at an error level; null when templates are
   * not mined.
   */
  templates: { resolve(id: number): number; template(id: number): string; errors(id: number): number } | null;
}

interface Group {
  start: number;
  end: number;
  spikes: number;
  errorAnomalies: number;
  volumeAnomalies: number;
  sequences: { name: string; key: string | null; start: number; end: number }[];
}

/** Merges the findings into incidents, ranked by severity (then start). */
export function buildIncidents(p: IncidentInputs): IncidentsSnapshot {
  p.counts.flush();
  const groups = groupFindings(p);
  if (groups.length === 0) return { incidents: [], total: 0 };
  const B = p.counts.bucketMs;
  const levels = p.counts.levels;
  let minB = Infinity;
  let maxB = -Infinity;
  for (const b of levels.keys()) {
    if (b < minB) minB = b;
    if (b > maxB) maxB = b;
  }
  // every bucket some group touches: not part of any baseline
  const busy = new Set<number>();
  const spans = groups.map((g) => {
    const from = Math.floor(g.start / B);
    const to = Math.max(from + 1, Math.ceil(g.end / B));
    for (let b = from; b < to; b++) busy.add(b);
    return { from, to };
  });
  // which (group, side) each bucket is counted for
  const sides = new Map<number, [number, 0 | 1][]>();
  const mark = (b: number, gi: number, side: 0 | 1): void => {
    let l = sides.get(b);
    if (l === undefined) sides.set(b, (l = []));
    l.push([gi, side]);
  };
  const bases = spans.map(({ from, to }, gi) => {
    for (let b = from; b < to; b++) mark(b, gi, 0);
    const base: number[] = [];
    for (let b = from - 1; b >= minB && base.length < p.history; b--) if (!busy.has(b)) base.push(b);
    if (base.length === 0)
      for (let b = to; b <= maxB && base.length < p.history; b++) if (!busy.has(b)) base.push(b);
    for (const b of base) mark(b, gi, 1);
    return base;
  });
  const counters = groups.map(() => new ChangeCounter());
  const errors = groups.map((): [number, number] => [0, 0]);
  for (const [b, list] of sides) {
    const lv = levels.get(b);
    if (lv === undefined) continue;
    for (const [gi, side] of list) {
      const c = counters[gi]!;
      for (let i = 0; i < LEVEL_SLOTS; i++) {
        const n = lv[i]!;
        if (n === 0) continue;
        c.totals[side] += n;
        if (p.isError[i]) errors[gi]![side] += n;
        if (i < LEVELS.length) addPair(c.levels, LEVELS[i]!, side, n);
      }
    }
  }
  const resolve = p.templates;
  if (resolve !== null) {
    for (const [key, n] of p.counts.templates) {
      const id = mod(key, TPL_SPAN);
      const list = sides.get((key - id) / TPL_SPAN);
      if (list === undefined) continue;
      const live = resolve.resolve(id);
      for (const [gi, side] of list) addPair(counters[gi]!.templates, live, side, n);
    }
  }
  for (const [key, n] of p.counts.services) {
    const idx = mod(key, SVC_SPAN);
    const list = sides.get((key - idx) / SVC_SPAN);
    if (list === undefined) continue;
    const name = p.counts.names[idx]!;
    for (const [gi, side] of list) addPair(counters[gi]!.services, name, side, n);
  }
  const out: Incident[] = [];
  groups.forEach((g, gi) => {
    const { from, to } = spans[gi]!;
    const base = bases[gi]!;
    const c = counters[gi]!;
    const [ew, eb] = errors[gi]!;
    const [vw, vb] = c.totals;
    const lw = (to - from) * B;
    const lb = base.length * B;
    const kind: IncidentKind =
      g.spikes + g.errorAnomalies > 0 ? 'errors' : g.volumeAnomalies > 0 ? 'volume' : 'sequence';
    let severity = 0;
    if (lb > 0) {
      // each G over its baseline's dispersion (quasi-Poisson): a series that swings more than chance from bucket
      // to bucket (bursty traffic) needs a larger change to count as much
      const ge = ew * lb > eb * lw ? gScore(ew, eb, lw, lb) / dispersion(base, levels, p.isError, true) : 0;
      const gv = gScore(vw, vb, lw, lb) / dispersion(base, levels, p.isError, false);
      severity = Math.max(ge, gv);
    }
    severity = Math.round(severity * 10) / 10;
    if (severity < p.minSeverity) return;
    const win = { start: from * B, end: to * B };
    // rankChanges takes lengths from the windows: the baseline as a span of its buckets' total length
    const baseEnd = base.length > 0 ? Math.max(...base) * B + B : win.start;
    const ranked = rankChanges(
      c,
      win,
      { start: baseEnd - Math.max(lb, 1), end: baseEnd },
      {
        limit: Infinity,
        ...(resolve !== null ? { templateText: (id: number) => resolve.template(id) } : {}),
      },
    );
    // ties broken by label, not by template id: ids are local to a miner, so slices merged would order them
    // differently than one pass
    const all = ranked.items.sort(
      (x, y) =>
        y.score - x.score ||
        Math.abs(Math.log(y.ratio)) - Math.abs(Math.log(x.ratio)) ||
        KIND_ORDER[x.kind] - KIND_ORDER[y.kind] ||
        (x.label < y.label ? -1 : x.label > y.label ? 1 : 0),
    );
    const items = all.slice(0, CHANGED_ITEMS);
    const errorsRatio = lb > 0 ? rateRatio(ew, eb, lw, lb) : null;
    const recordsRatio = lb > 0 ? rateRatio(vw, vb, lw, lb) : null;
    const start = Math.min(g.start, win.start);
    const end = Math.max(g.end, win.end);
    out.push({
      id: `incident:${start}`,
      kind,
      start,
      end,
      severity,
      // the title looks past the listed items: a burst inside an outage surges under the outage's many drops
      title: titleOf(kind, all, g, errorsRatio, recordsRatio, (id) => (resolve?.errors(id) ?? 0) > 0),
      records: vw,
      errors: ew,
      baseline:
        base.length === 0
          ? null
          : { start: Math.min(...base) * B, end: baseEnd, buckets: base.length, records: vb, errors: eb },
      errorsRatio,
      recordsRatio,
      changed: items,
      sequences: g.sequences,
      spikes: g.spikes,
      anomalies: g.errorAnomalies + g.volumeAnomalies,
      query: `time:${isoQuery(start)}..${isoQuery(end)}`,
    });
  });
  // errors first: a burst of errors is what a person acts on; a drop or rise of traffic alone, or a sequence
  // alone, follows (each group by severity, then start)
  out.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.severity - a.severity || a.start - b.start);
  return { incidents: out.slice(0, MAX_INCIDENTS), total: out.length };
}

/**
 * The baseline's dispersion index: the variance of its buckets' counts (errors, or all records) over their mean,
 * at least 1 (a Poisson series has 1); 1 when there are fewer than 3 buckets or no records.
 */
function dispersion(
  base: readonly number[],
  levels: ReadonlyMap<number, Float64Array>,
  isError: readonly boolean[],
  errorsOnly: boolean,
): number {
  if (base.length < 3) return 1;
  let sum = 0;
  let sq = 0;
  for (const b of base) {
    const lv = levels.get(b);
    let n = 0;
    if (lv !== undefined) for (let i = 0; i < LEVEL_SLOTS; i++) if (!errorsOnly || isError[i]) n += lv[i]!;
    sum += n;
    sq += n * n;
  }
  const mean = sum / base.length;
  if (mean <= 0) return 1;
  const variance = (sq - base.length * mean * mean) / (base.length - 1);
  return Math.max(1, variance / mean);
}

const KIND_RANK: Record<Incident['kind'], number> = { errors: 0, sequence: 1, volume: 2 };

function addPair<K>(m: Map<K, [number, number]>, k: K, side: 0 | 1, n: number): void {
  let pair = m.get(k);
  if (pair === undefined) m.set(k, (pair = [0, 0]));
  pair[side] += n;
}

/**
 * The findings as time ranges on the bucket grid (a spike from the bucket of its first counted error, a
 * sequence match over the buckets of its steps), merged where they overlap, touch or lie one quiet bucket apart. A drop in volume in the
 * file's last bucket is left out: that bucket is cut by the file's end, not by the traffic.
 */
function groupFindings(p: IncidentInputs): Group[] {
  type Item = {
    start: number;
    end: number;
    what: 'spike' | 'errors' | 'volume' | 'sequence';
    seq?: Group['sequences'][number];
  };
  const B = p.counts.bucketMs;
  let lastB = -Infinity;
  for (const b of p.counts.levels.keys()) if (b > lastB) lastB = b;
  const down = (t: number): number => Math.floor(t / B) * B;
  const up = (t: number): number => Math.max(down(t) + B, Math.ceil(t / B) * B);
  const items: Item[] = [];
  const W = p.spikeWindowSec * 1000;
  // a spike's errors are those of [start − W + 1 s, end)
  for (const s of p.spikes) items.push({ start: down(s.start - W + 1000), end: up(s.end), what: 'spike' });
  for (const a of p.anomalies) {
    if (a.series === 'volume' && a.value < a.mean && a.bucketStart === lastB * B) continue;
    items.push({ start: a.bucketStart, end: a.bucketStart + B, what: a.series });
  }
  for (const q of p.sequences)
    for (const m of q.examples) {
      const seq = { name: q.name, key: m.key, start: m.start, end: m.end };
      items.push({ start: down(m.start), end: up(m.end), what: 'sequence', seq });
    }
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  const groups: Group[] = [];
  let g: Group | null = null;
  for (const it of items) {
    // one quiet bucket inside a burst (a minute just under the threshold) does not split it in two
    if (g === null || it.start > g.end + B * MERGE_GAP_BUCKETS) {
      g = { start: it.start, end: it.end, spikes: 0, errorAnomalies: 0, volumeAnomalies: 0, sequences: [] };
      groups.push(g);
    } else if (it.end > g.end) g.end = it.end;
    if (it.what === 'spike') g.spikes++;
    else if (it.what === 'errors') g.errorAnomalies++;
    else if (it.what === 'volume') g.volumeAnomalies++;
    else g.sequences.push(it.seq!);
  }
  return groups;
}

const NUM = new Intl.NumberFormat('en-US');

function times(r: number): string {
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
}

/**
 * `service: "template" ×count — errors N× the baseline`: the service and the template that rose most (by
 * What changed's score), the template's records in the incident, and the errors' (or records') rate ratio. An
 * incident of errors is titled by the template of errors that rose most: traffic that rose with them (a
 * template of requests ×11 M over a long incident) outscores them but is not what went wrong.
 */
function titleOf(
  kind: IncidentKind,
  items: readonly ChangeItem[],
  g: Group,
  errorsRatio: number | null,
  recordsRatio: number | null,
  hasErrors: (template: number) => boolean,
): string {
  const up = (k: ChangeItem['kind']): ChangeItem | undefined =>
    items.find((i) => i.kind === k && i.direction === 'up');
  const down = (k: ChangeItem['kind']): ChangeItem | undefined =>
    items.find((i) => i.kind === k && i.direction === 'down');
  if (kind === 'sequence') {
    const s = g.sequences[0]!;
    const more = g.sequences.length > 1 ? ` (+${g.sequences.length - 1} more)` : '';
    return `${s.key !== null ? `${s.key}: ` : ''}sequence "${s.name}" matched${more}`;
  }
  const falling = kind === 'volume' && recordsRatio !== null && recordsRatio < 1;
  const svc = falling ? down('service') : up('service');
  const who = svc ? `${svc.name}: ` : '';
  const ratio = kind === 'errors' ? errorsRatio : recordsRatio;
  const series = kind === 'errors' ? 'errors' : 'records';
  const how = ratio === null ? '' : `${series} ${times(ratio)} the baseline`;
  // a drop: what fell is the traffic, not one template
  if (falling) return `${who}${how}`;
  const tpl =
    (kind === 'errors'
      ? items.find((i) => i.kind === 'template' && i.direction === 'up' && hasErrors(Number(i.name)))
      : undefined) ?? up('template');
  const what = tpl ? `"${clip(tpl.label)}" ×${NUM.format(tpl.window)}` : series;
  // errors that surged inside a wider drop (a burst during an outage): all errors fell, the template did not
  if (kind === 'errors' && tpl && ratio !== null && ratio < 1)
    return `${who}${what} — ${times(tpl.ratio)} its baseline, during a drop to ${times(recordsRatio ?? ratio)} the records`;
  return how === '' ? `${who}${what}` : `${who}${what} — ${how}`;
}

function clip(s: string): string {
  return s.length > TITLE_TEMPLATE_CHARS ? `${s.slice(0, TITLE_TEMPLATE_CHARS - 1)}…` : s;
}
