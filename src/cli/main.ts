/** Entry point of the launchers in bin/. */
import { basename } from 'node:path';
import { processIO } from './io.js';
import { run } from './program.js';

export async function main(argv: string[] = process.argv): Promise<void> {
  const invokedAs = basename(argv[1] ?? 'ptools');
  // `pps aux | head`: a closed pipe ends the program quietly, as ps does.
  // Other write errors (ENOSPC...) are kept by the IO and reported by run()
  // once the command is done, as the namesake's close_stdout does.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await run(argv.slice(2), processIO(invokedAs), invokedAs);
}
