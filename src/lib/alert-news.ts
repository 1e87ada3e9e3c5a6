import type { Alert, AlertKind, Incident } from '../engine/types.ts';

/** One system notification per alert kind at most every THROTTLE_MS. */
export const THROTTLE_MS = 5000;

/** A notification to show: its title, body and tag (one tag per kind: a newer one replaces the older). */
export interface News {
  title: string;
  body: string;
  tag: string;
}

/**
 * What the page's "Notify me" shows for each snapshot (the Notifier shows it): alerts already seen (by id)
 * never notify twice, the alerts of one incident notify once with the incident's title, and an incident that
 * closed and grew again (a live analysis' IncidentTracker "open" event for an incident seen before) notifies
 * once more. Plain bookkeeping, no browser API: unit-tested.
 */
export class AlertNews {
  private readonly seen = new Set<string>();
  private readonly lastAt = new Map<AlertKind | 'incident', number>();

  /** Forgets what was seen: a new analysis starts. */
  reset(): void {
    this.seen.clear();
    this.lastAt.clear();
  }

  /**
   * The notifications for a snapshot's alerts and incidents. `quiet`: they are only marked seen (a live
   * analysis' backlog, and the moment following starts). `opened`: ids of incidents that opened in this snapshot
   * (IncidentTracker); those already seen opened again. `now`: ms, for the throttle.
   */
  select(
    alerts: readonly Alert[],
    incidents: readonly Incident[] = [],
    quiet = false,
    opened: readonly string[] = [],
    now = Date.now(),
  ): News[] {
    const again = opened.filter((id) => this.seen.has(id));
    const key = (a: Alert): string => a.incident ?? a.id;
    const fresh: Alert[] = [];
    for (const a of alerts) {
      const k = key(a);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      fresh.push(a);
    }
    if (quiet || (fresh.length === 0 && again.length === 0)) return [];
    const titles = new Map(incidents.map((i) => [i.id, i.title]));
    const byKind = new Map<AlertKind | 'incident', string[]>();
    const add = (kind: AlertKind | 'incident', text: string): void => {
      byKind.set(kind, [...(byKind.get(kind) ?? []), text]);
    };
    for (const a of fresh) {
      const title = a.incident !== undefined ? titles.get(a.incident) : undefined;
      add(title !== undefined ? 'incident' : a.kind, title ?? a.message);
    }
    for (const id of again) {
      const title = titles.get(id);
      if (title !== undefined) add('incident', `${title} (again)`);
    }
    const out: News[] = [];
    for (const [kind, list] of byKind) {
      if (now - (this.lastAt.get(kind) ?? -Infinity) < THROTTLE_MS) continue;
      this.lastAt.set(kind, now);
      const more = list.length > 1 ? ` (+${list.length - 1} more)` : '';
      out.push({
        title: kind === 'incident' ? 'Loglens: incident' : `Loglens: ${kind} alert`,
        body: `${list[0]!}${more}`,
        tag: `loglens-${kind}`,
      });
    }
    return out;
  }
}
