import { describe, it, expect } from 'vitest';
import { DEFAULT_TEMPLATE_PARAMS, TemplateMiner } from '../../src/engine/analyzers/templates.ts';
import { errorMask } from '../../src/engine/analyzers/analyzer.ts';
import { generate, type HoldoutKind } from '../fixtures/loghub-holdout/gen.ts';
import { rec } from './helpers.ts';

/**
 * Loghub's grouping accuracy of the template miner on a HELD-OUT set (tests/fixtures/loghub-holdout/gen.ts),
 * written independently of the fixtures the miner was tuned on. The miner sees the message only: each kind's
 * header is stripped here by its known layout. `HOLDOUT_DETAIL=1` prints, per kind below 1, the true templates
 * the miner splits and the clusters that merge several true templates.
 */

const HEADER: Record<string, RegExp> = {
  HDFS: /^\d{6} \d{6} \d+ \w+ [^: ]+: (?<m>.*)$/,
  Hadoop: /^\S+ \S+ \w+ \[[^\]]*\] [\w.$]+: (?<m>.*)$/,
  Spark: /^\S+ \S+ \w+ [\w.$]+: (?<m>.*)$/,
  Zookeeper: /^\S+ \S+ - \w+\s+\[.*?@\d+\] - (?<m>.*)$/,
  BGL: /^(?:\S+ ){9}(?<m>.*)$/,
  HPC: /^(?:\S+ ){6}(?<m>.*)$/,
  Thunderbird: /^(?:\S+ ){4}\w{3} \d+ \S+ \S+ \S+?: (?<m>.*)$/,
  Windows: /^\S+ \S+, \w+\s+\w+\s+(?<m>.*)$/,
  Linux: /^\w{3} \d+ \S+ \S+ \S+?: (?<m>.*)$/,
  Android: /^\S+ \S+\s+\d+\s+\d+ \w [^:]+: (?<m>.*)$/,
  HealthApp: /^[^|]*\|[^|]*\|[^|]*\|(?<m>.*)$/,
  Apache: /^\[[^\]]*\] \[\w+\] (?<m>.*)$/,
  // Loghub's benchmark layout for Proxifier is `[<Time>] <Program> - <Content>`: the program is a header field
  Proxifier: /^\[[^\]]*\] \S+ - (?<m>.*)$/,
  OpenSSH: /^\w{3} \d+ \S+ \S+ sshd\[\d+\]: (?<m>.*)$/,
  OpenStack: /^\S+ \S+ \S+ \d+ \w+ \S+ \[[^\]]*\] (?<m>.*)$/,
  Mac: /^\w{3}\s+\d+ \S+ \S+ (?:[^:[]+\[\d+\]: )?(?<m>.*)$/,
};

const IS_ERROR = errorMask(['ERROR', 'FATAL']);

interface Result {
  kind: HoldoutKind;
  messages: string[];
  /** the miner's template id per line, resolved after the last line */
  predicted: number[];
  miner: TemplateMiner;
  accuracy: number;
  /** with the generator's templates kept apart */
  strict: number;
}

function messageOf(kind: string, line: string): string {
  const m = HEADER[kind]!.exec(line);
  if (m === null) throw new Error(`${kind}: header layout does not match: ${line}`);
  return m.groups!['m']!;
}

/** Loghub's grouping accuracy: a line counts when the lines grouped with it are exactly its true group. */
export function groupingAccuracy(truth: readonly number[], predicted: readonly number[]): number {
  const truthSize = new Map<number, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<number, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g === undefined) groups.set(p, [i]);
    else g.push(i);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]!]!;
    if (lines.every((i) => truth[i] === t) && truthSize.get(t) === lines.length) correct += lines.length;
  }
  return correct / truth.length;
}

/**
 * The true group of a line: its template's text with every token that holds a variable part made one `<*>`
 * (Loghub's convention: `Block broadcast_<*>` and `Block <*>`, or `GET /v2/<*>/servers/detail` and
 * `GET /v2/<*>/servers/<*>`, are one template). `strict` keeps the generator's templates apart.
 */
function truthKeys(kind: HoldoutKind, strict: boolean): number[] {
  if (strict) return kind.lines.map((l) => l.template);
  const norm = kind.templates.map((t) =>
    t
      .split(' ')
      .map((w) => (w.includes('<*>') ? '<*>' : w))
      .join(' '),
  );
  const ids = new Map<string, number>();
  return kind.lines.map((l) => {
    const key = norm[l.template]!;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  });
}

function run(kind: HoldoutKind): Result {
  const miner = new TemplateMiner(DEFAULT_TEMPLATE_PARAMS, IS_ERROR);
  const messages = kind.lines.map((l) => messageOf(kind.name, l.line));
  const ids = messages.map((message, i) => miner.add(rec(null, 'INFO', null, { message, line: i + 1 })));
  const predicted = ids.map((id) => miner.resolve(id));
  const accuracy = groupingAccuracy(truthKeys(kind, false), predicted);
  const strict = groupingAccuracy(truthKeys(kind, true), predicted);
  return { kind, messages, predicted, miner, accuracy, strict };
}

function detail(r: Result): string {
  const out: string[] = [];
  const truth = truthKeys(r.kind, false);
  const text = new Map(truth.map((t, i) => [t, r.kind.templates[r.kind.lines[i]!.template]!]));
  const byTruth = new Map<number, Map<number, number>>();
  const byPred = new Map<number, Map<number, number>>();
  truth.forEach((t, i) => {
    const p = r.predicted[i]!;
    const a = byTruth.get(t) ?? new Map<number, number>();
    a.set(p, (a.get(p) ?? 0) + 1);
    byTruth.set(t, a);
    const b = byPred.get(p) ?? new Map<number, number>();
    b.set(t, (b.get(t) ?? 0) + 1);
    byPred.set(p, b);
  });
  for (const [t, ps] of byTruth) {
    if (ps.size < 2) continue;
    out.push(`  SPLIT  ${text.get(t)}`);
    for (const [p, n] of ps) out.push(`         ${n} × #${p} ${r.miner.template(p)}`);
  }
  for (const [p, ts] of byPred) {
    if (ts.size < 2) continue;
    out.push(`  MERGED #${p} ${r.miner.template(p)}`);
    for (const [t, n] of ts) out.push(`         ${n} × ${text.get(t)}`);
  }
  return out.join('\n');
}

describe('grouping accuracy on the held-out Loghub-like set', () => {
  const kinds = generate();
  const results = kinds.map(run);
  const mean = results.reduce((a, r) => a + r.accuracy, 0) / results.length;
  const floor = Math.min(...results.map((r) => r.accuracy));

  it('reads every line and prints the per-kind table', () => {
    expect(kinds).toHaveLength(16);
    const rows = results.map((r) => {
      const truths = r.kind.templates.length;
      const seen = new Set(r.kind.lines.map((l) => l.template)).size;
      const mined = new Set(r.predicted).size;
      return `${r.kind.name.padEnd(12)} ${r.accuracy.toFixed(3)}  (strict ${r.strict.toFixed(3)})  lines ${r.kind.lines.length}  true templates ${seen}/${truths}  mined ${mined}`;
    });
    console.log(
      `held-out grouping accuracy (mean ${mean.toFixed(3)}, min ${floor.toFixed(3)})\n${rows.join('\n')}`,
    );
    if (process.env['HOLDOUT_DETAIL'])
      for (const r of results)
        if (r.accuracy < 1) console.log(`${r.kind.name} ${r.accuracy.toFixed(3)}\n${detail(r)}`);
    for (const r of results) {
      expect(r.kind.lines.length).toBe(300);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic', () => {
    expect(generate().map((k) => k.lines.map((l) => l.line).join('\n'))).toEqual(
      kinds.map((k) => k.lines.map((l) => l.line).join('\n')),
    );
  });

  it('scores a known case as Loghub does', () => {
    // true groups {0,1,2} {3,4}; predicted {0,1} {2} {3,4}: only 3 and 4 count
    expect(groupingAccuracy([0, 0, 0, 1, 1], [7, 7, 8, 9, 9])).toBe(0.4);
    // predicted merges both: nothing counts
    expect(groupingAccuracy([0, 0, 1], [5, 5, 5])).toBe(0);
  });

  it("meets issue 11's target: a mean of at least 0.90 and no kind below 0.75", () => {
    expect(mean).toBeGreaterThanOrEqual(0.9);
    for (const r of results) expect(r.accuracy, r.kind.name).toBeGreaterThanOrEqual(0.75);
  });

  it('holds the measured level (a ratchet against regressions)', () => {
    // measured 2026-12-01 on wt-miner: mean 0.964, min 0.840 (Thunderbird); each kind may drop 0.02
    const measured: Record<string, number> = {
      HDFS: 1,
      Hadoop: 0.99,
      Spark: 1,
      Zookeeper: 0.973,
      BGL: 1,
      HPC: 1,
      Thunderbird: 0.84,
      Windows: 0.94,
      Linux: 0.863,
      Android: 1,
      HealthApp: 1,
      Apache: 1,
      Proxifier: 1,
      OpenSSH: 0.987,
      OpenStack: 0.93,
      Mac: 0.893,
    };
    for (const r of results)
      expect(r.accuracy, r.kind.name).toBeGreaterThanOrEqual(measured[r.kind.name]! - 0.02);
  });
});
