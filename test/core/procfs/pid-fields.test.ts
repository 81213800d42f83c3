/**
 * The procfs readers under the process scanner and ps (captured fixtures and
 * hand-made edge cases, then fuzzed): every stat field, the status record
 * and its lazy view, smaps_rollup, autogroup, one-integer files, the tty
 * drivers table, device numbers, and the facts every row shares.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { parseStat } from '../../../src/core/procfs/pid-stat.js';
import { parseStatus, StatusView, type StatusFields } from '../../../src/core/procfs/pid-status.js';
import { parseSmapsRollupFields } from '../../../src/core/procfs/pid-maps.js';
import { parseAutogroup, parseIntFile } from '../../../src/core/procfs/pid-misc.js';
import { devMajor, devMinor, parseTtyDrivers } from '../../../src/core/process/tty.js';
import { itemEnv, pidMaxDigits } from '../../../src/core/process/items.js';
import { uptime } from '../../../src/core/system/uptime.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { psutil } from '../../helpers/oracle.js';

const FIX = fixturePath('.');
const fx = (p: string): string => readFileSync(join(FIX, p), 'latin1');

describe('parseStat: every field (ps\'s reading)', () => {
  it('reads every field of a live-captured stat (kthreadd)', () => {
    const s = parseStat(fx('proc/kthread-live/stat'));
    expect(s).toMatchObject({ pid: 2, comm: 'kthreadd', state: 'S', ppid: 0, pgrp: 0, session: 0, ttyNr: 0, tpgid: -1, flags: 2129984, priority: 20, nice: 0, numThreads: 1, starttime: 25, vsize: 0, rss: 0, rsslim: Infinity });
    // Since 4.x the kernel writes 1 here for a task sleeping in the kernel (no address).
    expect(s.wchan).toBe(1);
    expect(s.exitSignal).toBe(0);
    expect(s.policy).toBe(0);
  });

  it('takes the command name up to the LAST parenthesis', () => {
    const s = parseStat(fx('proc/comm-parens/stat'));
    expect(s.comm).toBe('a b) (c');
    expect(s.ppid).toBe(15654);
    expect(s.startcode).toBe(94450672041984);
    expect(s.startstack).toBe(140731955068816);
  });

  it('gives procps defaults for fields an old kernel lacks', () => {
    const s = parseStat(fx('proc/edge/stat-old-kernel'));
    expect(s.rtPriority).toBe(-1);
    expect(s.policy).toBe(-1);
    expect(s.processor).toBe(0);
    expect(s.starttime).toBe(19999);
  });

  it('tolerates odd spacing (never seen from the kernel)', () => {
    const s = parseStat(fx('proc/edge/stat-odd-spacing'));
    expect([s.pid, s.comm, s.ppid, s.starttime, s.rsslim]).toEqual([15656, 'sleep', 15654, 110540, Infinity]);
  });

  it('rejects text that is not a stat line with ParseError', () => {
    for (const t of ['', 'x', '12 (a) ', 'abc (x) S 1 2', '1 (x) SS 1 2 3']) expect(() => parseStat(t)).toThrow(ParseError);
  });

  it('fuzz: returns or throws ParseError', () => {
    fuzzParser((t) => parseStat(t), [fx('proc/pid1-live/stat'), fx('proc/kthread-live/stat'), fx('proc/comm-parens/stat'), fx('proc/edge/stat-odd-spacing')]);
  });
});

describe('parseStatus: ids, memory and signal masks (ps\'s reading)', () => {
  it('reads ids, memory and signal masks', () => {
    const s = parseStatus(fx('proc/edge/status-old-kernel'));
    expect(s.uids).toEqual({ real: 0, effective: 0, saved: 0, fs: 0 });
    expect(s.vmRss).toBe(1512);
    expect(s.vmSize).toBe(2500);
    expect(s.vmData).toBe(224);
    expect(s.vmStk).toBe(132);
    expect(s.threads).toBe(1);
    expect(s.groups).toEqual([]);
    expect(s.sigPnd).toBe('0000000000000000');
  });

  it('a kernel thread has no Vm lines: zeros, as procps', () => {
    const s = parseStatus(fx('proc/kthread-live/status'));
    expect([s.vmSize, s.vmRss, s.vmLck]).toEqual([0, 0, 0]);
    expect(s.tgid).toBe(2);
  });

  it('live-captured init: masks as the kernel writes them', () => {
    const s = parseStatus(fx('proc/pid1-live/status'));
    expect(s.sigCgt).toMatch(/^[0-9a-f]{16}$/);
    expect(s.shdPnd).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects malformed lines with ParseError; fuzz', () => {
    expect(() => parseStatus(fx('proc/pid1-live/status').replace(/^Uid:.*$/m, 'Uid:\t0 0'))).toThrow(ParseError);
    expect(() => parseStatus(fx('proc/pid1-live/status').replace(/^SigBlk:.*$/m, 'SigBlk:\tzz'))).toThrow(ParseError);
    expect(() => parseStatus(fx('proc/pid1-live/status').replace(/^VmRSS:.*$/m, 'VmRSS:\tlots kB'))).toThrow(ParseError);
    fuzzParser((t) => parseStatus(t), [fx('proc/pid1-live/status'), fx('proc/kthread-live/status'), fx('proc/edge/status-old-kernel')]);
  });
});

describe('StatusView (the lazy reading the scan uses)', () => {
  it('reads well-formed files exactly as parseStatus', () => {
    const keys: (keyof StatusFields)[] = [
      'tgid', 'pid', 'threads', 'uids', 'gids', 'groups', 'vmSize', 'vmLck', 'vmRss', 'vmData', 'vmStk', 'vmExe', 'vmLib', 'vmSwap',
      'sigPnd', 'shdPnd', 'sigBlk', 'sigIgn', 'sigCgt',
    ];
    for (const f of ['proc/pid1-live/status', 'proc/kthread-live/status', 'proc/edge/status-old-kernel', 'proc/init/status', 'proc/zombie/status', 'proc/sleep/status']) {
      const strict = parseStatus(fx(f));
      const view = new StatusView(fx(f));
      for (const k of keys) expect(view[k], `${f} ${k}`).toEqual(strict[k]);
    }
  });

  it('reads garbage as procps does (strtol: 0), never throws', () => {
    const v = new StatusView('VmRSS:\tlots kB\nUid:\t1 x\n');
    expect(v.vmRss).toBe(0);
    expect(v.uids).toEqual({ real: 1, effective: 0, saved: 0, fs: 0 });
    expect(v.vmSize).toBe(0);
    expect(v.shdPnd).toBeNull();
    expect(v.sigBlk).toBe('0000000000000000');
  });
});

describe('small files', () => {
  it('smaps_rollup: Pss and Private_* in KiB', () => {
    const s = parseSmapsRollupFields(fx('proc/live/smaps_rollup'));
    expect(s.pss).toBeGreaterThan(0);
    expect(parseSmapsRollupFields('Pss: 10 kB\nPrivate_Clean: 2 kB\nPrivate_Dirty: 3 kB\nPrivate_Hugetlb: 7 kB\n')).toMatchObject({ pss: 10, privateClean: 2, privateDirty: 3 });
    fuzzParser((t) => parseSmapsRollupFields(t), [fx('proc/live/smaps_rollup')]);
  });

  it('autogroup and one-integer files', () => {
    expect(parseAutogroup(fx('proc/live/autogroup'))).toEqual({ id: 42, nice: 0 });
    expect(() => parseAutogroup('nonsense')).toThrow(ParseError);
    expect(parseIntFile('4294967295\n', 'loginuid')).toBe(4294967295);
    expect(() => parseIntFile('x', 'loginuid')).toThrow(ParseError);
    fuzzParser((t) => parseAutogroup(t), [fx('proc/live/autogroup')]);
  });

  it('/proc/tty/drivers: later lines first, %d names flagged, ranges', () => {
    const d = parseTtyDrivers(fx('ps/tty-drivers-devfs'));
    expect(d[0]).toEqual({ name: 'vc/', devfs: true, major: 4, first: 1, last: 63 });
    expect(d.find((e) => e.name === 'pts')).toEqual({ name: 'pts', devfs: false, major: 136, first: 0, last: 1048575 });
    expect(d.find((e) => e.name === 'tts/')!.first).toBe(64);
    expect(d.at(-1)!.name).toBe('tty');
    const here = parseTtyDrivers(fx('ps/tty-drivers'));
    expect(here.some((e) => e.name === 'console' && e.major === 5 && e.first === 1)).toBe(true);
    fuzzParser((t) => parseTtyDrivers(t), [fx('ps/tty-drivers'), fx('ps/tty-drivers-devfs')]);
  });

  it('device numbers split as glibc does', () => {
    expect([devMajor(34816 + 5), devMinor(34816 + 5)]).toEqual([136, 5]);
    // pts/300: minor above 255 goes to the high bits.
    const dev = (300 & 0xff) | (136 << 8) | ((300 & ~0xff) << 12);
    expect([devMajor(dev), devMinor(dev)]).toEqual([136, 300]);
  });

  it('system facts: uptime, MemTotal, pid_max digits', () => {
    const env = itemEnv();
    expect(uptime()).toBeGreaterThan(0);
    expect(env.bootTics).toBeGreaterThan(0);
    expect(env.memTotalKiB * 1024).toBe(psutilOr(() => psutil<{ total: number }>('psutil.virtual_memory()').total, env.memTotalKiB * 1024));
    expect(pidMaxDigits()).toBe(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim().length);
  });
});

function psutilOr<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

