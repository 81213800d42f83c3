/*
 * The CPU time of one child, for bench/top.js: Node has no per-child rusage,
 * so this runs the command, waits for it with wait4(2) (the rusage of that
 * child and of any descendants it waited for, all threads included) and
 * prints one line of JSON:
 *
 *   {"exit": 0, "signal": 0, "user_us": ..., "sys_us": ..., "wall_ms": ..., "maxrss_kb": ...}
 *
 * The child's stdout goes to OUTFILE (created/truncated; /dev/null to
 * discard); its stdin is /dev/null, its stderr is ours. SIGINT, SIGTERM and
 * SIGHUP sent to this wrapper are passed on to the child, and the child gets
 * SIGKILL if the wrapper dies first (PR_SET_PDEATHSIG).
 *
 * Linux derives user+system from the scheduler's exact runtime (the split
 * between the two is sampled at ticks, the sum is not), so the total is good
 * to microseconds, unlike /usr/bin/time's 10 ms.
 *
 * Usage: rusage OUTFILE COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child = -1;

static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rusage OUTFILE COMMAND [ARG...]\n");
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);

  pid_t parent = getpid();
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t pid = fork();
  if (pid < 0) {
    perror("rusage: fork");
    return 2;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) {
      fprintf(stderr, "rusage: %s: %s\n", argv[1], strerror(errno));
      _exit(127);
    }
    execvp(argv[2], argv + 2);
    fprintf(stderr, "rusage: %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }
  child = pid;
  int status = 0;
  struct rusage ru;
  pid_t w;
  do w = wait4(pid, &status, 0, &ru);
  while (w < 0 && errno == EINTR);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (w < 0) {
    perror("rusage: wait4");
    return 2;
  }
  double wall = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  printf("{\"exit\": %d, \"signal\": %d, \"user_us\": %ld, \"sys_us\": %ld, \"wall_ms\": %.3f, \"maxrss_kb\": %ld}\n",
         WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
         (long)ru.ru_utime.tv_sec * 1000000L + (long)ru.ru_utime.tv_usec,
         (long)ru.ru_stime.tv_sec * 1000000L + (long)ru.ru_stime.tv_usec, wall, ru.ru_maxrss);
  return 0;
}
