/**
 * The one reader of the mount tables: /proc/self/mounts (getmntent's format,
 * what psutil's diskPartitions reads) and /proc/self/mountinfo (which, unlike
 * mounts, carries each mount's device number and the root of the mount
 * within its filesystem: what df reads). Also gnulib's classification of mounts as
 * "dummy" (pseudo filesystems) and "remote", and the filesystem calls df
 * makes on paths: stat's device number, realpath, the mount point holding a
 * file, and raw statvfs counts.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { isErrnoError, native, type Statvfs } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';

/** One line of a mounts table, fields decoded as getmntent(3) decodes them. */
export interface MountEntry {
  readonly device: string;
  readonly mountpoint: string;
  readonly fstype: string;
  readonly opts: string;
}

/** One line of /proc/<pid>/mountinfo (proc(5)), paths decoded. */
export interface MountinfoEntry {
  readonly mountId: number;
  readonly parentId: number;
  readonly major: number;
  readonly minor: number;
  /** The directory of the filesystem that forms this mount's root ('/' unless a bind mount of a subtree). */
  readonly root: string;
  readonly mountpoint: string;
  /** Per-mount options (rw, nosuid, relatime...). */
  readonly mountOptions: string;
  /** Optional fields such as `shared:1`, `master:2`. */
  readonly optionalFields: readonly string[];
  readonly fstype: string;
  /** The mount source (device or a name such as "tmpfs"); the kernel prints "none" when there is none. */
  readonly source: string;
  /** Per-superblock options. */
  readonly superOptions: string;
}

/** A mount as df sees it (gnulib's struct mount_entry). */
export interface MountTableEntry {
  readonly source: string;
  readonly mountpoint: string;
  /** Root of the mount within its filesystem; null when read from the mounts table (no such column). */
  readonly root: string | null;
  readonly fstype: string;
  /** Device number (Linux dev_t encoding) from mountinfo; null when unknown (mounts fallback). */
  readonly dev: bigint | null;
  /** Mount options; from mountinfo, the per-mount ones. */
  readonly options: string;
  /** A pseudo filesystem (proc, sysfs, devpts, autofs...): gnulib's ME_DUMMY. */
  readonly dummy: boolean;
  /** A network filesystem (nfs-style `host:path`, //host shares, afs...): gnulib's ME_REMOTE. */
  readonly remote: boolean;
}

/** What df needs from stat(2) of a path. */
export interface PathStat {
  /** st_dev: the device of the filesystem holding the path (Linux dev_t encoding). */
  readonly dev: bigint;
  readonly isBlockDevice: boolean;
  readonly isCharacterDevice: boolean;
  readonly isDirectory: boolean;
}

/** Raw statvfs(3) counts of the filesystem holding a path, in the kernel's units. */
export type StatvfsCounts = Readonly<Statvfs>;

// --------------------------------------------------------------- device numbers

/** glibc's makedev(): 12 bits of major and 20 of minor, split across the 64-bit word. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & 0xfffff000n) << 32n) | (mi & 0xffn) | ((mi & 0xffffff00n) << 12n);
}

/** glibc's major()/minor() of a dev_t. */
export function devMajorMinor(dev: bigint): [number, number] {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & 0xffffff00n));
  return [major, minor];
}

// --------------------------------------------------------------- parsers

/**
 * The kernel escapes space, tab, newline and backslash in mount paths as
 * octal; getmntent(3) (which psutil uses) decodes exactly these, plus `\\`.
 */
function decodeMountField(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(040|011|012|134|\\)/g, (_m, code: string) => {
    switch (code) {
      case '040': return ' ';
      case '011': return '\t';
      case '012': return '\n';
      default: return '\\';
    }
  });
}

/**
 * Parses a mounts table (/proc/self/mounts, /etc/mtab format): one mount per
 * line, `device mountpoint fstype opts freq passno`. Blank lines and `#`
 * comments are skipped, as getmntent(3) does; a line with fewer than four
 * fields is an error.
 */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(/[ \t]+/).filter((f) => f !== '');
    if (fields.length === 0 || fields[0]!.startsWith('#')) continue;
    if (fields.length < 4) throw new ParseError('mounts', `expected at least 4 fields: ${JSON.stringify(line)}`);
    out.push({
      device: decodeMountField(fields[0]!),
      mountpoint: decodeMountField(fields[1]!),
      fstype: decodeMountField(fields[2]!),
      opts: decodeMountField(fields[3]!),
    });
  }
  return out;
}

/** The procfs root's self/mounts, parsed (errno errors as they are). */
export function readMounts(): MountEntry[] {
  return parseMounts(readText(procPath('self', 'mounts')));
}

/**
 * Decodes the kernel's octal escapes as gnulib's unescape_tab does: any
 * `\ooo` whose first digit is 0-3 becomes that byte (the kernel escapes
 * space, tab, newline and backslash this way).
 */
function unescapeOctal(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([0-3][0-7][0-7])/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function uint(s: string | undefined, line: string): number {
  if (s === undefined || !/^\d{1,15}$/.test(s)) throw new ParseError('mountinfo', `bad number ${JSON.stringify(s)} in ${JSON.stringify(line)}`);
  return Number(s);
}

/**
 * Parses /proc/<pid>/mountinfo:
 * `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
 * Fields are separated by single spaces (an empty source shows as two
 * spaces); blank lines are skipped; a line without the ` - ` separator or
 * with a malformed number is an error. Extra fields after the super options
 * are ignored.
 */
export function parseMountinfo(text: string): MountinfoEntry[] {
  const out: MountinfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(' ');
    if (f.length < 10) throw new ParseError('mountinfo', `expected at least 10 fields: ${JSON.stringify(line)}`);
    const mountId = uint(f[0], line);
    const parentId = uint(f[1], line);
    const mm = /^(\d{1,10}):(\d{1,10})$/.exec(f[2]!);
    if (!mm) throw new ParseError('mountinfo', `bad major:minor ${JSON.stringify(f[2])} in ${JSON.stringify(line)}`);
    const sep = f.indexOf('-', 6);
    if (sep < 0 || f.length < sep + 4) throw new ParseError('mountinfo', `no ' - ' separator followed by fstype, source and options: ${JSON.stringify(line)}`);
    out.push({
      mountId,
      parentId,
      major: Number(mm[1]),
      minor: Number(mm[2]),
      root: unescapeOctal(f[3]!),
      mountpoint: unescapeOctal(f[4]!),
      mountOptions: f[5]!,
      optionalFields: f.slice(6, sep),
      fstype: unescapeOctal(f[sep + 1]!),
      source: unescapeOctal(f[sep + 2]!),
      superOptions: f[sep + 3]!,
    });
  }
  return out;
}

// --------------------------------------------------------------- classification

/** Types gnulib's mountlist treats as pseudo filesystems ("dummy"): hidden by df unless -a. */
const DUMMY_TYPES = new Set(['autofs', 'proc', 'subfs', 'debugfs', 'devpts', 'fusectl', 'fuse.portal', 'mqueue', 'rpc_pipefs', 'sysfs', 'devfs', 'kernfs', 'ignore']);

/**
 * gnulib's ME_DUMMY: a pseudo filesystem type, or type "none" unless it is a
 * bind mount (only an /etc/mtab-style table says "none"/"bind").
 * Note tmpfs, devtmpfs, cgroup... are not dummy: df hides them only when
 * they report zero blocks.
 */
export function isDummyFs(fstype: string, bind = false): boolean {
  return DUMMY_TYPES.has(fstype) || (fstype === 'none' && !bind);
}

const REMOTE_TYPES = new Set(['acfs', 'afs', 'coda', 'auristorfs', 'fhgfs', 'gpfs', 'ibrix', 'ocfs2', 'vxfs']);

/**
 * gnulib's ME_REMOTE: the source has a ':' (nfs `host:/path`), or is a
 * `//host/share` of type smbfs/smb3/cifs, or is autofs' `-hosts`, or the type
 * is one of the cluster/network filesystems gnulib lists.
 */
export function isRemoteFs(source: string, fstype: string): boolean {
  return (
    source.includes(':') ||
    (source.startsWith('//') && (fstype === 'smbfs' || fstype === 'smb3' || fstype === 'cifs')) ||
    REMOTE_TYPES.has(fstype) ||
    source === '-hosts'
  );
}

function hasMountOption(opts: string, name: string): boolean {
  return opts.split(',').some((o) => o === name || o.startsWith(`${name}=`));
}

/** mountinfo entries as df's mount table. */
export function mountTableFromMountinfo(entries: readonly MountinfoEntry[]): MountTableEntry[] {
  return entries.map((e) => ({
    source: e.source,
    mountpoint: e.mountpoint,
    root: e.root,
    fstype: e.fstype,
    dev: makedev(e.major, e.minor),
    options: e.mountOptions,
    dummy: isDummyFs(e.fstype),
    remote: isRemoteFs(e.source, e.fstype),
  }));
}

/**
 * The mounted filesystems in mount order, as df reads them (gnulib's
 * read_file_system_list on Linux): the procfs root's self/mountinfo, or when
 * that cannot be opened, self/mounts (then without device numbers or roots).
 * Throws the errno error when neither can be read, ParseError when malformed.
 */
export function mountTable(): MountTableEntry[] {
  let text: string | undefined;
  try {
    text = readText(procPath('self', 'mountinfo'));
  } catch (e) {
    if (!isErrnoError(e)) throw e;
  }
  if (text !== undefined) return mountTableFromMountinfo(parseMountinfo(text));
  return readMounts().map((m) => {
    const bind = hasMountOption(m.opts, 'bind');
    return {
      source: m.device,
      mountpoint: m.mountpoint,
      root: null,
      fstype: m.fstype,
      dev: null,
      options: m.opts,
      dummy: isDummyFs(m.fstype, bind),
      remote: isRemoteFs(m.device, m.fstype),
    };
  });
}

// --------------------------------------------------------------- paths

function toPathStat(st: BigIntStats): PathStat {
  return { dev: st.dev, isBlockDevice: st.isBlockDevice(), isCharacterDevice: st.isCharacterDevice(), isDirectory: st.isDirectory() };
}

/** stat(2) of a path (following symlinks). Throws Node's errno error (code ENOENT, EACCES...). */
export function statPath(path: string): PathStat {
  return toPathStat(statSync(path, { bigint: true }));
}

/**
 * stat(2) of a path after opening it, so that an automounter mounts what is
 * behind it first (what df does with its FILE arguments): open read-only,
 * non-blocking, no controlling tty, then fstat. When open fails with ENOENT
 * or ENOTDIR that is the answer; other open failures (EACCES on a
 * write-only file, ...) fall back to a plain stat.
 */
export function statPathAutomount(path: string): PathStat {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOCTTY | fsConstants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw e;
    return statPath(path);
  }
  try {
    return toPathStat(fstatSync(fd, { bigint: true }));
  } finally {
    closeSync(fd);
  }
}

/** realpath(3) (canonicalize_file_name), or undefined when it fails. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/**
 * The mount point of the filesystem holding `path` found by walking up
 * directories while the device number stays `dev` (gnulib's
 * find_mount_point, for files the mount table does not explain). A
 * non-directory starts from its parent. Undefined when the path cannot be
 * resolved.
 */
export function findMountPoint(path: string, dev: bigint): string | undefined {
  let dir = realPath(path);
  if (dir === undefined) return undefined;
  try {
    if (!statPath(dir).isDirectory) dir = dirname(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    const parent = dirname(dir);
    if (parent === dir) return dir;
    let st: PathStat;
    try {
      st = statPath(parent);
    } catch {
      return dir;
    }
    if (st.dev !== dev) return dir;
    dir = parent;
  }
}

/**
 * statvfs(3) of the filesystem holding `path`: block counts in units of
 * `frsize` (or `bsize` when frsize is 0), inode counts. Throws the addon's
 * errno error.
 */
export function statvfsPath(path: string): StatvfsCounts {
  return native.statvfs(path);
}

/**
 * Flushes filesystem buffers before usage is read (df --sync): sync(2).
 * Returns whether sync(2) was called (always, now that the addon has it).
 */
export function syncFilesystems(): boolean {
  native.sync();
  return true;
}
