/**
 * core/process/wait: psutil's wait_procs, one plan (waitProcsPlan) run by
 * the blocking waitProcs and by waitProcsAsync. The plan with scripted
 * waits; both drivers on processes this test starts (children, a
 * grandchild already reaped by its parent, a sleeper that outlives the timeout).
 */
import { spawn as cpSpawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AccessDenied, NoSuchProcess, TimeoutExpired, ZombieProcess } from '../../../src/core/base/errors.js';
import { spawn, type Popen } from '../../../src/core/process/popen.js';
import { Process } from '../../../src/core/process/process.js';
import { clearProcessTable } from '../../../src/core/process/table.js';
import { turnFromError, waitProcs, waitProcsPlan, type WaitProcsOptions, type WaitProcsResult, type WaitTurn } from '../../../src/core/process/wait.js';
import { waitProcsAsync } from '../../../src/core/process/async.js';
import { procState, waitUntil } from '../../helpers/wait.js';

const started: ChildProcess[] = [];
const popens: Popen[] = [];
afterEach(() => clearProcessTable());
afterAll(() => {
  for (const c of started) {
    try {
      process.kill(-c.pid!, 'SIGKILL'); // started detached: the whole group
    } catch {
      /* already gone */
    }
  }
  for (const p of popens) {
    try {
      p.kill();
    } catch {
      /* already gone */
    }
  }
});

/** Stand-ins for processes: the plan only keeps them apart and sets their exit code. */
function fakes(n: number): Process[] {
  return Array.from({ length: n }, (_, i) => ({ pid: 1000 + i, _exitcode: undefined }) as unknown as Process);
}

/** Runs the plan, answering each wait with `answer(proc, seconds)`; records the waits asked for. */
function drive(procs: Process[], opts: WaitProcsOptions, answer: (p: Process, t: number) => WaitTurn): { result: WaitProcsResult; asked: [number, number][] } {
  const asked: [number, number][] = [];
  const plan = waitProcsPlan(procs, opts);
  let step = plan.next();
  while (!step.done) {
    const [p, t] = step.value;
    asked.push([p.pid, t]);
    step = plan.next(answer(p, t));
  }
  return { result: step.value, asked };
}

describe('waitProcsPlan (psutil wait_procs)', () => {
  it('timeout 0: one look at each; an exit code, a vanished process (null) and a timeout', () => {
    const [a, b, c] = fakes(3);
    const seen: number[] = [];
    const { result, asked } = drive([a!, b!, c!, a!], { timeout: 0, callback: (p) => seen.push(p.pid) }, (p) => {
      if (p === a) return { ended: true, code: 3 };
      if (p === b) return turnFromError(new NoSuchProcess(p.pid));
      return turnFromError(new TimeoutExpired(0, p.pid));
    });
    expect(asked).toEqual([[a!.pid, 0], [b!.pid, 0], [c!.pid, 0]]); // the duplicate a is waited for once
    expect(result.gone).toEqual([a, b]);
    expect(result.alive).toEqual([c]);
    expect([a!._exitcode, b!._exitcode, c!._exitcode]).toEqual([3, null, undefined]); // what returncode reads
    expect(seen).toEqual([a!.pid, b!.pid]);
  });

  it('no timeout: each round gives each live process 1/n of a second, until none is left', () => {
    const procs = fakes(4);
    // process i ends at its (i+1)th wait
    const asks = new Map<Process, number>();
    const { result, asked } = drive(procs, {}, (p) => {
      const n = (asks.get(p) ?? 0) + 1;
      asks.set(p, n);
      return n === procs.indexOf(p) + 1 ? { ended: true, code: 0 } : { ended: false };
    });
    expect(result.alive).toEqual([]);
    expect(result.gone).toEqual(procs);
    // round 1: 4 waits of 0.25 s (the first ends); round 2: 3 of 1/3 s (the second ends); ...
    expect(asked.map(([, t]) => t)).toEqual([0.25, 0.25, 0.25, 0.25, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 1]);
  });

  it('a zombie or any other error is not a wait result: it propagates', () => {
    expect(() => turnFromError(new ZombieProcess(5))).toThrow(ZombieProcess);
    expect(() => turnFromError(new AccessDenied(5))).toThrow(AccessDenied);
    expect(() => turnFromError(new Error('x'))).toThrow('x');
  });

  it('bad options: RangeError for a negative timeout, TypeError for a callback that is not a function', () => {
    expect(() => waitProcsPlan([], { timeout: -1 }).next()).toThrow(RangeError);
    expect(() => waitProcsPlan([], { callback: 5 as unknown as () => void }).next()).toThrow(TypeError);
  });
});

/** A grandchild of ours, already ended and reaped by its own parent: a Process object for a pid that is gone. */
async function reapedGrandchild(): Promise<Process> {
  const c = cpSpawn('sh', ['-c', 'sleep 0.3 & wait'], { stdio: 'ignore', detached: true });
  started.push(c);
  const parent = new Process(c.pid!);
  let gc: Process | undefined;
  await waitUntil(() => (gc = parent.children()[0]) !== undefined, 'the grandchild');
  await waitUntil(() => procState(gc!.pid) === '', 'the grandchild reaped');
  return gc!;
}

const DRIVERS: [string, (procs: Process[], opts: WaitProcsOptions) => Promise<WaitProcsResult>][] = [
  ['waitProcs', async (procs, opts) => waitProcs(procs, opts)],
  ['waitProcsAsync', (procs, opts) => waitProcsAsync(procs, opts)],
];

describe.each(DRIVERS)('%s on processes this test starts', (_name, run) => {
  it('gone: children with their codes, a reaped grandchild with null; alive: a sleeper past the timeout; then it too', async () => {
    const quick = spawn('sh', ['-c', 'exit 4'], { stdio: 'ignore' });
    const slow = spawn('sleep', ['30'], { stdio: 'ignore' });
    popens.push(quick, slow);
    const gc = await reapedGrandchild();
    const seen: number[] = [];
    const { gone, alive } = await run([quick, gc, slow], { timeout: 0.3, callback: (p) => seen.push(p.pid) });
    expect(new Set(gone)).toEqual(new Set([quick, gc]));
    expect(alive).toEqual([slow]);
    expect(quick.returncode).toBe(4);
    expect(gc.returncode).toBeNull();
    expect(seen.sort()).toEqual([quick.pid, gc.pid].sort());
    slow.kill();
    const after = await run([slow], {});
    expect(after).toEqual({ gone: [slow], alive: [] });
    expect(slow.returncode).toBe(-9);
  });
});

describe('waitProcs: a wait that finds the process gone (NoSuchProcess) counts it gone, as psutil', () => {
  it('returncode null, callback called', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    popens.push(child);
    class Vanished extends Process {
      override wait(): number | null {
        throw new NoSuchProcess(this.pid);
      }
    }
    const p = new Vanished(child.pid);
    const seen: Process[] = [];
    expect(waitProcs([p], { callback: (x) => seen.push(x) })).toEqual({ gone: [p], alive: [] });
    expect(p.returncode).toBeNull();
    expect(seen).toEqual([p]);
  });
});
