import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import type { Analysis } from '../../src/engine/analysis.ts';
import { generateSample } from '../../src/engine/sample.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import {
  SliceReceiver,
  mergeSlices,
  sendBeat,
  sendError,
  sendSlice,
  type SliceMessage,
} from '../../src/worker/handover.ts';
import { config } from './helpers.ts';

/**
 * The end of a sliced read as the page runs it (src/worker/handover.ts): later slices post their analyses on
 * MessagePorts, the first slice's side receives and merges them. Real MessageChannels (structured clone), so
 * what the first worker merges is what arrives from another thread.
 */
const cfg = config({ timeZone: 'UTC' });

const sample = (() => {
  const g = generateSample({ bytes: 2_000_000, seed: 7, spanMs: 6 * 3600_000 });
  let text = '';
  for (let s = g.next(); !s.done; s = g.next()) text += s.value;
  return new File([text], 'sample.log', { lastModified: Date.UTC(2025, 2, 15) });
})();

async function slice(
  file: File,
  range: { start: number; end: number },
  forced: typeof cfg,
): Promise<{ final: Snapshot; analysis: Analysis }> {
  let kept: Analysis | null = null;
  const final = await analyze([file], forced, { range, keep: (a) => (kept = a) });
  return { final, analysis: kept! };
}

function comparable(s: Snapshot): unknown {
  const { jobId: _j, progress: _p, ...rest } = s;
  return JSON.parse(JSON.stringify(rest));
}

describe('the first slice’s progress: full snapshots at the dashboard’s pace, counts in between', () => {
  it('the first snapshot is full, the next ones (within fullEveryMs) counts only, to onCounts', async () => {
    const full: Snapshot[] = [];
    const counts: Snapshot[] = [];
    const final = await analyze([sample], cfg, {
      intervalMs: 0,
      lightProgress: true,
      fullEveryMs: 1e9,
      range: { start: 0, end: sample.size },
      onSnapshot: (s) => full.push(s),
      onCounts: (s) => counts.push(s),
    });
    expect(full.length).toBe(1);
    expect(full[0]!.services.length).toBeGreaterThan(0);
    expect(full[0]!.timeline.counts.length).toBeGreaterThan(0);
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) {
      expect(c.services).toEqual([]);
      expect(c.timeline.counts).toEqual([]);
      expect(c.totals.records).toBeGreaterThan(full[0]!.totals.records);
      expect(c.totals.records).toBeLessThanOrEqual(final.totals.records);
    }
  });

  it('with fullEveryMs 0 every snapshot is full', async () => {
    const full: Snapshot[] = [];
    const counts: Snapshot[] = [];
    await analyze([sample], cfg, {
      intervalMs: 0,
      lightProgress: true,
      fullEveryMs: 0,
      onSnapshot: (s) => full.push(s),
      onCounts: (s) => counts.push(s),
    });
    expect(counts).toEqual([]);
    expect(full.length).toBeGreaterThan(1);
    for (const s of full) expect(s.services.length).toBeGreaterThan(0);
  });
});

describe('slices handed over worker to worker', () => {
  it('merge over MessagePorts equals one pass, for 2, 3 and 4 slices', async () => {
    const whole = await analyze([sample], cfg);
    const forced = { ...cfg, format: whole.files[0]!.format };
    for (const n of [2, 3, 4]) {
      const bounds = Array.from({ length: n + 1 }, (_, i) => Math.floor((sample.size * i) / n));
      const slices = await Promise.all(
        bounds.slice(0, -1).map((start, i) => slice(sample, { start, end: bounds[i + 1]! }, forced)),
      );
      const channels = slices.slice(1).map(() => new MessageChannel());
      const receiver = new SliceReceiver(
        channels.map((c) => c.port1),
        5,
      );
      // sent in reverse: the first worker merges in slice order whatever order they come in
      for (let k = channels.length - 1; k >= 0; k--) {
        sendBeat(channels[k]!.port2, 5);
        sendSlice(channels[k]!.port2, 5, slices[k + 1]!.final, slices[k + 1]!.analysis);
      }
      const parts = await receiver.all();
      const merged = mergeSlices(slices[0]!.analysis, slices[0]!.final, parts, 5, 0);
      for (const c of channels) c.port2.close();
      expect(comparable(merged)).toEqual(comparable(whole));
    }
  });

  it('drops a replaced job’s messages and gives a failing slice’s own message', async () => {
    const { port1, port2 } = new MessageChannel();
    const receiver = new SliceReceiver([port1], 8);
    port2.postMessage({ jobId: 7, error: 'an old job failed' } satisfies SliceMessage);
    sendError(port2, 8, new Error('Reading stopped: the file changed while it was read'));
    await expect(receiver.all()).rejects.toThrow('Reading stopped: the file changed while it was read');
    port2.close();
  });

  it('a cancelled slice (its worker gone, its port closed) does not leave the first one waiting', async () => {
    const { port1, port2 } = new MessageChannel();
    const receiver = new SliceReceiver([port1], 3, 60_000);
    const waiting = receiver.all();
    port2.close();
    await expect(waiting).rejects.toThrow('slice 2 stopped before it finished');
  });

  it('a slice that goes silent (only a replaced job still talking) is given up after the silence limit', async () => {
    const { port1, port2 } = new MessageChannel();
    const receiver = new SliceReceiver([port1], 4, 300);
    const chatter = setInterval(() => sendBeat(port2, 3), 50); // beats of the cancelled job 3: not a sign of life
    try {
      await expect(receiver.all()).rejects.toThrow('slice 2 sent nothing for 0 s: its worker is gone');
    } finally {
      clearInterval(chatter);
      port2.close();
    }
  });
});
