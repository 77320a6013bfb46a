/* What every benchmark needs: a clock, the process's peak memory, and a
 * way out that says which step failed. */
#ifndef DRILL_BENCH_UTIL_H
#define DRILL_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Removes an SQLite store and its -wal and -shm files, where they exist. */
static inline void remove_store(const char *path)
{
    char p[4096 + 8];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

/* Wait for n child processes; one that did not exit with 0 ends the
 * benchmark with "bench: <what> failed". */
static inline void wait_children(const pid_t *pids, int n, const char *what)
{
    for (int k = 0; k < n; k++) {
        int status;
        waitpid(pids[k], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench: %s failed\n", what);
            exit(1);
        }
    }
}

/* The capacity (drills a day) that gives a city of units its year:
 * 30 for Dalian's 20,737 units, in proportion above and below. */
static inline int bench_capacity(size_t units)
{
    return (int)((30 * units + 20736) / 20737);
}

/* A generated city and its plan: what most benchmarks start from. */
typedef struct world {
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
} world;

/* The city's registries: g's units, the preset rules, the built-in
 * campaigns, China's calendar. Failure ends the benchmark. */
static inline void world_registries(world *w, const drill_generate_options *g)
{
    w->plan = NULL;
    if (drill_units_new(&w->units) || drill_units_generate(w->units, g) || drill_rules_new_presets(&w->rules) ||
        drill_campaigns_new_builtin(&w->campaigns, NULL) || drill_calendar_new_china(&w->cal))
        die("setup");
}

/* The plan of w's registries, scheduled. Failure ends the benchmark. */
static inline void world_plan(world *w, const drill_plan_options *po, const drill_schedule_options *so)
{
    if (drill_plan_new(&w->plan, w->units, w->rules, w->campaigns, w->cal, po) || drill_plan_schedule(NULL, w->plan, so))
        die("setup");
}

/* Frees what w holds (any part may be NULL) and zeroes it. */
static inline void world_free(world *w)
{
    drill_plan_free(w->plan);
    drill_calendar_free(w->cal);
    drill_campaigns_free(w->campaigns);
    drill_rules_free(w->rules);
    drill_units_free(w->units);
    memset(w, 0, sizeof *w);
}

#endif
