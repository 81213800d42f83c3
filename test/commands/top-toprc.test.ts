/**
 * A user's saved top setup: each fixture under test/fixtures/toprc/ was
 * written by the real top's `W` (scripts/make-toprc-fixtures.sh). With HOME
 * pointed at it, `ptools top -b` and `/usr/bin/top -b` run at the same moment
 * on processes this test started (sleepers: their CPU columns stand at zero)
 * must print the same task area — headers (fields, order, widths, window
 * numbers) and rows (sort, direction, toggles, scaling, filters, windows) —
 * and a summary of the same shape (the figures themselves move; the whole
 * summary is compared in top.test.ts).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childStarter, until } from '../helpers/children.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { describeCommand } from '../helpers/oracle.js';
import { sleepingIn } from '../helpers/wait.js';
import { runTopPair, TOP, type Out } from '../helpers/top.js';

const start = childStarter();
let dir = '';
const kids: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptools-toprc-'));
  // A sleeper whose name holds "top" (the 'filters' fixture keeps COMMAND=top), plain sleepers, a niced one.
  copyFileSync('/usr/bin/sleep', join(dir, 'topsleep'));
  kids.push(start(join(dir, 'topsleep'), ['600']).pid!);
  kids.push(start('/usr/bin/sleep', ['601']).pid!);
  kids.push(start('/usr/bin/nice', ['-n', '5', '/usr/bin/sleep', '602']).pid!);
  for (const [i, pid] of kids.entries()) until(() => sleepingIn(pid, i === 0 ? 'topsleep' : 'sleep'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Both at once, so their frames cover the same moment. */
async function both(args: string[], home: string): Promise<[Out, Out]> {
  const { real, ours } = await runTopPair(args, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C', TZ: 'UTC' });
  return [real, ours];
}

/** The summary's shape: figures (which move between two programs' reads) as '#'. */
const shape = (line: string): string => line.replace(/ *\d+(?:[.:]\d+)*/g, ' #').replace(/ +/g, ' ');

describeCommand(TOP, 'top with the toprc files the real top wrote', () => {
  const names = readdirSync(join(FIXTURES, 'toprc')).sort();

  it('there are fixtures for the settings W saves', () => {
    expect(names).toEqual(expect.arrayContaining(['default', 'fields', 'filters', 'sort-mem', 'sort-time-reverse', 'toggles', 'scaling', 'cpus-delay', 'altscr']));
  });

  for (const name of names) {
    it(`${name}: the same task area, the same summary shape`, async () => {
      const home = join(FIXTURES, 'toprc', name);
      const args = ['-b', '-n', '1', '-w', '200', '-p', kids.join(',')];
      const [want, got] = await both(args, home);
      expect(got.stderr).toBe(want.stderr);
      expect(got.status).toBe(want.status);
      const w = want.stdout.split('\n');
      const g = got.stdout.split('\n');
      const blank = w.indexOf('');
      expect(blank, 'a blank line ends the summary').toBeGreaterThan(0);
      expect(g.indexOf('')).toBe(blank);
      expect(g.slice(0, blank).map(shape)).toEqual(w.slice(0, blank).map(shape));
      expect(g.slice(blank)).toEqual(w.slice(blank));
      // The rows are really there (not a header-only match): a known sleeper shows in some window, except
      // where a saved filter keeps it out ('filters': COMMAND=top) or idle tasks are hidden ('toggles' has i).
      const rows = w.slice(blank).join('\n');
      if (name === 'toggles') expect(rows).not.toMatch(new RegExp(`\\b${kids[1]}\\b`));
      else expect(rows).toMatch(name === 'filters' ? /topsleep/ : new RegExp(`\\b${kids[1]}\\b`));
    });
  }

  it('a second frame applies the same setup (sorted by the saved field, delays from the file ignored under -d)', async () => {
    const home = join(FIXTURES, 'toprc', 'sort-mem');
    const args = ['-b', '-n', '2', '-d', '0.2', '-w', '200', '-p', kids.join(',')];
    const [want, got] = await both(args, home);
    const tasks = (s: string): string[] => s.split('\n').filter((l) => new RegExp(`^\\s*(${kids.join('|')})\\s`).test(l));
    expect(tasks(got.stdout)).toEqual(tasks(want.stdout));
    expect(tasks(got.stdout)).toHaveLength(2 * kids.length);
  });
});
