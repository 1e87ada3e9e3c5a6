/**
 * What bench-browser runs inside the page, as strings (tsx's helpers such as __name do not exist there).
 */
import type { Page } from '@playwright/test';

/** Adds the hidden file input #bench-floor that FLOOR_IN_PAGE and floorVariant read, holding `path`. */
export async function floorInput(page: Page, path: string): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-floor';
    document.body.append(input);
  });
  await page.setInputFiles('#bench-floor', path);
}

/**
 * Installed before the page loads: when the log view mounts and its first row is painted (as
 * bench-logview.ts --browser), and Apply's click → the first frame where the view's banner is shown and
 * Export report (JSON) is on again after having been off (the view read).
 */
export const VIEW_PROBES = `(() => {
  const v = (window.__view = { mount: 0, rows: 0, apply: 0, off: false, done: 0, long: [] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) v.long.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (v.mount === 0 && document.querySelector('section[aria-label="Log view"]')) v.mount = performance.now();
    if (v.mount > 0 && v.rows === 0 && document.querySelector('[data-record]')) {
      v.rows = -1;
      requestAnimationFrame(() => (v.rows = performance.now()));
    }
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    if (button && button.textContent.replace(/\\s+/g, ' ').trim() === 'Apply') { v.apply = e.timeStamp; v.off = false; v.done = 0; }
  }, true);
  const exportOn = () => [...document.querySelectorAll('button')].some(
    // the label's spaces may be no-break ones (U+00A0: the button does not wrap); \\s matches both
    (x) => /Export\\s+report\\s+\\(JSON\\)/.test(x.textContent) && !x.disabled);
  const tick = (t) => {
    if (v.apply && !v.done) {
      if (!exportOn()) v.off = true;
      else if (v.off && document.querySelector('[data-testid="view-banner"]')) v.done = t;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

export interface ViewProbes {
  mount: number;
  rows: number;
  apply: number;
  done: number;
  /** [startTime, duration] of every long task (> 50 ms) on the main thread */
  long: [number, number][];
}

/** The main thread's long tasks that started while the view was read (Apply → done): how many, ms in all. */
export function viewLongTasks(v: ViewProbes): { count: number; ms: number } {
  const during = v.long.filter(([t]) => t >= v.apply && t <= v.done);
  return { count: during.length, ms: Math.round(during.reduce((n, [, d]) => n + d, 0)) };
}

/** window.__bench, filled by PROBES; times are the page's performance.now(), ms. */
export interface Probes {
  /** the file input's change event: the drop */
  t0: number;
  /** the first frame showing a records count above zero */
  first: number;
  /** the first frame with Export report (JSON) enabled: the final report */
  done: number;
  /** the longest gap between animation frames during the analysis */
  gap: number;
  /** [startTime, duration] of every long task (> 50 ms) on the main thread */
  long: [number, number][];
  /**
   * Click → the first frame showing its effect, ms (from the click event's timeStamp: the time the input
   * came in, so a busy main thread counts): `settings` the Settings panel shown, `cancel` the progress panel
   * gone and the "Analysis cancelled" notice shown.
   */
  ui: { settings?: number; cancel?: number };
}

/** Installs the probes: a capturing change listener, a per-frame check of the page, a long-task observer. */
export const PROBES = `(() => {
  const b = (window.__bench = { t0: 0, first: 0, done: 0, gap: 0, long: [], ui: {} });
  const effects = {
    settings: () => document.querySelector('section.settings[aria-label="Settings"]') !== null,
    cancel: () => document.querySelector('section[aria-label="Analysis progress"]') === null &&
      [...document.querySelectorAll('p.notice')].some((p) => p.textContent.includes('Analysis cancelled')),
  };
  let pending = null;
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    const name = button && button.textContent.replace(/\\s+/g, ' ').trim() === 'Settings' ? 'settings'
      : button && button.textContent.replace(/\\s+/g, ' ').trim() === 'Cancel' ? 'cancel' : null;
    if (name) pending = b.uiAt = { name, t: e.timeStamp };
  }, true);
  document.addEventListener('change', (e) => {
    if (!b.t0 && e.target instanceof HTMLInputElement && e.target.type === 'file') b.t0 = performance.now();
  }, true);
  const exportOn = () => [...document.querySelectorAll('button')].some(
    // the label's spaces may be no-break ones (U+00A0: the button does not wrap); \\s matches both
    (x) => /Export\\s+report\\s+\\(JSON\\)/.test(x.textContent) && !x.disabled);
  let last = 0;
  const tick = (t) => {
    // scheduled first: a probe that throws must not end the probing (the error is kept in b.err)
    requestAnimationFrame(tick);
    b.ticks = (b.ticks || 0) + 1;
    try { probe(t); } catch (e) { b.err = String(e && e.stack || e); }
  };
  const probe = (t) => {
    if (b.t0 && !b.done) {
      if (last > b.t0) b.gap = Math.max(b.gap, t - last);
      if (!b.first) {
        const v = document.querySelector('[data-testid="card-records"] .value');
        if (v && /[1-9]/.test(v.textContent)) b.first = t;
      }
      if (exportOn()) b.done = t;
    }
    if (pending && effects[pending.name]()) {
      // the frame that shows it is painted after this callback: timed from a task queued now, or by the
      // browser's own Event Timing entry for the click (input to next paint) when it has one
      const p = pending;
      pending = null;
      setTimeout(() => { if (b.ui[p.name] === undefined) b.ui[p.name] = performance.now() - p.t; }, 0);
    }
    last = t;
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) b.long.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      if (e.name !== 'click') continue;
      const name = b.uiAt && Math.abs(b.uiAt.t - e.startTime) < 1 ? b.uiAt.name : null;
      if (name) b.ui[name] = e.duration;
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
})()`;

/**
 * The floor, in the same browser: two workers (the engine's slices use two) each read half of the file chosen in
 * #bench-floor through File.stream() and count newline bytes. Resolves to { ms, newlines }.
 */
export const FLOOR_IN_PAGE = `(async () => {
  const file = document.getElementById('bench-floor').files[0];
  const src = \`onmessage = async (e) => { const r = e.data.stream().getReader(); let n = 0;
    for (;;) { const { done, value } = await r.read(); if (done) break;
      let p = value.indexOf(10); while (p !== -1) { n++; p = value.indexOf(10, p + 1); } }
    postMessage(n); };\`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const half = Math.floor(file.size / 2);
  const parts = [file.slice(0, half), file.slice(half)];
  const workers = parts.map(() => new Worker(url));
  const t = performance.now();
  const counts = await Promise.all(workers.map((w, i) => new Promise((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.postMessage(parts[i]);
  })));
  const ms = performance.now() - t;
  workers.forEach((w) => w.terminate());
  return { ms, newlines: counts[0] + counts[1] };
})()`;

/**
 * FLOOR_IN_PAGE's variant for bench-memory: `byob` reads through a BYOB reader into one reused buffer per worker
 * (`size` bytes); otherwise the default reader. Resolves to { ms, newlines, chunks, maxChunk }.
 */
export const floorVariant = (byob: boolean, decode = false, size = 1 << 20): string => `(async () => {
  const file = document.getElementById('bench-floor').files[0];
  const src = \`const td = new TextDecoder(); let chars = 0;
    onmessage = async (e) => { let n = 0, chunks = 0, maxChunk = 0;
    if (${byob}) {
      const r = e.data.stream().getReader({ mode: 'byob' });
      let buf = new ArrayBuffer(${size});
      for (;;) { const { done, value } = await r.read(new Uint8Array(buf)); if (done) break;
        chunks++; if (value.length > maxChunk) maxChunk = value.length;
        let p = value.indexOf(10); while (p !== -1) { n++; p = value.indexOf(10, p + 1); }
        if (${decode}) chars += td.decode(value).length;
        buf = value.buffer; }
    } else {
      const r = e.data.stream().getReader();
      for (;;) { const { done, value } = await r.read(); if (done) break;
        chunks++; if (value.length > maxChunk) maxChunk = value.length;
        let p = value.indexOf(10); while (p !== -1) { n++; p = value.indexOf(10, p + 1); } }
    }
    postMessage({ n, chunks, maxChunk }); };\`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const half = Math.floor(file.size / 2);
  const parts = [file.slice(0, half), file.slice(half)];
  const workers = parts.map(() => new Worker(url));
  const t = performance.now();
  const res = await Promise.all(workers.map((w, i) => new Promise((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.postMessage(parts[i]);
  })));
  const ms = performance.now() - t;
  workers.forEach((w) => w.terminate());
  return { ms, newlines: res[0].n + res[1].n, chunks: res[0].chunks + res[1].chunks, maxChunk: Math.max(res[0].maxChunk, res[1].maxChunk) };
})()`;
