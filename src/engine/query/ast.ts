/**
 * The query language's syntax tree: plain data, so a query can be printed back (print.ts) and compiled
 * (match.ts). Positions (`at`) are 0-based character offsets into the query text, for error messages.
 */

export type Comparison = '>' | '>=' | '<' | '<=';

/** What a `name:value` term asks of the named thing. */
export type FieldTest =
  /** equal, case-insensitive; `*` in the pattern matches any run of characters (a glob) */
  | { kind: 'glob'; pattern: string }
  /** compared as numbers (fields, templates), as times (`time:`) or by rank (`level:`) */
  | { kind: 'compare'; op: Comparison; value: string }
  /** `A..B`: A ≤ x < B; either side may be empty (open) */
  | { kind: 'range'; from: string; to: string }
  /** `name:/regex/` */
  | { kind: 'regex'; source: string; flags: string };

export type QueryNode =
  /** a bare word or a "quoted phrase": a case-insensitive substring of the record's text */
  | { type: 'text'; value: string; quoted: boolean; at: number }
  /** `/regex/flags` on the record's text */
  | { type: 'regex'; source: string; flags: string; at: number }
  | { type: 'field'; name: string; test: FieldTest; at: number }
  | { type: 'not'; child: QueryNode; at: number }
  | { type: 'and'; children: QueryNode[]; at: number }
  | { type: 'or'; children: QueryNode[]; at: number };
