/**
 * who: GNU coreutils 9.1's who(1) as Debian ships it (with --ips), output
 * for output, plus --json.
 *
 * collect() reads utmp (or FILE), the terminals' stat and stdin's tty
 * through the core; toRows() is pure and decides which records show and
 * what each column holds; renderText() is who's print_line(). Times are
 * local (TZ from the environment) in "%b %e %H:%M" under the C locale and
 * "%Y-%m-%d %H:%M" under any other, as coreutils chooses.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { canonicalHost, reverseHost } from '../../core/net/hostnames.js';
import { hardLocale } from '../../core/base/locale.js';
import { readUtmpFile, stdinTty, ttyStat, utmpPidAlive, type TtyStat } from '../../core/system/sessions.js';
import { UT_TYPES, utmpAddrBytes, type UtmpRecord } from '../../core/system/system.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';
import { whoIpText } from './ips.js';
import { quote } from '../../text/quote.js';
import { cMinutes, isoMinutes, localTime } from '../../text/time.js';

// ---------------------------------------------------------------- options

export interface WhoOptions {
  readonly boot: boolean;
  readonly dead: boolean;
  readonly heading: boolean;
  readonly login: boolean;
  readonly initSpawn: boolean;
  readonly count: boolean;
  readonly runlevel: boolean;
  readonly short: boolean;
  readonly clockChange: boolean;
  readonly mesg: boolean;
  readonly users: boolean;
  readonly idle: boolean;
  readonly exit: boolean;
  readonly myLineOnly: boolean;
  readonly lookup: boolean;
  readonly ips: boolean;
  readonly json: boolean;
  /** FILE, or null for the system's utmp (whose dead pids are then dropped). */
  readonly file: string | null;
}

// ---------------------------------------------------------------- data

export interface WhoData {
  readonly records: readonly UtmpRecord[];
  /** time(NULL) when read, whole seconds. */
  readonly now: number;
  /** stat of each user record's terminal, by record index (null: cannot be statted). */
  readonly ttys: ReadonlyMap<number, TtyStat | null>;
  /** stdin's terminal without /dev/ (for -m), null when stdin is not one. */
  readonly stdinTty: string | null;
  /** Canonical names found for hosts (--lookup) and addresses (--ips --lookup); absent: keep as is. */
  readonly resolved: ReadonlyMap<string, string>;
}

/** coreutils' IS_USER_PROCESS: a USER_PROCESS record with a name. */
export function isUserProcess(r: UtmpRecord): boolean {
  return r.type === UT_TYPES.USER_PROCESS && r.user !== '';
}

/** The host part and the X display of ut_host ("box:0" → ["box", "0"]). */
function splitHost(host: string): [string, string | null] {
  const i = host.indexOf(':');
  return i < 0 ? [host, null] : [host.slice(0, i), host.slice(i + 1)];
}

function ipText(r: UtmpRecord): string | null {
  return r.addrV6 === null ? null : whoIpText(utmpAddrBytes(r.addrV6));
}

/** Reads what the options need: records, terminals, stdin's tty, and names for --lookup. */
export async function collect(o: WhoOptions): Promise<WhoData> {
  let records = o.file === null ? readUtmpFile() : readUtmpFile(o.file);
  // gnulib's READ_UTMP_CHECK_PIDS, for the system's utmp only.
  if (o.file === null) records = records.filter((r) => !isUserProcess(r) || utmpPidAlive(r.pid));
  const now = Math.floor(Date.now() / 1000);
  const ttys = new Map<number, TtyStat | null>();
  const resolved = new Map<string, string>();
  const wantUsers = o.users && !o.count;
  if (wantUsers) {
    records.forEach((r, i) => {
      if (isUserProcess(r)) ttys.set(i, ttyStat(r.line));
    });
  }
  if (o.lookup && wantUsers) {
    const lookups: Promise<void>[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      if (!isUserProcess(r)) continue;
      const ip = o.ips ? ipText(r) : null;
      const key = ip !== null ? `ip:${ip}` : `host:${splitHost(r.host)[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (ip !== null) {
        lookups.push(reverseHost(ip).then((n) => void (n !== null && resolved.set(key, n))));
      } else {
        const host = splitHost(r.host)[0];
        if (host !== '') lookups.push(canonicalHost(host).then((n) => void (n !== null && resolved.set(key, n))));
      }
    }
    await Promise.all(lookups);
  }
  return { records, now, ttys, stdinTty: o.myLineOnly ? stdinTty() : null, resolved };
}

// ---------------------------------------------------------------- rows

export type WhoRowType = 'user' | 'boot' | 'runlevel' | 'clock' | 'init' | 'login' | 'dead';

/** One line of who's output: the record's raw facts and the columns as printed. */
export interface WhoRow {
  readonly type: WhoRowType;
  /** The record's ut_user ('' when none). */
  readonly user: string;
  /** The record's ut_line. */
  readonly line: string;
  /** ut_tv in seconds since the epoch (with microseconds). */
  readonly time: number;
  readonly pid: number;
  /** The record's ut_host ('' when none). */
  readonly host: string;
  /** ut_addr_v6 as text, null when zero. */
  readonly addr: string | null;
  /** ut_id. */
  readonly id: string;
  /** Seconds since the terminal's last access; null when it cannot be statted or for non-user rows. */
  readonly idle: number | null;
  /** '+' writable by others, '-' not, '?' terminal not found; null for non-user rows. */
  readonly mesg: '+' | '-' | '?' | null;
  /** Dead processes: ut_exit. */
  readonly exit: { readonly termination: number; readonly status: number } | null;
  /** Run-level records: the current and previous levels (previous null when unprintable). */
  readonly runlevel: { readonly current: string; readonly previous: string | null } | null;
  /** Printed columns. */
  readonly cols: {
    /** ut_tv.tv_sec, which the TIME column shows. */
    readonly seconds: number;
    readonly name: string;
    readonly nameMax: number;
    readonly line: string;
    readonly lineMax: number;
    readonly idle: string;
    readonly pid: string;
    readonly comment: string;
    readonly exit: string;
  };
}

/** coreutils' idle_string(): "  .  " under a minute, "HH:MM" under a day since boot, " old " else. */
export function idleText(when: number, boottime: number, now: number): string {
  if (boottime < when && now - 24 * 60 * 60 < when && when <= now) {
    const idle = now - when;
    if (idle < 60) return '  .  ';
    return `${String(Math.trunc(idle / 3600)).padStart(2, '0')}:${String(Math.trunc((idle % 3600) / 60)).padStart(2, '0')}`;
  }
  return ' old ';
}

function printable(code: number): boolean {
  return code >= 0x20 && code < 0x7f;
}

/** A C char from an int, as printf("%c") writes it (NUL ends the string). */
function cChar(code: number): string {
  return code === 0 ? '' : String.fromCharCode(code);
}

/** Which records who prints for these options, as rows (pure). */
export function toRows(d: WhoData, o: WhoOptions): WhoRow[] {
  const rows: WhoRow[] = [];
  let boottime = -Infinity;
  const mine = (r: UtmpRecord): boolean => !o.myLineOnly || (d.stdinTty !== null && d.stdinTty.slice(0, 32) === r.line);
  if (o.myLineOnly && d.stdinTty === null) return rows;
  d.records.forEach((r, i) => {
    const base = {
      user: r.user,
      line: r.line,
      time: r.tvSec + r.tvUsec / 1e6,
      pid: r.pid,
      host: r.host,
      addr: r.addrV6,
      id: r.id,
      idle: null,
      mesg: null,
      exit: null,
      runlevel: null,
    } as const;
    const plain = { seconds: r.tvSec, name: '', nameMax: -1, line: r.line, lineMax: 32, idle: '', pid: String(r.pid), comment: '', exit: '' };
    if (mine(r)) {
      if (o.users && isUserProcess(r)) {
        const st = d.ttys.get(i) ?? null;
        const lastChange = st ? st.atime : 0;
        const idle = lastChange ? idleText(lastChange, boottime, d.now).slice(0, 6) : '  ?';
        let comment = '';
        const ip = o.ips ? ipText(r) : null;
        if (ip !== null) {
          comment = (o.lookup ? d.resolved.get(`ip:${ip}`) : undefined) ?? ip;
        } else if (r.host !== '') {
          const [h, display] = splitHost(r.host);
          const host = (o.lookup && h !== '' ? d.resolved.get(`host:${h}`) : undefined) ?? h;
          comment = display === null ? `(${host})` : `(${host}:${display})`;
        }
        rows.push({
          ...base,
          type: 'user',
          idle: st ? d.now - st.atime : null,
          mesg: st ? (st.groupWritable ? '+' : '-') : '?',
          cols: { seconds: r.tvSec, name: r.user, nameMax: 32, line: r.line, lineMax: 32, idle, pid: String(r.pid), comment, exit: '' },
        });
      } else if (o.runlevel && r.type === UT_TYPES.RUN_LVL) {
        // ut_pid holds previous × 256 + current, each a character.
        const last = Math.trunc(r.pid / 256) & 0xff;
        const curr = (r.pid % 256) & 0xff;
        const prev = last === 0x4e ? 0x53 : last; // 'N' (none) shows as 'S'
        rows.push({
          ...base,
          type: 'runlevel',
          runlevel: { current: cChar(curr), previous: printable(last) ? String.fromCharCode(prev) : null },
          cols: { ...plain, line: `run-level ${cChar(curr)}`, lineMax: -1, pid: '', comment: printable(last) ? `last=${String.fromCharCode(prev)}` : '' },
        });
      } else if (o.boot && r.type === UT_TYPES.BOOT_TIME) {
        rows.push({ ...base, type: 'boot', cols: { ...plain, line: 'system boot', lineMax: -1, pid: '' } });
      } else if (o.clockChange && r.type === UT_TYPES.NEW_TIME) {
        rows.push({ ...base, type: 'clock', cols: { ...plain, line: 'clock change', lineMax: -1, pid: '' } });
      } else if (o.initSpawn && r.type === UT_TYPES.INIT_PROCESS) {
        rows.push({ ...base, type: 'init', cols: { ...plain, comment: `id=${r.id}` } });
      } else if (o.login && r.type === UT_TYPES.LOGIN_PROCESS) {
        rows.push({ ...base, type: 'login', cols: { ...plain, name: 'LOGIN', comment: `id=${r.id}` } });
      } else if (o.dead && r.type === UT_TYPES.DEAD_PROCESS) {
        rows.push({
          ...base,
          type: 'dead',
          exit: { termination: r.exitTermination, status: r.exitStatus },
          cols: { ...plain, comment: `id=${r.id}`, exit: `term=${r.exitTermination} exit=${r.exitStatus}` },
        });
      }
    }
    if (r.type === UT_TYPES.BOOT_TIME) boottime = r.tvSec;
  });
  return rows;
}

// ---------------------------------------------------------------- text

/** Bytes of text as C counts them for %-Ns widths. */
function padBytes(s: string, width: number): string {
  const n = Buffer.byteLength(s);
  return n >= width ? s : s + ' '.repeat(width - n);
}

function cut(s: string, max: number): string {
  if (max < 0 || Buffer.byteLength(s) <= max) return s;
  return Buffer.from(s).subarray(0, max).toString();
}

export interface RenderContext {
  /** Local time formatter for a record's seconds. */
  readonly timeText: (seconds: number) => string;
  /** 12 for "%b %e %H:%M", 16 for "%Y-%m-%d %H:%M". */
  readonly timeWidth: number;
}

/** coreutils' print_line(): fixed columns, trailing blanks removed. */
function printLine(
  o: WhoOptions,
  ctx: RenderContext,
  name: string,
  nameMax: number,
  state: string,
  line: string,
  lineMax: number,
  time: string,
  idle: string,
  pid: string,
  comment: string,
  exit: string,
): string {
  const mesg = o.mesg ? ` ${state}` : '';
  const xIdle = o.idle && !o.short ? ` ${padBytes(idle, 6)}` : '';
  const xPid = !o.short ? ` ${pid.padStart(10)}` : '';
  const xExit = o.exit ? ` ${padBytes(exit, 12)}` : '';
  const text = `${padBytes(cut(name, nameMax), 8)}${mesg} ${padBytes(cut(line, lineMax), 12)} ${padBytes(time, ctx.timeWidth)}${xIdle}${xPid} ${padBytes(comment, 8)}${xExit}`;
  return `${text.replace(/ +$/, '')}\n`;
}

/** who's text for these rows (heading first when asked). */
export function renderText(rows: readonly WhoRow[], o: WhoOptions, ctx: RenderContext): string {
  let out = '';
  if (o.heading) out += printLine(o, ctx, 'NAME', -1, ' ', 'LINE', -1, 'TIME', 'IDLE', 'PID', 'COMMENT', 'EXIT');
  for (const r of rows) {
    const c = r.cols;
    out += printLine(o, ctx, c.name, c.nameMax, r.mesg ?? ' ', c.line, c.lineMax, ctx.timeText(c.seconds), c.idle, c.pid, c.comment, c.exit);
  }
  return out;
}

/** -q: the names of the user records and their count. */
export function countUsers(records: readonly UtmpRecord[]): string[] {
  return records.filter(isUserProcess).map((r) => r.user.replace(/ +$/, ''));
}

export function renderCount(names: readonly string[]): string {
  return `${names.join(' ')}\n# users=${names.length}\n`;
}

// ---------------------------------------------------------------- JSON

export interface WhoJsonRow {
  readonly type: WhoRowType;
  readonly user: string;
  readonly line: string;
  /** ISO 8601, UTC. */
  readonly time: string;
  readonly host: string;
  readonly addr: string | null;
  readonly pid: number;
  readonly id: string;
  readonly idle: number | null;
  readonly mesg: '+' | '-' | '?' | null;
  readonly exit: { readonly termination: number; readonly status: number } | null;
  readonly runlevel: { readonly current: string; readonly previous: string | null } | null;
  /** The COMMENT column as who prints it ("(host)", "id=tty1", "last=S", ""). */
  readonly comment: string;
}

export function toJson(rows: readonly WhoRow[]): WhoJsonRow[] {
  return rows.map((r) => ({
    type: r.type,
    user: r.user,
    line: r.line,
    time: new Date(Math.round(r.time * 1000)).toISOString(),
    host: r.host,
    addr: r.addr,
    pid: r.pid,
    id: r.id,
    idle: r.idle,
    mesg: r.mesg,
    exit: r.exit,
    runlevel: r.runlevel,
    comment: r.cols.comment,
  }));
}

// ---------------------------------------------------------------- command line

const HELP = `Usage: %s [OPTION]... [ FILE | ARG1 ARG2 ]
Print information about users who are currently logged in.

  -a, --all         same as -b -d --login -p -r -t -T -u
  -b, --boot        time of last system boot
  -d, --dead        print dead processes
  -H, --heading     print line of column headings
      --ips         print ips instead of hostnames. with --lookup,
                    canonicalizes based on stored IP, if available,
                    rather than stored hostname
      --json        print the records as a JSON array (-q: names and count)
  -l, --login       print system login processes
      --lookup      attempt to canonicalize hostnames via DNS
  -m                only hostname and user associated with stdin
  -p, --process     print active processes spawned by init
  -q, --count       all login names and number of users logged on
  -r, --runlevel    print current runlevel
  -s, --short       print only name, line, and time (default)
  -t, --time        print last system clock change
  -T, -w, --mesg    add user's message status as +, - or ?
  -u, --users       list users logged in
      --message     same as -T
      --writable    same as -T
      --help        display this help and exit
      --version     output version information and exit

If FILE is not specified, use /var/run/utmp.  /var/log/wtmp as FILE is common.
If ARG1 ARG2 given, -m presumed: 'am i' or 'mom likes' are usual.

See who(1) for ptools' notes.
`;

export function helpText(prog: string): string {
  return HELP.replace('%s', prog);
}

const LONGS: readonly LongOption[] = withJson([
  { name: 'all', has: 'none', key: 'a' },
  { name: 'boot', has: 'none', key: 'b' },
  { name: 'count', has: 'none', key: 'q' },
  { name: 'dead', has: 'none', key: 'd' },
  { name: 'heading', has: 'none', key: 'H' },
  { name: 'ips', has: 'none', key: 'ips' },
  { name: 'login', has: 'none', key: 'l' },
  { name: 'lookup', has: 'none', key: 'lookup' },
  { name: 'message', has: 'none', key: 'T' },
  { name: 'mesg', has: 'none', key: 'T' },
  { name: 'process', has: 'none', key: 'p' },
  { name: 'runlevel', has: 'none', key: 'r' },
  { name: 'short', has: 'none', key: 's' },
  { name: 'time', has: 'none', key: 't' },
  { name: 'users', has: 'none', key: 'u' },
  { name: 'writable', has: 'none', key: 'T' },
  { name: 'help', has: 'none', key: 'help' },
  { name: 'version', has: 'none', key: 'version' },
]);

const SHORTS = 'abdlmpqrstuwHT';

function tryHelp(io: IO, message: string): CliExit {
  return new CliExit(1, `${message}Try '${io.prog} --help' for more information.\n`);
}

/** Parses who's command line. */
export function parseArgs(argv: string[], io: IO): Parsed<WhoOptions> {
  const { items, operands } = getoptLong(argv, SHORTS, LONGS, io.env);
  const f = {
    boot: false,
    dead: false,
    heading: false,
    login: false,
    initSpawn: false,
    count: false,
    runlevel: false,
    short: false,
    clockChange: false,
    mesg: false,
    users: false,
    idle: false,
    exit: false,
    myLineOnly: false,
    lookup: false,
    ips: false,
    json: false,
  };
  let assumptions = true;
  for (const it of items) {
    if (it.kind === 'error') throw tryHelp(io, `${io.prog}: ${it.message}\n`);
    if (isJson(it.key)) {
      f.json = true;
      continue;
    }
    switch (it.key) {
      case 'a':
        Object.assign(f, { boot: true, dead: true, login: true, initSpawn: true, runlevel: true, clockChange: true, users: true, mesg: true, idle: true, exit: true });
        assumptions = false;
        break;
      case 'b':
        f.boot = true;
        assumptions = false;
        break;
      case 'd':
        Object.assign(f, { dead: true, idle: true, exit: true });
        assumptions = false;
        break;
      case 'H':
        f.heading = true;
        break;
      case 'l':
        Object.assign(f, { login: true, idle: true });
        assumptions = false;
        break;
      case 'm':
        f.myLineOnly = true;
        break;
      case 'p':
        f.initSpawn = true;
        assumptions = false;
        break;
      case 'q':
        f.count = true;
        break;
      case 'r':
        Object.assign(f, { runlevel: true, idle: true });
        assumptions = false;
        break;
      case 's':
        f.short = true;
        break;
      case 't':
        f.clockChange = true;
        assumptions = false;
        break;
      case 'T':
      case 'w':
        f.mesg = true;
        break;
      case 'u':
        Object.assign(f, { users: true, idle: true });
        assumptions = false;
        break;
      case 'lookup':
        f.lookup = true;
        break;
      case 'ips':
        f.ips = true;
        break;
      case 'help':
        return { kind: 'help', text: helpText(io.prog) };
      case 'version':
        return { kind: 'version' };
    }
  }
  if (assumptions) {
    f.users = true;
    f.short = true;
  }
  if (f.exit) f.short = false;
  let file: string | null = null;
  if (operands.length === 2) f.myLineOnly = true;
  else if (operands.length === 1) file = operands[0]!;
  else if (operands.length > 2) throw tryHelp(io, `${io.prog}: extra operand ${quote(operands[2]!, io.env)}\n`);
  return { kind: 'run', options: { ...f, file } };
}

/** The time column's formatter for this environment. */
export function renderContext(env: NodeJS.ProcessEnv): RenderContext {
  const hard = hardLocale(env, 'LC_TIME');
  return {
    timeText: (s) => (hard ? isoMinutes : cMinutes)(localTime(s, env)),
    timeWidth: hard ? 16 : 12,
  };
}

export const command: Command<WhoOptions> = {
  name: 'who',
  summary: 'show who is logged on (coreutils who)',
  grammar: { short: SHORTS, long: LONGS, operands: 'files' },
  parse: parseArgs,
  versionText: (prog, v) => `${prog} (ptools) ${v}\n`,
  async run(o, io) {
    const data = await collect(o);
    if (o.count) {
      const names = countUsers(data.records);
      io.out(o.json ? `${JSON.stringify({ users: names, count: names.length })}\n` : renderCount(names));
      return 0;
    }
    const rows = toRows(data, o);
    if (o.json) io.out(`${JSON.stringify(toJson(rows))}\n`);
    else io.out(renderText(rows, o, renderContext(io.env)));
    return 0;
  },
};
