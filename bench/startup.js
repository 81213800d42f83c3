#!/usr/bin/env node
/**
 * Start-up: whole-process wall time, from spawn to exit, of
 *   dist/bin/ptools-linux-x64 ps aux   (the single binary)
 *   node bin/pps aux                   (the npm package's launcher)
 *   /usr/bin/ps aux                    (procps-ng)
 *   node -e ''                         (an empty Node: the floor for both ptools forms)
 * Runs alternate between the peers (round-robin, many rounds) so noise on a
 * shared machine hits them alike; each row is the median (and p10/p90) of its
 * runs. stdout goes to /dev/null.
 *
 *   node bench/startup.js [--runs 40] [--args "ps aux"] [--variants] [--markdown]
 *
 * --variants also builds the binary three ways (SEA code cache, startup
 * snapshot, neither) into build/sea/<mode>/ and times each: how
 * scripts/build-binary.mjs's default was chosen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '40' },
    args: { type: 'string', default: 'ps aux' },
    variants: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opt.runs);
const args = opt.args.split(/\s+/).filter(Boolean);
const [cmd, ...rest] = args;
const binary = join(root, 'dist', 'bin', `ptools-${process.platform}-${process.arch}`);
// A private cache, warmed by a first run (the steady state a user sees; the
// first run of a new version also writes ~100 KB to the cache).
const env = { ...process.env, LC_ALL: 'C', XDG_CACHE_HOME: join(root, 'build', 'sea', 'bench-cache') };
// NODE_EXTRA_CA_CERTS makes every Node start parse a CA bundle (~70 ms here);
// NODE_OPTIONS may load anything. Neither is ptools' cost: both are unset.
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

const peers = [];
if (opt.variants) {
  for (const mode of ['codecache', 'snapshot', 'plain']) {
    const out = join(root, 'build', 'sea', `ptools-${mode}`);
    const b = spawnSync(process.execPath, [join(root, 'scripts', 'build-binary.mjs'), '--mode', mode, '--out', out, '--quiet'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error(`build --mode ${mode} failed`);
    peers.push({ name: `binary, ${mode}: ptools-linux-x64 ${args.join(' ')}`, file: out, argv: args });
  }
} else {
  if (!existsSync(binary)) throw new Error(`${binary} missing: run \`make binary\``);
  peers.push({ name: `single binary: ptools-linux-x64 ${args.join(' ')}`, file: binary, argv: args });
  // The first run of a version writes the addon and package.json to the cache.
  peers.push({ name: `single binary, first run (empty cache): ptools-linux-x64 ${args.join(' ')}`, file: binary, argv: args, fresh: true });
}
const launcher = cmd === 'ps' ? 'pps' : 'ptools';
peers.push({ name: `npm package: node bin/${launcher} ${(launcher === 'pps' ? rest : args).join(' ')}`, file: process.execPath, argv: [join(root, 'bin', launcher), ...(launcher === 'pps' ? rest : args)] });
if (existsSync(`/usr/bin/${cmd}`)) peers.push({ name: `/usr/bin/${cmd} ${rest.join(' ')}`, file: `/usr/bin/${cmd}`, argv: rest });
peers.push({ name: "empty node: node -e ''", file: process.execPath, argv: ['-e', ''] });

function once(p) {
  const cache = p.fresh ? mkdtempSync(join(tmpdir(), 'ptools-bench-')) : undefined;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(p.file, p.argv, { env: cache ? { ...env, XDG_CACHE_HOME: cache } : env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (cache) rmSync(cache, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${p.name}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

for (const p of peers) {
  p.times = [];
  once(p); // warm: page cache, the binary's per-user cache directory
}
for (let i = 0; i < RUNS; i++) {
  // Rotate the order every round so no peer always runs first.
  for (let k = 0; k < peers.length; k++) {
    const p = peers[(i + k) % peers.length];
    p.times.push(once(p));
  }
}
const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
const cpu = cpus()[0]?.model ?? 'unknown CPU';
// ps aux's work grows with the number of processes: say how many there were.
const nprocs = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
if (opt.markdown) {
  console.log(`| command | median ms | p10 | p90 |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const p of peers) console.log(`| \`${p.name}\` | ${q(p.times, 0.5).toFixed(1)} | ${q(p.times, 0.1).toFixed(1)} | ${q(p.times, 0.9).toFixed(1)} |`);
  console.log(`\n${RUNS} alternating runs each after one warm-up; ${nprocs} processes; node ${process.version}, ${cpus().length}× ${cpu}.`);
} else {
  console.log(`start-up, whole process wall time, ${RUNS} alternating runs (${nprocs} processes; node ${process.version}, ${cpus().length}× ${cpu})`);
  for (const p of peers) {
    console.log(`  ${p.name.padEnd(60)} median ${q(p.times, 0.5).toFixed(1).padStart(6)} ms  p10 ${q(p.times, 0.1).toFixed(1).padStart(6)}  p90 ${q(p.times, 0.9).toFixed(1).padStart(6)}`);
  }
}
