/**
 * The npm package as a user gets it: `npm pack`, then `npm install <tarball>`
 * into an empty directory with no compiler on PATH, under npm 11's script
 * policies (the default, which runs an unreviewed dependency's install script
 * with a warning, and --strict-allow-scripts, which fails the install
 * instead); then the launchers (npx pps, npx ptools) and the library from
 * `import` and `require`. ptools has no install script at all: the prebuild
 * ships in the tarball and is found at run time.
 *
 * The dependencies (chalk, commander, ...) come from the npm registry, or
 * npm's cache (--prefer-offline).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, ok, onPath, pathWith, prebuild, root, run, tempDir } from './helpers.js';

interface PackJson {
  filename: string;
  files: { path: string; mode: number }[];
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; version: string; man: string[]; bin: Record<string, string>; files: string[];
};

let work: string;
let tarball: string;
let packed: string[];
let app: string; // the empty directory the tarball is installed into
let bare: string; // PATH: node, npm, npx, sh and nothing else
let install: ReturnType<typeof run>;

const env = (): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: bare, LC_ALL: 'C', TZ: 'UTC', npm_config_update_notifier: 'false' };
  // Nothing of the repository's npm run / vitest environment leaks in.
  for (const k of Object.keys(e)) if (k.startsWith('npm_') && k !== 'npm_config_update_notifier') delete e[k];
  delete e.NODE_OPTIONS;
  delete e.PTOOLS_NATIVE;
  return e;
};

beforeAll(() => {
  work = tempDir('pack');
  const out = ok('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  const info = (JSON.parse(out.slice(out.indexOf('['))) as PackJson[])[0]!;
  tarball = join(work, info.filename);
  packed = info.files.map((f) => f.path).sort();

  bare = pathWith(join(work, 'bin'), ['node', 'npm', 'npx', 'sh']);
  app = emptyProject('app');
  install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, env: env() });
});
afterAll(() => cleanup(work));

/** An empty project directory under work/ (work/package.json keeps npm from climbing further up). */
function emptyProject(name: string): string {
  writeFileSync(join(work, 'package.json'), '{}');
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `ptools-${name}`, version: '1.0.0', private: true }));
  return dir;
}

describe('npm pack', () => {
  it('holds dist/, bin/, man/, the prebuild and the type declarations, and nothing else', () => {
    const allowed = [
      /^package\.json$/, /^README\.md$/, /^LICEN[CS]E(\.\w+)?$/i,
      /^dist\/(?!bin\/|sea\/).+\.(js|d\.ts|cjs|d\.cts)$/,
      /^bin\/(ptools|pps|ptop)$/,
      /^man\/[a-z0-9-]+\.1$/,
      /^prebuilds\/linux-x64\/[^/]+\.node$/,
    ];
    const stray = packed.filter((p) => !allowed.some((re) => re.test(p)));
    expect(stray).toEqual([]);
    for (const must of [
      'dist/index.js', 'dist/index.d.ts', 'dist/promises.js', 'dist/promises.d.ts', 'dist/cli/main.js',
      'dist/cjs/index.cjs', 'dist/cjs/promises.cjs', 'dist/cjs/index.d.cts',
      'bin/ptools', 'bin/pps', 'bin/ptop', 'prebuilds/linux-x64/ptools.node', 'package.json',
    ]) {
      expect(packed, must).toContain(must);
    }
    // No sources, tests, build files or the single binary.
    expect(packed.filter((p) => /^(src|test|build|scripts|bench)\/|binding\.gyp|\.map$|^dist\/bin\//.test(p))).toEqual([]);
  });

  it("package.json's man field lists exactly the man pages (scripts/sync-man.mjs rewrites it)", () => {
    const pages = readdirSync(join(root, 'man')).filter((f) => f.endsWith('.1')).sort();
    expect(pkg.man.map((m) => m.replace(/^\.\//, '')).sort()).toEqual(pages.map((p) => `man/${p}`));
    for (const p of pages) expect(packed).toContain(`man/${p}`);
  });

  it('bin lists ptools, pps and ptop', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(['pps', 'ptools', 'ptop']);
  });
});

describe('npm install <tarball> into an empty directory, no compiler on PATH', () => {
  it('PATH has node and npm but no compiler, make or python', () => {
    expect(onPath('node', bare)).toBe(true);
    expect(onPath('npm', bare)).toBe(true);
    for (const t of ['g++', 'gcc', 'cc', 'c++', 'make', 'python3', 'node-gyp']) expect(onPath(t, bare), t).toBe(false);
  });

  it('installs, with no install script to run or to warn about', () => {
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(existsSync(join(app, 'node_modules', 'ptools', 'package.json'))).toBe(true);
    expect(install.stdout + install.stderr).not.toMatch(/ptools@[^ ]* \((pre|post)?install/);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'ptools', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(Object.keys(installed.scripts ?? {}).filter((k) => /^(pre|post)?install$|^prepare$/.test(k))).toEqual([]);
  });

  it('installs under --strict-allow-scripts too (no dependency has an unreviewed install script)', () => {
    const strict = emptyProject('strict');
    const r = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--strict-allow-scripts', tarball], { cwd: strict, env: env() });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(ok('node', ['-e', "console.log(require('ptools').cpuCount())"], { cwd: strict, env: env() }).trim()).toMatch(/^[1-9]\d*$/);
  });

  it('compiled nothing: the prebuild is there and no build/ directory was made', () => {
    const dir = join(app, 'node_modules', 'ptools');
    expect(existsSync(join(dir, 'build'))).toBe(false);
    expect(readFileSync(join(dir, 'prebuilds', 'linux-x64', 'ptools.node')).equals(readFileSync(prebuild))).toBe(true);
  });

  it('npx pps aux --json lists this machine\'s processes', () => {
    const out = ok('npx', ['--no-install', 'pps', 'aux', '--json'], { cwd: app, env: env() });
    const rows = JSON.parse(out) as { pid: number; user: string; args: string[] }[];
    expect(rows.length).toBeGreaterThan(5);
    const pids = new Set(rows.map((r) => r.pid));
    expect(pids.has(1)).toBe(true);
    expect(pids.has(process.pid)).toBe(true); // this test process
    // args: the command line as an array of its arguments ([] for a kernel thread).
    expect(rows.every((r) => typeof r.user === 'string' && Array.isArray(r.args) && r.args.every((a) => typeof a === 'string'))).toBe(true);
    expect(rows.find((r) => r.pid === process.pid)!.args).toEqual(readFileSync('/proc/self/cmdline', 'utf8').replace(/\0$/, '').split('\0'));
  });

  it('npx ptools --version and npx ptools free -b --json', () => {
    expect(ok('npx', ['--no-install', 'ptools', '--version'], { cwd: app, env: env() })).toBe(`ptools ${pkg.version}\n`);
    const free = JSON.parse(ok('npx', ['--no-install', 'ptools', 'free', '-b', '--json'], { cwd: app, env: env() })) as { mem: { total: number } };
    expect(free.mem.total).toBe(Number(readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+) kB/m)![1]) * 1024);
  });

  it('npx ptop -b -n 1 -p 1: a top frame, pid 1 in it', () => {
    const out = ok('npx', ['--no-install', 'ptop', '-b', '-n', '1', '-p', '1'], { cwd: app, env: env() });
    expect(out).toMatch(/^top - \d\d:\d\d:\d\d up /);
    expect(out).toMatch(/\n {2}PID USER {6}PR {2}NI {4}VIRT {4}RES {4}SHR S {2}%CPU {2}%MEM {5}TIME\+ COMMAND\n +1 /);
  });

  it("import('ptools') and import('ptools/promises') work", () => {
    // (node -e without --input-type: a worker thread inherits execArgv, and
    // --input-type=module would make the promises side's worker fail to start.)
    const out = ok('node', ['-e', `
      Promise.all([import('ptools'), import('ptools/promises')]).then(async ([p, q]) => {
        const du = await q.diskUsage('/');
        q.stopWorker?.();
        console.log(JSON.stringify({ total: p.virtualMemory().total, pids: p.pids().length, du: du.total > 0, err: new p.NoSuchProcess(1) instanceof q.PtoolsError }));
      });
    `], { cwd: app, env: env() });
    const r = JSON.parse(out) as { total: number; pids: number; du: boolean; err: boolean };
    expect(r.total).toBe(totalmem());
    expect(r.pids).toBeGreaterThan(5);
    expect(r.du).toBe(true);
    expect(r.err).toBe(true);
  });

  it("require('ptools') and require('ptools/promises') work (the CommonJS build), sharing one library", () => {
    const out = ok('node', ['-e', `
      const p = require('ptools');
      const q = require('ptools/promises');
      p.setProcfsPath('/proc');
      q.diskUsage('/').then((du) => {
        q.stopWorker?.();
        console.log(JSON.stringify({ total: p.virtualMemory().total, du: du.total > 0, shared: q.getProcfsPath === p.getProcfsPath, err: new p.NoSuchProcess(1) instanceof q.PtoolsError }));
      });
    `], { cwd: app, env: env() });
    const r = JSON.parse(out) as { total: number; du: boolean; shared: boolean; err: boolean };
    expect(r.total).toBe(totalmem());
    expect(r.du).toBe(true);
    expect(r.shared).toBe(true);
    expect(r.err).toBe(true);
  });

  it('TypeScript resolves the types for both import and require', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(app, 'esm.mts'), "import { virtualMemory, type VirtualMemory } from 'ptools';\nimport { diskUsage } from 'ptools/promises';\nconst v: VirtualMemory = virtualMemory();\nexport const n: number = v.total;\nexport const d: Promise<{ total: number }> = diskUsage('/');\n");
    writeFileSync(join(app, 'cjs.cts'), "import ptools = require('ptools');\nimport promises = require('ptools/promises');\nexport const n: number = ptools.virtualMemory().total;\nexport const d: Promise<{ total: number }> = promises.diskUsage('/');\n");
    const r = run('node', [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node',
      '--typeRoots', join(root, 'node_modules', '@types'), 'esm.mts', 'cjs.cts'], { cwd: app, env: env() });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
