/**
 * ps's command line: UNIX (-ef), BSD (aux) and GNU (--sort) options mixed
 * freely, parsed as procps-ng parses them — first as UNIX-with-BSD, and if
 * that fails once more with every dash option read as BSD (so `ps -aux`
 * works), reporting the first attempt's error when both fail. Then the
 * thread options are checked, the format and sort lists built, and the
 * selection bits chosen. Pure, apart from looking up users, groups and
 * terminals named on the command line.
 */
import { JSON_OPTION } from '../../cli/command.js';
import { lookupTerminal } from '../../core/process/tty.js';
import { gidOfName, uidOfName } from '../../core/base/users.js';
import {
  formatParse,
  longSortParse,
  mustSpec,
  shortSortParse,
  verifyShortSort,
  type FormatNode,
  type SortNode,
} from './format.js';

export const OUTBUF_SIZE = 2 * 64 * 1024;

/** Selection list kinds. */
export const SEL = {
  RUID: 1, EUID: 2, SUID: 3, FUID: 4, RGID: 5, EGID: 6, SGID: 7, FGID: 8,
  PGRP: 9, PID: 10, TTY: 11, SESS: 12, COMM: 13, PPID: 14, PID_QUICK: 15,
} as const;

export interface Selection {
  type: number;
  values: (number | string)[];
}

// Thread flags.
export const TF = {
  B_H: 0x1, B_m: 0x2, U_m: 0x4, U_T: 0x8, U_L: 0x10,
  show_proc: 0x100, show_task: 0x200, show_both: 0x400, loose_tasks: 0x800, no_sort: 0x1000, no_forest: 0x2000, must_use: 0x4000,
} as const;

const PER = {
  BSD_h: 0x2, BSD_m: 0x4, IRIX_l: 0x8, FORCE_BSD: 0x10, GOOD_o: 0x20, OLD_m: 0x40, NO_DEFAULT_g: 0x80,
  ZAP_ADDR: 0x100, SANE_USER: 0x200, HPUX_x: 0x400, SVR4_x: 0x800,
} as const;

const SS = { B_x: 0x1, B_g: 0x2, U_d: 0x4, U_a: 0x8, B_a: 0x10 } as const;

const FF = { Uf: 0x1, Uj: 0x2, Ul: 0x4, Bj: 0x8, Bl: 0x10, Bs: 0x20, Bu: 0x40, Bv: 0x80, LX: 0x100, Lm: 0x200, Fc: 0x400 } as const;
const FM = { c: 0x1, j: 0x2, y: 0x4, P: 0x10, M: 0x20, F: 0x80 } as const;

// Sources of deferred format/sort arguments.
const SF = { U_O: 1, U_o: 2, B_O: 3, B_o: 4, B_m: 5, G_sort: 6, G_format: 7 } as const;

export const HEAD = { SINGLE: 0, NONE: 1, MULTI: 2 } as const;

/** Everything the options decide. */
export interface PsOptions {
  allProcesses: boolean;
  bsdC: boolean;
  bsdE: boolean;
  /** '' none, 'b' BSD f, 'g' --forest, 'u' -H. */
  forestType: string;
  formatList: FormatNode[];
  sortList: SortNode[];
  headerType: number;
  includeDead: boolean;
  negate: boolean;
  runningOnly: boolean;
  screenCols: number;
  screenRows: number;
  selection: Selection[];
  selectBits: number;
  simpleSelect: number;
  threadFlags: number;
  unixF: boolean;
  userIsNumber: boolean;
  wchanIsNumber: boolean;
  cachedTty: number;
  cachedEuid: number;
  /** ptools: print rows as JSON. */
  json: boolean;
}

/**
 * The options this parser's switches accept, as data (for completion; a test
 * sweeps the parser to keep it true). UNIX options as a getopt-style string
 * ('o:' takes an argument; -x needs a personality and is left out); BSD
 * options are bare letters; GNU long options with whether they take a value.
 */
export const UNIX_OPTIONS = 'AC:FG:HLMNO:PTU:VZacdefg:jlmo:p:q:s:t:u:wy';
export const BSD_OPTIONS = 'HLMOSTUVXZacefghjklmnopqrstuvwx';
export const GNU_OPTIONS: ReadonlyArray<{ readonly name: string; readonly has: 'none' | 'required' | 'optional' }> = [
  ...['Group', 'User', 'cols', 'columns', 'width', 'format', 'group', 'pid', 'ppid', 'quick-pid', 'rows', 'lines', 'sid', 'sort', 'tty', 'user']
    .map((name) => ({ name, has: 'required' as const })),
  { name: 'help', has: 'optional' },
  ...['cumulative', 'deselect', 'no-headers', 'headers', 'forest', 'info', 'version', 'context', JSON_OPTION.name].map((name) => ({ name, has: 'none' as const })),
];

/** Something that ends the run during parsing (help, version, L...). */
export class ParseExit {
  constructor(
    readonly kind: 'help' | 'version' | 'list' | 'info',
    readonly arg: string | null = null,
  ) {}
}

/** A failed parse: procps's message (printed as "error: ..." with the usage). */
export class ParseFailure {
  constructor(readonly message: string) {}
}

export interface ParseEnv {
  env: NodeJS.ProcessEnv;
  /** Terminal width when known (COLUMNS or the tty's), else undefined. */
  columns: number | undefined;
  rows: number | undefined;
  isTTY: boolean;
  cachedTty: number;
  cachedEuid: number;
}

interface State {
  allProcesses: boolean;
  bsdC: boolean;
  bsdE: boolean;
  forestType: string;
  formatFlags: number;
  formatModifiers: number;
  formatList: FormatNode[];
  sortList: SortNode[];
  headerType: number;
  includeDead: boolean;
  negate: boolean;
  runningOnly: boolean;
  screenCols: number;
  screenRows: number;
  selection: Selection[];
  simpleSelect: number;
  threadFlags: number;
  unixF: boolean;
  userIsNumber: boolean;
  wchanIsNumber: boolean;
  preferBsdDefaults: boolean;
  personality: number;
  bsdFormats: { j: string; l: string; s: string; u: string; v: string };
  sysvFormats: { f: string | null; fl: string | null; j: string | null; l: string | null };
  sf: { arg: string; code: number }[];
  json: boolean;
  wCount: number;
  selectBits: number;
}

function screenSize(pe: ParseEnv): { cols: number; rows: number } {
  let cols = pe.isTTY ? 80 : OUTBUF_SIZE;
  if (pe.columns !== undefined && pe.columns > 0 && pe.columns < OUTBUF_SIZE) cols = pe.columns;
  let rows = 24;
  if (pe.rows !== undefined && pe.rows > 0 && pe.rows < OUTBUF_SIZE) rows = pe.rows;
  return { cols, rows };
}

function personalityOf(st: State, env: NodeJS.ProcessEnv): void {
  st.personality = 0;
  st.preferBsdDefaults = false;
  st.bsdFormats = { j: 'OL_j', l: 'OL_l', s: 'OL_s', u: 'OL_u', v: 'OL_v' };
  st.sysvFormats = { f: null, fl: null, j: null, l: null };
  let s = env.PS_PERSONALITY || env.CMD_ENV || 'unknown';
  if (env.I_WANT_A_BROKEN_PS) s = 'old';
  if (s.length > 15) return;
  const fb = (): void => {
    st.bsdFormats = { j: 'FB_j', l: 'FB_l', s: st.bsdFormats.s, u: 'FB_u', v: 'FB_v' };
  };
  switch (s.toLowerCase()) {
    case 'bsd':
      st.personality = PER.FORCE_BSD | PER.BSD_h | PER.BSD_m;
      st.preferBsdDefaults = true;
      fb();
      break;
    case 'old':
      st.personality = PER.FORCE_BSD | PER.OLD_m;
      st.preferBsdDefaults = true;
      break;
    case 'debian':
    case 'gnu':
      st.personality = PER.GOOD_o | PER.OLD_m;
      st.preferBsdDefaults = true;
      st.sysvFormats = { f: 'RD_f', fl: null, j: 'RD_j', l: 'RD_l' };
      break;
    case 'linux':
      st.personality = PER.GOOD_o | PER.ZAP_ADDR | PER.SANE_USER;
      break;
    case 'aix':
      fb();
      break;
    case 'tru64':
    case 'compaq':
    case 'digital':
      st.personality = PER.GOOD_o | PER.BSD_h;
      st.preferBsdDefaults = true;
      st.sysvFormats = { f: 'F5FMT', fl: 'FL5FMT', j: 'JFMT', l: 'L5FMT' };
      st.bsdFormats = { j: 'JFMT', l: 'LFMT', s: 'SFMT', u: 'UFMT', v: 'VFMT' };
      break;
    case 'sunos4':
      st.personality = PER.NO_DEFAULT_g;
      st.preferBsdDefaults = true;
      fb();
      break;
    case 'irix':
    case 'sgi': {
      const x = env._XPG;
      if (x && x[0]! > '0' && x[0]! <= '9') break;
      st.personality = PER.IRIX_l;
      break;
    }
    case 'os390':
    case 's390':
    case '390':
      st.sysvFormats.j = 'J390';
      break;
    case 'hp':
    case 'hpux':
      st.personality = PER.HPUX_x;
      break;
    case 'svr4':
    case 'sysv':
    case 'sco':
      st.personality = PER.SVR4_x;
      break;
    default:
      break;
  }
}

function freshState(pe: ParseEnv): State {
  const { cols, rows } = screenSize(pe);
  const st = {
    allProcesses: false,
    bsdC: false,
    bsdE: false,
    forestType: '',
    formatFlags: 0,
    formatModifiers: 0,
    formatList: [],
    sortList: [],
    headerType: HEAD.SINGLE,
    includeDead: false,
    negate: false,
    runningOnly: false,
    screenCols: cols,
    screenRows: rows,
    selection: [],
    simpleSelect: 0,
    threadFlags: 0,
    unixF: false,
    userIsNumber: false,
    wchanIsNumber: false,
    sf: [],
    json: false,
    wCount: 0,
    selectBits: 0,
  } as unknown as State;
  personalityOf(st, pe.env);
  return st;
}

// ------------------------------------------------------------ lists

interface Num {
  value: number;
  rest: string;
}

/** C's strtoul(s, &end, 0): leading blanks, a sign, 0x/0 prefixes; negative numbers wrap. */
export function strtoul(s: string): Num {
  const m = /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s);
  if (!m) return { value: 0, rest: s };
  const body = m[2]!;
  let v = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : Number(body);
  if (m[1] === '-' && v !== 0) v = 2 ** 64 - v;
  return { value: v, rest: s.slice(m[0].length) };
}

function parsePid(s: string): number | ParseFailure {
  const n = strtoul(s);
  if (n.rest !== '') return new ParseFailure('process ID list syntax error');
  if (n.value < 1 || n.value > 0x7fffffff) return new ParseFailure('process ID out of range');
  return n.value;
}

function parseUid(st: State, s: string): number | ParseFailure {
  const n = strtoul(s);
  let v = n.value;
  if (n.rest !== '') {
    const u = uidOfName(s);
    if (u === null) {
      if (!st.negate) return new ParseFailure('user name does not exist');
      v = 0xffffffff;
    } else v = u;
  }
  if (!st.negate && v > 0xfffffffe) return new ParseFailure('user ID out of range');
  return v % 2 ** 32;
}

function parseGid(st: State, s: string): number | ParseFailure {
  const n = strtoul(s);
  let v = n.value;
  if (n.rest !== '') {
    const g = gidOfName(s);
    if (g === null) {
      if (!st.negate) return new ParseFailure('group name does not exist');
      v = 0xffffffff;
    } else v = g;
  }
  if (!st.negate && v > 0xfffffffe) return new ParseFailure('group ID out of range');
  return v % 2 ** 32;
}

function parseTty(s: string): number | ParseFailure {
  const r = lookupTerminal(s);
  if (r === 'not-found') return new ParseFailure('TTY could not be found');
  if (r === 'not-tty') return new ParseFailure('list member was not a TTY');
  return r;
}

/** A selection list: items separated by blanks, commas or tabs (no empty items, no trailing separator). */
function parseList(arg: string, fn: (s: string) => number | string | ParseFailure, type: number): Selection | ParseFailure {
  let need = true;
  for (let i = 0; i === 0 || i < arg.length; i++) {
    const ch = arg[i] ?? '\0';
    if (ch === ' ' || ch === ',' || ch === '\t' || ch === '\0') {
      if (need) return new ParseFailure('improper list');
      need = true;
    } else need = false;
  }
  if (need) return new ParseFailure('improper list');
  const values: (number | string)[] = [];
  for (const item of arg.split(/[ ,\t]/)) {
    const v = fn(item);
    if (v instanceof ParseFailure) return v;
    values.push(v);
  }
  return { type, values };
}

// ------------------------------------------------------------ the parser

class Parser {
  st: State;
  thisarg = -1;
  /** Current option text and the index of the flag being read. */
  cur = '';
  at = 0;
  forceBsd = false;

  constructor(
    private readonly argv: readonly string[],
    private readonly pe: ParseEnv,
  ) {
    this.st = freshState(pe);
  }

  private exclusive(x: string): ParseFailure | null {
    if (this.argv.length !== 1 || this.argv[0] !== x) return new ParseFailure(`the option is exclusive: ${x}`);
    return null;
  }

  /** "-Oppid" or "-O ppid": the rest of this argument, else the next one (if not empty). */
  private optArg(): string | null {
    if (this.at + 1 < this.cur.length) {
      const r = this.cur.slice(this.at + 1);
      this.at = this.cur.length - 1;
      return r;
    }
    if (this.thisarg + 1 >= this.argv.length) return null;
    if (this.argv[this.thisarg + 1] === '') return null;
    return this.argv[++this.thisarg]!;
  }

  private addList(arg: string, fn: (s: string) => number | string | ParseFailure, type: number): ParseFailure | null {
    const r = parseList(arg, fn, type);
    if (r instanceof ParseFailure) return r;
    this.st.selection.push(r);
    return null;
  }

  /** An option whose argument is a list (-p 1,2 / p 1,2): `missing` is procps's message when none follows. */
  private listOpt(missing: string, fn: (s: string) => number | string | ParseFailure, type: number): ParseFailure | null {
    const arg = this.optArg();
    if (!arg) return new ParseFailure(missing);
    return this.addList(arg, fn, type);
  }

  private sysv(): ParseFailure | null {
    const st = this.st;
    const pid = (s: string): number | ParseFailure => parsePid(s);
    const uid = (s: string): number | ParseFailure => parseUid(st, s);
    const gid = (s: string): number | ParseFailure => parseGid(st, s);
    for (this.at = 1; this.at < this.cur.length; this.at++) {
      const c = this.cur[this.at]!;
      let arg: string | null;
      switch (c) {
        case 'A':
        case 'e':
          st.allProcesses = true;
          break;
        case 'C':
          return this.listOpt('list of command names must follow -C', (s) => s.slice(0, 63), SEL.COMM);
        case 'F':
          st.formatModifiers |= FM.F;
          st.formatFlags |= FF.Uf;
          st.unixF = true;
          break;
        case 'G':
          return this.listOpt('list of real groups must follow -G', gid, SEL.RGID);
        case 'H':
          st.forestType = 'u';
          break;
        case 'L':
          st.threadFlags |= TF.U_L;
          break;
        case 'M':
        case 'Z':
          st.formatModifiers |= FM.M;
          break;
        case 'N':
          st.negate = true;
          break;
        case 'O':
          arg = this.optArg();
          if (!arg) return new ParseFailure('format or sort specification must follow -O');
          st.sf.push({ arg, code: SF.U_O });
          return null;
        case 'P':
          st.formatModifiers |= FM.P;
          break;
        case 'T':
          st.threadFlags |= TF.U_T;
          break;
        case 'U':
          return this.listOpt('list of real users must follow -U', uid, SEL.RUID);
        case 'V': {
          const e = this.exclusive('-V');
          if (e) return e;
          throw new ParseExit('version');
        }
        case 'a':
          st.simpleSelect |= SS.U_a;
          break;
        case 'c':
          st.formatModifiers |= FM.c;
          break;
        case 'd':
          st.simpleSelect |= SS.U_d;
          break;
        case 'f':
          st.formatFlags |= FF.Uf;
          st.unixF = true;
          break;
        case 'g': {
          arg = this.optArg();
          if (!arg) return new ParseFailure('list of session leaders OR effective group names must follow -g');
          if (!this.addList(arg, pid, SEL.SESS)) return null;
          if (!this.addList(arg, gid, SEL.EGID)) return null;
          return new ParseFailure('list of session leaders OR effective group IDs was invalid');
        }
        case 'j':
          if (st.sysvFormats.j) st.formatFlags |= FF.Uj;
          else st.formatModifiers |= FM.j;
          break;
        case 'l':
          st.formatFlags |= FF.Ul;
          break;
        case 'm':
          st.threadFlags |= TF.U_m;
          break;
        case 'o':
          arg = this.optArg();
          if (!arg) return new ParseFailure('format specification must follow -o');
          st.sf.push({ arg, code: SF.U_o });
          return null;
        case 'p':
          return this.listOpt('list of process IDs must follow -p', pid, SEL.PID);
        case 'q':
          return this.listOpt('List of process IDs must follow -q.', pid, SEL.PID_QUICK);
        case 's':
          return this.listOpt('list of session IDs must follow -s', pid, SEL.SESS);
        case 't':
          return this.listOpt('list of terminals (pty, tty...) must follow -t', parseTty, SEL.TTY);
        case 'u':
          return this.listOpt('list of users must follow -u', uid, SEL.EUID);
        case 'w':
          st.wCount++;
          break;
        case 'x':
          if (st.personality & PER.SVR4_x) {
            st.formatModifiers |= FM.y;
            break;
          }
          if (st.personality & PER.HPUX_x) {
            st.wCount += 2;
            st.unixF = true;
            break;
          }
          return new ParseFailure('must set personality to get -x option');
        case 'y':
          st.formatModifiers |= FM.y;
          break;
        case '-':
          return new ParseFailure("embedded '-' among SysV options makes no sense");
        default:
          return new ParseFailure('unsupported SysV option');
      }
    }
    return null;
  }

  private ourTty(): void {
    this.st.selection.push({ type: SEL.TTY, values: [this.pe.cachedTty] });
  }

  private bsd(): ParseFailure | null {
    const st = this.st;
    if (this.cur[0] === '-') {
      if (!this.forceBsd) return new ParseFailure('cannot happen - problem #1');
      this.at = 1;
    } else {
      if (st.personality & PER.FORCE_BSD) {
        if (!this.forceBsd) return new ParseFailure('cannot happen - problem #2');
      } else if (this.forceBsd) return new ParseFailure('second chance parse failed, not BSD or SysV');
      this.at = 0;
    }
    const uid = (s: string): number | ParseFailure => parseUid(st, s);
    for (; this.at < this.cur.length; this.at++) {
      const c = this.cur[this.at]!;
      let arg: string | null;
      if (c >= '0' && c <= '9') return this.addList(this.cur.slice(this.at), parsePid, SEL.PID);
      switch (c) {
        case 'H':
          st.threadFlags |= TF.B_H;
          break;
        case 'L': {
          const e = this.exclusive('L');
          if (e) return e;
          throw new ParseExit('list');
        }
        case 'M':
          st.threadFlags |= TF.B_m;
          break;
        case 'O':
          arg = this.optArg();
          if (!arg) return new ParseFailure('format or sort specification must follow O');
          st.sf.push({ arg, code: SF.B_O });
          return null;
        case 'S':
          st.includeDead = true;
          break;
        case 'T':
          this.ourTty();
          break;
        case 'U':
          return this.listOpt('list of users must follow U', uid, SEL.EUID);
        case 'V': {
          const e = this.exclusive('V');
          if (e) return e;
          throw new ParseExit('version');
        }
        case 'W':
          return new ParseFailure('obsolete W option not supported (you have a /dev/drum?)');
        case 'X':
          st.formatFlags |= FF.LX;
          break;
        case 'Z':
          st.formatModifiers |= FM.M;
          break;
        case 'a':
          st.simpleSelect |= SS.B_a;
          break;
        case 'c':
          st.bsdC = true;
          break;
        case 'e':
          st.bsdE = true;
          break;
        case 'f':
          st.forestType = 'b';
          break;
        case 'g':
          st.simpleSelect |= SS.B_g;
          break;
        case 'h':
          if (st.headerType) return new ParseFailure('only one heading option may be specified');
          st.headerType = st.personality & PER.BSD_h ? HEAD.MULTI : HEAD.NONE;
          break;
        case 'j':
          st.formatFlags |= FF.Bj;
          break;
        case 'k':
          arg = this.optArg();
          if (!arg) return new ParseFailure("long sort specification must follow 'k'");
          st.sf.push({ arg, code: SF.G_sort });
          return null;
        case 'l':
          st.formatFlags |= FF.Bl;
          break;
        case 'm':
          if (st.personality & PER.OLD_m) {
            st.formatFlags |= FF.Lm;
            break;
          }
          if (st.personality & PER.BSD_m) {
            st.sf.push({ arg: 'pmem', code: SF.B_m });
            break;
          }
          st.threadFlags |= TF.B_m;
          break;
        case 'n':
          st.wchanIsNumber = true;
          st.userIsNumber = true;
          break;
        case 'o':
          arg = this.optArg();
          if (!arg) return new ParseFailure('format specification must follow o');
          st.sf.push({ arg, code: SF.B_o });
          return null;
        case 'p':
          return this.listOpt('list of process IDs must follow p', parsePid, SEL.PID);
        case 'q':
          return this.listOpt('List of process IDs must follow q.', parsePid, SEL.PID_QUICK);
        case 'r':
          st.runningOnly = true;
          break;
        case 's':
          st.formatFlags |= FF.Bs;
          break;
        case 't':
          arg = this.optArg();
          if (!arg) {
            this.ourTty();
            return null;
          }
          return this.addList(arg, parseTty, SEL.TTY);
        case 'u':
          st.formatFlags |= FF.Bu;
          break;
        case 'v':
          st.formatFlags |= FF.Bv;
          break;
        case 'w':
          st.wCount++;
          break;
        case 'x':
          st.simpleSelect |= SS.B_x;
          break;
        case '-':
          return new ParseFailure("embedded '-' among BSD options makes no sense");
        default:
          return new ParseFailure('unsupported option (BSD syntax)');
      }
    }
    return null;
  }

  /** --name=value, --name:value or --name value. */
  private gnuArg(rest: string): string | null {
    if (rest[0] === '=' || rest[0] === ':') return rest.length > 1 ? rest.slice(1) : null;
    if (rest !== '') return null;
    if (this.thisarg + 1 >= this.argv.length) return null;
    if (this.argv[this.thisarg + 1] === '') return null;
    return this.argv[++this.thisarg]!;
  }

  private gnu(): ParseFailure | null {
    const st = this.st;
    const s = this.cur.slice(2);
    const m = /^[^:=]*/.exec(s)![0];
    if (m.length > 15) return new ParseFailure('unknown gnu long option');
    const rest = s.slice(m.length);
    const pid = (x: string): number | ParseFailure => parsePid(x);
    const num = (what: string): ParseFailure | number => {
      const a = this.gnuArg(rest);
      if (a) {
        const n = strtoul(a);
        if (n.rest === '' && n.value > 0 && n.value < 2000000000) return n.value;
      }
      return new ParseFailure(what);
    };
    const noArg = (msg: string): ParseFailure | null => (rest ? new ParseFailure(msg) : null);
    switch (m) {
      case 'Group': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of real groups must follow --Group');
        return this.addList(a, (x) => parseGid(st, x), SEL.RGID);
      }
      case 'User': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of real users must follow --User');
        return this.addList(a, (x) => parseUid(st, x), SEL.RUID);
      }
      case 'cols':
      case 'width':
      case 'columns': {
        const v = num('number of columns must follow --cols, --width, or --columns');
        if (v instanceof ParseFailure) return v;
        st.screenCols = v;
        return null;
      }
      case 'cumulative':
        st.includeDead = true;
        return noArg('option --cumulative does not take an argument');
      case 'deselect':
        if (rest) return new ParseFailure('option --deselect does not take an argument');
        st.negate = true;
        return null;
      case 'no-header':
      case 'no-headers':
      case 'no-heading':
      case 'no-headings':
      case 'noheader':
      case 'noheaders':
      case 'noheading':
      case 'noheadings':
        if (rest) return new ParseFailure('option --no-heading does not take an argument');
        if (st.headerType) return new ParseFailure('only one heading option may be specified');
        st.headerType = HEAD.NONE;
        return null;
      case 'header':
      case 'headers':
      case 'heading':
      case 'headings':
        if (rest) return new ParseFailure('option --heading does not take an argument');
        if (st.headerType) return new ParseFailure('only one heading option may be specified');
        st.headerType = HEAD.MULTI;
        return null;
      case 'forest':
        if (rest) return new ParseFailure('option --forest does not take an argument');
        st.forestType = 'g';
        return null;
      case 'format': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('format specification must follow --format');
        st.sf.push({ arg: a, code: SF.G_format });
        return null;
      }
      case 'group': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of effective groups must follow --group');
        return this.addList(a, (x) => parseGid(st, x), SEL.EGID);
      }
      case 'help':
        throw new ParseExit('help', this.gnuArg(rest));
      case 'info': {
        const e = this.exclusive('--info');
        if (e) return e;
        throw new ParseExit('info');
      }
      case 'pid': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of process IDs must follow --pid');
        return this.addList(a, pid, SEL.PID);
      }
      case 'quick-pid': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('List of process IDs must follow --quick-pid.');
        return this.addList(a, pid, SEL.PID_QUICK);
      }
      case 'ppid': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of process IDs must follow --ppid');
        return this.addList(a, pid, SEL.PPID);
      }
      case 'rows':
      case 'lines': {
        const v = num('number of rows must follow --rows or --lines');
        if (v instanceof ParseFailure) return v;
        st.screenRows = v;
        return null;
      }
      case 'sid': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('some sid thing(s) must follow --sid');
        return this.addList(a, pid, SEL.SESS);
      }
      case 'sort': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('long sort specification must follow --sort');
        st.sf.push({ arg: a, code: SF.G_sort });
        return null;
      }
      case 'tty': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of ttys must follow --tty');
        return this.addList(a, parseTty, SEL.TTY);
      }
      case 'user': {
        const a = this.gnuArg(rest);
        if (!a) return new ParseFailure('list of effective users must follow --user');
        return this.addList(a, (x) => parseUid(st, x), SEL.EUID);
      }
      case 'version': {
        const e = this.exclusive('--version');
        if (e) return e;
        throw new ParseExit('version');
      }
      case 'context':
        st.formatFlags |= FF.Fc;
        return null;
      case JSON_OPTION.name:
        // ptools: rows as a JSON array.
        if (rest) return new ParseFailure('option --json does not take an argument');
        st.json = true;
        return null;
      default:
        return new ParseFailure('unknown gnu long option');
    }
  }

  /** Everything from here on is a pid (123), a process group (-123) or a session (+123). */
  private trailingPids(): ParseFailure | null {
    const pids: number[] = [];
    const grps: number[] = [];
    const sids: number[] = [];
    const args = this.argv.slice(this.thisarg);
    this.thisarg = this.argv.length - 1;
    for (const data of args) {
      let v: number | ParseFailure;
      if (data[0] === '-') {
        v = parsePid(data.slice(1));
        if (!(v instanceof ParseFailure)) grps.push(v);
      } else if (data[0] === '+') {
        v = parsePid(data.slice(1));
        if (!(v instanceof ParseFailure)) sids.push(v);
      } else {
        v = parsePid(data);
        if (!(v instanceof ParseFailure)) pids.push(v);
      }
      if (v instanceof ParseFailure) return v;
    }
    if (pids.length) this.st.selection.push({ type: SEL.PID, values: pids });
    if (grps.length) this.st.selection.push({ type: SEL.PGRP, values: grps });
    if (sids.length) this.st.selection.push({ type: SEL.SESS, values: sids });
    return null;
  }

  private argType(s: string): 'gnu' | 'end' | 'pgrp' | 'sysv' | 'pid' | 'bsd' | 'fail' | 'sess' {
    const letter = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z]/.test(c);
    const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
    if (letter(s[0])) return 'bsd';
    if (digit(s[0])) return 'pid';
    if (s[0] === '+') return 'sess';
    if (s[0] !== '-') return 'fail';
    if (letter(s[1])) return 'sysv';
    if (digit(s[1])) return 'pgrp';
    if (s[1] !== '-') return 'fail';
    if (letter(s[2])) return 'gnu';
    if (s[2] === undefined) return 'end';
    return 'fail';
  }

  allOptions(): ParseFailure | null {
    while (++this.thisarg < this.argv.length) {
      this.cur = this.argv[this.thisarg]!;
      const at = this.argType(this.cur);
      let err: ParseFailure | null;
      switch (at) {
        case 'gnu':
          err = this.gnu();
          break;
        case 'sysv':
          if (!this.forceBsd) {
            err = this.sysv();
            break;
          }
          this.st.preferBsdDefaults = true;
          err = this.bsd();
          break;
        case 'bsd':
          if (this.forceBsd && !(this.st.personality & PER.FORCE_BSD)) return new ParseFailure('way bad');
          this.st.preferBsdDefaults = true;
          err = this.bsd();
          break;
        case 'pgrp':
        case 'sess':
        case 'pid':
          this.st.preferBsdDefaults = true;
          err = this.trailingPids();
          break;
        default:
          return new ParseFailure('garbage option');
      }
      if (err) return err;
    }
    return null;
  }

  threadCheck(): ParseFailure | null {
    const st = this.st;
    if (!st.threadFlags) {
      st.threadFlags = TF.show_proc;
      return null;
    }
    if (st.forestType) return new ParseFailure('thread display conflicts with forest display');
    if (st.threadFlags & TF.B_H && st.threadFlags & (TF.B_m | TF.U_m)) return new ParseFailure("thread flags conflict; can't use H with m or -m");
    if (st.threadFlags & TF.B_m && st.threadFlags & TF.U_m) return new ParseFailure("thread flags conflict; can't use both m and -m");
    if (st.threadFlags & TF.U_L && st.threadFlags & TF.U_T) return new ParseFailure("thread flags conflict; can't use both -L and -T");
    if (st.threadFlags & TF.B_H) st.threadFlags |= TF.show_proc | TF.loose_tasks;
    if (st.threadFlags & (TF.B_m | TF.U_m)) st.threadFlags |= TF.show_proc | TF.show_task | TF.show_both;
    if (st.threadFlags & (TF.U_T | TF.U_L)) {
      if (st.threadFlags & (TF.B_m | TF.U_m | TF.B_H)) st.threadFlags |= TF.must_use;
      else st.threadFlags |= TF.show_task;
    }
    return null;
  }

  /** -O / O: the user's columns wrapped in "pid" and the default trailer. */
  private oWrap(nodes: FormatNode[], bsd: boolean): FormatNode[] {
    return [...mustSpec('pid'), ...nodes, ...mustSpec(bsd ? 'END_BSD' : 'END_SYS5')];
  }

  sfOptions(): ParseFailure | null {
    const st = this.st;
    let parsedSort = false;
    let parsedFormat = false;
    const haveGnuSort = st.sf.some((x) => x.code === SF.G_sort);
    for (const node of st.sf) {
      switch (node.code) {
        case SF.B_o:
        case SF.G_format:
        case SF.U_o: {
          const r = formatParse(node.arg);
          if (typeof r === 'string') return new ParseFailure(r);
          st.formatList.push(...r);
          parsedFormat = true;
          break;
        }
        case SF.U_O: {
          if (parsedFormat) return new ParseFailure('option -O can not follow other format options');
          const r = formatParse(node.arg);
          if (typeof r === 'string') return new ParseFailure(r);
          parsedFormat = true;
          st.formatList.push(...this.oWrap(r, false));
          break;
        }
        case SF.B_O: {
          let err: string | null;
          if (haveGnuSort || parsedSort) err = 'multiple sort options';
          else err = verifyShortSort(node.arg, st.forestType !== '');
          if (!err) {
            st.sortList = shortSortParse(node.arg);
            parsedSort = true;
            break;
          }
          if (parsedFormat) return new ParseFailure('option O is neither first format nor sort order');
          const r = formatParse(node.arg);
          if (typeof r !== 'string') {
            parsedFormat = true;
            st.formatList.push(...this.oWrap(r, true));
            break;
          }
          return new ParseFailure(err);
        }
        case SF.G_sort:
        case SF.B_m: {
          if (parsedSort) return new ParseFailure('multiple sort options');
          const r = longSortParse(node.arg);
          parsedSort = true;
          if (typeof r === 'string') return new ParseFailure(r);
          st.sortList = r;
          break;
        }
        default:
          break;
      }
    }
    if (st.sortList.length && st.threadFlags & TF.no_sort) return new ParseFailure('tell <procps@freelists.org> what you expected');

    if (!st.formatFlags && !st.formatModifiers && !st.formatList.length) {
      const tmp = this.pe.env.PS_FORMAT;
      if (tmp) {
        if (st.threadFlags & TF.must_use) return new ParseFailure('tell <procps@freelists.org> what you want (-L/-T, -m/m/H, and $PS_FORMAT)');
        const r = formatParse(tmp);
        if (typeof r !== 'string') {
          st.formatList = r;
          return null;
        }
        this.warnings.push(`warning: $PS_FORMAT ignored. (${r})\n`);
      }
    }

    if (st.formatList.length) {
      if (st.formatFlags) return new ParseFailure('conflicting format options');
      if (st.formatModifiers) return new ParseFailure('can not use output modifiers with user-defined output');
      if (st.threadFlags & TF.must_use) return new ParseFailure('-L/-T with H/m/-m and -o/-O/o/O is nonsense');
      return null;
    }

    let spec: string | null;
    switch (st.formatFlags) {
      case 0: spec = null; break;
      case FF.Uf | FF.Ul: spec = st.sysvFormats.fl; break;
      case FF.Uf: spec = st.sysvFormats.f; break;
      case FF.Ul: spec = st.sysvFormats.l; break;
      case FF.Uj: spec = st.sysvFormats.j; break;
      case FF.Uj | FF.Ul: spec = 'RD_lj'; break;
      case FF.Uj | FF.Uf: spec = 'RD_fj'; break;
      case FF.Bj: spec = st.bsdFormats.j; break;
      case FF.Bl: spec = st.bsdFormats.l; break;
      case FF.Bs: spec = st.bsdFormats.s; break;
      case FF.Bu: spec = st.bsdFormats.u; break;
      case FF.Bv: spec = st.bsdFormats.v; break;
      case FF.LX: spec = 'OL_X'; break;
      case FF.Lm: spec = 'OL_m'; break;
      case FF.Fc: spec = 'FLASK_context'; break;
      default: return new ParseFailure('conflicting format options');
    }
    if (!spec) return this.sysvList();
    st.formatList = mustSpec(spec);
    return this.modifiers();
  }

  warnings: string[] = [];

  private addAfter(name: string, nodes: FormatNode[]): boolean {
    const i = this.st.formatList.findIndex((n) => n.name === name);
    if (i < 0) return false;
    this.st.formatList.splice(i + 1, 0, ...nodes);
    return true;
  }

  private del(name: string): boolean {
    const i = this.st.formatList.findIndex((n) => n.name === name);
    if (i < 0) return false;
    this.st.formatList.splice(i, 1);
    return true;
  }

  /** Output modifiers (-j -y -c -T -L -M, personality fixes) applied to a named format. */
  private modifiers(): ParseFailure | null {
    const st = this.st;
    if (st.formatModifiers & FM.j) {
      if (!this.addAfter('PPID', mustSpec('pgid')) && !this.addAfter('PID', mustSpec('pgid'))) return new ParseFailure('internal error: no PID or PPID for -j option');
      if (!this.addAfter('PGID', mustSpec('sid'))) return new ParseFailure('lost my PGID');
    }
    if (st.formatModifiers & FM.y) {
      this.del('F');
      if (this.addAfter('ADDR', mustSpec('rss'))) this.del('ADDR');
    }
    if (st.formatModifiers & FM.c) {
      this.del('%CPU');
      this.del('CPU');
      this.del('CP');
      this.del('C');
      this.del('NI');
      if (!this.addAfter('PRI', mustSpec('class'))) return new ParseFailure('internal error: no PRI for -c option');
      this.del('PRI');
      if (!this.addAfter('CLS', mustSpec('pri'))) return new ParseFailure('lost my CLS');
    }
    if (st.threadFlags & TF.U_T) {
      if (!this.addAfter('PID', mustSpec('spid')) && st.threadFlags & TF.must_use) return new ParseFailure('-T with H/-m/m but no PID for SPID to follow');
    }
    if (st.threadFlags & TF.U_L) {
      const lwp = mustSpec('lwp');
      if (!['SID', 'SESS', 'PGID', 'PGRP', 'PPID', 'PID'].some((h) => this.addAfter(h, lwp)) && st.threadFlags & TF.must_use) {
        return new ParseFailure('-L with H/-m/m but no PID/PGID/SID/SESS for NLWP to follow');
      }
      this.addAfter('%CPU', mustSpec('nlwp'));
    }
    if (st.formatModifiers & FM.M) st.formatList.unshift(...mustSpec('label'));
    if (st.personality & PER.ZAP_ADDR && st.formatFlags & FF.Ul) {
      if (this.addAfter('ADDR', mustSpec('sgi_p'))) this.del('ADDR');
    }
    if (st.personality & PER.SANE_USER && st.formatFlags & FF.Uf) {
      if (this.addAfter('UID', mustSpec('user'))) this.del('UID');
    }
    return null;
  }

  /** The UNIX default, -f, -l, -F, -y, -c, -j, -L, -T... columns, built as procps builds them. */
  private sysvList(): ParseFailure | null {
    const st = this.st;
    const ff = st.formatFlags;
    const fm = st.formatModifiers;
    if (fm & FM.y && !(ff & FF.Ul)) return new ParseFailure('modifier -y without format -l makes no sense');
    const out: FormatNode[] = [];
    // Built from the right (last column first), as procps does.
    const push = (spec: string): void => {
      out.unshift(...mustSpec(spec));
    };
    if (st.preferBsdDefaults) {
      push(ff ? 'cmd' : 'args');
      push('bsdtime');
      if (!(ff & FF.Ul)) push('stat');
    } else {
      push(ff & FF.Uf ? 'cmd' : 'ucmd');
      push('time');
    }
    push('tname');
    if (ff & FF.Uf) push('stime');
    if (fm & FM.F) {
      if (!(fm & FM.P)) push('psr');
      if (!(ff & FF.Ul && fm & FM.y)) push('rss');
    }
    if (ff & FF.Ul) push('wchan');
    if (ff & FF.Ul && !(fm & FM.y) && st.personality & PER.IRIX_l) {
      push('sgi_rss');
      out.unshift({ spec: '', name: ':', pr: null, width: 1, just: 'A', mask: 'ET', sortItem: 'noop' });
    }
    if (fm & FM.F || ff & FF.Ul) push('sz');
    if (ff & FF.Ul) {
      if (fm & FM.y) push('rss');
      else if (st.personality & (PER.ZAP_ADDR | PER.IRIX_l)) push('sgi_p');
      else push('addr_1');
    }
    if (fm & FM.c) {
      push('pri');
      push('class');
    } else if (ff & FF.Ul) {
      push('ni');
      push(st.personality & PER.IRIX_l ? 'priority' : 'opri');
    }
    if (st.threadFlags & TF.U_L && ff & FF.Uf) push('nlwp');
    if (ff & (FF.Uf | FF.Ul) && !(fm & FM.c)) push('c');
    if (fm & FM.P) push('psr');
    if (st.threadFlags & TF.U_L) push('lwp');
    if (fm & FM.j) {
      push('sid');
      push('pgid');
    }
    if (ff & (FF.Uf | FF.Ul)) push('ppid');
    if (st.threadFlags & TF.U_T) push('spid');
    push('pid');
    if (ff & FF.Uf) push(st.personality & PER.SANE_USER ? 'user' : 'uid_hack');
    else if (ff & FF.Ul) push('uid');
    if (ff & FF.Ul) {
      push('s');
      if (!(fm & FM.y)) push('f');
    }
    if (fm & FM.M) push('label');
    st.formatList = out;
    return null;
  }

  selectBits(): ParseFailure | null {
    const st = this.st;
    if (!st.simpleSelect && !st.preferBsdDefaults) {
      st.selectBits = 0xaa00;
      return null;
    }
    const sw = !(st.personality & PER.NO_DEFAULT_g) && !(st.simpleSelect & (SS.U_a | SS.U_d)) ? st.simpleSelect | SS.B_g : st.simpleSelect;
    switch (sw) {
      case SS.U_a | SS.U_d: st.selectBits = 0x3f3f; break;
      case SS.U_a: st.selectBits = 0x0303; break;
      case SS.U_d: st.selectBits = 0x3333; break;
      case 0: st.selectBits = 0x0202; break;
      case SS.B_a: st.selectBits = 0x0303; break;
      case SS.B_x: st.selectBits = 0x2222; break;
      case SS.B_x | SS.B_a: st.selectBits = 0x3333; break;
      case SS.B_g: st.selectBits = 0x0a0a; break;
      case SS.B_g | SS.B_a: st.selectBits = 0x0f0f; break;
      case SS.B_g | SS.B_x: st.selectBits = 0xaaaa; break;
      case SS.B_g | SS.B_x | SS.B_a:
        st.allProcesses = true;
        st.simpleSelect = 0;
        break;
      default:
        return new ParseFailure('process selection options conflict');
    }
    return null;
  }

  /** One full attempt; the first error, if any. */
  attempt(): ParseFailure | null {
    return this.allOptions() ?? this.threadCheck() ?? this.sfOptions() ?? this.selectBits();
  }

  chooseDimensions(): void {
    const st = this.st;
    if (st.wCount && st.screenCols < 132) st.screenCols = 132;
    if (st.wCount > 1) st.screenCols = OUTBUF_SIZE;
  }
}

export interface ParseResult {
  options: PsOptions;
  /** Warnings for stderr (screen size, $PS_FORMAT). */
  warnings: string[];
}

function finish(p: Parser, pe: ParseEnv): ParseResult {
  p.chooseDimensions();
  const st = p.st;
  const warnings = [...p.warnings];
  if (st.screenCols < 9 || st.screenRows < 2) warnings.unshift(`your ${st.screenCols}x${st.screenRows} screen size is bogus. expect trouble\n`);
  return {
    warnings,
    options: {
      allProcesses: st.allProcesses,
      bsdC: st.bsdC,
      bsdE: st.bsdE,
      forestType: st.forestType,
      formatList: st.formatList,
      sortList: st.sortList,
      headerType: st.headerType,
      includeDead: st.includeDead,
      negate: st.negate,
      runningOnly: st.runningOnly,
      screenCols: st.screenCols,
      screenRows: st.screenRows,
      selection: st.selection,
      selectBits: st.selectBits,
      simpleSelect: st.simpleSelect,
      threadFlags: st.threadFlags,
      unixF: st.unixF,
      userIsNumber: st.userIsNumber,
      wchanIsNumber: st.wchanIsNumber,
      cachedTty: pe.cachedTty,
      cachedEuid: pe.cachedEuid,
      json: st.json,
    },
  };
}

/**
 * Parses ps's arguments. Throws ParseExit for --help, --version, L, --info;
 * ParseFailure (with procps's message) when the arguments make no sense.
 */
export function parseArgs(argv: readonly string[], pe: ParseEnv): ParseResult {
  const first = new Parser(argv, pe);
  let err: ParseFailure | null;
  if (!(first.st.personality & PER.FORCE_BSD)) {
    err = first.attempt();
    if (!err) return finish(first, pe);
  } else err = null;
  // Second chance: every dash option read as BSD (ps -aux).
  const second = new Parser(argv, pe);
  second.forceBsd = true;
  second.st.preferBsdDefaults = true;
  if (!((PER.OLD_m | PER.BSD_m) & second.st.personality)) second.st.personality |= PER.OLD_m;
  const err2 = second.attempt();
  if (!err2) return finish(second, pe);
  throw second.st.personality & PER.FORCE_BSD && !err ? err2 : err ?? err2;
}
