import { DDSketch } from '@datadog/sketches-js';
import { compileUserRegex, provenSafe, type UserRegex } from '../user-regex.ts';
import type { Level, LogRecord } from '../types.ts';
import type { Analyzer } from './analyzer.ts';

/** One step of a pattern, as configured: every condition it gives must hold. */
export interface StepSpec {
  contains?: string | undefined;
  regex?: string | undefined;
  caseSensitive?: boolean | undefined;
  level?: Level | Level[] | undefined;
  service?: string | undefined;
}

export interface PatternSpec {
  name: string;
  steps: StepSpec[];
  maxGapSec: number;
  key?: string | undefined;
}

export interface SequenceStepHit {
  file: string;
  line: number;
  time: number;
  /** where the record is in its file (after the analysis' file order), to read it again */
  fileIndex: number;
  offset: number;
  length: number;
}

export interface SequenceMatch {
  key: string | null;
  /** time of the first step */
  start: number;
  /** time of the last step: when the match completed */
  end: number;
  durationMs: number;
  steps: SequenceStepHit[];
}

export interface SequenceResult {
  name: string;
  matches: number;
  /** completion time of the first and last match (ms), null without matches */
  firstMatch: number | null;
  lastMatch: number | null;
  medianDurationMs: number | null;
  /** the first matches, up to MAX_EXAMPLES */
  examples: SequenceMatch[];
  /** records that matched at least one step (the events the matcher replays) */
  events: number;
}

export const MAX_EXAMPLES = 20;
/** A live analysis' events replayed are dropped once this many are kept (docs/live.md, "Over hours"). */
export const COMPACT_EVENTS = 10_000;
/**
 * A live analysis keeps this many match durations for an exact median; past them, the durations go into a
 * DDSketch and the median is within ±1 % (docs/live.md, "Over hours"). One pass keeps them all.
 */
export const EXACT_DURATIONS = 20_000;
/** The DDSketch's relative accuracy for a live analysis' median duration past EXACT_DURATIONS. */
const DURATION_ACCURACY = 0.01;

/** A step compiled once: lower-cased needle, the regex on the engine it may safely use (user-regex.ts). */
interface CompiledStep {
  contains: string | null;
  caseSensitive: boolean;
  regex: UserRegex | null;
  levels: Set<Level> | null;
  service: string | null;
}

interface Compiled {
  spec: PatternSpec;
  steps: CompiledStep[];
  gapSec: number;
  key: string | null;
  /** a regex source that every message matching some step matches, or null when there is none */
  filter: string | null;
}

export const MAX_STEPS = 30;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Ordered event sequences with bounded gaps, per key. Records are replayed in time order (ties in file
 * order): per key, state (k = next step, t = time of the last matched step); if k > 0 and time − t > maxGap,
 * k = 0; then if the record matches step k, advance (and count a match when all steps matched, then reset);
 * else if k > 0 and it matches step 0, restart at k = 1.
 *
 * Only records matching some step are kept (as events), so the state is small and mergeable; the replay is
 * incremental while events arrive in order, and starts over after an out-of-order one.
 */
export class SequenceMatcher implements Analyzer<SequenceResult[]> {
  private readonly patterns: Compiled[];
  private readonly events: PatternEvents[];

  /**
   * One regex that any message a prefiltered pattern could match must match: most records match no step,
   * and one test of an alternation of literals (flag i, which keeps V8's literal search) is ~3x cheaper than
   * lower-casing the message and searching each needle. Built from ASCII needles and plain ASCII regexes
   * only. Case folding differs from toLowerCase() / the u flag only for the three non-ASCII characters that
   * fold onto ASCII letters (İ → i, ſ → s, K (Kelvin) → k), and without the u flag a character outside the
   * BMP counts as two: a message holding any of these always passes.
   */
  private readonly prefilter: RegExp | null;

  constructor(specs: readonly PatternSpec[]) {
    for (const s of specs) {
      if (s.steps.length > MAX_STEPS)
        throw new RangeError(`sequence "${s.name}": at most ${MAX_STEPS} steps`);
      if (!(s.maxGapSec > 0)) throw new RangeError(`sequence "${s.name}": maxGapSec must be > 0`);
    }
    this.patterns = specs.map(compile);
    this.events = specs.map(() => new PatternEvents());
    const parts = this.patterns.filter((p) => p.filter !== null).map((p) => p.filter!);
    this.prefilter =
      parts.length > 0 ? new RegExp(`${parts.join('|')}|[\\u0130\\u017f\\u212a\\ud800-\\udfff]`, 'i') : null;
  }

  push(r: LogRecord): void {
    const t = r.time;
    if (t === null) return;
    const msg = r.message;
    // false: no prefiltered pattern can match this record
    const maybe = this.prefilter === null || this.prefilter.test(msg);
    let lower: string | null = null;
    for (let p = 0; p < this.patterns.length; p++) {
      const pat = this.patterns[p]!;
      if (!maybe && pat.filter !== null) continue;
      let mask = 0;
      // Usually every matching step gives the same key; when regex groups give different ones, the record
      // takes part in each key's state with the steps that gave it.
      let key: string | null = null;
      let others: Map<string | null, number> | null = null;
      for (let s = 0; s < pat.steps.length; s++) {
        const st = pat.steps[s]!;
        if (st.levels !== null && (r.level === null || !st.levels.has(r.level))) continue;
        if (st.service !== null && r.service !== st.service) continue;
        if (st.contains !== null) {
          if (st.caseSensitive) {
            if (!r.message.includes(st.contains)) continue;
          } else {
            lower ??= r.message.toLowerCase();
            if (!lower.includes(st.contains)) continue;
          }
        }
        let stepKey: string | null = null;
        if (st.regex !== null) {
          const m = st.regex.exec(r.message);
          if (m === null) continue;
          if (pat.key !== null && m.groups !== undefined) stepKey = m.groups[pat.key] ?? null;
        }
        if (pat.key !== null) {
          const k = stepKey ?? keyOf(r, pat.key);
          if (k === null) continue; // a keyed pattern ignores records without the key
          if (mask === 0) key = k;
          else if (key !== k) {
            others ??= new Map();
            others.set(k, (others.get(k) ?? 0) | (1 << s));
            continue;
          }
        }
        mask |= 1 << s;
      }
      if (mask !== 0) this.events[p]!.add(t, r.fileIndex, r.line, r.file, mask, key, r.offset, r.length);
      if (others !== null)
        for (const [k, m] of others)
          this.events[p]!.add(t, r.fileIndex, r.line, r.file, m, k, r.offset, r.length);
    }
  }

  /** `lineOffset`: lines before the other's input, when it read a later slice of the same file */
  merge(other: SequenceMatcher, lineOffset = 0): void {
    for (let p = 0; p < this.events.length; p++) this.events[p]!.addAll(other.events[p]!, lineOffset);
  }

  snapshot(): SequenceResult[] {
    return this.patterns.map((pat, p) => this.events[p]!.replay(pat));
  }

  /**
   * A live analysis: one pass, never merged, followed for hours. The events already replayed are dropped
   * (past COMPACT_EVENTS) so that memory stays flat; the counts, the examples and the median go on as before.
   * Once some are dropped, an event older than the last one is replayed where it arrives (the others' order
   * cannot be replayed again).
   */
  live(): void {
    for (const e of this.events) e.bounded = true;
  }
}

function keyOf(r: LogRecord, key: string): string | null {
  switch (key) {
    case 'service':
      return r.service;
    case 'file':
      return r.file;
    case 'level':
      return r.level;
    default: {
      // own keys only: a key named "__proto__" or "constructor" is a field, not Object.prototype's
      const f = r.fields;
      const v = f !== null && Object.hasOwn(f, key) ? f[key] : undefined;
      return v === undefined || v === null ? null : String(v);
    }
  }
}

function compile(spec: PatternSpec): Compiled {
  return {
    spec,
    gapSec: spec.maxGapSec,
    key: spec.key ?? null,
    filter: prefilterOf(spec),
    steps: spec.steps.map((s) => {
      const cs = s.caseSensitive ?? false;
      return {
        contains:
          s.contains === undefined || s.contains === '' ? null : cs ? s.contains : s.contains.toLowerCase(),
        caseSensitive: cs,
        regex: s.regex === undefined || s.regex === '' ? null : compileUserRegex(s.regex, !cs),
        levels: s.level === undefined ? null : new Set(Array.isArray(s.level) ? s.level : [s.level]),
        service: s.service === undefined || s.service === '' ? null : s.service,
      };
    }),
  };
}

/**
 * The alternation of the pattern's steps' texts, when every step has an ASCII `contains` or a simple ASCII
 * regex: a message that matches no alternative matches no step.
 */
function prefilterOf(spec: PatternSpec): string | null {
  const alts: string[] = [];
  for (const st of spec.steps) {
    if (st.contains !== undefined && st.contains !== '') {
      if (NON_ASCII.test(st.contains)) return null;
      alts.push(st.contains.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    } else if (st.regex !== undefined && st.regex !== '') {
      // back-references, named groups and u-only syntax (\p{…}, \u{…}) would change meaning here
      if (NON_ASCII.test(st.regex) || /\\\d|\\k<|\(\?<|\\[pP]|\\u\{/.test(st.regex)) return null;
      // the prefilter runs natively: only a regex proven free of catastrophic backtracking may join it
      if (!provenSafe(st.regex, true)) return null;
      try {
        new RegExp(st.regex, 'i');
      } catch {
        return null;
      }
      alts.push(`(?:${st.regex})`);
    } else {
      return null; // a step on level or service alone can match any message
    }
  }
  return alts.join('|');
}

interface KeyState {
  k: number;
  t: number;
  hits: SequenceStepHit[];
}

/** The events of one pattern, plus the replay state for incremental snapshots. */
class PatternEvents {
  time: number[] = [];
  file: number[] = [];
  line: number[] = [];
  fileName: string[] = [];
  offset: number[] = [];
  length: number[] = [];
  mask: number[] = [];
  key: (string | null)[] = [];
  private sorted = true;
  /** a live analysis' events: those replayed are dropped (SequenceMatcher.live) */
  bounded = false;
  /** events dropped after their replay */
  private dropped = 0;
  // replay state, valid for events [0, done)
  private done = 0;
  private states = new Map<string | null, KeyState>();
  private matches = 0;
  private firstMatch: number | null = null;
  private lastMatch: number | null = null;
  private durations: number[] = [];
  /** a live analysis' durations past EXACT_DURATIONS (then `durations` is empty) */
  private sketch: DDSketch | null = null;
  /** the median of the durations, or undefined once one was added since */
  private medianMs: number | null | undefined = null;
  private examples: SequenceMatch[] = [];

  add(
    t: number,
    file: number,
    line: number,
    name: string,
    mask: number,
    key: string | null,
    offset: number,
    length: number,
  ): void {
    const n = this.time.length;
    // once replayed events were dropped (a live analysis), one out of order is replayed where it arrives
    if (
      n > 0 &&
      this.sorted &&
      this.dropped === 0 &&
      compare(t, file, line, this.time[n - 1]!, this.file[n - 1]!, this.line[n - 1]!) < 0
    ) {
      this.sorted = false;
    }
    this.time.push(t);
    this.file.push(file);
    this.line.push(line);
    this.fileName.push(name);
    this.offset.push(offset);
    this.length.push(length);
    this.mask.push(mask);
    this.key.push(key);
  }

  addAll(o: PatternEvents, lineOffset = 0): void {
    for (let i = 0; i < o.time.length; i++)
      this.add(
        o.time[i]!,
        o.file[i]!,
        o.line[i]! + lineOffset,
        o.fileName[i]!,
        o.mask[i]!,
        o.key[i]!,
        o.offset[i]!,
        o.length[i]!,
      );
  }

  private sortAll(): void {
    const n = this.time.length;
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) =>
      compare(this.time[a]!, this.file[a]!, this.line[a]!, this.time[b]!, this.file[b]!, this.line[b]!),
    );
    const pick = <T>(arr: T[]): T[] => idx.map((i) => arr[i]!);
    this.time = pick(this.time);
    this.file = pick(this.file);
    this.line = pick(this.line);
    this.fileName = pick(this.fileName);
    this.offset = pick(this.offset);
    this.length = pick(this.length);
    this.mask = pick(this.mask);
    this.key = pick(this.key);
    this.sorted = true;
    // start the replay over
    this.done = 0;
    this.states = new Map();
    this.matches = 0;
    this.firstMatch = null;
    this.lastMatch = null;
    this.durations = [];
    this.sketch = null;
    this.medianMs = null;
    this.examples = [];
  }

  replay(pat: Compiled): SequenceResult {
    if (!this.sorted) this.sortAll();
    const nSteps = pat.steps.length;
    for (let i = this.done; i < this.time.length; i++) {
      const t = this.time[i]!;
      const mask = this.mask[i]!;
      const key = this.key[i]!;
      let st = this.states.get(key);
      if (st === undefined) {
        st = { k: 0, t: 0, hits: [] };
        this.states.set(key, st);
      }
      // compared in seconds, as configured: (1001 ms) / 1000 is exactly the double nearest 1.001
      if (st.k > 0 && (t - st.t) / 1000 > pat.gapSec) {
        st.k = 0;
        st.hits = [];
      }
      const hit = {
        file: this.fileName[i]!,
        line: this.line[i]!,
        time: t,
        fileIndex: this.file[i]!,
        offset: this.offset[i]!,
        length: this.length[i]!,
      };
      if (mask & (1 << st.k)) {
        st.k++;
        st.t = t;
        st.hits.push(hit);
        if (st.k === nSteps) {
          const start = st.hits[0]!.time;
          this.matches++;
          this.firstMatch ??= t;
          this.lastMatch = t;
          this.addDuration(t - start);
          if (this.examples.length < MAX_EXAMPLES) {
            this.examples.push({ key, start, end: t, durationMs: t - start, steps: st.hits });
          }
          st.k = 0;
          st.hits = [];
        }
      } else if (st.k > 0 && mask & 1) {
        st.k = 1;
        st.t = t;
        st.hits = [hit];
      }
      // a key at step 0 is the same as a key never seen: not kept (keys such as request ids never come back)
      if (st.k === 0) this.states.delete(key);
    }
    this.done = this.time.length;
    if (this.bounded && this.sorted && this.done >= COMPACT_EVENTS) {
      // a key whose gap has run out is reset by its next event: the same as not kept
      const last = this.time[this.done - 1]!;
      for (const [key, st] of this.states) if ((last - st.t) / 1000 > pat.gapSec) this.states.delete(key);
      this.dropped += this.done;
      this.done = 0;
      this.time = [];
      this.file = [];
      this.line = [];
      this.fileName = [];
      this.offset = [];
      this.length = [];
      this.mask = [];
      this.key = [];
    }
    return {
      name: pat.spec.name,
      matches: this.matches,
      firstMatch: this.firstMatch,
      lastMatch: this.lastMatch,
      medianDurationMs: this.median(),
      examples: this.examples.map((e) => ({ ...e, steps: e.steps.slice() })),
      events: this.time.length + this.dropped,
    };
  }

  private addDuration(ms: number): void {
    this.medianMs = undefined;
    if (this.sketch !== null) {
      this.sketch.accept(ms);
      return;
    }
    this.durations.push(ms);
    if (this.bounded && this.durations.length > EXACT_DURATIONS) {
      this.sketch = new DDSketch({ relativeAccuracy: DURATION_ACCURACY });
      for (const d of this.durations) this.sketch.accept(d);
      this.durations = [];
    }
  }

  /** Exact from the durations; from the sketch (±1 %, rounded to the ms) past EXACT_DURATIONS. */
  private median(): number | null {
    if (this.medianMs === undefined)
      this.medianMs =
        this.sketch !== null
          ? Math.round(
              Math.min(this.sketch.max, Math.max(this.sketch.min, this.sketch.getValueAtQuantile(0.5))),
            )
          : median(this.durations);
    return this.medianMs;
  }
}

function compare(t1: number, f1: number, l1: number, t2: number, f2: number, l2: number): number {
  return t1 - t2 || f1 - f2 || l1 - l2;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
