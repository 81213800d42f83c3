/**
 * ps (pps): procps-ng's ps, output for output — the three option syntaxes,
 * every format keyword, selections, sorting, forests, threads — plus --json.
 *
 *   collect:  parseArgs → the scan sources → core scan (core/process/scan)
 *   rows:     selection, sort, forest, threads (display.show)
 *   render:   procps's column layout, or JSON
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { fail, type Command, type Grammar, type Parsed } from '../../cli/command.js';
import { scanProcesses } from '../../core/process/scan.js';
import { itemEnv, selfStat } from '../../core/process/items.js';
import { isFancy, jsonEmitter, quickPids, scanSources, effectiveSorts, show, textEmitter, wantThreads } from './display.js';
import { utf8Locale } from '../../core/base/locale.js';
import { formatKeywords, listSpecifiers } from './format.js';
import { BSD_OPTIONS, GNU_OPTIONS, parseArgs, ParseExit, ParseFailure, SEL, UNIX_OPTIONS, type PsOptions } from './parser.js';
import type { Env } from '../../text/procps-proc.js';

/** procps's checks on -q (quick pid) combinations: message and status 1. */
function conflicts(o: PsOptions): string | null {
  const quick = o.selection.filter((s) => s.type === SEL.PID_QUICK).length;
  if (quick > 1) return 'q/-q/--quick-pid can only be used once.\n';
  if (quick && o.selection.length > quick) return 'q/-q/--quick-pid cannot be combined with other selection options.\n';
  if (quick && o.forestType) return 'q/-q/--quick-pid cannot be used together with forest type listings.\n';
  if (quick && o.sortList.length) return 'q/-q,--quick-pid cannot be used together with sort options.\n';
  if (quick && o.negate) return 'q/-q/--quick-pid cannot be used together with negation switches.\n';
  return null;
}

/** The facts every row shares (core's, read now), and the locale's escape mode. */
function makeEnv(io: IO): Env {
  return Object.assign(itemEnv(), { utf8: utf8Locale(io.env) });
}

/**
 * ps's command line in the contract's terms. ps's --json is read by its own
 * GNU-option switch (parser.ts), spelled as the shared option (JSON_OPTION);
 * `ps L` and `--info` are informational outputs, as help is.
 */
async function parse(argv: string[], io: IO): Promise<Parsed<PsOptions>> {
  let parsed;
  try {
    parsed = parseArgs(argv, {
      env: io.env,
      columns: io.columns,
      rows: io.rows,
      isTTY: io.isTTY,
      cachedTty: selfStat().ttyNr,
      cachedEuid: typeof process.geteuid === 'function' ? process.geteuid() : 0,
    });
  } catch (e) {
    if (!(e instanceof ParseFailure || e instanceof ParseExit)) throw e;
    // The help text is needed only here: loaded on demand.
    const { helpText } = await import('./help.js');
    if (e instanceof ParseFailure) return fail(1, `error: ${e.message}\n${helpText(io.prog, null)}`);
    switch (e.kind) {
      case 'help':
        return { kind: 'help', text: helpText(io.prog, e.arg) };
      case 'version':
        return { kind: 'version' };
      case 'list':
        return { kind: 'help', text: listSpecifiers() };
      default:
        return { kind: 'help', text: '', stderr: `ptools ps: ${argv.join(' ')}\npersonality from PS_PERSONALITY=${io.env.PS_PERSONALITY ?? ''}\n` };
    }
  }
  for (const w of parsed.warnings) io.err(w);
  const bad = conflicts(parsed.options);
  if (bad) return fail(1, bad);
  return { kind: 'run', options: parsed.options };
}

function run(o: PsOptions, io: IO): number {
  const fancy = isFancy(o);
  const sorts = effectiveSorts(o);
  const env = makeEnv(io);
  const records = scanProcesses({
    sources: scanSources(o, sorts),
    threads: wantThreads(o, fancy),
    pids: quickPids(o) ?? undefined,
    hideKernel: io.env.LIBPROC_HIDE_KERNEL !== undefined,
  });
  const out = o.json ? jsonEmitter(o, env) : textEmitter(o, env);
  show(records, o, env, out);
  io.out(out.finish());
  return out.any ? 0 : 1;
}

/** ps's options for completion: UNIX and GNU spellings; keywords after -o/-O/--format/--sort (read when asked). */
function grammar(): Grammar {
  const keywords = formatKeywords();
  return {
    short: UNIX_OPTIONS,
    long: GNU_OPTIONS.map((o) => ({ ...o, key: o.name })),
    bsd: BSD_OPTIONS,
    values: { '-o': keywords, '-O': keywords, '--format': keywords, '--sort': keywords, o: keywords, O: keywords, k: keywords },
    operands: 'none',
  };
}

export const command: Command<PsOptions> = {
  name: 'ps',
  summary: 'report a snapshot of the current processes (procps-ng ps)',
  get grammar() {
    return grammar();
  },
  parse,
  run,
  versionText: (_prog, v) => `ps from ptools ${v}\n`,
};
