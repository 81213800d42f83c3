/**
 * top's command line (procps-ng 4.0.2 parse_args), applied over the toprc as
 * top applies it: glibc getopt_long with top's own repair of optional
 * arguments (GETOPTFIX: any option takes the next word when it does not start
 * with '-', `-n=1` drops the '=', an empty argument takes the next word), its
 * messages and statuses, and `--json`.
 */
import { Getopt, type LongOption } from '../../cli/getopt.js';
import { withJson } from '../../cli/command.js';
import { uidOfName } from '../../core/base/users.js';
import { EU_MAXPFLGS, WINFLAGS as W, type TopOtherFilter, type TopRc } from './toprc.js';
import { FIELDS } from './fields.js';

export const SHORT = 'bcd:E:e:Hhin:Oo:p:SsU:u:Vw::1';
export const LONG: readonly LongOption[] = withJson([
  { name: 'batch-mode', has: 'none', key: 'b' },
  { name: 'cmdline-toggle', has: 'none', key: 'c' },
  { name: 'delay', has: 'required', key: 'd' },
  { name: 'scale-summary-mem', has: 'required', key: 'E' },
  { name: 'scale-task-mem', has: 'required', key: 'e' },
  { name: 'threads-show', has: 'none', key: 'H' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'idle-toggle', has: 'none', key: 'i' },
  { name: 'iterations', has: 'required', key: 'n' },
  { name: 'list-fields', has: 'none', key: 'O' },
  { name: 'sort-override', has: 'required', key: 'o' },
  { name: 'pid', has: 'required', key: 'p' },
  { name: 'accum-time-toggle', has: 'none', key: 'S' },
  { name: 'secure-mode', has: 'none', key: 's' },
  { name: 'filter-any-user', has: 'required', key: 'U' },
  { name: 'filter-only-euser', has: 'required', key: 'u' },
  { name: 'version', has: 'none', key: 'V' },
  { name: 'width', has: 'optional', key: 'w' },
  { name: 'single-cpu-toggle', has: 'none', key: '1' },
]);

/** MONPIDMAX. */
export const PID_LIMIT = 20;
/** SCREENMAX and W_MIN_COL. */
export const SCREENMAX = 512;
export const W_MIN_COL = 3;

/** The user filter of -u/-U: which uid, whether it must match ('!' negates), and which ids count. */
export interface UserFilter {
  readonly uid: number;
  readonly match: boolean;
  /** 'u': the effective uid only; 'U': real, effective, saved or filesystem. */
  readonly kind: 'u' | 'U';
}

/** The settings one run of top works with: the toprc's window, then the command line over it. */
export interface TopSettings {
  batch: boolean;
  json: boolean;
  delay: number;
  /** Frames to show; Infinity when -n is not given. */
  iterations: number;
  /** The current window's flags (Show_*, View_*, Qsrt_NORMAL). */
  winflags: number;
  sortindx: number;
  /** Fields in display order with their on/off state. */
  fields: { id: number; on: boolean }[];
  maxtasks: number;
  doubleUp: number;
  threads: boolean;
  secure: boolean;
  irix: boolean;
  summScale: number;
  taskScale: number;
  zeroSuppress: boolean;
  ticsScaled: number;
  fixedWidest: number;
  /** -w: undefined when not given, -1 for -w without a number, else the width. */
  width: number | undefined;
  pids: number[];
  user: UserFilter | null;
  /** The window's other filters ('o'/'O', saved in the toprc). */
  filters: TopOtherFilter[];
  /** Alternate display ('A'): every window with Show_TASKON gets its own header and rows. */
  altscr: boolean;
  /** The current window (0..3): the one the options change and the summary follows. */
  curwin: number;
  /** All four windows as the toprc saved them (the current one is the fields above). */
  windows: WindowView[];
}

/** One window's task area. */
export interface WindowView {
  /** 1..4 */
  readonly num: number;
  readonly name: string;
  winflags: number;
  sortindx: number;
  fields: { id: number; on: boolean }[];
  maxtasks: number;
  filters: TopOtherFilter[];
  user: UserFilter | null;
}

/** The current window as the command line left it. */
export function currentView(s: TopSettings): WindowView {
  const w = s.windows[s.curwin]!;
  return { num: w.num, name: w.name, winflags: s.winflags, sortindx: s.sortindx, fields: s.fields, maxtasks: s.maxtasks, filters: s.filters, user: s.user };
}

/** The windows a frame shows: the current one, or with 'A' each window whose tasks are on, in window order. */
export function shownViews(s: TopSettings): WindowView[] {
  if (!s.altscr) return [currentView(s)];
  return s.windows.map((w, i) => (i === s.curwin ? currentView(s) : w)).filter((w) => (w.winflags & W.Show_TASKON) !== 0);
}

export type ParseOutcome =
  | { kind: 'run'; settings: TopSettings }
  /** Text on stdout (help, version, field list) and status 0; `batchNewline`: top's exit in batch mode writes one more "\n". */
  | { kind: 'print'; text: string; batchNewline: boolean; version?: boolean }
  /** A message on stderr (already with "top: " or glibc's text) and the status. */
  | { kind: 'fail'; stderr: string; status: number; stdoutNewline: boolean };

/** The settings a toprc (or top's defaults) gives before the command line. */
export function settingsFrom(rc: TopRc): TopSettings {
  const w = rc.windows[rc.curwin] ?? rc.windows[0]!;
  return {
    batch: false,
    json: false,
    delay: rc.delay,
    iterations: Infinity,
    winflags: w.winflags,
    sortindx: w.sortindx,
    fields: w.fields.map((f) => ({ ...f })),
    maxtasks: w.maxtasks,
    doubleUp: w.doubleUp,
    threads: false,
    secure: false,
    irix: rc.modeIrixps === 1,
    summScale: rc.summMscale,
    taskScale: rc.taskMscale,
    zeroSuppress: rc.zeroSuppress === 1,
    ticsScaled: rc.ticsScaled,
    fixedWidest: rc.fixedWidest,
    width: undefined,
    pids: [],
    user: null,
    filters: rc.otherFilters.filter((f) => f.window === rc.curwin),
    altscr: rc.modeAltscr === 1,
    curwin: rc.curwin,
    windows: rc.windows.map((x, i) => ({
      num: i + 1,
      name: x.name,
      winflags: x.winflags,
      sortindx: x.sortindx,
      fields: x.fields.map((f) => ({ ...f })),
      maxtasks: x.maxtasks,
      filters: rc.otherFilters.filter((f) => f.window === i),
      user: null,
    })),
  };
}

/** strtol(s, &ep, 0) of the whole string (C's: blanks and sign first; 0x and 0 prefixes); null when anything is left. */
function strtolWhole(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

/** strtof of the whole string, as mkfloat tries it: then with '.' and ',' swapped at the first bad character. */
function strtofWhole(s: string): number | null {
  const re = /^[ \t\n\v\f\r]*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i;
  const tryOne = (t: string): { v: number; rest: string } | null => {
    const m = re.exec(t);
    if (!m) return null;
    return { v: Number(m[0].trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')), rest: t.slice(m[0].length) };
  };
  const first = tryOne(s);
  if (first && first.rest === '') return Math.fround(first.v);
  // The fallback swaps the separator at the first character strtof stopped at.
  const at = first ? s.length - first.rest.length : 0;
  const c = s[at];
  if (c !== '.' && c !== ',') return null;
  const t = s.slice(0, at) + (c === '.' ? ',' : '.') + s.slice(at + 1);
  const second = tryOne(t);
  return second && second.rest === '' ? Math.fround(second.v) : null;
}

/** mkfloat: a number (a whole one when `whole`), below INT_MAX; null when not. */
export function mkfloat(s: string, whole: boolean): number | null {
  const v = whole ? strtolWhole(s) : strtofWhole(s);
  if (v === null || Number.isNaN(v) || !(Math.fround(v) < 2147483647)) return null;
  return Math.fround(v);
}

/** C's sscanf("%d") of the start of s. */
function scanInt(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : null;
}

function toggle(s: TopSettings, flag: number): void {
  s.winflags ^= flag;
}

/**
 * top's parse_args over `base`. `help(prog)` is HELP_cmdline_fmt's text;
 * `self` is top's own pid (for -p 0).
 */
export function parseTop(argv: readonly string[], base: TopSettings, opts: { prog: string; help: string; version: string; self: number; env: NodeJS.ProcessEnv }): ParseOutcome {
  const s = base;
  const g = new Getopt(argv, { short: SHORT, long: LONG, env: opts.env });
  let tmpDelay: number | undefined;
  const fail = (msg: string): ParseOutcome => ({ kind: 'fail', stderr: `${opts.prog}: ${msg}\n`, status: 1, stdoutNewline: false });
  for (let r = g.next(); r !== null; r = g.next()) {
    if (r.c === '?' || r.c === ':') {
      // top lets getopt speak, then ends as it ends every run: status 0.
      return { kind: 'fail', stderr: `${opts.prog}: ${r.message ?? ''}\n`, status: 0, stdoutNewline: s.batch };
    }
    let cp: string | undefined = r.optarg;
    // GETOPTFIX: the next word, when it is not an option, is this option's argument.
    const next = g.peek();
    if (cp === undefined && next !== undefined && !next.startsWith('-') && g.optind > r.index) {
      cp = next;
      g.skip();
    }
    if (cp !== undefined) {
      if (cp.startsWith('=')) cp = cp.slice(1);
      if (cp === '') {
        cp = g.peek();
        if (cp !== undefined) g.skip();
        else return fail(`-${r.c.length === 1 ? r.c : '?'} argument missing`);
      }
    }
    let consumed = false;
    switch (r.c) {
      case '1':
        if (s.winflags & W.View_CPUNOD) s.winflags &= ~W.View_CPUSUM;
        else toggle(s, W.View_CPUSUM);
        s.winflags &= ~W.View_CPUNOD;
        s.winflags |= W.View_STATES;
        break;
      case 'b':
        s.batch = true;
        break;
      case 'c':
        toggle(s, W.Show_CMDLIN);
        break;
      case 'd': {
        const v = mkfloat(cp!, false);
        if (v === null) return fail(`bad delay interval '${cp}'`);
        if (v < 0) return fail('-d requires positive argument');
        tmpDelay = v;
        consumed = true;
        break;
      }
      case 'E':
      case 'e': {
        const get = r.c === 'E' ? 'kmgtpe' : 'kmgtp';
        const k = cp!.length === 1 ? get.indexOf(cp!.toLowerCase()) : -1;
        if (k < 0 || cp!.length > 1 || cp === '') return fail(`bad memory scaling arg '${cp}'`);
        if (r.c === 'E') s.summScale = k;
        else s.taskScale = k;
        consumed = true;
        break;
      }
      case 'H':
        s.threads = true;
        break;
      case 'h':
        return { kind: 'print', text: `${opts.help}\n`, batchNewline: s.batch };
      case 'i':
        toggle(s, W.Show_IDLEPS);
        s.maxtasks = 0;
        break;
      case 'n': {
        const v = mkfloat(cp!, true);
        if (v === null || v < 1) return fail(`bad iterations argument '${cp}'`);
        s.iterations = Math.trunc(v);
        consumed = true;
        break;
      }
      case 'O':
        return { kind: 'print', text: FIELDS.slice(0, EU_MAXPFLGS).map((f) => `${f.name}\n`).join(''), batchNewline: s.batch };
      case 'o': {
        let name = cp!;
        if (name.startsWith('+')) {
          s.winflags |= W.Qsrt_NORMAL;
          name = name.slice(1);
        } else if (name.startsWith('-')) {
          s.winflags &= ~W.Qsrt_NORMAL;
          name = name.slice(1);
        }
        const f = FIELDS.findIndex((x) => x.name === name);
        if (f < 0) return fail(`unrecognized field name '${name}'`);
        s.winflags &= ~W.Show_FOREST;
        s.sortindx = f;
        consumed = true;
        break;
      }
      case 'p': {
        if (s.user) return fail('conflicting process selections (U/p/u)');
        let rest = cp!;
        for (;;) {
          if (s.pids.length >= PID_LIMIT) return fail(`pid limit (${PID_LIMIT}) exceeded`);
          const pid = scanInt(rest);
          if (pid === null || /[+\-.]/.test(rest)) return fail(`bad pid '${rest}'`);
          const want = pid === 0 ? opts.self : pid;
          if (!s.pids.includes(want)) s.pids.push(want);
          const comma = rest.indexOf(',');
          if (comma < 0) break;
          rest = rest.slice(comma + 1);
          if (rest === '') break;
        }
        consumed = true;
        break;
      }
      case 'S':
        toggle(s, W.Show_CTIMES);
        break;
      case 's':
        s.secure = true;
        break;
      case 'U':
      case 'u': {
        if (s.pids.length || s.user) return fail('conflicting process selections (U/p/u)');
        const f = userFilter(cp!, r.c);
        if (f === 'invalid') return fail('Invalid user');
        s.user = f;
        consumed = true;
        break;
      }
      case 'V':
        return { kind: 'print', text: `${opts.version}\n`, batchNewline: s.batch, version: true };
      case 'w': {
        let v = -1;
        if (cp !== undefined) {
          const n = mkfloat(cp, true);
          if (n === null || n < W_MIN_COL || n > SCREENMAX) return fail(`bad width arg '${cp}'`);
          v = Math.trunc(n);
        }
        s.width = v;
        consumed = true;
        break;
      }
      case 'json':
        s.json = true;
        break;
      default:
        break;
    }
    if (!consumed && cp !== undefined) return fail(`unknown option '${cp}'`);
  }
  const ops = g.operands();
  if (ops.length) return fail(`unknown option '${ops[0]}'`);
  if (tmpDelay !== undefined) {
    if (s.secure) return fail('-d disallowed in "secure" mode');
    s.delay = tmpDelay;
  }
  return { kind: 'run', settings: s };
}

/** user_certify: a name or a number (any uid number is accepted, as top allows foreign users), '!' to exclude; '' selects nothing. */
function userFilter(str: string, kind: string): UserFilter | null | 'invalid' {
  if (str === '') return null;
  let match = true;
  let s = str;
  if (s.startsWith('!')) {
    s = s.slice(1);
    match = false;
  }
  const n = strtoulWhole(s);
  if (n !== null) {
    return { uid: n, match, kind: kind as 'u' | 'U' };
  }
  const uid = uidOfName(s);
  if (uid === null) return 'invalid';
  return { uid, match, kind: kind as 'u' | 'U' };
}

/** strtoul(s, &end, 0) consuming the whole string ('' is 0, as strtoul leaves *end at the start... and top then checks *endp). */
function strtoulWhole(s: string): number | null {
  if (s === '') return 0;
  const v = strtolWhole(s);
  if (v === null) return null;
  return v < 0 ? (v + 2 ** 32) >>> 0 : v >>> 0;
}
