/**
 * `npx tsx scripts/bench-decode.ts [--file path]`: what a TextDecoder call costs in a Chromium worker on the
 * bytes of a File.stream() chunk — a 1.3 KB span decoded in place (a view of the 1–2 MB chunk) against the
 * same span copied to a small buffer first (src/engine/ingest/utf8.ts decodeSpan). Prints figures; asserts
 * nothing.
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './bench-lib.ts';

const { values } = parseArgs({
  options: { file: { type: 'string', default: '/var/log/dpkg.log' } },
});

const WORKER = `
onmessage = async (e) => {
  const reader = e.data.slice(0, 50e6).stream().getReader();
  const dec = new TextDecoder();
  const scratch = new Uint8Array(2048);
  let inPlace = 0, copied = 0, calls = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    const buf = r.value;
    let t = performance.now();
    for (let o = 0; o + 1300 < buf.length; o += 5000) { dec.decode(buf.subarray(o, o + 1300)); calls++; }
    inPlace += performance.now() - t;
    t = performance.now();
    for (let o = 0; o + 1300 < buf.length; o += 5000) { scratch.set(buf.subarray(o, o + 1300)); dec.decode(scratch.subarray(0, 1300)); }
    copied += performance.now() - t;
  }
  postMessage({ calls, inPlace: (inPlace / calls) * 1000, copied: (copied / calls) * 1000 });
};`;

const browser = await chromium.launch({
  ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.setContent('<input type="file" id="f">');
  await page.setInputFiles('#f', values.file);
  const r = (await page.evaluate(
    (code) =>
      new Promise((resolve) => {
        const w = new Worker(URL.createObjectURL(new Blob([code])));
        w.onmessage = (e) => resolve(e.data);
        w.postMessage((document.getElementById('f') as HTMLInputElement).files![0]);
      }),
    WORKER,
  )) as { calls: number; inPlace: number; copied: number };
  console.log(`file        ${values.file} (its first 50 MB)`);
  console.log(`calls       ${r.calls.toLocaleString('en-US')} decodes of 1,300 bytes`);
  console.log(`in place    ${r.inPlace.toFixed(2)} µs a call (a view of the stream's chunk)`);
  console.log(
    `copied      ${r.copied.toFixed(2)} µs a call (copied to a 2 KiB buffer first, the copy included)`,
  );
} finally {
  await browser.close();
}
