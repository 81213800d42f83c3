/**
 * From options to output: which sources to scan, which rows to show in what
 * order (plain, sorted, forest, threads), and the text layout procps prints —
 * its column arithmetic (a column that overflows pushes the next one right,
 * the last column gets the rest of the line), headers, and the \_ art. Also
 * the rows as JSON.
 */
import type { ProcRecord, ScanSource } from '../../core/process/scan.js';
import { textCells } from '../../text/procps-escape.js';
import type { FormatNode, SortNode } from './format.js';
import { OUTBUF_SIZE, HEAD, TF, SEL, type PsOptions } from './parser.js';
import { PRINTERS, resetCalendar, type Ctx, type Printer } from './printers.js';
import { ITEMS, Proc, strverscmp, type Env } from '../../text/procps-proc.js';
import { selectionSources, wanted } from './select.js';

/** Items procps always fetches (so a --sort on them works without their column). */
const BASE_ITEMS = [
  'CMD', 'ID_EGID', 'ID_EUID', 'ID_FGID', 'ID_FUID', 'ID_PID', 'ID_PPID', 'ID_RGID', 'ID_RUID', 'ID_SESSION', 'ID_SGID',
  'ID_SUID', 'ID_TGID', 'STATE', 'TTY', 'ID_PGRP', 'ID_TPGID', 'NICE', 'NLWP', 'RSS', 'VM_RSS_LOCKED', 'SIGBLOCKED',
  'SIGCATCH', 'SIGIGNORE', 'SIGNALS', 'SIGPENDING', 'TICS_ALL', 'TICS_ALL_C', 'TIME_ALL', 'TIME_ELAPSED', 'TICS_BEGAN',
  'extra', 'noop',
];

/** Items a printer really reads under these options (args reads environ only with BSD e, comm the command line only with -f). */
function readItems(pr: Printer, o: PsOptions): readonly string[] {
  if (pr === PRINTERS.args) return [o.bsdC ? 'CMD' : 'CMDLINE', ...(o.bsdE ? ['ENVIRON'] : [])];
  if (pr === PRINTERS.comm) return [o.unixF ? 'CMDLINE' : 'CMD', ...(o.bsdE ? ['ENVIRON'] : [])];
  return pr.items;
}

/** The sort keys that take effect: procps sorts only on items it fetched, and a BSD key with direction 0 does nothing. */
export function effectiveSorts(o: PsOptions): SortNode[] {
  const fetched = new Set<string>(BASE_ITEMS);
  for (const f of o.formatList) if (f.pr) for (const i of f.pr.items) fetched.add(i);
  for (const s of o.sortList) for (const i of s.prItems) fetched.add(i);
  return o.sortList.filter((s) => s.reverse !== 0 && fetched.has(s.item));
}

/** What the scan must read: the union of the shown columns', the sort keys' and the selection's sources. */
export function scanSources(o: PsOptions, sorts: readonly SortNode[]): ScanSource[] {
  const src = new Set<ScanSource>(selectionSources(o));
  const addItem = (name: string): void => {
    const it = ITEMS[name];
    if (it) for (const s of it.sources) src.add(s);
  };
  for (const f of o.formatList) {
    if (!f.pr) continue;
    for (const i of readItems(f.pr, o)) addItem(i);
    for (const s of f.pr.sources ?? []) src.add(s);
  }
  for (const s of sorts) addItem(s.item);
  if (o.forestType) addItem('TICS_BEGAN');
  return [...src];
}

/** Whether the scan must include threads. */
export function wantThreads(o: PsOptions, fancy: boolean): boolean {
  if (fancy) return (o.threadFlags & TF.loose_tasks) !== 0;
  return (o.threadFlags & (TF.loose_tasks | TF.show_task)) !== 0;
}

export function isFancy(o: PsOptions): boolean {
  return o.forestType !== '' || o.sortList.length > 0;
}

/** The pids of a -q/--quick-pid selection, in the order given (null when there is none). */
export function quickPids(o: PsOptions): number[] | null {
  const q = o.selection.find((s) => s.type === SEL.PID_QUICK);
  return q ? (q.values as number[]) : null;
}

// ------------------------------------------------------------ sorting

function compareBy(item: string, order: number): (a: Proc, b: Proc) => number {
  const it = ITEMS[item]!;
  const get = it.get;
  if (it.type === 'num') {
    return (a, b) => {
      const x = get(a) as number;
      const y = get(b) as number;
      return x > y ? order : x < y ? -order : 0;
    };
  }
  if (it.type === 'vers') return (a, b) => order * Math.sign(strverscmp(get(a) as string, get(b) as string));
  return (a, b) => {
    const x = get(a) as string;
    const y = get(b) as string;
    return x > y ? order : x < y ? -order : 0;
  };
}

/** Stable sorts applied least important key first (as procps applies its list), so the first key wins. */
function sortProcs(list: Proc[], keys: readonly { item: string; reverse: number }[]): void {
  for (let k = keys.length - 1; k >= 0; k--) list.sort(compareBy(keys[k]!.item, keys[k]!.reverse));
}

// ------------------------------------------------------------ layout

interface Layout {
  activeCols: number;
  wideSignals: boolean;
}

/** The line width: the screen width, or a multiple of it when the fixed columns need more; and whether signal masks get 16 columns. */
export function layoutOf(list: readonly FormatNode[], screenCols: number): Layout {
  let total = 0;
  let wasNormal = 0;
  let sigs = 0;
  list.forEach((f, i) => {
    switch (f.just) {
      case 'S':
        sigs++;
        total += f.width + wasNormal;
        wasNormal = 1;
        break;
      case 'N':
        total += i < list.length - 1 ? f.width : 3;
        total += wasNormal;
        wasNormal = 1;
        break;
      case 'A':
        total += f.width;
        wasNormal = 0;
        break;
      default:
        total += f.width + wasNormal;
        wasNormal = 1;
    }
  });
  let active = screenCols;
  for (let i = 1; ; i++) {
    active = screenCols * i;
    if (active >= total) break;
    if (screenCols * i >= OUTBUF_SIZE / 2) break;
  }
  return { activeCols: active, wideSignals: total + sigs * 7 <= active };
}

/** One output line (a row, or the header when `p` is null), procps's column arithmetic. */
function line(list: readonly FormatNode[], p: Proc | null, ctx: Ctx, lay: Layout): string {
  let correct = 0;
  let actual = 0;
  let dospace = 0;
  let out = '';
  const n = list.length;
  for (let k = 0; k < n; k++) {
    const f = list[k]!;
    const last = k === n - 1;
    let legit = 0;
    let tmpspace: number;
    let room: number;
    if (!last) {
      room = f.width;
      tmpspace = 0;
    } else {
      tmpspace = correct - actual;
      if (tmpspace < 1) {
        tmpspace = dospace;
        room = lay.activeCols - actual - tmpspace;
      } else {
        room = lay.activeCols - (correct > actual ? correct : actual);
      }
    }
    if (room <= 0) room = 0;
    else if (room >= OUTBUF_SIZE) room = OUTBUF_SIZE - 1;

    let text: string;
    let amount: number;
    if (p && f.pr) {
      ctx.maxRightward = room;
      text = f.pr.text(p, ctx);
      amount = textCells(text);
    } else {
      text = f.name;
      amount = Buffer.byteLength(text);
    }
    let leftpad = 0;
    switch (f.just) {
      case 'R':
        leftpad = Math.max(0, f.width - amount);
        break;
      case 'S':
        if (lay.wideSignals) {
          leftpad = 16 - amount;
          legit = 7;
        } else leftpad = 9 - amount;
        if (leftpad < 0) leftpad = 0;
        break;
      case 'U':
        leftpad = ctx.userIsNumber ? Math.max(0, f.width - amount) : 0;
        break;
      case 'W':
        if (ctx.wchanIsNumber) leftpad = Math.max(0, f.width - amount);
        else if (lay.activeCols - actual - tmpspace < 1) text = text.slice(0, 1);
        break;
      case 'N':
        if (lay.activeCols - actual - tmpspace < 1) text = text.slice(0, 1);
        break;
      default:
        break;
    }
    let space = correct - actual + leftpad;
    if (space < 1) space = dospace;
    if (space > 144) space = 144;
    out += space > 0 ? ' '.repeat(space) + text : text;
    if (last) break;
    actual += space + amount;
    correct += f.width + legit;
    if (f.pr && list[k + 1]!.pr) {
      correct++;
      dospace = 1;
    } else dospace = 0;
  }
  return `${out}\n`;
}

// ------------------------------------------------------------ the run

export interface Emitter {
  row(p: Proc, list: readonly FormatNode[], prefix: string): void;
  /** True when anything (a row or a header) was printed. */
  readonly any: boolean;
  finish(): string;
}

/** Text output: rows and headers as procps prints them. */
export function textEmitter(o: PsOptions, env: Env): Emitter {
  resetCalendar();
  const lay = layoutOf(o.formatList, o.screenCols);
  const ctx = printContext(o, env, { maxRightward: 0, wideSignals: lay.wideSignals, linesToNext: 1 });
  let linesToNext = 1;
  let headerGap = -1;
  if (o.headerType === HEAD.MULTI) headerGap = o.screenRows - 1;
  else if (o.headerType === HEAD.NONE) linesToNext = -1;
  else if (!o.formatList.some((f) => f.name !== '' && f.pr)) linesToNext = -1;
  const chunks: string[] = [];
  let any = false;
  const header = (): void => {
    chunks.push(line(o.formatList, null, ctx, lay));
  };
  return {
    row(p, list, prefix) {
      if (!--linesToNext) {
        linesToNext = headerGap;
        header();
      }
      any = true;
      ctx.forestPrefix = prefix;
      ctx.linesToNext = linesToNext;
      chunks.push(line(list, p, ctx, lay));
    },
    get any() {
      return any;
    },
    finish() {
      if (!any && !--linesToNext) header();
      return chunks.join('');
    },
  };
}

/** The printers' context for one run: the options' flags plus what differs between text and JSON. */
function printContext(o: PsOptions, env: Env, own: Pick<Ctx, 'maxRightward' | 'wideSignals' | 'linesToNext'>): Ctx {
  return {
    env,
    forestPrefix: '',
    forestType: o.forestType,
    bsdE: o.bsdE,
    bsdC: o.bsdC,
    unixF: o.unixF,
    userIsNumber: o.userIsNumber,
    wchanIsNumber: o.wchanIsNumber,
    includeDead: o.includeDead,
    ...own,
  };
}

/** JSON output: one object per row, keyed by each column's keyword. */
export function jsonEmitter(o: PsOptions, env: Env): Emitter {
  resetCalendar();
  const ctx = printContext(o, env, { maxRightward: OUTBUF_SIZE - 1, wideSignals: true, linesToNext: 0 });
  const keys = jsonKeys(o.formatList);
  // BSD e shows the environment after the command: in JSON it is the row's
  // "environ" array (null when unreadable), beside the command's value.
  const withEnviron = o.bsdE && o.formatList.some((f) => f.pr === PRINTERS.args || f.pr === PRINTERS.comm) && !keys.includes('environ');
  const rows: Record<string, unknown>[] = [];
  return {
    row(p, list) {
      const obj: Record<string, unknown> = {};
      list.forEach((f, i) => {
        const k = keys[i];
        if (k === null || k === undefined) return;
        obj[k] = f.pr ? f.pr.json(p, ctx) : null;
      });
      if (withEnviron) obj.environ = p.environList;
      rows.push(obj);
    },
    get any() {
      return rows.length > 0;
    },
    finish() {
      // One row per line: compact, and still readable without jq.
      return rows.length ? `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n` : '[]\n';
    },
  };
}

/** JSON keys: each column's keyword; a repeated keyword gets _2, _3...; AIX filler text has none. */
export function jsonKeys(list: readonly FormatNode[]): (string | null)[] {
  const seen = new Map<string, number>();
  return list.map((f) => {
    if (!f.pr || f.spec === '') return null;
    const n = (seen.get(f.spec) ?? 0) + 1;
    seen.set(f.spec, n);
    return n === 1 ? f.spec : `${f.spec}_${n}`;
  });
}

/** Format lists for process and thread lines under m/-m: thread-only columns print '-' on process lines and vice versa. */
function splitLists(o: PsOptions): { proc: FormatNode[]; task: FormatNode[] } {
  if (!(o.threadFlags & TF.show_both)) return { proc: o.formatList, task: o.formatList };
  const nop = PRINTERS.nop!;
  const proc = o.formatList.map((f) => (f.mask === 'TO' && f.pr ? { ...f, pr: nop } : f));
  const task = o.formatList.map((f) => (f.mask === 'PO' && f.pr ? { ...f, pr: nop } : f));
  return { proc, task };
}

/** Shows the scanned records: plain, threads, sorted or as a forest, exactly in procps's order. */
export function show(records: readonly ProcRecord[], o: PsOptions, env: Env, out: Emitter): void {
  const { proc: procList, task: taskList } = splitLists(o);
  const procs = records.map((r) => new Proc(r, env));
  if (!isFancy(o)) {
    switch (o.threadFlags & (TF.show_proc | TF.loose_tasks | TF.show_task)) {
      case TF.show_proc:
        for (const p of procs) if (wanted(p, o)) out.row(p, procList, '');
        return;
      case TF.show_task:
      case TF.show_proc | TF.loose_tasks:
        for (const p of procs) if (wanted(p, o)) out.row(p, taskList, '');
        return;
      case TF.show_proc | TF.show_task: {
        // m / -m: each process line, then a line per thread (the leader again first).
        const all = [...procs];
        sortProcs(all, [{ item: 'ID_TGID', reverse: 1 }, { item: 'TICS_BEGAN', reverse: 1 }]);
        let i = 0;
        while (i < all.length) {
          const p = all[i]!;
          if (!wanted(p, o)) {
            i++;
            continue;
          }
          const self = p.tid;
          out.row(p, procList, '');
          const start = i;
          for (; i < all.length; i++) {
            const t = all[i]!;
            if (t.tgid !== self) break;
            out.row(t, taskList, '');
          }
          // A wanted thread whose leader was not: procps would loop on it forever; move on.
          if (i === start) i++;
        }
        return;
      }
      default:
        return;
    }
  }
  const list = procs.filter((p) => wanted(p, o));
  if (!list.length) return;
  const sorts = effectiveSorts(o);
  let keys: { item: string; reverse: number }[] = sorts;
  if (o.forestType) {
    keys = [...(o.sortList.length ? sorts : [{ item: 'ID_PPID', reverse: 1 }]), { item: 'TICS_BEGAN', reverse: 1 }];
  }
  sortProcs(list, keys);
  if (!o.forestType) {
    for (const p of list) out.row(p, procList, '');
    return;
  }
  showForest(list, o, (p, prefix) => out.row(p, o.formatList, prefix));
}

/** procps's tree walk: roots (parent not shown) from the last one back, children as the contiguous run with that parent. */
function showForest(procs: readonly Proc[], o: PsOptions, emit: (p: Proc, prefix: string) => void): void {
  const n = procs.length;
  const pids = new Set(procs.map((p) => p.tid));
  const prefix: string[] = [];
  const firstChild = new Map<number, number>();
  procs.forEach((p, i) => {
    if (!firstChild.has(p.r.stat.ppid)) firstChild.set(p.r.stat.ppid, i);
  });
  const tree = (self: number, level: number, sibling: boolean): void => {
    if (level) prefix[level - 1] = sibling ? '+' : 'L';
    prefix.length = level;
    emit(procs[self]!, prefix.join(''));
    const selfPid = procs[self]!.tid;
    let i = firstChild.get(selfPid);
    if (i === undefined) return;
    if (level) prefix[level - 1] = sibling ? '|' : ' ';
    prefix.length = level;
    for (;;) {
      if (i >= n) break;
      const more = i + 1 < n && procs[i + 1]!.r.stat.ppid === selfPid;
      if (selfPid === 1 && o.forestType !== 'u') tree(i++, level, more);
      else tree(i++, level + 1, more);
      if (!more) break;
    }
    prefix.length = level;
  };
  for (let i = n - 1; i >= 0; i--) {
    if (pids.has(procs[i]!.r.stat.ppid)) continue;
    tree(i, 0, false);
  }
}
