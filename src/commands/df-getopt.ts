/**
 * GNU getopt_long as glibc implements it, so that df accepts and rejects
 * exactly what coreutils' df does: grouped short options (-hT, -BM, -B M),
 * long options with unambiguous abbreviations (--bl=1K), `--name=value` or
 * `--name value` for required arguments, `--name=value` only for optional
 * ones, `--` to end options, non-options permuted to the end (unless
 * POSIXLY_CORRECT is set), and glibc's diagnostics word for word.
 */

export interface LongOption {
  name: string;
  /** 0 none, 1 required, 2 optional (only as --name=value). */
  hasArg: 0 | 1 | 2;
  /** What the option is reported as: the short letter it stands for, or a name. */
  id: string;
}

export interface GetoptOption {
  kind: 'option';
  id: string;
  arg?: string;
  /** How the user spelled it, as xstrtol_fatal names it: "-B" or "--block-size". */
  optionName: string;
}

export interface GetoptError {
  kind: 'error';
  /** glibc's message, without the program name. */
  message: string;
}

export interface GetoptResult {
  /** Options in order; parsing stops after the first error, which ends the list. */
  events: (GetoptOption | GetoptError)[];
  /** The non-option arguments, in order. */
  operands: string[];
}

/** Parses `shortopts` ("aB:i...") into letter → takes an argument. */
function parseShort(spec: string): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === ':' || c === '+' || c === '-') continue;
    m.set(c, spec[i + 1] === ':');
  }
  return m;
}

export function getoptLong(argv: readonly string[], shortopts: string, longopts: readonly LongOption[], env: NodeJS.ProcessEnv = {}): GetoptResult {
  const shorts = parseShort(shortopts);
  const posixly = shortopts.startsWith('+') || env.POSIXLY_CORRECT !== undefined;
  const events: (GetoptOption | GetoptError)[] = [];
  const operands: string[] = [];
  let i = 0;
  const fail = (message: string): GetoptResult => {
    events.push({ kind: 'error', message });
    return { events, operands };
  };
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      if (posixly) {
        operands.push(...argv.slice(i));
        break;
      }
      operands.push(a);
      i++;
      continue;
    }
    if (a.startsWith('--')) {
      const text = a.slice(2);
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(0, eq) : text;
      let found = longopts.find((o) => o.name === name);
      if (!found) {
        const matches = longopts.filter((o) => o.name.startsWith(name));
        if (matches.length > 1) {
          return fail(`option '--${text}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join('')}`);
        }
        found = matches[0];
      }
      if (!found) return fail(`unrecognized option '--${text}'`);
      i++;
      if (eq >= 0) {
        if (found.hasArg === 0) return fail(`option '--${found.name}' doesn't allow an argument`);
        events.push({ kind: 'option', id: found.id, arg: text.slice(eq + 1), optionName: `--${found.name}` });
      } else if (found.hasArg === 1) {
        if (i >= argv.length) return fail(`option '--${found.name}' requires an argument`);
        events.push({ kind: 'option', id: found.id, arg: argv[i]!, optionName: `--${found.name}` });
        i++;
      } else {
        events.push({ kind: 'option', id: found.id, optionName: `--${found.name}` });
      }
      continue;
    }
    // A cluster of short options.
    i++;
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      const takes = shorts.get(c);
      if (takes === undefined) return fail(`invalid option -- '${c}'`);
      if (!takes) {
        events.push({ kind: 'option', id: c, optionName: `-${c}` });
        continue;
      }
      if (k + 1 < a.length) {
        events.push({ kind: 'option', id: c, arg: a.slice(k + 1), optionName: `-${c}` });
      } else {
        if (i >= argv.length) return fail(`option requires an argument -- '${c}'`);
        events.push({ kind: 'option', id: c, arg: argv[i]!, optionName: `-${c}` });
        i++;
      }
      break;
    }
  }
  return { events, operands };
}
