/**
 * ptools taskset vs util-linux 2.38.1's taskset: the same arguments back to
 * back, each run on its own fresh child (pids substituted), compared line by
 * line, and the children's affinity afterwards compared too (bad input
 * changes nothing). Read back through the real taskset and the library;
 * threads (-a) of a multi-threaded child; the command mode through the
 * compiled program; a stale pid; --json. This machine's CPUs decide what can
 * be set (2 here): the cases hold for any count of 2 or more.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { helpText, parseArgs } from '../../src/commands/taskset/index.js';
import { formatAffinityList } from '../../src/core/base/cpulist.js';
import { NoSuchProcess } from '../../src/core/base/errors.js';
import { getProcfsPath, setProcfsPath } from '../../src/core/base/paths.js';
import { Process } from '../../src/core/process/process.js';
import { describeCommand } from '../helpers/oracle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/bin:/bin' };
const MAIN = join(root, 'dist/cli/main.js');
const PID_MAX = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
const NOPID = String(PID_MAX + 1);
const ALL = new Process().cpuAffinity();

function launcherCode(main: string): string {
  return `const { main } = await import(${JSON.stringify(main)}); await main([process.argv[0], 'ptools', ...process.argv.slice(1)]);`;
}

interface Result {
  status: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
}

function real(args: string[]): Result {
  const r = spawnSync('/usr/bin/taskset', args, { argv0: 'taskset', encoding: 'utf8', env: ENV });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** In-process: for -p runs (nothing is executed). */
async function ours(args: string[]): Promise<Result> {
  const io = bufferIO({ env: ENV });
  const status = await run(['taskset', ...args], io);
  return { status, signal: null, stdout: io.stdout(), stderr: io.stderr() };
}

/** As a process, through the compiled program: for the command mode. */
function oursProcess(args: string[]): Result {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', launcherCode(MAIN), 'taskset', ...args], { encoding: 'utf8', env: ENV });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const JSON_LINE = '     --json              print what was done as JSON\n';

const started: ChildProcess[] = [];
function child(cmd = 'sleep', args = ['60']): ChildProcess {
  const c = spawn(cmd, args, { stdio: 'ignore' });
  started.push(c);
  return c;
}
afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
});

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run npm run compile (make test does)');
});

/** Every pid in the text replaced by N (thread ids, our own pid, the shell's). */
const anyPid = (s: string): string => s.replace(/pid -?\d+'s/g, "pid N's");

const pidCases: string[][] = [
  ['-p', 'P'],
  ['-pc', 'P'],
  ['--pid', 'P'],
  ['-cp', 'P'],
  ['-p', '--cpu-list', 'P'],
  ['-p', '1', 'P'],
  ['-p', '2', 'P'],
  ['-p', '3', 'P'],
  ['-p', '03', 'P'],
  ['-p', '0x2', 'P'],
  ['-pc', '0-1', 'P'],
  ['-pc', '1', 'P'],
  ['-pc', '0', 'P'],
  ['-pc', '0,1', 'P'],
  ['-pc', '0-10:2', 'P'],
  ['-pc', '1-31:2', 'P'],
  ['-pc', '0,5', 'P'],
  ['-p', 'ffffffff', 'P'],
  ['-p', 'ff,ffffffff', 'P'],
  ['-p', '1,1', 'P'],
  ['-pc', '0x-1', 'P'],
  ['-pc', '0junk,1', 'P'],
  ['-pc', '4294967296', 'P'],
  ['-p', ' P'],
  ['-p', '+P'],
  ['-ap', 'P'],
  ['-apc', '0', 'P'],
  ['-a', '-p', '1', 'P'],
  ['--all-tasks', '--pid', '--cpu-list', '1', 'P'],
  ['--all', '--p', '--cpu', '1', 'P'],
  // the kernel refuses: EINVAL, after the current mask is printed
  ['-p', '4', 'P'],
  ['-p', '', 'P'],
  ['-p', '0', 'P'],
  ['-p', '0x', 'P'],
  ['-pc', '2-5', 'P'],
  // bad masks and lists: nothing printed, nothing changed
  ['-p', 'zz', 'P'],
  ['-pc', 'zz', 'P'],
  ['-p', '0X2', 'P'],
  ['-p', '1,,1', 'P'],
  ['-p', ',1', 'P'],
  ['-p', '-1', 'P'],
  ['-p', '--', '-1', 'P'],
  ['-pc', '0-1junk', 'P'],
  ['-pc', '0-1:0', 'P'],
  ['-pc', '1-0', 'P'],
  ['-pc', '0,', 'P'],
  ['-pc', '0,,1', 'P'],
  ['-pc', '', 'P'],
  // pids
  ['-p', NOPID],
  ['-pc', NOPID],
  ['-ap', NOPID],
  ['-p', '1', NOPID],
  ['-p', 'abc'],
  ['-p', '99999999999'],
  ['-p', '12abc'],
  ['-p'],
  ['-p', '--', '-5'],
  ['-p', '1', '2', '3'],
  ['-p', 'P', 'extra'],
  // usage
  [],
  ['1'],
  ['-z'],
  ['-pz', 'P'],
  ['--foo'],
  ['--pid=3', '1'],
  ['-h'],
  ['--help'],
  ['-c'],
];

describeCommand('taskset', 'fidelity: ptools taskset -p vs /usr/bin/taskset (util-linux 2.38.1), each on a fresh child', () => {
  for (const args of pidCases) {
    it(`taskset ${args.map((a) => JSON.stringify(a)).join(' ')}`, async () => {
      const a = child();
      const b = child();
      const fill = (c: ChildProcess): string[] => args.map((x) => x.replace('P', String(c.pid)));
      const t = real(fill(a));
      const o = await ours(fill(b));
      const norm = (s: string, c: ChildProcess): string => s.split(String(c.pid)).join('P');
      expect(norm(o.stdout.replace(JSON_LINE, ''), b).split('\n')).toEqual(norm(t.stdout, a).split('\n'));
      expect(norm(o.stderr, b).split('\n')).toEqual(norm(t.stderr, a).split('\n'));
      expect(o.status).toBe(t.status);
      // the same change (or none) was made
      expect(new Process(b.pid!).cpuAffinity()).toEqual(new Process(a.pid!).cpuAffinity());
    });
  }

  it('-V names ptools', async () => {
    expect(real(['-V']).stdout).toMatch(/^taskset from util-linux \d/);
    expect(await ours(['-V'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^taskset from ptools \d+\.\d+\.\d+\n$/) });
    expect((await ours(['--help'])).stdout).toBe(helpText('taskset'));
  });

  it('read back: the real taskset and the library see what ptools set, and ptools sees what taskset set', async () => {
    const c = child();
    const pid = String(c.pid);
    expect((await ours(['-p', '1', pid])).status).toBe(0);
    expect(real(['-p', pid]).stdout).toBe(`pid ${pid}'s current affinity mask: 1\n`);
    expect(real(['-pc', pid]).stdout).toBe(`pid ${pid}'s current affinity list: 0\n`);
    expect(new Process(c.pid!).cpuAffinity()).toEqual([0]);
    expect(real(['-pc', '1', pid]).status).toBe(0);
    expect((await ours(['-pc', pid])).stdout).toBe(`pid ${pid}'s current affinity list: 1\n`);
    expect((await ours(['-p', pid])).stdout).toBe(`pid ${pid}'s current affinity mask: 2\n`);
  });
});

describeCommand('taskset', '-a: every thread of a multi-threaded child', () => {
  // A child with a fixed set of threads (the main one and four sleepers),
  // all started before it says "ready": the thread list does not move.
  const THREADED = 'import sys, threading, time\n[threading.Thread(target=time.sleep, args=(300,), daemon=True).start() for _ in range(4)]\nprint("ready", flush=True)\nsys.stdin.read()';
  function threaded(): ChildProcess {
    const c = spawn('/usr/bin/python3', ['-c', THREADED], { stdio: ['pipe', 'pipe', 'ignore'] });
    started.push(c);
    return c;
  }
  async function tids(c: ChildProcess): Promise<number[]> {
    await new Promise<void>((resolve) => c.stdout!.once('data', () => resolve()));
    return new Process(c.pid!).threads().map((t) => t.id);
  }

  it('-apc 0 PID: one current/new pair per thread, as taskset prints them; each thread reads back 0', async () => {
    const [a, b] = [threaded(), threaded()];
    const [ta, tb] = [await tids(a), await tids(b)];
    expect(tb).toHaveLength(5);
    expect(ta).toHaveLength(5);
    const t = real(['-apc', '0', String(a.pid)]);
    const o = await ours(['-apc', '0', String(b.pid)]);
    expect(o.status).toBe(t.status);
    // thread ids differ; the lines, one pair per thread in the same order (ascending tid), do not
    const linesFor = (out: string, ids: number[]): string[] => out.trim().split('\n').map((l) => {
      const m = /^pid (\d+)'s/.exec(l)!;
      return l.replace(m[1]!, `T${ids.indexOf(Number(m[1]))}`);
    });
    expect(linesFor(o.stdout, tb)).toEqual(linesFor(t.stdout, ta));
    expect(o.stdout.trim().split('\n')).toHaveLength(2 * tb.length);
    for (const tid of tb) {
      expect(new Process(tid).cpuAffinity()).toEqual([0]);
      expect(real(['-pc', String(tid)]).stdout).toBe(`pid ${tid}'s current affinity list: 0\n`);
    }
  });

  it('--json -ap: an array, one entry per thread, agreeing with the text form', async () => {
    const c = threaded();
    const ids = await tids(c);
    const text = (await ours(['-apc', String(c.pid)])).stdout;
    const doc = JSON.parse((await ours(['--json', '-apc', String(c.pid)])).stdout) as Array<{ pid: number; old: number[]; new: null }>;
    expect(doc.map((d) => d.pid)).toEqual(ids);
    expect(text).toBe(doc.map((d) => `pid ${d.pid}'s current affinity list: ${formatAffinityList(d.old)}\n`).join(''));
    for (const d of doc) expect(d).toEqual({ pid: d.pid, old: ALL, new: null, error: null });
  });
});

describeCommand('taskset', 'the command mode, through the compiled program', () => {
  const commandCases: string[][] = [
    ['1', 'sh', '-c', 'taskset -p $$'],
    ['2', 'sh', '-c', 'taskset -pc $$'],
    ['-c', '1', 'sh', '-c', 'taskset -pc $$'],
    ['-c', '0-1', 'sh', '-c', 'taskset -p $$'],
    ['0x1', 'sh', '-c', 'taskset -pc $$; exit 3'],
    ['3', 'sh', '-c', 'echo out; echo err >&2; exit 7'],
    ['1', 'sh', '-c', 'kill -TERM $$'],
    ['1', 'sh', '-c', 'kill -PIPE $$'],
    ['4', 'true'],
    ['0', 'true'],
    ['zz', 'true'],
    ['-c', '0-1:0', 'true'],
    ['-c', '5', 'true'],
    ['1', 'nonexistent-command-xyz'],
    ['1', '/etc'],
    ['1', ''],
    ['-p', '1', '0'],
    ['--', '1', 'sh', '-c', 'exit 5'],
    ['1', '--', 'sh', '-c', 'exit 6'],
    ['1', 'sh', '-c', 'exit 2', '-p'],
  ];
  for (const args of commandCases) {
    it(`taskset ${args.map((a) => JSON.stringify(a)).join(' ')}`, () => {
      const t = real(args);
      const o = oursProcess(args);
      expect(anyPid(o.stdout).split('\n')).toEqual(anyPid(t.stdout).split('\n'));
      expect(anyPid(o.stderr).split('\n')).toEqual(anyPid(t.stderr).split('\n'));
      expect([o.status, o.signal]).toEqual([t.status, t.signal]);
    });
  }

  it('the failure names ptools\' own pid, as taskset names its own', () => {
    const r = spawnSync('sh', ['-c', 'echo $$; exec "$0" --input-type=module -e "$1" taskset 4 true', process.execPath, launcherCode(MAIN)], { encoding: 'utf8', env: ENV });
    const pid = r.stdout.trim();
    expect(r.stderr).toBe(`taskset: failed to set pid ${pid}'s affinity: Invalid argument\n`);
  });

  it('--json: {pid, old, new, error, command, status, signal}; in-process, our own affinity is given back', async () => {
    const o = oursProcess(['--json', '1', 'sh', '-c', 'exit 3']);
    expect(o.status).toBe(3);
    const doc = JSON.parse(o.stdout);
    expect(doc).toEqual({ pid: doc.pid, old: ALL, new: [0], error: null, command: ['sh', '-c', 'exit 3'], status: 3, signal: null });
    const before = new Process().cpuAffinity();
    const io = bufferIO({ env: ENV });
    expect(await run(['taskset', '-c', '1', 'sh', '-c', 'exit $(taskset -pc $$ | sed "s/.*: //")'], io)).toBe(1);
    expect(new Process().cpuAffinity()).toEqual(before);
  });
});

describe('a stale pid is never changed', () => {
  it('a child that has ended: "failed to get pid N\'s affinity: No such process", from both', async () => {
    const c = child();
    const ended = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await ended;
    const args = ['-p', '1', String(c.pid)];
    expect(await ours(args)).toEqual(real(args));
    expect((await ours(args)).stderr).toBe(`taskset: failed to get pid ${c.pid}'s affinity: No such process\n`);
  });

  it('library: a Process whose pid was reused refuses cpuAffinity(cpus); the process keeps its affinity', () => {
    const c = child();
    const p = new Process(c.pid!);
    const fake = mkdtempSync(join(tmpdir(), 'ptools-taskset-reuse-'));
    const stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).trim().split(' ');
    fields[19] = String(Number(fields[19]) + 777); // starttime
    mkdirSync(join(fake, String(c.pid)));
    writeFileSync(join(fake, String(c.pid), 'stat'), `${stat.slice(0, close + 2)}${fields.join(' ')}\n`);
    const before = getProcfsPath();
    setProcfsPath(fake);
    try {
      expect(() => p.cpuAffinity([0])).toThrow(NoSuchProcess);
    } finally {
      setProcfsPath(before);
      rmSync(fake, { recursive: true, force: true });
    }
    expect(new Process(c.pid!).cpuAffinity()).toEqual(ALL);
    expect(real(['-pc', String(c.pid)]).stdout).toBe(`pid ${c.pid}'s current affinity list: ${formatAffinityList(ALL)}\n`);
  });
});

describe('--json for -p', () => {
  it('{pid, old, new, error}; no text lines; agrees with the text form of the same change', async () => {
    const [a, b] = [child(), child()];
    const text = await ours(['-pc', '1', String(a.pid)]);
    const j = await ours(['--json', '-pc', '1', String(b.pid)]);
    expect(j.status).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(doc).toEqual({ pid: b.pid, old: ALL, new: [1], error: null });
    expect(text.stdout).toBe(`pid ${a.pid}'s current affinity list: ${formatAffinityList(doc.old)}\npid ${a.pid}'s new affinity list: ${formatAffinityList(doc.new)}\n`);
  });

  it('a refused change: new null, the error, the message on stderr, status 1', async () => {
    const c = child();
    const j = await ours(['--json', '-p', '4', String(c.pid)]);
    expect(j.status).toBe(1);
    expect(j.stderr).toBe(`taskset: failed to set pid ${c.pid}'s affinity: Invalid argument\n`);
    expect(JSON.parse(j.stdout)).toEqual({ pid: c.pid, old: ALL, new: null, error: 'Invalid argument' });
    const g = await ours(['--json', '-p', String(c.pid)]);
    expect(JSON.parse(g.stdout)).toEqual({ pid: c.pid, old: ALL, new: null, error: null });
  });
});

describe('parsing (pure)', () => {
  it('-p takes the pid from the last argument; options stop at the first operand', () => {
    expect(parseArgs(['-p', '3', '123'])).toEqual({ action: 'run', pid: 123, allTasks: false, list: false, cpus: [0, 1], command: [], json: false });
    expect(parseArgs(['-pc', '123'])).toMatchObject({ pid: 123, list: true, cpus: null });
    expect(parseArgs(['1', 'ls', '-p'])).toMatchObject({ pid: 0, cpus: [0], command: ['ls', '-p'] });
    expect(parseArgs(['-p'])).toEqual({ action: 'fail', message: "invalid PID argument: '-p'", tryHelp: false });
    expect(parseArgs(['-p', '2147483648'])).toEqual({ action: 'fail', message: "invalid PID argument: '2147483648': Numerical result out of range", tryHelp: false });
  });
});

describeCommand('taskset', 'the launcher (compiled: npm run compile)', () => {
  it('bin/ptools taskset -p PID as the real taskset', () => {
    const c = child();
    const r = spawnSync(process.execPath, [join(root, 'bin/ptools'), 'taskset', '-p', String(c.pid)], { encoding: 'utf8', env: ENV });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, real(['-p', String(c.pid)]).stdout, '']);
  });
});
