/**
 * /proc/net/dev (the caller's network namespace): the one reader of the
 * file. psutil's net_io_counters() (core/net/net.ts) and net-tools' interface
 * table (core/net/netif.ts, iftable.ts) are views of these records.
 */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';

/** All sixteen counters of one /proc/net/dev line. */
export interface NetDevStats {
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly rxDropped: number;
  /** 'fifo': ifconfig's RX overruns. */
  readonly rxFifo: number;
  readonly rxFrame: number;
  readonly rxCompressed: number;
  readonly rxMulticast: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txErrors: number;
  readonly txDropped: number;
  /** 'fifo': ifconfig's TX overruns. */
  readonly txFifo: number;
  readonly txCollisions: number;
  readonly txCarrier: number;
  readonly txCompressed: number;
}

/** One interface of /proc/net/dev. */
export interface NetDevEntry {
  readonly name: string;
  readonly counters: NetDevStats;
}

const DEV_KEYS: readonly (keyof NetDevStats)[] = [
  'rxBytes', 'rxPackets', 'rxErrors', 'rxDropped', 'rxFifo', 'rxFrame', 'rxCompressed', 'rxMulticast',
  'txBytes', 'txPackets', 'txErrors', 'txDropped', 'txFifo', 'txCollisions', 'txCarrier', 'txCompressed',
];

/**
 * /proc/net/dev, in the file's order: two header lines (recognised by their
 * '|'), then `name: 8 receive counters 8 transmit counters` per interface.
 * The name is everything before the last ':' (there may be no space after it
 * when the first number is wide); extra trailing fields are ignored. u64
 * counters beyond 2^53 lose precision in a JS number.
 */
export function parseNetDev(text: string): NetDevEntry[] {
  const out: NetDevEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.includes('|')) continue;
    const colon = line.lastIndexOf(':');
    if (colon < 0) throw new ParseError('net/dev', `no ':' in ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim();
    if (name === '') throw new ParseError('net/dev', `no interface name in ${JSON.stringify(line)}`);
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    if (fields.length < 16) throw new ParseError('net/dev', `expected 16 counters for ${JSON.stringify(name)}, got ${fields.length}`);
    const c: Record<string, number> = {};
    DEV_KEYS.forEach((k, i) => {
      const f = fields[i]!;
      if (!/^\d+$/.test(f)) throw new ParseError('net/dev', `not a number ${JSON.stringify(f)} for ${JSON.stringify(name)}`);
      c[k] = Number(f);
    });
    out.push({ name, counters: c as unknown as NetDevStats });
  }
  return out;
}

/** <procfs>/net/dev, parsed. */
export function readNetDev(): NetDevEntry[] {
  return parseNetDev(readText(procPath('net', 'dev')));
}
