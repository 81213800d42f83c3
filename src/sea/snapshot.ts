/**
 * Entry of the startup-snapshot variant (`build-binary.mjs --mode snapshot`),
 * kept to measure it against the code cache (bench/startup.js --variants):
 * every module, commands included, is evaluated when the binary is built, and
 * the snapshot's main function only prepares the cache and runs the program.
 *
 * Not what `make binary` ships: whatever a module computes when it loads is
 * frozen at build time (core/paths.ts reads PTOOLS_PROCFS_PATH then, so the
 * variant ignores it at run time). BENCHMARKS.md has the numbers.
 */
import { startupSnapshot } from 'node:v8';
import { boot, loadEmbeddedAddon } from './boot.js';
import { useBinding } from '../native/index.js';
import { main } from '../cli/main.js';
import { commands } from '../cli/registry.js';

for (const c of Object.values(commands)) void c.load().catch(() => undefined);

startupSnapshot.setDeserializeMainFunction(() => {
  boot();
  useBinding(loadEmbeddedAddon);
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`ptools: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  });
});
