/** core/uptime: /proc/uptime's parser, fixtures, fuzzing, and the machine vs /proc/uptime, psutil and uptime -s. */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { uptime, uptimeInfo } from '../../../src/core/system/uptime.js';
import { describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('uptime');

describe('uptime() on a fixture tree', () => {
  const saved = getProcfsPath();
  afterEach(() => setProcfsPath(saved));
  it('reads procfs uptime under the configured root', () => {
    setProcfsPath(join(FIX, 'long'));
    expect(uptime()).toBe(345678901.23);
    expect(uptimeInfo()).toEqual({ uptime: 345678901.23, idle: 987654.32 });
  });
  it('a missing file is the addon errno error (ENOENT), not a ParseError', () => {
    setProcfsPath(join(FIX, 'nonexistent'));
    expect(() => uptime()).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('uptime() on this machine', () => {
  it('equals /proc/uptime read just before and after, within their span', () => {
    const before = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const ours = uptime();
    const after = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    // Centisecond resolution: ours lies between the two readings.
    expect(ours).toBeGreaterThanOrEqual(before);
    expect(ours).toBeLessThanOrEqual(after);
  });
});

describePsutil('uptime() vs psutil', () => {
  it('time.time() - psutil.boot_time() lies between two readings of uptime(), within btime\'s rounding', () => {
    // psutil has no uptime; its boot_time() is btime (whole seconds, and it
    // moves with the wall clock), so now − boot_time differs from the kernel's
    // CLOCK_BOOTTIME by the btime rounding: less than 1 s either way (stated
    // tolerance). Python's start-up time is bracketed, not bounded.
    const before = uptime();
    const p = psutil<number>('__import__("time").time() - psutil.boot_time()');
    const after = uptime();
    expect(p).toBeGreaterThan(before - 1);
    expect(p).toBeLessThan(after + 1);
  });
});

describeCommand('uptime', 'uptime() vs uptime -s', () => {
  it('now − uptime() is the second uptime -s prints', () => {
    // uptime -s rounds now − /proc/uptime to the second: ours may land on the
    // neighbouring second if the reads straddle a boundary, hence ±1 s.
    const s = sh('uptime', ['-s'], { TZ: 'UTC' }).trim();
    const since = Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;
    expect(Math.abs(Date.now() / 1000 - uptime() - since)).toBeLessThanOrEqual(1);
  });
});
