/** NUMA topology from sysfs: which node each CPU belongs to. */
import { opendirSync } from 'node:fs';
import { ParseError } from '../base/errors.js';
import { sysPath } from '../base/paths.js';
import { tryReadText } from '../base/read.js';
import { parseCpuList } from '../procfs/pid-status.js';

/**
 * cpu number → NUMA node, from sysfs (/sys/devices/system/node/node<N>/cpulist),
 * as libnuma's numa_node_of_cpu answers; -1 for a cpu in no node (or no NUMA
 * information at all).
 */
export function numaNodes(): (cpu: number) => number {
  const map = new Map<number, number>();
  let names: string[] = [];
  try {
    const d = opendirSync(sysPath('devices', 'system', 'node'));
    try {
      for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    names = [];
  }
  for (const name of names) {
    const m = /^node(\d+)$/.exec(name);
    if (!m) continue;
    const list = tryReadText(sysPath('devices', 'system', 'node', name, 'cpulist'));
    if (list === undefined) continue;
    try {
      for (const cpu of parseCpuList(list)) map.set(cpu, Number(m[1]));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
  }
  return (cpu) => map.get(cpu) ?? -1;
}
