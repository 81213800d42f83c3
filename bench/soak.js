// Memory soak (make bench; BENCHMARKS.md "Memory in loops that never yield"):
// RSS before and after, after a warm-up, for a synchronous loop that never
// yields to the event loop — 10,000 processIter scans with ps aux's
// attributes and 2,000 calls of each heavy Process method
// (test/fixtures/soak/soak.mjs) — beside psutil's process_iter with the same
// attributes in a loop of its own (1,000 scans: psutil is slower), in the
// same run, on a target process this script starts and stops.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 2 ** 20;
const nproc = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;

const target = spawn('/usr/bin/python3', ['-c', 'import socket,sys,threading,time\ns=socket.socket(); s.bind(("127.0.0.1",0)); s.listen()\n[threading.Thread(target=time.sleep,args=(3600,),daemon=True).start() for _ in range(3)]\nprint("ready",flush=True)\nsys.stdin.read()'], { stdio: ['pipe', 'pipe', 'inherit'] });
await new Promise((resolve) => target.stdout.once('data', resolve));
try {
  const r = spawnSync(process.execPath, [join(ROOT, 'test/fixtures/soak/soak.mjs'), join(ROOT, 'dist/index.js'), '10000', '2000', String(target.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const res = JSON.parse(r.stdout);
  const py = spawnSync('/usr/bin/python3', ['-c', `
import psutil, resource, json
attrs = ['username','pid','cpu_times','memory_info','memory_percent','terminal','status','create_time','cmdline','name','ppid','num_threads']
def rss():
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * resource.getpagesize()
for _ in range(200): list(psutil.process_iter(attrs))
a = rss()
for _ in range(1000): list(psutil.process_iter(attrs))
print(json.dumps({'before': a, 'after': rss()}))
`], { encoding: 'utf8' });
  const ps = JSON.parse(py.stdout);
  console.log(`memory soak, ${nproc} processes (RSS after warm-up → after the loop)`);
  console.log('| loop | calls | RSS before (MiB) | RSS added (MiB) | of which V8 young generation (MiB) | ms per call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const mib = (x) => (x / MiB).toFixed(1);
  for (const p of res.phases) console.log(`| ptools ${p.name} | ${p.calls} | ${mib(p.before)} | ${mib(p.after - p.before)} | ${mib(p.youngAfter - p.youngBefore)} | ${(p.ms / p.calls).toFixed(2)} |`);
  console.log(`| ptools, all of the above | — | ${mib(res.start)} | ${mib(res.end - res.start)} | ${mib(res.youngEnd - res.youngStart)} | — |`);
  console.log(`| psutil process_iter (same attrs) | 1000 | ${mib(ps.before)} | ${mib(ps.after - ps.before)} | — | — |`);
} finally {
  target.stdin.end();
}
