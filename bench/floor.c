/*
 * The floor for the `ps aux` scan: read the same /proc files ptools reads
 * (stat, statm, status, cmdline of every process) and nothing else: no
 * parsing. Prints the median time of N scans in milliseconds, and the process
 * count. Usage: floor [iterations]
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];
static volatile unsigned long sink;

static void slurp(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) sink += (unsigned long)n;
  close(fd);
}

static int scan(void) {
  static const char *files[] = {"stat", "statm", "status", "cmdline"};
  char path[64];
  int count = 0;
  DIR *d = opendir("/proc");
  if (!d) return -1;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    struct stat st;
    snprintf(path, sizeof path, "/proc/%s", e->d_name);
    if (stat(path, &st) == 0) sink += st.st_uid;
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
      snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, files[k]);
      slurp(path);
    }
    count++;
  }
  closedir(d);
  return count;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20;
  if (n < 1) n = 1;
  double *t = calloc((size_t)n, sizeof *t);
  int count = 0;
  for (int i = 0; i < n; i++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    count = scan();
    clock_gettime(CLOCK_MONOTONIC, &b);
    t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  }
  qsort(t, (size_t)n, sizeof *t, cmp);
  printf("{\"median_ms\": %.4f, \"processes\": %d}\n", t[n / 2], count);
  free(t);
  return 0;
}
