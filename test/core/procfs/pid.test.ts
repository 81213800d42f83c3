/**
 * The per-process parsers against files captured from this machine
 * (test/fixtures/proc/{sleep,init,kthread,zombie,comm-parens}) and hand-made
 * edge cases (test/fixtures/proc/edge), then fuzzed.
 */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { decodeWaitStatus, parseStat, PF_KTHREAD } from '../../../src/core/procfs/pid-stat.js';
import {
  parseCpuList, parseSigmask, parseStatus, statusGroups, statusIds, statusInt, statusSigmasks, statusUmask, statusValue,
} from '../../../src/core/procfs/pid-status.js';
import { parseStatm } from '../../../src/core/procfs/pid-statm.js';
import { parseIo } from '../../../src/core/procfs/pid-io.js';
import { parseCmdline, parseEnviron, splitVector } from '../../../src/core/procfs/pid-cmdline.js';
import { parseSmapsRollup, parseSmapsRollupFields } from '../../../src/core/procfs/pid-maps.js';
import { fuzzParser } from '../../helpers/fuzz.js';

const FIX = fixturePath('proc');
const fx = (path: string): string => readFileSync(join(FIX, path), 'utf8');

const STATS = ['sleep/stat', 'init/stat', 'kthread/stat', 'zombie/stat', 'comm-parens/stat', 'edge/stat-odd-spacing', 'edge/stat-old-kernel'];
const STATUSES = ['sleep/status', 'init/status', 'kthread/status', 'zombie/status', 'comm-parens/status', 'edge/status-old-kernel', 'edge/status-handmade'];

describe('parseStat', () => {
  it('reads a sleeping process (captured /proc/<pid>/stat of `sleep 60`)', () => {
    const st = parseStat(fx('sleep/stat'));
    expect(st).toMatchObject({
      pid: 15656, comm: 'sleep', state: 'S', ppid: 15654, pgrp: 15650, session: 4809, ttyNr: 0, tpgid: -1,
      flags: 4194304, minflt: 182, utime: 0, stime: 0, cutime: 0, cstime: 0, priority: 20, nice: 0, numThreads: 1,
      starttime: 110540, vsize: 2560000, rss: 337, processor: 0, rtPriority: 0, policy: 0, blkioTicks: 0, exitCode: 0,
    });
  });

  it('reads pid 1 with its cpu times and children times', () => {
    const st = parseStat(fx('init/stat'));
    expect(st).toMatchObject({ pid: 1, comm: 'process_api', ppid: 0, utime: 115, stime: 381, cutime: 7765, cstime: 1452, numThreads: 13, starttime: 25 });
  });

  it('takes the name up to the LAST ")": a comm with spaces and parentheses', () => {
    const st = parseStat(fx('comm-parens/stat'));
    expect(st.comm).toBe('a b) (c');
    expect(st.state).toBe('S');
    expect(st.ppid).toBe(15654);
    expect(st.starttime).toBe(110614);
    // a ')' followed by more fields in the name is still fine
    const hand = parseStat('77 ()) R) (x) Z 5 6 7 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 999 0 0');
    expect(hand).toMatchObject({ pid: 77, comm: ')) R) (x', state: 'Z', ppid: 5, utime: 1, stime: 2, starttime: 999 });
  });

  it('marks a kernel thread (PF_KTHREAD) and a zombie (Z, exit code field present)', () => {
    const k = parseStat(fx('kthread/stat'));
    expect(k.comm).toBe('kthreadd');
    expect(k.flags & PF_KTHREAD).toBe(PF_KTHREAD);
    const z = parseStat(fx('zombie/stat'));
    expect(z.state).toBe('Z');
    expect(z.flags & PF_KTHREAD).toBe(0);
    expect(z.exitCode).toBe(0);
    expect(z.processor).toBe(1);
  });

  it('tolerates odd spacing and old kernels without the trailing fields', () => {
    expect(parseStat(fx('edge/stat-odd-spacing'))).toEqual(parseStat(fx('sleep/stat')));
    const old = parseStat(fx('edge/stat-old-kernel'));
    expect(old).toMatchObject({ pid: 4242, comm: 'x', starttime: 19999, processor: 0, blkioTicks: 0, exitCode: 0, vsize: 0 });
  });

  it('throws ParseError on malformed input', () => {
    for (const bad of ['', 'garbage', '1 (x)', '1 (x) S 1 2', 'x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19', '1 (x) S a b c d e f g h i j k l m n o p q r s t']) {
      expect(() => parseStat(bad), bad).toThrow(ParseError);
    }
  });

  it('decodes a waitpid status word as psutil does (exit status, or minus the signal)', () => {
    expect(decodeWaitStatus(0)).toBe(0);
    expect(decodeWaitStatus(3 << 8)).toBe(3);
    expect(decodeWaitStatus(15)).toBe(-15);
    expect(decodeWaitStatus(9 | 0x80)).toBe(-9); // core dumped
  });

  it('fuzz', () => fuzzParser((t) => parseStat(t), STATS.map(fx)));
});

describe('parseStatus and its field helpers', () => {
  it('reads the captured status of `sleep 60`', () => {
    const s = parseStatus(fx('sleep/status'));
    expect(s).toEqual({
      name: 'sleep', state: 'S', tgid: 15656, pid: 15656, ppid: 15654,
      uids: { real: 0, effective: 0, saved: 0, fs: 0 }, gids: { real: 0, effective: 0, saved: 0, fs: 0 },
      groups: [], threads: 1, umask: 0o22, voluntaryCtxtSwitches: 1, nonvoluntaryCtxtSwitches: 1,
      sigmasks: { pending: [], blocked: [], ignored: [2, 3], caught: [], processPending: [] },
      cpusAllowed: [0, 1],
      vmSize: 2500, vmLck: 0, vmRss: 1512, vmData: 224, vmStk: 132, vmExe: 20, vmLib: 1528, vmSwap: 0, rssAnon: 100, rssFile: 1412, rssShmem: 0,
      sigPnd: '0000000000000000', shdPnd: '0000000000000000', sigBlk: '0000000000000000', sigIgn: '0000000000000006', sigCgt: '0000000000000000',
    });
  });

  it('reads distinct real/effective/saved ids, groups, masks and a cpu list (hand-made)', () => {
    const t = fx('edge/status-handmade');
    expect(statusIds(t, 'Uid')).toEqual({ real: 1000, effective: 1001, saved: 1002, fs: 1003 });
    expect(statusIds(t, 'Gid')).toEqual({ real: 100, effective: 101, saved: 102, fs: 103 });
    expect(statusGroups(t)).toEqual([4, 24, 27, 100]);
    expect(statusUmask(t)).toBe(0o27);
    expect(statusInt(t, 'Threads')).toBe(3);
    expect(statusSigmasks(t)).toEqual({
      pending: [], processPending: [9], blocked: [17], ignored: [13, 20, 21, 22], caught: [1, 2, 3, 10, 12, 15, 17, 28],
    });
    // glibc's internal 32 and 33 appear only when asked for
    expect(statusSigmasks(t, true).caught).toEqual([1, 2, 3, 10, 12, 15, 17, 28, 32, 33]);
    expect(parseStatus(t).cpusAllowed).toEqual([0, 1, 2, 3, 5, 7, 8]);
  });

  it('a zombie has no Umask line (null) and an old kernel lacks several lines', () => {
    expect(statusUmask(fx('zombie/status'))).toBeNull();
    expect(statusValue(fx('zombie/status'), 'State')).toBe('Z (zombie)');
    const old = parseStatus(fx('edge/status-old-kernel'));
    expect(old.umask).toBeNull();
    expect(old.voluntaryCtxtSwitches).toBeNull();
    expect(old.cpusAllowed).toBeNull();
    expect(old.uids.real).toBe(0);
    expect(() => statusInt(fx('edge/status-old-kernel'), 'voluntary_ctxt_switches')).toThrow(ParseError);
  });

  it('statusValue matches whole keys only (Pid is not PPid or NSpid)', () => {
    const t = fx('sleep/status');
    expect(statusValue(t, 'Pid')).toBe('15656');
    expect(statusValue(t, 'PPid')).toBe('15654');
    expect(statusValue(t, 'Name')).toBe('sleep');
    expect(statusValue(t, 'Nope')).toBeUndefined();
  });

  it('signal masks: bit n-1 is signal n', () => {
    expect(parseSigmask('0000000000000001')).toEqual([1]);
    expect(parseSigmask('8000000000000000')).toEqual([64]);
    expect(parseSigmask('0000000180000000')).toEqual([]);
    expect(parseSigmask('0000000180000000', true)).toEqual([32, 33]);
    expect(parseSigmask('0000000300000000')).toEqual([34]);
    expect(parseSigmask('0000000300000000', true)).toEqual([33, 34]);
    expect(() => parseSigmask('xyz')).toThrow(ParseError);
  });

  it('cpu lists', () => {
    expect(parseCpuList('0')).toEqual([0]);
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('')).toEqual([]);
    expect(() => parseCpuList('3-1')).toThrow(ParseError);
    expect(() => parseCpuList('a')).toThrow(ParseError);
  });

  it('fuzz', () => {
    fuzzParser((t) => parseStatus(t), STATUSES.map(fx));
    fuzzParser((t) => statusSigmasks(t), STATUSES.map(fx));
    fuzzParser((t) => [statusIds(t, 'Uid'), statusGroups(t), statusUmask(t)], STATUSES.map(fx));
    fuzzParser((t) => parseCpuList(t), ['0-3,5,7-8', '0']);
  });
});

describe('parseStatm', () => {
  it('reads pages', () => {
    expect(parseStatm(fx('sleep/statm'))).toEqual({ size: 625, resident: 378, shared: 353, text: 5, lib: 0, data: 89, dirty: 0 });
    expect(parseStatm(fx('kthread/statm'))).toEqual({ size: 0, resident: 0, shared: 0, text: 0, lib: 0, data: 0, dirty: 0 });
  });
  it('throws ParseError on short or non-numeric input', () => {
    expect(() => parseStatm('1 2 3')).toThrow(ParseError);
    expect(() => parseStatm('1 2 3 4 5 6 x')).toThrow(ParseError);
  });
  it('fuzz', () => fuzzParser((t) => parseStatm(t), ['sleep/statm', 'init/statm', 'zombie/statm'].map(fx)));
});

describe('parseIo', () => {
  it('reads the captured io file', () => {
    expect(parseIo(fx('sleep/io'))).toEqual({ rchar: 10956, wchar: 0, syscr: 18, syscw: 0, readBytes: 0, writeBytes: 0, cancelledWriteBytes: 0 });
  });
  it('skips lines that are not "name: value" (psutil issue 1004) and unknown fields', () => {
    expect(parseIo(fx('edge/io-odd'))).toEqual({ rchar: 100, wchar: 200, syscr: 3, syscw: 4, readBytes: 4096, writeBytes: 8192, cancelledWriteBytes: 0 });
  });
  it('empty or incomplete is a ParseError', () => {
    expect(() => parseIo('')).toThrow(ParseError);
    expect(() => parseIo('rchar: 1\n')).toThrow(ParseError);
  });
  it('fuzz', () => fuzzParser((t) => parseIo(t), ['sleep/io', 'kthread/io', 'zombie/io', 'edge/io-odd'].map(fx)));
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing empty argument', () => {
    expect(parseCmdline(fx('sleep/cmdline'))).toEqual(['/bin/sleep', '60']);
    expect(parseCmdline(fx('comm-parens/cmdline'))).toEqual(['/tmp/x/a b) (c', '60']);
  });
  it('is empty for kernel threads and zombies', () => {
    expect(parseCmdline(fx('kthread/cmdline'))).toEqual([]);
    expect(parseCmdline(fx('zombie/cmdline'))).toEqual([]);
  });
  it('splits a rewritten title (no NUL) on spaces', () => {
    expect(parseCmdline(fx('edge/cmdline-setproctitle'))).toEqual(['nginx:', 'worker', 'process']);
  });
  it('splits one NUL-ended string holding spaces on spaces (psutil issue 1179)', () => {
    expect(parseCmdline(fx('edge/cmdline-nul-spaces'))).toEqual(['python3', '-m', 'http.server']);
  });
  it('keeps an empty argument (only one trailing NUL is dropped)', () => {
    expect(parseCmdline(fx('edge/cmdline-double-nul'))).toEqual(['/usr/bin/foo', '--bar', '']);
    expect(parseCmdline('a\0\0b\0')).toEqual(['a', '', 'b']);
  });
  it('fuzz', () => fuzzParser((t) => parseCmdline(t), ['sleep/cmdline', 'init/cmdline', 'edge/cmdline-setproctitle'].map(fx)));
});

describe('parseEnviron', () => {
  it('reads the environment of `env -i A=1 "B=two words" EMPTY= sleep 60`', () => {
    expect(parseEnviron(fx('sleep/environ'))).toEqual({ A: '1', B: 'two words', EMPTY: '' });
  });
  it('skips entries without "=", splits at the first "=", stops at an empty entry', () => {
    expect(parseEnviron(fx('edge/environ-odd'))).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(parseEnviron('')).toEqual({});
    expect(parseEnviron('A=1')).toEqual({});
  });
  it('fuzz', () => fuzzParser((t) => parseEnviron(t), ['sleep/environ', 'edge/environ-odd'].map(fx)));
});

describe('parseSmapsRollup', () => {
  it('uss = Σ Private_*, pss, swap (SwapPss not added) from smaps_rollup', () => {
    expect(parseSmapsRollup(fx('sleep/smaps_rollup'))).toEqual({ uss: 100 * 1024, pss: 200 * 1024, swap: 0 });
  });
  it('the same rule over the whole smaps gives the same totals (±4 KiB per mapping: the rollup sums before rounding Pss)', () => {
    const full = parseSmapsRollup(fx('sleep/smaps'), 'smaps');
    const rollup = parseSmapsRollup(fx('sleep/smaps_rollup'));
    expect(full.uss).toBe(rollup.uss);
    expect(full.swap).toBe(rollup.swap);
    const mappings = fx('sleep/smaps').split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l)).length;
    expect(Math.abs(full.pss - rollup.pss)).toBeLessThanOrEqual(mappings * 1024);
  });
  it('counts Private_Hugetlb and Swap, and never SwapPss', () => {
    const t = 'Rss: 10 kB\nPss: 7 kB\nPrivate_Clean: 1 kB\nPrivate_Dirty: 2 kB\nPrivate_Hugetlb: 4 kB\nSwap: 8 kB\nSwapPss: 16 kB\n';
    expect(parseSmapsRollup(t)).toEqual({ uss: 7 * 1024, pss: 7 * 1024, swap: 8 * 1024 });
    expect(parseSmapsRollup('')).toEqual({ uss: 0, pss: 0, swap: 0 });
    expect(() => parseSmapsRollup('Pss: lots\n')).toThrow(ParseError);
  });
  it('fuzz', () => fuzzParser((t) => parseSmapsRollup(t), ['sleep/smaps_rollup', 'sleep/smaps'].map(fx), { numRuns: 200 }));
});

describe('splitVector (the exact argv/environ reading of ps and pmap)', () => {
  it('drops one terminating NUL and splits at every other', () => {
    expect(splitVector(fx('sleep/cmdline'))).toEqual(['/bin/sleep', '60']);
    expect(splitVector(fx('edge/cmdline-double-nul'))).toEqual(['/usr/bin/foo', '--bar', '']);
    expect(splitVector(fx('edge/cmdline-nul-spaces'))).toEqual(['python3 -m http.server']);
    expect(splitVector(fx('edge/cmdline-setproctitle'))).toEqual([fx('edge/cmdline-setproctitle')]);
    expect(splitVector('')).toEqual([]);
    expect(splitVector('\0')).toEqual(['']);
  });
});

describe('parseSmapsRollupFields (the one smaps_rollup record; psutil and ps read views of it)', () => {
  it('every field in KiB, summed over a whole smaps the same way', () => {
    const r = parseSmapsRollupFields(fx('sleep/smaps_rollup'));
    expect(r.privateClean + r.privateDirty + r.privateHugetlb).toBe(100);
    expect(r.pss).toBe(200);
    const full = parseSmapsRollupFields(fx('sleep/smaps'));
    expect(full.privateClean + full.privateDirty).toBe(r.privateClean + r.privateDirty);
    expect(parseSmapsRollupFields('Pss: 10 kB\nPrivate_Clean: 2 kB\nPrivate_Dirty: 3 kB\nPrivate_Hugetlb: 7 kB\n')).toMatchObject({ pss: 10, privateClean: 2, privateDirty: 3, privateHugetlb: 7 });
    expect(() => parseSmapsRollupFields('Pss: lots\n')).toThrow(ParseError);
  });
  it('fuzz', () => fuzzParser((t) => parseSmapsRollupFields(t), ['sleep/smaps_rollup'].map(fx)));
});
