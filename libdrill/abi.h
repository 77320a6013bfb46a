/* Versioned public structs: what each version of each struct holds, and the
 * copy every public function makes of a caller's struct (libgit2's
 * GIT_ERROR_CHECK_VERSION and git_*_options_init, with the copy limited to
 * the caller's version as the struct grows). Private; see abi.c. */
#ifndef DRILL_ABI_H
#define DRILL_ABI_H

#include <stddef.h>
#include <string.h>
#include "internal.h"

/* a public struct that starts with `unsigned int version` */
typedef struct drill__abi_type {
    const char *name;
    const size_t *sizes; /* sizes[v - 1]: the bytes version v has, oldest first */
    unsigned int versions; /* the newest version, X_VERSION in the header */
} drill__abi_type;

/* every versioned struct: X(type, its INIT macro, its VERSION macro) */
#define DRILL__VERSIONED_TYPES(X)                                   \
    X(drill_ics_holiday_options, DRILL_ICS_HOLIDAY_OPTIONS_INIT, DRILL_ICS_HOLIDAY_OPTIONS_VERSION)    \
    X(drill_region_options, DRILL_REGION_OPTIONS_INIT, DRILL_REGION_OPTIONS_VERSION)              \
    X(drill_campaign_def, DRILL_CAMPAIGN_DEF_INIT, DRILL_CAMPAIGN_DEF_VERSION)                  \
    X(drill_class_def, DRILL_CLASS_DEF_INIT, DRILL_CLASS_DEF_VERSION)                        \
    X(drill_unit, DRILL_UNIT_INIT, DRILL_UNIT_VERSION)                                  \
    X(drill_import_options, DRILL_IMPORT_OPTIONS_INIT, DRILL_IMPORT_OPTIONS_VERSION)              \
    X(drill_generate_options, DRILL_GENERATE_OPTIONS_INIT, DRILL_GENERATE_OPTIONS_VERSION)          \
    X(drill_rule, DRILL_RULE_INIT, DRILL_RULE_VERSION)                                  \
    X(drill_plan_options, DRILL_PLAN_OPTIONS_INIT, DRILL_PLAN_OPTIONS_VERSION)                  \
    X(drill_schedule_options, DRILL_SCHEDULE_OPTIONS_INIT, DRILL_SCHEDULE_OPTIONS_VERSION)          \
    X(drill_filter, DRILL_FILTER_INIT, DRILL_FILTER_VERSION)                              \
    X(drill_outcome, DRILL_OUTCOME_INIT, DRILL_OUTCOME_VERSION)                            \
    X(drill_action, DRILL_ACTION_INIT, DRILL_ACTION_VERSION)                              \
    X(drill_feed_options, DRILL_FEED_OPTIONS_INIT, DRILL_FEED_OPTIONS_VERSION)                  \
    X(drill_store_options, DRILL_STORE_OPTIONS_INIT, DRILL_STORE_OPTIONS_VERSION)                \
    X(drill_day_info, DRILL_DAY_INFO_INIT, DRILL_DAY_INFO_VERSION)                                \
    X(drill_calendar_load_stats, DRILL_CALENDAR_LOAD_STATS_INIT, DRILL_CALENDAR_LOAD_STATS_VERSION) \
    X(drill_campaign_window, DRILL_CAMPAIGN_WINDOW_INIT, DRILL_CAMPAIGN_WINDOW_VERSION)          \
    X(drill_feed_set_stats, DRILL_FEED_SET_STATS_INIT, DRILL_FEED_SET_STATS_VERSION)              \
    X(drill_feed_event, DRILL_FEED_EVENT_INIT, DRILL_FEED_EVENT_VERSION)                          \
    X(drill_item, DRILL_ITEM_INIT, DRILL_ITEM_VERSION)                                            \
    X(drill_quality, DRILL_QUALITY_INIT, DRILL_QUALITY_VERSION)                                   \
    X(drill_district_quality, DRILL_DISTRICT_QUALITY_INIT, DRILL_DISTRICT_QUALITY_VERSION)        \
    X(drill_track_info, DRILL_TRACK_INFO_INIT, DRILL_TRACK_INFO_VERSION)                          \
    X(drill_audit_entry, DRILL_AUDIT_ENTRY_INIT, DRILL_AUDIT_ENTRY_VERSION)                       \
    X(drill_import_error, DRILL_IMPORT_ERROR_INIT, DRILL_IMPORT_ERROR_VERSION)                    \
    X(drill_break, DRILL_BREAK_INIT, DRILL_BREAK_VERSION)

#define DRILL__ABI_DECLARE(T, INIT_, VERSION_) extern const drill__abi_type drill__abi_##T;
DRILL__VERSIONED_TYPES(DRILL__ABI_DECLARE)
#undef DRILL__ABI_DECLARE

/* copy the caller's struct src (NULL: nothing) into dst, which holds the
 * defaults: only the bytes src's version has, so the fields added after it
 * keep their defaults and nothing past the caller's struct is read; dst's
 * version becomes the newest. DRILL_EVERSION for version 0 or one newer
 * than this library knows. */
int drill__versioned_copy(void *dst, const void *src, const drill__abi_type *type);

/* at the start of a public function: rebind its parameter P (a const T *,
 * NULL allowed) to such a copy, or return DRILL_EVERSION */
#define DRILL__VERSIONED(P, T, INIT_)                                                  \
    T P##_versioned_ = INIT_;                                                          \
    do {                                                                               \
        int vrc_ = drill__versioned_copy(&P##_versioned_, (P), &drill__abi_##T);       \
        if (vrc_)                                                                      \
            return vrc_;                                                               \
        if (P)                                                                         \
            (P) = &P##_versioned_;                                                     \
    } while (0)

/* Structs the library fills (a getter's out, a function's out_stats): the
 * caller sets their version (X_INIT, drill_x_init()) and the library writes
 * only the bytes that version has, so a program built against an older
 * header, with a smaller struct, is never written past its end. */

/* before a function does anything: DRILL_EVERSION if the caller's struct
 * out (NULL: fine, nothing to check) has version 0 or one newer than this
 * library knows */
int drill__out_check(const void *out, const drill__abi_type *type);

/* write the library's filled struct src (of the newest version) into the
 * caller's out (NULL: nothing): the bytes out's version has, out's version
 * kept. Checks as drill__out_check() and then writes nothing on failure. */
int drill__out_fill(void *out, const void *src, const drill__abi_type *type);

/* a function filling its parameter NAME (a T *): name the parameter
 * NAME##_caller and start with DRILL__OUT_BEGIN(NAME, T): the version is
 * checked, and NAME becomes a zeroed struct of the newest version that the
 * body fills as before (NULL if the caller passed NULL); return
 * DRILL__OUT_END(NAME, T) where it succeeds. */
#define DRILL__OUT_BEGIN(NAME, T)                                                  \
    do {                                                                           \
        int orc_ = drill__out_check(NAME##_caller, &drill__abi_##T);               \
        if (orc_)                                                                  \
            return orc_;                                                           \
    } while (0);                                                                   \
    T NAME##_full_;                                                                \
    memset(&NAME##_full_, 0, sizeof NAME##_full_);                                 \
    NAME##_full_.version = drill__abi_##T.versions;                                \
    T *NAME = NAME##_caller ? &NAME##_full_ : NULL

#define DRILL__OUT_END(NAME, T) drill__out_fill(NAME##_caller, NAME, &drill__abi_##T)

#endif
