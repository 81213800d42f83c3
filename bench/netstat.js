#!/usr/bin/env node
/**
 * Socket listing with owners at scale: ptools vs `netstat -tanp` vs psutil.
 *
 * The bench opens N loopback TCP connections (2N + CHILDREN sockets, all
 * ESTABLISHED plus one listener per child) spread over CHILDREN Python
 * processes (each raises its own RLIMIT_NOFILE), then, for each size, times:
 *
 *   ptools netConnections       psutil's net_connections('tcp') semantics on
 *                               sock_diag + the native /proc/<pid>/fd walk
 *   ptools netConnections (procfs)  the same on /proc/net/tcp[6] (the
 *                               fallback reader) + the same fd walk
 *   ptools inetSockets          sock_diag alone (tcp + tcp6), no owners
 *   ptools socketOwners         the native fd walk alone
 *   psutil.net_connections      timed inside Python (no interpreter start-up)
 *   netstat -tanp               the whole net-tools process, output discarded
 *   ptools netstat -tanp        the whole ptools process (node start-up incl.)
 *   ptools netstat -tanp (in-process)  the command alone, text rendered to a buffer
 *
 * Peers alternate within each round so noise hits them alike; each reports
 * the median of its rounds. Needs `npm run compile` (dist/) and Debian's
 * python3-psutil. Sizes: BENCH_SIZES=2000,10000 (connections), rounds:
 * BENCH_ROUNDS=7, children: BENCH_CHILDREN=4.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { inetSockets, socketOwners } from '../dist/core/net/sockdiag.js';
import { netConnections } from '../dist/core/net/connections.js';
import { bufferIO } from '../dist/cli/io.js';
import { run as runCli } from '../dist/cli/program.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 4);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// One child: a listener and `n` connections to it (client and accepted ends
// both kept), then it waits for stdin to close.
const CHILD = `
import resource, socket, sys
n = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = 2 * n + 64
if soft < need:
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(need, soft), max(need, hard)))
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', 0)); l.listen(4096)
keep = [l]
port = l.getsockname()[1]
for i in range(n):
    c = socket.create_connection(('127.0.0.1', port))
    a, _ = l.accept()
    keep += [c, a]
sys.stdout.write('ready\\n'); sys.stdout.flush()
sys.stdin.read()
# Reset instead of FIN: no TIME_WAIT left behind to pollute the next size.
import struct
for s in keep:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
`;

// psutil timed in-process: prints the median seconds and the socket count.
const PSUTIL = `
import json, sys, time, psutil
rounds = int(sys.argv[1])
ts = []
for _ in range(rounds):
    t = time.perf_counter(); c = psutil.net_connections('tcp'); ts.append(time.perf_counter() - t)
ts.sort()
print(json.dumps({'median': ts[len(ts) // 2], 'count': len(c), 'owned': sum(1 for x in c if x.pid)}))
`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function startChildren(total) {
  const per = Math.ceil(total / CHILDREN);
  const kids = [];
  for (let k = 0; k < CHILDREN; k++) {
    const n = Math.min(per, total - k * per);
    if (n <= 0) break;
    const child = spawn(PYTHON, ['-c', CHILD, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
    kids.push(child);
    await new Promise((resolve, reject) => {
      child.stdout.once('data', resolve);
      child.once('exit', (code) => reject(new Error(`socket child exited (${code})`)));
    });
  }
  return kids;
}

function stopChildren(kids) {
  for (const k of kids) k.stdin.end();
  return Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r() : k.once('exit', r)))));
}

function timeIt(fn) {
  const t = performance.now();
  const r = fn();
  return [(performance.now() - t) / 1000, r];
}

function wholeProcess(cmd, args) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return (performance.now() - t) / 1000;
}

function ms(s) {
  return `${(s * 1000).toFixed(1)} ms`;
}

async function benchSize(n) {
  const kids = await startChildren(n);
  try {
    const peers = {
      'ptools netConnections': [],
      'ptools netConnections (procfs)': [],
      'ptools inetSockets (sock_diag only)': [],
      'ptools socketOwners (native fd walk only)': [],
      'netstat -tanp (process)': [],
      'ptools netstat -tanp (process)': [],
      'ptools netstat -tanp (in-process)': [],
    };
    let counts = {};
    for (let r = 0; r < ROUNDS; r++) {
      const [a, conns] = timeIt(() => netConnections({ kind: 'tcp', source: 'sock_diag' }));
      peers['ptools netConnections'].push(a);
      counts.diag = conns.length;
      counts.diagOwned = conns.filter((c) => c.pid !== null).length;
      const [b, conns2] = timeIt(() => netConnections({ kind: 'tcp', source: 'procfs' }));
      peers['ptools netConnections (procfs)'].push(b);
      counts.procfs = conns2.length;
      peers['ptools inetSockets (sock_diag only)'].push(timeIt(() => [inetSockets('tcp', 2), inetSockets('tcp', 10)])[0]);
      peers['ptools socketOwners (native fd walk only)'].push(timeIt(() => socketOwners())[0]);
      peers['netstat -tanp (process)'].push(wholeProcess('/usr/bin/netstat', ['-tanp']));
      peers['ptools netstat -tanp (process)'].push(wholeProcess(process.execPath, [`${root}bin/ptools`, 'netstat', '-tanp']));
      const t0 = performance.now();
      await runCli(['netstat', '-tanp'], bufferIO());
      peers['ptools netstat -tanp (in-process)'].push((performance.now() - t0) / 1000);
    }
    const py = JSON.parse(execFileSync(PYTHON, ['-c', PSUTIL, String(ROUNDS)], { encoding: 'utf8' }));
    const med = Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, median(v)]));
    med['psutil.net_connections (in Python)'] = py.median;
    return { n, sockets: counts.diag, owned: counts.diagOwned, procfsCount: counts.procfs, psutilCount: py.count, psutilOwned: py.owned, med };
  } finally {
    await stopChildren(kids);
  }
}

const results = [];
for (const n of SIZES) results.push(await benchSize(n));

console.log(`# netstat bench: ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, node ${process.version}, ${ROUNDS} rounds, ${CHILDREN} socket-holding children`);
for (const r of results) {
  console.log(`\n## ${r.n} loopback TCP connections: ${r.sockets} TCP sockets listed (${r.owned} with an owner); psutil: ${r.psutilCount} (${r.psutilOwned} owned)`);
  const base = r.med['ptools netConnections'];
  console.log('| peer | median | × ptools netConnections |');
  console.log('|---|---:|---:|');
  for (const [k, v] of Object.entries(r.med)) console.log(`| ${k} | ${ms(v)} | ${(v / base).toFixed(2)} |`);
}
