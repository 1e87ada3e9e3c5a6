import { describe, expect, it } from 'vitest';
import { ConfigSchema, DEFAULT_CONFIG as FROM_CONFIG } from '../../src/engine/config.ts';
import { DEFAULT_CONFIG } from '../../src/engine/config-defaults.ts';
import { FORMATS } from '../../src/engine/formats/index.ts';
import { FORMAT_NAMES } from '../../src/engine/formats/names.ts';

// The page's main thread takes these copies instead of config.ts and FORMATS (zod, re2js, redos-detector).
describe('plain data for the main thread', () => {
  it('DEFAULT_CONFIG is what the schema gives for an empty config', () => {
    expect(DEFAULT_CONFIG).toEqual(ConfigSchema.parse({}));
    expect(FROM_CONFIG).toBe(DEFAULT_CONFIG);
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
  });

  it('FORMAT_NAMES are the built-in formats, in order', () => {
    expect(FORMAT_NAMES).toEqual(FORMATS.map((f) => ({ id: f.id, name: f.name })));
  });
});
