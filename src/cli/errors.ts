/**
 * How commands end: return an exit status, or throw a CliExit carrying the
 * message (already in the namesake's wording) and the status. A parser may
 * return the same as `{ kind: 'fail' }` (cli/command.ts, which prints it);
 * everything thrown after parsing reaches program.ts's report(), the one
 * place that turns errors into stderr text and exit statuses.
 */
export class CliExit extends Error {
  override name = 'CliExit';
  /** The exit status. */
  readonly code: number;
  /** Text for stderr, written as given (include the trailing newline); empty for none. */
  readonly stderr: string;
  /** Text for stdout before exiting (e.g. a header printed before a failure). */
  readonly stdout: string;
  constructor(code: number, stderr = '', stdout = '') {
    super(stderr.trim() || `exit ${code}`);
    this.code = code;
    this.stderr = stderr;
    this.stdout = stdout;
  }
}

/** A one-line usage error: `${prog}: ${message}` and the status (default 1). */
export function usageError(prog: string, message: string, code = 1, hint?: string): CliExit {
  return new CliExit(code, `${prog}: ${message}\n${hint ? `${hint}\n` : ''}`);
}
