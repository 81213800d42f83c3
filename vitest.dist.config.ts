import { defineConfig } from 'vitest/config';

// `make test-dist`: the built artefacts, tested as a user gets them — the
// single binary (test/dist/binary.test.ts) and the npm tarball installed into
// an empty directory (test/dist/package.test.ts). Slow (minutes): builds,
// packs and installs.
export default defineConfig({
  test: {
    include: ['test/dist/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
