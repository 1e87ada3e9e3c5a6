import type { LogRecord, ServiceCount, ServicesCap } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';
import { DistinctEstimate } from './distinct.ts';

/** Name under which records without a service are counted. */
export const NO_SERVICE = '(none)';
/** Name under which services beyond the cap are counted together. */
export const OTHER_SERVICES = '(other services)';
/** Distinct service names kept by default. */
export const MAX_SERVICES = 10_000;

/**
 * Records and errors per service. Distinct names are capped (a field full of ids must not eat the memory):
 * past the cap, new names are counted under OTHER_SERVICES and `capped` is set, so the page and the report
 * can say "10,000+" rather than pass a lower bound off as the count. Below the cap merges are exact; past
 * it, which names keep their own row depends on the order they came in.
 */
export class ServiceCounts implements Analyzer<ServiceCount[]> {
  private readonly map = new Map<string, ServiceCount>();
  private last: ServiceCount | null = null;
  /** a name was refused for the cap (here or in a merged part) */
  private capped = false;
  /** every distinct name (each hashed once while under the cap): about how many there were when capped */
  private readonly distinct = new DistinctEstimate();

  constructor(
    private readonly isError: readonly boolean[],
    private readonly maxServices = MAX_SERVICES,
  ) {}

  /** Distinct names counted on their own: the true count when not capped, a lower bound when capped. */
  get size(): number {
    return this.capped ? this.map.size - 1 : this.map.size;
  }

  push(r: LogRecord): void {
    const name = r.service ?? NO_SERVICE;
    let entry = this.last;
    if (entry === null || entry.name !== name) {
      entry = this.entry(name);
      this.last = entry;
    }
    entry.records++;
    if (this.isError[levelIndex(r.level)]) entry.errors++;
  }

  private entry(name: string): ServiceCount {
    let e = this.map.get(name);
    if (e === undefined) {
      if (name !== OTHER_SERVICES) this.distinct.add(name);
      if (this.map.size >= this.maxServices && name !== OTHER_SERVICES) {
        this.capped = true;
        return this.entry(OTHER_SERVICES);
      }
      e = { name, records: 0, errors: 0 };
      this.map.set(name, e);
    }
    return e;
  }

  /** Sorted by records (then errors, then name), at most `limit` entries. */
  snapshot(limit = Infinity): ServiceCount[] {
    const all = [...this.map.values()].map((e) => ({ ...e }));
    all.sort(
      (a, b) =>
        b.records - a.records || b.errors - a.errors || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    return limit < all.length ? all.slice(0, limit) : all;
  }

  /** Whether the cap was reached, and what was counted beyond it (the OTHER_SERVICES row). */
  cap(): ServicesCap {
    const beyond = this.capped ? this.map.get(OTHER_SERVICES) : undefined;
    return {
      max: this.maxServices,
      capped: this.capped,
      beyondRecords: beyond?.records ?? 0,
      beyondErrors: beyond?.errors ?? 0,
      estimate: this.capped ? this.distinct.estimate() : null,
    };
  }

  merge(other: ServiceCounts): void {
    // A structured clone of another worker's instance has the fields but not the getters: read fields only.
    if (other.capped) this.capped = true;
    this.distinct.merge(other.distinct);
    for (const o of other.map.values()) {
      const e = this.entry(o.name);
      e.records += o.records;
      e.errors += o.errors;
    }
  }
}
