/**
 * System memory: psutil's virtual_memory() and swap_memory() for Linux, from
 * /proc/meminfo (read by procfs/meminfo.ts), /proc/vmstat and (on kernels without MemAvailable)
 * /proc/zoneinfo.
 */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { tryReadText } from '../base/read.js';
import { pageSize } from '../base/sysconf.js';
import { readMeminfo } from '../procfs/meminfo.js';

/** psutil's svmem (Linux fields), in bytes; percent is 0-100. */
export interface VirtualMemory {
  /** MemTotal. */
  readonly total: number;
  /** MemAvailable (or the kernel's estimate on kernels that lack it). */
  readonly available: number;
  /** (total - available) / total, rounded to one decimal. */
  readonly percent: number;
  /** total - available (procps-ng >= 4.0.1 and psutil >= 7.1). */
  readonly used: number;
  /** MemFree. */
  readonly free: number;
  readonly active: number;
  readonly inactive: number;
  readonly buffers: number;
  /** Cached + SReclaimable, as `free` shows it. */
  readonly cached: number;
  /** Shmem (MemShared on 2.4 kernels). */
  readonly shared: number;
  readonly slab: number;
}

/** psutil's sswap, in bytes; percent is 0-100. */
export interface SwapMemory {
  readonly total: number;
  readonly used: number;
  readonly free: number;
  readonly percent: number;
  /** Bytes swapped in since boot (pswpin pages). */
  readonly sin: number;
  /** Bytes swapped out since boot (pswpout pages). */
  readonly sout: number;
}

/**
 * Python's round(x, ndigits): the decimal nearest to the exact binary value,
 * ties (only possible when the binary value is exactly halfway) to even.
 * JavaScript's toFixed rounds such ties away from zero, so they are handled
 * here.
 */
export function roundHalfEven(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || ndigits < 0 || ndigits > 20 || Math.abs(x) * 10 ** ndigits >= 2 ** 52) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  // toFixed(100) is exact for every double of this magnitude that could tie.
  const exact = a.toFixed(100);
  const dot = exact.indexOf('.');
  const frac = exact.slice(dot + 1);
  const tie = frac[ndigits] === '5' && /^0*$/.test(frac.slice(ndigits + 1));
  if (!tie) return sign * Number(a.toFixed(ndigits));
  let n = BigInt(exact.slice(0, dot) + frac.slice(0, ndigits));
  if (n % 2n === 1n) n += 1n;
  return (sign * Number(n)) / 10 ** ndigits;
}

/** psutil's usage_percent(): used / total × 100, 0 when total is 0, rounded like Python. */
export function usagePercent(used: number, total: number, ndigits?: number): number {
  if (total === 0) return 0;
  const p = (used / total) * 100;
  return ndigits === undefined ? p : roundHalfEven(p, ndigits);
}

/** /proc/vmstat as `{ name: value }`. */
export function parseVmstat(text: string): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\S+)\s+(-?\d+)$/.exec(line);
    if (!m) throw new ParseError('vmstat', `unexpected line ${JSON.stringify(line.slice(0, 80))}`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/**
 * The sum, in pages, of every zone's "low" watermark in /proc/zoneinfo (what
 * the kernel subtracts when it estimates available memory).
 */
export function parseZoneinfo(text: string): number {
  let sum = 0;
  let found = false;
  for (const raw of text.split('\n')) {
    const f = raw.trim().split(/\s+/);
    if (f[0] !== 'low') continue;
    if (f.length !== 2 || !/^\d+$/.test(f[1]!)) throw new ParseError('zoneinfo', `bad watermark line ${JSON.stringify(raw.trim().slice(0, 80))}`);
    sum += Number(f[1]);
    found = true;
  }
  if (!found) throw new ParseError('zoneinfo', 'no "low" watermark lines');
  return sum;
}

/**
 * The kernel's MemAvailable estimate (commit 34e431b0ae39), for kernels
 * before 3.14 or when MemAvailable reads 0, as psutil computes it: free
 * memory above the low watermarks, plus the part of the page cache and of
 * reclaimable slab that could be freed without going below them. Without
 * the inputs it needs, psutil's fallback: MemFree + Cached.
 */
function estimateAvailable(m: Record<string, number>, free: number): number {
  const fallback = free + (m['Cached'] ?? 0);
  const activeFile = m['Active(file)'];
  const inactiveFile = m['Inactive(file)'];
  const slabReclaimable = m['SReclaimable'];
  if (activeFile === undefined || inactiveFile === undefined || slabReclaimable === undefined) return fallback;
  const zoneinfo = tryReadText(procPath('zoneinfo'));
  if (zoneinfo === undefined) return fallback;
  let lowPages: number;
  try {
    lowPages = parseZoneinfo(zoneinfo);
  } catch (e) {
    if (e instanceof ParseError) return fallback;
    throw e;
  }
  const low = lowPages * pageSize();
  let avail = free - low;
  let pagecache = activeFile + inactiveFile;
  pagecache -= Math.min(pagecache / 2, low);
  avail += pagecache;
  avail += slabReclaimable - Math.min(slabReclaimable / 2, low);
  return Math.trunc(avail);
}

function required(m: Record<string, number>, key: string): number {
  const v = m[key];
  if (v === undefined) throw new ParseError('meminfo', `${key} is missing`);
  return v;
}

/** Computes svmem from parsed meminfo (zoneinfo is read only when the estimate is needed). */
function virtualMemoryFrom(m: Record<string, number>): VirtualMemory {
  const total = required(m, 'MemTotal');
  const free = required(m, 'MemFree');
  const buffers = m['Buffers'] ?? 0;
  // `free` adds reclaimable slab to the page cache (procps-ng since 3.3.10).
  const cached = m['Cached'] === undefined ? 0 : m['Cached'] + (m['SReclaimable'] ?? 0);
  const shared = m['Shmem'] ?? m['MemShared'] ?? 0;
  const active = m['Active'] ?? 0;
  let inactive = m['Inactive'];
  if (inactive === undefined) {
    // 2.4 kernels with rmap split it in three.
    const d = m['Inact_dirty'];
    const c = m['Inact_clean'];
    const l = m['Inact_laundry'];
    inactive = d !== undefined && c !== undefined && l !== undefined ? d + c + l : 0;
  }
  const slab = m['Slab'] ?? 0;

  let available = m['MemAvailable'];
  // MemAvailable is missing before 3.14, and reads 0 on some kernels
  // (psutil issue 1915): estimate it then.
  if (available === undefined || available === 0) available = estimateAvailable(m, free);
  if (available < 0) available = 0;
  // More available than total happens in containers (LXCFS): procps-ng and
  // psutil fall back to MemFree.
  else if (available > total) available = Math.min(free, total);

  const used = total - available;
  return {
    total,
    available,
    percent: usagePercent(total - available, total, 1),
    used,
    free,
    active,
    inactive,
    buffers,
    cached,
    shared,
    slab,
  };
}

/** System memory statistics (psutil.virtual_memory()). */
export function virtualMemory(): VirtualMemory {
  return virtualMemoryFrom(readMeminfo());
}

/**
 * Swap statistics (psutil.swap_memory()). sin/sout are the pswpin/pswpout
 * page counters of /proc/vmstat times the page size (psutil multiplies by a
 * fixed 4096, which is the page size on x86; the kernel counts pages).
 */
export function swapMemory(): SwapMemory {
  const m = readMeminfo();
  // psutil asks sysinfo(2) when these are missing; meminfo has had them
  // since 2.4, so a missing pair means no swap support: 0.
  const total = m['SwapTotal'] ?? 0;
  const free = m['SwapFree'] ?? 0;
  const used = total - free;
  let sin = 0;
  let sout = 0;
  const vmstat = tryReadText(procPath('vmstat'));
  if (vmstat !== undefined) {
    const v = parseVmstat(vmstat);
    sin = (v['pswpin'] ?? 0) * pageSize();
    sout = (v['pswpout'] ?? 0) * pageSize();
  }
  return { total, used, free, percent: usagePercent(used, total, 1), sin, sout };
}
