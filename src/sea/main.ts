/**
 * Entry point of the single binary (dist/bin/ptools-linux-x64), bundled into
 * one CommonJS script by scripts/build-binary.mjs. In a SEA, argv[1] is the
 * name the executable was run as, so a copy or link named `pps` runs ps.
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import './start.js';
import { costs, loadEmbeddedAddon } from './boot.js';
import { useBinding } from '../native/index.js';
import { main } from '../cli/main.js';

const started = performance.now();
useBinding(loadEmbeddedAddon);
if (process.env.PTOOLS_SEA_DEBUG) {
  // Where start-up time goes: Node's own milestones, then ours (ms since the process began).
  process.on('exit', () => {
    const t = performance.nodeTiming;
    const f = (x: number) => x.toFixed(1);
    // writeSync: at 'exit' an asynchronous write to a pipe would be lost.
    writeSync(2, `ptools-sea: timing: node bootstrap ${f(t.bootstrapComplete)}, bundle evaluated ${f(started)}, exit ${f(performance.now())} ms` +
      ` (cache checks ${f(costs.boot)} ms, addon verify+dlopen ${f(costs.addon)} ms)\n`);
  });
}
main(process.argv).catch((e: unknown) => {
  process.stderr.write(`ptools: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 70;
});
