import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { openBytes } from '../../src/engine/ingest/source.ts';
import { PieceCutter, PieceParser, mergePieces, type Piece } from '../../src/engine/pipeline.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { config, sampleText } from './helpers.ts';

/**
 * A .gz read as the page's pipeline reads it (src/engine/pipeline.ts; the worker plumbing aside): inflated,
 * cut into small pieces at record starts, the pieces parsed by two parsers in turn (one's runs crossing by
 * structured clone, as between workers) and merged in file order. Its report must equal a one-pass read.
 */
async function pipelined(
  file: File,
  format: string,
  pieceBytes: number,
  firstBytes = pieceBytes,
): Promise<Snapshot> {
  const cfg = { ...config({ timeZone: 'UTC' }), format };
  const opened = await openBytes(file, () => undefined);
  const cutter = new PieceCutter(cfg, format, file.name, file.lastModified, pieceBytes, firstBytes);
  const a = new PieceParser(cfg, file.name, file.lastModified);
  const b = new PieceParser(cfg, file.name, file.lastModified);
  const pieces: Piece[] = [];
  for await (const chunk of opened.chunks) pieces.push(...cutter.push(chunk));
  expect(cutter.overflow).toBe(false);
  const last = cutter.end();
  if (last) pieces.push(last);
  // contiguous: every piece starts where the one before ended
  pieces.forEach((p, i) => expect(p.start).toBe(i === 0 ? 0 : pieces[i - 1]!.end));
  for (const p of pieces) await (p.index % 3 === 1 || p.index % 3 === 2 ? b : a).parse(structuredClone(p));
  return mergePieces([...a.runs, ...structuredClone(b.runs)], file.size, null, 0, 0);
}

function comparable(s: Snapshot): unknown {
  return { ...s, progress: { ...s.progress, elapsedMs: 0 } };
}

describe('gzip pipeline: pieces cut at record starts, merged, equal one pass', () => {
  const { text } = sampleText({ bytes: 2_000_000, seed: 7, spanMs: 6 * 3600_000, stackTraces: true });
  const gz = new File([gzipSync(text)], 'app.log.gz', { lastModified: Date.UTC(2025, 2, 15) });
  // the same name: records carry it
  const plain = new File([text], 'app.log.gz', { lastModified: Date.UTC(2025, 2, 15) });

  it('several small pieces, stack traces straddling the cuts: the report equals the one-pass .gz and plain', async () => {
    const cfg = config({ timeZone: 'UTC' });
    const one = await analyze([gz], cfg);
    const format = one.files[0]!.format;
    expect(format).not.toBe('unknown');
    for (const size of [64 * 1024, 100_003, 333_333]) {
      const piped = await pipelined(gz, format, size, 20_000);
      expect(comparable(piped)).toEqual(comparable(one));
    }
    const flat = await analyze([plain], cfg);
    const piped = await pipelined(gz, format, 77_777);
    expect(piped.totals).toEqual(flat.totals);
    expect(piped.detectors).toEqual(flat.detectors);
    expect(piped.templates).toEqual(flat.templates);
    expect(piped.timeline).toEqual(flat.timeline);
  });

  it('cuts only at record starts: no piece begins with a stack trace line', async () => {
    const cfg = { ...config({ timeZone: 'UTC' }), format: 'iso-level' };
    const one = await analyze([gz], config({ timeZone: 'UTC' }));
    const cutter = new PieceCutter(
      { ...cfg, format: one.files[0]!.format },
      one.files[0]!.format,
      'x',
      0,
      50_000,
    );
    const pieces = cutter.push(new TextEncoder().encode(text));
    expect(pieces.length).toBeGreaterThan(20);
    const dec = new TextDecoder();
    for (const p of pieces.slice(1)) {
      const first = dec.decode(p.bytes.subarray(1, 40));
      expect(p.bytes[0]).toBe(10);
      expect(first).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });
});
