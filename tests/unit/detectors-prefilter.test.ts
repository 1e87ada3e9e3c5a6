import { describe, it, expect } from 'vitest';
import { SequenceMatcher, type PatternSpec } from '../../src/engine/analyzers/sequences.ts';
import { naiveSequences } from './naive/sequences.ts';
import { rec } from './helpers.ts';

/**
 * The sequence matcher skips records that its prefilter regex (flag i, literal alternation) rejects. These
 * messages are the ones where that regex's case folding or character counting differs from the real tests
 * (toLowerCase for contains, the u flag for regexes): the results must still equal the naive replay.
 */
const MESSAGES = [
  'KELVIN sign: \u212A',
  'ſhutting down now', // ſ (long s) folds to s under the u flag, not under toLowerCase
  'SHUTTING DOWN',
  'İ am ready to accept connections',
  'ready to accept \u212Aonnections',
  '😀😀 astral',
  'abc',
  'Starting x version 1',
  'STARTING Y VERSION 2',
  'nothing to see',
];

const PATTERNS: PatternSpec[] = [
  {
    name: 'contains',
    steps: [{ contains: 'shutting down' }, { contains: 'ready to accept connections' }],
    maxGapSec: 1e6,
  },
  { name: 'kelvin', steps: [{ contains: 'kelvin sign: k' }, { contains: 'abc' }], maxGapSec: 1e6 },
  {
    name: 'regex-fold',
    steps: [{ regex: 'shutting down' }, { regex: '^starting \\S+ version' }],
    maxGapSec: 1e6,
  },
  { name: 'astral-count', steps: [{ regex: '^.{9}$' }, { regex: '^abc$' }], maxGapSec: 1e6 },
  {
    name: 'case-sensitive',
    steps: [
      { contains: 'SHUTTING', caseSensitive: true },
      { regex: 'Y VERSION', caseSensitive: true },
    ],
    maxGapSec: 1e6,
  },
];

describe('the sequence prefilter never drops a record the full test would match', () => {
  it('equals the naive replay on messages with the characters where case folding differs', () => {
    for (let round = 0; round < 20; round++) {
      const records = Array.from({ length: 60 }, (_, i) =>
        rec(1_700_000_000_000 + i * 1000, 'INFO', 'svc', {
          line: i + 1,
          message: MESSAGES[(i * 7 + round) % MESSAGES.length]!,
        }),
      );
      const m = new SequenceMatcher(PATTERNS);
      for (const r of records) m.push(r);
      const got = m.snapshot().map((s) => ({ name: s.name, matches: s.matches, events: s.events }));
      const want = naiveSequences(records, PATTERNS).map((s) => ({
        name: s.name,
        matches: s.matches,
        events: s.events,
      }));
      expect(got).toEqual(want);
    }
  });

  it('matches through the folded characters at all (the cases are not vacuous)', () => {
    const records = MESSAGES.map((message, i) =>
      rec(1_700_000_000_000 + i * 1000, 'INFO', 'svc', { line: i + 1, message }),
    );
    const m = new SequenceMatcher(PATTERNS);
    for (const r of records) m.push(r);
    const byName = Object.fromEntries(m.snapshot().map((s) => [s.name, s.matches]));
    expect(byName.kelvin).toBe(1); // 'KELVIN sign: K' lower-cases to '… k'
    expect(byName['astral-count']).toBe(1); // '😀😀 astral' is 9 code points (11 UTF-16 units)
    expect(byName['regex-fold']).toBeGreaterThan(0);
  });
});
