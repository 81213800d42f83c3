/**
 * netstat -s: the counters of /proc/net/snmp, netstat, snmp6 and sctp/snmp
 * in net-tools' wording. net-tools keeps a table of known counters per
 * protocol table and finds a counter with the C library's bsearch() — over
 * tables that are not all in strcmp() order, so some counters it "knows" are
 * not found and print as "Name: value" instead. We keep the tables in
 * net-tools' order and search them the same way, so the output matches
 * line for line.
 */
import type { Counter, NetProtoStats, SnmpTable } from '../../core/net/snmp.js';

// Kinds of counter (net-tools' states): indent and how a value prints.
const NUMBER = 0; // always printed
const OPT = 1; // printed when non-zero
const FORWARD = 2; // static configuration: never printed (net-tools never sets print_static)
const ICMP_IN = 3; // histogram entry, printed when > 0, under "ICMP input histogram:"
const ICMP_OUT = 4;
const RTO = 5; // static
type Kind = 0 | 1 | 2 | 3 | 4 | 5;

const INDENT: Readonly<Record<number, number>> = { 0: 4, 1: 4, 2: 4, 3: 8, 4: 8, 5: 0 };
const HISTOGRAM_TITLE: Readonly<Record<number, string>> = { 3: 'ICMP input histogram:', 4: 'ICMP output histogram:' };

interface Entry {
  readonly name: string;
  /** The message; '%' stands for the value. '' = never printed. */
  readonly out: string;
  readonly kind: Kind;
  readonly isStatic?: boolean;
  readonly title?: boolean;
}

const e = (name: string, out: string, kind: Kind, flags: { isStatic?: boolean; title?: boolean } = {}): Entry => ({ name, out, kind, ...flags });
const icmpIn = (name: string, out: string): Entry => e(name, out, ICMP_IN, { title: true });
const icmpOut = (name: string, out: string): Entry => e(name, out, ICMP_OUT, { title: true });

// The tables in net-tools' source order (which matters: see the module comment).
const IP: readonly Entry[] = [
  e('DefaultTTL', 'Default TTL is %', NUMBER, { isStatic: true }),
  e('Forwarding', 'Forwarding is %', FORWARD, { isStatic: true }),
  e('ForwDatagrams', '% forwarded', NUMBER),
  e('FragCreates', '% fragments created', OPT),
  e('FragFails', '% outgoing packets failed fragmentation', OPT),
  e('FragOKs', '% outgoing packets fragmented ok', OPT),
  e('InAddrErrors', '% with invalid addresses', OPT),
  e('InDelivers', '% incoming packets delivered', NUMBER),
  e('InDiscards', '% incoming packets discarded', NUMBER),
  e('InHdrErrors', '% with invalid headers', OPT),
  e('InReceives', '% total packets received', NUMBER),
  e('InUnknownProtos', '% with unknown protocol', OPT),
  e('OutDiscards', '% outgoing packets dropped', OPT),
  e('OutNoRoutes', '% dropped because of missing route', OPT),
  e('OutRequests', '% requests sent out', NUMBER),
  e('ReasmFails', '% packet reassemblies failed', OPT),
  e('ReasmOKs', '% packets reassembled ok', OPT),
  e('ReasmReqds', '% reassemblies required', OPT),
  e('ReasmTimeout', '% fragments dropped after timeout', OPT),
];

const IP6: readonly Entry[] = [
  e('Ip6FragCreates', '% fragments created', OPT),
  e('Ip6FragFails', '% outgoing packets failed fragmentation', OPT),
  e('Ip6FragOKs', '% outgoing packets fragmented ok', OPT),
  e('Ip6InAddrErrors', '% with invalid addresses', OPT),
  e('Ip6InDelivers', '% incoming packets delivered', NUMBER),
  e('Ip6InDiscards', '% incoming packets discarded', NUMBER),
  e('Ip6InHdrErrors', '% with invalid headers', OPT),
  e('Ip6InMcastPkts', '% incoming multicast packets', OPT),
  e('Ip6InNoRoutes', '% incoming packets with no route', OPT),
  e('Ip6InReceives', '% total packets received', NUMBER),
  e('Ip6InTooBigErrors', '% with packets too big', OPT),
  e('Ip6InTruncatedPkts', '% with truncated packets', OPT),
  e('Ip6InUnknownProtos', '% with unknown protocol', OPT),
  e('Ip6OutDiscards', '% outgoing packets dropped', OPT),
  e('Ip6OutForwDatagrams', '% forwarded', NUMBER),
  e('Ip6OutMcastPkts', '% outgoing multicast packets', OPT),
  e('Ip6OutNoRoutes', '% dropped because of missing route', OPT),
  e('Ip6OutRequests', '% requests sent out', NUMBER),
  e('Ip6ReasmFails', '% packet reassemblies failed', OPT),
  e('Ip6ReasmOKs', '% packets reassembled ok', OPT),
  e('Ip6ReasmReqds', '% reassemblies required', OPT),
  e('Ip6ReasmTimeout', '% fragments dropped after timeout', OPT),
];

const ICMP: readonly Entry[] = [
  icmpIn('InAddrMaskReps', 'address mask replies: %'),
  icmpIn('InAddrMasks', 'address mask request: %'),
  icmpIn('InDestUnreachs', 'destination unreachable: %'),
  icmpIn('InEchoReps', 'echo replies: %'),
  icmpIn('InEchos', 'echo requests: %'),
  e('InErrors', '% input ICMP message failed', NUMBER),
  e('InMsgs', '% ICMP messages received', NUMBER),
  icmpIn('InParmProbs', 'wrong parameters: %'),
  icmpIn('InRedirects', 'redirects: %'),
  icmpIn('InSrcQuenchs', 'source quenches: %'),
  icmpIn('InTimeExcds', 'timeout in transit: %'),
  icmpIn('InTimestampReps', 'timestamp reply: %'),
  icmpIn('InTimestamps', 'timestamp request: %'),
  icmpOut('OutAddrMaskReps', 'address mask replies: %'),
  icmpOut('OutAddrMasks', 'address mask requests: %'),
  icmpOut('OutDestUnreachs', 'destination unreachable: %'),
  icmpOut('OutEchoReps', 'echo replies: %'),
  icmpOut('OutEchos', 'echo requests: %'),
  e('OutErrors', '% ICMP messages failed', NUMBER),
  e('OutMsgs', '% ICMP messages sent', NUMBER),
  icmpOut('OutParmProbs', 'wrong parameters: %'),
  icmpOut('OutRedirects', 'redirect: %'),
  icmpOut('OutSrcQuenchs', 'source quench: %'),
  icmpOut('OutTimeExcds', 'time exceeded: %'),
  icmpOut('OutTimestampReps', 'timestamp replies: %'),
  icmpOut('OutTimestamps', 'timestamp requests: %'),
];

const ICMP6: readonly Entry[] = [
  icmpIn('Icmp6InDestUnreachs', 'destination unreachable: %'),
  icmpIn('Icmp6InEchoReplies', 'echo replies: %'),
  icmpIn('Icmp6InEchos', 'echo requests: %'),
  e('Icmp6InErrors', '% input ICMP message failed', NUMBER),
  icmpIn('Icmp6InGroupMembQueries', 'group member queries: %'),
  icmpIn('Icmp6InGroupMembReductions', 'group member reductions: %'),
  icmpIn('Icmp6InGroupMembResponses', 'group member responses: %'),
  e('Icmp6InMsgs', '% ICMP messages received', NUMBER),
  icmpIn('Icmp6InNeighborAdvertisements', 'neighbour advertisement: %'),
  icmpIn('Icmp6InNeighborSolicits', 'neighbour solicits: %'),
  icmpIn('Icmp6InParmProblems', 'parameter problem: %'),
  icmpIn('Icmp6InPktTooBigs', 'packets too big: %'),
  icmpIn('Icmp6InRedirects', 'redirects: %'),
  icmpIn('Icmp6InRouterAdvertisements', 'router advertisement: %'),
  icmpIn('Icmp6InRouterSolicits', 'router solicits: %'),
  icmpIn('Icmp6InTimeExcds', 'received ICMPv6 time exceeded: %'),
  icmpOut('Icmp6OutDestUnreachs', 'destination unreachable: %'),
  icmpOut('Icmp6OutEchoReplies', 'echo replies: %'),
  icmpOut('Icmp6OutEchos', 'echo requests: %'),
  icmpOut('Icmp6OutGroupMembQueries', 'group member queries: %'),
  icmpOut('Icmp6OutGroupMembReductions', 'group member reductions: %'),
  icmpOut('Icmp6OutGroupMembResponses', 'group member responses: %'),
  e('Icmp6OutMsgs', '% ICMP messages sent', NUMBER),
  icmpOut('Icmp6OutNeighborAdvertisements', 'neighbor advertisements: %'),
  icmpOut('Icmp6OutNeighborSolicits', 'neighbor solicits: %'),
  icmpOut('Icmp6OutParmProblems', 'parameter problem: %'),
  icmpOut('Icmp6OutPktTooBigs', 'packets too big: %'),
  icmpOut('Icmp6OutRedirects', 'redirects: %'),
  // net-tools' table spells this one with a trailing space, so it never matches.
  icmpOut('Icmp6OutRouterAdvertisements ', 'router advertisement: %'),
  icmpOut('Icmp6OutRouterSolicits', 'router solicits: %'),
  icmpOut('Icmp6OutTimeExcds', 'sent ICMPv6 time exceeded: %'),
];

const TCP: readonly Entry[] = [
  e('ActiveOpens', '% active connection openings', NUMBER),
  e('AttemptFails', '% failed connection attempts', NUMBER),
  e('CurrEstab', '% connections established', NUMBER),
  e('EstabResets', '% connection resets received', NUMBER),
  e('InErrs', '% bad segments received', NUMBER),
  e('InSegs', '% segments received', NUMBER),
  e('MaxConn', '', NUMBER),
  e('OutRsts', '% resets sent', NUMBER),
  e('OutSegs', '% segments sent out', NUMBER),
  e('PassiveOpens', '% passive connection openings', NUMBER),
  e('RetransSegs', '% segments retransmitted', NUMBER),
  e('RtoAlgorithm', 'RTO algorithm is %', RTO, { isStatic: true }),
  e('RtoMax', '', NUMBER),
  e('RtoMin', '', NUMBER),
];

const UDP: readonly Entry[] = [
  e('InDatagrams', '% packets received', NUMBER),
  e('InErrors', '% packet receive errors', NUMBER),
  e('NoPorts', '% packets to unknown port received', NUMBER),
  e('OutDatagrams', '% packets sent', NUMBER),
  e('RcvbufErrors', '% receive buffer errors', NUMBER),
  e('SndbufErrors', '% send buffer errors', NUMBER),
];

const UDP6: readonly Entry[] = [
  e('Udp6InDatagrams', '% packets received', NUMBER),
  e('Udp6InErrors', '% packet receive errors', NUMBER),
  e('Udp6NoPorts', '% packets to unknown port received', NUMBER),
  e('Udp6OutDatagrams', '% packets sent', NUMBER),
];

const TCPEXT: readonly Entry[] = [
  e('DelayedACKLocked', '% delayed acks further delayed because of locked socket', OPT),
  e('DelayedACKLost', 'Quick ack mode was activated % times', OPT),
  e('DelayedACKs', '% delayed acks sent', OPT),
  e('EmbryonicRsts', '% resets received for embryonic SYN_RECV sockets', OPT),
  e('ListenDrops', '% SYNs to LISTEN sockets dropped', OPT),
  e('ListenOverflows', '% times the listen queue of a socket overflowed', OPT),
  e('LockDroppedIcmps', '% ICMP packets dropped because socket was locked', OPT),
  e('OfoPruned', '% packets dropped from out-of-order queue because of socket buffer overrun', OPT),
  e('OutOfWindowIcmps', '% ICMP packets dropped because they were out-of-window', OPT),
  e('PAWSActive', '% active connections rejected because of time stamp', OPT),
  e('PAWSEstab', '% packets rejected in established connections because of timestamp', OPT),
  e('PAWSPassive', '% passive connections rejected because of time stamp', OPT),
  e('PruneCalled', '% packets pruned from receive queue because of socket buffer overrun', OPT),
  e('RcvPruned', '% packets pruned from receive queue', OPT),
  e('SockMallocOOM', 'Ran % times out of system memory during packet sending', OPT),
  e('SyncookiesFailed', '% invalid SYN cookies received', OPT),
  e('SyncookiesRecv', '% SYN cookies received', OPT),
  e('SyncookiesSent', '% SYN cookies sent', OPT),
  e('TCPAbortFailed', '% times unable to send RST due to no memory', OPT),
  e('TCPAbortOnClose', '% connections reset due to early user close', OPT),
  e('TCPAbortOnData', '% connections reset due to unexpected data', OPT),
  e('TCPAbortOnLinger', '% connections aborted after user close in linger timeout', OPT),
  e('TCPAbortOnMemory', '% connections aborted due to memory pressure', OPT),
  e('TCPAbortOnSyn', '% connections reset due to unexpected SYN', OPT),
  e('TCPAbortOnTimeout', '% connections aborted due to timeout', OPT),
  e('TCPDirectCopyFromBacklog', '% bytes directly in process context from backlog', OPT),
  e('TCPDirectCopyFromPrequeue', '% bytes directly received in process context from prequeue', OPT),
  e('TCPDSACKOfoRecv', '% DSACKs for out of order packets received', OPT),
  e('TCPDSACKOfoSent', '% DSACKs sent for out of order packets', OPT),
  e('TCPDSACKOldSent', '% DSACKs sent for old packets', OPT),
  e('TCPDSACKRecv', '% DSACKs received', OPT),
  e('TCPDSackUndo', '% congestion window recovered without slow start using DSACK', OPT),
  e('TCPDSACKUndo', '% congestion windows recovered without slow start by DSACK', OPT),
  e('TCPFACKReorder', 'Detected reordering % times using FACK', OPT),
  e('TCPFastRetrans', '% fast retransmits', OPT),
  e('TCPForwardRetrans', '% forward retransmits', OPT),
  e('TCPFullUndo', '% congestion windows fully recovered without slow start', OPT),
  e('TCPHPAcks', '% predicted acknowledgments', OPT),
  e('TCPHPHits', '% packet headers predicted', NUMBER),
  e('TCPHPHitsToUser', '% packet headers predicted and directly queued to user', OPT),
  e('TCPLossFailures', '% timeouts in loss state', OPT),
  e('TCPLoss', '% TCP data loss events', OPT),
  e('TCPLossUndo', '% congestion windows recovered without slow start after partial ack', OPT),
  e('TCPLostRetransmits', '% retransmits lost', OPT),
  e('TCPMemoryPressures', 'TCP ran low on memory % times', OPT),
  e('TCPPartialUndo', '% congestion windows partially recovered using Hoe heuristic', OPT),
  e('TCPPrequeued', '% packets directly queued to recvmsg prequeue', OPT),
  e('TCPPrequeueDropped', '% packets dropped from prequeue', OPT),
  e('TCPPureAcks', '% acknowledgments not containing data payload received', OPT),
  e('TCPRcvCollapsed', '% packets collapsed in receive queue due to low socket buffer', OPT),
  e('TCPRenoFailures', '% timeouts after reno fast retransmit', OPT),
  e('TCPRenoRecoveryFailed', '% reno fast retransmits failed', OPT),
  e('TCPRenoRecoveryFail', '% classic Reno fast retransmits failed', OPT),
  e('TCPRenoRecovery', '% times recovered from packet loss due to fast retransmit', OPT),
  e('TCPRenoReorder', 'Detected reordering % times using reno fast retransmit', OPT),
  e('TCPSackFailures', '% timeouts after SACK recovery', OPT),
  e('TCPSackRecoveryFail', '% SACK retransmits failed', OPT),
  e('TCPSackRecovery', '% times recovered from packet loss by selective acknowledgements', OPT),
  e('TCPSACKReneging', '% bad SACK blocks received', OPT),
  e('TCPSACKReorder', 'Detected reordering % times using SACK', OPT),
  e('TCPSchedulerFailed', '% times receiver scheduled too late for direct processing', OPT),
  e('TCPSlowStartRetrans', '% retransmits in slow start', OPT),
  e('TCPTimeouts', '% other TCP timeouts', OPT),
  e('TCPTSReorder', 'Detected reordering % times using time stamp', OPT),
  e('TWKilled', '% TCP sockets finished time wait in slow timer', OPT),
  e('TW', '% TCP sockets finished time wait in fast timer', OPT),
  e('TWRecycled', '% time wait sockets recycled by time stamp', OPT),
];

const SCTP: readonly Entry[] = [
  e('SctpAborteds', '% Number of Aborteds ', NUMBER),
  e('SctpActiveEstabs', '% Active Associations', NUMBER),
  e('SctpChecksumErrors', '% Number of Packets with invalid Checksum', NUMBER),
  e('SctpCurrEstab', '% Current Associations', NUMBER),
  e('SctpFragUsrMsgs', '% Number of messages fragmented', NUMBER),
  e('SctpInCtrlChunks', '% Number of control chunks received', NUMBER),
  e('SctpInOrderChunks', '% Number of ordered chunks received', NUMBER),
  e('SctpInSCTPPacks', '% Number of SCTP packets received', NUMBER),
  e('SctpInUnorderChunks', '% Number of Unordered chunks received', NUMBER),
  e('SctpOutCtrlChunks', '% Number of control chunks sent', NUMBER),
  e('SctpOutOfBlues', '% Number of Out of Blue packets', NUMBER),
  e('SctpOutOrderChunks', '% Number of ordered chunks sent', NUMBER),
  e('SctpOutSCTPPacks', '% Number of SCTP packets sent', NUMBER),
  e('SctpOutUnorderChunks', '% Number of Unordered chunks sent', NUMBER),
  e('SctpPassiveEstabs', '% Passive Associations', NUMBER),
  e('SctpReasmUsrMsgs', '% Number of messages reassembled ', NUMBER),
  e('SctpShutdowns', '% Number of Graceful Terminations', NUMBER),
];

/** Which protocol groups print (netstat's -w/-t/-u and the sctp flag; plain -s turns all on). */
export interface StatsFlags {
  raw: boolean;
  tcp: boolean;
  udp: boolean;
  sctp: boolean;
}

type FlagName = keyof StatsFlags | 'unknown';
interface TabDef {
  readonly title: string;
  readonly tab: readonly Entry[] | null;
  readonly flag: FlagName;
}

const SNMP_TABS: readonly TabDef[] = [
  { title: 'Ip', tab: IP, flag: 'raw' },
  { title: 'Icmp', tab: ICMP, flag: 'raw' },
  { title: 'Tcp', tab: TCP, flag: 'tcp' },
  { title: 'Udp', tab: UDP, flag: 'udp' },
  { title: 'Sctp', tab: SCTP, flag: 'sctp' },
  { title: 'TcpExt', tab: TCPEXT, flag: 'tcp' },
];

const SNMP6_TABS: readonly TabDef[] = [
  { title: 'Ip6', tab: IP6, flag: 'raw' },
  { title: 'Icmp6', tab: ICMP6, flag: 'raw' },
  { title: 'Udp6', tab: UDP6, flag: 'udp' },
  { title: 'Tcp6', tab: TCP, flag: 'tcp' },
];

/** C strcmp on byte strings (these names are ASCII). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** glibc's bsearch, step for step (the result depends on it for unsorted tables). */
export function cBsearch(key: string, tab: readonly Entry[]): Entry | null {
  let l = 0;
  let u = tab.length;
  while (l < u) {
    const idx = (l + u) >> 1;
    const c = strcmp(key, tab[idx]!.name);
    if (c < 0) u = idx;
    else if (c > 0) l = idx + 1;
    else return tab[idx]!;
  }
  return null;
}

/** %llu of a value read with strtoull: a negative number wraps to 2^64 + v. */
function llu(v: number): string {
  return v < 0 ? (2n ** 64n + BigInt(v)).toString() : String(v);
}

/** The printer's state between counters, as in net-tools. */
class Printer {
  private state: number = NUMBER;
  private readonly lines: string[] = [];
  constructor(private readonly flags: StatsFlags) {}

  private on(flag: FlagName): boolean {
    return flag === 'unknown' ? true : this.flags[flag];
  }

  private put(indent: number, text: string): void {
    this.lines.push(`${' '.repeat(indent)}${text}`);
  }

  /** A table starts: its title prints when its group is on (unknown tables always print, and keep the state). */
  table(tabs: readonly TabDef[], title: string): TabDef {
    const t = tabs.find((d) => d.title === title);
    if (t) {
      if (this.on(t.flag)) this.put(0, `${title}:`);
      this.state = NUMBER;
      return t;
    }
    this.put(0, `${title}:`);
    return { title, tab: null, flag: 'unknown' };
  }

  value(tab: TabDef, name: string, val: number): void {
    if (!this.on(tab.flag)) return;
    const ent = tab.tab ? cBsearch(name, tab.tab) : null;
    if (!ent) {
      // "Try our best": an unknown counter prints raw when non-zero, at the current indent.
      if (val !== 0) this.put(INDENT[this.state]!, `${name}: ${llu(val)}`);
      return;
    }
    if (ent.isStatic) return;
    if (ent.out === '') return;
    const kind = ent.kind;
    if (ent.title && this.state !== kind) this.put(INDENT[this.state]!, HISTOGRAM_TITLE[kind]!);
    let text = '';
    switch (kind) {
      case OPT:
        if (val !== 0) text = ent.out.replace('%', llu(val));
        break;
      case NUMBER:
        text = ent.out.replace('%', llu(val));
        break;
      case ICMP_IN:
      case ICMP_OUT:
        if (val > 0) text = ent.out.replace('%', llu(val));
        break;
      default:
        break;
    }
    if (text) this.put(INDENT[kind]!, text);
    this.state = kind;
  }

  text(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }
}

function snmpTables(p: Printer, tables: readonly SnmpTable[], filter?: string): void {
  for (const t of tables) {
    if (filter !== undefined && !t.table.startsWith(filter)) continue;
    const tab = p.table(SNMP_TABS, t.table);
    for (const [name, v] of t.counters) p.value(tab, name, v);
  }
}

/** The title of a snmp6 counter's table: its name up to and including the first '6' (Ip6InReceives → Ip6). */
function snmp6Title(name: string): string {
  const i = name.indexOf('6');
  return i < 0 ? name : name.slice(0, i + 1);
}

/** netstat -s for IPv4: /proc/net/snmp, then netstat, then sctp/snmp. */
export function renderStats4(stats: NetProtoStats, flags: StatsFlags): string {
  const p = new Printer(flags);
  snmpTables(p, stats.snmp ?? []);
  snmpTables(p, stats.netstat ?? []);
  if (stats.sctp) {
    const tab = p.table(SNMP_TABS, 'Sctp');
    for (const [name, v] of stats.sctp) p.value(tab, name, v);
  }
  return p.text();
}

/** netstat -s -6: /proc/net/snmp6 in tables by name prefix, then the Tcp table of /proc/net/snmp. */
export function renderStats6(stats: NetProtoStats, flags: StatsFlags): string {
  const p = new Printer(flags);
  let title: string | null = null;
  let tab: TabDef | null = null;
  for (const [name, v] of stats.snmp6 ?? []) {
    if (title === null || !name.includes(title)) {
      title = snmp6Title(name);
      tab = p.table(SNMP6_TABS, title);
    }
    p.value(tab!, name, v);
  }
  snmpTables(p, stats.snmp ?? [], 'Tcp');
  return p.text();
}

/** One counter of -s --json. */
export interface StatRow {
  readonly file: 'snmp' | 'netstat' | 'snmp6' | 'sctp';
  readonly table: string;
  readonly name: string;
  readonly value: number;
}

/** Every counter of the files -s reads for the family (all of them, not only those netstat words). */
export function statRows(stats: NetProtoStats, family: 'inet' | 'inet6'): StatRow[] {
  const out: StatRow[] = [];
  const tables = (file: 'snmp' | 'netstat', ts: readonly SnmpTable[] | null, filter?: string): void => {
    for (const t of ts ?? []) {
      if (filter !== undefined && !t.table.startsWith(filter)) continue;
      for (const [name, value] of t.counters) out.push({ file, table: t.table, name, value });
    }
  };
  const pairs = (file: 'snmp6' | 'sctp', cs: readonly Counter[] | null, table: (n: string) => string): void => {
    for (const [name, value] of cs ?? []) out.push({ file, table: table(name), name, value });
  };
  if (family === 'inet') {
    tables('snmp', stats.snmp);
    tables('netstat', stats.netstat);
    pairs('sctp', stats.sctp, () => 'Sctp');
  } else {
    pairs('snmp6', stats.snmp6, snmp6Title);
    tables('snmp', stats.snmp, 'Tcp');
  }
  return out;
}
