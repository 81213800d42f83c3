/**
 * Every binding the native addon exports, called directly with hostile
 * arguments: wrong types, missing and extra arguments, NaN, ±Infinity, -0,
 * huge and negative numbers, 2^31, strings with NUL and of 1 MB, huge and
 * sparse arrays, objects whose getters, valueOf or Proxy traps throw. Each
 * call must return (or resolve), or throw (or reject) a TypeError, a
 * RangeError, an errno Error (code, errno, syscall) or the error the
 * argument itself threw — never crash the process.
 *
 * Deterministic (a fixed seed; PTOOLS_FUZZ_SEED and PTOOLS_FUZZ_CALLS change
 * it) and bounded (a systematic pass over every argument position × hostile
 * value, then a few thousand random calls). `make test-sanitize` runs this
 * file against the addon built with AddressSanitizer and UBSan, where an
 * out-of-bounds access or undefined behaviour aborts the run.
 *
 * It acts only on processes it started: every call that takes a pid and
 * changes something (setpriority, schedSetaffinity, ioprioSet, prlimit,
 * sigqueue) gets either the pid of a grandchild it spawned, 0x7fffffff (above
 * any pid_max: ESRCH), or a value the addon must reject before any syscall
 * (negative, fractional, NaN, 2^31, not a number). Never 0 or -0 (the caller
 * itself), never pid 1, never a negative pid as a signal target. The
 * grandchild's parent is a `sleep` that never reaps it, so even a grandchild
 * killed by a fuzzed signal keeps its pid (a zombie) until the end: the pid
 * is never reused by a stranger. Descriptors given to closeFd and
 * pollReadable are ones this file opened, or 0x7fffffff.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binding, isErrnoError, type NativeBinding } from '../../src/native/index.js';
import { rng } from '../helpers/fuzz.js';

const SEED = Number(process.env.PTOOLS_FUZZ_SEED ?? 0x5eed1e55) >>> 0;
const RANDOM_CALLS = Number(process.env.PTOOLS_FUZZ_CALLS ?? 3000);
const NO_PID = 0x7fffffff; // above any pid_max (at most 2^22): ESRCH
const NO_FD = 0x7fffffff; // above any RLIMIT_NOFILE: EBADF; poll says POLLNVAL at once


/** What a hostile getter, valueOf or trap throws: passing it on is fine. */
class Thrown extends Error {}
const thrower = () => {
  throw new Thrown('thrown by a hostile argument');
};

// ---------------------------------------------------------------- hostile values

const MB = 1 << 20;
const longString = 'a'.repeat(MB);
const longStringNul = `${'b'.repeat(MB - 1)}\0`;

function sparseHuge(): unknown[] {
  const a: unknown[] = [];
  a.length = 2 ** 32 - 1; // the largest array length: all holes
  return a;
}
function sparseTail(v: unknown): unknown[] {
  const a: unknown[] = [];
  a[100_000] = v; // holes, then one element
  return a;
}
function getterArray(): unknown[] {
  const a: unknown[] = [];
  Object.defineProperty(a, 0, { get: thrower, enumerable: true, configurable: true });
  return a;
}
/** An array whose first element shrinks it while it is read. */
function shrinkingArray(v: unknown): unknown[] {
  const a: unknown[] = [v, v, v, v];
  Object.defineProperty(a, 0, { get: () => ((a.length = 1), v), enumerable: true, configurable: true });
  return a;
}
/** Holes looked up through a prototype that throws. */
function hostilePrototype(): unknown[] {
  const a: unknown[] = [];
  a.length = 3;
  Object.setPrototypeOf(a, new Proxy([], { get: thrower, has: thrower, getOwnPropertyDescriptor: thrower }));
  return a;
}
function revokedProxy(): unknown {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
}

/** The values tried in every argument position (filtered per position where a value would act on something). */
function hostileValues(): unknown[] {
  const nums = [
    0, -0, 1, -1, 0.5, -0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 32 - 1,
    2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, 2 ** 64, 1e308, -1e308, Number.MIN_VALUE, 1e-300, 7, 8, 40, 41, -40, -41,
    64, 65, 255, 256, 8191, 8192, 2 ** 20, 2 ** 30, 2 ** 30 + 1,
  ];
  const strings = [
    '', 'a', '\0', 'a\0b', '0', '-1', 'NaN', '..', '../../etc/passwd', '/', '/nonexistent/x', '\uD800', '\uDFFF\uD800', '\u00e9'.repeat(8),
    '\u{1F600}', 'x'.repeat(4097), '/'.repeat(5000), longString, longStringNul,
  ];
  const objects: unknown[] = [
    undefined, null, true, false, 1n, 2n ** 64n, -1n, Symbol('fuzz'), {}, Object.create(null), () => 1, new Date(0), /x/,
    new Number(1), new String('stat'), new Boolean(false),
    { valueOf: thrower, toString: thrower, [Symbol.toPrimitive]: thrower },
    { valueOf: () => 1 }, { length: 1, 0: 'stat' },
    new Proxy({}, { get: thrower, has: thrower, ownKeys: thrower, getPrototypeOf: thrower }),
    new Proxy([1, 2], { get: thrower }), revokedProxy(),
    Buffer.from('stat'), new Uint8Array(4), new Float64Array([1, 2]), new ArrayBuffer(8), new DataView(new ArrayBuffer(4)),
    new Map([[0, 'stat']]), new Set([1]), Promise.resolve(1), new Error('x'),
  ];
  const arrays: unknown[] = [
    [], [undefined], [null], [NaN], [Infinity], [-1], [-0], [0.5], [2 ** 31], [2 ** 53], ['stat'], ['\0'], [longString],
    [1n], [Symbol('s')], [{}], [[]], [[1]], sparseHuge(), sparseTail(0), sparseTail('stat'), getterArray(),
    shrinkingArray(0), shrinkingArray('stat'), hostilePrototype(), Object.freeze([0, 1]),
    [...Array<number>(100_000).fill(0), NaN], [...Array<string>(100_000).fill('x'), 1],
    new Proxy([0], {}), // a Proxy is not an Array to the addon
  ];
  return [...nums, ...strings, ...objects, ...arrays];
}

// ---------------------------------------------------------------- the target

let parent: ChildProcess; // sh, exec'd into a `sleep` that never reaps its child
let target = 0; // the grandchild: the only real pid setters and signals get
let targetPidfd = -1;

/** ppid of `pid` from /proc (or -1). */
function ppidOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

beforeAll(async () => {
  parent = spawn('/bin/sh', ['-c', 'sleep 600 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    parent.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    parent.once('error', reject);
    parent.once('exit', () => reject(new Error('the target parent exited')));
  });
  target = Number(line);
  expect(target).toBeGreaterThan(1);
  expect(ppidOf(target)).toBe(parent.pid);
  targetPidfd = binding().pidfdOpen(target);
}, 30_000);

afterAll(() => {
  if (targetPidfd >= 0) closeSync(targetPidfd);
  // The grandchild first, while its parent (which never reaps it) still holds its pid; then the parent.
  if (target > 1 && parent && ppidOf(target) === parent.pid) process.kill(target, 'SIGKILL');
  if (parent && parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
});

// ---------------------------------------------------------------- the bindings

/** Placeholders replaced at call time. */
const OWN_FD = Symbol('a fresh descriptor of /dev/null, opened for this call');
const PIDFD = Symbol('the pidfd of the target');
const TARGET = Symbol('the target pid');

interface ArgSpec {
  /** A valid value (used where another position is being fuzzed). */
  good: unknown;
  /** Integer values in [lo, hi] the addon accepts and would act on: only `allow` of them are used. */
  acts?: { lo: number; hi: number; allow: unknown[] };
  /** Values tried here besides the common hostile ones. */
  extra?: unknown[];
}
interface Spec {
  args: ArgSpec[];
  async?: boolean;
  /** At most this many calls in all (sync(2) flushes the whole machine). */
  max?: number;
  /** Closes what a call returned (pidfdOpen's descriptor). */
  after?: (ret: unknown) => void;
}

const paths = ['/proc/self/stat', '/proc/self/status', '/proc/self/cmdline', '/proc/loadavg', '/dev/null', '/', '/nonexistent', 'package.json', ''];
const procNames = ['stat', 'statm', 'status', 'cmdline', 'io', 'environ', 'wchan', 'mem', 'maps', 'nonexistent', '', '/', 'task'];
// Only these integer ranges act on something; everything else in them is replaced.
const pidRead = (): ArgSpec => ({ good: TARGET, acts: { lo: 0, hi: 0x7fffffff, allow: [TARGET, NO_PID, 0, process.pid] } });
const pidSet = (): ArgSpec => ({ good: TARGET, acts: { lo: 0, hi: 0x7fffffff, allow: [TARGET, NO_PID] } });

function specs(): Record<keyof NativeBinding, Spec> {
  const strArray = (good: string[]): ArgSpec => ({ good, extra: [paths, procNames, Array(5000).fill('/nonexistent'), [...paths, 1]] });
  return {
    readFile: { args: [{ good: '/proc/self/stat', extra: paths }, { good: undefined, extra: [0, 1, 4096, 2 ** 30] }] },
    readFiles: { args: [strArray(paths)] },
    readFilesAsync: { args: [strArray(paths)], async: true },
    readProc: {
      args: [
        { good: '/proc', extra: ['/proc', '/nonexistent', 'proc', '/proc/'] },
        { good: [TARGET], acts: undefined, extra: [[TARGET, process.pid, 0, NO_PID], Array(2000).fill(NO_PID), [TARGET, -1], [TARGET, NaN], [TARGET, 'x']] },
        { good: ['stat'], extra: [procNames, ['..'], ['stat', '..'], ['x/../stat']] },
        { good: true, extra: [0, 1, 'yes'] },
        // into: a Buffer to reuse (too small, empty, a view, not a Buffer).
        { good: undefined, extra: [Buffer.alloc(0), Buffer.alloc(16), Buffer.alloc(1 << 20), Buffer.alloc(64).subarray(8, 9), new Uint8Array(64), 'buf', 5, {}] },
      ],
    },
    listNumeric: { args: [{ good: '/proc', extra: ['/proc/self/task', '/proc/self/fd', '/nonexistent', '/dev/null', '/', 'proc', ''] }] },
    readProcAsync: {
      args: [
        { good: '/proc', extra: ['/proc', '/nonexistent'] },
        { good: [TARGET], extra: [[TARGET, process.pid, 0, NO_PID], [TARGET, -1]] },
        { good: ['stat'], extra: [procNames, ['..']] },
        { good: false },
      ],
      async: true,
    },
    sysconf: { args: [] },
    statvfs: { args: [{ good: '/', extra: paths }] },
    statvfsAsync: { args: [{ good: '/', extra: paths }], async: true },
    getifaddrs: { args: [] },
    // Only names that exist: ioctls on a missing name make the kernel try to load a module (netdev-<name>).
    ifStats: { args: [{ good: 'lo', acts: undefined, extra: ['lo'] }] },
    ifConfig: { args: [{ good: 'lo', acts: undefined, extra: ['lo', 'lo:0'] }] },
    schedGetaffinity: { args: [pidRead()] },
    schedSetaffinity: { args: [pidSet(), { good: [0], extra: [[0, 1], [1], [2 ** 20 - 1], [2 ** 20], Array(100_000).fill(0)] }] },
    ioprioGet: { args: [pidRead()] },
    ioprioSet: { args: [pidSet(), { good: 2 }, { good: 4 }] },
    prlimit: { args: [pidSet(), { good: 7 }, { good: undefined, extra: [-1, 0, 1024, 2 ** 53] }, { good: undefined, extra: [-1, 0, 1024, 2 ** 53] }] },
    getpwuid: { args: [{ good: 0, extra: [65534, 2 ** 32 - 1, 2 ** 32] }] },
    getgrgid: { args: [{ good: 0, extra: [65534, 2 ** 32 - 1, 2 ** 32] }] },
    getpwnam: { args: [{ good: 'root', extra: ['nobody', 'no-such-user'] }] },
    getgrnam: { args: [{ good: 'root', extra: ['nogroup', 'no-such-group'] }] },
    pidfdOpen: {
      args: [pidRead()],
      after: (fd) => {
        if (typeof fd === 'number') closeSync(fd);
      },
    },
    pollReadable: { args: [{ good: PIDFD, acts: { lo: 0, hi: 0x7fffffff, allow: [PIDFD, NO_FD] } }, { good: 0, acts: { lo: -1, hi: 0x7fffffff, allow: [0, 1] } }] },
    pollReadableAsync: {
      args: [{ good: PIDFD, acts: { lo: 0, hi: 0x7fffffff, allow: [PIDFD, NO_FD] } }, { good: 0, acts: { lo: -1, hi: 0x7fffffff, allow: [0, 1] } }],
      async: true,
    },
    closeFd: { args: [{ good: OWN_FD, acts: { lo: 0, hi: 0x7fffffff, allow: [OWN_FD, NO_FD] } }] },
    getpriority: { args: [pidRead()] },
    setpriority: { args: [pidSet(), { good: 5, extra: [-20, 19, -40, 40] }] },
    getids: { args: [] },
    sigqueue: {
      // Every integer pid the addon accepts (±0x7fffffff) acts: only the target and NO_PID are used.
      args: [{ good: TARGET, acts: { lo: -0x7fffffff, hi: 0x7fffffff, allow: [TARGET, NO_PID] } }, { good: 0, extra: [0, 9, 19, 34, 64] }, { good: 0 }],
    },
    // A few families and protocols only: an unknown protocol makes the kernel try to load an inet_diag module.
    inetDiag: {
      args: [
        { good: 2, acts: { lo: 0, hi: 255, allow: [2, 10] } },
        { good: 6, acts: { lo: 0, hi: 255, allow: [6, 17, 255] } },
        { good: 0xfff, extra: [0, 2 ** 32 - 1] },
        { good: undefined, extra: [0, 2, 255] },
      ],
    },
    inetDiagAsync: {
      args: [
        { good: 10, acts: { lo: 0, hi: 255, allow: [2, 10] } },
        { good: 17, acts: { lo: 0, hi: 255, allow: [6, 17, 255] } },
        { good: 0xfff },
        { good: 2 },
      ],
      async: true,
    },
    unixDiag: { args: [{ good: 0xfff, extra: [0, 2 ** 32 - 1] }, { good: 0x1f, extra: [0, 2 ** 32 - 1] }] },
    unixDiagAsync: { args: [{ good: 0xfff }, { good: 0x1f }], async: true },
    socketOwners: { args: [{ good: '/proc', extra: ['/proc', '/nonexistent', '/', '/tmp'] }] },
    socketOwnersAsync: { args: [{ good: '/proc', extra: ['/proc', '/nonexistent'] }], async: true },
    sync: { args: [], max: 3 },
  };
}

// ---------------------------------------------------------------- calling

/** Whether `v` is an integer the addon accepts in [lo, hi] (-0 counts as 0). */
const acceptedInt = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

/** The hostile values allowed in one position. */
function poolFor(a: ArgSpec, common: unknown[]): unknown[] {
  const vals = [...common, ...(a.extra ?? [])];
  if (!a.acts) return vals;
  const { lo, hi, allow } = a.acts;
  return [...vals.filter((v) => !acceptedInt(v, lo, hi)), ...allow];
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `string(${v.length}) ${JSON.stringify(v.slice(0, 20))}…` : JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (Array.isArray(v)) {
    try {
      return `array(${v.length})`;
    } catch {
      return 'array(?)';
    }
  }
  if (v === null || v === undefined) return String(v);
  return typeof v === 'function' ? 'function' : 'object';
}

/** Whether `e` is an acceptable failure. */
function acceptable(e: unknown): boolean {
  if (e instanceof Thrown || e instanceof TypeError || e instanceof RangeError) return true;
  return isErrnoError(e) && typeof (e as { syscall?: unknown }).syscall === 'string' && (e as { errno: number }).errno < 0;
}

interface Tally {
  calls: number;
  byName: Map<string, number>;
  outcomes: Map<string, number>;
  failures: string[];
}

async function call(b: Record<string, (...a: unknown[]) => unknown>, name: string, spec: Spec, args: unknown[], t: Tally): Promise<void> {
  if (spec.max !== undefined && (t.byName.get(name) ?? 0) >= spec.max) return;
  let ownFd = -1;
  const real = args.map((v) => {
    if (v === TARGET) return target;
    if (v === PIDFD) return targetPidfd;
    if (v === OWN_FD) return (ownFd = openSync('/dev/null', 'r'));
    return v;
  });
  t.calls++;
  t.byName.set(name, (t.byName.get(name) ?? 0) + 1);
  let outcome: string;
  let closedOwnFd = false;
  try {
    let ret = b[name]!(...real);
    if (spec.async) {
      if (!(ret instanceof Promise)) throw new Error(`${name} returned ${describeValue(ret)}, not a promise`);
      ret = await ret;
    }
    spec.after?.(ret);
    outcome = 'returned';
    closedOwnFd = true; // closeFd returned: the descriptor is closed
  } catch (e) {
    if (isErrnoError(e)) closedOwnFd = true; // close(2) releases the descriptor even when it fails
    outcome = e instanceof Error ? e.constructor.name : typeof e;
    if (!acceptable(e)) {
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      t.failures.push(`${name}(${args.map(describeValue).join(', ')}) threw ${outcome}: ${msg}`);
    }
  }
  if (ownFd >= 0 && !(name === 'closeFd' && closedOwnFd)) closeSync(ownFd);
  t.outcomes.set(outcome, (t.outcomes.get(outcome) ?? 0) + 1);
}

// ---------------------------------------------------------------- the run

describe(`every binding of the addon, with hostile arguments (seed ${SEED.toString(16)})`, () => {
  const b = () => binding() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const table = specs();
  const t: Tally = { calls: 0, byName: new Map(), outcomes: new Map(), failures: [] };
  // The caller's own settings, compared after the run: the fuzz never acted on itself.
  let before: unknown;
  const own = () => {
    const n = binding();
    return { nice: n.getpriority(0), affinity: n.schedGetaffinity(0), ioprio: n.ioprioGet(0), nofile: n.prlimit(0, 7), cpu: n.prlimit(0, 0) };
  };
  beforeAll(() => {
    before = own();
  });

  it('the table names every exported function, and only those', () => {
    expect(Object.keys(b()).sort()).toEqual(Object.keys(table).sort());
  });

  it('systematic: each argument position × each hostile value, the others valid; and every arity', async () => {
    const common = hostileValues();
    for (const [name, spec] of Object.entries(table)) {
      const good = spec.args.map((a) => a.good);
      // Every arity from none to one more than declared.
      for (let n = 0; n <= good.length + 1; n++) await call(b(), name, spec, n <= good.length ? good.slice(0, n) : [...good, longString], t);
      if (spec.args.length === 0) {
        for (const v of [undefined, longString, { valueOf: thrower }]) await call(b(), name, spec, [v], t);
        continue;
      }
      for (let i = 0; i < spec.args.length; i++) {
        for (const v of poolFor(spec.args[i]!, common)) {
          const args = good.slice();
          args[i] = v;
          await call(b(), name, spec, args, t);
        }
      }
    }
    expect(t.failures.slice(0, 30)).toEqual([]);
  }, 600_000);

  it(`random: ${RANDOM_CALLS} calls mixing valid and hostile values, dropped and extra arguments`, async () => {
    const common = hostileValues();
    const r = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const names = Object.keys(table);
    const pools = new Map(names.map((n) => [n, table[n as keyof NativeBinding].args.map((a) => poolFor(a, common))]));
    const start = t.calls;
    for (let k = 0; k < RANDOM_CALLS; k++) {
      const name = pick(names);
      const spec = table[name as keyof NativeBinding];
      const args = spec.args.map((a, i) => (r() < 0.55 ? a.good : pick(pools.get(name)![i]!)));
      if (r() < 0.1) args.length = Math.floor(r() * args.length);
      if (r() < 0.05) args.push(pick(common));
      await call(b(), name, spec, args, t);
    }
    expect(t.calls - start).toBeGreaterThan(RANDOM_CALLS * 0.9);
    expect(t.failures.slice(0, 30)).toEqual([]);
  }, 600_000);

  it('every binding was called; the caller itself is as it was; the target is still ours', () => {
    for (const name of Object.keys(table)) expect(t.byName.get(name) ?? 0, name).toBeGreaterThan(0);
    expect(own()).toEqual(before);
    expect(ppidOf(target)).toBe(parent.pid);
    // For the log (make test-sanitize reports the count).
    console.log(`native fuzz: ${t.calls} calls (seed ${SEED.toString(16)}); outcomes ${JSON.stringify(Object.fromEntries(t.outcomes))}`);
  });
});
