/**
 * The slicing plan for parallel reading (the page's workers, the command line's threads): which files can be read
 * in slices, how many, and where the cuts fall. Pure, and importing nothing of the engine (the page's main
 * thread uses it): the callers own the workers and the merge; detect-head.ts reads a file's head.
 */

/** Files from this size are read in slices (one per worker); smaller ones are read whole. */
export const SLICE_MIN_BYTES = 32 * 1024 * 1024;
/**
 * A .gz from this size (compressed) is read in a pipeline by two workers (src/engine/pipeline.ts): small, as
 * gzip may expand 1000 times; a stream that turns out short is read by the first worker alone.
 */
export const PIPELINE_MIN_BYTES = 512 * 1024;
/** The head read to detect the format every slice must read the file as. */
export const HEAD_BYTES = 1 << 20;

/** What a file's head says: its format (`unknown` when none parsed) and whether it is gzip. */
export interface Head {
  format: string;
  gzip: boolean;
}

/** A file worth detecting the head of: there is more than one worker and the file is big enough. */
export function mayBeSliced(size: number, workers: number, minBytes = SLICE_MIN_BYTES): boolean {
  return workers >= 2 && size >= minBytes;
}

/**
 * How many slices to read a file in: one per worker, and no slice under half the threshold. One for gzip (a gzip
 * stream cannot be entered in the middle), a file of no known or an inferred format, and CRI (a partial line may be completed
 * across a cut).
 */
export function sliceCount(size: number, workers: number, head: Head, minBytes = SLICE_MIN_BYTES): number {
  if (!mayBeSliced(size, workers, minBytes)) return 1;
  // an inferred format is inferred again by each slice from its own start: not safe to cut on
  if (head.gzip || head.format === 'unknown' || head.format === 'inferred' || head.format === 'k8s-cri')
    return 1;
  return Math.max(1, Math.min(workers, Math.floor(size / (minBytes / 2))));
}

/** `n` byte ranges that cover the file; analyze()'s `range` moves each cut to the next record start. */
export function sliceRanges(size: number, n: number): { start: number; end: number }[] {
  const cut = (i: number): number => Math.floor((size * i) / n);
  return Array.from({ length: n }, (_, i) => ({ start: cut(i), end: i === n - 1 ? size : cut(i + 1) }));
}

/** One unit of parallel work: a file of the analysis' order, whole or a slice of it (read with `format`). */
export interface Piece {
  file: number;
  range: { start: number; end: number } | null;
  /** the config's format, or the head's for a slice (every slice must agree) */
  format: string;
}

/**
 * The pieces of a set of files (already in rotation order), in file order: each big plain file of a known format
 * in slices, the others whole. `heads[i]` is null for a file too small to be sliced.
 */
export function planPieces(
  sizes: readonly number[],
  heads: readonly (Head | null)[],
  workers: number,
  configFormat: string,
  minBytes = SLICE_MIN_BYTES,
): Piece[] {
  return sizes.flatMap((size, file): Piece[] => {
    const head = heads[file] ?? null;
    const n = head === null ? 1 : sliceCount(size, workers, head, minBytes);
    if (n === 1) return [{ file, range: null, format: configFormat }];
    return sliceRanges(size, n).map((range) => ({ file, range, format: head!.format }));
  });
}
