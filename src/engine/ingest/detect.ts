import type { LineFormat, RecordDraft } from '../formats/types.ts';
import type { ParseContext } from '../formats/types.ts';
import type { LineInfo, LineSink } from './lines.ts';
import { isContinuation } from './continuation.ts';

export const DETECT_MAX_LINES = 1000;
export const DETECT_MAX_BYTES = 1024 * 1024;

export interface Detection {
  format: LineFormat | null;
  /** share of the sample's lines that start records (non-blank, not stack-trace lines) that the format parsed */
  confidence: number;
  /** lines parsed per format id, for the curious */
  scores: Record<string, number>;
}

/** Picks the format that parses the most sample lines; ties go to the more specific format. */
export function detectFormat(
  lines: readonly { bytes: Uint8Array; info: LineInfo }[],
  formats: readonly LineFormat[],
  ctx: ParseContext,
): Detection {
  const draft: RecordDraft = {
    time: null,
    level: null,
    service: null,
    message: '',
    fields: null,
    partial: false,
    badTime: null,
  };
  const scores: Record<string, number> = {};
  let best: LineFormat | null = null;
  let bestScore = 0;
  const starts = lines.filter(
    ({ bytes }) =>
      bytes.some((c) => c !== 32 && c !== 9 && c !== 13) && !isContinuation(bytes, 0, bytes.length),
  );
  const nonBlank = starts.length;
  // Per format: lines it parses, and lines it declares continuations (left out of its share's denominator).
  const declared: Record<string, number> = {};
  // lines some specific format parses: in a mixed file they are no evidence for the generic fallback, which
  // would otherwise win by reading several shapes at once (ingest/mixed.ts reads each with its own format)
  const claimed = new Uint8Array(starts.length);
  for (const f of formats) {
    let n = 0;
    let cont = 0;
    const fallback = f.id === 'generic';
    for (let i = 0; i < starts.length; i++) {
      const { bytes, info } = starts[i]!;
      if (fallback && claimed[i] === 1) continue;
      draft.continues = false;
      draft.badTime = null;
      // a line whose time is impossible is the format's record, but no evidence for the format: a format that
      // misreads every day as a month must not win on such lines
      if (f.parse(bytes, 0, bytes.length, info, draft, ctx)) {
        if (draft.badTime === null) n++;
        claimed[i] = 1;
      } else if (draft.continues) cont++;
    }
    scores[f.id] = n;
    declared[f.id] = cont;
    if (n > bestScore || (n === bestScore && n > 0 && best !== null && f.specificity > best.specificity)) {
      best = f;
      bestScore = n;
    }
  }
  const denominator = nonBlank - (best === null ? 0 : (declared[best.id] ?? 0));
  return { format: best, confidence: denominator <= 0 ? 0 : Math.min(1, bestScore / denominator), scores };
}

/**
 * Holds the first lines of a file (up to DETECT_MAX_LINES or DETECT_MAX_BYTES) until the format is known,
 * then replays them into the sink made for that format and forwards every later line straight to it.
 */
export class DetectingSink implements LineSink {
  private held: { bytes: Uint8Array; info: LineInfo }[] = [];
  private heldBytes = 0;
  private target: LineSink | null = null;
  detection: Detection | null = null;

  constructor(
    private readonly decide: (held: readonly { bytes: Uint8Array; info: LineInfo }[]) => {
      detection: Detection;
      sink: LineSink;
    },
  ) {}

  line(buf: Uint8Array, start: number, end: number, info: LineInfo): void {
    if (this.target !== null) {
      this.target.line(buf, start, end, info);
      return;
    }
    this.held.push({ bytes: buf.slice(start, end), info: { ...info, text: null, textBase: 0 } });
    this.heldBytes += end - start;
    if (this.held.length >= DETECT_MAX_LINES || this.heldBytes >= DETECT_MAX_BYTES) this.finish();
  }

  /** Lines held, waiting for the format to be decided. */
  get holding(): number {
    return this.target === null ? this.held.length : 0;
  }

  /** Decides on what is held (call at the end of input too: a short file never reaches the limits). */
  finish(): void {
    if (this.target !== null) return;
    const { detection, sink } = this.decide(this.held);
    this.detection = detection;
    this.target = sink;
    const held = this.held;
    this.held = [];
    for (const { bytes, info } of held) sink.line(bytes, 0, bytes.length, info);
  }
}
