/**
 * Sockets at scale: the socket tables through netlink sock_diag (what `ss`
 * uses) and their owners through one native pass over /proc/<pid>/fd, with
 * the /proc/net text tables (core/procfs/net-sockets.ts) as the fallback (no
 * sock_diag in the kernel, a seccomp filter, an old addon, or a fixture
 * procfs root).
 *
 * Records carry every field netstat shows (queues, uid, inode, timers), in
 * the kernel's order: a sock_diag dump walks the same hash tables in the same
 * order as /proc/net/{tcp,udp}[6], so both sources list sockets identically.
 * psutil's net_connections() (core/net/connections.ts) is a view of them.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { binding, isErrnoError, type InetDiagRaw, type NativeBinding, type SocketOwnersRaw, type UnixDiagRaw } from '../../native/index.js';
import { inetNtop4, inetNtop6 } from './inet.js';
import {
  AF_INET,
  CONN_CLOSE, CONN_CLOSE_WAIT, CONN_CLOSING, CONN_ESTABLISHED, CONN_FIN_WAIT1, CONN_FIN_WAIT2,
  CONN_LAST_ACK, CONN_LISTEN, CONN_SYN_RECV, CONN_SYN_SENT, CONN_TIME_WAIT,
  type ConnectionStatus,
} from '../base/constants.js';
import { ParseError } from '../base/errors.js';
import { getProcfsPath, procPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';
import {
  readProcNetSockets, readProcNetUnix, type InetProtocol, type InetSocket, type UnixSocket,
} from '../procfs/net-sockets.js';

export {
  decodeProcAddress, parseProcNetSockets, parseProcNetUnix, type InetProtocol, type InetSocket, type UnixSocket,
} from '../procfs/net-sockets.js';

// ------------------------------------------------------------------ binding

export type { InetDiagRaw, UnixDiagRaw, SocketOwnersRaw } from '../../native/index.js';

/** The addon functions this module uses. */
export type SockDiagBinding = Pick<NativeBinding, 'inetDiag' | 'inetDiagAsync' | 'unixDiag' | 'unixDiagAsync' | 'socketOwners' | 'socketOwnersAsync'>;

/** Field order of an inetDiag record. */
export const INET_FIELDS = [
  'family', 'state', 'timer', 'retrans', 'sport', 'dport', 'ifindex', 'expires',
  'rqueue', 'wqueue', 'uid', 'inode', 'cookieLo', 'cookieHi',
  'infoRetransmits', 'infoProbes', 'infoBackoff',
] as const;
/** Field order of a unixDiag record. */
export const UNIX_FIELDS = [
  'type', 'state', 'inode', 'peer', 'rqueue', 'wqueue', 'vfsIno', 'vfsDev', 'uid', 'shutdown', 'nameOff', 'nameLen',
] as const;

/** The sock_diag part of the addon, or null when the loaded addon predates it. */
export function sockDiagBinding(): SockDiagBinding | null {
  let b: unknown;
  try {
    b = binding();
  } catch {
    return null;
  }
  const s = b as Partial<SockDiagBinding>;
  return typeof s.inetDiag === 'function' && typeof s.socketOwners === 'function' ? (s as SockDiagBinding) : null;
}

// ------------------------------------------------------------------ records

const IPPROTO: Readonly<Record<InetProtocol, number>> = { tcp: 6, udp: 17, udplite: 136, raw: 255 };

/** Which source produced a listing. */
export type SocketSource = 'sock_diag' | 'procfs';

/** TCP state number → psutil's CONN_* constant (12, NEW_SYN_RECV, is SYN_RECV). */
export const TCP_STATE_STATUS: Readonly<Record<number, ConnectionStatus>> = {
  1: CONN_ESTABLISHED, 2: CONN_SYN_SENT, 3: CONN_SYN_RECV, 4: CONN_FIN_WAIT1, 5: CONN_FIN_WAIT2, 6: CONN_TIME_WAIT,
  7: CONN_CLOSE, 8: CONN_CLOSE_WAIT, 9: CONN_LAST_ACK, 10: CONN_LISTEN, 11: CONN_CLOSING, 12: CONN_SYN_RECV,
};

// ------------------------------------------------------------------ sock_diag decoding

const ALL_STATES = 0xffffffff;
/**
 * Every TCP state but TCP_BOUND_INACTIVE (13): since Linux 6.8 inet_diag dumps
 * sockets that are bound but neither listening nor connected when that bit
 * is asked for; /proc/net/tcp (netstat, psutil) never lists them.
 */
const INET_STATES = (ALL_STATES ^ (1 << 13)) >>> 0;
/** INET_DIAG_INFO's bit in idiag_ext (1 << (INET_DIAG_INFO - 1)). */
const EXT_INFO = 1 << 1;

/** Address text per address bytes: thousands of sockets share a few addresses. */
class AddrCache {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new Map<string, string>();
  text(buf: Buffer, off: number, family: number): string {
    if (family === AF_INET) {
      const k = buf.readUInt32BE(off);
      let t = this.v4.get(k);
      if (t === undefined) {
        t = inetNtop4(buf, off);
        this.v4.set(k, t);
      }
      return t;
    }
    const k = buf.toString('latin1', off, off + 16);
    let t = this.v6.get(k);
    if (t === undefined) {
      t = inetNtop6(buf.subarray(off, off + 16));
      this.v6.set(k, t);
    }
    return t;
  }
}

/** Decodes inetDiag's typed arrays into records with /proc/net/tcp's meaning of each field. */
export function decodeInetDiag(raw: InetDiagRaw, protocol: InetProtocol): InetSocket[] {
  const { count, stride, nums, addrs } = raw;
  if (stride < INET_FIELDS.length || nums.length < count * stride || addrs.length < count * 32) {
    throw new ParseError('sock_diag', `short inet_diag result (${count} records, stride ${stride})`);
  }
  const out: InetSocket[] = new Array(count);
  const names = new AddrCache();
  for (let i = 0; i < count; i++) {
    const o = i * stride;
    const family = nums[o]!;
    const state = nums[o + 1]!;
    const timer = nums[o + 2]!;
    const retrans = nums[o + 3]!;
    const infoRetransmits = nums[o + 14]!;
    const infoProbes = nums[o + 15]!;
    // idiag_retrans is the retransmit count with a retransmit timer and the
    // probe count with a keepalive/probe timer; tcp_info, when present, has both.
    const retransmits = infoRetransmits >= 0 ? infoRetransmits : timer === 1 ? retrans : 0;
    const probes = infoProbes >= 0 ? infoProbes : timer === 2 || timer === 4 ? retrans : 0;
    out[i] = {
      family,
      protocol,
      state,
      localAddress: names.text(addrs, i * 32, family),
      localPort: nums[o + 4]!,
      remoteAddress: names.text(addrs, i * 32 + 16, family),
      remotePort: nums[o + 5]!,
      rxQueue: nums[o + 8]!,
      // For a listener sock_diag reports the backlog limit here; /proc/net/tcp shows 0.
      txQueue: protocol === 'tcp' && state === 10 ? 0 : nums[o + 9]!,
      uid: nums[o + 10]!,
      inode: nums[o + 11]!,
      timer,
      // sock_diag gives milliseconds; /proc/net/tcp truncates to 10 ms ticks.
      timerExpires: timer === 0 ? 0 : Math.floor(nums[o + 7]! / 10) / 100,
      retransmits,
      probes,
    };
  }
  return out;
}

/** Errors that mean "sock_diag cannot answer here": use /proc/net instead. */
const DIAG_UNAVAILABLE = new Set(['EPROTONOSUPPORT', 'EAFNOSUPPORT', 'ENOENT', 'EOPNOTSUPP', 'EINVAL', 'EACCES', 'EPERM', 'ENOSYS', 'EPROTO']);

function useDiag(source: 'auto' | SocketSource | undefined): SockDiagBinding | null {
  if (source === 'procfs') return null;
  // sock_diag describes the live kernel: a fixture procfs root means /proc files.
  if (source !== 'sock_diag' && getProcfsPath() !== '/proc') return null;
  const b = sockDiagBinding();
  if (!b && source === 'sock_diag') throw new Error('ptools: this build of the native addon has no sock_diag support (rebuild it)');
  return b;
}

export interface InetSocketsOptions {
  /** 'auto' (default): sock_diag when available, else /proc/net. */
  source?: 'auto' | SocketSource;
  /** Ask sock_diag for tcp_info too, for exact retransmit and probe counts (netstat -o). */
  timers?: boolean;
  /** A /proc/net file that is missing or unreadable: 'null' (default, netstat's reading) or 'throw' (the raw errno error, psutil's). */
  missing?: 'null' | 'throw';
}

/** A listing and where it came from; `sockets` is null when the kernel has no such table (no IPv6). */
export interface InetListing {
  readonly sockets: InetSocket[] | null;
  readonly source: SocketSource;
}

/** A missing or unreadable /proc/net file, as the caller asked: null, or the raw error. */
function orMissing<T>(read: () => T, missing: 'null' | 'throw' | undefined): T | null {
  try {
    return read();
  } catch (e) {
    if (missing !== 'throw' && isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'EACCES')) return null;
    throw e;
  }
}

function procListing(protocol: InetProtocol, family: number, missing: 'null' | 'throw' | undefined): InetListing {
  return { sockets: orMissing(() => readProcNetSockets(protocol, family), missing), source: 'procfs' };
}

/**
 * The sockets of one protocol and family (AF_INET or AF_INET6) in the
 * caller's network namespace, in the kernel's table order. sock_diag is
 * used where it answers (TCP and UDP; UDP-Lite and raw need kernel modules
 * that are often absent), else /proc/net/<protocol>[6].
 */
export function inetSockets(protocol: InetProtocol, family: number, opts: InetSocketsOptions = {}): InetListing {
  const b = useDiag(opts.source);
  if (b) {
    try {
      const ext = protocol === 'tcp' && opts.timers ? EXT_INFO : 0;
      return { sockets: decodeInetDiag(b.inetDiag(family, IPPROTO[protocol], INET_STATES, ext), protocol), source: 'sock_diag' };
    } catch (e) {
      if (!(isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code)) || opts.source === 'sock_diag') throw e;
    }
  }
  return procListing(protocol, family, opts.missing);
}

/** inetSockets() without blocking the event loop (the dump runs on the libuv pool). */
export async function inetSocketsAsync(protocol: InetProtocol, family: number, opts: InetSocketsOptions = {}): Promise<InetListing> {
  const b = useDiag(opts.source);
  if (b) {
    try {
      const ext = protocol === 'tcp' && opts.timers ? EXT_INFO : 0;
      return { sockets: decodeInetDiag(await b.inetDiagAsync(family, IPPROTO[protocol], INET_STATES, ext), protocol), source: 'sock_diag' };
    } catch (e) {
      if (!(isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code)) || opts.source === 'sock_diag') throw e;
    }
  }
  return procListing(protocol, family, opts.missing);
}

/**
 * /proc/net/unix (netstat's source: RefCount and the BSD socket state exist
 * only there); null when absent or unreadable, or with `missing: 'throw'`
 * the raw error.
 */
export function unixSocketsProc(opts: { missing?: 'null' | 'throw' } = {}): UnixSocket[] | null {
  return orMissing(readProcNetUnix, opts.missing);
}

/** A unix socket as sock_diag describes it. */
export interface UnixDiagSocket {
  readonly type: number;
  /** TCP-style state: 10 LISTEN, 1 ESTABLISHED, 7 CLOSE (unconnected), 2 SYN_SENT (connecting). */
  readonly state: number;
  readonly inode: number;
  /** The inode of the connected peer; null when unconnected. */
  readonly peer: number | null;
  /** The bound name ('@' first for an abstract name, as /proc/net/unix writes it; surrogateescape-decoded); null when unbound. */
  readonly path: string | null;
  /** Listener: pending connections; others: bytes queued to read. null when not reported. */
  readonly rxQueue: number | null;
  /** Listener: the backlog limit; others: bytes queued to send. */
  readonly txQueue: number | null;
  /** The bound file's inode and device (filesystem sockets only). */
  readonly vfsInode: number | null;
  readonly vfsDev: number | null;
  /** Owner uid (kernel 5.3+). */
  readonly uid: number | null;
}

// UDIAG_SHOW_NAME | VFS | PEER | RQLEN | UID
const UDIAG_SHOW = 0x01 | 0x02 | 0x04 | 0x10 | 0x40;

/** Decodes unixDiag's typed arrays. */
export function decodeUnixDiag(raw: UnixDiagRaw): UnixDiagSocket[] {
  const { count, stride, nums, names } = raw;
  if (stride < UNIX_FIELDS.length || nums.length < count * stride) throw new ParseError('sock_diag', `short unix_diag result (${count} records)`);
  const opt = (v: number): number | null => (v < 0 ? null : v);
  const out: UnixDiagSocket[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * stride;
    const nameOff = nums[o + 10]!;
    const nameLen = nums[o + 11]!;
    let path: string | null = null;
    if (nameLen >= 0) {
      if (nameOff + nameLen > names.length) throw new ParseError('sock_diag', 'unix name out of range');
      let b = names.subarray(nameOff, nameOff + nameLen);
      // As /proc/net/unix: a filesystem name loses its terminating NUL; in an
      // abstract name (NUL first) every NUL shows as '@'.
      if (b.length > 0 && b[0] !== 0 && b[b.length - 1] === 0) b = b.subarray(0, b.length - 1);
      path = decodeSurrogateEscape(b.map((c) => (c === 0 ? 0x40 : c)));
    }
    out[i] = {
      type: nums[o]!,
      state: nums[o + 1]!,
      inode: nums[o + 2]!,
      peer: opt(nums[o + 3]!),
      path,
      rxQueue: opt(nums[o + 4]!),
      txQueue: opt(nums[o + 5]!),
      vfsInode: opt(nums[o + 6]!),
      vfsDev: opt(nums[o + 7]!),
      uid: opt(nums[o + 8]!),
    };
  }
  return out;
}

/**
 * Unix sockets through sock_diag (with each one's peer); null when sock_diag
 * cannot answer here (with `source: 'sock_diag'`: the error instead).
 */
export function unixSocketsDiag(opts: { source?: 'auto' | 'sock_diag' } = {}): UnixDiagSocket[] | null {
  const b = useDiag(opts.source ?? 'auto');
  if (!b) return null;
  try {
    return decodeUnixDiag(b.unixDiag(ALL_STATES, UDIAG_SHOW));
  } catch (e) {
    if (isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code) && opts.source !== 'sock_diag') return null;
    throw e;
  }
}

// ------------------------------------------------------------------ owners

/** Which process owns a socket, when several share it. */
export type OwnerPolicy = 'first' | 'last';

export interface SocketOwner {
  readonly pid: number;
  /** The owner's fds holding the socket, ascending. */
  readonly fds: number[];
}

export interface SocketOwners {
  /** inode → owner. */
  readonly owners: Map<number, SocketOwner>;
  /** Processes whose fd directory we may not read (their sockets show no owner). */
  readonly denied: number[];
  /** Processes whose fd directory was read. */
  readonly scanned: number;
}

function socketInodeOfLink(link: string): number {
  let m = /^socket:\[(\d+)\]$/.exec(link);
  if (!m) m = /^\[0000\]:(\d+)$/.exec(link);
  return m ? Number(m[1]) : -1;
}

/**
 * inode → this pid's fds holding it (ascending), from the `socket:[N]` links
 * of <procfs>/<pid>/fd. Listing the fd directory fails with the raw errno
 * error; a fd that closes meanwhile (ENOENT/ESRCH), is not a link (EINVAL)
 * or is too long is skipped.
 */
export function socketInodes(pid: number): Map<number, number[]> {
  const dir = procPath(pid, 'fd');
  const fds = readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const out = new Map<number, number[]>();
  for (const fd of fds) {
    let link: string;
    try {
      link = readlinkSync(`${dir}/${fd}`);
    } catch (e) {
      if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'ESRCH' || e.code === 'EINVAL' || e.code === 'ENAMETOOLONG')) continue;
      throw e;
    }
    const inode = socketInodeOfLink(link);
    if (inode < 0) continue;
    const list = out.get(inode);
    if (list) list.push(fd);
    else out.set(inode, [fd]);
  }
  return out;
}

/** The native walk in TypeScript (an addon without socketOwners): socketInodes() of every pid. */
function socketOwnersJs(): SocketOwnersRaw {
  const inodes: number[] = [];
  const pids: number[] = [];
  const fds: number[] = [];
  const denied: number[] = [];
  let scanned = 0;
  for (const name of readdirSync(procPath())) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    let held: Map<number, number[]>;
    try {
      held = socketInodes(pid);
    } catch (e) {
      if (isErrnoError(e) && (e.code === 'EACCES' || e.code === 'EPERM')) denied.push(pid);
      continue;
    }
    scanned++;
    for (const [inode, list] of held) {
      for (const fd of list) {
        inodes.push(inode);
        pids.push(pid);
        fds.push(fd);
      }
    }
  }
  return { inodes: Float64Array.from(inodes), pids: Int32Array.from(pids), fds: Int32Array.from(fds), denied: Int32Array.from(denied), scanned };
}

/**
 * Builds the inode → owner map from the walk's triples, in any order (a
 * fixture directory lists its pids unsorted): the lowest pid for 'first',
 * the highest for 'last'.
 */
export function ownersFromRaw(raw: SocketOwnersRaw, policy: OwnerPolicy): SocketOwners {
  const owners = new Map<number, SocketOwner>();
  const n = raw.inodes.length;
  for (let i = 0; i < n; i++) {
    const inode = raw.inodes[i]!;
    const pid = raw.pids[i]!;
    const cur = owners.get(inode);
    if (cur && cur.pid === pid) {
      cur.fds.push(raw.fds[i]!);
      continue;
    }
    if (cur && (policy === 'first' ? pid > cur.pid : pid < cur.pid)) continue;
    owners.set(inode, { pid, fds: [raw.fds[i]!] });
  }
  for (const o of owners.values()) if (o.fds.length > 1) o.fds.sort((a, b) => a - b);
  return { owners, denied: Array.from(raw.denied), scanned: raw.scanned };
}

/**
 * Socket inode → owning process, from one pass over <procfs>/<pid>/fd
 * (readlink of every fd, in native code when the addon has it). When
 * several processes hold a socket, `policy` picks the lowest pid ('first',
 * netstat's choice) or the highest ('last', psutil's).
 */
export function socketOwners(opts: { policy?: OwnerPolicy } = {}): SocketOwners {
  const b = sockDiagBinding();
  const root = procPath().replace(/\/$/, '') || '/';
  const raw = b ? b.socketOwners(root) : socketOwnersJs();
  return ownersFromRaw(raw, opts.policy ?? 'first');
}

/** socketOwners() without blocking the event loop. */
export async function socketOwnersAsync(opts: { policy?: OwnerPolicy } = {}): Promise<SocketOwners> {
  const b = sockDiagBinding();
  const root = procPath().replace(/\/$/, '') || '/';
  const raw = b ? await b.socketOwnersAsync(root) : socketOwnersJs();
  return ownersFromRaw(raw, opts.policy ?? 'first');
}

/** netstat reads a command line into a 512-byte buffer: the name comes from its first 511 bytes. */
export const NETSTAT_CMDLINE_BYTES = 511;

/**
 * The program name netstat shows for a pid: the first word of its command
 * line (at most its first `limit` bytes: 511, as netstat reads them), without
 * the directory when it is an absolute path; '' for an empty command line
 * (kernel threads). Bytes that are not UTF-8 are kept (surrogateescape,
 * core/text-bytes). null when the command line cannot be read (the process
 * is gone, or denied).
 */
export function programName(pid: number, limit = NETSTAT_CMDLINE_BYTES): string | null {
  return programNames(pid, limit)?.shown ?? null;
}

/** From one read of the command line: the name netstat shows (`limit` bytes read) and the whole name (nothing cut). */
export function programNames(pid: number, limit = NETSTAT_CMDLINE_BYTES): { shown: string; full: string } | null {
  let bytes: Buffer;
  try {
    bytes = readBytes(procPath(pid, 'cmdline'));
  } catch (e) {
    if (isErrnoError(e)) return null;
    throw e;
  }
  return { shown: programNameOf(bytes, limit), full: programNameOf(bytes, Infinity) };
}

/** programName's rule applied to the bytes of a cmdline file. */
export function programNameOf(cmdline: Uint8Array, limit = NETSTAT_CMDLINE_BYTES): string {
  const head = Buffer.from(cmdline.buffer, cmdline.byteOffset, Math.min(cmdline.byteLength, limit));
  const nul = head.indexOf(0);
  const first = nul < 0 ? head : head.subarray(0, nul);
  // '/' is one byte in UTF-8 and never inside a multibyte sequence: cut the bytes, then decode.
  const base = first[0] === 0x2f ? first.subarray(first.lastIndexOf(0x2f) + 1) : first;
  return decodeSurrogateEscape(base);
}
