import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import { followBlob, IncidentTracker, withIdleTicks, type IncidentEvent } from '../../src/engine/live.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { fileOf, utf8 } from './helpers.ts';
import { BASE_RECORDS, BURST_ERRORS, BURST_RECORDS, baseLog, burstLog, reopenParts } from './live-fixture.ts';

const cfg: Config = { ...DEFAULT_CONFIG, timeZone: 'UTC' };

/** Steady traffic after the burst, minutes 41 to 50: the incident stops growing. */
function afterLog(): string {
  let s = '';
  for (let m = 41; m < 50; m++)
    for (let k = 0; k < 20; k++)
      s += `${new Date(Date.UTC(2025, 2, 14, 9, m, k * 3)).toISOString()} INFO api-gateway GET /x/${k} 200 in 4 ms\n`;
  return s;
}

/** A live stream the test writes to: each part, then an idle tick (an empty chunk), as a followed file gives. */
function parts(texts: readonly string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i === texts.length * 2) c.close();
      else c.enqueue(i % 2 === 0 ? utf8(texts[i >> 1]!) : new Uint8Array(0));
      i++;
    },
  });
}

async function live(texts: readonly string[]): Promise<{ final: Snapshot; snaps: Snapshot[] }> {
  const snaps: Snapshot[] = [];
  const final = await analyze([streamInput('live.log', parts(texts))], cfg, {
    live: true,
    intervalMs: 1e9, // only the idle ticks' snapshots
    onSnapshot: (s) => snaps.push(s),
  });
  return { final, snaps };
}

describe('a live analysis (analyze with live: true)', () => {
  it('shows each part at its idle tick, the last record included; ends equal to the same bytes read at once', async () => {
    // cut mid-line, so the splitter holds a partial line across an idle tick
    const text = baseLog() + burstLog();
    const cut = baseLog().length + 25;
    const { final, snaps } = await live([text.slice(0, cut), text.slice(cut)]);
    expect(snaps.map((s) => s.totals.records)).toEqual([BASE_RECORDS, BASE_RECORDS + BURST_RECORDS]);
    const batch = await analyze([fileOf(text, 'live.log')], cfg);
    expect(final.totals).toEqual(batch.totals);
    expect(final.levels).toEqual(batch.levels);
    expect(final.detectors.incidents).toEqual(batch.detectors.incidents);
    expect(final.templates.templates.map((t) => [t.template, t.count])).toEqual(
      batch.templates.templates.map((t) => [t.template, t.count]),
    );
  });

  it('a short start is detected at the first idle tick (not after 1000 lines)', async () => {
    const { snaps } = await live([baseLog().split('\n').slice(0, 3).join('\n') + '\n']);
    expect(snaps[0]!.totals.records).toBe(3);
    expect(snaps[0]!.files[0]!.format).toBe(
      (await analyze([fileOf(baseLog(), 'a.log')], cfg)).files[0]!.format,
    );
  });
});

describe('IncidentTracker', () => {
  it('opens the burst when it appears, closes it once it has not grown for a window of log time', async () => {
    const { snaps } = await live([baseLog(), burstLog(), afterLog()]);
    const tracker = new IncidentTracker(60_000);
    const events: IncidentEvent[][] = snaps.map((s) => tracker.update(s));
    expect(events[0]).toEqual([]); // history only: nothing open
    expect(events[1]!.map((e) => [e.state, e.kind, e.errors])).toEqual([['open', 'errors', BURST_ERRORS]]);
    expect(events[2]!.map((e) => [e.state, e.id])).toEqual([['closed', events[1]![0]!.id]]);
    expect(tracker.openCount).toBe(0);
    // a snapshot seen again announces nothing
    expect(tracker.update(snaps[2]!)).toEqual([]);
  });

  it('a closed incident that grows again (a burst one quiet bucket after it joins it) is announced open again', async () => {
    // the burst at 09:40 (incident 09:39–09:42), quiet minutes 09:41–09:43, a second burst at 09:44: the
    // detectors merge findings one quiet bucket apart, so the incident keeps its id and grows to 09:46
    const { final, snaps } = await live([baseLog(), burstLog(), ...reopenParts()]);
    const tracker = new IncidentTracker(60_000);
    const said = snaps.map((s) =>
      tracker.update(s).map((e) => `${e.state} ${e.id} ${e.start}–${e.end} ${e.errors} errors`),
    );
    const id = `incident:${Date.UTC(2025, 2, 14, 9, 39)}`;
    expect(said).toEqual([
      [],
      [`open ${id} 2025-03-14T09:39:00.000Z–2025-03-14T09:42:00.000Z 120 errors`],
      [],
      [`closed ${id} 2025-03-14T09:39:00.000Z–2025-03-14T09:42:00.000Z 120 errors`],
      [`open ${id} 2025-03-14T09:39:00.000Z–2025-03-14T09:46:00.000Z 240 errors`],
      [`closed ${id} 2025-03-14T09:39:00.000Z–2025-03-14T09:46:00.000Z 240 errors`],
      [],
    ]);
    // one incident in the report, as in a finished file of these bytes
    expect(final.detectors.incidents.map((i) => [i.id, i.errors])).toEqual([[id, 240]]);
    expect(tracker.openCount).toBe(0);
    expect(tracker.update(snaps[6]!)).toEqual([]);
  });

  it('an incident already over when first seen (a file read from its start) is history, not opened', async () => {
    const { snaps } = await live([baseLog() + burstLog() + afterLog()]);
    expect(snaps[0]!.detectors.incidents.length).toBeGreaterThan(0);
    expect(new IncidentTracker(60_000).update(snaps[0]!)).toEqual([]);
  });

  it('rejects a window that is not positive', () => {
    expect(() => new IncidentTracker(0)).toThrow();
  });
});

describe('withIdleTicks', () => {
  it('passes the chunks through, with an empty chunk each time the source is quiet', async () => {
    let push: (b: Uint8Array | null) => void = () => undefined;
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        push = (b) => (b === null ? c.close() : c.enqueue(b));
      },
    });
    const reader = withIdleTicks(source, 20).getReader();
    push(utf8('a'));
    expect((await reader.read()).value).toEqual(utf8('a'));
    expect((await reader.read()).value).toEqual(new Uint8Array(0)); // nothing for 20 ms
    push(utf8('b'));
    expect((await reader.read()).value).toEqual(utf8('b'));
    push(null);
    expect((await reader.read()).done).toBe(true);
  });

  it('ends when asked to stop, though the source never ends', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const reader = withIdleTicks(new ReadableStream<Uint8Array>(), 1000, stopped).getReader();
    const r = reader.read();
    stop();
    expect((await r).done).toBe(true);
  });
});

describe("followBlob (the page's tail -F)", () => {
  it('reads the file, then only what is appended, with idle ticks between; a shrunk file ends it as truncated', async () => {
    let content = 'a\nb\n';
    const followed = followBlob(async () => new Blob([content]), 5, 3);
    const reader = followed.stream.getReader();
    const text = async (): Promise<string> => new TextDecoder().decode((await reader.read()).value);
    expect(await text()).toBe('a\nb'); // in slices of 3 bytes
    expect(await text()).toBe('\n');
    expect(await text()).toBe(''); // nothing new: an idle tick
    content += 'c\n';
    expect(await text()).toBe('c\n');
    expect(followed.ended).toBe(null);
    content = 'x\n';
    expect(await text()).toBe(''); // the tick asked for before the file shrank
    expect((await reader.read()).done).toBe(true);
    expect(followed.ended).toBe('truncated');
  });

  it('a file replaced by another as large or larger ends it as truncated (its first bytes differ)', async () => {
    let content = '2025-03-14T09:00:00Z INFO a one\n';
    const followed = followBlob(async () => new Blob([content]), 5);
    const reader = followed.stream.getReader();
    const text = async (): Promise<string> => new TextDecoder().decode((await reader.read()).value);
    expect(await text()).toBe(content);
    expect(await text()).toBe(''); // caught up
    content += '2025-03-14T09:00:01Z INFO a two\n'; // grown: its start is the same
    expect(await text()).toBe('2025-03-14T09:00:01Z INFO a two\n');
    expect(followed.ended).toBe(null);
    // replaced (rotated: a new file of the same name), larger than what was read
    content = '2025-03-14T10:00:00Z WARN b another file, longer than the first two lines together\n';
    await text(); // the idle tick asked for before
    expect((await reader.read()).done).toBe(true);
    expect(followed.ended).toBe('truncated');
  });

  it('stop() ends it at once, as stopped', async () => {
    const followed = followBlob(async () => new Blob(['']), 60_000);
    const reader = followed.stream.getReader();
    expect(await reader.read()).toEqual({ done: false, value: new Uint8Array(0) }); // caught up at once
    const r = reader.read(); // the next poll, a minute away
    setTimeout(() => followed.stop(), 10);
    expect(await r).toEqual({ done: false, value: new Uint8Array(0) });
    expect((await reader.read()).done).toBe(true);
    expect(followed.ended).toBe('stopped');
  });
});
