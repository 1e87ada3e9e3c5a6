import { describe, expect, it } from 'vitest';
import { AlertNews, THROTTLE_MS } from '../../src/lib/alert-news.ts';
import type { Alert, Incident } from '../../src/engine/types.ts';

const alert = (id: string, kind: Alert['kind'], message: string, incident?: string): Alert => ({
  id,
  kind,
  rule: kind,
  time: 0,
  end: null,
  message,
  ...(incident !== undefined ? { incident } : {}),
});
const incident = (id: string, title: string): Incident =>
  ({ id, title, kind: 'errors', start: 0, end: 1 }) as unknown as Incident;

describe("AlertNews: the page's notifications", () => {
  const db = incident('incident:1', 'Timeout calling db');
  const a1 = alert('spike:1', 'spike', 'error spike', 'incident:1');
  const a2 = alert('anomaly:1', 'anomaly', 'errors anomaly', 'incident:1');
  const loose = alert('sequence:1', 'sequence', 'login then fail');

  it('an incident once, with its title; an alert outside incidents by its message; nothing twice', () => {
    const n = new AlertNews();
    expect(n.select([a1, a2, loose], [db], false, [], 0)).toEqual([
      { title: 'Loglens: incident', body: 'Timeout calling db', tag: 'loglens-incident' },
      { title: 'Loglens: sequence alert', body: 'login then fail', tag: 'loglens-sequence' },
    ]);
    expect(n.select([a1, a2, loose], [db], false, [], THROTTLE_MS * 2)).toEqual([]);
  });

  it('quiet: marked seen, not shown', () => {
    const n = new AlertNews();
    expect(n.select([a1], [db], true, ['incident:1'], 0)).toEqual([]);
    expect(n.select([a1], [db], false, [], THROTTLE_MS * 2)).toEqual([]);
  });

  it('an incident seen before that opened again notifies once more; a new one that opens notifies once', () => {
    const n = new AlertNews();
    expect(n.select([a1], [db], false, ['incident:1'], 0)).toHaveLength(1);
    // closed, then grown again: the tracker's open event for the same id
    expect(n.select([a1, a2], [db], false, ['incident:1'], THROTTLE_MS * 2)).toEqual([
      { title: 'Loglens: incident', body: 'Timeout calling db (again)', tag: 'loglens-incident' },
    ]);
    // no open event: nothing
    expect(n.select([a1, a2], [db], false, [], THROTTLE_MS * 4)).toEqual([]);
  });

  it('one notification per kind at most every THROTTLE_MS; after reset() everything is new again', () => {
    const n = new AlertNews();
    const b = incident('incident:2', 'Disk full');
    const a3 = alert('spike:2', 'spike', 'error spike', 'incident:2');
    expect(n.select([a1], [db], false, [], 1000)).toHaveLength(1);
    expect(n.select([a1, a3], [db, b], false, [], 1000 + THROTTLE_MS - 1)).toEqual([]);
    n.reset();
    expect(n.select([a1, a3], [db, b], false, [], 0)).toEqual([
      { title: 'Loglens: incident', body: 'Timeout calling db (+1 more)', tag: 'loglens-incident' },
    ]);
  });
});
