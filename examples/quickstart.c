/* The C quick start: is a day a working day, and when is Work Safety Month?
 * Build against an installed libdrill:
 *   cc quickstart.c $(pkg-config --cflags --libs libdrill) */
#include <stdio.h>
#include <drill/drill.h>

int main(void)
{
    if (drill_version() != DRILL_VERSION_NUMBER) {
        fprintf(stderr, "headers %d, library %u\n", DRILL_VERSION_NUMBER, drill_version());
        return 1;
    }
    drill_calendar *cal = NULL;
    drill_campaigns *campaigns = NULL;
    int rc = drill_calendar_new_china(&cal);
    if (rc == 0)
        rc = drill_campaigns_new_builtin(&campaigns, NULL);

    drill_date day = { 2026, 2, 28 }; /* a Saturday made a working day */
    drill_day_info info;
    if (rc == 0)
        rc = drill_calendar_day_info(&info, cal, day);
    if (rc == 0)
        printf("2026-02-28 is %s (%s)\n", info.working ? "a working day" : "a day off", info.name);

    drill_campaign_window w;
    if (rc == 0)
        rc = drill_campaigns_window(&w, campaigns, "work-safety-month", 2026, cal);
    if (rc == 0)
        printf("%s 2026: %04d-%02d-%02d .. %04d-%02d-%02d, %d working days\n", w.name_en, w.start.year,
               w.start.month, w.start.day, w.end.year, w.end.month, w.end.day, w.working_days);
    if (rc)
        fprintf(stderr, "error: %s\n", drill_error_last()->message);
    drill_campaigns_free(campaigns);
    drill_calendar_free(cal);
    return rc ? 1 : 0;
}
