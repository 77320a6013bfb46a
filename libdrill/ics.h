/* Reading iCalendar streams one top-level VEVENT at a time, with line
 * numbers; private to libdrill (holiday feeds in calendar.c, drill feeds in
 * feed_read.c). libical parses each VEVENT block; this reader only cuts the
 * stream, so memory holds one event and every error names its line.
 *
 * Accepts CRLF or bare LF line ends (LF is counted as tolerated), folded
 * lines, BEGIN/END in any case, blank lines between components, several
 * VCALENDARs, a UTF-8 BOM before the first line, and a missing
 * END:VCALENDAR (tolerated). Refuses with DRILL_EPARSE and the line: text
 * before BEGIN:VCALENDAR, END of a component that is not open, a VEVENT
 * never ended, components nested deeper than 8, no VCALENDAR at all, a NUL
 * byte, invalid UTF-8, a physical line longer than DRILL__ICS_LINE_MAX, an
 * event longer than DRILL__ICS_EVENT_MAX. */
#ifndef DRILL_ICS_H
#define DRILL_ICS_H

#include <stddef.h>
#include <stdio.h>
#include <libical/ical.h>

/* the longest physical line and VEVENT read: libical's parser is slow on
 * huge lines (an 8 MB line took 19-90 s), and no calendar needs them */
#define DRILL__ICS_LINE_MAX (256 * 1024)
#define DRILL__ICS_EVENT_MAX (1024 * 1024)

typedef struct drill__ics {
    FILE *f;                /* a stream, or */
    const char *buf, *end;  /* a buffer */
    const char *source;
    int line;               /* physical lines read */
    char *phys;             /* the physical line read ahead */
    size_t phys_cap;
    long phys_len;          /* -1: none read ahead */
    int phys_line;
    char *block;            /* the VEVENT being collected */
    size_t block_len, block_cap;
    int block_line;
    int depth, calendars, in_event;
    char stack[8][32];
    int bare_lf;            /* lines that ended in LF alone */
    int unended;            /* 1 if the stream ended inside a VCALENDAR */
    int bom;                /* 1 if it started with a UTF-8 BOM */
} drill__ics;

void drill__ics_open_buffer(drill__ics *r, const char *data, size_t len, const char *source);
void drill__ics_open_file(drill__ics *r, FILE *f, const char *source);
void drill__ics_close(drill__ics *r);
/* 1: *block (NUL-terminated, until the next call) is a whole VEVENT starting
 * at *line; 0: the end; < 0: an error, recorded */
int drill__ics_next_event(drill__ics *r, const char **block, int *line);
/* the line of the first property called name in a block starting at first, or first */
int drill__ics_property_line(const char *block, int first, const char *name);

/* Recurring events, for holiday feeds (calendar.c) and busy days
 * (feed_read.c): one expansion, libical's icalrecur_iterator. */

/* occurrences one feed may expand, all its events together */
#define DRILL__ICS_EXPAND_BUDGET 200000

/* 1 if the event has an RRULE or an RDATE */
int drill__ics_is_recurring(icalcomponent *ev);

/* called for an occurrence `shift` days after the event's DTSTART; a
 * negative return stops the expansion and is returned */
typedef int (*drill__ics_occurrence_fn)(void *ctx, int shift);

/* Call fn for every occurrence of ev that starts in the years ymin..ymax:
 * DTSTART itself, its RRULEs' (an RRULE without end stops at ymax), its
 * RDATEs', less its EXDATEs, each date once per property. *budget counts
 * the occurrences iterated over calls (a feed's whole expansion): past it,
 * DRILL_EPARSE at the RRULE's line. block, line and source (the event's
 * text, its first line, the feed) place the errors. *out_count (or NULL)
 * receives how many occurrences fn was called for. */
int drill__ics_occurrences(int *out_count, icalcomponent *ev, const char *block, int line, const char *source,
                           int ymin, int ymax, long *budget, drill__ics_occurrence_fn fn, void *ctx);

#endif
