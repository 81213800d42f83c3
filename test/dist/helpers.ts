/**
 * Helpers of the slow tests of the built artefacts (make test-dist).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binaryPath = join(root, 'dist', 'bin', 'ptools-linux-x64');
export const prebuild = join(root, 'prebuilds', 'linux-x64', 'ptools.node');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join(root, 'dist', 'bin')) t = Math.max(t, newest(p));
    } else if (e.name.endsWith('.js')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The binary `make binary` wrote, rebuilt first when any input is newer (the
 * compiled TypeScript, the addon, package.json, the build script), so running
 * these tests directly never tests a stale binary.
 */
export function ensureBinary(): string {
  let built = 0;
  try {
    built = statSync(binaryPath).mtimeMs;
  } catch { /* missing */ }
  const inputs = Math.max(
    newest(join(root, 'dist')),
    ...[prebuild, join(root, 'package.json'), join(root, 'scripts', 'build-binary.mjs')].map((p) => statSync(p).mtimeMs),
  );
  if (built < inputs) {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-binary.mjs'), '--out', binaryPath], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-binary failed:\n${r.stdout}${r.stderr}`);
  }
  return binaryPath;
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ptools-${prefix}-`));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A directory of symlinks to just these commands, for a PATH without compilers (or without node). */
export function pathWith(dir: string, tools: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const t of tools) {
    const r = spawnSync('/bin/sh', ['-c', `command -v ${t}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${t} is not on PATH`);
    symlinkSync(r.stdout.trim(), join(dir, t));
  }
  return dir;
}

/** Whether `tool` resolves on `path` (via /bin/sh's command -v). */
export function onPath(tool: string, path: string): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { env: { PATH: path } }).status === 0;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
}

/** A run that must succeed; its stdout. */
export function ok(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: status ${r.status} ${r.signal ?? ''}\n${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

export interface PsRow {
  user: string;
  pid: number;
  cpu: number;
  mem: number;
  vsz: number;
  rss: number;
  tty: string;
  stat: string;
  start: string;
  time: string;
  command: string;
}

/** `ps aux` text → header and rows by pid. */
export function parsePsAux(text: string): { header: string; rows: Map<number, PsRow> } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = lines.shift() ?? '';
  const rows = new Map<number, PsRow>();
  for (const line of lines) {
    const m = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+) (.*)$/.exec(line);
    if (!m) throw new Error(`not a ps aux line: ${JSON.stringify(line)}`);
    rows.set(Number(m[2]), {
      user: m[1]!, pid: Number(m[2]), cpu: Number(m[3]), mem: Number(m[4]), vsz: Number(m[5]), rss: Number(m[6]),
      tty: m[7]!, stat: m[8]!, start: m[9]!, time: m[10]!, command: m[11]!,
    });
  }
  return { header, rows };
}

/**
 * A still copy of the machine's /proc (every process's stat, status, cmdline,
 * statm, io; the system files ps and free read), for comparing two programs
 * byte for byte through PTOOLS_PROCFS_PATH: nothing moves between their runs.
 * `self` points at this test process.
 */
export function freezeProc(dest: string): string {
  const copy = (from: string, to: string) => {
    let data: Buffer;
    try {
      data = readFileSync(from);
    } catch {
      return; // gone, or not ours to read: absent in the copy too
    }
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, data);
  };
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    for (const f of ['stat', 'status', 'cmdline', 'statm', 'io', 'comm', 'wchan', 'environ']) copy(`/proc/${name}/${f}`, join(dest, name, f));
  }
  for (const f of ['stat', 'meminfo', 'uptime', 'loadavg', 'vmstat', 'cpuinfo', 'version', 'swaps', 'zoneinfo', 'tty/drivers', 'sys/kernel/pid_max']) {
    copy(`/proc/${f}`, join(dest, f));
  }
  symlinkSync(String(process.pid), join(dest, 'self'));
  return dest;
}
