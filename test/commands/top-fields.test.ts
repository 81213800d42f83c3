/**
 * Every one of top's 78 fields against /usr/bin/top: toprc files (the
 * 'default' one the real top's `W` wrote, with the window's field list
 * rewritten) turn on a dozen fields at a time, one variable-width field last;
 * both tops run together with HOME pointed at the file, on processes this
 * test started, and print the same header and the same rows. The processes
 * sleep, so their CPU columns stand still; only ELAPSED (whole seconds) can
 * tick between the two programs' reads, and a differing pair is run again
 * (twice at most) before it counts. The proportional and unique set sizes
 * (PSS, PSan, PSfd, PSsh, USS) divide shared pages by how many processes map
 * them, which changes as any process on the machine starts or ends (the two
 * tops themselves map libc): they may differ by SHARED_TOL KiB, every other
 * cell is exact. Sorted by each field of the chunk in turn, high to low, the
 * order must be the same too.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIELDS } from '../../src/commands/top/fields.js';
import { EU_MAXPFLGS } from '../../src/commands/top/toprc.js';
import { childStarter, until } from '../helpers/children.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { describeCommand } from '../helpers/oracle.js';
import { sleepingIn } from '../helpers/wait.js';
import { runTopPair, TOP } from '../helpers/top.js';

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

/** The task area (header and rows) of both tops, run together. */
async function taskAreas(home: string): Promise<[string[], string[]]> {
  const args = ['-b', '-n', '1', '-w', '512', '-p', kids.join(',')];
  const { real: a, ours: b } = await runTopPair(args, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C.UTF-8', TZ: 'UTC' });
  expect(b.stderr).toBe(a.stderr);
  expect(b.status).toBe(a.status);
  const area = (s: string): string[] => s.split('\n').slice(s.split('\n').indexOf(''));
  return [area(a.stdout), area(b.stdout)];
}

/** Columns that count shared pages by their mappers, and how far they may move between two reads (KiB). */
const SHARED = new Set(['PSS', 'PSan', 'PSfd', 'PSsh', 'USS']);
const SHARED_TOL = 512;

/** The rows' differences, cell by cell: the header exact, fixed cells exact but SHARED within SHARED_TOL, the variable cell (the rest) exact. */
function differences(want: string[], got: string[], chunk: readonly number[]): string[] {
  if (want.length !== got.length) return [`${got.length} lines, top printed ${want.length}`];
  const fixed = chunk.filter((i) => FIELDS[i]!.width !== -1).map((i) => FIELDS[i]!.name);
  const out: string[] = [];
  want.forEach((w, k) => {
    const g = got[k]!;
    if (w === g) return;
    if (k <= 1) {
      out.push(`line ${k}: ${JSON.stringify(g)} vs ${JSON.stringify(w)}`);
      return;
    }
    const split = (line: string): { cells: string[]; rest: string } => {
      const cells: string[] = [];
      let rest = line;
      for (let i = 0; i < fixed.length; i++) {
        const m = /^\s*(\S+)/.exec(rest);
        cells.push(m ? m[1]! : '');
        rest = m ? rest.slice(m[0].length) : '';
      }
      return { cells, rest: rest.trim() };
    };
    const a = split(w);
    const b = split(g);
    fixed.forEach((name, i) => {
      const x = a.cells[i]!;
      const y = b.cells[i]!;
      if (x === y) return;
      if (SHARED.has(name) && /^\d+$/.test(x) && /^\d+$/.test(y) && Math.abs(Number(x) - Number(y)) <= SHARED_TOL) return;
      out.push(`row ${k} ${name}: ${y} vs ${x}`);
    });
    if (a.rest !== b.rest) out.push(`row ${k} rest: ${JSON.stringify(b.rest)} vs ${JSON.stringify(a.rest)}`);
  });
  return out;
}

const VARIABLE = FIELDS.filter((f) => f.width === -1).map((f) => f.id);
// PID leads every chunk, so rows can be matched when the sort key itself moves (SHARED).
const FIXED = FIELDS.filter((f) => f.width !== -1 && f.id !== 0).map((f) => f.id);
const CHUNKS: number[][] = [];
for (let i = 0, v = 0; i < FIXED.length; i += 12, v++) CHUNKS.push([0, ...FIXED.slice(i, i + 12), ...(VARIABLE[v] !== undefined ? [VARIABLE[v]!] : [])]);
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
          // Sorted by a column that moves, two close values may swap: the rows are then matched by PID.
          const byPid = (rows: string[]): string[] => [...rows.slice(0, 2), ...rows.slice(2).sort()];
          const moving = SHARED.has(FIELDS[sortBy]!.name);
          const problems = moving ? differences(byPid(want), byPid(got), chunk) : differences(want, got, chunk);
          if (attempt < 2 && problems.length) continue;
          expect(problems, `sorted by ${FIELDS[sortBy]!.name}`).toEqual([]);
          break;
        }
      }
    });
  }
});

