/**
 * Every one of top's 78 fields against /usr/bin/top: toprc files (the
 * 'default' one the real top's `W` wrote, with the window's field list
 * rewritten) turn on a dozen fields at a time, one variable-width field last;
 * both tops run together with HOME pointed at the file, on processes this
 * test started, and print the same header and the same rows. The processes
 * sleep, so their CPU columns stand still; only ELAPSED (whole seconds) can
 * tick between the two programs' reads, and a differing pair is run again
 * (twice at most) before it counts. Sorted by each field of the chunk in
 * turn, high to low, the order must be the same too.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIELDS } from '../../src/commands/top/fields.js';
import { EU_MAXPFLGS } from '../../src/commands/top/toprc.js';
import { childStarter, until } from '../helpers/children.js';
import { REPO } from '../helpers/dist.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { describeCommand } from '../helpers/oracle.js';
import { sleepingIn } from '../helpers/wait.js';

const TOP = '/usr/bin/top';
const start = childStarter();
let dir = '';
const kids: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptools-topfields-'));
  copyFileSync('/usr/bin/sleep', join(dir, 'slëep wïth spaces'));
  kids.push(start('/usr/bin/sleep', ['611']).pid!);
  kids.push(start('/usr/bin/nice', ['-n', '7', '/usr/bin/sleep', '612']).pid!);
  kids.push(start(join(dir, 'slëep wïth spaces'), ['613'], { env: { ...process.env, PTOOLS_TOP_FIELDS: 'x'.repeat(40) } }).pid!);
  until(() => sleepingIn(kids[0]!) && sleepingIn(kids[1]!) && sleepingIn(kids[2]!, Buffer.from('slëep wïth sp').toString('latin1')));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the 'default' toprc with window 1's fields: `on` first (shown, in this order), every other field after, off. */
function toprcWith(on: readonly number[], sortindx: number): string {
  const text = readFileSync(join(FIXTURES, 'toprc', 'default', '.toprc'), 'latin1');
  const rest = Array.from({ length: EU_MAXPFLGS }, (_, i) => i).filter((i) => !on.includes(i));
  const values = [...on.map((i) => (i + 37) * 2 + 1), ...rest.map((i) => (i + 37) * 2)];
  // The list's tail past the real fields, as top writes it.
  for (let i = EU_MAXPFLGS; i < 100; i++) values.push((i + 37) * 2);
  const home = mkdtempSync(join(dir, 'home-'));
  const rc = text
    .replace(/^Def\tfieldscur=[^\t]*(?:\t\t[^\n]*\n)*/m, `Def\tfieldscur=${values.join(' ')}\n`)
    .replace(/sortindx=\d+/, `sortindx=${sortindx}`);
  writeFileSync(join(home, '.toprc'), rc, 'latin1');
  return home;
}

interface Out {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], home: string): Promise<Out> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The task area (header and rows) of both tops, run together. */
async function taskAreas(home: string): Promise<[string[], string[]]> {
  const args = ['-b', '-n', '1', '-w', '512', '-p', kids.join(',')];
  const [a, b] = await Promise.all([run(TOP, args, home), run(process.execPath, [join(REPO, 'bin', 'ptools'), 'top', ...args], home)]);
  expect(b.stderr).toBe(a.stderr);
  expect(b.status).toBe(a.status);
  const area = (s: string): string[] => s.split('\n').slice(s.split('\n').indexOf(''));
  return [area(a.stdout), area(b.stdout)];
}

const VARIABLE = FIELDS.filter((f) => f.width === -1).map((f) => f.id);
const FIXED = FIELDS.filter((f) => f.width !== -1).map((f) => f.id);
const CHUNKS: number[][] = [];
for (let i = 0, v = 0; i < FIXED.length; i += 12, v++) CHUNKS.push([...FIXED.slice(i, i + 12), ...(VARIABLE[v] !== undefined ? [VARIABLE[v]!] : [])]);
// The variable-width fields left over, one chunk each behind PID.
for (let v = CHUNKS.length; v < VARIABLE.length; v++) CHUNKS.push([0, VARIABLE[v]!]);

describeCommand(TOP, "every top field, as top's own toprc shows it", () => {
  it('the chunks cover all 78 fields', () => {
    expect(new Set(CHUNKS.flat()).size).toBe(EU_MAXPFLGS);
  });

  for (const chunk of CHUNKS) {
    const names = chunk.map((i) => FIELDS[i]!.name);
    it(`${names.join(' ')}: the same header and rows, sorted by each`, async () => {
      for (const sortBy of chunk) {
        const home = toprcWith(chunk, sortBy);
        for (let attempt = 0; ; attempt++) {
          const [want, got] = await taskAreas(home);
          // Rows of our three sleepers and the header: nothing is left out.
          expect(want.filter((l) => l.trim() !== '')).toHaveLength(1 + kids.length);
          if (attempt < 2 && JSON.stringify(got) !== JSON.stringify(want)) continue;
          expect(got, `sorted by ${FIELDS[sortBy]!.name}`).toEqual(want);
          break;
        }
      }
    });
  }
});

