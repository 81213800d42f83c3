#!/usr/bin/env node
/**
 * `ptools top -b` vs procps-ng 4.0.2's `top -b`: CPU time (user + system)
 * per frame of `top -b -d 1 -n 20`, at ≥ 500 processes (the bench starts
 * and stops its own sleepers to get there).
 *
 * Both tops sleep between frames, so wall time says nothing: each run goes
 * through bench/rusage.c, which forks the command, waits for it with wait4(2)
 * and prints that child's rusage (all its threads: Node's worker and GC
 * threads count). For every peer, per round:
 *   -n N   once:  per frame = CPU(-n N) / N
 *   -n 1   SHORT times (median): start-up + one frame
 *   steady per frame = (CPU(-n N) − CPU(-n 1)) / (N − 1), start-up taken out
 * The floors, measured in the same rounds:
 *   node -e ''               Node's start-up, paid once by any Node top
 *   bench/topfloor.c -n N    per frame, the CPU of reading what procps top
 *                            reads of every process (stat(2) of /proc/PID,
 *                            /proc/PID/stat, statm) and, apart, the same plus
 *                            /proc/PID/status; frames `delay` apart like top's
 *
 * The peers run round-robin, the order rotating every round, so that noise on
 * a shared machine hits them alike; rows are medians with p10/p90 over the
 * rounds. Every peer runs with LC_ALL=C, TERM=xterm, HOME set to one empty
 * temporary directory (a toprc changes top's output and work) and without
 * NODE_OPTIONS, NODE_EXTRA_CA_CERTS, XDG_CONFIG_HOME, XDG_CACHE_HOME, COLUMNS
 * and LINES; stdout goes to /dev/null (the probe run before the rounds writes
 * it to a file to check the frame count and read top's `Tasks:` total).
 *
 *   node bench/top.js [--rounds 5] [--iterations 20] [--delay 1]
 *                     [--sleepers auto|N] [--processes 600] [--short 3]
 *                     [--skip-binary]
 *
 * --sleepers auto (the default) starts enough `sleep`s to bring /proc to
 * --processes entries. A ptools peer that cannot run (no `top` command yet, no
 * dist/, no single binary) is reported in one line and left out; procps top
 * is still measured.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'bench');
const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
    iterations: { type: 'string', default: '20' },
    delay: { type: 'string', default: '1' },
    sleepers: { type: 'string', default: process.env.BENCH_SLEEPERS ?? 'auto' },
    processes: { type: 'string', default: '600' },
    short: { type: 'string', default: '3' },
    'skip-binary': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opt.rounds);
const N = Number(opt.iterations);
const DELAY = opt.delay;
const SHORT = Number(opt.short);
if (!(ROUNDS >= 1 && N >= 2 && Number(DELAY) >= 0 && SHORT >= 1)) {
  console.error('bench/top.js: need --rounds ≥ 1, --iterations ≥ 2, --delay ≥ 0, --short ≥ 1');
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), 'ptools-top-bench-'));
const env = { ...process.env, LC_ALL: 'C', TERM: 'xterm', HOME: home };
for (const k of ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'COLUMNS', 'LINES']) delete env[k];

function build(name) {
  const out = join(here, 'build', name);
  const src = join(here, `${name}.c`);
  mkdirSync(join(here, 'build'), { recursive: true });
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    execFileSync('cc', ['-O2', '-o', out, src], { stdio: 'inherit' });
  }
  return out;
}

/** The p-quantile, interpolated between the two nearest samples (few rounds). */
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

function procCount() {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
}

// --- children: the sleepers and the one measured run at a time ------------

const sleepers = [];
let current = null; // the rusage wrapper now running
let cleaned = false;

function cleanup() {
  if (cleaned) return;
  cleaned = true;
  // SIGTERM to the wrapper, which passes it on to the top it runs.
  if (current && current.exitCode === null && current.pid > 1) current.kill('SIGTERM');
  for (const k of sleepers) {
    if (k.exitCode === null && k.pid > 1) k.kill('SIGKILL');
  }
  rmSync(home, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    cleanup();
    // Reap what was just killed (else they linger as zombies until init
    // adopts them), for at most two seconds.
    const gone = [...sleepers, current].filter((k) => k && k.exitCode === null && k.signalCode === null);
    const all = Promise.all(gone.map((k) => new Promise((r) => k.once('exit', r))));
    Promise.race([all, new Promise((r) => setTimeout(r, 2000))]).then(() => process.exit(code));
  });
}

async function startSleepers(n, seconds) {
  for (let i = 0; i < n; i++) {
    const k = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
    k.on('error', () => {});
    sleepers.push(k);
  }
  if (n) await new Promise((r) => setTimeout(r, 300));
}

/** Runs cmd under the rusage wrapper; resolves to its CPU and wall time (ms). */
function measure(wrapper, cmd, args, out = '/dev/null') {
  return new Promise((resolveRun, reject) => {
    const child = spawn(wrapper, [out, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      current = null;
      if (code !== 0) return reject(new Error(`rusage wrapper exited ${code}: ${stderr.trim()}`));
      const r = JSON.parse(stdout);
      resolveRun({
        exit: r.exit,
        signal: r.signal,
        cpu: (r.user_us + r.sys_us) / 1000,
        user: r.user_us / 1000,
        sys: r.sys_us / 1000,
        wall: r.wall_ms,
        stderr: stderr.trim(),
      });
    });
  });
}

function firstLine(s) {
  return (s.split('\n').find((l) => l.trim()) ?? '').trim();
}

// --- the peers -------------------------------------------------------------

const binary = join(root, 'dist', 'bin', `ptools-${process.platform}-${process.arch}`);
const topArgs = (n) => ['-b', '-d', DELAY, '-n', String(n)];
const peers = [
  { name: 'procps-ng top', cmd: '/usr/bin/top', pre: [], missing: existsSync('/usr/bin/top') ? null : '/usr/bin/top is missing' },
  {
    name: 'ptools top (node bin/ptools)',
    cmd: process.execPath,
    pre: [join(root, 'bin', 'ptools'), 'top'],
    missing: existsSync(join(root, 'dist', 'cli', 'main.js')) ? null : 'dist/ is missing (run `npm run compile`)',
  },
];
if (!opt['skip-binary']) {
  peers.push({
    name: 'ptools top (single binary)',
    cmd: binary,
    pre: ['top'],
    missing: existsSync(binary) ? null : `${binary.slice(root.length + 1)} is missing (run \`make binary\`)`,
  });
}

/**
 * Runs a peer once with -n 2, its output to a file: it must exit 0 and print
 * two frames. Returns null, or why the peer is left out. Also reads the
 * `Tasks:` total and warms the page cache (and the binary's cache).
 */
async function probe(wrapper, peer) {
  if (peer.missing) return peer.missing;
  const out = join(home, 'probe.out');
  const r = await measure(wrapper, peer.cmd, [...peer.pre, ...topArgs(2)], out);
  if (r.exit !== 0) return `exited ${r.signal ? `on signal ${r.signal}` : r.exit}${r.stderr ? `: ${firstLine(r.stderr)}` : ''}`;
  const text = readFileSync(out, 'utf8');
  const frames = text.split('\n').filter((l) => l.startsWith('top - ')).length;
  if (frames !== 2) return `-n 2 printed ${frames} frame(s) ("top - " header lines), not 2`;
  const m = /^Tasks:\s*(\d+) total/m.exec(text);
  peer.tasks = m ? Number(m[1]) : null;
  return null;
}

async function main() {
  const wrapper = build('rusage');
  const floor = build('topfloor');
  const before = procCount();
  const want = Number(opt.processes);
  const nSleepers = opt.sleepers === 'auto' ? Math.max(0, want - before) : Number(opt.sleepers);
  // Long enough for every run of every round, with room; killed at the end anyway.
  const perRound = (peers.length + 1) * (N * Number(DELAY) + 10) + SHORT * (peers.length + 1) * 5;
  await startSleepers(nSleepers, Math.ceil(ROUNDS * perRound * 1.5 + 300));
  const start = procCount();
  if (start < 500) console.error(`bench/top.js: warning: only ${start} processes (want ≥ 500; see --sleepers/--processes)`);

  const active = [];
  for (const p of peers) {
    const why = await probe(wrapper, p);
    p.why = why;
    if (why) console.log(`bench/top.js: ${p.name}: not measured — ${why}`);
    else active.push(p);
  }
  if (!active.length) throw new Error('no peer could run');

  for (const p of active) Object.assign(p, { cpuN: [], cpu1: [], steady: [], wallN: [] });
  const nodeFloor = [];
  const floorTop = [];
  const floorStatus = [];
  const floorProcs = [];
  const floorJob = { name: 'floor' };
  const floorOut = join(home, 'floor.json');
  for (let r = 0; r < ROUNDS; r++) {
    const long = [...active, floorJob];
    const order = long.map((_, i) => long[(i + r) % long.length]);
    const roundN = new Map();
    for (const p of order) {
      if (p === floorJob) {
        const f = await measure(wrapper, floor, [String(N), DELAY], floorOut);
        if (f.exit !== 0) throw new Error(`topfloor exited ${f.exit}: ${f.stderr}`);
        const j = JSON.parse(readFileSync(floorOut, 'utf8'));
        floorTop.push(...j.top_us.map((u) => u / 1000));
        floorStatus.push(...j.status_us.map((u) => u / 1000));
        floorProcs.push(j.processes);
        continue;
      }
      const m = await measure(wrapper, p.cmd, [...p.pre, ...topArgs(N)]);
      if (m.exit !== 0) throw new Error(`${p.name} -n ${N} exited ${m.exit}: ${firstLine(m.stderr)}`);
      if (m.wall < (N - 1) * Number(DELAY) * 1000 * 0.9) {
        console.error(`bench/top.js: warning: ${p.name} -n ${N} -d ${DELAY} took only ${(m.wall / 1000).toFixed(1)} s`);
      }
      roundN.set(p, m.cpu);
      p.cpuN.push(m.cpu);
      p.wallN.push(m.wall);
    }
    const ones = new Map(active.map((p) => [p, []]));
    for (let k = 0; k < SHORT; k++) {
      for (let i = 0; i < active.length + 1; i++) {
        const j = (i + r + k) % (active.length + 1);
        if (j === active.length) {
          const m = await measure(wrapper, process.execPath, ['-e', '']);
          nodeFloor.push(m.cpu);
          continue;
        }
        const p = active[j];
        const m = await measure(wrapper, p.cmd, [...p.pre, ...topArgs(1)]);
        if (m.exit !== 0) throw new Error(`${p.name} -n 1 exited ${m.exit}: ${firstLine(m.stderr)}`);
        ones.get(p).push(m.cpu);
        p.cpu1.push(m.cpu);
      }
    }
    for (const p of active) p.steady.push((roundN.get(p) - pct(ones.get(p), 0.5)) / (N - 1));
    process.stderr.write(`bench/top.js: round ${r + 1}/${ROUNDS} done\n`);
  }
  const end = procCount();

  // --- report --------------------------------------------------------------
  const f1 = (x) => x.toFixed(1);
  const f2 = (x) => x.toFixed(2);
  const cell = (xs, f = f1) => `${f(pct(xs, 0.5))} (${f(pct(xs, 0.1))}–${f(pct(xs, 0.9))})`;
  const top = active.find((p) => p.cmd === '/usr/bin/top');
  const perFrame = (p) => p.cpuN.map((c) => c / N);
  const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
  const tasks = active.map((p) => `${p.name.split(' (')[0]}${p.name.includes('binary') ? ' binary' : ''}: ${p.tasks ?? '?'}`).join(', ');
  const L = [];
  L.push(`top -b -d ${DELAY} -n ${N}: CPU time (user+system, wait4 rusage), ${ROUNDS} rounds; ${start}–${end} processes in /proc (${nSleepers} sleepers started; ${before} before); Tasks: total in the probe run — ${tasks}; ${machine}`);
  L.push('');
  L.push(`| peer | CPU of -n ${N} (ms) | per frame: ÷ ${N} (ms) | CPU of -n 1 (ms) | steady per frame: (n${N} − n1) ÷ ${N - 1} (ms) | per frame vs top | steady vs top |`);
  L.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const p of active) {
    const ratio = (a, b) => (top ? `${(pct(a, 0.5) / pct(b, 0.5)).toFixed(2)}x` : '—');
    L.push(`| ${p.name} | ${cell(p.cpuN)} | ${cell(perFrame(p), f2)} | ${cell(p.cpu1)} | ${cell(p.steady, f2)} | ${ratio(perFrame(p), perFrame(top ?? p))} | ${ratio(p.steady, (top ?? p).steady)} |`);
  }
  for (const p of peers) if (!active.includes(p)) L.push(`| ${p.name} | not measured | | | | | |`);
  L.push('');
  L.push('Cells: median (p10–p90, interpolated) over the rounds; for -n 1 and the floors, over all their runs or frames.');
  L.push('');
  L.push('| floor | CPU (ms) |');
  L.push('|---|---:|');
  L.push(`| Node start-up: node -e '' (${nodeFloor.length} runs) | ${cell(nodeFloor)} |`);
  L.push(`| per frame, C reader: what procps top reads (stat(2) of /proc/PID, stat, statm; ${pct(floorProcs, 0.5)} processes) | ${cell(floorTop, f2)} |`);
  L.push(`| per frame, C reader: the same + /proc/PID/status | ${cell(floorStatus, f2)} |`);
  L.push('');
  const nf = pct(nodeFloor, 0.5);
  const ff = pct(floorTop, 0.5);
  const nodeTopFloor = (nf + N * ff) / N;
  L.push(`Floor for a Node top, per frame of -n ${N}: (start-up ${f1(nf)} + ${N} × ${f2(ff)}) ÷ ${N} = ${f2(nodeTopFloor)} ms` +
    (top ? ` (${f2(nodeTopFloor / pct(perFrame(top), 0.5))}x procps top's ${f2(pct(perFrame(top), 0.5))}); steady state: ${f2(ff)} ms (${f2(ff / pct(top.steady, 0.5))}x top's ${f2(pct(top.steady, 0.5))}).` : '.'));
  for (const p of active) {
    if (p === top || !top) continue;
    const r = pct(perFrame(p), 0.5) / pct(perFrame(top), 0.5);
    L.push(`${p.name} per frame vs procps top: ${f2(r)}x (target ≤ 1.5x: ${r <= 1.5 ? 'met' : 'not met'}); steady state ${f2(pct(p.steady, 0.5) / pct(top.steady, 0.5))}x.`);
  }
  for (const p of peers) if (!active.includes(p) && p !== top) L.push(`${p.name}: not yet measured (${p.why}).`);
  console.log(L.join('\n'));
  if (process.env.BENCH_JSON) {
    console.log(JSON.stringify({
      rounds: ROUNDS, iterations: N, delay: DELAY, processes: [before, start, end], sleepers: nSleepers,
      peers: Object.fromEntries(active.map((p) => [p.name, { cpuN: p.cpuN, cpu1: p.cpu1, steady: p.steady, wallN: p.wallN, tasks: p.tasks }])),
      floor: { node: nodeFloor, top: floorTop, status: floorStatus },
    }));
  }
}

main()
  .catch((e) => {
    console.error(`bench/top.js: ${e.stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
