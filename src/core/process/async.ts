/**
 * The Process functions that scan every process or may block, as Promises
 * that keep the event loop free: the bulk reads run on libuv's thread pool
 * (native *Async), parsing runs on the main thread in slices with a
 * setImmediate between slices (process/scan, process/table), and waits use pidfds polled
 * off the main thread.
 */
import { statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { native } from '../../native/index.js';
import { TimeoutExpired } from '../base/errors.js';
import { parseSmaps, type MemoryMap, type MemoryMapExt } from './maps.js';
import { procPath } from '../base/paths.js';
import { Popen } from './popen.js';
import { childrenFrom, mapProcessError, Process, type WaitOptions } from './process.js';
import { pidsAsync } from './pids.js';
import { scanProcessesAsync } from './scan.js';
import { defaultProcessTable, type ProcessIterOptions } from './table.js';
import { slotError } from './errors.js';
import { exitCodeAfterExit, openPidfd, turnFromError, waitProcsPlan, type WaitProcsOptions, type WaitProcsResult, type WaitTurn } from './wait.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

/** Longest single poll on a thread-pool thread, so waits never pin a pool thread for long. */
const POLL_SLICE_MS = 250;

/**
 * processIter off the main thread (the default ProcessTable's scanAsync):
 * one bulk read on the thread pool, then parsing in slices that yield to the
 * event loop (delay stays well under 1 ms with hundreds of processes). Same
 * table and semantics as processIter.
 */
export async function processIterAsync(opts: ProcessIterOptions = {}): Promise<Process[]> {
  return defaultProcessTable.scanAsync(opts);
}

export { pidsAsync } from './pids.js';

/** Children (recursive: descendants) of `proc`, from one bulk read on the thread pool. Identity checked first. */
export async function childrenAsync(proc: Process, opts: { recursive?: boolean } = {}): Promise<Process[]> {
  proc._assertSame();
  const recs = await scanProcessesAsync({ pids: await pidsAsync(), decoding: 'text' });
  return childrenFrom(proc, recs, opts.recursive ?? false);
}

/** memoryMaps with the smaps read on the thread pool. */
export async function memoryMapsAsync(proc: Process, opts?: { grouped?: true }): Promise<MemoryMap[]>;
export async function memoryMapsAsync(proc: Process, opts: { grouped: false }): Promise<MemoryMapExt[]>;
export async function memoryMapsAsync(proc: Process, opts?: { grouped?: boolean }): Promise<MemoryMap[] | MemoryMapExt[]>;
export async function memoryMapsAsync(proc: Process, opts: { grouped?: boolean } = {}): Promise<MemoryMap[] | MemoryMapExt[]> {
  const path = procPath(proc.pid, 'smaps');
  const r = await native.readFilesAsync([path]);
  const len = r.slots[1]!;
  if (len < 0) throw mapProcessError(proc, slotError(len, path));
  const off = r.slots[0]!;
  const text = decodeSurrogateEscape(r.data.subarray(off, off + len));
  const exists = (p: string): boolean => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  };
  return parseSmaps(text, opts.grouped ?? true, { pathExists: exists });
}

function signalNumber(sig: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number>)[sig] ?? 0;
}

/** Resolves with the child's exit code when it exits, or false when `ms` pass first. */
function childExit(p: Popen, ms: number): Promise<number | false> {
  const rc = p.returncode;
  if (rc !== null) return Promise.resolve(rc);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const onExit = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (timer) clearTimeout(timer);
      resolve(code !== null ? code : sig !== null ? -signalNumber(sig) : 0);
    };
    p.child.once('exit', onExit);
    if (ms >= 0) {
      timer = setTimeout(() => {
        p.child.off('exit', onExit);
        resolve(false);
      }, ms);
    }
  });
}

/**
 * Process.wait without blocking: a Popen resolves on its 'exit' event;
 * any other process through its pidfd, polled on the thread pool in slices
 * of at most 250 ms. Resolves with the exit code for a child of ours (null
 * otherwise); rejects with TimeoutExpired after `timeout` seconds.
 */
export async function waitAsync(proc: Process, opts: WaitOptions = {}): Promise<number | null> {
  const timeout = opts.timeout;
  if (timeout !== undefined && timeout !== null && !(timeout >= 0)) throw new RangeError('timeout must be a positive number');
  if (proc._exitcode !== undefined) return proc._exitcode;
  const code = await waitOnce(proc, timeout ?? undefined);
  if (code === false) throw new TimeoutExpired(timeout!, proc.pid, proc._name);
  proc._exitcode = code;
  return code;
}

/** Waits up to `timeout` seconds (undefined: forever): the exit code or null when it ended, false when still running. */
async function waitOnce(proc: Process, timeout: number | undefined): Promise<number | null | false> {
  const ms = timeout === undefined ? -1 : Math.ceil(timeout * 1000);
  if (proc instanceof Popen) return childExit(proc, ms);
  if (proc.pid === 0) throw new RangeError("can't wait for PID 0");
  const fd = openPidfd(proc);
  if (fd === null) return null;
  if (fd === 'nosys') return waitPollingAsync(proc, ms);
  try {
    const deadline = ms < 0 ? Infinity : performance.now() + ms;
    for (;;) {
      const left = deadline - performance.now();
      const slice = left === Infinity ? POLL_SLICE_MS : Math.max(0, Math.min(POLL_SLICE_MS, Math.ceil(left)));
      if (await native.pollReadableAsync(fd, slice)) break;
      if (performance.now() >= deadline) return false;
    }
  } finally {
    native.closeFd(fd);
  }
  return exitCodeAfterExit(proc);
}

/** Without pidfd: check on a timer, 1 ms doubling to 40 ms. */
async function waitPollingAsync(proc: Process, ms: number): Promise<number | null | false> {
  const deadline = ms < 0 ? Infinity : performance.now() + ms;
  let interval = 1;
  for (;;) {
    if (!proc.isRunning()) return null;
    if (proc.status() === 'zombie') return exitCodeAfterExit(proc);
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - performance.now()))));
    interval = Math.min(interval * 2, 40);
  }
}

/**
 * waitProcs without blocking (psutil's wait_procs): the same plan as
 * waitProcs (waitProcsPlan), each wait one poll at a time on the thread
 * pool (so the pool is never filled by waits).
 */
export async function waitProcsAsync<P extends Process>(procs: readonly P[], opts: WaitProcsOptions = {}): Promise<WaitProcsResult<P>> {
  const plan = waitProcsPlan(procs, opts);
  let step = plan.next();
  while (!step.done) {
    const [p, t] = step.value;
    let turn: WaitTurn;
    try {
      turn = { ended: true, code: await waitAsync(p, { timeout: t }) };
    } catch (e) {
      turn = turnFromError(e);
    }
    step = plan.next(turn);
  }
  return step.value;
}
