/* Units: the registry, classes, blackouts, CSV import and export, the generator. */
#include <unistd.h>
#include "testutil.h"

static drill_units *registry(void)
{
    drill_units *u = NULL;
    assert_int_equal(drill_units_new(&u), 0);
    return u;
}

static drill_unit unit(const char *id, const char *area, const char *cls)
{
    drill_unit u = DRILL_UNIT_INIT;
    u.id = id;
    u.name = "大连港集团";
    u.area = area;
    u.unit_class = cls;
    return u;
}

static void test_classes(void **state)
{
    (void)state;
    drill_units *u = registry();
    static const char *const expect[] = { "hazardous-chemicals", "mining", "metallurgy", "construction", "urban-rail",
                                          "hotel", "mall", "entertainment", "scenic-area", "key-fire-unit",
                                          "enterprise", "school", "hospital", "community", "government", "township",
                                          "kindergarten", "boarding-school", "special-school", "high-rise-public",
                                          "high-rise-residential", "high-rise-public-100m", "high-rise-complex" };
    assert_int_equal(drill_units_class_count(u), 23);
    for (size_t i = 0; i < 23; i++) {
        drill_class_def c = DRILL_CLASS_DEF_INIT;
        assert_int_equal(drill_units_class_at(&c, u, i), 0);
        assert_string_equal(c.id, expect[i]);
        assert_true(*c.name);
        assert_true(*c.scenario);
    }
    drill_class_def c = DRILL_CLASS_DEF_INIT;
    assert_int_equal(drill_units_class_at(&c, u, 5), 0); /* hotel */
    assert_true(c.flags & DRILL_CLASS_CROWDED);
    assert_true(c.flags & DRILL_CLASS_HIGH_RISK);
    drill_class_def mine = DRILL_CLASS_DEF_INIT;
    mine.id = "port";
    mine.name = "港口";
    mine.flags = DRILL_CLASS_PRODUCTION | DRILL_CLASS_HIGH_RISK;
    mine.scenario = "typhoon";
    assert_int_equal(drill_units_add_class(u, &mine), 0);
    assert_int_equal(drill_units_class_count(u), 24);
    assert_fails_with(drill_units_add_class(u, &mine), DRILL_EEXISTS, "port");
    mine.id = "bad id";
    assert_fails_with(drill_units_add_class(u, &mine), DRILL_EINVAL, "class id");
    mine.id = "x";
    mine.name = "";
    assert_fails_with(drill_units_add_class(u, &mine), DRILL_EINVAL, "name");
    mine.name = "x";
    mine.scenario = "a b";
    assert_fails_with(drill_units_add_class(u, &mine), DRILL_EINVAL, "scenario");
    mine.version = 9;
    assert_fails_with(drill_units_add_class(u, &mine), DRILL_EVERSION, "version");
    assert_fails_with(drill_units_class_at(&c, u, 24), DRILL_ENOTFOUND, "24");
    drill_units_free(u);
}

static void test_add_get_update(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit a = unit("U1", "大连市/中山区/人民路街道", "hotel");
    a.address = "中山路1号";
    a.contact = "王伟";
    a.phone = "13800000000";
    a.headcount = 120;
    a.risk = DRILL_RISK_HIGHER;
    a.flood_prone = 1;
    assert_int_equal(drill_units_add(u, &a), 0);
    drill_unit b = unit("U2", "大连市/中山区/桃源街道", "key-fire-unit");
    assert_int_equal(drill_units_add(u, &b), 0);
    drill_unit c = unit("U3", "大连市/金州区", "school");
    assert_int_equal(drill_units_add(u, &c), 0);
    assert_int_equal(drill_units_count(u), 3);

    size_t i;
    assert_int_equal(drill_units_find(&i, u, "U1"), 0);
    assert_int_equal(i, 0);
    drill_unit g = DRILL_UNIT_INIT;
    assert_int_equal(drill_units_get(&g, u, 0), 0);
    assert_string_equal(g.id, "U1");
    assert_string_equal(g.name, "大连港集团");
    assert_string_equal(g.area, "大连市/中山区/人民路街道");
    assert_string_equal(g.unit_class, "hotel");
    assert_string_equal(g.address, "中山路1号");
    assert_string_equal(g.contact, "王伟");
    assert_string_equal(g.phone, "13800000000");
    assert_int_equal(g.headcount, 120);
    assert_int_equal(g.risk, DRILL_RISK_HIGHER);
    assert_int_equal(g.flood_prone, 1);
    assert_int_equal(g.key_fire, 0); /* its own say: as its class */
    int key = 0;
    assert_int_equal(drill_units_is_key_fire(&key, u, 0), 0);
    assert_int_equal(key, 1); /* a hotel: a key fire-safety unit by its class (MPS order 61 art. 13) */
    assert_int_equal(drill_units_get(&g, u, 1), 0);
    assert_int_equal(g.key_fire, 0); /* its own flag; its class makes it key fire-safety */
    key = 0;
    assert_int_equal(drill_units_is_key_fire(&key, u, 1), 0);
    assert_int_equal(key, 1);
    assert_string_equal(g.address, "");

    /* districts: the first two components */
    assert_int_equal(drill_units_district_count(u), 2);
    size_t d0, d1, d2;
    const char *name;
    assert_int_equal(drill_units_district_of(&d0, &name, u, 0), 0);
    assert_string_equal(name, "大连市/中山区");
    assert_int_equal(drill_units_district_of(&d1, NULL, u, 1), 0);
    assert_int_equal(drill_units_district_of(&d2, &name, u, 2), 0);
    assert_string_equal(name, "大连市/金州区");
    assert_int_equal(d0, d1);
    assert_true(d0 != d2);
    assert_int_equal(drill_units_district_name(&name, u, d2), 0);
    assert_string_equal(name, "大连市/金州区");

    a.name = "大连港集团有限公司";
    a.risk = DRILL_RISK_MAJOR;
    a.area = "大连市/西岗区/白云街道";
    assert_int_equal(drill_units_update(u, &a), 0);
    assert_int_equal(drill_units_get(&g, u, 0), 0);
    assert_string_equal(g.name, "大连港集团有限公司");
    assert_int_equal(g.risk, DRILL_RISK_MAJOR);
    assert_int_equal(drill_units_district_count(u), 3);
    drill_unit missing = unit("nope", "a/b", "school");
    assert_fails_with(drill_units_update(u, &missing), DRILL_ENOTFOUND, "nope");
    drill_units_free(u);
}

/* reading a unit and writing it back changes nothing: key_fire is the unit's
 * own flag, a key-fire class adds to it without being copied into it */
static void test_get_update_round_trip(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit b = unit("U2", "大连市/中山区/桃源街道", "key-fire-unit");
    assert_int_equal(drill_units_add(u, &b), 0);
    drill_unit g = DRILL_UNIT_INIT, h = DRILL_UNIT_INIT;
    assert_int_equal(drill_units_get(&g, u, 0), 0);
    assert_int_equal(g.key_fire, 0); /* not flagged itself */
    int key = 0;
    assert_int_equal(drill_units_is_key_fire(&key, u, 0), 0);
    assert_int_equal(key, 1); /* but key fire-safety through its class */
    assert_int_equal(drill_units_update(u, &g), 0);
    assert_int_equal(drill_units_get(&h, u, 0), 0);
    assert_int_equal(h.key_fire, 0);
    /* moved to a class that is not key fire-safety, it is no longer one */
    h.unit_class = "school";
    assert_int_equal(drill_units_update(u, &h), 0);
    assert_int_equal(drill_units_is_key_fire(&key, u, 0), 0);
    assert_int_equal(key, 0);
    /* its own flag stays its own, whatever its class */
    h.key_fire = 1;
    assert_int_equal(drill_units_update(u, &h), 0);
    assert_int_equal(drill_units_get(&g, u, 0), 0);
    assert_int_equal(g.key_fire, 1);
    assert_int_equal(drill_units_is_key_fire(&key, u, 0), 0);
    assert_int_equal(key, 1);
    assert_fails_with(drill_units_is_key_fire(&key, u, 1), DRILL_ENOTFOUND, "index 1");
    assert_fails_with(drill_units_is_key_fire(NULL, u, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_is_key_fire(&key, NULL, 0), DRILL_EINVAL, "NULL");
    drill_units_free(u);
}

static void test_bad_units(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit a = unit("U1", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(u, &a), 0);
    assert_fails_with(drill_units_add(u, &a), DRILL_EEXISTS, "U1");
    drill_unit b = unit(NULL, "大连市/中山区", "school");
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "id is required");
    b = unit("U2", "大连市", "school");
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "area");
    b = unit("U2", "大连市//x", "school");
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "area");
    b = unit("U2", "/中山区", "school");
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "area");
    char longarea[600] = "大连市/中山区/";
    memset(longarea + strlen(longarea), 'x', 520);
    b = unit("U2", longarea, "school");
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "511");
    b = unit("U2", "大连市/中山区", "spaceship");
    assert_fails_with(drill_units_add(u, &b), DRILL_ENOTFOUND, "spaceship");
    b = unit("U2", "大连市/中山区", "school");
    b.name = "";
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "name");
    b.name = "x";
    b.headcount = -1;
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "headcount");
    b.headcount = 0;
    b.risk = 5;
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "risk");
    b.risk = 0;
    b.contact = "\xff";
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "UTF-8");
    b.contact = NULL;
    b.id = "U\n2";
    assert_fails_with(drill_units_add(u, &b), DRILL_EINVAL, "control");
    b.id = "U2";
    b.version = 3;
    assert_fails_with(drill_units_add(u, &b), DRILL_EVERSION, "version");
    assert_int_equal(drill_units_count(u), 1);
    drill_units_free(u);
}

static void test_blackouts(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit a = unit("U1", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(u, &a), 0);
    assert_int_equal(drill_units_add_blackout(u, "U1", D(2027, 7, 10), D(2027, 8, 31)), 0); /* summer holiday */
    assert_int_equal(drill_units_add_blackout(u, "U1", D(2027, 1, 20), D(2027, 2, 20)), 0);
    assert_int_equal(drill_units_add_blackout(u, "U1", D(2027, 5, 12), D(2027, 5, 12)), 0);
    int out;
    static const struct { int m, d, expect; } days[] = { { 1, 19, 0 }, { 1, 20, 1 }, { 2, 20, 1 }, { 2, 21, 0 },
                                                         { 5, 12, 1 }, { 5, 13, 0 }, { 7, 10, 1 }, { 8, 31, 1 },
                                                         { 9, 1, 0 } };
    for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
        assert_int_equal(drill_units_is_blacked_out(&out, u, 0, D(2027, days[i].m, days[i].d)), 0);
        assert_int_equal(out, days[i].expect);
    }
    assert_fails_with(drill_units_add_blackout(u, "U1", D(2027, 5, 2), D(2027, 5, 1)), DRILL_EINVAL, "before");
    assert_fails_with(drill_units_add_blackout(u, "U9", D(2027, 5, 1), D(2027, 5, 2)), DRILL_ENOTFOUND, "U9");
    assert_fails_with(drill_units_add_blackout(u, "U1", D(2027, 2, 29), D(2027, 3, 2)), DRILL_ERANGE, "leap");
    assert_fails_with(drill_units_is_blacked_out(&out, u, 1, D(2027, 1, 1)), DRILL_ENOTFOUND, "index 1");
    drill_units_free(u);
}

static void test_import_csv(void **state)
{
    (void)state;
    drill_units *u = registry();
    const char *csv = "\xEF\xBB\xBF" "note,class,ID,name,area,risk,flood_prone,headcount,blackouts,key_fire\r\n"
                      "x,hotel,H1,\"大连\"\"海景\"\"酒店, 中山店\",大连市/中山区/人民路街道,较大,是,80,"
                      "2027-02-01..2027-02-03; 2027-05-12,no\r\n"
                      "y,school,S1,\"第一中学\r\n(东校区)\",大连市/金州区/友谊街道,,0,1500,,1\r\n";
    size_t n = 0;
    drill_import_report *rep = NULL;
    assert_int_equal(drill_units_import_csv_buffer(&rep, &n, u, csv, strlen(csv), "units.csv", NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_import_report_count(rep), 0);
    drill_import_report_free(rep);
    drill_unit g = DRILL_UNIT_INIT;
    assert_int_equal(drill_units_get(&g, u, 0), 0);
    assert_string_equal(g.name, "大连\"海景\"酒店, 中山店");
    assert_int_equal(g.risk, DRILL_RISK_HIGHER);
    assert_int_equal(g.flood_prone, 1);
    assert_int_equal(g.headcount, 80);
    int out;
    assert_int_equal(drill_units_is_blacked_out(&out, u, 0, D(2027, 2, 2)), 0);
    assert_int_equal(out, 1);
    assert_int_equal(drill_units_is_blacked_out(&out, u, 0, D(2027, 5, 12)), 0);
    assert_int_equal(out, 1);
    assert_int_equal(drill_units_get(&g, u, 1), 0);
    assert_string_equal(g.name, "第一中学\r\n(东校区)");
    assert_int_equal(g.key_fire, 1);
    assert_int_equal(g.risk, DRILL_RISK_UNSET);
    drill_units_free(u);
}

static const char *bad_csv = "id,name,area,class,headcount,risk,blackouts\n"
                             "A1,甲,大连市/中山区,school,10,1,\n"            /* line 2: good */
                             "A2,乙,大连市/中山区,spaceship,10,1,\n"         /* 3: class */
                             "A3,丙,大连市/中山区,school,ten,1,\n"           /* 4: headcount */
                             "A1,丁,大连市/中山区,school,10,1,\n"            /* 5: duplicate */
                             "A4,戊,大连市/中山区,school,10,9,\n"            /* 6: risk */
                             "A5,己,大连市/中山区,school,10,1,2027-01-01;2027-02-30\n" /* 7: blackout */
                             "A6,庚,大连市,school,10,1,\n"                   /* 8: area */
                             ",辛,大连市/中山区,school,10,1,\n"              /* 9: id */
                             "A7,壬,大连市/中山区\n"                         /* 10: short row */
                             "A8,癸,大连市/西岗区,hotel,10,2,\n";            /* 11: good */

static void test_import_errors(void **state)
{
    (void)state;
    static const struct { int code, line, column; const char *needle; } expect[] = {
        { DRILL_ENOTFOUND, 3, 14, "spaceship" }, { DRILL_EPARSE, 4, 21, "headcount 'ten'" },
        { DRILL_EEXISTS, 5, 1, "A1" },          { DRILL_EPARSE, 6, 24, "risk '9'" },
        { DRILL_EPARSE, 7, 37, "day 30" },      { DRILL_EPARSE, 8, 6, "area" },
        { DRILL_EPARSE, 9, 1, "id is required" }, { DRILL_EPARSE, 10, 13, "class is required" },
    };
    drill_units *u = registry();
    drill_unit pre = unit("P0", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(u, &pre), 0);

    /* default: the first error, nothing imported */
    drill_import_report *rep = NULL;
    size_t n = 99;
    drill_error_clear();
    assert_int_equal(drill_units_import_csv_buffer(&rep, &n, u, bad_csv, strlen(bad_csv), "u.csv", NULL),
                     DRILL_ENOTFOUND);
    assert_int_equal(n, 0);
    assert_int_equal(drill_error_last()->line, 3);
    assert_int_equal(drill_error_last()->column, 14);
    assert_string_equal(drill_error_last()->source, "u.csv");
    assert_int_equal(drill_import_report_count(rep), 1);
    drill_import_report_free(rep);
    assert_int_equal(drill_units_count(u), 1);

    /* every error at once, still nothing imported */
    drill_import_options o = DRILL_IMPORT_OPTIONS_INIT;
    o.all_errors = 1;
    assert_int_equal(drill_units_import_csv_buffer(&rep, &n, u, bad_csv, strlen(bad_csv), "u.csv", &o),
                     DRILL_ENOTFOUND);
    assert_int_equal(drill_import_report_count(rep), 8);
    for (size_t i = 0; i < 8; i++) {
        drill_import_error e = DRILL_IMPORT_ERROR_INIT;
        assert_int_equal(drill_import_report_get(&e, rep, i), 0);
        if (e.code != expect[i].code || e.line != expect[i].line || e.column != expect[i].column ||
            !strstr(e.message, expect[i].needle))
            fail_msg("error %zu: %d at %d:%d %s", i, e.code, e.line, e.column, e.message);
    }
    drill_import_error e = DRILL_IMPORT_ERROR_INIT;
    assert_fails_with(drill_import_report_get(&e, rep, 8), DRILL_ENOTFOUND, "index 8");
    drill_import_report_free(rep);
    assert_int_equal(drill_units_count(u), 1);

    /* the good rows, when asked */
    o.skip_bad_rows = 1;
    assert_int_equal(drill_units_import_csv_buffer(&rep, &n, u, bad_csv, strlen(bad_csv), "u.csv", &o), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_import_report_count(rep), 8);
    drill_import_report_free(rep);
    assert_int_equal(drill_units_count(u), 3);
    size_t i;
    assert_int_equal(drill_units_find(&i, u, "A8"), 0);

    /* past max_errors the good rows are still kept with skip_bad_rows */
    o.max_errors = 1;
    drill_units *w = registry();
    assert_int_equal(drill_units_import_csv_buffer(&rep, &n, w, bad_csv, strlen(bad_csv), "u.csv", &o), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_import_report_count(rep), 1);
    drill_import_report_free(rep);
    drill_units_free(w);
    /* ids with control characters or too long, areas too long: bad input at their column */
    char longarea[700] = "id,name,area,class\nL1,x,a/";
    memset(longarea + strlen(longarea), 'b', 600);
    strcpy(longarea + strlen("id,name,area,class\nL1,x,a/") + 600, "/c,school\n");
    w = registry();
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, w, longarea, strlen(longarea), "l.csv", NULL),
                      DRILL_EPARSE, "longer than 511");
    assert_int_equal(drill_error_last()->column, 6);
    const char *ctl = "id,name,area,class\nU\tab,x,a/b,school\n";
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, w, ctl, strlen(ctl), "c.csv", NULL), DRILL_EPARSE,
                      "control character");
    drill_units_free(w);

    /* max_errors */
    o.skip_bad_rows = 0;
    o.max_errors = 3;
    drill_units *v = registry();
    assert_int_equal(drill_units_import_csv_buffer(&rep, NULL, v, bad_csv, strlen(bad_csv), "u.csv", &o),
                     DRILL_ENOTFOUND);
    assert_int_equal(drill_import_report_count(rep), 3);
    drill_import_report_free(rep);

    /* broken CSV: stops there even when collecting */
    const char *broken = "id,name,area,class\nB1,x,a/b,school\nB2,\"never closed,a/b,school\n";
    o.max_errors = 0;
    assert_int_equal(drill_units_import_csv_buffer(&rep, NULL, v, broken, strlen(broken), "b.csv", &o),
                     DRILL_EPARSE);
    assert_int_equal(drill_import_report_count(rep), 1);
    assert_non_null(strstr(drill_error_last()->message, "never closed"));
    assert_int_equal(drill_error_last()->line, 3);
    assert_int_equal(drill_error_last()->column, 4);
    drill_import_report_free(rep);
    const char *noclass = "id,name,area\nB1,x,a/b\n";
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, v, noclass, strlen(noclass), "c.csv", NULL),
                      DRILL_EPARSE, "'class'");
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, v, "", 0, "c.csv", NULL), DRILL_EPARSE, "header");
    o.version = 5;
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, v, noclass, strlen(noclass), "c.csv", &o),
                      DRILL_EVERSION, "version");
    assert_fails_with(drill_units_import_csv(NULL, NULL, v, "/nonexistent/u.csv", NULL), DRILL_EIO, "nonexistent");
    assert_int_equal(drill_units_count(v), 0);
    drill_units_free(v);
    drill_units_free(u);
}

static void assert_same_units(const drill_units *a, const drill_units *b)
{
    assert_int_equal(drill_units_count(a), drill_units_count(b));
    for (size_t i = 0; i < drill_units_count(a); i++) {
        drill_unit x = DRILL_UNIT_INIT, y = DRILL_UNIT_INIT;
        assert_int_equal(drill_units_get(&x, a, i), 0);
        assert_int_equal(drill_units_get(&y, b, i), 0);
        assert_string_equal(x.id, y.id);
        assert_string_equal(x.name, y.name);
        assert_string_equal(x.area, y.area);
        assert_string_equal(x.unit_class, y.unit_class);
        assert_string_equal(x.address, y.address);
        assert_string_equal(x.contact, y.contact);
        assert_string_equal(x.phone, y.phone);
        assert_int_equal(x.headcount, y.headcount);
        assert_int_equal(x.risk, y.risk);
        assert_int_equal(x.flood_prone, y.flood_prone);
        assert_int_equal(x.key_fire, y.key_fire);
        for (drill_date d = { 2027, 1, 1 }; d.year == 2027; drill_date_add_days(&d, d, 1)) {
            int p, q;
            drill_units_is_blacked_out(&p, a, i, d);
            drill_units_is_blacked_out(&q, b, i, d);
            assert_int_equal(p, q);
        }
    }
}

static void test_export_round_trip(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = 500;
    g.blackout_year = 2027;
    assert_int_equal(drill_units_generate(u, &g), 0);
    drill_unit odd = unit("odd,\"id\"", "大连市/中山区/ lead space", "community");
    odd.name = " 名称\r\n带换行, \"引号\" ";
    odd.address = "a;b\\c";
    assert_int_equal(drill_units_add(u, &odd), 0);
    char path[] = "/tmp/drill-units-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(drill_units_export_csv(u, path), 0);
    drill_units *v = registry();
    size_t n;
    if (drill_units_import_csv(NULL, &n, v, path, NULL))
        fail_msg("%s:%d:%d %s", drill_error_last()->source, drill_error_last()->line, drill_error_last()->column,
                 drill_error_last()->message);
    assert_int_equal(n, 501);
    assert_same_units(u, v);
    assert_fails_with(drill_units_export_csv(u, "/nonexistent/dir/u.csv"), DRILL_EIO, "nonexistent");
    remove(path);
    drill_units_free(v);
    drill_units_free(u);
}

static void test_generator(void **state)
{
    (void)state;
    drill_units *a = registry(), *b = registry(), *c = registry();
    assert_int_equal(drill_units_generate(a, NULL), 0);
    assert_int_equal(drill_units_count(a), 20737);
    assert_int_equal(drill_units_generate(b, NULL), 0);
    assert_same_units(a, b);
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.seed = 7;
    g.count = 20737;
    assert_int_equal(drill_units_generate(c, &g), 0);
    drill_unit x = DRILL_UNIT_INIT, y = DRILL_UNIT_INIT;
    int differ = 0;
    for (size_t i = 0; i < 100; i++) {
        drill_units_get(&x, a, i);
        drill_units_get(&y, c, i);
        differ += strcmp(x.name, y.name) != 0;
    }
    assert_true(differ > 50);
    /* ten districts and counties; the class mix roughly as designed */
    assert_int_equal(drill_units_district_count(a), 10);
    size_t per_class[32] = { 0 };
    for (size_t i = 0; i < drill_units_count(a); i++) {
        drill_units_get(&x, a, i);
        for (size_t k = 0; k < drill_units_class_count(a); k++) {
            drill_class_def cd = DRILL_CLASS_DEF_INIT;
            drill_units_class_at(&cd, a, k);
            if (strcmp(cd.id, x.unit_class) == 0)
                per_class[k]++;
        }
        assert_true(strncmp(x.id, "DL", 2) == 0);
        assert_true(strncmp(x.area, "大连市/", strlen("大连市/")) == 0);
    }
    assert_true(per_class[10] > 9000 && per_class[10] < 12500); /* enterprise: 52% */
    assert_true(per_class[0] > 500 && per_class[0] < 1200);     /* hazardous chemicals: 4% */
    assert_true(per_class[11] > 900);                           /* schools */
    assert_true(per_class[14] > 300);                           /* government organs */
    /* generating the same ids twice is refused, and adds nothing */
    drill_unit other = { DRILL_UNIT_VERSION, "X1", "x", "大连市/中山区", "school", NULL, NULL, NULL, 0, 0, 0, 0 };
    drill_units *d = registry();
    assert_int_equal(drill_units_add(d, &other), 0);
    g.count = 10;
    g.seed = 1;
    assert_int_equal(drill_units_generate(d, &g), 0);
    assert_int_equal(drill_units_count(d), 11);
    g.count = 30; /* DL000001-DL000010 exist: fails at once, and the copy is dropped */
    assert_fails_with(drill_units_generate(d, &g), DRILL_EEXISTS, "DL000001");
    assert_int_equal(drill_units_count(d), 11);
    drill_units *e = registry();
    other.id = "DL000020"; /* a clash part way through: the first 19 are not kept */
    assert_int_equal(drill_units_add(e, &other), 0);
    assert_fails_with(drill_units_generate(e, &g), DRILL_EEXISTS, "DL000020");
    assert_int_equal(drill_units_count(e), 1);
    drill_units_free(e);
    drill_units_free(d);
    assert_fails_with(drill_units_generate(a, NULL), DRILL_EEXISTS, "DL000001");
    g.version = 0;
    assert_fails_with(drill_units_generate(c, &g), DRILL_EVERSION, "version");
    drill_units_free(a);
    drill_units_free(b);
    drill_units_free(c);
}

static void test_dup_and_null(void **state)
{
    (void)state;
    drill_units *u = registry(), *d = NULL;
    drill_unit a = unit("U1", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(u, &a), 0);
    assert_int_equal(drill_units_dup(&d, u), 0);
    drill_unit b = unit("U2", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(d, &b), 0);
    assert_int_equal(drill_units_count(u), 1);
    assert_int_equal(drill_units_count(d), 2);
    drill_units_free(d);
    drill_unit g = DRILL_UNIT_INIT;
    size_t i;
    int out;
    const char *s;
    assert_fails_with(drill_units_new(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_dup(NULL, u), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_dup(&d, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_add(NULL, &a), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_add(u, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_update(NULL, &a), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_add_class(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_find(NULL, u, "U1"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_find(&i, u, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_get(NULL, u, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_get(&g, NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_get(&g, u, 1), DRILL_ENOTFOUND, "index 1");
    assert_fails_with(drill_units_district_of(NULL, NULL, NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_district_name(NULL, u, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_district_name(&s, u, 5), DRILL_ENOTFOUND, "5");
    assert_fails_with(drill_units_add_blackout(u, NULL, D(2027, 1, 1), D(2027, 1, 1)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_is_blacked_out(NULL, u, 0, D(2027, 1, 1)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_import_csv(NULL, NULL, u, NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, NULL, "", 0, NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_export_csv(NULL, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_export_csv(u, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_units_generate(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_import_report_get(NULL, NULL, 0), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_units_count(NULL), 0);
    assert_int_equal(drill_units_class_count(NULL), 0);
    assert_int_equal(drill_units_district_count(NULL), 0);
    assert_int_equal(drill_import_report_count(NULL), 0);
    (void)out;
    drill_units_free(NULL);
    drill_import_report_free(NULL);
    drill_units_free(u);
}

static int in_term(const drill_units *u, size_t i, drill_date d)
{
    int out = -1;
    assert_int_equal(drill_units_is_in_term(&out, u, i, d), 0);
    return out;
}

/* schools drill in term: the Dalian default breaks, a year's own calendar, a terms CSV */
static void test_terms_and_breaks(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit s = unit("S1", "大连市/中山区/人民路街道", "school");
    assert_int_equal(drill_units_add(u, &s), 0);
    drill_unit k = unit("K1", "大连市/中山区/人民路街道", "kindergarten");
    assert_int_equal(drill_units_add(u, &k), 0);
    drill_unit h = unit("H1", "大连市/中山区/人民路街道", "hotel");
    assert_int_equal(drill_units_add(u, &h), 0);
    /* the default: winter break January 20 - February 20, summer break July 11 - August 31 */
    assert_int_equal(in_term(u, 0, D(2027, 1, 19)), 1);
    assert_int_equal(in_term(u, 0, D(2027, 1, 20)), 0);
    assert_int_equal(in_term(u, 0, D(2027, 2, 20)), 0);
    assert_int_equal(in_term(u, 0, D(2027, 2, 21)), 1);
    assert_int_equal(in_term(u, 1, D(2027, 8, 31)), 0);
    assert_int_equal(in_term(u, 1, D(2027, 9, 1)), 1);
    assert_int_equal(in_term(u, 2, D(2027, 8, 1)), 1); /* a hotel has no terms */
    size_t defaults = drill_units_break_count(u);
    assert_int_equal(defaults, 8); /* two for each of the four classes with terms */
    drill_break b = DRILL_BREAK_INIT;
    assert_int_equal(drill_units_break_at(&b, u, 0), 0);
    assert_string_equal(b.class_id, "school");
    assert_string_equal(b.name, "寒假");
    assert_int_equal(b.yearly, 1);
    assert_int_equal(b.from.month, 1);
    assert_int_equal(b.from.day, 20);
    /* a year with a calendar of its own takes its breaks from it alone */
    assert_int_equal(drill_units_add_break(u, "school", D(2027, 1, 23), D(2027, 2, 28), "寒假"), 0);
    assert_int_equal(drill_units_add_break(u, "school", D(2027, 7, 10), D(2027, 8, 29), "暑假"), 0);
    assert_int_equal(in_term(u, 0, D(2027, 1, 20)), 1);
    assert_int_equal(in_term(u, 0, D(2027, 2, 28)), 0);
    assert_int_equal(in_term(u, 0, D(2027, 8, 30)), 1);
    assert_int_equal(in_term(u, 0, D(2028, 1, 20)), 0); /* 2028 still from the default */
    assert_int_equal(in_term(u, 1, D(2027, 1, 20)), 0); /* another class, its own breaks */
    /* a yearly break is replaced by name */
    assert_int_equal(drill_units_set_yearly_break(u, "kindergarten", "暑假", 7, 20, 8, 20), 0);
    assert_int_equal(drill_units_break_count(u), defaults + 2);
    assert_int_equal(in_term(u, 1, D(2028, 7, 15)), 1);
    assert_int_equal(in_term(u, 1, D(2028, 8, 25)), 1);
    /* a copy keeps them */
    drill_units *copy;
    assert_int_equal(drill_units_dup(&copy, u), 0);
    assert_int_equal(drill_units_break_count(copy), defaults + 2);
    assert_int_equal(in_term(copy, 0, D(2027, 2, 28)), 0);
    drill_units_free(copy);
    /* errors change nothing */
    size_t n = drill_units_break_count(u);
    assert_fails_with(drill_units_add_break(u, "hotel", D(2027, 1, 1), D(2027, 1, 2), "x"), DRILL_EINVAL, "terms");
    assert_fails_with(drill_units_add_break(u, "nope", D(2027, 1, 1), D(2027, 1, 2), "x"), DRILL_ENOTFOUND, "nope");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 2, 1), D(2027, 1, 2), "x"), DRILL_EINVAL, "before");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 1, 1), D(2027, 12, 2), "x"), DRILL_EINVAL,
                      "half a year");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 2, 1), D(2027, 3, 2), "x"), DRILL_EEXISTS,
                      "overlaps");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 2, 30), D(2027, 3, 2), "x"), DRILL_ERANGE, "");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 4, 1), D(2027, 4, 2), ""), DRILL_EINVAL, "name");
    assert_fails_with(drill_units_add_break(u, "school", D(2027, 4, 1), D(2027, 4, 2), "\xff"), DRILL_EINVAL,
                      "UTF-8");
    assert_fails_with(drill_units_set_yearly_break(u, "school", "x", 13, 1, 12, 1), DRILL_ERANGE, "month-day");
    assert_fails_with(drill_units_set_yearly_break(u, "school", "x", 12, 20, 1, 10), DRILL_EINVAL, "New Year");
    assert_fails_with(drill_units_add_break(NULL, "school", D(2027, 4, 1), D(2027, 4, 2), "x"), DRILL_EINVAL,
                      "NULL");
    assert_int_equal(drill_units_break_count(u), n);
    assert_fails_with(drill_units_break_at(&b, u, n), DRILL_ENOTFOUND, "break");
    int out;
    assert_fails_with(drill_units_is_in_term(&out, u, 3, D(2027, 1, 1)), DRILL_ENOTFOUND, "unit");
    assert_fails_with(drill_units_is_in_term(&out, u, 0, D(2027, 2, 29)), DRILL_ERANGE, "");
    /* clearing: the dated breaks of a class, then all */
    assert_int_equal(drill_units_clear_breaks(u, "school", 0), 0);
    assert_int_equal(in_term(u, 0, D(2027, 2, 20)), 0); /* the default again */
    assert_int_equal(drill_units_clear_breaks(u, "school", 2), 0);
    assert_int_equal(in_term(u, 0, D(2027, 8, 1)), 1);  /* no breaks at all */
    assert_fails_with(drill_units_clear_breaks(u, "school", 3), DRILL_EINVAL, "yearly");
    drill_units_free(u);
}

static void test_terms_csv(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit s = unit("S1", "大连市/中山区/人民路街道", "school");
    assert_int_equal(drill_units_add(u, &s), 0);
    static const char good[] = "\xEF\xBB\xBFname,class,from,to\r\n"
                               "寒假,school,2027-01-23,2027-02-28\r\n"
                               "暑假,school,2027-07-10,2027-08-29\r\n"
                               "暑假,kindergarten,07-15,08-25\r\n";
    size_t loaded = 0, before = drill_units_break_count(u);
    assert_int_equal(drill_units_load_terms_csv_buffer(&loaded, u, good, sizeof good - 1, "terms.csv"), 0);
    assert_int_equal(loaded, 3);
    assert_int_equal(drill_units_break_count(u), before + 2); /* the kindergarten's summer break replaced */
    assert_int_equal(in_term(u, 0, D(2027, 2, 28)), 0);
    assert_int_equal(in_term(u, 0, D(2027, 3, 1)), 1);
    /* bad files: line and column, nothing loaded */
    static const struct { const char *text, *msg; int code, line, column; } bad[] = {
        { "class,from,to\nschool,2027-01-01,2027-01-02\n", "no 'name' column", DRILL_EPARSE, 1, 1 },
        { "class,from,to,name\nschool,2027-13-01,2027-01-02,x\n", "from", DRILL_EPARSE, 2, 13 },
        { "class,from,to,name\nschool,2027-01-01,01-02,x\n", "like from", DRILL_EPARSE, 2, 19 },
        { "class,from,to,name\nschool,2027-04-01,2027-04-02,ok\nnope,2027-01-01,2027-01-02,x\n", "nope",
          DRILL_ENOTFOUND, 3, 1 },
        { "class,from,to,name\nschool,2027-04-01,2027-04-02,ok\nschool,2027-04-02,2027-04-05,x\n", "overlaps",
          DRILL_EEXISTS, 3, 1 },
        { "class,from,to,name\nschool,2027-04-01\n", "missing 'to'", DRILL_EPARSE, 2, 18 },
        { "", "header", DRILL_EPARSE, 1, 1 },
    };
    size_t n = drill_units_break_count(u);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = drill_units_load_terms_csv_buffer(&loaded, u, bad[i].text, strlen(bad[i].text), "terms.csv");
        const drill_error *e = drill_error_last();
        if (rc != bad[i].code || !strstr(e->message, bad[i].msg) || e->line != bad[i].line ||
            e->column != bad[i].column || strcmp(e->source, "terms.csv") != 0)
            fail_msg("case %zu: %d %s:%d:%d '%s'", i, rc, e->source, e->line, e->column, e->message);
        assert_int_equal(drill_units_break_count(u), n);
    }
    assert_fails_with(drill_units_load_terms_csv(&loaded, u, "/nonexistent/terms.csv"), DRILL_EIO,
                      "/nonexistent/terms.csv");
    drill_units_free(u);
}

/* MPS order 61 art. 13 by class, the flag either way */
static void test_key_fire_by_class(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit a = unit("A", "大连市/中山区", "hospital");
    assert_int_equal(drill_units_add(u, &a), 0);
    a = unit("B", "大连市/中山区", "hospital");
    a.key_fire = -1;
    assert_int_equal(drill_units_add(u, &a), 0);
    a = unit("C", "大连市/中山区", "enterprise");
    a.key_fire = 1;
    assert_int_equal(drill_units_add(u, &a), 0);
    a = unit("D", "大连市/中山区", "school");
    assert_int_equal(drill_units_add(u, &a), 0);
    static const int own[] = { 0, -1, 1, 0 }, is[] = { 1, 0, 1, 0 };
    for (size_t i = 0; i < 4; i++) {
        drill_unit g = DRILL_UNIT_INIT;
        int key = -2;
        assert_int_equal(drill_units_get(&g, u, i), 0);
        assert_int_equal(g.key_fire, own[i]); /* the unit's own say, so that writing it back changes nothing */
        assert_int_equal(drill_units_is_key_fire(&key, u, i), 0);
        assert_int_equal(key, is[i]);
    }
    /* the CSV says it too, and an export imports back to the same */
    static const char csv[] = "id,name,area,class,key_fire\nE,e,大连市/中山区,hospital,-1\nF,f,大连市/中山区,hospital,0\n";
    assert_int_equal(drill_units_import_csv_buffer(NULL, NULL, u, csv, sizeof csv - 1, "k.csv", NULL), 0);
    drill_unit g = DRILL_UNIT_INIT;
    assert_int_equal(drill_units_get(&g, u, 4), 0);
    assert_int_equal(g.key_fire, -1);
    assert_int_equal(drill_units_get(&g, u, 5), 0);
    assert_int_equal(g.key_fire, 0); /* its own say: as its class */
    int key = -2;
    assert_int_equal(drill_units_is_key_fire(&key, u, 5), 0);
    assert_int_equal(key, 1); /* a hospital, by its class */
    char path[] = "/tmp/drill-keyfire-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(drill_units_export_csv(u, path), 0);
    drill_units *back = registry();
    assert_int_equal(drill_units_import_csv(NULL, NULL, back, path, NULL), 0);
    remove(path);
    for (size_t i = 0; i < 6; i++) {
        drill_unit a2 = DRILL_UNIT_INIT, b2 = DRILL_UNIT_INIT;
        assert_int_equal(drill_units_get(&a2, u, i), 0);
        assert_int_equal(drill_units_get(&b2, back, i), 0);
        assert_int_equal(a2.key_fire, b2.key_fire);
    }
    drill_units_free(back);
    drill_units_free(u);
}


/* a school calendar published as an iCalendar feed */
static void test_terms_ics(void **state)
{
    (void)state;
    drill_units *u = registry();
    drill_unit s = unit("S1", "大连市/中山区/人民路街道", "school");
    assert_int_equal(drill_units_add(u, &s), 0);
    const char *dir = getenv("DRILL_TEST_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/terms-school-2027.ics", dir ? dir : "tests/data");
    size_t loaded = 0, before = drill_units_break_count(u);
    assert_int_equal(drill_units_load_terms_ics(&loaded, u, "school", path, NULL), 0);
    assert_int_equal(loaded, 2); /* 寒假, and 暑假 from two events; 开学 and the timed event skipped */
    assert_int_equal(drill_units_break_count(u), before + 2);
    drill_break b = DRILL_BREAK_INIT;
    assert_int_equal(drill_units_break_at(&b, u, before + 1), 0);
    assert_string_equal(b.name, "暑假");
    assert_date(b.from, 2027, 7, 8);
    assert_date(b.to, 2027, 8, 31);
    assert_int_equal(in_term(u, 0, D(2027, 2, 21)), 0);
    assert_int_equal(in_term(u, 0, D(2027, 2, 22)), 1);
    /* again: every break overlaps, nothing changes */
    assert_fails_with(drill_units_load_terms_ics(&loaded, u, "school", path, NULL), DRILL_EEXISTS, "overlaps");
    assert_int_equal(drill_units_break_count(u), before + 2);
    /* another class; markers that match nothing load nothing */
    assert_int_equal(drill_units_load_terms_ics(&loaded, u, "kindergarten", path, "休园"), 0);
    assert_int_equal(loaded, 0);
    assert_fails_with(drill_units_load_terms_ics(&loaded, u, "hotel", path, NULL), DRILL_EINVAL, "terms");
    assert_fails_with(drill_units_load_terms_ics(&loaded, u, "school", "/nonexistent/t.ics", NULL), DRILL_EIO,
                      "/nonexistent/t.ics");
    drill_units_free(u);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),       cmocka_unit_test(test_add_get_update),
        cmocka_unit_test(test_get_update_round_trip),
        cmocka_unit_test(test_terms_and_breaks), cmocka_unit_test(test_terms_csv),
        cmocka_unit_test(test_terms_ics),
        cmocka_unit_test(test_key_fire_by_class),
        cmocka_unit_test(test_bad_units),     cmocka_unit_test(test_blackouts),
        cmocka_unit_test(test_import_csv),    cmocka_unit_test(test_import_errors),
        cmocka_unit_test(test_export_round_trip), cmocka_unit_test(test_generator),
        cmocka_unit_test(test_dup_and_null),
    };
    return cmocka_run_group_tests_name("unit", tests, NULL, NULL);
}
