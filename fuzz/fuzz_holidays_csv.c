/* libFuzzer target: drill_calendar_load_csv_buffer() on arbitrary bytes,
 * into a fresh calendar or (for about one input in four) a copy of the
 * China calendar, then queries over the years the load covered. Every
 * documented promise that fails aborts (see fuzz_common.h). */
#include "fuzz_common.h"

static int load_csv(drill_calendar_load_stats *st, drill_calendar *cal, const char *data, size_t len,
                    const char *source, const void *ctx)
{
    (void)ctx;
    return drill_calendar_load_csv_buffer(st, cal, data, len, source);
}

/* drill_calendar_load_csv_buffer's documented failures for a valid call */
static const int documented[] = { DRILL_EPARSE, DRILL_EEXISTS, DRILL_ENOMEM, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    fuzz_round("drill_calendar_load_csv_buffer", load_csv, NULL, documented, h, data, size,
               "fuzz.csv");
    return 0;
}
