/**
 * The single binary's per-user cache: the files embedded in the executable
 * (the native addon, package.json) are written once to
 * `$XDG_CACHE_HOME/ptools/<version>-<key>/` (else `~/.cache/...`, else a
 * private temp directory), where `<key>` is the SHA-256 of their contents
 * recorded at build time, and checked on every start.
 *
 * Trust rules: a directory is used only if it is a real directory (not a
 * symlink) owned by us and not group/world-writable; a file only if it is a
 * regular file (never opened otherwise: a FIFO would block the open, a
 * device could act on it), opened without following symlinks, owned by us,
 * not group/world-writable, and its bytes are exactly the embedded copy's.
 * (Comparing with the copy inside the executable is the check a SHA-256
 * comparison stands for, and it spares loading node:crypto, ~3 ms of every
 * start.) Anything else is rewritten (temp name in the same directory, fsync,
 * rename: two copies starting at once each rename a complete file into place)
 * or the next candidate directory is used. The addon is then loaded through
 * the very descriptor that was verified (`/proc/self/fd/N`), so nothing can
 * swap the file between the check and `dlopen`.
 */
import {
  closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readSync,
  renameSync, rmdirSync, rmSync, unlinkSync, writeSync, existsSync, type Stats,
} from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { constants as osConstants, homedir, tmpdir } from 'node:os';

/** One embedded file: its name in the cache directory and its bytes (the executable's own memory, read only). */
export interface CacheFile {
  readonly name: string;
  readonly bytes: () => Uint8Array;
}

export interface CacheSpec {
  /** package version: the first half of the directory name. */
  readonly version: string;
  /** SHA-256 (hex prefix) of every embedded file: the second half of the directory name. */
  readonly key: string;
}

export interface CacheRoot {
  readonly dir: string;
  /** A private temp directory (no usable cache): removed at exit. */
  readonly temporary: boolean;
  /** Why earlier candidates were passed over (for PTOOLS_SEA_DEBUG and error messages). */
  readonly notes: readonly string[];
}

const uid = (): number => (typeof process.geteuid === 'function' ? process.geteuid() : -1);

function errText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/** The cache bases in order: $XDG_CACHE_HOME (only when absolute, as the XDG spec says), then ~/.cache. */
export function cacheBases(env: NodeJS.ProcessEnv = process.env, home: string | undefined = safeHomedir()): string[] {
  const out: string[] = [];
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) out.push(xdg);
  if (home && isAbsolute(home)) {
    const h = join(home, '.cache');
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

function safeHomedir(): string | undefined {
  try {
    return process.env.HOME || homedir();
  } catch {
    return undefined;
  }
}

/** Why `path` may not be used as our directory, or null when it may. */
export function untrustedDir(path: string): string | null {
  let st;
  try {
    st = lstatSync(path, { throwIfNoEntry: false });
  } catch (e) {
    return errText(e);
  }
  if (!st) return `${path} does not exist`;
  if (st.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!st.isDirectory()) return `${path} is not a directory`;
  if (st.uid !== uid()) return `${path} is owned by uid ${st.uid}, not ${uid()}`;
  if (st.mode & 0o022) return `${path} is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/** Creates directory `path` (mode 0700) unless something is there; throws what mkdir throws but EEXIST. */
function mkdirIfMissing(path: string): void {
  // lstat first: a failed mkdir costs an exception on every start.
  if (lstatSync(path, { throwIfNoEntry: false })) return;
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** Creates `path` (mode 0700) if missing; returns why it may not be used, or null. */
export function ensureDir(path: string): string | null {
  try {
    mkdirIfMissing(path);
  } catch (e) {
    return errText(e);
  }
  return untrustedDir(path);
}

/** Reads the whole file behind `fd`. */
function readAll(fd: number, size: number): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(size, 1));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    const n = readSync(fd, buf, len, buf.length - len, len);
    if (n === 0) return buf.subarray(0, len);
    len += n;
  }
}

/**
 * Opens `path` without following a symlink and returns the descriptor when the
 * file is ours, regular, not writable by others and holds exactly `want`;
 * else closes it and returns why not. Never blocks: anything but a regular
 * file (a FIFO, whose open would wait for a writer; a socket; a device; a
 * directory; a symlink) is refused by lstat before any open, and the open
 * itself is non-blocking and checked again with fstat (the name may have
 * been replaced in between).
 */
export function openVerified(path: string, want: Uint8Array): { fd: number } | { reason: string } {
  let fd: number;
  try {
    const lst = lstatSync(path);
    if (!lst.isFile()) return { reason: `${path} is ${fileKind(lst)}, not a regular file` };
    // (libuv adds O_CLOEXEC to every open.) O_NONBLOCK has no effect on a
    // regular file's reads; O_NOCTTY keeps a terminal from becoming ours.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { reason: errText(e) };
  }
  try {
    const st = fstatSync(fd);
    let reason: string | null = null;
    if (!st.isFile()) reason = `${path} is ${fileKind(st)}, not a regular file`;
    else if (st.uid !== uid()) reason = `${path} is owned by uid ${st.uid}, not ${uid()}`;
    else if (st.mode & 0o022) reason = `${path} is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
    else if (st.size !== want.length) reason = `${path} has ${st.size} bytes, not the embedded ${want.length}`;
    else if (!readAll(fd, st.size).equals(want)) reason = `${path} differs from the embedded copy`;
    if (reason === null) return { fd };
    closeSync(fd);
    return { reason };
  } catch (e) {
    closeSync(fd);
    return { reason: errText(e) };
  }
}

/** What a non-regular file is, for messages. */
function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'of an unknown type';
}

/** Writes `bytes` to `dir/name` atomically: a private temp file in the same directory, fsync, rename. */
export function writeAtomic(dir: string, name: string, bytes: Uint8Array): void {
  // O_EXCL: a name nobody else holds (the pid and a counter make a clash unlikely; EEXIST tries the next).
  let tmp = '';
  let fd = -1;
  for (let n = 0; fd < 0; n++) {
    tmp = join(dir, `.${name}.${process.pid}.${Date.now().toString(36)}${n}.tmp`);
    try {
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
    }
  }
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, join(dir, name));
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  // The rename itself reaches the disk with the directory.
  try {
    // (O_DIRECTORY: anything but a directory fails with ENOTDIR before it is opened, so never blocks.)
    const dfd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch { /* best effort: the cache is rebuilt if lost */ }
}

export type Log = (msg: string) => void;

/**
 * A verified descriptor of `dir/file.name`, (re)writing the file first when it
 * is missing or fails any check. Throws when even a fresh copy does not verify.
 */
export function ensureFile(dir: string, file: CacheFile, log: Log = () => {}): number {
  const path = join(dir, file.name);
  const want = file.bytes();
  const first = openVerified(path, want);
  if ('fd' in first) return first.fd;
  const there = lstatOrUndefined(path);
  if (there) log(`rewriting ${path}: ${first.reason}`);
  // rename() replaces anything but a directory: an empty one is removed
  // first; a full one makes the write fail (the caller moves on).
  if (there?.isDirectory()) try { rmdirSync(path); } catch { /* not empty: rename fails below */ }
  writeAtomic(dir, file.name, want);
  log(`wrote ${path}`);
  const second = openVerified(path, want);
  if ('fd' in second) return second.fd;
  throw new Error(`ptools: ${second.reason}`);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * The cache directory for `spec` with `eager` files in place and verified: the
 * first trusted candidate, else a fresh private temp directory.
 */
export function prepareRoot(spec: CacheSpec, eager: readonly CacheFile[], opts: { env?: NodeJS.ProcessEnv; home?: string; log?: Log } = {}): CacheRoot {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  const notes: string[] = [];
  const leaf = `${spec.version}-${spec.key}`;
  for (const base of cacheBases(env, opts.home ?? safeHomedir())) {
    try {
      // The base is created (0700, as XDG says) only when its parent exists:
      // never a missing home directory. It may be shared, so trust starts below it.
      mkdirIfMissing(base);
      const top = join(base, 'ptools');
      const dir = join(top, leaf);
      const why = ensureDir(top) ?? ensureDir(dir);
      if (why) {
        notes.push(why);
        log(`not using ${base}: ${why}`);
        continue;
      }
      for (const f of eager) closeSync(ensureFile(dir, f, log));
      return { dir, temporary: false, notes };
    } catch (e) {
      notes.push(`${base}: ${errText(e)}`);
      log(`not using ${base}: ${errText(e)}`);
    }
  }
  const dir = privateTempDir();
  for (const f of eager) closeSync(ensureFile(dir, f, log));
  log(`using private temp directory ${dir}`);
  return { dir, temporary: true, notes };
}

/** A fresh 0700 directory under the system temp dir (mkdtemp), removed at exit. */
export function privateTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptools-'));
  process.once('exit', () => {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  });
  return dir;
}

/** `process.dlopen` of the verified descriptor; `path` names it in errors. */
function dlopenFd(fd: number, path: string): unknown {
  const mod = { exports: {} as unknown };
  const viaFd = `/proc/self/fd/${fd}`;
  // Without /proc (unusual) the verified path is opened by name instead.
  process.dlopen(mod, existsSync(viaFd) ? viaFd : path, osConstants.dlopen.RTLD_NOW);
  return mod.exports;
}

/**
 * Loads the addon `file` from `root` (writing it there if needed); if that
 * fails (a full disk, a noexec mount), from a fresh private temp directory.
 */
export function loadAddon(root: CacheRoot, file: CacheFile, log: Log = () => {}): { exports: unknown; path: string } {
  const errors: string[] = [];
  const dirs = [root.dir];
  for (let i = 0; i < 2; i++) {
    const dir = i === 0 ? root.dir : privateTempDir();
    if (i > 0) dirs.push(dir);
    const path = join(dir, file.name);
    try {
      const fd = ensureFile(dir, file, log);
      try {
        const exports = dlopenFd(fd, path);
        log(`loaded ${path}`);
        return { exports, path };
      } finally {
        closeSync(fd);
        // A temp copy is no longer needed once mapped.
        if (i > 0 || root.temporary) try { unlinkSync(path); } catch { /* gone */ }
      }
    } catch (e) {
      errors.push(`${path}: ${errText(e)}`);
      log(`could not load ${path}: ${errText(e)}`);
    }
  }
  throw new Error(`ptools: the embedded native addon could not be loaded:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
}
