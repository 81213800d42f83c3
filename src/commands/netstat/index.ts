/**
 * netstat (net-tools 2.10) on the ptools core: socket tables (-t -u -w -U
 * -x, -l/-a, -n, -p, -e, -o, -W), routes (-r), interfaces (-i), statistics
 * (-s), multicast groups (-g), -c, plus --json.
 *
 * The flow follows net-tools' main(): options set flags in order, the
 * protocol and family flags are completed the same way, then one mode runs
 * (masquerade, statistics, routes, interfaces, or the socket tables, which
 * loop with -c). Names come from files only (/etc/hosts, /etc/networks,
 * /etc/services, /etc/protocols, /etc/passwd): nothing waits on DNS.
 */
import type { IO } from '../../cli/io.js';
import { fail, isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { ticker } from '../../cli/ticker.js';
import { hostName, networkName } from '../../core/net/hosts.js';
import { interfaceTable } from '../../core/net/iftable.js';
import { multicastGroups, multicastGroups6 } from '../../core/net/igmp.js';
import { RTF_CACHE, RTF_UP, routeCache, routes, routes6 } from '../../core/net/route.js';
import { serviceName } from '../../core/net/services.js';
import { netProtoStats } from '../../core/net/snmp.js';
import { inetSockets, programNames, socketOwners, unixSocketsProc, type InetProtocol } from '../../core/net/sockdiag.js';
import { encodeSurrogateEscape } from '../../core/base/text-bytes.js';
import { userName } from '../../core/base/users.js';
import type { Names } from './format.js';
import { Getopt, type LongOption } from '../../cli/getopt.js';
import {
  inetRow, inetTitle, renderInetRow, renderUnixRow, selectInet, selectUnix, unixRow, unixTitle,
  type InetRow, type OwnerInfo, type SocketView, type UnixRow,
} from './sockets.js';
import { renderStats4, renderStats6, statRows } from './stats.js';
import {
  GROUPS_HEADER, INTERFACE_HEADER, groupRow, interfaceRow, renderGroup, renderInterface, renderRoute4, renderRoute6,
  route4Header, route4Row, route6Header, route6Row, type RouteExt,
} from './tables.js';

const NUM_HOST = 4;
const NUM_PORT = 8;
const NUM_USER = 16;
const NUM = NUM_HOST | NUM_PORT | NUM_USER;
const SYM = 32;
const CACHE = 64;
const FIB = 128;

/** net-tools' -A / --<af> aliases → the family name and the flag it sets. */
const AF_ALIASES: Readonly<Record<string, readonly [string, keyof AfFlags]>> = {
  ax25: ['ax25', 'ax25'], ip: ['inet', 'inet'], ip6: ['inet6', 'inet6'], ipx: ['ipx', 'ipx'], rose: ['rose', 'rose'],
  appletalk: ['ddp', 'ddp'], netrom: ['netrom', 'netrom'], inet: ['inet', 'inet'], inet6: ['inet6', 'inet6'], ddp: ['ddp', 'ddp'],
  unix: ['unix', 'unx'], tcpip: ['inet', 'inet'], econet: ['ec', 'econet'], x25: ['x25', 'x25'], ash: ['ash', 'ash'],
  bluetooth: ['bluetooth', 'bluetooth'],
};

interface AfFlags {
  ax25: number; inet: number; inet6: number; ipx: number; rose: number; ddp: number; netrom: number; unx: number;
  econet: number; x25: number; ash: number; bluetooth: number;
}

interface Flags extends AfFlags {
  int: number; rou: number; mas: number; sta: number; all: number; lst: number; cnt: number; igmp: number; exp: number;
  prg: number; wide: number; not: number; cf: number; opt: number; raw: number; tcp: number; sctp: number; udp: number;
  udplite: number; l2cap: number; rfcomm: number; ver: number; noprot: number; json: boolean; afname: string;
}

const SHORTS = 'A:CFMacdeghilnNoprsStuUvVWw2fx64?Z';

const LONGS: readonly LongOption[] = withJson([
  ...['ax25', 'x25', 'ip', 'ipx', 'appletalk', 'netrom', 'inet', 'inet6', 'ddp', 'rose', 'unix', 'bluetooth', 'tcpip'].map((n) => ({ name: n, has: 'none' as const, key: `af:${n}` })),
  { name: 'version', has: 'none', key: 'V' },
  { name: 'interfaces', has: 'none', key: 'i' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'route', has: 'none', key: 'r' },
  { name: 'masquerade', has: 'none', key: 'M' },
  { name: 'protocol', has: 'required', key: 'A' },
  { name: 'tcp', has: 'none', key: 't' },
  { name: 'sctp', has: 'none', key: 'S' },
  { name: 'udp', has: 'none', key: 'u' },
  { name: 'udplite', has: 'none', key: 'U' },
  { name: 'raw', has: 'none', key: 'w' },
  { name: 'unix', has: 'none', key: 'x' },
  { name: 'l2cap', has: 'none', key: '2' },
  { name: 'rfcomm', has: 'none', key: 'f' },
  { name: 'listening', has: 'none', key: 'l' },
  { name: 'all', has: 'none', key: 'a' },
  { name: 'timers', has: 'none', key: 'o' },
  { name: 'continuous', has: 'none', key: 'c' },
  { name: 'extend', has: 'none', key: 'e' },
  { name: 'programs', has: 'none', key: 'p' },
  { name: 'verbose', has: 'none', key: 'v' },
  { name: 'statistics', has: 'none', key: 's' },
  { name: 'wide', has: 'none', key: 'W' },
  { name: 'numeric', has: 'none', key: 'n' },
  { name: 'numeric-hosts', has: 'none', key: '!' },
  { name: 'numeric-ports', has: 'none', key: '@' },
  { name: 'numeric-users', has: 'none', key: '#' },
  { name: 'symbolic', has: 'none', key: 'N' },
  { name: 'cache', has: 'none', key: 'C' },
  { name: 'fib', has: 'none', key: 'F' },
  { name: 'groups', has: 'none', key: 'g' },
  { name: 'context', has: 'none', key: 'Z' },
]);

function usageText(prog: string): { out: string; aflist: string } {
  const out = [
    `usage: ${prog} [-vWeenNcCF] [<Af>] -r         ${prog} {-V|--version|-h|--help}`,
    `       ${prog} [-vWnNcaeol] [<Socket> ...]`,
    `       ${prog} { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }`,
    '',
    '        -r, --route              display routing table',
    '        -i, --interfaces         display interface table',
    '        -g, --groups             display multicast group memberships',
    '        -s, --statistics         display networking statistics (like SNMP)',
    '        -M, --masquerade         display masqueraded connections',
    '',
    '        -v, --verbose            be verbose',
    "        -W, --wide               don't truncate IP addresses",
    "        -n, --numeric            don't resolve names",
    "        --numeric-hosts          don't resolve host names",
    "        --numeric-ports          don't resolve port names",
    "        --numeric-users          don't resolve user names",
    '        -N, --symbolic           resolve hardware names',
    '        -e, --extend             display other/more information',
    '        -p, --programs           display PID/Program name for sockets',
    '        -o, --timers             display timers',
    '        -c, --continuous         continuous listing',
    '',
    '        -l, --listening          display listening server sockets',
    '        -a, --all                display all sockets (default: connected)',
    '        -F, --fib                display Forwarding Information Base (default)',
    '        -C, --cache              display routing cache instead of FIB',
    '        -Z, --context            display SELinux security context for sockets',
    '        --json                   print the data as JSON (ptools)',
    '',
    '  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}',
    '           {-x|--unix} --ax25 --ipx --netrom',
    "  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet",
    '  List of possible address families (which support routing):',
    '',
  ].join('\n');
  // net-tools writes this list to stderr even for --help.
  const aflist = [
    '    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) ',
    '    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) ',
    '    ddp (Appletalk DDP) x25 (CCITT X.25) ',
    '',
  ].join('\n');
  return { out, aflist };
}

/** The real name sources (files only; see the module comment); one per run, so answers are remembered for one run only. */
function realNames(): Names {
  return {
    host: (a) => hostName(a),
    network: (n) => networkName(n),
    service: (p, proto) => serviceName(p, proto),
    user: (uid) => userName(uid),
  };
}
let REAL_NAMES: Names = realNames();

function parse(argv: readonly string[], io: IO): Parsed<Flags> {
  const f: Flags = {
    int: 0, rou: 0, mas: 0, sta: 0, all: 0, lst: 0, cnt: 0, igmp: 0, exp: 1, prg: 0, wide: 0, not: 0, cf: 0, opt: 0, raw: 0,
    tcp: 0, sctp: 0, udp: 0, udplite: 0, l2cap: 0, rfcomm: 0, ver: 0, noprot: 0, json: false, afname: '',
    ax25: 0, inet: 0, inet6: 0, ipx: 0, rose: 0, ddp: 0, netrom: 0, unx: 0, econet: 0, x25: 0, ash: 0, bluetooth: 0,
  };
  // What netstat has said on stderr before it exits.
  let said = '';
  const usage = (code: number): Parsed<Flags> => {
    const u = usageText(io.prog);
    return code === 0 ? { kind: 'help', text: u.out, stderr: u.aflist } : fail(code, said + u.out + u.aflist);
  };
  const aftrans = (arg: string): boolean => {
    for (const name of arg.split(',')) {
      const hit = AF_ALIASES[name];
      if (!hit) {
        said += `Unknown address family \`${name}'.\n`;
        return false;
      }
      f[hit[1]]++;
      f.afname = f.afname ? `${f.afname},${hit[0]}` : hit[0];
    }
    return true;
  };
  const g = new Getopt(argv, { short: SHORTS, long: LONGS, env: io.env });
  for (let ev = g.next(); ev !== null; ev = g.next()) {
    if (ev.c === '?' && ev.optopt !== undefined) {
      said += `${io.prog}: ${ev.message}\n`;
      return usage(3);
    }
    const k = ev.c;
    if (k.startsWith('af:')) {
      if (!aftrans(k.slice(3))) return fail(1, said);
      continue;
    }
    if (isJson(k)) {
      f.json = true;
      continue;
    }
    switch (k) {
      case 'A': if (!aftrans(ev.optarg!)) return fail(1, said); break;
      case 'M': f.mas++; break;
      case 'a': f.all++; break;
      case 'l': f.lst++; break;
      case 'c': f.cnt++; break;
      case 'd': break;
      case 'g': f.igmp++; break;
      case 'e': f.exp++; break;
      case 'p': f.prg++; break;
      case 'i': f.int++; break;
      case 'W': f.wide++; break;
      case 'n': f.not |= NUM; break;
      case '!': f.not |= NUM_HOST; break;
      case '@': f.not |= NUM_PORT; break;
      case '#': f.not |= NUM_USER; break;
      case 'N': f.not |= SYM; break;
      case 'C': f.cf |= CACHE; break;
      case 'F': f.cf |= FIB; break;
      case 'o': f.opt++; break;
      case '6': if (!aftrans('inet6')) return fail(1, said); break;
      case '4': if (!aftrans('inet')) return fail(1, said); break;
      case 'V': return { kind: 'version' };
      case 'v': f.ver |= 256; break;
      case 'r': f.rou++; break;
      case 't': f.tcp++; break;
      case 'S': f.sctp++; break;
      case 'u': f.udp++; break;
      case 'U': f.udplite++; break;
      case 'w': f.raw++; break;
      case '2': f.l2cap++; break;
      case 'f': f.rfcomm++; break;
      case 'x': if (!aftrans('unix')) return fail(1, said); break;
      case 'Z':
        return fail(1, 'SELinux is not enabled on this machine.\n');
      case '?': return usage(3);
      case 'h': return usage(0);
      case 's': f.sta++; break;
      default: break;
    }
  }
  if (f.int + f.rou + f.mas + f.sta > 1) return usage(3);
  if ((f.inet || f.inet6 || f.sta) && !(f.tcp || f.sctp || f.udp || f.udplite || f.raw)) {
    f.noprot = f.tcp = f.sctp = f.udp = f.udplite = f.raw = 1;
  }
  if ((f.tcp || f.sctp || f.udp || f.udplite || f.raw || f.igmp) && !(f.inet || f.inet6)) f.inet = f.inet6 = 1;
  if (f.bluetooth && !(f.l2cap || f.rfcomm)) f.l2cap = f.rfcomm = 1;
  return { kind: 'run', options: f };
}

function flagArg(f: Flags): number {
  return f.tcp + f.sctp + f.udplite + f.udp + f.raw + f.unx + f.ipx + f.ax25 + f.netrom + f.igmp + f.x25 + f.rose + f.l2cap + f.rfcomm;
}

/** -c repeats forever, as netstat does; PTOOLS_NETSTAT_ITERATIONS (for tests) bounds it. */
function iterations(io: IO): number {
  const v = io.env.PTOOLS_NETSTAT_ITERATIONS;
  return v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : Infinity;
}

function emitJson(io: IO, rows: unknown[]): void {
  io.out(`${JSON.stringify(rows)}\n`);
}

// ---------------------------------------------------------------- statistics

function statistics(f: Flags, io: IO): number {
  const af = f.afname || 'inet';
  if (af !== 'inet' && af !== 'inet6') {
    io.out(`${io.prog}: No statistics support for specified address family: ${af}\n`);
    return 1;
  }
  const stats = netProtoStats();
  const flags = { raw: f.raw > 0, tcp: f.tcp > 0, udp: f.udp > 0, sctp: f.sctp > 0 };
  if (af === 'inet' && stats.snmp === null) {
    io.err('cannot open /proc/net/snmp: No such file or directory\n');
    return 0;
  }
  if (af === 'inet6' && stats.snmp6 === null) {
    io.err('cannot open /proc/net/snmp6: No such file or directory\n');
    return 0;
  }
  if (f.json) {
    emitJson(io, statRows(stats, af).map((r) => ({ kind: 'statistic', ...r })));
    return 0;
  }
  io.out(af === 'inet' ? renderStats4(stats, flags) : renderStats6(stats, flags));
  return 0;
}

// ---------------------------------------------------------------- routes

function routeTables(f: Flags, io: IO): number {
  const af = f.afname || 'inet';
  let exp = f.exp;
  if (exp === 2) exp = 1;
  else if (exp === 1) exp = 2;
  const ext = (exp & 3) as RouteExt;
  const numeric = (f.not & (NUM_HOST | SYM)) !== 0;
  const cf = f.cf || FIB;
  const json: unknown[] = [];
  for (const name of af.split(',')) {
    if (name === '') continue;
    if (name === 'inet') {
      if (cf & FIB) {
        const rs = routes();
        if (rs === null) {
          io.err('/proc/net/route: No such file or directory\n');
          io.out('INET (IPv4) not configured in this system.\n');
          return 1;
        }
        if (f.json) json.push(...rs.filter((r) => r.flags & RTF_UP).map((r) => ({ kind: 'route', ...route4Row(r) })));
        else io.out(route4Header(ext, false) + rs.filter((r) => r.flags & RTF_UP).map((r) => renderRoute4(r, ext, REAL_NAMES, numeric)).join(''));
      }
      if (cf & CACHE) {
        // The IPv4 routing cache left the kernel in 3.6: its file has a header and no rows (any row is not shown).
        if (routeCache() === null) {
          io.err('/proc/net/rt_cache: No such file or directory\n');
          io.out('INET (IPv4) not configured in this system.\n');
          return 1;
        }
        if (!f.json) io.out(route4Header(ext, true));
      }
    } else if (name === 'inet6') {
      const rs = routes6();
      if (rs === null) {
        io.err('/proc/net/ipv6_route: No such file or directory\n');
        io.out('INET6 (IPv6) not configured in this system.\n');
        return 1;
      }
      for (const cache of [false, true]) {
        if (!(cf & (cache ? CACHE : FIB))) continue;
        const sel = rs.filter((r) => ((r.flags & RTF_CACHE) !== 0) === cache);
        if (f.json) json.push(...sel.map((r) => ({ kind: 'route', ...route6Row(r) })));
        else io.out(route6Header(cache) + sel.map((r) => renderRoute6(r, REAL_NAMES, numeric)).join(''));
      }
    } else if (['unix', 'ec', 'ash', 'bluetooth'].includes(name)) {
      io.err(`No routing for address family \`${name}'.\n`);
      return 3;
    } else {
      io.err(`${io.prog}: no support for \`${name}' routing on this system.\n`);
      return 1;
    }
  }
  if (f.json) emitJson(io, json);
  return 0;
}

// ---------------------------------------------------------------- interfaces

async function interfaces(f: Flags, io: IO, first: boolean): Promise<number> {
  if (f.exp >= 2 && !f.json) {
    // -ie: the interfaces in ifconfig's long format (net-tools shares the printer).
    const ifc = await import('../../text/net-tools-interface.js');
    const data = ifc.collect({ all: f.all > 0, iface: undefined });
    io.out((first ? 'Kernel Interface table\n' : '') + ifc.renderLong(ifc.toRows(data)));
    if (data.missing !== undefined) {
      io.err(`${data.missing}: error fetching interface information: Device not found\n`);
      io.err('missing interface information: No such device\n');
      return 1;
    }
    return 0;
  }
  const rows = interfaceTable().filter((e) => f.all || (e.flags & 1)).map(interfaceRow);
  if (f.json) {
    emitJson(io, rows.map((r) => ({ kind: 'interface', ...r })));
    return 0;
  }
  io.out((first ? 'Kernel Interface table\n' : '') + INTERFACE_HEADER + rows.map(renderInterface).join(''));
  return 0;
}

// ---------------------------------------------------------------- sockets

function loadOwners(io: IO, report: boolean): Map<number, OwnerInfo> {
  const so = socketOwners({ policy: 'first' });
  const programs = new Map<number, { shown: string; full: string } | null>();
  const out = new Map<number, OwnerInfo>();
  for (const [inode, o] of so.owners) {
    let p = programs.get(o.pid);
    if (p === undefined) {
      p = programNames(o.pid);
      programs.set(o.pid, p);
    }
    if (p !== null) out.set(inode, { pid: o.pid, program: p.full, shown: p.shown });
  }
  if (report && so.denied.length > 0) {
    if (out.size === 0) io.err(`(No info could be read for "-p": geteuid()=${process.geteuid?.() ?? -1} but you should be root.)\n`);
    else io.err('(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n');
  }
  return out;
}

interface Frame {
  text: string[];
  rows: Array<InetRow | UnixRow | Record<string, unknown>>;
}

function socketFrame(f: Flags, io: IO, view: SocketView): { frame: Frame; rc: number } {
  const arg = flagArg(f);
  const frame: Frame = { text: [], rows: [] };
  const out = (t: string): void => {
    if (f.json) return;
    frame.text.push(t);
  };
  // stderr must keep its place relative to stdout: flush what we have first.
  const err = (t: string): void => {
    flush(frame, io);
    io.err(t);
  };
  let owners: Map<number, OwnerInfo> | null = null;
  const prg = (): Map<number, OwnerInfo> => {
    // --json always names the owner; the text shows it with -p.
    if (owners === null) owners = f.prg || f.json ? loadOwners(io, f.prg > 0) : new Map();
    return owners;
  };
  /** INFO_GUTS6: the IPv4 table (a missing one is reported with -t/-u... given), then the IPv6 one. */
  const inetSection = (protocol: InetProtocol, label: string): number => {
    let rc = 0;
    for (const family of [2, 10]) {
      if (arg && !(family === 2 ? f.inet : f.inet6)) continue;
      const listing = inetSockets(protocol, family, { timers: view.timers });
      if (listing.sockets === null) {
        if (family === 2) {
          if (!f.noprot && (arg || f.ver)) err(`${io.prog}: no support for \`AF INET (${label})' on this system.\n`);
          if (!f.noprot && arg) rc = 1;
        }
        continue;
      }
      const own = prg();
      for (const s of listing.sockets) {
        if (!selectInet(s, view)) continue;
        const o = own.get(s.inode);
        const r = inetRow(s, o);
        frame.rows.push(r);
        out(renderInetRow(r, view, REAL_NAMES, o?.shown ?? null));
      }
    }
    return rc;
  };
  const missing = (label: string): number => {
    // SCTP, IPX, AX.25, X.25, NET/ROM, ROSE: their /proc files exist only with their modules.
    if (arg || f.ver) err(`${io.prog}: no support for \`${label}' on this system.\n`);
    return arg ? 1 : 0;
  };

  let i = 0;
  if (!arg || f.tcp || f.sctp || f.udp || f.udplite || f.raw) {
    prg();
    out(inetTitle(view));
  }
  if (!arg || f.tcp) {
    i = inetSection('tcp', 'tcp');
    if (i) return { frame, rc: i };
  }
  if (!arg || f.sctp) {
    // No sctp tables here (the module is not loaded): net-tools' message for a missing IPv4 file.
    if (!f.noprot && (arg || f.ver)) err(`${io.prog}: no support for \`AF INET (sctp)' on this system.\n`);
    if (!f.noprot && arg) return { frame, rc: 1 };
  }
  if (!arg || f.udp) {
    i = inetSection('udp', 'udp');
    if (i) return { frame, rc: i };
  }
  if (!arg || f.udplite) {
    i = inetSection('udplite', 'udplite');
    if (i) return { frame, rc: i };
  }
  if (!arg || f.raw) {
    i = inetSection('raw', 'raw');
    if (i) return { frame, rc: i };
  }
  if (f.igmp) {
    out(GROUPS_HEADER);
    const v4 = arg && !f.inet ? [] : multicastGroups();
    if (v4 === null && (arg || f.ver) && !f.noprot) err(`${io.prog}: no support for \`AF INET (igmp)' on this system.\n`);
    const v6 = arg && !f.inet6 ? [] : multicastGroups6() ?? [];
    for (const g of [...(v4 ?? []), ...v6]) {
      const r = groupRow(g);
      frame.rows.push({ kind: 'group', ...r });
      out(renderGroup(r, REAL_NAMES, (f.not & NUM_HOST) !== 0));
    }
    if (v4 === null && arg && !f.noprot) return { frame, rc: 1 };
  }
  if (!arg || f.unx) {
    const own = prg();
    out(unixTitle(view));
    const us = unixSocketsProc();
    if (us === null) {
      if (arg || f.ver) err(`${io.prog}: no support for \`AF UNIX' on this system.\n`);
      if (arg) return { frame, rc: 1 };
    }
    for (const u of us ?? []) {
      if (!selectUnix(u, view)) continue;
      const o = own.get(u.inode);
      const r = unixRow(u, o);
      frame.rows.push(r);
      out(renderUnixRow(r, view, o?.shown ?? null));
    }
  }
  for (const [flag, label] of [[f.ipx, 'AF IPX'], [f.ax25, 'AF AX25'], [f.x25, 'AF X25'], [f.netrom, 'AF NETROM'], [f.rose, 'AF ROSE']] as const) {
    if (!arg || flag) {
      i = missing(label);
      if (i) return { frame, rc: i };
    }
  }
  if (!arg || f.l2cap || f.rfcomm) {
    if (arg) {
      i = 1;
      err(`${io.prog}: feature \`AF BLUETOOTH' not supported.\nPlease recompile \`net-tools' with newer kernel source or full configuration.\n`);
    }
  }
  return { frame, rc: i };
}

/** The socket tables as bytes: program names and unix paths are the kernel's bytes (surrogate-escaped where not UTF-8), printed as they are, as net-tools prints them. */
function flush(frame: Frame, io: IO): void {
  if (frame.text.length) io.outBytes(encodeSurrogateEscape(frame.text.join('')));
  frame.text = [];
}

function socketRowJson(r: InetRow | UnixRow | Record<string, unknown>): Record<string, unknown> {
  if ('kind' in r) return r as Record<string, unknown>;
  return { kind: (r as { proto: string }).proto === 'unix' ? 'unix' : 'inet', ...r };
}

async function run(f: Flags, io: IO): Promise<number> {
  // -c: once a second, until interrupted (net-tools never checks its writes).
  const every = { intervalMs: 1000, count: f.cnt ? iterations(io) : 1 };
  REAL_NAMES = realNames();

  if (f.mas) {
    io.err(`${io.prog}: no support for \`ip_masquerade' on this system.\n`);
    return 1;
  }
  if (f.sta) return statistics(f, io);
  if (f.rou) return ticker(io, every, () => routeTables(f, io));
  if (f.int) return ticker(io, every, (k) => interfaces(f, io, k === 0));

  const view: SocketView = {
    all: f.all > 0,
    listening: f.lst > 0,
    extend: f.exp > 1,
    programs: f.prg > 0,
    timers: f.opt > 0,
    wide: f.wide > 0,
    numeric: { hosts: (f.not & NUM_HOST) !== 0, ports: (f.not & NUM_PORT) !== 0, users: (f.not & NUM_USER) !== 0 },
  };
  return ticker(io, every, () => {
    const { frame, rc } = socketFrame(f, io, view);
    if (f.json) emitJson(io, frame.rows.map(socketRowJson));
    else flush(frame, io);
    return rc;
  });
}

export const command: Command<Flags> = {
  name: 'netstat',
  summary: 'print network connections, routing tables, interface statistics (net-tools)',
  grammar: { short: SHORTS, long: LONGS, operands: 'none' },
  parse,
  run,
  versionText: (prog, v) => `${prog} from ptools ${v} (net-tools 2.10 compatible)\n`,
};
