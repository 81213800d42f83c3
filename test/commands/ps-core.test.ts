/**
 * ps's pure helpers: procps's escaping, cmdline joining, glibc's strverscmp,
 * systemd's reading of cgroup paths, start-time formats, the line width
 * rule. (The readers and the scan under ps are tested in
 * test/core/procfs/pid-fields.test.ts and test/core/process/scan.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProcRecord } from '../../src/core/process/scan.js';
import { parseStat } from '../../src/core/procfs/pid-stat.js';
import { layoutOf } from '../../src/commands/ps/display.js';
import { libEscape, psEscape } from '../../src/text/procps-escape.js';
import { formatParse, oneSpec } from '../../src/commands/ps/format.js';
import { Proc, strverscmp, systemdInfo, unvectored } from '../../src/text/procps-proc.js';
import { strtoul } from '../../src/commands/ps/parser.js';
import { PYTHON } from '../helpers/oracle.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIX = join(HERE, '..', 'fixtures');
const fx = (p: string): string => readFileSync(join(FIX, p), 'latin1');

// ------------------------------------------------------------------ ps helpers

describe('procps text rules', () => {
  it('cmdline joined as procps reads it', () => {
    expect(unvectored('sleep\u0000100\u0000', ' ')).toBe('sleep 100');
    expect(unvectored('a\u0000\u0000b\u0000', ' ')).toBe('a  b');
    expect(unvectored('title with spaces ', ' ')).toBe('title with spaces');
    expect(unvectored('x\ny\u0000', ' ')).toBe('x y');
    expect(unvectored('\u0000\u0000', ' ')).toBe('');
    expect(unvectored('1:a:/x\n2:b:/\n', '\u0000')).toBe('1:a:/x\u00002:b:/\u0000');
  });

  it('C locale: control bytes become ".", high bytes "?"; cut to the room', () => {
    expect(libEscape('odd\targ\u0001\n\u00c3\u00a9\u00ff', false)).toBe('odd.arg..???');
    expect(psEscape('abcdef', 3, false)).toEqual({ text: 'abc', cells: 3 });
    expect(psEscape('a\tb', 10, false)).toEqual({ text: 'a.b', cells: 3 });
  });

  it('UTF-8 locale: valid characters pass and count their width; controls become "?"', () => {
    const e = Buffer.from('é日x', 'utf8').toString('latin1');
    expect(psEscape(e, 10, true)).toEqual({ text: 'é日x', cells: 4 });
    expect(psEscape(e, 2, true)).toEqual({ text: 'é', cells: 1 });
    expect(libEscape('a\tb', true)).toBe('a?b');
    // From an impossible lead byte on, the rest is mapped as in the C locale.
    expect(libEscape('a\tb\u00ffb\tc', true)).toBe('a?b?b.c');
  });

  it('strverscmp agrees with glibc on terminal names', () => {
    const names = ['?', 'pts/0', 'pts/1', 'pts/10', 'pts/2', 'pts/9', 'tty1', 'tty10', 'tty2', 'ttyS0', 'ttyS10', 'console', 'pts/01', 'pts/001', 'a', 'a1', 'a01'];
    const r = spawnSync(PYTHON, ['-c', `import ctypes,json,sys\nlibc=ctypes.CDLL('libc.so.6')\nn=json.loads(sys.argv[1])\nprint(json.dumps([[(lambda v:(v>0)-(v<0))(libc.strverscmp(a.encode(),b.encode())) for b in n] for a in n]))`, JSON.stringify(names)], { encoding: 'utf8' });
    const want = JSON.parse(r.stdout) as number[][];
    names.forEach((a, i) => names.forEach((b, j) => expect(Math.sign(strverscmp(a, b)), `${a} vs ${b}`).toBe(want[i]![j])));
  });

  it('systemd units, slices, sessions and owners from cgroup paths', () => {
    expect(systemdInfo(fx('ps/cgroup-v1-hybrid'))).toEqual({ unit: '-', slice: '-.slice', uunit: '-', session: '-', ouid: '-' });
    expect(systemdInfo(fx('ps/cgroup-v2-service'))).toMatchObject({ unit: 'ssh.service', slice: 'system.slice' });
    expect(systemdInfo(fx('ps/cgroup-v2-session'))).toEqual({ unit: 'session-3.scope', slice: 'user-1000.slice', uunit: '-', session: '3', ouid: '1000' });
    expect(systemdInfo(fx('ps/cgroup-v2-user-app'))).toMatchObject({ unit: 'user@1000.service', uunit: 'app-gnome-firefox-1234.scope', ouid: '1000' });
    expect(systemdInfo(null).unit).toBe('-');
  });

  it('start-time formats follow the date rules (today, this year, another year)', () => {
    // A process started 2026-01-05 03:04:05 UTC, seen the same day, 3 days later, a year later.
    const start = Date.UTC(2026, 0, 5, 3, 4, 5) / 1000;
    const rec = { tid: 9, tgid: 9, stat: { ...parseStat(fx('proc/kthread-live/stat')), starttime: 500 }, status: null, statm: null, cmdline: null, environ: null, cgroup: null, wchan: null, io: null, smaps: null, oomScore: null, oomScoreAdj: null, loginuid: null, autogroup: null, attrCurrent: null, ns: null, exe: null, raw: null } as ProcRecord;
    const show = (now: number, spec: string): string => {
      const env = { hertz: 100, bootTime: start - 5, bootTics: 0, now, memTotalKiB: 1, pageSize: 4096, utf8: false, numaNode: () => 0 };
      const ctx = { env, maxRightward: 100, forestPrefix: '', forestType: '', bsdE: false, bsdC: false, unixF: false, userIsNumber: false, wchanIsNumber: false, includeDead: false, wideSignals: true, linesToNext: 0 };
      return oneSpec(spec, null)![0]!.pr!.text(new Proc(rec, env), ctx);
    };
    const tz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(['stime', 'start', 'bsdstart', 'lstart'].map((k) => show(start + 3600, k))).toEqual(['03:04', '03:04:05', ' 03:04', 'Mon Jan  5 03:04:05 2026']);
      expect(['stime', 'start', 'bsdstart'].map((k) => show(start + 3 * 86400, k))).toEqual(['Jan05', '  Jan 05', 'Jan  5']);
      expect(show(start + 400 * 86400, 'stime')).toBe('2026');
    } finally {
      process.env.TZ = tz;
    }
  });

  it('strtoul as C reads a pid: bases, blanks, wrapping negatives', () => {
    expect(strtoul('0x10')).toEqual({ value: 16, rest: '' });
    expect(strtoul('010')).toEqual({ value: 8, rest: '' });
    expect(strtoul(' 12x')).toEqual({ value: 12, rest: 'x' });
    expect(strtoul('-1').value).toBe(2 ** 64 - 1);
  });

  it('the line is the screen width, or a multiple when the columns need more', () => {
    const cols = formatParse('pid,user,args') as ReturnType<typeof oneSpec> & object;
    expect(layoutOf(cols, 80)).toEqual({ activeCols: 80, wideSignals: true });
    const wide = formatParse('pid,lstart,lstart,lstart,lstart,args') as NonNullable<ReturnType<typeof oneSpec>>;
    expect(layoutOf(wide, 80).activeCols).toBe(160);
    const sigs = formatParse('pid,pending,blocked,ignored,caught,args') as NonNullable<ReturnType<typeof oneSpec>>;
    // 49 columns of fixed width, plus 7 more per mask for the wide form: 77.
    expect(layoutOf(sigs, 60).wideSignals).toBe(false);
    expect(layoutOf(sigs, 80).wideSignals).toBe(true);
  });
});
