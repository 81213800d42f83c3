#!/usr/bin/env node
/**
 * Builds the native addon with AddressSanitizer and UndefinedBehaviorSanitizer
 * for `make test-sanitize`:
 *
 *   node scripts/build-sanitize.mjs [--out build-sanitize/ptools.node] [--print-preload]
 *
 * One g++ command (no node-gyp: its build/ directory and the prebuild in
 * prebuilds/ stay untouched), with the sources and defines of binding.gyp,
 * node-addon-api's headers and node's (the ones node-gyp would use: next to
 * this node, in node-gyp's cache, or /usr/include/node). Written to a temp
 * name and renamed, so a failed build never leaves a half-written addon.
 *
 * --print-preload prints what LD_PRELOAD must hold for node to load it: the
 * sanitizer runtimes of the same compiler (node itself is not instrumented,
 * and ASan must be the first library in the process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'build-sanitize', 'ptools.node') },
    'print-preload': { type: 'boolean', default: false },
  },
});
const cxx = process.env.CXX || 'g++';

function runtime(name) {
  const r = spawnSync(cxx, [`-print-file-name=${name}`], { encoding: 'utf8' });
  const p = r.stdout?.trim();
  // g++ echoes the bare name back when it has no such file.
  if (r.status !== 0 || !p || !p.startsWith('/') || !existsSync(p)) {
    throw new Error(`${cxx} has no ${name} (install the compiler's sanitizer runtimes, e.g. Debian's libasan8 and libubsan1)`);
  }
  return p;
}

if (opt['print-preload']) {
  console.log(`${runtime('libasan.so')} ${runtime('libubsan.so')}`);
  process.exit(0);
}

// Sources and defines as binding.gyp has them (JSON, once gyp's # comment lines are gone).
const gyp = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, ''));
const target = gyp.targets.find((t) => t.target_name === 'ptools');
const napiInclude = createRequire(join(root, 'package.json'))('node-addon-api').include_dir;

const version = process.version.slice(1);
const nodeIncludes = [
  resolve(dirname(process.execPath), '..', 'include', 'node'),
  join(homedir(), '.cache', 'node-gyp', version, 'include', 'node'),
  '/usr/include/node',
];
const nodeInclude = nodeIncludes.find((d) => existsSync(join(d, 'node_api.h')));
if (!nodeInclude) throw new Error(`node's headers (node_api.h) are in none of ${nodeIncludes.join(', ')}: run \`npm run prebuild\` once (node-gyp fetches them)`);

const out = resolve(opt.out);
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const args = [
  '-shared', '-fPIC', '-std=c++17',
  // -O1 -g and frame pointers: readable reports at a modest cost.
  '-O1', '-g', '-fno-omit-frame-pointer',
  // float-cast-overflow is not part of GCC's "undefined": NaN or 1e300 cast to an int is.
  '-fsanitize=address,undefined,float-cast-overflow',
  // Every report aborts (UBSan would otherwise print and carry on).
  '-fno-sanitize-recover=all',
  '-Wall', '-Wextra',
  ...target.defines.map((d) => `-D${d}`),
  `-I${napiInclude}`, `-I${nodeInclude}`,
  ...target.sources.map((s) => join(root, s)),
  '-o', tmp,
];
console.log(`${cxx} ${args.join(' ')}`);
const r = spawnSync(cxx, args, { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  rmSync(tmp, { force: true });
  process.exit(r.status ?? 1);
}
renameSync(tmp, out);
