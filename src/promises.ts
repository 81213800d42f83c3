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

export * from './core/base/constants.js';
export * from './core/base/errors.js';
export { getProcfsPath, setProcfsPath, getSysfsPath, setSysfsPath, getUtmpPath, setUtmpPath } from './core/base/paths.js';
export type * from './core/index.js';
export { stopWorker };

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
