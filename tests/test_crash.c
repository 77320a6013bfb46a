/* Crash safety of the store: a child makes tracking updates through an
 * attached store in a loop and tells the parent each one that returned 0;
 * the parent kills it with SIGKILL at a random moment, at least 50 times.
 * After each kill the file must open, pass integrity_check, and hold every
 * acknowledged update. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"

#define KILLS 50

typedef struct ack {
    int32_t drill;   /* drill index; -1: the child is ready */
    int32_t actions; /* 0: held; n: the drill has at least n actions */
} ack;

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

/* the child: never returns */
static void child(const char *path, int fd, unsigned seed)
{
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
    size_t n = drill_plan_count(p);
    for (size_t k = seed % n;; k = (k + 1) % n) {
        drill_item it;
        drill_track_info info;
        drill_plan_get(&it, p, k);
        drill_track_get(&info, p, it.id);
        if (it.status == DRILL_STATUS_SCHEDULED) {
            drill_outcome o = DRILL_OUTCOME_INIT;
            o.date = it.date;
            o.start_minute = it.start_minute;
            o.end_minute = it.start_minute + 30;
            o.participants = 10;
            if (drill_track_hold(p, it.id, &o, "crash-test", "held") == 0)
                send_ack(fd, (ack){ (int32_t)k, 0 });
        } else if (it.status == DRILL_STATUS_HELD && info.actions < 20) {
            drill_action a = DRILL_ACTION_INIT;
            a.finding = "发现";
            a.action = "整改";
            a.owner = "单位";
            a.due = D(2026, 12, 31);
            size_t number;
            if (drill_track_add_action(&number, p, it.id, &a, "crash-test", NULL) == 0)
                send_ack(fd, (ack){ (int32_t)k, (int32_t)number });
        }
    }
}

static void test_kill_while_writing(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "/tmp/drill-crash-%d.db", (int)getpid());
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
            child(path, fd[1], (unsigned)rand());
        }
        close(fd[1]);
        /* wait until it is ready and has made its first update (slow under
         * valgrind), then let it write for a random while */
        ack a;
        ssize_t got = read(fd[0], &a, sizeof a);
        assert_int_equal(got, (ssize_t)sizeof a);
        assert_int_equal(a.drill, -1);
        got = read(fd[0], &a, sizeof a);
        assert_int_equal(got, (ssize_t)sizeof a);
        assert_true(a.drill >= 0 && a.drill < 4096);
        if (a.actions == 0)
            held[a.drill] = 1;
        else
            actions[a.drill] = a.actions > actions[a.drill] ? a.actions : actions[a.drill];
        acknowledged++;
        struct timespec nap = { 0, (long)(rand() % 40 + 1) * 1000000L };
        nanosleep(&nap, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while ((got = read(fd[0], &a, sizeof a)) == (ssize_t)sizeof a) {
            assert_true(a.drill >= 0 && a.drill < 4096);
            if (a.actions == 0)
                held[a.drill] = 1;
            else if (a.actions > actions[a.drill])
                actions[a.drill] = a.actions;
            acknowledged++;
        }
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
            drill_item it;
            drill_track_info info;
            drill_plan_get(&it, p, k);
            drill_track_get(&info, p, it.id);
            if (held[k] && info.status < DRILL_STATUS_HELD)
                fail_msg("kill %d: %s was acknowledged held but is %s", kill_no, it.id, drill_status_name(info.status));
            if ((size_t)actions[k] > info.actions)
                fail_msg("kill %d: %s had %d actions acknowledged, the store has %zu", kill_no, it.id, actions[k],
                         info.actions);
        }
        drill_plan_free(p);
        drill_calendar_free(cal);
        drill_campaigns_free(c);
        drill_rules_free(r);
        drill_units_free(u);
        drill_store_close(s);
    }
    print_message("%d kills, %zu acknowledged updates, all found\n", KILLS, acknowledged);
    assert_true(acknowledged > 0);
    char p2[160];
    remove(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    remove(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    remove(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_while_writing),
    };
    return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
