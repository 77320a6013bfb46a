/* Crash safety of the store: a child makes tracking updates through an
 * attached store in a loop and tells the parent each one that returned 0;
 * the parent kills it with SIGKILL after a random number of them, at least
 * 50 times. After each kill the file must open, pass integrity_check, and
 * hold every acknowledged update.
 *
 * SIGKILL leaves the page cache intact, so it never tests the syncs. The
 * power-loss test runs the same loop with the child's SQLite on a VFS shim
 * (as SQLite's own crash tests, test6.c, do) that keeps every write in
 * memory until the file is synced: killing the child then drops every write
 * not followed by a sync, as a power cut would. Only synced data survives,
 * so an update acknowledged before its commit was synced is found missing.
 *
 * Nothing waits on time: the parent reads the child's acknowledgements from a
 * pipe, and a child that cannot make progress exits, which the parent sees as
 * the end of the pipe and reports, instead of waiting for ever. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"

#define KILLS test_rounds(50)

typedef struct ack {
    int32_t drill;   /* drill index; -1: the child is ready */
    int32_t actions; /* 0: held; n: the drill has at least n actions */
} ack;

/* ---- the power-loss VFS: writes reach the file only when it is synced ---- */

typedef struct pl_op {
    int truncate;         /* 1: truncate to off; 0: write data at off */
    sqlite3_int64 off;
    int n;
    unsigned char *data;
} pl_op;

typedef struct pl_file {
    sqlite3_file base;
    sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
    pl_op *ops;         /* what was written since the last sync, in order */
    size_t n, cap;
} pl_file;

static sqlite3_vfs *pl_real;  /* the default VFS the shim wraps */

static void pl_drop(pl_file *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->ops[i].data);
    f->n = 0;
}

static int pl_push(pl_file *f, pl_op op)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        pl_op *ops = realloc(f->ops, cap * sizeof *ops);
        if (!ops)
            return SQLITE_NOMEM;
        f->ops = ops;
        f->cap = cap;
    }
    f->ops[f->n++] = op;
    return SQLITE_OK;
}

/* the size the process sees: the file's, then every pending write and truncation */
static int pl_size(pl_file *f, sqlite3_int64 *out)
{
    int rc = f->real->pMethods->xFileSize(f->real, out);
    for (size_t i = 0; rc == SQLITE_OK && i < f->n; i++) {
        sqlite3_int64 end = f->ops[i].off + (f->ops[i].truncate ? 0 : f->ops[i].n);
        if (f->ops[i].truncate || end > *out)
            *out = end;
    }
    return rc;
}

/* write the pending operations to the file (they reach the page cache only) */
static int pl_apply(pl_file *f)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < f->n; i++) {
        pl_op *o = &f->ops[i];
        rc = o->truncate ? f->real->pMethods->xTruncate(f->real, o->off)
                         : f->real->pMethods->xWrite(f->real, o->data, o->n, o->off);
    }
    pl_drop(f);
    return rc;
}

static int pl_close(sqlite3_file *file)
{
    pl_file *f = (pl_file *)file;
    int rc = pl_apply(f); /* a clean close leaves the writes to the page cache */
    free(f->ops);
    int rc2 = f->real->pMethods->xClose(f->real);
    return rc ? rc : rc2;
}

static int pl_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
    pl_file *f = (pl_file *)file;
    int rc = f->real->pMethods->xRead(f->real, buf, amt, off);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
        return rc;
    sqlite3_int64 size;
    if ((rc = f->real->pMethods->xFileSize(f->real, &size)) != SQLITE_OK)
        return rc;
    unsigned char *b = buf;
    if (size < off + amt) /* what the file lacks reads as zeros */
        memset(b + (size > off ? size - off : 0), 0, (size_t)(off + amt - (size > off ? size : off)));
    for (size_t i = 0; i < f->n; i++) {
        pl_op *o = &f->ops[i];
        if (o->truncate) {
            size = o->off;
            if (size < off + amt)
                memset(b + (size > off ? size - off : 0), 0, (size_t)(off + amt - (size > off ? size : off)));
            continue;
        }
        sqlite3_int64 lo = o->off > off ? o->off : off;
        sqlite3_int64 hi = o->off + o->n < off + amt ? o->off + o->n : off + amt;
        if (lo < hi)
            memcpy(b + (lo - off), o->data + (lo - o->off), (size_t)(hi - lo));
        if (o->off + o->n > size)
            size = o->off + o->n;
    }
    return size < off + amt ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

static int pl_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
    pl_file *f = (pl_file *)file;
    pl_op op = { 0, off, amt, malloc((size_t)amt) };
    if (!op.data)
        return SQLITE_NOMEM;
    memcpy(op.data, buf, (size_t)amt);
    int rc = pl_push(f, op);
    if (rc)
        free(op.data);
    return rc;
}

static int pl_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    return pl_push((pl_file *)file, (pl_op){ 1, size, 0, NULL });
}

static int pl_sync(sqlite3_file *file, int flags)
{
    pl_file *f = (pl_file *)file;
    int rc = pl_apply(f);
    if (rc == SQLITE_OK)
        rc = f->real->pMethods->xSync(f->real, flags);
    return rc;
}

static int pl_file_size(sqlite3_file *file, sqlite3_int64 *out) { return pl_size((pl_file *)file, out); }
#define REAL(file) (((pl_file *)(file))->real)
static int pl_lock(sqlite3_file *file, int l) { return REAL(file)->pMethods->xLock(REAL(file), l); }
static int pl_unlock(sqlite3_file *file, int l) { return REAL(file)->pMethods->xUnlock(REAL(file), l); }
static int pl_check_reserved(sqlite3_file *file, int *out)
{
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}
static int pl_file_control(sqlite3_file *file, int op, void *arg)
{
    /* a size hint would make the real file grow behind the pending writes' back: ignore it */
    if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_MMAP_SIZE)
        return SQLITE_NOTFOUND;
    return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}
static int pl_sector_size(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int pl_device(sqlite3_file *file) { return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file)); }
/* the wal-index (-shm) is shared memory, not durable: SQLite rebuilds it from the WAL after a crash */
static int pl_shm_map(sqlite3_file *file, int pg, int sz, int extend, void volatile **pp)
{
    return REAL(file)->pMethods->xShmMap(REAL(file), pg, sz, extend, pp);
}
static int pl_shm_lock(sqlite3_file *file, int off, int n, int flags)
{
    return REAL(file)->pMethods->xShmLock(REAL(file), off, n, flags);
}
static void pl_shm_barrier(sqlite3_file *file) { REAL(file)->pMethods->xShmBarrier(REAL(file)); }
static int pl_shm_unmap(sqlite3_file *file, int del) { return REAL(file)->pMethods->xShmUnmap(REAL(file), del); }

/* version 2: no xFetch, so every read goes through pl_read and sees the pending writes */
static const sqlite3_io_methods pl_methods = {
    2, pl_close, pl_read, pl_write, pl_truncate, pl_sync, pl_file_size, pl_lock, pl_unlock, pl_check_reserved,
    pl_file_control, pl_sector_size, pl_device, pl_shm_map, pl_shm_lock, pl_shm_barrier, pl_shm_unmap,
    NULL, NULL,
};

static int pl_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)vfs;
    pl_file *f = (pl_file *)file;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)&f[1];
    int rc = pl_real->xOpen(pl_real, name, f->real, flags, out_flags);
    if (rc == SQLITE_OK && f->real->pMethods)
        f->base.pMethods = &pl_methods;
    return rc;
}
static int pl_delete(sqlite3_vfs *v, const char *name, int dir_sync)
{
    (void)v;
    return pl_real->xDelete(pl_real, name, dir_sync);
}
static int pl_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return pl_real->xAccess(pl_real, name, flags, out);
}
static int pl_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return pl_real->xFullPathname(pl_real, name, n, out);
}
static int pl_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return pl_real->xRandomness(pl_real, n, out);
}
static int pl_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return pl_real->xSleep(pl_real, us);
}
static int pl_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return pl_real->xCurrentTime(pl_real, out);
}
static int pl_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return pl_real->xGetLastError(pl_real, n, out);
}
static int pl_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return pl_real->xCurrentTimeInt64(pl_real, out);
}

static sqlite3_vfs pl_vfs;

/* make the power-loss VFS SQLite's default in this process */
static int powerloss_install(void)
{
    if (!(pl_real = sqlite3_vfs_find(NULL)) || pl_real->iVersion < 2)
        return SQLITE_ERROR;
    sqlite3_vfs v = { 2, (int)(sizeof(pl_file) + (size_t)pl_real->szOsFile), pl_real->mxPathname, NULL,
                      "drill-powerloss", NULL, pl_open, pl_delete, pl_access, pl_full_pathname,
                      NULL, NULL, NULL, NULL, pl_randomness, pl_sleep, pl_current_time, pl_last_error,
                      pl_current_time64, NULL, NULL, NULL };
    pl_vfs = v;
    return sqlite3_vfs_register(&pl_vfs, 1);
}

static void make_store(const char *path)
{
    drill_units *u;
    drill_rules *r;
    drill_campaigns *c;
    drill_calendar *cal;
    drill_plan *p;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = 30;
    assert_int_equal(drill_units_new(&u), 0);
    assert_int_equal(drill_units_generate(u, &g), 0);
    assert_int_equal(drill_rules_new_presets(&r), 0);
    assert_int_equal(drill_campaigns_new_builtin(&c, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    assert_int_equal(drill_plan_new(&p, u, r, c, cal, &o), 0);
    assert_int_equal(drill_plan_schedule(NULL, p, NULL), 0);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, p), 0);
    drill_store_close(s);
    drill_plan_free(p);
    drill_calendar_free(cal);
    drill_campaigns_free(c);
    drill_rules_free(r);
    drill_units_free(u);
}

static void send_ack(int fd, ack a)
{
    if (write(fd, &a, sizeof a) != (ssize_t)sizeof a)
        _exit(3);
}

/* the child: never returns. With powerloss, its SQLite writes through the
 * power-loss VFS. It exits 4 once a whole pass over the plan finds nothing
 * left to change, so a parent waiting for an acknowledgement never hangs. */
static void child(const char *path, int fd, unsigned seed, int powerloss)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a parent that failed or was killed */
    if (powerloss && powerloss_install() != SQLITE_OK)
        _exit(5);
    drill_store *s;
    drill_plan *p;
    drill_units *u;
    drill_rules *r;
    drill_campaigns *c;
    drill_calendar *cal;
    if (drill_store_open(&s, path, NULL) || drill_store_load(&p, &u, &r, &c, &cal, s, 2026) ||
        drill_store_attach(s, p))
        _exit(2);
    send_ack(fd, (ack){ -1, 0 });
    size_t n = drill_plan_count(p), idle = 0;
    for (size_t k = seed % n;; k = (k + 1) % n) {
        drill_item it = DRILL_ITEM_INIT;
        drill_track_info info = DRILL_TRACK_INFO_INIT;
        drill_plan_get(&it, p, k);
        drill_track_get(&info, p, it.id);
        if (++idle > n)
            _exit(4);
        if (it.status == DRILL_STATUS_SCHEDULED) {
            drill_outcome o = DRILL_OUTCOME_INIT;
            o.date = it.date;
            o.start_minute = it.start_minute;
            o.end_minute = it.start_minute + 30;
            o.participants = 10;
            if (drill_track_hold(p, it.id, &o, "crash-test", "held") == 0) {
                send_ack(fd, (ack){ (int32_t)k, 0 });
                idle = 0;
            }
        } else if (it.status == DRILL_STATUS_HELD && info.actions < 200) {
            drill_action a = DRILL_ACTION_INIT;
            a.finding = "发现";
            a.action = "整改";
            a.owner = "单位";
            a.due = D(2026, 12, 31);
            size_t number;
            if (drill_track_add_action(&number, p, it.id, &a, "crash-test", NULL) == 0) {
                send_ack(fd, (ack){ (int32_t)k, (int32_t)number });
                idle = 0;
            }
        }
    }
}

/* the next acknowledgement: 1, or 0 at the end of the pipe (the child died) */
static int read_ack(int fd, ack *a)
{
    ssize_t got;
    while ((got = read(fd, a, sizeof *a)) < 0 && errno == EINTR)
        ;
    if (got == 0)
        return 0;
    assert_int_equal(got, (ssize_t)sizeof *a);
    return 1;
}

/* record an acknowledgement: the drill held, or its most actions so far */
static void note_ack(const ack *a, int32_t held[4096], int32_t actions[4096], size_t *acknowledged)
{
    assert_true(a->drill >= 0 && a->drill < 4096);
    if (a->actions == 0)
        held[a->drill] = 1;
    else if (a->actions > actions[a->drill])
        actions[a->drill] = a->actions;
    (*acknowledged)++;
}

/* why a child that should still be running ended */
static const char *child_end(pid_t pid)
{
    int status;
    static char why[64];
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
        return "it ran out of updates to make";
    if (WIFEXITED(status))
        snprintf(why, sizeof why, "it exited %d (2: cannot open, 5: cannot install the VFS)", WEXITSTATUS(status));
    else
        snprintf(why, sizeof why, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return why;
}

static void kill_while_writing(int powerloss)
{
    char path[128];
    snprintf(path, sizeof path, "/tmp/drill-crash-%d-%d.db", (int)getpid(), powerloss);
    remove(path);
    make_store(path);
    /* what the children acknowledged, per drill: held, and the most actions */
    static int32_t held[4096], actions[4096];
    memset(held, 0, sizeof held);
    memset(actions, 0, sizeof actions);
    srand(2026);
    size_t acknowledged = 0;
    for (int kill_no = 0; kill_no < KILLS; kill_no++) {
        int fd[2];
        assert_int_equal(pipe(fd), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fd[0]);
            child(path, fd[1], (unsigned)rand(), powerloss);
        }
        close(fd[1]);
        /* wait until it is ready (slow under valgrind), then let it make a
         * random number of acknowledged updates and kill it in the next one */
        ack a;
        if (!read_ack(fd[0], &a))
            fail_msg("kill %d: the child ended before it was ready: %s", kill_no, child_end(pid));
        assert_int_equal(a.drill, -1);
        int wanted = rand() % 8 + 1;
        for (int i = 0; i < wanted; i++) {
            if (!read_ack(fd[0], &a))
                fail_msg("kill %d: the child ended before its update %d: %s", kill_no, i + 1, child_end(pid));
            note_ack(&a, held, actions, &acknowledged);
        }
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            fail_msg("kill %d: the child ended on its own (status %d)", kill_no, status);
        while (read_ack(fd[0], &a))
            note_ack(&a, held, actions, &acknowledged);
        close(fd[0]);
        /* the file opens, is sound, and has everything acknowledged */
        drill_store *s;
        int ok = 0;
        assert_int_equal(drill_store_open(&s, path, NULL), 0);
        assert_int_equal(drill_store_check(&ok, s), 0);
        assert_int_equal(ok, 1);
        drill_plan *p;
        drill_units *u;
        drill_rules *r;
        drill_campaigns *c;
        drill_calendar *cal;
        assert_int_equal(drill_store_load(&p, &u, &r, &c, &cal, s, 2026), 0);
        for (size_t k = 0; k < drill_plan_count(p) && k < 4096; k++) {
            drill_item it = DRILL_ITEM_INIT;
            drill_track_info info = DRILL_TRACK_INFO_INIT;
            drill_plan_get(&it, p, k);
            drill_track_get(&info, p, it.id);
            if (held[k] && info.status < DRILL_STATUS_HELD)
                fail_msg("%s %d: %s was acknowledged held but is %s", powerloss ? "power cut" : "kill", kill_no,
                         it.id, drill_status_name(info.status));
            if ((size_t)actions[k] > info.actions)
                fail_msg("%s %d: %s had %d actions acknowledged, the store has %zu",
                         powerloss ? "power cut" : "kill", kill_no, it.id, actions[k], info.actions);
        }
        drill_plan_free(p);
        drill_calendar_free(cal);
        drill_campaigns_free(c);
        drill_rules_free(r);
        drill_units_free(u);
        drill_store_close(s);
    }
    print_message("%d %s, %zu acknowledged updates, all found\n", KILLS, powerloss ? "power cuts" : "kills",
                  acknowledged);
    assert_true(acknowledged >= (size_t)KILLS);
    char p2[160];
    remove(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    remove(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    remove(p2);
}

static void test_kill_while_writing(void **state)
{
    (void)state;
    kill_while_writing(0);
}

/* every write the child made without a sync after it is lost */
static void test_power_loss_while_writing(void **state)
{
    (void)state;
    kill_while_writing(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_while_writing),
        cmocka_unit_test(test_power_loss_while_writing),
    };
    return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
