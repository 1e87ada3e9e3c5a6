import type { LevelOrNone } from '../engine/types.ts';

/** One colour per level, the same in every chart and table. */
export const LEVEL_COLORS: Record<LevelOrNone, string> = {
  TRACE: '#9aa5b1',
  DEBUG: '#6b8fd6',
  INFO: '#2f9e74',
  WARN: '#e0a11b',
  ERROR: '#e5484d',
  FATAL: '#8e2bbf',
  NONE: '#b8b8b8',
};
