/**
 * netstat's socket tables: "Active Internet connections" (tcp, udp,
 * udplite, raw) and "Active UNIX domain sockets". Rows are built from the
 * core's records (raw numbers), then rendered with net-tools' exact layout.
 */
import type { InetProtocol, InetSocket, UnixSocket } from '../../core/net/sockdiag.js';
import { addrPort, hostText, padEnd, padStart, portText, truncBytes, type Names, type Numeric } from './format.js';

/** Who owns a socket. */
export interface OwnerInfo {
  readonly pid: number;
  /** The program name (first word of the command line, basename when absolute), whole: --json's. */
  readonly program: string;
  /** The same from the first 511 bytes of the command line, as netstat reads it: what -p shows. */
  readonly shown: string;
}

export interface SocketView {
  all: boolean;
  listening: boolean;
  /** -e given (net-tools' flag_exp > 1): User and Inode columns. */
  extend: boolean;
  programs: boolean;
  timers: boolean;
  wide: boolean;
  numeric: Numeric;
}

// include/net/tcp_states.h, as net-tools names them.
const TCP_STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'];

/** One row of the Internet table; the --json form of a socket. */
export interface InetRow {
  /** netstat's Proto column: tcp, tcp6, udp, udp6, udpl, udpl6, raw, raw6. */
  readonly proto: string;
  readonly protocol: InetProtocol;
  readonly family: 'inet' | 'inet6';
  readonly recvQ: number;
  readonly sendQ: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly foreignAddress: string;
  readonly foreignPort: number;
  /** The State column's text ('' for an unconnected UDP socket; the number for raw). */
  readonly state: string;
  /** The kernel's state number. */
  readonly stateCode: number;
  readonly uid: number;
  readonly inode: number;
  /** The owning process (netstat: the lowest pid holding the socket); null when unknown. */
  readonly pid: number | null;
  /** Its program name, never cut; bytes that are not UTF-8 as U+DC80..U+DCFF (surrogateescape). */
  readonly program: string | null;
  readonly timer: {
    /** off, on, keepalive, timewait, probe (TCP); off, on1, on2 (UDP/raw); unkn-N otherwise. */
    readonly name: string;
    /** Seconds until it fires (0.01 s steps). */
    readonly expires: number;
    readonly retransmits: number;
    readonly probes: number;
  };
}

/** One row of the UNIX table. */
export interface UnixRow {
  readonly proto: 'unix';
  readonly refCnt: number;
  /** Flag names shown in brackets: ACC (listening), W (waiting for data), N (no space). */
  readonly flags: string[];
  readonly type: string;
  readonly typeCode: number;
  /** LISTENING, CONNECTED, CONNECTING, DISCONNECTING, FREE or '' (unconnected). */
  readonly state: string;
  readonly stateCode: number;
  readonly inode: number;
  readonly pid: number | null;
  /** As in InetRow: whole, surrogateescape. */
  readonly program: string | null;
  /** The bound path as the kernel shows it ('@' first for abstract names), whole, surrogateescape; null when unbound. */
  readonly path: string | null;
}

function allZero(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** netstat's selection: -l shows listeners only, -a everything, default the others. */
export function selectInet(s: InetSocket, view: Pick<SocketView, 'all' | 'listening'>): boolean {
  if (view.all) return true;
  // TCP decides on the remote port, UDP and raw on the remote address.
  const listening = s.protocol === 'tcp' ? s.remotePort === 0 : allZero(s.remoteAddress);
  return view.listening ? listening : !listening;
}

function protoName(protocol: InetProtocol, family: number): string {
  const base = protocol === 'udplite' ? 'udpl' : protocol;
  return family === 10 ? `${base}6` : base;
}

function stateText(s: InetSocket): string {
  if (s.protocol === 'tcp') return TCP_STATES[s.state] ?? '';
  if (s.protocol === 'raw') return String(s.state);
  return s.state === 1 ? 'ESTABLISHED' : s.state === 7 ? '' : 'UNKNOWN';
}

function timerName(s: InetSocket): string {
  if (s.protocol === 'tcp') {
    const names = ['off', 'on', 'keepalive', 'timewait', 'probe'];
    return names[s.timer] ?? `unkn-${s.timer}`;
  }
  if (s.timer === 0) return 'off';
  return s.timer === 1 || s.timer === 2 ? `on${s.timer}` : `unkn-${s.timer}`;
}

export function inetRow(s: InetSocket, owner: OwnerInfo | undefined): InetRow {
  return {
    proto: protoName(s.protocol, s.family),
    protocol: s.protocol,
    family: s.family === 10 ? 'inet6' : 'inet',
    recvQ: s.rxQueue,
    sendQ: s.txQueue,
    localAddress: s.localAddress,
    localPort: s.localPort,
    foreignAddress: s.remoteAddress,
    foreignPort: s.remotePort,
    state: stateText(s),
    stateCode: s.state,
    uid: s.uid,
    inode: s.inode,
    pid: owner ? owner.pid : null,
    program: owner ? owner.program : null,
    timer: {
      name: timerName(s),
      expires: s.timerExpires,
      // netstat shows no retransmit count for UDP and raw.
      retransmits: s.protocol === 'tcp' ? s.retransmits : 0,
      probes: s.probes,
    },
  };
}

/** "PID/Program name" as net-tools stores it: at most 19 bytes; '-' when unknown. */
export function ownerText(pid: number | null, program: string | null): string {
  if (pid === null || program === null) return '-';
  return truncBytes(`${pid}/${program}`, 19);
}

export function inetTitle(view: SocketView): string {
  const mode = view.all ? '(servers and established)' : view.listening ? '(only servers)' : '(w/o servers)';
  let head = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  if (view.extend) head += ' User       Inode     ';
  if (view.programs) head += ` ${padEnd('PID/Program name', 20)}`;
  if (view.timers) head += ' Timer';
  return `Active Internet connections ${mode}\n${head}\n`;
}

function timerText(r: InetRow): string {
  const t = r.timer;
  if (t.name === 'off') return `off (0.00/${t.retransmits}/${t.probes})`;
  return `${t.name} (${t.expires.toFixed(2)}/${t.retransmits}/${t.probes})`;
}

function tail(view: SocketView, names: Names, uid: number, inode: number, owner: string, timers: string): string {
  let out = '';
  if (view.extend) {
    const user = view.numeric.users ? null : names.user(uid);
    out += ` ${padEnd(user ?? String(uid), 10)} ${padEnd(String(inode), 10)}`;
  }
  if (view.programs) out += ` ${padEnd(owner, 20)}`;
  if (view.timers) out += ` ${timers}`;
  return `${out}\n`;
}

/**
 * One line of the Internet table. `shown` is the program name -p shows
 * (OwnerInfo.shown; the row's whole name when not given). Text may hold
 * surrogate-escaped bytes: it is written with encodeSurrogateEscape.
 */
export function renderInetRow(r: InetRow, view: SocketView, names: Names, shown: string | null = r.program): string {
  const family = r.family === 'inet6' ? 10 : 2;
  // Services are looked up as tcp for TCP, udp for UDP and UDP-Lite, raw for raw.
  const svc = r.protocol === 'udplite' ? 'udp' : r.protocol;
  const local = addrPort(hostText(r.localAddress, family, names, view.numeric.hosts), portText(r.localPort, svc, names, view.numeric.ports), view.wide);
  const remote = addrPort(hostText(r.foreignAddress, family, names, view.numeric.hosts), portText(r.foreignPort, svc, names, view.numeric.ports), view.wide);
  const lead = r.protocol === 'tcp' || r.protocol === 'raw' ? `${padEnd(r.proto, 4)}  ` : `${padEnd(r.proto, 5)} `;
  const line = `${lead}${padStart(r.recvQ, 6)} ${padStart(r.sendQ, 6)} ${padEnd(local, 23)} ${padEnd(remote, 23)} ${padEnd(r.state, 11)}`;
  return line + tail(view, names, r.uid, r.inode, ownerText(r.pid, shown), timerText(r));
}

// ---------------------------------------------------------------- unix

const SO_ACCEPTCON = 1 << 16;
const SO_WAITDATA = 1 << 17;
const SO_NOSPACE = 1 << 18;
const SS_UNCONNECTED = 1;

const UNIX_TYPES: Readonly<Record<number, string>> = { 1: 'STREAM', 2: 'DGRAM', 3: 'RAW', 4: 'RDM', 5: 'SEQPACKET' };

export function selectUnix(u: UnixSocket, view: Pick<SocketView, 'all' | 'listening'>): boolean {
  if (view.all) return true;
  const listening = u.state === SS_UNCONNECTED && (u.flags & SO_ACCEPTCON) !== 0;
  return view.listening ? listening : !listening;
}

function unixState(u: UnixSocket): string {
  switch (u.state) {
    case 0:
      return 'FREE';
    case 1:
      return (u.flags & SO_ACCEPTCON) !== 0 ? 'LISTENING' : '';
    case 2:
      return 'CONNECTING';
    case 3:
      return 'CONNECTED';
    case 4:
      return 'DISCONNECTING';
    default:
      return 'UNKNOWN';
  }
}

export function unixRow(u: UnixSocket, owner: OwnerInfo | undefined): UnixRow {
  const flags: string[] = [];
  if (u.flags & SO_ACCEPTCON) flags.push('ACC');
  if (u.flags & SO_WAITDATA) flags.push('W');
  if (u.flags & SO_NOSPACE) flags.push('N');
  return {
    proto: 'unix',
    refCnt: u.refCount,
    flags,
    type: UNIX_TYPES[u.type] ?? 'UNKNOWN',
    typeCode: u.type,
    state: unixState(u),
    stateCode: u.state,
    inode: u.inode,
    pid: owner ? owner.pid : null,
    program: owner ? owner.program : null,
    path: u.path,
  };
}

export function unixTitle(view: SocketView): string {
  const mode = view.all ? '(servers and established)' : view.listening ? '(only servers)' : '(w/o servers)';
  let head = 'Proto RefCnt Flags       Type       State         I-Node  ';
  if (view.programs) head += ` ${padEnd('PID/Program name', 20)}`;
  return `Active UNIX domain sockets ${mode}\n${head} Path\n`;
}

/** One line of the UNIX table. net-tools reads the path with "%s": only its first word shows. */
export function renderUnixRow(r: UnixRow, view: SocketView, shown: string | null = r.program): string {
  const flags = `[ ${r.flags.map((f) => `${f} `).join('')}]`;
  let line = `${padEnd('unix', 5)} ${padEnd(String(r.refCnt), 6)} ${padEnd(flags, 11)} ${padEnd(r.type, 10)} ${padEnd(r.state, 13)} ${padEnd(String(r.inode), 8)}`;
  if (view.programs) line += ` ${padEnd(ownerText(r.pid, shown), 20)}`;
  const path = r.path === null ? '' : (r.path.trim().split(/\s+/)[0] ?? '');
  return `${line} ${path}\n`;
}
