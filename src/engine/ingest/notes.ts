import type { FileSummary } from '../types.ts';
import type { LineCounts } from './records.ts';

/**
 * The file notes about bytes and times that were odd but still analyzed: NUL padding skipped at line starts,
 * records whose time was impossible. Made from a file's counts, or from the slices of a file read in parallel.
 */
type Facts = Pick<FileSummary, 'nulPadding' | 'invalidTimes'>;

/** The facts worth a note in a builder's counts (only the ones that happened are set). */
export function ingestFacts(c: LineCounts, firstInvalidTime: { line: number; time: string } | null): Facts {
  const facts: Facts = {};
  if (c.nulBytes > 0) facts.nulPadding = { bytes: c.nulBytes, atStart: c.nulAtStart, lines: c.nulLines };
  if (c.invalidTimes > 0 && firstInvalidTime !== null)
    facts.invalidTimes = { count: c.invalidTimes, ...firstInvalidTime };
  return facts;
}

/** The slices' facts as one file's: counts added, the first example kept, its line counted from the file's start. */
export function mergeIngestFacts(parts: readonly FileSummary[]): Facts {
  const facts: Facts = {};
  let linesBefore = 0;
  for (const p of parts) {
    const pad = p.nulPadding;
    if (pad !== undefined) {
      const m = (facts.nulPadding ??= { bytes: 0, atStart: 0, lines: 0 });
      m.bytes += pad.bytes;
      m.atStart += pad.atStart;
      m.lines += pad.lines;
    }
    const bad = p.invalidTimes;
    if (bad !== undefined) {
      if (facts.invalidTimes === undefined)
        facts.invalidTimes = { count: 0, line: bad.line + linesBefore, time: bad.time };
      facts.invalidTimes.count += bad.count;
    }
    linesBefore += p.lines;
  }
  return facts;
}

const num = (n: number): string => n.toLocaleString('en-US');
const COPYTRUNCATE = '(log rotation with copytruncate leaves these)';

export function ingestNotes(f: Facts): string[] {
  const notes: string[] = [];
  const pad = f.nulPadding;
  if (pad !== undefined) {
    const what = `${num(pad.bytes)} NUL ${pad.bytes === 1 ? 'byte' : 'bytes'} of padding ${pad.bytes === 1 ? 'was' : 'were'} skipped`;
    const lines = `${num(pad.lines)} later ${pad.lines === 1 ? 'line' : 'lines'}`;
    if (pad.lines === 0) notes.push(`${what} at the start ${COPYTRUNCATE}.`);
    else if (pad.atStart === 0) notes.push(`${what} at the start of ${lines} ${COPYTRUNCATE}.`);
    else
      notes.push(
        `${what}: ${num(pad.atStart)} at the start and ${num(pad.bytes - pad.atStart)} at the start of ${lines} ${COPYTRUNCATE}.`,
      );
  }
  const bad = f.invalidTimes;
  if (bad !== undefined) {
    notes.push(
      bad.count === 1
        ? `1 record had an impossible time (line ${bad.line}: ${bad.time}); it is counted without a time.`
        : `${num(bad.count)} records had an impossible time (e.g. line ${bad.line}: ${bad.time}); they are counted without a time.`,
    );
  }
  return notes;
}

/** True for the notes ingestNotes writes (a merge writes them again from the summed facts). */
export function isIngestNote(w: string): boolean {
  return /^[\d,]+ (NUL bytes? of padding|records? had an impossible time)/.test(w);
}
