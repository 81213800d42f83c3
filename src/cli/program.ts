/**
 * ptools' program: argv → command → exit status. `run(argv, io, invokedAs)`
 * is what the launchers call and what tests call in-process.
 *
 * Run as a namesake (`pps`, or a link named after a command), the arguments
 * go straight to that command; so does everything after `ptools CMD` (the
 * common case costs no more than the namesake: commander is not loaded).
 * Anything else is ptools' own level, which commander reads — `--help`,
 * `--version`, `help [COMMAND]`, `completion SHELL`, the summary, `--`, bad
 * words — handing a command everything after its name, untouched: the
 * namesakes parse their arguments themselves (glibc getopt's rules,
 * cli/getopt.ts), which commander cannot reproduce.
 */
import { basename } from 'node:path';
import { PtoolsError } from '../core/base/errors.js';
import { execute } from './command.js';
import { CliExit } from './errors.js';
import { withIO, type IO } from './io.js';
import { strerror } from '../text/strerror.js';
import { aliases, commands, loadSummary, REPORT_WRITE_ERRORS, type WriteErrorPolicy } from './registry.js';
import { version } from './version.js';

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
  const policy: Policy = { prog: 'ptools', writeError: REPORT_WRITE_ERRORS };
  const self = basename(invokedAs).replace(/\.(c|m)?js$/, '');
  const name = self !== 'ptools' ? unalias(self) : undefined;
  // `ptools free ...`: the first word names a command (or an alias: `ptools pps`),
  // so there is nothing for commander to read; it is not even loaded.
  const first = argv[0] !== undefined ? unalias(argv[0]) : undefined;
  let status: number;
  if (name !== undefined && isCommand(name)) status = await runCommand(name, self, argv, io, policy);
  else if (first !== undefined && isCommand(first)) status = await runCommand(first, first, argv.slice(1), io, policy);
  else status = await front(argv, io, policy);
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

/** Who reports a failed write at exit, and how. */
interface Policy {
  prog: string;
  writeError: WriteErrorPolicy;
}

/** Loads command `name` and runs it with `args`, as `prog`. */
async function runCommand(name: string, prog: string, args: string[], io: IO, policy: Policy): Promise<number> {
  const entry = commands[name]!;
  const cio = withIO(io, { prog });
  policy.prog = prog;
  policy.writeError = entry.writeError;
  try {
    const { command } = await entry.load();
    return await execute(command, args, cio);
  } catch (e) {
    return report(e, cio);
  }
}

/** The command a name stands for (pps → ps); other names as they are. */
function unalias(name: string): string {
  return Object.hasOwn(aliases, name) ? aliases[name]! : name;
}

/** A registered command's name (not an Object.prototype key). */
function isCommand(name: string): boolean {
  return Object.hasOwn(commands, name);
}

function notACommand(word: string, io: IO): number {
  io.err(`ptools: '${word}' is not a ptools command. See 'ptools --help'.\n`);
  return 2;
}

/** `ptools ...`: ptools' own command line, read by commander. */
async function front(argv: string[], io: IO, policy: Policy): Promise<number> {
  // Loaded here: a namesake run as itself (pps) never pays for it.
  const { Argument, Command: Commander, CommanderError } = await import('commander');
  let todo: () => Promise<number> = () => Promise.resolve(0);
  const program = new Commander('ptools')
    .usage('<command> [options] [arguments]')
    .description(
      'psutil-powered process and system utilities. Each command prints what its\n' +
        'Unix namesake prints, takes its options, and adds --json.',
    )
    .version(`ptools ${version()}`, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .helpCommand(false)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {}, getOutHelpWidth: () => io.columns ?? 80 })
    // A namesake's arguments are its own ('ptools help ps' shows them); ptools' own commands show theirs.
    .configureHelp({ subcommandTerm: (c) => [c.name(), ...(isCommand(c.name()) ? [] : c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)))].join(' ') })
    .addHelpText('after', "\nRun 'ptools help <command>' (or 'ptools <command> --help') for a command's options.\n")
    .action(() => {
      todo = () => summary(io);
    });
  for (const name of Object.keys(commands).sort()) {
    program
      .command(name)
      .description(commands[name]!.summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .passThroughOptions()
      .argument('[arguments...]')
      .action(() => {
        // Everything after the command's name, as given: commander drops a
        // leading `--`, which means something to the namesake (kill -- -1).
        const args = argv.slice(argv.indexOf(name) + 1);
        todo = () => runCommand(name, name, args, io, policy);
      });
  }
  program
    .command('help')
    .description("print a command's help (the same as 'ptools <command> --help')")
    .helpOption(false)
    .argument('[command]')
    .action((name: string | undefined) => {
      todo = async () => {
        if (name === undefined) {
          program.outputHelp();
          return 0;
        }
        const own = program.commands.find((c) => c.name() === name && !isCommand(name));
        if (own) {
          io.out(own.helpInformation());
          return 0;
        }
        // `ptools help pps` is `pps --help`: the name given is the program's name in the text.
        const target = unalias(name);
        if (!isCommand(target)) return notACommand(name, io);
        return runCommand(target, name, ['--help'], io, policy);
      };
    });
  program
    .command('completion')
    .description('print a completion script for bash, zsh or fish')
    .helpOption(false)
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']))
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      todo = async () => {
        const { completionScript } = await import('./completion.js');
        io.out(await completionScript(shell));
        return 0;
      };
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    switch (e.code) {
      case 'commander.helpDisplayed':
      case 'commander.version':
        return 0;
      case 'commander.excessArguments':
      case 'commander.unknownCommand':
      case 'commander.unknownOption':
        if (!program.commands.some((c) => c.name() === argv[0])) return notACommand(argv[0] ?? '', io);
        break;
    }
    io.err(`ptools: ${e.message.replace(/^error: /, '')}\n`);
    return 2;
  }
  return todo();
}

/** `ptools` alone: the system summary. */
async function summary(io: IO): Promise<number> {
  const { collect, render } = await loadSummary();
  try {
    io.out(render(collect()));
    return 0;
  } catch (e) {
    return report(e, withIO(io, { prog: 'ptools' }));
  }
}
