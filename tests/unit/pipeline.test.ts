import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/engine/analyze.ts';
import { openBytes } from '../../src/engine/ingest/source.ts';
import {
  PieceCutter,
  PieceMerger,
  PieceParser,
  pump,
  type Piece,
  type PieceResult,
} from '../../src/engine/pipeline.ts';
import type { Config } from '../../src/engine/config.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { config, sampleText } from './helpers.ts';

const cfg = config({ timeZone: 'UTC' });

/**
 * A .gz read as the page's pipeline reads it (src/engine/pipeline.ts, the worker plumbing aside): inflated, cut
 * into small pieces at record starts, the pieces parsed by two parsers in turn (the other's results crossing by
 * structured clone, as between workers, and merged out of order) and merged in file order.
 */
async function pipelined(
  file: File,
  format: string,
  pieceBytes: number,
  firstBytes = pieceBytes,
  maxPieces = Infinity,
): Promise<{ snap: Snapshot; pieces: Piece[] }> {
  const forced: Config = { ...cfg, format };
  const opened = await openBytes(file, () => undefined);
  const cutter = new PieceCutter(forced, format, file.name, file.lastModified, pieceBytes, firstBytes);
  const merger = new PieceMerger();
  const own = new PieceParser(forced, file.name, file.lastModified, (r) => merger.add(r));
  const held: PieceResult[] = [];
  const other = new PieceParser(forced, file.name, file.lastModified, (r) => held.push(structuredClone(r)));
  const pieces: Piece[] = [];
  const warning = await pump(opened.chunks[Symbol.asyncIterator](), [], cutter, own, {}, async (p) => {
    pieces.push(p);
    if (pieces.length > maxPieces) throw new Error('too many pieces');
    // pieces 1, 2, 4, 5, … go to the other parser; its results arrive late, two at a time, reversed
    if (p.index % 3 === 0) await own.parse(structuredClone(p));
    else await other.parse(structuredClone(p));
    if (held.length === 2) for (const r of held.splice(0).reverse()) merger.add(r);
  });
  for (const r of held.splice(0)) merger.add(r);
  expect(merger.merged).toBe(cutter.pieces);
  return { snap: merger.finish(file.size, warning, 0, 0), pieces };
}

function comparable(s: Snapshot): unknown {
  return { ...s, progress: { ...s.progress, elapsedMs: 0 } };
}

const bytesOf = async (p: Piece): Promise<Uint8Array> =>
  new Uint8Array(await new Blob(p.parts).arrayBuffer());

describe('gzip pipeline: pieces cut at record starts, merged, equal one pass', () => {
  const { text } = sampleText({ bytes: 2_000_000, seed: 7, spanMs: 6 * 3600_000, stackTraces: true });
  const when = Date.UTC(2025, 2, 15);
  const gz = new File([gzipSync(text)], 'app.log.gz', { lastModified: when });
  // the same name: records carry it
  const plain = new File([text], 'app.log.gz', { lastModified: when });

  it('several small pieces, stack traces straddling the cuts: the report equals the one-pass .gz and plain', async () => {
    const one = await analyze([gz], cfg);
    const format = one.files[0]!.format;
    expect(format).toBe('iso-level-service');
    for (const size of [64 * 1024, 100_003, 333_333]) {
      const { snap, pieces } = await pipelined(gz, format, size, 20_000);
      expect(pieces.length).toBeGreaterThan(2_000_000 / size - 1);
      // contiguous: every piece starts where the one before ended
      pieces.forEach((p, i) => expect(p.start).toBe(i === 0 ? 0 : pieces[i - 1]!.end));
      expect(comparable(snap)).toEqual(comparable(one));
    }
    const flat = await analyze([plain], cfg);
    const { snap } = await pipelined(gz, format, 77_777);
    expect(snap.totals).toEqual(flat.totals);
    expect(snap.detectors).toEqual(flat.detectors);
    expect(snap.templates).toEqual(flat.templates);
    expect(snap.timeline).toEqual(flat.timeline);
  });

  it('cuts only at record starts: no piece begins with a stack trace line', async () => {
    const format = 'iso-level-service';
    const cutter = new PieceCutter({ ...cfg, format }, format, 'x', 0, 50_000);
    const pieces = cutter.push(new TextEncoder().encode(text));
    expect(pieces.length).toBeGreaterThan(20);
    let straddled = 0;
    const dec = new TextDecoder();
    for (const p of pieces.slice(1)) {
      const bytes = await bytesOf(p);
      expect(bytes.length).toBe(p.end - p.start + 1);
      expect(bytes[0]).toBe(10);
      expect(dec.decode(bytes.subarray(1, 40))).toMatch(/^\d{4}-\d\d-\d\dT/);
      // the candidate cut (50,000 bytes in) fell inside a trace: the cut moved past it
      if (/\n(\tat |Caused by: |\t\.\.\. )/.test(dec.decode(bytes.subarray(50_000 - 200, 50_000 + 1))))
        straddled++;
    }
    expect(straddled).toBeGreaterThan(0);
  });

  it('a record longer than the cap on pieces: the rest is read in one pass, still equal', async () => {
    const trace = Array.from(
      { length: 3000 },
      (_, i) => `\tat com.example.Deep.frame${i}(Deep.java:${i})\n`,
    ).join('');
    const lines = text.split('\n');
    const long = [
      ...lines.slice(0, 9000),
      lines[9000]! + '\n' + trace.slice(0, -1),
      ...lines.slice(9001),
    ].join('\n');
    const file = new File([gzipSync(long)], 'app.log.gz', { lastModified: when });
    const one = await analyze([file], cfg);
    // pieces of 20,000 bytes: the 150 kB trace overflows the cap (4 pieces' worth)
    const { snap, pieces } = await pipelined(file, 'iso-level-service', 20_000);
    expect(pieces.length).toBeLessThan(long.length / 20_000 / 2);
    expect(comparable(snap)).toEqual(comparable(one));
  });

  it('a truncated .gz: the same note and the same analysis of what was decompressed', async () => {
    const whole = gzipSync(text);
    const cut = new File([whole.subarray(0, Math.floor(whole.length * 0.6))], 'cut.log.gz', {
      lastModified: when,
    });
    const one = await analyze([cut], cfg);
    expect(one.files[0]!.warnings[0]).toMatch(/^The gzip data is truncated or corrupt/);
    const { snap } = await pipelined(cut, 'iso-level-service', 100_000);
    expect(comparable(snap)).toEqual(comparable(one));
  });
});
