/**
 * The pieces under ps: core/procscan's parsers (fixtures captured here and
 * hand-made edge cases, then fuzzed), the scan and the terminal names against
 * psutil on live children, and ps's pure helpers (procps's escaping, cmdline
 * joining, glibc's strverscmp, systemd's reading of cgroup paths, the line
 * width rule).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseAutogroup,
  parseIntFile,
  parseSmapsKiB,
  parseStatFields,
  parseStatusFields,
  parseTtyDrivers,
  StatusView,
  devMajor,
  devMinor,
  scanProcesses,
  ttyPath,
  uptimeSeconds,
  memTotalKiB,
  pidMaxDigits,
  type ProcRecord,
} from '../../src/core/process/procscan.js';
import { ParseError } from '../../src/core/base/errors.js';
import { layoutOf } from '../../src/commands/ps/display.js';
import { libEscape, psEscape } from '../../src/text/ps-escape.js';
import { formatParse, oneSpec } from '../../src/commands/ps/format.js';
import { Proc, strverscmp, systemdInfo, unvectored } from '../../src/commands/ps/proc.js';
import { strtoul } from '../../src/commands/ps/parser.js';
import { fuzzParser } from '../helpers/fuzz.js';
import { describePsutil, psutil, PYTHON } from '../helpers/oracle.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIX = join(HERE, '..', 'fixtures');
const fx = (p: string): string => readFileSync(join(FIX, p), 'latin1');

describe('parseStatFields', () => {
  it('reads every field of a live-captured stat (kthreadd)', () => {
    const s = parseStatFields(fx('ps/stat-2'));
    expect(s).toMatchObject({ pid: 2, comm: 'kthreadd', state: 'S', ppid: 0, pgrp: 0, session: 0, ttyNr: 0, tpgid: -1, flags: 2129984, priority: 20, nice: 0, numThreads: 1, starttime: 25, vsize: 0, rss: 0, rsslim: Infinity });
    // Since 4.x the kernel writes 1 here for a task sleeping in the kernel (no address).
    expect(s.wchan).toBe(1);
    expect(s.exitSignal).toBe(0);
    expect(s.policy).toBe(0);
  });

  it('takes the command name up to the LAST parenthesis', () => {
    const s = parseStatFields(fx('proc/comm-parens/stat'));
    expect(s.comm).toBe('a b) (c');
    expect(s.ppid).toBe(15654);
    expect(s.startcode).toBe(94450672041984);
    expect(s.startstack).toBe(140731955068816);
  });

  it('gives procps defaults for fields an old kernel lacks', () => {
    const s = parseStatFields(fx('proc/edge/stat-old-kernel'));
    expect(s.rtPriority).toBe(-1);
    expect(s.policy).toBe(-1);
    expect(s.processor).toBe(0);
    expect(s.starttime).toBe(19999);
  });

  it('tolerates odd spacing (never seen from the kernel)', () => {
    const s = parseStatFields(fx('proc/edge/stat-odd-spacing'));
    expect([s.pid, s.comm, s.ppid, s.starttime, s.rsslim]).toEqual([15656, 'sleep', 15654, 110540, Infinity]);
  });

  it('rejects text that is not a stat line with ParseError', () => {
    for (const t of ['', 'x', '12 (a) ', 'abc (x) S 1 2', '1 (x) SS 1 2 3']) expect(() => parseStatFields(t)).toThrow(ParseError);
  });

  it('fuzz: returns or throws ParseError', () => {
    fuzzParser((t) => parseStatFields(t), [fx('ps/stat-1'), fx('ps/stat-2'), fx('proc/comm-parens/stat'), fx('proc/edge/stat-odd-spacing')]);
  });
});

describe('parseStatusFields', () => {
  it('reads ids, memory and signal masks', () => {
    const s = parseStatusFields(fx('proc/edge/status-old-kernel'));
    expect(s.uids).toEqual([0, 0, 0, 0]);
    expect(s.vmRss).toBe(1512);
    expect(s.vmSize).toBe(2500);
    expect(s.vmData).toBe(224);
    expect(s.vmStk).toBe(132);
    expect(s.threads).toBe(1);
    expect(s.groups).toEqual([]);
    expect(s.sigPnd).toBe('0000000000000000');
  });

  it('a kernel thread has no Vm lines: zeros, as procps', () => {
    const s = parseStatusFields(fx('ps/status-2'));
    expect([s.vmSize, s.vmRss, s.vmLck]).toEqual([0, 0, 0]);
    expect(s.tgid).toBe(2);
  });

  it('live-captured init: masks as the kernel writes them', () => {
    const s = parseStatusFields(fx('ps/status-1'));
    expect(s.sigCgt).toMatch(/^[0-9a-f]{16}$/);
    expect(s.shdPnd).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects malformed lines with ParseError; fuzz', () => {
    expect(() => parseStatusFields('Uid:\t0 0\n')).toThrow(ParseError);
    expect(() => parseStatusFields('SigBlk:\tzz\n')).toThrow(ParseError);
    fuzzParser((t) => parseStatusFields(t), [fx('ps/status-1'), fx('ps/status-2'), fx('proc/edge/status-old-kernel')]);
  });
});

describe('StatusView (the lazy reading the scan uses)', () => {
  it('reads well-formed files exactly as parseStatusFields', () => {
    for (const f of ['ps/status-1', 'ps/status-2', 'proc/edge/status-old-kernel', 'proc/init/status', 'proc/zombie/status', 'proc/sleep/status']) {
      const strict = parseStatusFields(fx(f));
      const view = new StatusView(fx(f));
      for (const k of Object.keys(strict) as (keyof typeof strict)[]) expect(view[k], `${f} ${k}`).toEqual(strict[k]);
    }
  });

  it('reads garbage as procps does (strtol: 0), never throws', () => {
    const v = new StatusView('VmRSS:\tlots kB\nUid:\t1 x\n');
    expect(v.vmRss).toBe(0);
    expect(v.uids).toEqual([1, 0, 0, 0]);
    expect(v.vmSize).toBe(0);
    expect(v.shdPnd).toBeNull();
    expect(v.sigBlk).toBe('0000000000000000');
  });
});

describe('small files', () => {
  it('smaps_rollup: Pss and Private_* in KiB', () => {
    const s = parseSmapsKiB(fx('ps/smaps_rollup'));
    expect(s.pss).toBeGreaterThan(0);
    expect(parseSmapsKiB('Pss: 10 kB\nPrivate_Clean: 2 kB\nPrivate_Dirty: 3 kB\nPrivate_Hugetlb: 7 kB\n')).toEqual({ pss: 10, privateClean: 2, privateDirty: 3 });
    fuzzParser((t) => parseSmapsKiB(t), [fx('ps/smaps_rollup')]);
  });

  it('autogroup and one-integer files', () => {
    expect(parseAutogroup(fx('ps/autogroup'))).toEqual({ id: 42, nice: 0 });
    expect(() => parseAutogroup('nonsense')).toThrow(ParseError);
    expect(parseIntFile('4294967295\n', 'loginuid')).toBe(4294967295);
    expect(() => parseIntFile('x', 'loginuid')).toThrow(ParseError);
    fuzzParser((t) => parseAutogroup(t), [fx('ps/autogroup')]);
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
    expect(uptimeSeconds()).toBeGreaterThan(0);
    expect(memTotalKiB() * 1024).toBe(psutilOr(() => psutil<{ total: number }>('psutil.virtual_memory()').total, memTotalKiB() * 1024));
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

// ------------------------------------------------------------------ the scan, live

describePsutil('scanProcesses vs psutil', () => {
  let kids: ChildProcess[] = [];
  let ptyChild: ChildProcess | undefined;
  let ptyPid = 0;

  beforeAll(async () => {
    kids = [spawn('sleep', ['600']), spawn('sleep', ['601'], { detached: true })];
    // A session on a pty: the child's controlling terminal is a /dev/pts node.
    ptyChild = spawn(PYTHON, ['-c', 'import pty,os,sys,time\npid,fd=pty.fork()\nif pid==0: os.execvp("sleep",["sleep","602"])\nprint(pid,flush=True)\ntime.sleep(600)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    ptyPid = await new Promise<number>((resolve) => ptyChild!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    // Wait until the children have exec'd sleep.
    for (let i = 0; i < 100; i++) {
      const recs = scanProcesses({ pids: [...kids.map((k) => k.pid!), ptyPid], sources: ['cmdline'] });
      if (recs.length === 3 && recs.every((r) => r.cmdline?.startsWith('sleep'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(() => {
    for (const k of kids) k.kill('SIGKILL');
    try {
      process.kill(ptyPid, 'SIGKILL');
    } catch {
      /* gone */
    }
    ptyChild?.kill('SIGKILL');
  });

  it('reads only the sources asked for', () => {
    const [r] = scanProcesses({ pids: [kids[0]!.pid!] });
    expect(r!.status).toBeNull();
    expect(r!.cmdline).toBeNull();
    const [s] = scanProcesses({ pids: [kids[0]!.pid!], sources: ['status', 'cmdline', 'statm', 'wchan', 'ns', 'exe'] });
    expect(s!.status).not.toBeNull();
    expect(s!.cmdline).toBe('sleep\u0000600\u0000');
    expect(s!.ns).toHaveLength(8);
    expect(s!.exe).toMatch(/sleep$/);
  });

  it('agrees with psutil on the sleeping children (static fields exactly, memory bracketed)', () => {
    const pids = [...kids.map((k) => k.pid!), ptyPid];
    const recs = scanProcesses({ pids, sources: ['status', 'statm', 'cmdline'] });
    const ref = psutil<Record<string, { ppid: number; uids: { real: number; effective: number }; num_threads: number; cmdline: string[]; nice: number; memory_info: { rss: number; vms: number }; status: string }>>(
      `{p.pid: p.as_dict(['ppid','uids','num_threads','cmdline','nice','memory_info','status']) for p in map(psutil.Process, [${pids.join(',')}])}`,
    );
    const after = new Map(scanProcesses({ pids, sources: ['statm'] }).map((r) => [r.tid, r]));
    const page = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout.trim());
    for (const r of recs) {
      const p = ref[String(r.tid)]!;
      expect(r.stat.ppid).toBe(p.ppid);
      expect(r.status!.uids![0]).toBe(p.uids.real);
      expect(r.stat.numThreads).toBe(p.num_threads);
      expect(r.cmdline!.split('\0').filter(Boolean)).toEqual(p.cmdline);
      expect(r.stat.nice).toBe(p.nice);
      // Memory is not static: a child just exec'd may still be faulting pages in, and the kernel may
      // reclaim some under pressure. psutil's reading lies between ours before and after it.
      const a = after.get(r.tid)!;
      const [rss0, rss1] = [r.statm!.resident * page, a.statm!.resident * page];
      expect(p.memory_info.rss).toBeGreaterThanOrEqual(Math.min(rss0, rss1));
      expect(p.memory_info.rss).toBeLessThanOrEqual(Math.max(rss0, rss1));
      expect(p.memory_info.vms).toBeGreaterThanOrEqual(Math.min(r.stat.vsize, a.stat.vsize));
      expect(p.memory_info.vms).toBeLessThanOrEqual(Math.max(r.stat.vsize, a.stat.vsize));
    }
  });

  it('names the pty the way psutil does', () => {
    const [r] = scanProcesses({ pids: [ptyPid] });
    const t = psutil<string | null>(`psutil.Process(${ptyPid}).terminal()`);
    expect(t).toMatch(/^\/dev\/pts\/\d+$/);
    expect(ttyPath(r!.stat.ttyNr, ptyPid)).toBe(t);
    expect(ttyPath(0, ptyPid)).toBeNull();
  });

  it('threads: the leader (from the process files) then each thread', () => {
    const recs = scanProcesses({ pids: [process.pid], threads: true });
    const ref = psutil<{ id: number }[]>(`psutil.Process(${process.pid}).threads()`);
    expect(recs[0]!.tid).toBe(process.pid);
    expect(recs.every((r) => r.tgid === process.pid)).toBe(true);
    // Node starts and ends helper threads; most are there both times.
    const ours = new Set(recs.map((r) => r.tid));
    expect(ref.filter((t) => ours.has(t.id)).length).toBeGreaterThanOrEqual(Math.min(ref.length, recs.length) - 2);
  });

  it('a pid that is gone is left out', () => {
    expect(scanProcesses({ pids: [2147483646] })).toEqual([]);
  });
});

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
    const rec = { tid: 9, tgid: 9, stat: { ...parseStatFields(fx('ps/stat-2')), starttime: 500 }, status: null, statm: null, cmdline: null, environ: null, cgroup: null, wchan: null, io: null, smaps: null, oomScore: null, oomScoreAdj: null, loginuid: null, autogroup: null, attrCurrent: null, ns: null, exe: null } as ProcRecord;
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
