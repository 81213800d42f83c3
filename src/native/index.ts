/**
 * The one place that loads the native addon. The binding's shape is declared
 * here, once; everything else imports `native` from this module.
 *
 * Load order: the prebuild shipped in `prebuilds/<platform>-<arch>/`, then
 * whatever node-gyp-build finds (`build/Release`, `build/Debug`, prebuilds).
 * `PTOOLS_NATIVE` names an explicit `.node` file to load first. The single
 * binary (src/sea/) bypasses the search with `useBinding`. If nothing loads,
 * the error lists every path tried and the command that builds the addon.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bytes read in bulk: slot k is bytes [slots[2k], slots[2k]+slots[2k+1]) of data; a negative length is -errno. */
export interface BulkRead {
  readonly data: Buffer;
  readonly slots: Float64Array;
  /** owner uid of /proc/<pid> per pid (-1 when unknown); only when asked for. */
  readonly uids?: Float64Array;
}

export interface Statvfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  flag: number;
  namemax: number;
}

export interface RawIfAddr {
  name: string;
  flags: number;
  /** AF_INET 2, AF_INET6 10, AF_PACKET 17, -1 when the entry has no address. */
  family: number;
  /** A string for AF_INET/AF_INET6, the hardware address bytes for AF_PACKET. */
  address: string | Buffer | null;
  netmask: string | Buffer | null;
  broadcast: string | Buffer | null;
  ptp: string | Buffer | null;
  scopeId?: number;
}

export interface RawIfStats {
  flags: number;
  mtu: number;
  /** Mbit/s; -1 when ethtool says unknown; null when ethtool failed. */
  speed: number | null;
  /** 0 half, 1 full, 255 unknown; null when ethtool failed. */
  duplex: number | null;
  ethtoolErrno?: number;
  ethtoolCode?: string;
}

/** SIOCGIFMAP's struct ifmap. */
export interface RawIfMap {
  memStart: number;
  memEnd: number;
  baseAddr: number;
  irq: number;
  dma: number;
  /** IF_PORT_* (0 unknown, 1 10base2, ...). */
  port: number;
}

/** ifConfig(): what ifconfig asks the kernel about one interface; each fact null when its ioctl failed. */
export interface RawIfConfig {
  /** SIOCGIFFLAGS' 16 bits (its failure throws: ENODEV, ENXIO...). */
  flags: number;
  /** SIOCGIFHWADDR: ARPHRD_* and the 14 bytes of sa_data. */
  hwType: number | null;
  hwaddr: Buffer | null;
  mtu: number | null;
  map: RawIfMap | null;
  /** SIOCGIFTXQLEN. */
  txqueuelen: number | null;
  /** SIOCGIFADDR (null when the name has no IPv4 address), then DSTADDR, BRDADDR, NETMASK ('0.0.0.0' when unset). */
  inet: { address: string; destination: string | null; broadcast: string | null; netmask: string | null } | null;
}

/** inetDiag's records: `count` × `stride` numbers (fields in INET_FIELDS order, core/sockdiag.ts) and 32 address bytes each (src 16, dst 16). */
export interface InetDiagRaw {
  readonly count: number;
  readonly stride: number;
  readonly nums: Float64Array;
  readonly addrs: Buffer;
}

/** unixDiag's records: `count` × `stride` numbers (UNIX_FIELDS order; -1 where the kernel sent no such attribute) and the names back to back. */
export interface UnixDiagRaw {
  readonly count: number;
  readonly stride: number;
  readonly nums: Float64Array;
  readonly names: Buffer;
}

/** socketOwners' triples (inode, pid, fd) in walk order (pids ascending as /proc lists them, fds in directory order). */
export interface SocketOwnersRaw {
  readonly inodes: Float64Array;
  readonly pids: Int32Array;
  readonly fds: Int32Array;
  /** pids whose fd directory could not be opened (EACCES/EPERM). */
  readonly denied: Int32Array;
  /** processes whose fd directory was read. */
  readonly scanned: number;
}

export interface Passwd {
  name: string;
  uid: number;
  gid: number;
  gecos?: string;
  dir?: string;
  shell?: string;
}

export interface Group {
  name: string;
  gid: number;
}

export interface NativeBinding {
  /** One read of a whole file (grown and re-read from 0 if the buffer fills). */
  readFile(path: string, sizeHint?: number): Buffer;
  readFiles(paths: string[]): BulkRead;
  readFilesAsync(paths: string[]): Promise<BulkRead>;
  /** Reads `${root}/${pid}/${name}` for every pid × name, pid-major. */
  readProc(root: string, pids: number[], names: string[], wantUid?: boolean): BulkRead;
  /** With `into`, the bytes are copied into it when they fit: the result then has `length` and no `data`. */
  readProc(root: string, pids: number[], names: string[], wantUid: boolean, into: Buffer): BulkRead | RawBulkInto;
  readProcAsync(root: string, pids: number[], names: string[], wantUid?: boolean): Promise<BulkRead>;
  /** The all-digit entries of a directory as numbers, in the kernel's order; nothing is stat'ed (an entry may vanish). */
  listNumeric(path: string): number[];
  sysconf(): { clockTicks: number; pageSize: number; nprocessorsConf: number; nprocessorsOnln: number };
  statvfs(path: string): Statvfs;
  statvfsAsync(path: string): Promise<Statvfs>;
  getifaddrs(): RawIfAddr[];
  ifStats(name: string): RawIfStats;
  /** SIOCGIFFLAGS, HWADDR, MTU, MAP, TXQLEN and the IPv4 address ioctls of one interface (a name of 1 to 15 bytes; RangeError otherwise). */
  ifConfig(name: string): RawIfConfig;
  schedGetaffinity(pid: number): number[];
  schedSetaffinity(pid: number, cpus: number[]): void;
  /** [ioclass, value] */
  ioprioGet(pid: number): [number, number];
  ioprioSet(pid: number, ioclass: number, value: number): void;
  /** Returns the old [soft, hard]; -1 is RLIM_INFINITY. With soft/hard, sets them. */
  prlimit(pid: number, resource: number, soft?: number, hard?: number): [number, number];
  getpwuid(uid: number): Passwd | null;
  getgrgid(gid: number): Group | null;
  getpwnam(name: string): Passwd | null;
  getgrnam(name: string): Group | null;
  pidfdOpen(pid: number): number;
  pollReadable(fd: number, timeoutMs: number): boolean;
  pollReadableAsync(fd: number, timeoutMs: number): Promise<boolean>;
  closeFd(fd: number): void;
  getpriority(pid: number): number;
  setpriority(pid: number, value: number): void;
  getids(): { uid: number; euid: number; gid: number; egid: number };
  /** sigqueue(3): a signal with an integer payload. */
  sigqueue(pid: number, signal: number, value: number): void;
  /** sock_diag dump: family 2|10, IP protocol (6,17,136,255), TCPF_* states mask, idiag_ext bits (2 = INET_DIAG_INFO). */
  inetDiag(family: number, protocol: number, states: number, ext?: number): InetDiagRaw;
  inetDiagAsync(family: number, protocol: number, states: number, ext?: number): Promise<InetDiagRaw>;
  /** AF_UNIX sock_diag dump; show = UDIAG_SHOW_* bits. */
  unixDiag(states: number, show: number): UnixDiagRaw;
  unixDiagAsync(states: number, show: number): Promise<UnixDiagRaw>;
  /** One walk of `${procRoot}/<pid>/fd`: every socket fd as (inode, pid, fd); denied = pids whose fd dir gave EACCES/EPERM. */
  socketOwners(procRoot: string): SocketOwnersRaw;
  socketOwnersAsync(procRoot: string): Promise<SocketOwnersRaw>;
  /** sync(2): flush every filesystem's buffers. */
  sync(): void;
}

/** An error raised by the addon for a failed syscall. */
export interface NativeErrnoError extends Error {
  code: string;
  /** Negative errno, as in Node's fs errors. */
  errno: number;
  syscall: string;
  path?: string;
}

export function isErrnoError(e: unknown): e is NativeErrnoError {
  return e instanceof Error && typeof (e as NativeErrnoError).code === 'string' && typeof (e as NativeErrnoError).errno === 'number';
}

const require = createRequire(import.meta.url);
/** The package root: this file is dist/native/index.js (or src/native/index.ts under vitest). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

function load(): { binding: NativeBinding; path: string } {
  const tried: string[] = [];
  const attempt = (path: string): NativeBinding | null => {
    try {
      return require(path) as NativeBinding;
    } catch (e) {
      tried.push(`${path} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      return null;
    }
  };
  const explicit = process.env.PTOOLS_NATIVE;
  if (explicit) {
    const b = attempt(explicit);
    if (b) return { binding: b, path: explicit };
  }
  const preDir = join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);
  if (existsSync(preDir)) {
    const files = readdirSync(preDir).filter((f) => f.endsWith('.node')).sort((a, b) => Number(b.includes('napi')) - Number(a.includes('napi')));
    for (const f of files) {
      const p = join(preDir, f);
      const b = attempt(p);
      if (b) return { binding: b, path: p };
    }
  } else {
    tried.push(`${preDir} (no prebuild for ${process.platform}-${process.arch})`);
  }
  try {
    const gypBuild = require('node-gyp-build') as { path(dir: string): string };
    const p = gypBuild.path(packageRoot);
    const b = attempt(p);
    if (b) return { binding: b, path: p };
  } catch (e) {
    tried.push(`${join(packageRoot, 'build', 'Release')} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  throw new Error(
    'ptools: the native addon could not be loaded. Tried:\n' +
      tried.map((t) => `  - ${t}`).join('\n') +
      `\nBuild it with \`make build\` (or \`npm run build:native\`) in ${packageRoot}.`,
  );
}

let loaded: { binding: NativeBinding; path: string } | undefined;
let provider: (() => { binding: NativeBinding; path: string }) | undefined;

/**
 * The single binary's hook: `provide` returns the addon it loaded (from its
 * hash-verified embedded copy) and is used instead of the search above. Call
 * it before the first use of `native`.
 */
export function useBinding(provide: () => { binding: NativeBinding; path: string }): void {
  provider = provide;
}

/** The addon, loaded on first use. */
export function binding(): NativeBinding {
  if (!loaded) loaded = provider ? provider() : load();
  return loaded.binding;
}

/** Where the addon was loaded from (for diagnostics). */
export function bindingPath(): string {
  binding();
  return loaded!.path;
}

/** The addon as an object whose methods load it on first call. */
export const native: NativeBinding = new Proxy({} as NativeBinding, {
  get(_t, prop) {
    return (binding() as unknown as Record<string | symbol, unknown>)[prop];
  },
});

/** readProc's result when the bytes went into the caller's Buffer. */
export interface RawBulkInto {
  readonly length: number;
  readonly slots: Float64Array;
  readonly uids?: Float64Array;
}

/**
 * A reusable buffer for synchronous bulk reads: read() returns a BulkRead
 * whose data is this buffer's memory, valid until the next read() on the
 * same scratch. A loop that never yields to the event loop then allocates
 * nothing per scan (Buffers are freed only after a GC, by a background
 * sweeper that falls behind a busy loop). It grows to the largest read.
 */
export class BulkScratch {
  #buf: Buffer | undefined;
  read(root: string, pids: number[], names: string[], wantUid = false): BulkRead {
    this.#buf ??= Buffer.allocUnsafeSlow(64 * 1024);
    const r = binding().readProc(root, pids, names, wantUid, this.#buf);
    if ('length' in r) return { data: this.#buf.subarray(0, r.length), slots: r.slots, ...(r.uids ? { uids: r.uids } : {}) } as BulkRead;
    // Too big for the scratch: this once a fresh Buffer; next time a bigger scratch.
    if (r.data.length > this.#buf.length) this.#buf = Buffer.allocUnsafeSlow(Math.max(r.data.length * 2, this.#buf.length * 2));
    return r;
  }
}

/** Slot k of a bulk read: the bytes, or the negative errno. */
export function bulkSlot(r: BulkRead, k: number): Buffer | number {
  const off = r.slots[2 * k]!;
  const len = r.slots[2 * k + 1]!;
  if (len < 0) return len;
  return r.data.subarray(off, off + len);
}
