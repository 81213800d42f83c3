/**
 * top's cell formatting and command line, rule by rule (procps-ng 4.0.2
 * top.c): the values here follow C's printf, which python3's %-formatting
 * shares (checked against it in the first test), and top's parse_args.
 * The whole command is compared with /usr/bin/top in top.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cFixed, hexMake, justifyHeader, makeNum, makeStr, makeStrUtf8, scaleMem, scaleNum, scalePcnt, scaleTics, SK, TICS } from '../../src/commands/top/format.js';
import { mkfloat, parseTop, settingsFrom, type TopSettings } from '../../src/commands/top/options.js';
import { defaultToprc, WINFLAGS as W } from '../../src/commands/top/toprc.js';
import { FIELDS } from '../../src/commands/top/fields.js';
import { PYTHON } from '../helpers/oracle.js';

describe('C number formatting', () => {
  it('cFixed prints as printf("%.Nf"): ties at %.0f go to even, the rest by the exact binary value', () => {
    const values = [2.5, 3.5, 0.5, 1.5, 99.95, 100.05, 0.25, 0.75, 0.125, 0.375, 1e-7, 12345.675, 1041.25, 7.45, 8.55, -0.25, -2.5, -0.4, 0.0625, 2.675];
    const py = JSON.parse(
      execFileSync(PYTHON, ['-c', `import json; print(json.dumps([[('%.0f' % v), ('%.1f' % v), ('%.2f' % v), ('%.3f' % v)] for v in ${JSON.stringify(values)}]))`], { encoding: 'utf8' }),
    ) as string[][];
    values.forEach((v, i) => expect([cFixed(v, 0), cFixed(v, 1), cFixed(v, 2), cFixed(v, 3)], String(v)).toEqual(py[i]));
  });
});

describe('cells', () => {
  it('make_num and make_str cut with "+"; every cell ends in the column blank', () => {
    expect(makeNum(12345, 5, true, false, false)).toBe('12345 ');
    expect(makeNum(123456, 5, true, false, false)).toBe('1234+ ');
    expect(makeNum(-5, 3, true, false, false)).toBe(' -5 ');
    expect(makeNum(0, 3, true, true, true)).toBe('    ');
    expect(makeStr('process_api', 10, false)).toBe('process_a+ ');
    expect(makeStr('root', 8, false)).toBe('root     ');
    expect(makeStr('root', 8, true)).toBe('    root ');
    expect(makeStrUtf8('日本語のなまえ', 8, false)).toBe('日本語+  ');
  });

  it('scale_mem: KiB at the target scale or the first larger one that fits', () => {
    expect(scaleMem(SK.Kb, 1066156, 7, true, false)).toBe('1066156 ');
    expect(scaleMem(SK.Kb, 12345678, 7, true, false)).toBe('  11.8g ');
    expect(scaleMem(SK.Mb, 1066156, 7, true, false)).toBe('1041.2m ');
    expect(scaleMem(SK.Kb, 0, 6, true, false)).toBe('     0 ');
    expect(scaleMem(SK.Kb, 0, 6, true, true)).toBe('       ');
    expect(scaleMem(SK.Gb, 512, 6, true, false)).toBe('  0.0g ');
    expect(scaleMem(-1, 0, 4, true, false)).toBe('   0 ');
  });

  it('scale_num: a count, else k/m/g with one decimal, else none, else "?"', () => {
    expect(scaleNum(1234, 4, true, false)).toBe('1234 ');
    expect(scaleNum(12345, 4, true, false)).toBe(' 12k ');
    expect(scaleNum(123456789, 6, true, false)).toBe('117.7m ');
    expect(scaleNum(2 ** 70, 3, true, false)).toBe('  ? ');
  });

  it('scale_pcnt: one decimal, else none; the utilization columns try three and two', () => {
    expect(scalePcnt(0, 5, true, false, false)).toBe('  0.0 ');
    expect(scalePcnt(168.75, 5, true, false, false)).toBe('168.8 ');
    expect(scalePcnt(1999.96, 5, true, false, false)).toBe(' 2000 ');
    expect(scalePcnt(123456, 5, true, false, false)).toBe('    ? ');
    expect(scalePcnt(1.23456, 6, true, true, false)).toBe(' 1.235 ');
    expect(scalePcnt(12.3456, 6, true, true, false)).toBe('12.346 ');
    expect(scalePcnt(123.456, 6, true, true, false)).toBe('123.46 ');
  });

  it('scale_tics: M:SS.hh, M:SS, H,MM, Dd+Hh, Dd, Ww+Dd, Ww as the width and limits allow', () => {
    const hz = 100;
    expect(scaleTics(197, hz, 9, true, TICS.SECS, 0, false)).toBe('  0:01.97 ');
    expect(scaleTics(360 * 6000 + 123, hz, 9, true, TICS.SECS, 0, false)).toBe('360:01.23 ');
    // Over 360 minutes the minutes forms are skipped.
    expect(scaleTics(361 * 6000, hz, 9, true, TICS.SECS, 0, false)).toBe('     6,01 ');
    expect(scaleTics(197, hz, 6, true, TICS.SECS, 0, false)).toBe('  0:01 ');
    expect(scaleTics(100 * 3600 * 100, hz, 6, true, TICS.SECS, 0, false)).toBe(' 4d+4h ');
    expect(scaleTics(20 * 86400 * 100, hz, 6, true, TICS.SECS, 0, false)).toBe(' 2w+6d ');
    expect(scaleTics(197, hz, 7, true, TICS.MINS, 0, false)).toBe('   0:01 ');
    expect(scaleTics(197, hz, 7, true, TICS.SECS, TICS.HOUR, false)).toBe('   0,00 ');
  });

  it('hex_make shows zeros as dots; headers are justified like their cells', () => {
    expect(hexMake(0x00404100, true)).toBe('..4.41..');
    expect(justifyHeader('PID', 5, true)).toBe('  PID ');
    expect(justifyHeader('USER', 8, false)).toBe('USER     ');
  });
});

describe("top's command line", () => {
  const parse = (argv: string[]) => parseTop(argv, settingsFrom(defaultToprc()), { prog: 'top', help: 'HELP', version: 'V', self: 4242, env: {} });
  const run = (argv: string[]): TopSettings => {
    const r = parse(argv);
    if (r.kind !== 'run') throw new Error(JSON.stringify(r));
    return r.settings;
  };

  it('mkfloat: strtof (with the other decimal separator as a fallback) or strtol(…, 0)', () => {
    expect(mkfloat('1.5', false)).toBe(1.5);
    expect(mkfloat('1,5', false)).toBe(1.5);
    expect(mkfloat('x', false)).toBeNull();
    expect(mkfloat('0x10', true)).toBe(16);
    expect(mkfloat('010', true)).toBe(8);
    expect(mkfloat('1.5', true)).toBeNull();
  });

  it('-n1, -n 1, -n=1 and --iterations 1 are one frame; -w takes the next word unless it is an option', () => {
    for (const a of [['-n1'], ['-n', '1'], ['-n=1'], ['--iterations', '1'], ['--iterations=1']]) expect(run(a).iterations, a.join(' ')).toBe(1);
    expect(run(['-w', '90']).width).toBe(90);
    expect(run(['-w', '-b']).width).toBe(-1);
    expect(run(['--width', '100']).width).toBe(100);
    expect(run(['-b']).batch).toBe(true);
  });

  it('-o +F / -o -F set the sort and its direction; -p 0 is top itself, repeated pids once', () => {
    const s = run(['-o', '-PID']);
    expect(FIELDS[s.sortindx]!.name).toBe('PID');
    expect(s.winflags & W.Qsrt_NORMAL).toBe(0);
    expect(run(['-o', '+%MEM']).winflags & W.Qsrt_NORMAL).not.toBe(0);
    expect(run(['-p', '0,1,1', '-p', '7']).pids).toEqual([4242, 1, 7]);
  });

  it('top\'s messages, word for word, with its statuses', () => {
    const cases: [string[], string, number][] = [
      [['-n', '0'], "top: bad iterations argument '0'\n", 1],
      [['-d', '-1'], 'top: -d requires positive argument\n', 1],
      [['-d', 'x'], "top: bad delay interval 'x'\n", 1],
      [['-w', 'x'], "top: bad width arg 'x'\n", 1],
      [['-w', '2'], "top: bad width arg '2'\n", 1],
      [['-E', 'x'], "top: bad memory scaling arg 'x'\n", 1],
      [['-e', 'e'], "top: bad memory scaling arg 'e'\n", 1],
      [['-o', 'FOO'], "top: unrecognized field name 'FOO'\n", 1],
      [['-p', 'x'], "top: bad pid 'x'\n", 1],
      [['-p', '-5'], "top: bad pid '-5'\n", 1],
      [['-p', Array.from({ length: 21 }, (_, i) => i + 1).join(',')], 'top: pid limit (20) exceeded\n', 1],
      [['-u', 'nosuchuser-ptools'], 'top: Invalid user\n', 1],
      [['-u', 'root', '-p', '1'], 'top: conflicting process selections (U/p/u)\n', 1],
      [['-b', 'foo'], "top: unknown option 'foo'\n", 1],
      [['-n=', '-b'], "top: bad iterations argument '-b'\n", 1],
      [['-Z'], "top: invalid option -- 'Z'\n", 0],
      [['--bogus'], "top: unrecognized option '--bogus'\n", 0],
      [['-s', '-d', '1'], 'top: -d disallowed in "secure" mode\n', 1],
    ];
    for (const [argv, stderr, status] of cases) {
      const r = parse(argv);
      expect(r.kind === 'fail' ? [r.stderr, r.status] : r, argv.join(' ')).toEqual([stderr, status]);
    }
  });

  it('toggles flip what the toprc set: -c, -i, -S, -1', () => {
    const base = settingsFrom(defaultToprc()).winflags;
    expect(run(['-c']).winflags ^ base).toBe(W.Show_CMDLIN);
    expect(run(['-c', '-c']).winflags).toBe(base);
    expect(run(['-i']).winflags ^ base).toBe(W.Show_IDLEPS);
    expect(run(['-S']).winflags ^ base).toBe(W.Show_CTIMES);
    expect(run(['-1']).winflags & W.View_CPUSUM).toBe(0);
  });
});
