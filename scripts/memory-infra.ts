/**
 * Chromium's own account of a process' memory (the `memory-infra` tracing category, as chrome://tracing shows
 * it): a detailed dump through the DevTools protocol of a running Chromium, by allocator — malloc, PartitionAlloc
 * (Blink's buffers, ArrayBuffers), blink_gc (Oilpan, per thread), v8 (per isolate), shared memory, cc, canvas.
 * What a renderer's resident size alone cannot say: which allocator grows. (It found a leak of unread fetch
 * answers, docs/live.md "Over hours".)
 */
import { chromium } from '@playwright/test';

export interface ProcessMemory {
  pid: number;
  /** 'Renderer', 'Browser', 'GPU Process', … */
  name: string;
  /** private footprint, MiB */
  footprint: number;
  /** allocator name (a path: `malloc/allocated_objects`, `blink_gc/workers/…`) → its size, MiB */
  allocators: Map<string, number>;
}

const mib = (hex: string | undefined): number => (hex === undefined ? 0 : parseInt(hex, 16) / 1048576);

/** A detailed memory dump of every process of the Chromium whose remote debugging port is `port`. */
export async function memoryInfra(port: number): Promise<ProcessMemory[]> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const s = await browser.newBrowserCDPSession();
    const complete = new Promise<string>((resolve) =>
      s.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')),
    );
    await s.send('Tracing.start', {
      traceConfig: {
        recordMode: 'recordAsMuchAsPossible',
        includedCategories: ['disabled-by-default-memory-infra'],
        excludedCategories: ['*'],
        memoryDumpConfig: { triggers: [] },
      } as never,
      transferMode: 'ReturnAsStream',
    });
    await s.send('Tracing.requestMemoryDump', { levelOfDetail: 'detailed' } as never);
    await s.send('Tracing.end');
    const handle = await complete;
    let text = '';
    for (;;) {
      const c = await s.send('IO.read', { handle, size: 1 << 20 });
      text += c.base64Encoded === true ? Buffer.from(c.data, 'base64').toString() : c.data;
      if (c.eof) break;
    }
    await s.send('IO.close', { handle });
    interface Event {
      ph: string;
      pid: number;
      name: string;
      args?: {
        name?: string;
        dumps?: {
          process_totals?: { private_footprint_bytes?: string };
          allocators?: Record<string, { attrs?: { size?: { value?: string } } }>;
        };
      };
    }
    const parsed = JSON.parse(text) as Event[] | { traceEvents: Event[] };
    const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
    const byPid = new Map<number, ProcessMemory>();
    const of = (pid: number): ProcessMemory => {
      let p = byPid.get(pid);
      if (p === undefined) byPid.set(pid, (p = { pid, name: '', footprint: 0, allocators: new Map() }));
      return p;
    };
    for (const e of events) {
      if (e.ph === 'M' && e.name === 'process_name') of(e.pid).name = e.args?.name ?? '';
      const d = e.ph === 'v' ? e.args?.dumps : undefined;
      if (d === undefined) continue;
      const p = of(e.pid);
      if (d.process_totals) p.footprint = mib(d.process_totals.private_footprint_bytes);
      for (const [k, v] of Object.entries(d.allocators ?? {})) p.allocators.set(k, mib(v.attrs?.size?.value));
    }
    return [...byPid.values()].filter((p) => p.allocators.size > 0);
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** The allocators a renderer's memory is mostly made of, and their sizes (MiB), in one line. */
export function allocatorLine(p: ProcessMemory): string {
  const keys = [
    'malloc',
    'partition_alloc',
    'blink_gc/main',
    'blink_gc/workers',
    'v8/main',
    'v8/workers',
    'shared_memory',
    'cc',
    'canvas',
  ];
  return keys.map((k) => `${k} ${(p.allocators.get(k) ?? 0).toFixed(0)}`).join(', ');
}
