import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The slow tests of the built artefacts (single binary, npm package) run in
    // `make test-dist` (vitest.dist.config.ts), which `make test` also runs.
    exclude: [...configDefaults.exclude, 'test/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Oracle tests compare against tools run at the same moment; keep files
    // from competing for the machine's two cores.
    fileParallelism: false,
    // verbose: every test by name, so skipped oracle tests say why in the log.
    reporters: ['verbose'],
  },
});
