/**
 * free: procps-ng 4.0.2's free(1), output for output, plus --json.
 *
 * collect() calls the core only; toReport() is pure and keeps bytes;
 * renderText() is procps' layout (9-column labels, 11-column right-aligned
 * numbers, scale_size()'s units and rounding); run() wires getopt-style
 * options, the -s/-c repetition and the namesake's messages.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { ticker } from '../../cli/ticker.js';
import { ParseError } from '../../core/base/errors.js';
import { getProcfsPath } from '../../core/base/paths.js';
import { memoryDetails, type MemoryDetails } from '../../core/system/meminfo-extra.js';
import { roundHalfEven, swapMemory, virtualMemory, type SwapMemory, type VirtualMemory } from '../../core/system/memory.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';

// ---------------------------------------------------------------- data

export interface FreeData {
  readonly memory: VirtualMemory;
  readonly swap: SwapMemory;
  readonly details: MemoryDetails;
}

/** Reads what one report shows. */
export function collect(): FreeData {
  return { memory: virtualMemory(), swap: swapMemory(), details: memoryDetails() };
}

/** One report in bytes: the rows free prints and --json emits. */
export interface FreeReport {
  readonly mem: {
    readonly total: number;
    readonly used: number;
    readonly free: number;
    readonly shared: number;
    readonly buffers: number;
    /** Page cache + reclaimable slab (procps' "cache"). */
    readonly cache: number;
    /** buffers + cache. */
    readonly buffCache: number;
    readonly available: number;
  };
  readonly low: { readonly total: number; readonly used: number; readonly free: number };
  readonly high: { readonly total: number; readonly used: number; readonly free: number };
  readonly swap: { readonly total: number; readonly used: number; readonly free: number };
  /** RAM + swap. */
  readonly total: { readonly total: number; readonly used: number; readonly free: number };
  /** Commit accounting: total = CommitLimit, used = Committed_AS, free = the difference (negative when overcommitted). */
  readonly comm: { readonly total: number; readonly used: number; readonly free: number };
}

/** procps' derived figures from the core's (bytes; procps' rules for low/high and swap used). */
export function toReport(d: FreeData): FreeReport {
  const m = d.memory;
  const x = d.details;
  // A kernel without LowTotal (every 64-bit one) has all memory "low".
  const lowTotal = x.lowTotal || m.total;
  const lowFree = x.lowTotal ? (x.lowFree ?? 0) : m.free;
  const highTotal = x.highTotal ?? 0;
  const highFree = x.highFree ?? 0;
  const swapUsed = d.swap.free < d.swap.total ? d.swap.total - d.swap.free : 0;
  const commitLimit = x.commitLimit ?? 0;
  const committed = x.committedAs ?? 0;
  return {
    mem: {
      total: m.total,
      used: m.used,
      free: m.free,
      shared: m.shared,
      buffers: m.buffers,
      cache: m.cached,
      buffCache: m.buffers + m.cached,
      available: m.available,
    },
    low: { total: lowTotal, used: lowFree < lowTotal ? lowTotal - lowFree : 0, free: lowFree },
    high: { total: highTotal, used: highFree < highTotal ? highTotal - highFree : 0, free: highFree },
    swap: { total: d.swap.total, used: swapUsed, free: d.swap.free },
    total: { total: m.total + d.swap.total, used: m.used + swapUsed, free: m.free + d.swap.free },
    comm: { total: commitLimit, used: committed, free: commitLimit - committed },
  };
}

// ---------------------------------------------------------------- units

export interface FreeOptions {
  /** procps' exponent: 0 default (KiB, or kB with --si), 1 bytes, 2 kilo, 3 mega, 4 giga, 5 tera, 6 peta. */
  readonly exponent: number;
  readonly si: boolean;
  readonly human: boolean;
  readonly lohi: boolean;
  readonly total: boolean;
  readonly committed: boolean;
  readonly wide: boolean;
}

export const DEFAULT_OPTIONS: FreeOptions = { exponent: 0, si: false, human: false, lohi: false, total: false, committed: false, wide: false };

/** C's printf("%.1f") of a float: the exact binary value rounded half to even. */
function fixed1(x: number): string {
  const text = Math.abs(roundHalfEven(x, 1)).toFixed(1);
  // C keeps the sign of a negative value that rounds to zero ("-0.0").
  return x < 0 || Object.is(x, -0) ? `-${text}` : text;
}

/**
 * procps' scale_size() for a value in bytes. Without -h: an integer in the
 * chosen unit, truncated. With -h: the shortest of "NB", "N.NXi"/"NXi"
 * (or "N.NX"/"NX" with --si) that fits 4 characters (5 with the "i"),
 * where the one-decimal form is computed in single precision as procps does.
 */
export function scaleSize(bytes: number, o: Pick<FreeOptions, 'exponent' | 'si' | 'human'>): string {
  const base = o.si ? 1000 : 1024;
  if (!o.human) {
    if (o.exponent === 0) return String(Math.trunc(bytes / base));
    if (o.exponent === 1) return String(bytes);
    return String(Math.trunc(bytes / base ** (o.exponent - 1)));
  }
  let out = `${bytes}B`;
  if (out.length <= 4) return out;
  const units = ['K', 'M', 'G', 'T', 'P'];
  for (let i = 1; i <= units.length; i++) {
    const q = bytes / base ** i;
    const suffix = o.si ? units[i - 1]! : `${units[i - 1]}i`;
    const limit = o.si ? 4 : 5;
    out = `${fixed1(Math.fround(q))}${suffix}`;
    if (out.length <= limit) return out;
    out = `${Math.trunc(q)}${suffix}`;
    if (out.length <= limit) return out;
  }
  // Beyond pebibytes the text no longer fits its column; procps prints the last try.
  return out;
}

// ---------------------------------------------------------------- text

const HEADER = '               total        used        free      shared  buff/cache   available';
const HEADER_WIDE = '               total        used        free      shared     buffers       cache   available';

/** procps' print_head_col: the label padded to 9 columns. */
function label(s: string): string {
  return s.padEnd(9);
}

function numbers(values: readonly number[], o: FreeOptions): string {
  return values.map((v, i) => (i === 0 ? '' : ' ') + scaleSize(v, o).padStart(11)).join('');
}

/** One report in free's layout (each line ends with a newline). */
export function renderText(r: FreeReport, o: FreeOptions): string {
  const lines: string[] = [o.wide ? HEADER_WIDE : HEADER];
  const mem = [r.mem.total, r.mem.used, r.mem.free, r.mem.shared];
  if (o.wide) mem.push(r.mem.buffers, r.mem.cache);
  else mem.push(r.mem.buffCache);
  mem.push(r.mem.available);
  lines.push(label('Mem:') + numbers(mem, o));
  const three = (t: { total: number; used: number; free: number }): number[] => [t.total, t.used, t.free];
  if (o.lohi) {
    lines.push(label('Low:') + numbers(three(r.low), o));
    lines.push(label('High:') + numbers(three(r.high), o));
  }
  lines.push(label('Swap:') + numbers(three(r.swap), o));
  if (o.total) lines.push(label('Total:') + numbers(three(r.total), o));
  if (o.committed) lines.push(label('Comm:') + numbers(three(r.comm), o));
  return lines.map((l) => `${l}\n`).join('');
}

/** The --json document of one report: bytes, every row whatever the options. */
export function renderJson(r: FreeReport): string {
  return `${JSON.stringify(r)}\n`;
}

// ---------------------------------------------------------------- options

const HELP = `
Usage:
 %s [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output
     --json          print each report as JSON (bytes)

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
`;

export function helpText(prog: string): string {
  return HELP.replace('%s', prog);
}

const LONGS: readonly LongOption[] = withJson([
  { name: 'bytes', has: 'none', key: 'b' },
  { name: 'kilo', has: 'none', key: 'kilo' },
  { name: 'mega', has: 'none', key: 'mega' },
  { name: 'giga', has: 'none', key: 'giga' },
  { name: 'tera', has: 'none', key: 'tera' },
  { name: 'peta', has: 'none', key: 'peta' },
  { name: 'kibi', has: 'none', key: 'k' },
  { name: 'mebi', has: 'none', key: 'm' },
  { name: 'gibi', has: 'none', key: 'g' },
  { name: 'tebi', has: 'none', key: 'tebi' },
  { name: 'pebi', has: 'none', key: 'pebi' },
  { name: 'human', has: 'none', key: 'h' },
  { name: 'si', has: 'none', key: 'si' },
  { name: 'lohi', has: 'none', key: 'l' },
  { name: 'total', has: 'none', key: 't' },
  { name: 'committed', has: 'none', key: 'v' },
  { name: 'seconds', has: 'required', key: 's' },
  { name: 'count', has: 'required', key: 'c' },
  { name: 'wide', has: 'none', key: 'w' },
  { name: 'help', has: 'none', key: 'help' },
  { name: 'version', has: 'none', key: 'V' },
]);

const SHORTS = 'bkmghltvc:ws:V';

/** Unit options: key → [exponent, SI]. */
const UNITS: Record<string, [number, boolean]> = {
  b: [1, false],
  k: [2, false],
  m: [3, false],
  g: [4, false],
  tebi: [5, false],
  pebi: [6, false],
  kilo: [2, true],
  mega: [3, true],
  giga: [4, true],
  tera: [5, true],
  peta: [6, true],
};

/**
 * procps' strtod_nol_or_err: a decimal with '.' or ',' as the radix, no
 * exponent, leading blanks and a sign allowed. Returns the number, or the
 * errno text to append ('' for none) when it is not one.
 */
export function parseSeconds(s: string): number | { errno: string } {
  if (s === '') return { errno: '' };
  let i = 0;
  while (i < s.length && /[ \t\n\v\f\r]/.test(s[i]!)) i++;
  let negative = false;
  if (s[i] === '-') {
    negative = true;
    i++;
  } else if (s[i] === '+') i++;
  // The same arithmetic as procps, so the doubles agree.
  let radix = i;
  let mult = 0.1;
  while (radix < s.length && /[0-9]/.test(s[radix]!)) {
    radix++;
    mult *= 10;
  }
  let num = 0;
  while (i < s.length && /[0-9]/.test(s[i]!)) {
    num += (s.charCodeAt(i) - 48) * mult;
    mult /= 10;
    i++;
  }
  if (i === s.length) return negative ? -num : num;
  if (s[i] !== '.' && s[i] !== ',') return { errno: ': Invalid argument' };
  i++;
  mult = 0.1;
  while (i < s.length && /[0-9]/.test(s[i]!)) {
    num += (s.charCodeAt(i) - 48) * mult;
    mult /= 10;
    i++;
  }
  if (i === s.length) return negative ? -num : num;
  return { errno: '' };
}

/** strtol(s, &end, 10) that must consume all of s; the errno text on failure. */
export function parseCount(s: string): number | { errno: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (s === '' || !m) return { errno: '' };
  const v = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]!);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return { errno: ': Numerical result out of range' };
  // long → int, as procps stores it.
  return Number(BigInt.asIntN(32, v));
}

interface Run {
  opts: FreeOptions;
  json: boolean;
  repeat: boolean;
  /** µs between reports. */
  intervalUs: number;
  /** Reports to print; 0 = forever. */
  count: number;
}

function usageFail(io: IO, first = ''): CliExit {
  return new CliExit(1, first + helpText(io.prog));
}

function parse(argv: string[], io: IO): Parsed<Run> {
  const { items, operands } = getoptLong(argv, SHORTS, LONGS, io.env);
  let exponent = 0;
  let si = false;
  let unitSet = false;
  const flags = { human: false, lohi: false, total: false, committed: false, wide: false };
  let json = false;
  let repeat = false;
  let intervalUs = 1_000_000;
  let count = 0;
  for (const it of items) {
    if (it.kind === 'error') throw usageFail(io, `${io.prog}: ${it.message}\n`);
    if (isJson(it.key)) {
      json = true;
      continue;
    }
    const unit = UNITS[it.key];
    if (unit) {
      if (unitSet) throw new CliExit(1, `${io.prog}: Multiple unit options don't make sense.\n`);
      unitSet = true;
      exponent = unit[0];
      if (unit[1]) si = true;
      continue;
    }
    switch (it.key) {
      case 'h':
        flags.human = true;
        break;
      case 'si':
        si = true;
        break;
      case 'l':
        flags.lohi = true;
        break;
      case 't':
        flags.total = true;
        break;
      case 'v':
        flags.committed = true;
        break;
      case 'w':
        flags.wide = true;
        break;
      case 's': {
        repeat = true;
        const v = parseSeconds(it.arg!);
        if (typeof v !== 'number') throw new CliExit(1, `${io.prog}: seconds argument failed: '${it.arg}'${v.errno}\n`);
        // procps keeps the interval in a float of microseconds.
        intervalUs = Math.fround(1_000_000 * v);
        if (intervalUs < 1) throw new CliExit(1, `${io.prog}: seconds argument \`${it.arg}' is not positive number\n`);
        break;
      }
      case 'c': {
        repeat = true;
        const v = parseCount(it.arg!);
        if (typeof v !== 'number') throw new CliExit(1, `${io.prog}: failed to parse count argument: '${it.arg}'${v.errno}\n`);
        if (v < 1) throw new CliExit(1, `${io.prog}: failed to parse count argument: '${it.arg}': Numerical result out of range\n`);
        count = v;
        break;
      }
      case 'help':
        return { kind: 'help', text: helpText(io.prog) };
      case 'V':
        return { kind: 'version' };
    }
  }
  if (operands.length > 0) throw usageFail(io);
  return { kind: 'run', options: { opts: { exponent, si, ...flags }, json, repeat, intervalUs, count } };
}

function readReport(io: IO): FreeReport {
  try {
    return toReport(collect());
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliExit(1, `${io.prog}: Memory information file ${getProcfsPath()}/meminfo does not exist\n`);
    }
    if (e instanceof ParseError || (e as NodeJS.ErrnoException).code !== undefined) {
      throw new CliExit(1, `${io.prog}: Unable to create meminfo structure\n`);
    }
    throw e;
  }
}

export const command: Command<Run> = {
  name: 'free',
  summary: 'display amount of free and used memory (procps-ng free)',
  grammar: { short: SHORTS, long: LONGS, operands: 'none' },
  parse,
  run(p, io) {
    return ticker(
      io,
      {
        intervalMs: p.intervalUs / 1000,
        count: !p.repeat ? 1 : p.count > 0 ? p.count : Infinity,
        // procps free checks its report went out, and stops with its own words
        // (its --help and -V fail through close_stdout, with the errno's text).
        onWriteError: () => {
          throw new CliExit(1, `${io.prog}: write error\n`);
        },
        // A blank line between text reports; JSON reports are one per line.
        between: () => {
          if (!p.json) io.out('\n');
        },
      },
      () => {
        const r = readReport(io);
        io.out(p.json ? renderJson(r) : renderText(r, p.opts));
        return 0;
      },
    );
  },
};
