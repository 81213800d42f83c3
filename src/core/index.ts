/** ptools core: psutil's API for Linux, synchronous. */
export * from './constants.js';
export * from './errors.js';
export { getProcfsPath, setProcfsPath, getSysfsPath, setSysfsPath, getUtmpPath, setUtmpPath } from './paths.js';
export * from './cpu.js';
export * from './memory.js';
export * from './disk.js';
export * from './net.js';
export * from './system.js';
export * from './sensors.js';
export * from './connections.js';
export * from './maps.js';
export {
  Process, PROCESS_ATTRS, processIter, clearProcessTable, waitProcs, mapProcessError,
  type ProcessIds, type ProcessCpuTimes, type ProcessMemoryInfo, type ProcessMemoryFullInfo, type ProcessIoCounters,
  type ProcessCtxSwitches, type ProcessThread, type ProcessIonice, type SignalMasks, type MemType,
  type AsDictOptions, type WaitOptions, type ProcessIterOptions, type WaitProcsOptions, type WaitProcsResult,
} from './process.js';
export { pids, pidExists } from './pids.js';
export { Popen, spawn } from './popen.js';
export { userName, groupName, userNameOrId, clearUserCache } from './users.js';
export {
  parseStat, parseStatus, parseStatm, parseIo, parseCmdline, parseEnviron, parseSmapsRollup, parseSigmask, parseCpuList,
  type PidStat, type PidStatus, type PidStatm, type PidIo, type PidIds, type SmapsTotals,
} from './process/parse.js';
export * from './mounts.js';
export * from './netif.js';
export * from './pmap.js';
export * from './signals.js';
export * from './cpulist.js';
export * from './uptime.js';
export * from './meminfo-extra.js';
export * from './sessions.js';
export * from './hostnames.js';
export * from './locale.js';
export * from './procscan.js';
export * from './sockdiag.js';
export * from './services.js';
export * from './hosts.js';
export * from './route.js';
export * from './snmp.js';
export * from './igmp.js';
export * from './iftable.js';
export { decodeSurrogateEscape, encodeSurrogateEscape } from './text-bytes.js';
