/**
 * Column lists and sort keys: looking keywords up, parsing -o/o/--format
 * lists (with `keyword=Header` and `keyword:width`), AIX %-descriptors,
 * --sort and one-letter O/k sort keys — procps's rules and error messages.
 */
import { pidMaxDigits } from '../../core/process/items.js';
import { PRINTERS, type Printer } from './printers.js';
import { AIX, formatRows, MACROS, SHORT_SORT, type Just, type PrintMask } from './table.js';

/** One column of the output. AIX filler text has no printer (`pr` null) and alignment 'A'. */
export interface FormatNode {
  /** The keyword it came from (the --json key); '' for AIX filler text. */
  readonly spec: string;
  /** Header text. */
  name: string;
  pr: Printer | null;
  width: number;
  readonly just: Just | 'A';
  readonly mask: PrintMask;
  /** The sort item of the keyword. */
  readonly sortItem: string;
}

export interface SortNode {
  readonly spec: string;
  /** procps result item compared. */
  readonly item: string;
  /** Items its printer reads (a sort item nothing reads is not fetched, and the sort does nothing, as in procps). */
  readonly prItems: readonly string[];
  /** 1 ascending, -1 descending, 0 (a BSD short key without a sign after the first): no effect. */
  reverse: number;
}

interface Spec {
  spec: string;
  head: string;
  printer: string;
  sortItem: string;
  width: number;
  just: Just;
  mask: PrintMask;
  pidmax: boolean;
}

let specs: Map<string, Spec> | undefined;
function specMap(): Map<string, Spec> {
  if (!specs) {
    specs = new Map();
    for (const [spec, head, printer, sortItem, width, just, mask, pidmax] of formatRows()) {
      specs.set(spec, { spec, head, printer, sortItem, width, just, mask, pidmax: pidmax === 1 });
    }
  }
  return specs;
}

export function lookupSpec(spec: string): Spec | undefined {
  return specMap().get(spec);
}

/** Every format keyword with a real printer (what `ps L` lists), for completion. */
export function formatKeywords(): string[] {
  return formatRows().filter((r) => r[2] !== 'nop').map((r) => r[0]);
}

/** Every keyword with a real printer, for `ps L`: "%-12.12s %-8.8s". */
export function listSpecifiers(): string {
  let out = '';
  for (const [spec, head, printer] of formatRows()) {
    if (printer === 'nop') continue;
    out += `${spec.slice(0, 12).padEnd(12)} ${head.slice(0, 8).padEnd(8)}\n`;
  }
  return out;
}

let pidWidth: number | undefined;

/** A keyword (or a macro's keywords) as column nodes; null when unknown. */
export function oneSpec(spec: string, override: string | null): FormatNode[] | null {
  const fs = specMap().get(spec);
  if (fs) {
    let w = fs.width;
    if (fs.pidmax) {
      w = (pidWidth ??= pidMaxDigits());
      if (fs.head.length > w) w = fs.head.length;
    }
    const printer = PRINTERS[fs.printer];
    if (!printer) throw new Error(`ps: no printer ${fs.printer}`);
    return [
      {
        spec,
        name: override ?? fs.head,
        pr: printer,
        width: override !== null ? Math.max(w, override.length) : w,
        just: fs.just,
        mask: fs.mask,
        sortItem: fs.sortItem,
      },
    ];
  }
  const macro = MACROS[spec];
  if (macro !== undefined) {
    const out: FormatNode[] = [];
    for (const k of macro.split(/[, ]/)) out.push(...oneSpec(k, override)!);
    return out;
  }
  return null;
}

export function mustSpec(spec: string): FormatNode[] {
  const n = oneSpec(spec, null);
  if (!n) throw new Error(`ps: unknown built-in keyword ${spec}`);
  return n;
}

const SEPS = new Set([' ', ',', '\t', '\n']);

/** Splits a list on blanks, commas, tabs, newlines; one trailing separator is allowed. */
function splitList(s: string): string[] | 'improper' | 'empty' {
  let need = true;
  let items = 0;
  for (let i = 0; i === 0 || i < s.length; i++) {
    const ch = s[i] ?? '\0';
    if (SEPS.has(ch) || ch === '\0') {
      if (need) return 'improper';
      need = true;
    } else {
      if (need) items++;
      need = false;
    }
  }
  if (!items) return 'empty';
  let t = s;
  if (need) t = t.slice(0, -1);
  return t.split(/[ ,\t\n]/);
}

/** AIX %-descriptors: "%p %c" (each descriptor a column, text between them filler columns). */
function aixParse(sf: string): FormatNode[] | string {
  let items = 0;
  let i = 0;
  let c = sf[i++] ?? '';
  let state: 'initial' | 'more' | 'desc' = 'initial';
  for (;;) {
    if (state === 'initial') {
      if (c === '%') state = 'desc';
      else if (c === '') break;
      else {
        items++;
        state = 'more';
      }
    } else if (state === 'more') {
      c = sf[i++] ?? '';
      if (c === '%') state = 'desc';
      else if (c === ' ') state = 'more';
      else if (c) return 'improper AIX field descriptor';
      else break;
    } else {
      items++;
      c = sf[i++] ?? '';
      if (c && c !== ' ') state = 'initial';
      else return 'missing AIX field descriptor';
    }
  }
  const out: FormatNode[] = [];
  let walk = 0;
  while (items--) {
    if (sf[walk] === '%') {
      walk++;
      if (sf[walk] === '%') return 'missing AIX field descriptor';
      const a = AIX[sf[walk] ?? ''];
      walk++;
      if (!a) return 'unknown AIX field descriptor';
      const n = oneSpec(a[0], a[1]);
      if (!n) return 'AIX field descriptor processing bug';
      out.push(...n);
    } else {
      let len = sf.indexOf('%', walk);
      if (len < 0) len = sf.length;
      const text = sf.slice(walk, len);
      walk = len;
      out.push({ spec: '', name: text, pr: null, width: text.length, just: 'A', mask: 'ET', sortItem: 'noop' });
    }
  }
  return out;
}

/** An -o/o/--format/-O list → columns, or procps's error text. */
export function formatParse(sf: string): FormatNode[] | string {
  const parts = splitList(sf);
  let err: string;
  if (parts === 'improper') err = 'improper format list';
  else if (parts === 'empty') err = 'empty format list';
  else {
    const out: FormatNode[] = [];
    err = '';
    for (const part of parts) {
      let walk = part;
      let header: string | null = null;
      const eq = walk.indexOf('=');
      if (eq >= 0) {
        header = walk.slice(eq + 1);
        walk = walk.slice(0, eq);
      }
      let width: string | null = null;
      const colon = walk.indexOf(':');
      if (colon >= 0) {
        width = walk.slice(colon + 1);
        walk = walk.slice(0, colon);
        if (!/^[1-9]\d*$/.test(width)) {
          err = 'column widths must be unsigned decimal numbers';
          break;
        }
      }
      const nodes = oneSpec(walk, header);
      if (!nodes) {
        err = `unknown user-defined format specifier "${walk}"`;
        break;
      }
      if (width !== null) {
        if (nodes.length > 1) {
          err = 'can not set width for a macro (multi-column) format specifier';
          break;
        }
        nodes[0]!.width = Number(width);
      }
      out.push(...nodes);
    }
    if (!err) return out;
  }
  if (sf.includes('%')) return aixParse(sf);
  return err;
}

/** One --sort key: [+|-]keyword. */
export function oneSort(spec: string): SortNode | null {
  let reverse = 1;
  let s = spec;
  if (s.startsWith('-')) {
    reverse = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const fs = specMap().get(s);
  if (!fs) return null;
  return { spec: s, item: fs.sortItem, prItems: PRINTERS[fs.printer]!.items, reverse };
}

/** A --sort / k list → sort keys in order of importance, or procps's error text. */
export function longSortParse(sf: string): SortNode[] | string {
  const parts = splitList(sf);
  if (parts === 'improper') return 'improper sort list';
  if (parts === 'empty') return 'empty sort list';
  const out: SortNode[] = [];
  for (const p of parts) {
    const n = oneSort(p);
    if (!n) return 'unknown sort specifier';
    out.push(n);
  }
  return out;
}

/** Whether an O argument reads as one-letter sort keys (else it is a format). */
export function verifyShortSort(arg: string, forest: boolean): string | null {
  if (!/^[CGJKMNPRSTUcfgjkmnoprstuvy+-]*$/.test(arg)) return 'bad sorting code';
  const seen = new Set<string>();
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i]!;
    if (ch === '+' || ch === '-') {
      const nx = arg[i + 1];
      if (!nx || nx === '+' || nx === '-') return 'bad sorting code';
      continue;
    }
    if (ch === 'P' && forest) return 'PPID sort and forest output conflict';
    if (seen.has(ch)) return 'bad sorting code';
    seen.add(ch);
  }
  return null;
}

/** One-letter sort keys; a key without its own sign after the first does nothing (procps's direction 0). Keys before an unknown one are kept, as in procps. */
export function shortSortParse(arg: string): SortNode[] {
  const out: SortNode[] = [];
  let direction = 1;
  for (const ch of arg) {
    if (ch === '+') direction = 1;
    else if (ch === '-') direction = -1;
    else {
      const spec = SHORT_SORT[ch];
      const n = spec ? oneSort(spec) : null;
      if (!n) break;
      n.reverse = direction;
      out.push(n);
      direction = 0;
    }
  }
  return out;
}
