/**
 * What the benchmarks share: sizes, the generated files (streamed to disk, so 4 GB needs no 4 GB of memory),
 * their gzip twins, medians, and the resident memory of the Chromium processes a script launched.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export { parseSize } from '../src/cli/size.ts';

/** realistic: issue 9's log (stack traces, 0.1 % non-ASCII names, many templates); ascii: its twin; sample: `npm run gen`'s. */
export type Kind = 'realistic' | 'ascii' | 'sample';

export function kindOf(values: { ascii?: boolean; sample?: boolean }): Kind {
  if (values.ascii && values.sample) throw new Error('--ascii and --sample: choose one');
  return values.ascii ? 'ascii' : values.sample ? 'sample' : 'realistic';
}

/** The generated file for a kind and size under tmp/, written once (through a .part file, so never half). */
export async function benchFile(kind: Kind, size: string): Promise<string> {
  await mkdir('tmp', { recursive: true });
  const path = `tmp/bench-${kind}-${size}.log`;
  if (existsSync(path)) return path;
  console.log(`generating ${path} …`);
  const flags = kind === 'sample' ? [] : kind === 'ascii' ? ['--realistic', '--ascii'] : ['--realistic'];
  execFileSync('npx', ['tsx', 'scripts/gen.ts', ...flags, '--size', size, '--out', `${path}.part`], {
    stdio: 'inherit',
  });
  await rename(`${path}.part`, path);
  return path;
}

/** `path`.gz (gzip's default level), streamed and written once. */
export async function gzipOf(path: string): Promise<string> {
  const gz = `${path}.gz`;
  if (existsSync(gz)) return gz;
  console.log(`gzipping ${path} …`);
  await pipeline(createReadStream(path), createGzip({ level: 6 }), createWriteStream(`${gz}.part`));
  await rename(`${gz}.part`, gz);
  return gz;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  // the lower median for an even count: a pessimistic figure rather than an average of two runs
  return { median: s[Math.floor((s.length - 1) / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

/** "123 (110–130)": the median, then min–max when there were several runs. */
export function fmt(xs: readonly number[], digits = 0): string {
  const s = spread(xs);
  const f = (x: number): string => x.toFixed(digits);
  return xs.length > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

export interface ProcessRss {
  pid: number;
  rss: number;
  /** browser, renderer, gpu-process, utility … (Chromium's --type) */
  type: string;
}

/** Resident memory (KiB) of this process' Chromium descendants: the browser and every child it started. */
export function chromiumRss(): ProcessRss[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rss: Number(m[3]), args: m[4]! }));
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (!mine.has(r.pid) && mine.has(r.ppid)) {
        mine.add(r.pid);
        grew = true;
      }
  }
  return rows
    .filter((r) => r.pid !== process.pid && mine.has(r.pid) && /chrom/i.test(r.args.split(' ')[0] ?? ''))
    .map((r) => ({ pid: r.pid, rss: r.rss, type: /--type=(\S+)/.exec(r.args)?.[1] ?? 'browser' }));
}

/** Polls chromiumRss() every `ms` and keeps each process' peak. */
export function rssPeaks(ms = 200): { stop(): ProcessRss[] } {
  const peaks = new Map<number, ProcessRss>();
  const poll = (): void => {
    for (const p of chromiumRss()) if ((peaks.get(p.pid)?.rss ?? 0) < p.rss) peaks.set(p.pid, p);
  };
  const timer = setInterval(poll, ms);
  poll();
  return {
    stop() {
      clearInterval(timer);
      poll();
      return [...peaks.values()].sort((a, b) => b.rss - a.rss);
    },
  };
}

/**
 * The production build served by `vite preview`, built first so that the figures are the source's, never a
 * stale dist/ (LOGLENS_BENCH_NO_BUILD=1 serves dist/ as it is).
 */
export async function startPreview(port: string): Promise<{ url: string; server: ChildProcess }> {
  if (process.env.LOGLENS_BENCH_NO_BUILD !== '1' || !existsSync('dist/index.html'))
    execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--port', port, '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(url);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { url, server };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
];

export const CHROMIUM_PATH = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
