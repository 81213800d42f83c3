#!/usr/bin/env node
/**
 * Builds the single binary: dist/bin/ptools-linux-x64 = this machine's node +
 * ptools bundled into one CommonJS script + the native addon, as a Node
 * Single Executable Application (node --experimental-sea-config, postject).
 *
 *   node scripts/build-binary.mjs [--out FILE] [--mode codecache|snapshot|plain] [--no-strip] [--keep-work]
 *
 * Needs `npm run compile` (dist/) and the prebuild (prebuilds/linux-x64/ptools.node):
 * `make binary` does both first. Works offline: nothing is downloaded.
 *
 * The bundle (esbuild): entry dist/sea/main.js. Each module's `import.meta.url`
 * becomes a path under the per-user cache directory the binary prepares at
 * start (src/sea/boot.ts), laid out like the package (package.json at its
 * top), so code that finds files relative to itself keeps working.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => relative(root, p).split(sep).join('/');

const { values: opt } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'dist', 'bin', `ptools-${process.platform}-${process.arch}`) },
    mode: { type: 'string', default: 'codecache' },
    strip: { type: 'boolean', default: true },
    'no-strip': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    // Keep build/sea/<mode>-XXXX/ (the bundle, its metafile, the blob) for inspection.
    'keep-work': { type: 'boolean', default: false },
  },
});
const strip = opt.strip && !opt['no-strip'];
if (!['codecache', 'snapshot', 'plain'].includes(opt.mode)) throw new Error(`--mode: ${opt.mode}?`);
const say = (m) => opt.quiet || console.log(`build-binary: ${m}`);

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) throw new Error(`Node ${process.version}: single executable applications need Node 20 or later`);

// A private work directory: builds may run side by side (tests, make).
mkdirSync(join(root, 'build', 'sea'), { recursive: true });
const work = mkdtempSync(join(root, 'build', 'sea', `${opt.mode}-`));

// ---- the embedded files and their hashes
const entry = join(root, 'dist', 'sea', opt.mode === 'snapshot' ? 'snapshot.js' : 'main.js');
const addon = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'ptools.node');
const pkgPath = join(root, 'package.json');
for (const [what, p, how] of [
  ['compiled TypeScript', entry, 'npm run compile'],
  ['native addon prebuild', addon, 'npm run prebuild'],
]) {
  if (!existsSync(p)) throw new Error(`${what} missing: ${rel(p)} (run \`${how}\`, or \`make binary\`)`);
}
const sha = (b) => createHash('sha256').update(b).digest('hex');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
// Assets by the name each file gets in the cache directory (src/sea/boot.ts).
const assets = { 'package.json': pkgPath, 'ptools.node': addon };
// The cache directory is named by version and content hash, so two builds never share one.
const key = sha(Object.entries(assets).map(([n, p]) => `${n}:${sha(readFileSync(p))}\n`).join('')).slice(0, 16);
const manifest = { version: pkg.version, key };

// ---- one CommonJS script
const { build } = await import('esbuild');

/** import.meta.{url,filename,dirname} → a path under the bundle root the binary prepares at start. */
const importMeta = {
  name: 'ptools-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.m?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const r = rel(args.path);
      const d = r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '';
      return {
        contents: text
          .replaceAll('import.meta.url', `__ptoolsMetaUrl(${JSON.stringify(r)})`)
          .replaceAll('import.meta.filename', `__ptoolsMetaPath(${JSON.stringify(r)})`)
          .replaceAll('import.meta.dirname', `__ptoolsMetaPath(${JSON.stringify(d)})`),
        loader: 'js',
      };
    });
  },
};

const bundle = join(work, 'ptools.cjs');
const banner = [
  '"use strict";',
  '// ptools single binary: bundled by scripts/build-binary.mjs.',
  'var __ptoolsMetaPath = (rel) => require("node:path").join(globalThis.__ptoolsSeaRoot ?? "/nonexistent/ptools-sea", rel);',
  'var __ptoolsMetaUrl = (rel) => require("node:url").pathToFileURL(__ptoolsMetaPath(rel)).href;',
].join('\n');

const result = await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: `node${process.versions.node.split('.')[0]}`,
  format: 'cjs',
  banner: { js: banner },
  define: { __PTOOLS_SEA_MANIFEST__: JSON.stringify(manifest) },
  plugins: [importMeta],
  // Whitespace and syntax only: class and function names stay (errors are matched by class name).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'error' },
});
const inputs = Object.keys(result.metafile.inputs);
// ptools/promises runs core functions on a worker loaded from a file next to
// remote.js; a bundle has no such file, so the binary must not reach it.
const remote = inputs.find((i) => /(^|\/)core\/remote\.js$/.test(i));
if (remote) {
  throw new Error(`${remote} is in the single binary's bundle, but its worker thread is a separate file the bundle lacks; ` +
    'give the CLI path a synchronous alternative, or teach scripts/build-binary.mjs to embed the worker');
}
writeFileSync(join(work, 'meta.json'), JSON.stringify(result.metafile));

// ---- the SEA blob
const blob = join(work, 'ptools.blob');
const seaConfig = {
  main: bundle,
  output: blob,
  disableExperimentalSEAWarning: true,
  useCodeCache: opt.mode === 'codecache',
  useSnapshot: opt.mode === 'snapshot',
  assets,
};
writeFileSync(join(work, 'sea-config.json'), JSON.stringify(seaConfig, null, 2));
const gen = spawnSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { cwd: work, encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`node --experimental-sea-config failed:\n${gen.stdout}${gen.stderr}`);

// ---- node + blob
const out = resolve(opt.out);
mkdirSync(dirname(out), { recursive: true });
// Assembled next to the output and renamed into place: a running copy is never half-written.
const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
copyFileSync(process.execPath, tmp);
chmodSync(tmp, 0o755);
if (strip) {
  // The symbol tables (13 of a distro node's 99 MB) go; the dynamic symbols addons link against stay.
  const s = spawnSync('strip', ['--strip-all', tmp], { encoding: 'utf8' });
  if (s.error || s.status !== 0) say(`strip unavailable or failed (${s.error?.message ?? s.stderr.trim()}); keeping symbols`);
}
const { inject } = (await import('postject')).default;
// postject logs LIEF warnings about the note sections of distro builds; they are harmless.
const quietWarn = console.warn;
console.warn = () => {};
try {
  await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
} finally {
  console.warn = quietWarn;
}
// Smoke test before it replaces anything: the blob and the bundle start.
const smokeCache = mkdtempSync(join(work, 'cache-'));
const smoke = spawnSync(tmp, ['--version'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: smokeCache } });
if (smoke.status !== 0 || smoke.stdout !== `ptools ${pkg.version}\n`) {
  rmSync(tmp, { force: true });
  throw new Error(`the built binary does not start: status ${smoke.status}, stdout ${JSON.stringify(smoke.stdout)}, stderr ${smoke.stderr}${smoke.error ?? ''}`);
}
renameSync(tmp, out);

const mb = (p) => `${(statSync(p).size / 1048576).toFixed(1)} MiB`;
say(`${rel(out)}: ${mb(out)} (bundle ${(statSync(bundle).size / 1024).toFixed(0)} KiB, blob ${(statSync(blob).size / 1024).toFixed(0)} KiB, mode ${opt.mode}${strip ? ', stripped' : ''}; cache key ${pkg.version}-${key})`);
if (opt['keep-work']) say(`work directory kept: ${rel(work)}`);
else rmSync(work, { recursive: true, force: true });
