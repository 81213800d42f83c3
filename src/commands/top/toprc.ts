/**
 * top's configuration files, read as procps-ng 4.0.2's top reads them
 * (top.c: configs_reads, configs_file, cfg_xform, config_osel, osel_add),
 * so that `ptools top` starts from the user's saved setup (`W`).
 *
 * Which file (configs_reads):
 *  - `${etc}/toprc` (SYS_RCRESTRICT) is read first, for secure mode only: a
 *    first line (any, even empty) turns secure mode on, a second line is
 *    sscanf'ed with "%f" into the delay that secure mode imposes (3.0, the
 *    built-in default, when it is missing or not a number). Root (uid 0) is
 *    never in secure mode.
 *  - then `$HOME/.toprc` (HOME only when absolute, else the passwd entry's
 *    home directory, when that is absolute); when it cannot be opened,
 *    `$XDG_CONFIG_HOME/procps/toprc` (XDG_CONFIG_HOME only when absolute,
 *    else `$HOME/.config/procps/toprc`; no home, no such path); when that
 *    cannot be opened either, `${etc}/topdefaultrc` (SYS_RCDEFAULTS); with
 *    none of them, the built-in defaults (DEF_RCFILE).
 *  - top names its file after itself (`.${Myname}rc`, Myname being argv[0]'s
 *    basename); these are the user's *top* settings, so the names here are
 *    always `.toprc` / `toprc` whatever ptools' program is called.
 *  - real top mkdir()s `$HOME/.config` and `…/procps` (0700) on its way to the
 *    XDG path, so that a later `W` can write there. ptools only reads and has
 *    no `W`: it creates nothing. The file found is the same either way (a
 *    directory that did not exist holds no file).
 *  - `${etc}` is the library's etc root (core/base/paths.ts, PTOOLS_ETC_PATH),
 *    or opts.etcDir.
 *
 * A file that is found but malformed is fatal, as in top (RCFILE_NOERR is not
 * defined in Debian's build): top prints `top: <text>\n` on stderr and exits
 * with status 1, the text being one of (top_nls.c)
 *    incompatible rcfile, you should delete '<path>'        (header)
 *    window entry #<n> corrupt, please delete '<path>'      (window n, 1..4)
 * A directory in the file's place opens and reads nothing: the first text.
 *
 * The parser mirrors top's stdio calls: the file is a byte stream read with
 * glibc's fgets()/fscanf() rules (whitespace directives skip any run of
 * whitespace, newlines included; %d takes a sign and digits and stops before
 * anything else, leaving it for the next call; a literal that does not match
 * stops that call), so hand-edited files are accepted or refused exactly as
 * top does. Checks, in top's order: the header line's 6 values, id 'a'..'k'
 * but not 'b'..'e', Mode_altscr and Mode_irixps 0|1, Delay whole part >= 0,
 * Curwin 0..3; per window: a name (%3s), the field list, at least winflags,
 * sortindx and maxtasks (3.3.10's graph/double-up values may be missing and
 * keep their defaults), sortindx 0..EU_MAXPFLGS-1, maxtasks >= 0, graph_cpus
 * and graph_mems 0..2, double_up 0..7, combine_cpus >= 0, core_types 0..3,
 * 4 colors 0..255, then the field list: its first EU_MAXPFLGS entries must
 * be non-zero, name real fields and hold no value twice. A window's field
 * list is read over that window's defaults, so a short list keeps the
 * default tail (and usually fails the duplicates check). The last line
 * (Fixed_widest ... Tics_scaled) is optional and out-of-range values there
 * become 0. Other-filter entries that do not parse are dropped (top then
 * merely asks before `W` overwrites the file); 'Inspect' entries are not
 * read (they do not matter in batch mode).
 *
 * Old formats (cfg_xform): 'a' (procps 3.2.8), 'f'..'j' (procps-ng 3.3.0 to
 * 3.3.17, fields as one string of characters) are converted as top converts
 * them, including its use of its line buffer's leftovers; 'b'..'e' are
 * refused. 'k' (4.0.x: one integer per field, `(index + 37) * 2 + on`) is
 * what 4.0.2's `W` writes.
 *
 * Not mirrored: the locale (the C locale's whitespace, '.' for /etc/toprc's
 * "%f" decimal point, and the untranslated column names for other filters);
 * top's undefined behaviour (more than 128 field values in a window: the
 * extra ones are read and dropped; an 'a'-format sortindx above 26 is taken
 * as 26); hexadecimal floats with an exponent beyond JavaScript's range.
 *
 * What top does after reading that the caller must still do (wins_stage_2,
 * parse_args): combine_cpus >= the CPU count becomes 0; a window with
 * View_CPUSUM or View_CPUNOD gets double_up 0 (the built-in Def window has
 * double_up 1 and View_CPUSUM); batch mode turns View_SCROLL off for Curwin;
 * command-line options (-d, -E, -e, -s, -H, -i, -S, -c, -o, -O, -u, -U,
 * -p, -w) override the file; -d is refused in secure mode.
 *
 * No child processes: this module only reads files.
 */
import { readFileSync } from 'node:fs';
import { getEtcPath } from '../../core/base/paths.js';
import { native } from '../../native/index.js';

// ---------------------------------------------------------------- constants

/** Number of fields (top.h enum pflag up to EU_MAXPFLGS; `top -O` lists them). */
export const EU_MAXPFLGS = 78;

/** The column names (top_nls.c Head_nlstab, untranslated), by Fieldstab index. */
export const FIELD_NAMES: readonly string[] = Object.freeze([
  'PID', 'PPID', 'UID', 'USER', 'RUID', 'RUSER', 'SUID', 'SUSER', 'GID', 'GROUP',
  'PGRP', 'TTY', 'TPGID', 'SID', 'PR', 'NI', 'nTH', 'P', '%CPU', 'TIME',
  'TIME+', '%MEM', 'VIRT', 'SWAP', 'RES', 'CODE', 'DATA', 'SHR', 'nMaj', 'nMin',
  'nDRT', 'S', 'COMMAND', 'WCHAN', 'Flags', 'CGROUPS', 'SUPGIDS', 'SUPGRPS', 'TGID', 'OOMa',
  'OOMs', 'ENVIRON', 'vMj', 'vMn', 'USED', 'nsIPC', 'nsMNT', 'nsNET', 'nsPID', 'nsUSER',
  'nsUTS', 'LXC', 'RSan', 'RSfd', 'RSlk', 'RSsh', 'CGNAME', 'NU', 'LOGID', 'EXE',
  'RSS', 'PSS', 'PSan', 'PSfd', 'PSsh', 'USS', 'ioR', 'ioRop', 'ioW', 'ioWop',
  'AGID', 'AGNI', 'STARTED', 'ELAPSED', '%CUU', '%CUC', 'nsCGROUP', 'nsTIME',
]);

/**
 * Fieldstab's .width column as compiled (top.c), which is what it holds when
 * the rcfile is read (zap_fieldstab sets the real widths later): 0 = "set at
 * startup", -1 = variable. Used for the other filters' `compareValue`.
 */
const RC_TIME_WIDTHS: readonly number[] = [
  0, 0, 5, 8, 5, 8, 5, 8, 5, 8, 0, 8, 0, 0, 3, 3, 3, 0, 5, 6,
  9, 5, 7, 6, 6, 6, 7, 6, 4, 4, 4, 1, -1, 10, 8, -1, -1, -1, 0, 5,
  4, -1, 3, 3, 6, 10, 10, 10, 10, 10, 10, 8, 6, 6, 6, 6, -1, 0, 5, -1,
  6, 6, 6, 6, 6, 6, 6, 5, 6, 5, 5, 4, 7, 7, 6, 7, 10, 10,
];

/** top.h's winflags bits ('letter' = the command toggling it). */
const WINFLAG_BITS = {
  // 'View_' flags affect the summary, taken from Curwin
  View_CPUSUM: 0x008000, // '1' - show combined cpu stats (vs. each)
  View_CPUNOD: 0x400000, // '2' - show numa node cpu stats ('3' also)
  View_LOADAV: 0x004000, // 'l' - display load avg and uptime summary
  View_STATES: 0x002000, // 't' - display task/cpu(s) states summary
  View_MEMORY: 0x001000, // 'm' - display memory summary
  View_NOBOLD: 0x000008, // 'B' - disable 'bold' attribute globally
  View_SCROLL: 0x080000, // 'C' - enable coordinates msg w/ scrolling
  // 'Show_' & 'Qsrt_' flags are for task display in a visible window
  Show_COLORS: 0x000800, // 'z' - show in color (vs. mono)
  Show_HIBOLD: 0x000400, // 'b' - rows and/or cols bold (vs. reverse)
  Show_HICOLS: 0x000200, // 'x' - show sort column emphasized
  Show_HIROWS: 0x000100, // 'y' - show running tasks highlighted
  Show_CMDLIN: 0x000080, // 'c' - show cmdline vs. name
  Show_CTIMES: 0x000040, // 'S' - show times as cumulative
  Show_IDLEPS: 0x000020, // 'i' - show idle processes (all tasks)
  Show_TASKON: 0x000010, // '-' - tasks showable when Mode_altscr
  Show_FOREST: 0x000002, // 'V' - show cmd/cmdlines with ascii art
  Qsrt_NORMAL: 0x000004, // 'R' - reversed column sort (high to low)
  Show_JRSTRS: 0x040000, // 'j' - right justify "string" data cols
  Show_JRNUMS: 0x020000, // 'J' - right justify "numeric" data cols
  // internal (no command)
  NOPRINT_xxx: 0x010000, // build task rows only (not for display)
  EQUWINS_xxx: 0x000001, // rebalance all wins & tasks (off i,n,u/U)
} as const;

/** Every window flag bit of top.h, with top.h's values. */
export const WINFLAGS: { readonly [name: string]: number } & typeof WINFLAG_BITS = Object.freeze(WINFLAG_BITS);

const W = WINFLAGS;
/** ORIG_TOPDEFS (Debian's --disable-modern-top): DEF_WINFLGS == ALT_WINFLGS. */
const DEF_WINFLGS =
  W.View_LOADAV | W.View_STATES | W.View_CPUSUM | W.View_MEMORY | W.Show_HIBOLD | W.Show_HIROWS |
  W.Show_IDLEPS | W.Show_TASKON | W.Show_JRNUMS | W.Qsrt_NORMAL;

const GROUPSMAX = 4;
const PFLAGSSIZ = 128;
const LRGBUFSIZ = 512;
const SMLBUFSIZ = 128;
const MEDBUFSIZ = 256;
const OURPATHSZ = 1024;
const FLD_OFFSET = 37; // '%'
const RCF_VERSION_ID = 0x6b; // 'k'
const ADJOIN_LIMIT = 8;
const E_CORES_ONLY = 3;
const SCREENMAX = 512;
const SK_KB = 0;
const SK_MB = 1;
const SK_PB = 4;
const SK_EB = 5;
const TICS_AS_LAST = 6;
const CVT_FLDMAX = 28;
/** DEF_DELAY under ORIG_TOPDEFS. */
const DEF_DELAY = 3.0;

const RCF_PLUS_H = '\\]^_`abcdefghij';
const RCF_PLUS_J = 'klmnopqrstuvwxyz';
/** Old top's fields 'a'..'z' (and SuSE's '{', '|') in procps-ng 3.3 characters. */
const CVT_FORMER = "%&*'(-0346789:;<=>?@ACDEFGML)+,./125BHIJKNOPQRSTUVWXYZ[" + RCF_PLUS_H + RCF_PLUS_J;
/** strlen() of each window's *_FORMER string (all four are 86): cfg_xform's loop bound. */
const FORMER_LEN = 86;

const OSEL_DELIM_1 = 'begin: saved other filter data -------------------\n';
const OSEL_DELIM_2 = 'end  : saved other filter data -------------------\n';

/** DEF_FIELDS (ORIG_TOPDEFS), JOB_FIELDS, MEM_FIELDS, USR_FIELDS of top.h. */
const DEF_FIELDS: readonly (readonly number[])[] = [
  [75, 81, 103, 105, 119, 123, 129, 137, 111, 117, 115, 139, 76, 78, 82, 84, 86, 88, 90, 92,
    94, 96, 98, 100, 106, 108, 112, 120, 124, 126, 130, 132, 134, 140, 142, 144, 146, 148, 150, 152,
    154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192,
    194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232,
    234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 256, 258, 260, 262, 264, 266, 268, 270, 272],
  [75, 77, 115, 111, 117, 80, 103, 105, 137, 119, 123, 128, 120, 79, 139, 82, 84, 86, 88, 90,
    92, 94, 96, 98, 100, 106, 108, 112, 124, 126, 130, 132, 134, 140, 142, 144, 146, 148, 150, 152,
    154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192,
    194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232,
    234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 256, 258, 260, 262, 264, 266, 268, 270, 272],
  [75, 117, 119, 120, 123, 125, 127, 129, 131, 154, 132, 156, 135, 136, 102, 104, 111, 139, 76, 78,
    80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 106, 108, 112, 114, 140, 142, 144, 146, 148,
    150, 152, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192,
    194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232,
    234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 256, 258, 260, 262, 264, 266, 268, 270, 272],
  [75, 77, 79, 81, 85, 97, 115, 111, 117, 137, 139, 82, 86, 88, 90, 92, 94, 98, 100, 102,
    104, 106, 108, 112, 118, 120, 122, 124, 126, 128, 130, 132, 134, 140, 142, 144, 146, 148, 150, 152,
    154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192,
    194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232,
    234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 256, 258, 260, 262, 264, 266, 268, 270, 272],
];

/** DEF_RCFILE's per-window part: sortindx, colors (COLOR_RED 1, GREEN 2, YELLOW 3, BLUE 4, MAGENTA 5, CYAN 6, WHITE 7). */
const DEF_WINDOWS = [
  { name: 'Def', sortindx: 18 /* EU_CPU */, doubleUp: 1, clr: [1, 1, 3, 1] },
  { name: 'Job', sortindx: 0 /* EU_PID */, doubleUp: 0, clr: [6, 6, 7, 6] },
  { name: 'Mem', sortindx: 21 /* EU_MEM */, doubleUp: 0, clr: [5, 5, 4, 5] },
  { name: 'Usr', sortindx: 3 /* EU_UEN */, doubleUp: 0, clr: [3, 3, 2, 3] },
] as const;

// ---------------------------------------------------------------- types

export interface TopWindowRc {
  /** winname: 'Def' | 'Job' | 'Mem' | 'Usr' (as stored; up to 3 bytes). */
  readonly name: string;
  /**
   * The first EU_MAXPFLGS entries of fieldscur, in display order: id =
   * Fieldstab index (0 = PID … EU_MAXPFLGS-1), on = displayed. top only
   * checks raw values for duplicates, so a field may appear twice (once on,
   * once off) in a hand-edited file it accepts.
   */
  readonly fields: readonly { readonly id: number; readonly on: boolean }[];
  readonly winflags: number;
  /** Fieldstab index (an 'a'-format conversion can leave it past EU_MAXPFLGS-1, as in top). */
  readonly sortindx: number;
  /** 0 = all. */
  readonly maxtasks: number;
  readonly graphCpus: number;
  readonly graphMems: number;
  readonly doubleUp: number;
  readonly combineCpus: number;
  readonly coreTypes: number;
  readonly summclr: number;
  readonly msgsclr: number;
  readonly headclr: number;
  readonly taskclr: number;
}

/**
 * One saved other filter ('o' / 'O'), as top rebuilds it from the file.
 *
 * Syntax (raw): `[!]FIELD<op>value` with op the first of '<', '=', '>' in it;
 * FIELD is a column name (FIELD_NAMES, case-sensitive); '!' excludes instead
 * of including. type 'o' (111) compares ignoring case (strcasecmp /
 * strcasestr), any other type ('O', 79) with case (strcmp / strstr).
 *
 * How top applies them (osel_matched): a task row is dropped as soon as one
 * filter on a *displayed* column fails against that column's formatted cell
 * (the text as printed, padding included):
 *  - '=': the cell contains value (substring); '!' = does not contain;
 *  - '<': cell compares below compareValue; '!' = not below;
 *  - '>': cell compares above compareValue; '!' = not above.
 * Filters on columns that are not displayed are kept but never tested.
 */
export interface TopOtherFilter {
  /** Window index 0..3. */
  readonly window: number;
  /** false for a leading '!'. */
  readonly include: boolean;
  /** The filter as saved (after "filter=", at most 255 bytes: top's copy for duplicate checks). */
  readonly raw: string;
  /** The saved type: 111 ('o', ignore case) or 79 ('O'); top treats every value but 111 as 'O'. */
  readonly type: number;
  readonly ignoreCase: boolean;
  /** Fieldstab index of FIELD. */
  readonly field: number;
  readonly op: '<' | '=' | '>';
  /** The text after the operator. */
  readonly value: string;
  /**
   * What top compares cells against: value for '='; for '<' and '>',
   * justify_pad(value) with the width Fieldstab has when the file is read
   * (right-justified to it and cut at it, then one space): " " for the
   * columns whose width is set later (PID, PPID, PGRP, TPGID, SID, P, TGID,
   * NU), "value " for the variable-width ones (COMMAND, ...).
   */
  readonly compareValue: string;
}

export interface TopRc {
  /** Format id letter as read ('k' for 4.0.2; 'a', 'f'..'j' converted). */
  readonly id: string;
  /** 0|1 ('A'). */
  readonly modeAltscr: number;
  /** 0|1 ('I'). */
  readonly modeIrixps: number;
  /**
   * Seconds: whole + fract/1000 computed in single precision, as top does
   * ("Delay_time=1.500" is 1.5; a hand-written "1.5" is 1.005).
   */
  readonly delay: number;
  /** 0..3: the window batch mode shows (Curwin). */
  readonly curwin: number;
  /** The 4 windows. */
  readonly windows: readonly TopWindowRc[];
  readonly fixedWidest: number;
  readonly summMscale: number;
  readonly taskMscale: number;
  readonly zeroSuppress: number;
  readonly ticsScaled: number;
  /** The other filters, per window in file order (top's order on reading). */
  readonly otherFilters: readonly TopOtherFilter[];
  /** Path of the file read; '' for the built-in defaults. */
  readonly source: string;
}

export type ParseResult = { ok: true; rc: TopRc } | { ok: false; message: string };

export type ReadResult =
  | { ok: true; rc: TopRc; secure: boolean; restrictedDelay?: number }
  | { ok: false; message: string; status: number; stderr: string };

export interface ReadOptions {
  /** Where toprc / topdefaultrc are looked for (default: the library's etc root). */
  readonly etcDir?: string;
  /** The real uid (default: process.getuid()). */
  readonly uid?: number;
  /** A uid's passwd home directory (default: getpwuid). */
  readonly homeOfUid?: (uid: number) => string | undefined;
  /** Program name in the error line (default 'top', top's own). */
  readonly program?: string;
}

// ---------------------------------------------------------------- state

interface WinState {
  sortindx: number;
  winflags: number;
  maxtasks: number;
  graphCpus: number;
  graphMems: number;
  doubleUp: number;
  combineCpus: number;
  coreTypes: number;
  summclr: number;
  msgsclr: number;
  headclr: number;
  taskclr: number;
  winname: Uint8Array;
  fieldscur: Int32Array;
}

interface RcState {
  id: number;
  modeAltscr: number;
  modeIrixps: number;
  curwin: number;
  win: WinState[];
  fixedWidest: number;
  summMscale: number;
  taskMscale: number;
  zeroSuppress: number;
  ticsScaled: number;
}

function defaultState(): RcState {
  return {
    id: RCF_VERSION_ID,
    modeAltscr: 0,
    modeIrixps: 1,
    curwin: 0,
    win: DEF_WINDOWS.map((d, i) => {
      const fieldscur = new Int32Array(PFLAGSSIZ);
      fieldscur.set(DEF_FIELDS[i]);
      return {
        sortindx: d.sortindx,
        winflags: DEF_WINFLGS,
        maxtasks: 0,
        graphCpus: 0,
        graphMems: 0,
        doubleUp: d.doubleUp,
        combineCpus: 0,
        coreTypes: 0,
        summclr: d.clr[0],
        msgsclr: d.clr[1],
        headclr: d.clr[2],
        taskclr: d.clr[3],
        winname: Buffer.from(d.name, 'latin1'),
        fieldscur,
      };
    }),
    fixedWidest: 0,
    summMscale: SK_MB,
    taskMscale: SK_KB,
    zeroSuppress: 0,
    ticsScaled: 0,
  };
}

const fround = Math.fround;

function toRc(st: RcState, delay: number, filters: TopOtherFilter[], source: string): TopRc {
  return {
    id: String.fromCharCode(st.id),
    modeAltscr: st.modeAltscr,
    modeIrixps: st.modeIrixps,
    delay,
    curwin: st.curwin,
    windows: st.win.map((w) => ({
      name: Buffer.from(w.winname).toString('utf8'),
      fields: Array.from(w.fieldscur.subarray(0, EU_MAXPFLGS), (v) => ({ id: (v >> 1) - FLD_OFFSET, on: (v & 1) === 1 })),
      winflags: w.winflags,
      sortindx: w.sortindx,
      maxtasks: w.maxtasks,
      graphCpus: w.graphCpus,
      graphMems: w.graphMems,
      doubleUp: w.doubleUp,
      combineCpus: w.combineCpus,
      coreTypes: w.coreTypes,
      summclr: w.summclr,
      msgsclr: w.msgsclr,
      headclr: w.headclr,
      taskclr: w.taskclr,
    })),
    fixedWidest: st.fixedWidest,
    summMscale: st.summMscale,
    taskMscale: st.taskMscale,
    zeroSuppress: st.zeroSuppress,
    ticsScaled: st.ticsScaled,
    otherFilters: filters,
    source,
  };
}

/** The built-in defaults (DEF_RCFILE) when no file exists: Debian's build uses --disable-modern-top (ORIG_TOPDEFS). */
export function defaultToprc(): TopRc {
  return toRc(defaultState(), DEF_DELAY, [], '');
}

// ---------------------------------------------------------------- glibc stdio, in miniature

const EOF = -1;

/** A FILE being read: bytes and a position (ungetc of the byte just read = one step back). */
interface Src {
  readonly buf: Uint8Array;
  pos: number;
}

const isspace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isdigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** fgets(buf, size): up to size-1 bytes, through the first newline; null at EOF with nothing read. */
function fgets(s: Src, size: number): Uint8Array | null {
  if (s.pos >= s.buf.length) return null;
  let end = s.pos;
  const max = Math.min(s.buf.length, s.pos + size - 1);
  while (end < max) {
    if (s.buf[end++] === 0x0a) break;
  }
  const line = s.buf.subarray(s.pos, end);
  s.pos = end;
  return line;
}

/** The C string at the start of bytes (up to the first NUL). */
function cstr(b: Uint8Array): Uint8Array {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

/** strtol's value for an optional sign and digits, then (int)'s truncation to 32 bits. */
function toInt(digits: string): number {
  let v = BigInt(digits);
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) v = max;
  else if (v < min) v = min;
  return Number(BigInt.asIntN(32, v));
}

type Scanned = number | Uint8Array;

/**
 * glibc's vfscanf for the directives top's formats use: whitespace (skips any
 * run of whitespace, lazily: before the next literal or conversion, or at the
 * end), literal bytes, %c, %d, %s, %Ns, %*s. Returns what fscanf returns (the
 * number of assignments, or -1 = EOF when input ran out before the first)
 * and the values assigned, in order.
 */
function scan(s: Src, fmt: string, out: Scanned[]): number {
  let done = 0;
  let skip = false;
  let c = 0;
  const inchar = (): number => (c = s.pos < s.buf.length ? s.buf[s.pos++] : EOF);
  const ungetc = (ch: number): void => {
    if (ch !== EOF) s.pos--;
  };
  const inputError = (): number => (done === 0 ? EOF : done);

  for (let i = 0; i < fmt.length; ) {
    const fc = fmt.charCodeAt(i++);
    if (fc !== 0x25 /* % */) {
      if (isspace(fc)) {
        skip = true;
        continue;
      }
      if (inchar() === EOF) return inputError();
      if (skip) {
        while (isspace(c)) if (inchar() === EOF) return inputError();
        skip = false;
      }
      if (c !== fc) {
        ungetc(c);
        return done;
      }
      continue;
    }
    let suppress = false;
    if (fmt[i] === '*') {
      suppress = true;
      i++;
    }
    let width = 0;
    while (isdigit(fmt.charCodeAt(i))) width = width * 10 + (fmt.charCodeAt(i++) - 0x30);
    if (width === 0) width = -1;
    const conv = fmt[i++];
    if (skip || conv !== 'c') {
      do inchar();
      while (isspace(c));
      ungetc(c);
      skip = false;
    }
    switch (conv) {
      case 'c': {
        if (inchar() === EOF) return inputError();
        if (!suppress) {
          out.push(c);
          done++;
        }
        break;
      }
      case 's': {
        if (inchar() === EOF) return inputError();
        const start = s.pos - 1;
        let end = start;
        do {
          if (isspace(c)) {
            ungetc(c);
            break;
          }
          end = s.pos;
        } while ((width <= 0 || --width > 0) && inchar() !== EOF);
        if (!suppress) {
          out.push(s.buf.slice(start, end));
          done++;
        }
        break;
      }
      case 'd': {
        let text = '';
        if (inchar() === EOF) return inputError();
        if (c === 0x2d || c === 0x2b) {
          text += String.fromCharCode(c);
          if (width > 0) --width;
          inchar();
        }
        while (c !== EOF && width !== 0) {
          if (!isdigit(c)) break;
          text += String.fromCharCode(c);
          if (width > 0) --width;
          inchar();
        }
        ungetc(c);
        if (text === '' || text === '-' || text === '+') return done;
        if (!suppress) {
          out.push(toInt(text));
          done++;
        }
        break;
      }
      default:
        throw new Error(`toprc: unsupported conversion %${conv}`);
    }
  }
  if (skip) {
    do inchar();
    while (isspace(c));
    ungetc(c);
  }
  return done;
}

/** scan() over a C string (sscanf). */
function sscan(str: Uint8Array, fmt: string, out: Scanned[]): number {
  return scan({ buf: cstr(str), pos: 0 }, fmt, out);
}

/** sscanf(str, "%f")'s value (glibc strtof rules, C locale), or undefined when nothing converts. */
function scanFloat(line: Uint8Array): number | undefined {
  const t = Buffer.from(cstr(line)).toString('latin1').replace(/^[ \t\n\v\f\r]+/, '');
  const hex = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/.exec(t);
  if (hex) {
    const [int, frac = ''] = hex[2].split('.');
    let v = 0;
    for (const d of int + frac) v = v * 16 + parseInt(d, 16);
    v = v / 16 ** frac.length * 2 ** Number(hex[3] ?? 0);
    return fround(hex[1] === '-' ? -v : v);
  }
  const special = /^([+-]?)(inf(inity)?|nan)/i.exec(t);
  if (special) {
    const v = special[2].toLowerCase() === 'nan' ? NaN : Infinity;
    return special[1] === '-' ? -v : v;
  }
  const dec = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(t);
  return dec ? fround(Number(dec[0])) : undefined;
}

// ---------------------------------------------------------------- configs_file

/** top's 512-byte line buffer 'fbuf', modelled with its leftovers (cfg_xform reads past the string). */
class CBuf {
  b = new Uint8Array(LRGBUFSIZ);
  strlen(): number {
    const z = this.b.indexOf(0);
    return z < 0 ? this.b.length : z;
  }
  ensure(n: number): void {
    if (n > this.b.length) {
      const nb = new Uint8Array(n);
      nb.set(this.b);
      this.b = nb;
    }
  }
  /** Copies a string and its NUL to the start (fgets, %s, strcpy). */
  put(bytes: Uint8Array): void {
    this.ensure(bytes.length + 1);
    this.b.set(bytes, 0);
    this.b[bytes.length] = 0;
  }
  /** scat(): appends at strlen. */
  cat(text: string): void {
    const at = this.strlen();
    const add = Buffer.from(text, 'latin1');
    this.ensure(at + add.length + 1);
    this.b.set(add, at);
    this.b[at + add.length] = 0;
  }
}

/**
 * cfg_xform: a 3.2.8 ('a') or 3.3.x ('f'..'j') field string → 4.0 fieldscur.
 * Returns true on failure, as top's does.
 */
function cfgXform(id: number, w: WinState, fbuf: CBuf): boolean {
  const CVTon = 0x80;
  if (id === 0x61 /* 'a' */) {
    const flagsTab: [number, number][] = [
      [0x000001, W.View_NOBOLD],
      [0x000008, W.Show_TASKON],
      [0x000010, W.Qsrt_NORMAL],
      [0x000200, W.Show_HICOLS],
      [0x010000, 0],
    ];
    let x = w.winflags;
    w.winflags = 0;
    for (const [o, n] of flagsTab) {
      if (x & o) {
        x &= ~o;
        w.winflags |= n;
      }
    }
    w.winflags |= x;

    const flds = fbuf.b;
    const f = fbuf.strlen();
    if (f >= CVT_FLDMAX) return true;
    const dst = new Uint8Array(PFLAGSSIZ);
    dst.set(Buffer.from(CVT_FORMER, 'latin1'));
    let p1 = flds.subarray(0, f).indexOf(0x5b /* [ */);
    if (p1 >= 0) flds[p1] = 0x7b; /* { */
    let p2 = flds.subarray(0, f).indexOf(0x5c /* \ */);
    if (p2 >= 0) flds[p2] = 0x7c; /* | */
    for (let i = 0; i < f; i++) {
      const c = flds[i];
      // (char) is signed: bytes >= 0x80 are negative, below 'a'
      const lower = c >= 0x41 && c <= 0x5a ? c + 32 : c;
      const xi = c >= 0x80 ? -1 : lower - 0x61;
      if (xi < 0 || xi >= CVT_FLDMAX) return true;
      dst[i] = CVT_FORMER.charCodeAt(xi);
      if (c >= 0x41 && c <= 0x5a) dst[i] |= CVTon;
    }
    if (p1 >= 0) dst[p1] |= CVTon;
    if (p2 >= 0) dst[p2] |= CVTon;

    // the old sort enum: a letter of "abc...z"; past it top reads beyond its
    // table (26 is the NUL; above, undefined: taken as the NUL too)
    x = w.sortindx;
    const ch = x >= 0 && x < 26 ? 0x61 + x : 0;
    w.sortindx = 0;
    const window = flds.subarray(0, CVT_FLDMAX);
    let at = window.indexOf(ch);
    if (at < 0) at = window.indexOf(ch >= 0x61 && ch <= 0x7a ? ch - 32 : ch);
    if (at >= 0) w.sortindx = (dst[at] & 0x7f) - FLD_OFFSET;
    fbuf.put(dst.subarray(0, dst.indexOf(0)));
  }
  const flds = fbuf.b;
  for (let i = 0; i < FORMER_LEN; i++) {
    let f = (flds[i] & 0x7f) << 1;
    if (flds[i] & 0x80) f |= 1;
    w.fieldscur[i] = f;
  }
  return false;
}

const mlen = (a: Int32Array): number => {
  const z = a.indexOf(0);
  return z < 0 ? a.length : z;
};

/** osel_add's checks and result (null = silently nothing, for an empty filter). */
function oselAdd(
  have: TopOtherFilter[],
  wno: number,
  ch: number,
  glob: Uint8Array,
): { error: true } | { error: false; filter: TopOtherFilter | null } {
  const rawBytes = glob.subarray(0, MEDBUFSIZ - 1);
  if (rawBytes.length === 0) return { error: false, filter: null };
  const raw = Buffer.from(rawBytes).toString('utf8');
  if (have.some((o) => o.window === wno && o.raw === raw)) return { error: true };
  let g = glob;
  let inc = true;
  if (g[0] === 0x21 /* ! */) {
    g = g.subarray(1);
    inc = false;
  }
  let d = -1;
  for (let i = 0; i < g.length; i++) {
    if (g[i] === 0x3c || g[i] === 0x3d || g[i] === 0x3e) {
      d = i;
      break;
    }
  }
  if (d < 0) return { error: true };
  const name = Buffer.from(g.subarray(0, d)).toString('latin1');
  const enu = FIELD_NAMES.indexOf(name);
  if (enu < 0) return { error: true };
  const val = g.subarray(d + 1);
  if (val.length === 0) return { error: true };
  const op = String.fromCharCode(g[d]) as '<' | '=' | '>';
  let cmp: Uint8Array = val;
  if (op !== '=') {
    // justify_pad(): "%*.*s " with Fieldstab's width, right-justified (every
    // .align value is non-zero); width -1 = no precision, minimum width 1
    const wd = RC_TIME_WIDTHS[enu];
    if (wd >= 0) {
      const cut = val.subarray(0, wd);
      cmp = Buffer.concat([Buffer.alloc(wd - cut.length, 0x20), cut]);
    }
    cmp = Buffer.concat([cmp, Buffer.from(' ')]);
  }
  return {
    error: false,
    filter: {
      window: wno,
      include: inc,
      raw,
      type: ch,
      ignoreCase: ch === 0x6f /* 'o' */,
      field: enu,
      op,
      value: Buffer.from(val).toString('utf8'),
      compareValue: Buffer.from(cmp).toString('utf8'),
    },
  };
}

/** config_osel: the saved other filters (a bad entry ends the reading; what was added stays). */
function configOsel(s: Src): TopOtherFilter[] {
  const got: TopOtherFilter[] = [];
  const has = (line: Uint8Array, text: string): boolean => Buffer.from(cstr(line)).includes(Buffer.from(text, 'latin1'));
  let begun = false;
  for (;;) {
    const line = fgets(s, LRGBUFSIZ);
    if (!line) return got;
    if (line[0] === 0x0a) continue;
    if (!begun && !has(line, OSEL_DELIM_1)) return got;
    if (!begun) {
      begun = true;
      continue;
    }
    if (has(line, OSEL_DELIM_2)) return got;
    const v: Scanned[] = [];
    if (sscan(line, 'window #%d, osel_tot=%d\n', v) !== 2) return got;
    const [wno, tot] = v as number[];
    if (wno < 0 || wno >= GROUPSMAX || tot < 0) return got;
    for (let i = 0; i < tot; i++) {
      const fl = fgets(s, LRGBUFSIZ);
      if (!fl) return got;
      const t: Scanned[] = [];
      if (sscan(fl, '\ttype=%d,\tfilter=%*s\n', t) < 1) return got;
      let str = cstr(fl);
      const nl = str.indexOf(0x0a);
      if (nl >= 0) str = str.subarray(0, nl);
      const at = Buffer.from(str).indexOf('filter=');
      if (at < 0) return got;
      const r = oselAdd(got, wno, t[0] as number, str.subarray(at + 7));
      if (r.error) return got;
      if (r.filter) got.push(r.filter);
    }
  }
}

/** Text bytes: strings are taken one byte per character when they can be (latin1), else as UTF-8. */
function bytesOf(text: string | Uint8Array): Uint8Array {
  if (typeof text !== 'string') return text;
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

/**
 * Parses one file's text as top's configs_file does (exported for tests).
 * name = the path used in messages. The message is top's text without its
 * "top: " prefix. text is best given as bytes (or a latin1 string: one
 * character per byte), since formats before 'k' use bytes >= 0x80.
 */
export function parseToprc(text: string | Uint8Array, name: string): ParseResult {
  const parsed = configsFile(bytesOf(text), name);
  if (!parsed.ok) return parsed;
  return { ok: true, rc: toRc(parsed.st, parsed.delay, parsed.filters, name) };
}

function configsFile(
  buf: Uint8Array,
  name: string,
): { ok: true; st: RcState; delay: number; filters: TopOtherFilter[] } | { ok: false; message: string } {
  const st = defaultState();
  const s: Src = { buf, pos: 0 };
  const fbuf = new CBuf();
  let p = `incompatible rcfile, you should delete '${name}'`;
  const bad = (): { ok: false; message: string } => ({ ok: false, message: p });

  const eye = fgets(s, LRGBUFSIZ); // ignore eyecatcher
  if (eye) fbuf.put(eye);
  const h: Scanned[] = [];
  if (scan(s, 'Id:%c, Mode_altscr=%d, Mode_irixps=%d, Delay_time=%d.%d, Curwin=%d\n', h) !== 6) return bad();
  const [id, altscr, irixps, whole, fract, curwin] = h as number[];
  st.id = id;
  st.modeAltscr = altscr;
  st.modeIrixps = irixps;
  if (id < 0x61 || id > RCF_VERSION_ID) return bad();
  if (id >= 0x62 && id <= 0x65) return bad(); // 'b'..'e'
  if (altscr < 0 || altscr > 1) return bad();
  if (irixps < 0 || irixps > 1) return bad();
  if (whole < 0) return bad();
  if (curwin < 0 || curwin >= GROUPSMAX) return bad();
  st.curwin = curwin;
  // "this may be ugly, but it keeps us locale independent" (float arithmetic)
  const delay = fround(fround(whole) + fround(fround(fract) / 1000));

  for (let i = 0; i < GROUPSMAX; i++) {
    const w = st.win[i];
    p = `window entry #${i + 1} corrupt, please delete '${name}'`;
    const nm: Scanned[] = [];
    if (scan(s, '%3s\tfieldscur=', nm) !== 1) return bad();
    w.winname = nm[0] as Uint8Array;
    if (id < RCF_VERSION_ID) {
      const f: Scanned[] = [];
      if (scan(s, '%s\n', f) >= 1) fbuf.put(f[0] as Uint8Array);
    } else {
      for (let j = 0; ; j++) {
        const v: Scanned[] = [];
        if (scan(s, '%d', v) !== 1) break;
        if (j < PFLAGSSIZ) w.fieldscur[j] = v[0] as number;
      }
    }
    // be tolerant of missing release 3.3.10 graph modes additions
    const g: Scanned[] = [];
    const n = scan(
      s,
      '\twinflags=%d, sortindx=%d, maxtasks=%d, graph_cpus=%d, graph_mems=%d, double_up=%d, combine_cpus=%d, core_types=%d\n',
      g,
    );
    const gk = ['winflags', 'sortindx', 'maxtasks', 'graphCpus', 'graphMems', 'doubleUp', 'combineCpus', 'coreTypes'] as const;
    g.forEach((v, k) => (w[gk[k]] = v as number));
    if (n < 3) return bad();
    if (w.sortindx < 0 || w.sortindx >= EU_MAXPFLGS) return bad();
    if (w.maxtasks < 0) return bad();
    if (w.graphCpus < 0 || w.graphCpus > 2) return bad();
    if (w.graphMems < 0 || w.graphMems > 2) return bad();
    if (w.doubleUp < 0 || w.doubleUp >= ADJOIN_LIMIT) return bad();
    if (w.combineCpus < 0) return bad();
    if (w.coreTypes < 0 || w.coreTypes > E_CORES_ONLY) return bad();

    const k: Scanned[] = [];
    if (scan(s, '\tsummclr=%d, msgsclr=%d, headclr=%d, taskclr=%d\n', k) !== 4) return bad();
    [w.summclr, w.msgsclr, w.headclr, w.taskclr] = k as number[];
    for (const c of k as number[]) if (c < 0 || c > 255) return bad();

    // the old formats, oldest first, each falling through to the next
    if (id <= 0x6a /* 'j' */) {
      if (id <= 0x66 /* 'f' */) w.winflags |= W.Show_JRNUMS;
      if (id <= 0x67 /* 'g' */ && id > 0x61) fbuf.cat(RCF_PLUS_H);
      if (id <= 0x68 /* 'h' */) {
        w.graphCpus = w.graphMems = 0;
        st.summMscale = st.taskMscale = SK_KB;
      }
      if (id <= 0x69 /* 'i' */) {
        if (id > 0x61) fbuf.cat(RCF_PLUS_J);
        w.doubleUp = w.combineCpus = 0;
      }
      if (cfgXform(id, w, fbuf)) return bad();
      st.ticsScaled = 0;
    }
    if (mlen(w.fieldscur) < EU_MAXPFLGS) return bad();
    for (let x = 0; x < EU_MAXPFLGS; x++) {
      const f = (w.fieldscur[x] >> 1) - FLD_OFFSET;
      if (f >= EU_MAXPFLGS || f < 0) return bad();
    }
    // ensure there's been no manual alteration of fieldscur
    for (let x = 0; x < EU_MAXPFLGS; x++) {
      if (w.fieldscur.subarray(0, EU_MAXPFLGS).indexOf(w.fieldscur[x]) !== x) return bad();
    }
  }

  // any new addition(s) last, for older rcfiles compatibility...
  const gl: Scanned[] = [];
  scan(s, 'Fixed_widest=%d, Summ_mscale=%d, Task_mscale=%d, Zero_suppress=%d, Tics_scaled=%d\n', gl);
  const glk = ['fixedWidest', 'summMscale', 'taskMscale', 'zeroSuppress', 'ticsScaled'] as const;
  gl.forEach((v, k) => (st[glk[k]] = v as number));
  if (st.fixedWidest < -1 || st.fixedWidest > SCREENMAX) st.fixedWidest = 0;
  if (st.summMscale < 0 || st.summMscale > SK_EB) st.summMscale = 0;
  if (st.taskMscale < 0 || st.taskMscale > SK_PB) st.taskMscale = 0;
  if (st.zeroSuppress < 0 || st.zeroSuppress > 1) st.zeroSuppress = 0;
  if (st.ticsScaled < 0 || st.ticsScaled > TICS_AS_LAST) st.ticsScaled = 0;

  const filters = configOsel(s);
  return { ok: true, st, delay, filters };
}

// ---------------------------------------------------------------- configs_reads

/** fopen(path, "r") + reading it all: null when it cannot be opened; a directory opens and reads nothing. */
function readAll(path: string): Uint8Array | null {
  if (path === '') return null;
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return new Uint8Array(0);
    return null;
  }
}

/** configs_path(): the path, or '' when it does not fit top's 1024-byte Rc_name. */
function rcPath(path: string): string {
  const len = Buffer.byteLength(path);
  return len <= 0 || len >= OURPATHSZ ? '' : path;
}

function defaultHome(uid: number): string | undefined {
  try {
    return native.getpwuid(uid)?.dir;
  } catch {
    return undefined;
  }
}

/**
 * The line error_exit() writes: snprintf(buf[256], "%s: %s\n"), so a long
 * one is cut at 255 bytes (and then has no newline).
 */
function errorLine(program: string, text: string): string {
  const b = Buffer.from(`${program}: ${text}\n`, 'utf8');
  return b.length > MEDBUFSIZ - 1 ? b.subarray(0, MEDBUFSIZ - 1).toString('utf8') : b.toString('utf8');
}

/**
 * Reads top's configuration as top does (precedence at the top of this
 * file). ok: the settings (the built-in defaults when no file exists; rc.source
 * says which file), secure mode from `${etc}/toprc` and, when secure, the
 * delay it imposes. Not ok: what top prints before exiting — message is the
 * line without its newline ("top: incompatible rcfile, ..."), stderr the exact
 * bytes top writes, status 1.
 */
export function readToprc(env: NodeJS.ProcessEnv, opts: ReadOptions = {}): ReadResult {
  const etc = (opts.etcDir ?? getEtcPath()).replace(/\/+$/, '') || '';
  const uid = opts.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0);
  const homeOfUid = opts.homeOfUid ?? defaultHome;
  const program = opts.program ?? 'top';

  // SYS_RCRESTRICT
  let secure = false;
  let restricted = DEF_DELAY;
  const sys = readAll(`${etc}/toprc`);
  if (sys) {
    const ss: Src = { buf: sys, pos: 0 };
    if (fgets(ss, SMLBUFSIZ)) {
      secure = true;
      const l2 = fgets(ss, SMLBUFSIZ);
      if (l2) {
        const v = scanFloat(l2);
        if (v !== undefined) restricted = v;
      }
    }
  }

  let home: string | undefined = env.HOME;
  if (!home || home[0] !== '/') {
    home = homeOfUid(uid);
    if (!home || home[0] !== '/') home = undefined;
  }

  let name = home !== undefined ? rcPath(`${home}/.toprc`) : '';
  let text = readAll(name);
  if (!text) {
    let p = env.XDG_CONFIG_HOME;
    let ok = true;
    if (!p || p[0] !== '/') {
      if (home === undefined) ok = false;
      // top: mkdir("$HOME/.config", 0700) here, and mkdir(".../procps", 0700)
      // below; ptools does not create directories (it only reads).
      else p = `${home}/.config`;
    }
    if (ok && rcPath(`${p}/procps`) !== '') {
      name = rcPath(`${p}/procps/toprc`);
      text = readAll(name);
    }
    if (!text) {
      name = `${etc}/topdefaultrc`;
      text = readAll(name);
    }
  }

  let rc: TopRc;
  if (text) {
    const r = parseToprc(text, name);
    if (!r.ok) {
      const stderr = errorLine(program, r.message);
      return { ok: false, message: stderr.replace(/\n$/, ''), status: 1, stderr };
    }
    rc = r.rc;
  } else {
    rc = defaultToprc();
  }

  if (uid === 0) secure = false;
  return secure ? { ok: true, rc, secure, restrictedDelay: restricted } : { ok: true, rc, secure };
}
