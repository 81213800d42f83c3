/**
 * psutil's exception hierarchy: one base class, PtoolsError; NoSuchProcess
 * (and its ZombieProcess), AccessDenied, TimeoutExpired; plus ParseError for
 * input a parser cannot read. Each carries the fields psutil gives it.
 */
export class PtoolsError extends Error {
  override name = 'PtoolsError';
  /** psutil's `msg`: the message without the class prefix. */
  readonly msg: string;
  constructor(msg: string) {
    super(msg);
    this.msg = msg;
  }
}

function describe(what: string, pid: number | undefined, name: string | null | undefined, extra: string[] = []): string {
  const parts: string[] = [];
  if (pid !== undefined) parts.push(`pid=${pid}`);
  if (name) parts.push(`name=${JSON.stringify(name)}`);
  parts.push(...extra);
  return parts.length ? `${what} (${parts.join(', ')})` : what;
}

/** The process no longer exists, or its pid now names another process. */
export class NoSuchProcess extends PtoolsError {
  override name = 'NoSuchProcess';
  readonly pid: number;
  readonly processName: string | null;
  constructor(pid: number, name?: string | null, msg?: string) {
    super(msg ?? describe('process no longer exists', pid, name));
    this.pid = pid;
    this.processName = name ?? null;
  }
}

/** The process exists but is a zombie: most information is gone. */
export class ZombieProcess extends NoSuchProcess {
  override name = 'ZombieProcess';
  readonly ppid: number | null;
  constructor(pid: number, name?: string | null, ppid?: number | null, msg?: string) {
    super(pid, name, msg ?? describe('process still exists but it is a zombie', pid, name, ppid != null ? [`ppid=${ppid}`] : []));
    this.ppid = ppid ?? null;
  }
}

/** Permission denied (EPERM/EACCES). */
export class AccessDenied extends PtoolsError {
  override name = 'AccessDenied';
  readonly pid: number | null;
  readonly processName: string | null;
  constructor(pid?: number | null, name?: string | null, msg?: string) {
    super(msg ?? describe('access denied', pid ?? undefined, name));
    this.pid = pid ?? null;
    this.processName = name ?? null;
  }
}

/** A wait timed out while the process was still running. */
export class TimeoutExpired extends PtoolsError {
  override name = 'TimeoutExpired';
  readonly seconds: number;
  readonly pid: number | null;
  readonly processName: string | null;
  constructor(seconds: number, pid?: number | null, name?: string | null, msg?: string) {
    super(msg ?? describe(`timeout after ${seconds} seconds`, pid ?? undefined, name));
    this.seconds = seconds;
    this.pid = pid ?? null;
    this.processName = name ?? null;
  }
}

/** A kernel file had a shape the parser cannot read. */
export class ParseError extends PtoolsError {
  override name = 'ParseError';
  readonly source: string;
  constructor(source: string, detail: string) {
    super(`cannot parse ${source}: ${detail}`);
    this.source = source;
  }
}
