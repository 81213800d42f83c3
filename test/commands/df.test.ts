/**
 * ptools df vs coreutils 9.1 df: the pieces (sizes, block-size parsing,
 * getopt, quoting, Use%), coreutils' mount selection rules on fake mount
 * tables, a fidelity suite against /usr/bin/df on this machine and in a
 * private mount namespace with crafted mounts, bad input, --json, the
 * launcher.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { collect, fieldValues, fsUsageFromStatvfs, parseArgs, percent, toJson, type DfOptions, type DfSystem } from '../../src/commands/df/index.js';
import { HUMAN, humanOptions, humanReadable, LONGINT, strtolErrorMessage, UINTMAX_MAX, xstrtoumax } from '../../src/commands/df/human.js';
import { quote, quoteaf, quotef, strerror } from '../../src/text/quote.js';
import type { MountTableEntry, PathStat } from '../../src/core/system/mounts.js';
import { describeCommand } from '../helpers/oracle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DF = '/usr/bin/df';
const BASE_ENV: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
for (const k of ['DF_BLOCK_SIZE', 'BLOCK_SIZE', 'BLOCKSIZE', 'POSIXLY_CORRECT']) delete BASE_ENV[k];

interface Result {
  stdout: string;
  stderr: string;
  status: number;
}

async function ptools(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const io = bufferIO({ prog: 'df', env: { ...BASE_ENV, ...env } });
  const status = await run(['df', ...args], io);
  return { stdout: io.stdout(), stderr: io.stderr(), status };
}

function realDf(args: string[], env: NodeJS.ProcessEnv = {}): Result {
  // argv0 'df': coreutils names itself after argv[0] in its messages.
  const r = spawnSync(DF, args, { encoding: 'utf8', env: { ...BASE_ENV, ...env }, argv0: 'df' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

// ------------------------------------------------------------------ sizes

describe('humanReadable (gnulib human_readable)', () => {
  const h = HUMAN.autoscale | HUMAN.SI | HUMAN.base1024; // df -h
  const H = HUMAN.autoscale | HUMAN.SI; // df -H
  it('-h: powers of 1024, one decimal below 10, always rounded up', () => {
    const cases: [number, string][] = [
      [0, '0'], [1, '1'], [1023, '1023'], [1024, '1.0K'], [1025, '1.1K'], [4096, '4.0K'], [10 * 1024 - 1, '10K'],
      [10 * 1024, '10K'], [10 * 1024 + 1, '11K'], [1048575, '1.0M'], [1048576, '1.0M'], [1048577, '1.1M'],
      [1023 * 1048576, '1023M'], [1023 * 1048576 + 1, '1.0G'], [1024 * 1048576 - 1, '1.0G'], [270553174016, '252G'], [12630552576, '12G'],
    ];
    for (const [n, s] of cases) expect(humanReadable(BigInt(n), h, 1n, 1n), String(n)).toBe(s);
  });

  it('-H: powers of 1000 with a lower-case k', () => {
    const cases: [number, string][] = [[999, '999'], [1000, '1.0k'], [4096, '4.1k'], [270553174016, '271G'], [12630552576, '13G'], [9_950_000, '10M'], [9_900_001, '10M'], [9_900_000, '9.9M']];
    for (const [n, s] of cases) expect(humanReadable(BigInt(n), H, 1n, 1n), String(n)).toBe(s);
  });

  it('scales input units to output units exactly, rounding up', () => {
    expect(humanReadable(3n, 0, 4096n, 1024n)).toBe('12');
    expect(humanReadable(3n, 0, 1024n, 4096n)).toBe('1'); // 0.75 → 1
    expect(humanReadable(8n, 0, 1024n, 4096n)).toBe('2');
    expect(humanReadable(66053021n, 0, 4096n, 1048576n)).toBe('258020'); // 258019.6 → up
  });

  it('falls back on x87 long double when units do not divide (what -B 1000 and -B 1536 print)', () => {
    // Ground truth from coreutils on this machine: 4096-byte blocks in kB and 1536-byte units.
    expect(humanReadable(3083631n, 0, 4096n, 1000n)).toBe('12630553');
    expect(humanReadable(125n, 0, 4096n, 1000n)).toBe('512'); // an exact product stays exact
    expect(humanReadable(6171024n, 0, 4096n, 1536n)).toBe('16456064');
    expect(humanReadable(66053021n, 0, 4096n, 1536n)).toBe('176141390');
    expect(humanReadable(5n, 0, 0n, 1024n)).toBe('0'); // a zero input unit
  });

  it('SI letters and B for a -B unit without a number (K, MB, MiB)', () => {
    expect(humanReadable(3083631n, HUMAN.SI | HUMAN.base1024, 4096n, 1048576n)).toBe('12046M');
    expect(humanReadable(3083631n, HUMAN.SI | HUMAN.B, 4096n, 1000000n)).toBe('12631MB');
    expect(humanReadable(3083631n, HUMAN.SI | HUMAN.B | HUMAN.base1024, 4096n, 1048576n)).toBe('12046MiB');
    expect(humanReadable(0n, HUMAN.SI | HUMAN.base1024, 4096n, 1024n)).toBe('0K');
  });

  it('header sizes (suppress .0, prefer the exact base): 1K, 1kB, 1.6kB, 512B, 2K, 1M', () => {
    const hdr = HUMAN.suppressPointZero | HUMAN.autoscale | HUMAN.SI;
    expect(humanReadable(1024n, hdr | HUMAN.base1024, 1n, 1n)).toBe('1K');
    expect(humanReadable(1000n, hdr | HUMAN.B, 1n, 1n)).toBe('1kB');
    expect(humanReadable(1536n, hdr | HUMAN.B, 1n, 1n)).toBe('1.6kB');
    expect(humanReadable(512n, hdr | HUMAN.B, 1n, 1n)).toBe('512B');
    expect(humanReadable(2048n, hdr | HUMAN.base1024, 1n, 1n)).toBe('2K');
    expect(humanReadable(1048576n, hdr | HUMAN.base1024, 1n, 1n)).toBe('1M');
  });
});

describe('humanReadable properties', () => {
  it('plain output is the exact quotient rounded up whenever one unit divides the other', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 50n) }), fc.constantFrom(1n, 512n, 1024n, 4096n, 65536n), fc.constantFrom(1n, 2n, 512n, 1024n, 1048576n, 1n << 30n), (n, from, to) => {
        const exact = (n * from + to - 1n) / to;
        expect(humanReadable(n, 0, from, to)).toBe(exact.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('-h output never understates: value × unit ≥ the exact size, and is within one printed step of it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 60n) }), (n) => {
        const s = humanReadable(n, HUMAN.autoscale | HUMAN.SI | HUMAN.base1024, 1n, 1n);
        const m = /^(\d+)(?:\.(\d))?([KMGTPE]?)$/.exec(s)!;
        expect(m, s).not.toBeNull();
        const mult = 1024n ** BigInt('KMGTPE'.indexOf(m[3]!) + 1);
        const scale = m[3] ? mult : 1n;
        const tenths = BigInt(m[1]!) * 10n + BigInt(m[2] ?? '0');
        // shown (in tenths of bytes) is at least the size and at most one printed step above it.
        const shownTenths = tenths * scale;
        const stepTenths = m[2] !== undefined ? scale : scale * 10n;
        expect(shownTenths >= n * 10n, `${n} → ${s}`).toBe(true);
        expect(shownTenths - n * 10n < stepTenths, `${n} → ${s}`).toBe(true);
        if (m[2] !== undefined) expect(Number(m[1]) < 10, s).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('block-size parsing never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const r = humanOptions(s, {});
        expect(r.blockSize > 0n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('humanOptions / xstrtoumax (block sizes)', () => {
  const env = {};
  it('numbers, suffixes and their bases', () => {
    const bs = (s: string): bigint => humanOptions(s, env).blockSize;
    expect(bs('1K')).toBe(1024n);
    expect(bs('1KiB')).toBe(1024n);
    expect(bs('1KB')).toBe(1000n);
    expect(bs('1kB')).toBe(1000n);
    expect(bs('1M')).toBe(1048576n);
    expect(bs('2G')).toBe(2n << 30n);
    expect(bs('1E')).toBe(1n << 60n);
    expect(bs('0x10')).toBe(16n);
    expect(bs('010')).toBe(8n);
    expect(bs('1000')).toBe(1000n);
    expect(bs('  1K')).toBe(1024n);
  });

  it('a unit alone prints the unit; human-readable/si (and prefixes) autoscale', () => {
    expect(humanOptions('K', env)).toEqual({ opts: HUMAN.SI | HUMAN.base1024, blockSize: 1024n, err: 0 });
    expect(humanOptions('MB', env)).toEqual({ opts: HUMAN.SI | HUMAN.B, blockSize: 1000000n, err: 0 });
    expect(humanOptions('MiB', env)).toEqual({ opts: HUMAN.SI | HUMAN.B | HUMAN.base1024, blockSize: 1048576n, err: 0 });
    expect(humanOptions('1M', env).opts).toBe(0);
    expect(humanOptions('hu', env)).toEqual({ opts: HUMAN.autoscale | HUMAN.SI | HUMAN.base1024, blockSize: 1n, err: 0 });
    expect(humanOptions('s', env)).toEqual({ opts: HUMAN.autoscale | HUMAN.SI, blockSize: 1n, err: 0 });
    expect(humanOptions("'1K", env).opts).toBe(HUMAN.groupDigits);
  });

  it('errors: invalid, bad suffix, too large, zero; defaults from the environment', () => {
    expect(humanOptions('x', env).err).toBe(LONGINT.INVALID);
    expect(humanOptions('', env).err).toBe(LONGINT.INVALID);
    expect(humanOptions('-1', env).err).toBe(LONGINT.INVALID);
    expect(humanOptions('0', env)).toEqual({ opts: 0, blockSize: 1024n, err: LONGINT.INVALID });
    expect(humanOptions('1x', env).err).toBe(LONGINT.INVALID_SUFFIX_CHAR);
    expect(humanOptions('1Ki', env).err).toBe(LONGINT.INVALID_SUFFIX_CHAR);
    expect(humanOptions('1e3', env).err).toBe(LONGINT.INVALID_SUFFIX_CHAR);
    expect(humanOptions('1Z', env).err).toBe(LONGINT.OVERFLOW);
    expect(humanOptions('16E', env).err).toBe(LONGINT.OVERFLOW);
    expect(xstrtoumax('99999999999999999999999', 'KM0')).toMatchObject({ err: LONGINT.OVERFLOW, value: UINTMAX_MAX });
    expect(humanOptions(undefined, {}).blockSize).toBe(1024n);
    expect(humanOptions(undefined, { POSIXLY_CORRECT: '1' }).blockSize).toBe(512n);
    expect(humanOptions(undefined, { BLOCK_SIZE: '1M' }).blockSize).toBe(1048576n);
    expect(humanOptions(undefined, { BLOCKSIZE: '4K' }).blockSize).toBe(4096n);
    expect(strtolErrorMessage(LONGINT.INVALID, '-B', 'x')).toBe("invalid -B argument 'x'");
    expect(strtolErrorMessage(LONGINT.INVALID_SUFFIX_CHAR | LONGINT.OVERFLOW, '--block-size', '9Zx')).toBe("invalid suffix in --block-size argument '9Zx'");
    expect(strtolErrorMessage(LONGINT.OVERFLOW, '-B', '1Y')).toBe("-B argument '1Y' too large");
  });
});

describe('quoting and strerror', () => {
  it('quotef: plain names as they are, shell-escaped otherwise (colons too)', () => {
    expect(quotef('/tmp/x')).toBe('/tmp/x');
    expect(quotef('a@b]c_%+,')).toBe('a@b]c_%+,');
    expect(quotef('')).toBe("''");
    expect(quotef('a b')).toBe("'a b'");
    expect(quotef('a:b')).toBe("'a:b'");
    expect(quotef('~x')).toBe("'~x'");
    expect(quotef('x~')).toBe('x~');
    expect(quotef('$x')).toBe("'$x'");
    expect(quotef("it's")).toBe('"it\'s"');
    expect(quotef("it's $x")).toBe("'it'\\''s $x'");
    expect(quotef('x\ny')).toBe("'x'$'\\n''y'");
    expect(quotef('x\n')).toBe("'x'$'\\n'");
    expect(quotef('é')).toBe("''$'\\303\\251'");
    expect(quotef('é', { LANG: 'en_US.UTF-8' })).toBe('é');
    expect(quoteaf('x')).toBe("'x'");
  });

  it("quote: 'x' in the C locale, ‘x’ in UTF-8, with backslash escapes", () => {
    expect(quote('foo')).toBe("'foo'");
    expect(quote("a'b")).toBe("'a\\'b'");
    expect(quote('')).toBe("''");
    expect(quote('foo', { LC_ALL: 'C.UTF-8' })).toBe('\u2018foo\u2019');
    expect(quote("a'b", { LANG: 'en_US.utf8' })).toBe("\u2018a'b\u2019");
  });

  it('strerror: glibc texts for Node and addon errors', () => {
    expect(strerror(Object.assign(new Error("ENOENT: no such file or directory, stat '/x'"), { code: 'ENOENT' }))).toBe('No such file or directory');
    expect(strerror(Object.assign(new Error("EWHAT: Some new error, statvfs '/x'"), { code: 'EWHAT' }))).toBe('Some new error');
  });
});

describe('Use% (exact integer rule, rounded up)', () => {
  const fsu = (blocks: number, bfree: number, bavail: number, files = 0, ffree = 0) =>
    fsUsageFromStatvfs({ bsize: 4096, frsize: 4096, blocks, bfree, bavail, files, ffree, favail: ffree, flag: 0, namemax: 255 });
  it('used / (used + available) with root reserve excluded, ceiling', () => {
    expect(percent(fieldValues(fsu(100, 50, 45), 1024n).block)).toBe(53); // 50/95 = 52.6
    expect(percent(fieldValues(fsu(125, 84, 84), 1024n).block)).toBe(33); // 41/125 = 32.8
    expect(percent(fieldValues(fsu(100, 0, 0), 1024n).block)).toBe(100);
    expect(percent(fieldValues(fsu(100, 100, 100), 1024n).block)).toBe(0);
    expect(percent(fieldValues(fsu(0, 0, 0), 1024n).block)).toBeNull(); // df prints '-'
    expect(percent(fieldValues(fsu(1000, 1, 1, 10, 9), 1024n).inode)).toBe(10);
    expect(percent(fieldValues(fsu(0, 0, 0, 0, 0), 1024n).inode)).toBeNull();
  });
});

// ------------------------------------------------------------------ selection rules on fake tables

interface FakeFs {
  dev: number;
  blocks?: number;
  bfree?: number;
  bavail?: number;
  files?: number;
  ffree?: number;
  kind?: 'block' | 'char' | 'dir' | 'file';
}

type FakeMount = [source: string, mountpoint: string, fstype: string, dev: number, extra?: Partial<MountTableEntry>];

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: x, stat '${path}'`), { code, errno: -1, path });
}

function fakeSystem(mounts: FakeMount[], paths: Record<string, FakeFs | string>, links: Record<string, string> = {}, table?: () => MountTableEntry[]): DfSystem {
  const look = (p: string): FakeFs => {
    const v = paths[p];
    if (v === undefined) throw errno('ENOENT', p);
    if (typeof v === 'string') throw errno(v, p);
    return v;
  };
  const stat = (p: string): PathStat => {
    const v = look(p);
    return { dev: BigInt(v.dev), isBlockDevice: v.kind === 'block', isCharacterDevice: v.kind === 'char', isDirectory: (v.kind ?? 'dir') === 'dir' };
  };
  return {
    mountTable:
      table ??
      (() =>
        mounts.map(([source, mountpoint, fstype, dev, extra]) => ({
          source,
          mountpoint,
          fstype,
          dev: BigInt(dev),
          root: '/',
          options: 'rw',
          dummy: ['proc', 'sysfs', 'devpts'].includes(fstype),
          remote: source.includes(':'),
          ...extra,
        }))),
    stat,
    statAutomount: stat,
    statvfs: (p) => {
      const v = look(p);
      return { bsize: 1024, frsize: 1024, blocks: v.blocks ?? 100, bfree: v.bfree ?? 60, bavail: v.bavail ?? 50, files: v.files ?? 10, ffree: v.ffree ?? 5, favail: v.ffree ?? 5, flag: 0, namemax: 255 };
    },
    realPath: (p) => links[p] ?? (p.startsWith('/') && paths[p] !== undefined ? p : undefined),
    findMountPoint: () => '/found',
    sync: () => undefined,
  };
}

function optsFor(args: string[]): DfOptions {
  const r = parseArgs(args, 'df', {});
  if (r.kind !== 'run') throw new Error('not a run');
  return r.opts;
}

function rowsOf(args: string[], sys: DfSystem): string[] {
  const d = collect(optsFor(args), sys, 'df', {});
  return d.entries.map((e) => `${e.source} ${e.target}${e.fsu.blocks === UINTMAX_MAX ? ' ?' : ''}`);
}

describe('which filesystems df shows (coreutils filter_mount_list / get_dev rules)', () => {
  it('a device mounted twice: the shorter mount point, in the first one’s place', () => {
    const sys = fakeSystem([['/dev/sda1', '/srv/deep/dir', 'ext4', 1], ['tmpfs', '/tmp', 'tmpfs', 2], ['/dev/sda1', '/srv', 'ext4', 1]], { '/srv/deep/dir': { dev: 1 }, '/tmp': { dev: 2 }, '/srv': { dev: 1 } });
    expect(rowsOf([], sys)).toEqual(['/dev/sda1 /srv', 'tmpfs /tmp']);
    // -a lists every entry.
    expect(rowsOf(['-a'], sys)).toEqual(['/dev/sda1 /srv/deep/dir', 'tmpfs /tmp', '/dev/sda1 /srv']);
  });

  it('a bind mount of a deeper subtree does not replace a mount nearer the filesystem root', () => {
    const sys = fakeSystem(
      [['/dev/sda1', '/mnt/sub', 'ext4', 1, { root: '/sub' }], ['/dev/sda1', '/mnt', 'ext4', 1, { root: '/sub/deeper' }]],
      { '/mnt/sub': { dev: 1 }, '/mnt': { dev: 1 } },
    );
    expect(rowsOf([], sys)).toEqual(['/dev/sda1 /mnt/sub']);
  });

  it('a source with a / beats a pseudo name for the same device', () => {
    const sys = fakeSystem([['rootfs', '/', 'rootfs', 1], ['/dev/sda1', '/', 'ext4', 1]], { '/': { dev: 1 } });
    expect(rowsOf([], sys)).toEqual(['/dev/sda1 /']);
  });

  it('over-mounted directory: the top mount is shown; with -a the hidden one has unknown values', () => {
    const sys = fakeSystem([['srcA', '/mnt', 'tmpfs', 7], ['srcB', '/mnt', 'tmpfs', 8]], { '/mnt': { dev: 8 } });
    expect(rowsOf([], sys)).toEqual(['srcB /mnt']);
    expect(rowsOf(['-a'], sys)).toEqual(['srcA /mnt ?', 'srcB /mnt']);
    const d = collect(optsFor(['-a']), sys, 'df', {});
    expect(d.entries[0]!.fstype).toBe('-');
  });

  it('remote mounts of different exports on one device are all kept, unless totalling', () => {
    const sys = fakeSystem([['srv:/a', '/na', 'nfs', 9], ['srv:/b', '/nb', 'nfs', 9]], { '/na': { dev: 9 }, '/nb': { dev: 9 } });
    expect(rowsOf([], sys)).toEqual(['srv:/a /na', 'srv:/b /nb']);
    expect(rowsOf(['--total'], sys)).toEqual(['srv:/a /na', 'total -']);
    expect(rowsOf(['-l'], sys)).toEqual([]);
    expect(collect(optsFor(['-l']), sys, 'df', {}).processed).toBe(false);
  });

  it('pseudo and empty filesystems only with -a; relative mount points never', () => {
    const sys = fakeSystem(
      [['proc', '/proc', 'proc', 3], ['none', '/empty', 'tmpfs', 4], ['x', 'net:[1]', 'nsfs', 5], ['/dev/sda1', '/', 'ext4', 1]],
      { '/proc': { dev: 3 }, '/empty': { dev: 4, blocks: 0, bfree: 0, bavail: 0 }, 'net:[1]': { dev: 5 }, '/': { dev: 1 } },
    );
    expect(rowsOf([], sys)).toEqual(['/dev/sda1 /']);
    expect(rowsOf(['-a'], sys)).toEqual(['proc /proc', 'none /empty', '/dev/sda1 /']);
  });

  it('an inaccessible or vanished mount is skipped (shown as unknown with -a); other errors are reported', () => {
    const sys = fakeSystem(
      [['a', '/locked', 'tmpfs', 2], ['b', '/gone', 'tmpfs', 3], ['/dev/sda1', '/', 'ext4', 1]],
      { '/locked': 'EACCES', '/gone': 'ENOENT', '/': { dev: 1 } },
    );
    expect(rowsOf([], sys)).toEqual(['/dev/sda1 /']);
    expect(rowsOf(['-a'], sys)).toEqual(['a /locked ?', 'b /gone ?', '/dev/sda1 /']);
    const bad = fakeSystem([['a', '/broken', 'tmpfs', 2], ['/dev/sda1', '/', 'ext4', 1]], { '/broken': 'EIO', '/': { dev: 1 } });
    const d = collect(optsFor([]), bad, 'df', {});
    expect(d.errors).toEqual(['df: /broken: Input/output error\n']);
    expect(d.status).toBe(1);
    expect(d.entries.map((e) => e.target)).toEqual(['/']);
  });

  it('a source named like a UUID link is shown as what it points to', () => {
    const uuid = '/dev/disk/by-uuid/828fc648-9f30-43d8-a0b1-f7196a2edb66';
    const sys = fakeSystem([[uuid, '/data', 'ext4', 1]], { '/data': { dev: 1 } }, { [uuid]: '/dev/sdb1' });
    expect(rowsOf([], sys)).toEqual(['/dev/sdb1 /data']);
  });

  it('-t/-x filter types; the total row says "total" where the source column is missing', () => {
    const sys = fakeSystem([['t', '/t', 'tmpfs', 2], ['/dev/sda1', '/', 'ext4', 1]], { '/t': { dev: 2 }, '/': { dev: 1 } });
    expect(rowsOf(['-t', 'ext4'], sys)).toEqual(['/dev/sda1 /']);
    expect(rowsOf(['-x', 'ext4'], sys)).toEqual(['t /t']);
    const d = collect(optsFor(['--output=target,size', '--total']), sys, 'df', {});
    expect(d.entries.at(-1)).toMatchObject({ source: 'total', target: 'total', fstype: '-', isTotal: true });
    expect(d.entries.at(-1)!.fsu.blocks).toBe(2n * 100n * 1024n); // grand totals are kept in bytes
  });

  it('FILE arguments: the longest mount prefix, a real filesystem over a pseudo one, checked by device', () => {
    const sys = fakeSystem(
      [['/dev/sda1', '/', 'ext4', 1], ['auto', '/home', 'autofs', 6, { dummy: true }], ['/dev/sdb1', '/home', 'ext4', 2], ['t', '/home/u/tmp', 'tmpfs', 3]],
      { '/': { dev: 1 }, '/home': { dev: 2 }, '/home/u/tmp': { dev: 3 }, '/home/u/f': { dev: 2, kind: 'file' }, '/home/u/tmp/x': { dev: 3, kind: 'file' }, '/etc/x': { dev: 1, kind: 'file' } },
    );
    const d = collect(optsFor(['/home/u/f', '/home/u/tmp/x', '/etc/x', '/nope']), sys, 'df', {});
    expect(d.entries.map((e) => `${e.source} ${e.target} ${e.file}`)).toEqual(['/dev/sdb1 /home /home/u/f', 't /home/u/tmp /home/u/tmp/x', '/dev/sda1 / /etc/x']);
    expect(d.errors).toEqual(['df: /nope: ENOENT\n'.replace('ENOENT', 'No such file or directory')]);
    expect(d.status).toBe(1);
  });

  it('FILE on a device no mount explains: found by walking up, shown with an unknown source', () => {
    const sys = fakeSystem([['/dev/sda1', '/', 'ext4', 1]], { '/': { dev: 1 }, '/odd/f': { dev: 42, kind: 'file' }, '/found': { dev: 42 } });
    const d = collect(optsFor(['/odd/f']), sys, 'df', {});
    expect(d.entries.map((e) => `${e.source} ${e.target} ${e.fstype}`)).toEqual(['- /found -']);
  });

  it('a device FILE shows where it is mounted; one hidden by a later mount is reported', () => {
    const sys = fakeSystem(
      [['/dev/sda1', '/', 'ext4', 1], ['/dev/sdb1', '/mnt', 'ext4', 2], ['/dev/sdc1', '/mnt', 'ext4', 3]],
      { '/': { dev: 1 }, '/mnt': { dev: 3 }, '/dev/sda1': { dev: 0, kind: 'block' }, '/dev/sdb1': { dev: 0, kind: 'block' } },
    );
    const d = collect(optsFor(['/dev/sda1', '/dev/sdb1']), sys, 'df', {});
    expect(d.entries.map((e) => `${e.source} ${e.target} ${e.file}`)).toEqual(['/dev/sda1 / /dev/sda1']);
    expect(d.errors).toEqual(["df: cannot access '/dev/sdb1': over-mounted by another device\n"]);
  });

  it('an unreadable mount table: fatal without FILEs, a warning with them', () => {
    const broken = fakeSystem([], { '/': { dev: 1 }, '/f': { dev: 1, kind: 'file' }, '/found': { dev: 1 } }, {}, () => {
      throw errno('ENOENT', '/proc/self/mountinfo');
    });
    expect(() => collect(optsFor([]), broken, 'df', {})).toThrow(expect.objectContaining({ code: 1, stderr: 'df: cannot read table of mounted file systems: No such file or directory\n' }));
    const d = collect(optsFor(['/f']), broken, 'df', {});
    expect(d.errors[0]).toBe('df: Warning: cannot read table of mounted file systems: No such file or directory\n');
    expect(d.entries.map((e) => e.target)).toEqual(['/found']);
  });
});

// ------------------------------------------------------------------ fidelity

/** Column kinds from a header line. */
function columnKinds(header: string): ('text' | 'bytes' | 'inodes' | 'pct')[] {
  return header
    .replace('Mounted on', 'Mounted_on')
    .trim()
    .split(/\s+/)
    .map((h) => {
      if (['Inodes', 'IUsed', 'IFree'].includes(h)) return 'inodes';
      if (['Use%', 'IUse%', 'Capacity'].includes(h)) return 'pct';
      if (/-blocks$/.test(h) || ['Size', 'Used', 'Avail', 'Available'].includes(h)) return 'bytes';
      return 'text';
    });
}

const LETTERS = 'KMGTPEZY';

/** A number as df prints it, in bytes (or inodes) given the unit of plain numbers; with its rounding step. */
function parseNumber(tok: string, unit: number, base: number): { value: number; step: number } | null {
  const m = /^(-?\d+(?:\.\d+)?)([kKMGTPEZY]?)(iB|B)?%?$/.exec(tok);
  if (!m) return null;
  const num = Number(m[1]);
  const decimals = m[1]!.includes('.') ? 0.1 : 1;
  if (!m[2]) return { value: num * unit, step: decimals * unit };
  const b = m[3] === 'B' || m[2] === 'k' ? 1000 : m[3] === 'iB' ? 1024 : base;
  const mult = b ** (LETTERS.indexOf(m[2].toUpperCase()) + 1);
  return { value: num * mult, step: decimals * mult };
}

/**
 * Tolerances for values that move between runs (other work writes to the
 * root filesystem while the suite runs): ptools' number must lie within the
 * range of two real df runs taken just before and after it, widened by
 * 64 MiB of bytes, 20000 inodes or 1 point of Use% (plus the rounding step of
 * the printed unit). Everything else — header, rows, order, widths — must be
 * identical to one of the two runs.
 */
const TOL = { bytes: 64 * 1024 * 1024, inodes: 20000, pct: 1 };

function compareTables(before: string, mine: string, after: string, unit: number, base: number): string[] {
  const problems: string[] = [];
  const b = before.split('\n');
  const m = mine.split('\n');
  const a = after.split('\n');
  if (m.length !== b.length && m.length !== a.length) return [`${m.length - 1} lines, df printed ${b.length - 1}`];
  const kinds = columnKinds(b[0] ?? '');
  m.forEach((line, i) => {
    if (line === b[i] || line === a[i]) return;
    const shape = (s: string | undefined): string => (s ?? '').replace(/\d/g, '9');
    // Widths and alignment: only digits may differ.
    if (shape(line) !== shape(b[i]) && shape(line) !== shape(a[i])) {
      problems.push(`line ${i} layout differs:\n  df:     ${b[i]}\n  ptools: ${line}`);
      return;
    }
    if (i === 0) {
      problems.push(`header differs:\n  df:     ${b[0]}\n  ptools: ${line}`);
      return;
    }
    const tm = line.trim().split(/\s+/);
    const tb = (b[i] ?? '').trim().split(/\s+/);
    const ta = (a[i] ?? '').trim().split(/\s+/);
    tm.forEach((tok, j) => {
      if (tok === tb[j] || tok === ta[j]) return;
      const kind = kinds[j] ?? 'text';
      const u = kind === 'bytes' ? unit : 1;
      const [pm, pb, pa] = [parseNumber(tok, u, base), parseNumber(tb[j] ?? '', u, base), parseNumber(ta[j] ?? '', u, base)];
      if (kind === 'text' || !pm || !pb || !pa) {
        problems.push(`line ${i} field ${j}: ${tok} vs ${tb[j]}`);
        return;
      }
      const tol = (kind === 'pct' ? TOL.pct : kind === 'inodes' ? TOL.inodes : TOL.bytes) + Math.max(pm.step, pb.step);
      const lo = Math.min(pb.value, pa.value) - tol;
      const hi = Math.max(pb.value, pa.value) + tol;
      if (pm.value < lo || pm.value > hi) problems.push(`line ${i} field ${j}: ${tok} outside [${tb[j]}, ${ta[j]}] ± tolerance`);
    });
  });
  return problems;
}

interface FidelityCase {
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Bytes per printed unit for plain numbers in size columns (default 1024). */
  unit?: number;
  /** Base of K/M/G suffixes (default 1024). */
  base?: number;
}

async function fidelity(c: FidelityCase): Promise<void> {
  let problems: string[] = [];
  // A value can cross a digit boundary between runs (a column widens): try the sandwich up to three times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = realDf(c.args, c.env);
    const mine = await ptools(c.args, c.env);
    const after = realDf(c.args, c.env);
    problems = [];
    if (mine.status !== before.status) problems.push(`status ${mine.status}, df ${before.status}`);
    if (mine.stderr !== before.stderr) problems.push(`stderr:\n${mine.stderr}\ndf:\n${before.stderr}`);
    problems.push(...compareTables(before.stdout, mine.stdout, after.stdout, c.unit ?? 1024, c.base ?? 1024));
    if (problems.length === 0) return;
  }
  expect(problems, `df ${c.args.join(' ')}`).toEqual([]);
}

const work = mkdtempSync(join(tmpdir(), 'ptools-df-'));
const tmpFile = join(work, 'a file');
writeFileSync(tmpFile, 'x');
/** A path that does not exist (not /nonexistent: nobody's home directory there may well exist). */
const missing = join(work, 'missing');
const plainFile = join(work, 'plain');
writeFileSync(plainFile, 'x');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The root filesystem's source when it is a block device (a FILE argument of the device kind). */
function rootDevice(): string | undefined {
  const src = (realDf(['--output=source', '/']).stdout ?? '').split('\n')[1]?.trim();
  if (!src || !existsSync(src)) return undefined;
  return statSync(src).isBlockDevice() ? src : undefined;
}

describeCommand('df', 'fidelity: ptools df vs /usr/bin/df (LC_ALL=C), line by line', () => {
  const M = 1024 * 1024;
  const cases: FidelityCase[] = [
    { args: [] },
    { args: ['-a'] },
    { args: ['-h'], unit: 1 },
    { args: ['-H'], unit: 1, base: 1000 },
    { args: ['-i'] },
    { args: ['-k'] },
    { args: ['-P'] },
    { args: ['-T'] },
    { args: ['-l'] },
    { args: ['-t', 'ext4'] },
    { args: ['-x', 'tmpfs'] },
    { args: ['--total'] },
    { args: ['--output'] },
    { args: ['--output=source,pcent,target'] },
    { args: ['-B', '1M'], unit: M },
    { args: ['-B', '1K', '-a'] },
    { args: ['-hT', '--total'], unit: 1 },
    { args: ['/', '.', '/proc', '/dev/null', tmpFile, missing, ...[rootDevice()].filter((d): d is string => d !== undefined)] },
    { args: ['--sync'] },
    { args: ['--no-sync', '-i', '-h'], unit: 1 },
    { args: ['-BM'], unit: 1 },
    { args: ['-B', 'MiB'], unit: 1 },
    { args: ['-B', 'KB'], unit: 1, base: 1000 },
    { args: ['-B', '1000'], unit: 1000 },
    { args: ['-B', '1536'], unit: 1536 },
    { args: ['-B', '1'], unit: 1 },
    { args: ['-m'], unit: M },
    { args: ['-P', '-B', '1M'], unit: M },
    { args: ['-P', '-T', '--local'] },
    { args: ['-a', '--total', '-i'] },
    { args: ['--output=source,fstype,itotal,iused,iavail,ipcent,size,used,avail,pcent,file,target', '-H', '--total'], unit: 1, base: 1000 },
    { args: ['--output=target,size', '--total'] },
    { args: ['--output=file,target,avail', '/', plainFile] },
    { args: ['-t', 'tmpfs', '-t', 'devtmpfs', '-T'] },
    { args: ['-x', 'tmpfs', '-x', 'devtmpfs', '-a'] },
    { args: ['--si', '--print-type', '--exclude-type=tmpfs', '--block-size=1K'] },
    { args: ['-a', '-t', 'proc'] },
    { args: ['-t', 'proc', '/proc'] },
    { args: [], env: { DF_BLOCK_SIZE: '1M' }, unit: M },
    { args: [], env: { BLOCK_SIZE: 'human-readable' }, unit: 1 },
    { args: ['-P'], env: { POSIXLY_CORRECT: '1' }, unit: 512 },
    { args: ['-k'], env: { DF_BLOCK_SIZE: 'bogus' } },
  ];
  for (const c of cases) {
    it(`df ${c.args.join(' ')}${c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`, async () => {
      await fidelity(c);
    });
  }
});

describeCommand('df', 'bad input: the same message and status as /usr/bin/df, nothing on stdout', () => {
  const cases: string[][] = [
    ['-z'],
    ['--foo'],
    ['--foo=bar'],
    ['-B'],
    ['--block-size'],
    ['-B', 'x'],
    ['-B', '0'],
    ['-B', '1x'],
    ['-B', '-1'],
    ['-B', '1Ki'],
    ['-B', '99999999999999999999999'],
    ['-B', '16E'],
    ['--block-size=x'],
    ['--block=1Y'],
    ['--s'],
    ['--t'],
    ['--h=1'],
    ['--sync=1'],
    ['--all=x'],
    ['--output=foo'],
    ['--output='],
    ['--output=source,'],
    ['--output=size,size'],
    ['--output=source', '--output=source'],
    ['-t', 'ext4', '-x', 'ext4'],
    ['-t', 'ext4', '-t', 'tmpfs', '-x', 'tmpfs', '-x', 'ext4'],
    ['-i', '--output'],
    ['--output', '-i'],
    ['-T', '--output'],
    ['--output', '-T'],
    ['-P', '--output'],
    ['--output', '-P'],
    ['-t', 'nothing'],
    ['-x', 'proc', '/proc'],
    [missing],
    [`${missing}/below`],
    ['/etc/passwd/x'],
    ['-'],
    [''],
    [`${work}/no such:file`],
    [`${work}/x\ny`],
    ['-Bx', '-z'],
    ['-z', '-Bx'],
  ];
  for (const args of cases) {
    it(`df ${JSON.stringify(args)}`, async () => {
      const theirs = realDf(args);
      const mine = await ptools(args);
      expect(theirs.stdout).toBe('');
      expect(mine).toEqual(theirs);
    });
  }
  // In a UTF-8 locale coreutils quotes ‘like this’ and leaves printable non-ASCII names alone.
  const utf8 = { LC_ALL: 'C.UTF-8' };
  for (const args of [['--output=foo'], ['-t', 'x', '-x', 'x'], [`${work}/é`], [`${work}/a b`], ['-B', 'x']]) {
    it(`df ${JSON.stringify(args)} (LC_ALL=C.UTF-8)`, async () => {
      const theirs = realDf(args, utf8);
      expect(theirs.stdout).toBe('');
      expect(await ptools(args, utf8)).toEqual(theirs);
    });
  }
});

describeCommand('df', '--help and --version', () => {
  it('--help: coreutils’ text, plus --json, status 0', async () => {
    const mine = await ptools(['--help']);
    const theirs = realDf(['--help']);
    expect(mine.status).toBe(0);
    expect(mine.stdout).toContain('      --json            print the rows as a JSON array');
    // Every line of coreutils' help up to its links section is in ours, in order.
    const body = theirs.stdout.split('\n\nGNU coreutils online help')[0]!;
    expect(mine.stdout.replace(/^ {6}--json .*\n/m, '')).toContain(body);
    expect((await ptools(['-z', '--help'])).status).toBe(1);
    expect((await ptools(['--he'])).status).toBe(0);
  });

  it('--version names ptools', async () => {
    const mine = await ptools(['--version']);
    expect(mine.status).toBe(0);
    expect(mine.stdout).toMatch(/^df \(ptools\) \d+\.\d+\.\d+\n/);
  });
});

// ------------------------------------------------------------------ --json

const JSON_KEYS = ['source', 'fstype', 'size', 'used', 'avail', 'pcent', 'target', 'itotal', 'iused', 'iavail', 'ipcent', 'file'].sort();

describeCommand('df', '--json', () => {
  it('parses, has exactly the documented keys and types', async () => {
    for (const args of [['--json'], ['--json', '-a', '--total'], ['--json', '/', '/proc']]) {
      const r = await ptools(args);
      expect(r.status).toBe(0);
      const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
      expect(Array.isArray(rows)).toBe(true);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Object.keys(row).sort()).toEqual(JSON_KEYS);
        expect(typeof row.source).toBe('string');
        for (const k of ['fstype', 'target', 'file']) expect(row[k] === null || typeof row[k] === 'string', k).toBe(true);
        for (const k of ['size', 'used', 'avail', 'pcent', 'itotal', 'iused', 'iavail', 'ipcent']) {
          expect(row[k] === null || Number.isInteger(row[k]), `${k}=${String(row[k])}`).toBe(true);
        }
      }
    }
  });

  it('agrees with the text form: same rows, bytes as -B1 prints them, Use% as printed', async () => {
    const fields = '--output=source,fstype,size,used,avail,pcent,target,itotal,iused,iavail,ipcent';
    const before = realDf(['-B1', '-a', '--total', fields]).stdout.trim().split('\n').slice(1);
    const rows = JSON.parse((await ptools(['--json', '-a', '--total'])).stdout) as Record<string, number | string | null>[];
    const after = realDf(['-B1', '-a', '--total', fields]).stdout.trim().split('\n').slice(1);
    expect(rows.length).toBe(before.length);
    rows.forEach((row, i) => {
      const b = before[i]!.trim().split(/\s+/);
      const a = after[i]!.trim().split(/\s+/);
      const text = (v: unknown): string => (v === null ? '-' : String(v));
      expect([row.source, text(row.fstype), text(row.target)]).toEqual([b[0], b[1], row.target === null ? '-' : b[6]]);
      // Sizes: exact; used/avail and inode use: within the tolerances of the fidelity suite (they move).
      expect(text(row.size)).toBe(b[2]);
      expect(text(row.itotal)).toBe(b[7]);
      const near = (v: unknown, j: number, tol: number, pct = false): void => {
        const parse = (s: string): number => Number(s.replace('%', ''));
        if (b[j] === '-' || b[j] === undefined) {
          expect(v).toBeNull();
          return;
        }
        const lo = Math.min(parse(b[j]!), parse(a[j]!)) - tol;
        const hi = Math.max(parse(b[j]!), parse(a[j]!)) + tol;
        expect(v as number, `${row.target} field ${j}${pct ? '%' : ''}`).toBeGreaterThanOrEqual(lo);
        expect(v as number).toBeLessThanOrEqual(hi);
      };
      near(row.used, 3, TOL.bytes);
      near(row.avail, 4, TOL.bytes);
      near(row.pcent, 5, TOL.pct, true);
      near(row.iused, 8, TOL.inodes);
      near(row.iavail, 9, TOL.inodes);
      near(row.ipcent, 10, TOL.pct, true);
    });
    expect(rows.at(-1)).toMatchObject({ source: 'total', target: null, fstype: null, file: null });
  });

  it('FILE arguments carry the file; a missing one is reported as in text', async () => {
    const r = await ptools(['--json', '/', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`df: ${missing}: No such file or directory\n`);
    expect((JSON.parse(r.stdout) as { file: string }[]).map((x) => x.file)).toEqual(['/']);
  });

  it('toJson keeps unknown values null and sizes in bytes', () => {
    const sys = fakeSystem([['a', '/locked', 'tmpfs', 2], ['/dev/sda1', '/', 'ext4', 1]], { '/locked': 'EACCES', '/': { dev: 1 } });
    const rows = toJson(collect(optsFor(['-a']), sys, 'df', {}).entries);
    expect(rows[0]).toEqual({ source: 'a', fstype: null, size: null, used: null, avail: null, pcent: null, target: '/locked', itotal: null, iused: null, iavail: null, ipcent: null, file: null });
    expect(rows[1]).toEqual({ source: '/dev/sda1', fstype: 'ext4', size: 102400, used: 40960, avail: 51200, pcent: 45, target: '/', itotal: 10, iused: 5, iavail: 5, ipcent: 50, file: null });
  });
});

// ------------------------------------------------------------------ crafted mounts in a private namespace

/** dist/ is current for df (bin/ptools runs the compiled code). */
function distFresh(): boolean {
  const out = join(ROOT, 'dist', 'commands', 'df', 'index.js');
  if (!existsSync(out)) return false;
  const t = statSync(out).mtimeMs;
  const srcs = ['src/commands/df/index.ts', 'src/commands/df/human.ts', 'src/cli/getopt.ts', 'src/text/quote.ts', 'src/core/system/mounts.ts'];
  return srcs.every((s) => statSync(join(ROOT, s)).mtimeMs <= t);
}

const canUnshare = spawnSync('unshare', ['-m', 'true']).status === 0;
const inCI = process.env.CI === 'true';
const nsReady = canUnshare && distFresh();
const describeNs = nsReady ? describe : inCI ? describe : describe.skip;
const nsTitle = nsReady
  ? 'crafted mounts in a private mount namespace (unshare -m): /usr/bin/df vs compiled ptools df'
  : `crafted mounts in a private mount namespace [SKIPPED: ${canUnshare ? 'dist/ is stale: run npm run compile' : 'unshare -m not permitted'}]`;

/**
 * Runs `setup` (mount commands; $B is a fresh directory) in a private mount
 * namespace, then each argument set through /usr/bin/df and ptools (dist's
 * main, as bin/ptools runs it) with only tmpfs and proc rows — nothing there
 * moves, so outputs, messages and statuses must be identical byte for byte.
 * Returns df's outputs for further checks.
 */
function nsCompare(setup: string, argSets: string[], env: NodeJS.ProcessEnv = {}): { B: string; real: string[] } {
  if (!nsReady) throw new Error('needs unshare -m and a compiled dist/ (CI=true makes this a failure)');
  const B = mkdtempSync(join(tmpdir(), 'ptools-dfns-'));
  const runs = argSets
    .map(
      (a, k) => `(exec -a df ${DF} -t tmpfs -t proc ${a}) >$B/out/${k}.real 2>$B/out/${k}.real.err; echo $? >$B/out/${k}.real.rc
${process.execPath} --input-type=module -e "$PTOOLS_MAIN" df -t tmpfs -t proc ${a} >$B/out/${k}.mine 2>$B/out/${k}.mine.err; echo $? >$B/out/${k}.mine.rc`,
    )
    .join('\n');
  const script = `set -e\nB='${B}'\nmkdir -p $B/out\n${setup}\nset +e\n${runs}\n`;
  try {
    const PTOOLS_MAIN = `import { main } from ${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}; await main(['node', 'ptools', ...process.argv.slice(1)]);`;
    const r = spawnSync('unshare', ['-m', 'bash', '-c', script], { encoding: 'utf8', env: { ...BASE_ENV, ...env, PTOOLS_MAIN } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const read = (f: string): string => spawnSync('cat', [join(B, 'out', f)], { encoding: 'utf8' }).stdout;
    argSets.forEach((a, k) => {
      expect([read(`${k}.mine`), read(`${k}.mine.err`), read(`${k}.mine.rc`)], `df -t tmpfs -t proc ${a}`).toEqual([read(`${k}.real`), read(`${k}.real.err`), read(`${k}.real.rc`)]);
    });
    return { B, real: argSets.map((_a, k) => read(`${k}.real`)) };
  } finally {
    rmSync(B, { recursive: true, force: true });
  }
}

describeNs(nsTitle, () => {
  it('tmpfs sizes for rounding, an over-mount, a bind of a subtree, a remote-looking source, blanks, a UUID link, an empty fs', () => {
    const setup = `mkdir -p $B/m/t500 $B/m/over $B/m/remote "$B/m/with space" $B/m/bindsub $B/m/proc $B/m/uuid $B/links $B/m/empty
mount -t tmpfs -o size=500k,nr_inodes=1000 tmpfs500 $B/m/t500
dd if=/dev/zero of=$B/m/t500/f bs=4096 count=41 status=none
mkdir $B/m/t500/sub
mount -t tmpfs -o size=12k srcA $B/m/over
mount -t tmpfs -o size=16k srcB $B/m/over
mount -t tmpfs -o size=1m server:/export $B/m/remote
mount -t tmpfs -o size=2m 'my src' "$B/m/with space"
mount --bind $B/m/t500/sub $B/m/bindsub
mount -t proc proc $B/m/proc
touch $B/dev-sdz
ln -s $B/dev-sdz $B/links/disk-01234567-89ab-cdef-0123-456789abcdef
mount -t tmpfs -o size=64k,nr_inodes=10 $B/links/disk-01234567-89ab-cdef-0123-456789abcdef $B/m/uuid
mount -t tmpfs -o size=0 zero $B/m/empty`;
    const files = '$B/m/t500/f $B/m/bindsub "$B/m/with space" $B/m/over $B/m/proc $B/m/uuid $B/m/empty $B/m/nothing';
    const argSets = ['', '-a', '-l', '-a -l', '-B 1000', '-B 1536', '-h', '-H', '-i', '-ih', '--total', '-a --total', '-T -t tmpfs', '--output', files, '-a -i', '-a --output=source,fstype,target,file', `--output=file,source,target ${files}`];
    const { B, real } = nsCompare(setup, argSets);
    // The crafted rows are really there (the comparison is not vacuous).
    expect(real[1]).toMatch(/^tmpfs500 +500 +164 +336 +33% .*\/m\/t500$/m);
    expect(real[1]).toMatch(/^srcA +- +- +- +- .*\/m\/over$/m);
    expect(real[1]).toMatch(/^my src +2048 /m);
    expect(real[1]).toContain(`${B}/dev-sdz`);
    expect(real[4]).toMatch(/^tmpfs500 +512 /m);
    expect(real[2]).not.toContain('server:/export');
  });

  it('non-ASCII and control characters in sources and mount points, in the C and a UTF-8 locale', () => {
    const setup = `mkdir -p "$B/é" "$B/日本" "$B/tab\tx"
mount -t tmpfs -o size=1m "srcé" "$B/é"
mount -t tmpfs -o size=2m "源" "$B/日本"
mount -t tmpfs -o size=3m "t\tab" "$B/tab\tx"`; // \t: real tabs, shown as '?'
    for (const LC_ALL of ['C', 'C.UTF-8']) {
      const { real } = nsCompare(setup, ['', '-a -T', '--output=source,target,file "$B/é" "$B/nope\x01"'], { LC_ALL });
      expect(real[0]).toMatch(/^t\?ab +3072 /m);
      expect(real[0]).toContain('源');
    }
  });
});

// ------------------------------------------------------------------ launcher

describe('the launcher: bin/ptools df', () => {
  const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
  it.skipIf(!built)('prints the table and exits with df’s status', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ptools'), 'df', '--output=target', '/'], { encoding: 'utf8', env: BASE_ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Mounted on\n/\n');
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin', 'ptools'), 'df', '-z'], { encoding: 'utf8', env: BASE_ENV });
    expect([bad.status, bad.stdout, bad.stderr]).toEqual([1, '', "df: invalid option -- 'z'\nTry 'df --help' for more information.\n"]);
  });
});
