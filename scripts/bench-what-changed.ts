/**
 * What changed on a big file (docs/what-changed.md): one analysis (kept, for its record index and miner), then
 * whatChangedIn() three times each for a 5-minute window, an hour, and the file's second half against its first.
 * Prints the time, the records read and counted, and the change in resident memory.
 *   npx tsx scripts/bench-what-changed.ts /work/data/real-200MB.log
 */
import { openAsBlob, statSync } from 'node:fs';
import { analyze } from '../src/engine/analyze.ts';
import { parseConfig } from '../src/engine/config.ts';
import type { Analysis } from '../src/engine/analysis.ts';
import { whatChangedIn } from '../src/engine/what-changed.ts';
const path = process.argv[2]!;
const blob = await openAsBlob(path);
const file = new File([blob], path.split('/').pop()!, { lastModified: statSync(path).mtimeMs });
const cfg = parseConfig({});
if (!cfg.ok) throw new Error('config');
let kept: Analysis | null = null;
let t = performance.now();
const snap = await analyze([file], cfg.config, { keep: (a) => (kept = a) });
console.log(`analysis ${((performance.now() - t) / 1000).toFixed(1)} s, ${snap.totals.records} records`);
const first = snap.timeRange!.start,
  last = snap.timeRange!.end;
const ctx = { index: snap.recordIndex!, formats: snap.files.map((f) => f.format), config: cfg.config };
for (const [frac, len] of [
  [0.5, 300_000],
  [0.25, 3_600_000],
  [1, last - first],
] as const) {
  const start = frac === 1 ? first + (last - first) / 2 : first + (last - first) * frac;
  const window = { start, end: frac === 1 ? last + 1 : start + len };
  for (let run = 0; run < 3; run++) {
    const rss0 = process.memoryUsage().rss;
    t = performance.now();
    const r = await whatChangedIn([file], ctx, { window }, kept!.templates);
    console.log(
      `window ${((window.end - window.start) / 60000).toFixed(0)} min: ${(performance.now() - t).toFixed(0)} ms, read ${r.scanned} of ${snap.totals.records} records (${r.records.window}+${r.records.baseline} counted), rss +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MiB; top: ${r.items[0]?.kind} ${r.items[0]?.label} ${r.items[0]?.window}/${r.items[0]?.baseline}`,
    );
  }
}
