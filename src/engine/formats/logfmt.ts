import { draftFromObject } from './fields.ts';
import type { LineFormat } from './types.ts';

/**
 * logfmt (`key=value key="quoted value"`), as written by Go's logrus, log/slog and Heroku. The whole line
 * must be pairs (bare keys allowed), with at least two pairs and a time, level or message key.
 */
export const logfmt: LineFormat = {
  id: 'logfmt',
  name: 'logfmt',
  specificity: 35,
  samples: [
    'time="2021-09-15T21:17:10.220731Z" level=error msg="failed to sync pod" component=kubelet pod=web-7f9',
    'ts=2025-03-14T10:22:31.123Z level=info service=api-gateway msg="request done" method=GET path=/v1/orders status=200 dur=12ms',
    'level=warn ts=2025-03-14T10:22:32Z caller=main.go:42 msg="slow query" took=2.5s',
    't=2025-03-14T10:22:33+0000 lvl=dbug msg="cache refreshed" logger=store entries=512',
  ],
  parse(b, start, end, info, out, ctx) {
    // Cheap pre-check on bytes: a logfmt line starts with a key character and holds '='.
    const c = b[start];
    if (c === undefined || !isKeyByte(c)) return false;
    if (b.indexOf(61, start) === -1 || b.indexOf(61, start) >= end) return false;
    const obj = parseLogfmt(ctx.text(b, start, end, info));
    if (obj === null) return false;
    return draftFromObject(obj, out, ctx.iso);
  },
};

function isKeyByte(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 64 ||
    c === 47
  );
}

const KNOWN = new Set(['time', 'ts', 'timestamp', 't', 'level', 'lvl', 'severity', 'msg', 'message']);

/** Parses a logfmt line into an object, or null when the line is not logfmt. */
export function parseLogfmt(s: string): Record<string, string | boolean> | null {
  // keys come from the line: no prototype, so `__proto__=x` is a pair like any other
  const obj = Object.create(null) as Record<string, string | boolean>;
  let pairs = 0;
  let known = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const ks = i;
    while (i < n && isKeyByte(s.charCodeAt(i))) i++;
    if (i === ks) return null;
    const key = s.slice(ks, i);
    if (i >= n || s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) {
      obj[key] = true;
      continue;
    }
    if (s.charCodeAt(i) !== 61) return null; // '='
    i++;
    let value: string;
    if (s.charCodeAt(i) === 34) {
      // quoted, with backslash escapes
      i++;
      let v = '';
      let closed = false;
      while (i < n) {
        const ch = s.charCodeAt(i);
        if (ch === 92 && i + 1 < n) {
          const nx = s[i + 1]!;
          v += nx === 'n' ? '\n' : nx === 't' ? '\t' : nx;
          i += 2;
          continue;
        }
        if (ch === 34) {
          closed = true;
          i++;
          break;
        }
        v += s[i];
        i++;
      }
      if (!closed) return null;
      value = v;
    } else {
      const vs = i;
      while (i < n && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
      value = s.slice(vs, i);
    }
    obj[key] = value;
    pairs++;
    if (KNOWN.has(key)) known = true;
  }
  return pairs >= 2 && known ? obj : null;
}
