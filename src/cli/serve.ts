/**
 * `loglens serve [file|-] [--port N] [--open] [--keep SIZE] [--dist DIR]`: the built page (dist/) on 127.0.0.1, and the file (followed as
 * `tail -F`) or standard input streamed to it from the same origin (docs/live.md):
 *   GET /live/info  {"name", "generation", "ended", "from", "to", "keep"}: the page asks it first, and shows the
 *                   live dashboard when it answers; from–to: the stream's bytes kept now (at most `keep`)
 *   GET /live       the bytes kept (from the start, or from the first whole line of the last `keep`), then as they come; it ends when the file is truncated or replaced
 *                   (the generation goes up: the page follows it anew) or standard input ends ("ended")
 *   GET /live/bytes?generation=G&start=A&end=B   bytes A to B of the stream, while they are kept: what the
 *                   page's log view reads records from (the page keeps none of the stream)
 * Loopback only, and a request whose Host or Origin is not this server's own is refused (403): another site open
 * in the browser cannot read the log, even through a DNS name rebound to 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { followFile } from './follow.ts';
import { Broadcast, DEFAULT_KEEP } from './broadcast.ts';
import { parseSize } from './size.ts';
import { safe, warn } from './terminal-text.ts';

const USAGE = safe`usage: loglens serve [file|-] [--port N] [--open] [--keep SIZE] [--quiet]

  file      followed as it grows (tail -F) and streamed to the page; - streams standard input
            (journalctl -f | loglens serve -); none: the page alone
  --port N  the port on 127.0.0.1 (default: a free one, printed)
  --open    open the page in the browser
  --keep S  how much of the stream the server keeps, for a page that connects late and for the log view's
            reads (default 256MiB; units KB, MB, GB, KiB, MiB, GiB)
  --dist D  the built page (default: the dist/ folder beside the command; in a checkout, built on first use)`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

async function serve(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string', default: '0' },
        open: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        dist: { type: 'string' },
        keep: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    warn(safe`serve: ${(e as Error).message}\n`);
    warn(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const port = Number(values.port);
  if (positionals.length > 1 || !Number.isInteger(port) || port < 0 || port > 65535) {
    warn(USAGE);
    return 2;
  }
  let keep = DEFAULT_KEEP;
  try {
    if (values.keep !== undefined) keep = parseSize(values.keep, '--keep');
    if (!(keep >= 1)) throw new Error(`--keep: at least 1 byte, got "${values.keep}"`);
  } catch (e) {
    warn(safe`serve: ${(e as Error).message}\n`);
    warn(USAGE);
    return 2;
  }
  const dist = values.dist ?? defaultDist();
  if (
    !existsSync(join(dist, 'index.html')) &&
    (values.dist !== undefined || !buildPage(dist, values.quiet))
  ) {
    warn(
      values.dist !== undefined
        ? safe`serve: no built page in ${dist} (index.html): give the folder npm run build wrote (dist/)`
        : safe`serve: no built page in ${dist}, and no Vite to build it with: run npm ci and npm run build in the Loglens checkout (or give --dist DIR)`,
    );
    return 2;
  }
  const source = positionals[0] ?? null;
  const live =
    source === null
      ? null
      : new Broadcast(
          source === '-' ? 'stdin' : basename(source),
          () => {
            if (source === '-') {
              const stdin = Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>;
              return { stream: stdin, followed: null };
            }
            const followed = followFile(source);
            return { stream: followed.stream(), followed };
          },
          keep,
        );

  const server = createServer((req, res) => handle(req, res, dist, live, server.address() as AddressInfo));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // the address on standard output (a script reads it); notes on standard error
  process.stdout.write(`${url}\n`);
  if (!values.quiet)
    warn(
      safe`serve: ${source === null ? 'the page' : source === '-' ? 'standard input' : source} at ${url} (Ctrl-C ends)`,
    );
  if (values.open) openBrowser(url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.closeAllConnections();
      server.close(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/**
 * Builds the page into `dist` (the checkout's dist/) with the checkout's Vite, as `npm run build` does: after a
 * fresh `npm ci`, `loglens serve` works at once (a build takes seconds). False when there is no Vite beside it
 * (an install without the dev dependencies) or the build failed. Vite's output goes to standard error: standard
 * output carries the address only.
 */
function buildPage(dist: string, quiet: boolean): boolean {
  const root = join(dist, '..');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite) || !existsSync(join(root, 'vite.config.ts'))) return false;
  warn(safe`serve: no built page in ${dist}: building it once (npm run build)…`);
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  return r.status === 0 && existsSync(join(dist, 'index.html'));
}

/** dist/ beside the command: ../../dist from src/cli (tsx), ../dist from dist-cli (the compiled bin). */
function defaultDist(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/' : '../dist/', here));
}

/** Whether a request comes from this server's own page (or a tool on this machine that sends no Origin). */
export function sameOrigin(req: IncomingMessage, port: number): boolean {
  const own = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  if (!own.has(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  return origin === undefined || [...own].some((h) => origin === `http://${h}`);
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  dist: string,
  live: Broadcast | null,
  address: AddressInfo,
): void {
  if (!sameOrigin(req, address.port)) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: not this server’s own origin\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const common = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (path === '/live/info') {
    if (live === null) res.writeHead(404, common).end();
    else
      res.writeHead(200, { ...common, 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          name: live.name,
          generation: live.generation,
          ended: live.ended,
          from: live.from,
          to: live.to,
          keep: live.keep,
        }),
      );
    return;
  }
  if (path === '/live/bytes') {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const n = (k: string): number => (/^\d{1,15}$/.test(q.get(k) ?? '') ? Number(q.get(k)) : NaN);
    const bytes = live === null ? null : live.range(n('generation'), n('start'), n('end'));
    if (bytes === null) {
      res.writeHead(416, { ...common, 'Content-Type': 'text/plain' }).end('Not kept: those bytes are gone\n');
      return;
    }
    res.writeHead(200, {
      ...common,
      'Content-Type': 'application/octet-stream',
      'Content-Length': bytes.length,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
    return;
  }
  if (path === '/live') {
    if (live === null) {
      res.writeHead(404, common).end();
      return;
    }
    // where in the stream this response starts (the history kept), and of which generation: the page's log
    // view asks /live/bytes by the stream's offsets
    res.writeHead(200, {
      ...common,
      'Content-Type': 'application/octet-stream',
      'X-Loglens-From': String(live.from),
      'X-Loglens-Generation': String(live.generation),
    });
    res.flushHeaders();
    live.attach(res);
    return;
  }
  const file = normalize(join(dist, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dist.endsWith(sep) ? dist : dist + sep) || !isFile(file)) {
    res.writeHead(404, { ...common, 'Content-Type': 'text/plain' }).end('Not found\n');
    return;
  }
  res.writeHead(200, { ...common, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(cmd, [url], { stdio: 'ignore', detached: true })
    .on('error', () => warn(safe`serve: could not open a browser; open ${url}`))
    .unref();
}

serve(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    warn(safe`serve: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  },
);
