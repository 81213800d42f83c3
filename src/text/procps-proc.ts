/**
 * A scanned process as procps's tools (ps, top) see it: core/process/items's
 * derived values (ProcItems: names, terminal name, elapsed time...) plus the
 * strings libproc2 hands its tools escaped (CMD, CMDLINE, ENVIRON, CGROUP,
 * EXE), computed on first use. ITEMS are procps's result items: what
 * columns print from, what --sort compares, and which scan sources each
 * needs — core's typed items and the escaped ones added here.
 */
import { ITEMS as CORE_ITEMS, ProcItems, type Item as CoreItem, type ItemEnv } from '../core/process/items.js';
import type { ProcRecord } from '../core/process/scan.js';
import { libEscape, procpsCmdline, unvectored } from './procps-escape.js';

export { groupOf, userOf, systemdInfo, vectorText, type SdInfo, type SortType } from '../core/process/items.js';
export { unvectored } from './procps-escape.js';

/** Facts shared by every row of one run: core's, and whether the locale is UTF-8 (for the escape). */
export interface Env extends ItemEnv {
  utf8: boolean;
}

/** The process's row data, derived lazily from its record. */
export class Proc extends ProcItems {
  declare readonly env: Env;
  private _cmd?: string;
  private _cmdline?: string;
  private _environ?: string;
  private _cgroup?: string;
  /** ps's %CPU per-mille for sorting in fancy output (procps's "extra"). */
  pcpuExtra = 0;

  constructor(r: ProcRecord, env: Env) {
    super(r, env);
  }

  /** The command name, escaped (procps's CMD). */
  get cmd(): string {
    return (this._cmd ??= libEscape(this.r.stat.comm.slice(0, 63), this.env.utf8));
  }

  /** The command line as one escaped string; "[comm]" (and " <defunct>") when there is none (procps's CMDLINE). */
  get cmdline(): string {
    return (this._cmdline ??= procpsCmdline(this.r.cmdline ?? '', this.r.stat.comm, this.r.stat.state, this.env.utf8));
  }

  /** The environment as one escaped string, or "-". */
  get environ(): string {
    if (this._environ === undefined) {
      const raw = this.r.environ ?? '';
      const s = raw.length > 0 ? libEscape(unvectored(raw, ' '), this.env.utf8) : '';
      this._environ = s === '' ? '-' : s;
    }
    return this._environ;
  }

  /** The non-root cgroups, comma-separated, or "-". */
  get cgroup(): string {
    if (this._cgroup === undefined) {
      const raw = this.r.cgroup ?? '';
      const parts: string[] = [];
      for (const line of unvectored(raw, '\0').split('\0')) {
        if (line === '' || line.endsWith('/')) continue;
        parts.push(libEscape(line, this.env.utf8));
      }
      this._cgroup = parts.length ? parts.join(',') : '-';
    }
    return this._cgroup;
  }
  get cgname(): string {
    const c = this.cgroup;
    const i = c.indexOf(':name=');
    return i >= 0 && c.length > i + 6 ? c.slice(i + 6) : c;
  }

  get exe(): string {
    const e = this.r.exe;
    return e === null || e === '' ? '-' : libEscape(e, this.env.utf8);
  }
}

export type Item = CoreItem<Proc>;

const str = (sources: Item['sources'], f: (p: Proc) => string): Item => ({ sources, type: 'str', get: f });

/** procps's result items, by name (PIDS_... without the prefix): core's typed ones and ps's escaped ones. */
export const ITEMS: Record<string, Item> = {
  ...(CORE_ITEMS as Record<string, Item>),
  extra: { sources: ['stat'], type: 'num', get: (p) => p.pcpuExtra },
  CMD: str(['stat'], (p) => p.cmd),
  CMDLINE: str(['cmdline'], (p) => p.cmdline),
  ENVIRON: str(['environ'], (p) => p.environ),
  CGROUP: str(['cgroup'], (p) => p.cgroup),
  CGNAME: str(['cgroup'], (p) => p.cgname),
  EXE: str(['exe'], (p) => p.exe),
};

/** loginuid as procps reads it (atoi into an int: 4294967295 is -1; unreadable is -1). */
export function loginId(p: Proc): number {
  return p.loginId;
}

// glibc's strverscmp as a small state machine: states "normal", "integral
// part", "fractional part" (a run that began with 0) and "leading zeros";
// character classes "other", "digit 1-9", "0".
const SV_NEXT = [
  [0, 3, 9], // normal
  [0, 3, 3], // integral
  [0, 6, 6], // fractional
  [0, 6, 9], // zeros
];
const CMP = 2;
const LEN = 3;
// Outcome by state and the classes of the two differing characters (rows: a's class, columns: b's class).
const SV_RESULT: number[][][] = [
  [[CMP, CMP, CMP], [CMP, LEN, CMP], [CMP, CMP, CMP]],
  [[CMP, -1, -1], [1, LEN, LEN], [1, LEN, LEN]],
  [[CMP, CMP, CMP], [CMP, CMP, CMP], [CMP, CMP, CMP]],
  [[CMP, 1, 1], [-1, CMP, CMP], [-1, CMP, CMP]],
];

/** glibc's strverscmp (digit runs compare as numbers; runs with leading zeros as fractions). */
export function strverscmp(a: string, b: string): number {
  if (a === b) return 0;
  const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
  const isD = (c: number): boolean => c >= 48 && c <= 57;
  const cls = (c: number): number => (c === 48 ? 2 : isD(c) ? 1 : 0);
  let i = 0;
  let c1 = at(a, 0);
  let c2 = at(b, 0);
  let row = 0;
  while (c1 === c2) {
    if (c1 === 0) return 0;
    row = SV_NEXT[row]![cls(c1)]! / 3;
    i++;
    c1 = at(a, i);
    c2 = at(b, i);
  }
  const diff = c1 - c2;
  const r = SV_RESULT[row]![cls(c1)]![cls(c2)]!;
  if (r === CMP) return diff;
  if (r === LEN) {
    // Both inside digit runs: the longer run is the larger number.
    let p1 = i;
    let p2 = i;
    while (isD(at(a, p1++))) if (!isD(at(b, p2++))) return 1;
    return isD(at(b, p2)) ? -1 : diff;
  }
  return r;
}
