import { isoLevelService } from './iso-level.ts';
import { jsonLines } from './json.ts';
import { logfmt } from './logfmt.ts';
import type { LineFormat } from './types.ts';

/** Every known format, most specific first. */
export const FORMATS: readonly LineFormat[] = [jsonLines, logfmt, isoLevelService].sort(
  (a, b) => b.specificity - a.specificity,
);

export function formatById(id: string): LineFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

export type { LineFormat, RecordDraft } from './types.ts';
export { ParseContext } from './types.ts';
