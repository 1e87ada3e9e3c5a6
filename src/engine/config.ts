import { z } from 'zod';
import { LEVELS } from './types.ts';

/**
 * The configuration document, `loglens.config/1`: validated wherever it enters (page, share link, file,
 * command line), with errors that name the field and the rule. Unknown fields are rejected so that a typo
 * is not silently ignored.
 */
export const CONFIG_SCHEMA_ID = 'loglens.config/1';

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

/** A regular expression as the user wrote it: it must compile (with the flags the matcher uses). */
const regexSource = z
  .string()
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .superRefine((src, ctx) => {
    try {
      new RegExp(src, 'iu');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(e as Error).message}` });
    }
  });

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
  );

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
    /** error spikes: a sliding window of windowSec seconds holding at least threshold errors */
    spikes: z
      .object({
        windowSec: int(1, 86_400).default(60),
        threshold: int(1, 1_000_000_000).default(50),
      })
      .strict()
      .default({ windowSec: 60, threshold: 50 }),
    /** rolling z-score anomalies on errors and volume per bucket */
    anomalies: z
      .object({
        bucketSec: int(1, 86_400).default(60),
        history: int(1, 10_000).default(30),
        minHistory: int(1, 10_000).default(10),
        z: number().positive('must be greater than 0').max(1000, 'must be at most 1000').default(3),
        minCount: number().min(0, 'must be at least 0').default(5),
        minStd: number().min(0, 'must be at least 0').default(1),
      })
      .strict()
      .refine((a) => a.minHistory <= a.history, { message: 'must not exceed history', path: ['minHistory'] })
      .default({ bucketSec: 60, history: 30, minHistory: 10, z: 3, minCount: 5, minStd: 1 }),
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

export const DEFAULT_CONFIG: Config = Object.freeze(ConfigSchema.parse({})) as Config;

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
