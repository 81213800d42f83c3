/** `ptools`: the synchronous API. `ptools/promises` has the same names returning Promises. */
export * from './core/index.js';
