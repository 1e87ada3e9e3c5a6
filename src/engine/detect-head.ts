import type { Config } from './config.ts';
import type { ByteInput } from './ingest/source.ts';
import { analyze } from './analyze.ts';
import { HEAD_BYTES, type Head } from './slicing.ts';

/** The format and compression of a file's first HEAD_BYTES, detected as the analysis would. */
export async function detectHead(input: ByteInput, config: Config): Promise<Head> {
  const reader = input.stream().getReader();
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < HEAD_BYTES) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    got += r.value.length;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(got);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const head = bytes.subarray(0, HEAD_BYTES);
  const headInput: ByteInput = {
    name: input.name,
    size: head.length,
    lastModified: input.lastModified,
    stream: () => new Blob([head]).stream(),
  };
  const s = await analyze([headInput], config, { detectors: false, templates: false });
  return { format: s.files[0]!.format, gzip: s.files[0]!.gzip };
}
