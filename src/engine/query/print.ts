import type { FieldTest, QueryNode } from './ast.ts';

const KEYWORDS = new Set(['OR', 'AND', 'NOT']);
const FIELD_START = /^[A-Za-z_@$][\w.@$-]*:/;

/** Whether a word reads back as the same bare word. */
function bareWord(s: string): boolean {
  if (s === '' || KEYWORDS.has(s) || /[\s()"]/.test(s)) return false;
  if (s[0] === '-' || s[0] === '/') return false;
  const m = FIELD_START.exec(s);
  return m === null || s.startsWith('//', m[0].length);
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

function regex(source: string, flags: string): string {
  let out = '/';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      out += c + source[i + 1];
      i++;
    } else out += c === '/' ? '\\/' : c;
  }
  return out + '/' + flags;
}

function test(t: FieldTest): string {
  switch (t.kind) {
    case 'regex':
      return regex(t.source, t.flags);
    case 'compare':
      return t.op + t.value;
    case 'range':
      return `${t.from}..${t.to}`;
    case 'glob': {
      const p = t.pattern;
      const bare =
        p !== '' && !/[\s()"]/.test(p) && !/^[<>/]/.test(p) && !p.includes('..') && !p.startsWith('//');
      // a value that needs quotes holds no wildcard (quoted values are literal): unescape, then quote
      return bare ? p : quote(p.replace(/\\(.)/g, '$1'));
    }
  }
}

/** The query's canonical text: parsing it gives the same tree (the round trip the unit tests check). */
export function printAst(n: QueryNode | null): string {
  if (n === null) return '';
  switch (n.type) {
    case 'text':
      return !n.quoted && bareWord(n.value) ? n.value : quote(n.value);
    case 'regex':
      return regex(n.source, n.flags);
    case 'field':
      return `${n.name}:${test(n.test)}`;
    case 'not':
      return `-${n.child.type === 'and' || n.child.type === 'or' ? `(${printAst(n.child)})` : printAst(n.child)}`;
    case 'and':
      return n.children
        .map((c) => (c.type === 'and' || c.type === 'or' ? `(${printAst(c)})` : printAst(c)))
        .join(' ');
    case 'or':
      return n.children.map((c) => (c.type === 'or' ? `(${printAst(c)})` : printAst(c))).join(' OR ');
  }
}
