/**
 * The part of glibc's getopt_long that pmap's command line relies on:
 * clustered short options, "-Aval"/"-A val", long options by any unambiguous
 * prefix, "--opt=val", operands anywhere (permutation), "--" to stop. Errors
 * carry glibc's wording.
 */

export interface LongOpt {
  name: string;
  arg: 'none' | 'required';
  /** The short option it stands for (or a name of its own). */
  key: string;
}

export interface ParsedOpts {
  /** Options in command-line order, with their argument. */
  opts: Array<{ key: string; value?: string }>;
  operands: string[];
  /** glibc's message for the first bad option (parsing stops there; the options before it stand). */
  error?: string;
}

class GetoptError extends Error {
  override name = 'GetoptError';
}

/**
 * `shorts` in getopt's syntax ("xXA:"): a letter followed by ':' takes an
 * argument. A bad option ends parsing with `error` set to the message glibc
 * prints (`prog: ...`, no newline).
 */
export function getoptLong(argv: readonly string[], shorts: string, longs: readonly LongOpt[], prog: string): ParsedOpts {
  const out: ParsedOpts = { opts: [], operands: [] };
  try {
    scan(argv, shorts, longs, prog, out);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    out.error = e.message;
  }
  return out;
}

function scan(argv: readonly string[], shorts: string, longs: readonly LongOpt[], prog: string, out: ParsedOpts): void {
  const takesArg = new Map<string, boolean>();
  for (let i = 0; i < shorts.length; i++) {
    const c = shorts[i]!;
    if (c === ':') continue;
    takesArg.set(c, shorts[i + 1] === ':');
  }
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      out.operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const exact = longs.find((l) => l.name === name);
      const matches = exact ? [exact] : longs.filter((l) => l.name.startsWith(name));
      if (matches.length === 0) throw new GetoptError(`${prog}: unrecognized option '${a}'`);
      if (matches.length > 1) {
        throw new GetoptError(`${prog}: option '${a.slice(0, eq < 0 ? undefined : eq)}' is ambiguous; possibilities:${matches.map((m) => ` '--${m.name}'`).join('')}`);
      }
      const opt = matches[0]!;
      if (opt.arg === 'none') {
        if (eq >= 0) throw new GetoptError(`${prog}: option '--${opt.name}' doesn't allow an argument`);
        out.opts.push({ key: opt.key });
      } else if (eq >= 0) {
        out.opts.push({ key: opt.key, value: a.slice(eq + 1) });
      } else {
        if (i + 1 >= argv.length) throw new GetoptError(`${prog}: option '--${opt.name}' requires an argument`);
        out.opts.push({ key: opt.key, value: argv[++i]! });
      }
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const needs = takesArg.get(c);
        if (needs === undefined) throw new GetoptError(`${prog}: invalid option -- '${c}'`);
        if (!needs) {
          out.opts.push({ key: c });
          continue;
        }
        if (j + 1 < a.length) out.opts.push({ key: c, value: a.slice(j + 1) });
        else if (i + 1 < argv.length) out.opts.push({ key: c, value: argv[++i]! });
        else throw new GetoptError(`${prog}: option requires an argument -- '${c}'`);
        break;
      }
      i++;
      continue;
    }
    out.operands.push(a);
    i++;
  }
}
