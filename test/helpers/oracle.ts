/**
 * The oracles: Debian's python3-psutil and the machine's own tools, run at the
 * same moment as ptools. When psutil is missing, the tests that need it are
 * reported skipped by name — except under CI=true, where a missing oracle is a
 * failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** Debian's interpreter (the one python3-psutil installs into), not a pyenv shim. */
export const PYTHON = process.env.PTOOLS_TEST_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

let psutilVersion: string | null | undefined;
export function psutilAvailable(): string | null {
  if (psutilVersion === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import psutil; print(psutil.__version__)'], { encoding: 'utf8' });
    psutilVersion = r.status === 0 ? r.stdout.trim() : null;
  }
  return psutilVersion;
}

/**
 * Evaluates a Python expression with psutil imported and returns it as JSON.
 * Named tuples become objects keyed by their fields; tuples inside lists too.
 */
export function psutil<T = any>(expr: string): T {
  const script = `
import json, psutil, collections, enum
def conv(o):
    if isinstance(o, enum.Enum):
        return o.value
    if hasattr(o, '_asdict'):
        return {k: conv(v) for k, v in o._asdict().items()}
    if isinstance(o, dict):
        return {str(k): conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [conv(v) for v in o]
    return o
print(json.dumps(conv(${expr})))
`;
  const out = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as T;
}

/** Runs a command and returns its stdout (throws on a non-zero exit). */
export function sh(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', ...env }, maxBuffer: 64 << 20 });
}

/** Whether a command exists on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

const inCI = process.env.CI === 'true';

/**
 * `describe` for tests that need psutil. Without psutil they are skipped and
 * say so in their name; under CI=true the block fails instead.
 */
export function describePsutil(name: string, fn: () => void): void {
  if (psutilAvailable()) {
    describe(`${name} (vs psutil ${psutilAvailable()})`, fn);
  } else if (inCI) {
    describe(name, () => {
      it('needs python3-psutil, which is missing (CI=true makes this a failure)', () => {
        throw new Error('python3-psutil is not installed: the oracle is missing');
      });
    });
  } else {
    describe.skip(`${name} [SKIPPED: python3-psutil not installed]`, fn);
  }
}

/** `describe` for tests that need a command (free, df, nproc, ...); same policy as describePsutil. */
export function describeCommand(cmd: string, name: string, fn: () => void): void {
  if (hasCommand(cmd)) describe(name, fn);
  else if (inCI) describe(name, () => it(`needs ${cmd}, which is missing`, () => { throw new Error(`${cmd} is missing`); }));
  else describe.skip(`${name} [SKIPPED: ${cmd} not installed]`, fn);
}

/** |a - b| <= tol, with a message that says what differed. */
export function within(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol;
}
