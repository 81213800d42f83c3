/** The program: multi-call dispatch, help, version, errors → exit statuses. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { report, run, version } from '../../src/cli/program.js';
import { CliExit } from '../../src/cli/errors.js';
import { commands } from '../../src/cli/registry.js';
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
