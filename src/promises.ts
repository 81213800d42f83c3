/**
 * `ptools/promises`: the names of `ptools`, returning Promises.
 *
 * Cheap reads of one small /proc file (memory, load, boot time, CPU times)
 * run inline. Everything that scans many files, calls ioctls or statvfs, or
 * may block (sensors, partitions, interfaces, disk usage on a hung mount) runs
 * on a worker thread, so the caller's event loop never waits on the kernel.
 * cpuPercent/cpuTimesPercent with an interval sleep with a timer, not a block.
 */
import * as core from './core/index.js';
import { callRemote, stopWorker } from './core/async/remote.js';
import type {
  CpuFreq, CpuTimes, CpuStats, DiskIoCounters, DiskPartition, DiskUsage, NetIoCounters, SnicAddr, SnicStats,
  SwapMemory, VirtualMemory, User, Temperature, Fan, Battery,
} from './core/index.js';

// Constants, errors and the roots: the same values as the synchronous API's.
export {
  AF_INET, AF_INET6, AF_LINK, AF_PACKET, AF_UNIX, CONN_CLOSE, CONN_CLOSE_WAIT, CONN_CLOSING, CONN_ESTABLISHED,
  CONN_FIN_WAIT1, CONN_FIN_WAIT2, CONN_LAST_ACK, CONN_LISTEN, CONN_NONE, CONN_SYN_RECV, CONN_SYN_SENT,
  CONN_TIME_WAIT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, NIC_DUPLEX_FULL,
  NIC_DUPLEX_HALF, NIC_DUPLEX_UNKNOWN, POWER_TIME_UNKNOWN, POWER_TIME_UNLIMITED, RLIMIT_AS, RLIMIT_CORE, RLIMIT_CPU,
  RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_LOCKS, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_NOFILE, RLIMIT_NPROC,
  RLIMIT_RSS, RLIMIT_RTPRIO, RLIMIT_RTTIME, RLIMIT_SIGPENDING, RLIMIT_STACK, RLIM_INFINITY, SOCK_DGRAM,
  SOCK_SEQPACKET, SOCK_STREAM, STATUS_DEAD, STATUS_DISK_SLEEP, STATUS_IDLE, STATUS_LOCKED, STATUS_PARKED,
  STATUS_RUNNING, STATUS_SLEEPING, STATUS_STOPPED, STATUS_SUSPENDED, STATUS_TRACING_STOP, STATUS_WAITING,
  STATUS_WAKE_KILL, STATUS_WAKING, STATUS_ZOMBIE, PtoolsError, NoSuchProcess, ZombieProcess, AccessDenied,
  TimeoutExpired, ParseError, getDevPath, getEtcPath, getLocalePath, getProcfsPath, getRoots, getSysfsPath,
  getUtmpPath, setDevPath, setEtcPath, setLocalePath, setProcfsPath, setRoots, setSysfsPath, setUtmpPath,
} from './core/index.js';
export type * from './core/index.js';
export { stopWorker };
// Pure functions and the objects that hold state between calls: the same as the synchronous API's
// (a Sampler, CpuSampler or ProcessTable belongs to its caller, on whichever side).
export {
  PROCESS_ATTRS, MAX_CPUS, SIGNALS, SIGRTMIN, SIGRTMAX, allSignals, signalName, parseSignal,
  parseAffinityList, formatAffinityList, parseAffinityMask, formatAffinityMask, decodeSurrogateEscape, encodeSurrogateEscape,
  parseStat, parseStatus, parseSigmask, parseCpuList, parseStatm, parseIo, parseCmdline, parseEnviron, parseSmapsRollup,
  userName, groupName, clearUserCache, Sampler, CpuSampler, ProcessTable, clearProcessTable, resetNowrapCache,
} from './core/index.js';

const inline = <T>(fn: () => T): Promise<T> => new Promise<T>((resolve) => resolve(fn()));

// ---- CPU
export function cpuTimes(opts: { percpu: true }): Promise<CpuTimes[]>;
export function cpuTimes(opts?: { percpu?: false }): Promise<CpuTimes>;
export function cpuTimes(opts?: { percpu?: boolean }): Promise<CpuTimes | CpuTimes[]>;
export function cpuTimes(opts: { percpu?: boolean } = {}): Promise<CpuTimes | CpuTimes[]> {
  return inline(() => core.cpuTimes(opts));
}
export function cpuPercent(opts: { interval?: number | null; percpu: true }): Promise<number[]>;
export function cpuPercent(opts?: { interval?: number | null; percpu?: false }): Promise<number>;
export function cpuPercent(opts?: { interval?: number | null; percpu?: boolean }): Promise<number | number[]>;
export function cpuPercent(opts: { interval?: number | null; percpu?: boolean } = {}): Promise<number | number[]> {
  return core.cpuPercentAsync(opts);
}
export function cpuTimesPercent(opts: { interval?: number | null; percpu: true }): Promise<CpuTimes[]>;
export function cpuTimesPercent(opts?: { interval?: number | null; percpu?: false }): Promise<CpuTimes>;
export function cpuTimesPercent(opts?: { interval?: number | null; percpu?: boolean }): Promise<CpuTimes | CpuTimes[]>;
export function cpuTimesPercent(opts: { interval?: number | null; percpu?: boolean } = {}): Promise<CpuTimes | CpuTimes[]> {
  return core.cpuTimesPercentAsync(opts);
}
export function cpuCount(opts: { logical?: boolean } = {}): Promise<number | null> {
  return callRemote('cpuCount', [opts]);
}
export function cpuStats(): Promise<CpuStats> {
  return inline(() => core.cpuStats());
}
export function cpuFreq(opts: { percpu: true }): Promise<CpuFreq[]>;
export function cpuFreq(opts?: { percpu?: false }): Promise<CpuFreq | null>;
export function cpuFreq(opts?: { percpu?: boolean }): Promise<CpuFreq | CpuFreq[] | null>;
export function cpuFreq(opts: { percpu?: boolean } = {}): Promise<CpuFreq | CpuFreq[] | null> {
  return callRemote('cpuFreq', [opts]);
}
export function getloadavg(): Promise<[number, number, number]> {
  return inline(() => core.getloadavg());
}

// ---- memory
export function virtualMemory(): Promise<VirtualMemory> {
  return inline(() => core.virtualMemory());
}
export function swapMemory(): Promise<SwapMemory> {
  return inline(() => core.swapMemory());
}

// ---- disks
export function diskPartitions(opts: { all?: boolean } = {}): Promise<DiskPartition[]> {
  return callRemote('diskPartitions', [opts]);
}
export function diskUsage(path: string): Promise<DiskUsage> {
  return callRemote('diskUsage', [path]);
}
export function diskIoCounters(opts: { perdisk: true; nowrap?: boolean }): Promise<Record<string, DiskIoCounters>>;
export function diskIoCounters(opts?: { perdisk?: false; nowrap?: boolean }): Promise<DiskIoCounters | null>;
export function diskIoCounters(opts?: { perdisk?: boolean; nowrap?: boolean }): Promise<DiskIoCounters | Record<string, DiskIoCounters> | null>;
export function diskIoCounters(opts: { perdisk?: boolean; nowrap?: boolean } = {}): Promise<DiskIoCounters | Record<string, DiskIoCounters> | null> {
  // nowrap keeps state between calls; it lives on this thread, so this runs inline.
  return inline(() => core.diskIoCounters(opts));
}

// ---- network
export function netIoCounters(opts: { pernic: true; nowrap?: boolean }): Promise<Record<string, NetIoCounters>>;
export function netIoCounters(opts?: { pernic?: false; nowrap?: boolean }): Promise<NetIoCounters | null>;
export function netIoCounters(opts?: { pernic?: boolean; nowrap?: boolean }): Promise<NetIoCounters | Record<string, NetIoCounters> | null>;
export function netIoCounters(opts: { pernic?: boolean; nowrap?: boolean } = {}): Promise<NetIoCounters | Record<string, NetIoCounters> | null> {
  return inline(() => core.netIoCounters(opts));
}
export function netIfAddrs(): Promise<Record<string, SnicAddr[]>> {
  return callRemote('netIfAddrs', []);
}
export function netIfStats(): Promise<Record<string, SnicStats>> {
  return callRemote('netIfStats', []);
}

// ---- system
/** Seconds since boot, from /proc/uptime. */
export function uptime(): Promise<number> {
  return inline(() => core.uptime());
}
/** /proc/uptime's two numbers. */
export function uptimeInfo(): Promise<core.Uptime> {
  return inline(() => core.uptimeInfo());
}
export function bootTime(): Promise<number> {
  return inline(() => core.bootTime());
}
export function users(): Promise<User[]> {
  return callRemote('users', []);
}

// ---- sensors
export function sensorsTemperatures(opts: { fahrenheit?: boolean } = {}): Promise<Record<string, Temperature[]>> {
  return callRemote('sensorsTemperatures', [opts]);
}
export function sensorsFans(): Promise<Record<string, Fan[]>> {
  return callRemote('sensorsFans', []);
}
export function sensorsBattery(): Promise<Battery | null> {
  return callRemote('sensorsBattery', []);
}

// ---- processes
// These return live Process objects, which cannot cross threads: they run on
// this thread and do their blocking reads on the libuv pool (native async
// reads, pidfd polls), parsing in slices between event-loop turns.
export {
  processIterAsync as processIter, pidsAsync as pids, waitAsync as wait, waitProcsAsync as waitProcs,
  childrenAsync as children, memoryMapsAsync as memoryMaps,
} from './core/process/async.js';
export { Process, Popen, spawn } from './core/index.js';
export function pidExists(pid: number): Promise<boolean> {
  return inline(() => core.pidExists(pid));
}
export function netConnections(opts: { kind?: core.ConnKind } = {}): Promise<core.Connection[]> {
  return callRemote('netConnections', [opts]);
}
