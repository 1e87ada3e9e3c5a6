import { defineConfig } from 'vitest/config';
// 30 s a test: the analyses of 20–30 MB logs take 1–2 s alone and several times that on a shared, loaded machine
export default defineConfig({
  test: { include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
