/**
 * Waiting for processes to end: a pidfd polled in the kernel (no loop), the
 * exit status of our own children read from their zombie before Node's event
 * loop reaps them, and psutil's wait_procs.
 */
import { native } from '../../native/index.js';
import { TimeoutExpired } from '../base/errors.js';
import type { Process } from './process.js';
import { decodeWaitStatus } from '../procfs/pid-stat.js';
import { errCode, freshStat, mapProcessError } from './errors.js';

/** @internal Seconds on a monotonic clock. */
export function monotonic(): number {
  return performance.now() / 1000;
}


const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread (psutil's time.sleep). */
export function sleepSync(seconds: number): void {
  if (seconds > 0) Atomics.wait(sleepCell, 0, 0, seconds * 1000);
}

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

/**
 * Waits for several processes (psutil's wait_procs): each round gives each
 * live process a share of at most one second, until all are gone or the
 * timeout passes.
 */
export function waitProcs<P extends Process>(procs: readonly P[], opts: WaitProcsOptions = {}): WaitProcsResult<P> {
  const { timeout, callback } = opts;
  if (timeout !== undefined && !(timeout >= 0)) throw new RangeError(`timeout must be a positive number, got ${timeout}`);
  if (callback !== undefined && typeof callback !== 'function') throw new TypeError('callback is not a function');
  const gone: P[] = [];
  let alive = [...new Set(procs)];
  const deadline = timeout === undefined ? Infinity : monotonic() + timeout;
  const check = (p: P, t: number): void => {
    try {
      p.wait({ timeout: t });
    } catch (e) {
      if (e instanceof TimeoutExpired) return;
      throw e;
    }
    gone.push(p);
    callback?.(p);
  };
  while (alive.length > 0) {
    if (timeout !== undefined && timeout <= 0) break;
    let expired = false;
    for (const p of alive) {
      const share = 1 / alive.length;
      const t = Math.min(deadline - monotonic(), share);
      if (t <= 0) {
        expired = true;
        break;
      }
      check(p, t);
    }
    alive = alive.filter((p) => !gone.includes(p));
    if (expired) break;
  }
  if (alive.length > 0) {
    // A last look: timeout 0 returns at once.
    for (const p of alive) check(p, 0);
    alive = alive.filter((p) => !gone.includes(p));
  }
  return { gone, alive };
}
