/** A size given on the command line: a number of bytes, or with a unit (KB, MB, GB: powers of 1000; KiB, MiB, GiB). */
export function parseSize(s: string, flag = '--size'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(s.trim());
  if (!m) throw new Error(`${flag}: expected a size such as 200MB or 1GB, got "${s}"`);
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
  };
  return Math.round(Number(m[1]) * units[(m[2] ?? 'B').toLowerCase()]!);
}
