import { serviceFromFileName } from './records.ts';

/**
 * Orders files so that rotated sets read oldest first and together: app.log.3.gz, app.log.2.gz, app.log.1,
 * app.log; date-suffixed rotations (app.log-20240114) by date. Other files keep their relative order.
 */
export function orderRotated<T extends { name: string }>(files: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const f of files) {
    const key = serviceFromFileName(f.name);
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const out: T[] = [];
  for (const g of groups.values())
    out.push(...g.sort((a, b) => age(b.name) - age(a.name) || cmp(a.name, b.name)));
  return out;
}

/** How many rotations old a file is: .N → N, a date suffix → days before 2100, no suffix → 0. */
function age(name: string): number {
  const n = name.replace(/\.gz$/i, '');
  const num = /\.(\d{1,3})$/.exec(n);
  if (num) return Number(num[1]);
  const date = /[.-](\d{4})-?(\d\d)-?(\d\d)$/.exec(n);
  if (date)
    return (
      (Date.UTC(2100, 0, 1) - Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))) / 86_400_000
    );
  return 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
