/**
 * Checks a report's incidents against the generator's truth (issue 12): every planted burst is overlapped by
 * exactly one `errors` incident, every `errors` incident overlaps exactly one planted burst, and every other
 * incident overlaps the planted outage. Prints the incidents and OK or MISMATCH (exit 1).
 *
 *   npm run gen -- --size 200MB --seed 7 --out g.log --truth truth.json
 *   npm run analyze -- g.log --out report.json
 *   npx tsx scripts/check-incidents.ts report.json truth.json
 */
import { readFileSync } from 'node:fs';

interface Span {
  start: number;
  end: number;
}
interface ReportIncident {
  kind: string;
  start: string;
  end: string;
  severity: number;
  title: string;
}
interface Truth {
  incidents: (Span & { service: string })[];
  outage: Span | null;
}

const [reportPath, truthPath] = process.argv.slice(2);
if (!reportPath || !truthPath) {
  console.error('usage: npx tsx scripts/check-incidents.ts report.json truth.json');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
  incidents?: ReportIncident[];
  incidentsTotal?: number;
  spikeThreshold?: number;
};
const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as Truth;
const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
const iso = (t: number): string => new Date(t).toISOString();
const incidents = (report.incidents ?? []).map((i) => ({
  ...i,
  start: Date.parse(i.start),
  end: Date.parse(i.end),
}));
const errors = incidents.filter((i) => i.kind === 'errors');
let ok = true;
for (const p of truth.incidents) {
  const n = errors.filter((i) => overlaps(i, p)).length;
  if (n !== 1) {
    ok = false;
    console.log(`planted ${iso(p.start)} ${p.service}: matched by ${n} error incidents`);
  }
}
for (const i of errors)
  if (truth.incidents.filter((p) => overlaps(i, p)).length !== 1) {
    ok = false;
    console.log(`extra error incident ${iso(i.start)} ${i.severity} ${i.title}`);
  }
for (const i of incidents.filter((x) => x.kind !== 'errors'))
  if (!(truth.outage !== null && overlaps(i, truth.outage))) {
    ok = false;
    console.log(`extra ${i.kind} incident ${iso(i.start)} ${i.severity} ${i.title}`);
  }
console.log(
  `${ok ? 'OK' : 'MISMATCH'}: ${incidents.length} incidents (total ${report.incidentsTotal}), spike threshold ${report.spikeThreshold}`,
);
for (const i of incidents) console.log(`  ${i.kind} ${iso(i.start)} ${i.severity} ${i.title}`);
process.exit(ok ? 0 : 1);
