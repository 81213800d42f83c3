/**
 * CPU: psutil's cpu_times(), cpu_percent(), cpu_times_percent(), cpu_count(),
 * cpu_stats(), cpu_freq() and getloadavg() for Linux, from /proc/stat,
 * /proc/cpuinfo, /proc/loadavg and /sys/devices/system/cpu.
 */
import { existsSync, readdirSync } from 'node:fs';
import { native } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { CPU_TIME_FIELDS as FIELDS, readProcStat, type CpuTimes } from '../procfs/stat.js';
import { roundHalfEven } from './memory.js';
import { procPath, sysPath } from '../base/paths.js';
import { readText, tryReadAttr, tryReadInt, tryReadText } from '../base/read.js';

// /proc/stat is read by procfs/stat.ts; its CPU times and record are part of this API.
export { parseProcStat, type CpuTimes, type ProcStat } from '../procfs/stat.js';

/** psutil's scpustats. */
export interface CpuStats {
  readonly ctxSwitches: number;
  readonly interrupts: number;
  readonly softInterrupts: number;
  /** Always 0 on Linux (as in psutil). */
  readonly syscalls: number;
}

/** psutil's scpufreq, in MHz. min and max are 0 when only /proc/cpuinfo knows the frequency. */
export interface CpuFreq {
  readonly current: number;
  readonly min: number;
  readonly max: number;
}

/** /proc/loadavg, parsed. */
export interface LoadAvg {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
  /** Runnable scheduling entities (the number before the slash). */
  readonly running: number | undefined;
  /** Scheduling entities that exist (the number after the slash). */
  readonly total: number | undefined;
  readonly lastPid: number | undefined;
}

export interface CpuTimesOptions {
  percpu?: boolean;
}

export interface CpuPercentOptions {
  /**
   * Seconds to sample over. > 0 blocks (or waits, for the async variants)
   * that long; 0, null or undefined compares with this sampler's previous
   * call (the first call returns 0).
   */
  interval?: number | null;
  percpu?: boolean;
}

export interface CpuFreqOptions {
  percpu?: boolean;
}

export interface CpuCountOptions {
  /** true (default): logical CPUs online; false: physical cores. */
  logical?: boolean;
}

type Field = (typeof FIELDS)[number];

// ------------------------------------------------------------------ parsers

/** /proc/loadavg: "0.23 0.12 0.05 2/86 3811". */
export function parseLoadavg(text: string): LoadAvg {
  const f = text.trim().split(/\s+/);
  const load = (i: number): number => {
    const s = f[i];
    if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) throw new ParseError('loadavg', `field ${i + 1}: expected a load average, got ${JSON.stringify(s?.slice(0, 40))}`);
    return Number(s);
  };
  const load1 = load(0);
  const load5 = load(1);
  const load15 = load(2);
  const rt = /^(\d+)\/(\d+)$/.exec(f[3] ?? '');
  const last = f[4] !== undefined && /^\d+$/.test(f[4]) ? Number(f[4]) : undefined;
  return { load1, load5, load15, running: rt ? Number(rt[1]) : undefined, total: rt ? Number(rt[2]) : undefined, lastPid: last };
}

/**
 * /proc/cpuinfo: one record per blank-line-separated block (one per
 * processor on x86 and arm64; some architectures add a trailing block of
 * machine-wide keys). Keys and values are trimmed; lines without a colon
 * are skipped.
 */
export function parseCpuinfo(text: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      cur = undefined;
      continue;
    }
    const i = line.indexOf(':');
    if (i < 0) continue;
    if (!cur) {
      cur = Object.create(null) as Record<string, string>;
      out.push(cur);
    }
    cur[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function field(rec: Record<string, string>, name: string): string | undefined {
  for (const k in rec) if (k.toLowerCase() === name) return rec[k];
  return undefined;
}

// ----------------------------------------------------------------- cpu_times

/** System-wide CPU times in seconds, or one entry per CPU with `{ percpu: true }`. */
export function cpuTimes(opts: CpuTimesOptions & { percpu: true }): CpuTimes[];
export function cpuTimes(opts?: CpuTimesOptions & { percpu?: false }): CpuTimes;
export function cpuTimes(opts?: CpuTimesOptions): CpuTimes | CpuTimes[];
export function cpuTimes(opts: CpuTimesOptions = {}): CpuTimes | CpuTimes[] {
  const st = readProcStat();
  return opts.percpu ? st.perCpu : st.total;
}

// ---------------------------------------------------------------- percentages

/** Per-mode time between two samples; a counter that went backwards counts 0. */
export function cpuTimesDelta(t1: CpuTimes, t2: CpuTimes): Record<Field, number> {
  // Counters can go backwards (iowait, steal on some hypervisors): a
  // negative delta counts as 0, as psutil and top do.
  const d = {} as Record<Field, number>;
  for (const f of FIELDS) d[f] = Math.max(0, t2[f] - t1[f]);
  return d;
}

/** Total time: the sum of all fields minus guest and guestNice, which user and nice already include. */
function totalTime(d: Record<Field, number>): number {
  let tot = 0;
  for (const f of FIELDS) tot += d[f];
  tot -= d.guest;
  tot -= d.guestNice;
  return tot;
}

/**
 * Busy percent between two samples, psutil's formula: busy = total − idle −
 * iowait over total, rounded to one decimal like Python's round(); 0 when no
 * time passed. Clamped to [0, 100] (psutil is not, but only a torn read —
 * guest moving without user — can leave that range).
 */
export function cpuPercentFromTimes(t1: CpuTimes, t2: CpuTimes): number {
  const d = cpuTimesDelta(t1, t2);
  const all = totalTime(d);
  if (all === 0) return 0;
  let busy = all;
  busy -= d.idle;
  busy -= d.iowait;
  return Math.min(100, Math.max(0, roundHalfEven((busy / all) * 100, 1)));
}

/**
 * Percent of the elapsed total time spent in each mode between two samples,
 * rounded to one decimal and clamped to [0, 100]. guest/guestNice are
 * reported too, as shares of the same total (they overlap user/nice).
 *
 * psutil divides by max(1, total), which silently shrinks every percentage
 * when less than one CPU-second elapsed (psutil issue 1586: interval=0.2 on 2
 * CPUs gives idle=40.0). Here a total of 0 gives all zeros and any other
 * total is used as is; for totals ≥ 1 s the two agree exactly.
 */
export function cpuTimesPercentFromTimes(t1: CpuTimes, t2: CpuTimes): CpuTimes {
  const d = cpuTimesDelta(t1, t2);
  const all = totalTime(d);
  const scale = all > 0 ? 100 / all : 0;
  const out = {} as Record<Field, number>;
  for (const f of FIELDS) out[f] = Math.min(100, Math.max(0, roundHalfEven(d[f] * scale, 1)));
  return out;
}

// ------------------------------------------------------------------ cpu_count

/**
 * Logical CPUs counted from /proc/cpuinfo "processor" lines, else from
 * /proc/stat "cpuN" lines (psutil's fallbacks when sysconf cannot tell);
 * null when neither says.
 */
export function countLogicalCpus(cpuinfo: string | undefined, stat: string | undefined): number | null {
  let n = 0;
  if (cpuinfo !== undefined) for (const line of cpuinfo.split('\n')) if (line.toLowerCase().startsWith('processor')) n++;
  if (n === 0 && stat !== undefined) for (const line of stat.split('\n')) if (/^cpu\d/.test(line)) n++;
  return n > 0 ? n : null;
}

function cpuDirs(): string[] {
  try {
    return readdirSync(sysPath('devices/system/cpu')).filter((n) => /^cpu\d+$/.test(n));
  } catch {
    return [];
  }
}

/** Distinct sibling lists in sysfs topology: one per physical core. 0 when sysfs has none. */
function coresFromSysfs(): number {
  const cpus = cpuDirs();
  // core_cpus_list replaced thread_siblings_list (5.7); use the old one only when the new one is absent.
  for (const file of ['core_cpus_list', 'thread_siblings_list']) {
    const lists = new Set<string>();
    for (const c of cpus) {
      const t = tryReadText(sysPath('devices/system/cpu', c, 'topology', file));
      if (t !== undefined) lists.add(t.trim());
    }
    if (lists.size > 0) return lists.size;
  }
  return 0;
}

/** Physical cores from /proc/cpuinfo: distinct (physical id, core id) pairs, else psutil's sum of "cpu cores" per socket. */
function coresFromCpuinfo(records: Record<string, string>[]): number {
  const pairs = new Set<string>();
  const perSocket = new Map<string, number>();
  for (const r of records) {
    const pkg = field(r, 'physical id');
    const core = field(r, 'core id');
    const cores = field(r, 'cpu cores');
    if (pkg !== undefined && core !== undefined) pairs.add(`${pkg}/${core}`);
    if (pkg !== undefined && cores !== undefined && /^\d+$/.test(cores)) perSocket.set(pkg, Number(cores));
  }
  if (pairs.size > 0) return pairs.size;
  let sum = 0;
  for (const n of perSocket.values()) sum += n;
  return sum;
}

/**
 * psutil.cpu_count(). Logical: CPUs online (sysconf(_SC_NPROCESSORS_ONLN),
 * as psutil). Physical (`logical: false`): distinct core sibling lists in
 * /sys/devices/system/cpu/cpu*\/topology, else /proc/cpuinfo. null when
 * unknown.
 */
export function cpuCount(opts: CpuCountOptions = {}): number | null {
  if (opts.logical ?? true) {
    const n = native.sysconf().nprocessorsOnln;
    if (n >= 1) return n;
    return countLogicalCpus(tryReadText(procPath('cpuinfo')), tryReadText(procPath('stat')));
  }
  const n = coresFromSysfs();
  if (n >= 1) return n;
  const info = tryReadText(procPath('cpuinfo'));
  const m = info === undefined ? 0 : coresFromCpuinfo(parseCpuinfo(info));
  return m >= 1 ? m : null;
}

// ------------------------------------------------------------------ cpu_stats

/** psutil.cpu_stats() from /proc/stat; a counter the kernel does not show is 0. */
export function cpuStats(): CpuStats {
  const st = readProcStat();
  return { ctxSwitches: st.ctxt ?? 0, interrupts: st.intr ?? 0, softInterrupts: st.softirq ?? 0, syscalls: 0 };
}

// ------------------------------------------------------------------- cpu_freq

/** The per-processor frequencies /proc/cpuinfo reports, in MHz, in order. */
function cpuinfoFreqs(records: Record<string, string>[]): number[] {
  const out: number[] = [];
  for (const r of records) {
    for (const k in r) {
      // x86 says "cpu MHz", powerpc "clock" (with a MHz suffix), s390x
      // "cpu MHz dynamic" (and a "static" one, skipped) — as psutil reads them.
      const key = k.toLowerCase();
      if (key !== 'cpu mhz' && key !== 'clock' && key !== 'cpu mhz dynamic') continue;
      const v = r[k]!.replace(/\s*MHz$/i, '');
      if (/^\d+(\.\d+)?$/.test(v)) out.push(Number(v));
    }
  }
  return out;
}

/** cpufreq policy directories, each with the CPUs it governs. */
function cpufreqPolicies(): Map<number, string> | undefined {
  const base = sysPath('devices/system/cpu');
  let dirs: { path: string; num: number }[] = [];
  try {
    dirs = readdirSync(sysPath('devices/system/cpu/cpufreq'))
      .filter((n) => /^policy\d+$/.test(n))
      .map((n) => ({ path: sysPath('devices/system/cpu/cpufreq', n), num: Number(n.slice(6)) }));
  } catch {
    // no cpufreq directory
  }
  if (dirs.length === 0) {
    // Kernels before 4.3 have only cpuN/cpufreq.
    dirs = cpuDirs()
      .map((n) => ({ path: `${base}/${n}/cpufreq`, num: Number(n.slice(3)) }))
      .filter((d) => existsSync(d.path));
  }
  if (dirs.length === 0) return undefined;
  // One policy may govern several CPUs (psutil issue 2512): map every CPU it
  // lists to it; offline CPUs are listed by no policy.
  const byCpu = new Map<number, string>();
  for (const d of dirs) {
    const affected = tryReadAttr(d.path + '/affected_cpus');
    if (affected === undefined) byCpu.set(d.num, d.path);
    else for (const c of affected.split(/\s+/)) if (/^\d+$/.test(c)) byCpu.set(Number(c), d.path);
  }
  return byCpu;
}

function perCpuFreq(): CpuFreq[] {
  const info = tryReadText(procPath('cpuinfo'));
  const fromInfo = info === undefined ? [] : cpuinfoFreqs(parseCpuinfo(info));
  const policies = cpufreqPolicies();
  if (!policies) return fromInfo.map((mhz) => ({ current: mhz, min: 0, max: 0 }));
  const out: CpuFreq[] = [];
  const cpus = [...policies.keys()].sort((a, b) => a - b);
  cpus.forEach((cpu, i) => {
    const dir = policies.get(cpu)!;
    // When cpuinfo has one value per CPU, psutil takes it: reading
    // scaling_cur_freq is slow on some machines (psutil issue 1851). kHz
    // truncated to an integer as psutil does.
    let khz: number | undefined = fromInfo.length === cpus.length ? Math.trunc(fromInfo[i]! * 1000) : tryReadInt(dir + '/scaling_cur_freq');
    khz ??= tryReadInt(dir + '/cpuinfo_cur_freq');
    // Without a current frequency (an offline CPU), psutil 7+ skips the CPU
    // (and raises NotImplementedError otherwise); it is skipped here too.
    if (khz === undefined) return;
    out.push({
      current: khz / 1000,
      min: (tryReadInt(dir + '/scaling_min_freq') ?? 0) / 1000,
      max: (tryReadInt(dir + '/scaling_max_freq') ?? 0) / 1000,
    });
  });
  return out;
}

/**
 * psutil.cpu_freq(), in MHz: from cpufreq in sysfs (scaling_min/max_freq,
 * current from /proc/cpuinfo or scaling_cur_freq/cpuinfo_cur_freq), else
 * /proc/cpuinfo alone with min = max = 0. Without percpu, psutil's
 * aggregate: the average of current, min and max over the CPUs (the single
 * entry when there is one), null when nothing reports a frequency. With
 * percpu, the list (empty when nothing reports).
 */
export function cpuFreq(opts: CpuFreqOptions & { percpu: true }): CpuFreq[];
export function cpuFreq(opts?: CpuFreqOptions & { percpu?: false }): CpuFreq | null;
export function cpuFreq(opts?: CpuFreqOptions): CpuFreq | CpuFreq[] | null;
export function cpuFreq(opts: CpuFreqOptions = {}): CpuFreq | CpuFreq[] | null {
  const all = perCpuFreq();
  if (opts.percpu) return all;
  if (all.length === 0) return null;
  if (all.length === 1) return all[0]!;
  let cur = 0;
  let min = 0;
  let max = 0;
  for (const f of all) {
    cur += f.current;
    min += f.min;
    max += f.max;
  }
  return { current: cur / all.length, min: min / all.length, max: max / all.length };
}

// ----------------------------------------------------------------- getloadavg

/** psutil.getloadavg(): the 1, 5 and 15 minute load averages. */
export function getloadavg(): [number, number, number] {
  const l = parseLoadavg(readText(procPath('loadavg')));
  return [l.load1, l.load5, l.load15];
}
