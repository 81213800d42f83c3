/**
 * ptools' program: argv → command → exit status. `run(argv, io, invokedAs)`
 * is what the launchers call and what tests call in-process.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PtoolsError } from '../core/base/errors.js';
import { CliExit } from './errors.js';
import { withIO, type IO } from './io.js';
import { strerror } from '../text/strerror.js';
import { aliases, commands, REPORT_WRITE_ERRORS, type WriteErrorPolicy } from './registry.js';
import './commands.js';

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

function help(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  return [
    'Usage: ptools <command> [options] [arguments]',
    '       ptools [--help | --version]',
    '',
    'psutil-powered process and system utilities. Each command prints what its',
    'Unix namesake prints, takes its common options, and adds --json.',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.summary}`),
    '',
    "Run 'ptools <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/** The one place that turns an error into stderr text and an exit status. */
export function report(e: unknown, io: IO): number {
  if (e instanceof CliExit) {
    if (e.stdout) io.out(e.stdout);
    if (e.stderr) io.err(e.stderr);
    return e.code;
  }
  if (e instanceof PtoolsError) {
    io.err(`${io.prog}: error: ${e.message}\n`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.errno === 'number') {
    io.err(`${io.prog}: ${err.path ? `${err.path}: ` : ''}${err.message.replace(/^E[A-Z]+: /, '').replace(/, \w+.*$/, '')}\n`);
    return 1;
  }
  io.err(`${io.prog}: internal error: ${err instanceof Error ? err.message : String(e)}\n`);
  if (io.env.PTOOLS_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
  return 70;
}

/**
 * Runs ptools. `argv` excludes node and the script; `invokedAs` is the name the
 * launcher was run as (multi-call: `pps` runs ps). Once the command is done,
 * a failed write to stdout is reported as the namesake reports it at exit.
 */
export async function run(argv: string[], io: IO, invokedAs = 'ptools'): Promise<number> {
  const policy: { prog: string; writeError: WriteErrorPolicy } = { prog: 'ptools', writeError: REPORT_WRITE_ERRORS };
  const status = await dispatch(argv, io, invokedAs, policy);
  const failed = await io.flush?.();
  if (failed === undefined) return status;
  return writeErrorStatus(failed, status, policy.prog, policy.writeError, io);
}

/** The namesake's close_stdout: the message (if it prints one) and the status. */
export function writeErrorStatus(e: NodeJS.ErrnoException, status: number, prog: string, p: WriteErrorPolicy, io: IO): number {
  if (p.style === 'none' || (p.ignoreEbadf && e.code === 'EBADF')) return status;
  io.err(p.style === 'plain' ? `${prog}: write error\n` : `${prog}: write error: ${strerror(e.code ?? 'EIO')}\n`);
  return p.status;
}

async function dispatch(argv: string[], io: IO, invokedAs: string, policy: { prog: string; writeError: WriteErrorPolicy }): Promise<number> {
  const self = basename(invokedAs).replace(/\.(c|m)?js$/, '');
  let name: string | undefined;
  let args = argv;
  let prog: string;
  if (self !== 'ptools' && (aliases[self] || commands[self])) {
    name = aliases[self] ?? self;
    prog = self;
  } else {
    const first = argv[0];
    if (first === undefined) {
      const { collect, render } = await import('../commands/summary/index.js');
      try {
        io.out(render(collect()));
        return 0;
      } catch (e) {
        return report(e, withIO(io, { prog: 'ptools' }));
      }
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.out(help());
      return 0;
    }
    if (first === '--version' || first === '-V') {
      io.out(`ptools ${version()}\n`);
      return 0;
    }
    name = aliases[first] ?? first;
    args = argv.slice(1);
    prog = name;
    if (!commands[name]) {
      io.err(`ptools: '${first}' is not a ptools command. See 'ptools --help'.\n`);
      return 2;
    }
  }
  const entry = commands[name!];
  if (!entry) {
    io.err(`ptools: '${name}' is not a ptools command. See 'ptools --help'.\n`);
    return 2;
  }
  const cio = withIO(io, { prog });
  policy.prog = prog;
  policy.writeError = entry.writeError;
  try {
    const { command } = await entry.load();
    return await command.run(args, cio);
  } catch (e) {
    return report(e, cio);
  }
}
