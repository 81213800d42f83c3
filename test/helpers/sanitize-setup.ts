/**
 * Setup of `make test-sanitize` (vitest.sanitize.config.ts), in every worker.
 *
 * 1. The run is meaningful only if this process has the sanitizer runtimes
 *    mapped and loaded the sanitized addon PTOOLS_NATIVE names (not the
 *    prebuild the loader would fall back to): checked, and the addon loaded
 *    now, so every test in the file uses it.
 * 2. The processes the tests start (sleep, ps, python3's psutil, node) must
 *    not inherit the preloaded runtimes: ASan changes what they are (signal
 *    handlers, threads) and procps' ps was seen to deadlock under it. So the
 *    variables leave this process's environment; test/helpers/sanitize.ts
 *    gives them back to the few children that load the addon on purpose.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { bindingPath } from '../../src/native/index.js';
import { SANITIZER_VARS, stash } from './sanitize.js';

const want = process.env.PTOOLS_NATIVE ?? process.env[stash('PTOOLS_NATIVE')];
const loaded = bindingPath();
for (const k of [...SANITIZER_VARS, 'PTOOLS_NATIVE']) {
  if (process.env[k] !== undefined) {
    process.env[stash(k)] = process.env[k];
    delete process.env[k];
  }
}

beforeAll(() => {
  expect(want, 'PTOOLS_NATIVE names the sanitized addon').toBeTruthy();
  const maps = readFileSync('/proc/self/maps', 'utf8');
  expect(maps, 'LD_PRELOAD reached this worker: libasan is mapped').toMatch(/\/libasan\.so/);
  expect(maps, 'libubsan is mapped').toMatch(/\/libubsan\.so/);
  expect(resolve(loaded)).toBe(resolve(want!));
});
