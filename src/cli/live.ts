/**
 * `--follow FILE` and `-` (standard input): a live analysis (src/engine/live.ts) with one status line on a
 * terminal (records, errors, rate, open incidents) and a line for each incident when it opens and when it
 * closes; `--json` prints one JSON object per event instead. Ctrl-C ends it cleanly: the final snapshot is
 * returned, for --out.
 */
import { Readable } from 'node:stream';
import type { Analysis } from '../engine/analysis.ts';
import { analyze } from '../engine/analyze.ts';
import type { Config } from '../engine/config.ts';
import { errorCount, IncidentTracker, incidentWindowMs, RateMeter, withIdleTicks } from '../engine/live.ts';
import type { IncidentEvent, LiveStatus } from '../engine/live.ts';
import { streamInput, type ByteInput } from '../engine/ingest/source.ts';
import type { Snapshot } from '../engine/types.ts';
import { followFile, type FollowedInput } from './follow.ts';
import { escapeText, safe, status, warn, type Safe } from './terminal-text.ts';

export interface LiveOptions {
  /** one JSON object per line on standard output for each event */
  json: boolean;
  /** the status line on standard error (a terminal, and not --quiet) */
  statusLine: boolean;
  quiet: boolean;
}

export interface LiveResult {
  snapshot: Snapshot;
  analysis: Analysis | null;
}

/** Follows `path` ('-': standard input) until Ctrl-C (or the end of standard input). */
export async function runLive(path: string, config: Config, opts: LiveOptions): Promise<LiveResult> {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSigint = (): void => stop();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const windowMs = incidentWindowMs(config);
  try {
    for (;;) {
      let input: ByteInput;
      let followed: FollowedInput | null = null;
      if (path === '-') {
        const stdin = Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>;
        input = streamInput('stdin', withIdleTicks(stdin, undefined, stopped));
      } else {
        followed = followFile(path);
        void stopped.then(() => followed?.stop());
        input = followed;
      }
      const result = await follow(input, config, opts, windowMs);
      const why = followed?.ended ?? 'stopped';
      if (why === 'stopped') return result;
      if (opts.statusLine) status(safe`\r\x1b[K`);
      const said =
        why === 'truncated'
          ? safe`${path} was truncated: following it anew from its start`
          : safe`${path} was replaced by a new file: following the new one from its start`;
      if (opts.json) emit({ type: 'file', state: why, file: path });
      else if (!opts.quiet) warn(safe`analyze: ${said}`);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

async function follow(
  input: ByteInput,
  config: Config,
  opts: LiveOptions,
  windowMs: number,
): Promise<LiveResult> {
  const tracker = new IncidentTracker(windowMs);
  const rate = new RateMeter();
  let analysis: Analysis | null = null;
  let last = '';
  const seen = (s: Snapshot): void => {
    const events = tracker.update(s);
    const now: LiveStatus = {
      type: 'status',
      records: s.totals.records,
      errors: errorCount(s),
      rate: Math.round(rate.add(performance.now(), s.totals.records)),
      openIncidents: tracker.openCount,
    };
    if (opts.json) {
      for (const e of events) emit(e);
      const key = `${now.records} ${now.openIncidents}`;
      if (key !== last) emit(now);
      last = key;
      return;
    }
    if (events.length > 0 && opts.statusLine) status(safe`\r\x1b[K`);
    for (const e of events) process.stdout.write(incidentLine(e) + '\n');
    if (opts.statusLine) status(statusText(now));
  };
  const snapshot = await analyze([input], config, {
    live: true,
    intervalMs: 250,
    onSnapshot: seen,
    keep: (a) => (analysis = a),
  });
  seen(snapshot);
  if (opts.statusLine) status(safe`\r\x1b[K`);
  return { snapshot, analysis };
}

function statusText(s: LiveStatus): Safe {
  const n = (x: number): string => x.toLocaleString('en-US');
  return safe`\r\x1b[K${n(s.records)} records  ${n(s.errors)} errors  ${n(s.rate)}/s  ${s.openIncidents} open incident${s.openIncidents === 1 ? '' : 's'}`;
}

/** `incident open  2025-03-14T09:41:00.000Z  errors  severity 1858  <title>`: the title escaped. */
export function incidentLine(e: IncidentEvent): Safe {
  const when = e.state === 'open' ? e.start : e.end;
  return safe`incident ${e.state === 'open' ? 'open  ' : 'closed'}  ${when}  ${e.kind}  severity ${e.severity}  ${e.title}`;
}

/** One JSON object per line; strings with control or bidi characters escaped (jsonText's rule, on one line). */
function emit(value: object): void {
  process.stdout.write(escapeText(JSON.stringify(value)) + '\n');
}
