/* make bench: feeds. libdrill's streaming export against (a) libical
 * building and serializing the same VEVENTs one at a time and (b) Debian's
 * python3-icalendar building them (on a subset, scaled); libdrill's
 * streaming import against libical parsing a whole file. Figures, not
 * assertions. Each part runs in its own process for a clean peak memory. */
#define _GNU_SOURCE /* fopencookie: count the bytes of a feed written nowhere */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <drill/drill.h>
#include "bench_util.h"

static void make_world(world *w, size_t units)
{
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = units;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = bench_capacity(units);
    world_registries(w, &g);
    world_plan(w, &po, &so);
}

typedef struct result {
    size_t events;
    double seconds;
    long base_kib, peak_kib;
    long bytes;
} result;

static ssize_t count_bytes(void *cookie, const char *buf, size_t n)
{
    (void)buf;
    *(long *)cookie += (long)n;
    return (ssize_t)n;
}

/* (a) libdrill: the whole feed, generated and counted (the speed of the
 * writer, not of the disk), then once more into a file for the import */
static result export_libdrill(world *w, const char *path)
{
    result r = { drill_plan_count(w->plan), 0, peak_kib(), 0, 0 };
    cookie_io_functions_t io = { NULL, count_bytes, NULL, NULL };
    FILE *f = fopencookie(&r.bytes, "w", io);
    double t = now();
    if (!f || drill_feed_write(f, w->plan, NULL))
        die("export");
    fflush(f);
    r.seconds = now() - t;
    fclose(f);
    r.peak_kib = peak_kib();
    FILE *file = fopen(path, "wb");
    if (!file || drill_feed_write(file, w->plan, NULL) || fclose(file))
        die("export to a file");
    return r;
}

/* (b) libical: the same events, one VEVENT built and serialized at a time */
static result export_libical(world *w, size_t limit)
{
    size_t n = drill_plan_count(w->plan);
    if (limit && limit < n)
        n = limit;
    result r = { n, 0, peak_kib(), 0, 0 };
    long bytes = 0;
    cookie_io_functions_t io = { NULL, count_bytes, NULL, NULL };
    FILE *f = fopencookie(&bytes, "w", io);
    icaltimezone *z = icaltimezone_get_builtin_timezone("Asia/Shanghai");
    double t = now();
    for (size_t i = 0; i < n; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w->plan, i);
        char summary[512], description[2048];
        snprintf(summary, sizeof summary, "%s·%s：%s", drill_kind_name(it.kind, 0),
                 drill_scenario_name(it.scenario, 0), it.unit_name);
        snprintf(description, sizeof description,
                 "单位：%s\n区域：%s\n类型：%s\n场景：%s\n活动：%s\n窗口：%04d-%02d-%02d .. %04d-%02d-%02d\n依据：%s\n编号：%s\n",
                 it.unit_name, it.district, drill_kind_name(it.kind, 0), drill_scenario_name(it.scenario, 0),
                 it.campaign, it.window_start.year, it.window_start.month, it.window_start.day, it.window_end.year,
                 it.window_end.month, it.window_end.day, it.source, it.id);
        icalcomponent *e = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_set_uid(e, it.id);
        icalcomponent_set_dtstamp(e, icaltime_from_timet_with_zone(1764374400, 0, icaltimezone_get_utc_timezone()));
        struct icaltimetype s = icaltime_null_time();
        s.year = it.date.year ? it.date.year : it.window_start.year;
        s.month = it.date.year ? it.date.month : it.window_start.month;
        s.day = it.date.year ? it.date.day : it.window_start.day;
        s.hour = it.start_minute / 60;
        s.minute = it.start_minute % 60;
        s = icaltime_set_timezone(&s, z);
        icalcomponent_set_dtstart(e, s);
        icaltime_adjust(&s, 0, 0, it.duration_minutes, 0);
        icalcomponent_set_dtend(e, s);
        icalcomponent_set_summary(e, summary);
        icalcomponent_set_description(e, description);
        icalcomponent_add_property(e, icalproperty_new_categories(it.campaign));
        icalcomponent_set_status(e, ICAL_STATUS_CONFIRMED);
        icalproperty *x = icalproperty_new_x(it.id);
        icalproperty_set_x_name(x, "X-DRILL-ID");
        icalcomponent_add_property(e, x);
        char *text = icalcomponent_as_ical_string_r(e);
        fputs(text, f);
        free(text);
        icalcomponent_free(e);
    }
    r.seconds = now() - t;
    fclose(f);
    r.peak_kib = peak_kib();
    return r;
}

/* libdrill's streaming import of a feed file */
static result import_libdrill(const char *path)
{
    result r = { 0, 0, peak_kib(), 0, 0 };
    drill_feed_reader *reader;
    double t = now();
    if (drill_feed_reader_open(&reader, path))
        die("open feed");
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    int rc;
    while ((rc = drill_feed_reader_next(&ev, reader)) == 1)
        r.events++;
    if (rc < 0)
        die("import");
    drill_feed_reader_free(reader);
    r.seconds = now() - t;
    r.peak_kib = peak_kib();
    return r;
}

/* libical parsing the whole file into one tree */
static result import_libical(const char *path)
{
    result r = { 0, 0, peak_kib(), 0, 0 };
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n)
        die("read");
    text[n] = '\0';
    fclose(f);
    double t = now();
    icalcomponent *c = icalparser_parse_string(text);
    r.events = (size_t)icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT);
    r.seconds = now() - t;
    r.peak_kib = peak_kib();
    icalcomponent_free(c);
    free(text);
    return r;
}

/* python3-icalendar building the same kind of events */
static result export_python(size_t n)
{
    result r = { n, 0, 0, 0, 0 };
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import time, datetime, icalendar\n"
             "n=%zu; t=time.perf_counter(); out=[]\n"
             "cal=icalendar.Calendar(); cal.add(\"prodid\",\"-//bench//\"); cal.add(\"version\",\"2.0\")\n"
             "for i in range(n):\n"
             "    e=icalendar.Event(); e.add(\"uid\",\"DL%%06d/art33-annual/2026\" %% i)\n"
             "    e.add(\"dtstamp\", datetime.datetime(2026,11,29,tzinfo=datetime.timezone.utc))\n"
             "    e.add(\"dtstart\", datetime.datetime(2026,6,1,9,0)); e.add(\"dtend\", datetime.datetime(2026,6,1,12,0))\n"
             "    e.add(\"summary\",\"综合演练·危险化学品泄漏：大连新港燃气有限公司\")\n"
             "    e.add(\"description\",\"单位：大连新港燃气有限公司\\n区域：大连市/普兰店区\\n类型：综合演练\\n场景：危险化学品泄漏\\n依据：《生产安全事故应急预案管理办法》(应急管理部令第2号, 2019年修正) 第三十三条\\n编号：DL000001/art33-annual/2026\" * 2)\n"
             "    e.add(\"status\",\"CONFIRMED\"); e.add(\"x-drill-id\",\"DL%%06d/art33-annual/2026\" %% i)\n"
             "    cal.add_component(e)\n"
             "b=cal.to_ical(); print(time.perf_counter()-t)\n'",
             n);
    FILE *p = popen(cmd, "r");
    if (!p || fscanf(p, "%lf", &r.seconds) != 1) {
        if (p)
            pclose(p);
        r.seconds = -1;
        return r;
    }
    pclose(p);
    return r;
}


typedef struct job {
    size_t units;
    const char *path;
    size_t limit;
    int which;
} job;

static result run_job(const job *j)
{
    if (j->which == 2)
        return import_libdrill(j->path);
    if (j->which == 3)
        return import_libical(j->path);
    world w;
    make_world(&w, j->units);
    return j->which == 0 ? export_libdrill(&w, j->path) : export_libical(&w, j->limit);
}

static void run_job_into(void *out, const void *arg)
{
    *(result *)out = run_job(arg);
}

/* run one measurement in a child (bench_util.h) */
static result child(const job *j)
{
    result r;
    memset(&r, 0, sizeof r);
    in_child(&r, sizeof r, run_job_into, j, "a measurement");
    return r;
}

static void line(const char *what, const result *r)
{
    printf("  %-46s %9zu events %8.0f ms %9.0f events/s  memory +%6.1f MiB\n", what, r->events, r->seconds * 1e3,
           (double)r->events / r->seconds, (double)(r->peak_kib - r->base_kib) / 1024.0);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    size_t big = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 181000; /* about 1,000,000 drills */
    char path[512], small[512];
    snprintf(path, sizeof path, "%s/bench-feed.ics", dir);
    snprintf(small, sizeof small, "%s/bench-feed-dalian.ics", dir);
    printf("libdrill %s: iCalendar feeds (Asia/Shanghai, Chinese text)\n", drill_version_string());
    job jd = { 20737, small, 0, 0 }, jb = { big, path, 0, 0 };
    result dalian = child(&jd), large = child(&jb);
    job ld = { 20737, NULL, 0, 1 }, lb = { big, NULL, 200000, 1 };
    result ldalian = child(&ld), llarge = child(&lb);
    result py = export_python(5000);
    job rd = { 0, path, 0, 2 }, rl = { 0, small, 0, 3 };
    result imp = child(&rd), whole = child(&rl);
    printf("export (event size %.0f bytes):\n", (double)large.bytes / (double)large.events);
    line("libdrill, Dalian, streaming", &dalian);
    line("libdrill, large, streaming", &large);
    line("libical, one VEVENT at a time, Dalian", &ldalian);
    line("libical, one VEVENT at a time, 200,000 of large", &llarge);
    if (py.seconds > 0)
        printf("  %-46s %9zu events %8.0f ms %9.0f events/s\n", "python3-icalendar, whole calendar", py.events,
               py.seconds * 1e3, (double)py.events / py.seconds);
    printf("import:\n");
    line("libdrill, large, streaming", &imp);
    line("libical, whole file, Dalian", &whole);
    double rate = (double)large.events / large.seconds, lrate = (double)llarge.events / llarge.seconds;
    double prate = py.seconds > 0 ? (double)py.events / py.seconds : 0;
    double irate = (double)imp.events / imp.seconds, wrate = (double)whole.events / whole.seconds;
    double emem = (double)(large.peak_kib - large.base_kib) / 1024.0, imem = (double)(imp.peak_kib - imp.base_kib) / 1024.0;
    printf("\ntargets (figures, not assertions):\n");
    printf("  export at least 8x libical:               x%.1f  %s\n", rate / lrate, rate >= 8 * lrate ? "met" : "MISSED");
    if (prate > 0)
        printf("  export at least 200x python3-icalendar:   x%.0f  %s\n", rate / prate, rate >= 200 * prate ? "met" : "MISSED");
    printf("  export memory under 32 MiB at %zu events: %.1f MiB  %s\n", large.events, emem, emem < 32 ? "met" : "MISSED");
    printf("  import at least as fast as libical whole-file: x%.2f  %s\n", irate / wrate, irate >= wrate ? "met" : "MISSED");
    printf("  import memory under 64 MiB at %zu events: %.1f MiB  %s\n", imp.events, imem, imem < 64 ? "met" : "MISSED");
    remove(path);
    remove(small);
    return 0;
}
