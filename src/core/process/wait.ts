/**
 * Waiting for processes to end: a pidfd polled in the kernel (no loop), the
 * exit status of our own children read from their zombie before Node's event
 * loop reaps them, and psutil's wait_procs.
 */
import { native } from '../../native/index.js';
import { monotonic, sleepSync } from '../base/clock.js';
import { NoSuchProcess, TimeoutExpired, ZombieProcess } from '../base/errors.js';
import type { Process } from './process.js';
import { decodeWaitStatus } from '../procfs/pid-stat.js';
import { errCode, freshStat, mapProcessError } from './errors.js';


/** Exit code of a zombie child of ours (Node has not reaped it yet), else null. */
function zombieExitCode(proc: Process): number | null {
  const st = freshStat(proc.pid);
  if (st === undefined || st.starttime !== proc._ticks || st.state !== 'Z' || st.ppid !== process.pid) return null;
  return decodeWaitStatus(st.exitCode);
}

/** @internal Opens a pidfd for `proc`, or returns null when it is gone (or its pid was reused). 'nosys' without pidfd support. */
export function openPidfd(proc: Process): number | null | 'nosys' {
  let fd: number;
  try {
    fd = native.pidfdOpen(proc.pid);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ESRCH') return null;
    if (code === 'ENOSYS' || code === 'EINVAL' || code === 'EPERM') return 'nosys';
    throw mapProcessError(proc, e);
  }
  // The fd now pins whatever has this pid; make sure it is still our process.
  const st = freshStat(proc.pid);
  if (st === undefined || st.starttime !== proc._ticks) {
    native.closeFd(fd);
    return null;
  }
  return fd;
}

/** @internal After the process ended: its exit code if it is our child (still a zombie), else null. */
export function exitCodeAfterExit(proc: Process): number | null {
  return zombieExitCode(proc);
}

/** @internal */
export function waitSync(proc: Process, timeout: number | undefined): number | null {
  if (proc.pid === 0) throw new RangeError("can't wait for PID 0");
  const fd = openPidfd(proc);
  if (fd === null) return null;
  if (fd === 'nosys') return waitPolling(proc, timeout);
  try {
    const ms = timeout === undefined ? -1 : Math.min(0x7fffffff, Math.ceil(timeout * 1000));
    if (!native.pollReadable(fd, ms)) throw new TimeoutExpired(timeout!, proc.pid, proc._name);
  } finally {
    native.closeFd(fd);
  }
  // Exited. Our own child stays a zombie until Node's event loop reaps it, so its status is still readable.
  return zombieExitCode(proc);
}

/** Without pidfd (Linux < 5.3): psutil's loop, sleeping 0.1 ms doubling to 40 ms. */
function waitPolling(proc: Process, timeout: number | undefined): number | null {
  const stopAt = timeout === undefined ? Infinity : monotonic() + timeout;
  let interval = 0.0001;
  for (;;) {
    const st = freshStat(proc.pid);
    if (st === undefined || st.starttime !== proc._ticks) return null;
    if (st.state === 'Z') return zombieExitCode(proc);
    if (monotonic() >= stopAt) throw new TimeoutExpired(timeout!, proc.pid, proc._name);
    sleepSync(Math.min(interval, Math.max(0, stopAt - monotonic())));
    interval = Math.min(interval * 2, 0.04);
  }
}

export interface WaitProcsOptions {
  /** Seconds; the procs still running then are returned in `alive` (no error). */
  readonly timeout?: number;
  /** Called with each process as it ends. */
  readonly callback?: (proc: Process) => void;
}

export interface WaitProcsResult<P extends Process = Process> {
  /** Ended; each has `returncode` (null unless it was our child). */
  readonly gone: P[];
  readonly alive: P[];
}

/** How one wait in waitProcs came out: the process ended (with its code, or null), or it still runs. */
export type WaitTurn = { readonly ended: true; readonly code: number | null } | { readonly ended: false };

/**
 * @internal The turn a wait that threw stands for: TimeoutExpired, still
 * running; NoSuchProcess (not a zombie), ended with no code (psutil's wait
 * returns None for a process that is gone). Anything else is rethrown.
 */
export function turnFromError(e: unknown): WaitTurn {
  if (e instanceof TimeoutExpired) return { ended: false };
  if (e instanceof NoSuchProcess && !(e instanceof ZombieProcess)) return { ended: true, code: null };
  throw e;
}

/**
 * @internal psutil's wait_procs as a plan both waitProcs and waitProcsAsync
 * run: it yields each wait to make, `[proc, seconds]`, takes back how it came
 * out, and returns the gone and the alive. Each round gives each live
 * process a share of at most one second (so a late one cannot hold up the
 * rest while their pids get reused), until all are gone or the timeout
 * passes; then a last look with timeout 0.
 *
 * A process is gone when its wait returns. psutil also asks is_running()
 * there, for a wait that returned None; ours returns only when the process
 * ended (its pidfd fired, or it vanished), so that adds nothing but would
 * keep a zombie that is not our child "alive" while its parent has not reaped it.
 */
export function* waitProcsPlan<P extends Process>(procs: readonly P[], opts: WaitProcsOptions = {}): Generator<[P, number], WaitProcsResult<P>, WaitTurn> {
  const { timeout, callback } = opts;
  if (timeout !== undefined && !(timeout >= 0)) throw new RangeError(`timeout must be a positive number, got ${timeout}`);
  if (callback !== undefined && typeof callback !== 'function') throw new TypeError('callback is not a function');
  const gone: P[] = [];
  let alive = [...new Set(procs)];
  const deadline = timeout === undefined ? Infinity : monotonic() + timeout;
  const settle = (p: P, turn: WaitTurn): void => {
    if (!turn.ended) return;
    if (p._exitcode === undefined) p._exitcode = turn.code;
    gone.push(p);
    callback?.(p);
  };
  while (alive.length > 0) {
    if (timeout !== undefined && timeout <= 0) break;
    let expired = false;
    const share = 1 / alive.length;
    for (const p of alive) {
      const t = Math.min(deadline - monotonic(), share);
      if (t <= 0) {
        expired = true;
        break;
      }
      settle(p, yield [p, t]);
    }
    alive = alive.filter((p) => !gone.includes(p));
    if (expired) break;
  }
  if (alive.length > 0) {
    // A last look: timeout 0 returns at once.
    for (const p of alive) settle(p, yield [p, 0]);
    alive = alive.filter((p) => !gone.includes(p));
  }
  return { gone, alive };
}

/** Waits for several processes (psutil's wait_procs), blocking the thread: see waitProcsPlan. */
export function waitProcs<P extends Process>(procs: readonly P[], opts: WaitProcsOptions = {}): WaitProcsResult<P> {
  const plan = waitProcsPlan(procs, opts);
  let step = plan.next();
  while (!step.done) {
    const [p, t] = step.value;
    let turn: WaitTurn;
    try {
      turn = { ended: true, code: p.wait({ timeout: t }) };
    } catch (e) {
      turn = turnFromError(e);
    }
    step = plan.next(turn);
  }
  return step.value;
}
