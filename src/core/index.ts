/** ptools core: psutil's API for Linux, synchronous. */
export * from './constants.js';
export * from './errors.js';
export { getProcfsPath, setProcfsPath, getSysfsPath, setSysfsPath, getUtmpPath, setUtmpPath } from './paths.js';
export * from './cpu.js';
export * from './memory.js';
export * from './disk.js';
export * from './net.js';
export * from './system.js';
export * from './sensors.js';
export * from './connections.js';
export * from './maps.js';
