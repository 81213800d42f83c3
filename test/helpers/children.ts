/**
 * Processes a test file starts, and their cleanup: every child (and the
 * children it started: shells in these tests start some) is killed after the
 * file's tests, by pid. `until` polls a condition with a cap that only turns
 * a hang into a failure (on a loaded machine a child may take seconds to start).
 */
import { spawn as cpSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { afterAll } from 'vitest';
import { Process } from '../../src/core/process/process.js';

export function childStarter(): (cmd: string, args: string[], opts?: SpawnOptions) => ChildProcess {
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const c of started) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      try {
        for (const d of new Process(c.pid!).children({ recursive: true })) d.kill();
      } catch {
        // gone already
      }
      c.kill('SIGKILL');
    }
  });
  return (cmd, args, opts = {}) => {
    const c = cpSpawn(cmd, args, { stdio: 'ignore', ...opts });
    started.push(c);
    if (c.pid === undefined) throw new Error(`could not start ${cmd}`);
    return c;
  };
}

export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function until(cond: () => boolean, ms = 20_000): void {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    sleepMs(10);
  }
}
