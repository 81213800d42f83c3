/**
 * core/signals: the name ⇄ number table against Node's constants, procps-ng's
 * kill (-l, -L, and -s SPEC delivering to a child that reports what it got),
 * bash's glibc-style real-time names; process groups and -1 with signal 0
 * only where every process could be hit; sigqueue's gap.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoSuchProcess, ParseError, PtoolsError } from '../../../src/core/base/errors.js';
import { Process } from '../../../src/core/process/process.js';
import {
  allSignals,
  killAll,
  killProcessGroup,
  parseSignal,
  queueSignal,
  SIGNALS,
  signalName,
  signalNumberOrUndefined,
  sigqueueAvailable,
  SIGRTMAX,
  SIGRTMIN,
} from '../../../src/core/process/signals.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, PYTHON } from '../../helpers/oracle.js';
import { waitUntil } from '../../helpers/wait.js';

const KILL = '/usr/bin/kill';

/** The real kill, run as "kill" so its messages name it so. */
function realKill(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(KILL, args, { argv0: 'kill', encoding: 'utf8', env: { LC_ALL: 'C', PATH: process.env.PATH } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A Python child that blocks every catchable signal and prints
 * "signo si_code" for each one it receives (sigwaitinfo): which signal a
 * spec really names, as the kernel delivered it.
 */
class SignalRecorder {
  readonly child: ChildProcess;
  private buf = '';
  private waiters: Array<(line: string) => void> = [];
  private lines: string[] = [];

  constructor() {
    const code = [
      'import signal, sys',
      'sigs = [s for s in range(1, 65) if s not in (9, 19, 32, 33)]',
      'signal.pthread_sigmask(signal.SIG_BLOCK, sigs)',
      'print("ready", flush=True)',
      'while True:',
      '    i = signal.sigwaitinfo(sigs)',
      '    print(i.si_signo, i.si_code, flush=True)',
    ].join('\n');
    this.child = spawn(PYTHON, ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      this.buf += d;
      let k: number;
      while ((k = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, k);
        this.buf = this.buf.slice(k + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  next(timeoutMs = 5000): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no signal reported in time')), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(t);
        resolve(line);
      });
    });
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

describe('the table', () => {
  it('numbers are Linux x86-64 numbers, as Node knows them', () => {
    expect(SIGNALS).toHaveLength(31);
    const sig = osConstants.signals as Record<string, number>;
    for (const s of SIGNALS) expect(sig[`SIG${s.name}`], s.name).toBe(s.number);
    // procps names 29 POLL; glibc and Node also call it IO.
    expect(sig.SIGIO).toBe(29);
    expect([SIGRTMIN, SIGRTMAX]).toEqual([34, 64]);
  });

  it('names with and without SIG, any case, numbers, aliases, RTMIN+n, RTMAX-n', () => {
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('sigkill')).toBe(9);
    expect(parseSignal('SigTerm')).toBe(15);
    expect(parseSignal('9')).toBe(9);
    expect(parseSignal(' 12')).toBe(12);
    expect(parseSignal('+12')).toBe(12);
    expect(parseSignal('CLD')).toBe(17);
    expect(parseSignal('IO')).toBe(29);
    expect(parseSignal('IOT')).toBe(6);
    expect(parseSignal('POLL')).toBe(29);
    expect(parseSignal('EXIT')).toBe(0);
    expect(parseSignal('null')).toBe(0);
    expect(parseSignal('0')).toBe(0);
    expect(parseSignal('-0')).toBe(0);
    expect(parseSignal('RTMIN')).toBe(34);
    expect(parseSignal('SIGRTMIN+1')).toBe(35);
    expect(parseSignal('rtmin+30')).toBe(64);
    expect(parseSignal('RTMAX')).toBe(64);
    expect(parseSignal('SIGRTMAX-14')).toBe(50);
    expect(parseSignal('RTMAX-30')).toBe(34);
    expect(parseSignal('64')).toBe(64);
    for (const bad of ['', 'SIG', 'FOO', 'SIGSIGKILL', '65', '-1', '9x', 'RTMIN+31', 'RTMAX-31', 'RTMAX+1', 'RTMIN-1', 'kıll', '\u017fIGKILL']) {
      expect(() => parseSignal(bad), bad).toThrow(ParseError);
      expect(signalNumberOrUndefined(bad), bad).toBeUndefined();
    }
  });

  it('procps mode: no RTMAX names; numbers up to 93 (RTMIN+93 is 127) pass, for the kernel to refuse', () => {
    const p = { procps: true };
    expect(parseSignal('93', p)).toBe(93);
    expect(parseSignal('RTMIN+93', p)).toBe(127);
    expect(signalNumberOrUndefined('94', p)).toBeUndefined();
    expect(signalNumberOrUndefined('RTMAX', p)).toBeUndefined();
    expect(signalNumberOrUndefined('RTMAX-1', p)).toBeUndefined();
    expect(parseSignal('rtmin+3', p)).toBe(37);
  });

  it('names: procps style (RTMIN+n throughout, "0" for 0) and glibc style (RTMAX-n for the upper half)', () => {
    expect(signalName(9)).toBe('KILL');
    expect(signalName(0)).toBe('0');
    expect(signalName(34)).toBe('RTMIN');
    expect(signalName(40)).toBe('RTMIN+6');
    expect(signalName(64)).toBe('RTMIN+30');
    // procps masks with 0x7f (a wait status's signal bits).
    expect(signalName(128 + 9)).toBe('KILL');
    expect(signalName(49, { rtmax: true })).toBe('RTMIN+15');
    expect(signalName(50, { rtmax: true })).toBe('RTMAX-14');
    expect(signalName(64, { rtmax: true })).toBe('RTMAX');
    expect(signalName(32, { rtmax: true })).toBeUndefined();
    expect(signalName(-1)).toBeUndefined();
    expect(signalName(1.5)).toBeUndefined();
    // every name reads back as its number
    for (let n = 0; n <= 64; n++) {
      const a = signalName(n, { rtmax: true });
      if (a !== undefined) expect(parseSignal(a), a).toBe(n);
      if (n < 32 || n >= 34) expect(parseSignal(signalName(n)!, { procps: true })).toBe(n);
    }
  });

  it('fuzz: parseSignal returns a number or throws ParseError', () => {
    const seeds = ['SIGKILL', 'RTMIN+3', 'SIGRTMAX-2', ' 15', 'cld', '93'];
    fuzzParser((t) => parseSignal(t), seeds);
    fuzzParser((t) => parseSignal(t, { procps: true }), seeds);
  });
});

describeCommand('bash', 'real-time names vs bash (glibc strsignal names)', () => {
  it("bash's kill -l lists the same 62 signals with glibc's names", () => {
    const out = spawnSync('bash', ['-c', 'kill -l'], { encoding: 'utf8' }).stdout;
    const theirs = [...out.matchAll(/(\d+)\) SIG(\S+)/g)].map((m) => ({ number: Number(m[1]), name: m[2] }));
    const ours = allSignals().map((s) => ({ number: s.number, name: s.name === 'POLL' ? 'IO' : s.name }));
    // bash prints glibc's name for 29 (SIGIO); procps prints POLL.
    expect(ours).toEqual(theirs);
    expect(theirs).toHaveLength(62);
  });
});

describeCommand('kill', 'vs procps-ng kill', () => {
  it('kill -l N / kill -l NAME for all 31', () => {
    for (const s of SIGNALS) {
      expect(realKill(['-l', String(s.number)]).stdout).toBe(`${s.name}\n`);
      expect(realKill(['-l', s.name]).stdout).toBe(`${s.number}\n`);
    }
  });

  describe('kill -s SPEC: the signal the kernel delivers is the one parseSignal(spec, {procps}) names', () => {
    let rec: SignalRecorder;
    beforeAll(async () => {
      rec = new SignalRecorder();
      expect(await rec.next(15000)).toBe('ready');
    });
    afterAll(() => rec.stop());

    const specs = [
      'HUP', 'sighup', 'SigUsr1', 'usr2', '10', ' 12', '+12', 'CLD', 'io', 'iot', 'POLL', 'STKFLT', 'PWR', 'sys',
      'RTMIN', 'rtmin+1', 'SIGRTMIN+5', 'RTMIN+30', '34', '64', '31', 'winch',
      // not signals for procps 4.0.2: the kernel gets -1 or a number above 64 and says EINVAL
      'RTMAX', 'RTMAX-1', 'FOO', '', 'SIG', '1x', '65', '93', 'RTMIN+31', '94',
    ];
    for (const spec of specs) {
      it(JSON.stringify(spec), async () => {
        const n = signalNumberOrUndefined(spec, { procps: true });
        const r = realKill(['-s', spec, String(rec.pid)]);
        if (n !== undefined && n >= 1 && n <= 64) {
          expect(r.status, r.stderr).toBe(0);
          // si_code 0 is SI_USER: sent with kill(2)
          expect(await rec.next()).toBe(`${n} 0`);
        } else {
          expect(r.stderr).toBe(`kill: (${rec.pid}): Invalid argument\n`);
          expect(r.status).toBe(1);
        }
      });
    }

    it('signal 0 specs (0, EXIT, NULL, SIG0) deliver nothing and succeed', async () => {
      for (const spec of ['0', 'EXIT', 'null', 'SIG0']) {
        expect(signalNumberOrUndefined(spec, { procps: true })).toBe(0);
        expect(realKill(['-s', spec, String(rec.pid)]).status).toBe(0);
      }
      // The next thing the child sees is this marker: nothing came before it.
      process.kill(rec.pid, 'SIGUSR2');
      expect(await rec.next()).toBe('12 0');
    });
  });
});

describe('process groups and every process', () => {
  function group(): ChildProcess {
    // detached: a new session, so the group is the child's own (pgid = pid); two members.
    return spawn('sh', ['-c', 'sleep 60 & exec sleep 60'], { detached: true, stdio: 'ignore' });
  }
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return new Process(pid).status() !== 'zombie';
    } catch {
      return false;
    }
  };

  it('killProcessGroup(pgid, 0) probes, a real signal reaches every member, an empty group is NoSuchProcess', async () => {
    const g = group();
    const pgid = g.pid!;
    // Both members there (the shell's fork done): waited for, not timed.
    const pgrep = (): number[] => spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    await waitUntil(() => pgrep().length >= 2, `the two members of group ${pgid}`);
    const members = pgrep();
    expect(members.length).toBe(2);
    expect(() => killProcessGroup(pgid, 0)).not.toThrow();
    // the real tool agrees the group exists
    expect(realKill(['-0', '--', `-${pgid}`]).status).toBe(0);
    const exited = new Promise((r) => g.once('exit', (_c, s) => r(s)));
    killProcessGroup(pgid, 15);
    expect(await exited).toBe('SIGTERM');
    for (let i = 0; i < 50 && members.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
    expect(members.filter(alive)).toEqual([]);
    // The orphaned member may stay a zombie (still in the group) until init reaps it.
    const gone = (): boolean => spawnSync('pgrep', ['-g', String(pgid)]).status === 1;
    for (let i = 0; i < 250 && !gone(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(() => killProcessGroup(pgid, 0)).toThrow(NoSuchProcess);
    expect(realKill(['-0', '--', `-${pgid}`]).stderr).toBe(`kill: (-${pgid}): No such process\n`);
  });

  it('an invalid signal is EINVAL; bad group ids are refused before any syscall', () => {
    const g = group();
    try {
      expect(() => killProcessGroup(g.pid!, 65)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
      expect(() => killProcessGroup(-3, 0)).toThrow(RangeError);
      expect(() => killProcessGroup(1.5, 0)).toThrow(RangeError);
      expect(() => killProcessGroup(g.pid!, 1.5)).toThrow(TypeError);
    } finally {
      process.kill(-g.pid!, 'SIGKILL');
    }
  });

  it('killAll with signal 0 only: root may signal some process (never a real signal here)', () => {
    expect(() => killAll(0)).not.toThrow();
    expect(() => killAll(0.5)).toThrow(TypeError);
  });
});

describe('sigqueue', () => {
  it(sigqueueAvailable() ? 'queues a value: the child sees SI_QUEUE' : 'without the addon\'s sigqueue: ENOSYS, nothing sent (native.sigqueue is a reported gap)', async () => {
    const rec = new SignalRecorder();
    try {
      expect(await rec.next(15000)).toBe('ready');
      const p = new Process(rec.pid);
      if (sigqueueAvailable()) {
        queueSignal(p, 10, 42);
        // si_code -1 is SI_QUEUE
        expect(await rec.next()).toBe('10 -1');
      } else {
        let err: unknown;
        try {
          queueSignal(p, 10, 42);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(PtoolsError);
        expect(err).toMatchObject({ code: 'ENOSYS', syscall: 'sigqueue' });
        process.kill(rec.pid, 'SIGUSR2');
        expect(await rec.next()).toBe('12 0');
      }
      expect(() => queueSignal(p, 10, 1.5)).toThrow(TypeError);
    } finally {
      rec.stop();
    }
  });
});
