/** sysconf values, read once. */
import { native } from '../../native/index.js';

let cached: ReturnType<typeof native.sysconf> | undefined;
function values(): ReturnType<typeof native.sysconf> {
  if (!cached) cached = native.sysconf();
  return cached;
}
/** Clock ticks per second (_SC_CLK_TCK). */
export function clockTicks(): number {
  return values().clockTicks;
}
/** Page size in bytes. */
export function pageSize(): number {
  return values().pageSize;
}
