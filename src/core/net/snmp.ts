/**
 * Per-protocol network statistics: /proc/net/snmp and /proc/net/netstat
 * (pairs of "Table: names" / "Table: values" lines), /proc/net/snmp6 and
 * /proc/net/sctp/snmp ("Name value" lines). Tables and counters keep the
 * kernel's order, which is the order netstat -s prints them in.
 */
import { ParseError } from '../base/errors.js';
import { readProcNetOptional } from '../base/read.js';

/** One counter. Values are the kernel's signed 64-bit numbers (Tcp MaxConn is -1). */
export type Counter = readonly [name: string, value: number];

/** One table of /proc/net/snmp or /proc/net/netstat. */
export interface SnmpTable {
  readonly table: string;
  readonly counters: readonly Counter[];
}

/**
 * /proc/net/snmp or /proc/net/netstat: each table is a line of names and a
 * line of values, both starting with "Table:". Blank lines are skipped.
 */
export function parseSnmp(text: string, source = '/proc/net/snmp'): SnmpTable[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length % 2 !== 0) throw new ParseError(source, 'a table without its values line');
  const out: SnmpTable[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const a = lines[i]!;
    const b = lines[i + 1]!;
    const ca = a.indexOf(':');
    const cb = b.indexOf(':');
    if (ca <= 0 || cb <= 0) throw new ParseError(source, `no "Table:" in ${JSON.stringify(ca <= 0 ? a : b)}`);
    const table = a.slice(0, ca);
    if (b.slice(0, cb) !== table) throw new ParseError(source, `names for ${table} followed by values for ${b.slice(0, cb)}`);
    const names = a.slice(ca + 1).trim().split(/\s+/).filter((n) => n !== '');
    const values = b.slice(cb + 1).trim().split(/\s+/).filter((n) => n !== '');
    if (names.length !== values.length) throw new ParseError(source, `${table}: ${names.length} names but ${values.length} values`);
    out.push({
      table,
      counters: names.map((n, k): Counter => {
        const v = values[k]!;
        if (!/^-?\d+$/.test(v)) throw new ParseError(source, `${table} ${n}: not a number ${JSON.stringify(v)}`);
        return [n, Number(v)];
      }),
    });
  }
  return out;
}

/** /proc/net/snmp6 or /proc/net/sctp/snmp: one "Name value" per line. */
export function parseNameValue(text: string, source = '/proc/net/snmp6'): Counter[] {
  const out: Counter[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t.length < 2 || !/^-?\d+$/.test(t[1]!)) throw new ParseError(source, `malformed line ${JSON.stringify(line)}`);
    out.push([t[0]!, Number(t[1])]);
  }
  return out;
}

/** Every statistics file the kernel offers; a part is null when its file is absent. */
export interface NetProtoStats {
  /** /proc/net/snmp: Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite. */
  readonly snmp: SnmpTable[] | null;
  /** /proc/net/netstat: TcpExt, IpExt, MPTcpExt... */
  readonly netstat: SnmpTable[] | null;
  /** /proc/net/snmp6: Ip6*, Icmp6*, Udp6*, UdpLite6*. */
  readonly snmp6: Counter[] | null;
  /** /proc/net/sctp/snmp (the sctp module loaded). */
  readonly sctp: Counter[] | null;
}

/** Reads and parses the statistics files (each once). */
export function netProtoStats(): NetProtoStats {
  const snmp = readProcNetOptional('snmp');
  const netstat = readProcNetOptional('netstat');
  const snmp6 = readProcNetOptional('snmp6');
  const sctp = readProcNetOptional('sctp', 'snmp');
  return {
    snmp: snmp === null ? null : parseSnmp(snmp, '/proc/net/snmp'),
    netstat: netstat === null ? null : parseSnmp(netstat, '/proc/net/netstat'),
    snmp6: snmp6 === null ? null : parseNameValue(snmp6, '/proc/net/snmp6'),
    sctp: sctp === null ? null : parseNameValue(sctp, '/proc/net/sctp/snmp'),
  };
}
