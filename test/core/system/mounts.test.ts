/** core/mounts: the mountinfo parser, df's mount table and its path helpers. */
import { fixturePath } from '../../helpers/fixtures.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import {
  devMajorMinor,
  findMountPoint,
  isDummyFs,
  isRemoteFs,
  makedev,
  mountTable,
  mountTableFromMountinfo,
  parseMountinfo,
  parseMounts,
  realPath,
  statPath,
  statPathAutomount,
  statvfsPath,
} from '../../../src/core/system/mounts.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('mounts');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');

const origProc = getProcfsPath();
afterEach(() => setProcfsPath(origProc));

describe('parseMountinfo', () => {
  it('reads every field of a line captured on this machine', () => {
    const entries = parseMountinfo(fixture('mountinfo-machine'));
    expect(entries.length).toBe(fixture('mountinfo-machine').trim().split('\n').length);
    const root = entries.find((e) => e.mountpoint === '/')!;
    expect(root).toEqual({
      mountId: 27,
      parentId: 1,
      major: 254,
      minor: 0,
      root: '/',
      mountpoint: '/',
      mountOptions: 'rw,relatime',
      optionalFields: [],
      fstype: 'ext4',
      source: '/dev/vda',
      superOptions: 'rw,discard,resv_strict,resuid=65534,resgid=65534',
    });
    // A bind mount of a subtree of the root filesystem: same device, its own root.
    const netns = entries.find((e) => e.mountpoint === '/run/netns')!;
    expect([netns.major, netns.minor, netns.root, netns.optionalFields]).toEqual([254, 0, '/run/netns', ['shared:1']]);
    // The same mount point twice (over-mounted /dev/shm), in mount order.
    expect(entries.filter((e) => e.mountpoint === '/dev/shm').map((e) => `${e.major}:${e.minor}`)).toEqual(['0:23', '0:27']);
  });

  it('decodes octal escapes, keeps optional fields, empty sources and ignores extra fields', () => {
    const e = parseMountinfo(fixture('mountinfo-edge'));
    expect(e.map((x) => x.mountpoint)).toEqual([
      '/',
      '/proc',
      '/mnt/bind dir',
      '/mnt/tab\tand\nnewline\\back',
      '/net/home',
      '/mnt/share',
      '/misc',
      '/mnt/gpfs',
      '/run/user/1000',
      '/mnt/bigminor',
    ]);
    expect(e[2]).toMatchObject({ root: '/srv/data', optionalFields: ['shared:1', 'master:3'], source: '/dev/sda2' });
    expect(e[3]).toMatchObject({ source: '', fstype: 'tmpfs', superOptions: 'rw,size=1024k' });
    expect(e[8]).toMatchObject({ source: 'tmpfs', superOptions: 'rw,size=1000k,mode=700,uid=1000' });
    expect([e[9]!.major, e[9]!.minor]).toEqual([259, 1048577]);
  });

  it('skips blank lines; a line without the separator or with a bad device number is a ParseError', () => {
    expect(parseMountinfo('\n\n')).toEqual([]);
    expect(() => parseMountinfo(fixture('mountinfo-bad-sep'))).toThrow(ParseError);
    expect(() => parseMountinfo(fixture('mountinfo-bad-dev'))).toThrow(ParseError);
    expect(() => parseMountinfo('1 2 3:4 / /x rw -')).toThrow(ParseError);
    expect(() => parseMountinfo('x 2 3:4 / /x rw - ext4 /dev/x rw')).toThrow(ParseError);
  });

  it('survives fuzzing: returns or throws ParseError', () => {
    fuzzParser(parseMountinfo, [fixture('mountinfo-machine'), fixture('mountinfo-edge')]);
  });
});

describe('classification (gnulib ME_DUMMY / ME_REMOTE)', () => {
  it('pseudo filesystems are dummy; tmpfs, cgroup, nsfs are not', () => {
    for (const t of ['proc', 'sysfs', 'devpts', 'autofs', 'debugfs', 'mqueue', 'rpc_pipefs', 'fusectl', 'fuse.portal', 'devfs', 'kernfs', 'subfs', 'ignore', 'none']) {
      expect(isDummyFs(t), t).toBe(true);
    }
    for (const t of ['tmpfs', 'devtmpfs', 'cgroup', 'cgroup2', 'nsfs', 'ext4', 'overlay', 'securityfs']) expect(isDummyFs(t), t).toBe(false);
    expect(isDummyFs('none', true)).toBe(false); // a bind mount in an mtab-style table
  });

  it('remote: host:path, //host shares of smb types, -hosts and cluster types', () => {
    expect(isRemoteFs('server:/export', 'nfs4')).toBe(true);
    expect(isRemoteFs('//srv/share', 'cifs')).toBe(true);
    expect(isRemoteFs('//srv/share', 'smb3')).toBe(true);
    expect(isRemoteFs('//srv/share', 'fuse.sshfs')).toBe(false);
    expect(isRemoteFs('-hosts', 'autofs')).toBe(true);
    for (const t of ['afs', 'coda', 'gpfs', 'ocfs2', 'vxfs', 'acfs', 'auristorfs', 'fhgfs', 'ibrix']) expect(isRemoteFs('x', t), t).toBe(true);
    expect(isRemoteFs('/dev/sda1', 'ext4')).toBe(false);
    expect(isRemoteFs('tmpfs', 'tmpfs')).toBe(false);
  });

  it('mountTableFromMountinfo carries device numbers, roots and the flags', () => {
    const t = mountTableFromMountinfo(parseMountinfo(fixture('mountinfo-edge')));
    expect(t[1]).toMatchObject({ mountpoint: '/proc', dummy: true, remote: false, dev: makedev(0, 5) });
    expect(t[4]).toMatchObject({ remote: true, dummy: false, root: '/' });
    expect(t[5]!.remote).toBe(true);
    expect(t[6]).toMatchObject({ dummy: true, remote: true });
    expect(t[9]!.dev).toBe(makedev(259, 1048577));
  });
});

describe('makedev / devMajorMinor', () => {
  it('round-trips large majors and minors and matches stat(2) of /', () => {
    for (const [ma, mi] of [[0, 0], [8, 1], [254, 0], [259, 1048577], [4095, 255], [4096, 256], [65535, 1 << 20]] as const) {
      expect(devMajorMinor(makedev(ma, mi))).toEqual([ma, mi]);
    }
    const rootInfo = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).filter((e) => e.mountpoint === '/').pop()!;
    expect(statSync('/', { bigint: true }).dev).toBe(makedev(rootInfo.major, rootInfo.minor));
  });
});

describe('mountTable', () => {
  it('reads self/mountinfo under the procfs root', () => {
    setProcfsPath(join(FIX, 'tree-mountinfo'));
    const t = mountTable();
    expect(t.length).toBe(parseMountinfo(fixture('tree-mountinfo/self/mountinfo')).length);
    expect(t.every((m) => m.dev !== null && m.root !== null)).toBe(true);
  });

  it('falls back on self/mounts when mountinfo cannot be read: no device numbers, no roots', () => {
    setProcfsPath(join(FIX, 'tree-mounts'));
    const t = mountTable();
    expect(t.length).toBeGreaterThan(5);
    expect(t.every((m) => m.dev === null && m.root === null)).toBe(true);
    expect(t.find((m) => m.mountpoint === '/proc')).toMatchObject({ fstype: 'proc', dummy: true });
  });

  it('throws the errno error when neither table exists', () => {
    setProcfsPath(join(FIX, 'no-such-root'));
    expect(() => mountTable()).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describeCommand('findmnt', 'mountTable vs findmnt (util-linux)', () => {
  it('the same mounts, device numbers, types and roots (as a set: findmnt lists its tree)', () => {
    const t = mountTable();
    const lines = sh('findmnt', ['-rn', '-o', 'MAJ:MIN,TARGET,FSTYPE,SOURCE,FSROOT']).trim().split('\n');
    // findmnt -r escapes blanks as \x20; none of this machine's mounts have them.
    const theirs = lines.map((l) => l.split(' '));
    expect(t.length).toBe(theirs.length);
    // findmnt's list is its tree flattened (parents first); compare as a multiset keyed by target and id.
    const mine = t.map((m) => `${devMajorMinor(m.dev!).join(':')} ${m.mountpoint} ${m.fstype} ${m.root}`).sort();
    const their = theirs.map(([mm, target, fstype, , root]) => `${mm} ${target} ${fstype} ${root}`).sort();
    expect(mine).toEqual(their);
  });
});

describePsutil('mountTable vs psutil.disk_partitions(all=True)', () => {
  it('the same mount points and types, in the same order', () => {
    // psutil reads /proc/self/mounts (the same table, same order) through getmntent.
    const theirs = psutil<{ mountpoint: string; fstype: string }[]>('psutil.disk_partitions(all=True)');
    const mine = mountTable();
    expect(mine.map((m) => [m.mountpoint, m.fstype])).toEqual(theirs.map((p) => [p.mountpoint, p.fstype]));
  });

  it('statvfsPath agrees with psutil.disk_usage: total exactly, used within 64 MiB', () => {
    // used moves while other work writes to the root filesystem; 64 MiB covers two back-to-back reads.
    const p = psutil<{ total: number; used: number }>("psutil.disk_usage('/')");
    const s = statvfsPath('/');
    const fr = s.frsize || s.bsize;
    expect(s.blocks * fr).toBe(p.total);
    expect(Math.abs((s.blocks - s.bfree) * fr - p.used)).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});

describeCommand('stat', 'statvfsPath vs stat -f', () => {
  it('block size, total blocks and inode total of / and /dev/shm', () => {
    for (const path of ['/', '/dev/shm', '/proc']) {
      const out = sh('stat', ['-f', '-c', '%S %b %c', path]).trim().split(' ').map(Number);
      const s = statvfsPath(path);
      expect([s.frsize || s.bsize, s.blocks, s.files], path).toEqual(out);
    }
  });
});

describe('path helpers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptools-mounts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('statPath / statPathAutomount: device numbers as stat(1) prints them, errno errors for bad paths', () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    const [ma, mi] = devMajorMinor(statPathAutomount(file).dev);
    const out = spawnSync('stat', ['-c', '%Hd %Ld', file], { encoding: 'utf8' }).stdout.trim();
    expect(`${ma} ${mi}`).toBe(out);
    expect(statPath('/dev/null').isCharacterDevice).toBe(true);
    expect(statPath('/').isDirectory).toBe(true);
    expect(() => statPathAutomount(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => statPathAutomount(join(file, 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('statPathAutomount does not block on a FIFO (non-blocking open) and stats unreadable files', () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    expect(statPathAutomount(fifo).dev).toBe(statSync(fifo, { bigint: true }).dev);
    // Mode 000: open fails with EACCES for a normal user and df falls back on stat (root opens it anyway).
    const locked = join(dir, 'locked');
    writeFileSync(locked, 'x', { mode: 0o000 });
    expect(statPathAutomount(locked).dev).toBe(statSync(locked, { bigint: true }).dev);
  });

  it('realPath resolves links and gives undefined for missing paths', () => {
    const link = join(dir, 'link');
    symlinkSync('/proc/self', link);
    expect(realPath(link)).toBe(`/proc/${process.pid}`);
    expect(realPath(join(dir, 'nope'))).toBeUndefined();
  });

  it('findMountPoint walks up while the device stays the same', () => {
    expect(findMountPoint('/proc/self/status', statPath('/proc/self/status').dev)).toBe('/proc');
    expect(findMountPoint('/sys/kernel', statPath('/sys/kernel').dev)).toBe('/sys');
    const rootDev = statPath('/').dev;
    const f = join(dir, 'f2');
    writeFileSync(f, '');
    const expected = sh('df', ['--output=target', f]).trim().split('\n')[1];
    expect(findMountPoint(f, statPath(f).dev)).toBe(expected);
    expect(findMountPoint('/', rootDev)).toBe('/');
    expect(findMountPoint(join(dir, 'missing'), rootDev)).toBeUndefined();
  });

  it('statvfsPath throws the errno error', () => {
    expect(() => statvfsPath(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

// ------------------------------------------------------------------ /proc/self/mounts (getmntent's format)

describe('parseMounts', () => {
  it('decodes the octal escapes getmntent decodes (\\040 \\011 \\012 \\134, and \\\\), skips blanks and comments', () => {
    const m = parseMounts(fixture('mounts-escaped'));
    expect(m.map((e) => e.mountpoint)).toEqual([
      '/', '/mnt/my disk', '/mnt/tab\there', '/mnt/new\nline', '/mnt/back\\slash', '/mnt/a b\\c', '/run/none',
      '/tank/data', '/rootfs-test', '/mnt/spaced', '/mnt/unknown\\043hash', '/mnt/nfs',
    ]);
    expect(m[5]).toEqual({ device: '/dev/disk by label', mountpoint: '/mnt/a b\\c', fstype: 'ext4', opts: 'rw' });
    expect(m[9]).toEqual({ device: '/dev/sdc1', mountpoint: '/mnt/spaced', fstype: 'ext4', opts: 'rw,noatime' });
    expect(m[6]!.device).toBe('none');
  });

  it('reads the mounts captured on this machine', () => {
    const text = fixture('mounts');
    const m = parseMounts(text);
    expect(m).toHaveLength(text.trim().split('\n').length);
    expect(m).toContainEqual({ device: '/dev/vda', mountpoint: '/', fstype: 'ext4', opts: 'rw,relatime,discard,resv_strict,resuid=65534,resgid=65534' });
    expect(m[0]).toEqual({ device: 'proc', mountpoint: '/proc', fstype: 'proc', opts: 'rw,relatime' });
  });

  it('rejects a line with fewer than four fields', () => {
    expect(() => parseMounts('/dev/sda1 / ext4\n')).toThrow(ParseError);
  });

  it('survives fuzzing', () => {
    fuzzParser(parseMounts, [fixture('mounts'), fixture('mounts-escaped')]);
  });
});

describePsutil('the mounts parser vs getmntent(3)', () => {
  it('the mounts parser agrees with getmntent(3) (psutil\'s C reader) on the real table and the escaped fixture', () => {
    for (const file of ['/proc/self/mounts', join(FIX, 'mounts-escaped')]) {
      const theirs = psutil<string[][]>(`__import__('psutil._psutil_linux', fromlist=['x']).disk_partitions(${JSON.stringify(file)})`);
      // /proc/self/mounts is per process, but python and node share the mount namespace
      const text = file.startsWith('/proc') ? readFileSync(file, 'utf8') : fixture('mounts-escaped');
      expect(parseMounts(text).map((e) => [e.device, e.mountpoint, e.fstype, e.opts])).toEqual(theirs);
    }
  });
});
