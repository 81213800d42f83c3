/**
 * The list of commands, each loaded lazily (dynamic import) so that `pps aux`
 * pays only for ps. The only module that imports commands; each command
 * module exports `command: Command` (cli/command.ts). Adding a tool is one
 * line here plus its folder.
 */
import type { Command } from './command.js';

type Loader = () => Promise<{ command: Command }>;

/**
 * What the namesake does at exit when writing to stdout failed (a full disk,
 * a closed stdout): gnulib's and procps' close_stdout print
 * `prog: write error: <strerror>` and exit 1 (coreutils nice 125); procps
 * free prints `free: write error`; util-linux ignores EBADF; procps kill
 * and net-tools never check.
 */
export interface WriteErrorPolicy {
  /** 'strerror': `prog: write error: <text>`; 'plain': `prog: write error`; 'none': nothing, status unchanged. */
  style: 'strerror' | 'plain' | 'none';
  /** The exit status after a reported write error. */
  status: number;
  /** A closed stdout (EBADF) is not an error (util-linux's close_stdout). */
  ignoreEbadf?: boolean;
}

/** close_stdout as gnulib and procps have it: the default. */
export const REPORT_WRITE_ERRORS: WriteErrorPolicy = { style: 'strerror', status: 1 };

export interface Entry {
  readonly summary: string;
  readonly load: Loader;
  readonly writeError: WriteErrorPolicy;
}

/** name → entry. */
export const commands: Record<string, Entry> = {};

/** Names a launcher may be invoked as, mapped to the command they run (pps → ps). */
export const aliases: Record<string, string> = {
  pps: 'ps',
  ptop: 'top',
};

function register(name: string, summary: string, load: Loader, writeError: WriteErrorPolicy = REPORT_WRITE_ERRORS): void {
  commands[name] = { summary, load, writeError };
}

// The fourth argument: what the namesake does when writing stdout fails (default: `prog: write error: <strerror>`, status 1).
register('ps', 'report a snapshot of the current processes (procps-ng ps)', () => import('../commands/ps/index.js'));
register('free', 'display amount of free and used memory (procps-ng free)', () => import('../commands/free/index.js'));
register('df', 'report file system space usage (coreutils df)', () => import('../commands/df/index.js'));
register('uptime', 'tell how long the system has been running (procps-ng uptime)', () => import('../commands/uptime/index.js'));
register('who', 'show who is logged on (coreutils who)', () => import('../commands/who/index.js'));
register('kill', 'send a signal to a process (procps-ng kill)', () => import('../commands/kill/index.js'), { style: 'none', status: 0 });
register('nice', 'run a program with modified scheduling priority (coreutils nice)', () => import('../commands/nice/index.js'), { style: 'strerror', status: 125 });
register('taskset', "set or retrieve a process's CPU affinity (util-linux taskset)", () => import('../commands/taskset/index.js'), { style: 'strerror', status: 1, ignoreEbadf: true });
register('netstat', 'print network connections, routing tables, interface statistics (net-tools netstat)', () => import('../commands/netstat/index.js'), { style: 'none', status: 0 });
register('ifconfig', 'show network interfaces (net-tools ifconfig)', () => import('../commands/ifconfig/index.js'), { style: 'none', status: 0 });
register('top', 'display Linux processes (procps-ng top, batch mode)', () => import('../commands/top/index.js'), { style: 'plain', status: 1, ignoreEbadf: true });
register('pmap', 'report memory map of a process (procps-ng pmap)', () => import('../commands/pmap/index.js'));

/** `ptools` with no command: the system summary (not a namesake, so not in `commands`). */
export const loadSummary = () => import('../commands/summary/index.js');
