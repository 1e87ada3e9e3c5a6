import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileLinear,
  compileUserRegex,
  engineOf,
  LinearRegex,
  provenSafe,
  UserRegexError,
} from '../../src/engine/user-regex.ts';
import { parseConfig } from '../../src/engine/config.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { config, fileOf } from './helpers.ts';
import { LEVELS_AND_NONE } from '../../src/engine/types.ts';

const A40 = 'a'.repeat(40) + '!';

describe('user regexes: proven safe → native, otherwise linear-time', () => {
  it('runs anchored, unambiguous patterns natively', () => {
    for (const src of [
      '^Starting \\S+ version',
      '^(?<time>\\d{4}-\\d\\d-\\d\\dT\\S+) (?<level>\\w+) (?<service>[\\w.-]+) (?<message>.*)$',
      '^(\\S+) (\\S+) (.*)$',
    ]) {
      const r = compileUserRegex(src, false);
      expect(engineOf(r), src).toBe('native');
      expect(r).toBeInstanceOf(RegExp);
    }
  });

  it('sends catastrophic and unproven patterns to the linear engine, with the same answers', () => {
    const cases: [string, boolean, string, string | null][] = [
      ['(a+)+$', false, 'a'.repeat(5000) + '!', null],
      ['^(?<message>(a+)+)$', false, 'a'.repeat(36) + '!', null],
      ['^(?<message>(?:(a+)+b|.*))$', false, 'a'.repeat(30) + '!', 'a'.repeat(30) + '!'],
      ['(a|a)*$', true, 'A'.repeat(3000) + '!', ''],
      ['.*a.*a.*b', false, 'a'.repeat(3000), null],
    ];
    for (const [src, i, input, whole] of cases) {
      const r = compileUserRegex(src, i);
      expect(engineOf(r), src).toBe('linear');
      expect(r).toBeInstanceOf(LinearRegex);
      const m = r.exec(input);
      expect(m === null ? null : m[0], src).toBe(whole);
    }
    const m = compileUserRegex('^(?<message>(?:(a+)+b|.*))$', false).exec('aaab');
    expect(m?.groups?.message).toBe('aaab');
  });

  it('refuses, with the reason, what neither engine can run safely', () => {
    expect(() => compileUserRegex('(', false)).toThrow(/^is not a valid regular expression: /);
    expect(() => compileUserRegex('(\\d+)\\s+\\1', false)).toThrow(UserRegexError);
    expect(() => compileUserRegex('(\\d+)\\s+\\1', false)).toThrow(/uses a backreference \(\\1, \\k<name>\)/);
    expect(() => compileUserRegex('(?<x>a+)+\\k<x>', false)).toThrow(/uses a backreference/);
    expect(() => compileUserRegex('(?=a)(a+)+$', false)).toThrow(/uses a lookahead/);
    // whatever the check would say: a lookaround's rescans and a backreference's compares are not modelled
    expect(() => compileUserRegex('^(?:a(?![a-z]*!))*$', false)).toThrow(/uses a lookahead/);
    expect(() => compileUserRegex('^(\\w+)\\s\\1$', false)).toThrow(/uses a backreference/);
    // escaped, they are plain characters
    expect(engineOf(compileUserRegex('^\\\\1 \\(?=x$', false))).toBe('native');
    // a lookbehind is never proven (its cost is not modelled): re2js runs it, in linear time
    const lb = compileUserRegex('^(?<message>(?:(?<=^[a-z]*)[a-z])*)$', false);
    expect(engineOf(lb)).toBe('linear');
    expect(lb.exec('a'.repeat(32_000) + '!')).toBeNull();
    expect(lb.exec('abc')?.groups?.message).toBe('abc');
  });

  it('proofs respect the case flag: ASCII patterns are checked as written', () => {
    expect(provenSafe('^error: (?<code>\\d+)$', true)).toBe(true);
    expect(provenSafe('^a*A*$', false)).toBe(true); // disjoint when case matters …
    expect(provenSafe('^a*A*$', true)).toBe(false); // … ambiguous when it does not
    expect(provenSafe('^é+$', true)).toBe(false); // non-ASCII under i: not proven (u-mode folding differs)
  });

  it('native and linear engines agree on random inputs (differential)', () => {
    const patterns = [
      '^(?<k>[a-c]+)=(?<v>\\d*)$',
      '(?<w>ab|b)c',
      '^(?<time>\\d\\d:\\d\\d) (?<level>[A-Z]+) (?<message>.*)$',
      'x(?<n>\\d{1,3})y',
      '^(?<time>\\S+) (?<message>.*)$',
      '(?<w>\\s+)(?<rest>[\\s\\S]*)',
      '^(?<a>[^\\s:]+):(?<b>.)',
    ];
    const compiled = patterns.map((p) => ({ native: new RegExp(p, 'u'), forced: compileLinear(p, false) }));
    fc.assert(
      fc.property(
        fc.string({
          // the characters where the engines' `.`, `\s` and `\S` used to differ: CR, LF, NBSP, VT, U+2028, BOM
          unit: fc.constantFrom(...'abcxy0123:= AZ\u00e9\r\n\u00a0\v\u2028\ufeff\t'.split('')),
          maxLength: 30,
        }),
        (s) => {
          for (const { native, forced } of compiled) {
            const a = native.exec(s);
            const b = forced.exec(s);
            expect(b === null ? null : [b.index, b[0], { ...b.groups }]).toEqual(
              a === null ? null : [a.index, a[0], { ...a.groups }],
            );
          }
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe('configs holding a catastrophic regex: validated quickly, analyzed correctly', () => {
  it('the issue’s share links: one refused (its sample does not match), one valid', () => {
    const evil = parseConfig({
      customFormats: [
        { name: 'evil', regex: '^(?<message>(a+)+)$', time: 'iso', samples: ['a'.repeat(36) + '!'] },
      ],
    });
    expect(evil).toEqual({
      ok: false,
      errors: [`customFormats.0.samples.0: does not match the regex: "${'a'.repeat(36)}!"`],
    });
    const valid = parseConfig({
      customFormats: [
        { name: 'evil', regex: '^(?<message>(?:(a+)+b|.*))$', time: 'iso', samples: ['a'.repeat(30) + '!'] },
      ],
    });
    expect(valid.ok).toBe(true);
  });

  it('a sequence step (a+)+$ and a custom format with nested repeats finish on 40 "a" then "!"', async () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `2025-03-14T00:48:${String(i % 60).padStart(2, '0')}Z ERROR api ${A40}`,
    );
    const cfg = config({
      sequences: [{ name: 'evil', steps: [{ regex: '(a+)+$' }, { regex: '(a+)+$' }], maxGapSec: 5 }],
    });
    const snap = await analyze([fileOf(lines.join('\n') + '\n')], cfg);
    expect(snap.totals.records).toBe(200);
    expect(snap.detectors.sequences[0]?.matches).toBe(0);
    expect(snap.detectors.sequences[0]?.events).toBe(0);

    const custom = config({
      format: 'custom:evil',
      customFormats: [
        {
          name: 'evil',
          regex: '^(?<time>\\S+) (?<level>\\w+) (?<message>(?:(a+)+b|.*))$',
          time: 'iso',
          samples: [],
        },
      ],
    });
    const snap2 = await analyze([fileOf(lines.join('\n') + '\n')], custom);
    expect(snap2.totals.records).toBe(200);
    expect(snap2.levels[LEVELS_AND_NONE.indexOf('ERROR')]).toBe(200);
    expect(snap2.files[0]?.format).toBe('custom:evil');
  });
});
