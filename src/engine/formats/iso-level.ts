import { levelFromBytes } from '../levels.ts';
import { nextSpace, skipSpaces, type LineFormat } from './types.ts';

/**
 * `<ISO-8601 time> <LEVEL> <service> <message>`, parsed from bytes: a hand-written timestamp parser, a
 * level word looked up without a string, an interned service name, and one slice for the message.
 */
export const isoLevelService: LineFormat = {
  id: 'iso-level-service',
  name: 'ISO time, level, service, message',
  specificity: 30,
  samples: [
    '2025-03-14T10:22:31.123Z ERROR payment-service Timeout calling db after 3000ms',
    '2025-03-14T10:22:31Z INFO api-gateway GET /v1/orders 200 12ms',
    '2025-03-14 10:22:31.123456+01:00 WARN auth-service token close to expiry for user 8812',
    '2025-03-14T10:22:31.5-05:00 [DEBUG] inventory-service cache hit ratio=0.93',
    '2024-11-02T23:59:59.999Z FATAL order-service Out of memory: heap exhausted',
  ],
  parse(b, start, end, info, out, ctx) {
    const time = ctx.iso.parse(b, start, end);
    // a time of the right shape with impossible values still starts a record (without a time)
    const bad = Number.isNaN(time);
    if (bad && !ctx.iso.impossible) return false;
    let p = ctx.iso.end;
    if (p >= end || (b[p] !== 32 && b[p] !== 9)) return false;
    p = skipSpaces(b, p, end);
    let q = nextSpace(b, p, end);
    let ls = p;
    let le = q;
    if (b[ls] === 91 && b[le - 1] === 93) {
      // [LEVEL]
      ls++;
      le--;
    }
    const level = levelFromBytes(b, ls, le);
    if (level === null) return false;
    p = skipSpaces(b, q, end);
    if (p >= end) return false;
    const service = ctx.names.wordAt(b, p, end);
    q = ctx.names.wordEnd;
    p = skipSpaces(b, q, end);
    out.time = bad ? null : time;
    if (bad) out.badTime = ctx.text(b, start, ctx.iso.end, info);
    out.level = level;
    out.service = service;
    out.message = p < end ? ctx.text(b, p, end, info) : '';
    ctx.messageAt = p;
    out.fields = null;
    return true;
  },
};
