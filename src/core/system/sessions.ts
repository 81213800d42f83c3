/**
 * Login-session facts who(1) needs beyond users(): the records of any utmp
 * file (wtmp too), whether a record's process is alive, the terminal device
 * behind a utmp line (its mode and last access), and the terminal on stdin.
 */
import { fstatSync, readlinkSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';
import { isErrnoError } from '../../native/index.js';
import { getUtmpPath, procPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { parseUtmp, type UtmpRecord } from './system.js';

/**
 * The records of a utmp-format file (default: the system's utmp). A file
 * that cannot be read (missing, a directory, no permission) has no records,
 * as glibc's getutent() then yields none.
 */
export function readUtmpFile(path: string = getUtmpPath()): UtmpRecord[] {
  let buf: Buffer;
  try {
    buf = readBytes(path);
  } catch (e) {
    if (isErrnoError(e)) return [];
    throw e;
  }
  return parseUtmp(buf);
}

/**
 * Whether kill(pid, 0) finds a process: false only for ESRCH (EPERM means it
 * exists). gnulib's read_utmp drops USER_PROCESS records whose pid fails
 * this test; pids <= 0 are not tested (kept).
 */
export function utmpPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** What stat(2) says about a terminal device. */
export interface TtyStat {
  /** The device's path ("/dev/pts/3"). */
  readonly path: string;
  /** st_mode, permission bits included. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Last access (st_atime) in seconds since the epoch: the terminal's last input. */
  readonly atime: number;
  /** Whether group members may write to it (S_IWGRP: `mesg y`). */
  readonly groupWritable: boolean;
}

/** The device path of a utmp line: "/dev/" + line unless the line is already absolute. */
export function ttyDevicePath(line: string): string {
  return line.startsWith('/') ? line : `/dev/${line}`;
}

/** stat(2) of the terminal named by a utmp line, or null when it cannot be statted. */
export function ttyStat(line: string): TtyStat | null {
  const path = ttyDevicePath(line);
  try {
    const st = statSync(path, { bigint: true });
    return {
      path,
      mode: Number(st.mode),
      uid: Number(st.uid),
      gid: Number(st.gid),
      // Whole seconds, as st_atime (time_t) is.
      atime: Number(st.atimeNs / 1_000_000_000n),
      groupWritable: (Number(st.mode) & 0o020) !== 0,
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== undefined) return null;
    throw e;
  }
}

/**
 * ttyname(0) without "/dev/": the terminal on standard input ("pts/3"), or
 * null when stdin is not a terminal. glibc reads the /proc/self/fd/0 link and
 * checks it names the same device; so does this.
 */
export function stdinTty(): string | null {
  if (!isatty(0)) return null;
  let target: string;
  try {
    target = readlinkSync(procPath('self', 'fd', '0'));
  } catch {
    return null;
  }
  try {
    const dev = statSync(target);
    const fd0 = fstatSync(0);
    if (dev.rdev !== fd0.rdev || dev.ino !== fd0.ino) return null;
  } catch {
    return null;
  }
  return target.startsWith('/dev/') ? target.slice(5) : target;
}
