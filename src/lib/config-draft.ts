import type { Config, SequenceConfig } from '../engine/config.ts';
import { LEVELS, type Level } from '../engine/types.ts';

/**
 * The settings form edits a draft: the config with form-friendly values (text for optional strings, a
 * comma list for levels, null for an emptied number). `fromDraft` turns it back into a config document for
 * validation, so the form and a JSON file go through the same checks and give the same messages.
 */
export interface StepDraft {
  contains: string;
  regex: string;
  caseSensitive: boolean;
  /** "ERROR" or "ERROR, FATAL"; empty for any level */
  levels: string;
  service: string;
}

export interface SequenceDraft {
  name: string;
  maxGapSec: number | null;
  key: string;
  steps: StepDraft[];
}

export interface ConfigDraft {
  maxLineBytes: number | null;
  timeZone: string;
  errorLevels: Level[];
  maxBuckets: number | null;
  /** `auto`: the threshold is "auto" (the number field is then ignored) */
  spikes: { windowSec: number | null; threshold: number | null; auto: boolean };
  anomalies: {
    bucketSec: number | null;
    history: number | null;
    minHistory: number | null;
    z: number | null;
    minCount: number | null;
    minStd: number | null;
    minExcess: number | null;
    baseline: 'robust' | 'mean';
  };
  incidents: { minSeverity: number | null };
  sequences: SequenceDraft[];
  alerts: { spikes: boolean; anomalies: ('errors' | 'volume')[]; allSequences: boolean; sequences: string[] };
  /** set from the Files table's menu; carried through the panel unchanged */
  format: string;
  customFormats: CustomFormatDraft[];
  templates: {
    similarity: number | null;
    depth: number | null;
    maxChildren: number | null;
    maxTemplates: number | null;
  };
}

export interface CustomFormatDraft {
  name: string;
  regex: string;
  time: string;
  /** sample lines, one per line */
  samples: string;
}

export function emptyCustomFormat(n: number): CustomFormatDraft {
  return {
    name: `my-format-${n}`,
    regex: '^(?<time>\\S+ \\S+) (?<level>\\w+) (?<message>.*)$',
    time: 'YYYY-MM-DD HH:mm:ss',
    samples: '',
  };
}

export function emptyStep(): StepDraft {
  return { contains: '', regex: '', caseSensitive: false, levels: '', service: '' };
}

export function emptySequence(n: number): SequenceDraft {
  return { name: `sequence-${n}`, maxGapSec: 30, key: '', steps: [emptyStep(), emptyStep()] };
}

export function toDraft(c: Config): ConfigDraft {
  return {
    maxLineBytes: c.maxLineBytes,
    timeZone: c.timeZone,
    errorLevels: [...c.errorLevels],
    maxBuckets: c.timeline.maxBuckets,
    spikes: {
      windowSec: c.spikes.windowSec,
      threshold: c.spikes.threshold === 'auto' ? 50 : c.spikes.threshold,
      auto: c.spikes.threshold === 'auto',
    },
    anomalies: { ...c.anomalies },
    incidents: { ...c.incidents },
    sequences: c.sequences.map((s) => ({
      name: s.name,
      maxGapSec: s.maxGapSec,
      key: s.key ?? '',
      steps: s.steps.map((st) => ({
        contains: st.contains ?? '',
        regex: st.regex ?? '',
        caseSensitive: st.caseSensitive ?? false,
        levels: st.level === undefined ? '' : Array.isArray(st.level) ? st.level.join(', ') : st.level,
        service: st.service ?? '',
      })),
    })),
    format: c.format,
    customFormats: c.customFormats.map((f) => ({
      name: f.name,
      regex: f.regex,
      time: f.time,
      samples: f.samples.join('\n'),
    })),
    templates: { ...c.templates },
    alerts: {
      spikes: c.alerts.spikes,
      anomalies: [...c.alerts.anomalies],
      allSequences: c.alerts.sequences === 'all',
      sequences: c.alerts.sequences === 'all' ? [] : [...c.alerts.sequences],
    },
  };
}

/** Levels from "ERROR, fatal": upper-cased; an unknown word is kept so that validation names it. */
function levelsOf(text: string): string | string[] | undefined {
  const words = text
    .split(/[\s,]+/)
    .map((w) => w.trim().toUpperCase())
    .filter((w) => w !== '');
  if (words.length === 0) return undefined;
  return words.length === 1 ? words[0] : words;
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s);

export function fromDraft(d: ConfigDraft): unknown {
  const sequences: unknown[] = d.sequences.map((s) => {
    const out: Record<string, unknown> = {
      name: s.name,
      maxGapSec: s.maxGapSec,
      steps: s.steps.map((st) => {
        const step: Record<string, unknown> = {};
        if (opt(st.contains) !== undefined) step.contains = st.contains;
        if (opt(st.regex) !== undefined) step.regex = st.regex;
        if (st.caseSensitive) step.caseSensitive = true;
        const levels = levelsOf(st.levels);
        if (levels !== undefined) step.level = levels;
        if (opt(st.service) !== undefined) step.service = st.service.trim();
        return step;
      }),
    };
    if (opt(s.key) !== undefined) out.key = s.key.trim();
    return out;
  });
  return {
    schema: 'loglens.config/1',
    maxLineBytes: d.maxLineBytes,
    timeZone: d.timeZone.trim(),
    errorLevels: LEVELS.filter((l) => d.errorLevels.includes(l)),
    timeline: { maxBuckets: d.maxBuckets },
    spikes: { windowSec: d.spikes.windowSec, threshold: d.spikes.auto ? 'auto' : d.spikes.threshold },
    anomalies: { ...d.anomalies },
    incidents: { ...d.incidents },
    sequences,
    format: d.format,
    customFormats: d.customFormats.map((f) => ({
      name: f.name,
      regex: f.regex,
      time: f.time,
      samples: f.samples.split('\n').filter((l) => l.trim() !== ''),
    })),
    templates: { ...d.templates },
    alerts: {
      spikes: d.alerts.spikes,
      anomalies: d.alerts.anomalies,
      sequences: d.alerts.allSequences
        ? 'all'
        : d.alerts.sequences.filter((n) => d.sequences.some((s) => s.name === n)),
    },
  };
}

export type { SequenceConfig };
