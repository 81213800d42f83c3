/** Placeholder until the command lands: it reports itself unavailable. */
import { CliExit } from '../../cli/errors.js';
import type { Command } from '../../cli/registry.js';

export const command: Command = {
  name: 'netstat',
  summary: 'not yet available',
  run(_argv, io) {
    throw new CliExit(1, `${io.prog}: not yet available in this build of ptools\n`);
  },
};
