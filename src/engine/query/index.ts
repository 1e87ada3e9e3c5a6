/**
 * The query language (docs/query.md): parse a query's text, compile it to a record matcher. The contract the
 * page, the workers and the command line share: queries cross the worker boundary as text, each side parses.
 */
import type { LogRecord } from '../types.ts';
import type { QueryNode } from './ast.ts';
import { compileNode, Subject, timeBounds, type Test } from './match.ts';
import { parseAst, QuerySyntaxError } from './parse.ts';
import { printAst } from './print.ts';

export type { QueryNode } from './ast.ts';

export interface QueryError {
  /** 0-based char offset in the text */
  at: number;
  message: string;
}

export type ParsedQuery = { ok: true; query: Query } | { ok: false; error: QueryError };

export interface Query {
  readonly text: string;
  /** no term: matches every record */
  readonly empty: boolean;
}

export interface RecordMatcher {
  matches(r: LogRecord, templateId: number | null): boolean;
}

/** The parsed form behind a Query (module-private: callers hold a Query and pass it back). */
class ParsedQueryImpl implements Query {
  constructor(
    readonly text: string,
    readonly ast: QueryNode | null,
    readonly test: Test | null,
  ) {}

  get empty(): boolean {
    return this.ast === null;
  }
}

function impl(q: Query): ParsedQueryImpl {
  if (!(q instanceof ParsedQueryImpl)) throw new TypeError('not a query made by parseQuery');
  return q;
}

/**
 * Parses (and checks: levels, times, numbers, regexes) a query. '' or only spaces → an empty query that
 * matches every record. Never throws: a query that does not parse comes back as a positioned error.
 */
export function parseQuery(text: string): ParsedQuery {
  try {
    const ast = parseAst(text);
    const test = ast === null ? null : compileNode(ast);
    return { ok: true, query: new ParsedQueryImpl(text, ast, test) };
  } catch (e) {
    if (e instanceof QuerySyntaxError) {
      const at = Math.max(0, Math.min(e.at, text.length));
      return { ok: false, error: { at, message: `${e.reason} at ${at}` } };
    }
    throw e;
  }
}

/** The query's tree (null for the empty query): for printing and for the engine's text-search fast path. */
export function queryAst(q: Query): QueryNode | null {
  return impl(q).ast;
}

/** The query's canonical text (parsing it gives the same tree). */
export function printQuery(q: Query): string {
  return printAst(impl(q).ast);
}

export function compileQuery(q: Query): RecordMatcher {
  const test = impl(q).test;
  if (test === null) return { matches: () => true };
  const s = new Subject();
  return {
    matches(r: LogRecord, templateId: number | null): boolean {
      s.reset(r, templateId);
      return test(s);
    },
  };
}

/**
 * The time range [start, end) that the query's top-level AND'ed `time:` terms allow (ms; an open side is
 * ±Infinity), or null when it has none. Records outside it never match.
 */
export function queryTimeRange(q: Query): { start: number; end: number } | null {
  const ast = impl(q).ast;
  if (ast === null) return null;
  const terms = ast.type === 'and' ? ast.children : [ast];
  let range: { start: number; end: number } | null = null;
  for (const t of terms) {
    if (t.type !== 'field' || t.name.toLowerCase() !== 'time') continue;
    const b = timeBounds(t.test, t.at + t.name.length + 1);
    range = range === null ? b : { start: Math.max(range.start, b.start), end: Math.min(range.end, b.end) };
  }
  return range;
}

/** Words, phrases and regex sources the query looks for (not under a NOT): for the log view's highlight. */
export function highlightTerms(q: Query): { words: string[]; regexes: string[] } {
  const words: string[] = [];
  const regexes: string[] = [];
  const visit = (n: QueryNode | null): void => {
    if (n === null) return;
    if (n.type === 'text') {
      if (!words.includes(n.value)) words.push(n.value);
    } else if (n.type === 'regex') {
      if (!regexes.includes(n.source)) regexes.push(n.source);
    } else if (n.type === 'and' || n.type === 'or') n.children.forEach(visit);
  };
  visit(impl(q).ast);
  return { words, regexes };
}

/**
 * Literal texts of which every matching record's text holds at least one (case-insensitive): the engine
 * skips, on bytes, records holding none. null when the query does not require one (an OR branch without a
 * word, a NOT, only fields).
 */
export function requiredWords(q: Query): string[] | null {
  const need = (n: QueryNode): string[] | null => {
    switch (n.type) {
      case 'text':
        return [n.value];
      case 'and': {
        // any one child's requirement is the whole AND's: the shortest list is the sharpest filter
        let best: string[] | null = null;
        for (const c of n.children) {
          const r = need(c);
          if (r !== null && (best === null || r.length < best.length)) best = r;
        }
        return best;
      }
      case 'or': {
        const all: string[] = [];
        for (const c of n.children) {
          const r = need(c);
          if (r === null) return null;
          all.push(...r);
        }
        return all;
      }
      default:
        return null;
    }
  };
  const ast = impl(q).ast;
  return ast === null ? null : need(ast);
}

/**
 * The words of a query that is a conjunction of words and terms that read no text (`timeout level:ERROR`,
 * `"connection reset" service:api*`): once each is known to be in a record's text, no more of its text can
 * change whether the record matches (the engine's fast text view then stops building it). null when a word or
 * a regex stands anywhere else (under OR or NOT, a regex), or when the query has no word.
 */
export function conjunctWords(q: Query): string[] | null {
  const readsText = (n: QueryNode): boolean =>
    n.type === 'text' ||
    n.type === 'regex' ||
    (n.type === 'not' && readsText(n.child)) ||
    ((n.type === 'and' || n.type === 'or') && n.children.some(readsText));
  const words: string[] = [];
  const visit = (n: QueryNode): boolean => {
    if (n.type === 'text') words.push(n.value);
    else if (n.type === 'and') return n.children.every(visit);
    else if (readsText(n)) return false;
    return true;
  };
  const ast = impl(q).ast;
  return ast !== null && visit(ast) && words.length > 0 ? words : null;
}
