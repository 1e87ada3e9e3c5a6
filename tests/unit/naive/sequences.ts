import type { Level, LogRecord } from '../../../src/engine/types.ts';

/**
 * A deliberately naive reading of the event-sequence definition, written from the specification only (it
 * does not import the matcher): sort the timed records by (time, fileIndex, line), then for every pattern
 * run the state machine literally over every record, testing every condition of every step each time, with
 * one state per key value in a Map.
 */
export interface NaiveStep {
  contains?: string | undefined;
  regex?: string | undefined;
  caseSensitive?: boolean | undefined;
  level?: Level | Level[] | undefined;
  service?: string | undefined;
}

export interface NaivePattern {
  name: string;
  steps: NaiveStep[];
  maxGapSec: number;
  key?: string | undefined;
}

export interface NaiveHit {
  file: string;
  line: number;
  time: number;
  /** where the record is, to read it again (carried through unchanged) */
  fileIndex: number;
  offset: number;
  length: number;
}

export interface NaiveMatch {
  key: string | null;
  start: number;
  end: number;
  durationMs: number;
  steps: NaiveHit[];
}

export interface NaiveSequenceResult {
  name: string;
  matches: number;
  firstMatch: number | null;
  lastMatch: number | null;
  medianDurationMs: number | null;
  examples: NaiveMatch[];
  /** timed records that matched at least one step (with a key value, for a keyed pattern) */
  events: number;
}

export const NAIVE_MAX_EXAMPLES = 20;

interface StepVerdict {
  matched: boolean;
  /** the named group called like the pattern's key, when the step's regex captured it */
  group: string | null;
}

function testStep(step: NaiveStep, r: LogRecord, key: string | undefined): StepVerdict {
  const no: StepVerdict = { matched: false, group: null };
  const cs = step.caseSensitive === true;
  if (step.contains !== undefined) {
    const ok = cs
      ? r.message.includes(step.contains)
      : r.message.toLowerCase().includes(step.contains.toLowerCase());
    if (!ok) return no;
  }
  let group: string | null = null;
  if (step.regex !== undefined) {
    const m = new RegExp(step.regex, cs ? 'u' : 'iu').exec(r.message);
    if (m === null) return no;
    if (key !== undefined && m.groups !== undefined) {
      const g = m.groups[key];
      if (g !== undefined) group = g;
    }
  }
  if (step.level !== undefined) {
    const levels = Array.isArray(step.level) ? step.level : [step.level];
    if (r.level === null || !levels.includes(r.level)) return no;
  }
  if (step.service !== undefined && r.service !== step.service) return no;
  return { matched: true, group };
}

function keyValue(r: LogRecord, key: string, group: string | null): string | null {
  if (group !== null) return group;
  if (key === 'service') return r.service;
  if (key === 'file') return r.file;
  if (key === 'level') return r.level;
  const v = r.fields === null ? undefined : r.fields[key];
  return v === undefined || v === null ? null : String(v);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface State {
  k: number;
  t: number;
  hits: NaiveHit[];
}

export function naiveSequences(
  records: readonly LogRecord[],
  patterns: readonly NaivePattern[],
): NaiveSequenceResult[] {
  const ordered = records
    .filter((r) => r.time !== null)
    .sort((a, b) => a.time! - b.time! || a.fileIndex - b.fileIndex || a.line - b.line);
  return patterns.map((pat) => {
    const states = new Map<string | null, State>();
    const found: NaiveMatch[] = [];
    let events = 0;
    for (const r of ordered) {
      const time = r.time!;
      // the steps this record matches, grouped by the key value each gives
      const byKey = new Map<string | null, Set<number>>();
      pat.steps.forEach((step, s) => {
        const v = testStep(step, r, pat.key);
        if (!v.matched) return;
        const key = pat.key === undefined ? null : keyValue(r, pat.key, v.group);
        if (pat.key !== undefined && key === null) return; // no key value: ignored by a keyed pattern
        let set = byKey.get(key);
        if (set === undefined) byKey.set(key, (set = new Set()));
        set.add(s);
      });
      if (byKey.size > 0) events++;
      for (const [key, matched] of byKey) {
        let st = states.get(key);
        if (st === undefined) states.set(key, (st = { k: 0, t: 0, hits: [] }));
        if (st.k > 0 && (time - st.t) / 1000 > pat.maxGapSec) {
          st.k = 0;
          st.hits = [];
        }
        const hit = {
          file: r.file,
          line: r.line,
          time,
          fileIndex: r.fileIndex,
          offset: r.offset,
          length: r.length,
        };
        if (matched.has(st.k)) {
          st.k += 1;
          st.t = time;
          st.hits.push(hit);
          if (st.k === pat.steps.length) {
            const begin = st.hits[0]!.time;
            found.push({ key, start: begin, end: time, durationMs: time - begin, steps: st.hits });
            st.k = 0;
            st.hits = [];
          }
        } else if (st.k > 0 && matched.has(0)) {
          st.k = 1;
          st.t = time;
          st.hits = [hit];
        }
      }
    }
    return {
      name: pat.name,
      matches: found.length,
      firstMatch: found.length > 0 ? found[0]!.end : null,
      lastMatch: found.length > 0 ? found[found.length - 1]!.end : null,
      medianDurationMs: median(found.map((m) => m.durationMs)),
      examples: found.slice(0, NAIVE_MAX_EXAMPLES),
      events,
    };
  });
}
