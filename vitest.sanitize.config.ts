import { defineConfig } from 'vitest/config';

// `make test-sanitize`: the tests that exercise the native addon, run against
// the addon built with ASan + UBSan (build-sanitize/ptools.node, through
// PTOOLS_NATIVE) with the sanitizer runtimes preloaded (LD_PRELOAD). The
// Makefile sets the environment; test/helpers/sanitize-setup.ts checks, in
// every worker, that it arrived. A sanitizer report aborts the worker, which
// fails the run.
export default defineConfig({
  test: {
    include: [
      'test/native/native.test.ts', // every binding: argument checks, errno, results, memory, the loader
      'test/native/native-fuzz.test.ts', // every binding with hostile arguments
      'test/core/process/process.test.ts', // the bulk scanner (readProc) and per-process syscalls
      'test/core/process/process-async.test.ts', // the AsyncWorkers (readProcAsync, pollReadableAsync)
      'test/core/process/process-races.test.ts', // processes exiting mid-scan, pid reuse, other users
      'test/core/net/sockdiag.test.ts', // sock_diag netlink parsing, socketOwners
      'test/core/net/connections.test.ts', // connections through sock_diag and the /proc fallback
    ],
    // Worker processes (child_process.fork) inherit the environment, LD_PRELOAD included.
    pool: 'forks',
    setupFiles: ['test/helpers/sanitize-setup.ts'],
    // Instrumented code and the ASan allocator are slower: generous bounds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
