/**
 * A process's mappings as pmap shows them: every line of /proc/<pid>/maps
 * (addresses, permissions, offset, device, inode, path) and, from
 * /proc/<pid>/smaps, every per-mapping field in the kernel's order plus
 * VmFlags; and the little pmap needs about the process itself (its thread
 * group, command line, stack start).
 *
 * Addresses, offsets and inodes are kept as the kernel wrote them (strings):
 * on 64-bit machines they exceed 2^53 ('ffffffffff600000'). Bigint forms are
 * given for arithmetic.
 *
 * Kernel strings (command line, comm, mapping paths) are bytes: they are
 * decoded with surrogateescape (core/text-bytes), so valid UTF-8 reads as
 * text and any other byte survives as U+DC80..U+DCFF;
 * encodeSurrogateEscape() gives the exact bytes back.
 *
 * Errors concerning the pid (its maps cannot be read) are raised raw, the
 * addon's errno error (ENOENT, EACCES, ...).
 */
import { isErrnoError } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

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
  /** The path or pseudo-name ('[heap]', '[stack]', '/usr/lib/x.so (deleted)'); '' for an anonymous mapping. Surrogateescape-decoded bytes. */
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

/** The process side of a pmap report. */
export interface PmapProcessInfo {
  /** The pid asked for. */
  readonly pid: number;
  /** Its thread group (the process whose maps are read; pmap prints it). */
  readonly tgid: number;
  /** /proc/<pid>/cmdline, whole, NULs kept ('' for kernel threads and zombies), surrogateescape-decoded. */
  readonly cmdline: string;
  /** stat's command name, surrogateescape-decoded. */
  readonly comm: string;
  /** stat's state letter. */
  readonly state: string;
  /** stat's startstack: the address the stack started at (0 when not permitted). */
  readonly startStack: bigint;
}

// ------------------------------------------------------------------ parsers

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

/** /proc/<pid>/maps: one entry per line, in the file's order. */
export function parseMaps(text: string): MapsEntry[] {
  const out: MapsEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    out.push(parseMapsLine(line, '/proc/<pid>/maps'));
  }
  return out;
}

const FIELD_LINE = /^([A-Za-z_][A-Za-z0-9_]*):[ \t]*(.*)$/s;

/**
 * /proc/<pid>/smaps with every field: a mapping line, then 'Key: N kB' (or
 * 'Key: N') lines and 'VmFlags: rd wr ...'. Unknown non-numeric fields are
 * skipped. An empty file (kernel thread, zombie) gives [].
 */
export function parseSmapsEntries(text: string): SmapsEntry[] {
  const source = '/proc/<pid>/smaps';
  const out: SmapsEntry[] = [];
  let cur: { entry: MapsEntry; fields: SmapsField[]; vmFlags: string[] | null } | undefined;
  const flush = (): void => {
    if (cur) out.push({ ...cur.entry, fields: cur.fields, vmFlags: cur.vmFlags });
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = FIELD_LINE.exec(line);
    // A mapping line starts with a hex digit; a field line with a letter and 'Key:'.
    if (f && !/^[0-9a-fA-F]+-/.test(line)) {
      if (!cur) throw new ParseError(source, `field line before any mapping: ${JSON.stringify(line.slice(0, 80))}`);
      const [, name, rest] = f as unknown as [string, string, string];
      if (name === 'VmFlags') {
        cur.vmFlags = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
        continue;
      }
      const v = /^(\d+)(?:[ \t]+(kB))?[ \t]*$/.exec(rest);
      if (!v) continue;
      cur.fields.push({ name, value: Number(v[1]), unit: v[2] === 'kB' ? 'kB' : '' });
      continue;
    }
    flush();
    cur = { entry: parseMapsLine(line, source), fields: [], vmFlags: null };
  }
  flush();
  return out;
}

/** A field's value in kB (0 when the mapping lacks it). */
export function smapsValue(entry: SmapsEntry, name: string): number {
  return entry.fields.find((f) => f.name === name)?.value ?? 0;
}

/**
 * The fields pmap needs from /proc/<pid>/stat: comm, state and startstack
 * (field 28, read as a bigint: on 64-bit machines it may exceed 2^53).
 */
export function parseStatForPmap(text: string): { comm: string; state: string; startStack: bigint } {
  const source = '/proc/<pid>/stat';
  const l = text.indexOf('(');
  const r = text.lastIndexOf(')');
  if (l < 0 || r < l) throw new ParseError(source, 'no "(comm)"');
  const f = text.slice(r + 1).trim().split(/\s+/);
  // f[0] is field 3 (state); startstack is field 28.
  const state = f[0] ?? '';
  if (state.length !== 1) throw new ParseError(source, `bad state ${JSON.stringify(state.slice(0, 10))}`);
  const ss = f[25];
  if (ss === undefined || !/^\d+$/.test(ss)) throw new ParseError(source, `bad startstack ${JSON.stringify(ss ?? '')}`);
  return { comm: text.slice(l + 1, r), state, startStack: BigInt(ss) };
}

// ------------------------------------------------------------------ reading

/**
 * What pmap prints about a process before its mappings, or null when there
 * is no such process (procps skips it and exits 42). The thread group comes
 * from status (a thread id names its process), the rest from stat and
 * cmdline (an unreadable cmdline reads as empty).
 */
export function pmapProcessInfo(pid: number): PmapProcessInfo | null {
  let stat: string;
  try {
    stat = readKernelText(procPath(pid, 'stat'));
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'ESRCH' || e.code === 'ENOTDIR')) return null;
    throw e;
  }
  const s = parseStatForPmap(stat);
  let tgid = pid;
  const status = tryReadKernelText(procPath(pid, 'status'));
  const m = status !== undefined ? /^Tgid:\s*(\d+)/m.exec(status) : null;
  if (m) tgid = Number(m[1]);
  return { pid, tgid, cmdline: tryReadKernelText(procPath(pid, 'cmdline')) ?? '', comm: s.comm, state: s.state, startStack: s.startStack };
}

/** A kernel file's bytes, surrogateescape-decoded (lossless). */
function readKernelText(path: string): string {
  return decodeSurrogateEscape(readBytes(path));
}

function tryReadKernelText(path: string): string | undefined {
  try {
    return readKernelText(path);
  } catch (e) {
    if (isErrnoError(e)) return undefined;
    throw e;
  }
}

/** /proc/<pid>/maps, parsed. */
export function processMaps(pid: number): MapsEntry[] {
  return parseMaps(readKernelText(procPath(pid, 'maps')));
}

/** /proc/<pid>/smaps with every field, parsed. */
export function processSmaps(pid: number): SmapsEntry[] {
  return parseSmapsEntries(readKernelText(procPath(pid, 'smaps')));
}
