#!/usr/bin/env node
/**
 * `pps aux` vs procps-ng's `ps aux`: whole-process wall time, spawn to exit,
 * stdout to /dev/null, with the floor — an empty Node script (`node -e ''`),
 * which is Node's own start-up and the least any `pps` run can cost.
 *
 * The three peers run round-robin (many rounds) so that noise on this shared
 * machine hits them alike, against the same set of processes (optionally
 * grown by BENCH_SLEEPERS sleepers); each row is the median, with p10/p90.
 *
 *   node bench/pps.js [--runs 40] [--sleepers 0]
 *
 * Needs the compiled tree (`npm run compile`): it runs bin/pps.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '40' },
    sleepers: { type: 'string', default: process.env.BENCH_SLEEPERS ?? '0' },
  },
});
const RUNS = Number(opt.runs);
const SLEEPERS = Number(opt.sleepers);

// NODE_EXTRA_CA_CERTS makes every Node start-up parse a CA bundle (tens of ms);
// NODE_OPTIONS may preload anything. Neither is ptools' cost: both are unset
// for every peer.
const env = { ...process.env, LC_ALL: 'C' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

const pps = join(root, 'bin', 'pps');
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/pps.js: dist/ is missing; run `npm run compile` first');
  process.exit(1);
}

const peers = [
  { name: '/usr/bin/ps aux', cmd: '/usr/bin/ps', args: ['aux'] },
  { name: 'pps aux (node bin/pps)', cmd: process.execPath, args: [pps, 'aux'] },
  { name: "node -e '' (floor)", cmd: process.execPath, args: ['-e', ''] },
];

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
}

function once(peer, out) {
  const t0 = performance.now();
  const r = spawnSync(peer.cmd, peer.args, { stdio: ['ignore', out, 'inherit'], env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${peer.name} exited ${r.status}`);
  return ms;
}

function processCount() {
  const r = spawnSync('/usr/bin/ps', ['-e', '--no-headers', '-o', 'pid'], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').length;
}

async function main() {
  const kids = [];
  for (let i = 0; i < SLEEPERS; i++) kids.push(spawn('sleep', ['600'], { stdio: 'ignore' }));
  const cleanup = () => kids.forEach((k) => k.kill('SIGKILL'));
  process.on('exit', cleanup);
  if (SLEEPERS) await new Promise((r) => setTimeout(r, 300));
  const out = openSync('/dev/null', 'w');
  try {
    for (const p of peers) once(p, out); // warm the page cache
    const times = peers.map(() => []);
    const before = processCount();
    for (let r = 0; r < RUNS; r++) peers.forEach((p, i) => times[i].push(once(p, out)));
    const after = processCount();
    const med = times.map((t) => pct(t, 0.5));
    const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const lines = [];
    lines.push(`pps aux vs ps aux: ${RUNS} rounds, ${before}–${after} processes (${SLEEPERS} extra sleepers); ${machine}`);
    lines.push('');
    lines.push('| peer | median ms | p10 | p90 | vs ps |');
    lines.push('|---|---:|---:|---:|---:|');
    peers.forEach((p, i) => {
      lines.push(`| ${p.name} | ${med[i].toFixed(1)} | ${pct(times[i], 0.1).toFixed(1)} | ${pct(times[i], 0.9).toFixed(1)} | ${(med[i] / med[0]).toFixed(2)}x |`);
    });
    lines.push('');
    const overFloor = med[1] - med[2];
    lines.push(`pps above the Node floor: ${overFloor.toFixed(1)} ms (ps itself: ${med[0].toFixed(1)} ms). Target: pps ≤ 2x ps — ${med[1] <= 2 * med[0] ? 'met' : `not met: Node's empty start-up alone is ${(med[2] / med[0]).toFixed(1)}x ps`}.`);
    console.log(lines.join('\n'));
    if (process.env.BENCH_JSON) console.log(JSON.stringify({ runs: RUNS, processes: [before, after], medians: Object.fromEntries(peers.map((p, i) => [p.name, med[i]])) }));
  } finally {
    closeSync(out);
    cleanup();
  }
}

main().catch((e) => {
  console.error(`bench/pps.js: ${e.stack ?? e}`);
  process.exit(1);
});
