/** psutil's constants, Linux values. */

// Process status (psutil.STATUS_*), as the strings psutil uses.
export const STATUS_RUNNING = 'running';
export const STATUS_SLEEPING = 'sleeping';
export const STATUS_DISK_SLEEP = 'disk-sleep';
export const STATUS_STOPPED = 'stopped';
export const STATUS_TRACING_STOP = 'tracing-stop';
export const STATUS_ZOMBIE = 'zombie';
export const STATUS_DEAD = 'dead';
export const STATUS_WAKE_KILL = 'wake-kill';
export const STATUS_WAKING = 'waking';
export const STATUS_IDLE = 'idle';
export const STATUS_LOCKED = 'locked';
export const STATUS_WAITING = 'waiting';
export const STATUS_SUSPENDED = 'suspended';
export const STATUS_PARKED = 'parked';
export type ProcessStatus =
  | typeof STATUS_RUNNING | typeof STATUS_SLEEPING | typeof STATUS_DISK_SLEEP | typeof STATUS_STOPPED
  | typeof STATUS_TRACING_STOP | typeof STATUS_ZOMBIE | typeof STATUS_DEAD | typeof STATUS_WAKE_KILL
  | typeof STATUS_WAKING | typeof STATUS_IDLE | typeof STATUS_LOCKED | typeof STATUS_WAITING
  | typeof STATUS_SUSPENDED | typeof STATUS_PARKED;

// Connection status (psutil.CONN_*).
export const CONN_ESTABLISHED = 'ESTABLISHED';
export const CONN_SYN_SENT = 'SYN_SENT';
export const CONN_SYN_RECV = 'SYN_RECV';
export const CONN_FIN_WAIT1 = 'FIN_WAIT1';
export const CONN_FIN_WAIT2 = 'FIN_WAIT2';
export const CONN_TIME_WAIT = 'TIME_WAIT';
export const CONN_CLOSE = 'CLOSE';
export const CONN_CLOSE_WAIT = 'CLOSE_WAIT';
export const CONN_LAST_ACK = 'LAST_ACK';
export const CONN_LISTEN = 'LISTEN';
export const CONN_CLOSING = 'CLOSING';
export const CONN_NONE = 'NONE';
export type ConnectionStatus =
  | typeof CONN_ESTABLISHED | typeof CONN_SYN_SENT | typeof CONN_SYN_RECV | typeof CONN_FIN_WAIT1
  | typeof CONN_FIN_WAIT2 | typeof CONN_TIME_WAIT | typeof CONN_CLOSE | typeof CONN_CLOSE_WAIT
  | typeof CONN_LAST_ACK | typeof CONN_LISTEN | typeof CONN_CLOSING | typeof CONN_NONE;

// Address families (socket.AF_* on Linux) and psutil.AF_LINK.
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_PACKET = 17;
export const AF_LINK = AF_PACKET;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;

// NIC duplex (psutil.NIC_DUPLEX_*).
export const NIC_DUPLEX_UNKNOWN = 0;
export const NIC_DUPLEX_HALF = 1;
export const NIC_DUPLEX_FULL = 2;
export type NicDuplex = typeof NIC_DUPLEX_UNKNOWN | typeof NIC_DUPLEX_HALF | typeof NIC_DUPLEX_FULL;

// Battery time (psutil.POWER_TIME_*).
export const POWER_TIME_UNKNOWN = -1;
export const POWER_TIME_UNLIMITED = -2;

// I/O priority classes (psutil.IOPRIO_CLASS_*).
export const IOPRIO_CLASS_NONE = 0;
export const IOPRIO_CLASS_RT = 1;
export const IOPRIO_CLASS_BE = 2;
export const IOPRIO_CLASS_IDLE = 3;

// Resource limits (psutil.RLIMIT_*, Linux numbering). RLIM_INFINITY is -1, as in Python's resource module.
export const RLIM_INFINITY = -1;
export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_RSS = 5;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_MEMLOCK = 8;
export const RLIMIT_AS = 9;
export const RLIMIT_LOCKS = 10;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_MSGQUEUE = 12;
export const RLIMIT_NICE = 13;
export const RLIMIT_RTPRIO = 14;
export const RLIMIT_RTTIME = 15;

// Interface flags (net/if.h), used by netIfStats().flags.
export const IFF_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'up'], [0x2, 'broadcast'], [0x4, 'debug'], [0x8, 'loopback'], [0x10, 'pointopoint'],
  [0x20, 'notrailers'], [0x40, 'running'], [0x80, 'noarp'], [0x100, 'promisc'], [0x200, 'allmulti'],
  [0x400, 'master'], [0x800, 'slave'], [0x1000, 'multicast'], [0x2000, 'portsel'], [0x4000, 'automedia'],
  [0x8000, 'dynamic'],
];
