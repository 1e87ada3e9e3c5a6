import { isoLevelService } from './iso-level.ts';
import { jsonLines } from './json.ts';
import { logfmt } from './logfmt.ts';
import { generic } from './generic.ts';
import { CATALOG } from './catalog.ts';
import type { LineFormat } from './types.ts';

/** Every built-in format, most specific first (detection breaks ties by specificity). */
export const FORMATS: readonly LineFormat[] = [jsonLines, logfmt, isoLevelService, ...CATALOG, generic].sort(
  (a, b) => b.specificity - a.specificity,
);

export function formatById(id: string): LineFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

export type { LineFormat, RecordDraft } from './types.ts';
export { ParseContext } from './types.ts';
