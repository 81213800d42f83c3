/**
 * ptools top vs procps-ng 4.0.2's top (Debian's build, /usr/bin/top), batch
 * mode, for the argument sets in SETS: options, fields, sorts, scaling,
 * widths, long options, combinations, and bad input.
 *
 * Both tools run at the same moment (spawned together, collected together),
 * each with HOME an empty directory (a toprc changes the output; there is no
 * XDG_CONFIG_HOME, and no /etc/toprc or /etc/topdefaultrc on these machines),
 * LC_ALL=C, TZ=UTC and COLUMNS=80 unless the set says otherwise. ptools runs
 * as `node bin/ptools top ARGS` and must say `top:` in its messages, like its
 * namesake: stderr is compared byte for byte, never mapped.
 *
 * Known processes (`kids` below, started by this file, stopped by pid after it):
 * sleepers (plain, reniced +5 and -5, a 300-byte argv[0] for -c, stopped),
 * Python processes blocked on a futex (three named threads for -H; 50 MiB
 * written for a known RES; effective uid nobody with real uid root for -u vs
 * -U; every uid nobody; a parent of a zombie, and the zombie), and one process
 * that spins half of every 10 ms (about half a CPU, for %CPU; it ends itself
 * after 900 s). Their rows must match exactly, but for the busy one's moving
 * columns. What is compared, and what is masked, and why:
 *
 *  - status and stderr: exactly, always.
 *  - frames: the same number, each with the same number of summary lines, a
 *    blank line, the header exactly, and rows.
 *  - summary lines (adjoined ones, as `-1` prints them, split first):
 *     `top -`   the same shape; clock within CLOCK_TOL (the tools read it at
 *               slightly different moments), and each tool's between the wall
 *               clock before and after the runs; uptime within a minute (it may
 *               tick over between the reads); users exactly; each load average
 *               between /proc/loadavg read before and after the runs (the
 *               kernel updates it every 5 s, maybe between the two reads).
 *     `Tasks:`/`Threads:` exactly where the selection is only known processes
 *               (-p), except that the busy one may be running or sleeping;
 *               for the whole machine within a bound, not a guess: the tasks
 *               that came, went or exec'd between snapshots of /proc taken
 *               before and after the runs, plus the tasks created meanwhile
 *               (/proc/stat's fork counter), plus the two tools themselves;
 *               running and sleeping within RUN_TOL more (tasks run and block
 *               between the two scans).
 *     `%Cpu`    the shape only, each figure 0..100 and their sum 100 within
 *               the rounding of eight one-decimal figures: the two tools
 *               measure different intervals of a shared, busy machine.
 *     `Mem`/`Swap` totals exactly; free, used, buff/cache and avail within
 *               MEM_TOL (other jobs allocate and free between the two reads)
 *               plus one unit of the display.
 *    A summary line cut by the width is compared in shape only (its values
 *    are compared in the sets at full width).
 *  - rows, matched by PID (TID with -H):
 *     known processes: the whole line exactly; for the busy one %CPU within
 *               CPU_TOL (each tool measures its own interval), TIME+ between
 *               its CPU time read from /proc before and after the runs, its
 *               state R or S (it runs half the time), VIRT, RES and SHR within
 *               BUSY_MEM_TOL and %MEM within 0.1 (a running interpreter);
 *     each tool's own process (`-p 0`): USER, PR and NI exactly, its PID the
 *               tool's own; the rest is a different program's;
 *     the machine's other processes whose identity (start time, name,
 *               command line) was the same before and after the runs: PID,
 *               USER, PR, NI and COMMAND exactly (but kernel workers, which
 *               rename themselves per work item); the columns in MOVING are
 *               masked; such a process may not be missing from one side (but
 *               with -i, where being shown depends on CPU used in the frame,
 *               and -H, whose threads come and go);
 *     processes that came, went or exec'd between the snapshots are not
 *               compared (each tool sees itself and perhaps the other);
 *     every row, of every process: the shape (numbers right-aligned under
 *               their header, USER and S left-aligned, COMMAND at its column).
 *  - row order: exactly where the selection is only known processes (-p: top
 *    sorts stably, so ties keep the -p order); elsewhere each tool's rows must
 *    be sorted by the key (its displayed value, or one read from /proc for a
 *    key that is not displayed), in the direction top uses (`-o F` and
 *    `-o +F` high to low, `-o -F` low to high), and, for keys whose display
 *    is exact, ties in /proc order (ascending PID). With LINES and -w the
 *    rows are cut to the screen: then only their number is compared.
 *  - bad input, -O, -h, -V: status, stdout and stderr byte for byte (-V with
 *    ptools' name and version; -h may carry one more line, for --json).
 *
 * The comparators are themselves tested: real top's output, doctored one
 * thing at a time (a cell, the order, the header, the clock, a load, a count,
 * memory, the busy process's moving columns beyond their tolerance), must
 * fail the comparison with real top's own.
 *
 * PTOOLS_TOP_SELFTEST=1 runs /usr/bin/top in place of ptools: every
 * comparison must then pass on real top against itself, which checks that
 * the tolerances are honest and that nothing is masked that need not be.
 * It also prints the largest differences each tolerance had to absorb.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childStarter } from '../helpers/children.js';
import { REPO } from '../helpers/dist.js';
import { describeCommand } from '../helpers/oracle.js';
import { procState, sleepingIn, waitUntil } from '../helpers/wait.js';
import { PTOOLS, runPtoolsTop, runRealTop, TOP, type Out } from '../helpers/top.js';

const SELFTEST = process.env.PTOOLS_TOP_SELFTEST === '1';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const KID = join(REPO, 'test', 'fixtures', 'top', 'kid.py');
const NCPU = readFileSync('/proc/stat', 'latin1').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
const PID_MAX = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1'));
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

const HOME = mkdtempSync('/tmp/ptools-top-home-');
afterAll(() => rmSync(HOME, { recursive: true, force: true }));

// ------------------------------------------------------------------ tolerances

/** Seconds between the two tools' clocks: they read it up to about a second apart (node starts slower than top). */
const CLOCK_TOL = 1;
/** %CPU points for the busy process: each tool measures its own interval (0.15 s for top's first frame, -d after); the process alternates 5 ms of spinning and 5 ms asleep, and the machine's other jobs take CPU from it unevenly. */
const CPU_TOL = 25;
/** KiB of free/used/buff-cache/available memory: ptools is a node process that maps ~100 MB as it starts, while top reads, and the machine's other jobs (compilers, test runs) allocate and free memory between the two reads. */
const MEM_TOL = 256 * 1024;
/** Tasks that change between running and sleeping between the two scans (beyond those that came or went): the runnable tasks of a loaded machine, a few per CPU. */
const RUN_TOL = 4 * NCPU;

/** KiB of VIRT, RES and SHR of the busy process (and 0.1 of its %MEM): a running interpreter may map an arena or touch a page between the two reads. */
const BUSY_MEM_TOL = 1024;

/** Columns masked on rows of processes this test does not control, and why. */
const MOVING: Record<string, string> = {
  VIRT: 'a running process maps and unmaps memory',
  RES: 'resident memory of a running process changes',
  SHR: 'shared resident memory changes as pages are touched',
  S: 'run state (R/S/D/I) flips while a process works',
  '%CPU': 'CPU used over each tool\'s own interval',
  '%MEM': 'resident memory over total',
  'TIME+': 'CPU time accrues while a process runs',
};

/** The largest difference each tolerance absorbed (printed in self-test mode). */
const observed: Record<string, number> = {};
/** On while comparing real runs (not doctored copies). */
let recording = false;
function saw(what: string, v: number): void {
  if (recording) observed[what] = Math.max(observed[what] ?? 0, v);
}
afterAll(() => {
  if (SELFTEST) console.log(`top self-test: largest differences absorbed: ${JSON.stringify(observed)}`);
});

// ------------------------------------------------------------------ running the tools

type Env = Record<string, string | undefined>;

function baseEnv(extra: Env = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME, LC_ALL: 'C', TZ: 'UTC', COLUMNS: '80' };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs one command to its end; a hang is turned into a failure after `capMs` (the child, ours, is killed by its pid). */
function runReal(args: string[], env: NodeJS.ProcessEnv): Promise<Out> {
  return runRealTop(args, env);
}

function runOurs(args: string[], env: NodeJS.ProcessEnv): Promise<Out> {
  return SELFTEST ? runRealTop(args, env) : runPtoolsTop(args, env);
}

/** Both at once, so their frames cover the same moment. */
async function runPair(args: string[], env: NodeJS.ProcessEnv): Promise<{ real: Out; ours: Out }> {
  const [real, ours] = await Promise.all([runReal(args, env), runOurs(args, env)]);
  return { real, ours };
}

// ------------------------------------------------------------------ the known processes

interface Kid {
  pid: number;
  /** Its threads' ids (the pid first), for -H. */
  tids: number[];
  /** Blocked for good: nothing in its row moves. */
  still: boolean;
}

const start = childStarter();
const kids: Record<string, Kid> = {};
const known = new Set<number>();
const busyTids = new Set<number>();
/** A pid that does not exist. */
let ABSENT = 0;
/** Eight pids that do not exist. */
let ABSENT8: number[] = [];

function pyKid(mode: string, name: string, arg?: string): Promise<{ child: ChildProcess; info: { pid: number; tids: number[]; zombie?: number } }> {
  const child = start(PYTHON, [KID, mode, name, ...(arg === undefined ? [] : [arg])], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /^ready (.*)\n/m.exec(text);
      if (m) resolve({ child, info: JSON.parse(m[1]!) });
    });
    child.on('exit', (code) => reject(new Error(`kid ${mode} ended early (${code})`)));
  });
}

function tidsOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number).sort((a, b) => a - b);
}

beforeAll(async () => {
  const sleeper = async (name: string, secs: string, argv0?: string): Promise<void> => {
    const c = start('sleep', [secs], argv0 ? { argv0 } : {});
    await waitUntil(() => sleepingIn(c.pid!), `sleep ${c.pid} (${name}) to sleep`);
    kids[name] = { pid: c.pid!, tids: [c.pid!], still: true };
  };
  await sleeper('plain', '901');
  await sleeper('niced', '902');
  await sleeper('negniced', '903');
  // A distinct nice value whatever this runner's own is (it inherits `nice -n 19`): a sleeper's takes nothing from anyone.
  setPriority(kids.niced!.pid, 5);
  setPriority(kids.negniced!.pid, -5);
  await sleeper('long', '904', `ptt-long-argv-${'x'.repeat(300)}`);
  await sleeper('stopped', '905');
  process.kill(kids.stopped!.pid, 'SIGSTOP');
  await waitUntil(() => procState(kids.stopped!.pid) === 'T', 'the stopped sleeper to stop');

  const py: [string, string, string, string?][] = [
    ['threads', 'threads', 'ptt-thr', '3'],
    ['mem', 'mem', 'ptt-mem50', '50'],
    ['euid', 'euid', 'ptt-euid'],
    ['nobody', 'nobody', 'ptt-nobody'],
    ['zparent', 'zombie', 'ptt-zpar'],
    ['busy', 'busy', 'ptt-busy-half'],
  ];
  for (const [key, mode, name, arg] of py) {
    const { info } = await pyKid(mode, name, arg);
    kids[key] = { pid: info.pid, tids: info.tids, still: key !== 'busy' };
    if (info.zombie) kids.zombie = { pid: info.zombie, tids: [info.zombie], still: true };
  }
  // Every thread asleep in its wait (the Python kids print "ready" just before they block).
  for (const k of Object.values(kids)) {
    if (!k.still || k === kids.stopped || k === kids.zombie) continue;
    await waitUntil(() => k.tids.every((t) => /^[S]$/.test(taskState(k.pid, t))), `the threads of ${k.pid} to block`);
  }
  for (const k of Object.values(kids)) {
    known.add(k.pid);
    for (const t of k.tids) known.add(t);
  }
  for (const t of kids.busy!.tids) busyTids.add(t);
  for (let p = PID_MAX - 1; ABSENT8.length < 8; p--) if (!existsSync(`/proc/${p}`)) ABSENT8.push(p);
  ABSENT = ABSENT8[0]!;
}, 60_000);

function taskState(pid: number, tid: number): string {
  try {
    const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
    return t.charAt(t.lastIndexOf(')') + 2);
  } catch {
    return '';
  }
}

const pidsOf = (...names: string[]): string => names.map((n) => String(kids[n]!.pid)).join(',');
const STILL = ['plain', 'niced', 'negniced', 'long', 'stopped', 'threads', 'mem', 'euid', 'nobody', 'zparent', 'zombie'];
const ALL = [...STILL, 'busy'];

/** Placeholders: {K} every known pid, {S} the still ones, {pid:NAME}, {ABSENT} (and {ABSENT8}) pids that do not exist, {P21} 21 pids. */
function expand(args: string[]): string[] {
  return args.map((a) =>
    a
      .replaceAll('{K}', pidsOf(...ALL))
      .replaceAll('{S}', pidsOf(...STILL))
      .replaceAll('{ABSENT8}', ABSENT8.join(','))
      .replaceAll('{ABSENT}', String(ABSENT))
      .replaceAll('{P21}', Array.from({ length: 21 }, (_, i) => String(i + 1)).join(','))
      .replace(/\{pid:(\w+)\}/g, (_, n: string) => String(kids[n]!.pid)),
  );
}

// ------------------------------------------------------------------ /proc snapshots around the runs

interface Snapshot {
  /** pid (or tid) → start time, name and command line: what an exec changes. */
  ids: Map<number, string>;
  loadavg: number[];
  /** busy tid (and pid) → CPU ticks (utime+stime), with its dead children's too under -S. */
  ticks: Map<number, number>;
  /** pid → a sort key top does not display (-o PPID, -o nTH, ...). */
  keys: Map<number, number | string>;
  /** Processes and threads created since boot (/proc/stat's "processes"). */
  forks: number;
  /** The wall clock (ms). */
  wall: number;
}

function statFields(path: string): { comm: string; f: string[] } | null {
  try {
    const t = readFileSync(path, 'latin1');
    return { comm: t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')), f: t.slice(t.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return null;
  }
}

/** f[] indices after the comm: 0 state, 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime, 17 num_threads, 19 starttime. */
const F = { ppid: 1, utime: 11, stime: 12, cutime: 13, cstime: 14, nth: 17, start: 19 };

function snapshot(threads: boolean, hiddenKey?: HiddenKey): Snapshot {
  const ids = new Map<number, string>();
  const keys = new Map<number, number | string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${d}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    const tasks = threads ? (() => { try { return readdirSync(`/proc/${d}/task`); } catch { return [d]; } })() : [d];
    for (const t of tasks) {
      const s = statFields(threads ? `/proc/${d}/task/${t}/stat` : `/proc/${d}/stat`);
      if (!s) continue;
      ids.set(Number(t), `${s.f[F.start]} ${s.comm}\0${cmdline}`);
      if (hiddenKey && !threads) keys.set(pid, hiddenKey === 'comm' ? s.comm : Number(s.f[F[hiddenKey]]));
    }
  }
  const ticks = new Map<number, number>();
  const busy = kids.busy;
  if (busy) {
    // The process (keyed by -pid) and each of its threads (by tid).
    const cpu = (s: { f: string[] } | null): number | undefined => (s ? Number(s.f[F.utime]) + Number(s.f[F.stime]) : undefined);
    const whole = cpu(statFields(`/proc/${busy.pid}/stat`));
    if (whole !== undefined) ticks.set(-busy.pid, whole);
    for (const t of busy.tids) {
      const v = cpu(statFields(`/proc/${busy.pid}/task/${t}/stat`));
      if (v !== undefined) ticks.set(t, v);
    }
  }
  const loadavg = readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).map(Number);
  const forks = Number(/^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))![1]);
  return { ids, loadavg, ticks, keys, forks, wall: Date.now() };
}

// ------------------------------------------------------------------ parsing top's output

interface Frame {
  summary: string[];
  header: string | undefined;
  rows: string[];
}

function frames(stdout: string): Frame[] {
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (/^top(?: -.*)?$/.test(l) && (i === 0 || lines[i - 1] === '')) starts.push(i);
  });
  return starts.map((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]! - 1 : lines.length; // minus the blank line between frames
    const body = lines.slice(s, end);
    const blank = body.indexOf('');
    const summary = blank < 0 ? body : body.slice(0, blank);
    return { summary, header: blank < 0 ? undefined : body[blank + 1], rows: blank < 0 ? [] : body.slice(blank + 2) };
  });
}

/** A line's shape: every number (with its leading blanks, as printed in a fixed-width field) as that many '#'. */
function shape(s: string): string {
  return s.replace(/ *\d+(?:[.:,]\d+)*\+?/g, (m) => '#'.repeat(m.length));
}

/** Summary lines hold up to two adjoined parts (`-1` prints two CPUs on a line, and Mem beside Swap). */
function segments(line: string): string[] {
  return line.split(/ {2}(?=%Cpu\d|[KMGTPE]iB Swap:)/);
}

const TOP_RE = /^top - (\d\d):(\d\d):(\d\d) up (.+?),\s+(\d+) users?,\s+load average: (\d+\.\d\d), (\d+\.\d\d), (\d+\.\d\d)$/;
const TASKS_RE = /^(Tasks|Threads):\s*(\d+) total,\s*(\d+) running,\s*(\d+) sleeping,\s*(\d+) stopped,\s*(\d+) zombie$/;
const CPU_RE = /^%Cpu(?:\(s\)|\d+ *):([ \d.]{5}) us,([ \d.]{5}) sy,([ \d.]{5}) ni,([ \d.]{5}) id,([ \d.]{5}) wa,([ \d.]{5}) hi,([ \d.]{5}) si,([ \d.]{5}) st $/;
const MEM_RE = /^([KMGTPE])iB Mem :\s*(\S+) total,\s*(\S+) free,\s*(\S+) used,\s*(\S+) buff\/cache {5}$/;
const SWAP_RE = /^([KMGTPE])iB Swap:\s*(\S+) total,\s*(\S+) free,\s*(\S+) used\.\s*(\S+) avail Mem $/;
const UNIT: Record<string, number> = { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3, P: 1024 ** 4, E: 1024 ** 5 };

function uptimeMinutes(s: string): number {
  // procps pads the hours ("up  1:04"): the captured text may start with a blank.
  const m = /^(?:(\d+) days?, +)?(?:(\d+):(\d\d)|(\d+) min)$/.exec(s.trim());
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 1440 + (m[4] !== undefined ? Number(m[4]) : Number(m[2]) * 60 + Number(m[3]));
}

/** TIME+ as hundredths of a second (NaN for the coarser forms top uses past 999 minutes). */
function hundredths(s: string): number {
  const m = /^(\d+):(\d\d)\.(\d\d)$/.exec(s);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * 100 + Number(m[3]) : NaN;
}

/** A memory column (VIRT, RES, SHR) in KiB; `exact` unless top scaled it to fit (m, g, t, p, e). */
function kib(s: string): { v: number; exact: boolean } {
  const m = /^(\d+(?:\.\d+)?)([mgtpe]?)$/.exec(s);
  if (!m) return { v: NaN, exact: false };
  return { v: Number(m[1]) * 1024 ** ' mgtpe'.indexOf(m[2] || ' '), exact: !m[2] };
}

interface Row {
  line: string;
  key: string;
  pid: number | null;
  cells: Record<string, string>;
}

interface Label {
  name: string;
  start: number;
  end: number;
}

const LEFT = new Set(['USER', 'S', 'COMMAND']);

function labels(header: string): Label[] {
  return [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index!, end: m.index! + m[0].length }));
}

function parseRows(header: string | undefined, lines: string[], selfPid: number): Row[] {
  const ls = labels(header ?? '');
  const cmd = ls.find((l) => l.name === 'COMMAND');
  const seen = new Map<string, number>();
  return lines.map((line, i) => {
    const head = cmd ? line.slice(0, cmd.start) : line;
    const tokens = head.trim() ? head.trim().split(/\s+/) : [];
    const cells: Record<string, string> = {};
    ls.forEach((l, k) => {
      if (l.name === 'COMMAND') cells.COMMAND = line.slice(cmd!.start);
      else if (tokens[k] !== undefined) cells[l.name] = tokens[k]!;
    });
    const id = cells[ls[0]?.name ?? ''] ?? '';
    const pid = ls[0]?.name === 'PID' && /^\d+$/.test(id) ? Number(id) : null;
    let key = pid === null ? `line${i}` : pid === selfPid ? 'SELF' : String(pid);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key += `#${n}`;
    return { line, key, pid, cells };
  });
}

/** Problems with a row's layout: numbers right-aligned under their label, USER and S left-aligned, COMMAND at its column. */
function rowShape(header: string, row: string): string | null {
  const ls = labels(header);
  const cmd = ls.find((l) => l.name === 'COMMAND');
  const head = cmd ? row.slice(0, cmd.start) : row;
  const toks = [...head.matchAll(/\S+/g)];
  const want = cmd ? ls.length - 1 : ls.length;
  if (toks.length !== want) return `${toks.length} fields before COMMAND, ${want} labels`;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const l = ls[k]!;
    const cut = !cmd && k === toks.length - 1; // the width may cut the last field
    if (LEFT.has(l.name) ? t.index !== l.start : !cut && t.index! + t[0].length !== l.end) return `${l.name} not aligned`;
  }
  if (cmd && row.length > cmd.start && row[cmd.start - 1] !== ' ') return 'COMMAND not at its column';
  return null;
}

// ------------------------------------------------------------------ the comparison

type HiddenKey = 'ppid' | 'nth' | 'comm' | 'start';

interface Sort {
  /** A displayed column, or a key read from /proc. */
  col?: string;
  hidden?: HiddenKey;
  desc: boolean;
  /** Whether equal displayed keys mean equal keys (then ties must be in ascending PID, as top's stable sort leaves them). */
  ties: boolean;
}

interface SetDef {
  name: string;
  args: string[];
  env?: Env;
  /** frames (the default): compare the frames; exact: status, stdout and stderr byte for byte; version: -V's text. */
  kind?: 'frames' | 'exact' | 'help' | 'version';
  /** Only known processes selected (-p): task counts and row order exact. */
  known?: boolean;
  /** The sort, when not the default (%CPU, high to low). */
  sort?: Sort;
  /** -H: rows are threads. */
  threads?: boolean;
  /** -i: a process is shown only if it used CPU in the frame. */
  idle?: boolean;
  /** -S: TIME+ includes dead children's time. */
  cumulative?: boolean;
  /** -p 0 (or a pid that reads as 0): the tool's own row. */
  self?: boolean;
  /** The rows are cut to the screen's height (LINES with -w): which processes make it depends on %CPU. */
  rowsCut?: boolean;
}

const CPU_SORT: Sort = { col: '%CPU', desc: true, ties: true };

interface Ctx {
  set: SetDef;
  before: Snapshot;
  after: Snapshot;
}

function cmpKeys(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The sort key of a row: its displayed value (as a number where it is one), or a key from /proc read the same before and after. */
function sortKey(r: Row, s: Sort, ctx: Ctx): number | string | undefined {
  if (s.hidden) {
    if (r.pid === null) return undefined;
    const a = ctx.before.keys.get(r.pid);
    const b = ctx.after.keys.get(r.pid);
    return a !== undefined && a === b ? a : undefined;
  }
  const v = r.cells[s.col!];
  if (v === undefined) return undefined;
  switch (s.col) {
    case 'USER':
    case 'COMMAND':
      return v;
    case 'TIME+':
      return hundredths(v);
    case 'VIRT':
    case 'RES':
    case 'SHR':
      return kib(v).v;
    case 'PR':
      return v === 'rt' ? -100 : Number(v);
    default:
      return Number(v);
  }
}

function orderProblems(who: string, rows: Row[], s: Sort, ctx: Ctx): string[] {
  const keyed = rows.map((r) => ({ r, k: sortKey(r, s, ctx) })).filter((x) => x.k !== undefined && !(typeof x.k === 'number' && Number.isNaN(x.k)));
  const out: string[] = [];
  for (let i = 1; i < keyed.length; i++) {
    const a = keyed[i - 1]!;
    const b = keyed[i]!;
    const c = cmpKeys(a.k!, b.k!) * (s.desc ? -1 : 1);
    const exactKey = s.col === 'VIRT' || s.col === 'RES' || s.col === 'SHR' ? kib(a.r.cells[s.col]!).exact && kib(b.r.cells[s.col]!).exact : true;
    if (c > 0 || (c === 0 && s.ties && exactKey && a.r.pid !== null && b.r.pid !== null && a.r.pid > b.r.pid && !ctx.set.threads)) {
      out.push(`${who}: rows out of order (${s.hidden ?? s.col} ${s.desc ? 'high to low' : 'low to high'}, ties by PID):\n    ${a.r.line}\n    ${b.r.line}`);
      if (out.length > 3) break;
    }
  }
  return out;
}

/** Whether a tool's load average lies between the kernel's before and after the runs. */
function loadBetween(v: number, i: number, ctx: Ctx): boolean {
  const [a, b] = [ctx.before.loadavg[i]!, ctx.after.loadavg[i]!];
  return v >= Math.min(a, b) - 1e-9 && v <= Math.max(a, b) + 1e-9;
}

/** How many processes (threads, under -H) came, went or exec'd between the snapshots. */
function churn(ctx: Ctx): number {
  let n = 0;
  for (const [p, id] of ctx.before.ids) if (ctx.after.ids.get(p) !== id) n++;
  for (const p of ctx.after.ids.keys()) if (!ctx.before.ids.has(p)) n++;
  return n;
}

function summaryProblems(real: string[], ours: string[], ctx: Ctx, frameNo: number): string[] {
  const out: string[] = [];
  const at = `frame ${frameNo + 1}`;
  if (real.length !== ours.length) return [`${at}: ${real.length} summary lines (top) vs ${ours.length} (ptools):\n  top:    ${JSON.stringify(real)}\n  ptools: ${JSON.stringify(ours)}`];
  real.forEach((rl, i) => {
    const ol = ours[i]!;
    const rs = segments(rl);
    const os = segments(ol);
    const bad = (why: string): void => void out.push(`${at}, summary line ${i + 1}: ${why}\n  top:    ${JSON.stringify(rl)}\n  ptools: ${JSON.stringify(ol)}`);
    if (rs.length !== os.length) return bad('different parts');
    rs.forEach((r, k) => {
      const o = os[k]!;
      if (shape(r) !== shape(o)) return bad('different shape');
      let m: RegExpExecArray | null;
      let n: RegExpExecArray | null;
      if ((m = TOP_RE.exec(r)) && (n = TOP_RE.exec(o))) {
        const secs = (x: RegExpExecArray): number => Number(x[1]) * 3600 + Number(x[2]) * 60 + Number(x[3]);
        let d = Math.abs(secs(m) - secs(n));
        d = Math.min(d, 86400 - d);
        saw('clock (s)', d);
        if (d > CLOCK_TOL) bad(`clocks ${d} s apart`);
        for (const [who, x] of [['top', m], ['ptools', n]] as const) {
          // Whole seconds of UTC: within the wall clock read before and after the runs.
          const lo = Math.floor(ctx.before.wall / 1000) % 86400;
          const hi = Math.floor(ctx.after.wall / 1000) % 86400;
          const t = secs(x);
          if (!(lo <= hi ? t >= lo && t <= hi : t >= lo || t <= hi)) bad(`${who}'s clock is not between the wall clock before and after the runs`);
        }
        const du = Math.abs(uptimeMinutes(m[4]!) - uptimeMinutes(n[4]!));
        if (!(du <= 1)) bad('uptime differs by more than the minute that may tick over');
        if (m[5] !== n[5]) bad('users differ');
        for (let j = 0; j < 3; j++) {
          for (const [who, x] of [['top', m], ['ptools', n]] as const) {
            if (!loadBetween(Number(x[6 + j]), j, ctx)) bad(`${who}'s load average ${x[6 + j]} is not between /proc/loadavg before (${ctx.before.loadavg[j]}) and after (${ctx.after.loadavg[j]})`);
          }
        }
      } else if ((m = TASKS_RE.exec(r)) && (n = TASKS_RE.exec(o))) {
        const a = m.slice(2).map(Number);
        const b = n.slice(2).map(Number);
        for (const [who, x] of [['top', a], ['ptools', b]] as const) {
          if (x[1]! + x[2]! + x[3]! + x[4]! !== x[0]) bad(`${who}: running, sleeping, stopped and zombie do not add up to the total`);
        }
        if (m[1] !== n[1]) bad('Tasks vs Threads');
        if (ctx.set.known) {
          // Only known processes: exact, but that the busy one (and each tool itself, with -p 0) may be running or sleeping.
          const racers = (ctx.set.threads ? kids.busy!.tids.length : 1) + (ctx.set.self ? 1 : 0);
          if (a[0] !== b[0] || a[3] !== b[3] || a[4] !== b[4] || a[1]! + a[2]! !== b[1]! + b[2]! || Math.abs(a[1]! - b[1]!) > racers) bad('task counts differ');
        } else {
          // A task one tool counted and the other did not came or went between the snapshots (churn: seen
          // there) or was created after the first one (forks): a bound, not a guess. Each tool also counts itself.
          const tol = churn(ctx) + (ctx.after.forks - ctx.before.forks) + 2;
          const names = ['total', 'running', 'sleeping', 'stopped', 'zombie'];
          a.forEach((v, j) => {
            const d = Math.abs(v - b[j]!);
            saw(`tasks ${names[j]} (difference)`, d);
            saw(`tasks ${names[j]} (difference over its bound, %)`, Math.round((100 * d) / tol));
            // Running and sleeping also trade places as tasks run and block: RUN_TOL.
            if (d > tol + (j === 1 || j === 2 ? RUN_TOL : 0)) bad(`${names[j]} differs by ${d} (tolerance ${tol})`);
          });
        }
      } else if ((m = CPU_RE.exec(r)) && (n = CPU_RE.exec(o))) {
        for (const [who, x] of [['top', m], ['ptools', n]] as const) {
          const v = x.slice(1).map(Number);
          if (v.some((p) => !(p >= 0 && p <= 100))) bad(`${who}: a CPU figure outside 0..100`);
          const sum = v.reduce((s, p) => s + p, 0);
          if (Math.abs(sum - 100) > 0.45) bad(`${who}: CPU figures add up to ${sum.toFixed(1)}`);
        }
      } else if ((m = MEM_RE.exec(r) ?? SWAP_RE.exec(r)) && (n = (MEM_RE.exec(r) ? MEM_RE : SWAP_RE).exec(o))) {
        if (m[1] !== n[1]) return bad('units differ');
        const unit = UNIT[m[1]!]!;
        const quantum = unit === 1 ? 1 : unit / 10;
        if (m[2] !== n[2]) bad('totals differ');
        for (let j = 3; j <= 5; j++) {
          const x = m[j]!;
          const y = n[j]!;
          if (x.endsWith('+') || y.endsWith('+')) {
            // Too wide for its field: cut to 8 characters and '+' (not on a machine this size).
            if (x.endsWith('+') !== y.endsWith('+')) bad('one value cut with +, the other not');
            continue;
          }
          const d = Math.abs(Number(x) - Number(y)) * unit;
          saw('memory (KiB)', d);
          if (d > MEM_TOL + quantum) bad(`${x} vs ${y}: more than ${MEM_TOL} KiB apart`);
        }
      } else if (r !== o && !(TOP_RE.test(r) || TASKS_RE.test(r) || CPU_RE.test(r) || MEM_RE.test(r) || SWAP_RE.test(r))) {
        // Cut by the width: the shape (compared above) is all that is compared.
      } else if (r !== o) {
        bad('top\'s line parses, ptools\' does not');
      }
    });
  });
  return out;
}

/** Kernel workers rename themselves ("kworker/0:1-events") for each work item they pick up. */
function kworkerRenamed(a: string, b: string): boolean {
  const kw = /^(\[?kworker\/[^-+\]]*)[-+\]].*$/;
  return kw.test(a) && kw.test(b) && a.replace(kw, '$1') === b.replace(kw, '$1');
}

function rowProblems(real: Frame, ours: Frame, ctx: Ctx, pids: { real: number; ours: number }, frameNo: number): string[] {
  const out: string[] = [];
  const at = `frame ${frameNo + 1}`;
  if (real.header !== ours.header) return [`${at}: header\n  top:    ${JSON.stringify(real.header)}\n  ptools: ${JSON.stringify(ours.header)}`];
  const header = real.header ?? '';
  const a = parseRows(header, real.rows, ctx.set.self ? pids.real : -1);
  const b = parseRows(header, ours.rows, ctx.set.self ? pids.ours : -1);
  const hasPid = /^\s*PID\b/.test(header);
  if (!hasPid) {
    // Too narrow for even the PID column: the rows are blank or fragments, compared as text.
    if (real.rows.join('\n') !== ours.rows.join('\n')) out.push(`${at}: rows\n  top:    ${JSON.stringify(real.rows)}\n  ptools: ${JSON.stringify(ours.rows)}`);
    return out;
  }
  for (const [who, rows] of [['top', a], ['ptools', b]] as const) {
    for (const r of rows) {
      const p = rowShape(header, r.line);
      if (p) out.push(`${at}: ${who}'s row is out of shape (${p}):\n    ${header}\n    ${r.line}`);
    }
  }
  const bByKey = new Map(b.map((r) => [r.key, r]));
  const aByKey = new Map(a.map((r) => [r.key, r]));
  const stable = (pid: number | null): boolean => pid !== null && ctx.before.ids.has(pid) && ctx.before.ids.get(pid) === ctx.after.ids.get(pid);
  const presenceRule = !ctx.set.idle && !ctx.set.threads;
  if (ctx.set.rowsCut && a.length !== b.length) out.push(`${at}: ${a.length} rows (top) vs ${b.length} (ptools)`);
  for (const [who, rows, other] of [['top', a, bByKey], ['ptools', b, aByKey]] as const) {
    for (const r of rows) {
      if (other.has(r.key) || ctx.set.rowsCut) continue;
      if (r.key === 'SELF' || (r.pid !== null && known.has(r.pid)) || (presenceRule && stable(r.pid))) {
        out.push(`${at}: only ${who} shows ${r.line}`);
      }
    }
  }
  if (ctx.set.known) {
    // The tool's own row (-p 0) sorts by its own %CPU, which moves with what each tool did in its
    // priming window (Node's start-up is not top's): it is matched by identity, its place is not compared.
    const order = (rows: typeof a): string => rows.filter((r) => r.key !== 'SELF').map((r) => r.key).join(' ');
    const ka = order(a);
    const kb = order(b);
    if (ka !== kb) out.push(`${at}: rows (in order)\n  top:    ${ka}\n  ptools: ${kb}`);
  } else {
    const s = ctx.set.sort ?? CPU_SORT;
    out.push(...orderProblems(`${at}, top`, a, s, ctx), ...orderProblems(`${at}, ptools`, b, s, ctx));
  }
  for (const ra of a) {
    const rb = bByKey.get(ra.key);
    if (!rb) continue;
    const bad = (why: string): void => void out.push(`${at}: row ${ra.key}: ${why}\n  top:    ${JSON.stringify(ra.line)}\n  ptools: ${JSON.stringify(rb.line)}`);
    if (ra.key === 'SELF') {
      // Each tool's own process: a different program, the same user and priority.
      for (const c of ['USER', 'PR', 'NI']) if (ra.cells[c] !== rb.cells[c]) bad(`${c} of the tool itself`);
      if (Number(rb.cells.PID) !== pids.ours) bad('not ptools\' own pid');
      continue;
    }
    if (ra.line === rb.line) continue;
    const pid = ra.pid!;
    if (busyTids.has(pid)) {
      for (const [c, va] of Object.entries(ra.cells)) {
        const vb = rb.cells[c];
        if (c === '%CPU') {
          const d = Math.abs(Number(va) - Number(vb));
          saw('busy %CPU', d);
          if (!(d <= CPU_TOL)) bad(`%CPU ${va} vs ${vb}: more than ${CPU_TOL} apart`);
        } else if (c === 'TIME+') {
          const k = pid === kids.busy!.pid && !ctx.set.threads ? -pid : pid;
          const lo = ctx.before.ticks.get(k);
          const hi = ctx.after.ticks.get(k);
          for (const [who, v] of [['top', va], ['ptools', vb]] as const) {
            const t = hundredths(v ?? '');
            if (lo === undefined || hi === undefined || !(t >= lo && t <= hi)) bad(`${who}'s TIME+ ${v} is not between the CPU time before (${lo}) and after (${hi}) the runs`);
          }
        } else if (c === 'S') {
          if (!/^[RS]$/.test(va) || !/^[RS]$/.test(vb ?? '')) bad('state of the busy process not R or S');
        } else if ((c === 'VIRT' || c === 'RES' || c === 'SHR') && va !== vb) {
          const [x, y] = [kib(va), kib(vb ?? '')];
          const d = Math.abs(x.v - y.v);
          saw('busy VIRT/RES/SHR (KiB)', d);
          // Scaled (-e m, g, ...): a change within the tolerance may still cross a display unit.
          if (!(d <= BUSY_MEM_TOL + (x.exact ? 0 : 1024 ** ' mgtpe'.indexOf(va.slice(-1)) / 10))) bad(`${c} ${va} vs ${vb}: more than ${BUSY_MEM_TOL} KiB apart`);
        } else if (c === '%MEM' && va !== vb) {
          if (!(Math.abs(Number(va) - Number(vb)) <= 0.1 + 1e-9)) bad('%MEM more than 0.1 apart');
        } else if (va !== vb) bad(`${c} differs`);
      }
      continue;
    }
    if (known.has(pid)) {
      bad('a known process\'s row differs');
      continue;
    }
    if (!stable(pid)) continue;
    // Every column but those in MOVING (PID, USER, PR, NI, COMMAND in the default layout).
    for (const c of new Set([...Object.keys(ra.cells), ...Object.keys(rb.cells)])) {
      const [ca, cb] = [ra.cells[c], rb.cells[c]];
      if (MOVING[c] || ca === cb) continue;
      if (c === 'COMMAND' && ca !== undefined && cb !== undefined && kworkerRenamed(ca, cb)) continue;
      bad(`${c} differs`);
    }
  }
  return out;
}

function differences(real: Out, ours: Out, ctx: Ctx): string[] {
  const out: string[] = [];
  if (real.status !== ours.status || real.signal !== ours.signal) out.push(`status ${real.status} (top) vs ${ours.status ?? ours.signal} (ptools)`);
  if (real.stderr !== ours.stderr) out.push(`stderr:\n  top:    ${JSON.stringify(real.stderr)}\n  ptools: ${JSON.stringify(ours.stderr)}`);
  if (real.stdout.endsWith('\n') !== ours.stdout.endsWith('\n')) out.push('one output ends with a newline, the other not');
  const fa = frames(real.stdout);
  const fb = frames(ours.stdout);
  if (fa.length !== fb.length) return [...out, `${fa.length} frames (top) vs ${fb.length} (ptools)`];
  if (fa.length === 0 && real.stdout !== ours.stdout) out.push(`stdout:\n  top:    ${JSON.stringify(real.stdout)}\n  ptools: ${JSON.stringify(ours.stdout)}`);
  fa.forEach((f, i) => {
    out.push(...summaryProblems(f.summary, fb[i]!.summary, ctx, i));
    out.push(...rowProblems(f, fb[i]!, ctx, { real: real.pid, ours: ours.pid }, i));
  });
  return out;
}

/** Runs both tools (again, up to three times, while the machine moves on under them) and returns the last problems. */
async function compareSet(set: SetDef): Promise<string[]> {
  const args = expand(set.args);
  const env = baseEnv(set.env);
  const hidden = set.sort?.hidden;
  let last: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = snapshot(!!set.threads, hidden);
    const { real, ours } = await runPair(args, env);
    const after = snapshot(!!set.threads, hidden);
    recording = true;
    last = differences(real, ours, { set, before, after });
    recording = false;
    if (!last.length) {
      observed['attempts needed'] = Math.max(observed['attempts needed'] ?? 0, attempt + 1);
      return [];
    }
  }
  return last;
}

// ------------------------------------------------------------------ the argument sets

const SETS: SetDef[] = [
  // The default and frames
  { name: 'default', args: ['-b', '-n1'] },
  { name: 'two frames, half a second apart', args: ['-b', '-n', '2', '-d', '0.5'] },
  { name: 'two frames of the known processes', args: ['-b', '-n', '2', '-d', '0.5', '-p', '{K}'], known: true },
  { name: 'three frames, no delay', args: ['-b', '-n', '3', '-d', '0', '-p', '{S}'], known: true },
  { name: '-n1 -n=1 -n 1 and -bn1 alike', args: ['-bn1', '-n=1', '-n', '1', '-p', '{S}'], known: true },
  { name: 'whole numbers in any base (-n 0x2), a decimal comma (-d 0,3)', args: ['-b', '-n', '0x2', '-d', '0,3', '-p', '{S}'], known: true },
  { name: '-n 010 is octal: eight frames', args: ['-b', '-n', '010', '-d', '0', '-p', '{pid:plain},{pid:mem}'], known: true },
  // -p
  { name: '-p the known processes', args: ['-b', '-n1', '-p', '{K}'], known: true },
  { name: '-p the still ones (ties keep the -p order)', args: ['-b', '-n1', '-p', '{S}'], known: true },
  { name: '-p in another order, repeated, and split over two -p', args: ['-b', '-n1', '-p', '{pid:zombie},{pid:mem},{pid:plain},{pid:mem}', '-p', '{pid:niced}'], known: true },
  { name: '-p 0 is top itself', args: ['-b', '-n1', '-p', '0'], known: true, self: true },
  { name: '-p 0 among known ones', args: ['-b', '-n1', '-p', '{pid:plain},0,{pid:long}'], known: true, self: true },
  { name: '-p an absent pid is no error', args: ['-b', '-n1', '-p', '{pid:plain},{ABSENT},{pid:niced}'], known: true },
  { name: '-p of absent pids only', args: ['-b', '-n1', '-p', '{ABSENT}'], known: true },
  { name: '-p 20 pids (the limit), 8 of them absent', args: ['-b', '-n1', '-p', '{K},{ABSENT8}'], known: true },
  { name: '-p 0x10 reads as 0 (sscanf %d)', args: ['-b', '-n1', '-p', '0x10'], known: true, self: true },
  { name: '--pid=', args: ['--batch-mode', '--iterations=1', '--pid={S}'], known: true },
  // -o
  { name: '-o PID (high to low)', args: ['-b', '-n1', '-o', 'PID'], sort: { col: 'PID', desc: true, ties: true } },
  { name: '-o -PID (low to high)', args: ['-b', '-n1', '-o', '-PID'], sort: { col: 'PID', desc: false, ties: true } },
  { name: '-o +PID of the known', args: ['-b', '-n1', '-o', '+PID', '-p', '{K}'], known: true },
  { name: '-o +%MEM', args: ['-b', '-n1', '-o', '+%MEM'], sort: { col: 'RES', desc: true, ties: false } },
  { name: '-o RES', args: ['-b', '-n1', '-o', 'RES'], sort: { col: 'RES', desc: true, ties: true } },
  { name: '-o -RES of the known', args: ['-b', '-n1', '-o', '-RES', '-p', '{K}'], known: true },
  { name: '-o COMMAND', args: ['-b', '-n1', '-o', 'COMMAND'], sort: { hidden: 'comm', desc: true, ties: true } },
  { name: '-o -COMMAND of the known', args: ['-b', '-n1', '-o', '-COMMAND', '-p', '{K}'], known: true },
  { name: '-o TIME+', args: ['-b', '-n1', '-o', 'TIME+'], sort: { col: 'TIME+', desc: true, ties: true } },
  { name: '-o USER', args: ['-b', '-n1', '-o', 'USER'], sort: { col: 'USER', desc: true, ties: true } },
  { name: '-o -USER of the known', args: ['-b', '-n1', '-o', '-USER', '-p', '{K}'], known: true },
  { name: '-o PPID (not displayed)', args: ['-b', '-n1', '-o', 'PPID'], sort: { hidden: 'ppid', desc: true, ties: true } },
  { name: '-o -nTH (not displayed)', args: ['-b', '-n1', '-o', '-nTH'], sort: { hidden: 'nth', desc: false, ties: true } },
  { name: '-o NI', args: ['-b', '-n1', '-o', 'NI'], sort: { col: 'NI', desc: true, ties: true } },
  { name: '-o -NI of the known', args: ['-b', '-n1', '-o', '-NI', '-p', '{K}'], known: true },
  { name: '-o VIRT of the known', args: ['-b', '-n1', '-o', 'VIRT', '-p', '{K}'], known: true },
  { name: '-o STARTED (not displayed)', args: ['-b', '-n1', '-o', 'STARTED'], sort: { hidden: 'start', desc: true, ties: true } },
  { name: '--sort-override=-PID over two frames', args: ['--batch-mode', '--iterations', '2', '--delay', '0.5', '--sort-override=-PID'], sort: { col: 'PID', desc: false, ties: true } },
  // users
  { name: '-u root', args: ['-b', '-n1', '-u', 'root'] },
  { name: '-u 0', args: ['-b', '-n1', '-u', '0'] },
  { name: '-U root (real, effective, saved or filesystem uid)', args: ['-b', '-n1', '-U', 'root'] },
  { name: "-u '!root'", args: ['-b', '-n1', '-u', '!root'] },
  { name: '-u nobody (effective uid)', args: ['-b', '-n1', '-u', 'nobody'] },
  { name: '-U 65534 (any uid)', args: ['-b', '-n1', '-U', '65534'] },
  { name: '-u a uid with no name', args: ['-b', '-n1', '-u', '4242'] },
  { name: '--filter-only-euser=nobody', args: ['--batch-mode', '-n1', '--filter-only-euser=nobody'] },
  { name: '--filter-any-user=nobody', args: ['--batch-mode', '-n1', '--filter-any-user=nobody'] },
  // toggles
  { name: '-c of the known (command lines, cut with +)', args: ['-b', '-n1', '-c', '-p', '{K}'], known: true },
  { name: '-c', args: ['-b', '-n1', '-c'] },
  { name: '-H of the threaded process', args: ['-b', '-n1', '-H', '-p', '{pid:threads}'], known: true, threads: true },
  { name: '-H of the known', args: ['-b', '-n1', '-H', '-p', '{K}'], known: true, threads: true },
  { name: '-H', args: ['-b', '-n1', '-H'], threads: true },
  { name: '-S of the known', args: ['-b', '-n1', '-S', '-p', '{K}'], known: true, cumulative: true },
  { name: '-S', args: ['-b', '-n1', '-S'], cumulative: true },
  { name: '-i', args: ['-b', '-n1', '-i'], idle: true },
  { name: '-i of the known (only the busy one)', args: ['-b', '-n1', '-i', '-p', '{K}'], known: true, idle: true },
  { name: '-1 at 80 columns (the second CPU and Swap are cut off)', args: ['-b', '-n1', '-1', '-p', '{S}'], known: true },
  { name: '-1 at 200 columns (two CPUs a line, Mem beside Swap)', args: ['-b', '-n1', '-1', '-w', '200', '-p', '{S}'], known: true },
  { name: '-1 twice', args: ['-b', '-n1', '-1', '-1', '-p', '{S}'], known: true },
  { name: '-s (secure mode)', args: ['-b', '-n1', '-s', '-p', '{S}'], known: true },
  // scaling
  ...['k', 'm', 'g', 't', 'p', 'e'].map((u): SetDef => ({ name: `-E ${u}`, args: ['-b', '-n1', '-E', u, '-p', '{S}'], known: true })),
  { name: '-E K (upper case)', args: ['-b', '-n1', '-E', 'K', '-p', '{S}'], known: true },
  ...['k', 'm', 'g', 't', 'p'].map((u): SetDef => ({ name: `-e ${u}`, args: ['-b', '-n1', '-e', u, '-p', '{K}'], known: true })),
  { name: '-e m whole machine', args: ['-b', '-n1', '-e', 'm'] },
  // widths
  { name: '-w (COLUMNS)', args: ['-b', '-n1', '-w', '-p', '{K}'], known: true },
  { name: '-w 200 -c', args: ['-b', '-n1', '-w', '200', '-c', '-p', '{K}'], known: true },
  { name: '-w90 and -w=90', args: ['-b', '-n1', '-w90', '-c', '-w=90', '-p', '{K}'], known: true },
  { name: '-w 0x50', args: ['-b', '-n1', '-w', '0x50', '-c', '-p', '{K}'], known: true },
  { name: '-w 40', args: ['-b', '-n1', '-w', '40', '-p', '{K}'], known: true },
  { name: '-w 5', args: ['-b', '-n1', '-w', '5', '-p', '{S}'], known: true },
  { name: '-w 512 -c', args: ['-b', '-n1', '-w', '512', '-c'] },
  { name: 'COLUMNS=120', args: ['-b', '-n1', '-c', '-p', '{K}'], env: { COLUMNS: '120' }, known: true },
  { name: 'COLUMNS=600 (at most 512)', args: ['-b', '-n1', '-c', '-p', '{K}'], env: { COLUMNS: '600' }, known: true },
  { name: 'COLUMNS=1 (at least 3)', args: ['-b', '-n1', '-p', '{S}'], env: { COLUMNS: '1' }, known: true },
  { name: 'no COLUMNS', args: ['-b', '-n1', '-c', '-p', '{K}'], env: { COLUMNS: undefined }, known: true },
  { name: 'COLUMNS=abc', args: ['-b', '-n1', '-c', '-p', '{K}'], env: { COLUMNS: 'abc' }, known: true },
  { name: '-w with LINES=12 (rows cut to the screen)', args: ['-b', '-n1', '-w'], env: { LINES: '12' }, rowsCut: true },
  { name: '--width=132 --width 100', args: ['--batch-mode', '-n', '1', '--width=132', '--width', '100', '-c', '-p', '{K}'], known: true },
  // long options and combinations
  {
    name: 'long options',
    args: ['--batch-mode', '--iterations=1', '--cmdline-toggle', '--accum-time-toggle', '--single-cpu-toggle', '--scale-summary-mem=k', '--scale-task-mem=m', '--secure-mode', '--width=160', '--pid={K}'],
    known: true,
    cumulative: true,
  },
  { name: '--threads-show --idle-toggle', args: ['--batch-mode', '--iterations', '1', '--threads-show', '--idle-toggle', '--pid', '{K}'], known: true, threads: true, idle: true },
  { name: 'combined: -c -H -o -PID -p', args: ['-b', '-n1', '-c', '-H', '-o', '-PID', '-p', '{pid:threads},{pid:busy}'], known: true, threads: true },
  { name: 'combined: -1 -i -E g -e g -w 160', args: ['-b', '-n1', '-1', '-i', '-E', 'g', '-e', 'g', '-w', '160'], idle: true },
  { name: 'combined: -S -c -u root -o -PID -n 2 -d 0.3', args: ['-b', '-S', '-c', '-u', 'root', '-o', '-PID', '-n', '2', '-d', '0.3'], cumulative: true, sort: { col: 'PID', desc: false, ties: true } },
];

/** Sets compared byte for byte: errors, the field list, help, version. */
const EXACT: [string, string[], Env?][] = [
  ['-n 0', ['-n', '0']],
  ['-b -n 0', ['-b', '-n', '0']],
  ['-n 1.5', ['-b', '-n', '1.5']],
  ['-n x', ['-b', '-n', 'x']],
  ['-d -1', ['-b', '-d', '-1']],
  ['-d x', ['-b', '-n1', '-d', 'x']],
  ['-d nan', ['-b', '-n1', '-d', 'nan']],
  ['-s -d 1 (secure mode)', ['-b', '-n1', '-s', '-d', '1']],
  ['-w x', ['-b', '-n1', '-w', 'x']],
  ['-w 2', ['-b', '-n1', '-w', '2']],
  ['-w 513', ['-b', '-n1', '-w', '513']],
  ['-E x', ['-b', '-n1', '-E', 'x']],
  ['-E kk', ['-b', '-n1', '-E', 'kk']],
  ['-e q', ['-b', '-n1', '-e', 'q']],
  ['-e e (no exbibytes for tasks)', ['-b', '-n1', '-e', 'e']],
  ['-o FOO', ['-b', '-n1', '-o', 'FOO']],
  ['-o pid (names are case-sensitive)', ['-b', '-n1', '-o', 'pid']],
  ['-o + (no name)', ['-b', '-n1', '-o', '+']],
  ["-o '' takes the next word", ['-b', '-n1', '-o', '', '-p1']],
  ['21 pids', ['-b', '-n1', '-p', '{P21}']],
  ['-p x', ['-b', '-n1', '-p', 'x']],
  ['-p 1,,2', ['-b', '-n1', '-p', '1,,2']],
  ['-p -1', ['-b', '-n1', '-p', '-1']],
  ['-p 1.0', ['-b', '-n1', '-p', '1.0']],
  ['-u nosuchuser', ['-b', '-n1', '-u', 'nosuchuser']],
  ['-u root -p 1', ['-b', '-n1', '-u', 'root', '-p', '1']],
  ['-p 1 -u root', ['-b', '-n1', '-p', '1', '-u', 'root']],
  ['-u root -U root', ['-b', '-n1', '-u', 'root', '-U', 'root']],
  ["-u '' takes the next word", ['-b', '-n1', '-u', '', '-p', '1']],
  ['unknown option, before -b (status 0)', ['-Z', '-b', '-n1']],
  ['unknown option after -b (a newline on stdout)', ['-b', '-n1', '-Z']],
  ['unknown long option', ['--foo']],
  ['unknown long option after -b', ['-b', '--foo']],
  ['-d without its argument', ['-b', '-n1', '-d']],
  ['--delay without its argument', ['-b', '-n1', '--delay']],
  ['an operand', ['-b', '-n1', 'foo']],
  ['an operand after a flag', ['-b', 'foo', '-n1']],
  ['not batch mode, not a terminal, TERM=dumb', ['-n1'], { TERM: 'dumb' }],
  ['not batch mode, not a terminal, no TERM', ['-n1']],
  ['-O', ['-O']],
  ['--list-fields after -b', ['-b', '--list-fields']],
];

const HELP: string[][] = [['-h'], ['--help'], ['-b', '-h'], ['-h', '-Z']];
const VERSION_SETS: string[][] = [['-V'], ['--version'], ['-b', '-V']];

// ------------------------------------------------------------------ the tests

describeCommand('top', `top vs procps-ng top 4.0.2${SELFTEST ? ' [SELF-TEST: /usr/bin/top against itself]' : ''}`, () => {
  it('has at least 40 argument sets', () => {
    expect(SETS.length + EXACT.length + HELP.length + VERSION_SETS.length).toBeGreaterThanOrEqual(40);
    expect(SETS.length).toBeGreaterThanOrEqual(40);
  });

  it('the known processes are as the comparisons need them', () => {
    const stat = (pid: number): string[] => statFields(`/proc/${pid}/stat`)!.f;
    expect(Number(stat(kids.niced!.pid)[16])).toBe(5);
    expect(Number(stat(kids.negniced!.pid)[16])).toBe(-5);
    expect(procState(kids.stopped!.pid)).toBe('T');
    expect(procState(kids.zombie!.pid)).toBe('Z');
    expect(tidsOf(kids.threads!.pid)).toHaveLength(5);
    // 50 MiB written: the RES top shows is at least that (in KiB).
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${kids.mem!.pid}/status`, 'latin1'))![1]);
    expect(rss).toBeGreaterThanOrEqual(50 * 1024);
    expect(readFileSync(`/proc/${kids.euid!.pid}/status`, 'latin1')).toMatch(/^Uid:\t0\t65534\t0\t65534$/m);
    expect(ALL.length + 1).toBeLessThanOrEqual(20); // {K} fits -p's limit with one more pid
  });

  for (const set of SETS) {
    it(`${set.name}: top ${set.args.join(' ')}${set.env ? ` (${JSON.stringify(set.env)})` : ''}`, async () => {
      expect(await compareSet(set)).toEqual([]);
    }, 300_000);
  }

  for (const [name, args, env] of EXACT) {
    it(`${name}: top ${args.join(' ')} — status, stdout and stderr exactly`, async () => {
      const { real, ours } = await runPair(expand(args), baseEnv(env));
      expect(ours).toEqual({ ...real, pid: ours.pid });
    });
  }

  for (const args of HELP) {
    it(`top ${args.join(' ')}: the usage text (ptools may add one line for --json)`, async () => {
      const { real, ours } = await runPair(args, baseEnv());
      expect(real.stdout).toMatch(/^\nUsage:\n top \[options\]\n/);
      const stripped = ours.stdout.replace(/^ {2,}.*--json.*\n/m, '');
      expect({ ...ours, stdout: stripped }).toEqual({ ...real, pid: ours.pid });
    });
  }

  for (const args of VERSION_SETS) {
    it(`top ${args.join(' ')}: the version line names ptools`, async () => {
      const { real, ours } = await runPair(args, baseEnv());
      expect(real.stdout).toMatch(/^top from procps-ng 4\.0\.2\n/);
      const want = SELFTEST ? real.stdout : real.stdout.replace('procps-ng 4.0.2', `ptools ${VERSION}`);
      expect({ ...ours }).toEqual({ ...real, stdout: want, pid: ours.pid });
    });
  }
});

// ------------------------------------------------------------------ the comparators themselves

/** Real top's output with one thing changed: the comparison must see it. */
function doctor(out: Out, what: RegExp, by: string | ((m: string) => string)): Out {
  const stdout = out.stdout.replace(what, by as string);
  if (stdout === out.stdout) throw new Error(`doctor: ${what} not found in\n${out.stdout}`);
  return { ...out, stdout };
}

const lineOf = (pid: number): RegExp => new RegExp(`^ *${pid} .*$`, 'm');

/** Real top's output with one cell of a pid's row changed, in the same width. */
function doctorCell(out: Out, pid: number, col: string, f: (v: string) => string): Out {
  const header = out.stdout.split('\n').find((l) => /^ *PID /.test(l))!;
  const k = labels(header).findIndex((l) => l.name === col);
  return doctor(out, lineOf(pid), (line) => {
    const t = [...line.matchAll(/\S+/g)][k]!;
    const v = f(t[0]);
    const w = LEFT.has(col) ? v.padEnd(t[0].length) : v.padStart(t[0].length);
    return line.slice(0, t.index) + w + line.slice(t.index! + t[0].length);
  });
}

describeCommand('top', 'the comparators catch what they must (real top against doctored copies of its own output)', () => {
  it('known processes (-p): a changed cell, order, header, clock, loads, counts, memory, the busy one\'s moving columns', async () => {
    const set: SetDef = { name: 'doctored', args: ['-b', '-n1', '-p', '{K}'], known: true };
    const before = snapshot(false);
    const real = await runReal(expand(set.args), baseEnv());
    const after = snapshot(false);
    const ctx: Ctx = { set, before, after };
    expect(differences(real, real, ctx)).toEqual([]);
    const cases: [string, Out][] = [
      ['VIRT of a sleeper', doctor(real, lineOf(kids.plain!.pid), (l) => l.replace(/^(\s*\d+\s+\S+\s+\S+\s+\S+\s+\d*)(\d)/, (_, a: string, d: string) => a + String((Number(d) + 1) % 10)))],
      ['COMMAND of a sleeper', doctor(real, lineOf(kids.mem!.pid), (l) => l.replace(/ptt-mem50$/, 'ptt-mem51'))],
      ['the cut of COMMAND', doctor(real, lineOf(kids.busy!.pid), (l) => l.replace(/ptt-busy-\+$/, 'ptt-busy-h'))],
      ['NI of a sleeper', doctor(real, lineOf(kids.niced!.pid), (l) => l.replace(/ 25 {3}5 /, ' 25   6 '))],
      ['two rows swapped', doctor(real, new RegExp(`^( *${kids.plain!.pid} .*)\n( *${kids.niced!.pid} .*)$`, 'm'), '$2\n$1')],
      ['a row missing', doctor(real, new RegExp(`^ *${kids.long!.pid} .*\n`, 'm'), '')],
      ['the header', doctor(real, / %CPU /, ' %cpu ')],
      ['the clock, 5 s on', doctor(real, /^top - (\d\d):(\d\d):(\d\d)/, (m) => {
        const [h, mi, se] = m.slice(6).split(':').map(Number) as [number, number, number];
        const t = (h * 3600 + mi * 60 + se + 5) % 86400;
        return `top - ${[t / 3600, (t / 60) % 60, t % 60].map((x) => String(Math.floor(x)).padStart(2, '0')).join(':')}`;
      })],
      ['a load average', doctor(real, /load average: [\d.]+/, (m) => m.replace(/[\d.]+$/, (v) => (Number(v) + 1.5).toFixed(2).padStart(v.length)))],
      ['the users', doctor(real, /(\d+)( users?,)/, (_m) => _m.replace(/^\d+/, (d) => String(Number(d) + 1)))],
      ['the task total', doctor(real, /Tasks: +(\d+)/, (m) => m.replace(/\d+/, (d) => String(Number(d) + 1)))],
      ['a stopped count', doctor(real, /(\d+) stopped/, (m) => m.replace(/\d+/, (d) => String(Number(d) + 1)))],
      ['the memory total', doctor(real, /Mem : +([\d.]+) total/, (m) => m.replace(/\d\.\d/, (d) => `${d[0]}.${(Number(d[2]) + 1) % 10}`))],
      ['free memory, beyond the tolerance', doctor(real, /([\d.]+) free,/, (m) => `${(Number(m.slice(0, -6)) - (MEM_TOL / 1024) - 5).toFixed(1)} free,`)],
      ['a CPU figure beyond 100', doctor(real, /%Cpu\(s\): *[\d.]+ us/, '%Cpu(s):200.0 us')],
      ['the busy one\'s %CPU beyond the tolerance', doctorCell(real, kids.busy!.pid, '%CPU', (v) => (Number(v) < 50 ? Number(v) + CPU_TOL + 1 : Number(v) - CPU_TOL - 1).toFixed(1))],
      ['the busy one\'s TIME+ 10 s on', doctorCell(real, kids.busy!.pid, 'TIME+', (v) => { const h = hundredths(v) + 1000; return `${Math.floor(h / 6000)}:${String(Math.floor(h / 100) % 60).padStart(2, '0')}.${String(h % 100).padStart(2, '0')}`; })],
      ['the busy one\'s RES beyond the tolerance', doctorCell(real, kids.busy!.pid, 'RES', (v) => String(Number(v) + BUSY_MEM_TOL + 4))],
      ['the busy one\'s PR', doctorCell(real, kids.busy!.pid, 'PR', (v) => String(Number(v) - 1))],
      ['the busy one\'s state', doctorCell(real, kids.busy!.pid, 'S', () => 'D')],
      ['a sleeper\'s state', doctorCell(real, kids.threads!.pid, 'S', () => 'R')],
      ['a sleeper\'s %CPU', doctorCell(real, kids.mem!.pid, '%CPU', () => '0.1')],
      ['a known row\'s alignment', doctor(real, lineOf(kids.plain!.pid), (l) => l.replace(/ root {6}/, ' root       ').replace(/ {3}0\.0 /, '  0.0 '))],
      ['no newline at the end', { ...real, stdout: real.stdout.slice(0, -1) }],
      ['a second frame', { ...real, stdout: `${real.stdout}\n${real.stdout}` }],
      ['stderr', { ...real, stderr: 'top: something\n' }],
      ['the status', { ...real, status: 1 }],
    ];
    for (const [what, ours] of cases) expect(differences(real, ours, ctx), what).not.toEqual([]);
  });

  it('the whole machine: sort order, a stable process\'s USER or COMMAND, a stable process missing, a row out of shape', async () => {
    const set: SetDef = { name: 'doctored', args: ['-b', '-n1', '-o', '-PID'], sort: { col: 'PID', desc: false, ties: true } };
    const before = snapshot(false);
    const real = await runReal(set.args, baseEnv());
    const after = snapshot(false);
    const ctx: Ctx = { set, before, after };
    expect(differences(real, real, ctx)).toEqual([]);
    const init = lineOf(1);
    const cases: [string, Out][] = [
      ['rows out of order', doctor(real, /^( +1 .*)\n( +2 .*)$/m, '$2\n$1')],
      ['USER of a stable process', doctor(real, init, (l) => l.replace(' root ', ' rooT '))],
      ['COMMAND of a stable process', doctor(real, lineOf(2), (l) => l.replace(/kthreadd$/, 'kthreadX'))],
      ['a stable process missing', doctor(real, /^ +2 .*\n/m, '')],
      ['a row out of shape', doctor(real, init, (l) => l.replace(/^ {4}1 /, '   1  '))],
      ['a known process missing', doctor(real, new RegExp(`^ *${kids.busy!.pid} .*\n`, 'm'), '')],
    ];
    for (const [what, ours] of cases) expect(differences(real, ours, ctx), what).not.toEqual([]);
  });
});

// ------------------------------------------------------------------ facts about top 4.0.2 the sets rely on

describeCommand('top', 'top 4.0.2 on this machine (what the sets above take for granted)', () => {
  it('-O lists 78 field names, PID first and nsTIME last', async () => {
    const r = await runReal(['-O'], baseEnv());
    const names = r.stdout.trimEnd().split('\n');
    expect(names).toHaveLength(78);
    expect(names.slice(0, 4)).toEqual(['PID', 'PPID', 'UID', 'USER']);
    expect(names[names.length - 1]).toBe('nsTIME');
  });

  it('the default layout at 80 columns: summary lines, a blank line, the header, rows cut at 79 with +', async () => {
    const r = await runReal(['-b', '-n1', '-p', pidsOf('busy', 'plain')], baseEnv());
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(TOP_RE);
    expect(lines[1]).toMatch(TASKS_RE);
    expect(lines[2]).toMatch(/^%Cpu\(s\):.* st $/);
    expect(lines[3]).toMatch(/^MiB Mem : .* buff\/cache {5}$/);
    expect(lines[4]).toMatch(/^MiB Swap: .* avail Mem $/);
    expect(lines[5]).toBe('');
    const w = String(PID_MAX).length;
    expect(lines[6]).toBe(`${'PID'.padStart(Math.max(w, 5))} USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND`);
    const busy = lines.find((l) => l.trimStart().startsWith(`${kids.busy!.pid} `))!;
    expect(busy).toMatch(/ ptt-busy-\+$/);
    expect(busy.length).toBe(79);
  });
});

// ------------------------------------------------------------------ --json

/** Whether this ptools has `top --json` (a probe run; its message says why not). */
function jsonProbe(): string | null {
  if (SELFTEST) return 'self-test mode: /usr/bin/top has no --json';
  const r = spawnSync(process.execPath, [PTOOLS, 'top', '-b', '-n', '1', '-p', String(process.pid), '--json'], { encoding: 'utf8', env: baseEnv(), timeout: 60_000 });
  try {
    JSON.parse(r.stdout.split('\n')[0]!);
    return r.status === 0 ? null : `ptools top --json exits ${r.status}`;
  } catch {
    return `ptools top has no --json yet (${(r.stderr || r.stdout || String(r.error)).trim().split('\n')[0]})`;
  }
}

const noJson = jsonProbe();

interface TopJson {
  time: string;
  uptime: number;
  users: number;
  loadavg: number[];
  tasks: Record<string, number>;
  cpu: Record<string, number>;
  cpus?: Record<string, number>[];
  memory: Record<string, number>;
  swap: Record<string, number>;
  processes: {
    pid: number;
    user: string;
    priority: number | string;
    nice: number;
    virt: number;
    res: number;
    shr: number;
    state: string;
    cpuPercent: number;
    memPercent: number;
    cpuTime: number;
    command: string;
  }[];
}

const CPU_KEYS = ['user', 'system', 'nice', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
const PROC_KEYS = ['pid', 'user', 'priority', 'nice', 'virt', 'res', 'shr', 'state', 'cpuPercent', 'memPercent', 'cpuTime', 'command'];

function checkDoc(doc: TopJson, withCpus: boolean, t0: number, t1: number): void {
  expect(Object.keys(doc)).toEqual(['time', 'uptime', 'users', 'loadavg', 'tasks', 'cpu', ...(withCpus ? ['cpus'] : []), 'memory', 'swap', 'processes']);
  expect(doc.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(Date.parse(doc.time)).toBeGreaterThanOrEqual(t0 - 1000);
  expect(Date.parse(doc.time)).toBeLessThanOrEqual(t1 + 1000);
  expect(typeof doc.uptime).toBe('number');
  expect(Number.isInteger(doc.users)).toBe(true);
  expect(doc.loadavg).toHaveLength(3);
  for (const v of doc.loadavg) expect(typeof v).toBe('number');
  expect(Object.keys(doc.tasks)).toEqual(['total', 'running', 'sleeping', 'stopped', 'zombie']);
  for (const v of Object.values(doc.tasks)) expect(Number.isInteger(v)).toBe(true);
  const cpuOk = (c: Record<string, number>): void => {
    expect(Object.keys(c)).toEqual(CPU_KEYS);
    for (const v of Object.values(c)) expect(v >= 0 && v <= 100).toBe(true);
  };
  cpuOk(doc.cpu);
  if (withCpus) {
    expect(doc.cpus).toHaveLength(NCPU);
    // Each CPU's object leads with its number (the kernel's cpuN), then the same percentages.
    doc.cpus!.forEach((c, i) => {
      const { cpu, ...rest } = c as Record<string, number>;
      expect(cpu).toBe(i);
      cpuOk(rest);
    });
  }
  expect(Object.keys(doc.memory)).toEqual(['total', 'free', 'used', 'buffCache', 'available']);
  expect(Object.keys(doc.swap)).toEqual(['total', 'free', 'used']);
  for (const v of [...Object.values(doc.memory), ...Object.values(doc.swap)]) expect(Number.isInteger(v) && v >= 0).toBe(true);
  // Bytes: MemTotal from /proc/meminfo is in KiB.
  expect(doc.memory.total).toBe(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'latin1'))![1]) * 1024);
  expect(Array.isArray(doc.processes)).toBe(true);
  for (const p of doc.processes) {
    expect(Object.keys(p)).toEqual(PROC_KEYS);
    expect(typeof p.user).toBe('string');
    expect(typeof p.command).toBe('string');
    for (const k of ['pid', 'nice', 'virt', 'res', 'shr'] as const) expect(Number.isInteger(p[k])).toBe(true);
    for (const k of ['cpuPercent', 'memPercent', 'cpuTime'] as const) expect(typeof p[k]).toBe('number');
  }
}

(noJson ? describe.skip : describe)(`ptools top --json${noJson ? ` [SKIPPED: ${noJson}]` : ''}`, () => {
  it('-b -n 2 -d 0.2 --json: one object per frame per line, with the documented keys and types', async () => {
    const t0 = Date.now();
    const r = await runOurs(['-b', '-n', '2', '-d', '0.2', '--json'], baseEnv());
    const t1 = Date.now();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const docs = lines.map((l) => JSON.parse(l) as TopJson);
    for (const d of docs) checkDoc(d, false, t0, t1);
    expect(Date.parse(docs[1]!.time)).toBeGreaterThan(Date.parse(docs[0]!.time));
    // The known processes are there, with the machine's others.
    expect(docs[1]!.processes.map((p) => p.pid)).toEqual(expect.arrayContaining([kids.plain!.pid, kids.busy!.pid]));
  });

  it('-1 adds cpus, one object per CPU', async () => {
    const t0 = Date.now();
    const r = await runOurs(['-b', '-n', '1', '-1', '-p', pidsOf('plain'), '--json'], baseEnv());
    const t1 = Date.now();
    expect(r.status).toBe(0);
    checkDoc(JSON.parse(r.stdout) as TopJson, true, t0, t1);
  });

  it('the text and --json of the same processes agree (known sleeping ones exactly)', async () => {
    const still = ['plain', 'niced', 'negniced', 'stopped', 'threads', 'mem', 'euid', 'nobody', 'zparent', 'zombie'];
    const args = ['-b', '-n', '1', '-w', '512', '-p', pidsOf(...still)];
    const text = await runOurs(args, baseEnv());
    const json = await runOurs([...args, '--json'], baseEnv());
    expect(text.status).toBe(0);
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout) as TopJson;
    const f = frames(text.stdout)[0]!;
    const rows = parseRows(f.header, f.rows, -1);
    expect(rows.map((r) => r.pid).sort()).toEqual(doc.processes.map((p) => p.pid).sort());
    for (const row of rows) {
      const p = doc.processes.find((x) => x.pid === row.pid)!;
      const c = row.cells;
      expect({ pid: p.pid, user: p.user, priority: String(p.priority), nice: p.nice, virt: p.virt, res: p.res, shr: p.shr, state: p.state, command: p.command }).toEqual({
        pid: Number(c.PID),
        user: c.USER,
        priority: c.PR,
        nice: Number(c.NI),
        virt: Number(c.VIRT) * 1024,
        res: Number(c.RES) * 1024,
        shr: Number(c.SHR) * 1024,
        state: c.S,
        command: c.COMMAND,
      });
      expect(Math.abs(p.cpuTime * 100 - hundredths(c['TIME+']!))).toBeLessThan(1);
      expect(p.cpuPercent).toBe(0);
    }
    // The summary: the same tasks (only known, still processes), the same total memory.
    const t = TASKS_RE.exec(f.summary[1]!)!;
    expect(doc.tasks).toEqual({ total: Number(t[2]), running: Number(t[3]), sleeping: Number(t[4]), stopped: Number(t[5]), zombie: Number(t[6]) });
    const mem = MEM_RE.exec(segments(f.summary[3]!)[0]!)!;
    expect(Math.abs(doc.memory.total / 1024 / 1024 - Number(mem[2]))).toBeLessThanOrEqual(0.05);
  });

  it('bad input with --json: the same message and status as without', async () => {
    for (const args of [['-n', '0'], ['-p', 'x'], ['-o', 'FOO']]) {
      const a = await runOurs(['-b', ...args], baseEnv());
      const b = await runOurs(['-b', ...args, '--json'], baseEnv());
      expect({ status: b.status, stdout: b.stdout, stderr: b.stderr }).toEqual({ status: a.status, stdout: a.stdout, stderr: a.stderr });
    }
  });
});
