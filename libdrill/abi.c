/* Versioned public structs: the size of every version of each, the copy of
 * a caller's struct limited to its version, and drill_*_init() for
 * bindings that cannot use the INIT macros.
 *
 * Adding a field to a versioned struct (never in the middle, never
 * removing one): append it at the end, raise X_VERSION and X_INIT in the
 * header, and here end the list of sizes of the struct with the size of
 * the new version, replacing the previous newest entry sizeof(T) with
 * offsetof(T, first new field). A program built against the older header
 * then still works: the library reads only the fields its version had and
 * uses the INIT defaults for the others. A struct that a function fills
 * (drill_units_get()'s drill_unit, drill_plan_get()'s drill_item, the
 * out_stats of a load...) grows the same way: the caller sets its version
 * (X_INIT, drill_x_init()) and every such function writes, through
 * drill__out_fill(), only the bytes that version has, so an older
 * program's smaller struct is never written past its end; it first checks
 * the version with drill__out_check() (0, a struct not set up, and a
 * version newer than the library are DRILL_EVERSION) so that nothing is
 * done for a caller it could not answer. `make check-abi` compares the
 * library with the baseline in abi/ and fails on any other change (see
 * the README's "ABI" section). */
#include <stddef.h>
#include <string.h>
#include "abi.h"

int drill__versioned_copy(void *dst, const void *src, const drill__abi_type *type)
{
    if (!src)
        return 0;
    unsigned int v;
    memcpy(&v, src, sizeof v);
    if (v == 0 || v > type->versions)
        return drill__error(DRILL_EVERSION,
                            "%s version %u is not 1-%u: set it with its INIT macro (a newer version "
                            "means the program was built against a newer libdrill than the one it runs with)",
                            type->name, v, type->versions);
    memcpy(dst, src, type->sizes[v - 1]);
    v = type->versions;
    memcpy(dst, &v, sizeof v);
    return 0;
}

static int check_version(unsigned int v, const drill__abi_type *type)
{
    if (v == 0)
        return drill__error(DRILL_EVERSION,
                            "%s version 0: the struct was not set up; set it with %s's INIT macro or "
                            "%s_init() before passing it", type->name, type->name, type->name);
    if (v > type->versions)
        return drill__error(DRILL_EVERSION,
                            "%s version %u is newer than this libdrill's (%u): the program was built against a "
                            "newer libdrill than the one it runs with", type->name, v, type->versions);
    return 0;
}

int drill__out_check(const void *out, const drill__abi_type *type)
{
    if (!out)
        return 0;
    unsigned int v;
    memcpy(&v, out, sizeof v);
    return check_version(v, type);
}

int drill__out_fill(void *out, const void *src, const drill__abi_type *type)
{
    if (!out)
        return 0;
    unsigned int v;
    memcpy(&v, out, sizeof v);
    int rc = check_version(v, type);
    if (rc)
        return rc;
    memcpy((char *)out + sizeof v, (const char *)src + sizeof v, type->sizes[v - 1] - sizeof v);
    return 0;
}

/* the sizes of each version, oldest first (see the comment on top) */
#define SIZES(T) static const size_t sizes_##T[] =
SIZES(drill_ics_holiday_options) { sizeof(drill_ics_holiday_options) };
SIZES(drill_region_options) { sizeof(drill_region_options) };
SIZES(drill_campaign_def) { sizeof(drill_campaign_def) };
SIZES(drill_class_def) { sizeof(drill_class_def) };
SIZES(drill_unit) { sizeof(drill_unit) };
SIZES(drill_import_options) { sizeof(drill_import_options) };
SIZES(drill_generate_options) { sizeof(drill_generate_options) };
SIZES(drill_rule) { offsetof(drill_rule, satisfied_by_kinds), sizeof(drill_rule) };
SIZES(drill_plan_options) { sizeof(drill_plan_options) };
SIZES(drill_schedule_options) { offsetof(drill_schedule_options, today),
                                offsetof(drill_schedule_options, campaign_min_days),
                                sizeof(drill_schedule_options) };
SIZES(drill_filter) { offsetof(drill_filter, statuses), sizeof(drill_filter) };
SIZES(drill_outcome) { sizeof(drill_outcome) };
SIZES(drill_action) { sizeof(drill_action) };
SIZES(drill_feed_options) { sizeof(drill_feed_options) };
SIZES(drill_store_options) { offsetof(drill_store_options, existing_only), sizeof(drill_store_options) };
SIZES(drill_day_info) { sizeof(drill_day_info) };
SIZES(drill_calendar_load_stats) { sizeof(drill_calendar_load_stats) };
SIZES(drill_campaign_window) { sizeof(drill_campaign_window) };
SIZES(drill_feed_set_stats) { sizeof(drill_feed_set_stats) };
SIZES(drill_feed_event) { sizeof(drill_feed_event) };
SIZES(drill_item) { sizeof(drill_item) };
SIZES(drill_quality) { sizeof(drill_quality) };
SIZES(drill_district_quality) { sizeof(drill_district_quality) };
SIZES(drill_track_info) { sizeof(drill_track_info) };
SIZES(drill_audit_entry) { sizeof(drill_audit_entry) };
SIZES(drill_import_error) { sizeof(drill_import_error) };
SIZES(drill_break) { sizeof(drill_break) };
#undef SIZES

/* the table of each type; its newest version must be the header's */
#define DEFINE(T, INIT_, VERSION_)                                                                          \
    const drill__abi_type drill__abi_##T = { #T, sizes_##T, sizeof sizes_##T / sizeof *sizes_##T }; \
    _Static_assert(sizeof sizes_##T / sizeof *sizes_##T == (VERSION_),                    \
                   #T ": one size per version, up to the header's X_VERSION");
DRILL__VERSIONED_TYPES(DEFINE)
#undef DEFINE

static int init_versioned(void *out, const void *defaults, unsigned int version, const drill__abi_type *type)
{
    if (version == 0 || version > type->versions)
        return drill__error(DRILL_EVERSION, "%s version %u is not 1-%u", type->name, version, type->versions);
    memcpy(out, defaults, type->sizes[version - 1]);
    memcpy(out, &version, sizeof version);
    return 0;
}

#define INIT_FUNCTION(T, INIT_, VERSION_)                                              \
    int T##_init(T *out, unsigned int version)                               \
    {                                                                        \
        DRILL_CHECK_NULL(out);                                               \
        const T defaults = INIT_;                                            \
        return init_versioned(out, &defaults, version, &drill__abi_##T);     \
    }
DRILL__VERSIONED_TYPES(INIT_FUNCTION)
#undef INIT_FUNCTION
