/** Display helpers: numbers, sizes, durations, times. */

const nf = new Intl.NumberFormat('en-US');

export function num(n: number): string {
  return nf.format(n);
}

export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** A size in powers of 1024, as `--keep` takes it: 256 MiB, 64 KiB, 1.5 GiB; under 1 KiB, bytes. */
export function binaryBytes(n: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const)
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  return `${n} B`;
}

export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = ms / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const rs = Math.round(s - m * 60);
  if (m < 60) return rs ? `${m} min ${rs} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m - h * 60 ? `${h} h ${m - h * 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h - d * 24 ? `${d} d ${h - d * 24} h` : `${d} d`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** An instant as the query language writes it (ISO 8601, UTC; milliseconds only when there are some). */
export function isoQuery(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The query of a time range, from `start` up to `end` (src/engine/query: `time:a..b`). */
export function timeQuery(start: number, end: number): string {
  return `time:${isoQuery(start)}..${isoQuery(end)}`;
}

/** A query term for one value: quoted when it holds spaces, quotes or the language's own signs. */
export function queryTerm(field: string, value: string): string {
  return /^[\w.\-@]+$/.test(value) && !value.includes('..')
    ? `${field}:${value}`
    : `${field}:"${value.replace(/["\\]/g, '\\$&')}"`;
}
