/**
 * The public API is listed by name (src/core/index.ts, src/promises.ts):
 * a name that appears or disappears fails this test until the list here,
 * and README's, say so. Anything exported is a promise.
 */
import { describe, expect, it } from 'vitest';
import * as sync from '../../src/core/index.js';
import * as promises from '../../src/promises.js';
import * as pkg from '../../src/index.js';

const PTOOLS = [
  'AF_INET', 'AF_INET6', 'AF_LINK', 'AF_PACKET', 'AF_UNIX', 'AccessDenied', 'CONN_CLOSE', 'CONN_CLOSE_WAIT',
  'CONN_CLOSING', 'CONN_ESTABLISHED', 'CONN_FIN_WAIT1', 'CONN_FIN_WAIT2', 'CONN_LAST_ACK', 'CONN_LISTEN',
  'CONN_NONE', 'CONN_SYN_RECV', 'CONN_SYN_SENT', 'CONN_TIME_WAIT', 'CpuSampler', 'IOPRIO_CLASS_BE',
  'IOPRIO_CLASS_IDLE', 'IOPRIO_CLASS_NONE', 'IOPRIO_CLASS_RT', 'MAX_CPUS', 'NIC_DUPLEX_FULL', 'NIC_DUPLEX_HALF',
  'NIC_DUPLEX_UNKNOWN', 'NoSuchProcess', 'POWER_TIME_UNKNOWN', 'POWER_TIME_UNLIMITED', 'PROCESS_ATTRS', 'ParseError',
  'Popen', 'Process', 'ProcessTable', 'PtoolsError', 'RLIMIT_AS', 'RLIMIT_CORE', 'RLIMIT_CPU', 'RLIMIT_DATA',
  'RLIMIT_FSIZE', 'RLIMIT_LOCKS', 'RLIMIT_MEMLOCK', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_NOFILE',
  'RLIMIT_NPROC', 'RLIMIT_RSS', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME', 'RLIMIT_SIGPENDING', 'RLIMIT_STACK',
  'RLIM_INFINITY', 'SIGNALS', 'SIGRTMAX', 'SIGRTMIN', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_STREAM', 'STATUS_DEAD',
  'STATUS_DISK_SLEEP', 'STATUS_IDLE', 'STATUS_LOCKED', 'STATUS_PARKED', 'STATUS_RUNNING', 'STATUS_SLEEPING',
  'STATUS_STOPPED', 'STATUS_SUSPENDED', 'STATUS_TRACING_STOP', 'STATUS_WAITING', 'STATUS_WAKE_KILL', 'STATUS_WAKING',
  'STATUS_ZOMBIE', 'Sampler', 'TimeoutExpired', 'ZombieProcess', 'allSignals', 'bootTime', 'clearProcessTable',
  'clearUserCache', 'cpuCount', 'cpuFreq', 'cpuPercent', 'cpuPercentAsync', 'cpuStats', 'cpuTimes',
  'cpuTimesPercent', 'cpuTimesPercentAsync', 'decodeSurrogateEscape', 'diskIoCounters', 'diskPartitions',
  'diskUsage', 'encodeSurrogateEscape', 'formatAffinityList', 'formatAffinityMask', 'getDevPath', 'getEtcPath',
  'getLocalePath', 'getProcfsPath', 'getRoots', 'getSysfsPath', 'getUtmpPath', 'getloadavg', 'groupName',
  'netConnections', 'netIfAddrs', 'netIfStats', 'netIoCounters', 'parseAffinityList', 'parseAffinityMask',
  'parseCmdline', 'parseCpuList', 'parseEnviron', 'parseIo', 'parseSigmask', 'parseSignal', 'parseSmapsRollup',
  'parseStat', 'parseStatm', 'parseStatus', 'pidExists', 'pids', 'processIter', 'resetNowrapCache', 'sensorsBattery',
  'sensorsFans', 'sensorsTemperatures', 'setDevPath', 'setEtcPath', 'setLocalePath', 'setProcfsPath', 'setRoots',
  'setSysfsPath', 'setUtmpPath', 'signalName', 'spawn', 'swapMemory', 'uptime', 'uptimeInfo', 'userName', 'users',
  'virtualMemory', 'waitProcs',
];

// The same names returning Promises, where a name is a function of the
// synchronous API; what differs is listed below the test.
const PROMISES = [
  'AF_INET', 'AF_INET6', 'AF_LINK', 'AF_PACKET', 'AF_UNIX', 'AccessDenied', 'CONN_CLOSE', 'CONN_CLOSE_WAIT',
  'CONN_CLOSING', 'CONN_ESTABLISHED', 'CONN_FIN_WAIT1', 'CONN_FIN_WAIT2', 'CONN_LAST_ACK', 'CONN_LISTEN',
  'CONN_NONE', 'CONN_SYN_RECV', 'CONN_SYN_SENT', 'CONN_TIME_WAIT', 'CpuSampler', 'IOPRIO_CLASS_BE',
  'IOPRIO_CLASS_IDLE', 'IOPRIO_CLASS_NONE', 'IOPRIO_CLASS_RT', 'MAX_CPUS', 'NIC_DUPLEX_FULL', 'NIC_DUPLEX_HALF',
  'NIC_DUPLEX_UNKNOWN', 'NoSuchProcess', 'POWER_TIME_UNKNOWN', 'POWER_TIME_UNLIMITED', 'PROCESS_ATTRS', 'ParseError',
  'Popen', 'Process', 'ProcessTable', 'PtoolsError', 'RLIMIT_AS', 'RLIMIT_CORE', 'RLIMIT_CPU', 'RLIMIT_DATA',
  'RLIMIT_FSIZE', 'RLIMIT_LOCKS', 'RLIMIT_MEMLOCK', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_NOFILE',
  'RLIMIT_NPROC', 'RLIMIT_RSS', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME', 'RLIMIT_SIGPENDING', 'RLIMIT_STACK',
  'RLIM_INFINITY', 'SIGNALS', 'SIGRTMAX', 'SIGRTMIN', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_STREAM', 'STATUS_DEAD',
  'STATUS_DISK_SLEEP', 'STATUS_IDLE', 'STATUS_LOCKED', 'STATUS_PARKED', 'STATUS_RUNNING', 'STATUS_SLEEPING',
  'STATUS_STOPPED', 'STATUS_SUSPENDED', 'STATUS_TRACING_STOP', 'STATUS_WAITING', 'STATUS_WAKE_KILL', 'STATUS_WAKING',
  'STATUS_ZOMBIE', 'Sampler', 'TimeoutExpired', 'ZombieProcess', 'allSignals', 'bootTime', 'children',
  'clearProcessTable', 'clearUserCache', 'cpuCount', 'cpuFreq', 'cpuPercent', 'cpuStats', 'cpuTimes',
  'cpuTimesPercent', 'decodeSurrogateEscape', 'diskIoCounters', 'diskPartitions', 'diskUsage',
  'encodeSurrogateEscape', 'formatAffinityList', 'formatAffinityMask', 'getDevPath', 'getEtcPath', 'getLocalePath',
  'getProcfsPath', 'getRoots', 'getSysfsPath', 'getUtmpPath', 'getloadavg', 'groupName', 'memoryMaps',
  'netConnections', 'netIfAddrs', 'netIfStats', 'netIoCounters', 'parseAffinityList', 'parseAffinityMask',
  'parseCmdline', 'parseCpuList', 'parseEnviron', 'parseIo', 'parseSigmask', 'parseSignal', 'parseSmapsRollup',
  'parseStat', 'parseStatm', 'parseStatus', 'pidExists', 'pids', 'processIter', 'resetNowrapCache', 'sensorsBattery',
  'sensorsFans', 'sensorsTemperatures', 'setDevPath', 'setEtcPath', 'setLocalePath', 'setProcfsPath', 'setRoots',
  'setSysfsPath', 'setUtmpPath', 'signalName', 'spawn', 'stopWorker', 'swapMemory', 'uptime', 'uptimeInfo',
  'userName', 'users', 'virtualMemory', 'wait', 'waitProcs',
];

describe('the public API', () => {
  it("'ptools' exports exactly the listed names", () => {
    expect(Object.keys(sync).sort()).toEqual([...PTOOLS].sort());
    expect(Object.keys(pkg).sort()).toEqual([...PTOOLS].sort());
  });

  it("'ptools/promises' exports exactly the listed names", () => {
    expect(Object.keys(promises).sort()).toEqual([...PROMISES].sort());
  });

  it('promises differs from the synchronous API only where documented', () => {
    const onlyPromises = PROMISES.filter((n) => !PTOOLS.includes(n)).sort();
    const onlySync = PTOOLS.filter((n) => !PROMISES.includes(n)).sort();
    // Process methods offered as functions (they run on this thread's event loop), and the worker's stop.
    expect(onlyPromises).toEqual(['children', 'memoryMaps', 'stopWorker', 'wait']);
    // Synchronous-only: the *Async forms, which are what the promises API's cpuPercent/cpuTimesPercent are.
    expect(onlySync).toEqual(['cpuPercentAsync', 'cpuTimesPercentAsync']);
  });

  it('every exported function and class is defined (no name bound to undefined)', () => {
    for (const [n, v] of Object.entries(sync)) expect(v, n).not.toBeUndefined();
    for (const [n, v] of Object.entries(promises)) expect(v, n).not.toBeUndefined();
  });
});
