import type { Alert, Incident } from '../engine/types.ts';
import { AlertNews } from './alert-news.ts';

/**
 * "Notify me": asks for permission only when the user clicks, then shows a system notification for alerts
 * that fire during an analysis; what to show is AlertNews' choice (each alert and incident once, an incident
 * that opened again once more).
 */
export class Notifier {
  enabled = $state(false);
  status = $state<string>('');
  private readonly news = new AlertNews();

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
    this.news.reset();
  }

  /**
   * Called with each snapshot's alerts (and incidents); notifies about the new ones, once per incident, and
   * about incidents that opened again (`opened`: a live analysis' IncidentTracker open events' ids).
   * `quiet`: they are only marked seen (a live analysis' backlog, and the moment following starts).
   */
  observe(
    alerts: readonly Alert[],
    incidents: readonly Incident[] = [],
    quiet = false,
    opened: readonly string[] = [],
  ): void {
    const list = this.news.select(alerts, incidents, quiet || !this.enabled, opened);
    for (const n of list) {
      try {
        new Notification(n.title, { body: n.body, tag: n.tag });
      } catch {
        // Some platforms only allow notifications from a service worker; the alerts panel still lists them.
      }
    }
  }
}
