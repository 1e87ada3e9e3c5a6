import { describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { Broadcast } from '../../src/cli/broadcast.ts';
import type { FollowedInput } from '../../src/cli/follow.ts';
import { utf8 } from './helpers.ts';

/** A source the test pushes chunks into; `settled()` waits until the Broadcast has taken what was pushed. */
function source(): {
  open: () => { stream: ReadableStream<Uint8Array>; followed: null };
  push: (s: string) => void;
  end: () => void;
} {
  let c: ReadableStreamDefaultController<Uint8Array> | null = null;
  const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
  return {
    open: () => ({ stream, followed: null }),
    push: (s) => c!.enqueue(utf8(s)),
    end: () => c!.close(),
  };
}
const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

describe('Broadcast (loglens serve: the stream kept for late pages and the log view)', () => {
  it('keeps the last `keep` bytes, whole chunks, from the start of a line: a late page reads whole lines', async () => {
    const src = source();
    const b = new Broadcast('stdin', src.open, 10);
    src.push('one\ntw'); // 6 bytes
    src.push('o\nthree\n'); // 8: 14 > 10, the first chunk is dropped, and the rest of its line ("o\n")
    await settled();
    expect([b.from, b.to]).toEqual([8, 14]);
    expect(text(b.range(1, 8, 14))).toBe('three\n');
    expect(b.range(1, 6, 14)).toBeNull(); // gone
    src.push('fo'); // no line end: kept after "three\n"
    src.push('ur\nfive'); // 6+2+7 = 15 > 10: "three\n" dropped (ends a line), then "fo" is not dropped whole: 9 ≤ 10
    await settled();
    expect([b.from, b.to]).toEqual([14, 23]);
    expect(text(b.range(1, 14, 23))).toBe('four\nfive');
    src.push('\nsix seven eight\n'); // 17 > 10 alone: everything before is dropped
    await settled();
    // the dropped chunk "ur\nfive" ended mid-line: the kept bytes start after its line's end, the "\n"
    expect([b.from, b.to]).toEqual([24, 40]);
    expect(text(b.range(1, 24, 40))).toBe('six seven eight\n');
    src.end();
    await settled();
    expect(b.ended).toBe(true);
  });

  it('a part with no line end at all is dropped whole when more comes; a last one alone stays', async () => {
    const src = source();
    const b = new Broadcast('stdin', src.open, 4);
    src.push('ab\n');
    src.push('cdefgh'); // 9 > 4: "ab\n" dropped; "cdefgh" starts a line and is the last chunk: kept
    await settled();
    expect([b.from, b.to]).toEqual([3, 9]);
    src.push('ijk'); // 9 > 4: "cdefgh" dropped (mid-line after it): "ijk" has no line end and is the last: kept
    await settled();
    expect([b.from, b.to]).toEqual([9, 12]);
    src.push('l\nm\n'); // "ijk" dropped; "l\n" is the rest of its line: dropped too
    await settled();
    expect([b.from, b.to]).toEqual([14, 16]);
    expect(text(b.range(1, 14, 16))).toBe('m\n');
  });

  it('a page that connects gets the bytes kept, then what comes; a truncated file starts a new generation from 0', async () => {
    // two generations: the first ends "truncated" (its file shrank), the second is the file read anew
    const gens = [source(), source()];
    let opened = 0;
    const why: (string | null)[] = [null, null];
    const b = new Broadcast(
      'app.log',
      () => {
        const g = opened++;
        const followed = {
          get ended() {
            return why[g];
          },
        } as unknown as FollowedInput;
        return { stream: gens[g]!.open().stream, followed };
      },
      10,
    );
    gens[0]!.push('one\ntw');
    gens[0]!.push('o\nthree\n');
    await settled();
    const got: string[] = [];
    let ended = false;
    const res = {
      write: (c: Uint8Array) => got.push(new TextDecoder().decode(c)),
      end: () => (ended = true),
      on: () => res,
    } as unknown as ServerResponse;
    b.attach(res); // late: from the first whole line kept
    expect(got.join('')).toBe('three\n');
    gens[0]!.push('four\n');
    await settled();
    expect(got.join('')).toBe('three\nfour\n');
    why[0] = 'truncated';
    gens[0]!.end();
    await settled();
    expect(ended).toBe(true); // the page follows it anew
    expect([b.generation, b.from, b.to]).toEqual([2, 0, 0]);
    gens[1]!.push('new\n');
    await settled();
    expect([b.generation, b.from, b.to]).toEqual([2, 0, 4]);
    expect(text(b.range(2, 0, 4))).toBe('new\n');
    expect(b.range(1, 0, 4)).toBeNull(); // the old generation's bytes are gone
  });
});
