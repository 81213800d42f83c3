/**
 * GNU getopt_long as netstat sees it: short-option clusters, required
 * arguments attached or separate, long options with unambiguous prefixes and
 * '=value', "--" ending the options, operands permuted to the end. Options
 * are yielded in order so the caller acts on each as netstat's switch does
 * (-V exits before a later bad option is seen). Messages are glibc's.
 */
export interface LongOpt {
  readonly name: string;
  readonly hasArg: boolean;
  /** What the caller receives for it (a short option letter, or the long name). */
  readonly key: string;
}

export type GetoptEvent =
  | { readonly kind: 'opt'; readonly key: string; readonly arg?: string }
  | { readonly kind: 'error'; readonly message: string };

export function* getoptLong(argv: readonly string[], shorts: string, longs: readonly LongOpt[], prog: string, operands: string[] = []): Generator<GetoptEvent> {
  const shortArg = (c: string): boolean | undefined => {
    const i = shorts.indexOf(c);
    if (i < 0 || c === ':') return undefined;
    return shorts[i + 1] === ':';
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      return;
    }
    if (a.startsWith('--')) {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const value = eq < 0 ? undefined : body.slice(eq + 1);
      let found = longs.find((l) => l.name === name);
      if (!found) {
        const cands = longs.filter((l) => l.name.startsWith(name));
        const distinct = cands.filter((c, k) => cands.findIndex((d) => d.key === c.key && d.hasArg === c.hasArg) === k);
        if (distinct.length > 1) {
          yield { kind: 'error', message: `${prog}: option '--${name}' is ambiguous; possibilities:${cands.map((c) => ` '--${c.name}'`).join('')}\n` };
          continue;
        }
        found = cands[0];
      }
      if (!found) {
        yield { kind: 'error', message: `${prog}: unrecognized option '--${name}'\n` };
        continue;
      }
      if (!found.hasArg) {
        if (value !== undefined) {
          yield { kind: 'error', message: `${prog}: option '--${found.name}' doesn't allow an argument\n` };
          continue;
        }
        yield { kind: 'opt', key: found.key };
        continue;
      }
      if (value !== undefined) {
        yield { kind: 'opt', key: found.key, arg: value };
        continue;
      }
      if (i + 1 < argv.length) {
        yield { kind: 'opt', key: found.key, arg: argv[++i]! };
        continue;
      }
      yield { kind: 'error', message: `${prog}: option '--${found.name}' requires an argument\n` };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        const takes = shortArg(c);
        if (takes === undefined) {
          yield { kind: 'error', message: `${prog}: invalid option -- '${c}'\n` };
          continue;
        }
        if (!takes) {
          yield { kind: 'opt', key: c };
          continue;
        }
        const rest = a.slice(k + 1);
        if (rest !== '') {
          yield { kind: 'opt', key: c, arg: rest };
        } else if (i + 1 < argv.length) {
          yield { kind: 'opt', key: c, arg: argv[++i]! };
        } else {
          yield { kind: 'error', message: `${prog}: option requires an argument -- '${c}'\n` };
        }
        break;
      }
      continue;
    }
    operands.push(a);
  }
}
