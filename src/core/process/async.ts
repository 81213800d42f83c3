/**
 * The Process functions that scan every process or may block, as Promises
 * that keep the event loop free: the bulk reads run on libuv's thread pool
 * (native *Async), parsing runs on the main thread in slices of at most
 * SLICE_MS with a setImmediate between slices, and waits use pidfds polled
 * off the main thread.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { native } from '../../native/index.js';
import { TimeoutExpired } from '../base/errors.js';
import { parseSmaps, type MemoryMap, type MemoryMapExt } from './maps.js';
import { getProcfsPath, procPath } from '../base/paths.js';
import { Popen } from './popen.js';
import { terminalMapAsync } from './terminal.js';
import { mapProcessError, Process, type WaitOptions } from './process.js';
import { slotError } from './errors.js';
import { childrenFrom, scanFinish, scanOne, scanPlan, scanPrepare, type ProcessIterOptions } from './scan.js';
import { exitCodeAfterExit, openPidfd, turnFromError, waitProcsPlan, type WaitProcsOptions, type WaitProcsResult, type WaitTurn } from './wait.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

/** Longest stretch of parsing between two yields to the event loop. */
const SLICE_MS = 0.5;
/** Longest single poll on a thread-pool thread, so waits never pin a pool thread for long. */
const POLL_SLICE_MS = 250;

/**
 * processIter off the main thread: one bulk read on the thread pool, then
 * parsing in slices that yield to the event loop (delay stays well under
 * 1 ms with hundreds of processes). Same table and semantics as processIter.
 */
export async function processIterAsync(opts: ProcessIterOptions = {}): Promise<Process[]> {
  const plan = scanPlan(opts);
  // The listing and the terminal map also come from the thread pool.
  const [list, tmap] = await Promise.all([pidsAsync(), plan.needsTerminal ? terminalMapAsync() : undefined]);
  const scan = scanPrepare(opts, list, tmap);
  const bulk = await native.readProcAsync(getProcfsPath(), scan.pids, scan.sources, false);
  let i = 0;
  const n = scan.pids.length;
  while (i < n) {
    const until = performance.now() + SLICE_MS;
    do scanOne(scan, bulk, i++);
    while (i < n && performance.now() < until);
    if (i < n) await yieldToLoop();
  }
  return scanFinish(scan);
}

/** pids() with the directory read on the thread pool. */
export async function pidsAsync(): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir(procPath())) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d+$/.test(name)) out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}

/** Children (recursive: descendants) of `proc`, from one bulk read on the thread pool. Identity checked first. */
export async function childrenAsync(proc: Process, opts: { recursive?: boolean } = {}): Promise<Process[]> {
  proc._assertSame();
  const list = await pidsAsync();
  const bulk = await native.readProcAsync(getProcfsPath(), list, ['stat'], false);
  return childrenFrom(proc, list, bulk, opts.recursive ?? false);
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
