import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/engine/analyze.ts';
import { generateSample } from '../../src/engine/sample.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { analyzeSliced, config } from './helpers.ts';

/**
 * Parallel analysis: slices of one file read apart (as two workers do), each sliced at a record start, then
 * merged — through a structured clone, as the state crosses from one worker to another — must equal the
 * single pass: every count, the timeline, spikes, anomalies, sequences (line numbers included) and templates.
 */
async function whole(file: File, cfg = config({ timeZone: 'UTC' })): Promise<Snapshot> {
  return analyze([file], cfg);
}

async function split(file: File, cuts: number[], cfg = config({ timeZone: 'UTC' })): Promise<Snapshot> {
  const head = await analyze(
    [new File([file.slice(0, 1 << 20)], file.name, { lastModified: file.lastModified })],
    cfg,
  );
  const forced = { ...cfg, format: head.files[0]!.format };
  return analyzeSliced(file, cuts, forced);
}

function comparable(s: Snapshot): unknown {
  return {
    totals: s.totals,
    levels: s.levels,
    services: s.services,
    timeRange: s.timeRange,
    timeline: s.timeline,
    spikes: s.detectors.spikes,
    windows: s.detectors.windowsAnalyzed,
    anomalies: s.detectors.anomalies,
    sequences: s.detectors.sequences.map((q) => ({ ...q, events: q.events })),
    templates: s.templates.templates.map((t) => [t.template, t.count, t.errors]).sort(),
    file: { records: s.files[0]!.records, lines: s.files[0]!.lines, format: s.files[0]!.format },
    // facets: every field's top values, distinct counts, quantiles; templates by text (ids are the miner's)
    facets: {
      ...s.facets,
      fields: s.facets!.fields.map((f) =>
        f.field === 'template' ? { ...f, top: f.top.map((v) => [v.label, v.count]).sort() } : f,
      ),
    },
  };
}

describe('parallel analysis: slices merged equal one pass', () => {
  const sample = (() => {
    const g = generateSample({ bytes: 3_000_000, seed: 11, spanMs: 6 * 3600_000 });
    let text = '';
    for (let s = g.next(); !s.done; s = g.next()) text += s.value;
    return new File([text], 'sample.log', { lastModified: Date.UTC(2025, 2, 15) });
  })();

  it('on the generated sample (stack traces across the cuts), for 2 and 3 slices at many places', async () => {
    const one = comparable(await whole(sample));
    for (const cuts of [
      [sample.size / 2],
      [1_000_000, 2_000_000],
      [1, sample.size - 2],
      [123_457, 2_654_321],
    ]) {
      expect(comparable(await split(sample, cuts.map(Math.floor)))).toEqual(one);
    }
  });

  it('cuts inside stack traces: the trace stays with its record', async () => {
    const text = new TextDecoder().decode(new Uint8Array(await sample.arrayBuffer()));
    // every tab-indented "at" line: cut right in its middle
    const cuts: number[] = [];
    for (let i = text.indexOf('\tat '); i !== -1 && cuts.length < 40; i = text.indexOf('\tat ', i + 50_000))
      cuts.push(i + 3);
    const one = comparable(await whole(sample));
    for (const cut of cuts.slice(0, 8)) expect(comparable(await split(sample, [cut]))).toEqual(one);
  });

  for (const name of ['hadoop-mrappmaster.log', 'postgresql-16-main.log', 'zookeeper.log']) {
    it(`on the golden fixture ${name}`, async () => {
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = new Uint8Array(readFileSync(new URL(`../fixtures/golden/${name}`, import.meta.url)));
      } catch {
        return; // fixture renamed: covered by the generated sample above
      }
      const file = new File([bytes], name, { lastModified: Date.UTC(2025, 5, 1) });
      const one = comparable(await whole(file));
      for (const f of [0.25, 0.5, 0.77])
        expect(comparable(await split(file, [Math.floor(file.size * f)]))).toEqual(one);
    });
  }
});

describe('parallel analysis: where Drain’s order shows', () => {
  it('an access log: every count equal; templates group a few requests differently, all records kept', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/golden/access.log.1', import.meta.url)));
    const file = new File([bytes], 'access.log.1', { lastModified: Date.UTC(2025, 5, 1) });
    const one = await whole(file);
    for (const f of [0.3, 0.5, 0.8]) {
      const merged = await split(file, [Math.floor(file.size * f)]);
      const { templates: _a, facets: f1, ...rest1 } = comparable(one) as Record<string, unknown>;
      const { templates: _b, facets: f2, ...rest2 } = comparable(merged) as Record<string, unknown>;
      expect(rest2).toEqual(rest1);
      // every facet but the templates' (Drain's grouping) equal: fields, status classes over time, bytes
      const noTemplates = (f: unknown): unknown => {
        const x = f as { fields: { field: string }[] };
        return { ...x, fields: x.fields.filter((y) => y.field !== 'template') };
      };
      expect(noTemplates(f2)).toEqual(noTemplates(f1));
      expect((f1 as { access: unknown }).access).not.toBeNull();
      const sum = (s: Snapshot): number => s.templates.templates.reduce((n, t) => n + t.count, 0);
      expect(sum(merged)).toBe(sum(one));
    }
  });
});

describe('parallel analysis: a later slice does not judge the file', () => {
  it('a NUL byte past the first 64 KiB makes no slice "not a text log"; bytes add up', async () => {
    const line = (i: number): string =>
      `2025-03-14T10:00:${String(i % 60).padStart(2, '0')}.000Z INFO api msg ${i}\n`;
    let text = '';
    for (let i = 0; i < 6000; i++) text += line(i);
    const bytes = new TextEncoder().encode(text);
    bytes[Math.floor(bytes.length / 2) + 20] = 0; // inside a message, in the second slice's first 64 KiB
    const file = new File([bytes], 'nul.log', { lastModified: Date.UTC(2025, 5, 1) });
    const one = await whole(file);
    const merged = await split(file, [Math.floor(bytes.length / 2)]);
    expect(one.files[0]!.error).toBeNull();
    expect(merged.files[0]!.error).toBeNull();
    expect(merged.totals).toEqual(one.totals);
    expect(merged.totals.bytes).toBe(bytes.length);
  });
});
