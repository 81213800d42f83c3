/**
 * Process churn (issue 10, item 1): while a forker starts and ends several
 * hundred processes a second, every scan succeeds with well-formed rows — a
 * process that ends between the listing and the reading is left out, never
 * an error. The forker is stopped by its pid once the runs are done (a
 * safety cap of 240 s ends it should the test die first).
 *
 * In-process (test/fixtures/churn/driver.mjs, the compiled tree): 100 runs
 * each of `pps aux`, `pps -eLf`, `ptools netstat -tanp`, the sync and the
 * promises processIter, a top-style loop and the library's Sampler. Beside it, the launchers
 * themselves (`bin/pps aux`, `bin/pps -eLf`, `bin/ptools netstat -tanp`)
 * run as separate programs for as long as the driver runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const RUNS = 100;
const built = existsSync(join(DIST, 'cli', 'program.js'));
const haveCc = spawnSync('gcc', ['--version']).status === 0;

let dir = '';
let forker = '';
beforeAll(() => {
  if (!haveCc) return;
  dir = mkdtempSync(join(tmpdir(), 'ptools-churn-'));
  forker = join(dir, 'forker');
  const cc = spawnSync('gcc', ['-O2', '-pthread', '-o', forker, join(ROOT, 'test/fixtures/churn/forker.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`forker did not compile: ${cc.stderr}`);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a launcher to its end; resolves with its status and output. */
function launch(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs `body` while a forker churns (at most 240 s, a safety cap: the runs end it, by its pid, as soon as they are done); `body` gets the forker's pid. */
async function churning(body: (pid: number) => Promise<void>): Promise<void> {
  expect(haveCc, 'gcc is needed to build the forker').toBe(true);
  const f = spawn(forker, ['600', '240'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let forkerOut = '';
  f.stdout.setEncoding('utf8').on('data', (d: string) => (forkerOut += d));
  const forkerDone = new Promise<void>((resolve) => f.on('close', () => resolve()));
  try {
    // The forker prints its pid once it runs.
    await new Promise<void>((resolve) => f.stdout.once('data', () => resolve()));
    await body(f.pid!);
  } finally {
    // Stop the forker by its pid (it reaps its children, each of which lives a few ms).
    if (f.exitCode === null && f.signalCode === null) f.kill('SIGTERM');
    await forkerDone;
  }
  const [, born] = forkerOut.trim().split('\n');
  expect(Number(born), 'children the forker started').toBeGreaterThan(500);
}

/** The driver runs `workloads` RUNS times each while the forker churns. */
function inProcess(workloads: string[]): Promise<void> {
  return churning(async (pid) => {
    const driver = spawn(process.execPath, [join(ROOT, 'test/fixtures/churn/driver.mjs'), DIST, String(pid), String(RUNS), workloads.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    driver.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    driver.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const status = await new Promise<number | null>((resolve) => driver.on('close', resolve));
    expect(err, 'the driver wrote to stderr').toBe('');
    expect(status).toBe(0);
    const res = JSON.parse(out) as { runs: Record<string, number>; failures: string[]; ms: Record<string, number> };
    expect(res.failures, 'failed runs under churn').toEqual([]);
    expect(Object.keys(res.runs).sort()).toEqual([...workloads].sort());
    for (const [name, n] of Object.entries(res.runs)) expect(n, `${name}: runs while the forker was running`).toBeGreaterThanOrEqual(RUNS);
    console.log(`under churn: ${JSON.stringify(res.runs)} (total ms ${JSON.stringify(res.ms)})`);
  });
}

const suite = built && (haveCc || process.env.CI) ? describe : describe.skip;

// Each case has its own forker, which churns until the case's runs are done
// (however slow a loaded machine makes them; only runs that ended while it
// churned count).
suite('under process churn (a forker at ~600 processes/s)', () => {
  it(`${RUNS} runs each of pps aux, pps -eLf and netstat -tanp (in-process): zero failures, well-formed rows`, async () => {
    await inProcess(['pps aux', 'pps -eLf', 'ptools netstat -tanp']);
  }, 300_000);
  it(`${RUNS} runs each of processIter (sync, promises), a top-style loop and the Sampler (every thread): zero failures`, async () => {
    await inProcess(['processIter (sync)', 'processIter (promises)', 'sampler', 'Sampler']);
  }, 300_000);
  it('the launchers (bin/pps aux, bin/pps -eLf, bin/ptools netstat -tanp), one after another while the forker runs: zero failures', async () => {
    await churning(async (pid) => {
      const forms = [['bin/pps', 'aux'], ['bin/pps', '-eLf'], ['bin/ptools', 'netstat', '-tanp']];
      const failures: string[] = [];
      let k = 0;
      // 8 runs of each form while the forker churns.
      for (; k < 24 && existsSync(`/proc/${pid}/task`); k++) {
        const args = forms[k % forms.length]!;
        const r = await launch(args);
        const lines = r.stdout.split('\n');
        if (r.status !== 0 || r.stderr !== '' || lines.length < 3 || lines.pop() !== '') {
          failures.push(`${args.join(' ')}: status ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 200))}, ${lines.length} lines`);
        }
      }
      expect(failures, `failed launcher runs of ${k}`).toEqual([]);
      expect(k, 'launcher runs while the forker churned').toBe(24);
      console.log(`under churn: ${k} launcher runs`);
    });
  }, 300_000);
});
