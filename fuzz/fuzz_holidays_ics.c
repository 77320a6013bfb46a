/* libFuzzer target: drill_calendar_load_ics_buffer() on arbitrary bytes,
 * into a fresh calendar or (for about one input in four) a copy of the
 * China calendar, with the default options or custom markers, then queries
 * over the years the load covered. Every documented promise that fails
 * aborts (see fuzz_common.h). */
#include "fuzz_common.h"

static int load_ics(drill_calendar_load_stats *st, drill_calendar *cal, const char *data, size_t len,
                    const char *source, const void *ctx)
{
    return drill_calendar_load_ics_buffer(st, cal, data, len, source, ctx);
}

/* drill_calendar_load_ics_buffer's documented failures for a valid call */
static const int documented[] = { DRILL_EPARSE, DRILL_EEXISTS, DRILL_ENOMEM, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const drill_ics_holiday_options variants[] = {
        DRILL_ICS_HOLIDAY_OPTIONS_INIT,
        { DRILL_ICS_HOLIDAY_OPTIONS_VERSION, "班|调休||", NULL },
        { DRILL_ICS_HOLIDAY_OPTIONS_VERSION, NULL, "假期|节" },
    };
    uint32_t h = fuzz_hash(data, size);
    /* NULL options half the time, else one of the variants */
    const drill_ics_holiday_options *opts = (h & 4) ? NULL : &variants[(h >> 3) % 3];
    fuzz_round("drill_calendar_load_ics_buffer", load_ics, opts, documented, h, data, size,
               "fuzz.ics");
    return 0;
}
