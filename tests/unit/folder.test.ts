import { describe, it, expect } from 'vitest';
import { filesFromDrop } from '../../src/lib/folder.ts';

/**
 * A dropped folder is read through the entries API (webkitGetAsEntry / createReader / readEntries, which hands
 * out entries in batches until an empty one). These fakes follow that protocol, so the recursion, the batches
 * and the dot-file filter are checked without a browser (Playwright cannot build a directory drop).
 */
type Entry = { isFile: boolean; isDirectory: boolean; name: string } & Record<string, unknown>;

function fileEntry(name: string, text = name): Entry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file: (ok: (f: File) => void) => ok(new File([text], name)),
  };
}

function dirEntry(name: string, children: Entry[], batch = 2): Entry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (e: Entry[]) => void) => {
          const out = children.slice(at, at + batch);
          at += batch;
          ok(out);
        },
      };
    },
  };
}

function drop(entries: (Entry | null)[], files: File[] = []): DataTransfer {
  return {
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })),
    files,
  } as unknown as DataTransfer;
}

describe('filesFromDrop', () => {
  it('reads a dropped folder recursively, in batches, leaving dot-files out', async () => {
    const tree = dirEntry('logs', [
      fileEntry('app.log'),
      fileEntry('.DS_Store'),
      dirEntry('old', [fileEntry('app.log.1'), fileEntry('app.log.2.gz'), dirEntry('empty', [])]),
      fileEntry('web.log'),
    ]);
    const files = await filesFromDrop(drop([tree]));
    expect(files.map((f) => f.name)).toEqual(['app.log', 'app.log.1', 'app.log.2.gz', 'web.log']);
  });

  it('plain files keep the browser’s own list (no entries API needed)', async () => {
    const list = [new File(['x'], 'a.log'), new File(['y'], 'b.log')];
    expect(
      (await filesFromDrop(drop([fileEntry('a.log'), fileEntry('b.log')], list))).map((f) => f.name),
    ).toEqual(['a.log', 'b.log']);
    expect((await filesFromDrop(drop([null], list))).map((f) => f.name)).toEqual(['a.log', 'b.log']);
  });
});
