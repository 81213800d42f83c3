/**
 * Lossless --json (issue 10, item 2): a process with a hostile name, command
 * line and environment (newline, tab, ESC sequences, C1 bytes, invalid
 * UTF-8, ~1.1 MB of arguments; test/fixtures/hostile/hostile.py) comes back
 * from ps's --json byte for byte equal to what /proc holds, once the strings
 * are encoded back with surrogateescape (core/text-bytes, the documented
 * form). The text output stays procps's, checked against /usr/bin/ps.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSurrogateEscape } from '../../src/core/base/text-bytes.js';
import { describePsutil, psutil } from '../helpers/oracle.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PPS = join(ROOT, 'bin', 'pps');

let child: ChildProcess;
let pid = 0;
beforeAll(async () => {
  child = spawn('/usr/bin/python3', [join(ROOT, 'test/fixtures/hostile/hostile.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`hostile.py exited with ${c}`)));
  });
  pid = child.pid!; // execve keeps the pid
});
afterAll(() => {
  child.stdin!.end();
  if (child.exitCode === null) child.kill('SIGTERM');
});

function pps(args: string[], env: NodeJS.ProcessEnv = { LC_ALL: 'C' }): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [PPS, ...args], { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Byte-equal (vitest's toEqual walks a 1 MB Buffer element by element, slowly); says where they differ. */
function expectBytes(got: Buffer, want: Buffer, what = ''): void {
  if (got.equals(want)) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  expect(got.subarray(i, i + 40).toString('latin1'), `${what}: ${got.length} vs ${want.length} bytes, first difference at ${i}`).toBe(want.subarray(i, i + 40).toString('latin1'));
}

/** NUL-terminated entries as /proc holds them. */
const vector = (xs: string[]): Buffer => Buffer.concat(xs.flatMap((x) => [encodeSurrogateEscape(x), Buffer.of(0)]));

describe('ps --json is lossless', () => {
  it('comm, args, cmd, command, ucomm, exe equal /proc byte for byte', () => {
    const r = pps(['-o', 'pid,comm,args,cmd,command,ucomm,exe', '-p', String(pid), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [row] = JSON.parse(r.stdout.toString('utf8')) as Record<string, any>[];
    const comm = readFileSync(`/proc/${pid}/comm`).subarray(0, -1);
    expect(comm.toString('latin1')).toBe('a\nb\tc\xff');
    expectBytes(encodeSurrogateEscape(row!.comm), comm);
    expectBytes(encodeSurrogateEscape(row!.ucomm), comm);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`);
    expect(cmdline.length).toBeGreaterThan(1_100_000);
    for (const k of ['args', 'cmd', 'command']) expectBytes(vector(row![k]), cmdline, k);
    expectBytes(encodeSurrogateEscape(row!.exe), readlinkSync(`/proc/${pid}/exe`, { encoding: 'buffer' }));
  });

  it('BSD e: the row\'s environ array equals /proc/PID/environ; the JSON text is ASCII-safe and well-formed', () => {
    const r = pps(['e', '-o', 'pid,args', '-p', String(pid), '--json']);
    expect(r.status).toBe(0);
    const text = r.stdout.toString('utf8');
    // Control characters and lone surrogates are \u escapes: no raw control bytes in the output.
    expect(/[\x00-\x09\x0b-\x1f]/.test(text)).toBe(false);
    expect(text).toContain('\\udcff');
    const [row] = JSON.parse(text) as Record<string, any>[];
    expectBytes(vector(row!.environ), readFileSync(`/proc/${pid}/environ`));
    expectBytes(vector(row!.args), readFileSync(`/proc/${pid}/cmdline`));
  });

  it('-f: cmd is the command line, an array; BSD c: args shows the name, a string', () => {
    const f = JSON.parse(pps(['-fp', String(pid), '--json']).stdout.toString()) as Record<string, any>[];
    expectBytes(vector(f[0]!.cmd), readFileSync(`/proc/${pid}/cmdline`));
    const c = JSON.parse(pps(['c', '-o', 'args', '-p', String(pid), '--json']).stdout.toString()) as Record<string, any>[];
    expectBytes(encodeSurrogateEscape(c[0]!.args), readFileSync(`/proc/${pid}/comm`).subarray(0, -1));
  });

  it('a kernel thread has args [] and its name in comm', () => {
    const rows = JSON.parse(pps(['-o', 'pid,comm,args', '-p', '2', '--json']).stdout.toString()) as Record<string, any>[];
    expect(rows).toEqual([{ pid: 2, comm: 'kthreadd', args: [] }]);
  });

  for (const locale of ['C', 'C.UTF-8']) {
    it(`the text form is procps's (LC_ALL=${locale}), byte for byte`, () => {
      for (const fmt of [['-o', 'pid,comm,args'], ['-o', 'comm,ucomm,fname'], ['-fp'], ['e', '-o', 'pid,args']]) {
        const args = fmt[0] === '-fp' ? ['-fp', String(pid)] : [...fmt, '-p', String(pid)];
        const ours = pps(['-w', '-w', ...args], { LC_ALL: locale });
        const real = spawnSync('/usr/bin/ps', ['-w', '-w', ...args], { env: { PATH: process.env.PATH, LC_ALL: locale }, maxBuffer: 64 << 20 });
        // C, STIME and TIME move: compare the -f lines without them.
        const mask = (b: Buffer) => (fmt[0] === '-fp' ? b.toString('latin1').replace(/^(\S+ +\d+ +\d+) +\d+ \S+ +\S+ +\S+/gm, '$1') : b.toString('latin1'));
        expect(mask(ours.stdout), args.join(' ')).toBe(mask(real.stdout));
        expect(ours.status).toBe(real.status);
      }
    });
  }
});

describePsutil('the library keeps kernel bytes whole, as psutil (surrogateescape)', () => {
  it('Process name, cmdline, environ, exe equal psutil\'s, and encode back to /proc\'s bytes', async () => {
    const { Process, processIter } = await import('../../src/core/index.js');
    const p = new Process(pid);
    const py = psutil<{ name: string; cmdline: string[]; environ: Record<string, string>; exe: string }>(
      `psutil.Process(${pid}).as_dict(['name', 'cmdline', 'environ', 'exe'])`,
    );
    expect(p.name()).toBe(py.name);
    expect(p.cmdline()).toEqual(py.cmdline);
    expect(p.environ()).toEqual(py.environ);
    expect(p.exe()).toBe(py.exe);
    expectBytes(vector(p.cmdline()), readFileSync(`/proc/${pid}/cmdline`), 'cmdline');
    expectBytes(encodeSurrogateEscape(p.name()), readFileSync(`/proc/${pid}/comm`).subarray(0, -1), 'name');
    // The bulk scanner decodes the same way.
    const scanned = processIter({ attrs: ['name', 'cmdline'] }).find((x) => x.pid === pid)!;
    expect(scanned.info).toEqual({ name: py.name, cmdline: py.cmdline });
  });
});
