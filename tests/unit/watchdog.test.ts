import { describe, expect, it } from 'vitest';
import { Watchdog, stallMessage } from '../../src/lib/watchdog.ts';

const p = (bytesRead: number, records: number, fileIndex = 0) => ({ bytesRead, records, fileIndex });

describe('Watchdog', () => {
  it('stays quiet while progress comes, however long the analysis', () => {
    const dog = new Watchdog(0, 5000, 60_000);
    for (let t = 200; t <= 600_000; t += 200) {
      dog.beat(t, p(t * 10, t));
      expect(dog.check(t + 199)).toBeNull();
    }
  });

  it('fires "silent" when nothing comes for the limit, with the last progress', () => {
    const dog = new Watchdog(0, 5000, 60_000);
    dog.beat(200, p(1000, 10));
    dog.beat(400, p(2000, 20));
    expect(dog.check(5399)).toBeNull();
    expect(dog.check(5400)).toEqual({ kind: 'silent', forMs: 5000, last: p(2000, 20) });
  });

  it('fires "silent" with no progress at all when the worker never reported', () => {
    const dog = new Watchdog(1000, 5000, 60_000);
    expect(dog.check(5999)).toBeNull();
    expect(dog.check(6000)).toEqual({ kind: 'silent', forMs: 5000, last: null });
  });

  it('tolerates 3× the longest gap seen: a snapshot that grew slow to make is not a hang', () => {
    const dog = new Watchdog(0, 5000, 60_000);
    dog.beat(200, p(1, 1));
    dog.beat(4200, p(2, 2)); // a 4 s gap, and it came back with progress
    expect(dog.silentLimit).toBe(12_000);
    expect(dog.check(4200 + 11_999)).toBeNull();
    expect(dog.check(4200 + 12_000)?.kind).toBe('silent');
  });

  it('fires "idle" when heartbeats come but no byte is read and no record made', () => {
    const dog = new Watchdog(0, 5000, 60_000);
    dog.beat(1000, p(500, 5));
    for (let t = 2000; t < 61_000; t += 1000) {
      dog.beat(t, p(500, 5));
      expect(dog.check(t)).toBeNull();
    }
    dog.beat(61_000, p(500, 5));
    expect(dog.check(61_000)).toEqual({ kind: 'idle', forMs: 60_000, last: p(500, 5) });
  });

  it('counts records made, or the next file, as progress even when no byte is read', () => {
    const dog = new Watchdog(0, 5000, 10_000);
    dog.beat(1000, p(500, 5));
    dog.beat(9000, p(500, 6)); // records grew (the last chunk's lines): progress
    dog.beat(18_000, p(500, 6, 1)); // the next file opened: progress
    expect(dog.check(18_000 + 9999)).toBeNull();
  });

  it("does not count the time the page's own thread was held (a check that came late) as the worker's silence", () => {
    const dog = new Watchdog(0, 5000, 60_000, 2000);
    dog.beat(200, p(1, 1));
    for (let t = 500; t <= 3000; t += 500) expect(dog.check(t)).toBeNull();
    // the page was held for 6 s: the worker's messages wait in its queue; the late check fires nothing
    expect(dog.check(9000)).toBeNull();
    // of the 8.8 s since the last beat, 4 s (the 6 s held, past the 2 s a check may take) are not counted
    expect(dog.check(9199)).toBeNull();
    expect(dog.check(9200)).toEqual({ kind: 'silent', forMs: 5000, last: p(1, 1) });
  });

  it('hears the messages that waited behind a late check as beats that just came', () => {
    const dog = new Watchdog(0, 5000, 60_000, 2000);
    dog.beat(200, p(1, 1));
    expect(dog.check(500)).toBeNull();
    expect(dog.check(9000)).toBeNull(); // held 8.5 s
    dog.beat(9001, p(2, 2)); // a snapshot that waited in the queue
    // the gap it closes is the worker's as far as the page can tell: 8.8 s less the 6.5 s held past 2 s
    expect(dog.silentLimit).toBe(3 * 2301);
    for (let t = 9500; t < 9001 + 6903; t += 500) expect(dog.check(t)).toBeNull();
    expect(dog.check(9001 + 6903)?.kind).toBe('silent');
  });

  it('counts every gap when checks may come late (no checkLateMs)', () => {
    const dog = new Watchdog(0, 5000, 60_000);
    dog.beat(200, p(1, 1));
    expect(dog.check(9000)).toEqual({ kind: 'silent', forMs: 8800, last: p(1, 1) });
  });

  it('rejects limits that are not positive', () => {
    expect(() => new Watchdog(0, 0, 1)).toThrow(/positive/);
    expect(() => new Watchdog(0, 1, Number.NaN)).toThrow(/positive/);
    expect(() => new Watchdog(0, 1, 1, 0)).toThrow(/positive/);
  });
});

describe('stallMessage', () => {
  const files = [{ name: 'a.log' }, { name: 'b.log.gz' }];

  it('says what was last progressing, and that no regex of the user can be the cause', () => {
    const msg = stallMessage(
      { kind: 'silent', forMs: 5200, last: p(3_400_000, 12_345, 1) },
      files,
      9_000_000,
    );
    expect(msg).toBe(
      'The analysis was stopped: the engine stopped responding for 5 s while reading b.log.gz (3.4 MB of 9.0 MB read, 12,345 records so far). Your regular expressions cannot hang it (each runs in time linear in the line): the file may be unusual, or the machine very busy; try again, or report it. The dashboard shows what was read up to then; its report can be exported.',
    );
  });

  it('blames the drive, not a regex, when reads stop returning bytes', () => {
    expect(stallMessage({ kind: 'idle', forMs: 60_000, last: p(1500, 3) }, files, 3000)).toBe(
      'The analysis was stopped: reading made no progress for 60 s while reading a.log (1.5 kB of 3.0 kB read, 3 records so far). Is the file on a slow or disconnected drive? The dashboard shows what was read up to then; its report can be exported.',
    );
  });

  it('says when nothing was reported at all', () => {
    expect(stallMessage({ kind: 'silent', forMs: 5000, last: null }, files, 100)).toBe(
      'The analysis was stopped: the engine stopped responding for 5 s before a.log sent any progress. Your regular expressions cannot hang it (each runs in time linear in the line): the file may be unusual, or the machine very busy; try again, or report it.',
    );
  });
});
