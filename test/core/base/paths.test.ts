/** core/base/paths: every root in one place. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  etcPath, getDevPath, getEtcPath, getLocalePath, getProcfsPath, getRoots, getSysfsPath, getUtmpPath, procPath, setDevPath, setEtcPath, setLocalePath,
  setProcfsPath, setRoots, setSysfsPath, setUtmpPath, sysPath,
} from '../../../src/core/base/paths.js';
import * as core from '../../../src/core/index.js';

const saved = getRoots();
afterEach(() => setRoots(saved));

describe('roots', () => {
  it('default to the system paths (or PTOOLS_*_PATH)', () => {
    expect(saved).toEqual({
      procfs: process.env.PTOOLS_PROCFS_PATH || '/proc',
      sysfs: process.env.PTOOLS_SYSFS_PATH || '/sys',
      utmp: process.env.PTOOLS_UTMP_PATH || '/var/run/utmp',
      etc: process.env.PTOOLS_ETC_PATH || '/etc',
      dev: '/dev',
      locale: process.env.PTOOLS_LOCALE_PATH || '/usr/lib/locale',
    });
  });

  it('each setter moves its root (directories lose trailing slashes); the path builders follow', () => {
    setProcfsPath('/f/proc/');
    setSysfsPath('/f/sys//');
    setUtmpPath('/f/utmp');
    setEtcPath('/f/etc/');
    setDevPath('/f/dev/');
    setLocalePath('/f/locale/');
    expect([getProcfsPath(), getSysfsPath(), getUtmpPath(), getEtcPath(), getDevPath(), getLocalePath()]).toEqual(['/f/proc', '/f/sys', '/f/utmp', '/f/etc', '/f/dev', '/f/locale']);
    expect([procPath(1, 'stat'), sysPath('block'), etcPath('services')]).toEqual(['/f/proc/1/stat', '/f/sys/block', '/f/etc/services']);
    setProcfsPath('/');
    expect(getProcfsPath()).toBe('/');
  });

  it('getRoots/setRoots carry all of them at once', () => {
    const r = { procfs: '/a', sysfs: '/b', utmp: '/c', etc: '/d', dev: '/e', locale: '/f' };
    setRoots(r);
    expect(getRoots()).toEqual(r);
  });

  it("the public API keeps every root's getter and setter", () => {
    for (const n of ['getProcfsPath', 'setProcfsPath', 'getSysfsPath', 'setSysfsPath', 'getUtmpPath', 'setUtmpPath', 'getEtcPath', 'setEtcPath', 'getDevPath', 'setDevPath', 'getLocalePath', 'setLocalePath', 'getRoots', 'setRoots']) {
      expect(typeof (core as Record<string, unknown>)[n], n).toBe('function');
    }
  });
});
