/**
 * ptools kill vs procps-ng 4.0.2's /usr/bin/kill: the same arguments back to
 * back (each on its own fresh child where a signal is really sent, the
 * child's pid substituted), compared line by line, and the effect on the
 * children compared too. Bad input: the same message and status, nothing
 * signalled. A stale pid is never signalled (library and command). --json.
 *
 * SAFETY: every argument list goes through guard() first, which refuses to
 * run anything that would send a real signal (not 0) to a pid this file did
 * not start, to a process group it did not create, or to -1.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { convertSignal, execute, parseArgs, signalPid, usageText } from '../../src/commands/kill/index.js';
import { NoSuchProcess } from '../../src/core/base/errors.js';
import { setProcfsPath, getProcfsPath } from '../../src/core/base/paths.js';
import { Process } from '../../src/core/process/process.js';
import { SIGNALS, sigqueueAvailable } from '../../src/core/process/signals.js';
import { signalListText, signalTableText } from '../../src/commands/kill/layout.js';
import { describeCommand } from '../helpers/oracle.js';
import { procState, waitUntil } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/bin:/bin' };
const PID_MAX = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
/** A pid that cannot exist (above pid_max). */
const NOPID = String(PID_MAX + 1);

// ---------------------------------------------------------------- children

const mine = new Set<number>();
const myGroups = new Set<number>();
const started: ChildProcess[] = [];

interface Child {
  pid: number;
  proc: ChildProcess;
  /** Resolves with the signal name (or 'exit N') when it ends. */
  ended: Promise<string>;
}

function child(cmd = 'sleep', args = ['60'], detached = false): Child {
  const proc = spawn(cmd, args, { stdio: 'ignore', detached });
  started.push(proc);
  const pid = proc.pid!;
  mine.add(pid);
  if (detached) myGroups.add(pid);
  const ended = new Promise<string>((resolve) => proc.once('exit', (code, sig) => resolve(sig ?? `exit ${code}`)));
  return { pid, proc, ended };
}

afterAll(() => {
  for (const p of started) {
    try {
      p.kill('SIGKILL');
    } catch {
      // gone
    }
  }
  for (const g of myGroups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** How a child is after a command: ended (by which signal), stopped, or running. */
async function fate(c: Child): Promise<string> {
  const r = await Promise.race([c.ended, new Promise<string>((res) => setTimeout(() => res('running'), 400))]);
  if (r !== 'running') return r;
  try {
    return new Process(c.pid).status() === 'stopped' ? 'stopped' : 'running';
  } catch {
    return 'gone';
  }
}

// ---------------------------------------------------------------- running both

/** Refuses argument lists that could send a real signal to anything but our own children. */
function guard(args: string[]): void {
  const plan = parseArgs(args);
  if (plan.action !== 'signal' || plan.signal === 0) return;
  if (plan.optionPid) throw new Error(`guard: refusing ${JSON.stringify(args)} (negative pid read as an option, with a real signal)`);
  for (const a of plan.pids) {
    const m = /^[ \t]*([+-]?)(\d+)$/.exec(a);
    if (!m) continue; // unparsable: nothing is sent for it, nor after it
    const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    if (n > PID_MAX) continue;
    if (n > 0 && mine.has(n)) continue;
    if (n < -1 && myGroups.has(-n)) continue;
    throw new Error(`guard: refusing ${JSON.stringify(args)} (pid ${n} is not ours)`);
  }
}

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function real(args: string[]): Result {
  guard(args);
  const r = spawnSync('/usr/bin/kill', args, { argv0: 'kill', encoding: 'utf8', env: ENV });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function ours(args: string[]): Promise<Result> {
  guard(args);
  const io = bufferIO({ env: ENV });
  const status = await run(['kill', ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const JSON_LINE = '     --json             print what was done as JSON\n';

/** Our text with ptools' one addition to the usage (the --json line) taken out. */
function withoutJsonLine(s: string): string {
  return s.replace(JSON_LINE, '');
}

function sub(s: string, pid: number | undefined, name: string): string {
  return pid === undefined ? s : s.split(String(pid)).join(name);
}

// ---------------------------------------------------------------- fidelity

interface Case {
  /** The arguments; P and Q stand for children's pids. */
  args: string[];
  /** Children to start for each run: 0, 1 (P) or 2 (P, Q). */
  children?: 0 | 1 | 2;
}

const cases: Case[] = [
  // listing and converting
  { args: ['-l'] },
  { args: ['-L'] },
  { args: ['--list'] },
  { args: ['--table', '5'] },
  { args: ['-l', '9'] },
  { args: ['-l', 'KILL'] },
  { args: ['-l', 'sigchld'] },
  { args: ['-l', 'SigHup'] },
  { args: ['-l', '09'] },
  { args: ['-l', '40'] },
  { args: ['-l', '0'] },
  { args: ['-l', '9x'] },
  { args: ['-l', '9 '] },
  { args: ['-l', 'CLD'] },
  { args: ['-l', 'RTMIN'] },
  { args: ['-l', ''] },
  { args: ['-l', '1', '2'] },
  { args: ['--list=hup'] },
  { args: ['--list', '9'] },
  { args: ['-l9'] },
  { args: ['-lL'] },
  { args: ['-9', '-l'] },
  { args: ['-l', '-9'] },
  { args: ['--li=term'] },
  // usage and option errors
  { args: [] },
  { args: ['-h'] },
  { args: ['--help', 'extra'] },
  { args: ['-z', '1'] },
  { args: ['--foo', '1'] },
  { args: ['-s'] },
  { args: ['--signal'] },
  { args: ['--help=x'] },
  { args: ['-n', '9', '1'] },
  { args: ['-q'] },
  { args: ['-0'] },
  { args: ['-s', '0'] },
  { args: ['-s', '0', '--'] },
  // pid arguments that do not parse or do not exist
  { args: ['abc'] },
  { args: ['0x10'] },
  { args: ['12abc'] },
  { args: [''] },
  { args: ['99999999999999999999'] },
  { args: [NOPID] },
  { args: ['-0', NOPID, NOPID] },
  // pid 0: the caller's own process group (signal 0 only)
  { args: ['-0', '0'] },
  { args: ['-s', '0', '--', '0'] },
  // signal 0 and signals the kernel refuses, on a child
  { args: ['-0', 'P'], children: 1 },
  { args: ['-s', '0', 'P'], children: 1 },
  { args: ['--signal=0', 'P'], children: 1 },
  { args: ['--sig', 'NULL', 'P'], children: 1 },
  { args: ['P', '-s', '0'], children: 1 },
  { args: ['-0', ' P'], children: 1 },
  { args: ['-0', '+P'], children: 1 },
  { args: ['-s', 'FOO', 'P'], children: 1 },
  { args: ['-s', 'RTMAX', 'P'], children: 1 },
  { args: ['-93', 'P'], children: 1 },
  { args: ['-s', 'rtmin+100', 'P'], children: 1 },
  { args: ['-q', 'x', 'P'], children: 1 },
  { args: ['-q', '99999999999999999999', 'P'], children: 1 },
  { args: ['-0', 'P', NOPID, 'Q'], children: 2 },
  // real signals, each on fresh children: the effect is compared too
  { args: ['P'], children: 1 },
  { args: ['-9', 'P'], children: 1 },
  { args: ['-KILL', 'P'], children: 1 },
  { args: ['-sigkill', 'P'], children: 1 },
  { args: ['-s', 'KILL', 'P'], children: 1 },
  { args: ['--signal', '9', 'P'], children: 1 },
  { args: ['-HUP', 'P'], children: 1 },
  { args: ['-s', 'USR1', 'P'], children: 1 },
  { args: ['-RTMIN+2', 'P'], children: 1 },
  { args: ['-40', 'P'], children: 1 },
  { args: ['-STOP', 'P'], children: 1 },
  { args: ['P', '-INT'], children: 1 },
  { args: ['-9', 'P', NOPID, 'Q'], children: 2 },
  { args: ['P', 'abc', 'Q'], children: 2 },
  { args: ['abc', 'P'], children: 1 },
  { args: ['-z', 'P'], children: 1 },
  { args: ['-s', 'FOO', 'P', 'Q'], children: 2 },
];

describeCommand('kill', 'fidelity: ptools kill vs /usr/bin/kill (procps-ng 4.0.2)', () => {
  it('the -l and -L layouts (layout.ts), byte for byte', () => {
    expect(signalListText()).toBe(real(['-l']).stdout);
    expect(signalTableText()).toBe(real(['-L']).stdout);
  });

  for (const c of cases) {
    it(`kill ${c.args.map((a) => JSON.stringify(a)).join(' ')}`, async () => {
      const n = c.children ?? 0;
      const a = Array.from({ length: n }, () => child());
      const b = Array.from({ length: n }, () => child());
      const fill = (kids: Child[]): string[] =>
        c.args.map((x) => x.replace(/P/g, kids[0] ? String(kids[0].pid) : 'P').replace(/Q/g, kids[1] ? String(kids[1].pid) : 'Q'));
      const theirs = real(fill(a));
      const mineR = await ours(fill(b));
      const norm = (s: string, kids: Child[]): string => sub(sub(s, kids[0]?.pid, 'P'), kids[1]?.pid, 'Q');
      expect(norm(withoutJsonLine(mineR.stdout), b)).toBe(norm(theirs.stdout, a));
      expect(norm(withoutJsonLine(mineR.stderr), b)).toBe(norm(theirs.stderr, a));
      expect(mineR.status).toBe(theirs.status);
      // the same thing happened to the children
      for (let i = 0; i < n; i++) expect(await fate(b[i]!), `child ${i}`).toBe(await fate(a[i]!));
      for (const k of [...a, ...b]) k.proc.kill('SIGKILL');
    });
  }

  it('-V names ptools in procps\' format', async () => {
    expect(real(['-V']).stdout).toMatch(/^kill from procps-ng \d/);
    const r = await ours(['-V']);
    expect(r.stdout).toMatch(/^kill from ptools \d+\.\d+\.\d+\n$/);
    expect(r.status).toBe(0);
  });

  it('the usage text is procps\' plus one line for --json', async () => {
    const r = await ours(['--help']);
    expect(r.stdout).toContain(JSON_LINE);
    expect(withoutJsonLine(r.stdout)).toBe(real(['--help']).stdout);
    expect(usageText('kill')).toBe(r.stdout);
  });

  it('a child stopped by ptools kill -STOP reads as stopped through ps and the library, and -CONT resumes it', async () => {
    const c = child();
    expect((await ours(['-STOP', String(c.pid)])).status).toBe(0);
    // The signal takes effect when the child next runs: wait for the state, not for a time.
    await waitUntil(() => procState(c.pid) === 'T', `${c.pid} to stop`);
    expect(execFileSync('ps', ['-o', 'stat=', '-p', String(c.pid)], { encoding: 'utf8' }).trim()).toMatch(/^T/);
    expect(new Process(c.pid).status()).toBe('stopped');
    expect((await ours(['-s', 'CONT', String(c.pid)])).status).toBe(0);
    await waitUntil(() => procState(c.pid) === 'S', `${c.pid} to sleep again`);
    expect(execFileSync('ps', ['-o', 'stat=', '-p', String(c.pid)], { encoding: 'utf8' }).trim()).toMatch(/^S/);
    expect(new Process(c.pid).status()).toBe('sleeping');
  });
});

// ---------------------------------------------------------------- groups, -1, digits

describeCommand('kill', 'process groups, -1 and negative pids read as options (signal 0 wherever -1 could be reached)', () => {
  async function group(): Promise<{ pgid: number; members: number[]; lead: Child }> {
    const lead = child('sh', ['-c', 'sleep 60 & exec sleep 60'], true);
    let members: number[] = [];
    for (let i = 0; i < 50 && members.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      members = spawnSync('pgrep', ['-g', String(lead.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    }
    expect(members.length).toBe(2);
    for (const m of members) mine.add(m);
    return { pgid: lead.pid, members, lead };
  }
  const running = (pid: number): boolean => {
    try {
      return new Process(pid).status() !== 'zombie';
    } catch {
      return false;
    }
  };

  it('-TERM -- -PGID ends every member, as with procps; -0 -- -PGID probes', async () => {
    const [ga, gb] = [await group(), await group()];
    for (const args of [(g: number) => ['-0', '--', `-${g}`], (g: number) => ['-TERM', '--', `-${g}`]]) {
      const t = real(args(ga.pgid));
      const o = await ours(args(gb.pgid));
      expect([o.status, o.stdout, o.stderr]).toEqual([t.status, t.stdout, t.stderr]);
    }
    expect(await ga.lead.ended).toBe('SIGTERM');
    expect(await gb.lead.ended).toBe('SIGTERM');
    // The other members end when they next run (then reaped by init): wait for that.
    await waitUntil(() => [...ga.members, ...gb.members].filter(running).length === 0, 'the groups\' members to end', 10_000).catch(() => {});
    expect([...ga.members, ...gb.members].filter(running)).toEqual([]);
  });

  it('a group that does not exist: "(-N): No such process", status 1', async () => {
    const args = ['-0', '--', `-${NOPID}`];
    const t = real(args);
    const o = await ours(args);
    expect(o).toEqual(t);
    expect(o.stderr).toBe(`kill: (-${NOPID}): No such process\n`);
  });

  it('-0 -N (a digit after the signal): procps signals the group silently and exits 1 on success, 0 on failure', async () => {
    // pgid 5 does not exist (kernel threads are in group 0): failure, status 0
    expect(spawnSync('pgrep', ['-g', '5']).status).toBe(1);
    for (const args of [['-0', '-5'], ['-0', '-1'], ['-s', '0', '-0', '--', '-1']]) {
      const t = real(args);
      const o = await ours(args);
      expect(o, JSON.stringify(args)).toEqual(t);
    }
    expect((await ours(['-0', '-1'])).status).toBe(1);
    expect((await ours(['-0', '-5'])).status).toBe(0);
  });

  it('-0 -PGID with several digits: ptools signals that group (procps 4.0.2 signals the group of the first digit only)', async () => {
    const g = await group();
    const o = await ours(['--json', '-0', `-${g.pgid}`]);
    // ptools: kill(-PGID, 0) succeeds → status 1 (procps' inverted status on this path)
    expect(o.status).toBe(1);
    expect(o.stderr).toBe('');
    expect(JSON.parse(o.stdout)).toMatchObject({ signal: 0, signalled: [-g.pgid], failed: [] });
    // procps 4.0.2: kill(-D, 0) where D is the first digit — status 1 if group D exists, else 0
    const d = Number(String(g.pgid)[0]);
    const groupD = spawnSync('pgrep', ['-g', String(d)]).status === 0 || d === 1;
    expect(real(['-0', `-${g.pgid}`]).status).toBe(groupD ? 1 : 0);
    expect((await ours(['-0', `-${PID_MAX + 1}`])).status).toBe(0);
  });

  it('the dangerous forms parse as procps reads them (parsed only: never run here)', () => {
    // "-1" is the first -SIGNAL: SIGHUP, and no pid is left
    expect(parseArgs(['--', '-1'])).toMatchObject({ action: 'usage' });
    expect(parseArgs(['-9', '-1'])).toMatchObject({ action: 'signal', signal: 9, pids: ['-1'], optionPid: true });
    expect(parseArgs(['-9', '-123'])).toMatchObject({ action: 'signal', signal: 9, pids: ['-123'], optionPid: true });
    expect(parseArgs(['-9', '--', '-1'])).toMatchObject({ action: 'signal', signal: 9, pids: ['-1'], optionPid: false });
    expect(parseArgs(['-s', '9', '--', '-1'])).toMatchObject({ action: 'usage' });
    expect(parseArgs(['-123'])).toMatchObject({ action: 'signal', signal: 15, pids: ['-123'], optionPid: true });
    expect(parseArgs(['-9', '5', '-3'])).toMatchObject({ action: 'signal', signal: 9, pids: ['-3'], optionPid: true });
  });

  it('an option pid that is not a number is refused before anything is sent', async () => {
    const plan = parseArgs(['-0', '-1x']);
    expect(plan).toMatchObject({ pids: ['-1x'], optionPid: true });
    const io = bufferIO({ prog: 'kill' });
    expect(await execute(plan, io)).toBe(1);
    expect(io.stderr()).toBe("kill: failed to parse argument: '-1x'\n");
  });

  it('a pid beyond 32 bits is "No such process" (procps would truncate 4294967297 to pid 1)', () => {
    expect(signalPid(4294967297, 0, null)).toBe('ESRCH');
    expect(signalPid(-4294967297, 0, null)).toBe('ESRCH');
  });
});

// ---------------------------------------------------------------- identity

describe('a stale pid is never signalled', () => {
  it('a child that has ended (reaped): "No such process", status 1, from ptools and procps alike', async () => {
    const c = child();
    c.proc.kill('SIGKILL');
    await c.ended;
    const o = await ours(['-9', String(c.pid)]);
    expect(o).toEqual({ status: 1, stdout: '', stderr: `kill: (${c.pid}): No such process\n` });
    expect(real(['-9', String(c.pid)])).toEqual(o);
  });

  it('library: a Process whose pid now names another process (start time differs) raises NoSuchProcess and sends nothing', async () => {
    const c = child();
    const p = new Process(c.pid);
    // A procfs where that pid shows another start time: the pid was reused.
    const fake = mkdtempSync(join(tmpdir(), 'ptools-kill-reuse-'));
    const stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).trim().split(' ');
    fields[19] = String(Number(fields[19]) + 12345); // starttime is field 22: index 19 after "pid (comm)"
    mkdirSync(join(fake, String(c.pid)));
    writeFileSync(join(fake, String(c.pid), 'stat'), `${stat.slice(0, close + 2)}${fields.join(' ')}\n`);
    const before = getProcfsPath();
    setProcfsPath(fake);
    try {
      expect(() => p.sendSignal(9)).toThrow(NoSuchProcess);
      expect(() => p.sendSignal(9)).toThrow(/reused/);
    } finally {
      setProcfsPath(before);
      rmSync(fake, { recursive: true, force: true });
    }
    expect(await fate(c)).toBe('running');
    // and with the true procfs the same Process object works
    p.sendSignal(0);
  });

  it('bad input changes nothing: the children named after a bad pid, or with a bad option, keep running', async () => {
    const [x, y] = [child(), child()];
    for (const args of [['-z', String(x.pid)], ['abc', String(x.pid)], ['-q', 'x', String(x.pid)], ['-l', String(x.pid)], ['-n', '9', String(y.pid)]]) {
      const r = await ours(args);
      expect(r.status === 1 || args[0] === '-l').toBe(true);
    }
    expect(await fate(x)).toBe('running');
    expect(await fate(y)).toBe('running');
  });
});

// ---------------------------------------------------------------- sigqueue

describeCommand('kill', '-q VALUE (sigqueue)', () => {
  it(sigqueueAvailable() ? 'queues the signal like procps' : 'this build has no native sigqueue: each pid fails with "Function not implemented", status 1 (a reported gap)', async () => {
    const c = child();
    const o = await ours(['-q', '5', '-s', '0', String(c.pid)]);
    if (sigqueueAvailable()) expect(o).toEqual(real(['-q', '5', '-s', '0', String(c.pid)]));
    else {
      expect(o).toEqual({ status: 1, stdout: '', stderr: `kill: (${c.pid}): Function not implemented\n` });
      expect(await fate(c)).toBe('running');
    }
    // sigqueue has no process group form: the kernel finds no pid <= 0
    expect(signalPid(-c.pid, 0, 5)).toBe('ESRCH');
  });
});

// ---------------------------------------------------------------- JSON

describe('--json', () => {
  it('signalling: {signal, name, value, signalled, failed}; the text messages and status are unchanged', async () => {
    const c = child();
    const r = await ours(['--json', '-0', String(c.pid), NOPID, 'abc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`kill: (${NOPID}): No such process\nkill: failed to parse argument: 'abc'\n`);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      signal: 0,
      name: '0',
      value: null,
      signalled: [c.pid],
      failed: [
        { pid: Number(NOPID), error: 'No such process', code: 'ESRCH' },
        { pid: 'abc', error: 'failed to parse argument', code: 'EINVAL' },
      ],
    });
  });

  it('a real signal: the child ended, and the document says so; an invalid signal has name null', async () => {
    const c = child();
    const r = await ours(['--json', '-s', 'RTMIN+3', String(c.pid)]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ signal: 37, name: 'RTMIN+3', value: null, signalled: [c.pid], failed: [] });
    // Node names no real-time signal: the exit has no signal name, but it ended
    expect(await fate(c)).not.toBe('running');
    const d = child();
    const bad = JSON.parse((await ours(['--json', '-s', 'FOO', String(d.pid)])).stdout);
    expect(bad).toEqual({ signal: -1, name: null, value: null, signalled: [], failed: [{ pid: d.pid, error: 'Invalid argument', code: 'EINVAL' }] });
    expect(await fate(d)).toBe('running');
  });

  it('-l and -L: the table as [{number, name}]; -l SIG: {number, name}; agrees with the text form', async () => {
    const list = JSON.parse((await ours(['--json', '-l'])).stdout);
    expect(list).toEqual(SIGNALS.map((s) => ({ number: s.number, name: s.name })));
    expect(list.map((s: { name: string }) => s.name).join(' ').replace(/ STKFLT /, ' STKFLT\n')).toBe(signalListText().trim());
    expect(JSON.parse((await ours(['-L', '--json'])).stdout)).toEqual(list);
    for (const spec of ['9', 'KILL', 'sigchld']) {
      const j = JSON.parse((await ours(['--json', '-l', spec])).stdout);
      const text = (await ours(['-l', spec])).stdout.trim();
      expect(text === j.name || text === String(j.number)).toBe(true);
      expect(convertSignal(spec)).toBe(text);
    }
    const unknown = await ours(['--json', '-l', 'FOO']);
    expect(unknown).toEqual({ status: 0, stdout: '', stderr: 'kill: unknown signal name FOO\n' });
  });
});

// ---------------------------------------------------------------- unprivileged

describeCommand('setpriv', 'a process the caller may not signal (ptools and procps run as nobody)', () => {
  it('"kill: (PID): Operation not permitted", status 1; the other pids are still signalled', async () => {
    // A world-readable copy of the compiled program: the checkout may sit in a 0700 directory.
    const dir = mkdtempSync(join(tmpdir(), 'ptools-kill-nobody-'));
    try {
      for (const p of ['dist', 'prebuilds', 'package.json', 'node_modules/chalk', 'node_modules/commander', 'node_modules/node-gyp-build']) cpSync(join(root, p), join(dir, p), { recursive: true });
      spawnSync('chmod', ['-R', 'a+rX', dir]);
      const rootChild = child();
      // a child of nobody's own, which nobody may signal
      const asNobody = (cmd: string, args: string[]): Result => {
        const r = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', cmd, ...args], { encoding: 'utf8', env: ENV, cwd: '/' });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      const main = join(dir, 'dist/cli/main.js');
      const code = `const { main } = await import(${JSON.stringify(main)}); await main([process.argv[0], 'ptools', ...process.argv.slice(1)]);`;
      // nobody starts a sleep of its own, then runs kill on: the root child, its own sleep, a pid that cannot exist
      const prelude = 'sleep 60 >/dev/null 2>&1 & echo $!; ';
      const t = asNobody('sh', ['-c', `${prelude}exec env kill -0 ${rootChild.pid} $! ${NOPID}`]);
      const o = asNobody('sh', ['-c', `${prelude}exec "$0" --input-type=module -e "$1" kill -0 ${rootChild.pid} $! ${NOPID}`, process.execPath, code]);
      const tSelf = t.stdout.trim();
      const oSelf = o.stdout.trim();
      expect(t.stderr).toBe(`kill: (${rootChild.pid}): Operation not permitted\nkill: (${NOPID}): No such process\n`);
      expect(o.stderr).toBe(t.stderr);
      expect([o.status, t.status]).toEqual([1, 1]);
      for (const p of [tSelf, oSelf]) process.kill(Number(p), 'SIGKILL');
      expect(await fate(rootChild)).toBe('running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- launcher

describeCommand('kill', 'the launcher (compiled: npm run compile)', () => {
  it('bin/ptools kill -l, -L and -0 PID as the real kill', () => {
    const bin = join(root, 'bin/ptools');
    for (const args of [['-l'], ['-L']]) {
      const r = spawnSync(process.execPath, [bin, 'kill', ...args], { encoding: 'utf8', env: ENV });
      expect(r.stdout).toBe(real(args).stdout);
      expect(r.status).toBe(0);
    }
    const c = child();
    const r = spawnSync(process.execPath, [bin, 'kill', '-0', String(c.pid), NOPID], { encoding: 'utf8', env: ENV });
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `kill: (${NOPID}): No such process\n`]);
  });
});
