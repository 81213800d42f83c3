/**
 * ps vs procps-ng's ps 4.0.2, back to back, line by line, for 60 argument
 * sets across the BSD, UNIX and GNU syntaxes, formats, selections, sorts,
 * forests, threads and widths; --json on each set; bad input.
 *
 * Known processes come from test/fixtures/ps/holder.py (plain, niced,
 * nobody, a 500-byte argv[0], stopped, SCHED_FIFO/BATCH/IDLE, odd bytes in
 * argv, a long user name, a zombie, threads, a comm with spaces and parens,
 * a session on a pty). Their rows must match exactly. What is masked, and why:
 *  - rows of processes only one run saw: each tool's own process (and its
 *    threads), and the machine's processes that came or went in between;
 *  - on rows of processes this test does not control (other users' jobs, the
 *    test runner itself, kernel threads), columns whose values move while a
 *    process runs: see MOVING below, each with its reason;
 *  - on every row, %CPU-like columns and ELAPSED, which are computed over
 *    elapsed time and so drift as time passes between the two runs: for the
 *    known processes they must agree within the drift (see DRIFT).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { jsonKeys } from '../../src/commands/ps/display.js';
import { parseArgs, TF } from '../../src/commands/ps/parser.js';
import { formatRows } from '../../src/commands/ps/table.js';
import { describeCommand } from '../helpers/oracle.js';

// Both tools print start times in UTC (procps through TZ, Node's Date through process.env.TZ).
process.env.TZ = 'UTC';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PS = '/usr/bin/ps';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const BASE_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: 'C', TZ: 'UTC' };

interface Out {
  out: string;
  err: string;
  code: number;
}

function procps(args: string[], env: NodeJS.ProcessEnv = {}): Out {
  const r = spawnSync(PS, args, { argv0: 'ps', encoding: 'latin1', env: { ...BASE_ENV, ...env }, maxBuffer: 64 << 20 });
  return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
}

async function ptools(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Out> {
  const cols = env.COLUMNS ? Number(env.COLUMNS) : undefined;
  const io = bufferIO({ env: { ...BASE_ENV, ...env }, columns: cols, prog: 'ps' });
  const code = await run(['ps', ...args], io);
  // procps writes bytes; ptools writes text: compare as the same latin1 view of the bytes.
  return { out: Buffer.from(io.stdout(), 'utf8').toString('latin1'), err: io.stderr(), code };
}

// ------------------------------------------------------------------ masks

/**
 * Columns whose values move while a process runs, masked on rows of
 * processes this test does not control, when (and only when) they differ.
 */
const MOVING: Record<string, string> = {
  '%CPU': 'CPU time over elapsed time: moves while the process runs',
  C: 'CPU time over elapsed time',
  CP: 'CPU time over elapsed time',
  '%CUU': 'CPU time over elapsed time',
  '%CUC': 'CPU time (with children) over elapsed time',
  TIME: 'CPU time accrues while the process runs (the test runner above all)',
  RSS: 'resident memory of a running process changes (the test process above all)',
  '%MEM': 'resident memory over total',
  VSZ: 'virtual size changes as a running process maps memory',
  SZ: 'virtual size in pages',
  SIZE: 'data + stack size',
  DRS: 'virtual size minus text',
  STAT: 'run state (R/S/D/I) and the l (threads) flag flip while a process works',
  S: 'run state',
  WCHAN: 'where a sleeping process waits changes with what it does',
  PSR: 'the CPU it last ran on',
  NLWP: 'running processes start and end threads',
  MAJFL: 'page faults accrue',
  MINFLT: 'page faults accrue',
  PENDING: 'pending signals are transient',
  BLOCKED: 'a running program changes its signal mask',
  CAUGHT: 'a starting program installs handlers',
  IGNORED: 'a starting program changes dispositions',
  ELAPSED: 'elapsed time ticks between the runs',
  PGID: 'a job-control shell moves its jobs between process groups',
  TPGID: 'the foreground process group of a terminal changes',
};

/** Columns that drift on every row (computed over elapsed time); for the known processes they must agree within this much. */
const DRIFT: Record<string, number> = { '%CPU': 0.5, C: 1, CP: 5, '%CUU': 0.5, '%CUC': 0.5, ELAPSED: 2 };

/** A DRIFT column's value as a number: plain numbers, and etime's [[DD-]hh:]mm:ss as seconds (etime and etimes are both ELAPSED). */
function driftValue(s: string): number {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(s);
  if (!m) return Number(s);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3])) * 60 + Number(m[4]);
}

/** Last-column rules for processes the test does not control. */
function lastColumnMasked(want: string, got: string): boolean {
  // Kernel workers rename themselves ("kworker/0:1-events") for each work item they pick up.
  const kw = /^(\s*(?:[|\\_ ]*\s)?\[?kworker\/[^-+\]]*)[-+].*$/;
  if (kw.test(want) && kw.test(got) && want.replace(kw, '$1') === got.replace(kw, '$1')) return true;
  // Tree art (\_ and |) of a process whose siblings came or went between the runs.
  const art = (s: string): string => s.replace(/^[\s|\\_]*/, '');
  return art(want) === art(got);
}

interface Row {
  key: string;
  pid: number;
  line: string;
}

function rows(text: string, header: boolean): { head: string | null; rows: Row[]; cols: string[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const head = header ? (lines.shift() ?? null) : null;
  const cols = head ? head.trim().split(/\s+/) : [];
  const pidAt = header ? cols.indexOf('PID') : 0;
  const lwpAt = ['LWP', 'SPID', 'TID'].map((c) => cols.indexOf(c)).find((i) => i >= 0) ?? -1;
  const seen = new Map<string, number>();
  const out: Row[] = [];
  let lastPid = -1;
  for (const line of lines) {
    const t = line.trim().split(/\s+/);
    const pidText = t[pidAt >= 0 ? pidAt : 0]!;
    // m/-m thread lines print '-' for the pid: they belong to the process line above.
    const pid = /^\d+$/.test(pidText) ? Number(pidText) : lastPid;
    lastPid = pid;
    let key = String(pid);
    if (lwpAt >= 0) key += `:${t[lwpAt]}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    out.push({ key: `${key}#${n}`, pid, line });
  }
  return { head, rows: out, cols };
}

/**
 * The differences between procps's and ptools' outputs, after the masks.
 * `known`: pids of processes this test controls (exact but for DRIFT).
 */
/**
 * A procps row between two ptools rows (read before and after it): token by token equal to one of
 * them or, where they differ, a number or elapsed time lying between them (a clock ticked meanwhile).
 */
function rowBetween(want: string, before: string, after: string): boolean {
  const [a, b, c] = [want, before, after].map((l) => l.trim().split(/\s+/));
  if (a!.length !== b!.length || a!.length !== c!.length) return false;
  return a!.every((t, k) => {
    if (t === b![k] || t === c![k]) return true;
    const [v, lo, hi] = [driftValue(t), driftValue(b![k]!), driftValue(c![k]!)];
    return [v, lo, hi].every(Number.isFinite) && v >= Math.min(lo, hi) && v <= Math.max(lo, hi);
  });
}

/**
 * `stable`: pids whose identity (start time, name, command line) was the same just before and just
 * after the runs; a machine process not among them exec'd, came or went meanwhile and is not compared
 * (when not given, every process is). `after`: ptools' output again, after procps's, for rowBetween.
 */
function differences(want: string, got: string, known: ReadonlySet<number>, header = true, stable?: ReadonlySet<number>, after?: string): string[] {
  const a = rows(want, header);
  const b = rows(got, header);
  const cByKey = new Map(after === undefined ? [] : rows(after, header).rows.map((r) => [r.key, r]));
  const problems: string[] = [];
  if (a.head !== b.head) problems.push(`header:\n  procps: ${JSON.stringify(a.head)}\n  ptools: ${JSON.stringify(b.head)}`);
  const bByKey = new Map(b.rows.map((r) => [r.key, r]));
  const aKeys = new Set(a.rows.map((r) => r.key));
  // Known processes may not be missing from either side.
  for (const r of a.rows) if (known.has(r.pid) && !bByKey.has(r.key)) problems.push(`ptools lacks ${r.line}`);
  for (const r of b.rows) if (known.has(r.pid) && !aKeys.has(r.key)) problems.push(`ptools adds ${r.line}`);
  const sharedA = a.rows.filter((r) => bByKey.has(r.key));
  const sharedB = b.rows.filter((r) => aKeys.has(r.key));
  if (sharedA.map((r) => r.key).join() !== sharedB.map((r) => r.key).join()) {
    problems.push(`row order differs:\n  procps: ${sharedA.map((r) => r.key).join(' ')}\n  ptools: ${sharedB.map((r) => r.key).join(' ')}`);
  }
  const cols = a.cols;
  for (const ra of sharedA) {
    const rb = bByKey.get(ra.key)!;
    if (ra.line === rb.line) continue;
    const isKnown = known.has(ra.pid);
    // A process of the machine's that exec'd (or came and went) during the runs: any column may have moved.
    if (!isKnown && stable && !stable.has(ra.pid)) continue;
    const rc = cByKey.get(ra.key);
    if (rc && rowBetween(ra.line, rb.line, rc.line)) continue;
    const ta = ra.line.trim().split(/\s+/);
    const tb = rb.line.trim().split(/\s+/);
    let ok = cols.length > 0 && ta.length >= cols.length - 1 && tb.length >= cols.length - 1;
    for (let k = 0; ok && k < cols.length - 1; k++) {
      if (ta[k] === tb[k]) continue;
      const name = cols[k]!;
      if (DRIFT[name] !== undefined && Math.abs(driftValue(ta[k]!) - driftValue(tb[k]!)) <= DRIFT[name]!) continue;
      if (!isKnown && MOVING[name]) continue;
      ok = false;
    }
    if (ok && cols.length) {
      const la = ta.slice(cols.length - 1).join(' ');
      const lb = tb.slice(cols.length - 1).join(' ');
      const name = cols[cols.length - 1]!;
      if (la !== lb) {
        if (DRIFT[name] !== undefined && Math.abs(driftValue(la) - driftValue(lb)) <= DRIFT[name]!) ok = true;
        else if (isKnown) ok = false;
        else ok = Boolean(MOVING[name]) || lastColumnMasked(ra.line.slice(a.head!.indexOf(name)), rb.line.slice(a.head!.indexOf(name)));
      }
      // Widths and alignment: a known row's layout must be identical once drifting numbers agree in width.
      if (ok && isKnown && ta.map((x) => x.length).join() !== tb.map((x) => x.length).join()) ok = ra.line.length === rb.line.length;
    }
    if (!ok) problems.push(`row ${ra.key}:\n  procps: ${JSON.stringify(ra.line)}\n  ptools: ${JSON.stringify(rb.line)}`);
  }
  return problems;
}

/** Each process's identity: its start time, name and command line (what an exec changes). */
function identities(): Map<number, string> {
  const out = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1');
      const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      out.set(Number(d), `${start} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}\0${readFileSync(`/proc/${d}/cmdline`, 'latin1')}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** The pids with the same identity in both snapshots. */
function stableBetween(a: Map<number, string>, b: Map<number, string>): Set<number> {
  const out = new Set<number>();
  for (const [pid, id] of a) if (b.get(pid) === id) out.add(pid);
  return out;
}

/**
 * Runs ptools, procps, ptools again (and all three again if needed: the machine moves on). What
 * moves is bracketed, not timed: a procps row may lie between ptools' two (rowBetween: elapsed
 * times tick), and snapshots of every process's identity around the runs leave out a machine
 * process that exec'd meanwhile (a shell loop forking `sh` that becomes `sleep`).
 */
async function compare(args: string[], known: ReadonlySet<number>, env: NodeJS.ProcessEnv = {}, header = true): Promise<string[]> {
  let last: string[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const before = identities();
    const got = await ptools(args, env);
    const want = procps(args, env);
    const again = await ptools(args, env);
    const stable = stableBetween(before, identities());
    last = [];
    if (got.code !== want.code) last.push(`status ${want.code} (procps) vs ${got.code} (ptools)`);
    if (got.err !== want.err) last.push(`stderr:\n  procps: ${JSON.stringify(want.err)}\n  ptools: ${JSON.stringify(got.err)}`);
    last.push(...differences(want.out, got.out, known, header, stable, again.out));
    if (!last.length) return [];
  }
  return last;
}

// ------------------------------------------------------------------ the known processes

let holder: ChildProcess | undefined;
let kids: Record<string, number> = {};
let known = new Set<number>();
let K = '';

beforeAll(async () => {
  holder = spawn(PYTHON, [join(ROOT, 'test/fixtures/ps/holder.py'), String(process.pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  holder.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  await new Promise<void>((resolve) => holder!.stdout!.on('end', () => resolve()));
  kids = JSON.parse(text) as Record<string, number>;
  known = new Set(Object.values(kids));
  // Threads of the known multi-threaded processes are known too (their rows carry the process's pid).
  K = Object.entries(kids)
    .filter(([k]) => k !== 'holder')
    .map(([, v]) => v)
    .join(',');
}, 30_000);

afterAll(() => {
  if (kids.holder) process.kill(kids.holder, 'SIGTERM');
});

// ------------------------------------------------------------------ the argument sets

/** [description, args, env, header?] — args may use {K} (the known pids), {H} (the holder), {T} (the pty). */
const SETS: [string, string[], NodeJS.ProcessEnv?, boolean?][] = [
  // BSD
  ['BSD aux', ['aux']],
  ['BSD aux at 80 columns (last column cut)', ['aux'], { COLUMNS: '80' }],
  ['BSD axu ww at 80 columns', ['axuww'], { COLUMNS: '80' }],
  ['BSD axjf (forest)', ['axjf']],
  ['BSD axl', ['axl']],
  ['BSD axv', ['axv']],
  ['BSD axs (signals, 16 wide)', ['axs']],
  ['BSD s at 100 columns (signals, 9 wide)', ['s', 'p', '{K}'], { COLUMNS: '100' }],
  ['BSD x', ['x']],
  ['BSD u of known pids', ['u', 'p', '{K}']],
  ['BSD j l v of known pids', ['jp', '{K}']],
  ['BSD l n (numeric)', ['lnp', '{K}']],
  ['BSD e (environment after command)', ['ep', '{K}', '-o', 'pid,args']],
  ['BSD c (command name)', ['cp', '{K}']],
  ['BSD axo pid,comm', ['axo', 'pid,ppid,comm']],
  ['BSD O (format after pid)', ['O', 'rss', 'p', '{K}']],
  ['BSD O short sort keys', ['axO-p']],
  ['BSD k sort', ['ax', 'k', '-pid', 'o', 'pid,comm']],
  ['BSD H (threads as processes)', ['Hp', '{K}']],
  ['BSD m (threads after processes)', ['mp', '{K}']],
  ['BSD t (terminal)', ['t', '{T}']],
  ['BSD X (registers)', ['Xp', '{K}']],
  // UNIX
  ['UNIX -ef', ['-ef']],
  ['UNIX -eF', ['-eF']],
  ['UNIX -ely', ['-ely']],
  ['UNIX -el', ['-el']],
  ['UNIX -ej', ['-ej']],
  ['UNIX -ejH (hierarchy)', ['-ejH']],
  ['UNIX -eLf (threads)', ['-eLf']],
  ['UNIX -eT', ['-eT']],
  ['UNIX -m of known pids', ['-m', '-p', '{K}']],
  ['UNIX -L with -o', ['-L', '-p', '{K}', '-o', 'pid,lwp,nlwp,stat,comm']],
  ['UNIX default (own euid, own terminal)', []],
  ['UNIX -f -w at 80 columns', ['-fw'], { COLUMNS: '80' }],
  ['UNIX -lc (scheduling class)', ['-lc', '-p', '{K}']],
  ['UNIX -d', ['-d', '-o', 'pid,sid,comm']],
  ['UNIX -a', ['-a']],
  ['UNIX -N (negate)', ['-N', '-p', '1,2', '-o', 'pid,comm']],
  ['UNIX -u nobody', ['-u', 'nobody']],
  ['UNIX -U root,nobody', ['-U', 'root,nobody', '-o', 'pid,ruser,comm']],
  ['UNIX -g (session) -o', ['-g', '{H}', '-o', 'pid,sid,pgid,comm']],
  ['UNIX -G 0', ['-G', '0', '-o', 'pid,rgroup,comm']],
  ['UNIX -C sleep', ['-C', 'sleep']],
  ['UNIX -s (session)', ['-s', '{H}']],
  ['UNIX -t (terminal)', ['-t', '{T}', '-o', 'pid,tty,tt,tname,stat,comm']],
  ['UNIX -q (quick pids)', ['-q', '{K}', '-o', 'pid,comm']],
  ['UNIX -O', ['-O', 'ni,user', '-p', '{K}']],
  ['UNIX -o header and width overrides', ['-p', '{K}', '-o', 'pid=PROCESS,user:4,comm=Command:20,args:12,nice=N']],
  ['UNIX -o AIX descriptors', ['-p', '{K}', '-o', '%p %U %n %c']],
  ['UNIX -o ids and names', ['-p', '{K}', '-o', 'pid,ppid,pgid,sid,tgid,uid,euid,ruid,suid,fuid,user,euser,ruser,suser,fuser,gid,egid,rgid,sgid,fgid,group,rgroup,comm']],
  ['UNIX -o scheduling', ['-p', '{K}', '-o', 'pid,stat,s,state,f,flags,nice,ni,pri,priority,opri,rtprio,policy,cls,class,sched,psr,sgi_p,comm']],
  ['UNIX -o memory', ['-p', '{K}', '-o', 'pid,%mem,pmem,vsz,vsize,rss,rssize,sz,size,drs,trs,dsiz,tsiz,maj_flt,min_flt,majflt,minflt,lim,comm']],
  ['UNIX -o times', ['-p', '{K}', '-o', 'pid,lstart,start,start_time,stime,bsdstart,time,cputime,cputimes,bsdtime,etime,etimes,comm']],
  ['UNIX -o %cpu', ['-p', '{K}', '-o', 'pid,%cpu,pcpu,c,cp,cuu,cuc']],
  ['UNIX -o signals and addresses', ['-p', '{K}', '-o', 'pid,pending,sig,blocked,sigmask,ignored,sigignore,caught,sigcatch,tsig,stackp,eip,esp,wchan,nwchan']],
  ['UNIX -o namespaces, cgroups, systemd, labels', ['-p', '{K}', '-o', 'pid,cgroup,cgname,ipcns,mntns,netns,pidns,userns,utsns,cgroupns,timens,lsession,luid,machine,ouid,seat,unit,uunit,slice,label,lxc,exe']],
  ['UNIX -o keywords procps prints as -', ['-p', '{K}', '-o', 'pid,addr,cpu,jobc,sl,re,nswap,tmout,alarm,pset,comm']],
  ['UNIX -o command variants', ['-p', '{K}', '-o', 'pid,comm,ucmd,ucomm,fname,cmd,command,args']],
  // GNU
  ['GNU --sort several keys', ['-e', '--sort=uid,-ppid,+pid', '-o', 'pid,ppid,uid']],
  ['GNU --sort on known pids', ['--pid', '{K}', '--sort', '-ni,comm,pid', '-o', 'pid,ni,comm']],
  ['GNU --sort=tty (version order)', ['-e', '--sort=tty,pid', '-o', 'pid,tty']],
  ['GNU --forest', ['-e', '--forest', '-o', 'pid,ppid,args']],
  ['GNU --ppid with --forest', ['--ppid', '{H}', '--forest', '-o', 'pid,stat,args']],
  ['GNU --user --group', ['--user', 'nobody', '--group', 'nogroup', '-o', 'pid,user,group,comm']],
  ['GNU --no-headers', ['--no-headers', '--pid', '{K}', '-o', 'pid,comm'], {}, false],
  ['GNU --headers --rows', ['--headers', '--rows', '5', '--pid', '{K}', '-o', 'pid,comm']],
  ['GNU --cols', ['--cols', '60', 'u', 'p', '{K}']],
  ['GNU --format', ['--format', 'pid,user,args', '--pid', '{K}']],
  // Locale: a UTF-8 locale keeps valid characters and turns controls into '?'
  ['UTF-8 locale', ['-p', '{K}', '-o', 'pid,comm,args'], { LC_ALL: 'C.UTF-8' }],
  ['UTF-8 locale, cut columns', ['-p', '{K}', '-o', 'pid,args:8,comm:3,user:5'], { LC_ALL: 'C.UTF-8', COLUMNS: '60' }],
];

function expand(args: string[]): string[] {
  return args.map((a) =>
    a.replaceAll('{K}', K).replaceAll('{H}', String(kids.holder)).replaceAll('{T}', ttyOfPty()),
  );
}

let ptyName: string | undefined;
function ttyOfPty(): string {
  ptyName ??= execFileSync(PS, ['-o', 'tty=', '-p', String(kids.pty)], { encoding: 'utf8' }).trim();
  return ptyName;
}

describeCommand('ps', 'ps vs procps-ng ps (fidelity, line by line)', () => {
  it('has at least 40 argument sets', () => {
    expect(SETS.length).toBeGreaterThanOrEqual(40);
  });
  for (const [name, args, env, header] of SETS) {
    it(`${name}: ps ${args.join(' ')}`, async () => {
      const problems = await compare(expand(args), known, env, header ?? true);
      expect(problems).toEqual([]);
    });
  }
});

/** procps's ps on a pseudo-terminal `cols` wide (no COLUMNS): what a user at a terminal sees. */
function procpsOnTerminal(args: string[], cols: number): string {
  const script = [
    'import fcntl,os,pty,struct,sys,termios',
    'pid,fd=pty.fork()',
    'if pid==0:',
    '    fcntl.ioctl(0,termios.TIOCSWINSZ,struct.pack("HHHH",30,int(sys.argv[2]),0,0))',
    '    os.execve(sys.argv[1],["ps"]+sys.argv[3:],{"LC_ALL":"C","TZ":"UTC","PATH":"/usr/bin:/bin"})',
    'out=b""',
    'while True:',
    '    try: d=os.read(fd,65536)',
    '    except OSError: break',
    '    if not d: break',
    '    out+=d',
    'os.waitpid(pid,0)',
    'sys.stdout.buffer.write(out.replace(b"\\r\\n",b"\\n"))',
  ].join('\n');
  return spawnSync(PYTHON, ['-c', script, PS, String(cols), ...args], { encoding: 'latin1' }).stdout;
}

describeCommand('ps', 'ps on a terminal: lines cut at its width', () => {
  for (const cols of [80, 132]) {
    for (const args of [['u', 'p', '{K}'], ['-f', '-p', '{K}'], ['-p', '{K}', '-o', 'pid,user,args,comm']]) {
      it(`${cols} columns: ps ${args.join(' ')}`, async () => {
        const a = expand(args);
        let problems: string[] = [];
        for (let attempt = 0; attempt < 3; attempt++) {
          const io = bufferIO({ env: BASE_ENV, isTTY: true, columns: cols, prog: 'ps' });
          await run(['ps', ...a], io);
          const got = Buffer.from(io.stdout(), 'utf8').toString('latin1');
          problems = differences(procpsOnTerminal(a, cols), got, known);
          if (!problems.length) break;
        }
        expect(problems).toEqual([]);
        expect(Math.max(...(await ptools([...a, '--cols', String(cols)])).out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(cols);
      });
    }
  }
});

// ------------------------------------------------------------------ --json

/** The JSON kind of each printer: n number, s string, i ISO 8601 time, a array; '?' may be null (procps prints '-'); 0 always null. */
const KIND: Record<string, string> = {
  nop: '0', args: 'c', comm: 'c', fname: 's', cgname: 's?', cgroup: 's?', exe: 's?', supgid: 'a', supgrp: 'a',
  stat: 's', s: 's', tty8: 's?', tty4: 's?', wchan: 's?', class: 's?', sig: 's', tsig: 's', sigmask: 's', sigignore: 's',
  sigcatch: 's', ruser: 's', euser: 's', suser: 's', fuser: 's', rgroup: 's', egroup: 's', sgroup: 's', fgroup: 's',
  sd_unit: 's?', sd_session: 's?', sd_ouid: 'n?', sd_machine: '0', sd_uunit: 's?', sd_seat: '0', sd_slice: 's?', lxcname: 's?',
  context: 's?', bsdstart: 'i', start: 'i', stime: 'i', lstart: 'i', nice: 'n?', rtprio: 'n?', sched: 'n?', lim: 'n?',
  luid: 'n?', sgi_p: 'n?', cgroupns: 'n?', ipcns: 'n?', mntns: 'n?', netns: 'n?', pidns: 'n?', timens: 'n?', userns: 'n?',
  utsns: 'n?', t_left: 's', t_left2: 's', t_right: 's', t_right2: 's', t_unlimited: 's', t_unlimited2: 's',
};
const PRINTER_OF = new Map(formatRows().map((r) => [r[0], r[2]]));

/** null when `v` has the documented type of keyword `key`; else what is wrong. Under m/-m every column may be null ('-' on the other kind of line). */
function jsonType(key: string, v: unknown, threadLines: boolean): string | null {
  const kind = KIND[PRINTER_OF.get(key.replace(/_\d+$/, ''))!] ?? 'n';
  if (v === null) return kind.endsWith('?') || kind === '0' || threadLines ? null : 'unexpected null';
  switch (kind[0]) {
    case '0':
      return 'expected null';
    case 's':
      return typeof v === 'string' ? null : `not a string: ${JSON.stringify(v)}`;
    case 'i':
      return typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) ? null : `not ISO 8601: ${JSON.stringify(v)}`;
    case 'a':
      return Array.isArray(v) ? null : `not an array: ${JSON.stringify(v)}`;
    case 'c':
      // A command column: the command line as an array of strings, or the command name as a string.
      return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? null : `not a command: ${JSON.stringify(v)}`;
    default:
      return typeof v === 'number' && Number.isFinite(v) ? null : `not a number: ${JSON.stringify(v)}`;
  }
}

/** The text a JSON value prints as, for the columns compared with the text form. */
function asText(key: string, v: unknown): string | null {
  switch (key) {
    case 'pid':
    case 'ppid':
    case 'pgid':
    case 'sid':
    case 'uid':
    case 'vsz':
    case 'rss':
    case 'nlwp':
    case 'lwp':
      return String(v);
    case 'user':
    case 'stat':
    case 'comm':
      return String(v);
    case 'tty':
    case 'tname':
      return v === null ? '?' : String(v);
    case 'ni':
    case 'nice':
      return v === null ? '-' : String(v);
    default:
      return null;
  }
}

describe('ps --json', () => {
  for (const [name, args, env, header] of SETS) {
    it(`${name}: keys, types, and agreement with the text`, async () => {
      const a = expand(args);
      const io = bufferIO({ env: { ...BASE_ENV, ...env }, prog: 'ps' });
      const code = await run(['ps', ...a, '--json'], io);
      const rowsJ = JSON.parse(io.stdout()) as Record<string, unknown>[];
      expect(Array.isArray(rowsJ)).toBe(true);
      expect(code).toBe(rowsJ.length ? 0 : 1);
      const { options } = parseArgs(a, { env: { ...BASE_ENV, ...env }, columns: undefined, rows: undefined, isTTY: false, cachedTty: 0, cachedEuid: 0 });
      const keys = jsonKeys(options.formatList).filter((k): k is string => k !== null);
      // BSD e puts the environment beside the command, in "environ".
      const withEnviron = options.bsdE && keys.some((k) => ['args', 'comm'].includes(PRINTER_OF.get(k.replace(/_\d+$/, '')) ?? ''));
      for (const r of rowsJ) {
        expect(Object.keys(r)).toEqual(withEnviron ? [...keys, 'environ'] : keys);
        if (withEnviron) expect(r.environ === null || (Array.isArray(r.environ) && r.environ.every((x) => typeof x === 'string'))).toBe(true);
        const threadLines = (options.threadFlags & TF.show_both) !== 0;
        for (const k of keys) expect(jsonType(k, r[k], threadLines), `${k} = ${JSON.stringify(r[k])}`).toBeNull();
      }
      // The text form of the known processes' rows, on one line each, agrees with the JSON values.
      if (!(header ?? true) || options.threadFlags & TF.show_both) return;
      const text = await ptools([...a, '--cols', '131071'], env);
      const t = rows(text.out, true);
      if (!t.head) return;
      const pidKey = keys.includes('pid') ? 'pid' : null;
      if (!pidKey) return;
      // (The kid whose comm holds a blank is left out: its row does not split into tokens.)
      const byPid = new Map(rowsJ.filter((r) => known.has(r.pid as number) && r.pid !== kids.comm).map((r) => [r.pid as number, r]));
      for (const row of t.rows) {
        const j = byPid.get(row.pid);
        // Thread lines (m/-m, -L), repeated headers and forest rows are left out.
        if (!j || row.key.includes(':') || !/^\s*\d/.test(row.line) || /\\_/.test(row.line) || !row.key.endsWith('#1')) continue;
        const tokens = row.line.trim().split(/\s+/);
        let spaced = false;
        keys.forEach((k, i) => {
          // Columns after one that may hold blanks (a command, a date) no longer line up with the tokens.
          if (spaced || i >= t.cols.length - 1) return;
          if (['args', 'comm', 'fname', 'lstart', 'start', 'bsdstart', 'cgroup', 'cgname', 'exe', 'supgrp', 'context'].includes(PRINTER_OF.get(k.replace(/_\d+$/, '')) ?? '')) spaced = true;
          const want = asText(k, j[k]);
          const tok = tokens[i]!;
          // A name cut to its column ends in '+'; a command name cut to its column is a prefix.
          if (want === null || (tok.endsWith('+') && want.startsWith(tok.slice(0, -1))) || (k === 'comm' && want.startsWith(tok))) return;
          // The run state is racy even for a known process: a sleeper is R for the instant it is woken (a thread's timer).
          const runState = ['stat', 's', 'state'].includes(PRINTER_OF.get(k.replace(/_\d+$/, '')) ?? '') || ['stat', 's', 'state'].includes(k);
          if (runState && /^[RS]/.test(tok) && /^[RS]/.test(want)) {
            expect(tok.slice(1), `${k} of ${row.pid} (after the run state)`).toBe(want.slice(1));
            return;
          }
          expect(tok, `${k} of ${row.pid}`).toBe(want);
        });
      }
    });
  }

  it('documented example: pps -eo pid,comm,rss --json', async () => {
    const io = bufferIO({ env: BASE_ENV });
    expect(await run(['ps', '-eo', 'pid,comm,rss', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout()) as { pid: number; comm: string; rss: number }[];
    const one = r.find((x) => x.pid === kids.plain)!;
    expect(one).toEqual({ pid: kids.plain, comm: 'sleep', rss: expect.any(Number) });
  });

  it('typed values: times in seconds, start as ISO 8601, absent as null', async () => {
    const io = bufferIO({ env: BASE_ENV });
    const t0 = Date.now() / 1000;
    await run(['ps', '-p', `${kids.fifo},${kids.plain},${kids.pty}`, '-o', 'pid,time,etimes,lstart,nice,rtprio,tty,wchan', '--json'], io);
    const t1 = Date.now() / 1000;
    const r = JSON.parse(io.stdout()) as Record<string, unknown>[];
    const fifo = r.find((x) => x.pid === kids.fifo)!;
    expect(fifo.nice).toBeNull(); // procps prints '-' for a real-time process
    expect(fifo.rtprio).toBe(10);
    const plain = r.find((x) => x.pid === kids.plain)!;
    expect(plain.tty).toBeNull();
    expect(typeof plain.time).toBe('number');
    // start + elapsed is the time of the run, bracketed by the clock before and after it
    // (both are whole seconds, each cut down: up to 2 s early; 1 s for the clocks' rounding).
    const ranAt = Date.parse(plain.lstart as string) / 1000 + (plain.etimes as number);
    expect(ranAt).toBeGreaterThanOrEqual(Math.floor(t0) - 2);
    expect(ranAt).toBeLessThanOrEqual(t1 + 1);
    expect(r.find((x) => x.pid === kids.pty)!.tty).toBe(ttyOfPty());
  });

  it('no match: [] and status 1', async () => {
    const io = bufferIO({ env: BASE_ENV });
    expect(await run(['ps', '-p', '2147483647', '--json'], io)).toBe(1);
    expect(io.stdout()).toBe('[]\n');
  });
});

// ------------------------------------------------------------------ bad input

const BAD: string[][] = [
  ['--foo'],
  ['-k'],
  ['-o'],
  ['-o', 'badkw'],
  ['-o', 'pid,,comm'],
  ['-o', 'pid:0'],
  ['-o', 'pid:x'],
  ['-o', 'DefBSD:5'],
  ['-o', '%pX'],
  ['-p'],
  ['-p', 'abc'],
  ['-p', '0'],
  ['-p', '1,,2'],
  ['-p', '99999999999'],
  ['-u', 'no-such-user-here'],
  ['-g', 'no-such-group-here'],
  ['-t', 'no-such-tty'],
  ['aux', '--bad'],
  ['-L', '-T'],
  ['-L', 'f'],
  ['H', 'm'],
  ['--sort'],
  ['--sort=bad'],
  ['--sort=pid', '--sort=ppid'],
  ['--no-headers', '--headers'],
  ['--cols=0'],
  ['--rows=abc'],
  ['--forest=x'],
  ['-y'],
  ['W'],
  ['--'],
  ['-'],
  ['1,2'],
  ['-q', '1', '-q', '2'],
  ['-q', '1', '-p', '2'],
  ['-q', '1', '--forest'],
  ['-q', '1', '--sort=pid'],
  ['-N', '-q', '1'],
  ['--version', 'x'],
  ['aux', 'V'],
];

describeCommand('ps', 'ps bad input: procps message and status, nothing on stdout', () => {
  for (const args of BAD) {
    it(`ps ${args.join(' ')}`, async () => {
      const want = procps(args);
      const got = await ptools(args);
      expect(want.code).not.toBe(0);
      expect(want.out).toBe('');
      expect({ code: got.code, out: got.out, err: got.err }).toEqual({ code: want.code, out: '', err: want.err });
    });
  }

  it('no process matches: the header alone and status 1', async () => {
    const want = procps(['-p', '2147483647']);
    const got = await ptools(['-p', '2147483647']);
    expect(want.code).toBe(1);
    expect(want.out).toMatch(/^ +PID TTY +TIME CMD\n$/);
    expect(got).toEqual(want);
  });

  it('--help sections match procps (ptools adds --json to the output section)', async () => {
    for (const section of [[], ['simple'], ['l'], ['output'], ['t'], ['misc'], ['all'], ['nonsense']]) {
      const want = procps(['--help', ...section]);
      const got = await ptools(['--help', ...section]);
      expect(got.code).toBe(want.code);
      const extra = '     --json           print the rows as a JSON array (ptools)\n';
      expect(got.out.replace(extra, '')).toBe(want.out);
    }
  });

  it('--version names ptools; L lists the same keywords as procps', async () => {
    const v = await ptools(['--version']);
    expect(v.out).toMatch(/^ps from ptools \d+\.\d+\.\d+/);
    expect((await ptools(['L'])).out).toBe(procps(['L']).out);
  });
});

// ------------------------------------------------------------------ the launchers

describeCommand('ps', 'launchers', () => {
  const main = join(ROOT, 'dist/cli/main.js');
  it.skipIf(!existsSync(main))('bin/pps aux and bin/ptools ps -ef run from the compiled tree (npm run compile)', () => {
    for (const [bin, args] of [
      ['bin/pps', ['-p', '1', '-o', 'pid,comm']],
      ['bin/ptools', ['ps', '-p', '1', '-o', 'pid,comm']],
    ] as const) {
      const r = spawnSync(process.execPath, [join(ROOT, bin), ...args], { encoding: 'utf8', env: { ...BASE_ENV } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(procps(['-p', '1', '-o', 'pid,comm']).out);
      expect(r.status).toBe(0);
    }
  });
});
