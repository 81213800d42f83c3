/**
 * pmap (procps-ng 4.0.2): the memory map of processes — the default list,
 * -x (with RSS and dirty), -X / -XX (every smaps field), -d (offsets and
 * devices), -q, -p, -A low,high — plus --json. The rc-file options
 * (-c/-C/-n/-N) are refused.
 *
 * collect() calls the core only; the renderers are pure and keep procps'
 * layout, including its quirks (noted where they show).
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { pmapProcessInfo, processMaps, processSmaps, type PmapProcessInfo } from '../../core/process/pmap.js';
import { smapsValue, type MapsEntry, type SmapsEntry } from '../../core/procfs/pid-maps.js';
import { splitVector } from '../../core/procfs/pid-cmdline.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';
import { utf8Locale } from '../../core/base/locale.js';
import { encodeSurrogateEscape } from '../../core/base/text-bytes.js';
import { procpsCmdline as libprocCmdline } from '../../text/procps-escape.js';

// ------------------------------------------------------------------ options

export type PmapMode = 'default' | 'x' | 'X' | 'd';

export interface PmapOptions {
  mode: PmapMode;
  /** -X given once (1) or twice (2: -XX, every field). */
  xLevel: number;
  quiet: boolean;
  showPath: boolean;
  rangeLow: bigint;
  rangeHigh: bigint;
  json: boolean;
  pids: number[];
  /** How many PID arguments were given (a '/proc/name' argument is dropped, not counted). */
  asked: number;
  /** The locale setlocale(LC_ALL, "") gives has UTF-8 characters: procps escapes command lines differently then. */
  utf8: boolean;
}

const ULONG_MAX = (1n << 64n) - 1n;

function usageText(prog: string, ours: boolean): string {
  return `
Usage:
 ${prog} [options] PID [PID ...]

Options:
 -x, --extended              show details
 -X                          show even more details
            WARNING: format changes according to /proc/PID/smaps
 -XX                         show everything the kernel provides
 -c, --read-rc               read the default rc
 -C, --read-rc-from=<file>   read the rc from file
 -n, --create-rc             create new default rc
 -N, --create-rc-to=<file>   create new rc to file
            NOTE: pid arguments are not allowed with -n, -N
 -d, --device                show the device format
 -q, --quiet                 do not display header and footer
 -p, --show-path             show path in the mapping
 -A, --range=<low>[,<high>]  limit results to the given range
${ours ? `     --json                  print the maps as JSON (one object per process)
            NOTE: ptools refuses -c, -C, -n, -N (rc files)
` : ''}
 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see pmap(1).
`;
}

const LONGS: readonly LongOption[] = withJson([
  { name: 'extended', has: 'none', key: 'x' },
  { name: 'device', has: 'none', key: 'd' },
  { name: 'quiet', has: 'none', key: 'q' },
  { name: 'range', has: 'required', key: 'A' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'version', has: 'none', key: 'V' },
  { name: 'read-rc', has: 'none', key: 'c' },
  { name: 'read-rc-from', has: 'required', key: 'C' },
  { name: 'create-rc', has: 'none', key: 'n' },
  { name: 'create-rc-to', has: 'required', key: 'N' },
  { name: 'show-path', has: 'none', key: 'p' },
]);

const SHORTS = 'xXrdqA:hVcC:nN:p';

/** C's strtoul(s, &end, 16): leading blanks, a sign, an optional 0x; returns the value and what is left. */
export function strtoulHex(s: string): { value: bigint; rest: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(s);
  if (!m) return { value: 0n, rest: s };
  let v = BigInt(`0x${m[3]}`);
  if (v > ULONG_MAX) v = ULONG_MAX;
  else if (m[1] === '-') v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return { value: v, rest: s.slice(m[0].length) };
}

/** pmap's PID argument: strtoul(s, &end, 0), the whole string, 1..0x7fffffff; NaN otherwise. */
export function parsePidArg(s: string): number {
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
  else if (/^0[0-7]*$/.test(s)) v = BigInt(`0o${s.slice(1) || '0'}`);
  else if (/^[1-9][0-9]*$/.test(s)) v = BigInt(s);
  else return NaN;
  return v < 1n || v > 0x7fffffffn ? NaN : Number(v);
}

/** Options → PmapOptions, help or version; errors as CliExit with procps' wording. Warnings go to stderr at once. */
export function parseArgs(argv: readonly string[], io: IO): Parsed<PmapOptions> {
  const prog = io.prog;
  const usage = (): CliExit => new CliExit(1, usageText(prog, false));
  const fail = (msg: string): CliExit => new CliExit(1, `${prog}: ${msg}\n`);
  if (argv.length < 1) throw usage();
  const p = getoptLong(argv, SHORTS, LONGS, io.env);
  let x = 0, X = 0, d = 0, q = false, showPath = false, c = 0, C = 0, n = 0, N = 0, json = false;
  let low = 0n;
  let high = ULONG_MAX;
  let warnings = '';
  let error: string | undefined;
  for (const o of p.items) {
    if (o.kind === 'error') {
      error = o.message;
      break;
    }
    if (isJson(o.key)) {
      json = true;
      continue;
    }
    switch (o.key) {
      case 'x': x = 1; break;
      case 'X': X++; break;
      case 'r': warnings += `${prog}: option -r is ignored as SunOS compatibility\n`; break;
      case 'd': d = 1; break;
      case 'q': q = true; break;
      case 'A': {
        const arg = o.arg!;
        const comma = arg.indexOf(',');
        const a1 = comma < 0 ? arg : arg.slice(0, comma);
        const a2 = comma < 0 ? arg : arg.slice(comma + 1);
        let rest1 = '';
        let rest2 = '';
        if (a1 !== '') ({ value: low, rest: rest1 } = strtoulHex(a1));
        if (a2 !== '') ({ value: high, rest: rest2 } = strtoulHex(a2));
        if (rest1 !== '' || rest2 !== '') throw new CliExit(1, `${warnings}${prog}: failed to parse argument: '${arg}'\n`);
        break;
      }
      case 'h': io.err(warnings); return { kind: 'help', text: usageText(prog, true) };
      case 'V': io.err(warnings); return { kind: 'version' };
      case 'c': c = 1; break;
      case 'C': C = 1; break;
      case 'n': n = 1; break;
      case 'N': N = 1; break;
      case 'p': showPath = true; break;
    }
  }
  if (error !== undefined) throw new CliExit(1, `${warnings}${prog}: ${error}\n${usageText(prog, false)}`);
  io.err(warnings);
  const operands = p.operands;
  if (c + C + d + n + N + x + (X ? 1 : 0) > 1) throw fail('options -c, -C, -d, -n, -N, -x, -X are mutually exclusive');
  if ((n || N) && (q || showPath)) throw fail('options -p, -q are mutually exclusive with -n, -N');
  if ((n || N) && operands.length > 0) throw fail('too many arguments');
  if (n || N || c || C) {
    throw fail(`-c, -C, -n and -N (rc files) are not supported by ptools' ${prog}; nothing was read or written`);
  }
  if (operands.length < 1) throw fail('argument missing');
  const pids: number[] = [];
  for (let walk of operands) {
    if (walk.startsWith('/proc/')) {
      walk = walk.slice(6);
      // procps quietly skips '/proc/<not a number>'.
      if (!/^[0-9]/.test(walk)) continue;
    }
    if (!/^[0-9]/.test(walk)) throw usage();
    const pid = parsePidArg(walk);
    if (Number.isNaN(pid)) throw usage();
    pids.push(pid);
  }
  if (pids.length === 0) throw fail('library failed pids statistics');
  const options: PmapOptions = {
    mode: X ? 'X' : x ? 'x' : d ? 'd' : 'default',
    xLevel: X,
    quiet: q,
    showPath,
    rangeLow: low,
    rangeHigh: high,
    json,
    pids,
    asked: pids.length,
    utf8: utf8Locale(io.env),
  };
  return { kind: 'run', options };
}

// ------------------------------------------------------------------ collect

export interface PmapProcessData {
  info: PmapProcessInfo;
  /** maps (default, -d) or smaps (-x, -X, --json) entries; null when they could not be read. */
  entries: MapsEntry[] | SmapsEntry[] | null;
  /** Why the maps could not be read (the errno's message). */
  error?: string;
}

export interface PmapData {
  processes: PmapProcessData[];
  /** PIDs asked for that name no process. */
  missing: number[];
}

/** Reads each pid's process info and maps (smaps when `smaps`), in argument order. */
export function collect(pids: readonly number[], smaps: boolean): PmapData {
  const processes: PmapProcessData[] = [];
  const missing: number[] = [];
  for (const pid of pids) {
    const info = pmapProcessInfo(pid);
    if (!info) {
      missing.push(pid);
      continue;
    }
    try {
      processes.push({ info, entries: smaps ? processSmaps(info.tgid) : processMaps(info.tgid) });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (typeof err?.code !== 'string') throw e;
      processes.push({ info, entries: null, error: err.message.replace(/^E[A-Z]+: /, '').replace(/, .*$/, '') });
    }
  }
  return { processes, missing };
}

// ------------------------------------------------------------------ names

/** A surrogateescape string (core's form of kernel bytes) as a byte string: one char per byte. */
const byteString = (s: string): string => encodeSurrogateEscape(s).toString('latin1');

/**
 * The header's command line as libproc2 gives pmap (PIDS_CMDLINE): the first
 * 131071 bytes of cmdline, NULs and newlines as spaces, escaped by the
 * library's escape_str (the same one ps's fields go through) — in the C
 * locale control bytes become '.' and bytes above 0x7f '?'; in UTF-8 control
 * characters '?', sequences with a valid lead byte pass as they are. Without
 * a command line: "[comm]", plus " <defunct>" for a zombie. A byte string
 * (one char per byte): pmap prints it as bytes.
 */
export function procpsCmdline(info: Pick<PmapProcessInfo, 'cmdline' | 'comm' | 'state'>, utf8: boolean): string {
  return libprocCmdline(byteString(info.cmdline), byteString(info.comm), info.state, utf8);
}

/** A maps line as pmap cleans it (isprint): each byte that is not printable ASCII as '?'. */
export function printable(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  return byteString(s).replace(/[^\x20-\x7e]/g, '?');
}

/**
 * SysV shared memory segments appear as '/SYSV<key> (deleted)' on the shm
 * device (major 0). procps learns that device's minor by attaching a
 * segment of its own; ptools recognises the name's form instead.
 */
function isSysvShm(e: MapsEntry): boolean {
  return e.devMajor === 0 && /^\/SYSV[0-9a-fA-F]{8}( \(deleted\))?$/.test(e.path);
}

/**
 * pmap's mapping column for the default, -x and -d forms: "  [ shmid=0x.. ]",
 * the file's base name (the path from its first '/' with -p), or
 * "  [ stack ]" / "  [ anon ]" for everything without a '/', heap and vdso
 * included. The name is cleaned as pmap cleans it (printable()) unless
 * `raw` (--json: the name as it is).
 */
export function mappingName(e: MapsEntry, startStack: bigint, showPath: boolean, raw = false): string {
  if (isSysvShm(e)) return `  [ shmid=0x${BigInt(e.inode).toString(16)} ]`;
  const path = raw ? e.path : printable(e.path);
  const last = path.lastIndexOf('/');
  if (last >= 0) {
    if (showPath) return path.slice(path.indexOf('/'));
    return last + 1 < path.length ? path.slice(last + 1) : path.slice(last);
  }
  if (startStack >= e.startAddr && startStack <= e.startAddr + BigInt(e.size)) return '  [ stack ]';
  return '  [ anon ]';
}

/** 'r-xp' → 'r-x--', 'rw-s' → 'rw-s-' (procps' mode column). */
export function pmapMode(perms: string): string {
  const p = perms.padEnd(4, ' ').split('');
  if (p[3] === 'p') p[3] = '-';
  return `${p.slice(0, 4).join('')}-`;
}

// ------------------------------------------------------------------ text

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');
const kb = (bytes: number): number => Math.floor(bytes / 1024);

interface Totals {
  shared: number;
  privateWriteable: number;
  privateReadonly: number;
}

function account(t: Totals, e: MapsEntry): void {
  if (e.perms[3] === 's') t.shared += e.size;
  if (e.perms[3] === 'p') {
    if (e.perms[1] === 'w') t.privateWriteable += e.size;
    else t.privateReadonly += e.size;
  }
}

/** Whether a mapping is below the range (skipped) or above it (the listing stops). */
function rangeState(e: MapsEntry, o: Pick<PmapOptions, 'rangeLow' | 'rangeHigh'>): 'below' | 'above' | 'in' {
  if (e.endAddr - 1n < o.rangeLow) return 'below';
  if (o.rangeHigh < e.startAddr) return 'above';
  return 'in';
}

/** The default form and -d (from maps). */
function renderPlain(p: PmapProcessData, o: PmapOptions): string {
  let out = '';
  const d = o.mode === 'd';
  if (d && !o.quiet) out += 'Address           Kbytes Mode  Offset           Device    Mapping\n';
  const t: Totals = { shared: 0, privateWriteable: 0, privateReadonly: 0 };
  for (const e of p.entries!) {
    const r = rangeState(e, o);
    if (r === 'below') continue;
    if (r === 'above') break;
    account(t, e);
    const name = mappingName(e, p.info.startStack, o.showPath);
    const mode = pmapMode(e.perms);
    if (d) {
      const off = BigInt(`0x${e.offset}`) & ULONG_MAX;
      out += `${hex16(e.startAddr)} ${String(kb(e.size)).padStart(7)} ${mode.padStart(5)} ${hex16(off)} ${e.devMajor.toString(16).padStart(3, '0')}:${e.devMinor.toString(16).padStart(5, '0')} ${name}\n`;
    } else {
      out += `${hex16(e.startAddr)} ${String(kb(e.size)).padStart(6)}K ${mode} ${name}\n`;
    }
  }
  if (!o.quiet) {
    const mapped = kb(t.shared + t.privateWriteable + t.privateReadonly);
    if (d) out += `mapped: ${mapped}K    writeable/private: ${kb(t.privateWriteable)}K    shared: ${kb(t.shared)}K\n`;
    else out += ` total ${String(mapped).padStart(16)}K\n`;
  }
  return out;
}

/**
 * -x (from smaps). procps prints a row when it reads the mapping's 'Swap'
 * line, and sums RSS and dirty from every mapping it reads, including those
 * below an -A range (only the Kbytes total follows the range).
 */
function renderExtended(p: PmapProcessData, o: PmapOptions): string {
  let out = '';
  if (!o.quiet) out += 'Address           Kbytes     RSS   Dirty Mode  Mapping\n';
  const t: Totals = { shared: 0, privateWriteable: 0, privateReadonly: 0 };
  let totalRss = 0;
  let totalDirty = 0;
  for (const e of p.entries as SmapsEntry[]) {
    const r = rangeState(e, o);
    if (r === 'above') break;
    let rss = 0;
    let dirty = 0;
    let name: string | null = null;
    if (r === 'in') {
      account(t, e);
      name = mappingName(e, p.info.startStack, o.showPath);
    }
    for (const f of e.fields) {
      if (f.name === 'Rss') {
        rss = f.value;
        totalRss += f.value;
      } else if (f.name === 'Shared_Dirty' || f.name === 'Private_Dirty') {
        dirty += f.value;
        totalDirty += f.value;
      } else if (f.name === 'Swap') {
        if (name !== null) {
          out += `${hex16(e.startAddr)} ${String(kb(e.size)).padStart(7)} ${String(rss).padStart(7)} ${String(dirty).padStart(7)} ${pmapMode(e.perms).padStart(5)} ${name}\n`;
        }
        name = null;
      }
    }
  }
  if (!o.quiet) {
    out += '---------------- ------- ------- ------- \n';
    out += `${'total kB'.padEnd(16)} ${String(kb(t.shared + t.privateWriteable + t.privateReadonly)).padStart(7)} ${String(totalRss).padStart(7)} ${String(totalDirty).padStart(7)}\n`;
  }
  return out;
}

/** The columns of -X/-XX; procps keeps them (and their running totals) across the PIDs of one run. */
export interface ExtendedState {
  nodes: Array<{ name: string; valueStr: string; total: number; width: number }>;
}

const UNIMPORTANT = new Set(['AnonHugePages', 'KernelPageSize', 'MMUPageSize', 'Shared_Dirty', 'Private_Dirty', 'Shared_Clean', 'Private_Clean', 'VmFlags']);

/** procps' justify_print: right or left in `width` (at least the text's length) and a space; width < 1 prints the text and a newline. */
function justify(s: string, width: number, right: boolean): [string, number] {
  if (width < 1) return [`${s}\n`, width];
  const w = Math.max(width, s.length);
  return [`${right ? s.padStart(w) : s.padEnd(w)} `, w];
}

/** The mapping column of -X: the smaps name's first 127 bytes as they are (a byte string), its base name unless -p. */
function extendedName(path: string, showPath: boolean): string {
  const desc = byteString(path).slice(0, 127);
  if (showPath) return desc;
  const slash = desc.lastIndexOf('/');
  return slash < 0 ? desc : desc.slice(slash + 1);
}

/** -X / -XX (from smaps). */
function renderX(p: PmapProcessData, o: PmapOptions, st: ExtendedState): string {
  const entries = p.entries as SmapsEntry[];
  const enabled = (name: string): boolean => (o.xLevel === 1 ? !UNIMPORTANT.has(name) : true);
  let w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, wv = 0;
  let hasVm = false;
  const vmText = (e: SmapsEntry): string | null => (e.vmFlags === null ? null : e.vmFlags.join(' '));
  // Width stage: widths of the mapping columns, the field list, running totals.
  for (const e of entries) {
    w1 = Math.max(w1, e.start.length);
    w2 = Math.max(w2, e.perms.length);
    w3 = Math.max(w3, e.offset.length);
    w4 = Math.max(w4, e.dev.length);
    w5 = Math.max(w5, e.inode.length);
    let k = 0;
    for (const f of e.fields) {
      if (!enabled(f.name)) continue;
      let node = st.nodes[k];
      if (!node) {
        node = { name: f.name, valueStr: '', total: 0, width: o.quiet ? 0 : f.name.length };
        st.nodes.push(node);
      } else if (node.name !== f.name) {
        throw new CliExit(1, `pmap: ERROR: inconsistent detail field in smaps file, line:\n ${f.name}\n`);
      }
      node.valueStr = String(f.value);
      node.total += f.value;
      if (o.quiet) node.width = Math.max(node.width, node.valueStr.length);
      k++;
    }
    const vm = vmText(e);
    if (vm !== null) {
      wv = Math.max(wv, vm.length);
      hasVm = true;
    }
  }
  if (entries.length > 0 && !o.quiet) {
    for (const node of st.nodes) node.width = Math.max(node.width, String(node.total).length);
  }
  // Printing stage.
  let out = '';
  let first = true;
  const showVm = hasVm && enabled('VmFlags');
  for (const e of entries) {
    let k = 0;
    for (const f of e.fields) {
      if (!enabled(f.name)) continue;
      st.nodes[k]!.valueStr = String(f.value);
      k++;
    }
    if (first && !o.quiet) {
      let s: string;
      [s, w1] = justify('Address', w1, true);
      out += s;
      if (enabled('Perm')) [s, w2] = justify('Perm', w2, true), (out += s);
      if (enabled('Offset')) [s, w3] = justify('Offset', w3, true), (out += s);
      if (enabled('Device')) [s, w4] = justify('Device', w4, true), (out += s);
      if (enabled('Inode')) [s, w5] = justify('Inode', w5, true), (out += s);
      for (const node of st.nodes) out += justify(node.name, node.width, true)[0];
      if (showVm) [s, wv] = justify('VmFlags', wv, true), (out += s);
      out += enabled('Mapping') ? justify('Mapping', 0, false)[0] : '\n';
    }
    first = false;
    out += e.start.padStart(w1);
    if (enabled('Perm')) out += ` ${e.perms.padStart(w2)}`;
    if (enabled('Offset')) out += ` ${e.offset.padStart(w3)}`;
    if (enabled('Device')) out += ` ${e.dev.padStart(w4)}`;
    if (enabled('Inode')) out += ` ${e.inode.padStart(w5)}`;
    for (const node of st.nodes) out += ` ${node.valueStr.padStart(node.width)}`;
    if (showVm) out += ` ${(vmText(e) ?? '').padStart(wv)}`;
    if (enabled('Mapping')) out += ` ${extendedName(e.path, o.showPath)}`;
    out += '\n';
  }
  if (!o.quiet && st.nodes.length > 0) {
    let gap = w1 + 1;
    if (enabled('Perm')) gap += w2 + 1;
    if (enabled('Offset')) gap += w3 + 1;
    if (enabled('Device')) gap += w4 + 1;
    if (enabled('Inode')) gap += w5 + 1;
    out += ' '.repeat(gap) + st.nodes.map((n) => `${'='.repeat(n.width)} `).join('') + '\n';
    out += ' '.repeat(gap) + st.nodes.map((n) => `${String(n.total).padStart(n.width)} `).join('') + 'KB \n';
  }
  return out;
}

/** The whole text output, in argument order: a byte string (one char per byte), written as bytes. */
export function renderText(data: PmapData, o: PmapOptions): string {
  let out = '';
  const st: ExtendedState = { nodes: [] };
  for (const p of data.processes) {
    out += `${p.info.tgid}:   ${procpsCmdline(p.info, o.utf8)}\n`;
    if (!p.entries) continue;
    if (o.mode === 'X') out += renderX(p, o, st);
    else if (o.mode === 'x') out += renderExtended(p, o);
    else out += renderPlain(p, o);
  }
  return out;
}

/** procps' status: 1 when some maps could not be read, | 42 when some PID named no process. */
export function exitStatus(data: PmapData): number {
  let rc = data.processes.some((p) => !p.entries) ? 1 : 0;
  if (data.missing.length > 0) rc |= 42;
  return rc;
}

// ------------------------------------------------------------------ json

/** One mapping in --json. Sizes in bytes. */
export interface PmapJsonMapping {
  /** Start address: lowercase hex digits as in /proc/<pid>/maps, no 0x ('55d0c1a2b000'). */
  address: string;
  /** End address (exclusive), same form. */
  end: string;
  size: number;
  /** The kernel's permissions ('r-xp'). */
  perms: string;
  /** pmap's Mode column ('r-x--'). */
  mode: string;
  /** File offset: hex digits as in maps. */
  offset: string;
  /** 'major:minor' in hex as in maps ('fe:00'). */
  device: string;
  inode: number;
  /** The file or pseudo-name ('[heap]'); null for anonymous memory. */
  path: string | null;
  /** pmap's Mapping column ('libc.so.6', '[ anon ]', '[ stack ]'), without its leading spaces. */
  mapping: string;
  rss: number;
  pss: number;
  /** Shared_Dirty + Private_Dirty. */
  dirty: number;
  swap: number;
  /** Every numeric smaps field by the kernel's name: sizes in bytes, counts as they are. */
  smaps: Record<string, number>;
  vmFlags: string[];
}

/**
 * One process in --json. Strings that come from the kernel's bytes (argv,
 * cmdline, comm, path, mapping) are never cut or escaped: valid UTF-8 as it
 * is, any other byte as the lone surrogate U+DC80..U+DCFF (Python's
 * surrogateescape; see core/text-bytes).
 */
export interface PmapJsonProcess {
  pid: number;
  /** The arguments joined by spaces (NULs between them as spaces, the final NUL dropped); "[comm]" (" <defunct>") when there are none. */
  cmdline: string;
  /** The arguments exactly: /proc/<pid>/cmdline split at its NULs (the terminating one dropped); [] for kernel threads and zombies. */
  argv: string[];
  /** The command name (stat's comm). */
  comm: string;
  mappings: PmapJsonMapping[] | null;
  total: { size: number; rss: number; pss: number; dirty: number; swap: number; writeablePrivate: number; shared: number } | null;
  /** Why the maps could not be read (mappings and total are null). */
  error?: string;
}

export function toJson(data: PmapData, o: PmapOptions): PmapJsonProcess[] {
  return data.processes.map((p) => {
    const info = p.info;
    const argv = splitVector(info.cmdline);
    const cmd = argv.length > 0 ? argv.join(' ') : `[${info.comm}]${info.state === 'Z' ? ' <defunct>' : ''}`;
    const head = { pid: info.tgid, cmdline: cmd, argv, comm: info.comm };
    if (!p.entries) return { ...head, mappings: null, total: null, ...(p.error ? { error: p.error } : {}) };
    const mappings: PmapJsonMapping[] = [];
    const t: Totals = { shared: 0, privateWriteable: 0, privateReadonly: 0 };
    const total = { size: 0, rss: 0, pss: 0, dirty: 0, swap: 0, writeablePrivate: 0, shared: 0 };
    for (const e of p.entries as SmapsEntry[]) {
      const r = rangeState(e, o);
      if (r === 'below') continue;
      if (r === 'above') break;
      account(t, e);
      const smaps: Record<string, number> = {};
      for (const f of e.fields ?? []) smaps[f.name] = f.unit === 'kB' ? f.value * 1024 : f.value;
      const m: PmapJsonMapping = {
        address: e.start.toLowerCase(),
        end: e.end.toLowerCase(),
        size: e.size,
        perms: e.perms,
        mode: pmapMode(e.perms),
        offset: e.offset.toLowerCase(),
        device: e.dev,
        inode: Number(e.inode),
        path: e.path === '' ? null : e.path,
        mapping: mappingName(e, info.startStack, o.showPath, true).trimStart(),
        rss: smapsValue(e, 'Rss') * 1024,
        pss: smapsValue(e, 'Pss') * 1024,
        dirty: (smapsValue(e, 'Shared_Dirty') + smapsValue(e, 'Private_Dirty')) * 1024,
        swap: smapsValue(e, 'Swap') * 1024,
        smaps,
        vmFlags: [...(e.vmFlags ?? [])],
      };
      mappings.push(m);
      total.size += m.size;
      total.rss += m.rss;
      total.pss += m.pss;
      total.dirty += m.dirty;
      total.swap += m.swap;
    }
    total.writeablePrivate = t.privateWriteable;
    total.shared = t.shared;
    return { ...head, mappings, total };
  });
}

// ------------------------------------------------------------------ command

export const command: Command<PmapOptions> = {
  name: 'pmap',
  summary: 'report memory map of a process (procps-ng pmap)',
  grammar: { short: SHORTS, long: LONGS, operands: 'pids' },
  parse: parseArgs,
  run(o, io) {
    // --json always reads smaps: it carries everything maps has, and RSS.
    const data = collect(o.pids, o.json || o.mode === 'x' || o.mode === 'X');
    if (o.json) io.out(`${JSON.stringify(toJson(data, o), null, 2)}\n`);
    else io.outBytes(Buffer.from(renderText(data, o), 'latin1'));
    return exitStatus(data);
  },
};
