/**
 * System-wide facts that are not CPU, memory, disk or network: boot time
 * (procfs `stat`) and logged-in users (the binary utmp file).
 */
import { isErrnoError } from '../../native/index.js';
import { getUtmpPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { readBtime } from '../procfs/stat.js';
import { inetNtop4, inetNtop6, inetPton4, inetPton6 } from '../net/inet.js';

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

/** inet_ntop text for the 16 bytes of ut_addr_v6 (IPv4 when words 1..3 are zero, as who/last read it); null when all zero. */
export function formatUtmpAddr(b: Uint8Array): string | null {
  if (b.length !== 16) throw new RangeError('ut_addr_v6 is 16 bytes');
  if (b.every((x) => x === 0)) return null;
  if (b.subarray(4).every((x) => x === 0)) return inetNtop4(b);
  return inetNtop6(b);
}

/** The 16 bytes of ut_addr_v6 behind an address's text (an IPv4 address fills the first word); RangeError when it is neither. */
export function utmpAddrBytes(addr: string): Buffer {
  const out = Buffer.alloc(16);
  const b = inetPton4(addr) ?? inetPton6(addr);
  if (!b) throw new RangeError(`bad IP address ${addr}`);
  out.set(b);
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
  if (fields.addrV6) utmpAddrBytes(fields.addrV6).copy(b, OFF.addrV6);
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
