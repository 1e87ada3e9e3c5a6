import type { LogRecord } from '../types.ts';
import { levelIndex } from '../analyzers/analyzer.ts';
import {
  LADDER,
  SPARK_BUCKETS,
  fitRung,
  type TemplateInfo,
  type TemplateMiner,
  type TemplatesSnapshot,
} from '../analyzers/templates.ts';

/**
 * One template's counts over a view's records. Times are kept as per-bucket counts on the finest ladder rung
 * (exact and small while the range fits), re-bucketed when it grows, like the miner's clusters; the rung of a
 * sparkline depends only on its time range, so the result equals the miner's over the same records.
 */
interface Stats {
  count: number;
  errors: number;
  first: number;
  last: number;
  rung: number;
  base: number;
  spark: Float64Array | null;
  exFile: number;
  exName: string;
  exOffset: number;
  exLength: number;
  /** one matching record's message: finds the template again in a merged miner (ids change in merges) */
  sample: string;
}

function addTime(s: Stats, t: number): void {
  const first = t < s.first ? t : s.first;
  const last = t > s.last ? t : s.last;
  if (first !== s.first || last !== s.last || s.spark === null) widen(s, first, last);
  s.spark![Math.floor(t / LADDER[s.rung]!) - s.base]!++;
}

function widen(s: Stats, first: number, last: number): void {
  const rung = Math.max(s.rung, fitRung(first, last));
  const width = LADDER[rung]!;
  const base = Math.floor(first / width);
  const old = s.spark;
  if (old === null) s.spark = new Float64Array(SPARK_BUCKETS);
  else if (rung !== s.rung || base !== s.base) {
    const oldWidth = LADDER[s.rung]!;
    const spark = new Float64Array(SPARK_BUCKETS);
    for (let k = 0; k < SPARK_BUCKETS; k++) {
      const v = old[k]!;
      if (v !== 0) spark[Math.floor(((s.base + k) * oldWidth) / width) - base]! += v;
    }
    s.spark = spark;
  }
  s.rung = rung;
  s.base = base;
  s.first = first;
  s.last = last;
}

function absorb(s: Stats, o: Stats): void {
  s.count += o.count;
  s.errors += o.errors;
  if (
    o.exOffset >= 0 &&
    (s.exOffset < 0 || o.exFile < s.exFile || (o.exFile === s.exFile && o.exOffset < s.exOffset))
  ) {
    s.exFile = o.exFile;
    s.exName = o.exName;
    s.exOffset = o.exOffset;
    s.exLength = o.exLength;
  }
  const os = o.spark;
  if (os === null) return;
  widen(s, Math.min(s.first, o.first), Math.max(s.last, o.last));
  const width = LADDER[s.rung]!;
  const oWidth = LADDER[o.rung]!;
  for (let k = 0; k < SPARK_BUCKETS; k++) {
    const v = os[k]!;
    if (v !== 0) s.spark![Math.floor(((o.base + k) * oWidth) / width) - s.base]! += v;
  }
}

function copy(s: Stats): Stats {
  return { ...s, spark: s.spark === null ? null : s.spark.slice() };
}

function empty(sample: string): Stats {
  return {
    count: 0,
    errors: 0,
    first: Infinity,
    last: -Infinity,
    rung: 0,
    base: 0,
    spark: null,
    exFile: -1,
    exName: '',
    exOffset: -1,
    exLength: 0,
    sample,
  };
}

/**
 * The templates table of a view (a query's subset): the whole read's miner assigns every record its
 * template (so ids and texts are the whole file's), and the matching records are counted here, per id.
 * Plain data (a Map of plain objects), so it crosses workers by structured clone like the rest of an Analysis.
 */
export class ViewTemplates {
  readonly byId = new Map<number, Stats>();

  push(r: LogRecord, id: number, isError: readonly boolean[]): void {
    let s = this.byId.get(id);
    if (s === undefined) {
      s = empty(r.message);
      s.exFile = r.fileIndex;
      s.exName = r.file;
      s.exOffset = r.offset;
      s.exLength = r.length;
      this.byId.set(id, s);
    }
    s.count++;
    if (isError[levelIndex(r.level)]) s.errors++;
    if (r.time !== null) addTime(s, r.time);
  }

  /**
   * Adds another view's counts; `idOf` gives the id, in this analysis' (already merged) miner, of the other's
   * template with that sample message.
   */
  merge(other: ViewTemplates, idOf: (otherId: number, sample: string) => number): void {
    for (const [oid, o] of other.byId) {
      const id = idOf(oid, o.sample);
      let s = this.byId.get(id);
      if (s === undefined) {
        s = empty(o.sample);
        this.byId.set(id, s);
      }
      absorb(s, o);
    }
  }

  /** The view's templates, shaped like the miner's snapshot: by count, then id; texts from the whole miner. */
  snapshot(miner: TemplateMiner, max: number, limit = Infinity): TemplatesSnapshot {
    // a template the miner has since merged into another (TemplateMiner.resolve) is counted under that one
    const byLive = new Map<number, Stats>();
    for (const [id, s] of this.byId) {
      const to = miner.resolve(id);
      const was = byLive.get(to);
      if (was === undefined) byLive.set(to, to === id ? s : copy(s));
      else {
        const sum = to === id || was !== this.byId.get(to) ? was : copy(was);
        absorb(sum, s);
        byLive.set(to, sum);
      }
    }
    const live = [...byLive].filter(([, s]) => s.count > 0);
    live.sort((a, b) => b[1].count - a[1].count || a[0] - b[0]);
    const listed = limit < live.length ? live.slice(0, Math.max(0, limit)) : live;
    return {
      ...this.counts(max),
      templates: listed.map(([id, s]) => info(id, miner.template(id), s)),
      total: live.length,
    };
  }

  /** The overflow's counts and the cap, without the list. */
  counts(max: number): TemplatesSnapshot {
    const o = this.byId.get(0);
    return {
      templates: [],
      total: 0,
      overflow: o?.count ?? 0,
      overflowErrors: o?.errors ?? 0,
      max,
      capped: (o?.count ?? 0) > 0,
    };
  }
}

function info(id: number, template: string, s: Stats): TemplateInfo {
  const timed = s.spark !== null;
  const width = LADDER[s.rung]!;
  const n = timed ? Math.floor(s.last / width) - s.base + 1 : 0;
  return {
    id,
    template,
    count: s.count,
    errors: s.errors,
    firstSeen: timed ? s.first : null,
    lastSeen: timed ? s.last : null,
    sparkline: timed ? Array.from(s.spark!.subarray(0, n)) : [],
    sparkStart: timed ? s.base * width : null,
    sparkBucketMs: width,
    example:
      s.exOffset < 0 ? null : { file: s.exName, fileIndex: s.exFile, offset: s.exOffset, length: s.exLength },
  };
}
