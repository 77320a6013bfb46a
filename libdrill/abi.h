/* Versioned public structs: what each version of each struct holds, and the
 * copy every public function makes of a caller's struct (libgit2's
 * GIT_ERROR_CHECK_VERSION and git_*_options_init, with the copy limited to
 * the caller's version as the struct grows). Private; see abi.c. */
#ifndef DRILL_ABI_H
#define DRILL_ABI_H

#include <stddef.h>
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
    X(drill_store_options, DRILL_STORE_OPTIONS_INIT, DRILL_STORE_OPTIONS_VERSION)

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

#endif
