/**
 * `npx tsx scripts/bench-memory.ts [--file path] [--port 4179] [--dumps]`: where the renderer's memory goes while
 * the page analyzes a big log. Three phases, each in a fresh headless Chromium on the production build: the empty
 * page, the floor (two workers reading halves of File.stream(), counting newline bytes) and the analysis. For each:
 * the renderer's resident memory sampled every 100 ms (anonymous, file-backed and shared, from /proc), its peak,
 * and a timeline (does it grow with the bytes read, or jump?). With --dumps, Chromium's memory-infra dumps of the
 * renderer (v8 per isolate, blink_gc, partition_alloc, malloc) every ~2 s, and the largest one is printed.
 * Prints figures; asserts nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { benchFile, CHROMIUM_ARGS, CHROMIUM_PATH, chromiumRss, startPreview } from './bench-lib.ts';
import { floorInput, floorVariant, PROBES, type Probes } from './bench-page.ts';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    port: { type: 'string', default: '4179' },
    dumps: { type: 'boolean', default: false },
    heaps: { type: 'boolean', default: false },
    /** which phases, comma-separated: empty, floor, page */
    phases: { type: 'string', default: 'empty,floor,page' },
  },
});

/** One sample of the renderer(s), KiB. */
interface Sample {
  ms: number;
  rss: number;
  anon: number;
  file: number;
  shmem: number;
}

/** The biggest renderer's /proc/<pid>/status VmRSS split. */
function rendererSample(t0: number): Sample | null {
  const renderers = chromiumRss().filter((p) => p.type === 'renderer');
  const top = renderers.sort((a, b) => b.rss - a.rss)[0];
  if (!top) return null;
  try {
    const status = readFileSync(`/proc/${top.pid}/status`, 'utf8');
    const kib = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      ms: performance.now() - t0,
      rss: kib('VmRSS'),
      anon: kib('RssAnon'),
      file: kib('RssFile'),
      shmem: kib('RssShmem'),
    };
  } catch {
    return null; // the process went between ps and the read
  }
}

function sampler(ms = 100): { stop(): Sample[] } {
  const t0 = performance.now();
  const samples: Sample[] = [];
  const poll = (): void => {
    const s = rendererSample(t0);
    if (s) samples.push(s);
  };
  const timer = setInterval(poll, ms);
  poll();
  return {
    stop() {
      clearInterval(timer);
      poll();
      return samples;
    },
  };
}

/** JS heaps (used / committed, MiB) of the page and of each worker, through CDP (Runtime.getHeapUsage). */
interface Heaps {
  ms: number;
  /** target title or type → [used, total] bytes */
  heaps: [string, number, number][];
}

/**
 * Polls Runtime.getHeapUsage on the page and every worker target, every `everyMs`. Workers are reached through the
 * browser session's non-flat attach (Target.sendMessageToTarget): Playwright's CDP sessions take pages only.
 */
async function heapSampler(browser: Browser, everyMs = 500): Promise<{ stop(): Promise<Heaps[]> }> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  let id = 0;
  const waiting = new Map<number, (r: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result ?? null);
  });
  const sessions = new Map<string, { sessionId: string; label: string }>();
  const ask = (sessionId: string, method: string): Promise<unknown> =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      setTimeout(() => resolve(null), 2000);
      void cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: n, method }) })
        .catch(() => resolve(null));
    });
  const t0 = performance.now();
  const out: Heaps[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; title: string; url: string }[];
      };
      for (const t of targetInfos) {
        if (sessions.has(t.targetId) || !['page', 'worker', 'service_worker'].includes(t.type)) continue;
        const { sessionId } = (await cdp
          .send('Target.attachToTarget', { targetId: t.targetId, flatten: false })
          .catch(() => ({ sessionId: '' }))) as { sessionId: string };
        if (sessionId) sessions.set(t.targetId, { sessionId, label: `${t.type} ${t.url.split('/').pop()}` });
      }
      const ms = performance.now() - t0;
      const heaps: Heaps['heaps'] = [];
      for (const { sessionId, label } of sessions.values()) {
        const r = (await ask(sessionId, 'Runtime.getHeapUsage')) as {
          usedSize: number;
          totalSize: number;
        } | null;
        if (r) heaps.push([label, r.usedSize, r.totalSize]);
      }
      out.push({ ms, heaps });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return out;
    },
  };
}

function printHeaps(all: Heaps[]): void {
  const peak = all.reduce((a, b) => (sum(b) > sum(a) ? b : a), all[0]!);
  const f = (b: number): string => (b / 2 ** 20).toFixed(0);
  console.log(
    `           JS heaps, used / committed MiB, at their largest sum (${(peak.ms / 1000).toFixed(1)} s):`,
  );
  for (const [label, used, total] of peak.heaps)
    console.log(`             ${label.padEnd(40)} ${f(used)} / ${f(total)}`);
  const step = Math.max(1, Math.floor(all.length / 10));
  console.log(
    `           their sum over time (s: used / committed MiB): ${all
      .filter((_, i) => i % step === 0)
      .map((h) => `${(h.ms / 1000).toFixed(1)}: ${f(h.heaps.reduce((s, x) => s + x[1], 0))} / ${f(sum(h))}`)
      .join(', ')}`,
  );
}

function sum(h: Heaps): number {
  return h.heaps.reduce((s, x) => s + x[2], 0);
}

interface Dump {
  ms: number;
  /** allocator name → size, bytes, for the renderer */
  sizes: Map<string, number>;
}

/** Memory-infra dumps through the browser's Tracing domain: request one every `everyMs`, parse at the end. */
async function dumper(browser: Browser, everyMs = 1000): Promise<{ stop(): Promise<Dump[]> }> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      excludedCategories: ['*'],
      // no periodic dumps: only the ones asked for below (the protocol's type says strings; it takes a list)
      memoryDumpConfig: { triggers: [] } as unknown as Record<string, string>,
    },
  });
  const t0 = performance.now();
  const times: number[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    times.push(performance.now() - t0);
    cdp
      .send('Tracing.requestMemoryDump', { levelOfDetail: times.length === 1 ? 'detailed' : 'light' })
      .catch(() => undefined) // one asked for while another is still being taken
      .finally(() => (busy = false));
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      const done = new Promise<string>((resolve) =>
        cdp.on('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream ?? '')),
      );
      await cdp.send('Tracing.end');
      const handle = await done;
      let text = '';
      for (;;) {
        const r = (await cdp.send('IO.read', { handle, size: 1 << 20 })) as {
          data: string;
          eof: boolean;
          base64Encoded?: boolean;
        };
        text += r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data;
        if (r.eof) break;
      }
      await cdp.send('IO.close', { handle });
      if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, text); // the raw trace, for a closer look
      return parseDumps(text);
    },
  };
}

interface TraceEvent {
  ph: string;
  pid: number;
  ts: number;
  name?: string;
  args?: {
    name?: string;
    labels?: string[];
    dumps?: {
      allocators?: Record<string, { attrs?: Record<string, { value: string }> }>;
      process_totals?: Record<string, string>;
    };
  };
}

/** The page's renderer's dumps: the process with the dedicated (engine) workers; totals and allocators merged by time. */
function parseDumps(text: string): Dump[] {
  const json = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(json) ? json : (json.traceEvents ?? []);
  const page = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'DedicatedWorker thread',
  )?.pid;
  const byTs = new Map<number, Map<string, number>>();
  for (const e of events) {
    if (e.ph !== 'v' || e.pid !== page) continue;
    const sizes = byTs.get(e.ts) ?? new Map<string, number>();
    byTs.set(e.ts, sizes);
    for (const [name, a] of Object.entries(e.args?.dumps?.allocators ?? {})) {
      const v = a.attrs?.['size']?.value;
      if (v !== undefined) sizes.set(name, parseInt(v, 16));
    }
    const totals = e.args?.dumps?.process_totals ?? {};
    for (const k of ['resident_set_bytes', 'private_footprint_bytes', 'peak_resident_set_size'])
      if (totals[k]) sizes.set(`(${k})`, parseInt(totals[k], 16));
  }
  const t0 = Math.min(...byTs.keys());
  return [...byTs.entries()]
    .filter(([, sizes]) => sizes.size > 3)
    .map(([ts, sizes]) => ({ ms: (ts - t0) / 1000, sizes }));
}

const MiB = (kib: number): string => (kib / 1024).toFixed(0);

function printSamples(label: string, samples: Sample[], bytes?: { at: (ms: number) => number }): void {
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a), samples[0]!);
  console.log(
    `${label.padEnd(10)} renderer peak ${MiB(peak.rss)} MiB at ${(peak.ms / 1000).toFixed(1)} s (anon ${MiB(peak.anon)}, file ${MiB(peak.file)}, shmem ${MiB(peak.shmem)}); ${samples.length} samples`,
  );
  // ten points over the run: does it grow with the bytes read, or jump?
  const step = Math.max(1, Math.floor(samples.length / 10));
  const points = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  console.log(
    `           timeline (s: MiB${bytes ? ' @ MB read' : ''}): ${points
      .map(
        (s) =>
          `${(s.ms / 1000).toFixed(1)}: ${MiB(s.rss)}${bytes ? ` @${(bytes.at(s.ms) / 1e6).toFixed(0)}` : ''}`,
      )
      .join(', ')}`,
  );
}

function printDumps(dumps: Dump[]): void {
  const total = (d: Dump): number =>
    ['malloc', 'partition_alloc', 'v8', 'blink_gc'].reduce((sum, k) => sum + (d.sizes.get(k) ?? 0), 0);
  if (dumps.length === 0) return console.log('           no memory-infra dumps of the renderer');
  const top = dumps.reduce((a, b) => (total(b) > total(a) ? b : a));
  // the top-level allocators and their direct children (v8/main, v8/workers …)
  const rows = [...top.sizes.entries()]
    .filter(
      ([k, v]) =>
        (k.split('/').length <= 3 || /^v8\/workers\/heap\/|^partition_alloc\/partitions\/[^/]+$/.test(k)) &&
        v >= 1 << 20,
    )
    .sort((a, b) => a[0].localeCompare(b[0]));
  console.log(
    `           memory-infra, the renderer's largest of ${dumps.length} dumps (at ${(top.ms / 1000).toFixed(1)} s), MiB:`,
  );
  for (const [k, v] of rows) console.log(`             ${k.padEnd(60)} ${(v / 2 ** 20).toFixed(1)}`);
  const m = (d: Dump, k: string): string => ((d.sizes.get(k) ?? 0) / 2 ** 20).toFixed(0);
  const cols = [
    'v8/main',
    'v8/workers',
    'v8/workers/heap/new_space',
    'partition_alloc/partitions/array_buffer',
    'partition_alloc/partitions/buffer',
    'malloc',
    'blink_gc',
    'shared_memory',
    'cc',
    '(private_footprint_bytes)',
  ];
  console.log(`           every dump (s: ${cols.join(' / ')}, MiB):`);
  for (const d of dumps)
    console.log(`             ${(d.ms / 1000).toFixed(1)}: ${cols.map((k) => m(d, k)).join(' / ')}`);
}

async function launch(): Promise<Browser> {
  return chromium.launch({
    ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_ARGS,
  });
}

async function phase(url: string, path: string, which: string): Promise<void> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(PROBES);
    const dumps = values.dumps ? await dumper(browser) : null;
    const heaps = values.heaps ? await heapSampler(browser) : null;
    const mem = sampler();
    const t0 = performance.now();
    if (which === 'empty') {
      await page.waitForTimeout(4000);
    } else if (which.startsWith('floor')) {
      await floorInput(page, path);
      const floor = (await page.evaluate(floorVariant(which.includes('byob'), which.includes('decode')))) as {
        ms: number;
        chunks: number;
        maxChunk: number;
      };
      console.log(
        `${which.padEnd(10)} ${(floor.ms / 1000).toFixed(1)} s, ${floor.chunks} chunks, the largest ${floor.maxChunk} bytes`,
      );
    } else {
      await page.getByLabel('Open file').setInputFiles(path);
      await page.waitForFunction(() => (window as unknown as { __bench: Probes }).__bench.done > 0, null, {
        timeout: 3_600_000,
        polling: 200,
      });
      console.log(`page       ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await page.waitForTimeout(1000);
    }
    const samples = mem.stop();
    printSamples(which, samples);
    if (heaps) printHeaps(await heaps.stop());
    if (dumps) printDumps(await dumps.stop());
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const path = values.file ?? (await benchFile('realistic', '1GB'));
  const { url, server } = await startPreview(values.port);
  try {
    for (const which of values.phases.split(',')) await phase(url, path, which.trim());
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
