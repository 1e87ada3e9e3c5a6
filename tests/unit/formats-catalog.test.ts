import { describe, it, expect } from 'vitest';
import { FORMATS } from '../../src/engine/formats/index.ts';
import type { RecordDraft } from '../../src/engine/formats/types.ts';
import { lineInfo, utcContext, utf8 } from './helpers.ts';

function parses(formatId: string, line: string): RecordDraft | null {
  const f = FORMATS.find((x) => x.id === formatId)!;
  const bytes = utf8(line);
  const out: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
  };
  return f.parse(bytes, 0, bytes.length, lineInfo(bytes.length), out, utcContext()) ? out : null;
}

describe('the format catalog (formats are data, each with real-looking samples)', () => {
  it('has unique ids and at least two samples per format', () => {
    const ids = FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of FORMATS) expect(f.samples.length, f.id).toBeGreaterThanOrEqual(2);
  });

  for (const f of FORMATS) {
    it(`${f.id}: every sample parses as ${f.id}, with a time, and no more specific format claims it`, () => {
      for (const sample of f.samples) {
        const own = parses(f.id, sample);
        expect(own, `${f.id} must parse: ${sample}`).not.toBeNull();
        if (!['json', 'logfmt'].includes(f.id) || own!.time !== null)
          expect(own!.time, sample).not.toBeNull();
        const claimers = FORMATS.filter(
          (g) => g.specificity > f.specificity && parses(g.id, sample) !== null,
        ).map((g) => g.id);
        expect(claimers, `more specific formats claiming: ${sample}`).toEqual([]);
      }
    });
  }
});
