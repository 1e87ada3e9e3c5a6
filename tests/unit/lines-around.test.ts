import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { linesAround } from '../../src/engine/lines-around.ts';
import type { LogRecord } from '../../src/engine/types.ts';
import { config } from './helpers.ts';

const LINES = Array.from({ length: 400 }, (_, i) =>
  i === 200
    ? '2025-03-14T10:03:20.000Z ERROR payment-service Timeout calling db after 3000ms\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)'
    : `2025-03-14T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z INFO api-gateway request ${i} done`,
).join('\n');

async function recordsOf(file: File): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  await analyze([file], config({ timeZone: 'UTC' }), { onRecord: (r) => out.push(r) });
  return out;
}

describe('linesAround: a record read again by its byte range', () => {
  for (const [name, bytes] of [
    ['plain.log', new TextEncoder().encode(LINES)],
    ['packed.log.gz', new Uint8Array(gzipSync(LINES))],
  ] as const) {
    it(`${name}: the record's own lines are marked, with whole lines of context around`, async () => {
      const file = new File([bytes], name);
      const records = await recordsOf(file);
      const r = records.find((x) => x.level === 'ERROR')!;
      const lines = await linesAround(file, r.offset, r.length);
      const focus = lines.filter((l) => l.focus).map((l) => l.text);
      expect(focus).toEqual([
        '2025-03-14T10:03:20.000Z ERROR payment-service Timeout calling db after 3000ms',
        'java.lang.IllegalStateException: boom',
        '\tat a.B.c(B.java:1)',
      ]);
      const at = lines.findIndex((l) => l.focus);
      expect(at).toBe(12); // 12 lines of context before
      expect(lines[at - 1]!.text).toContain('request 199 done');
      expect(lines[at + 3]!.text).toContain('request 201 done');
      expect(lines.length).toBe(12 + 3 + 12);
      // every line is whole: it starts with a timestamp or belongs to the trace
      for (const l of lines) expect(l.text).toMatch(/^(2025-|java|\tat)/);
    });
  }

  it('the first record of a file has no context before it', async () => {
    const file = new File([LINES], 'plain.log');
    const records = await recordsOf(file);
    const lines = await linesAround(file, records[0]!.offset, records[0]!.length);
    expect(lines[0]).toEqual({
      offset: 0,
      text: '2025-03-14T10:00:00.000Z INFO api-gateway request 0 done',
      focus: true,
    });
  });
});
