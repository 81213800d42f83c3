/**
 * ptools nice vs GNU coreutils 9.1's /usr/bin/nice: the same arguments back
 * to back through the compiled program (the command's output is inherited,
 * so both run as processes), compared line by line with their exit statuses
 * and signals; the niceness a command gets, read back through ps and the
 * library; the unprivileged path as nobody; --json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { helpText, parseAdjustment, parseArgs } from '../../src/commands/nice/index.js';
import { Process } from '../../src/core/process/process.js';
import { describeCommand } from '../helpers/oracle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENV = { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/bin:/bin' };
const MAIN = join(root, 'dist/cli/main.js');

/** Node code that runs the compiled program as `ptools ARGS...`. */
function launcherCode(main: string): string {
  return `const { main } = await import(${JSON.stringify(main)}); await main([process.argv[0], 'ptools', ...process.argv.slice(1)]);`;
}

interface Result {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function real(args: string[], input?: string): Result {
  const r = spawnSync('/usr/bin/nice', args, { argv0: 'nice', encoding: 'utf8', env: ENV, input });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** ptools nice as its own process (compiled: npm run compile). */
function ours(args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', launcherCode(MAIN), 'nice', ...args], { encoding: 'utf8', env: ENV, input });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const JSON_LINE = '      --json        print what was done as JSON\n';

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run npm run compile (make test does)');
});

const cases: string[][] = [
  [],
  ['nice'],
  ['-n', '5', 'nice'],
  ['-5', 'nice'],
  ['--5', 'nice'],
  ['-+5', 'nice'],
  ['-n', '100', 'nice'],
  ['-n', '-100', 'nice'],
  ['-n', '-25', 'nice'],
  ['--adjustment=3', 'nice'],
  ['--adj', '3', 'nice'],
  ['--', 'nice'],
  ['-n', '3', '--', 'nice'],
  ['-n', '3', '-n', '4', 'nice'],
  ['-3', '-n', '4', '-5', 'nice'],
  ['-n', ' 5', 'nice'],
  ['-n', '+5', 'nice'],
  ['-n5', 'nice'],
  ['-n', '99999999999999999999', 'nice'],
  ['-n', '-99999999999999999999', 'nice'],
  ['nice', '-n', '5', 'nice'],
  ['-n', '5', 'nice', '-n', '-3', 'nice'],
  ['-n', '5', 'sh', '-c', 'nice; exit 4'],
  ['printenv', 'LC_ALL'],
  // nice itself fails: 125
  ['-n', 'x', 'nice'],
  ['-n', '5x', 'nice'],
  ['-n', '', 'nice'],
  ['-n', '1.5', 'true'],
  ['-n', '0x5', 'nice'],
  ['-n', "it's", 'true'],
  ['-n', '\t', 'true'],
  ['-n', '99999999999999999999x', 'true'],
  ['-n', '5'],
  ['-5'],
  ['-z'],
  ['-h'],
  ['--foo'],
  ['---5'],
  ['-n'],
  ['--adjustment'],
  ['--help=x'],
  ['--adjustment=x', 'true'],
  ['-n', '5', '-z', 'nice'],
  // the command cannot run: 126 / 127
  ['nonexistent-command-xyz'],
  ['/etc'],
  ['/etc/passwd'],
  [''],
  ['-'],
  ["it's"],
  ['a\nb'],
  ['caf\u00e9'],
  ['a\\b'],
  ['\u0001'],
  // the command's status, output and signal
  ['sh', '-c', 'exit 3'],
  ['sh', '-c', 'echo out; echo err >&2; exit 7'],
  ['sh', '-c', 'kill -TERM $$'],
  ['sh', '-c', 'kill -USR1 $$'],
  ['sh', '-c', 'kill -HUP $$'],
  ['sh', '-c', 'kill -9 $$'],
];

describeCommand('nice', 'fidelity: ptools nice vs /usr/bin/nice (coreutils 9.1)', () => {
  for (const args of cases) {
    it(`nice ${args.map((a) => JSON.stringify(a)).join(' ')}`, () => {
      const t = real(args);
      const o = ours(args);
      expect(o.stdout.replace(JSON_LINE, '').split('\n')).toEqual(t.stdout.split('\n'));
      expect(o.stderr.split('\n')).toEqual(t.stderr.split('\n'));
      expect([o.status, o.signal]).toEqual([t.status, t.signal]);
    });
  }

  it('stdin is the command\'s: nice cat', () => {
    expect(ours(['cat'], 'hello\nworld\n')).toEqual(real(['cat'], 'hello\nworld\n'));
  });

  it('a signal the shell sees: 128+n, also for signals Node ignores or handles (PIPE, USR1) and real-time ones', () => {
    const code = launcherCode(MAIN);
    for (const sig of ['TERM', 'PIPE', 'USR1', 'INT', '40', '64']) {
      const inner = `kill -${sig} $$`;
      const t = spawnSync('sh', ['-c', 'nice sh -c "$0"; echo "status $?"', inner], { encoding: 'utf8', env: ENV });
      const o = spawnSync('sh', ['-c', '"$1" --input-type=module -e "$2" nice sh -c "$0"; echo "status $?"', inner, process.execPath, code], { encoding: 'utf8', env: ENV });
      expect(o.stdout, sig).toBe(t.stdout);
      expect(o.stdout).toMatch(/^status 1\d\d\n$/);
    }
  });

  it('Ctrl-C (SIGINT to the whole foreground group) is the command\'s to handle; ptools follows its fate', async () => {
    const code = launcherCode(MAIN);
    async function interrupted(viaPtools: boolean, inner: string): Promise<[number | null, string | null, string]> {
      const argv = viaPtools ? [process.execPath, '--input-type=module', '-e', code, 'nice', 'sh', '-c', inner] : ['/usr/bin/nice', 'sh', '-c', inner];
      // a group of its own, as a shell's foreground job
      const p = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: ENV });
      let out = '';
      const ready = new Promise<void>((res) => p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) res();
      }));
      const done = new Promise<[number | null, string | null]>((res) => p.once('exit', (c, s) => res([c, s])));
      await ready;
      process.kill(-p.pid!, 'SIGINT');
      const [c, s] = await done;
      await new Promise((r) => setTimeout(r, 50));
      return [c, s, out];
    }
    // the command traps it and exits 5
    const trap = 'trap "echo caught; exit 5" INT; echo ready; sleep 5 & wait';
    const t = await interrupted(false, trap);
    expect(t).toEqual([5, null, 'ready\ncaught\n']);
    expect(await interrupted(true, trap)).toEqual(t);
    // the command dies of it: so does nice
    const plain = 'echo ready; exec sleep 5';
    const t2 = await interrupted(false, plain);
    expect(t2).toEqual([null, 'SIGINT', 'ready\n']);
    expect(await interrupted(true, plain)).toEqual(t2);
  });

  it('--help: coreutils\' text plus the --json line, then ptools\' own last line', () => {
    const t = real(['--help']).stdout;
    const o = ours(['--help']);
    expect(o.status).toBe(0);
    expect(o.stdout).toContain(JSON_LINE);
    // everything up to the end of the NOTE paragraph is the same
    const upTo = (s: string): string => s.slice(0, s.indexOf('supports.\n') + 'supports.\n'.length);
    expect(upTo(o.stdout.replace(JSON_LINE, ''))).toBe(upTo(t));
    expect(o.stdout).toBe(helpText('nice'));
  });

  it('--version names ptools', () => {
    expect(real(['--version']).stdout).toMatch(/^nice \(GNU coreutils\) /);
    expect(ours(['--version'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^nice \(ptools\) \d+\.\d+\.\d+\n$/) });
  });
});

describeCommand('ps', 'the niceness the command runs with, read back through ps and the library', () => {
  const kids: number[] = [];
  afterAll(() => {
    for (const k of kids) {
      try {
        process.kill(k, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  async function sleeper(viaPtools: boolean, adj: string): Promise<number> {
    const p = viaPtools
      ? spawn(process.execPath, ['--input-type=module', '-e', launcherCode(MAIN), 'nice', '-n', adj, 'sleep', '30'], { stdio: 'ignore', env: ENV })
      : spawn('/usr/bin/nice', ['-n', adj, 'sleep', '30'], { stdio: 'ignore', env: ENV });
    kids.push(p.pid!);
    if (!viaPtools) return p.pid!;
    // ptools runs the command as its child
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const c = new Process(p.pid!).children();
      if (c.length && c[0]!.name() === 'sleep') {
        kids.push(c[0]!.pid);
        return c[0]!.pid;
      }
    }
    throw new Error('the command did not start');
  }
  const ni = (pid: number): number => Number(spawnSync('ps', ['-o', 'ni=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());

  it('nice -n 7 sleep: ps says 7 for both; so does Process.nice()', async () => {
    const t = await sleeper(false, '7');
    const o = await sleeper(true, '7');
    expect(ni(o)).toBe(7);
    expect(ni(o)).toBe(ni(t));
    expect(new Process(o).nice()).toBe(7);
  });

  it('nice -n -12 sleep (root may lower it)', async () => {
    const t = await sleeper(false, '-12');
    const o = await sleeper(true, '-12');
    expect(ni(o)).toBe(-12);
    expect(ni(o)).toBe(ni(t));
    expect(new Process(o).nice()).toBe(-12);
  });
});

describe('in-process (the library and the command together)', () => {
  it('prints the current niceness: the one ps shows for this process', async () => {
    const io = bufferIO({ env: ENV });
    expect(await run(['nice'], io)).toBe(0);
    const ps = spawnSync('ps', ['-o', 'ni=', '-p', String(process.pid)], { encoding: 'utf8' }).stdout.trim();
    expect(io.stdout()).toBe(`${ps}\n`);
    expect(io.stdout()).toBe(`${new Process().nice()}\n`);
  });

  it('the command gets the adjusted niceness (its exit status here), and ours is given back afterwards', async () => {
    const before = new Process().nice();
    const io = bufferIO({ env: ENV });
    expect(await run(['nice', '-n', '6', 'sh', '-c', 'exit $(nice)'], io)).toBe(before + 6);
    expect(new Process().nice()).toBe(before);
    expect([io.stdout(), io.stderr()]).toEqual(['', '']);
  });

  it('--json: {niceness}; {command, niceness, status, signal, error, warning}, agreeing with what the command saw', async () => {
    let io = bufferIO({ env: ENV });
    expect(await run(['nice', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual({ niceness: new Process().nice() });
    io = bufferIO({ env: ENV });
    const status = await run(['nice', '--json', '-n', '6', 'sh', '-c', 'exit $(nice)'], io);
    const doc = JSON.parse(io.stdout());
    expect(doc).toEqual({ command: ['sh', '-c', 'exit $(nice)'], niceness: status, status, signal: null, error: null, warning: null });
    io = bufferIO({ env: ENV });
    expect(await run(['nice', '--json', 'nonexistent-command-xyz'], io)).toBe(127);
    expect(io.stderr()).toBe("nice: 'nonexistent-command-xyz': No such file or directory\n");
    expect(JSON.parse(io.stdout())).toMatchObject({ status: 127, error: 'No such file or directory', signal: null });
  });

  it('--json through the program: a command killed by a signal is reported, then ptools dies of it', () => {
    const o = ours(['--json', 'sh', '-c', 'kill -TERM $$']);
    expect(o.signal).toBe('SIGTERM');
    expect(JSON.parse(o.stdout)).toMatchObject({ status: 143, signal: 'TERM' });
  });

  it('bad input runs nothing: the command would have made a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptools-nice-'));
    try {
      for (const args of [['-n', 'x'], ['-z'], ['--adjustment']]) {
        for (const [which, f] of [['real', real], ['ours', ours]] as const) {
          const file = join(dir, `${which}-${args.join('')}`);
          const r = f([...args, 'touch', file]);
          expect(r.status).toBe(125);
          expect(existsSync(file), `${which} ${args.join(' ')}`).toBe(false);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsing (pure)', () => {
  it('adjustments: xstrtol rules, brought within ±39', () => {
    expect(parseAdjustment('5')).toBe(5);
    expect(parseAdjustment(' -5')).toBe(-5);
    expect(parseAdjustment('+5')).toBe(5);
    expect(parseAdjustment('-0')).toBe(0);
    expect(parseAdjustment('100')).toBe(39);
    expect(parseAdjustment('-99999999999999999999999')).toBe(-39);
    for (const bad of ['', ' ', 'x', '5x', '5 ', '1.5', '0x5', '--5']) expect(parseAdjustment(bad), bad).toBeUndefined();
  });

  it('the old forms and getopt', () => {
    expect(parseArgs(['-5', 'cmd'])).toEqual({ action: 'run', adjustment: 5, command: ['cmd'], json: false });
    expect(parseArgs(['--5', 'cmd'])).toMatchObject({ adjustment: -5 });
    expect(parseArgs(['-n', '3', '--json', 'cmd', '-n', '4'])).toEqual({ action: 'run', adjustment: 3, command: ['cmd', '-n', '4'], json: true });
    expect(parseArgs(['cmd'])).toMatchObject({ adjustment: 10 });
    expect(parseArgs([])).toEqual({ action: 'print', json: false });
    expect(parseArgs(['-n', '5'])).toEqual({ action: 'fail', message: 'a command must be given with an adjustment', tryHelp: true });
  });

});

describeCommand('nice', 'UTF-8 locale quoting vs coreutils', () => {
  it('‘name’ in C.UTF-8', () => {
    const env = { LC_ALL: 'C.UTF-8', PATH: ENV.PATH };
    for (const args of [['caf\u00e9-xyz'], ['-n', 'x', 'true'], ["it's-xyz"]]) {
      const t = spawnSync('/usr/bin/nice', args, { argv0: 'nice', encoding: 'utf8', env });
      const o = spawnSync(process.execPath, ['--input-type=module', '-e', launcherCode(MAIN), 'nice', ...args], { encoding: 'utf8', env });
      expect([o.status, o.stderr]).toEqual([t.status, t.stderr]);
    }
  });
});

describeCommand('setpriv', 'unprivileged (ptools and coreutils as nobody)', () => {
  let dir: string;
  beforeAll(() => {
    // A world-readable copy of the compiled program: the checkout may sit in a 0700 directory.
    dir = mkdtempSync(join(tmpdir(), 'ptools-nice-nobody-'));
    for (const p of ['dist', 'prebuilds', 'package.json', 'node_modules/chalk', 'node_modules/commander', 'node_modules/node-gyp-build']) cpSync(join(root, p), join(dir, p), { recursive: true });
    spawnSync('chmod', ['-R', 'a+rX', dir]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function asNobody(args: string[], which: 'real' | 'ours'): Result {
    const cmd = which === 'real' ? ['env', 'nice', ...args] : [process.execPath, '--input-type=module', '-e', launcherCode(join(dir, 'dist/cli/main.js')), 'nice', ...args];
    const r = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', ...cmd], { encoding: 'utf8', env: ENV, cwd: '/' });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  for (const args of [['-n', '-5', 'nice'], ['-n', '5', 'nice'], ['-n', '5', 'nice', '-n', '-3', 'nice'], ['-n', '0', 'nice'], ['--5', 'sh', '-c', 'exit 9']]) {
    it(`nice ${args.join(' ')}: the warning, and the command still runs`, () => {
      const t = asNobody(args, 'real');
      const o = asNobody(args, 'ours');
      expect(o).toEqual(t);
    });
  }

  it('the warning is in the JSON document', () => {
    const o = asNobody(['--json', '-n', '-5', 'true'], 'ours');
    expect(o.stderr).toBe('nice: cannot set niceness: Permission denied\n');
    expect(JSON.parse(o.stdout)).toMatchObject({ niceness: 0, status: 0, warning: 'cannot set niceness: Permission denied' });
  });
});
