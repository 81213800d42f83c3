import { fixturePath } from '../../helpers/fixtures.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { pmapProcessInfo, processMaps, processSmaps } from '../../../src/core/process/pmap.js';
import { parseMaps, parseSmapsEntries, smapsValue } from '../../../src/core/procfs/pid-maps.js';
import { parseStat } from '../../../src/core/procfs/pid-stat.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describePsutil, psutil } from '../../helpers/oracle.js';
import { procState, sleepingIn, waitUntil } from '../../helpers/wait.js';

const FIX = fixturePath('proc');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');

describe('parseMaps', () => {
  it('reads the maps of a stopped sleep captured here', () => {
    const m = parseMaps(fixture('sleep-stopped/maps'));
    expect(m).toHaveLength(fixture('sleep-stopped/maps').trim().split('\n').length);
    expect(m[0]).toMatchObject({ start: '559b273bf000', end: '559b273c1000', size: 8192, perms: 'r--p', offset: '00000000', dev: 'fe:00', devMajor: 0xfe, devMinor: 0, inode: '260875', path: '/usr/bin/sleep' });
    const vsys = m[m.length - 1]!;
    expect(vsys.startAddr).toBe(0xffffffffff600000n);
    expect(vsys.path).toBe('[vsyscall]');
    expect(m.filter((e) => e.path === '').length).toBeGreaterThan(0);
  });
  it('hand-made: deleted files, SysV shm, spaces and UTF-8 in names, named anonymous memory', () => {
    const m = parseMaps(fixture('edge/maps-handmade'));
    expect(m.map((e) => e.path)).toEqual([
      '/usr/bin/dbus-daemon', '/usr/bin/dbus-daemon (deleted)', '[heap]', '/SYSV0000162e (deleted)', '/memfd:wayland-shm (deleted)',
      '/tmp/a dir/with spaces.txt', '[anon:glibc malloc]', '/tmp/caf€/x', '[stack]', '[vsyscall]',
    ]);
    expect(m[3]!.devMinor).toBe(1);
    expect(m[3]!.perms).toBe('rw-s');
  });
  it('rejects malformed lines with ParseError', () => {
    expect(() => parseMaps('zzzz r--p 0 0:0 0\n')).toThrow(ParseError);
    expect(() => parseMaps('2000-1000 r--p 00000000 00:00 0\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => fuzzParser(parseMaps, [fixture('sleep-stopped/maps'), fixture('edge/maps-handmade')]));
});

describe('parseSmapsEntries', () => {
  it('reads every field of every mapping, in the kernel order, and VmFlags', () => {
    const s = parseSmapsEntries(fixture('sleep-stopped/smaps'));
    expect(s.map((e) => e.start)).toEqual(parseMaps(fixture('sleep-stopped/maps')).map((e) => e.start));
    const names = s[0]!.fields.map((f) => f.name);
    expect(names.slice(0, 5)).toEqual(['Size', 'KernelPageSize', 'MMUPageSize', 'Rss', 'Pss']);
    expect(names).toContain('THPeligible');
    expect(s[0]!.fields.find((f) => f.name === 'THPeligible')!.unit).toBe('');
    expect(s[0]!.fields.find((f) => f.name === 'Rss')!.unit).toBe('kB');
    expect(smapsValue(s[0]!, 'Size')).toBe(8);
    expect(s[0]!.vmFlags).toEqual(['rd', 'mr', 'mw', 'me']);
    for (const e of s) expect(smapsValue(e, 'Size') * 1024).toBe(e.size);
  });
  it('an empty smaps (kernel thread) is no mappings', () => {
    expect(parseSmapsEntries(fixture('kthread-pmap/smaps'))).toEqual([]);
  });
  it('rejects a field before any mapping', () => {
    expect(() => parseSmapsEntries('Rss: 4 kB\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => fuzzParser(parseSmapsEntries, [fixture('sleep-stopped/smaps').slice(0, 3000)]));
});

describe('pmap\'s view of the one stat record (comm, state, startstack)', () => {
  it('comm, state and startstack (exact: pmapProcessInfo makes it a bigint)', () => {
    const s = parseStat(fixture('sleep-stopped/stat'));
    expect(s.comm).toBe('sleep');
    expect(s.state).toBe('T');
    expect(BigInt(s.startstack)).toBe(BigInt(fixture('sleep-stopped/stat').split(') ')[1]!.split(' ')[25]!));
    expect(parseStat(fixture('kthread-pmap/stat'))).toMatchObject({ comm: 'kthreadd', startstack: 0 });
    expect(parseStat('12 (a) b (c)) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0 0 0 0 18446744073709551615 0 0\n').comm).toBe('a) b (c)');
    // The highest user-space stack address of a 48-bit (and a default 57-bit) address space is exact.
    expect(BigInt(parseStat('12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0 0 0 140737488355327 0 0\n').startstack)).toBe(140737488355327n);
  });
  it('rejects truncated lines', () => {
    expect(() => parseStat('12 (x) S 1 2\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => fuzzParser((t) => parseStat(t), [fixture('sleep-stopped/stat'), fixture('kthread-pmap/stat')]));
});

// ------------------------------------------------------------------ machine

let child: ChildProcess;
beforeAll(async () => {
  child = spawn('sleep', ['600'], { stdio: 'ignore' });
  // Exec'd and asleep (its loader done), then stopped, so its mappings and RSS hold still between the two readers.
  await waitUntil(() => sleepingIn(child.pid!), `sleep ${child.pid} to start`);
  process.kill(child.pid!, 'SIGSTOP');
  await waitUntil(() => procState(child.pid!) === 'T', `sleep ${child.pid} to stop`);
});
afterAll(() => {
  child.kill('SIGKILL');
});

describe('pmapProcessInfo / processMaps on a stopped child', () => {
  it('knows the process: tgid, cmdline, comm, a stack start inside the [stack] mapping', () => {
    const info = pmapProcessInfo(child.pid!)!;
    expect(info).toMatchObject({ pid: child.pid, tgid: child.pid, cmdline: 'sleep\u0000600\u0000', comm: 'sleep', state: 'T' });
    const stack = processMaps(child.pid!).find((e) => e.path === '[stack]')!;
    expect(info.startStack >= stack.startAddr && info.startStack <= stack.endAddr).toBe(true);
  });
  it('a pid that names no process is null; unreadable maps raise the errno error', () => {
    expect(pmapProcessInfo(0x7ffffffe)).toBeNull();
    expect(() => processMaps(0x7ffffffe)).toThrow(/ENOENT/);
  });
  it('maps and smaps list the same mappings', () => {
    expect(processSmaps(child.pid!).map((e) => `${e.start}-${e.end} ${e.perms} ${e.path}`)).toEqual(
      processMaps(child.pid!).map((e) => `${e.start}-${e.end} ${e.perms} ${e.path}`),
    );
  });
});

describePsutil('processSmaps vs psutil memory_maps(grouped=False)', () => {
  it('addresses, permissions, paths and RSS/private/swap of each mapping (the child is stopped: exact)', () => {
    const ours = processSmaps(child.pid!);
    const theirs = psutil<Array<{ addr: string; perms: string; path: string; rss: number; private_clean: number; private_dirty: number; swap: number; size: number }>>(
      `psutil.Process(${child.pid}).memory_maps(grouped=False)`,
    );
    expect(ours.map((e) => `${e.start}-${e.end}`)).toEqual(theirs.map((t) => t.addr));
    ours.forEach((e, i) => {
      const t = theirs[i]!;
      expect(e.perms).toBe(t.perms);
      if (e.path !== '') expect(t.path).toBe(e.path.replace(/ \(deleted\)$/, ''));
      expect(smapsValue(e, 'Rss') * 1024).toBe(t.rss);
      expect(smapsValue(e, 'Size') * 1024).toBe(t.size);
      expect(smapsValue(e, 'Private_Dirty') * 1024).toBe(t.private_dirty);
      expect(smapsValue(e, 'Swap') * 1024).toBe(t.swap);
    });
  });
});
