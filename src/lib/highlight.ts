/**
 * Splits a text into plain and matched parts, for highlighting a query's words and regexes in the log view
 * (rendered as text spans: log text is never HTML). Words match case-insensitively; regexes go through the
 * user-regex engine (linear time when V8's could backtrack), so a hostile pattern cannot stall the page.
 */
import { compileUserRegex, type UserRegex } from '../engine/user-regex.ts';
import { highlightTerms, parseQuery } from '../engine/query/index.ts';

export interface Segment {
  text: string;
  hit: boolean;
}

export interface Highlighter {
  split(text: string): Segment[];
}

/** The words and regexes of a query's text to mark (none when it does not parse). */
export function termsOf(where: string): { words: string[]; regexes: string[] } | null {
  const parsed = parseQuery(where);
  return parsed.ok ? highlightTerms(parsed.query) : null;
}

/** the most matches marked in one text (a regex matching every character stays cheap) */
const MAX_HITS = 200;

export function highlighter(
  terms: { words: readonly string[]; regexes: readonly string[] } | null,
): Highlighter {
  const words = (terms?.words ?? []).filter((w) => w.length > 0).map((w) => w.toLowerCase());
  const regexes: UserRegex[] = [];
  for (const source of terms?.regexes ?? []) {
    try {
      regexes.push(compileUserRegex(source, false));
    } catch {
      // a pattern the query parser accepted but this engine does not: left unmarked
    }
  }
  if (words.length === 0 && regexes.length === 0) return { split: (text) => [{ text, hit: false }] };
  return { split: (text) => split(text, words, regexes) };
}

function split(text: string, words: readonly string[], regexes: readonly UserRegex[]): Segment[] {
  const ranges: [number, number][] = [];
  const lower = text.toLowerCase();
  for (const w of words) {
    for (let at = lower.indexOf(w); at >= 0 && ranges.length < MAX_HITS; at = lower.indexOf(w, at + w.length))
      ranges.push([at, at + w.length]);
  }
  for (const re of regexes) {
    let from = 0;
    while (from <= text.length && ranges.length < MAX_HITS) {
      const m = re.exec(text.slice(from));
      if (m === null) break;
      const start = from + m.index;
      const end = start + m[0].length;
      if (end > start) ranges.push([start, end]);
      from = end > start ? end : start + 1;
    }
  }
  if (ranges.length === 0) return [{ text, hit: false }];
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (e <= at) continue;
    const start = Math.max(s, at);
    if (start > at) out.push({ text: text.slice(at, start), hit: false });
    out.push({ text: text.slice(start, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
