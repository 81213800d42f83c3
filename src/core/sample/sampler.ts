/**
 * The Sampler: state between two scans, in an instance its caller owns.
 *
 * top, iotop, ptop and the exporter all need the same thing: two looks at the
 * system some time apart, and what changed in between. A Sampler keeps the
 * previous look (processes keyed by task id *and* start time, so a recycled
 * pid is a new task, never a delta against a stranger; CPU, disk and network
 * counters) and turns each new look into rates. Two Samplers in one process
 * keep separate histories; one-shot commands never create one.
 *
 * Per-task %CPU is procps top's: the task's utime+stime ticks since the last
 * sample, scaled by the time between the two samples as /proc/uptime measures
 * it (top's `Frame_etscale`: 100 / (Hz × elapsed), over the CPU count as well
 * outside Irix mode). Like top (procps-ng 4.0.2's libproc2 history), a task
 * not seen before counts every tick it has used since it started, and the
 * first sample measures elapsed time from boot.
 */
import { clockTicks } from '../base/sysconf.js';
import { scanProcesses, type ProcRecord, type ScanSource } from '../process/scan.js';
import { cpuCount, cpuTimes, cpuTimesDelta, cpuTimesPercentFromTimes, type CpuTimes } from '../system/cpu.js';
import { diskIoCounters, type DiskIoCounters } from '../system/disk.js';
import { uptime } from '../system/uptime.js';
import { netIoCounters, type NetIoCounters } from '../net/net.js';
import { Nowrap } from './wrap.js';
import { readMeminfo } from '../procfs/meminfo.js';

export interface SamplerOptions {
  /** Sample every thread (top -H) instead of every process. */
  readonly threads?: boolean;
  /** What to read besides stat (always read): 'io' for I/O rates, 'status', 'statm', 'cmdline', … */
  readonly sources?: Iterable<ScanSource>;
  /** Only these pids (top -p). */
  readonly pids?: readonly number[];
  /**
   * top's Irix mode (its default, and Debian's): a task's %CPU is relative to
   * one CPU, so a task with two busy threads shows 200. Off (Solaris mode):
   * relative to the whole machine.
   */
  readonly irix?: boolean;
}

/** One task in a sample, with what changed since the previous one. */
export interface TaskSample {
  readonly record: ProcRecord;
  /** Not in the previous sample (same tid and start time): its deltas count from its start. */
  readonly isNew: boolean;
  /** utime + stime ticks since the previous sample (every tick so far when new). */
  readonly cpuTicks: number;
  /** top's %CPU: cpuTicks × 100 / (Hz × elapsed [× CPUs outside Irix mode]). */
  readonly cpuPercent: number;
  /** Minor and major page faults since the previous sample (0 when new, as top shows). */
  readonly minfltDelta: number;
  readonly majfltDelta: number;
  /** Bytes per second since the previous sample, from /proc/PID/io; null when 'io' is not sampled, unreadable or new. */
  readonly io: IoRates | null;
}

export interface IoRates {
  /** Bytes the task caused to be read from storage, per second. */
  readonly readBytesPerSec: number;
  /** Bytes the task caused to be written (to the page cache), per second. */
  readonly writeBytesPerSec: number;
  readonly cancelledWriteBytesPerSec: number;
  /** read()/write() bytes per second, storage or not (rchar/wchar). */
  readonly rcharPerSec: number;
  readonly wcharPerSec: number;
}

/** Tasks by state, as top's Tasks:/Threads: line counts them (libproc2's tally). */
export interface TaskCounts {
  readonly total: number;
  /** R */
  readonly running: number;
  /** S and D */
  readonly sleeping: number;
  /** T and t */
  readonly stopped: number;
  /** Z */
  readonly zombie: number;
  /** Everything else: I (idle kernel threads), P, X — top adds these to sleeping. */
  readonly other: number;
}

/** Memory as top's summary shows it, in bytes (from /proc/meminfo). */
export interface MemorySummary {
  readonly total: number;
  readonly free: number;
  /** MemTotal − MemAvailable. */
  readonly used: number;
  /** Buffers + Cached + SReclaimable. */
  readonly buffCache: number;
  readonly available: number;
  readonly swapTotal: number;
  readonly swapFree: number;
  readonly swapUsed: number;
}

/** Counts a sample's tasks by state. */
export function countTasks(tasks: readonly { readonly record: ProcRecord }[]): TaskCounts {
  let running = 0;
  let sleeping = 0;
  let stopped = 0;
  let zombie = 0;
  let other = 0;
  for (const t of tasks) {
    switch (t.record.stat.state) {
      case 'R':
        running++;
        break;
      case 'S':
      case 'D':
        sleeping++;
        break;
      case 'T':
      case 't':
        stopped++;
        break;
      case 'Z':
        zombie++;
        break;
      default:
        other++;
    }
  }
  return { total: tasks.length, running, sleeping, stopped, zombie, other };
}

/** top's memory figures from /proc/meminfo (bytes). */
export function memorySummary(): MemorySummary {
  const m = readMeminfo();
  const total = m.MemTotal ?? 0;
  const free = m.MemFree ?? 0;
  const available = m.MemAvailable ?? free;
  const swapTotal = m.SwapTotal ?? 0;
  const swapFree = m.SwapFree ?? 0;
  return {
    total,
    free,
    used: total - available,
    buffCache: (m.Buffers ?? 0) + (m.Cached ?? 0) + (m.SReclaimable ?? 0),
    available,
    swapTotal,
    swapFree,
    swapUsed: swapTotal - swapFree,
  };
}

/** The processes part of a sample. */
export interface ProcessesSample {
  /** /proc/uptime when the scan began, seconds. */
  readonly uptime: number;
  /** Seconds since the previous sample by /proc/uptime (from boot on the first; at least 0.005, as top floors it). */
  readonly elapsed: number;
  readonly tasks: readonly TaskSample[];
  /** The tasks by state (top's Tasks:/Threads: line). */
  readonly counts: TaskCounts;
}

/** CPU time deltas since the previous cpu() call, in seconds, and as percent of the interval. */
export interface CpuSample {
  readonly total: CpuTimes;
  readonly perCpu: readonly CpuTimes[];
  /** The deltas as percentages of all time spent (psutil's cpu_times_percent: one decimal); zeros on the first call. */
  readonly totalPercent: CpuTimes;
  readonly perCpuPercent: readonly CpuTimes[];
}

/** Per-second rates of a counter record, keyed by device or interface name. */
export type Rates<T> = Readonly<Record<string, T>>;

interface Hist {
  readonly start: number;
  readonly ticks: number;
  readonly minflt: number;
  readonly majflt: number;
  readonly io: readonly [number, number, number, number, number] | null;
}

interface CounterHist {
  readonly at: number;
  readonly values: Record<string, number[]>;
}

const DISK_FIELDS = ['readCount', 'writeCount', 'readBytes', 'writeBytes', 'readTime', 'writeTime', 'readMergedCount', 'writeMergedCount', 'busyTime'] as const;
const NET_FIELDS = ['bytesSent', 'bytesRecv', 'packetsSent', 'packetsRecv', 'errin', 'errout', 'dropin', 'dropout'] as const;

/** Floor of the elapsed time between two samples, as top sets it (et < 0.01 → 0.005). */
const MIN_ELAPSED = 0.005;

function ioTuple(r: ProcRecord): Hist['io'] {
  const io = r.io;
  return io ? [io.readBytes, io.writeBytes, io.cancelledWriteBytes, io.rchar, io.wchar] : null;
}

function zeroTimes(t: CpuTimes): CpuTimes {
  const out: Record<string, number> = {};
  for (const k of Object.keys(t)) out[k] = 0;
  return out as unknown as CpuTimes;
}

export class Sampler {
  readonly #opts: SamplerOptions;
  #tasks = new Map<number, Hist>();
  #uptime = 0;
  #cpu: { total: CpuTimes; perCpu: CpuTimes[] } | undefined;
  readonly #counters = new Map<string, CounterHist>();
  readonly #nowrap = new Nowrap();

  constructor(opts: SamplerOptions = {}) {
    this.#opts = { ...opts, sources: opts.sources ? [...opts.sources] : undefined };
  }

  /** Scans the processes (or threads) and returns each with its deltas since the previous call. */
  processes(): ProcessesSample {
    const now = uptime();
    const records = scanProcesses({ sources: this.#opts.sources, threads: this.#opts.threads, pids: this.#opts.pids });
    let elapsed = now - this.#uptime;
    if (elapsed < 0.01) elapsed = MIN_ELAPSED;
    this.#uptime = now;
    const hz = clockTicks();
    const irix = this.#opts.irix ?? true;
    const scale = 100 / (hz * elapsed * (irix ? 1 : (cpuCount() ?? 1)));
    const next = new Map<number, Hist>();
    const tasks: TaskSample[] = [];
    for (const record of records) {
      const st = record.stat;
      const ticks = st.utime + st.stime;
      const h: Hist = { start: st.starttime, ticks, minflt: st.minflt, majflt: st.majflt, io: ioTuple(record) };
      next.set(record.tid, h);
      const prev = this.#tasks.get(record.tid);
      const same = prev !== undefined && prev.start === h.start;
      const cpuTicks = same ? Math.max(0, ticks - prev.ticks) : ticks;
      let io: IoRates | null = null;
      if (same && h.io && prev.io) {
        const d = h.io.map((v, i) => Math.max(0, v - prev.io![i]!) / elapsed);
        io = { readBytesPerSec: d[0]!, writeBytesPerSec: d[1]!, cancelledWriteBytesPerSec: d[2]!, rcharPerSec: d[3]!, wcharPerSec: d[4]! };
      }
      tasks.push({
        record,
        isNew: !same,
        cpuTicks,
        cpuPercent: cpuTicks * scale,
        minfltDelta: same ? Math.max(0, h.minflt - prev.minflt) : 0,
        majfltDelta: same ? Math.max(0, h.majflt - prev.majflt) : 0,
        io,
      });
    }
    this.#tasks = next;
    return { uptime: now, elapsed, tasks, counts: countTasks(tasks) };
  }

  /** System-wide CPU time since the previous call (zeros on the first), total and per CPU. */
  cpu(): CpuSample {
    const total = cpuTimes();
    const perCpu = cpuTimes({ percpu: true });
    const prev = this.#cpu;
    this.#cpu = { total, perCpu };
    if (!prev) {
      const z = zeroTimes(total);
      return { total: z, perCpu: perCpu.map(() => z), totalPercent: z, perCpuPercent: perCpu.map(() => z) };
    }
    // A CPU that came online since the last call has no previous times: its delta counts from zero.
    const before = (t: CpuTimes, i: number) => prev.perCpu[i] ?? zeroTimes(t);
    return {
      total: cpuTimesDelta(prev.total, total),
      perCpu: perCpu.map((t, i) => cpuTimesDelta(before(t, i), t)),
      totalPercent: cpuTimesPercentFromTimes(prev.total, total),
      perCpuPercent: perCpu.map((t, i) => cpuTimesPercentFromTimes(before(t, i), t)),
    };
  }

  /** Per-disk rates since the previous call (per second; empty on the first call), wrap-adjusted in this Sampler's own history. */
  disks(): Rates<DiskIoCounters> {
    const raw = diskIoCounters({ perdisk: true, nowrap: false });
    return this.#rates<DiskIoCounters>('disk', raw, DISK_FIELDS);
  }

  /** Per-interface rates since the previous call (per second; empty on the first call), wrap-adjusted in this Sampler's own history. */
  nics(): Rates<NetIoCounters> {
    const raw = netIoCounters({ pernic: true, nowrap: false });
    return this.#rates<NetIoCounters>('net', raw, NET_FIELDS);
  }

  /** Memory and swap as top's summary shows them (no history: every call reads /proc/meminfo). */
  memory(): MemorySummary {
    return memorySummary();
  }

  /** Forgets every history: the next call of each method is a first call again. */
  reset(): void {
    this.#tasks = new Map();
    this.#uptime = 0;
    this.#cpu = undefined;
    this.#counters.clear();
    this.#nowrap.reset();
  }

  #rates<T>(name: string, raw: Readonly<Record<string, T>>, fields: readonly (keyof T & string)[]): Rates<T> {
    const tuples: Record<string, number[]> = {};
    for (const [key, rec] of Object.entries(raw)) tuples[key] = fields.map((f) => Number(rec[f]));
    const values = this.#nowrap.apply(tuples, name);
    const at = uptime();
    const prev = this.#counters.get(name);
    this.#counters.set(name, { at, values });
    const out: Record<string, T> = {};
    if (!prev) return out;
    const dt = Math.max(at - prev.at, MIN_ELAPSED);
    for (const [key, v] of Object.entries(values)) {
      const old = prev.values[key];
      if (!old) continue;
      const r: Record<string, number> = {};
      fields.forEach((f, i) => {
        r[f] = Math.max(0, v[i]! - old[i]!) / dt;
      });
      out[key] = r as T;
    }
    return out;
  }
}
