/** Facet constants the page reads too (without the sketch library that facets.ts brings in). */

/** The longest value kept as text: longer ones are cut (the query of a cut value would not match it whole). */
export const MAX_VALUE_CHARS = 200;

/** The slots of the HTTP status classes in the status timeline's per-bucket counts (Timeline's level slots). */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
