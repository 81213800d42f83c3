import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Oracle tests compare against tools run at the same moment; keep files
    // from competing for the machine's two cores.
    fileParallelism: false,
    // verbose: every test by name, so skipped oracle tests say why in the log.
    reporters: ['verbose'],
  },
});
