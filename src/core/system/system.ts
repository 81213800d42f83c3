/**
 * System-wide facts that are not CPU, memory, disk or network: boot time
 * (procfs `stat`) and logged-in users (the binary utmp file).
 */
import { isErrnoError } from '../../native/index.js';
import { getUtmpPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { readBtime } from '../procfs/stat.js';

// ---------------------------------------------------------------- boot time

export { parseBtime } from '../procfs/stat.js';

/**
 * System boot time in seconds since the epoch (psutil.boot_time()). Not
 * cached: the kernel recomputes btime when the wall clock is set.
 */
export function bootTime(): number {
  return readBtime();
}

// ---------------------------------------------------------------- utmp

/** ut_type values (utmp.h). */
export const UT_TYPES = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

/** One utmp record, every field of glibc's `struct utmp`. */
export interface UtmpRecord {
  readonly type: number;
  readonly pid: number;
  /** Device name without "/dev/" (ut_line). */
  readonly line: string;
  /** Terminal id, e.g. "ts/0" or "tty1" suffix (ut_id). */
  readonly id: string;
  readonly user: string;
  readonly host: string;
  readonly exitTermination: number;
  readonly exitStatus: number;
  readonly session: number;
  readonly tvSec: number;
  readonly tvUsec: number;
  /** The remote address as text (IPv4 when only the first word is set), or null when all zero. */
  readonly addrV6: string | null;
}

/** Size of glibc's `struct utmp` on x86-64 (32-bit ut_tv, the compat layout). */
export const UTMP_RECORD_SIZE = 384;

// Field offsets and sizes (x86-64 glibc, little-endian).
const OFF = {
  type: 0, // int16, then 2 bytes of padding
  pid: 4, // int32
  line: 8, // char[32]
  id: 40, // char[4]
  user: 44, // char[32]
  host: 76, // char[256]
  exitTermination: 332, // int16
  exitStatus: 334, // int16
  session: 336, // int32
  tvSec: 340, // int32
  tvUsec: 344, // int32
  addrV6: 348, // int32[4], network byte order
} as const;
const SIZE = { line: 32, id: 4, user: 32, host: 256 } as const;

/** A NUL-padded char field; a full field has no terminating NUL. */
function cString(buf: Buffer, off: number, size: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end === -1 || end > off + size ? off + size : end);
}

/** inet_ntop-style text for the 16 bytes of ut_addr_v6 (IPv4 when words 1..3 are zero, as who/last read it). */
export function formatUtmpAddr(b: Uint8Array): string | null {
  if (b.length !== 16) throw new RangeError('ut_addr_v6 is 16 bytes');
  if (b.every((x) => x === 0)) return null;
  if (b.subarray(4).every((x) => x === 0)) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  // Longest run of at least two zero words becomes "::" (first one on a tie), as glibc's inet_ntop.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) end in dotted quad.
  const v4tail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      parts.push(i === 0 ? ':' : '');
      i += bestLen - 1;
      if (i === 7) parts.push('');
      continue;
    }
    if (v4tail && i === 6) {
      parts.push(`${b[12]}.${b[13]}.${b[14]}.${b[15]}`);
      break;
    }
    parts.push(words[i]!.toString(16));
  }
  return parts.join(':');
}

/** Parses the text form of an IPv4 or IPv6 address into ut_addr_v6's 16 bytes. */
function addrBytes(addr: string): Buffer {
  const out = Buffer.alloc(16);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  const m4 = v4.exec(addr);
  if (m4) {
    for (let i = 0; i < 4; i++) {
      const n = Number(m4[i + 1]);
      if (n > 255) throw new RangeError(`bad IPv4 address ${addr}`);
      out[i] = n;
    }
    return out;
  }
  // A dotted-quad tail (::ffff:1.2.3.4) becomes two hex words.
  let text = addr;
  const lastColon = text.lastIndexOf(':');
  const m = v4.exec(text.slice(lastColon + 1));
  if (m) {
    const q = m.slice(1, 5).map(Number);
    if (q.some((n) => n > 255)) throw new RangeError(`bad IPv6 address ${addr}`);
    text = `${text.slice(0, lastColon + 1)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw new RangeError(`bad IPv6 address ${addr}`);
  const words = (s: string): number[] =>
    s === '' ? [] : s.split(':').map((w) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) throw new RangeError(`bad IPv6 address ${addr}`);
      return parseInt(w, 16);
    });
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) throw new RangeError(`bad IPv6 address ${addr}`);
  const all = [...head, ...new Array<number>(fill).fill(0), ...rest];
  all.forEach((w, i) => out.writeUInt16BE(w, 2 * i));
  return out;
}

/**
 * Parses a utmp file (glibc x86-64 layout, 384-byte records). A trailing
 * partial record is ignored, as getutent() does.
 */
export function parseUtmp(buf: Uint8Array): UtmpRecord[] {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: UtmpRecord[] = [];
  for (let base = 0; base + UTMP_RECORD_SIZE <= b.length; base += UTMP_RECORD_SIZE) {
    out.push({
      type: b.readInt16LE(base + OFF.type),
      pid: b.readInt32LE(base + OFF.pid),
      line: cString(b, base + OFF.line, SIZE.line),
      id: cString(b, base + OFF.id, SIZE.id),
      user: cString(b, base + OFF.user, SIZE.user),
      host: cString(b, base + OFF.host, SIZE.host),
      exitTermination: b.readInt16LE(base + OFF.exitTermination),
      exitStatus: b.readInt16LE(base + OFF.exitStatus),
      session: b.readInt32LE(base + OFF.session),
      tvSec: b.readInt32LE(base + OFF.tvSec),
      tvUsec: b.readInt32LE(base + OFF.tvUsec),
      addrV6: formatUtmpAddr(b.subarray(base + OFF.addrV6, base + OFF.addrV6 + 16)),
    });
  }
  return out;
}

/**
 * Writes one utmp record (the inverse of parseUtmp), for building utmp files
 * in tests. Strings longer than their field are cut, as login(1) does with
 * strncpy; missing fields are zero.
 */
export function buildUtmpRecord(fields: Partial<UtmpRecord>): Buffer {
  const b = Buffer.alloc(UTMP_RECORD_SIZE);
  const str = (off: number, size: number, s: string | undefined): void => {
    if (s) Buffer.from(s, 'utf8').subarray(0, size).copy(b, off);
  };
  b.writeInt16LE(fields.type ?? 0, OFF.type);
  b.writeInt32LE(fields.pid ?? 0, OFF.pid);
  str(OFF.line, SIZE.line, fields.line);
  str(OFF.id, SIZE.id, fields.id);
  str(OFF.user, SIZE.user, fields.user);
  str(OFF.host, SIZE.host, fields.host);
  b.writeInt16LE(fields.exitTermination ?? 0, OFF.exitTermination);
  b.writeInt16LE(fields.exitStatus ?? 0, OFF.exitStatus);
  b.writeInt32LE(fields.session ?? 0, OFF.session);
  b.writeInt32LE(fields.tvSec ?? 0, OFF.tvSec);
  b.writeInt32LE(fields.tvUsec ?? 0, OFF.tvUsec);
  if (fields.addrV6) addrBytes(fields.addrV6).copy(b, OFF.addrV6);
  return b;
}

/** A logged-in user (psutil's suser). */
export interface User {
  readonly name: string;
  /** The tty or pseudo-tty, or null when the record has none. */
  readonly terminal: string | null;
  /** The remote host; '' when local. psutil reports X display ":0"/":0.0" as "localhost". */
  readonly host: string;
  /** Login time in seconds since the epoch (whole seconds: psutil uses ut_tv.tv_sec only). */
  readonly started: number;
  /** The login process (sshd, login, tmux, ...). */
  readonly pid: number;
}

/** The USER_PROCESS records of parsed utmp records, as psutil.users() reports them. */
export function usersFromUtmp(records: readonly UtmpRecord[]): User[] {
  return records
    .filter((r) => r.type === UT_TYPES.USER_PROCESS)
    .map((r) => ({
      name: r.user,
      terminal: r.line === '' ? null : r.line,
      host: r.host === ':0' || r.host === ':0.0' ? 'localhost' : r.host,
      started: r.tvSec,
      pid: r.pid,
    }));
}

/** The utmp file's records; [] when it cannot be read (glibc's getutent() then yields nothing). */
export function utmpRecords(): UtmpRecord[] {
  let buf: Buffer;
  try {
    buf = readBytes(getUtmpPath());
  } catch (e) {
    if (isErrnoError(e)) return [];
    throw e;
  }
  return parseUtmp(buf);
}

/** Users currently logged in, from utmp (psutil.users()). */
export function users(): User[] {
  return usersFromUtmp(utmpRecords());
}
