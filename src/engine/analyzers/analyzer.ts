import type { Level, LogRecord } from '../types.ts';
import { NONE_INDEX } from '../types.ts';

/**
 * Every analyzer is a mergeable summary (a monoid): push records in any order, snapshot plain data, and
 * merge another instance of the same analyzer built on another part of the input. For any split of an
 * input, merging the parts' analyzers equals one pass over the whole (tests/unit/merge.test.ts).
 */
export interface Analyzer<S> {
  push(record: LogRecord): void;
  snapshot(): S;
  merge(other: this): void;
}

const INDEX: Record<Level, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };

/**
 * Position of a level in per-level arrays (LEVELS order, NONE last). A switch on interned strings compiles to
 * pointer compares, cheaper than a keyed property lookup on the hot path.
 */
export function levelIndex(level: Level | null): number {
  switch (level) {
    case 'INFO':
      return 2;
    case 'DEBUG':
      return 1;
    case 'WARN':
      return 3;
    case 'ERROR':
      return 4;
    case 'TRACE':
      return 0;
    case 'FATAL':
      return 5;
    default:
      return NONE_INDEX;
  }
}

/** A lookup from level index to "counts as an error", built once from the config's errorLevels. */
export function errorMask(errorLevels: readonly Level[]): boolean[] {
  const mask = new Array<boolean>(NONE_INDEX + 1).fill(false);
  for (const l of errorLevels) mask[INDEX[l]] = true;
  return mask;
}
