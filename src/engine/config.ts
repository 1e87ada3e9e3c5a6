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

export const ConfigSchema = z
  .object({
    schema: z.literal(CONFIG_SCHEMA_ID).default(CONFIG_SCHEMA_ID),
    /** a line longer than this is cut here and counted as truncated */
    maxLineBytes: z
      .number()
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
        maxBuckets: z.number().int().min(10).max(100_000).default(2000),
      })
      .strict()
      .default({ maxBuckets: 2000 }),
  })
  .strict();

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
