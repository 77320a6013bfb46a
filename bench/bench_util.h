/* What every benchmark needs: a clock, the process's peak memory, and a
 * way out that says which step failed. */
#ifndef DRILL_BENCH_UTIL_H
#define DRILL_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <drill/drill.h>

static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline long peak_kib(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_maxrss;
}

static inline void die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, drill_error_last()->message);
    exit(1);
}

/* Run one measurement in a child process, so that each starts from a fresh
 * heap and its peak memory is its own: the child calls fn(out, arg) and
 * sends the size bytes of *out back through a pipe. A child that fails
 * ends the benchmark, naming what failed. */
static inline void in_child(void *out, size_t size, void (*fn)(void *out, const void *arg), const void *arg,
                            const char *what)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("bench: pipe");
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(1);
    }
    if (pid == 0) {
        close(fd[0]);
        fn(out, arg);
        _exit(write(fd[1], out, size) == (ssize_t)size ? 0 : 1);
    }
    close(fd[1]);
    ssize_t n = read(fd[0], out, size);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (n != (ssize_t)size || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: %s failed\n", what);
        exit(1);
    }
}

#endif
