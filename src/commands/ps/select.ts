/**
 * Which processes ps shows: -e, the BSD/UNIX "simple" selections (a table
 * indexed by four facts about the process), the lists (-p -u -t -C ...),
 * then r (running only) and -N (negate) — procps's want_this_proc.
 */
import type { ScanSource } from '../../core/process/scan.js';
import { SEL, type PsOptions } from './parser.js';
import type { Proc } from '../../text/procps-proc.js';

function listed(p: Proc, o: PsOptions): boolean {
  const s = p.r.stat;
  for (const sel of o.selection) {
    const v = sel.values;
    switch (sel.type) {
      case SEL.RUID: if (v.includes(p.uids[0]!)) return true; break;
      case SEL.EUID: if (v.includes(p.uids[1]!)) return true; break;
      case SEL.SUID: if (v.includes(p.uids[2]!)) return true; break;
      case SEL.FUID: if (v.includes(p.uids[3]!)) return true; break;
      case SEL.RGID: if (v.includes(p.gids[0]!)) return true; break;
      case SEL.EGID: if (v.includes(p.gids[1]!)) return true; break;
      case SEL.SGID: if (v.includes(p.gids[2]!)) return true; break;
      case SEL.FGID: if (v.includes(p.gids[3]!)) return true; break;
      case SEL.PGRP: if (v.includes(s.pgrp)) return true; break;
      case SEL.PID:
      case SEL.PID_QUICK: if (v.includes(p.tgid)) return true; break;
      case SEL.PPID: if (v.includes(s.ppid)) return true; break;
      case SEL.TTY: if (v.includes(s.ttyNr)) return true; break;
      case SEL.SESS: if (v.includes(s.session)) return true; break;
      case SEL.COMM: {
        const cmd = p.cmd;
        for (const want of v as string[]) {
          // comm is cut at 15 bytes by the kernel; a longer name matches on its first 15.
          if (cmd.length === 15 && want.length >= 15 && cmd === want.slice(0, 15)) return true;
          if (cmd.slice(0, 63) === want.slice(0, 63)) return true;
        }
        break;
      }
      default:
        break;
    }
  }
  return false;
}

function tableAccept(p: Proc, o: PsOptions): boolean {
  const s = p.r.stat;
  const idx = (p.euid === o.cachedEuid ? 1 : 0) | (s.session === p.tgid ? 2 : 0) | (s.ttyNr === 0 ? 4 : 0) | (s.ttyNr === o.cachedTty ? 8 : 0);
  return (o.selectBits & (1 << idx)) !== 0;
}

/** Whether ps shows this process (or thread). */
export function wanted(p: Proc, o: PsOptions): boolean {
  let ok = true;
  if (!o.allProcesses) {
    if ((o.simpleSelect || o.selection.length === 0) && tableAccept(p, o)) ok = true;
    else ok = listed(p, o);
  }
  if (o.runningOnly && p.state !== 'R' && p.state !== 'D') ok = false;
  return o.negate ? !ok : ok;
}

/** The scan sources the selection reads. */
export function selectionSources(o: PsOptions): ScanSource[] {
  if (o.allProcesses) return [];
  const out = new Set<ScanSource>();
  if (o.simpleSelect || o.selection.length === 0) out.add('status');
  for (const s of o.selection) if (s.type >= SEL.RUID && s.type <= SEL.FGID) out.add('status');
  return [...out];
}
