/**
 * GNU getopt_long as glibc 2.36 behaves, for commands whose namesakes parse
 * with it (procps-ng free and uptime, coreutils who): clustered short
 * options, `-sVALUE` / `-s VALUE`, `--name[=value]`, unambiguous prefixes of
 * long names, argument permutation (operands may come before options unless
 * POSIXLY_CORRECT is set), `--` ends the options, and glibc's diagnostics
 * word for word.
 *
 * Shared by free, uptime and who (it lives under a free-* name because of
 * file ownership; it is generic and could move to src/cli/).
 *
 * The result is a list in command-line order: a namesake acts on each option
 * as getopt returns it (uptime -s prints at once; free parses -s/-c values as
 * it goes), so an error is an item at its position, not an exception.
 */

export type ArgKind = 'none' | 'required' | 'optional';

export interface LongOption {
  /** Name without the dashes. */
  readonly name: string;
  readonly has: ArgKind;
  /** What getopt returns for it: a short option letter or any key. */
  readonly key: string;
}

export type GetoptItem =
  | { readonly kind: 'option'; readonly key: string; readonly arg?: string }
  /** glibc's message (without the program name) for an unknown option, missing argument... */
  | { readonly kind: 'error'; readonly message: string };

export interface GetoptResult {
  readonly items: GetoptItem[];
  readonly operands: string[];
}

/** `short` is glibc's optstring ("bkms:c:"); a leading '+' or POSIXLY_CORRECT stops at the first operand. */
export function getoptLong(
  argv: readonly string[],
  short: string,
  longs: readonly LongOption[],
  env: NodeJS.ProcessEnv = {},
): GetoptResult {
  let spec = short;
  let stopAtOperand = env.POSIXLY_CORRECT !== undefined;
  if (spec.startsWith('+')) {
    stopAtOperand = true;
    spec = spec.slice(1);
  }
  const shortArg = (c: string): ArgKind | undefined => {
    const i = spec.indexOf(c);
    if (c === ':' || i < 0) return undefined;
    if (spec[i + 1] !== ':') return 'none';
    return spec[i + 2] === ':' ? 'optional' : 'required';
  };
  const items: GetoptItem[] = [];
  const operands: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      if (stopAtOperand) {
        operands.push(...argv.slice(i));
        break;
      }
      operands.push(a);
      i++;
      continue;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const inline = eq < 0 ? undefined : body.slice(eq + 1);
      let found = longs.find((o) => o.name === name);
      if (!found) {
        const matches = longs.filter((o) => o.name.startsWith(name));
        const first = matches[0];
        if (first) {
          // Options that only differ from the first match in name are one
          // option (glibc compares has_arg and the return value).
          const ambiguous = matches.filter((o, k) => k === 0 || o.has !== first.has || o.key !== first.key);
          if (ambiguous.length > 1) {
            items.push({
              kind: 'error',
              message: `option '${a}' is ambiguous; possibilities:${ambiguous.map((o) => ` '--${o.name}'`).join('')}`,
            });
            return { items, operands };
          }
          found = first;
        }
      }
      if (!found) {
        items.push({ kind: 'error', message: `unrecognized option '${a}'` });
        return { items, operands };
      }
      i++;
      if (inline !== undefined) {
        if (found.has === 'none') {
          items.push({ kind: 'error', message: `option '--${found.name}' doesn't allow an argument` });
          return { items, operands };
        }
        items.push({ kind: 'option', key: found.key, arg: inline });
      } else if (found.has === 'required') {
        if (i >= argv.length) {
          items.push({ kind: 'error', message: `option '--${found.name}' requires an argument` });
          return { items, operands };
        }
        items.push({ kind: 'option', key: found.key, arg: argv[i]! });
        i++;
      } else {
        items.push({ kind: 'option', key: found.key });
      }
      continue;
    }
    // A cluster of short options.
    i++;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const has = shortArg(c);
      if (has === undefined) {
        items.push({ kind: 'error', message: `invalid option -- '${c}'` });
        return { items, operands };
      }
      if (has === 'none') {
        items.push({ kind: 'option', key: c });
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest !== '') {
        items.push({ kind: 'option', key: c, arg: rest });
      } else if (has === 'optional') {
        items.push({ kind: 'option', key: c });
      } else if (i < argv.length) {
        items.push({ kind: 'option', key: c, arg: argv[i]! });
        i++;
      } else {
        items.push({ kind: 'error', message: `option requires an argument -- '${c}'` });
        return { items, operands };
      }
      break;
    }
  }
  return { items, operands };
}
