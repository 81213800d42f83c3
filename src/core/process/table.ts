/**
 * psutil's process_iter as an instance: a ProcessTable keeps the Process
 * objects it has seen (by pid, replaced when the pid is reused), so that
 * cpuPercent() measures since the previous scan. Each scan is one call of
 * the bulk scanner (process/scan) reading only the /proc files the
 * requested attributes need; each Process's oneshot cache is seeded from
 * those bytes. The module-level processIter()/clearProcessTable() are one
 * default table; an exporter and a monitor in one process keep their own.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { NoSuchProcess } from '../base/errors.js';
import { pids, pidsAsync } from './pids.js';
import { cachedBootTime, Process, resolveAttrs, sourcesOf, type OneshotCache } from './process.js';
import { scanProcesses, scanProcessesAsync, type ProcRecord } from './scan.js';
import { terminalMap, terminalMapAsync, type TerminalMap } from './terminal.js';

export interface ProcessIterOptions {
  /** Collect these attributes into each Process's `info` (as asDict); [] means all. */
  readonly attrs?: readonly string[];
  /** The value for attributes that raised AccessDenied or ZombieProcess (default null). */
  readonly adValue?: unknown;
}

/** One scan: what the attrs need, and what was seen. */
interface Pass {
  readonly attrs: Array<[string, string]> | undefined;
  readonly rawFiles: string[];
  readonly adValue: unknown;
  readonly seen: Set<number>;
  readonly out: Process[];
  tmap: TerminalMap | undefined;
  terminals?: () => TerminalMap;
}

/** Longest stretch of collecting attributes between two yields to the event loop (async scans). */
const SLICE_MS = 0.5;

/** The processes seen by earlier scans, by pid: psutil's process_iter state, in an instance. */
export class ProcessTable {
  readonly #table = new Map<number, Process>();

  /**
   * Every process, by ascending pid (psutil's process_iter). Process objects
   * are kept between calls (so cpuPercent() measures since the last call)
   * and replaced when a pid is reused. With `attrs`, each gets `info` (as
   * asDict), read by one bulk call for every process: only the /proc files
   * the attrs need. Processes that end during the scan are left out.
   */
  scan(opts: ProcessIterOptions = {}): Process[] {
    const pass = this.#pass(opts);
    const recs = scanProcesses({ pids: pids(), rawFiles: pass.rawFiles, decoding: 'text' });
    for (const rec of recs) this.#add(pass, rec);
    return this.#finish(pass);
  }

  /**
   * scan() off the main thread: the listing, the bulk read and the terminal
   * map come from the thread pool; decoding and collecting run in slices
   * that yield to the event loop.
   */
  async scanAsync(opts: ProcessIterOptions = {}): Promise<Process[]> {
    const pass = this.#pass(opts);
    const needsTerminal = pass.attrs !== undefined && pass.attrs.some(([, a]) => a === 'terminal');
    const [list, tmap] = await Promise.all([pidsAsync(), needsTerminal ? terminalMapAsync() : undefined]);
    pass.tmap = tmap;
    const recs = await scanProcessesAsync({ pids: list, rawFiles: pass.rawFiles, decoding: 'text' });
    let i = 0;
    while (i < recs.length) {
      const until = performance.now() + SLICE_MS;
      do this.#add(pass, recs[i++]!);
      while (i < recs.length && performance.now() < until);
      if (i < recs.length) await yieldToLoop();
    }
    return this.#finish(pass);
  }

  /** Forgets every process (tests; memory). */
  clear(): void {
    this.#table.clear();
  }

  /** How many processes the table holds. */
  get size(): number {
    return this.#table.size;
  }

  #pass(opts: ProcessIterOptions): Pass {
    const attrs = opts.attrs === undefined ? undefined : resolveAttrs(opts.attrs);
    // Boot time is read again at each scan (psutil refreshes it in process_iter).
    cachedBootTime(true);
    return {
      attrs,
      rawFiles: attrs === undefined ? [] : sourcesOf(attrs).filter((s) => s !== 'stat'),
      adValue: opts.adValue ?? null,
      seen: new Set(),
      out: [],
      tmap: undefined,
    };
  }

  #add(pass: Pass, rec: ProcRecord): void {
    const pid = rec.tid;
    const st = rec.stat;
    let proc = this.#table.get(pid);
    if (proc === undefined || proc._ticks !== st.starttime) {
      proc = Process._fromStat(pid, st);
      this.#table.set(pid, proc);
    }
    if (pass.attrs !== undefined) {
      // The record's raw texts are this scan's own: the oneshot cache takes the map over.
      const cache: OneshotCache = { text: (rec.raw as Map<string, string | number> | null) ?? new Map(), stat: st };
      cache.terminals = pass.terminals ??= () => (pass.tmap ??= terminalMap());
      const p = proc;
      try {
        p.info = p._withCache(cache, () => p._collect(pass.attrs!, pass.adValue));
      } catch (e) {
        // Gone while we read it: not listed, as in psutil.
        if (e instanceof NoSuchProcess) {
          this.#table.delete(pid);
          return;
        }
        throw e;
      }
    }
    pass.seen.add(pid);
    pass.out.push(proc);
  }

  /** Drops the processes that are gone from the table. */
  #finish(pass: Pass): Process[] {
    for (const pid of this.#table.keys()) if (!pass.seen.has(pid)) this.#table.delete(pid);
    return pass.out;
  }
}

/** The table behind the module-level processIter() and clearProcessTable(). */
export const defaultProcessTable = new ProcessTable();

/** psutil's process_iter on the default table (see ProcessTable.scan). */
export function processIter(opts: ProcessIterOptions = {}): Process[] {
  return defaultProcessTable.scan(opts);
}

/** Forgets the default table's processes (tests; memory). */
export function clearProcessTable(): void {
  defaultProcessTable.clear();
}
