"""psutil's side of the `ps aux` scan benchmark: process_iter with the same
attributes, timed inside Python. Prints the median of N scans in ms."""
import json
import sys
import time

import psutil

ATTRS = ['username', 'pid', 'cpu_times', 'memory_info', 'memory_percent', 'terminal',
         'status', 'create_time', 'cmdline', 'name']

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    times = []
    count = 0
    for _ in range(n):
        t0 = time.perf_counter()
        procs = list(psutil.process_iter(ATTRS))
        times.append((time.perf_counter() - t0) * 1e3)
        count = len(procs)
    times.sort()
    print(json.dumps({'median_ms': times[len(times) // 2], 'processes': count}))

main()
