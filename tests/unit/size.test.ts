import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/cli/size.ts';
import { binaryBytes } from '../../src/lib/format.ts';

describe('parseSize (the command line: --size, --keep)', () => {
  it('reads bytes, powers of 1000 and of 1024, any case, a fraction, spaces', () => {
    expect(
      ['512', '20KB', '16KiB', '1.5MB', '256MiB', '1gb', '2 GiB', ' 3B '].map((s) => parseSize(s)),
    ).toEqual([512, 20_000, 16_384, 1_500_000, 268_435_456, 1e9, 2 * 1024 ** 3, 3]);
  });
  it('says which flag it read, and what it got', () => {
    expect(() => parseSize('lots', '--keep')).toThrow(
      '--keep: expected a size such as 200MB or 1GB, got "lots"',
    );
    expect(() => parseSize('-1')).toThrow('--size: expected a size such as 200MB or 1GB, got "-1"');
    expect(() => parseSize('1 TB')).toThrow('got "1 TB"');
  });
});

describe('binaryBytes (what loglens serve keeps, as the page says it)', () => {
  it('in the largest power of 1024 it reaches, to a tenth', () => {
    expect([256 * 1024 ** 2, 16_384, 1.5 * 1024 ** 3, 1000, 1536, 1024 ** 2 - 1].map(binaryBytes)).toEqual([
      '256 MiB',
      '16 KiB',
      '1.5 GiB',
      '1000 B',
      '1.5 KiB',
      '1024 KiB',
    ]);
  });
});
