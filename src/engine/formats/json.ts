import { draftFromObject } from './fields.ts';
import type { LineFormat } from './types.ts';

/** JSON lines: one object a line, with the common field names for time, level, service and message. */
export const jsonLines: LineFormat = {
  id: 'json',
  name: 'JSON lines',
  specificity: 40,
  samples: [
    '{"time":"2025-03-14T10:22:31.123Z","level":"error","service":"payment-service","msg":"Timeout calling db after 3000ms"}',
    '{"timestamp":"2025-03-14T10:22:31Z","severity":"WARNING","logger":"auth","message":"token close to expiry","user":8812}',
    '{"level":30,"time":1710411751123,"pid":4242,"hostname":"web-1","name":"checkout","msg":"request completed","res":{"statusCode":200}}',
    '{"@timestamp":"2025-03-14T10:22:31.123+00:00","log.level":"info","service.name":"search","message":"query ok"}',
  ],
  parse(b, start, end, info, out, ctx) {
    let s = start;
    while (s < end && (b[s] === 32 || b[s] === 9)) s++;
    let e = end;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (e - s < 2 || b[s] !== 123 || b[e - 1] !== 125) return false; // { … }
    let obj: unknown;
    try {
      obj = JSON.parse(ctx.text(b, s, e, info));
    } catch {
      return false;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false;
    return draftFromObject(obj as Record<string, unknown>, out, ctx.iso);
  },
};
