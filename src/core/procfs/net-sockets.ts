/**
 * /proc/net/{tcp,udp,udplite,raw}[6] and /proc/net/unix (the caller's
 * network namespace): the one reader of these files. netstat's socket
 * tables, psutil's net_connections() fallback and Process.connections()
 * (core/net/connections.ts) are views of these records; core/net/sockdiag.ts
 * produces the same records from netlink sock_diag.
 */
import { AF_INET, AF_INET6 } from '../base/constants.js';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readBytes, readText } from '../base/read.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';
import { inetNtop4, inetNtop6 } from '../net/inet.js';

export type InetProtocol = 'tcp' | 'udp' | 'udplite' | 'raw';

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
  return { address: family === AF_INET ? inetNtop4(bytes) : inetNtop6(bytes), port: parseInt(portHex, 16) };
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

/** The file name of a protocol's table: 'tcp', 'udp6', ... */
export function procNetSocketsName(protocol: InetProtocol, family: number): string {
  return `${protocol}${family === AF_INET6 ? '6' : ''}`;
}

/** <procfs>/net/<protocol>[6], parsed; a missing or unreadable file is the raw errno error. */
export function readProcNetSockets(protocol: InetProtocol, family: number): InetSocket[] {
  return parseProcNetSockets(readText(procPath('net', procNetSocketsName(protocol, family))), family, protocol);
}

/** <procfs>/net/unix, parsed (paths are bytes: decoded losslessly, surrogateescape); errors are raw. */
export function readProcNetUnix(): UnixSocket[] {
  return parseProcNetUnix(decodeSurrogateEscape(readBytes(procPath('net', 'unix'))));
}
