import { describe, it, expect } from 'vitest';
import { Interner } from '../../src/engine/ingest/interner.ts';
import { utf8 } from './helpers.ts';

describe('Interner', () => {
  it('wordAt reads up to a space, a tab or the limit, and decodes it once per distinct word', () => {
    const names = new Interner();
    const b = utf8('api-gateway rest\tMüller\tx ' + 'w'.repeat(70) + ' end');
    const a = names.wordAt(b, 0, b.length);
    expect(a).toBe('api-gateway');
    expect(names.wordEnd).toBe(11);
    expect(names.wordAt(utf8('x api-gateway'), 2, 13)).toBe(a); // found again in other bytes
    expect(names.wordAt(b, 12, b.length)).toBe('rest');
    expect(names.wordEnd).toBe(16);
    expect(names.wordAt(b, 17, b.length)).toBe('Müller');
    // a limit inside a character: the bytes up to it, decoded with U+FFFD
    expect(names.wordAt(b, 17, 19)).toBe('M\ufffd');
    const long = names.wordAt(b, 27, b.length);
    expect(long).toBe('w'.repeat(70));
    expect(names.wordEnd).toBe(97);
    expect(names.wordAt(b, 98, b.length)).toBe('end');
    expect(names.wordEnd).toBe(b.length);
    expect(names.wordAt(b, b.length, b.length)).toBe('');
  });
});
