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
import type { Command } from '../../cli/registry.js';
import { scanProcesses } from '../../core/process/scan.js';
import { itemEnv, selfStat } from '../../core/process/items.js';
import { isFancy, jsonEmitter, quickPids, scanSources, effectiveSorts, show, textEmitter, wantThreads } from './display.js';
import { utf8Locale } from '../../text/procps-escape.js';
import { listSpecifiers } from './format.js';
import { parseArgs, ParseExit, ParseFailure, SEL, type PsOptions } from './parser.js';
import type { Env } from './proc.js';

async function versionText(): Promise<string> {
  const { version } = await import('../../cli/program.js');
  return `ps from ptools ${version()}\n`;
}

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

async function run(argv: string[], io: IO): Promise<number> {
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
    if (e instanceof ParseFailure) throw new CliExit(1, `error: ${e.message}\n${helpText(io.prog, null)}`);
    switch (e.kind) {
      case 'help':
        io.out(helpText(io.prog, e.arg));
        return 0;
      case 'version':
        io.out(await versionText());
        return 0;
      case 'list':
        io.out(listSpecifiers());
        return 0;
      default:
        io.err(`ptools ps: ${argv.join(' ')}\npersonality from PS_PERSONALITY=${io.env.PS_PERSONALITY ?? ''}\n`);
        return 0;
    }
  }
  const o = parsed.options;
  for (const w of parsed.warnings) io.err(w);
  const bad = conflicts(o);
  if (bad) throw new CliExit(1, bad);

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

export const command: Command = {
  name: 'ps',
  summary: 'report a snapshot of the current processes (procps-ng ps)',
  run,
};
