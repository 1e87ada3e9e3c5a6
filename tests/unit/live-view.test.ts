import { describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/engine/analyze.ts';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config.ts';
import { streamInput } from '../../src/engine/ingest/source.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecordIndex } from '../../src/engine/analyzers/record-index.ts';
import { IncidentTracker, keptIndex, LiveNews, remoteInput } from '../../src/engine/live.ts';
import { readRecords } from '../../src/engine/read-records.ts';
import type { Snapshot } from '../../src/engine/types.ts';
import { fileOf, utf8 } from './helpers.ts';
import { BASE_ERRORS, BASE_RECORDS, BURST_RECORDS, baseLog, burstLog } from './live-fixture.ts';

/**
 * Live, beyond the dashboard (docs/live.md): the backlog of a followed file announces nothing; the log view reads
 * what a live analysis has read (its index grows with it; a stream's kept bytes are read from where they start).
 */

const cfg: Config = { ...DEFAULT_CONFIG, timeZone: 'UTC' };
const iso = (m: number, s = 0): string => new Date(Date.UTC(2025, 2, 14, 9, m, s)).toISOString();

/** Steady traffic from minute `from` to `to` (20 records a minute, no error). */
function steady(from: number, to: number): string {
  let s = '';
  for (let m = from; m < to; m++)
    for (let k = 0; k < 20; k++) s += `${iso(m, k * 3)} INFO api-gateway GET /x/${m}/${k} 200 in 4 ms\n`;
  return s;
}

/** A second burst, at 10:10: 90 "Disk full" errors in a minute. */
function diskBurst(): string {
  let s = '';
  for (let k = 0; k < 90; k++)
    s += `${iso(70, Math.floor(k * 0.66))} ERROR storage Disk full on /var/data${k}\n`;
  return s;
}

/**
 * A followed file: `backlog` in chunks of `chunk` bytes with no idle tick between (read at full speed, as a file
 * with history is), an idle tick (caught up), then each appended part and an idle tick.
 */
function followed(backlog: string, chunk: number, appended: readonly string[]): ReadableStream<Uint8Array> {
  const bytes = utf8(backlog);
  const queue: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunk) queue.push(bytes.subarray(at, at + chunk));
  queue.push(new Uint8Array(0));
  for (const a of appended) queue.push(utf8(a), new Uint8Array(0));
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = queue.shift();
      if (next === undefined) c.close();
      else c.enqueue(next);
    },
  });
}

async function snapshotsOf(stream: ReadableStream<Uint8Array>, where?: string): Promise<Snapshot[]> {
  const snaps: Snapshot[] = [];
  const final = await analyze([streamInput('app.log', stream)], cfg, {
    live: true,
    intervalMs: 0, // a snapshot at every chunk: the backlog's too
    onSnapshot: (s) => snaps.push(s),
    ...(where ? { where } : {}),
  });
  return [...snaps, final];
}

describe('following a file with history', () => {
  // the history: 08:20 to 09:40 steady, the db-timeout burst at 09:40, over by 10:10; then, appended, the disk
  // burst at 10:10 (format detection holds the first 1000 lines: the burst comes well after them)
  const backlog = steady(-40, 0) + baseLog() + burstLog() + steady(41, 70);
  const appended = [diskBurst(), steady(71, 75)];

  it('the backlog announces nothing, though its snapshots show the burst while it is read; the new incident opens', async () => {
    const snaps = await snapshotsOf(followed(backlog, 1024, appended));
    const behind = snaps.filter((s) => s.progress.caughtUp === false);
    // while the backlog was read, a snapshot showed the db burst at the end of what was read so far
    const midBurst = behind.find((s) =>
      s.detectors.incidents.some(
        (i) => i.title.includes('Timeout calling db') && i.end >= s.timeRange!.end - 60_000,
      ),
    );
    expect(midBurst).toBeDefined();
    const tracker = new IncidentTracker(60_000);
    const events = snaps.flatMap((s) => tracker.update(s));
    expect(events.filter((e) => e.state === 'open').map((e) => e.title)).toEqual([
      expect.stringContaining('storage: "Disk full on <*>"'),
    ]);
    expect(events.some((e) => e.title.includes('Timeout calling db'))).toBe(false);
    // without the backlog rule (snapshots that do not say caughtUp), the burst would have opened and closed
    const naive = new IncidentTracker(60_000);
    const blind = snaps.flatMap((s) =>
      naive.update({ ...s, progress: { ...s.progress, caughtUp: undefined } }),
    );
    expect(blind.filter((e) => e.title.includes('Timeout calling db')).map((e) => e.state)).toEqual([
      'open',
      'closed',
    ]);
  });

  it("the page's notifications (LiveNews): none for the backlog, none at follow start, then the new ones", async () => {
    const snaps = await snapshotsOf(followed(backlog, 1024, appended));
    const news = new LiveNews();
    const said = snaps.map((s) => news.news(s));
    const firstCaught = snaps.findIndex((s) => s.progress.caughtUp === true);
    expect(firstCaught).toBeGreaterThan(0);
    expect(said.slice(0, firstCaught + 1).every((x) => !x)).toBe(true);
    expect(said.slice(firstCaught + 1).every((x) => x)).toBe(true);
    // an analysis of files is always news; a new job (followed anew) starts over
    expect(
      new LiveNews().news({ ...snaps[0]!, progress: { ...snaps[0]!.progress, caughtUp: undefined } }),
    ).toBe(true);
    const again = { ...snaps[firstCaught + 1]!, jobId: 99 };
    expect(news.news(again)).toBe(false);
  });
});

describe('the log view of a live analysis', () => {
  it('full live snapshots carry the record index of what was read: the records read so far, from the file as it is now', async () => {
    const snaps = await snapshotsOf(followed(baseLog(), 1 << 20, [burstLog()]));
    const caught = snaps.filter((s) => s.progress.caughtUp === true && s.recordIndex !== undefined);
    const first = caught.find((s) => s.totals.records === BASE_RECORDS)!;
    expect(first.recordIndex!.files[0]!.records).toBe(BASE_RECORDS);
    // the file has grown since (the burst appended): the page reads it as it is now; the index lists 800
    const now = fileOf(baseLog() + burstLog(), 'app.log');
    const ctx = { index: first.recordIndex!, formats: first.files.map((f) => f.format), config: cfg };
    const tail = await readRecords([now], ctx, { fromRecord: BASE_RECORDS - 2, count: 10 });
    expect(tail.rows.map((r) => r.message)).toEqual([
      'GET /api/items/798 200 in 21 ms',
      'GET /api/items/799 200 in 22 ms',
    ]);
    expect(tail.next).toBe(null);
    const later = snaps.find((s) => s.totals.records === BASE_RECORDS + BURST_RECORDS && s.recordIndex)!;
    const grown = await readRecords(
      [now],
      { ...ctx, index: later.recordIndex! },
      { fromRecord: BASE_RECORDS, count: 1 },
    );
    expect(grown.rows.map((r) => [r.line, r.level, r.message])).toEqual([
      [BASE_RECORDS + 1, 'ERROR', 'Timeout calling db after 3000 ms'],
    ]);
  });

  it('a live view indexes every record read, so its log view lists the matching ones', async () => {
    const snaps = await snapshotsOf(followed(baseLog(), 1 << 20, [burstLog()]), 'level:ERROR');
    const last = snaps[snaps.length - 1]!;
    expect(last.totals.records).toBe(BASE_ERRORS + 120);
    expect(last.recordIndex!.files[0]!.records).toBe(BASE_RECORDS + BURST_RECORDS);
    const file = fileOf(baseLog() + burstLog(), 'app.log');
    const ctx = { index: last.recordIndex!, formats: last.files.map((f) => f.format), config: cfg };
    const all = await readRecords([file], ctx, {
      fromRecord: 0,
      count: 1000,
      match: (r) => r.level === 'ERROR',
    });
    expect(all.rows.length).toBe(BASE_ERRORS + 120);
  });

  it('a range the server no longer keeps: its answer is let go at once (an unread body keeps a request alive)', async () => {
    // the answer's body stays open, as a slow server's would: the reader must cancel it
    const asked: string[] = [];
    let cancelled = 0;
    vi.stubGlobal('fetch', (url: string) => {
      const q = new URL(url).searchParams;
      asked.push(`${q.get('start')}-${q.get('end')}`);
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(utf8('Not kept: those bytes are gone\n')),
        cancel: () => void cancelled++,
      });
      return Promise.resolve(new Response(body, { status: 416 }));
    });
    try {
      // gzip known (the analysis said): no request for the magic bytes, the range itself is asked
      const input = remoteInput({
        name: 'stdin',
        url: 'http://127.0.0.1:1/live/bytes?generation=1',
        start: 5000,
        size: 100,
        gzip: false,
      });
      expect(input.gzip).toBe(false);
      await expect(input.slice!(10, 60).arrayBuffer()).rejects.toThrow(
        'stdin: loglens serve no longer keeps those bytes of the stream (416)',
      );
      expect(asked).toEqual(['5010-5060']);
      expect(cancelled).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("a stream's bytes read again from loglens serve by range (remoteInput), from the first checkpoint kept", async () => {
    const text = baseLog() + burstLog();
    const bytes = utf8(text);
    // the server keeps the stream from offset `from` on (it dropped the start), and answers ranges as serve does
    const from = 20_000;
    const asked: string[] = [];
    const server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const a = Number(q.get('start'));
      const b = Number(q.get('end'));
      asked.push(`${a}-${b}`);
      if (q.get('generation') !== '1' || a < from || b > bytes.length || a > b) res.writeHead(416).end();
      else res.writeHead(200).end(Buffer.from(bytes.subarray(a, b)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/live/bytes?generation=1`;
      // the analysis' index, checkpoints every 1 KiB
      const whole = await analyze([fileOf(text, 'stdin')], cfg, {});
      const index = new RecordIndex(1024);
      await analyze([fileOf(text, 'stdin')], cfg, { onRecord: (r) => index.push(r) });
      const trimmed = keptIndex(index.snapshot(), from)!;
      expect(trimmed.first).toBeGreaterThan(0);
      const start = from + trimmed.skip;
      const input = remoteInput({ name: 'stdin', url, start, size: bytes.length - start, gzip: false });
      const ctx = { index: trimmed.index, formats: whole.files.map((f) => f.format), config: cfg };
      const page = await readRecords([input], ctx, { fromRecord: 0, count: 3 });
      const direct = await readRecords(
        [fileOf(text, 'stdin')],
        { ...ctx, index: index.snapshot() },
        { fromRecord: trimmed.first, count: 3 },
      );
      expect(page.rows.map((r) => [r.line, r.message])).toEqual(direct.rows.map((r) => [r.line, r.message]));
      expect(page.rows[0]!.line).toBe(trimmed.first + 1); // one line a record: its line is the stream's
      const end = await readRecords([input], ctx, { fromRecord: 0, count: 100_000 });
      expect(end.rows.length).toBe(BASE_RECORDS + BURST_RECORDS - trimmed.first);
      expect(end.rows[end.rows.length - 1]!.message).toBe('GET /api/items/19 200 in 5 ms');
      expect(asked.every((r) => Number(r.split('-')[0]) >= from)).toBe(true);
      // the stream is known not to be gzip: no read of its first two bytes
      expect(asked).not.toContain(`${start}-${start + 2}`);
      // bytes the server no longer keeps: said so
      const gone = remoteInput({ name: 'stdin', url, start: 0, size: 100 });
      await expect(
        readRecords([gone], { ...ctx, index: index.snapshot() }, { fromRecord: 0, count: 1 }),
      ).rejects.toThrow('loglens serve no longer keeps those bytes of the stream (416)');
    } finally {
      server.close();
    }
    // nothing kept past the last checkpoint: none; nothing dropped: the index as it is
    expect(keptIndex(index0(), bytes.length + 1)).toBe(null);
    expect(keptIndex(index0(), 0)!.index).toEqual(index0());
  });
});

/** A small index (two checkpoints) for the edge cases. */
function index0(): ReturnType<RecordIndex['snapshot']> {
  return {
    files: [
      {
        fileIndex: 0,
        records: 10,
        step: 64,
        offset: [0, 70],
        line: [1, 6],
        record: [0, 5],
        time: [null, null],
      },
    ],
  };
}
