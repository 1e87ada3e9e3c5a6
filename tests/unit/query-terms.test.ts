import { describe, it, expect } from 'vitest';
import { isoQuery, queryTerm, timeQuery } from '../../src/lib/format.ts';

/** The queries the page's findings write (src/lib/format.ts): exact text, as a user would type it. */
describe('query terms written by findings', () => {
  it('writes time ranges in UTC ISO 8601, with milliseconds only when there are some', () => {
    const t = Date.UTC(2025, 2, 14, 0, 48, 0);
    expect(isoQuery(t)).toBe('2025-03-14T00:48:00Z');
    expect(isoQuery(t + 5)).toBe('2025-03-14T00:48:00.005Z');
    expect(timeQuery(t, t + 180_000)).toBe('time:2025-03-14T00:48:00Z..2025-03-14T00:51:00Z');
  });

  it('quotes a value with spaces, quotes, wildcards or a range sign', () => {
    expect(queryTerm('service', 'payment-service')).toBe('service:payment-service');
    expect(queryTerm('service', 'my svc')).toBe('service:"my svc"');
    expect(queryTerm('service', 'a*')).toBe('service:"a*"');
    expect(queryTerm('service', 'say "hi"')).toBe('service:"say \\"hi\\""');
    expect(queryTerm('service', 'a..b')).toBe('service:"a..b"');
  });
});
