/* What every benchmark needs: a clock, the process's peak memory, and a
 * way out that says which step failed. */
#ifndef DRILL_BENCH_UTIL_H
#define DRILL_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
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

#endif
