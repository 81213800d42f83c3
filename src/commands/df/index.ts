/**
 * df: report file system space usage, as GNU coreutils 9.1's df prints it.
 *
 * collect() walks the mount table with coreutils' rules (which mounts are
 * shown, duplicates of a device, pseudo filesystems, FILE arguments resolved
 * to the mount that holds them) through the core library; toRows() turns the
 * statvfs counts into coreutils' field values (exact integer arithmetic,
 * Use% rounded up); renderText() lays them out as df does. --json prints the
 * same rows as raw bytes and counts.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import {
  findMountPoint,
  mountTable,
  realPath,
  statPath,
  statPathAutomount,
  statvfsPath,
  syncFilesystems,
  type MountTableEntry,
  type PathStat,
  type StatvfsCounts,
} from '../../core/system/mounts.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';
import { HUMAN, humanOptions, humanReadable, strtolErrorMessage, UINTMAX_MAX } from './human.js';
import { utf8Locale } from '../../core/base/locale.js';
import { stringWidth } from '../../text/wcwidth.js';
import { quote, quoteaf, quotef } from '../../text/quote.js';
import { errorText } from '../../text/strerror.js';

// ------------------------------------------------------------------ fields

export type FieldName = 'source' | 'fstype' | 'itotal' | 'iused' | 'iavail' | 'ipcent' | 'size' | 'used' | 'avail' | 'pcent' | 'file' | 'target';

interface FieldSpec {
  name: FieldName;
  kind: 'block' | 'inode' | 'other';
  caption: string;
  /** Minimum width. */
  width: number;
  align: 'left' | 'right';
}

/** coreutils' field_data[]: header, minimum width and alignment of each column. */
const FIELDS: Record<FieldName, FieldSpec> = {
  source: { name: 'source', kind: 'other', caption: 'Filesystem', width: 14, align: 'left' },
  fstype: { name: 'fstype', kind: 'other', caption: 'Type', width: 4, align: 'left' },
  size: { name: 'size', kind: 'block', caption: 'blocks', width: 5, align: 'right' },
  used: { name: 'used', kind: 'block', caption: 'Used', width: 5, align: 'right' },
  avail: { name: 'avail', kind: 'block', caption: 'Available', width: 5, align: 'right' },
  pcent: { name: 'pcent', kind: 'block', caption: 'Use%', width: 4, align: 'right' },
  itotal: { name: 'itotal', kind: 'inode', caption: 'Inodes', width: 5, align: 'right' },
  iused: { name: 'iused', kind: 'inode', caption: 'IUsed', width: 5, align: 'right' },
  iavail: { name: 'iavail', kind: 'inode', caption: 'IFree', width: 5, align: 'right' },
  ipcent: { name: 'ipcent', kind: 'inode', caption: 'IUse%', width: 4, align: 'right' },
  target: { name: 'target', kind: 'other', caption: 'Mounted on', width: 0, align: 'left' },
  file: { name: 'file', kind: 'other', caption: 'File', width: 0, align: 'left' },
};

/** The order --output lists fields in when given without a list. */
const ALL_FIELDS: FieldName[] = ['source', 'fstype', 'itotal', 'iused', 'iavail', 'ipcent', 'size', 'used', 'avail', 'pcent', 'file', 'target'];

/** Lookup order of --output names (coreutils' field_data[] order). */
const FIELD_ORDER: FieldName[] = ['source', 'fstype', 'size', 'used', 'avail', 'pcent', 'itotal', 'iused', 'iavail', 'ipcent', 'target', 'file'];

export interface Column {
  field: FieldName;
  /** Header override (Size, Avail, Capacity). */
  caption?: string;
}

export type HeaderMode = 'default' | 'inodes' | 'human' | 'posix' | 'output';

// ------------------------------------------------------------------ options

export interface DfOptions {
  showAll: boolean;
  showLocal: boolean;
  /** human_readable option bits. */
  humanOpts: number;
  /** Output block size in bytes. */
  blockSize: bigint;
  headerMode: HeaderMode;
  printType: boolean;
  posix: boolean;
  sync: boolean;
  total: boolean;
  /** -t types (most recent first, as coreutils keeps them). */
  selectTypes: string[];
  /** -x types (most recent first). */
  excludeTypes: string[];
  /** Columns chosen with --output (empty when not given). */
  outputColumns: Column[];
  files: string[];
  json: boolean;
}

const LONG_OPTIONS: readonly LongOption[] = withJson([
  { name: 'all', has: 'none', key: 'a' },
  { name: 'block-size', has: 'required', key: 'B' },
  { name: 'inodes', has: 'none', key: 'i' },
  { name: 'human-readable', has: 'none', key: 'h' },
  { name: 'si', has: 'none', key: 'H' },
  { name: 'local', has: 'none', key: 'l' },
  { name: 'output', has: 'optional', key: 'output' },
  { name: 'portability', has: 'none', key: 'P' },
  { name: 'print-type', has: 'none', key: 'T' },
  { name: 'sync', has: 'none', key: 'sync' },
  { name: 'no-sync', has: 'none', key: 'no-sync' },
  { name: 'total', has: 'none', key: 'total' },
  { name: 'type', has: 'required', key: 't' },
  { name: 'exclude-type', has: 'required', key: 'x' },
  { name: 'help', has: 'none', key: 'help' },
  { name: 'version', has: 'none', key: 'version' },
]);

const SHORT_OPTIONS = 'aB:iF:hHklmPTt:vx:';

/** What parsing asks for instead of a listing. */
export type ParseOutcome = { kind: 'run'; opts: DfOptions } | { kind: 'help' } | { kind: 'version' };

function tryHelp(prog: string, message: string): CliExit {
  return new CliExit(1, `${prog}: ${message}\nTry '${prog} --help' for more information.\n`);
}

/**
 * df's command line, in getopt_long's order: each option takes effect as it
 * is met, so the first problem (an unknown option, a bad -B size, an
 * unknown --output field, -i/-T/-P with --output) is the one reported, in
 * coreutils' words. Throws CliExit.
 */
export function parseArgs(argv: readonly string[], prog: string, env: NodeJS.ProcessEnv): ParseOutcome {
  const { items: events, operands } = getoptLong(argv, SHORT_OPTIONS, LONG_OPTIONS, env);
  let showAll = false;
  let showLocal = false;
  let humanOpts = -1;
  let blockSize = 0n;
  let headerMode: HeaderMode = 'default';
  let printType = false;
  let posix = false;
  let sync = false;
  let total = false;
  let json = false;
  const selectTypes: string[] = [];
  const excludeTypes: string[] = [];
  const outputColumns: Column[] = [];
  const used = new Set<FieldName>();
  const mutex = (a: string, b: string): CliExit => tryHelp(prog, `options ${a} and ${b} are mutually exclusive`);

  const decodeOutput = (arg: string): void => {
    for (const s of arg.split(',')) {
      const field = FIELD_ORDER.find((f) => f === s);
      if (!field) throw tryHelp(prog, `option --output: field ${quote(s, env)} unknown`);
      if (used.has(field)) throw tryHelp(prog, `option --output: field ${quote(field, env)} used more than once`);
      used.add(field);
      outputColumns.push(field === 'size' ? { field, caption: 'Size' } : field === 'avail' ? { field, caption: 'Avail' } : { field });
    }
  };

  for (const ev of events) {
    if (ev.kind === 'error') throw tryHelp(prog, ev.message);
    if (isJson(ev.key)) {
      json = true;
      continue;
    }
    switch (ev.key) {
      case 'a':
        showAll = true;
        break;
      case 'B': {
        const r = humanOptions(ev.arg!, env);
        if (r.err) throw new CliExit(1, `${prog}: ${strtolErrorMessage(r.err, ev.name, ev.arg!)}\n`);
        humanOpts = r.opts;
        blockSize = r.blockSize;
        break;
      }
      case 'i':
        if (headerMode === 'output') throw mutex('-i', '--output');
        headerMode = 'inodes';
        break;
      case 'h':
        humanOpts = HUMAN.autoscale | HUMAN.SI | HUMAN.base1024;
        blockSize = 1n;
        break;
      case 'H':
        humanOpts = HUMAN.autoscale | HUMAN.SI;
        blockSize = 1n;
        break;
      case 'k':
        humanOpts = 0;
        blockSize = 1024n;
        break;
      case 'l':
        showLocal = true;
        break;
      case 'm': // obsolescent BSD option: 1M blocks
        humanOpts = 0;
        blockSize = 1024n * 1024n;
        break;
      case 'T':
        if (headerMode === 'output') throw mutex('-T', '--output');
        printType = true;
        break;
      case 'P':
        if (headerMode === 'output') throw mutex('-P', '--output');
        posix = true;
        break;
      case 'sync':
        sync = true;
        break;
      case 'no-sync':
        sync = false;
        break;
      case 'F': // Solaris' synonym for -t
      case 't':
        selectTypes.unshift(ev.arg!);
        break;
      case 'v': // SysV compatibility: ignored
        break;
      case 'x':
        excludeTypes.unshift(ev.arg!);
        break;
      case 'output':
        if (headerMode === 'inodes') throw mutex('-i', '--output');
        if (posix && headerMode === 'default') throw mutex('-P', '--output');
        if (printType) throw mutex('-T', '--output');
        headerMode = 'output';
        if (ev.arg !== undefined) decodeOutput(ev.arg);
        break;
      case 'total':
        total = true;
        break;
      case 'help':
        return { kind: 'help' };
      case 'version':
        return { kind: 'version' };
    }
  }

  if (humanOpts === -1) {
    if (posix) {
      humanOpts = 0;
      blockSize = env.POSIXLY_CORRECT !== undefined ? 512n : 1024n;
    } else {
      // A bad DF_BLOCK_SIZE is not an error: what human_options leaves behind is used.
      const r = humanOptions(env.DF_BLOCK_SIZE, env);
      humanOpts = r.opts;
      blockSize = r.blockSize;
    }
  }
  if (headerMode === 'inodes' || headerMode === 'output') {
    // as chosen
  } else if (humanOpts & HUMAN.autoscale) {
    headerMode = 'human';
  } else if (posix) {
    headerMode = 'posix';
  }

  // The same type both selected and excluded: one message per selected type, no usage hint.
  const clashes = selectTypes.filter((t) => excludeTypes.includes(t));
  if (clashes.length) {
    throw new CliExit(1, clashes.map((t) => `${prog}: file system type ${quote(t, env)} both selected and excluded\n`).join(''));
  }

  return {
    kind: 'run',
    opts: { showAll, showLocal, humanOpts, blockSize, headerMode, printType, posix, sync, total, selectTypes, excludeTypes, outputColumns, files: operands, json },
  };
}

/** The columns for a mode (coreutils' get_field_list). */
export function columnsFor(opts: DfOptions): Column[] {
  const type: Column[] = opts.printType ? [{ field: 'fstype' }] : [];
  switch (opts.headerMode) {
    case 'default':
      return [{ field: 'source' }, ...type, { field: 'size' }, { field: 'used' }, { field: 'avail' }, { field: 'pcent' }, { field: 'target' }];
    case 'human':
      return [{ field: 'source' }, ...type, { field: 'size', caption: 'Size' }, { field: 'used' }, { field: 'avail', caption: 'Avail' }, { field: 'pcent' }, { field: 'target' }];
    case 'inodes':
      return [{ field: 'source' }, ...type, { field: 'itotal' }, { field: 'iused' }, { field: 'iavail' }, { field: 'ipcent' }, { field: 'target' }];
    case 'posix':
      return [{ field: 'source' }, ...type, { field: 'size' }, { field: 'used' }, { field: 'avail' }, { field: 'pcent', caption: 'Capacity' }, { field: 'target' }];
    case 'output':
      if (opts.outputColumns.length) return opts.outputColumns;
      return ALL_FIELDS.map((field) => (field === 'size' ? { field, caption: 'Size' } : field === 'avail' ? { field, caption: 'Avail' } : { field }));
  }
}

// ------------------------------------------------------------------ collecting

/** statvfs counts as coreutils' struct fs_usage; UINTMAX_MAX means unknown. */
export interface FsUsage {
  blocksize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  /** f_bavail was negative (some filesystems report less than zero available). */
  bavailTopBitSet: boolean;
  files: bigint;
  ffree: bigint;
}

/** One row of df's table before formatting. */
export interface DfEntry {
  source: string;
  fstype: string;
  /** The FILE argument the row is for, '-' when listing all. */
  file: string;
  target: string;
  fsu: FsUsage;
  /** The --total row. */
  isTotal: boolean;
}

export interface DfData {
  entries: DfEntry[];
  /** Diagnostics in order, each a whole stderr line. */
  errors: string[];
  /** 0, or 1 when anything failed. */
  status: number;
  /** Whether any filesystem was listed (else "no file systems processed"). */
  processed: boolean;
}

/** The calls df makes on the system; the core's by default, fixtures in tests. */
export interface DfSystem {
  mountTable(): MountTableEntry[];
  stat(path: string): PathStat;
  statAutomount(path: string): PathStat;
  statvfs(path: string): StatvfsCounts;
  realPath(path: string): string | undefined;
  findMountPoint(path: string, dev: bigint): string | undefined;
  sync(): void;
}

export const coreSystem: DfSystem = {
  mountTable,
  stat: statPath,
  statAutomount: statPathAutomount,
  statvfs: statvfsPath,
  realPath,
  findMountPoint,
  sync: () => {
    syncFilesystems();
  },
};

const UNKNOWN_FSU: FsUsage = {
  blocksize: UINTMAX_MAX,
  blocks: UINTMAX_MAX,
  bfree: UINTMAX_MAX,
  bavail: UINTMAX_MAX,
  bavailTopBitSet: false,
  files: UINTMAX_MAX,
  ffree: UINTMAX_MAX,
};

const TOP_BIT = 1n << 63n;
const MOD64 = 1n << 64n;

/** A statvfs number as uintmax_t: exact below 2^53; the all-ones "unknown" survives the trip through a double. */
function big(n: number): bigint {
  if (!Number.isFinite(n) || n < 0) return UINTMAX_MAX;
  const b = BigInt(Math.trunc(n));
  return b >= UINTMAX_MAX - 1n ? UINTMAX_MAX : b;
}

/** gnulib's get_fs_usage on statvfs: blocks in f_frsize units (f_bsize when 0). */
export function fsUsageFromStatvfs(st: StatvfsCounts): FsUsage {
  const bavail = big(st.bavail);
  return {
    blocksize: big(st.frsize || st.bsize),
    blocks: big(st.blocks),
    bfree: big(st.bfree),
    bavail,
    bavailTopBitSet: bavail !== UINTMAX_MAX && (bavail & TOP_BIT) !== 0n,
    files: big(st.files),
    ffree: big(st.ffree),
  };
}

const knownValue = (n: bigint): boolean => n < UINTMAX_MAX - 1n;
const u64 = (n: bigint): bigint => ((n % MOD64) + MOD64) % MOD64;
const blen = (s: string): number => Buffer.byteLength(s);

/** A name that ends like a UUID: HHHHHHHH-HHHH-HHHH-HHHH-HHHHHHHHHHHH. */
function hasUuidSuffix(s: string): boolean {
  return s.length > 36 && /^[-0-9a-fA-F]{36}$/.test(s.slice(-36));
}

interface Mount extends MountTableEntry {
  /** st_dev as get_point uses it: from mountinfo, else stat'ed on demand (null until then); DEV_BAD once stat failed. */
  cachedDev: bigint | null;
}

const DEV_UNKNOWN = UINTMAX_MAX; // (dev_t) -1
const DEV_BAD = UINTMAX_MAX - 1n; // (dev_t) -2

interface DevSlot {
  dev: bigint;
  me: Mount;
}

/** coreutils' df main loop over mounts and FILE arguments, as a small state machine. */
class Collector {
  readonly entries: DfEntry[] = [];
  readonly errors: string[] = [];
  status = 0;
  processed = false;
  showListed = false;
  mounts: Mount[] = [];
  /** device number → the last slot seen for it (filter_mount_list's hash). */
  devTable: Map<bigint, DevSlot> | null = null;
  grand: FsUsage = { blocksize: 1n, blocks: 0n, bfree: 0n, bavail: 0n, bavailTopBitSet: false, files: 0n, ffree: 0n };

  constructor(
    private readonly opts: DfOptions,
    private readonly sys: DfSystem,
    private readonly prog: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  error(text: string): void {
    this.errors.push(`${this.prog}: ${text}\n`);
  }

  selected(fstype: string | null): boolean {
    return this.opts.selectTypes.length === 0 || fstype === null || this.opts.selectTypes.includes(fstype);
  }

  excluded(fstype: string | null): boolean {
    return fstype !== null && this.opts.excludeTypes.includes(fstype);
  }

  tryStat(path: string): PathStat | NodeJS.ErrnoException {
    try {
      return this.sys.stat(path);
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  }

  /**
   * filter_mount_list: one mount per device number. Of two mounts of one
   * device the one whose source has a '/' wins over a pseudo name, then the
   * one with the shorter mount point (unless that is a bind of a deeper
   * subtree), then a different source over-mounted on the same directory.
   * Remote mounts of different sources are all kept (unless totalling).
   * Mounts not shown anyway (filtered types, pseudo filesystems) are not
   * stat'ed and keep the device number from mountinfo. With -a only the
   * table is built (to spot over-mounted entries), the list stays whole.
   */
  filterMountList(devicesOnly: boolean): void {
    const table = new Map<bigint, DevSlot>();
    const list: DevSlot[] = [];
    for (const me of this.mounts) {
      let dev: bigint;
      let discard = false;
      const st =
        (me.remote && this.opts.showLocal) ||
        (me.dummy && !this.opts.showAll && !this.showListed) ||
        !this.selected(me.fstype) ||
        this.excluded(me.fstype)
          ? null
          : this.tryStat(me.mountpoint);
      if (st === null || st instanceof Error) {
        dev = me.dev ?? DEV_UNKNOWN;
      } else {
        dev = st.dev;
        const seen = table.get(dev);
        if (seen) {
          discard = true;
          const targetNearerRoot = blen(seen.me.mountpoint) > blen(me.mountpoint);
          const sourceBelowRoot = seen.me.root !== null && me.root !== null && blen(seen.me.root) < blen(me.root);
          if (!this.opts.total && me.remote && seen.me.remote && seen.me.source !== me.source) {
            // Remote mounts of different exports are likely mounted on purpose: keep both.
            discard = false;
          } else if (
            (me.source.includes('/') && !seen.me.source.includes('/')) ||
            (targetNearerRoot && !sourceBelowRoot) ||
            (seen.me.source !== me.source && me.mountpoint === seen.me.mountpoint)
          ) {
            seen.me = me; // the new entry replaces the one shown for this device, in its place
          }
        }
      }
      if (!discard) {
        const slot = { dev, me };
        list.push(slot);
        table.set(dev, slot);
      }
    }
    if (devicesOnly) {
      this.devTable = table;
    } else {
      this.mounts = list.map((s) => s.me);
      this.devTable = null;
    }
  }

  meForDev(dev: bigint): Mount | undefined {
    return this.devTable?.get(dev)?.me;
  }

  /** get_dev: one row for a filesystem, if the options let it through. */
  getDev(
    device: string | null,
    mountPoint: string | null,
    file: string | null,
    statFile: string | null,
    fstype: string | null,
    dummy: boolean,
    remote: boolean,
    forceFsu: FsUsage | null,
    processAll: boolean,
  ): void {
    const o = this.opts;
    if (remote && o.showLocal) return;
    if (dummy && !o.showAll && !this.showListed) return;
    if (!this.selected(fstype) || this.excluded(fstype)) return;
    // Relative mount points show up in /proc/mounts of other network namespaces.
    if (!forceFsu && mountPoint !== null && !mountPoint.startsWith('/')) return;
    if (statFile === null) statFile = mountPoint ?? device;

    let fsu: FsUsage;
    if (forceFsu) {
      fsu = forceFsu;
    } else {
      let got: FsUsage | NodeJS.ErrnoException;
      try {
        got = fsUsageFromStatvfs(this.sys.statvfs(statFile!));
      } catch (e) {
        got = e as NodeJS.ErrnoException;
      }
      if (got instanceof Error) {
        // A listed mount that is gone or forbidden is skipped (or shown as unknown with -a).
        if (processAll && (got.code === 'EACCES' || got.code === 'ENOENT')) {
          if (!o.showAll) return;
          fstype = '-';
          fsu = UNKNOWN_FSU;
        } else {
          this.error(`${quotef(statFile!, this.env)}: ${errorText(got)}`);
          this.status = 1;
          return;
        }
      } else {
        fsu = got;
        if (processAll && o.showAll) {
          // An over-mounted directory would report the other filesystem's numbers: hide them.
          const st = this.tryStat(statFile!);
          if (!(st instanceof Error)) {
            const devMe = this.meForDev(st.dev);
            if (devMe && devMe.source !== device && (!devMe.remote || !remote)) {
              fstype = '-';
              fsu = UNKNOWN_FSU;
            }
          }
        }
      }
    }

    if (fsu.blocks === 0n && !o.showAll && !this.showListed) return;
    if (!forceFsu) this.processed = true;

    let devName = device ?? '-';
    if (processAll && hasUuidSuffix(devName)) {
      // /dev/disk/by-uuid/... and /dev/mapper/luks-<uuid> links: show what they point to.
      const resolved = this.sys.realPath(devName);
      if (resolved !== undefined) devName = resolved;
    }
    if (o.total && !forceFsu) this.addToGrandTotal(fsu);
    this.entries.push({ source: devName, fstype: fstype ?? '-', file: file ?? '-', target: mountPoint ?? '-', fsu, isTotal: forceFsu !== null });
  }

  addToGrandTotal(fsu: FsUsage): void {
    const { block: bv, inode: iv } = fieldValues(fsu, 1n);
    const g = this.grand;
    if (knownValue(iv.total)) g.files = u64(g.files + iv.total);
    if (knownValue(iv.available)) g.ffree = u64(g.ffree + iv.available);
    if (knownValue(bv.total)) g.blocks = u64(g.blocks + bv.inputUnits * bv.total);
    if (knownValue(bv.availableToRoot)) g.bfree = u64(g.bfree + bv.inputUnits * bv.availableToRoot);
    if (knownValue(bv.available)) {
      // add_uint_with_neg_flag: a sum kept as magnitude bits plus a sign.
      let dest = g.bavail;
      let destNeg = g.bavailTopBitSet;
      let src = u64(bv.inputUnits * bv.available);
      const srcNeg = bv.negateAvailable;
      if (destNeg === srcNeg) {
        dest = u64(dest + src);
      } else {
        if (destNeg) dest = u64(-dest);
        if (srcNeg) src = u64(-src);
        if (src < dest) dest = u64(dest - src);
        else {
          dest = u64(src - dest);
          destNeg = srcNeg;
        }
        if (destNeg) dest = u64(-dest);
      }
      g.bavail = dest;
      g.bavailTopBitSet = destNeg;
    }
  }

  lastDeviceForMount(mount: string): string | undefined {
    let le: Mount | undefined;
    for (const me of this.mounts) if (me.mountpoint === mount) le = me;
    if (!le) return undefined;
    const canon = this.sys.realPath(le.source);
    return canon !== undefined && canon.startsWith('/') ? canon : le.source;
  }

  /** get_device: a block/char device FILE that is a mounted source shows that mount. */
  getDevice(name: string): boolean {
    const file = name;
    let device = name;
    const resolved = this.sys.realPath(name);
    if (resolved !== undefined && resolved.startsWith('/')) device = resolved;
    let best: Mount | undefined;
    let bestAccessible = false;
    let eclipsed = false;
    let bestLen = Infinity;
    for (const me of this.mounts) {
      let devname = me.source;
      const canon = this.sys.realPath(me.source);
      if (canon !== undefined && canon.startsWith('/')) devname = canon;
      if (device !== devname) continue;
      const last = this.lastDeviceForMount(me.mountpoint);
      eclipsed = last !== undefined && last !== devname;
      const len = blen(me.mountpoint);
      if (!eclipsed && (!bestAccessible || len < bestLen)) {
        let thisAccessible = false;
        if (!(this.tryStat(me.mountpoint) instanceof Error)) bestAccessible = thisAccessible = true;
        if (thisAccessible || (!bestAccessible && len < bestLen)) {
          best = me;
          if (len === 1) break; // the root: nothing shorter
          bestLen = len;
        }
      }
    }
    if (best) {
      this.getDev(best.source, best.mountpoint, file, null, best.fstype, best.dummy, best.remote, null, false);
      return true;
    }
    if (eclipsed) {
      this.error(`cannot access ${quoteaf(file, this.env)}: over-mounted by another device`);
      this.status = 1;
      return true;
    }
    return false;
  }

  /**
   * get_point: the mount holding a FILE. First the mount whose directory is
   * the longest prefix of the file's real path (a real filesystem preferred
   * over a pseudo one, the last mounted on a directory winning), checked by
   * device number; failing that, any mount with the file's device number;
   * failing that, the directory found by walking up while the device stays
   * the same.
   */
  getPoint(point: string, st: PathStat): void {
    let best: Mount | undefined;
    const resolved = this.sys.realPath(point);
    if (resolved !== undefined && resolved.startsWith('/')) {
      const r = Buffer.from(resolved);
      let bestLen = 0;
      for (const me of this.mounts) {
        if (me.fstype === 'lofs' || !(!best || best.dummy || !me.dummy)) continue;
        const m = Buffer.from(me.mountpoint);
        const len = m.length;
        if (bestLen <= len && len <= r.length && (len === 1 || ((len === r.length || r[len] === 0x2f) && m.equals(r.subarray(0, len))))) {
          best = me;
          bestLen = len;
        }
      }
    }
    if (best) {
      const bs = this.tryStat(best.mountpoint);
      if (bs instanceof Error || bs.dev !== st.dev) best = undefined;
    }
    if (!best) {
      for (const me of this.mounts) {
        if (me.cachedDev === null) {
          const ms = this.tryStat(me.mountpoint);
          if (!(ms instanceof Error)) me.cachedDev = ms.dev;
          else {
            // Only I/O errors are worth a word: others come from shadowed mount points.
            if (ms.code === 'EIO') {
              this.error(`${quotef(me.mountpoint, this.env)}: ${errorText(ms)}`);
              this.status = 1;
            }
            me.cachedDev = DEV_BAD;
          }
        }
        if (st.dev === me.cachedDev && me.fstype !== 'lofs' && (!best || best.dummy || !me.dummy)) {
          const ms = this.tryStat(me.mountpoint);
          if (ms instanceof Error || ms.dev !== me.cachedDev) me.cachedDev = DEV_BAD; // a stale table entry
          else best = me;
        }
      }
    }
    if (best) {
      this.getDev(best.source, best.mountpoint, point, point, best.fstype, best.dummy, best.remote, null, false);
    } else {
      const mp = this.sys.findMountPoint(point, st.dev);
      if (mp !== undefined) this.getDev(null, mp, point, null, null, false, false, null, false);
    }
  }

  run(): DfData {
    const o = this.opts;
    const stats: (PathStat | null)[] = [];
    for (const f of o.files) {
      try {
        stats.push(this.sys.statAutomount(f));
      } catch (e) {
        this.error(`${quotef(f, this.env)}: ${errorText(e)}`);
        this.status = 1;
        stats.push(null);
      }
    }

    let table: MountTableEntry[] = [];
    try {
      table = this.sys.mountTable();
    } catch (e) {
      const fatal = o.files.length === 0 || o.showAll || o.showLocal || o.selectTypes.length > 0 || o.excludeTypes.length > 0;
      const reason = (e as NodeJS.ErrnoException)?.code ? `: ${errorText(e)}` : '';
      if (fatal) throw new CliExit(1, `${this.errors.join('')}${this.prog}: cannot read table of mounted file systems${reason}\n`);
      this.error(`Warning: cannot read table of mounted file systems${reason}`);
    }
    this.mounts = table.map((m) => ({ ...m, cachedDev: m.dev }));

    if (o.sync) this.sys.sync();

    if (o.files.length) {
      // Explicitly named filesystems are shown even when empty or pseudo.
      this.showListed = true;
      o.files.forEach((f, k) => {
        const st = stats[k];
        if (!st) return;
        if ((st.isBlockDevice || st.isCharacterDevice) && this.getDevice(f)) return;
        this.getPoint(f, st);
      });
    } else {
      this.filterMountList(o.showAll);
      for (const me of this.mounts) this.getDev(me.source, me.mountpoint, null, null, me.fstype, me.dummy, me.remote, null, true);
    }

    if (this.processed && o.total) {
      const sourceShown = columnsFor(o).some((c) => c.field === 'source');
      this.getDev('total', sourceShown ? '-' : 'total', null, null, null, false, false, this.grand, false);
    }
    return { entries: this.entries, errors: this.errors, status: this.status, processed: this.processed };
  }
}

/** Walks the mounts (or the FILE arguments) as coreutils' df does, through `sys`. */
export function collect(opts: DfOptions, sys: DfSystem = coreSystem, prog = 'df', env: NodeJS.ProcessEnv = {}): DfData {
  return new Collector(opts, sys, prog, env).run();
}

// ------------------------------------------------------------------ values

/** coreutils' field_values_t: one side (blocks or inodes) of a row. */
export interface FieldValues {
  inputUnits: bigint;
  outputUnits: bigint;
  total: bigint;
  available: bigint;
  negateAvailable: boolean;
  availableToRoot: bigint;
  used: bigint;
  negateUsed: boolean;
}

/** get_field_values: used = total - free (to root), available = what users may still use. */
export function fieldValues(fsu: FsUsage, outputBlockSize: bigint): { block: FieldValues; inode: FieldValues } {
  const inode: FieldValues = {
    inputUnits: 1n,
    outputUnits: 1n,
    total: fsu.files,
    available: fsu.ffree,
    availableToRoot: fsu.ffree,
    negateAvailable: false,
    used: UINTMAX_MAX,
    negateUsed: false,
  };
  if (knownValue(inode.total) && knownValue(inode.availableToRoot)) {
    inode.used = u64(inode.total - inode.availableToRoot);
    inode.negateUsed = inode.total < inode.availableToRoot;
  }
  const block: FieldValues = {
    inputUnits: fsu.blocksize,
    outputUnits: outputBlockSize,
    total: fsu.blocks,
    available: fsu.bavail,
    availableToRoot: fsu.bfree,
    negateAvailable: fsu.bavailTopBitSet && knownValue(fsu.bavail),
    used: UINTMAX_MAX,
    negateUsed: false,
  };
  if (knownValue(block.total) && knownValue(block.availableToRoot)) {
    block.used = u64(block.total - block.availableToRoot);
    block.negateUsed = block.total < block.availableToRoot;
  }
  return { block, inode };
}

/**
 * Use%: used / (used + available), rounded up, in exact integer arithmetic
 * (with coreutils' floating-point fallback for negative or enormous
 * values); null when it cannot be computed (no blocks at all) — df's '-'.
 */
export function percent(v: FieldValues): number | null {
  let pct = -1;
  if (!knownValue(v.used) || !knownValue(v.available)) {
    // unknown
  } else if (
    !v.negateUsed &&
    v.used <= UINTMAX_MAX / 100n &&
    u64(v.used + v.available) !== 0n &&
    (u64(v.used + v.available) < v.used) === v.negateAvailable
  ) {
    const u100 = v.used * 100n;
    const nonrootTotal = u64(v.used + v.available);
    pct = Number(u100 / nonrootTotal + (u100 % nonrootTotal !== 0n ? 1n : 0n));
  } else {
    const u = v.negateUsed ? -Number(u64(-v.used)) : Number(v.used);
    const a = v.negateAvailable ? -Number(u64(-v.available)) : Number(v.available);
    const nonrootTotal = u + a;
    if (nonrootTotal) {
      pct = (u * 100) / nonrootTotal;
      const ipct = Math.trunc(pct);
      if (ipct - 1 < pct && pct <= ipct + 1) pct = ipct + (ipct < pct ? 1 : 0);
    }
  }
  return pct >= 0 ? pct : null;
}

/** A signed byte count from a magnitude in units and its sign flag; null when unknown. */
function bytes(n: bigint, negative: boolean, units: bigint): number | null {
  if (!negative && !knownValue(n)) return null;
  if (!knownValue(units)) return null;
  const mag = negative ? u64(-n) : n;
  const v = Number(mag * units);
  return negative ? -v : v;
}

/** One row of --json: raw bytes and counts. */
export interface DfJsonRow {
  /** The mounted device or source name; "total" for the --total row. */
  source: string;
  /** null when unknown (an inaccessible mount with -a, the total row). */
  fstype: string | null;
  /** Bytes; null when unknown. */
  size: number | null;
  used: number | null;
  avail: number | null;
  /** Use% as df prints it (rounded up); null where df prints '-'. */
  pcent: number | null;
  /** Mount point; null for the total row. */
  target: string | null;
  itotal: number | null;
  iused: number | null;
  iavail: number | null;
  ipcent: number | null;
  /** The FILE argument the row answers, or null when listing all filesystems. */
  file: string | null;
}

/** The rows as --json prints them. */
export function toJson(entries: readonly DfEntry[]): DfJsonRow[] {
  return entries.map((e) => {
    const { block: bv, inode: iv } = fieldValues(e.fsu, 1n);
    const count = (n: bigint, neg: boolean): number | null => bytes(n, neg, 1n);
    return {
      source: e.source,
      fstype: e.isTotal || e.fstype === '-' ? null : e.fstype,
      size: bytes(bv.total, false, bv.inputUnits),
      used: bytes(bv.used, bv.negateUsed, bv.inputUnits),
      avail: bytes(bv.available, bv.negateAvailable, bv.inputUnits),
      pcent: percent(bv),
      target: e.isTotal ? null : e.target,
      itotal: count(iv.total, false),
      iused: count(iv.used, iv.negateUsed),
      iavail: count(iv.available, iv.negateAvailable),
      ipcent: percent(iv),
      file: e.isTotal || e.file === '-' ? null : e.file,
    };
  });
}

// ------------------------------------------------------------------ text

/** df_readable: '-' for unknown, a '-' sign for negative values. */
function readable(negative: boolean, n: bigint, opts: number, inUnits: bigint, outUnits: bigint): string {
  if (!knownValue(n) && !negative) return '-';
  const s = humanReadable(negative ? u64(-n) : n, opts, inUnits, outUnits);
  return negative ? `-${s}` : s;
}

/** The header of a column (get_header): "1K-blocks", "1024-blocks", "Size"... */
export function headerCell(col: Column, opts: DfOptions): string {
  const caption = col.caption ?? FIELDS[col.field].caption;
  if (col.field === 'size' && (opts.headerMode === 'default' || (opts.headerMode === 'output' && !(opts.humanOpts & HUMAN.autoscale)))) {
    let hopts = HUMAN.suppressPointZero | HUMAN.autoscale | HUMAN.SI | (opts.humanOpts & (HUMAN.groupDigits | HUMAN.base1024 | HUMAN.B));
    // The base that states the block size more exactly: 1K for 1024, 1kB for 1000.
    let q1000 = opts.blockSize;
    let q1024 = opts.blockSize;
    let by1000: boolean;
    let by1024: boolean;
    do {
      by1000 = q1000 % 1000n === 0n;
      q1000 /= 1000n;
      by1024 = q1024 % 1024n === 0n;
      q1024 /= 1024n;
    } while (by1000 && by1024);
    if (!by1000 && by1024) hopts |= HUMAN.base1024;
    if (!by1024 && by1000) hopts &= ~HUMAN.base1024;
    if (!(hopts & HUMAN.base1024)) hopts |= HUMAN.B;
    return `${humanReadable(opts.blockSize, hopts, 1n, 1n)}-blocks`;
  }
  if (opts.headerMode === 'posix' && col.field === 'size') return `${opts.blockSize}-${caption}`;
  return caption;
}

/** One formatted cell of a row. */
function cell(e: DfEntry, col: Column, opts: DfOptions): string {
  const { block, inode } = fieldValues(e.fsu, opts.blockSize);
  const v = FIELDS[col.field].kind === 'inode' ? inode : block;
  switch (col.field) {
    case 'source':
      return e.source;
    case 'fstype':
      return e.fstype;
    case 'size':
    case 'itotal':
      return readable(false, v.total, opts.humanOpts, v.inputUnits, v.outputUnits);
    case 'used':
    case 'iused':
      return readable(v.negateUsed, v.used, opts.humanOpts, v.inputUnits, v.outputUnits);
    case 'avail':
    case 'iavail':
      return readable(v.negateAvailable, v.available, opts.humanOpts, v.inputUnits, v.outputUnits);
    case 'pcent':
    case 'ipcent': {
      const p = percent(v);
      return p === null ? '-' : `${p.toFixed(0)}%`;
    }
    case 'file':
      return e.file;
    case 'target':
      return e.target;
  }
}

/** The table as strings: header row first (pure; no widths yet). */
export function toRows(entries: readonly DfEntry[], opts: DfOptions): string[][] {
  const cols = columnsFor(opts);
  return [cols.map((c) => headerCell(c, opts)), ...entries.map((e) => cols.map((c) => cell(e, c, opts)))];
}

/**
 * Control characters become '?' (on a terminal, anything unprintable), as
 * df's replace_problematic_chars does.
 */
function sanitize(s: string, tty: boolean): string {
  return tty ? s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, '?') : s.replace(/[\x00-\x1f\x7f]/g, '?');
}

/** Display width: bytes in the C locale (each non-ASCII byte is one column), wcwidth's in UTF-8. */
function displayWidth(s: string, utf8: boolean): number {
  return utf8 ? stringWidth(s) : Buffer.byteLength(s);
}

export interface RenderOptions {
  /** stdout is a terminal (changes which characters are replaced). */
  tty?: boolean;
  /** Widths as in a UTF-8 locale (else the C locale's bytes). */
  utf8?: boolean;
}

/**
 * print_table: columns separated by one space, each as wide as its widest
 * cell (at least the field's minimum), text left-aligned and numbers
 * right-aligned; the last column is not padded.
 */
export function renderText(rows: readonly string[][], opts: DfOptions, r: RenderOptions = {}): string {
  const cols = columnsFor(opts);
  const cells = rows.map((row) => row.map((c) => sanitize(c, r.tty ?? false)));
  const widths = cols.map((c, k) => Math.max(FIELDS[c.field].width, ...cells.map((row) => displayWidth(row[k]!, r.utf8 ?? false))));
  let out = '';
  for (const row of cells) {
    const parts = row.map((c, k) => {
      const pad = ' '.repeat(Math.max(0, widths[k]! - displayWidth(c, r.utf8 ?? false)));
      if (FIELDS[cols[k]!.field].align === 'right') return pad + c;
      return k === cols.length - 1 ? c : c + pad;
    });
    out += `${parts.join(' ')}\n`;
  }
  return out;
}

// ------------------------------------------------------------------ help, version

export function helpText(prog: string): string {
  return `Usage: ${prog} [OPTION]... [FILE]...
Show information about the file system on which each FILE resides,
or all file systems by default.

Mandatory arguments to long options are mandatory for short options too.
  -a, --all             include pseudo, duplicate, inaccessible file systems
  -B, --block-size=SIZE  scale sizes by SIZE before printing them; e.g.,
                           '-BM' prints sizes in units of 1,048,576 bytes;
                           see SIZE format below
  -h, --human-readable  print sizes in powers of 1024 (e.g., 1023M)
  -H, --si              print sizes in powers of 1000 (e.g., 1.1G)
  -i, --inodes          list inode information instead of block usage
  -k                    like --block-size=1K
  -l, --local           limit listing to local file systems
      --no-sync         do not invoke sync before getting usage info (default)
      --output[=FIELD_LIST]  use the output format defined by FIELD_LIST,
                               or print all fields if FIELD_LIST is omitted.
  -P, --portability     use the POSIX output format
      --sync            invoke sync before getting usage info
      --total           elide all entries insignificant to available space,
                          and produce a grand total
  -t, --type=TYPE       limit listing to file systems of type TYPE
  -T, --print-type      print file system type
  -x, --exclude-type=TYPE   limit listing to file systems not of type TYPE
  -v                    (ignored)
      --json            print the rows as a JSON array of raw bytes and counts
      --help        display this help and exit
      --version     output version information and exit

Display values are in units of the first available SIZE from --block-size,
and the DF_BLOCK_SIZE, BLOCK_SIZE and BLOCKSIZE environment variables.
Otherwise, units default to 1024 bytes (or 512 if POSIXLY_CORRECT is set).

The SIZE argument is an integer and optional unit (example: 10K is 10*1024).
Units are K,M,G,T,P,E,Z,Y (powers of 1024) or KB,MB,... (powers of 1000).
Binary prefixes can be used, too: KiB=K, MiB=M, and so on.

FIELD_LIST is a comma-separated list of columns to be included.  Valid
field names are: 'source', 'fstype', 'itotal', 'iused', 'iavail', 'ipcent',
'size', 'used', 'avail', 'pcent', 'file' and 'target' (see info page).

The --json keys (source, fstype, size, used, avail, pcent, target, itotal,
iused, iavail, ipcent, file) are described in df(1) of ptools (man/df.1).
`;
}

// ------------------------------------------------------------------ command

export const command: Command<DfOptions> = {
  name: 'df',
  summary: 'report file system space usage (coreutils df)',
  grammar: { short: SHORT_OPTIONS, long: LONG_OPTIONS, operands: 'files' },
  parse(argv: string[], io: IO): Parsed<DfOptions> {
    const parsed = parseArgs(argv, io.prog, io.env);
    if (parsed.kind === 'help') return { kind: 'help', text: helpText(io.prog) };
    if (parsed.kind === 'version') return parsed;
    return { kind: 'run', options: parsed.opts };
  },
  versionText: (prog, v) => `${prog} (ptools) ${v}\nModelled on df (GNU coreutils) 9.1.\n`,
  run(opts: DfOptions, io: IO): number {
    const data = collect(opts, coreSystem, io.prog, io.env);
    for (const line of data.errors) io.err(line);
    if (!data.processed) {
      // "no file systems processed" only when nothing else was said.
      if (data.status === 0) throw new CliExit(1, `${io.prog}: no file systems processed\n`);
      return data.status;
    }
    if (opts.json) io.out(`${JSON.stringify(toJson(data.entries), null, 2)}\n`);
    else io.out(renderText(toRows(data.entries, opts), opts, { tty: io.isTTY, utf8: utf8Locale(io.env) }));
    return data.status;
  },
};
