/**
 * GNU getopt_long (and getopt_long_only) as glibc 2.36 behaves, shared by the
 * commands that must parse exactly as their C namesakes do: short clusters,
 * required (`-sVAL`, `-s VAL`) and optional (`-sVAL` only) arguments, long
 * options by exact name or unambiguous prefix, `--name=value`, `--` ending
 * the options, argument permutation (unless the optstring starts with '+' or
 * POSIXLY_CORRECT is set), a leading '-' returning operands in order (as
 * option "\x01"), a leading ':' (after '+'/'-') reporting a missing argument
 * as ':' without a message, and glibc's diagnostics word for word.
 *
 * Nothing is printed: an error is a result carrying the message opterr=1
 * would print, without the "prog: " prefix and the newline.
 */

export type ArgKind = 'none' | 'required' | 'optional';

export interface LongOption {
  /** Name without the dashes. */
  readonly name: string;
  readonly has: ArgKind;
  /** What getopt returns for it: a short option letter or any key. */
  readonly key: string;
}

export interface GetoptConfig {
  /** glibc's optstring: "l::Ls:hVq:", "+apchV", "-ab", "+:n:". */
  readonly short: string;
  readonly long?: readonly LongOption[];
  /** The environment; POSIXLY_CORRECT in it stops at the first operand. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** getopt_long_only: `-name` may be a long option too. */
  readonly longOnly?: boolean;
}

export interface GetoptResult {
  /**
   * The option's key, '?' for an error, ':' for a missing argument under a ':'
   * optstring, "\x01" for an operand in '-' mode. An optstring may list '?'
   * itself (netstat's -?): that option is '?' without optopt; an error has one.
   */
  readonly c: string;
  readonly optarg?: string;
  /** For '?'/':': the offending option character ('\0' for a bad long option). */
  readonly optopt?: string;
  /** For '?': glibc's diagnostic without "prog: " (what opterr=1 prints), absent under a ':' optstring. */
  readonly message?: string;
  /** How the option was spelled, as xstrtol_fatal names it: "-B" or "--block-size". */
  readonly name?: string;
  /** The argument it came from (index into argv). */
  readonly index: number;
}

/** One getopt_long scan over argv (the arguments, without the program name). */
export class Getopt {
  private i = 0;
  private cluster = '';
  private clusterIndex = -1;
  private done = false;
  private readonly operandList: string[] = [];
  private readonly mode: 'permute' | 'require-order' | 'return-in-order';
  private readonly quiet: boolean;
  private readonly shortSpec: string;
  private readonly longs: readonly LongOption[];

  constructor(
    private readonly argv: readonly string[],
    private readonly config: GetoptConfig,
  ) {
    let spec = config.short;
    let mode: Getopt['mode'] = config.env?.POSIXLY_CORRECT !== undefined ? 'require-order' : 'permute';
    if (spec.startsWith('+')) {
      mode = 'require-order';
      spec = spec.slice(1);
    } else if (spec.startsWith('-')) {
      mode = 'return-in-order';
      spec = spec.slice(1);
    }
    this.quiet = spec.startsWith(':');
    if (this.quiet) spec = spec.slice(1);
    this.mode = mode;
    this.shortSpec = spec;
    this.longs = config.long ?? [];
  }

  /** The argument getopt would look at next (argv[optind]), or undefined. */
  peek(): string | undefined {
    return this.argv[this.i];
  }

  /** Passes over the next argument (a caller that takes argv[optind] itself, as top's GETOPTFIX does); only between clusters. */
  skip(): void {
    if (this.cluster === '' && this.i < this.argv.length) this.i++;
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
          if (this.mode === 'return-in-order') {
            this.i++;
            return { c: '\x01', optarg: a, index: this.i - 1 };
          }
          if (this.mode === 'require-order') {
            this.operandList.push(...this.argv.slice(this.i));
            this.done = true;
            return null;
          }
          this.operandList.push(a);
          this.i++;
          continue;
        }
        if (a.startsWith('--')) return this.long(a.slice(2), '--')!;
        if (this.config.longOnly && (a.length > 2 || !this.shortKind(a[1]!))) {
          const r = this.long(a.slice(1), '-');
          if (r) return r;
        }
        this.cluster = a.slice(1);
        this.clusterIndex = this.i;
        break;
      }
    }
    return this.short();
  }

  private shortKind(ch: string): ArgKind | undefined {
    const k = ch === ':' ? -1 : this.shortSpec.indexOf(ch);
    if (k < 0) return undefined;
    if (this.shortSpec[k + 1] !== ':') return 'none';
    return this.shortSpec[k + 2] === ':' ? 'optional' : 'required';
  }

  private error(c: string, optopt: string, message: string, index: number, name?: string): GetoptResult {
    return this.quiet ? { c, optopt, index, name } : { c, optopt, message, index, name };
  }

  private short(): GetoptResult {
    const index = this.clusterIndex;
    const ch = this.cluster[0]!;
    this.cluster = this.cluster.slice(1);
    const kind = this.shortKind(ch);
    const name = `-${ch}`;
    if (kind === undefined) {
      if (this.cluster === '') this.i++;
      return this.error('?', ch, `invalid option -- '${ch}'`, index, name);
    }
    if (kind === 'none') {
      if (this.cluster === '') this.i++;
      return { c: ch, index, name };
    }
    if (this.cluster !== '') {
      const optarg = this.cluster;
      this.cluster = '';
      this.i++;
      return { c: ch, optarg, index, name };
    }
    this.i++;
    if (kind === 'optional') return { c: ch, index, name };
    if (this.i >= this.argv.length) {
      return this.error(this.quiet ? ':' : '?', ch, `option requires an argument -- '${ch}'`, index, name);
    }
    return { c: ch, optarg: this.argv[this.i++]!, index, name };
  }

  /** `body` is the argument after `prefix`; null when a long-only `-xyz` is no long option but may be short ones. */
  private long(body: string, prefix: '--' | '-'): GetoptResult | null {
    const index = this.i;
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    let found = this.longs.find((o) => o.name === name);
    if (!found) {
      const matches = this.longs.filter((o) => o.name.startsWith(name));
      const first = matches[0];
      if (first) {
        // glibc: a later match is a rival unless it is the first one under
        // another name (same has_arg and val); long_only makes every one a rival.
        const rivals = matches.filter(
          (o, k) => k === 0 || this.config.longOnly || o.has !== first.has || o.key !== first.key,
        );
        if (rivals.length > 1) {
          this.i++;
          return this.error(
            '?',
            '\0',
            `option '${prefix}${body}' is ambiguous; possibilities:${rivals.map((o) => ` '${prefix}${o.name}'`).join('')}`,
            index,
          );
        }
        found = first;
      }
    }
    if (!found) {
      // getopt_long_only falls back to short options when the first letter is one.
      if (prefix === '-' && this.shortKind(body[0]!) !== undefined) return null;
      this.i++;
      return this.error('?', '\0', `unrecognized option '${prefix}${body}'`, index);
    }
    this.i++;
    const spelled = `${prefix}${found.name}`;
    if (eq >= 0) {
      if (found.has === 'none') {
        return this.error('?', found.key, `option '${spelled}' doesn't allow an argument`, index, spelled);
      }
      return { c: found.key, optarg: body.slice(eq + 1), index, name: spelled };
    }
    if (found.has === 'required') {
      if (this.i >= this.argv.length) {
        return this.error(this.quiet ? ':' : '?', found.key, `option '${spelled}' requires an argument`, index, spelled);
      }
      return { c: found.key, optarg: this.argv[this.i++]!, index, name: spelled };
    }
    return { c: found.key, index, name: spelled };
  }
}

export type GetoptItem =
  | { readonly kind: 'option'; readonly key: string; readonly arg?: string; readonly name: string }
  /** glibc's message (without the program name) for an unknown option, a missing argument... */
  | { readonly kind: 'error'; readonly message: string };

export interface GetoptList {
  /** Options in command-line order; the first error, if any, ends the list (the namesakes exit there). */
  readonly items: GetoptItem[];
  readonly operands: string[];
}

/** The whole scan at once, for commands that act on each option in order and stop at the first error. */
export function getoptLong(
  argv: readonly string[],
  short: string,
  long: readonly LongOption[],
  env: Readonly<Record<string, string | undefined>> = {},
): GetoptList {
  const g = new Getopt(argv, { short, long, env });
  const items: GetoptItem[] = [];
  for (let r = g.next(); r !== null; r = g.next()) {
    if (r.c === '?' || r.c === ':') {
      items.push({ kind: 'error', message: r.message ?? '' });
      return { items, operands: g.operands() };
    }
    items.push({ kind: 'option', key: r.c, arg: r.optarg, name: r.name ?? r.c });
  }
  return { items, operands: g.operands() };
}
