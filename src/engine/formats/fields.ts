import { guessLevel, levelFromSyslogSeverity, levelFromValue } from '../levels.ts';
import { parseIsoString, type IsoTimeParser } from '../time/iso.ts';
import type { FieldValue } from '../types.ts';
import { MAX_BAD_TIME_CHARS, newFields, type RecordDraft } from './types.ts';

/**
 * Maps the common field names of structured logs (JSON lines, logfmt) onto the record. The first name
 * present wins, in the order listed.
 */
export const TIME_KEYS = [
  'time',
  'timestamp',
  'ts',
  '@timestamp',
  't',
  'datetime',
  'date',
  'eventTime',
  // journald (`journalctl -o json`): microseconds since the epoch, as a string
  '__REALTIME_TIMESTAMP',
];
export const LEVEL_KEYS = [
  'level',
  'severity',
  'lvl',
  'loglevel',
  'log.level',
  'levelname',
  'log_level',
  's',
];
export const SERVICE_KEYS = [
  'service',
  'service.name',
  'serviceName',
  'app',
  'application',
  'component',
  'logger',
  'logger_name',
  'name',
  'source',
  'c',
  // journald
  'SYSLOG_IDENTIFIER',
  '_COMM',
];
export const MESSAGE_KEYS = ['message', 'msg', '@message', 'log', 'text', 'event', 'body', 'MESSAGE'];
/** journald's syslog severity 0–7 ("3" is err): read when the object names no level under LEVEL_KEYS */
export const PRIORITY_KEY = 'PRIORITY';

/** Epoch numbers: seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. */
export function epochToMs(n: number): number {
  if (!Number.isFinite(n) || n <= 0) return NaN;
  if (n >= 1e17) return Math.floor(n / 1e6);
  if (n >= 1e14) return Math.floor(n / 1e3);
  if (n >= 1e11) return Math.floor(n);
  return Math.floor(n * 1000);
}

/** epoch seconds to nanoseconds as a string; exported for its linearity proof (catalog-redos.test.ts) */
export const EPOCH_DIGITS = /^\d{9,19}(\.\d+)?$/;

export function timeFromValue(v: unknown, iso: IsoTimeParser): number {
  if (typeof v === 'number') return epochToMs(v);
  if (typeof v === 'string') {
    const t = parseIsoString(iso, v);
    if (!Number.isNaN(t)) return t;
    if (EPOCH_DIGITS.test(v)) return epochToMs(Number(v));
    return NaN;
  }
  if (v !== null && typeof v === 'object' && '$date' in v)
    return timeFromValue((v as { $date: unknown }).$date, iso);
  return NaN;
}

function toFieldValue(v: unknown): FieldValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v) ?? null;
}

/**
 * Fills the draft from a flat or nested object. Returns false when the object names neither a message,
 * a level nor a time: then it is data, not a log record.
 */
export function draftFromObject(obj: Record<string, unknown>, out: RecordDraft, iso: IsoTimeParser): boolean {
  const used = new Set<string>();
  // An object where a value is expected (ECS "service": {"name": …}) is passed over for the nested key.
  const pick = (keys: readonly string[], objectsOk = false): unknown => {
    for (const k of keys) {
      if (Object.hasOwn(obj, k) && (objectsOk || obj[k] === null || typeof obj[k] !== 'object')) {
        used.add(k);
        return obj[k];
      }
      const dot = k.indexOf('.');
      if (dot > 0) {
        const head = obj[k.slice(0, dot)];
        if (head !== null && typeof head === 'object' && Object.hasOwn(head, k.slice(dot + 1))) {
          return (head as Record<string, unknown>)[k.slice(dot + 1)];
        }
      }
    }
    return undefined;
  };
  const timeV = pick(TIME_KEYS, true); // t.$date (MongoDB) is an object
  const levelV = pick(LEVEL_KEYS);
  const serviceV = pick(SERVICE_KEYS);
  const messageV = pick(MESSAGE_KEYS) ?? pick(MESSAGE_KEYS, true); // an object message, as a last resort
  if (timeV === undefined && levelV === undefined && messageV === undefined) return false;
  const priority = levelV === undefined && Object.hasOwn(obj, PRIORITY_KEY) ? obj[PRIORITY_KEY] : undefined;
  const severity = levelFromSyslogSeverity(priority);
  if (severity !== null) used.add(PRIORITY_KEY);
  iso.impossible = false;
  const time = timeV === undefined ? NaN : timeFromValue(timeV, iso);
  out.time = Number.isNaN(time) ? null : time;
  // an ISO time with impossible values (2025-02-30T…) is counted as such; other unreadable times stay silent
  if (Number.isNaN(time) && iso.impossible && typeof timeV === 'string')
    out.badTime = timeV.slice(0, MAX_BAD_TIME_CHARS);
  out.level = severity ?? levelFromValue(levelV);
  // Docker's json-file driver wraps the app's own line in "log": its level is in there, if anywhere
  if (out.level === null && levelV === undefined && typeof obj.log === 'string' && 'stream' in obj) {
    out.level = guessLevel(obj.log);
  }
  out.service = typeof serviceV === 'string' && serviceV !== '' ? serviceV : null;
  out.message =
    typeof messageV === 'string'
      ? messageV.trimEnd() // not /\s+$/: quadratic on a long run of blanks followed by text
      : messageV === undefined
        ? ''
        : String(toFieldValue(messageV));
  let fields: Record<string, FieldValue> | null = null;
  for (const k in obj) {
    if (used.has(k) || !Object.hasOwn(obj, k)) continue;
    fields ??= newFields();
    fields[k] = toFieldValue(obj[k]);
  }
  out.fields = fields;
  return true;
}
