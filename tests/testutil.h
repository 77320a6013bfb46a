/* Shared by the cmocka tests. */
#ifndef DRILL_TESTUTIL_H
#define DRILL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <drill/drill.h>

/* assert a call fails with code, and that the message is set and mentions needle */
#define assert_fails_with(call, code, needle)                                         \
    do {                                                                              \
        drill_error_clear();                                                          \
        int rc_ = (call);                                                             \
        assert_int_equal(rc_, (code));                                                \
        assert_int_equal(drill_error_last()->code, (code));                           \
        assert_non_null(strstr(drill_error_last()->message, (needle)));               \
    } while (0)

static inline drill_date D(int y, int m, int d)
{
    drill_date x = { y, m, d };
    return x;
}

/* a path under DRILL_SHARED_DATA (../shared/data), or NULL when it is absent */
static inline const char *shared_path(char *buf, size_t n, const char *rel)
{
    const char *base = getenv("DRILL_SHARED_DATA");
    if (!base)
        return NULL;
    snprintf(buf, n, "%s/%s", base, rel);
    FILE *f = fopen(buf, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return buf;
}

#endif
