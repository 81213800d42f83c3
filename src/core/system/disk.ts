/**
 * Disks: mounted partitions, usage of a filesystem, and block-device I/O
 * counters — psutil's disk_partitions(), disk_usage(), disk_io_counters().
 */
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { native, isErrnoError, type Statvfs } from '../../native/index.js';
import { ParseError, PtoolsError } from '../base/errors.js';
import { procPath, sysPath } from '../base/paths.js';
import { readText, tryReadText } from '../base/read.js';
import { wrapNumbers } from '../sample/wrap.js';
import { devMajorMinor, readMounts } from './mounts.js';

export { resetNowrapCache } from '../sample/wrap.js';

/** One mounted filesystem (psutil's sdiskpart, without 5.x's maxfile/maxpath). */
export interface DiskPartition {
  /** The mounted device; '' when the kernel says 'none'. */
  readonly device: string;
  readonly mountpoint: string;
  readonly fstype: string;
  /** Mount options, comma-separated as in /proc/self/mounts. */
  readonly opts: string;
}

/** psutil's sdiskusage: bytes, and the percent used of what a normal user can use. */
export interface DiskUsage {
  readonly total: number;
  readonly used: number;
  readonly free: number;
  readonly percent: number;
}

/** psutil's sdiskio on Linux. Times in milliseconds. */
export interface DiskIoCounters {
  readonly readCount: number;
  readonly writeCount: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly readTime: number;
  readonly writeTime: number;
  readonly readMergedCount: number;
  readonly writeMergedCount: number;
  readonly busyTime: number;
}

/** /proc/filesystems split by the `nodev` marker. */
export interface Filesystems {
  /** Filesystem types marked `nodev` (not backed by a block device). */
  readonly nodev: Set<string>;
  /** The others: types that need a device. */
  readonly physical: Set<string>;
}

/** Raw diskstats counters of one device; sectors are the kernel's 512-byte units. */
export interface RawDiskstats {
  readonly reads: number;
  readonly readsMerged: number;
  readonly readSectors: number;
  readonly readTime: number;
  readonly writes: number;
  readonly writesMerged: number;
  readonly writeSectors: number;
  readonly writeTime: number;
  readonly busyTime: number;
}

/** /proc/diskstats counts sectors of 512 bytes whatever the device's own sector size. */
const DISK_SECTOR_SIZE = 512;

// --------------------------------------------------------------- parsers

/** Parses /proc/filesystems: `nodev\tname` or `\tname` per line. */
export function parseFilesystems(text: string): Filesystems {
  const nodev = new Set<string>();
  const physical = new Set<string>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    if (fields[0] === 'nodev') {
      if (fields.length !== 2) throw new ParseError('filesystems', `bad nodev line: ${JSON.stringify(line)}`);
      nodev.add(fields[1]!);
    } else {
      if (fields.length !== 1) throw new ParseError('filesystems', `bad line: ${JSON.stringify(line)}`);
      physical.add(fields[0]!);
    }
  }
  return { nodev, physical };
}

function toInts(fields: string[], source: string, line: string): number[] {
  return fields.map((f) => {
    if (!/^\d+$/.test(f)) throw new ParseError(source, `not a number ${JSON.stringify(f)} in ${JSON.stringify(line)}`);
    return Number(f);
  });
}

/**
 * Parses /proc/diskstats. Line shapes, by field count:
 * - 14 (2.6+), 18 (4.18+: discards), 20 (5.5+: flushes), or more: `major minor name` + counters;
 * - 7: a partition on 2.6 kernels: `major minor name reads rsect writes wsect`;
 * - 15: Linux 2.4: `major minor #blocks name` + counters.
 * Only the first eleven counters matter here. Any other count is an error.
 */
export function parseDiskstats(text: string): Record<string, RawDiskstats> {
  const out: Record<string, RawDiskstats> = {};
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).filter((f) => f !== '');
    const n = fields.length;
    if (n === 0) continue;
    let name: string;
    let c: number[];
    if (n === 15) {
      // 2.4's /proc/partitions layout: counters start after #blocks and the name.
      toInts(fields.slice(0, 3), 'diskstats', line);
      name = fields[3]!;
      c = toInts(fields.slice(4), 'diskstats', line);
    } else if (n === 14 || n >= 18) {
      toInts(fields.slice(0, 2), 'diskstats', line);
      name = fields[2]!;
      c = toInts(fields.slice(3), 'diskstats', line);
    } else if (n === 7) {
      toInts(fields.slice(0, 2), 'diskstats', line);
      name = fields[2]!;
      const [reads, rsect, writes, wsect] = toInts(fields.slice(3), 'diskstats', line) as [number, number, number, number];
      // Old partition lines have no merges, times or busy time.
      c = [reads, 0, rsect, 0, writes, 0, wsect, 0, 0, 0];
    } else {
      throw new ParseError('diskstats', `unexpected ${n} fields: ${JSON.stringify(line)}`);
    }
    if (/^\d+$/.test(name)) throw new ParseError('diskstats', `device name expected, got ${JSON.stringify(name)}`);
    out[name] = rawFromCounters(c);
  }
  return out;
}

/** The kernel's stat counters in order: reads, rmerged, rsect, rticks, writes, wmerged, wsect, wticks, inflight, io_ticks, ... */
function rawFromCounters(c: number[]): RawDiskstats {
  return {
    reads: c[0]!,
    readsMerged: c[1]!,
    readSectors: c[2]!,
    readTime: c[3]!,
    writes: c[4]!,
    writesMerged: c[5]!,
    writeSectors: c[6]!,
    writeTime: c[7]!,
    busyTime: c[9]!,
  };
}

/** Parses a sysfs block `stat` file (`/sys/block/<dev>/stat`): 11, 15 or 17 counters, no name. */
export function parseBlockStat(text: string): RawDiskstats {
  const fields = text.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length < 10) throw new ParseError('block stat', `expected at least 10 fields, got ${fields.length}`);
  return rawFromCounters(toInts(fields, 'block stat', text.trim()));
}

// --------------------------------------------------------------- partitions

/**
 * The real device of the root filesystem when the mounts table says
 * `/dev/root` or `rootfs`, found as psutil does: the device number of `/`
 * looked up in /proc/partitions, then /sys/dev/block/M:m/uevent, then
 * /sys/class/block/<name>/dev; the path must exist.
 */
function findRootDevice(): string | undefined {
  let major: number;
  let minor: number;
  try {
    [major, minor] = devMajorMinor(statSync('/', { bigint: true }).dev);
  } catch {
    return undefined;
  }
  let path: string | undefined;
  const partitions = tryReadText(procPath('partitions'));
  if (partitions !== undefined) {
    for (const line of partitions.split('\n').slice(2)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 4 && Number(f[0]) === major && Number(f[1]) === minor && f[3]) {
        path = `/dev/${f[3]}`;
        break;
      }
    }
  }
  if (path === undefined) {
    const uevent = tryReadText(sysPath('dev', 'block', `${major}:${minor}`, 'uevent'));
    const m = uevent?.match(/^DEVNAME=(.+)$/m);
    if (m) path = `/dev/${m[1]!.trim()}`;
  }
  if (path === undefined) {
    let names: string[] = [];
    try {
      names = readdirSync(sysPath('class', 'block'));
    } catch {
      // no sysfs: nothing more to ask
    }
    for (const name of names) {
      if (tryReadText(sysPath('class', 'block', name, 'dev'))?.trim() === `${major}:${minor}`) {
        path = `/dev/${name}`;
        break;
      }
    }
  }
  return path !== undefined && existsSync(path) ? path : undefined;
}

/**
 * Mounted filesystems, in mount order. With `all: false` (the default) only
 * "physical" ones: the device is not 'none'/empty and the type is one that
 * /proc/filesystems does not mark `nodev` (or is zfs, which is marked `nodev`
 * but is disk-backed). psutil's rules: 'none' becomes '', and `/dev/root` or
 * `rootfs` is replaced by the real root device when it can be found.
 *
 * The table is read from the procfs root's self/mounts (psutil reads
 * /etc/mtab, which on current systems is a link to /proc/mounts: the same
 * table).
 */
export function diskPartitions(opts: { all?: boolean } = {}): DiskPartition[] {
  const all = opts.all ?? false;
  let fstypes: Set<string> | undefined;
  if (!all) {
    const fs = parseFilesystems(readText(procPath('filesystems')));
    fstypes = new Set(fs.physical);
    if (fs.nodev.has('zfs')) fstypes.add('zfs');
  }
  const out: DiskPartition[] = [];
  let rootDevice: string | null | undefined;
  for (const e of readMounts()) {
    let device = e.device === 'none' ? '' : e.device;
    if (device === '/dev/root' || device === 'rootfs') {
      if (rootDevice === undefined) rootDevice = findRootDevice() ?? null;
      device = rootDevice ?? device;
    }
    if (fstypes && (device === '' || !fstypes.has(e.fstype))) continue;
    out.push({ device, mountpoint: e.mountpoint, fstype: e.fstype, opts: e.opts });
  }
  return out;
}

// --------------------------------------------------------------- usage

/** Python's round(x, 1): to nearest, ties to even (ties only occur when 4x is an odd integer). */
function round1(x: number): number {
  if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
    const t = x * 10; // exact here: x = n/4
    const f = Math.floor(t);
    return (f % 2 === 0 ? f : f + 1) / 10;
  }
  return Number(x.toFixed(1));
}

/**
 * Usage of the filesystem holding `path` (statvfs): `total` and `used` count
 * every block, `free` is what an unprivileged user may still use, and
 * `percent` is used / (used + free), so it includes root's reserve as df's
 * Use% does. A bad path throws the addon's errno error (code ENOENT, ...;
 * psutil's OSError).
 */
export function diskUsage(path: string): DiskUsage {
  return usageFromStatvfs(native.statvfs(path));
}

/** diskUsage's arithmetic on a statvfs result (exported for tests). */
export function usageFromStatvfs(st: Pick<Statvfs, 'frsize' | 'blocks' | 'bfree' | 'bavail'>): DiskUsage {
  const total = st.blocks * st.frsize;
  const used = total - st.bfree * st.frsize;
  const free = st.bavail * st.frsize;
  const userTotal = used + free;
  const percent = userTotal === 0 ? 0 : round1((used / userTotal) * 100);
  return { total, used, free, percent };
}

// --------------------------------------------------------------- I/O counters

/**
 * Whether `name` is a whole disk (or a virtual one such as loop0), i.e. it
 * has a directory under /sys/block — partitions do not. Names with '/' are
 * spelled with '!' in sysfs (cciss/c0d0).
 */
function isStorageDevice(name: string): boolean {
  return existsSync(sysPath('block', name.replaceAll('/', '!')));
}

/** psutil's fallback when /proc/diskstats is missing: the stat files of /sys/block/<dev> and its partitions. */
function readSysBlock(): Record<string, RawDiskstats> {
  const out: Record<string, RawDiskstats> = {};
  for (const dev of readdirSync(sysPath('block'))) {
    const own = tryReadText(sysPath('block', dev, 'stat'));
    if (own !== undefined) out[dev] = parseBlockStat(own);
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(sysPath('block', dev), { withFileTypes: true });
    } catch {
      continue;
    }
    // Partitions are real subdirectories with their own stat; links (device, bdi, ...) are not followed.
    for (const ent of entries) {
      if (!ent.isDirectory()) continue;
      const st = tryReadText(sysPath('block', dev, ent.name, 'stat'));
      if (st !== undefined) out[ent.name] = parseBlockStat(st);
    }
  }
  return out;
}

function readDiskstats(): Record<string, RawDiskstats> {
  try {
    return parseDiskstats(readText(procPath('diskstats')));
  } catch (e) {
    if (!(isErrnoError(e) && e.code === 'ENOENT')) throw e;
  }
  if (!existsSync(sysPath('block'))) {
    throw new PtoolsError(`${procPath('diskstats')} nor ${sysPath('block')} are available on this system`);
  }
  return readSysBlock();
}

const DISK_FIELDS = ['readCount', 'writeCount', 'readBytes', 'writeBytes', 'readTime', 'writeTime', 'readMergedCount', 'writeMergedCount', 'busyTime'] as const;

function diskTuple(r: RawDiskstats): number[] {
  return [r.reads, r.writes, r.readSectors * DISK_SECTOR_SIZE, r.writeSectors * DISK_SECTOR_SIZE, r.readTime, r.writeTime, r.readsMerged, r.writesMerged, r.busyTime];
}

function diskObject(t: readonly number[]): DiskIoCounters {
  const o: Record<string, number> = {};
  DISK_FIELDS.forEach((f, i) => (o[f] = t[i]!));
  return o as unknown as DiskIoCounters;
}

/**
 * Block-device I/O counters from /proc/diskstats (or /sys/block when that is
 * missing). `perdisk: true` gives every device the kernel lists, partitions
 * included; otherwise the sum over whole disks (names under /sys/block), so
 * that partitions are not counted twice. Bytes are sectors × 512.
 *
 * `nowrap` (default true) keeps the numbers from decreasing across calls
 * (see wrap.ts); `resetNowrapCache('diskIoCounters')` forgets the history.
 * With no devices at all: `null` (psutil's None), or `{}` with `perdisk`.
 */
export function diskIoCounters(opts: { perdisk: true; nowrap?: boolean }): Record<string, DiskIoCounters>;
export function diskIoCounters(opts?: { perdisk?: false; nowrap?: boolean }): DiskIoCounters | null;
export function diskIoCounters(opts?: { perdisk?: boolean; nowrap?: boolean }): DiskIoCounters | Record<string, DiskIoCounters> | null;
export function diskIoCounters(opts: { perdisk?: boolean; nowrap?: boolean } = {}): DiskIoCounters | Record<string, DiskIoCounters> | null {
  const perdisk = opts.perdisk ?? false;
  const raw = readDiskstats();
  let tuples: Record<string, number[]> = {};
  for (const [name, r] of Object.entries(raw)) {
    if (!perdisk && !isStorageDevice(name)) continue;
    tuples[name] = diskTuple(r);
  }
  const names = Object.keys(tuples);
  if (names.length === 0) return perdisk ? {} : null;
  if (opts.nowrap ?? true) tuples = wrapNumbers(tuples, 'diskIoCounters');
  if (perdisk) {
    const out: Record<string, DiskIoCounters> = {};
    for (const name of names) out[name] = diskObject(tuples[name]!);
    return out;
  }
  const sum = new Array<number>(DISK_FIELDS.length).fill(0);
  for (const name of names) tuples[name]!.forEach((v, i) => (sum[i]! += v));
  return diskObject(sum);
}
