/**
 * ifconfig (net-tools 2.10), read-only: the interfaces that are up (all with
 * -a, or the one named), in net-tools' long form or the -s table, plus
 * --json. Changing an interface is refused, with nothing changed.
 *
 * collect() calls the core only; toRows() is pure (raw numbers); renderLong()
 * / renderShort() write net-tools' exact layout.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJsonArg, JSON_OPTION, type Command, type Grammar, type Parsed } from '../../cli/command.js';
import { collect, renderLong, renderShort, SHORT_HEADER, toRows } from '../../text/net-tools-interface.js';

// ------------------------------------------------------------------ options

export interface IfconfigOptions {
  all: boolean;
  short: boolean;
  json: boolean;
  /** The interface named on the command line (cut to 15 bytes, as IFNAMSIZ does). */
  iface?: string;
}

const HELP = `Usage:
  ifconfig [-a] [-v] [-s] [--json] <interface>
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  -a      display all interfaces, even those that are down
  -s      display a short list (like netstat -i)
  -v      be verbose (no effect)
  --json  print the interfaces as a JSON array (also taken after <interface>)
  -V      display the version and exit

  This ifconfig only displays: the settings above (everything after
  <interface>) are refused and nothing is changed; use ip(8) to change them.
`;

/** Cuts a name to IFNAMSIZ - 1 bytes, as net-tools' safe_strncpy does. */
function ifnamsiz(name: string): string {
  const b = Buffer.from(name);
  return b.length <= 15 ? name : b.subarray(0, 15).toString();
}

/** The options net-tools' ifconfig takes (each spelled alone), and --json. */
const GRAMMAR: Grammar = {
  short: 'asvVh?',
  long: [
    { name: 'help', has: 'none', key: 'h' },
    { name: 'version', has: 'none', key: 'V' },
    JSON_OPTION,
  ],
  operands: 'interfaces',
};

/**
 * net-tools' argument rules: options only before the first non-option,
 * each spelled alone ('-as' is not '-a -s'). --json is also taken among the
 * words after the interface: no setting is spelled so and no address or
 * host name starts with '-', so it cannot mean anything else there.
 */
export function parseArgs(argv: readonly string[], io: IO): Parsed<IfconfigOptions> {
  const opts: IfconfigOptions = { all: false, short: false, json: false };
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const a = argv[i]!;
    if (a === '-a') opts.all = true;
    else if (a === '-s') opts.short = true;
    else if (a === '-v') continue;
    else if (isJsonArg(a)) opts.json = true;
    else if (a === '-V' || a === '-version' || a === '--version') return { kind: 'version' };
    else if (a === '-?' || a === '-h' || a === '-help' || a === '--help') return { kind: 'help', text: HELP };
    else {
      throw new CliExit(1, `${io.prog}: option \`${a}' not recognised.\n${io.prog}: \`--help' gives usage information.\n`);
    }
  }
  const rest = argv.slice(i, i + 1);
  for (const a of argv.slice(i + 1)) {
    if (isJsonArg(a)) opts.json = true;
    else rest.push(a);
  }
  if (rest.length > 1) {
    throw new CliExit(
      1,
      `${io.prog}: cannot change ${ifnamsiz(rest[0]!)} (${rest.slice(1).join(' ')}): ptools ifconfig only displays interfaces; nothing was changed (use ip(8))\n`,
    );
  }
  if (rest.length === 1) opts.iface = ifnamsiz(rest[0]!);
  return { kind: 'run', options: opts };
}

// ------------------------------------------------------------------ command

export const command: Command<IfconfigOptions> = {
  name: 'ifconfig',
  summary: 'show network interfaces (net-tools ifconfig)',
  grammar: GRAMMAR,
  parse: parseArgs,
  run(opts, io) {
    const data = collect(opts);
    const rows = toRows(data);
    // Nothing on stdout for an interface that does not exist (the table header aside, as net-tools).
    if (opts.json) {
      if (!(opts.iface !== undefined && data.missing !== undefined)) io.out(`${JSON.stringify(rows, null, 2)}\n`);
    }
    else if (opts.short) io.out(SHORT_HEADER + renderShort(rows));
    else io.out(renderLong(rows));
    if (data.missing !== undefined) {
      io.err(`${data.missing}: error fetching interface information: Device not found\n`);
      return 1;
    }
    return 0;
  },
};
