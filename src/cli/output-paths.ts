import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fsReason } from './node-input.ts';
import { safe, warn } from './terminal-text.ts';
import type { OutputFlags } from './write-outputs.ts';

/** Every output path checked before any input is read; false (after saying why) when one cannot be written. */
export async function outputsWritable(values: OutputFlags, inputs: readonly string[]): Promise<boolean> {
  const seen = new Map<string, string>();
  for (const flag of ['out', 'records', 'templates'] as const) {
    const path = values[flag];
    if (path === undefined || (flag === 'out' && path === '-')) continue;
    const same = seen.get(resolve(path));
    const problem = same ? `also given to --${same}` : await unwritable(path, inputs);
    if (problem !== null) {
      warn(safe`analyze: --${flag} ${path}: ${problem}`);
      return false;
    }
    seen.set(resolve(path), flag);
  }
  return true;
}

/**
 * Why an output path cannot be written, or null when it can. Checked before any input is read, so a typo in a
 * folder name costs nothing rather than failing after a long analysis. Nothing is created or truncated here.
 */
export async function unwritable(path: string, inputs: readonly string[]): Promise<string | null> {
  const full = resolve(path);
  let st;
  try {
    st = await stat(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return fsReason(e);
    return folderProblem(dirname(full));
  }
  if (st.isDirectory()) return 'is a folder';
  for (const input of inputs) {
    // the same file under another name (a link, a relative path) would be overwritten while it is read
    const other = await stat(input).catch(() => null);
    if (other && other.ino === st.ino && other.dev === st.dev) return 'is one of the input files';
  }
  try {
    await access(full, constants.W_OK);
    return null;
  } catch (e) {
    return fsReason(e);
  }
}

async function folderProblem(dir: string): Promise<string | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return `${dir} is not a folder`;
    await access(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `the folder ${dir} does not exist`;
    return `cannot write in the folder ${dir}: ${fsReason(e)}`;
  }
}
