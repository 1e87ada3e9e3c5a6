import type { Alert, AlertKind, Incident } from '../engine/types.ts';

/** One system notification per alert kind at most every THROTTLE_MS. */
const THROTTLE_MS = 5000;

/**
 * "Notify me": asks for permission only when the user clicks, then shows a system notification for alerts
 * that fire during an analysis. Alerts already seen (by id) never notify twice, and the alerts of one incident
 * notify once, with the incident's title.
 */
export class Notifier {
  enabled = $state(false);
  status = $state<string>('');
  // Bookkeeping, not UI state: plain collections on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private seen = new Set<string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private lastAt = new Map<AlertKind | 'incident', number>();

  get supported(): boolean {
    return typeof Notification !== 'undefined';
  }

  async request(): Promise<void> {
    if (!this.supported) {
      this.status = 'This browser does not offer notifications.';
      return;
    }
    const permission = await Notification.requestPermission();
    this.enabled = permission === 'granted';
    this.status = this.enabled
      ? 'You will be notified when an alert fires.'
      : 'Notifications were not allowed.';
  }

  /** Forgets what was seen: a new analysis starts. */
  reset(): void {
    this.seen.clear();
    this.lastAt.clear();
  }

  /**
   * Called with each snapshot's alerts (and incidents); notifies about the new ones, once per incident.
   * `quiet`: they are only marked seen (a live analysis' backlog, and the moment following starts).
   */
  observe(alerts: readonly Alert[], incidents: readonly Incident[] = [], quiet = false): void {
    const key = (a: Alert): string => a.incident ?? a.id;
    const fresh: Alert[] = [];
    for (const a of alerts) {
      const k = key(a);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      fresh.push(a);
    }
    if (quiet || !this.enabled || fresh.length === 0) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup
    const titles = new Map(incidents.map((i) => [i.id, i.title]));
    const now = Date.now();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local grouping
    const byKind = new Map<AlertKind | 'incident', string[]>();
    for (const a of fresh) {
      const title = a.incident !== undefined ? titles.get(a.incident) : undefined;
      const kind = title !== undefined ? 'incident' : a.kind;
      byKind.set(kind, [...(byKind.get(kind) ?? []), title ?? a.message]);
    }
    for (const [kind, list] of byKind) {
      if (now - (this.lastAt.get(kind) ?? -Infinity) < THROTTLE_MS) continue;
      this.lastAt.set(kind, now);
      const more = list.length > 1 ? ` (+${list.length - 1} more)` : '';
      try {
        new Notification(kind === 'incident' ? 'Loglens: incident' : `Loglens: ${kind} alert`, {
          body: `${list[0]!}${more}`,
          tag: `loglens-${kind}`,
        });
      } catch {
        // Some platforms only allow notifications from a service worker; the alerts panel still lists them.
      }
    }
  }
}
