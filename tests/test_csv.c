/* The private RFC 4180 reader: fields, quoting, positions, errors. */
#include <unistd.h>
#include "testutil.h"
#include "csv.h"

/* read every record of text, joining fields with '|' and records with '/' */
static int read_all(const char *text, char *out, size_t n)
{
    drill__csv r;
    drill__csv_init(&r, text, strlen(text), "t.csv");
    int rc;
    out[0] = '\0';
    while ((rc = drill__csv_next(&r)) == 1) {
        for (size_t i = 0; i < r.nfields; i++) {
            assert_int_equal(strlen(r.fields[i].text), r.fields[i].len);
            strncat(out, r.fields[i].text, n - strlen(out) - 1);
            strncat(out, i + 1 < r.nfields ? "|" : "/", n - strlen(out) - 1);
        }
    }
    drill__csv_free(&r);
    return rc;
}

static void test_fields_and_quoting(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        { "a,b,c\n1,2,3\n", "a|b|c/1|2|3/" },
        { "a,b\r\n1,2\r\n", "a|b/1|2/" },
        { "a,b\r1,2", "a|b/1|2/" },
        { "a,b\n1,2", "a|b/1|2/" },
        { "\xEF\xBB\xBFid,name\nx,y\n", "id|name/x|y/" },
        { "a,\"b,c\",d\n", "a|b,c|d/" },
        { "\"he said \"\"hi\"\"\",x\n", "he said \"hi\"|x/" },
        { "\"line1\nline2\",x\n", "line1\nline2|x/" },
        { "\"line1\r\nline2\",x\r\n", "line1\r\nline2|x/" },
        { ",,\n", "||/" },
        { "a\n\n\r\n\nb\n", "a/b/" },
        { "\"\",x\n", "|x/" },
        { "名称,地址\n大连港,\"中山区,港湾街\"\n", "名称|地址/大连港|中山区,港湾街/" },
        { "", "" },
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(read_all(cases[i].in, out, sizeof out), 0);
        assert_string_equal(out, cases[i].out);
    }
}

static void test_positions(void **state)
{
    (void)state;
    const char *text = "a,\"multi\nline\",c\n名称,x\n";
    drill__csv r;
    drill__csv_init(&r, text, strlen(text), "t.csv");
    assert_int_equal(drill__csv_next(&r), 1);
    assert_int_equal(r.record_line, 1);
    assert_int_equal(r.fields[1].line, 1);
    assert_int_equal(r.fields[1].column, 3);
    assert_int_equal(r.fields[1].quoted, 1);
    assert_int_equal(r.fields[2].line, 2); /* after the embedded newline */
    assert_int_equal(r.fields[2].column, 7);
    assert_int_equal(drill__csv_next(&r), 1);
    assert_int_equal(r.record_line, 3);
    assert_int_equal(r.fields[1].column, 4); /* columns count characters, not bytes */
    assert_int_equal(drill__csv_next(&r), 0);
    drill__csv_free(&r);
}

static void test_find_header(void **state)
{
    (void)state;
    const char *text = " Date ,KIND,name\n";
    drill__csv r;
    drill__csv_init(&r, text, strlen(text), NULL);
    assert_int_equal(drill__csv_next(&r), 1);
    assert_int_equal(drill__csv_find(&r, "date"), 0);
    assert_int_equal(drill__csv_find(&r, "kind"), 1);
    assert_int_equal(drill__csv_find(&r, "name"), 2);
    assert_int_equal(drill__csv_find(&r, "year"), -1);
    drill__csv_free(&r);
}

static void test_errors_with_line_and_column(void **state)
{
    (void)state;
    static const struct { const char *in; int line, column; const char *needle; } cases[] = {
        { "a,b\n1,x\"y\n", 2, 4, "quote inside an unquoted field" },
        { "a,b\n\"1\"x,2\n", 2, 4, "after a closing quote" },
        { "a,b\n1,\"open\nstill open\n", 2, 3, "never closed" },
        { "a,b\n1,\xff\n", 2, 3, "invalid UTF-8" },
        { "a,b\n1,\xe5\xa4\n", 2, 3, "invalid UTF-8" },
        { "a,b\n\"\xc0\xaf\",1\n", 2, 2, "invalid UTF-8" },
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        drill_error_clear();
        assert_int_equal(read_all(cases[i].in, out, sizeof out), DRILL_EPARSE);
        const drill_error *e = drill_error_last();
        if (e->line != cases[i].line || e->column != cases[i].column || !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: %s:%d:%d %s", i, e->source, e->line, e->column, e->message);
        assert_string_equal(e->source, "t.csv");
    }
    /* a NUL byte */
    drill__csv r;
    drill__csv_init(&r, "a,b\n1,\0\n", 8, "t.csv");
    assert_int_equal(drill__csv_next(&r), 1);
    assert_int_equal(drill__csv_next(&r), DRILL_EPARSE);
    assert_non_null(strstr(drill_error_last()->message, "NUL"));
    assert_int_equal(drill_error_last()->column, 3);
    drill__csv_free(&r);
}

/* the public reader's next record has two fields, the second text, at line and column */
static void next_record_field(drill_csv *r, const char *text, int want_line, int want_column)
{
    size_t n;
    const char *t;
    int line, column;
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_csv_field(&t, r, 1), 0);
    assert_string_equal(t, text);
    assert_int_equal(drill_csv_field_position(&line, &column, r, 1), 0);
    assert_int_equal(line, want_line);
    assert_int_equal(column, want_column);
}

/* the public reader (drill/csv.h): the same records, positions and errors */
static void test_public_reader(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBFid,notes\r\"U1\",\"a\nb\"\r名称,\"x,y\"";
    drill_csv *r;
    size_t n;
    const char *t;
    assert_int_equal(drill_csv_open_buffer(&r, text, sizeof text - 1, "b.csv"), 0);
    assert_fails_with(drill_csv_field(&t, r, 0), DRILL_ENOTFOUND, "no field 0");
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_csv_field(&t, r, 1), 0);
    assert_string_equal(t, "notes");
    next_record_field(r, "a\nb", 2, 6); /* a lone CR ends a record */
    next_record_field(r, "x,y", 4, 4);
    assert_fails_with(drill_csv_field(&t, r, 2), DRILL_ENOTFOUND, "no field 2");
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_int_equal(n, 0);
    drill_csv_free(r);

    /* a NUL byte fails where it is, and every later call fails too */
    assert_int_equal(drill_csv_open_buffer(&r, "id,notes\nU1,ok\0HIDDEN\n", 23, "nul.csv"), 0);
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_fails_with(drill_csv_next(&n, r), DRILL_EPARSE, "NUL byte");
    assert_int_equal(drill_error_last()->line, 2);
    assert_int_equal(drill_error_last()->column, 6);
    assert_int_equal(n, 0);
    assert_fails_with(drill_csv_next(&n, r), DRILL_EPARSE, "earlier error");
    drill_csv_free(r);

    /* a file */
    char path[64];
    snprintf(path, sizeof path, "/tmp/drill-csv-%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("a,b\n1,2\n", f);
    fclose(f);
    assert_int_equal(drill_csv_open(&r, path), 0);
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_int_equal(drill_csv_next(&n, r), 0);
    assert_int_equal(drill_csv_field(&t, r, 0), 0);
    assert_string_equal(t, "1");
    drill_csv_free(r);
    remove(path);
    assert_fails_with(drill_csv_open(&r, "/nonexistent/x.csv"), DRILL_EIO, "/nonexistent/x.csv");
    assert_fails_with(drill_csv_open(NULL, path), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_csv_open_buffer(&r, NULL, 0, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_csv_next(&n, NULL), DRILL_EINVAL, "NULL");
    drill_csv_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_quoting),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_find_header),
        cmocka_unit_test(test_errors_with_line_and_column),
        cmocka_unit_test(test_public_reader),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
