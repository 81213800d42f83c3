/**
 * /proc/stat: the one parser and reader. psutil's cpu_times, cpu_stats
 * (system/cpu.ts) and boot_time (system/system.ts) are views of it.
 */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';
import { clockTicks } from '../base/sysconf.js';

/** psutil's scputimes for Linux: seconds spent in each mode since boot. */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  readonly steal: number;
  /** Time running guests; already included in `user`. */
  readonly guest: number;
  /** Time running niced guests; already included in `nice`. */
  readonly guestNice: number;
}

/** /proc/stat, parsed. */
export interface ProcStat {
  readonly total: CpuTimes;
  /** One entry per "cpuN" line, in file order (offline CPUs have no line). */
  readonly perCpu: CpuTimes[];
  readonly ctxt: number | undefined;
  /** Total interrupts (the first number of the "intr" line). */
  readonly intr: number | undefined;
  /** Total softirqs (the first number of the "softirq" line). */
  readonly softirq: number | undefined;
  /** Boot time, seconds since the epoch. */
  readonly btime: number | undefined;
  readonly processes: number | undefined;
  readonly procsRunning: number | undefined;
  readonly procsBlocked: number | undefined;
}

/** The columns of a "cpu" line, in the kernel's (and psutil's) order; the percent math sums in this order, as psutil does. */
export const CPU_TIME_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'] as const;

/** The one-number lines kept (their first number). */
const SINGLE = new Set(['ctxt', 'btime', 'processes', 'procs_running', 'procs_blocked', 'intr', 'softirq']);

function uint(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+$/.test(s)) throw new ParseError('stat', `${what}: expected a number, got ${JSON.stringify(s?.slice(0, 40))}`);
  return Number(s);
}

/**
 * Calls `fn` with the fields of each line whose first word `want`s (leading
 * blanks and runs of blanks tolerated); the other lines (the long intr line
 * when only btime is wanted) are not split.
 */
function eachLine(text: string, want: (key: string) => boolean, fn: (key: string, fields: string[]) => boolean | void): void {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const sp = line.search(/\s/);
    const key = sp < 0 ? line : line.slice(0, sp);
    if (want(key) && fn(key, line.split(/\s+/)) === false) return;
  }
}

function cpuLine(f: string[], ticks: number): CpuTimes {
  // Kernels before 2.5.41 have 4 columns, each later version adds some
  // (iowait, irq+softirq, steal, guest, guest_nice): the missing ones are 0.
  const n = f.length - 1;
  if (n < 4) throw new ParseError('stat', `${f[0]} line has ${n} fields, at least 4 expected`);
  const v: Record<string, number> = {};
  CPU_TIME_FIELDS.forEach((name, i) => {
    v[name] = i < n ? uint(f[i + 1], `${f[0]} ${name}`) / ticks : 0;
  });
  return v as unknown as CpuTimes;
}

/**
 * /proc/stat. CPU times are converted from clock ticks to seconds with
 * `ticks` (sysconf(_SC_CLK_TCK) by default). A missing "cpu" line is a ParseError.
 */
export function parseProcStat(text: string, ticks: number = clockTicks()): ProcStat {
  let total: CpuTimes | undefined;
  const perCpu: CpuTimes[] = [];
  const one: Record<string, number | undefined> = {};
  eachLine(
    text,
    (key) => key.startsWith('cpu') || SINGLE.has(key),
    (key, f) => {
      if (key === 'cpu') {
        if (!total) total = cpuLine(f, ticks);
      } else if (/^cpu\d+$/.test(key)) {
        perCpu.push(cpuLine(f, ticks));
      } else if (SINGLE.has(key)) {
        one[key] = uint(f[1], key);
      }
    },
  );
  if (!total) throw new ParseError('stat', 'no "cpu" line');
  return {
    total,
    perCpu,
    ctxt: one['ctxt'],
    intr: one['intr'],
    softirq: one['softirq'],
    btime: one['btime'],
    processes: one['processes'],
    procsRunning: one['procs_running'],
    procsBlocked: one['procs_blocked'],
  };
}

/**
 * Only the `btime` line of /proc/stat (boot time in whole seconds since the
 * epoch), as psutil's boot_time reads it: the other lines are not looked at.
 * ParseError when it is missing or not a number.
 */
export function parseBtime(text: string): number {
  let btime: number | undefined;
  eachLine(
    text,
    (key) => key === 'btime',
    (key, f) => {
      btime = uint(f[1], key);
      return false;
    },
  );
  if (btime === undefined) throw new ParseError('stat', "line 'btime' not found");
  return btime;
}

/** The procfs root's stat, parsed. */
export function readProcStat(): ProcStat {
  return parseProcStat(readText(procPath('stat')));
}

/** The boot time from the procfs root's stat (see parseBtime). */
export function readBtime(): number {
  return parseBtime(readText(procPath('stat')));
}
