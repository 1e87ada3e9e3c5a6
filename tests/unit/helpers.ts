import type { LogRecord, Level, Incident } from '../../src/engine/types.ts';
import type { LineInfo } from '../../src/engine/ingest/lines.ts';
import type { SampleOptions, SampleTruth } from '../../src/engine/sample.ts';
import { generateSample } from '../../src/engine/sample.ts';
import { ParseContext } from '../../src/engine/formats/index.ts';
import { IsoTimeParser } from '../../src/engine/time/iso.ts';
import { ZoneResolver } from '../../src/engine/time/zone.ts';
import { Interner } from '../../src/engine/ingest/interner.ts';
import { parseConfig, type Config, type ConfigInput } from '../../src/engine/config.ts';
import { analyze, mergedSnapshot } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import type { Snapshot } from '../../src/engine/types.ts';

export { rng } from '../../src/engine/sample.ts';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, in a buffer of its own. */
export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(s);
}

/** Concatenates byte arrays (and strings, encoded as UTF-8). */
export function bytesOf(...parts: (string | number[] | Uint8Array)[]): Uint8Array<ArrayBuffer> {
  const arrays = parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A fresh LineInfo for a line of n bytes parsed outside the splitter. */
export function lineInfo(n: number, overrides: Partial<LineInfo> = {}): LineInfo {
  return {
    offset: 0,
    rawLength: n,
    padding: 0,
    lineNo: 1,
    truncated: false,
    ascii: false,
    text: null,
    textBase: 0,
    ...overrides,
  };
}

/** The parse context analyze() makes for a file, with the time zone fixed to UTC (or the given one). */
export function utcContext(zone = 'UTC'): ParseContext {
  return new ParseContext(new IsoTimeParser(new ZoneResolver(zone)), new Interner());
}

/** A validated config, failing loudly if the input is not valid. */
export function config(input: ConfigInput = {}): Config {
  const r = parseConfig(input);
  if (!r.ok) throw new Error(`bad test config: ${r.errors.join('; ')}`);
  return r.config;
}

/** A named in-memory file, as the page hands to the engine. */
export function fileOf(content: string | Uint8Array<ArrayBuffer>, name = 'x.log'): File {
  return new File([content], name);
}

/** A stream input that delivers the bytes in chunks of the given sizes (the rest in one chunk). */
export function chunkedStream(bytes: Uint8Array, sizes: readonly number[]): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= bytes.length) break;
    chunks.push(bytes.slice(at, at + n));
    at += n;
  }
  if (at < bytes.length) chunks.push(bytes.slice(at));
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/** The whole text of a generated sample and its ground truth. */
export function sampleText(opts: SampleOptions): { text: string; truth: SampleTruth } {
  const gen = generateSample(opts);
  let text = '';
  for (;;) {
    const step = gen.next();
    if (step.done) return { text, truth: step.value };
    text += step.value;
  }
}

/** A record for feeding analyzers directly; only what they read matters. */
export function rec(
  time: number | null,
  level: Level | null,
  service: string | null = null,
  extra: Partial<LogRecord> = {},
): LogRecord {
  return {
    time,
    level,
    service,
    message: '',
    continuation: null,
    file: 'x.log',
    fileIndex: 0,
    line: 1,
    lineEnd: 1,
    offset: 0,
    length: 1,
    parsed: true,
    fields: null,
    ...extra,
  };
}

/** Fisher–Yates with the given random source; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * A file read as the page reads a big one: in slices cut at `cuts` (each slice from its first record on), all with
 * `config` (its format forced), the slices' analyses crossing by structured clone and merged with line offsets.
 */
export async function analyzeSliced(file: File, cuts: readonly number[], config: Config): Promise<Snapshot> {
  const bounds = [0, ...cuts, file.size];
  const parts: { snap: Snapshot; analysis: Analysis }[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    let kept: Analysis | null = null;
    const snap = await analyze([file], config, {
      range: { start: bounds[i]!, end: bounds[i + 1]! },
      keep: (a) => (kept = a),
    });
    parts.push({ snap, analysis: kept! });
  }
  const base = parts[0]!.analysis;
  let lines = parts[0]!.snap.totals.lines;
  for (const p of parts.slice(1)) {
    base.merge(structuredClone(p.analysis), lines);
    lines += p.snap.totals.lines;
  }
  return mergedSnapshot(
    base,
    parts.map((p) => p.snap.files[0]!),
    0,
    0,
  );
}

/**
 * Incidents as two analyses of the same records can both say: template ids (an item's name and query) are
 * local to a miner; `texts: false` also drops template texts (titles, labels), which depend on what else a
 * miner saw.
 */
export function incidentsComparable(incidents: readonly Incident[], texts = true): unknown {
  return incidents.map((i) => ({
    ...i,
    title: texts ? i.title : '',
    changed: i.changed.map((c) =>
      c.kind === 'template' ? { ...c, name: '', query: '', label: texts ? c.label : '' } : c,
    ),
  }));
}
