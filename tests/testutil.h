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
#define assert_fails_with(call, expect_, needle_)                                          \
    do {                                                                                  \
        drill_error_clear();                                                              \
        int rc_ = (call);                                                                 \
        if (rc_ != (expect_) || drill_error_last()->code != (expect_) ||                  \
            !strstr(drill_error_last()->message, (needle_)))                              \
            fail_msg("%s: rc %d (want %d), message '%s' (want '%s')", #call, rc_, (expect_), \
                     drill_error_last()->message, (needle_));                             \
    } while (0)

/* assert a date equals y-m-d */
#define assert_date(d_, y_, m_, day_)                                                    \
    do {                                                                                  \
        drill_date x_ = (d_);                                                             \
        if (x_.year != (y_) || x_.month != (m_) || x_.day != (day_))                      \
            fail_msg("%s is %04d-%02d-%02d, want %04d-%02d-%02d", #d_, x_.year, x_.month, \
                     x_.day, (y_), (m_), (day_));                                         \
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
