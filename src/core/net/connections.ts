/**
 * Sockets: psutil's `net_connections()` and `Process.connections()`.
 *
 * The sockets of the caller's network namespace come from netlink sock_diag
 * when the kernel answers it (core/net/sockdiag.ts), else from
 * `<procfs>/net/{tcp,tcp6,udp,udp6,unix}` as psutil reads them
 * (core/procfs/net-sockets.ts); the owner of each socket from the
 * `socket:[inode]` links in `<procfs>/<pid>/fd/`. Both sources give psutil's
 * results: the same tuples, collapsed as psutil's set collapses them.
 *
 * JS mapping of psutil's tuples:
 * - inet `laddr`/`raddr`: `{ ip, port }` (psutil's `addr`), or `null` where
 *   psutil gives `()` (port 0: a listening socket's remote end, an unbound end);
 * - unix `laddr`: the path as the kernel prints it (abstract names start with
 *   '@'), `''` for an unnamed socket; unix `raddr`: always `''` (psutil: the
 *   peer of a unix socket cannot be read from /proc);
 * - `fd` is -1 and `pid` is null when the owner is unknown (psutil).
 */
import { isErrnoError } from '../../native/index.js';
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, CONN_NONE, type ConnectionStatus } from '../base/constants.js';
import { ParseError } from '../base/errors.js';
import { procNetSocketsName, type InetSocket, type UnixSocket } from '../procfs/net-sockets.js';
import {
  inetSockets, inetSocketsAsync, socketInodes, socketOwners, socketOwnersAsync, TCP_STATE_STATUS, unixSocketsDiag, unixSocketsProc,
  type InetListing, type SocketOwner, type SocketSource, type UnixDiagSocket,
} from './sockdiag.js';

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

/** Where netConnections() reads the socket tables: 'auto' (sock_diag, else /proc/net), or one of them. */
export type ConnectionsSource = 'auto' | SocketSource;

export interface NetConnectionsOptions {
  /** psutil's kind; 'inet' by default. */
  kind?: ConnKind;
  /** 'auto' (default): sock_diag when the kernel answers it, else the /proc/net files. */
  source?: ConnectionsSource;
}

export { socketInodes } from './sockdiag.js';

// --- the view: records of either source as psutil's tuples --------------------

/** psutil's view of one TCP/UDP socket record (the owner aside). */
export interface NetInetEntry {
  readonly family: number;
  readonly type: number;
  readonly laddr: Addr | null;
  readonly raddr: Addr | null;
  readonly status: ConnectionStatus;
  readonly inode: number;
}

/** psutil's view of one unix socket record (the owner aside). */
export interface NetUnixEntry {
  readonly type: number;
  /** '' for an unnamed socket; abstract names start with '@'. */
  readonly path: string;
  readonly inode: number;
}

/** psutil's `addr`, or null (psutil's `()`) when the port is 0. */
function psutilAddr(ip: string, port: number): Addr | null {
  return port === 0 ? null : { ip, port };
}

/**
 * A TCP or UDP record as psutil sees it. TCP states are psutil's table of
 * the /proc/net/tcp codes 01..0B (an unknown code is a ParseError, as psutil
 * fails on it); sock_diag's 12 (NEW_SYN_RECV) is SYN_RECV. UDP is CONN_NONE.
 */
export function inetConnView(s: InetSocket, source: SocketSource = 'procfs'): NetInetEntry {
  const type = s.protocol === 'tcp' ? SOCK_STREAM : SOCK_DGRAM;
  let status: ConnectionStatus = CONN_NONE;
  if (type === SOCK_STREAM) {
    const st = s.state <= 11 || source === 'sock_diag' ? TCP_STATE_STATUS[s.state] : undefined;
    if (st === undefined) {
      const hex = s.state.toString(16).toUpperCase().padStart(2, '0');
      throw new ParseError(source === 'procfs' ? `/proc/net/tcp${s.family === AF_INET6 ? '6' : ''}` : 'sock_diag', `unknown TCP state ${JSON.stringify(hex)}`);
    }
    status = st;
  }
  return {
    family: s.family,
    type,
    laddr: psutilAddr(s.localAddress, s.localPort),
    raddr: psutilAddr(s.remoteAddress, s.remotePort),
    status,
    inode: s.inode,
  };
}

/** A unix record of either source as psutil sees it: the path, '' when unbound. */
export function unixConnView(u: UnixSocket | UnixDiagSocket): NetUnixEntry {
  return { type: u.type, path: u.path ?? '', inode: u.inode };
}

function listingView(listing: InetListing): NetInetEntry[] {
  return (listing.sockets ?? []).map((s) => inetConnView(s, listing.source));
}

/** A missing *6 file (no IPv6 in this kernel): psutil skips the table (null); any other error is raised. */
function skipMissingV6(e: unknown, family: number): null {
  if (family === AF_INET6 && isErrnoError(e) && e.code === 'ENOENT') return null;
  throw e;
}

function unixEntries(source: ConnectionsSource): NetUnixEntry[] {
  if (source !== 'procfs') {
    const diag = unixSocketsDiag({ source });
    if (diag) return diag.map(unixConnView);
  }
  return unixSocketsProc({ missing: 'throw' })!.map(unixConnView);
}

/** The tables a kind needs, by psutil's file name ('tcp6', 'unix'...). */
type Tables = Map<string, readonly NetInetEntry[] | readonly NetUnixEntry[] | null>;

/** One inet table's listing, by protocol and family. */
type Lister = (protocol: 'tcp' | 'udp', family: number) => InetListing;

function readTables(kind: ConnKind, source: ConnectionsSource, list: Lister = (p, f) => inetSockets(p, f, { source, missing: 'throw' })): Tables {
  const t: Tables = new Map();
  for (const [name, family] of protocols(kind)) {
    if (family === AF_UNIX) t.set(name, unixEntries(source));
    else {
      try {
        t.set(name, listingView(list(name.startsWith('tcp') ? 'tcp' : 'udp', family)));
      } catch (e) {
        t.set(name, skipMissingV6(e, family));
      }
    }
  }
  return t;
}

/** readTables() with the inet dumps on the libuv pool: each listing (or its error) first, then the same views. */
async function readTablesAsync(kind: ConnKind, source: ConnectionsSource): Promise<Tables> {
  const got = new Map<string, () => InetListing>();
  for (const [name, family] of protocols(kind)) {
    if (family === AF_UNIX) continue;
    try {
      const listing = await inetSocketsAsync(name.startsWith('tcp') ? 'tcp' : 'udp', family, { source, missing: 'throw' });
      got.set(name, () => listing);
    } catch (e) {
      got.set(name, () => {
        throw e;
      });
    }
  }
  return readTables(kind, source, (p, f) => got.get(procNetSocketsName(p, f))!());
}

function retrieve(kind: ConnKind, tables: Tables, owners: Map<number, SocketOwner>, filterPid: number | null): Connection[] {
  const out: Connection[] = [];
  // psutil returns a set: identical tuples collapse — ownerless unnamed unix
  // sockets of one type, and any socket a table lists twice (a dump that
  // races with the table's changes, a hand-made file).
  const seen = new Set<string>();
  const addrKey = (a: Addr | string | null): string => (a === null ? '()' : typeof a === 'string' ? `u${a}` : `${a.ip}]${a.port}`);
  const add = (c: Connection): void => {
    const key = `${c.fd} ${c.family} ${c.type} ${addrKey(c.laddr)} ${addrKey(c.raddr)} ${c.status} ${c.pid}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const [name, family] of protocols(kind)) {
    if (family === AF_UNIX) {
      for (const e of (tables.get(name) ?? []) as readonly NetUnixEntry[]) {
        const owner = owners.get(e.inode);
        // One unix socket may sit on several fds: one entry each.
        const pairs: Array<[number | null, number]> = owner ? owner.fds.map((fd) => [owner.pid, fd]) : [[null, -1]];
        for (const [pid, fd] of pairs) {
          if (filterPid !== null && pid !== filterPid) continue;
          add({ fd, family, type: e.type, laddr: e.path, raddr: '', status: CONN_NONE, pid });
        }
      }
      continue;
    }
    for (const e of (tables.get(name) ?? []) as readonly NetInetEntry[]) {
      const owner = owners.get(e.inode);
      // An inet socket is reported once, on its owner's lowest fd (psutil).
      const pid = owner ? owner.pid : null;
      if (filterPid !== null && pid !== filterPid) continue;
      add({ fd: owner ? owner.fds[0]! : -1, family, type: e.type, laddr: e.laddr, raddr: e.raddr, status: e.status, pid });
    }
  }
  return out;
}

/**
 * psutil.net_connections(kind): every socket of the caller's network
 * namespace (kind defaults to 'inet'), with its owner when we may see it:
 * when several processes share a socket, psutil keeps the one it scans last
 * (the highest pid); so do we. Processes that vanish or that we may not
 * read are skipped (their sockets get pid null, fd -1), as netstat and lsof
 * do. `source` picks the socket tables' reader (tests compare both with psutil).
 */
export function netConnections(opts: NetConnectionsOptions = {}): Connection[] {
  const kind = opts.kind ?? 'inet';
  protocols(kind);
  const tables = readTables(kind, opts.source ?? 'auto');
  return retrieve(kind, tables, socketOwners({ policy: 'last' }).owners, null);
}

/** netConnections() without blocking the event loop (the dumps and the fd walk run on the libuv pool). */
export async function netConnectionsAsync(opts: NetConnectionsOptions = {}): Promise<Connection[]> {
  const kind = opts.kind ?? 'inet';
  protocols(kind);
  const ownersP = socketOwnersAsync({ policy: 'last' });
  const tables = await readTablesAsync(kind, opts.source ?? 'auto');
  return retrieve(kind, tables, (await ownersP).owners, null);
}

/**
 * psutil Process(pid).connections(kind): the sockets this process holds.
 * Errors reading the pid's fd directory are raised raw (ENOENT, EACCES...)
 * for the caller to map to NoSuchProcess/AccessDenied.
 */
export function processNetConnections(pid: number, kind: ConnKind = 'inet', opts: { source?: ConnectionsSource } = {}): ProcessConnection[] {
  protocols(kind);
  const inodes = socketInodes(pid);
  if (inodes.size === 0) return [];
  const owners = new Map<number, SocketOwner>();
  for (const [inode, fds] of inodes) owners.set(inode, { pid, fds });
  return retrieve(kind, readTables(kind, opts.source ?? 'auto'), owners, pid)
    .map(({ fd, family, type, laddr, raddr, status }) => ({ fd, family, type, laddr, raddr, status }));
}
