/**
 * psutil's process_iter with a bulk scanner: one native call reads the /proc
 * files the requested attributes need, for every process; TypeScript parses
 * and seeds each Process's oneshot cache from those bytes. Also children()
 * from one bulk read of every stat.
 */
import { BulkScratch, bulkSlot, type BulkRead } from '../../native/index.js';
import { NoSuchProcess } from '../base/errors.js';
import { getProcfsPath } from '../base/paths.js';
import { pids } from './pids.js';
import { cachedBootTime, Process, resolveAttrs, sourcesOf, type OneshotCache } from './process.js';
import { parseStat, type PidStat } from '../procfs/pid.js';
import { terminalMap, type TerminalMap } from './terminal.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

/** Children (or descendants) of `proc` from one bulk read of every pid's stat. @internal */
export function childrenFrom(proc: Process, list: readonly number[], bulk: BulkRead, recursive: boolean): Process[] {
  const stats = new Map<number, PidStat>();
  const byParent = new Map<number, number[]>();
  list.forEach((pid, i) => {
    const slot = bulkSlot(bulk, i);
    if (typeof slot === 'number') return;
    const st = parseStat(decodeSurrogateEscape(slot));
    stats.set(pid, st);
    const kids = byParent.get(st.ppid);
    if (kids) kids.push(pid);
    else byParent.set(st.ppid, [pid]);
  });
  const out: Process[] = [];
  const seen = new Set<number>();
  const stack = [proc.pid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    // pids are reused while the map is read: the "tree" may have a cycle.
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const kid of byParent.get(pid) ?? []) {
      const st = stats.get(kid)!;
      // A child older than its parent took a reused pid.
      if (st.starttime < proc._ticks) continue;
      out.push(Process._fromStat(kid, st));
      if (recursive) stack.push(kid);
    }
    if (!recursive) break;
  }
  return out;
}

export interface ProcessIterOptions {
  /** Collect these attributes into each Process's `info` (as asDict); [] means all. */
  readonly attrs?: readonly string[];
  /** The value for attributes that raised AccessDenied or ZombieProcess (default null). */
  readonly adValue?: unknown;
}

/** Reused by the synchronous scan (its bytes are decoded before it returns): a loop of scans allocates no Buffers. */
const scanScratch = new BulkScratch();
/** For children(): every pid's stat. @internal */
export const childrenScratch = new BulkScratch();

/** Processes seen by processIter, by pid; a cached one is reused only while its start time matches. */
const table = new Map<number, Process>();

/** @internal One scan: the pids, the files read for each, and what the attrs need. */
export interface Scan {
  readonly pids: number[];
  readonly sources: string[];
  readonly attrs: Array<[string, string]> | undefined;
  readonly adValue: unknown;
  readonly seen: Set<number>;
  readonly out: Process[];
  tmap: TerminalMap | undefined;
  terminals?: () => TerminalMap;
}

/** @internal The attrs and sources of a scan, before the pids are listed. */
export function scanPlan(opts: ProcessIterOptions): { attrs: Array<[string, string]> | undefined; sources: string[]; needsTerminal: boolean } {
  const attrs = opts.attrs === undefined ? undefined : resolveAttrs(opts.attrs);
  return {
    attrs,
    sources: attrs === undefined ? ['stat'] : sourcesOf(attrs),
    needsTerminal: attrs !== undefined && attrs.some(([, a]) => a === 'terminal'),
  };
}

/** @internal A scan over `pidList` (tmap: a terminal map built beforehand; else built on first need). */
export function scanPrepare(opts: ProcessIterOptions, pidList: number[] = pids(), tmap?: TerminalMap): Scan {
  const plan = scanPlan(opts);
  cachedBootTime(true);
  return {
    pids: pidList,
    sources: plan.sources,
    attrs: plan.attrs,
    adValue: opts.adValue ?? null,
    seen: new Set(),
    out: [],
    tmap,
  };
}

/** @internal Handles pid number i of the scan from the bulk read. */
export function scanOne(scan: Scan, bulk: BulkRead, i: number): void {
  const pid = scan.pids[i]!;
  const n = scan.sources.length;
  const base = i * n;
  const slots = bulk.slots;
  const statLen = slots[2 * base + 1]!;
  // No stat: the process ended since the pids were listed.
  if (statLen < 0) return;
  const statOff = slots[2 * base]!;
  const st = parseStat(decodeSurrogateEscape(bulk.data.subarray(statOff, statOff + statLen)));
  let proc = table.get(pid);
  if (proc === undefined || proc._ticks !== st.starttime) {
    proc = Process._fromStat(pid, st);
    table.set(pid, proc);
  }
  if (scan.attrs !== undefined) {
    const cache: OneshotCache = { text: new Map(), stat: st };
    for (let k = 1; k < n; k++) {
      const off = slots[2 * (base + k)]!;
      const len = slots[2 * (base + k) + 1]!;
      cache.text.set(scan.sources[k]!, len < 0 ? len : decodeSurrogateEscape(bulk.data.subarray(off, off + len)));
    }
    cache.terminals = scan.terminals ??= () => (scan.tmap ??= terminalMap());
    const p = proc;
    try {
      p.info = p._withCache(cache, () => p._collect(scan.attrs!, scan.adValue));
    } catch (e) {
      // Gone while we read it: not listed, as in psutil.
      if (e instanceof NoSuchProcess) {
        table.delete(pid);
        return;
      }
      throw e;
    }
  }
  scan.seen.add(pid);
  scan.out.push(proc);
}

/** @internal Drops the processes that are gone from the table. */
export function scanFinish(scan: Scan): Process[] {
  for (const pid of table.keys()) if (!scan.seen.has(pid)) table.delete(pid);
  return scan.out;
}

/**
 * Every process, by ascending pid (psutil's process_iter). Process objects
 * are kept between calls (so cpuPercent() measures since the last call) and
 * replaced when a pid is reused. With `attrs`, each gets `info` (as
 * asDict), read by one bulk call for every process: only the /proc files
 * the attrs need. Processes that end during the scan are left out.
 */
export function processIter(opts: ProcessIterOptions = {}): Process[] {
  const scan = scanPrepare(opts);
  const bulk = scanScratch.read(getProcfsPath(), scan.pids, scan.sources);
  for (let i = 0; i < scan.pids.length; i++) scanOne(scan, bulk, i);
  return scanFinish(scan);
}

/** Forgets processIter's table (tests; memory). */
export function clearProcessTable(): void {
  table.clear();
}
