/**
 * The toprc reader vs procps-ng 4.0.2's top (Debian's /usr/bin/top).
 *
 * 1. Fixtures written by the real top's `W` (scripts/make-toprc-fixtures.sh
 *    drives it in tmux; test/fixtures/toprc/<name>/.toprc): each parses to
 *    what its keys set, and the real `top -b -n1` run on it shows the column
 *    header(s) the parsed fields say (and the one the script recorded in
 *    expected-header.txt). One test re-runs the script for three fixtures
 *    and expects the same bytes.
 * 2. Hand-altered files (truncated, bad ids, altered field lists, values out
 *    of range, old formats): the real top runs on each (HOME pointed at it);
 *    a refused file must give top's exact stderr and status, an accepted one
 *    the header top shows. A few cases the header cannot show (sort order,
 *    other filters) are checked on the rows.
 * 3. Precedence (~/.toprc, XDG, ${etc}/topdefaultrc) and /etc/toprc's secure
 *    mode, on temporary directories; the real top's view of the system files
 *    is checked in a private mount namespace with an overlay on /etc (skipped
 *    where unshare/overlayfs is not permitted).
 *
 * Every run of the real top is `nice -n 19 top -b -n1` with LC_ALL=C and HOME
 * (and XDG_CONFIG_HOME when wanted) set, never the invoking user's home.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultToprc,
  EU_MAXPFLGS,
  FIELD_NAMES,
  parseToprc,
  readToprc,
  WINFLAGS,
  type TopRc,
} from '../../../src/commands/top/toprc.js';
import { describeCommand, hasCommand } from '../../helpers/oracle.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const FIX = join(root, 'test', 'fixtures', 'toprc');
const TOP = '/usr/bin/top';
const FIXTURES = [
  'default', 'sort-mem', 'sort-time-reverse', 'sort-shift', 'fields', 'filters',
  'toggles', 'scaling', 'cpus-delay', 'colors', 'altscr',
] as const;

const fixturePath = (name: string): string => join(FIX, name, '.toprc');
const fixtureBytes = (name: string): Buffer => readFileSync(fixturePath(name));
const DEFAULT_TEXT = readFileSync(fixturePath('default'), 'latin1');

function parsed(name: string): TopRc {
  const r = parseToprc(fixtureBytes(name), fixturePath(name));
  if (!r.ok) throw new Error(`${name}: ${r.message}`);
  return r.rc;
}

const scratch = mkdtempSync(join(tmpdir(), 'toprc-test-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let seq = 0;
/** A fresh world-readable directory (the secure-mode runs are uid nobody). */
function freshDir(): string {
  const d = join(scratch, `d${++seq}`);
  mkdirSync(d, { mode: 0o755 });
  chmodSync(d, 0o755);
  return d;
}
/** A home holding `.toprc` = content. */
function homeWith(content: string | Buffer): string {
  const h = freshDir();
  writeFileSync(join(h, '.toprc'), content);
  chmodSync(join(h, '.toprc'), 0o644);
  return h;
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}
const BASE_ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C', TERM: 'dumb' };

function realTop(env: Record<string, string>, args: string[] = ['-b', '-n1', '-w', '200'], cwd?: string): Run {
  const r = spawnSync('nice', ['-n', '19', TOP, ...args], { encoding: 'utf8', env: { ...BASE_ENV, ...env }, cwd, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The column header line(s) of a batch frame, as name lists (the window number of Mode_altscr dropped). */
function headersOf(stdout: string): string[][] {
  return stdout
    .split('\n')
    .map((l) => l.replace(/^[1-4](?= )/, '').trim().split(/\s+/))
    .filter((t) => t[0] !== '' && t.every((x) => FIELD_NAMES.includes(x)));
}

/** The headers top shows for rc in batch mode: Curwin's, or every task-showing window with Mode_altscr. */
function expectedHeaders(rc: TopRc): string[][] {
  const wins = rc.modeAltscr ? rc.windows.filter((w) => w.winflags & WINFLAGS.Show_TASKON) : [rc.windows[rc.curwin]];
  return wins.map((w) => {
    const names = w.fields.filter((f) => f.on).map((f) => FIELD_NAMES[f.id]);
    return names.length ? names : ['PID'];
  });
}

/** The COMMAND cell of a row of the default columns (names may hold blanks). */
const commandOf = (row: string[]): string => row.slice(11).join(' ');

const visible = (rc: TopRc, win = rc.curwin): string[] => rc.windows[win].fields.filter((f) => f.on).map((f) => FIELD_NAMES[f.id]);

/** The task rows of a single-window batch frame (after the header), split on whitespace. */
function rowsOf(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const h = lines.findIndex((l) => headersOf(l).length === 1);
  return lines.slice(h + 1).filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
}

const DEF_NAMES = ['PID', 'USER', 'PR', 'NI', 'VIRT', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND'];
const W = WINFLAGS;
/** Debian's default winflags: DEF_WINFLGS of ORIG_TOPDEFS. */
const DEF_FLAGS =
  W.View_LOADAV | W.View_STATES | W.View_CPUSUM | W.View_MEMORY | W.Show_HIBOLD | W.Show_HIROWS | W.Show_IDLEPS |
  W.Show_TASKON | W.Show_JRNUMS | W.Qsrt_NORMAL;

// ---------------------------------------------------------------- constants and defaults

describeCommand('top', 'toprc: constants against the real top', () => {
  it('EU_MAXPFLGS and FIELD_NAMES are top -O', () => {
    const r = realTop({ HOME: freshDir() }, ['-O']);
    expect(r.status).toBe(0);
    const names = r.stdout.split('\n').filter((l) => l !== '');
    expect(EU_MAXPFLGS).toBe(78);
    expect(names.length).toBe(EU_MAXPFLGS);
    expect([...FIELD_NAMES]).toEqual(names);
  });
});

describe('toprc: constants and the built-in defaults', () => {
  it('WINFLAGS has top.h values; the default winflags are ORIG_TOPDEFS DEF_WINFLGS (193844)', () => {
    expect(W.View_CPUSUM).toBe(0x8000);
    expect(W.View_CPUNOD).toBe(0x400000);
    expect(W.View_SCROLL).toBe(0x80000);
    expect(W.Show_JRSTRS).toBe(0x40000);
    expect(W.Show_JRNUMS).toBe(0x20000);
    expect(W.NOPRINT_xxx).toBe(0x10000);
    expect(W.EQUWINS_xxx).toBe(1);
    expect(W.Qsrt_NORMAL).toBe(4);
    expect(W.Show_FOREST).toBe(2);
    expect(Object.keys(W).length).toBe(21);
    expect(new Set(Object.values(W)).size).toBe(21);
    expect(DEF_FLAGS).toBe(193844);
  });

  it('defaultToprc is DEF_RCFILE of Debian (--disable-modern-top)', () => {
    const d = defaultToprc();
    expect(d.id).toBe('k');
    expect(d.delay).toBe(3);
    expect(d.modeIrixps).toBe(1);
    expect(d.modeAltscr).toBe(0);
    expect(d.curwin).toBe(0);
    expect(d.source).toBe('');
    expect(d.windows.map((w) => w.name)).toEqual(['Def', 'Job', 'Mem', 'Usr']);
    expect(d.windows.map((w) => FIELD_NAMES[w.sortindx])).toEqual(['%CPU', 'PID', '%MEM', 'USER']);
    expect(visible(d, 0)).toEqual(DEF_NAMES);
    expect(d.windows.map((w) => w.winflags)).toEqual([DEF_FLAGS, DEF_FLAGS, DEF_FLAGS, DEF_FLAGS]);
    expect(d.windows[0].doubleUp).toBe(1); // DEF_RCFILE; wins_stage_2 clears it (View_CPUSUM)
    expect([d.summMscale, d.taskMscale, d.fixedWidest, d.zeroSuppress, d.ticsScaled]).toEqual([1, 0, 0, 0, 0]);
    for (const w of d.windows) {
      expect(w.fields.length).toBe(EU_MAXPFLGS);
      expect(new Set(w.fields.map((f) => f.id)).size).toBe(EU_MAXPFLGS);
    }
  });

  it('what the real top writes with no file (fixture "default") is the defaults, but for Def double_up (cleared at startup)', () => {
    const f = parsed('default');
    const d = defaultToprc();
    expect({ ...f, source: '' }).toEqual({ ...d, windows: d.windows.map((w, i) => (i === 0 ? { ...w, doubleUp: 0 } : w)) });
  });
});

// ---------------------------------------------------------------- fixtures from the real W

describe('toprc: fixtures written by top 4.0.2 (W)', () => {
  const def = parsed('default');
  const win0 = (rc: TopRc) => rc.windows[0];

  it('sort-mem (M): sort %MEM', () => {
    const rc = parsed('sort-mem');
    expect(FIELD_NAMES[win0(rc).sortindx]).toBe('%MEM');
    expect(win0(rc).winflags).toBe(DEF_FLAGS);
  });

  it('sort-time-reverse (T R): sort TIME+, low to high', () => {
    const rc = parsed('sort-time-reverse');
    expect(FIELD_NAMES[win0(rc).sortindx]).toBe('TIME+');
    expect(win0(rc).winflags & W.Qsrt_NORMAL).toBe(0);
    expect(win0(rc).winflags).toBe(DEF_FLAGS & ~W.Qsrt_NORMAL);
  });

  it('sort-shift (< <): sort two displayed columns left of %CPU', () => {
    const rc = parsed('sort-shift');
    expect(FIELD_NAMES[win0(rc).sortindx]).toBe('SHR');
  });

  it('fields (f: USER off, PPID on and moved 2nd, sort on it)', () => {
    const rc = parsed('fields');
    const f = win0(rc).fields;
    expect(f.slice(0, 3)).toEqual([
      { id: 0, on: true },
      { id: 1, on: true },
      { id: 3, on: false },
    ]);
    expect(visible(rc)).toEqual(['PID', 'PPID', ...DEF_NAMES.slice(2)]);
    expect(FIELD_NAMES[win0(rc).sortindx]).toBe('PPID');
    expect(new Set(f.map((x) => x.id)).size).toBe(EU_MAXPFLGS);
    expect(rc.windows.slice(1)).toEqual(def.windows.slice(1));
  });

  it('filters (o COMMAND=top, O !USER=nobody, o PID>0): the saved filters, top\'s reading order', () => {
    const rc = parsed('filters');
    expect(rc.otherFilters).toEqual([
      { window: 0, include: true, raw: 'PID>0', type: 111, ignoreCase: true, field: 0, op: '>', value: '0', compareValue: ' ' },
      { window: 0, include: false, raw: '!USER=nobody', type: 79, ignoreCase: false, field: 3, op: '=', value: 'nobody', compareValue: 'nobody' },
      { window: 0, include: true, raw: 'COMMAND=top', type: 111, ignoreCase: true, field: 32, op: '=', value: 'top', compareValue: 'top' },
    ]);
    expect({ ...rc, otherFilters: [], source: '' }).toEqual({ ...def, source: '' });
  });

  it('toggles (c i S H V J j): the winflags bits; H (threads) is not saved by top', () => {
    const rc = parsed('toggles');
    const f = win0(rc).winflags;
    expect(f & W.Show_CMDLIN).toBeTruthy();
    expect(f & W.Show_IDLEPS).toBe(0);
    expect(f & W.Show_CTIMES).toBeTruthy();
    expect(f & W.Show_FOREST).toBeTruthy();
    expect(f & W.Show_JRNUMS).toBe(0);
    expect(f & W.Show_JRSTRS).toBeTruthy();
    expect(f).toBe(325078);
    // nothing else differs from the default file
    expect({ ...rc, windows: [{ ...win0(rc), winflags: DEF_FLAGS }, ...rc.windows.slice(1)], source: '' }).toEqual({ ...def, source: '' });
  });

  it('scaling (E E e e 0 ^E)', () => {
    const rc = parsed('scaling');
    expect([rc.summMscale, rc.taskMscale, rc.zeroSuppress, rc.ticsScaled]).toEqual([3, 2, 1, 1]);
  });

  it('cpus-delay (1 I d 1.5 n 12)', () => {
    const rc = parsed('cpus-delay');
    expect(win0(rc).winflags & W.View_CPUSUM).toBe(0);
    expect(win0(rc).winflags).toBe(DEF_FLAGS & ~W.View_CPUSUM);
    expect(rc.modeIrixps).toBe(0);
    expect(rc.delay).toBe(1.5);
    expect(win0(rc).maxtasks).toBe(12);
  });

  it('colors (z x b y B): flags only, the color numbers stay', () => {
    const rc = parsed('colors');
    const f = win0(rc).winflags;
    expect(f & W.Show_COLORS).toBeTruthy();
    expect(f & W.Show_HICOLS).toBeTruthy();
    expect(f & W.Show_HIBOLD).toBe(0);
    expect(f & W.Show_HIROWS).toBe(0);
    expect(f & W.View_NOBOLD).toBeTruthy();
    expect([win0(rc).summclr, win0(rc).msgsclr, win0(rc).headclr, win0(rc).taskclr]).toEqual([1, 1, 3, 1]);
  });

  it('altscr (A a a N): 4 windows, Curwin 2, Mem sorted on PID', () => {
    const rc = parsed('altscr');
    expect(rc.modeAltscr).toBe(1);
    expect(rc.curwin).toBe(2);
    expect(rc.windows[2].name).toBe('Mem');
    expect(rc.windows[2].sortindx).toBe(0);
    expect(rc.windows[0].sortindx).toBe(18);
  });

  for (const name of FIXTURES) {
    it(`${name}: expected-header.txt (recorded from the real top) is the parsed fields`, () => {
      const rc = parsed(name);
      const rec = headersOf(readFileSync(join(FIX, name, 'expected-header.txt'), 'utf8'));
      expect(rec.length).toBeGreaterThan(0);
      expect(rec).toEqual(expectedHeaders(rc));
    });
  }
});

describeCommand('top', 'toprc: fixtures under the real top -b', () => {
  for (const name of FIXTURES) {
    it(`${name}: readToprc finds it and the real top shows the parsed header(s)`, () => {
      const home = join(FIX, name);
      const ours = readToprc({ HOME: home }, { etcDir: freshDir(), uid: 0 });
      expect(ours.ok).toBe(true);
      if (!ours.ok) return;
      expect(ours.rc.source).toBe(`${home}/.toprc`);
      const r = realTop({ HOME: home });
      expect(r.status).toBe(0);
      expect(headersOf(r.stdout)).toEqual(expectedHeaders(ours.rc));
    });
  }

  it('filters: every row the real top shows has "top" in COMMAND and no USER nobody', () => {
    const r = realTop({ HOME: join(FIX, 'filters') });
    const rows = rowsOf(r.stdout);
    expect(rows.length).toBeGreaterThan(0); // top itself
    for (const row of rows) {
      expect(commandOf(row).toLowerCase()).toContain('top');
      expect(row[1]).not.toBe('nobody');
    }
  });

  it('cpus-delay: maxtasks 12 caps the rows', () => {
    const rows = rowsOf(realTop({ HOME: join(FIX, 'cpus-delay') }).stdout);
    expect(rows.length).toBe(12);
  });
});

describe.runIf(hasCommand('tmux') && hasCommand('python3') && process.getuid?.() === 0)('toprc: fixture script', () => {
  it('scripts/make-toprc-fixtures.sh reproduces default, fields and filters byte for byte', () => {
    const out = freshDir();
    const r = spawnSync(join(root, 'scripts', 'make-toprc-fixtures.sh'), [out, 'default', 'fields', 'filters'], {
      encoding: 'utf8',
      cwd: root,
      timeout: 180_000,
    });
    expect(r.status).toBe(0);
    for (const name of ['default', 'fields', 'filters']) {
      expect(readFileSync(join(out, name, '.toprc'), 'latin1')).toBe(fixtureBytes(name).toString('latin1'));
    }
  }, 200_000);
});

// ---------------------------------------------------------------- hand-altered files vs the real top

/** DEFAULT_TEXT with one replacement (which must apply). */
function edit(from: string | RegExp, to: string | ((...m: string[]) => string), text = DEFAULT_TEXT): string {
  const out = typeof to === 'string' ? text.replace(from, to) : text.replace(from, to);
  if (out === text) throw new Error(`no ${String(from)} in the text`);
  return out;
}
const lines = DEFAULT_TEXT.split('\n');
/** A window block's fieldscur line as a list of n numbers. */
function fieldsLine(nums: number[]): string {
  return nums.map((n) => String(n).padStart(4)).join(' ');
}
const DEF_FIELDSCUR = [...DEFAULT_TEXT.slice(DEFAULT_TEXT.indexOf('fieldscur=') + 10, DEFAULT_TEXT.indexOf('\twinflags')).matchAll(/\d+/g)].map((m) =>
  Number(m[0]),
);
/** The Def window's fieldscur block of the default file, replaced by nums. */
function withDefFields(nums: number[]): string {
  const a = DEFAULT_TEXT.indexOf('fieldscur=') + 10;
  const b = DEFAULT_TEXT.indexOf('\twinflags');
  return DEFAULT_TEXT.slice(0, a) + fieldsLine(nums) + '\n' + DEFAULT_TEXT.slice(b);
}
/** A 3.3.x-style field string: one byte per field, (id + 37) | 0x80 when on. */
function oldFields(list: { id: number; on: boolean }[]): Buffer {
  return Buffer.from(list.map((f) => (f.id + 37) | (f.on ? 0x80 : 0)));
}
function oldFile(id: string, windows: { flds: Buffer; line2: string }[], tail = ''): Buffer {
  const names = ['Def', 'Job', 'Mem', 'Usr'];
  const parts: Buffer[] = [Buffer.from(`top's Config File (Linux processes with windows)\nId:${id}, Mode_altscr=0, Mode_irixps=1, Delay_time=3.000, Curwin=0\n`)];
  const clr = ['1, msgsclr=1, headclr=3, taskclr=1', '6, msgsclr=6, headclr=7, taskclr=6', '5, msgsclr=5, headclr=4, taskclr=5', '3, msgsclr=3, headclr=2, taskclr=3'];
  windows.forEach((w, i) => {
    parts.push(Buffer.from(`${names[i]}\tfieldscur=`), w.flds, Buffer.from(`\n\t${w.line2}\n\tsummclr=${clr[i]}\n`));
  });
  parts.push(Buffer.from(tail));
  return Buffer.concat(parts);
}
const defRc = defaultToprc();
const ids = (n: number, first = 0) => Array.from({ length: n }, (_, i) => ({ id: first + i, on: false }));
/** A permutation of 0..n-1 led by the default Def window's visible fields. */
function defLed(n: number): { id: number; on: boolean }[] {
  const lead = defRc.windows[0].fields.filter((f) => f.on);
  return [...lead, ...ids(n).filter((f) => !lead.some((l) => l.id === f.id))];
}

interface Case {
  name: string;
  content: string | Buffer;
  /** 0: top accepts it; else 1..4 = 'window entry #n', -1 = 'incompatible rcfile'. */
  expect: number;
  check?: (rc: TopRc, run: Run) => void;
}

const CASES: Case[] = [
  { name: 'empty file', content: '', expect: -1 },
  { name: 'eyecatcher only', content: lines[0] + '\n', expect: -1 },
  { name: 'no eyecatcher (the Id line is taken for it)', content: lines.slice(1).join('\n'), expect: -1 },
  { name: "bad id 'c'", content: edit('Id:k', 'Id:c'), expect: -1 },
  { name: "bad id 'b'", content: edit('Id:k', 'Id:b'), expect: -1 },
  { name: "future id 'l'", content: edit('Id:k', 'Id:l'), expect: -1 },
  { name: 'Mode_altscr=2', content: edit('Mode_altscr=0', 'Mode_altscr=2'), expect: -1 },
  { name: 'Mode_irixps=-1', content: edit('Mode_irixps=1', 'Mode_irixps=-1'), expect: -1 },
  { name: 'Curwin=4', content: edit('Curwin=0', 'Curwin=4'), expect: -1 },
  { name: 'negative delay', content: edit('Delay_time=3.0', 'Delay_time=-1.0'), expect: -1 },
  { name: 'delay without a fraction', content: edit('Delay_time=3.0', 'Delay_time=3'), expect: -1 },
  { name: 'truncated inside window 2', content: lines.slice(0, 12).join('\n') + '\n', expect: 2 },
  { name: 'truncated after window 4 colors (no global line)', content: lines.slice(0, 30).join('\n') + '\n', expect: 0,
    check: (rc) => expect([rc.summMscale, rc.taskMscale]).toEqual([1, 0]) },
  { name: 'truncated mid-number in the last window', content: DEFAULT_TEXT.slice(0, DEFAULT_TEXT.lastIndexOf('taskclr=') + 8), expect: 4 },
  { name: 'sortindx=78 (EU_MAXPFLGS)', content: edit('sortindx=18', 'sortindx=78'), expect: 1 },
  { name: 'sortindx=-1 in window 3', content: edit('sortindx=21', 'sortindx=-1'), expect: 3 },
  { name: 'graph_cpus=3 in window 2', content: edit(/(Job[^]*?graph_cpus=)0/, (_m, a) => `${a}3`), expect: 2 },
  { name: 'double_up=8', content: edit('double_up=0', 'double_up=8'), expect: 1 },
  { name: 'core_types=4 in window 4', content: edit(/(Usr[^]*?core_types=)0/, (_m, a) => `${a}4`), expect: 4 },
  { name: 'a color of 256 in window 4', content: edit('summclr=3', 'summclr=256'), expect: 4 },
  { name: 'three colors only', content: edit(', taskclr=1', ''), expect: 1 },
  { name: 'winflags line with its 3 required values only (the rest keep defaults)', content: edit(', graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0', ''), expect: 0,
    check: (rc) => {
      expect(rc.windows[0].doubleUp).toBe(1);
      expect(rc.windows[0].maxtasks).toBe(0);
    } },
  { name: 'winflags line with 2 values', content: edit(', maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0, core_types=0', ''), expect: 1 },
  { name: 'window name of 4 letters', content: edit('Mem\t', 'Memx\t'), expect: 3 },
  { name: 'window renamed (3 letters)', content: edit('Job\t', 'Abc\t'), expect: 0,
    check: (rc) => expect(rc.windows[1].name).toBe('Abc') },
  { name: 'field list: a duplicate value', content: withDefFields(DEF_FIELDSCUR.map((v, i) => (i === 5 ? DEF_FIELDSCUR[4] : v))), expect: 1 },
  { name: 'field list: a field past EU_MAXPFLGS in the first 78', content: withDefFields(DEF_FIELDSCUR.map((v, i) => (i === 3 ? 300 : v))), expect: 1 },
  { name: 'field list: a zero in the first 78', content: withDefFields(DEF_FIELDSCUR.map((v, i) => (i === 40 ? 0 : v))), expect: 1 },
  { name: 'field list: only 78 values (no tail)', content: withDefFields(DEF_FIELDSCUR.slice(0, 78)), expect: 0,
    check: (rc) => expect(visible(rc)).toEqual(DEF_NAMES) },
  { name: 'field list: 2 values, the rest from the defaults (PPID off twice)', content: withDefFields([75, 76]), expect: 1 },
  { name: 'field list: 12 values (COMMAND first), the rest from the defaults', content: withDefFields([DEF_FIELDSCUR[11], ...DEF_FIELDSCUR.slice(0, 11)]), expect: 0,
    check: (rc) => expect(visible(rc)).toEqual(['COMMAND', ...DEF_NAMES.slice(0, 11)]) },
  { name: 'field list: empty (all defaults kept)', content: withDefFields([]), expect: 0,
    check: (rc) => expect(visible(rc)).toEqual(DEF_NAMES) },
  { name: 'field list: NI and PR swapped, VIRT hidden, nTH shown', content: withDefFields(DEF_FIELDSCUR.map((v, i) => (i === 2 ? v + 2 : i === 3 ? v - 2 : i === 4 ? v - 1 : v === 2 * (16 + 37) ? v + 1 : v))), expect: 0,
    check: (rc) => expect(visible(rc)).toEqual(['PID', 'USER', 'NI', 'PR', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND', 'nTH']) },
  { name: 'field list: USER replaced by PID off (same field twice, top only checks raw values)', content: withDefFields(DEF_FIELDSCUR.map((v, i) => (i === 1 ? 74 : v))), expect: 0,
    check: (rc) => {
      expect(rc.windows[0].fields[1]).toEqual({ id: 0, on: false });
      expect(visible(rc)).toEqual(DEF_NAMES.filter((n) => n !== 'USER'));
    } },
  { name: 'field list: every field off (top shows PID)', content: withDefFields(DEF_FIELDSCUR.map((v) => v & ~1)), expect: 0,
    check: (rc) => expect(visible(rc)).toEqual([]) },
  { name: 'sign and leading zeros in numbers', content: edit('sortindx=18, maxtasks=0', 'sortindx=+021, maxtasks=-0'), expect: 0,
    check: (rc) => expect(rc.windows[0].sortindx).toBe(21) },
  { name: 'hand-written delay 1.5 (fraction in thousandths: 1.005)', content: edit('Delay_time=3.0', 'Delay_time=1.5'), expect: 0,
    check: (rc) => expect(rc.delay).toBe(Math.fround(1.005)) },
  { name: 'extra blanks and CRs between values', content: edit('sortindx=18, maxtasks=0', 'sortindx=  18,  \r maxtasks=0'), expect: 0 },
  { name: 'global line out of range (zeroed)', content: edit('Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0', 'Fixed_widest=600, Summ_mscale=6, Task_mscale=5, Zero_suppress=2, Tics_scaled=7'), expect: 0,
    check: (rc) => expect([rc.fixedWidest, rc.summMscale, rc.taskMscale, rc.zeroSuppress, rc.ticsScaled]).toEqual([0, 0, 0, 0, 0]) },
  { name: 'global line partly there', content: edit('Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0', 'Fixed_widest=-1, Summ_mscale=2, Task_mscale=3'), expect: 0,
    check: (rc) => expect([rc.fixedWidest, rc.summMscale, rc.taskMscale, rc.zeroSuppress, rc.ticsScaled]).toEqual([-1, 2, 3, 0, 0]) },
  { name: 'inspect entries and junk after the global line', content: DEFAULT_TEXT + '\npipe\tOpen Files\tlsof -P -p %d 2>&1\nfile\tx\t/proc/%d/status\njunk\n', expect: 0,
    check: (rc) => expect(rc.otherFilters).toEqual([]) },
  { name: 'other filter "PID<99999999": top compares with " " (width 0 when read), so no row passes', content: DEFAULT_TEXT + '\nbegin: saved other filter data -------------------\nwindow #0, osel_tot=1\n\ttype=79,\tfilter=PID<99999999\nend  : saved other filter data -------------------\n', expect: 0,
    check: (rc, run) => {
      expect(rc.otherFilters.map((f) => [f.field, f.op, f.value, f.compareValue])).toEqual([[0, '<', '99999999', ' ']]);
      expect(rowsOf(run.stdout)).toEqual([]);
    } },
  { name: 'other filter "!PID>99999999": every cell is above " ", so every row is dropped', content: DEFAULT_TEXT + '\nbegin: saved other filter data -------------------\nwindow #0, osel_tot=1\n\ttype=111,\tfilter=!PID>99999999\nend  : saved other filter data -------------------\n', expect: 0,
    check: (rc, run) => {
      expect(rc.otherFilters.map((f) => [f.include, f.compareValue])).toEqual([[false, ' ']]);
      expect(rowsOf(run.stdout).length).toBe(0);
    } },
  { name: 'other filters: a case-sensitive miss, a bad one ending the list, one after it dropped', content: DEFAULT_TEXT + '\nbegin: saved other filter data -------------------\nwindow #0, osel_tot=3\n\ttype=79,\tfilter=USER=ROOT\n\ttype=79,\tfilter=NOSUCH=1\n\ttype=79,\tfilter=COMMAND=top\nend  : saved other filter data -------------------\n', expect: 0,
    check: (rc, run) => {
      expect(rc.otherFilters.map((f) => f.raw)).toEqual(['USER=ROOT']);
      expect(rowsOf(run.stdout)).toEqual([]);
    } },
  { name: 'other filters: "o" ignores case, "=" is a substring test, a duplicate ends the list', content: DEFAULT_TEXT + '\nbegin: saved other filter data -------------------\nwindow #0, osel_tot=3\n\ttype=111,\tfilter=COMMAND=TO\n\ttype=111,\tfilter=COMMAND=TO\n\ttype=111,\tfilter=USER=nobody\nend  : saved other filter data -------------------\n', expect: 0,
    check: (rc, run) => {
      expect(rc.otherFilters.map((f) => [f.raw, f.ignoreCase])).toEqual([['COMMAND=TO', true]]);
      const rows = rowsOf(run.stdout);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(commandOf(r).toLowerCase()).toContain('to');
    } },
  { name: "format 'j' (3.3.17): one byte per field", content: oldFile('j', [
      { flds: oldFields(defLed(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0' },
    ], 'Fixed_widest=0, Summ_mscale=2, Task_mscale=1, Zero_suppress=0, Tics_scaled=3\n'), expect: 0,
    check: (rc, run) => {
      expect(rc.id).toBe('j');
      expect(visible(rc)).toEqual(DEF_NAMES);
      // 'j' and older zero Tics_scaled, then the global line (when there) sets it
      expect([rc.summMscale, rc.taskMscale, rc.ticsScaled]).toEqual([2, 1, 3]);
      const pids = rowsOf(run.stdout).map((r) => Number(r[0]));
      expect(pids).toEqual([...pids].sort((a, b) => b - a)); // sortindx 0 (PID), high to low
    } },
  { name: "format 'i' (3.3.10-16): PLUS_J appended, double_up cleared", content: oldFile('i', [
      { flds: oldFields(defLed(70)), line2: 'winflags=193844, sortindx=18, maxtasks=0, graph_cpus=1, graph_mems=2, double_up=3' },
      { flds: oldFields(ids(70)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0' },
      { flds: oldFields(ids(70)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0' },
      { flds: oldFields(ids(70)), line2: 'winflags=193844, sortindx=0, maxtasks=0, graph_cpus=0, graph_mems=0' },
    ]), expect: 0,
    check: (rc) => {
      expect(visible(rc)).toEqual(DEF_NAMES);
      expect(rc.windows[0].fields.slice(70)).toEqual(ids(8, 70));
      expect([rc.windows[0].graphCpus, rc.windows[0].graphMems, rc.windows[0].doubleUp]).toEqual([1, 2, 0]);
    } },
  { name: "format 'g' (3.3.4-8): PLUS_H and PLUS_J appended, scales to KiB", content: oldFile('g', [
      { flds: oldFields(defLed(55)), line2: 'winflags=193844, sortindx=18, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
    ]), expect: 0,
    check: (rc) => {
      expect(visible(rc)).toEqual(DEF_NAMES);
      expect([rc.summMscale, rc.taskMscale]).toEqual([0, 0]);
    } },
  { name: "format 'f' (3.3.0-3): Show_JRNUMS forced on", content: oldFile('f', [
      { flds: oldFields(defLed(55)), line2: 'winflags=62516, sortindx=18, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=62516, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=62516, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(55)), line2: 'winflags=62516, sortindx=0, maxtasks=0' },
    ]), expect: 0,
    check: (rc) => expect(rc.windows.map((w) => w.winflags)).toEqual([62516 | W.Show_JRNUMS, 62516 | W.Show_JRNUMS, 62516 | W.Show_JRNUMS, 62516 | W.Show_JRNUMS]) },
  { name: "format 'j' with a field string one short (the buffer's leftovers count)", content: oldFile('j', [
      { flds: oldFields(defLed(77)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
    ]), expect: 1 },
  { name: "format 'j' with a field string holding a duplicate", content: oldFile('j', [
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields([...ids(85), { id: 0, on: false }]), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
      { flds: oldFields(ids(86)), line2: 'winflags=193844, sortindx=0, maxtasks=0' },
    ]), expect: 0 /* the duplicate is past the 78th */ },
  { name: "format 'a' (procps 3.2.8)", content: Buffer.from(
      'RCfile for "top with windows"\nId:a, Mode_altscr=0, Mode_irixps=1, Delay_time=3.000, Curwin=0\n' +
      'Def\tfieldscur=AEHIOQTWKNMbcdfgjplrsuvyzX\n\twinflags=62777, sortindx=0, maxtasks=0\n\tsummclr=1, msgsclr=1, headclr=3, taskclr=1\n' +
      'Job\tfieldscur=ABcefgjlrstuvyzMKNHIWOPQDX\n\twinflags=62777, sortindx=0, maxtasks=0\n\tsummclr=6, msgsclr=6, headclr=7, taskclr=6\n' +
      'Mem\tfieldscur=ANOPQRSTUVbcdefgjlmyzWHIKX\n\twinflags=62777, sortindx=13, maxtasks=0\n\tsummclr=5, msgsclr=5, headclr=4, taskclr=5\n' +
      'Usr\tfieldscur=ABDECGfhijlopqrstuvyzMKNWX\n\twinflags=62777, sortindx=4, maxtasks=0\n\tsummclr=3, msgsclr=3, headclr=2, taskclr=3\n'), expect: 0,
    check: (rc, run) => {
      expect(rc.id).toBe('a');
      expect(visible(rc)).toEqual(DEF_NAMES);
      expect(rc.windows[0].sortindx).toBe(0);
      expect(rc.windows[0].winflags & W.Qsrt_NORMAL).toBeTruthy(); // old 0x10
      expect(rc.windows[0].winflags & W.Show_JRNUMS).toBeTruthy();
      const pids = rowsOf(run.stdout).map((r) => Number(r[0]));
      expect(pids).toEqual([...pids].sort((a, b) => b - a));
    } },
  { name: "format 'a' with a field letter past '|'", content: Buffer.from(
      'RCfile for "top with windows"\nId:a, Mode_altscr=0, Mode_irixps=1, Delay_time=3.000, Curwin=0\n' +
      'Def\tfieldscur=AEHIOQTWKNMbcdfgjplrsuvy}X\n\twinflags=62777, sortindx=0, maxtasks=0\n\tsummclr=1, msgsclr=1, headclr=3, taskclr=1\n'), expect: 1 },
];

describeCommand('top', 'toprc: hand-altered files, top -b decides', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.expect === 0 ? 'accepted' : c.expect < 0 ? 'incompatible rcfile' : `window entry #${c.expect} corrupt`}`, () => {
      const home = homeWith(c.content);
      const path = `${home}/.toprc`;
      const run = realTop({ HOME: home });
      const ours = readToprc({ HOME: home }, { etcDir: '/etc', uid: 0 });
      if (c.expect === 0) {
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(ours.ok).toBe(true);
        if (!ours.ok) return;
        expect(headersOf(run.stdout)).toEqual(expectedHeaders(ours.rc));
        c.check?.(ours.rc, run);
      } else {
        const text = c.expect < 0 ? `incompatible rcfile, you should delete '${path}'` : `window entry #${c.expect} corrupt, please delete '${path}'`;
        expect(run.stderr).toBe(`top: ${text}\n`);
        expect(run.status).toBe(1);
        expect(ours).toEqual({ ok: false, message: `top: ${text}`, status: 1, stderr: run.stderr });
        expect(parseToprc(typeof c.content === 'string' ? c.content : c.content, path)).toEqual({ ok: false, message: text });
      }
    });
  }

  it('a directory in place of ~/.toprc opens and reads nothing: incompatible', () => {
    const home = freshDir();
    mkdirSync(join(home, '.toprc'));
    const run = realTop({ HOME: home });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`top: incompatible rcfile, you should delete '${home}/.toprc'\n`);
    expect(readToprc({ HOME: home }, { etcDir: '/etc', uid: 0 })).toEqual({ ok: false, message: run.stderr.trimEnd(), status: 1, stderr: run.stderr });
  });

  it("error_exit's 256-byte buffer: a long path cuts the line at 255 bytes, without its newline", () => {
    const deep = join(freshDir(), 'x'.repeat(200));
    mkdirSync(deep, { mode: 0o755 });
    writeFileSync(join(deep, '.toprc'), 'junk\n');
    const run = realTop({ HOME: deep });
    expect(run.status).toBe(1);
    expect(Buffer.byteLength(run.stderr)).toBe(255);
    expect(run.stderr.endsWith('\n')).toBe(false);
    const ours = readToprc({ HOME: deep }, { etcDir: '/etc', uid: 0 });
    expect(ours).toEqual({ ok: false, message: run.stderr, status: 1, stderr: run.stderr });
  });

  it('HOME with a trailing slash is used as is in the message', () => {
    const home = homeWith('junk\n');
    const run = realTop({ HOME: `${home}/` });
    expect(run.stderr).toBe(`top: incompatible rcfile, you should delete '${home}//.toprc'\n`);
    const ours = readToprc({ HOME: `${home}/` }, { etcDir: '/etc', uid: 0 });
    expect(ours.ok ? '' : ours.stderr).toBe(run.stderr);
  });

  it('opts.program changes the prefix only', () => {
    const home = homeWith('junk\n');
    const ours = readToprc({ HOME: home }, { etcDir: '/etc', uid: 0, program: 'ptop' });
    expect(ours.ok ? '' : ours.message).toBe(`ptop: incompatible rcfile, you should delete '${home}/.toprc'`);
  });
});

// ---------------------------------------------------------------- precedence and secure mode

describe('toprc: which file (readToprc)', () => {
  const defaults = defaultToprc();
  const sortOf = (r: ReturnType<typeof readToprc>): string => (r.ok ? FIELD_NAMES[r.rc.windows[0].sortindx] : 'error');
  const sourceOf = (r: ReturnType<typeof readToprc>): string => (r.ok ? r.rc.source : 'error');
  function xdgWith(name: string): string {
    const x = freshDir();
    mkdirSync(join(x, 'procps'));
    cpSync(fixturePath(name), join(x, 'procps', 'toprc'));
    return x;
  }

  it('no file anywhere: the built-in defaults, source ""', () => {
    const r = readToprc({ HOME: freshDir() }, { etcDir: freshDir(), uid: 0 });
    expect(r).toEqual({ ok: true, rc: defaults, secure: false });
  });

  it('~/.toprc beats $XDG_CONFIG_HOME/procps/toprc', () => {
    const home = homeWith(fixtureBytes('sort-mem'));
    const xdg = xdgWith('sort-shift');
    const r = readToprc({ HOME: home, XDG_CONFIG_HOME: xdg }, { etcDir: freshDir(), uid: 0 });
    expect(sortOf(r)).toBe('%MEM');
    expect(sourceOf(r)).toBe(`${home}/.toprc`);
  });

  it('$XDG_CONFIG_HOME/procps/toprc when there is no ~/.toprc, and it beats ${etc}/topdefaultrc', () => {
    const xdg = xdgWith('sort-shift');
    const etc = freshDir();
    cpSync(fixturePath('sort-mem'), join(etc, 'topdefaultrc'));
    const r = readToprc({ HOME: freshDir(), XDG_CONFIG_HOME: xdg }, { etcDir: etc, uid: 0 });
    expect(sortOf(r)).toBe('SHR');
    expect(sourceOf(r)).toBe(`${xdg}/procps/toprc`);
  });

  it('without XDG_CONFIG_HOME: $HOME/.config/procps/toprc', () => {
    const home = freshDir();
    mkdirSync(join(home, '.config', 'procps'), { recursive: true });
    cpSync(fixturePath('sort-time-reverse'), join(home, '.config', 'procps', 'toprc'));
    const r = readToprc({ HOME: home }, { etcDir: freshDir(), uid: 0 });
    expect(sortOf(r)).toBe('TIME+');
  });

  it('a relative XDG_CONFIG_HOME is ignored ($HOME/.config is used)', () => {
    const home = freshDir();
    mkdirSync(join(home, '.config', 'procps'), { recursive: true });
    cpSync(fixturePath('sort-time-reverse'), join(home, '.config', 'procps', 'toprc'));
    const r = readToprc({ HOME: home, XDG_CONFIG_HOME: 'relative/dir' }, { etcDir: freshDir(), uid: 0 });
    expect(sourceOf(r)).toBe(`${home}/.config/procps/toprc`);
    expect(sortOf(r)).toBe('TIME+');
  });

  it('${etc}/topdefaultrc when there is no personal file; its errors are fatal and name it', () => {
    const etc = freshDir();
    cpSync(fixturePath('sort-mem'), join(etc, 'topdefaultrc'));
    const r = readToprc({ HOME: freshDir() }, { etcDir: etc, uid: 0 });
    expect(sourceOf(r)).toBe(`${etc}/topdefaultrc`);
    expect(sortOf(r)).toBe('%MEM');
    writeFileSync(join(etc, 'topdefaultrc'), edit('Id:k', 'Id:d'));
    expect(readToprc({ HOME: freshDir() }, { etcDir: etc, uid: 0 })).toEqual({
      ok: false,
      message: `top: incompatible rcfile, you should delete '${etc}/topdefaultrc'`,
      status: 1,
      stderr: `top: incompatible rcfile, you should delete '${etc}/topdefaultrc'\n`,
    });
  });

  it('a malformed ~/.toprc is fatal even when an XDG file exists', () => {
    const home = homeWith(edit('Curwin=0', 'Curwin=9'));
    const r = readToprc({ HOME: home, XDG_CONFIG_HOME: xdgWith('sort-mem') }, { etcDir: freshDir(), uid: 0 });
    expect(r.ok).toBe(false);
  });

  it('HOME relative or unset: the passwd home; none absolute: XDG only if absolute, else topdefaultrc', () => {
    const home = homeWith(fixtureBytes('sort-mem'));
    const asked: number[] = [];
    const homeOfUid = (uid: number) => {
      asked.push(uid);
      return home;
    };
    expect(sortOf(readToprc({ HOME: 'rel' }, { etcDir: freshDir(), uid: 1234, homeOfUid }))).toBe('%MEM');
    expect(sortOf(readToprc({}, { etcDir: freshDir(), uid: 1234, homeOfUid }))).toBe('%MEM');
    expect(asked).toEqual([1234, 1234]);
    const etc = freshDir();
    cpSync(fixturePath('sort-time-reverse'), join(etc, 'topdefaultrc'));
    const none = () => 'not/absolute';
    expect(sortOf(readToprc({ HOME: 'rel' }, { etcDir: etc, uid: 1234, homeOfUid: none }))).toBe('TIME+');
    expect(sortOf(readToprc({ HOME: 'rel', XDG_CONFIG_HOME: xdgWith('sort-shift') }, { etcDir: etc, uid: 1234, homeOfUid: none }))).toBe('SHR');
  });

  it('nothing is created on the way (top mkdirs ~/.config/procps; ptools does not)', () => {
    const home = freshDir();
    readToprc({ HOME: home }, { etcDir: freshDir(), uid: 0 });
    expect(spawnSync('ls', ['-A', home], { encoding: 'utf8' }).stdout).toBe('');
  });
});

describeCommand('top', 'toprc: which file, the real top agrees', () => {
  it('~/.toprc beats XDG; without it, XDG; a relative XDG_CONFIG_HOME is ignored', () => {
    const home = homeWith(fixtureBytes('default'));
    const xdg = freshDir();
    mkdirSync(join(xdg, 'procps'));
    cpSync(fixturePath('fields'), join(xdg, 'procps', 'toprc'));
    const both = realTop({ HOME: home, XDG_CONFIG_HOME: xdg });
    expect(headersOf(both.stdout)).toEqual([DEF_NAMES]);
    const ours = readToprc({ HOME: home, XDG_CONFIG_HOME: xdg }, { etcDir: '/etc', uid: 0 });
    expect(ours.ok && ours.rc.source).toBe(`${home}/.toprc`);

    const bare = freshDir();
    const xdgOnly = realTop({ HOME: bare, XDG_CONFIG_HOME: xdg });
    expect(headersOf(xdgOnly.stdout)[0].slice(0, 3)).toEqual(['PID', 'PPID', 'PR']);
    const ours2 = readToprc({ HOME: bare, XDG_CONFIG_HOME: xdg }, { etcDir: '/etc', uid: 0 });
    expect(ours2.ok && ours2.rc.source).toBe(`${xdg}/procps/toprc`);

    // relative: "cfg/procps/toprc" exists under top's cwd, and is not read
    const cwd = freshDir();
    mkdirSync(join(cwd, 'cfg', 'procps'), { recursive: true });
    cpSync(fixturePath('fields'), join(cwd, 'cfg', 'procps', 'toprc'));
    const home3 = freshDir();
    mkdirSync(join(home3, '.config', 'procps'), { recursive: true });
    cpSync(fixturePath('altscr'), join(home3, '.config', 'procps', 'toprc'));
    const rel = realTop({ HOME: home3, XDG_CONFIG_HOME: 'cfg' }, undefined, cwd);
    const ours3 = readToprc({ HOME: home3, XDG_CONFIG_HOME: 'cfg' }, { etcDir: '/etc', uid: 0 });
    expect(ours3.ok && ours3.rc.source).toBe(`${home3}/.config/procps/toprc`);
    if (!ours3.ok) return;
    expect(headersOf(rel.stdout)).toEqual(expectedHeaders(ours3.rc));
    expect(headersOf(rel.stdout).length).toBe(4); // altscr's four windows
  });
});

describe('toprc: ${etc}/toprc secure mode', () => {
  const withSys = (content: string) => {
    const etc = freshDir();
    writeFileSync(join(etc, 'toprc'), content);
    return etc;
  };
  const home = () => homeWith(fixtureBytes('cpus-delay'));

  it('two lines: secure, the delay of line 2 (a float)', () => {
    const r = readToprc({ HOME: home() }, { etcDir: withSys('anything\n0.3\n'), uid: 1000 });
    expect(r.ok && [r.secure, r.restrictedDelay, r.rc.delay]).toEqual([true, Math.fround(0.3), 1.5]);
  });
  it('one line, or a second that is no number: secure, delay 3.0 (DEF_DELAY)', () => {
    for (const text of ['x\n', '\n', 'x\nfast\n', 'x']) {
      const r = readToprc({ HOME: home() }, { etcDir: withSys(text), uid: 1000 });
      expect(r.ok && [r.secure, r.restrictedDelay]).toEqual([true, 3]);
    }
  });
  it('%f forms: leading blanks, exponent, trailing text, hex', () => {
    const cases: [string, number][] = [['  2.5s', 2.5], ['1e-1', Math.fround(0.1)], ['+4', 4], ['.5', 0.5], ['0x1.8p1', 3]];
    for (const [line, v] of cases) {
      const r = readToprc({ HOME: home() }, { etcDir: withSys(`x\n${line}\n`), uid: 1000 });
      expect(r.ok && r.restrictedDelay).toBe(v);
    }
  });
  it('an empty file is not secure; root is never secure', () => {
    const r1 = readToprc({ HOME: home() }, { etcDir: withSys(''), uid: 1000 });
    expect(r1).toMatchObject({ ok: true, secure: false });
    expect(r1.ok && 'restrictedDelay' in r1).toBe(false);
    const r2 = readToprc({ HOME: home() }, { etcDir: withSys('x\n0.5\n'), uid: 0 });
    expect(r2.ok && [r2.secure, 'restrictedDelay' in r2]).toEqual([false, false]);
  });
});

// ---------------------------------------------------------------- the real top with its own /etc (namespace)

/** Runs sh script in a private mount namespace with an overlay (upper = dir) on /etc; null if not permitted. */
function withEtcOverlay(upper: string, script: string): Run | null {
  const work = freshDir();
  const r = spawnSync(
    'unshare',
    ['-m', 'sh', '-c', `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${work} /etc || exit 99; ${script}`],
    { encoding: 'utf8', env: BASE_ENV, timeout: 60_000 },
  );
  if (r.status === 99) return null;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const overlayOK = process.getuid?.() === 0 && hasCommand('unshare') && withEtcOverlay(freshDir(), 'true') !== null;

describe.runIf(overlayOK && hasCommand('setpriv'))('toprc: the real top with /etc/toprc and /etc/topdefaultrc (overlay on /etc)', () => {
  it('topdefaultrc is used when there is no personal file, and loses to XDG', () => {
    const upper = freshDir();
    cpSync(fixturePath('fields'), join(upper, 'topdefaultrc'));
    const home = freshDir();
    const xdg = freshDir();
    mkdirSync(join(xdg, 'procps'));
    cpSync(fixturePath('toggles'), join(xdg, 'procps', 'toprc'));
    const r = withEtcOverlay(
      upper,
      `HOME=${home} nice -n 19 ${TOP} -b -n1 -w 200; echo "---"; HOME=${home} XDG_CONFIG_HOME=${xdg} nice -n 19 ${TOP} -b -n1 -w 200`,
    )!;
    expect(r.status).toBe(0);
    const [a, b] = r.stdout.split('---\n');
    const oursA = readToprc({ HOME: home }, { etcDir: upper, uid: 0 });
    const oursB = readToprc({ HOME: home, XDG_CONFIG_HOME: xdg }, { etcDir: upper, uid: 0 });
    expect(oursA.ok && oursA.rc.source).toBe(`${upper}/topdefaultrc`);
    expect(oursB.ok && oursB.rc.source).toBe(`${xdg}/procps/toprc`);
    if (!oursA.ok || !oursB.ok) return;
    expect(headersOf(a)).toEqual(expectedHeaders(oursA.rc));
    expect(headersOf(a)[0].slice(0, 3)).toEqual(['PID', 'PPID', 'PR']);
    expect(headersOf(b)).toEqual(expectedHeaders(oursB.rc));
    expect(headersOf(b)[0].slice(0, 3)).toEqual(['PID', 'USER', 'PR']);
  });

  it('/etc/toprc: secure for uid nobody (-d refused, line 2 is the delay), not for root', () => {
    const upper = freshDir();
    writeFileSync(join(upper, 'toprc'), 'secure\n0.2\n');
    chmodSync(join(upper, 'toprc'), 0o644);
    const home = freshDir();
    writeFileSync(join(home, '.toprc'), edit('Delay_time=3.0', 'Delay_time=5.0'));
    chmodSync(join(home, '.toprc'), 0o644);
    const asNobody = `setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=${home}`;
    const r = withEtcOverlay(
      upper,
      `${asNobody} nice -n 19 ${TOP} -b -n1 -d1 >/dev/null; echo "nobody -d: $?"; ` +
        `HOME=${home} nice -n 19 ${TOP} -b -n1 -d1 >/dev/null; echo "root -d: $?"; ` +
        `s=$(date +%s%N); ${asNobody} nice -n 19 ${TOP} -b -n2 >/dev/null; e=$(date +%s%N); echo "nobody 2 frames ms: $(( (e - s) / 1000000 ))"`,
    )!;
    expect(r.stdout).toMatch(/^nobody -d: 1\nroot -d: 0\nnobody 2 frames ms: \d+\n$/);
    expect(r.stderr).toBe('top: -d disallowed in "secure" mode\n');
    // the user's 5.0 s would take 5 s: line 2's 0.2 s was used
    expect(Number(/frames ms: (\d+)/.exec(r.stdout)![1])).toBeLessThan(4000);
    const ours = readToprc({ HOME: home }, { etcDir: upper, uid: 65534 });
    expect(ours.ok && [ours.secure, ours.restrictedDelay, ours.rc.delay]).toEqual([true, Math.fround(0.2), 5]);
    const root = readToprc({ HOME: home }, { etcDir: upper, uid: 0 });
    expect(root.ok && [root.secure, root.rc.delay]).toEqual([false, 5]);
  });
});
