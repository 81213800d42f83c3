/**
 * A process's memory mappings and open files: psutil's
 * `Process.memory_maps(grouped)` (a view of /proc/<pid>/smaps as
 * procfs/pid-maps reads it) and
 * `Process.open_files()` (from /proc/<pid>/fd and /proc/<pid>/fdinfo).
 *
 * Errors that concern the pid (its smaps or fd directory cannot be read) are
 * raised raw (the errno error: ENOENT, EACCES, ...) for the caller to map to
 * NoSuchProcess/ZombieProcess/AccessDenied; a single fd that closes while we
 * look is skipped.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';
import { parseSmapsEntries, type SmapsEntry } from '../procfs/pid-maps.js';

/** psutil's `pmmap_grouped`: the mappings of one path, summed. Sizes in bytes. */
export interface MemoryMap {
  /** The mapped file, a pseudo path ('[heap]', '[stack]', '[vdso]'...), or '[anon]'. */
  readonly path: string;
  readonly rss: number;
  readonly size: number;
  readonly pss: number;
  readonly sharedClean: number;
  readonly sharedDirty: number;
  readonly privateClean: number;
  readonly privateDirty: number;
  readonly referenced: number;
  readonly anonymous: number;
  readonly swap: number;
}

/** psutil's `pmmap_ext`: one mapping (grouped=false). */
export interface MemoryMapExt extends MemoryMap {
  /** 'start-end' in hex, as in the smaps header. */
  readonly addr: string;
  /** 'r-xp' and the like. */
  readonly perms: string;
}

/** psutil's `popenfile`. */
export interface OpenFile {
  readonly path: string;
  readonly fd: number;
  /** The file offset. */
  readonly position: number;
  /** 'r', 'w', 'a', 'r+' or 'a+' (psutil's rule from flags). */
  readonly mode: string;
  /** The open(2) flags, as fdinfo gives them. */
  readonly flags: number;
}

export interface SmapsOptions {
  /**
   * Whether a path exists. A path ending in ' (deleted)' that does not exist
   * under that name loses the suffix (psutil). Default: nothing exists, so the
   * suffix is always removed.
   */
  readonly pathExists?: (path: string) => boolean;
}

const DELETED = ' (deleted)';

type Field = 'rss' | 'size' | 'pss' | 'sharedClean' | 'sharedDirty' | 'privateClean' | 'privateDirty' | 'referenced' | 'anonymous' | 'swap';
const FIELDS: readonly Field[] = ['rss', 'size', 'pss', 'sharedClean', 'sharedDirty', 'privateClean', 'privateDirty', 'referenced', 'anonymous', 'swap'];
/** smaps' key for each of psutil's fields. */
const KEYS: Readonly<Record<string, Field>> = {
  Rss: 'rss',
  Size: 'size',
  Pss: 'pss',
  Shared_Clean: 'sharedClean',
  Shared_Dirty: 'sharedDirty',
  Private_Clean: 'privateClean',
  Private_Dirty: 'privateDirty',
  Referenced: 'referenced',
  Anonymous: 'anonymous',
  Swap: 'swap',
};

function zeros(): Record<Field, number> {
  return { rss: 0, size: 0, pss: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, swap: 0 };
}

/**
 * psutil's memory_maps as a view of smaps' mappings (procfs/pid-maps): one
 * entry per mapping (grouped=false, with addr and perms) or per path, summed,
 * in order of first appearance (grouped=true). Values are psutil's "Key: N
 * kB" fields in bytes; a field absent from a mapping counts 0; other fields
 * (VmFlags, THPeligible, ProtectionKey, *Hugetlb, ...) are not psutil's. An
 * anonymous mapping is '[anon]'.
 */
export function memoryMapsOf(entries: readonly SmapsEntry[], grouped?: true, opts?: SmapsOptions): MemoryMap[];
export function memoryMapsOf(entries: readonly SmapsEntry[], grouped: false, opts?: SmapsOptions): MemoryMapExt[];
export function memoryMapsOf(entries: readonly SmapsEntry[], grouped?: boolean, opts?: SmapsOptions): MemoryMap[] | MemoryMapExt[];
export function memoryMapsOf(entries: readonly SmapsEntry[], grouped = true, opts: SmapsOptions = {}): MemoryMap[] | MemoryMapExt[] {
  const exists = opts.pathExists ?? (() => false);
  const blocks = entries.map((e) => {
    let path = e.path.trim();
    if (path === '') path = '[anon]';
    else if (path.endsWith(DELETED) && !exists(path)) path = path.slice(0, -DELETED.length);
    const values = zeros();
    // The last line of a key wins, as psutil's dict does.
    for (const f of e.fields) {
      const field = KEYS[f.name];
      if (field !== undefined) values[field] = f.value * 1024;
    }
    return { addr: `${e.start}-${e.end}`, perms: e.perms, path, values };
  });
  if (!grouped) return blocks.map((b) => ({ addr: b.addr, perms: b.perms, path: b.path, ...b.values }));
  const byPath = new Map<string, Record<Field, number>>();
  for (const b of blocks) {
    const sum = byPath.get(b.path);
    if (!sum) byPath.set(b.path, { ...b.values });
    else for (const f of FIELDS) sum[f] += b.values[f];
  }
  return Array.from(byPath, ([path, v]) => ({ path, ...v }));
}

/** /proc/<pid>/smaps → psutil's memory_maps (memoryMapsOf over the one smaps reader). An empty file (kernel threads) gives []. */
export function parseSmaps(text: string, grouped?: true, opts?: SmapsOptions): MemoryMap[];
export function parseSmaps(text: string, grouped: false, opts?: SmapsOptions): MemoryMapExt[];
export function parseSmaps(text: string, grouped?: boolean, opts?: SmapsOptions): MemoryMap[] | MemoryMapExt[];
export function parseSmaps(text: string, grouped = true, opts: SmapsOptions = {}): MemoryMap[] | MemoryMapExt[] {
  return memoryMapsOf(parseSmapsEntries(text), grouped, opts);
}

/** /proc/<pid>/fdinfo/<fd>: the file offset ('pos:') and the open flags ('flags:', octal). */
export function parseFdinfo(text: string): { position: number; flags: number } {
  const source = '/proc/<pid>/fdinfo';
  let position: number | undefined;
  let flags: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(\S*)/.exec(line);
    if (!m) continue;
    if (m[1] === 'pos' && position === undefined) {
      if (!/^\d+$/.test(m[2]!)) throw new ParseError(source, `bad pos ${JSON.stringify(line)}`);
      position = Number(m[2]);
    } else if (m[1] === 'flags' && flags === undefined) {
      if (!/^[0-7]+$/.test(m[2]!)) throw new ParseError(source, `bad flags ${JSON.stringify(line)}`);
      flags = parseInt(m[2]!, 8);
    }
  }
  if (position === undefined || flags === undefined) throw new ParseError(source, 'missing pos or flags');
  return { position, flags };
}

const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_APPEND = 0o2000;

/** psutil's file_flags_to_mode: r, w, a, r+, a+ ('?' for the access mode 3, which psutil cannot map). */
export function fileFlagsToMode(flags: number): string {
  const acc = flags & O_ACCMODE;
  const append = (flags & O_APPEND) !== 0;
  if (acc === 0) return 'r';
  if (acc === O_WRONLY) return append ? 'a' : 'w';
  if (acc === O_RDWR) return append ? 'a+' : 'r+';
  return '?';
}

function errCode(e: unknown): string | undefined {
  return e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
}

// psutil's *_strict helpers: EPERM/EACCES propagate, any other failure means "no".
function statStrict(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = errCode(e);
    if (code === 'EPERM' || code === 'EACCES') throw e;
    return undefined;
  }
}

/** psutil's readlink(): cut at a NUL; drop a ' (deleted)' suffix unless a file has that very name. */
function readlinkClean(path: string): string {
  let target = readlinkSync(path).split('\0')[0]!;
  if (target.endsWith(DELETED) && statStrict(target) === undefined) target = target.slice(0, -DELETED.length);
  return target;
}

/** psutil Process(pid).memory_maps(grouped): parsed from /proc/<pid>/smaps. */
export function processMemoryMaps(pid: number, opts?: { grouped?: true }): MemoryMap[];
export function processMemoryMaps(pid: number, opts: { grouped: false }): MemoryMapExt[];
export function processMemoryMaps(pid: number, opts?: { grouped?: boolean }): MemoryMap[] | MemoryMapExt[];
export function processMemoryMaps(pid: number, opts: { grouped?: boolean } = {}): MemoryMap[] | MemoryMapExt[] {
  const text = readText(procPath(pid, 'smaps'));
  return parseSmaps(text, opts.grouped ?? true, { pathExists: (p) => statStrict(p) !== undefined });
}

/**
 * psutil Process(pid).open_files(): the fds that name a regular file (an
 * absolute path that stat() says is a regular file, in our mount namespace as
 * in psutil), with offset, flags and mode from fdinfo, in fd order.
 */
export function processOpenFiles(pid: number): OpenFile[] {
  const dir = procPath(pid, 'fd');
  const fds = readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  const out: OpenFile[] = [];
  let gone: unknown;
  for (const fd of fds) {
    let path: string;
    try {
      path = readlinkClean(`${dir}/${fd}`);
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ESRCH') {
        gone ??= e;
        continue;
      }
      if (code === 'EINVAL' || code === 'ENAMETOOLONG') continue;
      throw e;
    }
    if (!path.startsWith('/') || !statStrict(path)?.isFile()) continue;
    let info: { position: number; flags: number };
    try {
      info = parseFdinfo(readText(procPath(pid, 'fdinfo', fd)));
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ESRCH') {
        gone ??= e;
        continue;
      }
      throw e;
    }
    out.push({ path, fd, position: info.position, mode: fileFlagsToMode(info.flags), flags: info.flags });
  }
  // An fd vanished: fine if the process lives (it closed the fd), an error if the process is gone.
  if (gone !== undefined && statStrict(procPath(pid)) === undefined) throw gone;
  return out;
}
