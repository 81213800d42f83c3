/**
 * Flat memory in synchronous loops (issue 10, item 3): a caller that never
 * yields to the event loop — a script, a sampler, an exporter's collection —
 * must not pile up memory. After a warm-up, 10,000 processIter scans (ps
 * aux's attributes) and 2,000 calls of each heavy Process method add at most
 * 20 MiB RSS (test/fixtures/soak/soak.mjs, in its own node, on a child this
 * test started). Before the fix the bulk reads came back as external
 * buffers freed only when the loop turns: 1,000 scans added ~140 MiB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'index.js');
const MiB = 2 ** 20;

describe.skipIf(!existsSync(DIST))('memory in a loop that never yields (compiled tree)', () => {
  it('10,000 scans and 2,000 calls of each heavy Process method add at most 20 MiB RSS after warm-up', async () => {
    // The target: a process with threads, a socket, files and a child of its own.
    const child = spawn(
      '/usr/bin/python3',
      ['-c', 'import os,socket,subprocess,sys,threading,time\ns=socket.socket(); s.bind(("127.0.0.1",0)); s.listen()\nk=subprocess.Popen(["sleep","300"])\n[threading.Thread(target=time.sleep,args=(300,),daemon=True).start() for _ in range(3)]\nprint("ready",flush=True)\nsys.stdin.read()\nk.kill()'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const r = spawnSync(process.execPath, [join(ROOT, 'test/fixtures/soak/soak.mjs'), DIST, '10000', '2000', String(child.pid)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const res = JSON.parse(r.stdout) as { start: number; end: number; phases: { name: string; calls: number; before: number; after: number; ms: number }[] };
      const summary = res.phases.map((p) => `${p.name} ×${p.calls}: ${((p.after - p.before) / MiB).toFixed(1)} MiB`).join(', ');
      console.log(`soak: RSS ${(res.start / MiB).toFixed(1)} → ${(res.end / MiB).toFixed(1)} MiB; ${summary}`);
      expect(res.phases.map((p) => p.name)).toContain('processIter');
      expect((res.end - res.start) / MiB, summary).toBeLessThanOrEqual(20);
      for (const p of res.phases) expect((p.after - p.before) / MiB, `${p.name}`).toBeLessThanOrEqual(20);
    } finally {
      child.stdin.end();
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  }, 600_000);
});
