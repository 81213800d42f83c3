/** `ptools`: the synchronous API. `ptools/promises` has the same names returning Promises. */
export * from './core/index.js';
// util-linux's CPU mask and list formats (taskset's): text emulation, outside core, in the same API.
export * from './text/cpulist.js';
