/**
 * The /proc/meminfo figures `free -l` and `free -v` show beyond psutil's
 * virtual_memory(): low/high memory (32-bit kernels with HIGHMEM only) and
 * the overcommit accounting (CommitLimit, Committed_AS).
 */
import { readMeminfo } from '../procfs/meminfo.js';

/** Bytes; null where this kernel does not export the line. */
export interface MemoryDetails {
  /** LowTotal: memory the kernel maps directly (null on 64-bit kernels, where all of it is "low"). */
  readonly lowTotal: number | null;
  readonly lowFree: number | null;
  /** HighTotal: memory above the direct map (null without CONFIG_HIGHMEM). */
  readonly highTotal: number | null;
  readonly highFree: number | null;
  /** CommitLimit: what may be committed under overcommit mode 2 (swap + RAM × ratio). */
  readonly commitLimit: number | null;
  /** Committed_AS: address space currently committed by all processes. */
  readonly committedAs: number | null;
}

/** Picks the extra figures out of parsed meminfo (parseMeminfo's `{ key: bytes }`). */
export function memoryDetailsFrom(m: Record<string, number>): MemoryDetails {
  const get = (k: string): number | null => m[k] ?? null;
  return {
    lowTotal: get('LowTotal'),
    lowFree: get('LowFree'),
    highTotal: get('HighTotal'),
    highFree: get('HighFree'),
    commitLimit: get('CommitLimit'),
    committedAs: get('Committed_AS'),
  };
}

/** Low/high memory and commit accounting from /proc/meminfo. */
export function memoryDetails(): MemoryDetails {
  return memoryDetailsFrom(readMeminfo());
}
