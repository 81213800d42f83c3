/**
 * Sockets: psutil's `net_connections()` and `Process.connections()`.
 *
 * As psutil does: the sockets come from `<procfs>/net/{tcp,tcp6,udp,udp6,unix}`
 * (the caller's network namespace: /proc/net is /proc/self/net), and the owner
 * of each socket from the `socket:[inode]` links in `<procfs>/<pid>/fd/`.
 *
 * JS mapping of psutil's tuples:
 * - inet `laddr`/`raddr`: `{ ip, port }` (psutil's `addr`), or `null` where
 *   psutil gives `()` (port 0: a listening socket's remote end, an unbound end);
 * - unix `laddr`: the path as the kernel prints it (abstract names start with
 *   '@'), `''` for an unnamed socket; unix `raddr`: always `''` (psutil: the
 *   peer of a unix socket cannot be read from /proc);
 * - `fd` is -1 and `pid` is null when the owner is unknown (psutil).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import {
  AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM,
  CONN_CLOSE, CONN_CLOSE_WAIT, CONN_CLOSING, CONN_ESTABLISHED, CONN_FIN_WAIT1, CONN_FIN_WAIT2,
  CONN_LAST_ACK, CONN_LISTEN, CONN_NONE, CONN_SYN_RECV, CONN_SYN_SENT, CONN_TIME_WAIT,
  type ConnectionStatus,
} from '../base/constants.js';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';

export type ConnKind = 'inet' | 'inet4' | 'inet6' | 'tcp' | 'tcp4' | 'tcp6' | 'udp' | 'udp4' | 'udp6' | 'unix' | 'all';

/** psutil's `addr` named tuple. */
export interface Addr {
  readonly ip: string;
  readonly port: number;
}

/** psutil's `pconn`: one socket of one process. */
export interface ProcessConnection {
  /** -1 when unknown. */
  readonly fd: number;
  /** AF_INET, AF_INET6 or AF_UNIX. */
  readonly family: number;
  /** SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET. */
  readonly type: number;
  /** inet: `{ ip, port }` or null (psutil `()`); unix: the path, '' when unnamed. */
  readonly laddr: Addr | string | null;
  /** inet: `{ ip, port }` or null (psutil `()`); unix: always ''. */
  readonly raddr: Addr | string | null;
  /** CONN_* for TCP, CONN_NONE for UDP and unix sockets. */
  readonly status: ConnectionStatus;
}

/** psutil's `sconn`: a socket of the system, with its owner when known. */
export interface Connection extends ProcessConnection {
  /** null when the owner is unknown (no permission to read its fds, or no owner). */
  readonly pid: number | null;
}

/** One line of /proc/net/{tcp,tcp6,udp,udp6}. */
export interface NetInetEntry {
  readonly family: number;
  readonly type: number;
  readonly laddr: Addr | null;
  readonly raddr: Addr | null;
  readonly status: ConnectionStatus;
  readonly inode: number;
}

/** One line of /proc/net/unix. */
export interface NetUnixEntry {
  readonly type: number;
  /** '' for an unnamed socket; abstract names start with '@'. */
  readonly path: string;
  readonly inode: number;
}

// include/net/tcp_states.h
const TCP_STATUSES: Readonly<Record<string, ConnectionStatus>> = {
  '01': CONN_ESTABLISHED,
  '02': CONN_SYN_SENT,
  '03': CONN_SYN_RECV,
  '04': CONN_FIN_WAIT1,
  '05': CONN_FIN_WAIT2,
  '06': CONN_TIME_WAIT,
  '07': CONN_CLOSE,
  '08': CONN_CLOSE_WAIT,
  '09': CONN_LAST_ACK,
  '0A': CONN_LISTEN,
  '0B': CONN_CLOSING,
};

type Proto = readonly [name: string, family: number, type: number | null];
const TCP4: Proto = ['tcp', AF_INET, SOCK_STREAM];
const TCP6: Proto = ['tcp6', AF_INET6, SOCK_STREAM];
const UDP4: Proto = ['udp', AF_INET, SOCK_DGRAM];
const UDP6: Proto = ['udp6', AF_INET6, SOCK_DGRAM];
const UNIX: Proto = ['unix', AF_UNIX, null];

// psutil's table, in psutil's order (its error message lists the keys in this order).
const KINDS: Readonly<Record<ConnKind, readonly Proto[]>> = {
  all: [TCP4, TCP6, UDP4, UDP6, UNIX],
  tcp: [TCP4, TCP6],
  tcp4: [TCP4],
  tcp6: [TCP6],
  udp: [UDP4, UDP6],
  udp4: [UDP4],
  udp6: [UDP6],
  unix: [UNIX],
  inet: [TCP4, TCP6, UDP4, UDP6],
  inet4: [TCP4, UDP4],
  inet6: [TCP6, UDP6],
};

function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (v === undefined || v === null) return 'None';
  return String(v);
}

function protocols(kind: unknown): readonly Proto[] {
  if (typeof kind === 'string' && Object.prototype.hasOwnProperty.call(KINDS, kind)) return KINDS[kind as ConnKind];
  // psutil raises ValueError with this message.
  throw new RangeError(`invalid ${pyRepr(kind)} kind argument; choose between ${Object.keys(KINDS).map((k) => pyRepr(k)).join(', ')}`);
}

// --- addresses ---------------------------------------------------------------

const HEX = /^[0-9A-Fa-f]+$/;

/** IPv6 text as glibc's inet_ntop (which Python's socket.inet_ntop uses) writes it. */
export function formatIPv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  // The longest run of zero words (the first on a tie), if at least 2 long, becomes '::'.
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in a dotted quad.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/**
 * An "ADDR:PORT" field of /proc/net/{tcp,udp}[6] as psutil decodes it: null
 * (psutil's `()`) when the port is 0. The address is written as 32-bit words
 * in host byte order (little-endian here): one word for IPv4, four for IPv6.
 */
export function decodeAddress(field: string, family: number, source = 'address'): Addr | null {
  const colon = field.indexOf(':');
  const ipHex = colon < 0 ? '' : field.slice(0, colon);
  const portHex = colon < 0 ? '' : field.slice(colon + 1);
  const width = family === AF_INET ? 8 : 32;
  if (ipHex.length !== width || !HEX.test(ipHex) || portHex.length === 0 || portHex.length > 4 || !HEX.test(portHex)) {
    throw new ParseError(source, `bad address ${JSON.stringify(field)}`);
  }
  const port = parseInt(portHex, 16);
  if (port === 0) return null;
  const bytes = new Uint8Array(width / 2);
  for (let w = 0; w < width / 8; w++) {
    // Each 32-bit word is little-endian in the file: reverse its 4 bytes.
    for (let b = 0; b < 4; b++) bytes[w * 4 + b] = parseInt(ipHex.slice(w * 8 + (3 - b) * 2, w * 8 + (3 - b) * 2 + 2), 16);
  }
  const ip = family === AF_INET ? Array.from(bytes).join('.') : formatIPv6(bytes);
  return { ip, port };
}

// --- parsers -----------------------------------------------------------------

function parseInode(tok: string | undefined, source: string, line: string): number {
  if (tok === undefined || !/^\d+$/.test(tok)) throw new ParseError(source, `bad inode in line ${JSON.stringify(line)}`);
  return Number(tok);
}

function parseInet(text: string, family: number, type: number, source: string): NetInetEntry[] {
  if (family !== AF_INET && family !== AF_INET6) throw new ParseError(source, `family ${family} is not AF_INET or AF_INET6`);
  const out: NetInetEntry[] = [];
  const lines = text.split('\n');
  // The first line is the header.
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim().split(/\s+/);
    if (t.length === 1 && t[0] === '') continue;
    //  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    if (t.length < 10) throw new ParseError(source, `malformed line ${i} ${JSON.stringify(line)}`);
    const laddr = decodeAddress(t[1]!, family, source);
    const raddr = decodeAddress(t[2]!, family, source);
    let status: ConnectionStatus = CONN_NONE;
    if (type === SOCK_STREAM) {
      const s = TCP_STATUSES[t[3]!.toUpperCase()];
      if (s === undefined) throw new ParseError(source, `unknown TCP state ${JSON.stringify(t[3])}`);
      status = s;
    }
    out.push({ family, type, laddr, raddr, status, inode: parseInode(t[9], source, line) });
  }
  return out;
}

/** /proc/net/tcp (family AF_INET) or /proc/net/tcp6 (AF_INET6). */
export function parseNetTcp(text: string, family: number): NetInetEntry[] {
  return parseInet(text, family, SOCK_STREAM, family === AF_INET6 ? '/proc/net/tcp6' : '/proc/net/tcp');
}

/** /proc/net/udp (family AF_INET) or /proc/net/udp6 (AF_INET6). Status is always CONN_NONE (psutil). */
export function parseNetUdp(text: string, family: number): NetInetEntry[] {
  return parseInet(text, family, SOCK_DGRAM, family === AF_INET6 ? '/proc/net/udp6' : '/proc/net/udp');
}

// Num RefCount Protocol Flags Type St Inode [Path]; the path follows the inode after one space.
const UNIX_LINE = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?: (.*))?$/;

/**
 * /proc/net/unix. The path is the rest of the line after the inode (psutil
 * 5.9.4 gives '' when a path contains whitespace, because it wants exactly 8
 * fields; the kernel prints the path raw, so the rest of the line is the path).
 */
export function parseNetUnix(text: string): NetUnixEntry[] {
  const source = '/proc/net/unix';
  const out: NetUnixEntry[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const m = UNIX_LINE.exec(line);
    if (!m) {
      // The tail of a path that contained a newline (psutil issue 766): no field separators.
      if (!line.includes(' ')) continue;
      throw new ParseError(source, `malformed line ${JSON.stringify(line)}`);
    }
    const typeTok = m[5]!;
    if (!HEX.test(typeTok) || typeTok.length > 8) throw new ParseError(source, `bad socket type in line ${JSON.stringify(line)}`);
    out.push({ type: parseInt(typeTok, 16), path: m[8] ?? '', inode: parseInode(m[7], source, line) });
  }
  return out;
}

// --- owners ------------------------------------------------------------------

function errCode(e: unknown): string | undefined {
  return e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
}

/**
 * inode → this pid's fds holding it (ascending), from the `socket:[N]` links.
 * Listing the fd directory fails with the raw errno error; a fd that closes
 * meanwhile (ENOENT/ESRCH), is not a link (EINVAL) or is too long is skipped.
 */
export function socketInodes(pid: number): Map<number, number[]> {
  const dir = procPath(pid, 'fd');
  const names = readdirSync(dir);
  const fds = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const out = new Map<number, number[]>();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${fd}`);
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ESRCH' || code === 'EINVAL' || code === 'ENAMETOOLONG') continue;
      throw e;
    }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (!m) continue;
    const inode = Number(m[1]);
    const list = out.get(inode);
    if (list) list.push(fd);
    else out.set(inode, [fd]);
  }
  return out;
}

function allPids(): number[] {
  return readdirSync(procPath())
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

interface Owner {
  pid: number;
  fds: number[];
}

/**
 * inode → owner for every process we may look at. Processes that vanish or
 * that we may not read are skipped (their sockets get pid null, fd -1), as
 * netstat and lsof do. When several processes share a socket, psutil keeps
 * the one scanned last (the highest pid); so do we.
 */
function allSocketInodes(): Map<number, Owner> {
  const out = new Map<number, Owner>();
  for (const pid of allPids()) {
    let inodes: Map<number, number[]>;
    try {
      inodes = socketInodes(pid);
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM') continue;
      throw e;
    }
    for (const [inode, fds] of inodes) out.set(inode, { pid, fds });
  }
  return out;
}

function readProto(name: string): string | undefined {
  try {
    return readText(procPath('net', name));
  } catch (e) {
    // No IPv6 in this kernel: psutil skips the *6 files when they are missing.
    if (name.endsWith('6') && errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function retrieve(kind: unknown, owners: Map<number, Owner>, filterPid: number | null): Connection[] {
  const out: Connection[] = [];
  // psutil returns a set: identical tuples (typically ownerless unnamed unix sockets) appear once.
  const seen = new Set<string>();
  const add = (c: Connection): void => {
    const key = JSON.stringify([c.fd, c.family, c.type, c.laddr, c.raddr, c.status, c.pid]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const [name, family, type] of protocols(kind)) {
    const text = readProto(name);
    if (text === undefined) continue;
    if (family === AF_UNIX) {
      for (const e of parseNetUnix(text)) {
        const owner = owners.get(e.inode);
        // One unix socket may sit on several fds: one entry each.
        const pairs: Array<[number | null, number]> = owner ? owner.fds.map((fd) => [owner.pid, fd]) : [[null, -1]];
        for (const [pid, fd] of pairs) {
          if (filterPid !== null && pid !== filterPid) continue;
          add({ fd, family, type: e.type, laddr: e.path, raddr: '', status: CONN_NONE, pid });
        }
      }
    } else {
      const entries = type === SOCK_STREAM ? parseNetTcp(text, family) : parseNetUdp(text, family);
      for (const e of entries) {
        const owner = owners.get(e.inode);
        // An inet socket is reported once, on its owner's lowest fd (psutil).
        const pid = owner ? owner.pid : null;
        if (filterPid !== null && pid !== filterPid) continue;
        add({ fd: owner ? owner.fds[0]! : -1, family, type: e.type, laddr: e.laddr, raddr: e.raddr, status: e.status, pid });
      }
    }
  }
  return out;
}

/** psutil.net_connections(kind): every socket of the system (kind defaults to 'inet'). */
export function netConnections(opts: { kind?: ConnKind } = {}): Connection[] {
  const kind = opts.kind ?? 'inet';
  protocols(kind);
  return retrieve(kind, allSocketInodes(), null);
}

/**
 * psutil Process(pid).connections(kind): the sockets this process holds.
 * Errors reading the pid's fd directory are raised raw (ENOENT, EACCES...)
 * for the caller to map to NoSuchProcess/AccessDenied.
 */
export function processNetConnections(pid: number, kind: ConnKind = 'inet'): ProcessConnection[] {
  protocols(kind);
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return [];
  const owners = new Map<number, Owner>();
  for (const [inode, fds] of inodes) owners.set(inode, { pid, fds });
  return retrieve(kind, owners, pid).map(({ fd, family, type, laddr, raddr, status }) => ({ fd, family, type, laddr, raddr, status }));
}
