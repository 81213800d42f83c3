/** ptools core: psutil's API for Linux, synchronous. */
export * from './base/constants.js';
export * from './base/errors.js';
export { getProcfsPath, setProcfsPath, getSysfsPath, setSysfsPath, getUtmpPath, setUtmpPath } from './base/paths.js';
// The /etc root (exported with net/services before the roots moved to base/paths).
export { getEtcPath, setEtcPath, etcPath } from './base/paths.js';
export * from './system/cpu.js';
export * from './system/memory.js';
export { parseMeminfo } from './procfs/meminfo.js';
export * from './system/disk.js';
export * from './net/net.js';
export * from './system/system.js';
export * from './system/sensors.js';
export * from './net/connections.js';
export * from './process/maps.js';
export {
  Process, PROCESS_ATTRS, waitProcs, mapProcessError,
  type ProcessIds, type ProcessCpuTimes, type ProcessMemoryInfo, type ProcessMemoryFullInfo, type ProcessIoCounters,
  type ProcessCtxSwitches, type ProcessThread, type ProcessIonice, type SignalMasks, type MemType,
  type AsDictOptions, type WaitOptions, type WaitProcsOptions, type WaitProcsResult,
} from './process/process.js';
export { ProcessTable, processIter, clearProcessTable, type ProcessIterOptions } from './process/table.js';
export { pids, pidExists } from './process/pids.js';
export { Popen, spawn } from './process/popen.js';
export { userName, groupName, userNameOrId, clearUserCache, uidOfName, gidOfName } from './base/users.js';
export { parseStat, type PidStat } from './procfs/pid-stat.js';
export { parseStatus, parseSigmask, parseCpuList, type PidStatus, type PidIds } from './procfs/pid-status.js';
export { parseStatm, type PidStatm } from './procfs/pid-statm.js';
export { parseIo, type PidIo } from './procfs/pid-io.js';
export { parseCmdline, parseEnviron } from './procfs/pid-cmdline.js';
export {
  parseSmapsRollup, parseSmapsRollupFields, parseMaps, parseSmapsEntries, smapsValue,
  type SmapsTotals, type SmapsRollup, type MapsEntry, type SmapsEntry, type SmapsField,
} from './procfs/pid-maps.js';
export { parseAutogroup, parseIntFile } from './procfs/pid-misc.js';
export * from './system/mounts.js';
export * from './net/netif.js';
export { pmapProcessInfo, processMaps, processSmaps, type PmapProcessInfo } from './process/pmap.js';
export * from './process/signals.js';
export * from './base/cpulist.js';
export * from './system/uptime.js';
export { parseUptime, type Uptime } from './procfs/uptime.js';
export * from './system/meminfo-extra.js';
export * from './system/sessions.js';
export * from './net/hostnames.js';
export * from './base/locale.js';
export {
  scanProcesses, scanProcessesAsync, scanPids, NS_NAMES,
  type ScanSource, type ProcRecord, type ScanOptions, type ScanDecoding,
} from './process/scan.js';
export { ttyPath, lookupTerminal, charDevice, devMajor, devMinor, parseTtyDrivers, resetTtyCache } from './process/tty.js';
export { numaNodes } from './system/numa.js';
export * from './net/sockdiag.js';
export * from './net/services.js';
export * from './net/hosts.js';
export * from './net/route.js';
export * from './net/snmp.js';
export * from './net/igmp.js';
export * from './net/iftable.js';
export { decodeSurrogateEscape, encodeSurrogateEscape } from './base/text-bytes.js';
export {
  Sampler, type SamplerOptions, type TaskSample, type IoRates, type ProcessesSample, type CpuSample, type Rates,
} from './sample/sampler.js';
