/*
 * The per-frame floor for `top -b`, for bench/top.js: the /proc reads a
 * frame cannot do without, and nothing else (no parsing, no output).
 *
 * Each frame does two scans of every process, timed apart with the process
 * CPU clock (CLOCK_PROCESS_CPUTIME_ID: user + system, the same quantity the
 * bench takes from wait4's rusage for the tops):
 *   "top":    what procps-ng 4.0.2 top -b reads per process with its default
 *             fields (strace): stat(2) of /proc/PID (the owner), then
 *             /proc/PID/stat and /proc/PID/statm;
 *   "status": the same plus /proc/PID/status, the largest file, which a
 *             psutil-style reader also reads (names, uids, threads).
 * Both also read the summary files of a frame: /proc/stat, /proc/meminfo,
 * /proc/loadavg, /proc/uptime. The two scans swap order every frame, and the
 * frames are `delay` seconds apart as top's are (so caches cool alike).
 *
 * Usage: topfloor [frames=20] [delay_seconds=1]
 * Prints {"processes": N, "top_us": [...], "status_us": [...]}, one CPU time
 * per frame and scan.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];
static volatile unsigned long sink;

static void slurp(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) == (ssize_t)sizeof buf) sink += (unsigned long)n;
  if (n > 0) sink += (unsigned long)n;
  close(fd);
}

static int scan(int with_status) {
  static const char *summary[] = {"/proc/stat", "/proc/meminfo", "/proc/loadavg", "/proc/uptime"};
  char path[300];
  int count = 0;
  for (size_t k = 0; k < sizeof summary / sizeof *summary; k++) slurp(summary[k]);
  DIR *d = opendir("/proc");
  if (!d) return -1;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    struct stat st;
    snprintf(path, sizeof path, "/proc/%s", e->d_name);
    if (stat(path, &st) == 0) sink += st.st_uid;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    slurp(path);
    snprintf(path, sizeof path, "/proc/%s/statm", e->d_name);
    slurp(path);
    if (with_status) {
      snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
      slurp(path);
    }
    count++;
  }
  closedir(d);
  return count;
}

static long cpu_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20;
  double delay = argc > 2 ? atof(argv[2]) : 1.0;
  if (n < 1) n = 1;
  if (delay < 0) delay = 0;
  long *top = calloc((size_t)n, sizeof *top), *status = calloc((size_t)n, sizeof *status);
  int count = 0;
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < 2; k++) {
      int with_status = (i + k) % 2;
      long t0 = cpu_us();
      count = scan(with_status);
      long dt = cpu_us() - t0;
      if (with_status) status[i] = dt;
      else top[i] = dt;
    }
    if (i + 1 < n && delay > 0) {
      struct timespec ts = {(time_t)delay, (long)((delay - (time_t)delay) * 1e9)};
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    }
  }
  printf("{\"processes\": %d, \"top_us\": [", count);
  for (int i = 0; i < n; i++) printf("%s%ld", i ? ", " : "", top[i]);
  printf("], \"status_us\": [");
  for (int i = 0; i < n; i++) printf("%s%ld", i ? ", " : "", status[i]);
  printf("]}\n");
  free(top);
  free(status);
  return 0;
}
