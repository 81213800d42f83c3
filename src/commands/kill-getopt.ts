/**
 * GNU getopt_long as glibc 2.36 behaves, for the commands that must parse
 * exactly as their C namesakes do (kill, nice, taskset): short clusters,
 * required and optional arguments, long options by unique prefix, `--`,
 * argument permutation (or not, with a leading '+' or POSIXLY_CORRECT),
 * and glibc's diagnostics word for word.
 */

export interface LongOption {
  readonly name: string;
  readonly arg: 'none' | 'required' | 'optional';
  /** What getopt returns for it (a short option letter, or any tag). */
  readonly val: string;
}

export interface GetoptConfig {
  /** The short option string, getopt's syntax: "l::Ls:hVq:", "+apchV". */
  readonly short: string;
  readonly long?: readonly LongOption[];
  /** glibc's POSIXLY_CORRECT: stop at the first operand. */
  readonly posixlyCorrect?: boolean;
}

export interface GetoptResult {
  /** The option's letter/val, or '?' for an error. */
  readonly c: string;
  readonly optarg?: string;
  /** For '?': the offending option character ('\0' for an unknown long option). */
  readonly optopt?: string;
  /** For '?': glibc's diagnostic without the "prog: " prefix (what opterr=1 prints). */
  readonly message?: string;
  /** The argument the option came from (index into argv). */
  readonly index: number;
}

/** One getopt_long scan over argv (the arguments, without the program name). */
export class Getopt {
  private i = 0;
  private cluster = '';
  private clusterIndex = -1;
  private done = false;
  private readonly operandList: string[] = [];
  private readonly permute: boolean;
  private readonly shortSpec: string;

  constructor(
    private readonly argv: readonly string[],
    private readonly config: GetoptConfig,
  ) {
    let spec = config.short;
    let permute = !config.posixlyCorrect;
    if (spec.startsWith('+')) {
      permute = false;
      spec = spec.slice(1);
    }
    this.permute = permute;
    this.shortSpec = spec;
  }

  /** The argument getopt would look at next (argv[optind]), or undefined. */
  peek(): string | undefined {
    return this.argv[this.i];
  }

  /** Index of the next argument to scan (optind, counting from 0). */
  get optind(): number {
    return this.i;
  }

  /** The operands, in order, once next() has returned null. */
  operands(): string[] {
    return this.operandList;
  }

  /** The next option, or null when the options are over. */
  next(): GetoptResult | null {
    if (this.cluster === '') {
      for (;;) {
        if (this.done || this.i >= this.argv.length) {
          this.done = true;
          return null;
        }
        const a = this.argv[this.i]!;
        if (a === '--') {
          this.operandList.push(...this.argv.slice(this.i + 1));
          this.i++;
          this.done = true;
          return null;
        }
        if (!a.startsWith('-') || a === '-') {
          if (!this.permute) {
            this.operandList.push(...this.argv.slice(this.i));
            this.done = true;
            return null;
          }
          this.operandList.push(a);
          this.i++;
          continue;
        }
        if (a.startsWith('--')) return this.long(a.slice(2));
        this.cluster = a.slice(1);
        this.clusterIndex = this.i;
        break;
      }
    }
    return this.short();
  }

  private short(): GetoptResult {
    const index = this.clusterIndex;
    const ch = this.cluster[0]!;
    this.cluster = this.cluster.slice(1);
    const k = ch === ':' ? -1 : this.shortSpec.indexOf(ch);
    if (k < 0) {
      if (this.cluster === '') this.i++;
      return { c: '?', optopt: ch, message: `invalid option -- '${ch}'`, index };
    }
    const required = this.shortSpec[k + 1] === ':' && this.shortSpec[k + 2] !== ':';
    const optional = this.shortSpec[k + 1] === ':' && this.shortSpec[k + 2] === ':';
    if (!required && !optional) {
      if (this.cluster === '') this.i++;
      return { c: ch, index };
    }
    if (this.cluster !== '') {
      const optarg = this.cluster;
      this.cluster = '';
      this.i++;
      return { c: ch, optarg, index };
    }
    this.i++;
    if (optional) return { c: ch, index };
    if (this.i >= this.argv.length) return { c: '?', optopt: ch, message: `option requires an argument -- '${ch}'`, index };
    return { c: ch, optarg: this.argv[this.i++]!, index };
  }

  private long(body: string): GetoptResult {
    const index = this.i;
    this.i++;
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const options = this.config.long ?? [];
    let found = options.find((o) => o.name === name);
    if (!found) {
      const matches = options.filter((o) => o.name.startsWith(name));
      // Candidates that are the same option under two names are not ambiguous (glibc).
      const distinct = matches.filter((o, j) => matches.findIndex((p) => p.arg === o.arg && p.val === o.val) === j);
      if (distinct.length > 1) {
        return {
          c: '?',
          optopt: '\0',
          message: `option '--${name}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join('')}`,
          index,
        };
      }
      found = matches[0];
    }
    if (!found) return { c: '?', optopt: '\0', message: `unrecognized option '--${body}'`, index };
    if (eq >= 0) {
      if (found.arg === 'none') return { c: '?', optopt: found.val, message: `option '--${found.name}' doesn't allow an argument`, index };
      return { c: found.val, optarg: body.slice(eq + 1), index };
    }
    if (found.arg === 'required') {
      if (this.i >= this.argv.length) return { c: '?', optopt: found.val, message: `option '--${found.name}' requires an argument`, index };
      return { c: found.val, optarg: this.argv[this.i++]!, index };
    }
    return { c: found.val, index };
  }
}

/** glibc strtol over the whole string, base 10: undefined unless all of it is a number. */
export function strtolWhole(s: string): { value: bigint; overflow: boolean } | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) return { value: max, overflow: true };
  if (v < min) return { value: min, overflow: true };
  return { value: v, overflow: false };
}

/** strerror(3) texts (glibc) for the errnos these commands can meet. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ETXTBSY: 'Text file busy',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
};

/** glibc's strerror text for an errno code name ("ESRCH" → "No such process"). */
export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}
