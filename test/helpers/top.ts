/**
 * Running /usr/bin/top and `ptools top` side by side for the top suites:
 * each program's status, signal and output (as the same latin1 view of the
 * bytes), the pair started together so their frames cover the same moment.
 * A run that does not end within the cap is killed (it is our own child) and
 * fails the test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './dist.js';

export const TOP = '/usr/bin/top';
export const PTOOLS = join(REPO, 'bin', 'ptools');

export interface Out {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  pid: number;
}

export function runOne(cmd: string, args: string[], env: NodeJS.ProcessEnv, argv0?: string, capMs = 90_000): Promise<Out> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, argv0, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    c.stdout.on('data', (d: Buffer) => out.push(d));
    c.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      c.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not end within ${capMs} ms`));
    }, capMs);
    c.on('error', reject);
    c.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        // top writes bytes: compare both as the same latin1 view of the bytes.
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        pid: c.pid!,
      });
    });
  });
}

/** The real top (named top, as a user runs it). */
export function runRealTop(args: string[], env: NodeJS.ProcessEnv): Promise<Out> {
  return runOne(TOP, args, env, 'top');
}

/** `ptools top`, through the compiled launcher. */
export function runPtoolsTop(args: string[], env: NodeJS.ProcessEnv): Promise<Out> {
  return runOne(process.execPath, [PTOOLS, 'top', ...args], env);
}

/** Both at once, so their frames cover the same moment. */
export async function runTopPair(args: string[], env: NodeJS.ProcessEnv): Promise<{ real: Out; ours: Out }> {
  const [real, ours] = await Promise.all([runRealTop(args, env), runPtoolsTop(args, env)]);
  return { real, ours };
}
