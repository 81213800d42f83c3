/**
 * uptime: procps-ng 4.0.2's uptime(1), output for output, plus --json.
 *
 * The default line is " HH:MM:SS up <uptime>, N user(s),  load average: a, b, c"
 * with procps' rules (days only when non-zero, "H:MM" from one hour on,
 * "N min" below); -p is the pretty form ("up 1 week, 2 days, 5 minutes");
 * -s the boot moment in local time. Uptime is /proc/uptime's, as procps
 * reads it; users are the utmp USER_PROCESS records with a name.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { PtoolsError } from '../../core/base/errors.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';
import { collect, renderLine, renderPretty, renderSince, sinceSeconds, type UptimeData } from '../../text/uptime.js';
import { isoSeconds, localTime } from '../../text/time.js';

export { collect, renderLine, renderPretty, renderSince, sinceSeconds, type UptimeData };

/** The --json document. */
export interface UptimeJson {
  /** When read, ISO 8601 UTC. */
  readonly time: string;
  /** Seconds since boot. */
  readonly uptime: number;
  readonly users: number;
  /** 1, 5 and 15 minute load averages. */
  readonly loadavg: readonly [number, number, number];
  /** The boot moment (-s's second), ISO 8601 UTC. */
  readonly since: string;
}

export function toJson(d: UptimeData): UptimeJson {
  return {
    time: new Date(Math.round(d.now * 1000)).toISOString(),
    uptime: d.uptime,
    users: d.users,
    loadavg: d.loadavg,
    since: new Date(sinceSeconds(d) * 1000).toISOString(),
  };
}

const HELP = `
Usage:
 %s [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
     --json     print time, uptime, users, load and boot time as JSON
 -V, --version  output version information and exit

For more details see uptime(1).
`;

export function helpText(prog: string): string {
  return HELP.replace('%s', prog);
}

const LONGS: readonly LongOption[] = withJson([
  { name: 'pretty', has: 'none', key: 'p' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'since', has: 'none', key: 's' },
  { name: 'version', has: 'none', key: 'V' },
]);

const SHORTS = 'phsV';

interface UptimeOptions {
  readonly json: boolean;
  /** -p: "up 2 hours, 3 minutes". */
  readonly pretty: boolean;
  /** -s: the boot time. */
  readonly since: boolean;
}

function parse(argv: string[], io: IO): Parsed<UptimeOptions> {
  const { items, operands } = getoptLong(argv, SHORTS, LONGS, io.env);
  // --json is a mode for the whole run, wherever it appears before an error.
  const firstError = items.findIndex((i) => i.kind === 'error');
  const json = items.slice(0, firstError < 0 ? undefined : firstError).some((i) => i.kind === 'option' && isJson(i.key));
  let pretty = false;
  for (const it of items) {
    if (it.kind === 'error') throw new CliExit(1, `${io.prog}: ${it.message}\n${helpText(io.prog)}`);
    switch (it.key) {
      case 'p':
        pretty = true;
        break;
      case 'h':
        return { kind: 'help', text: helpText(io.prog) };
      case 's':
        // procps prints at once, before looking at later options or operands.
        return { kind: 'run', options: { json, pretty, since: true } };
      case 'V':
        return { kind: 'version' };
    }
  }
  if (operands.length > 0) throw new CliExit(1, helpText(io.prog));
  return { kind: 'run', options: { json, pretty, since: false } };
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && typeof err.message === 'string') {
    return `: ${err.message.replace(/^E[A-Z]+: /, '').replace(/, \w+.*$/, '')}`;
  }
  return '';
}

function read(io: IO): UptimeData {
  try {
    return collect();
  } catch (e) {
    if (e instanceof PtoolsError || (e as NodeJS.ErrnoException).code !== undefined) {
      throw new CliExit(1, `${io.prog}: Cannot get system uptime${errnoText(e)}\n`);
    }
    throw e;
  }
}

export const command: Command<UptimeOptions> = {
  name: 'uptime',
  summary: 'tell how long the system has been running (procps-ng uptime)',
  grammar: { short: SHORTS, long: LONGS, operands: 'none' },
  parse,
  run(o, io) {
    const d = read(io);
    if (o.since) io.out(o.json ? `${JSON.stringify(toJson(d))}\n` : `${renderSince(d, io.env)}\n`);
    else if (o.json) io.out(`${JSON.stringify(toJson(d))}\n`);
    else io.out(`${o.pretty ? renderPretty(d.uptime) : renderLine(d, io.env)}\n`);
    return 0;
  },
};
