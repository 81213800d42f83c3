/**
 * ptools core: the public API, listed name by name. psutil's Linux API in
 * camelCase, then the documented extras. Anything exported here is a
 * promise kept across minor versions; the modules behind it export more for
 * the commands, and none of that is public. test/core/index.test.ts lists
 * these names: a name that appears or disappears must be added there too.
 */

// ---- psutil: constants and errors
export {
  STATUS_RUNNING, STATUS_SLEEPING, STATUS_DISK_SLEEP, STATUS_STOPPED, STATUS_TRACING_STOP, STATUS_ZOMBIE, STATUS_DEAD,
  STATUS_WAKE_KILL, STATUS_WAKING, STATUS_IDLE, STATUS_LOCKED, STATUS_WAITING, STATUS_SUSPENDED, STATUS_PARKED,
  CONN_ESTABLISHED, CONN_SYN_SENT, CONN_SYN_RECV, CONN_FIN_WAIT1, CONN_FIN_WAIT2, CONN_TIME_WAIT, CONN_CLOSE,
  CONN_CLOSE_WAIT, CONN_LAST_ACK, CONN_LISTEN, CONN_CLOSING, CONN_NONE,
  AF_UNIX, AF_INET, AF_INET6, AF_PACKET, AF_LINK, SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET,
  NIC_DUPLEX_UNKNOWN, NIC_DUPLEX_HALF, NIC_DUPLEX_FULL, POWER_TIME_UNKNOWN, POWER_TIME_UNLIMITED,
  IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE,
  RLIM_INFINITY, RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC,
  RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE,
  RLIMIT_RTPRIO, RLIMIT_RTTIME,
  type ProcessStatus, type ConnectionStatus, type NicDuplex,
} from './base/constants.js';
export { PtoolsError, NoSuchProcess, ZombieProcess, AccessDenied, TimeoutExpired, ParseError } from './base/errors.js';

// ---- psutil: CPU, memory, disks, network, sensors, other system info
export { cpuPercent, cpuTimesPercent } from './sample/cpu.js';
export {
  cpuTimes, cpuCount, cpuStats, cpuFreq, getloadavg,
  type CpuTimes, type CpuStats, type CpuFreq, type LoadAvg,
  type CpuTimesOptions, type CpuPercentOptions, type CpuFreqOptions, type CpuCountOptions,
} from './system/cpu.js';
export { virtualMemory, swapMemory, type VirtualMemory, type SwapMemory } from './system/memory.js';
export { diskPartitions, diskUsage, diskIoCounters, type DiskPartition, type DiskUsage, type DiskIoCounters } from './system/disk.js';
export { netIoCounters, netIfAddrs, netIfStats, type NetIoCounters, type SnicAddr, type SnicStats } from './net/net.js';
export {
  netConnections, type Connection, type ConnKind, type Addr, type NetConnectionsOptions, type ConnectionsSource,
} from './net/connections.js';
export {
  sensorsTemperatures, sensorsFans, sensorsBattery, type Temperature, type TemperatureOptions, type Fan, type Battery,
} from './system/sensors.js';
export { bootTime, users, type User } from './system/system.js';

// ---- psutil: processes
export {
  Process, PROCESS_ATTRS, waitProcs,
  type ProcessIds, type ProcessCpuTimes, type ProcessMemoryInfo, type ProcessMemoryFullInfo, type ProcessIoCounters,
  type ProcessCtxSwitches, type ProcessThread, type ProcessIonice, type SignalMasks, type MemType,
  type AsDictOptions, type WaitOptions, type WaitProcsOptions, type WaitProcsResult,
} from './process/process.js';
export type { MemoryMap, MemoryMapExt, OpenFile } from './process/maps.js';
export type { ProcessConnection } from './net/connections.js';
export { processIter, type ProcessIterOptions } from './process/table.js';
export { pids, pidExists } from './process/pids.js';
export { Popen, spawn } from './process/popen.js';

// ---- extras: state between calls, in objects the caller owns
// psutil's module-level cpu_percent()/process_iter() histories are default
// instances of these; an exporter and a monitor in one process each own theirs.
export { CpuSampler, cpuPercentAsync, cpuTimesPercentAsync } from './sample/cpu.js';
export { ProcessTable, clearProcessTable } from './process/table.js';
export { resetNowrapCache } from './sample/wrap.js';
export {
  Sampler, type SamplerOptions, type TaskSample, type IoRates, type ProcessesSample, type CpuSample, type Rates, type TaskCounts, type MemorySummary,
} from './sample/sampler.js';
export type { ProcRecord, ScanSource } from './process/scan.js';

// ---- extras: where the library reads (psutil's PROCFS_PATH, and the other roots)
export {
  getProcfsPath, setProcfsPath, getSysfsPath, setSysfsPath, getUtmpPath, setUtmpPath, getEtcPath, setEtcPath,
  getDevPath, setDevPath, getLocalePath, setLocalePath, getRoots, setRoots, type Roots,
} from './base/paths.js';

// ---- extras: facts psutil lacks that the tools print
export { uptime, uptimeInfo } from './system/uptime.js';
export type { Uptime } from './procfs/uptime.js';
export { userName, groupName, clearUserCache } from './base/users.js';
export { signalName, parseSignal, allSignals, SIGNALS, SIGRTMIN, SIGRTMAX, type SignalEntry } from './process/signals.js';
export {
  parseAffinityList, formatAffinityList, parseAffinityMask, formatAffinityMask, MAX_CPUS,
  type CpuSetOptions, type MaskFormatOptions,
} from './base/cpulist.js';
export { decodeSurrogateEscape, encodeSurrogateEscape } from './base/text-bytes.js';

// ---- extras: the parsers of /proc/PID files (one per file), for fixture trees and captured files
export { parseStat, type PidStat } from './procfs/pid-stat.js';
export { parseStatus, parseSigmask, parseCpuList, type PidStatus, type PidIds } from './procfs/pid-status.js';
export { parseStatm, type PidStatm } from './procfs/pid-statm.js';
export { parseIo, type PidIo } from './procfs/pid-io.js';
export { parseCmdline, parseEnviron } from './procfs/pid-cmdline.js';
export { parseSmapsRollup, type SmapsTotals } from './procfs/pid-maps.js';
