/**
 * The log view's pages of records, by page number, bounded: past `max` pages the ones farthest from the page
 * just added go. Plain (not reactive): the view bumps a version counter when a page arrives.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly asked = new Set<number>();

  constructor(private readonly max: number) {}

  get(p: number): T[] | undefined {
    return this.pages.get(p);
  }

  /** the page is cached or being read */
  known(p: number): boolean {
    return this.pages.has(p) || this.asked.has(p);
  }

  ask(p: number): void {
    this.asked.add(p);
  }

  /** a read ended (with rows, or without: failed or stale) */
  settle(p: number, rows: T[] | null): void {
    this.asked.delete(p);
    if (rows === null) return;
    this.pages.set(p, rows);
    if (this.pages.size <= this.max) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p));
    for (const q of far.slice(0, this.pages.size - this.max)) this.pages.delete(q);
  }

  /** Forgets page `p` and every later one (a growing log: the last page was short, and more follow). */
  dropFrom(p: number): void {
    for (const q of [...this.pages.keys()]) if (q >= p) this.pages.delete(q);
    for (const q of [...this.asked]) if (q >= p) this.asked.delete(q);
  }

  clear(): void {
    this.pages.clear();
    this.asked.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}
