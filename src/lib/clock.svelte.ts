/**
 * One clock for every time the page shows: UTC (the default, as the report), the browser's zone, or an IANA
 * name. Tables, the log view, charts' axes and tooltips all format through here, so changing it changes them all
 * at once; it is a display preference (kept in local storage), so it re-runs nothing. Queries, the report and
 * exports keep absolute ISO-8601 UTC instants (their schemas promise it), whatever the clock.
 */

import { browserZone, clockError, offsetAt, wallTime } from './clock.ts';

export { browserZone, clockError, offsetAt, wallTime };

const KEY = 'loglens.clock';

/** 'UTC', 'local' (the browser's zone) or an IANA name such as 'Europe/Berlin' */
export type ClockSetting = string;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function initial(): ClockSetting {
  const saved = storage()?.getItem(KEY) ?? null;
  return saved !== null && clockError(saved) === null ? saved.trim() : 'UTC';
}

export const clock = $state<{ setting: ClockSetting }>({ setting: initial() });

/** Sets the clock (kept for the next visit); returns the error and keeps the clock when `setting` is unknown. */
export function setClock(setting: string): string | null {
  const error = clockError(setting);
  if (error !== null) return error;
  clock.setting = setting.trim();
  try {
    storage()?.setItem(KEY, clock.setting);
  } catch {
    // storage full or blocked: the clock still applies for this visit
  }
  return null;
}

/** The IANA zone the clock shows times in now. */
export function clockZone(): string {
  const s = clock.setting;
  return s === 'local' ? browserZone() : s;
}

/** A time as the page shows it, in the clock's zone with its label: "… UTC" or "… +01:00". */
export function showTime(ms: number): string {
  const zone = clockZone();
  if (zone === 'UTC') return `${wallTime(ms, zone)} UTC`;
  return Number.isFinite(ms) ? `${wallTime(ms, zone)} ${offsetAt(zone, ms)}` : '—';
}

/** What axes and column heads say: "UTC", or "Europe/Berlin". */
export function clockLabel(): string {
  return clockZone();
}
