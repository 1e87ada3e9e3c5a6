import type { Comparison, FieldTest, QueryNode } from './ast.ts';

/** A query that does not parse: where (0-based character offset) and why. */
export class QuerySyntaxError extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super(`${reason} at ${at}`);
  }
}

type Token =
  | { kind: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; at: number }
  | { kind: 'phrase'; value: string; at: number }
  | { kind: 'regex'; source: string; flags: string; at: number }
  | { kind: 'word'; value: string; at: number }
  /** `name:` followed by its value, already read (a quoted value is a glob without wildcards) */
  | {
      kind: 'field';
      name: string;
      value: string;
      quoted: boolean;
      regex: string | null;
      flags: string;
      at: number;
    }
  | { kind: 'end'; at: number };

/** Characters that end a bare word. */
const STOP = /[\s()"]/;
const FIELD_NAME = /^[A-Za-z_@$][\w.@$-]*$/;
const REGEX_FLAGS = /^i?$/;

/** Longest query accepted (characters): the parser is linear, this bounds what a URL can ask of a worker. */
export const MAX_QUERY_CHARS = 10_000;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || /\s/.test(c);
}

/** Reads a "quoted" string from `i` (at the opening quote): its value and the index after the closing quote. */
function readQuoted(s: string, i: number): { value: string; next: number } {
  let value = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) {
      value += s[j + 1];
      j += 2;
      continue;
    }
    if (c === '"') return { value, next: j + 1 };
    value += c;
    j++;
  }
  throw new QuerySyntaxError(i, "unterminated phrase: expected a closing '\"'");
}

/** Reads a /regex/flags from `i` (at the opening slash): `\/` stands for a slash, other escapes stay. */
function readRegex(s: string, i: number): { source: string; flags: string; next: number } {
  let source = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) {
      source += s[j + 1] === '/' ? '/' : c + s[j + 1];
      j += 2;
      continue;
    }
    if (c === '/') {
      let k = j + 1;
      while (k < s.length && !isSpace(s[k]!) && s[k] !== '(' && s[k] !== ')' && s[k] !== '"') k++;
      const flags = s.slice(j + 1, k);
      if (!REGEX_FLAGS.test(flags))
        throw new QuerySyntaxError(j + 1, `unknown regex flags '${flags}' (only i)`);
      if (source === '') throw new QuerySyntaxError(i, 'empty regex');
      return { source, flags, next: k };
    }
    source += c;
    j++;
  }
  throw new QuerySyntaxError(i, "unterminated regex: expected a closing '/'");
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'lparen' : 'rparen', at: i });
      i++;
      continue;
    }
    // a minus before a term excludes it; a lone minus, or one inside a word (a-b), is text
    if (c === '-' && i + 1 < s.length && !isSpace(s[i + 1]!) && s[i + 1] !== ')') {
      out.push({ kind: 'minus', at: i });
      i++;
      continue;
    }
    if (c === '"') {
      const q = readQuoted(s, i);
      out.push({ kind: 'phrase', value: q.value, at: i });
      i = q.next;
      continue;
    }
    if (c === '/') {
      const r = readRegex(s, i);
      out.push({ kind: 'regex', source: r.source, flags: r.flags, at: i });
      i = r.next;
      continue;
    }
    let j = i;
    while (j < s.length && !STOP.test(s[j]!)) {
      if (s[j] === ':') break;
      j++;
    }
    const name = s.slice(i, j);
    // `http://…` is a word, not the field `http` with a regex
    const url = s[j + 1] === '/' && s[j + 2] === '/';
    if (j < s.length && s[j] === ':' && FIELD_NAME.test(name) && !url) {
      // name:value — the value may be quoted, a /regex/, or a bare run up to a space or parenthesis
      const v = j + 1;
      if (v >= s.length || isSpace(s[v]!) || s[v] === ')' || s[v] === '(')
        throw new QuerySyntaxError(v, `expected a value after '${name}:'`);
      if (s[v] === '"') {
        const q = readQuoted(s, v);
        out.push({ kind: 'field', name, value: q.value, quoted: true, regex: null, flags: '', at: i });
        i = q.next;
      } else if (s[v] === '/') {
        const r = readRegex(s, v);
        out.push({ kind: 'field', name, value: '', quoted: false, regex: r.source, flags: r.flags, at: i });
        i = r.next;
      } else {
        let k = v;
        while (k < s.length && !STOP.test(s[k]!)) k++;
        out.push({ kind: 'field', name, value: s.slice(v, k), quoted: false, regex: null, flags: '', at: i });
        i = k;
      }
      continue;
    }
    // a bare word (a colon that does not follow a field name is part of it: a URL, a time)
    while (j < s.length && !STOP.test(s[j]!)) j++;
    const word = s.slice(i, j);
    if (word === 'OR') out.push({ kind: 'or', at: i });
    else if (word === 'AND') out.push({ kind: 'and', at: i });
    else if (word === 'NOT') out.push({ kind: 'not', at: i });
    else out.push({ kind: 'word', value: word, at: i });
    i = j;
  }
  out.push({ kind: 'end', at: s.length });
  return out;
}

const COMPARISONS: readonly Comparison[] = ['>=', '<=', '>', '<'];

function fieldTest(t: Extract<Token, { kind: 'field' }>): FieldTest {
  if (t.regex !== null) return { kind: 'regex', source: t.regex, flags: t.flags };
  if (t.quoted) return { kind: 'glob', pattern: t.value.replace(/[\\*]/g, '\\$&') };
  const v = t.value;
  for (const op of COMPARISONS) {
    if (v.startsWith(op)) {
      const value = v.slice(op.length);
      if (value === '')
        throw new QuerySyntaxError(t.at + t.name.length + 1 + op.length, `expected a value after '${op}'`);
      return { kind: 'compare', op, value };
    }
  }
  const dots = v.indexOf('..');
  if (dots >= 0) {
    const from = v.slice(0, dots);
    const to = v.slice(dots + 2);
    if (from === '' && to === '')
      throw new QuerySyntaxError(t.at + t.name.length + 1, "expected a bound on either side of '..'");
    return { kind: 'range', from, to };
  }
  return { kind: 'glob', pattern: v };
}

/**
 * Recursive descent over the tokens:
 *   or   := and ('OR' and)*
 *   and  := unary (('AND')? unary)*          implicit AND between terms
 *   unary:= ('NOT' | '-') unary | atom
 *   atom := '(' or ')' | word | phrase | regex | field
 * Precedence: NOT binds tighter than AND, AND tighter than OR.
 */
class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  parseAll(): QueryNode | null {
    if (this.peek().kind === 'end') return null;
    const node = this.or();
    const t = this.peek();
    if (t.kind === 'rparen') throw new QuerySyntaxError(t.at, "unexpected ')': no '(' to close");
    if (t.kind !== 'end') throw new QuerySyntaxError(t.at, 'unexpected input');
    return node;
  }

  private or(): QueryNode {
    const at = this.peek().at;
    const children = [this.and()];
    while (this.peek().kind === 'or') {
      this.i++;
      children.push(this.and());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children, at };
  }

  private and(): QueryNode {
    const at = this.peek().at;
    const children = [this.unary()];
    for (;;) {
      const k = this.peek().kind;
      if (k === 'and') {
        this.i++;
        children.push(this.unary());
      } else if (k === 'end' || k === 'or' || k === 'rparen') {
        break;
      } else {
        children.push(this.unary());
      }
    }
    return children.length === 1 ? children[0]! : { type: 'and', children, at };
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (t.kind === 'not' || t.kind === 'minus') {
      this.i++;
      return { type: 'not', child: this.unary(), at: t.at };
    }
    return this.atom();
  }

  private atom(): QueryNode {
    const t = this.peek();
    switch (t.kind) {
      case 'lparen': {
        this.i++;
        if (this.peek().kind === 'rparen')
          throw new QuerySyntaxError(this.peek().at, 'expected a term inside ()');
        const inner = this.or();
        const close = this.peek();
        if (close.kind !== 'rparen') throw new QuerySyntaxError(close.at, "expected ')'");
        this.i++;
        return inner;
      }
      case 'word':
        this.i++;
        return { type: 'text', value: t.value, quoted: false, at: t.at };
      case 'phrase':
        this.i++;
        if (t.value === '') throw new QuerySyntaxError(t.at, 'empty phrase');
        return { type: 'text', value: t.value, quoted: true, at: t.at };
      case 'regex':
        this.i++;
        return { type: 'regex', source: t.source, flags: t.flags, at: t.at };
      case 'field':
        this.i++;
        return { type: 'field', name: t.name, test: fieldTest(t), at: t.at };
      case 'end':
        throw new QuerySyntaxError(t.at, 'expected a term');
      case 'rparen':
        throw new QuerySyntaxError(t.at, "unexpected ')'");
      default:
        throw new QuerySyntaxError(t.at, `expected a term before '${t.kind.toUpperCase()}'`);
    }
  }
}

/** The query's syntax tree (null: the empty query), or QuerySyntaxError. */
export function parseAst(text: string): QueryNode | null {
  if (text.length > MAX_QUERY_CHARS)
    throw new QuerySyntaxError(MAX_QUERY_CHARS, `the query is longer than ${MAX_QUERY_CHARS} characters`);
  return new Parser(tokenize(text)).parseAll();
}
