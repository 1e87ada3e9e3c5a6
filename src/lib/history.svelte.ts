import type { Report } from '../engine/report.ts';
import type { Snapshot } from '../engine/types.ts';

/** What the Recent list shows of a past analysis (the report and snapshot are kept beside it). */
export interface HistoryEntry {
  id: number;
  when: number;
  files: { name: string; bytes: number }[];
  records: number;
  errors: number;
  spikes: number;
  alerts: number;
  timeRange: { start: string; end: string } | null;
}

const DB = 'loglens';
const VERSION = 1;
/** Past analyses kept at most; the oldest go first. */
export const MAX_ENTRIES = 50;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * Local history: past analyses on this device, in IndexedDB — file names and sizes, when, headline numbers,
 * and the report and dashboard snapshot; never the log itself. Any storage failure (private mode, quota,
 * a browser without IndexedDB) becomes a message; the page works on without history.
 */
export class History {
  entries = $state.raw<HistoryEntry[]>([]);
  error = $state<string | null>(null);
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('this browser offers no IndexedDB'));
        return;
      }
      const r = indexedDB.open(DB, VERSION);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains('entries'))
          db.createObjectStore('entries', { keyPath: 'id', autoIncrement: true });
        if (!db.objectStoreNames.contains('data')) db.createObjectStore('data', { keyPath: 'id' });
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
      r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    return this.db;
  }

  private fail(what: string, e: unknown): void {
    this.db = null;
    this.error = `Recent analyses ${what}: ${e instanceof Error ? e.message : String(e)}. Everything else works as usual.`;
  }

  async load(): Promise<void> {
    try {
      const db = await this.open();
      const all = await request(db.transaction('entries').objectStore('entries').getAll());
      this.entries = (all as HistoryEntry[]).sort((a, b) => b.when - a.when);
    } catch (e) {
      this.fail('cannot be read here (private mode, or storage disabled?)', e);
    }
  }

  async add(snapshot: Snapshot, report: Report): Promise<void> {
    try {
      const db = await this.open();
      const errors = report.levels.ERROR + report.levels.FATAL;
      const entry: Omit<HistoryEntry, 'id'> = {
        when: Date.now(),
        files: report.files.map((f) => ({ name: f.name, bytes: f.bytes })),
        records: report.totals.records,
        errors,
        spikes: report.spikes.length,
        alerts: report.alertsTotal,
        timeRange: report.timeRange,
      };
      const tx = db.transaction(['entries', 'data'], 'readwrite');
      const id = (await request(tx.objectStore('entries').add(entry))) as number;
      tx.objectStore('data').put({ id, report, snapshot });
      await done(tx);
      await this.prune(db);
      await this.load();
    } catch (e) {
      this.fail('could not be saved (storage full or disabled?)', e);
    }
  }

  private async prune(db: IDBDatabase): Promise<void> {
    const all = (await request(db.transaction('entries').objectStore('entries').getAll())) as HistoryEntry[];
    if (all.length <= MAX_ENTRIES) return;
    const old = all.sort((a, b) => b.when - a.when).slice(MAX_ENTRIES);
    const tx = db.transaction(['entries', 'data'], 'readwrite');
    for (const e of old) {
      tx.objectStore('entries').delete(e.id);
      tx.objectStore('data').delete(e.id);
    }
    await done(tx);
  }

  async get(id: number): Promise<{ report: Report; snapshot: Snapshot } | null> {
    try {
      const db = await this.open();
      const row = (await request(db.transaction('data').objectStore('data').get(id))) as
        { report: Report; snapshot: Snapshot } | undefined;
      return row ?? null;
    } catch (e) {
      this.fail('cannot be read', e);
      return null;
    }
  }

  async remove(id: number): Promise<void> {
    try {
      const db = await this.open();
      const tx = db.transaction(['entries', 'data'], 'readwrite');
      tx.objectStore('entries').delete(id);
      tx.objectStore('data').delete(id);
      await done(tx);
      await this.load();
    } catch (e) {
      this.fail('could not be deleted', e);
    }
  }

  async clear(): Promise<void> {
    try {
      const db = await this.open();
      const tx = db.transaction(['entries', 'data'], 'readwrite');
      tx.objectStore('entries').clear();
      tx.objectStore('data').clear();
      await done(tx);
      this.entries = [];
    } catch (e) {
      this.fail('could not be cleared', e);
    }
  }
}
