/**
 * `ptools` with no command: a short summary of the system, read through the
 * core API. collect → render, as every command; the layout is a cli-table3
 * table (ptools' own output, not a namesake's).
 */
import Table from 'cli-table3';
import * as core from '../../core/index.js';

export interface Summary {
  bootTime: number;
  uptime: number;
  loadavg: [number, number, number];
  cpuLogical: number | null;
  cpuPhysical: number | null;
  cpuPercent: number;
  memory: core.VirtualMemory;
  swap: core.SwapMemory;
  root: core.DiskUsage | null;
  interfaces: { name: string; isup: boolean; addresses: string[] }[];
  users: number;
}

export function collect(now = Date.now() / 1000): Summary {
  const bootTime = core.bootTime();
  const stats = core.netIfStats();
  const addrs = core.netIfAddrs();
  let root: core.DiskUsage | null = null;
  try {
    root = core.diskUsage('/');
  } catch {
    root = null;
  }
  return {
    bootTime,
    uptime: now - bootTime,
    loadavg: core.getloadavg(),
    cpuLogical: core.cpuCount(),
    cpuPhysical: core.cpuCount({ logical: false }),
    cpuPercent: core.cpuPercent({ interval: 0.1 }) as number,
    memory: core.virtualMemory(),
    swap: core.swapMemory(),
    root,
    interfaces: Object.keys(addrs).sort().map((name) => ({
      name,
      isup: stats[name]?.isup ?? false,
      addresses: (addrs[name] ?? []).filter((a) => a.family === core.AF_INET || a.family === core.AF_INET6).map((a) => a.address),
    })),
    users: core.users().length,
  };
}

function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n}${units[i]}` : `${n.toFixed(1)}${units[i]}`;
}

function duration(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${d ? `${d} day${d === 1 ? '' : 's'}, ` : ''}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** cli-table3 without borders: columns separated by blanks. */
const BARE = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

/** A borderless table; the first column `first` wide when given. Lines without trailing blanks. */
function table(rows: string[][], first?: number): string {
  const t = new Table({
    chars: BARE,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 1 },
    ...(first !== undefined ? { colWidths: [first] } : {}),
  });
  t.push(...rows);
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

export function render(s: Summary): string {
  const facts = [
    ['booted', `${new Date(s.bootTime * 1000).toISOString()} (up ${duration(s.uptime)}), ${s.users} user${s.users === 1 ? '' : 's'}`],
    ['cpu', `${s.cpuLogical ?? '?'} logical, ${s.cpuPhysical ?? '?'} physical, ${s.cpuPercent.toFixed(1)}% busy, load ${s.loadavg.map((l) => l.toFixed(2)).join(' ')}`],
    ['memory', `${human(s.memory.used)} used of ${human(s.memory.total)} (${s.memory.percent}%), ${human(s.memory.available)} available`],
    ['swap', s.swap.total ? `${human(s.swap.used)} used of ${human(s.swap.total)} (${s.swap.percent}%)` : 'none'],
    ['disk /', s.root ? `${human(s.root.used)} used of ${human(s.root.total)} (${s.root.percent}%), ${human(s.root.free)} free` : 'unavailable'],
  ];
  // The interfaces: a table of their own (name, state, addresses), under the same first column.
  const label = Math.max(...facts.map((f) => f[0]!.length)) + 3;
  const nets = s.interfaces.map((i) => ['net', i.name, i.isup ? 'up' : 'down', i.addresses.join(' ')]);
  return [table(facts, label), ...(nets.length ? [table(nets, label)] : [])].join('\n') + '\n';
}
