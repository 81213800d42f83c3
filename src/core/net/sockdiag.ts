/**
 * Sockets at scale: the socket tables through netlink sock_diag (what `ss`
 * uses) and their owners through one native pass over /proc/<pid>/fd, with
 * the /proc/net text tables as the fallback (no sock_diag in the kernel, a
 * seccomp filter, an old addon, or a fixture procfs root).
 *
 * Records carry every field netstat shows (queues, uid, inode, timers), in
 * the kernel's order: a sock_diag dump walks the same hash tables in the same
 * order as /proc/net/{tcp,udp}[6], so both sources list sockets identically.
 *
 * `netConnectionsDiag()` is psutil's net_connections() on top of them: the
 * same results as connections.ts' netConnections(), much faster with many
 * sockets (see bench/netstat.js).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { binding, isErrnoError, type InetDiagRaw, type NativeBinding, type SocketOwnersRaw, type UnixDiagRaw } from '../../native/index.js';
import { formatIPv6, type Addr, type ConnKind, type Connection } from './connections.js';
import {
  AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM,
  CONN_CLOSE, CONN_CLOSE_WAIT, CONN_CLOSING, CONN_ESTABLISHED, CONN_FIN_WAIT1, CONN_FIN_WAIT2,
  CONN_LAST_ACK, CONN_LISTEN, CONN_NONE, CONN_SYN_RECV, CONN_SYN_SENT, CONN_TIME_WAIT,
  type ConnectionStatus,
} from '../base/constants.js';
import { ParseError } from '../base/errors.js';
import { getProcfsPath, procPath } from '../base/paths.js';
import { readBytes, readText } from '../base/read.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

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

export type InetProtocol = 'tcp' | 'udp' | 'udplite' | 'raw';

const IPPROTO: Readonly<Record<InetProtocol, number>> = { tcp: 6, udp: 17, udplite: 136, raw: 255 };

/** One TCP/UDP/UDP-Lite/raw socket, with the fields of /proc/net/tcp. */
export interface InetSocket {
  /** AF_INET or AF_INET6. */
  readonly family: number;
  readonly protocol: InetProtocol;
  /**
   * The kernel's state number (include/net/tcp_states.h): 1 ESTABLISHED ...
   * 10 LISTEN, 11 CLOSING, 12 NEW_SYN_RECV. UDP: 1 (connected) or 7
   * (unconnected). Raw: as the kernel keeps it.
   */
  readonly state: number;
  /** Numeric address as inet_ntop writes it ('0.0.0.0', '::', '::ffff:127.0.0.1'). */
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Bytes waiting to be read (LISTEN: connections waiting to be accepted). */
  readonly rxQueue: number;
  /** Bytes not yet acknowledged (TCP) or queued to send (UDP); 0 for LISTEN, as /proc/net/tcp shows. */
  readonly txQueue: number;
  readonly uid: number;
  /** 0 for sockets no file refers to (TIME_WAIT, SYN_RECV). */
  readonly inode: number;
  /** 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe. */
  readonly timer: number;
  /** Seconds until the timer fires, in 0.01 s steps (the kernel's USER_HZ ticks); 0 when no timer runs. */
  readonly timerExpires: number;
  /** Unrecovered retransmissions (icsk_retransmits). */
  readonly retransmits: number;
  /** Keepalive / zero-window probes sent unanswered (icsk_probes_out). */
  readonly probes: number;
}

/** Which source produced a listing. */
export type SocketSource = 'sock_diag' | 'procfs';

/** TCP state number → psutil's CONN_* constant (12, NEW_SYN_RECV, is SYN_RECV). */
export const TCP_STATE_STATUS: Readonly<Record<number, ConnectionStatus>> = {
  1: CONN_ESTABLISHED, 2: CONN_SYN_SENT, 3: CONN_SYN_RECV, 4: CONN_FIN_WAIT1, 5: CONN_FIN_WAIT2, 6: CONN_TIME_WAIT,
  7: CONN_CLOSE, 8: CONN_CLOSE_WAIT, 9: CONN_LAST_ACK, 10: CONN_LISTEN, 11: CONN_CLOSING, 12: CONN_SYN_RECV,
};

// ------------------------------------------------------------------ /proc/net parsers

const HEX = /^[0-9A-Fa-f]+$/;

function hexField(tok: string | undefined, source: string, what: string): number {
  if (tok === undefined || !HEX.test(tok) || tok.length > 16) throw new ParseError(source, `bad ${what} ${JSON.stringify(tok)}`);
  return parseInt(tok, 16);
}

function decField(tok: string | undefined, source: string, what: string): number {
  if (tok === undefined || !/^-?\d+$/.test(tok)) throw new ParseError(source, `bad ${what} ${JSON.stringify(tok)}`);
  return Number(tok);
}

/** "ADDR:PORT" of /proc/net/{tcp,udp,raw}[6]: the address as 32-bit little-endian words (one for IPv4, four for IPv6). */
export function decodeProcAddress(field: string, family: number, source: string): { address: string; port: number } {
  const colon = field.indexOf(':');
  const ipHex = colon < 0 ? '' : field.slice(0, colon);
  const portHex = colon < 0 ? '' : field.slice(colon + 1);
  const width = family === AF_INET ? 8 : 32;
  if (ipHex.length !== width || !HEX.test(ipHex) || portHex.length === 0 || portHex.length > 4 || !HEX.test(portHex)) {
    throw new ParseError(source, `bad address ${JSON.stringify(field)}`);
  }
  const bytes = new Uint8Array(width / 2);
  for (let w = 0; w < width / 8; w++) {
    for (let b = 0; b < 4; b++) bytes[w * 4 + b] = parseInt(ipHex.slice(w * 8 + (3 - b) * 2, w * 8 + (3 - b) * 2 + 2), 16);
  }
  return { address: family === AF_INET ? Array.from(bytes).join('.') : formatIPv6(bytes), port: parseInt(portHex, 16) };
}

/**
 * /proc/net/{tcp,udp,udplite,raw}[6]: every field netstat reads. The first
 * line is the header. Short lines (a TIME_WAIT entry has fewer trailing
 * fields) are fine as long as the ten netstat needs are there.
 */
export function parseProcNetSockets(text: string, family: number, protocol: InetProtocol): InetSocket[] {
  const source = `/proc/net/${protocol}${family === AF_INET6 ? '6' : ''}`;
  if (family !== AF_INET && family !== AF_INET6) throw new ParseError(source, `family ${family} is not AF_INET or AF_INET6`);
  const out: InetSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim().split(/\s+/);
    if (t.length === 1 && t[0] === '') continue;
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (t.length < 10 || !t[0]!.endsWith(':')) throw new ParseError(source, `malformed line ${i} ${JSON.stringify(line)}`);
    const local = decodeProcAddress(t[1]!, family, source);
    const remote = decodeProcAddress(t[2]!, family, source);
    const state = hexField(t[3], source, 'state');
    const q = t[4]!.split(':');
    const tm = t[5]!.split(':');
    if (q.length !== 2 || tm.length !== 2) throw new ParseError(source, `malformed line ${i} ${JSON.stringify(line)}`);
    const timer = hexField(tm[0], source, 'timer');
    out.push({
      family,
      protocol,
      state,
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      txQueue: hexField(q[0], source, 'tx_queue'),
      rxQueue: hexField(q[1], source, 'rx_queue'),
      timer,
      // clock_t ticks (USER_HZ, 100 per second on Linux); the kernel prints 0 when no timer runs.
      timerExpires: hexField(tm[1], source, 'timer expiry') / 100,
      retransmits: hexField(t[6], source, 'retrnsmt'),
      uid: decField(t[7], source, 'uid'),
      probes: decField(t[8], source, 'timeout'),
      inode: decField(t[9], source, 'inode'),
    });
  }
  return out;
}

/** One line of /proc/net/unix, with every field netstat shows. */
export interface UnixSocket {
  /** The socket's reference count (RefCount). */
  readonly refCount: number;
  /** Always 0 (PF_UNIX). */
  readonly protocol: number;
  /** __SO_ACCEPTCON (0x10000) when listening. */
  readonly flags: number;
  /** SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5. */
  readonly type: number;
  /** The BSD socket state: 0 FREE, 1 UNCONNECTED, 2 CONNECTING, 3 CONNECTED, 4 DISCONNECTING. */
  readonly state: number;
  readonly inode: number;
  /**
   * The bound path as the kernel prints it (abstract names start with '@');
   * null when unbound. Bytes that are not UTF-8 are kept as U+DC80..U+DCFF
   * (surrogateescape, core/text-bytes).
   */
  readonly path: string | null;
}

// Num RefCount Protocol Flags Type St Inode [Path]: the path follows the inode after one space.
const UNIX_LINE = /^\s*([0-9A-Fa-f]+):\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\d+)(?: (.*))?$/;

/**
 * /proc/net/unix. The kernel writes a path raw, so one with a newline
 * continues on the next line: such continuation lines (no ': ' fields) are
 * appended to the path.
 */
export function parseProcNetUnix(text: string): UnixSocket[] {
  const source = '/proc/net/unix';
  const out: UnixSocket[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[0] !== '' && !/^Num\s/.test(lines[0]!)) throw new ParseError(source, `unexpected header ${JSON.stringify(lines[0])}`);
  let last: { path: string | null } | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' && i === lines.length - 1) continue;
    const m = UNIX_LINE.exec(line);
    if (!m) {
      if (last && last.path !== null) {
        last.path += `\n${line}`;
        continue;
      }
      if (line.trim() === '') continue;
      throw new ParseError(source, `malformed line ${JSON.stringify(line)}`);
    }
    const rec = {
      refCount: parseInt(m[2]!, 16),
      protocol: parseInt(m[3]!, 16),
      flags: parseInt(m[4]!, 16),
      type: parseInt(m[5]!, 16),
      state: parseInt(m[6]!, 16),
      inode: Number(m[7]),
      path: m[8] === undefined ? null : m[8],
    };
    out.push(rec);
    last = rec;
  }
  return out;
}

// ------------------------------------------------------------------ sock_diag decoding

const ALL_STATES = 0xffffffff;
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
        t = `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
        this.v4.set(k, t);
      }
      return t;
    }
    const k = buf.toString('latin1', off, off + 16);
    let t = this.v6.get(k);
    if (t === undefined) {
      t = formatIPv6(buf.subarray(off, off + 16));
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
}

/** A listing and where it came from; `sockets` is null when the kernel has no such table (no IPv6). */
export interface InetListing {
  readonly sockets: InetSocket[] | null;
  readonly source: SocketSource;
}

function procListing(protocol: InetProtocol, family: number): InetListing {
  const name = `${protocol}${family === AF_INET6 ? '6' : ''}`;
  let text: string;
  try {
    text = readText(procPath('net', name));
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'EACCES')) return { sockets: null, source: 'procfs' };
    throw e;
  }
  return { sockets: parseProcNetSockets(text, family, protocol), source: 'procfs' };
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
      return { sockets: decodeInetDiag(b.inetDiag(family, IPPROTO[protocol], ALL_STATES, ext), protocol), source: 'sock_diag' };
    } catch (e) {
      if (!(isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code)) || opts.source === 'sock_diag') throw e;
    }
  }
  return procListing(protocol, family);
}

/** inetSockets() without blocking the event loop (the dump runs on the libuv pool). */
export async function inetSocketsAsync(protocol: InetProtocol, family: number, opts: InetSocketsOptions = {}): Promise<InetListing> {
  const b = useDiag(opts.source);
  if (b) {
    try {
      const ext = protocol === 'tcp' && opts.timers ? EXT_INFO : 0;
      return { sockets: decodeInetDiag(await b.inetDiagAsync(family, IPPROTO[protocol], ALL_STATES, ext), protocol), source: 'sock_diag' };
    } catch (e) {
      if (!(isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code)) || opts.source === 'sock_diag') throw e;
    }
  }
  return procListing(protocol, family);
}

/** /proc/net/unix (netstat's source: RefCount and the BSD socket state exist only there); null when absent. */
export function unixSocketsProc(): UnixSocket[] | null {
  let text: string;
  try {
    // Paths are bytes: decoded losslessly (surrogateescape).
    text = decodeSurrogateEscape(readBytes(procPath('net', 'unix')));
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'EACCES')) return null;
    throw e;
  }
  return parseProcNetUnix(text);
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

/** Unix sockets through sock_diag (with each one's peer); null when sock_diag cannot answer here. */
export function unixSocketsDiag(): UnixDiagSocket[] | null {
  const b = useDiag('auto');
  if (!b) return null;
  try {
    return decodeUnixDiag(b.unixDiag(ALL_STATES, UDIAG_SHOW));
  } catch (e) {
    if (isErrnoError(e) && DIAG_UNAVAILABLE.has(e.code)) return null;
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

/** The same walk in TypeScript (an addon without socketOwners). */
function socketOwnersJs(root: string): SocketOwnersRaw {
  const inodes: number[] = [];
  const pids: number[] = [];
  const fds: number[] = [];
  const denied: number[] = [];
  let scanned = 0;
  for (const name of readdirSync(root)) {
    if (!/^\d+$/.test(name)) continue;
    const dir = `${root}/${name}/fd`;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') denied.push(Number(name));
      continue;
    }
    scanned++;
    for (const fd of entries) {
      if (!/^\d+$/.test(fd)) continue;
      let link: string;
      try {
        link = readlinkSync(`${dir}/${fd}`);
      } catch {
        continue;
      }
      const inode = socketInodeOfLink(link);
      if (inode < 0) continue;
      inodes.push(inode);
      pids.push(Number(name));
      fds.push(Number(fd));
    }
  }
  return { inodes: Float64Array.from(inodes), pids: Int32Array.from(pids), fds: Int32Array.from(fds), denied: Int32Array.from(denied), scanned };
}

/** Builds the inode → owner map from the walk's triples. */
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
    if (cur && policy === 'first') continue;
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
  const raw = b ? b.socketOwners(root) : socketOwnersJs(root);
  return ownersFromRaw(raw, opts.policy ?? 'first');
}

/** socketOwners() without blocking the event loop. */
export async function socketOwnersAsync(opts: { policy?: OwnerPolicy } = {}): Promise<SocketOwners> {
  const b = sockDiagBinding();
  const root = procPath().replace(/\/$/, '') || '/';
  const raw = b ? await b.socketOwnersAsync(root) : socketOwnersJs(root);
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

// ------------------------------------------------------------------ psutil's net_connections

type Proto = readonly [protocol: 'tcp' | 'udp' | 'unix', family: number];
const KINDS: Readonly<Record<ConnKind, readonly Proto[]>> = {
  all: [['tcp', AF_INET], ['tcp', AF_INET6], ['udp', AF_INET], ['udp', AF_INET6], ['unix', AF_UNIX]],
  tcp: [['tcp', AF_INET], ['tcp', AF_INET6]],
  tcp4: [['tcp', AF_INET]],
  tcp6: [['tcp', AF_INET6]],
  udp: [['udp', AF_INET], ['udp', AF_INET6]],
  udp4: [['udp', AF_INET]],
  udp6: [['udp', AF_INET6]],
  unix: [['unix', AF_UNIX]],
  inet: [['tcp', AF_INET], ['tcp', AF_INET6], ['udp', AF_INET], ['udp', AF_INET6]],
  inet4: [['tcp', AF_INET], ['udp', AF_INET]],
  inet6: [['tcp', AF_INET6], ['udp', AF_INET6]],
};

function kindProtocols(kind: unknown): readonly Proto[] {
  if (typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KINDS, kind)) return KINDS[kind as ConnKind];
  const repr = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : v === undefined || v === null ? 'None' : String(v));
  throw new RangeError(`invalid ${repr(kind)} kind argument; choose between ${Object.keys(KINDS).map(repr).join(', ')}`);
}

function psutilAddr(address: string, port: number): Addr | null {
  return port === 0 ? null : { ip: address, port };
}

interface UnixLite {
  type: number;
  path: string;
  inode: number;
}

function unixForPsutil(): UnixLite[] {
  const diag = unixSocketsDiag();
  if (diag) return diag.map((u) => ({ type: u.type, path: u.path ?? '', inode: u.inode }));
  return (unixSocketsProc() ?? []).map((u) => ({ type: u.type, path: u.path ?? '', inode: u.inode }));
}

function buildConnections(kind: ConnKind, lists: Map<string, InetSocket[] | null>, unix: UnixLite[] | null, owners: Map<number, SocketOwner>): Connection[] {
  const out: Connection[] = [];
  const seen = new Set<string>();
  const addrKey = (a: Addr | string | null): string => (a === null ? '()' : typeof a === 'string' ? `u${a}` : `${a.ip}]${a.port}`);
  const add = (c: Connection): void => {
    // psutil returns a set: identical tuples collapse. Only ownerless ones
    // can collide (an owner's (pid, fd) names one socket).
    if (c.pid !== null) {
      out.push(c);
      return;
    }
    const key = `${c.fd} ${c.family} ${c.type} ${addrKey(c.laddr)} ${addrKey(c.raddr)} ${c.status} ${c.pid}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const [protocol, family] of KINDS[kind]) {
    if (protocol === 'unix') {
      for (const u of unix ?? []) {
        const owner = owners.get(u.inode);
        const pairs: Array<[number | null, number]> = owner ? owner.fds.map((fd) => [owner.pid, fd]) : [[null, -1]];
        for (const [pid, fd] of pairs) add({ fd, family: AF_UNIX, type: u.type, laddr: u.path, raddr: '', status: CONN_NONE, pid });
      }
      continue;
    }
    const list = lists.get(`${protocol}${family}`);
    for (const s of list ?? []) {
      const owner = owners.get(s.inode);
      add({
        fd: owner ? owner.fds[0]! : -1,
        family,
        type: protocol === 'tcp' ? SOCK_STREAM : SOCK_DGRAM,
        laddr: psutilAddr(s.localAddress, s.localPort),
        raddr: psutilAddr(s.remoteAddress, s.remotePort),
        status: protocol === 'tcp' ? TCP_STATE_STATUS[s.state] ?? CONN_NONE : CONN_NONE,
        pid: owner ? owner.pid : null,
      });
    }
  }
  return out;
}

/**
 * psutil.net_connections(kind) through sock_diag and the native fd walk: the
 * same results as netConnections() (psutil's rules: a shared socket belongs
 * to the highest pid; inet sockets once, on the owner's lowest fd; unix
 * sockets once per fd; duplicates collapse), in a fraction of the time with
 * many sockets.
 */
export function netConnectionsDiag(opts: { kind?: ConnKind } = {}): Connection[] {
  const kind = (opts.kind ?? 'inet') as ConnKind;
  const protos = kindProtocols(kind);
  const lists = new Map<string, InetSocket[] | null>();
  let unix: UnixLite[] | null = null;
  for (const [protocol, family] of protos) {
    if (protocol === 'unix') unix = unixForPsutil();
    else lists.set(`${protocol}${family}`, inetSockets(protocol, family).sockets);
  }
  return buildConnections(kind, lists, unix, socketOwners({ policy: 'last' }).owners);
}

/** netConnectionsDiag() without blocking the event loop. */
export async function netConnectionsDiagAsync(opts: { kind?: ConnKind } = {}): Promise<Connection[]> {
  const kind = (opts.kind ?? 'inet') as ConnKind;
  const protos = kindProtocols(kind);
  const lists = new Map<string, InetSocket[] | null>();
  let unix: UnixLite[] | null = null;
  const ownersP = socketOwnersAsync({ policy: 'last' });
  for (const [protocol, family] of protos) {
    if (protocol === 'unix') unix = unixForPsutil();
    else lists.set(`${protocol}${family}`, (await inetSocketsAsync(protocol, family)).sockets);
  }
  return buildConnections(kind, lists, unix, (await ownersP).owners);
}
