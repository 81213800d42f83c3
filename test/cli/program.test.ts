/** The program: multi-call dispatch, help, version, errors → exit statuses. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { report, run } from '../../src/cli/program.js';
import { version } from '../../src/cli/version.js';
import { CliExit } from '../../src/cli/errors.js';
import { commands } from '../../src/cli/registry.js';
import { execute, JSON_OPTION, type Command } from '../../src/cli/command.js';
import { parseArgs as tasksetArgs } from '../../src/commands/taskset/index.js';
import { AccessDenied } from '../../src/core/base/errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('ptools program', () => {
  it('--help lists every command; --version prints the package version', async () => {
    const io = bufferIO();
    expect(await run(['--help'], io)).toBe(0);
    for (const name of ['ps', 'free', 'df', 'uptime', 'who', 'kill', 'nice', 'taskset']) {
      expect(io.stdout()).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
      expect(commands[name]).toBeDefined();
    }
    const v = bufferIO();
    expect(await run(['--version'], v)).toBe(0);
    expect(v.stdout()).toBe(`ptools ${version()}\n`);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command: one line on stderr, nothing on stdout, status 2', async () => {
    const io = bufferIO();
    expect(await run(['frobnicate'], io)).toBe(2);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toBe("ptools: 'frobnicate' is not a ptools command. See 'ptools --help'.\n");
  });

  it('no command prints the system summary', async () => {
    const io = bufferIO();
    expect(await run([], io)).toBe(0);
    expect(io.stdout()).toMatch(/^booted {3}\d{4}-/);
    expect(io.stdout()).toMatch(/^memory /m);
  });

  it('turns errors into messages and statuses in one place, never a stack trace', () => {
    let io = bufferIO({ prog: 'kill' });
    expect(report(new CliExit(2, 'kill: bad\n', 'partial\n'), io)).toBe(2);
    expect([io.stdout(), io.stderr()]).toEqual(['partial\n', 'kill: bad\n']);
    io = bufferIO({ prog: 'ps' });
    expect(report(new AccessDenied(1, 'init'), io)).toBe(1);
    expect(io.stderr()).toBe('ps: error: access denied (pid=1, name="init")\n');
    io = bufferIO({ prog: 'df' });
    const enoent = Object.assign(new Error("ENOENT: No such file or directory, statvfs '/x'"), { code: 'ENOENT', errno: -2, syscall: 'statvfs', path: '/x' });
    expect(report(enoent, io)).toBe(1);
    expect(io.stderr()).toBe('df: /x: No such file or directory\n');
    io = bufferIO({ prog: 'free' });
    expect(report(new TypeError('boom'), io)).toBe(70);
    expect(io.stderr()).toBe('free: internal error: boom\n');
  });

  it('colour only on a TTY and never with NO_COLOR', () => {
    expect(bufferIO({ isTTY: false }).color).toBe(false);
    expect(bufferIO({ isTTY: true, env: {} }).color).toBe(true);
    expect(bufferIO({ isTTY: true, env: { NO_COLOR: '1' } }).color).toBe(false);
    expect(bufferIO({ isTTY: true, env: { NO_COLOR: '' } }).color).toBe(false);
  });
});

describe('ptools front (commander) and the commands behind it', () => {
  const out = async (argv: string[], invokedAs = 'ptools'): Promise<[number, string, string]> => {
    const io = bufferIO({ env: { LC_ALL: 'C' } });
    const status = await run(argv, io, invokedAs);
    return [status, io.stdout(), io.stderr()];
  };

  it("'ptools help CMD' is 'ptools CMD --help' (and 'pps --help'), for every command", async () => {
    for (const name of Object.keys(commands)) {
      const viaHelp = await out(['help', name]);
      expect(viaHelp[0], name).toBe(0);
      expect(viaHelp, name).toEqual(await out([name, '--help']));
      expect(viaHelp[1], name).not.toMatch(/^Usage: ptools/);
    }
    expect(await out(['help', 'pps'])).toEqual(await out(['--help'], 'pps'));
    expect(await out(['help', 'frobnicate'])).toEqual([2, '', "ptools: 'frobnicate' is not a ptools command. See 'ptools --help'.\n"]);
  });

  it('help alone, -h and --help print the top-level usage, listing help and completion too', async () => {
    const [status, text] = await out(['help']);
    expect(status).toBe(0);
    expect(await out(['--help'])).toEqual([0, text, '']);
    expect(await out(['-h'])).toEqual([0, text, '']);
    expect(text).toMatch(/^Usage: ptools <command>/);
    expect(text).toMatch(/^ {2}help \[command\] +\S/m);
    expect(text).toMatch(/^ {2}completion <shell> +\S/m);
    expect(await out(['-V'])).toEqual([0, `ptools ${version()}\n`, '']);
  });

  it("hands the command everything after its name, untouched ('--' included)", async () => {
    // `who -- --json`: after '--', --json is a FILE for who (nothing in it); without '--' it is the option.
    expect(await out(['who', '--', '--json'])).toEqual(await out(['--', '--json'], 'who'));
    const [, asOption] = await out(['who', '--json']);
    const [, asFile] = await out(['who', '--', '--json']);
    expect(asOption).toMatch(/^\[/);
    expect(asFile).toBe('');
    // The namesake's own options reach it, --help and --version included.
    expect(await out(['ps', '--version'])).toEqual([0, `ps from ptools ${version()}\n`, '']);
    const [status, pid] = await out(['ps', '-p', String(process.pid), '-o', 'pid=']);
    expect([status, pid.trim()]).toEqual([0, String(process.pid)]);
    expect(await out(['ps', '--bogus'])).toEqual(await out(['--bogus'], 'ps'));
    // An alias as the command word, as before commander: `ptools pps aux` is `ptools ps aux`.
    expect(await out(['pps', '--version'])).toEqual(await out(['ps', '--version']));
    // Through commander (a leading '--'), the same.
    expect(await out(['--', 'ps', '--version'])).toEqual(await out(['ps', '--version']));
    // Object.prototype's keys are not commands.
    expect((await out(['constructor']))[0]).toBe(2);
    expect((await out(['help', 'toString']))[0]).toBe(2);
  });

  it('bad ptools-level input: one line on stderr, status 2', async () => {
    expect(await out(['--bogus'])).toEqual([2, '', "ptools: '--bogus' is not a ptools command. See 'ptools --help'.\n"]);
    const [status, stdout, stderr] = await out(['completion', 'tcsh']);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^ptools: .*'tcsh'.*bash, zsh, fish\.\n$/);
    expect((await out(['completion']))[0]).toBe(2);
    expect((await out(['completion']))[2].split('\n')).toHaveLength(2);
  });
});

describe('the command contract', () => {
  it('every command: parse → help / version / run, the same --json option, its grammar for completion', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const { command } = (await entry.load()) as { command: Command };
      const io = bufferIO({ prog: name });
      expect((await command.parse(['--help'], io)).kind, name).toBe('help');
      expect((await command.parse(['--version'], io)).kind, name).toBe('version');
      const g = command.grammar;
      const json = name === 'ps' ? g.long!.find((l) => l.name === 'json') : g.long!.find((l) => l.key === JSON_OPTION.key);
      expect(json, name).toMatchObject({ name: 'json', has: 'none' });
      // --version through the one driver: "<prog> ... <version>".
      const v = bufferIO({ prog: name });
      expect(await execute(command, ['--version'], v)).toBe(0);
      expect(v.stdout(), name).toContain(version());
    }
  });

  it('--json where the grammar leaves it unambiguous: ifconfig IFACE --json, taskset -p PID --json', async () => {
    const run1 = async (argv: string[]): Promise<[number, string, string]> => {
      const io = bufferIO({ env: { LC_ALL: 'C' } });
      return [await run(argv, io), io.stdout(), io.stderr()];
    };
    const after = await run1(['ifconfig', 'lo', '--json']);
    expect(after[0]).toBe(0);
    expect(JSON.parse(after[1])[0].name).toBe('lo');
    expect((await run1(['ifconfig', '--json', 'lo']))[1]).toBe(after[1]);
    // A setting after the interface is still refused, with nothing changed.
    expect((await run1(['ifconfig', 'lo', 'mtu', '1500', '--json']))[2]).toMatch(/^ifconfig: cannot change lo \(mtu 1500\)/);

    const pid = String(process.pid);
    const t = await run1(['taskset', '-p', pid, '--json']);
    expect(t[0]).toBe(0);
    expect(t).toEqual(await run1(['taskset', '--json', '-p', pid]));
    expect(JSON.parse(t[1])).toMatchObject({ pid: process.pid });
    // util-linux reads the pid from the last argument: `-p --json` is still a bad pid.
    expect(await run1(['taskset', '-p', '--json'])).toEqual([1, '', "taskset: invalid PID argument: '--json'\n"]);
    // Without -p the words after the mask are the command's own.
    expect(tasksetArgs(['1', 'echo', '--json'])).toMatchObject({ action: 'run', command: ['echo', '--json'], json: false });
    expect(tasksetArgs(['-p', '1', '--json'])).toMatchObject({ action: 'run', pid: 1, cpus: null, json: true });
    expect(tasksetArgs(['-p', '3', '1', '--json'])).toMatchObject({ action: 'run', pid: 1, cpus: [0, 1], json: true });
  });
});

describe('launchers (compiled, in dist/)', () => {
  it('bin/ptools, and a symlink named pps, pick the command by the name they run as', () => {
    const out = execFileSync(process.execPath, [join(root, 'bin/ptools'), '--version'], { encoding: 'utf8' });
    expect(out).toBe(`ptools ${version()}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'ptools-launch-'));
    const link = join(dir, 'pps');
    symlinkSync(join(root, 'bin/ptools'), link);
    const viaLink = spawnSync(link, ['--version'], { encoding: 'utf8' });
    const viaBin = spawnSync(join(root, 'bin/pps'), ['--version'], { encoding: 'utf8' });
    // Both run ps (not the ptools program): whatever ps answers, it is the same.
    expect(viaLink.stdout).toBe(viaBin.stdout);
    expect(viaLink.status).toBe(viaBin.status);
    expect(viaLink.stdout).not.toBe(`ptools ${version()}\n`);
  });
});

describe('io.chalk', () => {
  it('is loaded on demand at the IO colour level', async () => {
    expect((await bufferIO({ isTTY: true, env: {} }).chalk()).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect((await bufferIO({ isTTY: false }).chalk()).red('x')).toBe('x');
  });
});
