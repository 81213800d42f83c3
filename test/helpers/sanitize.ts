/**
 * `make test-sanitize` runs the tests with the sanitizer runtimes preloaded
 * (LD_PRELOAD) and the addon built with them; sanitize-setup.ts takes those
 * variables out of the environment children inherit. A test that starts a
 * process loading a copy of the loaded addon (bindingPath()) adds
 * `sanitizerEnv()` to that child's environment: without the runtimes
 * preloaded, the sanitized addon cannot be loaded. Outside that run it is {}.
 */
export const SANITIZER_VARS = ['LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS'] as const;

/** Where sanitize-setup.ts keeps variable `k`. */
export const stash = (k: string): string => `PTOOLS_SANITIZE_${k}`;

export function sanitizerEnv(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of SANITIZER_VARS) {
    const v = process.env[stash(k)] ?? process.env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Whether this is the sanitized run. Memory-growth tests skip there: ASan
 * keeps freed memory in quarantine (to catch use after free) and its
 * allocator returns little to the system, so RSS measures ASan, not us.
 */
export const underSanitizer = (): boolean => process.env[stash('LD_PRELOAD')] !== undefined;

/** The suffix that names why a test is skipped under the sanitizer ('' otherwise). */
export const skippedUnderSanitizer = (): string => (underSanitizer() ? ' [SKIPPED under make test-sanitize: ASan quarantines freed memory]' : '');
