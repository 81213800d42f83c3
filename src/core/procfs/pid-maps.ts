/**
 * /proc/<pid>/maps, /proc/<pid>/smaps and /proc/<pid>/smaps_rollup: the one
 * reader of their shared format. A mapping line ("start-end perms offset
 * major:minor inode [path]") is read by one function, a field line
 * ("Key: N kB", "Key: N", "VmFlags: rd wr ...") by another; parseMaps and
 * parseSmapsEntries assemble them into mappings, parseSmapsRollupFields sums
 * the fields (smaps_rollup, or a whole smaps on kernels without it). psutil's
 * memory_maps and memory_full_info, ps's PSS/USS columns and pmap are views
 * of these records. Pure functions of the text; malformed input raises
 * ParseError.
 *
 * Addresses, offsets and inodes are kept as the kernel wrote them (strings):
 * on 64-bit machines they exceed 2^53 ('ffffffffff600000'). Bigint forms are
 * given for arithmetic.
 */
import { ParseError } from '../base/errors.js';

/** One line of /proc/<pid>/maps. */
export interface MapsEntry {
  /** Start address: the hex digits as written ('55d0c1a2b000'). */
  readonly start: string;
  /** End address (exclusive), hex digits as written. */
  readonly end: string;
  readonly startAddr: bigint;
  readonly endAddr: bigint;
  /** end - start, in bytes. */
  readonly size: number;
  /** 'r-xp', 'rw-s'... */
  readonly perms: string;
  /** File offset: hex digits as written ('00000000'). */
  readonly offset: string;
  /** 'major:minor' in hex, as written ('fe:00'). */
  readonly dev: string;
  readonly devMajor: number;
  readonly devMinor: number;
  /** Inode number: decimal digits as written. */
  readonly inode: string;
  /** The path or pseudo-name ('[heap]', '[stack]', '/usr/lib/x.so (deleted)'), as written after the inode's padding; '' for an anonymous mapping. */
  readonly path: string;
}

/** One 'Key: value [kB]' line of smaps. */
export interface SmapsField {
  /** The key as the kernel names it ('Rss', 'Pss_Dirty', 'THPeligible'). */
  readonly name: string;
  /** The number as written, in `unit`. */
  readonly value: number;
  /** 'kB' for sizes, '' for counts and booleans (THPeligible, ProtectionKey). */
  readonly unit: 'kB' | '';
}

/** One mapping of /proc/<pid>/smaps. */
export interface SmapsEntry extends MapsEntry {
  /** The numeric fields in the kernel's order. */
  readonly fields: readonly SmapsField[];
  /** VmFlags' two-letter flags; null when the kernel gives none. */
  readonly vmFlags: readonly string[] | null;
}

// ------------------------------------------------------------------ lines

// start-end perms offset major:minor inode [path]
const MAPS_LINE = /^([0-9a-fA-F]+)-([0-9a-fA-F]+)\s+(\S+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+):([0-9a-fA-F]+)\s+(\d+)(?:[ \t]+(.*))?$/s;

function parseMapsLine(line: string, source: string): MapsEntry {
  const m = MAPS_LINE.exec(line);
  if (!m) throw new ParseError(source, `bad mapping line ${JSON.stringify(line.slice(0, 120))}`);
  const startAddr = BigInt(`0x${m[1]}`);
  const endAddr = BigInt(`0x${m[2]}`);
  if (endAddr < startAddr) throw new ParseError(source, `end before start in ${JSON.stringify(line.slice(0, 120))}`);
  return {
    start: m[1]!,
    end: m[2]!,
    startAddr,
    endAddr,
    size: Number(endAddr - startAddr),
    perms: m[3]!,
    offset: m[4]!,
    dev: `${m[5]}:${m[6]}`,
    devMajor: parseInt(m[5]!, 16),
    devMinor: parseInt(m[6]!, 16),
    inode: m[7]!,
    path: m[8] ?? '',
  };
}

const FIELD_LINE = /^([A-Za-z_][A-Za-z0-9_]*):[ \t]*(.*)$/s;
const FIELD_VALUE = /^(\d+)(?:[ \t]+(kB))?[ \t]*$/;

/** The fields the kernel writes as sizes: one of these that is not a number is malformed. */
const SIZE_KEYS = new Set([
  'Size', 'KernelPageSize', 'MMUPageSize', 'Rss', 'Pss', 'Pss_Dirty', 'Pss_Anon', 'Pss_File', 'Pss_Shmem',
  'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty', 'Referenced', 'Anonymous', 'KSM', 'LazyFree',
  'AnonHugePages', 'ShmemPmdMapped', 'FilePmdMapped', 'Shared_Hugetlb', 'Private_Hugetlb', 'Swap', 'SwapPss', 'Locked',
]);

/**
 * A field line of smaps: a number (with its unit), VmFlags' list, or
 * 'skip' for a field that is not a number (a future kernel's); null when the
 * line is not a field line (a mapping line). A size (a known size field, or
 * a value in kB) that is not a number is a ParseError.
 */
function fieldLine(line: string, source: string): SmapsField | { flags: string[] } | 'skip' | null {
  // A mapping line starts with a hex digit and a '-'; a field line with a letter and 'Key:'.
  const f = FIELD_LINE.exec(line);
  if (!f || /^[0-9a-fA-F]+-/.test(line)) return null;
  const name = f[1]!;
  const rest = f[2]!;
  if (name === 'VmFlags') return { flags: rest.trim() === '' ? [] : rest.trim().split(/\s+/) };
  const v = FIELD_VALUE.exec(rest);
  if (v) return { name, value: Number(v[1]), unit: v[2] === 'kB' ? 'kB' : '' };
  if (SIZE_KEYS.has(name) || /kB[ \t]*$/.test(rest)) throw new ParseError(source, `bad value in ${JSON.stringify(line.slice(0, 80))}`);
  return 'skip';
}

// ------------------------------------------------------------------ files

/** /proc/<pid>/maps: one entry per line, in the file's order. */
export function parseMaps(text: string, source = '/proc/<pid>/maps'): MapsEntry[] {
  const out: MapsEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    out.push(parseMapsLine(line, source));
  }
  return out;
}

/**
 * /proc/<pid>/smaps with every field: a mapping line, then 'Key: N kB' (or
 * 'Key: N') lines and 'VmFlags: rd wr ...'. Fields that are not numbers are
 * skipped. An empty file (kernel thread, zombie) gives [].
 */
export function parseSmapsEntries(text: string, source = '/proc/<pid>/smaps'): SmapsEntry[] {
  const out: SmapsEntry[] = [];
  let cur: { entry: MapsEntry; fields: SmapsField[]; vmFlags: string[] | null } | undefined;
  const flush = (): void => {
    if (cur) out.push({ ...cur.entry, fields: cur.fields, vmFlags: cur.vmFlags });
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = fieldLine(line, source);
    if (f !== null) {
      if (!cur) throw new ParseError(source, `field line before any mapping: ${JSON.stringify(line.slice(0, 80))}`);
      if (f === 'skip') continue;
      if ('flags' in f) cur.vmFlags = f.flags;
      else cur.fields.push(f);
      continue;
    }
    flush();
    cur = { entry: parseMapsLine(line, source), fields: [], vmFlags: null };
  }
  flush();
  return out;
}

/** A field's value in its unit (0 when the mapping lacks it). */
export function smapsValue(entry: SmapsEntry, name: string): number {
  return entry.fields.find((f) => f.name === name)?.value ?? 0;
}

/** The fields of smaps_rollup (or of a whole smaps, summed over its mappings), KiB; 0 when absent. */
export interface SmapsRollup {
  readonly rss: number;
  readonly pss: number;
  readonly sharedClean: number;
  readonly sharedDirty: number;
  readonly privateClean: number;
  readonly privateDirty: number;
  readonly privateHugetlb: number;
  readonly referenced: number;
  readonly anonymous: number;
  readonly swap: number;
  readonly swapPss: number;
  readonly locked: number;
  readonly pssAnon: number;
  readonly pssFile: number;
  readonly pssShmem: number;
}

const ROLLUP_KEYS: Readonly<Record<string, keyof SmapsRollup>> = {
  Rss: 'rss',
  Pss: 'pss',
  Shared_Clean: 'sharedClean',
  Shared_Dirty: 'sharedDirty',
  Private_Clean: 'privateClean',
  Private_Dirty: 'privateDirty',
  Private_Hugetlb: 'privateHugetlb',
  Referenced: 'referenced',
  Anonymous: 'anonymous',
  Swap: 'swap',
  SwapPss: 'swapPss',
  Locked: 'locked',
  Pss_Anon: 'pssAnon',
  Pss_File: 'pssFile',
  Pss_Shmem: 'pssShmem',
};

/**
 * /proc/<pid>/smaps_rollup: its fields in KiB. The same reading sums a whole
 * smaps (every mapping's fields); mapping lines are passed over.
 */
export function parseSmapsRollupFields(text: string, source = 'smaps_rollup'): SmapsRollup {
  const sums: Record<keyof SmapsRollup, number> = {
    rss: 0, pss: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0, privateHugetlb: 0,
    referenced: 0, anonymous: 0, swap: 0, swapPss: 0, locked: 0, pssAnon: 0, pssFile: 0, pssShmem: 0,
  };
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const line = text.slice(start, end);
    start = end + 1;
    const f = fieldLine(line, source);
    if (f === null || f === 'skip' || 'flags' in f) continue;
    const key = ROLLUP_KEYS[f.name];
    if (key !== undefined) sums[key] += f.value;
  }
  return sums;
}

/** psutil's uss, pss and swap, in bytes. */
export interface SmapsTotals {
  readonly uss: number;
  readonly pss: number;
  readonly swap: number;
}

/**
 * psutil's reading of smaps_rollup (or the whole smaps, same rule): uss = Σ
 * Private_* (Private_Clean, Private_Dirty, Private_Hugetlb), pss = Σ Pss,
 * swap = Σ Swap, in bytes. SwapPss is never added (it is already the
 * proportional share of Swap).
 */
export function parseSmapsRollup(text: string, source = 'smaps_rollup'): SmapsTotals {
  const r = parseSmapsRollupFields(text, source);
  return { uss: (r.privateClean + r.privateDirty + r.privateHugetlb) * 1024, pss: r.pss * 1024, swap: r.swap * 1024 };
}
