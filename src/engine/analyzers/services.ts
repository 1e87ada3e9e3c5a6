import type { LogRecord, ServiceCount } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';

/** Name under which records without a service are counted. */
export const NO_SERVICE = '(none)';
/** Name under which services beyond the cap are counted together. */
export const OTHER_SERVICES = '(other services)';

/**
 * Records and errors per service. Distinct names are capped (a field full of ids must not eat the memory):
 * past the cap, new names are counted under OTHER_SERVICES. Below the cap merges are exact; past it, which
 * names keep their own row depends on the order they came in (10,000 is far above what real logs have).
 */
export class ServiceCounts implements Analyzer<ServiceCount[]> {
  private readonly map = new Map<string, ServiceCount>();
  private last: ServiceCount | null = null;

  constructor(
    private readonly isError: readonly boolean[],
    private readonly maxServices = 10_000,
  ) {}

  get size(): number {
    return this.map.size;
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
      if (this.map.size >= this.maxServices && name !== OTHER_SERVICES) return this.entry(OTHER_SERVICES);
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

  merge(other: ServiceCounts): void {
    for (const o of other.map.values()) {
      const e = this.entry(o.name);
      e.records += o.records;
      e.errors += o.errors;
    }
  }
}
