/**
 * top: procps-ng 4.0.2 top's batch mode (Debian's build), frame for frame,
 * on the library's Sampler; `--json` gives each frame as one line of JSON
 * (NDJSON) with typed raw values.
 *
 * A run reads the toprc as top does (toprc.ts), applies the command line over
 * it (options.ts), then draws frames: the summary area (the uptime line,
 * Tasks/Threads, %Cpu, MiB Mem/Swap), a blank line, the column header and
 * one row per task (fields.ts), sorted and filtered as top does. The first
 * frame samples the processes twice, 150 ms apart, as top primes its
 * history; later frames cover the delay.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { ticker } from '../../cli/ticker.js';
import type { Command, Parsed } from '../../cli/command.js';
import { version } from '../../cli/version.js';
import { clockTicks, pageSize } from '../../core/base/sysconf.js';
import { utf8Locale } from '../../core/base/locale.js';
import { sleepSync } from '../../core/base/clock.js';
import { pidMaxDigits, itemEnv } from '../../core/process/items.js';
import type { ScanSource } from '../../core/process/scan.js';
import { Sampler, type CpuSample, type MemorySummary, type ProcessesSample, type TaskCounts } from '../../core/sample/sampler.js';
import { cpuCount } from '../../core/system/cpu.js';
import type { CpuTimes } from '../../core/procfs/stat.js';
import { Proc, strverscmp, type Env } from '../../text/procps-proc.js';
import { collect as collectUptime, renderLine } from '../../text/uptime.js';
import { stringWidth } from '../../text/wcwidth.js';
import { cFixed, justifyHeader } from './format.js';
import { FIELDS, newFrame, type Field, type FieldCtx, type TopTask } from './fields.js';
import { LONG, SHORT, currentView, parseTop, settingsFrom, shownViews, SCREENMAX, W_MIN_COL, type TopSettings, type UserFilter, type WindowView } from './options.js';
import { readToprc, WINFLAGS as W, type TopOtherFilter } from './toprc.js';

export { FIELDS } from './fields.js';

/** LIB_USLEEP: the pause between the two scans that prime the first frame. */
const PRIME_SECONDS = 0.15;

export interface TopOptions {
  readonly json: boolean;
  readonly settings: TopSettings;
}

const HELP = (prog: string): string => `
Usage:
 ${prog} [options]

Options:
 -b, --batch-mode                run in non-interactive batch mode
 -c, --cmdline-toggle            reverse last remembered 'c' state
 -d, --delay =SECS [.TENTHS]     iterative delay as SECS [.TENTHS]
 -E, --scale-summary-mem =SCALE  set mem as: k,m,g,t,p,e for SCALE
 -e, --scale-task-mem =SCALE     set mem with: k,m,g,t,p for SCALE
 -H, --threads-show              show tasks plus all their threads
 -i, --idle-toggle               reverse last remembered 'i' state
 -n, --iterations =NUMBER        exit on maximum iterations NUMBER
 -O, --list-fields               output all field names, then exit
 -o, --sort-override =FIELD      force sorting on this named FIELD
 -p, --pid =PIDLIST              monitor only the tasks in PIDLIST
 -S, --accum-time-toggle         reverse last remembered 'S' state
 -s, --secure-mode               run with secure mode restrictions
 -U, --filter-any-user =USER     show only processes owned by USER
 -u, --filter-only-euser =USER   show only processes owned by USER
 -w, --width [=COLUMNS]          change print width [,use COLUMNS]
 -1, --single-cpu-toggle         reverse last remembered '1' state
     --json                      one JSON object per frame (NDJSON)

 -h, --help                      display this help text, then exit
 -V, --version                   output version information & exit

For more details see top(1).`;

// ------------------------------------------------------------------ geometry

interface Geometry {
  cols: number;
  rows: number;
}

function envPositive(v: string | undefined): number {
  if (v === undefined || v === '') return 0;
  const m = /^[ \t]*[+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(v);
  if (!m) return 0;
  const b = m[1]!;
  const n = /^0[xX]/.test(b) ? parseInt(b.slice(2), 16) : b.length > 1 && b[0] === '0' ? parseInt(b, 8) : parseInt(b, 10);
  return n > 0 && n <= 0x7fffffff ? n : 0;
}

/** adj_geometry for batch mode: the terminal's (or COLUMNS's, else 80) width, -w over it; rows unlimited unless -w and LINES say. */
function geometry(s: TopSettings, io: IO): Geometry {
  // setupterm: COLUMNS, else the terminal's; then adj_geometry asks the terminal itself (TIOCGWINSZ), which wins.
  const tty = io.isTTY && process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 0;
  let cols = tty || envPositive(io.env.COLUMNS) || 80;
  if (cols > SCREENMAX) cols = SCREENMAX;
  if (cols < W_MIN_COL) cols = W_MIN_COL;
  let wCols = 0;
  let wRows = 0;
  if (s.width !== undefined && s.width > 0) wCols = s.width;
  else if (s.width !== undefined) {
    wCols = envPositive(io.env.COLUMNS) || SCREENMAX;
    wRows = envPositive(io.env.LINES);
    if (wCols < W_MIN_COL) wCols = W_MIN_COL;
    if (wRows && wRows < 3) wRows = 3;
  }
  if (wCols > SCREENMAX) wCols = SCREENMAX;
  if (wCols) cols = wCols;
  return { cols, rows: wRows || Number.MAX_SAFE_INTEGER };
}

// ------------------------------------------------------------------ columns

interface Layout {
  /** The fields shown, in order. */
  readonly shown: readonly Field[];
  /** Each shown field's width (variable ones get the frame's room). */
  readonly widths: readonly number[];
  readonly header: string;
}

/** zap_fieldstab's start-up widths. */
function baseWidth(f: Field, s: TopSettings, cpus: number, numa: number): number {
  const pidw = Math.max(5, pidMaxDigits());
  switch (f.name) {
    case 'PID':
    case 'PPID':
    case 'PGRP':
    case 'SID':
    case 'TGID':
    case 'TPGID':
      return pidw;
    case 'P':
      return Math.max(1, String(cpus).length);
    case 'NU':
      return Math.max(2, String(numa).length);
    case 'UID':
    case 'RUID':
    case 'SUID':
    case 'GID':
      return 5 + Math.max(0, s.fixedWidest);
    case 'USER':
    case 'RUSER':
    case 'SUSER':
    case 'GROUP':
    case 'TTY':
    case 'LXC':
      return 8 + Math.max(0, s.fixedWidest);
    case 'WCHAN':
    case 'nsIPC':
    case 'nsMNT':
    case 'nsNET':
    case 'nsPID':
    case 'nsUSER':
    case 'nsUTS':
    case 'nsCGROUP':
    case 'nsTIME':
      return 10 + Math.max(0, s.fixedWidest);
    default:
      return f.width;
  }
}

/** calibrate_fields + build_headers: the fields that fit in the width, the room of the variable ones, the header (with 'A', after the window's number). */
function layout(v: WindowView, s: TopSettings, cols: number, cpus: number, numa: number): Layout {
  const on = v.fields.filter((f) => f.on && f.id < FIELDS.length).map((f) => FIELDS[f.id]!);
  const all = on.length ? on : [FIELDS[0]!];
  const shown: Field[] = [];
  let used = s.altscr ? 1 : 0;
  let varNames = 0;
  let varCount = 0;
  for (const f of all) {
    const w = f.width === -1 ? f.name.length : baseWidth(f, s, cpus, numa);
    const len = w + 1;
    if (cols < used + len) break;
    if (f.width === -1) {
      varCount++;
      varNames += f.name.length;
    }
    used += len;
    shown.push(f);
  }
  let varSize = varNames + cols - used;
  if (varCount) varSize = Math.trunc(varSize / varCount);
  const widths = shown.map((f) => (f.width === -1 ? varSize : baseWidth(f, s, cpus, numa)));
  const justStr = (v.winflags & W.Show_JRSTRS) !== 0;
  const justNum = (v.winflags & W.Show_JRNUMS) !== 0;
  const header = (s.altscr ? String(v.num) : '') + shown.map((f, i) => justifyHeader(f.name, widths[i]!, f.align === 'str' ? justStr : justNum)).join('');
  return { shown, widths, header };
}

/** The scan sources the shown fields, the sort fields and the user filters of the windows need. */
function sourcesFor(windows: readonly { view: WindowView; fields: readonly Field[] }[]): ScanSource[] {
  const set = new Set<ScanSource>(['stat']);
  for (const { view, fields } of windows) {
    // The user filters: -u the euid, -U every uid (status).
    if (view.user) set.add(view.user.kind === 'U' ? 'status' : 'owner');
    for (const f of [...fields, FIELDS[view.sortindx]!]) {
      for (const src of f.sources) {
        if (src === 'cmdline' && !(view.winflags & W.Show_CMDLIN)) continue;
        set.add(src);
      }
    }
  }
  return [...set];
}

// ------------------------------------------------------------------ summary

/** The summary memory scales: label and divisor (KiB → unit). */
const SUMM_SCALE = [
  { label: 'KiB', div: 1 },
  { label: 'MiB', div: 1024 },
  { label: 'GiB', div: 1024 ** 2 },
  { label: 'TiB', div: 1024 ** 3 },
  { label: 'PiB', div: 1024 ** 4 },
  { label: 'EiB', div: 1024 ** 5 },
];

/** prT: "%.0f " / "%#.1f " in 9 bytes at most, the 9th replaced by '+' when it overflows. */
function memCell(kib: number, scale: number): string {
  const v = Math.fround(kib) / SUMM_SCALE[scale]!.div;
  let s = (scale === 0 ? cFixed(v, 0) : cFixed(v, 1)) + ' ';
  if (s.length > 9) s = s.slice(0, 8) + '+';
  return s;
}

/** "%9.9s" */
const col9 = (s: string): string => s.slice(0, 9).padStart(9);

interface CpuTicks {
  readonly id: number;
  readonly d: Record<'user' | 'nice' | 'system' | 'idle' | 'iowait' | 'irq' | 'softirq' | 'steal' | 'guest' | 'guestNice', number>;
}

/** sum_tics: a %Cpu line's text. */
function cpuLine(prefix: string, t: CpuTicks['d']): string {
  let idle = t.idle;
  let tot = t.user + t.nice + t.system + t.irq + t.softirq + t.idle + t.iowait + t.steal + t.guest + t.guestNice;
  if (tot < 1) idle = tot = 1;
  const scale = Math.fround(100 / tot);
  const p = (v: number): string => cFixed(Math.fround(Math.fround(v) * scale), 1).padStart(5);
  return `${prefix}${p(t.user)} us,${p(t.system)} sy,${p(t.nice)} ni,${p(idle)} id,${p(t.iowait)} wa,${p(t.irq)} hi,${p(t.softirq)} si,${p(t.steal)} st `;
}

/** CPU second deltas back to clock ticks. */
function ticksOf(t: CpuTimes, hz: number): CpuTicks['d'] {
  const r = (v: number): number => Math.max(0, Math.round(v * hz));
  return {
    user: r(t.user), nice: r(t.nice), system: r(t.system), idle: r(t.idle), iowait: r(t.iowait),
    irq: r(t.irq), softirq: r(t.softirq), steal: r(t.steal), guest: r(t.guest), guestNice: r(t.guestNice),
  };
}

/** Cuts a summary line at the width (show_special's room), in screen cells. */
function cut(line: string, cols: number): string {
  if (line.length <= cols && stringWidth(line) <= cols) return line;
  let out = '';
  let w = 0;
  for (const ch of line) {
    const cw = stringWidth(ch);
    if (w + cw > cols) break;
    out += ch;
    w += cw;
  }
  return out;
}

interface Frame {
  readonly when: number;
  readonly uptimeLine: string;
  readonly up: ReturnType<typeof collectUptime>;
  readonly procs: ProcessesSample;
  readonly counts: TaskCounts;
  readonly cpu: CpuSample;
  readonly mem: MemorySummary;
  readonly tasks: readonly TopTask[];
  /** The frame's facts; each window adds its own toggles (paneCtx). */
  readonly ctx: FieldCtx;
}

/** A window's cells follow its own toggles: c, S, j and J. */
function paneCtx(base: FieldCtx, v: WindowView): FieldCtx {
  return {
    ...base,
    cmdline: (v.winflags & W.Show_CMDLIN) !== 0,
    cumulative: (v.winflags & W.Show_CTIMES) !== 0,
    justStr: (v.winflags & W.Show_JRSTRS) !== 0,
    justNum: (v.winflags & W.Show_JRNUMS) !== 0,
  };
}

/** The summary lines of a frame (each already cut to the width). */
function summaryLines(f: Frame, s: TopSettings, cols: number, hz: number): string[] {
  const lines: string[] = [];
  const flags = s.winflags;
  if (flags & W.View_LOADAV) {
    // LOADAV_line, or with 'A' the current window's "N:Name" in its place.
    const cur = s.windows[s.curwin]!;
    lines.push(s.altscr ? `${cur.num}:${cur.name} -${f.uptimeLine}` : `top -${f.uptimeLine}`);
  }
  // sum_see: with double_up, rows join two abreast (" " + " "), the last one flushed alone.
  const adjoin: string[] = [];
  const see = (row: string, nobuf: boolean): void => {
    if (s.doubleUp && !nobuf && adjoin.length < s.doubleUp) {
      adjoin.push(row);
      return;
    }
    adjoin.push(row);
    lines.push(adjoin.join('  '));
    adjoin.length = 0;
  };
  if (flags & W.View_STATES) {
    const c = f.counts;
    const n = (v: number): string => String(v).padStart(3);
    lines.push(`${s.threads ? 'Threads' : 'Tasks'}: ${n(c.total)} total, ${n(c.running)} running, ${n(c.sleeping + c.other)} sleeping, ${n(c.stopped)} stopped, ${n(c.zombie)} zombie`);
    if (flags & W.View_CPUSUM) {
      lines.push(cpuLine('%Cpu(s):', ticksOf(f.cpu.total, hz)));
    } else {
      const per = f.cpu.perCpu;
      per.forEach((t, i) => see(cpuLine(`%Cpu${String(i).padEnd(3)}:`, ticksOf(t, hz)), i + 1 >= per.length));
    }
    if (adjoin.length) see('', true);
  }
  if (flags & W.View_MEMORY) {
    const sc = SUMM_SCALE[s.summScale]!;
    const m = f.mem;
    const k = (b: number): string => col9(memCell(b / 1024, s.summScale));
    const line1 = `${sc.label} Mem : ${k(m.total)}total, ${k(m.free)}free, ${k(m.used)}used, ${k(m.buffCache)}buff/cache     `;
    const line2 = `${sc.label} Swap: ${k(m.swapTotal)}total, ${k(m.swapFree)}free, ${k(m.swapUsed)}used. ${k(m.available)}avail Mem `;
    see(line1, false);
    see(line2, true);
  }
  return lines.map((l) => cut(l, cols));
}

// ------------------------------------------------------------------ tasks

function sortTasks(tasks: TopTask[], f: Field, ctx: FieldCtx, descending: boolean): TopTask[] {
  const order = descending ? -1 : 1;
  const keys = new Map<TopTask, number | string>();
  for (const t of tasks) keys.set(t, f.sortKey(t, ctx));
  const cmp =
    f.sortType === 'num'
      ? (a: TopTask, b: TopTask) => {
          const x = keys.get(a) as number;
          const y = keys.get(b) as number;
          return x > y ? order : x < y ? -order : 0;
        }
      : f.name === 'TTY'
        ? (a: TopTask, b: TopTask) => order * strverscmp(keys.get(a) as string, keys.get(b) as string)
        : (a: TopTask, b: TopTask) => {
            const x = keys.get(a) as string;
            const y = keys.get(b) as string;
            return x > y ? order : x < y ? -order : 0;
          };
  // Array.prototype.sort is stable, as glibc's qsort (a merge sort) is for top's pointer arrays.
  return tasks.slice().sort(cmp);
}

/** wins_usrselect. */
function userSelected(t: TopTask, u: UserFilter | null): boolean {
  if (!u) return true;
  const ids = t.p.uids;
  const e = t.p.r.status ? ids[1] : t.p.r.ownerUid;
  const hit = u.kind === 'U' ? ids[0] === u.uid || ids[2] === u.uid || ids[3] === u.uid || e === u.uid : e === u.uid;
  return hit ? u.match : !u.match;
}

/** strcasecmp in the C locale. */
function caseCmp(a: string, b: string): number {
  const x = a.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const y = b.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return x < y ? -1 : x > y ? 1 : 0;
}

/** osel_matched: a shown cell (as printed, padding and all) against the window's other filters on its field. */
function oselMatched(filters: readonly TopOtherFilter[], id: number, cell: string): boolean {
  for (const o of filters) {
    if (o.field !== id) continue;
    if (o.op === '=') {
      const hit = o.ignoreCase ? cell.toLowerCase().includes(o.compareValue.toLowerCase()) : cell.includes(o.compareValue);
      if (hit !== o.include) return false;
      continue;
    }
    const r = o.ignoreCase ? caseCmp(cell, o.compareValue) : cell < o.compareValue ? -1 : cell > o.compareValue ? 1 : 0;
    const ok = o.op === '<' ? r < 0 : r > 0;
    if (ok !== o.include) return false;
  }
  return true;
}

/** The tasks a window may show, in order (window_show's sort, idle and user selection); the other filters come with the cells. */
function candidateTasks(tasks: readonly TopTask[], v: WindowView, ctx: FieldCtx): TopTask[] {
  const sorted = sortTasks(tasks.slice(), FIELDS[v.sortindx]!, ctx, (v.winflags & W.Qsrt_NORMAL) !== 0);
  const idle = (v.winflags & W.Show_IDLEPS) !== 0;
  return sorted.filter((t) => (idle || t.cpuTicks > 0) && userSelected(t, v.user));
}

/** One window's part of a run: its view, its columns, and the fields --json reports. */
interface Pane {
  readonly view: WindowView;
  readonly lay: Layout;
  /** Every field on in the window, whatever the width (what --json reports). */
  readonly fields: readonly Field[];
}

// ------------------------------------------------------------------ the run

class TopRun {
  readonly sampler: Sampler;
  readonly hz = clockTicks();
  readonly cpus = cpuCount() ?? 1;
  /** Numa_node_tot only widens NU past 2 digits: a machine with 100 nodes. */
  readonly numa = 0;
  readonly geo: Geometry;
  readonly panes: readonly Pane[];
  readonly cpuPmax: number;
  readonly env: Env;

  constructor(
    readonly s: TopSettings,
    readonly io: IO,
  ) {
    this.geo = geometry(s, io);
    // --json reports the current window; text shows it, or with 'A' every window whose tasks are on.
    const views = s.json ? [currentView(s)] : shownViews(s);
    this.panes = views.map((view) => ({
      view,
      lay: layout(view, s, this.geo.cols, this.cpus, this.numa),
      fields: view.fields.filter((f) => f.on && f.id < FIELDS.length).map((f) => FIELDS[f.id]!),
    }));
    const need = this.panes.map((p) => ({ view: p.view, fields: s.json ? p.fields : p.lay.shown }));
    this.sampler = new Sampler({ threads: s.threads, sources: sourcesFor(need), pids: s.pids.length ? s.pids : undefined, irix: s.irix });
    // top's stat context reads /proc/stat once at start-up: the first frame's CPU line covers the time since.
    this.sampler.cpu();
    let pmax = 99.9;
    if (s.irix && this.cpus > 1 && !s.threads) pmax = Math.min(100 * this.cpus, this.cpus > 10 ? 99999 : 999.9);
    this.cpuPmax = pmax;
    const e = itemEnv() as Env;
    e.utf8 = utf8Locale(io.env);
    this.env = e;
  }

  frame(first: boolean): Frame {
    newFrame();
    let procs = this.sampler.processes();
    const cpu = this.sampler.cpu();
    const mem = this.sampler.memory();
    if (first) {
      // tasks_refresh again after LIB_USLEEP, so %CPU covers 150 ms instead of the tasks' whole lives.
      sleepSync(PRIME_SECONDS);
      procs = this.sampler.processes();
    }
    const up = collectUptime();
    const env = itemEnv() as Env;
    env.utf8 = this.env.utf8;
    const et = Math.fround(procs.elapsed);
    const etscale = Math.fround(100 / Math.fround(Math.fround(this.hz * et) * (this.s.irix ? 1 : this.cpus)));
    const ctx: FieldCtx = {
      hertz: this.hz,
      etscale,
      etscaleExact: 100 / (this.hz * procs.elapsed * (this.s.irix ? 1 : this.cpus)),
      cpuPmax: this.cpuPmax,
      memTotalKiB: mem.total / 1024,
      pageKiB: pageSize() / 1024,
      taskScale: this.s.taskScale,
      zeroSuppress: this.s.zeroSuppress,
      ticsScaled: this.s.ticsScaled,
      cmdline: (this.s.winflags & W.Show_CMDLIN) !== 0,
      cumulative: (this.s.winflags & W.Show_CTIMES) !== 0,
      justStr: (this.s.winflags & W.Show_JRSTRS) !== 0,
      justNum: (this.s.winflags & W.Show_JRNUMS) !== 0,
      utf8: env.utf8,
    };
    const tasks: TopTask[] = procs.tasks.map((t) => ({ p: new Proc(t.record, env), cpuTicks: t.cpuTicks, minfltDelta: t.minfltDelta, majfltDelta: t.majfltDelta }));
    return { when: up.now, up, uptimeLine: renderLine(up, this.io.env), procs, counts: procs.counts, cpu, mem, tasks, ctx };
  }

  text(f: Frame): string {
    const summary = summaryLines(f, this.s, this.geo.cols, this.hz);
    // Max_lines: the rows left under the summary; each window's header takes one (frame_hlp shares them out).
    let room = this.geo.rows - summary.length - 1;
    const parts: string[] = [summary.map((l) => `${l}\n`).join('')];
    this.panes.forEach((pane, k) => {
      if (room <= 0) return;
      const wins = this.panes.length - k;
      let lines = this.s.altscr ? Math.floor((room - wins) / wins) : room - 1;
      if (pane.view.maxtasks) lines = pane.view.maxtasks;
      const limit = Math.max(0, Math.min(room - 1, lines));
      const rows = this.rows(f, pane, limit);
      parts.push(pane.lay.header.replace(/ +$/, ''), ...rows);
      room -= rows.length + 1;
    });
    return parts.join('\n');
  }

  /** A window's rows (window_show): sorted, selected, filtered, at most `limit`, trailing blanks dropped as PUFF drops them. */
  rows(f: Frame, pane: Pane, limit: number): string[] {
    if (f.tasks.length === 0) return [];
    const { shown, widths } = pane.lay;
    const v = pane.view;
    const ctx = paneCtx(f.ctx, v);
    const filters = v.filters;
    const lead = this.s.altscr ? ' ' : '';
    const out: string[] = [];
    for (const t of candidateTasks(f.tasks, v, ctx)) {
      if (out.length >= limit) break;
      let row = lead;
      let hidden = false;
      for (let i = 0; i < shown.length; i++) {
        const cell = shown[i]!.cell(t, ctx, widths[i]!);
        if (filters.length && !oselMatched(filters, shown[i]!.id, cell)) {
          hidden = true;
          break;
        }
        row += cell;
      }
      if (hidden) continue;
      let end = row.length;
      while (end > 0 && row.charCodeAt(end - 1) === 32) end--;
      out.push(end === row.length ? row : row.slice(0, end));
    }
    return out;
  }

  json(f: Frame): string {
    const hz = this.hz;
    const pct = (t: CpuTimes): Record<string, number> => {
      const d = ticksOf(t, hz);
      let idle = d.idle;
      let tot = d.user + d.nice + d.system + d.irq + d.softirq + d.idle + d.iowait + d.steal + d.guest + d.guestNice;
      if (tot < 1) idle = tot = 1;
      const p = (v: number): number => (v * 100) / tot;
      return { user: p(d.user), system: p(d.system), nice: p(d.nice), idle: p(idle), iowait: p(d.iowait), irq: p(d.irq), softirq: p(d.softirq), steal: p(d.steal) };
    };
    const c = f.counts;
    const doc: Record<string, unknown> = {
      time: new Date(f.when * 1000).toISOString(),
      uptime: f.up.uptime,
      users: f.up.users,
      loadavg: f.up.loadavg,
      tasks: { total: c.total, running: c.running, sleeping: c.sleeping + c.other, stopped: c.stopped, zombie: c.zombie },
      cpu: pct(f.cpu.total),
    };
    if (!(this.s.winflags & W.View_CPUSUM)) doc.cpus = f.cpu.perCpu.map((t, i) => ({ cpu: i, ...pct(t) }));
    const m = f.mem;
    doc.memory = { total: m.total, free: m.free, used: m.used, buffCache: m.buffCache, available: m.available };
    doc.swap = { total: m.swapTotal, free: m.swapFree, used: m.swapUsed };
    const pane = this.panes[0]!;
    const { shown, widths } = pane.lay;
    const v = pane.view;
    const ctx = paneCtx(f.ctx, v);
    const filters = v.filters;
    const passes = (t: TopTask): boolean => !filters.length || shown.every((fld, i) => oselMatched(filters, fld.id, fld.cell(t, ctx, widths[i]!)));
    let list = candidateTasks(f.tasks, v, ctx).filter(passes);
    if (v.maxtasks) list = list.slice(0, v.maxtasks);
    doc.processes = list.map((t) => {
      const o: Record<string, unknown> = {};
      for (const fld of pane.fields) o[fld.json] = fld.value(t, ctx);
      return o;
    });
    return JSON.stringify(doc);
  }
}

// ------------------------------------------------------------------ the command

function parse(argv: string[], io: IO): Parsed<TopOptions> {
  const rc = readToprc(io.env);
  if (!rc.ok) throw new CliExit(rc.status, rc.stderr);
  const base = settingsFrom(rc.rc);
  if (rc.secure) base.secure = true;
  if (rc.secure && rc.restrictedDelay !== undefined) base.delay = rc.restrictedDelay;
  const r = parseTop(argv, base, { prog: 'top', help: HELP(io.prog === 'ptop' ? 'ptop' : 'top'), version: `top from ptools ${version()}`, self: process.pid, env: io.env });
  // top's exit in batch mode writes one more newline, after -h and -V too.
  if (r.kind === 'print') {
    if (r.version && !r.batchNewline) return { kind: 'version' };
    return { kind: 'help', text: r.text + (r.batchNewline ? '\n' : '') };
  }
  if (r.kind === 'fail') return { kind: 'fail', status: r.status, stderr: r.stderr, stdout: r.stdoutNewline ? '\n' : undefined };
  // wins_stage_2: the summary lines join two abreast only when each CPU has its own line.
  if (r.settings.winflags & (W.View_CPUSUM | W.View_CPUNOD)) r.settings.doubleUp = 0;
  return { kind: 'run', options: { json: r.settings.json, settings: r.settings } };
}

async function run(o: TopOptions, io: IO): Promise<number> {
  const s = o.settings;
  if (!s.batch && !o.json) {
    // setupterm without TERM fails before top says anything.
    if (!io.env.TERM) return 1;
    if (!io.stdin || !(io.stdin as { isTTY?: boolean }).isTTY) {
      io.err('top: failed tty get\n');
      return 1;
    }
    io.err('top: the interactive screen is not available yet; use -b (batch mode) or --json\n');
    return 1;
  }
  const t = new TopRun(s, io);
  const frames = s.iterations;
  let status = await ticker(
    io,
    {
      intervalMs: s.delay * 1000,
      count: frames,
      // top stops when its output is gone: a full disk ends it with procps's "top: write error"
      // (status 1); a closed pipe's SIGPIPE and a closed stdout end it quietly (status 0).
      onWriteError: (e) => {
        if (e.code === 'EPIPE' || e.code === 'EBADF') return 0;
        throw new CliExit(1, `${io.prog}: write error\n`);
      },
    },
    (i) => {
      const f = t.frame(i === 0);
      if (o.json) io.out(`${t.json(f)}\n`);
      else io.out((i === 0 ? '' : '\n\n') + t.text(f));
      return 0;
    },
  );
  if (!o.json) io.out('\n');
  return status;
}

export const command: Command<TopOptions> = {
  name: 'top',
  summary: 'display Linux processes (procps-ng top, batch mode)',
  grammar: { short: SHORT, long: LONG, values: { '-o': FIELDS.map((f) => f.name), '--sort-override': FIELDS.map((f) => f.name) }, operands: 'none' },
  parse,
  run,
  versionText: (prog, v) => `${prog} from ptools ${v}\n`,
};
