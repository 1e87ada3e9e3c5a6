import { z } from 'zod';
import { LEVELS } from './types.ts';
import { FORMATS } from './formats/index.ts';
import { checkTimePattern, customSampleProblem } from './formats/custom.ts';
import { compileUserRegex, UserRegexError, type UserRegex } from './user-regex.ts';

/**
 * The configuration document, `loglens.config/1`: validated wherever it enters (page, share link, file,
 * command line), with errors that name the field and the rule. Unknown fields are rejected so that a typo
 * is not silently ignored.
 */
export const CONFIG_SCHEMA_ID = 'loglens.config/1';

// zod compiles parsers with `new Function` unless told not to: the page's CSP forbids eval (script-src 'self'),
// and even zod's probe for it is reported as a violation.
z.config({ jitless: true });

const MiB = 1024 * 1024;

const timeZone = z
  .string()
  .min(1)
  .refine((tz) => tz === 'local' || tz === 'UTC' || isKnownTimeZone(tz), {
    message: 'must be "local", "UTC" or an IANA time zone such as "Europe/Paris"',
  });

const number = () => z.number({ message: 'must be a number' });
const int = (min: number, max: number) =>
  number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A whole number in [min, max], or "auto"; a number's issues are the plain int()'s. */
const intOrAuto = (min: number, max: number) =>
  z.custom<number | 'auto'>().superRefine((v, ctx) => {
    if (v === 'auto') return;
    const r = int(min, max).safeParse(v);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
  });

/** A regular expression as the user wrote it; whether it may run, and on which engine, is checked beside its flags. */
const regexSource = z.string().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');

/**
 * Compiles a user's regex the way the engine will run it (src/engine/user-regex.ts): natively when proven free
 * of catastrophic backtracking, else on the linear-time engine; a pattern that can run on neither is an issue.
 */
function userRegex(
  src: string,
  ignoreCase: boolean,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): UserRegex | null {
  try {
    return compileUserRegex(src, ignoreCase);
  } catch (e) {
    if (!(e instanceof UserRegexError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message, path });
    return null;
  }
}

const level = z.enum(LEVELS, { message: `must be one of ${LEVELS.join(', ')}` });

const StepSchema = z
  .object({
    /** substring of the message */
    contains: z.string().min(1, 'must not be empty').optional(),
    /** regular expression tested on the message; named groups can provide the pattern's key */
    regex: regexSource.optional(),
    /** applies to contains and regex (default: case-insensitive) */
    caseSensitive: z.boolean().optional(),
    level: z
      .union([level, z.array(level).min(1, 'must name at least one level')], {
        message: `must be a level or a list of levels (${LEVELS.join(', ')})`,
      })
      .optional(),
    service: z.string().min(1, 'must not be empty').optional(),
  })
  .strict()
  .refine(
    (s) =>
      s.contains !== undefined || s.regex !== undefined || s.level !== undefined || s.service !== undefined,
    {
      message: 'a step needs at least one condition: contains, regex, level or service',
    },
  )
  .superRefine((s, ctx) => {
    if (s.regex !== undefined) userRegex(s.regex, !(s.caseSensitive ?? false), ctx, ['regex']);
  });

const SequenceSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    steps: z.array(StepSchema).min(2, 'a sequence needs at least 2 steps').max(16, 'at most 16 steps'),
    /** the longest wait between two consecutive steps */
    maxGapSec: number()
      .positive('must be greater than 0')
      .max(30 * 86400, 'must be at most 30 days')
      .default(30),
    /** match per value of this: "service", "file", "level", a field, or a named group of a step's regex */
    key: z.string().min(1, 'must not be empty').optional(),
  })
  .strict();

export type SequenceConfig = z.infer<typeof SequenceSchema>;

/**
 * A format of the user's own. Checked where it enters: the regex compiles and names a `message` or `time`
 * group, the time pattern compiles, and each sample line parses (matches, and its time reads).
 */
const CustomFormatSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(60, 'must be at most 60 characters')
      .regex(/^[\w .-]+$/, 'may hold letters, digits, spaces, dots, dashes and underscores only'),
    regex: regexSource,
    /** the time pattern for the `time` group (see docs/formats.md), e.g. "YYYY-MM-DD HH:mm:ss.SSS" or "iso" */
    time: z.string().min(1, 'must not be empty').default('iso'),
    samples: z.array(z.string()).max(50, 'at most 50 samples').default([]),
  })
  .strict()
  .superRefine((f, ctx) => {
    const re = userRegex(f.regex, false, ctx, ['regex']);
    if (re === null) return;
    const groups = /\(\?<([A-Za-z_]\w*)>/g;
    const names = new Set([...f.regex.matchAll(groups)].map((m) => m[1]));
    if (!names.has('message') && !names.has('time')) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs a named group "message" or "time", e.g. (?<message>.*)',
        path: ['regex'],
      });
    }
    const problem = checkTimePattern(f.time);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem, path: ['time'] });
      return;
    }
    f.samples.forEach((s, i) => {
      const why = customSampleProblem(re, f.time, s);
      if (why !== null) ctx.addIssue({ code: 'custom', message: why, path: ['samples', i] });
    });
  });

export type CustomFormatConfig = z.infer<typeof CustomFormatSchema>;
export type StepConfig = z.infer<typeof StepSchema>;

/** Sequences that fit the sample generator's incidents; real logs will want their own. */
export const DEFAULT_SEQUENCES: SequenceConfig[] = [
  {
    name: 'db-outage',
    steps: [
      { contains: 'connection pool exhausted' },
      { contains: 'timeout calling db', level: 'ERROR' },
      { contains: 'circuit breaker opened' },
    ],
    maxGapSec: 60,
    key: 'service',
  },
  {
    name: 'restart',
    steps: [
      { contains: 'shutting down' },
      { regex: '^Starting \\S+ version' },
      { contains: 'ready to accept connections' },
    ],
    maxGapSec: 30,
    key: 'service',
  },
];

export const ConfigSchema = z
  .object({
    schema: z.literal(CONFIG_SCHEMA_ID).default(CONFIG_SCHEMA_ID),
    /** a line longer than this is cut here and counted as truncated */
    maxLineBytes: number()
      .int()
      .min(1024, 'must be at least 1024 bytes')
      .max(64 * MiB, 'must be at most 64 MiB')
      .default(MiB),
    /** zone for timestamps that carry none: "local" (the browser's or machine's), "UTC", or an IANA name */
    timeZone: timeZone.default('local'),
    /** levels that count as errors */
    errorLevels: z.array(z.enum(LEVELS)).min(1, 'must name at least one level').default(['ERROR', 'FATAL']),
    timeline: z
      .object({
        /** the bucket width grows (1 s, 5 s, 10 s, 30 s, 1 min …) to keep the series under this many buckets */
        maxBuckets: int(10, 100_000).default(2000),
      })
      .strict()
      .default({ maxBuckets: 2000 }),
    /**
     * error spikes: a sliding window of windowSec seconds holding at least threshold errors; "auto": 5× the
     * median errors per window of the file, at least 10 (docs/detectors.md)
     */
    spikes: z
      .object({
        windowSec: int(1, 86_400).default(60),
        threshold: intOrAuto(1, 1_000_000_000).default('auto'),
      })
      .strict()
      .default({ windowSec: 60, threshold: 'auto' }),
    /** rolling z-score anomalies on errors and volume per bucket */
    anomalies: z
      .object({
        bucketSec: int(1, 86_400).default(60),
        history: int(1, 10_000).default(30),
        minHistory: int(1, 10_000).default(10),
        z: number().positive('must be greater than 0').max(1000, 'must be at most 1000').default(3),
        minCount: number().min(0, 'must be at least 0').default(5),
        minStd: number().min(0, 'must be at least 0').default(1),
        /** the least |x − μ| a bucket must be off its baseline by, whatever z says (sparse logs) */
        minExcess: number().min(0, 'must be at least 0').default(10),
        /** "robust": a flagged bucket enters the history clipped to the band's edge; "mean": the plain rolling mean/σ */
        baseline: z.enum(['robust', 'mean']).default('robust'),
      })
      .strict()
      .refine((a) => a.minHistory <= a.history, { message: 'must not exceed history', path: ['minHistory'] })
      .default({
        bucketSec: 60,
        history: 30,
        minHistory: 10,
        z: 3,
        minCount: 5,
        minStd: 1,
        minExcess: 10,
        baseline: 'robust',
      }),
    /** incidents: findings merged by time; a group is one when its severity (G, docs/detectors.md) is at least minSeverity */
    incidents: z
      .object({
        minSeverity: number().min(0, 'must be at least 0').default(25),
      })
      .strict()
      .default({ minSeverity: 25 }),
    sequences: z
      .array(SequenceSchema)
      .max(50, 'at most 50 sequences')
      .superRefine((seqs, ctx) => {
        const seen = new Set<string>();
        seqs.forEach((s, i) => {
          if (seen.has(s.name))
            ctx.addIssue({
              code: 'custom',
              message: `the name "${s.name}" is used twice`,
              path: [i, 'name'],
            });
          seen.add(s.name);
        });
      })
      .default(DEFAULT_SEQUENCES),
    /** message templates (Drain): similarity threshold, tree depth, children per node, templates at most */
    templates: z
      .object({
        similarity: number().min(0.05, 'must be at least 0.05').max(1, 'must be at most 1').default(0.4),
        depth: int(3, 8).default(3),
        maxChildren: int(2, 10_000).default(100),
        maxTemplates: int(10, 100_000).default(5000),
      })
      .strict()
      .default({ similarity: 0.4, depth: 3, maxChildren: 100, maxTemplates: 5000 }),
    /** "auto" detects each file's format; a format id forces it (see docs/formats.md) */
    format: z.string().min(1, 'must not be empty').default('auto'),
    /** formats of the user's own: a regex with named groups and a time pattern */
    customFormats: z.array(CustomFormatSchema).max(20, 'at most 20 custom formats').default([]),
    /** which findings raise an alert */
    alerts: z
      .object({
        spikes: z.boolean().default(true),
        anomalies: z
          .array(z.enum(['errors', 'volume'], { message: 'must be "errors" or "volume"' }))
          .default(['errors', 'volume']),
        /** sequence names, or "all" */
        sequences: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
      })
      .strict()
      .default({ spikes: true, anomalies: ['errors', 'volume'], sequences: 'all' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (
      c.format !== 'auto' &&
      !FORMATS.some((f) => f.id === c.format) &&
      !c.customFormats.some((f) => `custom:${f.name}` === c.format)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a known format: use "auto", one of ${FORMATS.map((f) => f.id).join(', ')}, or "custom:<name>" of a custom format`,
        path: ['format'],
      });
    }
    const formatNames = new Set<string>();
    c.customFormats.forEach((f, i) => {
      if (formatNames.has(f.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `the name "${f.name}" is used twice`,
          path: ['customFormats', i, 'name'],
        });
      }
      formatNames.add(f.name);
    });
    if (c.alerts.sequences === 'all') return;
    const names = new Set(c.sequences.map((s) => s.name));
    c.alerts.sequences.forEach((n, i) => {
      if (!names.has(n))
        ctx.addIssue({
          code: 'custom',
          message: `names no sequence ("${n}")`,
          path: ['alerts', 'sequences', i],
        });
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export { DEFAULT_CONFIG } from './config-defaults.ts';

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Validates an unknown value (parsed JSON, a share link, a stored document) into a Config. */
export function parseConfig(input: unknown): ConfigResult {
  const result = ConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : '(document)';
      return `${path}: ${issue.message}`;
    }),
  };
}

/** Parses JSON text, then validates it; a JSON syntax error is reported like any other error. */
export function parseConfigText(text: string): ConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`(document): not valid JSON (${(e as Error).message})`] };
  }
  return parseConfig(value);
}

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
