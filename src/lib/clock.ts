/** Times in a zone, for the page's clock (src/lib/clock.svelte.ts): plain functions, tested in tests/unit/clock.test.ts. */

/** The browser's own zone (what 'local' means). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** An error message when `setting` is not a zone this browser knows, else null. */
export function clockError(setting: string): string | null {
  const s = setting.trim();
  if (s === 'UTC' || s === 'local') return null;
  if (s === '') return 'Give a time zone: UTC, local, or an IANA name such as Europe/Berlin.';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s });
    return null;
  } catch {
    return `"${s}" is not a time zone this browser knows (an IANA name such as Europe/Berlin, or UTC, or local).`;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string, ms: number): Record<string, string> {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

/** The zone's offset from UTC at `ms`, as +hh:mm. */
export function offsetAt(zone: string, ms: number): string {
  const p = partsIn(zone, ms);
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  const minutes = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** `ms` as 2025-03-14 01:48:00.000 in `zone` (no zone label). */
export function wallTime(ms: number, zone: string): string {
  if (!Number.isFinite(ms)) return '—';
  if (zone === 'UTC') return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
  const p = partsIn(zone, ms);
  const frac = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${frac}`;
}
