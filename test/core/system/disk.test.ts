import { fixturePath } from '../../helpers/fixtures.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  diskIoCounters, diskPartitions, diskUsage, usageFromStatvfs, parseBlockStat, parseDiskstats, parseFilesystems,
  type DiskIoCounters,
} from '../../../src/core/system/disk.js';
import { ParseError, PtoolsError } from '../../../src/core/base/errors.js';
import { getProcfsPath, getSysfsPath, setProcfsPath, setSysfsPath } from '../../../src/core/base/paths.js';
import { resetNowrapCache, wrapNumbers } from '../../../src/core/sample/wrap.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, describePsutil, psutil, PYTHON, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('disk');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');

const MiB = 1024 * 1024;

const origProc = getProcfsPath();
const origSys = getSysfsPath();
afterEach(() => {
  setProcfsPath(origProc);
  setSysfsPath(origSys);
  resetNowrapCache();
});

/** psutil's snake_case sdiskio → ptools' camelCase. */
function fromPsutilIo(p: Record<string, number>): DiskIoCounters {
  return {
    readCount: p.read_count!, writeCount: p.write_count!, readBytes: p.read_bytes!, writeBytes: p.write_bytes!,
    readTime: p.read_time!, writeTime: p.write_time!, readMergedCount: p.read_merged_count!,
    writeMergedCount: p.write_merged_count!, busyTime: p.busy_time!,
  };
}

// ------------------------------------------------------------------ wrap.ts

describe('wrapNumbers (psutil nowrap)', () => {
  it('returns the first sample as is and leaves monotonic counters alone', () => {
    expect(wrapNumbers({ a: [1, 2] }, 't')).toEqual({ a: [1, 2] });
    expect(wrapNumbers({ a: [5, 2] }, 't')).toEqual({ a: [5, 2] });
  });

  it('adds the previous raw value when a counter wraps, once and twice', () => {
    wrapNumbers({ a: [4294967000, 7] }, 't');
    // wrapped: 4294967000 is added from now on
    expect(wrapNumbers({ a: [100, 8] }, 't')).toEqual({ a: [4294967100, 8] });
    expect(wrapNumbers({ a: [300, 9] }, 't')).toEqual({ a: [4294967300, 9] });
    // wraps again: the offset grows by the last raw value (300)
    expect(wrapNumbers({ a: [50, 10] }, 't')).toEqual({ a: [4294967350, 10] });
  });

  it('returns a new key raw, and forgets a removed key (its offsets too)', () => {
    wrapNumbers({ a: [10], b: [10] }, 't');
    expect(wrapNumbers({ a: [5], b: [20] }, 't')).toEqual({ a: [15], b: [20] });
    expect(wrapNumbers({ b: [30], c: [1] }, 't')).toEqual({ b: [30], c: [1] });
    // 'a' comes back: no history, no offset
    expect(wrapNumbers({ a: [7], b: [40], c: [2] }, 't')).toEqual({ a: [7], b: [40], c: [2] });
  });

  it('keeps one cache per function name, and resetNowrapCache(name) clears only that one', () => {
    wrapNumbers({ a: [10] }, 'x');
    wrapNumbers({ a: [10] }, 'y');
    expect(wrapNumbers({ a: [1] }, 'x')).toEqual({ a: [11] });
    resetNowrapCache('x');
    expect(wrapNumbers({ a: [0] }, 'x')).toEqual({ a: [0] });
    expect(wrapNumbers({ a: [2] }, 'y')).toEqual({ a: [12] });
    resetNowrapCache();
    expect(wrapNumbers({ a: [1] }, 'y')).toEqual({ a: [1] });
  });

  it('does not modify its input', () => {
    wrapNumbers({ a: [10] }, 't');
    const input = { a: [3] };
    wrapNumbers(input, 't');
    expect(input).toEqual({ a: [3] });
  });
});

// ------------------------------------------------------------------ parsers

describe('parseFilesystems', () => {
  it('splits nodev and device-backed types (captured here)', () => {
    const fs = parseFilesystems(fixture('filesystems'));
    expect([...fs.physical].sort()).toEqual(['btrfs', 'erofs', 'ext2', 'ext3', 'ext4', 'fuseblk', 'squashfs', 'xfs']);
    expect(fs.nodev.has('tmpfs')).toBe(true);
    expect(fs.nodev.has('proc')).toBe(true);
    expect(fs.physical.has('tmpfs')).toBe(false);
  });

  it('sees zfs as nodev (diskPartitions adds it back)', () => {
    const fs = parseFilesystems(fixture('filesystems-zfs'));
    expect(fs.nodev.has('zfs')).toBe(true);
    expect([...fs.physical].sort()).toEqual(['btrfs', 'ext4', 'vfat', 'xfs']);
  });

  it('rejects a nodev line without a name', () => {
    expect(() => parseFilesystems('nodev\n')).toThrow(ParseError);
  });

  it('survives fuzzing', () => {
    fuzzParser(parseFilesystems, [fixture('filesystems'), fixture('filesystems-zfs')]);
  });
});

describe('parseDiskstats', () => {
  it('reads every line length: 14, 18 (4.18+), 20 (5.5+), 7 (old partition), 15 (2.4), and longer', () => {
    const d = parseDiskstats(fixture('diskstats-lengths'));
    expect(Object.keys(d)).toEqual(['sda', 'sda1', 'sda2', 'sda3', 'nvme0n1', 'hda']);
    expect(d.sda).toEqual({ reads: 100, readsMerged: 10, readSectors: 2000, readTime: 300, writes: 50, writesMerged: 5, writeSectors: 1000, writeTime: 400, busyTime: 500 });
    expect(d.sda1).toEqual({ reads: 90, readsMerged: 9, readSectors: 1800, readTime: 280, writes: 45, writesMerged: 4, writeSectors: 900, writeTime: 380, busyTime: 450 });
    expect(d.sda2).toEqual({ reads: 10, readsMerged: 1, readSectors: 200, readTime: 20, writes: 5, writesMerged: 1, writeSectors: 100, writeTime: 20, busyTime: 50 });
    // old partition line: reads, read sectors, writes, write sectors only
    expect(d.sda3).toEqual({ reads: 4, readsMerged: 0, readSectors: 32, readTime: 0, writes: 2, writesMerged: 0, writeSectors: 16, writeTime: 0, busyTime: 0 });
    expect(d.nvme0n1).toEqual({ reads: 1, readsMerged: 2, readSectors: 3, readTime: 4, writes: 5, writesMerged: 6, writeSectors: 7, writeTime: 8, busyTime: 10 });
    // 2.4: `major minor #blocks name` then the counters
    expect(d.hda).toEqual({ reads: 446216, readsMerged: 784926, readSectors: 9550688, readTime: 4382310, writes: 424847, writesMerged: 312726, writeSectors: 5922052, writeTime: 19310380, busyTime: 3376340 });
  });

  it('reads the diskstats captured here (17 counters per line, kernel 6.x)', () => {
    const d = parseDiskstats(fixture('diskstats'));
    expect(Object.keys(d)).toEqual(['loop0', 'loop1', 'loop2', 'loop3', 'loop4', 'loop5', 'loop6', 'loop7', 'vda', 'zram0']);
    expect(d.vda).toEqual({ reads: 16805, readsMerged: 6400, readSectors: 1506530, readTime: 14790, writes: 1899, writesMerged: 7373, writeSectors: 686848, writeTime: 2639, busyTime: 2640 });
  });

  it('rejects line lengths it cannot interpret and non-numbers', () => {
    expect(() => parseDiskstats('8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13\n')).toThrow(ParseError); // 16 fields
    expect(() => parseDiskstats('8 0 sda 1 2 3\n')).toThrow(ParseError);
    expect(() => parseDiskstats('8 0 sda 1 2 x 4 5 6 7 8 9 10 11\n')).toThrow(ParseError);
  });

  it('survives fuzzing', () => {
    fuzzParser(parseDiskstats, [fixture('diskstats'), fixture('diskstats-lengths')]);
  });
});

describe('parseBlockStat', () => {
  it('reads a sysfs block stat file (17 counters here)', () => {
    expect(parseBlockStat('   16805     6400  1506530    14790     1899     7373   686848     2639        0     2640    17619     3337       31    77080      185       87        3\n'))
      .toEqual({ reads: 16805, readsMerged: 6400, readSectors: 1506530, readTime: 14790, writes: 1899, writesMerged: 7373, writeSectors: 686848, writeTime: 2639, busyTime: 2640 });
  });
  it('rejects a short file', () => {
    expect(() => parseBlockStat('1 2 3\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => {
    fuzzParser(parseBlockStat, [fixture('sysfs-only/sys/block/sda/stat'), fixture('sysfs-only/sys/block/sda/sda1/stat')]);
  });
});

describe('usageFromStatvfs (diskUsage arithmetic)', () => {
  it('total = blocks×frsize, used = total − bfree×frsize, free = bavail×frsize; percent 0 when nothing is usable', () => {
    expect(usageFromStatvfs({ frsize: 4096, blocks: 1000, bfree: 300, bavail: 250 })).toEqual({ total: 4096000, used: 2867200, free: 1024000, percent: 73.7 });
    expect(usageFromStatvfs({ frsize: 4096, blocks: 0, bfree: 0, bavail: 0 })).toEqual({ total: 0, used: 0, free: 0, percent: 0 });
  });

  describePsutil('percent rounding', () => {
    it('rounds like Python\'s round(x, 1) (ties to even) — psutil._common.usage_percent on the same numbers', () => {
      // (used, free) in blocks: exact .x5 ties (1/400 → 0.25, 3/400, 1/16 → 6.25, 3/16), and ordinary values
      const pairs: [number, number][] = [[1, 399], [3, 397], [1, 15], [3, 13], [5, 11], [1, 7], [7, 1], [2, 3], [1, 2], [123456, 654321], [999, 1], [1, 999999]];
      for (let i = 0; i < 40; i++) pairs.push([Math.floor(Math.random() * 1e7), Math.floor(Math.random() * 1e7) + 1]);
      const theirs = psutil<number[]>(`[psutil._common.usage_percent(u, u + f, round_=1) for (u, f) in ${JSON.stringify(pairs)}]`);
      const ours = pairs.map(([u, f]) => usageFromStatvfs({ frsize: 1, blocks: u + f, bfree: f, bavail: f }).percent);
      expect(ours).toEqual(theirs);
    });
  });
});

// ------------------------------------------------------------------ functions on fixture trees

describe('diskPartitions on a fixture tree', () => {
  it('all: every mount in order, none → "" (psutil)', () => {
    setProcfsPath(join(FIX, 'tree', 'proc'));
    const p = diskPartitions({ all: true });
    expect(p).toHaveLength(12);
    expect(p.find((e) => e.mountpoint === '/run/none')!.device).toBe('');
  });

  it('physical only: device-backed fstypes plus zfs, no empty device', () => {
    setProcfsPath(join(FIX, 'tree', 'proc'));
    // The real sysfs, so that /dev/root resolves as psutil resolves it (psutil reads /sys itself).
    const p = diskPartitions();
    expect(p.map((e) => e.mountpoint)).toEqual([
      '/', '/mnt/my disk', '/mnt/tab\there', '/mnt/new\nline', '/mnt/back\\slash', '/mnt/a b\\c', '/tank/data',
      '/rootfs-test', '/mnt/spaced', '/mnt/unknown\\043hash',
    ]);
    // nfs4 and tmpfs are nodev; zfs is nodev but kept
    expect(p.find((e) => e.fstype === 'zfs')).toEqual({ device: 'tank/data', mountpoint: '/tank/data', fstype: 'zfs', opts: 'rw,xattr' });
  });

  describePsutil('same tree through psutil.PROCFS_PATH', () => {
    it('equals psutil.disk_partitions(all=...) field for field, /dev/root resolution included', () => {
      const proc = join(FIX, 'tree', 'proc');
      setProcfsPath(proc);
      for (const all of [false, true]) {
        const theirs = psutil<Record<string, unknown>[]>(`(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(proc)}), psutil.disk_partitions(all=${all ? 'True' : 'False'}))[1]`)
          .map((x) => ({ device: x.device, mountpoint: x.mountpoint, fstype: x.fstype, opts: x.opts }));
        expect(diskPartitions({ all })).toEqual(theirs);
      }
    });
  });
});

describe('diskIoCounters on a fixture tree', () => {
  const useTree = (): void => {
    setProcfsPath(join(FIX, 'tree', 'proc'));
    setSysfsPath(join(FIX, 'tree', 'sys'));
  };

  it('perdisk: every name the kernel lists, partitions included; bytes = sectors × 512', () => {
    useTree();
    const d = diskIoCounters({ perdisk: true });
    expect(Object.keys(d)).toEqual(['loop0', 'sda', 'sda1', 'sda2', 'nvme0n1', 'nvme0n1p1', 'cciss/c0d0']);
    expect(d.sda).toEqual({ readCount: 1000, writeCount: 500, readBytes: 20000 * 512, writeBytes: 10000 * 512, readTime: 3000, writeTime: 4000, readMergedCount: 100, writeMergedCount: 50, busyTime: 5000 });
  });

  it('totals: only names under /sys/block (whole disks; cciss/c0d0 is cciss!c0d0 there)', () => {
    useTree();
    expect(diskIoCounters()).toEqual({
      readCount: 5 + 1000 + 10 + 1, writeCount: 0 + 500 + 20 + 1,
      readBytes: (40 + 20000 + 80 + 8) * 512, writeBytes: (0 + 10000 + 160 + 8) * 512,
      readTime: 1 + 3000 + 2 + 1, writeTime: 0 + 4000 + 4 + 1,
      readMergedCount: 0 + 100 + 1 + 0, writeMergedCount: 0 + 50 + 2 + 0, busyTime: 1 + 5000 + 6 + 2,
    });
  });

  it('falls back to /sys/block/*/stat (and partitions below) when diskstats is missing', () => {
    setProcfsPath(join(FIX, 'sysfs-only', 'proc'));
    setSysfsPath(join(FIX, 'sysfs-only', 'sys'));
    const d = diskIoCounters({ perdisk: true });
    expect(Object.keys(d).sort()).toEqual(['sda', 'sda1', 'vdb']);
    expect(d.sda1!.readBytes).toBe(18000 * 512);
    expect(diskIoCounters()!.readCount).toBe(1000 + 7);
  });

  it('returns null (psutil: None) when there are no disks, {} with perdisk', () => {
    setProcfsPath(join(FIX, 'empty'));
    expect(diskIoCounters()).toBeNull();
    expect(diskIoCounters({ perdisk: true })).toEqual({});
    // diskstats lists sda, but no whole disk exists under this sysfs root
    setProcfsPath(join(FIX, 'wrap', '3'));
    setSysfsPath(join(FIX, 'empty'));
    expect(diskIoCounters()).toBeNull();
  });

  it('throws a PtoolsError when neither diskstats nor /sys/block exists', () => {
    setProcfsPath(join(FIX, 'empty', 'nowhere'));
    setSysfsPath(join(FIX, 'empty', 'nowhere'));
    expect(() => diskIoCounters()).toThrow(PtoolsError);
  });

  it('nowrap on a wrapping sequence (32-bit counters), and nowrap: false gives raw values', () => {
    setSysfsPath(join(FIX, 'tree', 'sys'));
    const seq = ['1', '2', '3'].map((i) => join(FIX, 'wrap', i));
    const totals = seq.map((p) => {
      setProcfsPath(p);
      return diskIoCounters()!;
    });
    // sda only (sda1 is a partition): reads 4294967000 → 100 (wrapped) → 200
    expect(totals.map((t) => t.readCount)).toEqual([4294967000, 4294967100, 4294967200]);
    expect(totals.map((t) => t.readBytes)).toEqual([4294967200 * 512, (4294967200 + 300) * 512, (4294967200 + 400) * 512]);
    expect(totals.map((t) => t.writeCount)).toEqual([10, 11, 12]);
    setProcfsPath(seq[1]!);
    expect(diskIoCounters({ nowrap: false })!.readCount).toBe(100);
  });

  describePsutil('wrap sequence through psutil.PROCFS_PATH', () => {
    it('perdisk nowrap results equal psutil for the same sequence (sda1 disappears in step 3)', () => {
      const seq = ['1', '2', '3'].map((i) => join(FIX, 'wrap', i));
      const theirs = psutil<Record<string, Record<string, number>>[]>(
        `[(setattr(psutil, 'PROCFS_PATH', p), psutil.disk_io_counters(perdisk=True))[1] for p in ${JSON.stringify(seq)}]`,
      );
      const ours = seq.map((p) => {
        setProcfsPath(p);
        return diskIoCounters({ perdisk: true });
      });
      expect(ours).toEqual(theirs.map((step) => Object.fromEntries(Object.entries(step).map(([k, v]) => [k, fromPsutilIo(v)]))));
    });
  });
});

// ------------------------------------------------------------------ against the machine

describePsutil('disks on this machine', () => {
  it('diskPartitions({all}) equals psutil.disk_partitions(all) (device, mountpoint, fstype, opts)', () => {
    for (const all of [false, true]) {
      const theirs = psutil<Record<string, unknown>[]>(`psutil.disk_partitions(all=${all ? 'True' : 'False'})`)
        .map((x) => ({ device: x.device, mountpoint: x.mountpoint, fstype: x.fstype, opts: x.opts }));
      expect(diskPartitions({ all })).toEqual(theirs);
    }
  });

  // Disk usage moves while tests (and other work) write to the disk: total is
  // static and must be equal; used/free may move by up to 64 MiB between the
  // two calls, and percent by 0.1 (one rounding step) plus what 64 MiB moves it.
  it('diskUsage equals psutil.disk_usage for every mountpoint and "/" (total exact; used/free within 64 MiB)', () => {
    const mountpoints = [...new Set(['/', ...diskPartitions({ all: true }).map((p) => p.mountpoint)])];
    const theirs = psutil<Record<string, number>[]>(`[psutil.disk_usage(p) for p in ${JSON.stringify(mountpoints)}]`);
    mountpoints.forEach((mp, i) => {
      const ours = diskUsage(mp);
      const t = theirs[i]!;
      expect(ours.total, mp).toBe(t.total);
      expect(Math.abs(ours.used - t.used!), mp).toBeLessThanOrEqual(64 * MiB);
      expect(Math.abs(ours.free - t.free!), mp).toBeLessThanOrEqual(64 * MiB);
      const slack = ours.used + ours.free > 0 ? (64 * MiB * 100) / (ours.used + ours.free) + 0.1 : 0;
      expect(Math.abs(ours.percent - t.percent!), mp).toBeLessThanOrEqual(slack);
    });
  });

  it('diskUsage on a missing path throws the errno error (psutil: FileNotFoundError)', () => {
    const py = spawnSync(PYTHON, ['-c', 'import psutil\ntry:\n  psutil.disk_usage("/no/such/dir")\nexcept OSError as e:\n  print(type(e).__name__, e.errno)'], { encoding: 'utf8' });
    expect(py.stdout.trim()).toBe('FileNotFoundError 2');
    let err: unknown;
    try {
      diskUsage('/no/such/dir');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'statvfs', path: '/no/such/dir' });
  });

  // Counters only grow (nowrap), so psutil's sample, taken between two ptools
  // samples, must lie between them field by field: no tolerance needed.
  it('diskIoCounters({perdisk}) has psutil\'s keys, and psutil\'s counters lie between two ptools samples', () => {
    const before = diskIoCounters({ perdisk: true });
    const theirs = psutil<Record<string, Record<string, number>>>('psutil.disk_io_counters(perdisk=True)');
    const after = diskIoCounters({ perdisk: true });
    expect(Object.keys(before)).toEqual(Object.keys(theirs));
    expect(Object.keys(after)).toEqual(Object.keys(theirs));
    for (const [name, t] of Object.entries(theirs)) {
      const p = fromPsutilIo(t);
      for (const k of Object.keys(p) as (keyof DiskIoCounters)[]) {
        expect(before[name]![k], `${name}.${k}`).toBeLessThanOrEqual(p[k]);
        expect(p[k], `${name}.${k}`).toBeLessThanOrEqual(after[name]![k]);
      }
    }
  });

  it('diskIoCounters() totals: psutil\'s lie between two ptools samples', () => {
    const before = diskIoCounters()!;
    const theirs = fromPsutilIo(psutil<Record<string, number>>('psutil.disk_io_counters()'));
    const after = diskIoCounters()!;
    for (const k of Object.keys(theirs) as (keyof DiskIoCounters)[]) {
      expect(before[k], k).toBeLessThanOrEqual(theirs[k]);
      expect(theirs[k], k).toBeLessThanOrEqual(after[k]);
    }
  });
});

describeCommand('df', 'diskUsage vs df -B1 -P', () => {
  // df: 1B-blocks = f_blocks×f_frsize (= total), Used = total − f_bfree×f_frsize,
  // Available = f_bavail×f_frsize (= free). Same 64 MiB allowance for used/free as above.
  it('matches df for the physical partitions, "/" and /dev/shm', () => {
    const mountpoints = [...new Set(['/', '/dev/shm', ...diskPartitions().map((p) => p.mountpoint)])];
    for (const mp of mountpoints) {
      const ours = diskUsage(mp);
      const line = sh('df', ['-B1', '-P', mp]).trim().split('\n')[1]!;
      const f = line.trim().split(/\s+/);
      // the last field is the mountpoint, before it Capacity, Available, Used, 1B-blocks
      const [blocks, used, avail] = f.slice(-5, -2).map(Number) as [number, number, number];
      expect(ours.total, mp).toBe(blocks);
      expect(Math.abs(ours.used - used), mp).toBeLessThanOrEqual(64 * MiB);
      expect(Math.abs(ours.free - avail), mp).toBeLessThanOrEqual(64 * MiB);
      // df rounds Use% up; ours rounds to one decimal
      const cap = Number(f[f.length - 2]!.replace('%', ''));
      expect(Math.abs(ours.percent - cap), mp).toBeLessThan(1.1);
    }
  });
});
