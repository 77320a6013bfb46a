/* iCalendar export, written by hand event by event: escaping and folding
 * are done here because libical 3.0.16 folds mixed Chinese/ASCII text
 * wrongly and leaves ',' and ';' unescaped in X- and CATEGORIES values
 * (see DOMAIN notes); libical only supplies the VTIMEZONE. */
#include <errno.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "abi.h"
#include "ics.h"
#include "internal.h"
#include "plan_internal.h"
#include "rule_internal.h"
#include "unit_internal.h"
#include "map.h"
#include "vec.h"

/* ---- lines: escape, fold at 75 octets on UTF-8 boundaries, CRLF ---- */

/* a 64-bit digest of what an event says, to tell a change from none (not
 * against an adversary: the feed is the publisher's own): eight bytes a
 * step, multiply (FNV's prime) and xor-shift; byte by byte FNV-1a took as
 * long as the rest of the export. Bytes are taken in words of eight
 * however the text comes in pieces (the writer's buffer is flushed at
 * places that depend on the events before), so equal text, equal digest. */
typedef struct digest {
    uint64_t h;
    unsigned char tail[8];
    size_t ntail;
} digest;

static void digest_init(digest *d)
{
    d->h = 0xcbf29ce484222325ull;
    d->ntail = 0;
}

static inline void digest_word(digest *d, uint64_t v)
{
    d->h = (d->h ^ v) * 0x100000001b3ull;
    d->h ^= d->h >> 29;
}

static void digest_add(digest *d, const char *s, size_t n)
{
    uint64_t v;
    while (d->ntail && n) { /* complete the word begun by the last piece */
        d->tail[d->ntail++] = (unsigned char)*s++;
        n--;
        if (d->ntail == 8) {
            memcpy(&v, d->tail, 8);
            digest_word(d, v);
            d->ntail = 0;
        }
    }
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&v, s, 8);
        digest_word(d, v);
    }
    memcpy(d->tail + d->ntail, s, n);
    d->ntail += n;
}

static uint64_t digest_end(digest *d)
{
    uint64_t h = d->h;
    for (size_t i = 0; i < d->ntail; i++)
        h = (h ^ d->tail[i]) * 0x100000001b3ull;
    return h ^ d->ntail;
}

typedef struct writer {
    FILE *f;
    char out[65536]; /* physical lines waiting to be written */
    size_t olen;
    size_t col;      /* octets on the current physical line, a continuation's space included */
    int open;        /* a logical line is started and not yet ended */
    int failed;
    int hashing;     /* a digest of what is written is being taken, from out[hash_from] on */
    size_t hash_from;
    digest hash;
} writer;

static void flush_out(writer *w)
{
    if (w->hashing) {
        digest_add(&w->hash, w->out + w->hash_from, w->olen - w->hash_from);
        w->hash_from = 0;
    }
    if (w->olen && fwrite(w->out, 1, w->olen, w->f) != w->olen)
        w->failed = 1;
    w->olen = 0;
}

static void hash_begin(writer *w)
{
    w->hashing = 1;
    w->hash_from = w->olen;
    digest_init(&w->hash);
}

/* the digest so far; more may be added (hash_add) before digest_end */
static void hash_stop(writer *w)
{
    digest_add(&w->hash, w->out + w->hash_from, w->olen - w->hash_from);
    w->hashing = 0;
}

/* add to the logical line, straight into the output: a line that would pass
 * 75 octets is folded (CRLF and a space) before the UTF-8 sequence that
 * would cross it. Callers never split a UTF-8 sequence between two calls,
 * so where a value is cut into pieces does not change where it folds. */
static void raw_folding(writer *w, const char *s, size_t n)
{
    while (n) {
        if (sizeof w->out - w->olen < 80) /* room for a whole physical line and its fold */
            flush_out(w);
        size_t k = n, room = 75 - w->col;
        if (k > room) {
            k = room;
            while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
            if (k == 0 && w->col <= 1) /* no character boundary within a whole line: not UTF-8, split */
                k = room;
        }
        memcpy(w->out + w->olen, s, k);
        w->olen += k;
        w->col += k;
        s += k;
        n -= k;
        if (n) {
            memcpy(w->out + w->olen, "\r\n ", 3);
            w->olen += 3;
            w->col = 1;
        }
    }
}

/* the common case, a piece that fits on the current line, without a loop */
static inline void raw(writer *w, const char *s, size_t n)
{
    w->open = 1;
    if (n <= 75 - w->col && n <= sizeof w->out - w->olen) {
        memcpy(w->out + w->olen, s, n);
        w->olen += n;
        w->col += n;
    } else
        raw_folding(w, s, n);
}

/* a string literal and its length, for raw() and lines() */
#define LIT(s) s, sizeof(s) - 1

/* end the logical line */
static inline void end_line(writer *w)
{
    if (!w->open)
        return;
    if (sizeof w->out - w->olen < 2)
        flush_out(w);
    memcpy(w->out + w->olen, "\r\n", 2);
    w->olen += 2;
    w->col = 0;
    w->open = 0;
}

/* whole lines, each shorter than 75 octets and ending in CRLF, between two logical lines */
static inline void lines(writer *w, const char *s, size_t n)
{
    if (sizeof w->out - w->olen < n)
        flush_out(w);
    memcpy(w->out + w->olen, s, n);
    w->olen += n;
}

/* bytes a TEXT value cannot carry as they are: control characters but the
 * tab (RFC 5545 TEXT allows HTAB), '\\', ';', ',' */
static const unsigned char special[256] = {
    [0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [10] = 1,
    [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1,
    [21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1,
    [31] = 1, [0x7f] = 1, ['\\'] = 1, [';'] = 1, [','] = 1,
};

/* a TEXT value into out (room for twice its length): backslash, ';', ','
 * and newlines escaped, tabs kept, other control characters dropped;
 * returns the length */
static size_t escape(char *out, const char *s)
{
    char *o = out;
    while (s && *s) {
        size_t run = 0; /* bytes that need no escaping go in one piece */
        while (!special[(unsigned char)s[run]])
            run++;
        memcpy(o, s, run);
        o += run;
        s += run;
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '\n' || (c == '\r' && s[1] != '\n')) {
            *o++ = '\\';
            *o++ = 'n';
        } else if (!c)
            break;
        s++;
    }
    return (size_t)(o - out);
}

/* ---- text kept for reuse ----
 *
 * Most of an event repeats: each rule's kind, scenario, campaign and legal
 * basis, the unit's name and district (a unit's drills come one after the
 * other), the options. Escaping them for every event was the largest part
 * of an export, so they are escaped once into a textbuf and copied from
 * there. The feed's textbuf holds what belongs to the options and the
 * rules; the unit's holds one unit at a time, so memory does not grow with
 * the feed. Spans are offsets: the buffer moves as it grows. */

typedef struct span {
    size_t at, n;
} span;

typedef struct textbuf {
    char *s;
    size_t len, cap;
} textbuf;

static int reserve(textbuf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return 0;
    if (n > SIZE_MAX - b->len || DRILL__VEC_RESERVE(b->s, b->cap, b->len + n))
        return drill__error(DRILL_ENOMEM, "out of memory writing a feed");
    return 0;
}

static int keep_raw(textbuf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return DRILL_ENOMEM;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    return 0;
}

static int keep_text(textbuf *b, const char *s)
{
    if (reserve(b, s ? 2 * strlen(s) : 0))
        return DRILL_ENOMEM;
    b->len += escape(b->s + b->len, s);
    return 0;
}

/* a parameter value: quoted, without DQUOTE or control characters */
static int keep_param(textbuf *b, const char *s)
{
    if (reserve(b, strlen(s) + 2))
        return DRILL_ENOMEM;
    char *o = b->s + b->len;
    *o++ = '"';
    for (; *s; s++)
        if ((unsigned char)*s >= 0x20 && *s != 0x7f && *s != '"')
            *o++ = *s;
    *o++ = '"';
    b->len = (size_t)(o - b->s);
    return 0;
}

/* the span from a length of b to its end */
static span since(const textbuf *b, size_t at)
{
    span s = { at, b->len - at };
    return s;
}

/* s escaped onto b, and where it is */
static int keep_span(textbuf *b, span *out, const char *s)
{
    size_t at = b->len;
    if (keep_text(b, s))
        return DRILL_ENOMEM;
    *out = since(b, at);
    return 0;
}

static inline void put(writer *w, const textbuf *b, span s)
{
    raw(w, b->s + s.at, s.n);
}

/* NAME:value with the value kept escaped; name is a literal with its ':' */
static inline void prop(writer *w, const char *name, size_t name_len, const textbuf *b, span value)
{
    raw(w, name, name_len);
    put(w, b, value);
    end_line(w);
}
/* ---- the zone ---- */

/* libical's built-in zone cache is global and has had first-load races: its use is serialised here */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

/* the VTIMEZONE lines, truncated to the years around the plan, TZID renamed */
static int zone_text(char **out, const char *tzid, int year)
{
    pthread_mutex_lock(&zone_lock);
    icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);
    icalcomponent *c = z ? icalcomponent_new_clone(icaltimezone_get_component(z)) : NULL;
    char *text_out = NULL;
    if (c) {
        char from[32], to[32];
        snprintf(from, sizeof from, "%04d0101T000000", year - 1);
        snprintf(to, sizeof to, "%04d0101T000000", year + 2);
        icaltimezone_truncate_vtimezone(c, icaltime_from_string(from), icaltime_from_string(to), 1);
        icalproperty *p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
        if (p)
            icalproperty_set_tzid(p, tzid);
        icalproperty *until;
        while ((until = icalcomponent_get_first_property(c, ICAL_TZUNTIL_PROPERTY)))
            icalcomponent_remove_property(c, until), icalproperty_free(until);
        text_out = icalcomponent_as_ical_string_r(c);
        icalcomponent_free(c);
    }
    pthread_mutex_unlock(&zone_lock);
    if (!z)
        return drill__error(DRILL_ENOTFOUND, "libical knows no time zone '%s'", tzid);
    if (!text_out)
        return drill__error(DRILL_ENOMEM, "out of memory writing a time zone");
    *out = text_out;
    return 0;
}

/* ---- what the last export said ----
 *
 * drill_feed_write_file() reads the feed it is about to replace: each
 * event's UID, SEQUENCE, LAST-MODIFIED, CREATED and X-DRILL-HASH (a digest
 * of everything else the event says). An event whose digest is unchanged
 * keeps its SEQUENCE and stamps; one whose digest changed gets the larger
 * of its old SEQUENCE + 1 and its revision, and the time of the export as
 * LAST-MODIFIED. So a renamed unit raises the SEQUENCE of its drills, a
 * moved drill moves LAST-MODIFIED, and a replaced plan continues its
 * drills' sequences instead of starting them again. */

typedef struct old_event {
    unsigned char uid[16];
    uint32_t sequence;
    uint64_t hash;
    char modified[17], created[17]; /* YYYYMMDDTHHMMSSZ */
} old_event;

typedef struct old_feed {
    old_event *events;
    size_t count, cap;
    drill__map by_uid; /* UID -> index in events */
    char now[17];     /* the export's time, for LAST-MODIFIED of a changed event */
} old_feed;

static int hex_uid(unsigned char out[16], const char *s)
{
    for (int i = 0, k = 0; i < 16; i++) {
        if (s[k] == '-')
            k++;
        unsigned v = 0;
        for (int j = 0; j < 2; j++, k++) {
            char c = s[k];
            v = v * 16 + (c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99u);
        }
        if (v > 255)
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* a UID's hash: its bytes are random (version 5 UUIDs) but for the version and variant bits */
static uint32_t uid_hash(const unsigned char uid[16])
{
    uint64_t h;
    memcpy(&h, uid, sizeof h);
    return drill__map_mix(h);
}

static int uid_eq(const void *ctx, size_t index, const void *key)
{
    return memcmp(((const old_event *)ctx)[index].uid, key, 16) == 0;
}

static const old_event *old_find(const old_feed *o, const unsigned char uid[16])
{
    size_t i;
    return o && drill__map_find(&i, &o->by_uid, uid_hash(uid), uid_eq, o->events, uid) ? &o->events[i] : NULL;
}

/* the event, or a later one of the same UID in place of the earlier */
static int old_add(old_feed *o, const old_event *e)
{
    size_t i;
    if (drill__map_find(&i, &o->by_uid, uid_hash(e->uid), uid_eq, o->events, e->uid)) {
        o->events[i] = *e;
        return 0;
    }
    if (DRILL__VEC_RESERVE(o->events, o->cap, o->count + 1) || drill__map_add(&o->by_uid, uid_hash(e->uid), o->count))
        return drill__error(DRILL_ENOMEM, "out of memory reading the last feed");
    o->events[o->count++] = *e;
    return 0;
}

static void old_free(old_feed *o)
{
    free(o->events);
    drill__map_free(&o->by_uid);
}

/* the value of a "NAME:" line at the start of p, copied into out (n bytes), or 0 */
static int line_value(const char *p, const char *name, char *out, size_t n)
{
    size_t k = strlen(name);
    if (strncmp(p, name, k) != 0)
        return 0;
    p += k;
    size_t len = strcspn(p, "\r\n");
    if (len >= n)
        return 0;
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

/* the events of the feed at path, when it is a regular file written by libdrill; anything else: none */
static int old_feed_read(old_feed *o, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    drill__ics r;
    drill__ics_open_file(&r, f, path);
    const char *block;
    int line, rc;
    while ((rc = drill__ics_next_event(&r, &block, &line)) == 1) {
        old_event e;
        memset(&e, 0, sizeof e);
        char uid[40] = "", seq[16] = "", hash[20] = "";
        for (const char *p = block; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
            line_value(p, "UID:", uid, sizeof uid);
            line_value(p, "SEQUENCE:", seq, sizeof seq);
            line_value(p, "X-DRILL-HASH:", hash, sizeof hash);
            line_value(p, "LAST-MODIFIED:", e.modified, sizeof e.modified);
            line_value(p, "CREATED:", e.created, sizeof e.created);
        }
        if (strlen(uid) != 36 || hex_uid(e.uid, uid) || !*seq || strlen(hash) != 16 || strlen(e.modified) != 16)
            continue; /* not an event of ours, or from before the digest */
        e.sequence = (uint32_t)strtoul(seq, NULL, 10);
        e.hash = strtoull(hash, NULL, 16);
        if ((rc = old_add(o, &e)))
            break;
    }
    drill__ics_close(&r);
    fclose(f);
    /* a feed that cannot be read is replaced as if new: only ENOMEM stops the export */
    if (rc == DRILL_ENOMEM)
        return rc;
    if (rc < 0)
        drill_error_clear(); /* its complaint is not the export's */
    return 0;
}

/* ---- the events ---- */

/* a fixed namespace for drill UIDs */
static const uuid_t drill_namespace = { 0x6b, 0x1f, 0x3c, 0x2e, 0x9a, 0x47, 0x4d, 0x5e,
                                        0x8f, 0x10, 0x2a, 0x64, 0xc3, 0x55, 0x7e, 0x01 };

/* the UID: a name-based UUID (version 5, RFC 4122) of the drill id, from
 * libuuid, the project's library for UIDs */
static void uid_of(char out[37], const char *drill_id)
{
    static const char hex[] = "0123456789abcdef";
    uuid_t u;
    uuid_generate_sha1(u, (unsigned char *)drill_namespace, drill_id, strlen(drill_id));
    for (int i = 0, k = 0; i < 16; i++) { /* uuid_unparse_lower, without its printf */
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[u[i] >> 4];
        out[k++] = hex[u[i] & 15];
    }
    out[36] = '\0';
}

/* "2026-06-12T01:02:03Z" -> "20260612T010203Z" */
static void utc_basic(char out[17], const char *iso)
{
    if (strlen(iso) < 20) {
        memcpy(out, "19700101T000000Z", 17);
        return;
    }
    static const int from[] = { 0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 14, 15, 17, 18, 19 };
    for (int i = 0; i < 16; i++)
        out[i] = iso[from[i]];
    out[16] = '\0';
}

/* small formatters: the event loop writes millions of these, printf-free */
static char *put_digits(char *o, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + width;
}

/* a scenario as events show it: after the kind in SUMMARY, in DESCRIPTION, as X-DRILL-SCENARIO */
typedef struct scenario_text {
    span summary, description, id;
} scenario_text;

/* what an event takes from its rule, escaped once per feed */
typedef struct rule_text {
    span summary;         /* the kind and the separator before the scenario */
    span kind_form;       /* DESCRIPTION's kind and form */
    span campaign;        /* DESCRIPTION's campaign, or empty */
    span source;          /* DESCRIPTION's legal basis, or empty */
    span id, categories, kind, form, campaign_id;
    int own_scenario;     /* else the unit class's */
    scenario_text scenario;
} rule_text;

/* what an event takes from its unit, escaped once per unit: a unit's drills are consecutive */
typedef struct unit_text {
    size_t index; /* the unit whose text b holds; SIZE_MAX before the first */
    textbuf b;
    span name, description, location, id, district;
    int has_location; /* a LOCATION of control characters and blanks alone would read back empty */
    scenario_text scenario; /* its class's */
} unit_text;

/* a feed being written: the writer and what it writes again and again */
typedef struct feed {
    writer w;
    const drill_plan *plan;
    const old_feed *old;    /* what the last export said, or NULL */
    int en, alarm;
    textbuf b;              /* the options' and the rules' text */
    rule_text *rules;
    unit_text unit;
    span name, tzid, color, organizer, alarm_lines, alarm_text, dtstart, dtend, stamps;
    char created[17];
    /* each day of the plan's year as YYYYMMDD and YYYY-MM-DD: dates were
     * formatted several times an event, always from these few hundred */
    char day8[366][8], day10[366][10];
    int month_start[13]; /* the index of each month's first day in them */
} feed;

/* DESCRIPTION's "label: value\n", nothing for an empty value */
static int field(feed *f, textbuf *b, const char *zh, const char *en, const char *value)
{
    if (!value || !*value)
        return 0;
    const char *label = f->en ? en : zh, *sep = f->en ? ": " : "：";
    if (keep_raw(b, label, strlen(label)) || keep_raw(b, sep, strlen(sep)) || keep_text(b, value) ||
        keep_raw(b, LIT("\\n")))
        return DRILL_ENOMEM;
    return 0;
}

static int scenario_text_of(feed *f, textbuf *b, scenario_text *out, const char *id)
{
    const char *name = drill_scenario_name(id, f->en), *sep = f->en ? "): " : "：";
    size_t at = b->len;
    if (keep_text(b, name) || keep_raw(b, sep, strlen(sep)))
        return DRILL_ENOMEM;
    out->summary = since(b, at);
    at = b->len;
    if (field(f, b, "场景", "Scenario", name))
        return DRILL_ENOMEM;
    out->description = since(b, at);
    return keep_span(b, &out->id, id);
}

static int rule_text_of(feed *f, size_t r)
{
    const drill_plan *p = f->plan;
    const drill_rule *rule = &p->rules->items[r].r;
    rule_text *t = &f->rules[r];
    textbuf *b = &f->b;
    const char *kind = drill_kind_name(rule->kind, f->en), *sep = f->en ? " drill (" : "·", *campaign = "";
    drill_campaign_window cw = DRILL_CAMPAIGN_WINDOW_INIT;
    if (rule->campaign && drill_campaigns_window(&cw, p->campaigns, rule->campaign, p->year, NULL) == 0)
        campaign = f->en && *cw.name_en ? cw.name_en : cw.name;
    size_t at = b->len;
    if (keep_text(b, kind) || keep_raw(b, sep, strlen(sep)))
        return DRILL_ENOMEM;
    t->summary = since(b, at);
    at = b->len;
    if (field(f, b, "类型", "Kind", kind) || field(f, b, "形式", "Form", drill_form_name(rule->form, f->en)))
        return DRILL_ENOMEM;
    t->kind_form = since(b, at);
    at = b->len;
    if (field(f, b, "活动", "Campaign", campaign))
        return DRILL_ENOMEM;
    t->campaign = since(b, at);
    at = b->len;
    if (field(f, b, "依据", "Legal basis", rule->source))
        return DRILL_ENOMEM;
    t->source = since(b, at);
    at = b->len;
    if (rule->campaign && *rule->campaign && (keep_text(b, rule->campaign) || keep_raw(b, LIT(","))))
        return DRILL_ENOMEM;
    if (keep_text(b, drill__kind_id(rule->kind)))
        return DRILL_ENOMEM;
    t->categories = since(b, at);
    if (keep_span(b, &t->id, rule->id) || keep_span(b, &t->kind, drill__kind_id(rule->kind)) ||
        keep_span(b, &t->form, drill__form_id(rule->form)) ||
        keep_span(b, &t->campaign_id, rule->campaign))
        return DRILL_ENOMEM;
    t->own_scenario = rule->scenario != NULL; /* as drill_plan_get(): else the unit class's */
    return t->own_scenario ? scenario_text_of(f, b, &t->scenario, rule->scenario) : 0;
}

/* the unit's text, when the event's unit is not the last one's */
static int unit_text_of(feed *f, const drill_item *it)
{
    unit_text *t = &f->unit;
    if (t->index == it->unit_index)
        return 0;
    const drill_units *units = f->plan->units;
    const unit_rec *u = &units->units[it->unit_index];
    const char *address = units->pool + u->address;
    textbuf *b = &t->b;
    t->index = SIZE_MAX;
    b->len = 0;
    if (field(f, b, "单位", "Unit", it->unit_name) || field(f, b, "区域", "District", it->district))
        return DRILL_ENOMEM;
    t->description = since(b, 0);
    if (keep_span(b, &t->name, it->unit_name) || keep_span(b, &t->location, address) ||
        keep_span(b, &t->id, it->unit_id) || keep_span(b, &t->district, it->district) ||
        scenario_text_of(f, b, &t->scenario, units->classes[u->cls].scenario))
        return DRILL_ENOMEM;
    t->has_location = 0;
    for (const char *a = address; *a && !t->has_location; a++)
        t->has_location = (unsigned char)*a > 0x20 && *a != 0x7f;
    t->index = it->unit_index;
    return 0;
}

/* a date's YYYYMMDD, from the year's table when it can */
static void date8(char out[8], const feed *f, drill_date d)
{
    if (d.year == f->plan->year) {
        memcpy(out, f->day8[f->month_start[d.month] + d.day - 1], 8);
        return;
    }
    put_digits(put_digits(put_digits(out, d.year, 4), d.month, 2), d.day, 2);
}

static void date10(char out[10], const feed *f, drill_date d)
{
    if (d.year == f->plan->year) {
        memcpy(out, f->day10[f->month_start[d.month] + d.day - 1], 10);
        return;
    }
    char *o = put_digits(out, d.year, 4);
    *o++ = '-';
    o = put_digits(o, d.month, 2);
    *o++ = '-';
    put_digits(o, d.day, 2);
}

/* DTSTART or DTEND: prefix (NAME;TZID=zone:) and YYYYMMDDTHHMM00 */
static void zoned_time(feed *f, span prefix, drill_date d, int minute)
{
    char b[15];
    date8(b, f, d);
    b[8] = 'T';
    put_digits(b + 9, minute / 60, 2);
    put_digits(b + 11, minute % 60, 2);
    memcpy(b + 13, "00", 2);
    put(&f->w, &f->b, prefix);
    raw(&f->w, b, sizeof b);
    end_line(&f->w);
}

static void all_day(feed *f, const char *name, size_t name_len, drill_date d)
{
    char b[8];
    date8(b, f, d);
    raw(&f->w, name, name_len);
    raw(&f->w, b, sizeof b);
    end_line(&f->w);
}

/* a line of a name and a value, together well under 75 octets, written whole */
static void short_line(writer *w, const char *name, size_t name_len, const char *value, size_t n)
{
    char b[128];
    memcpy(b, name, name_len);
    memcpy(b + name_len, value, n);
    memcpy(b + name_len + n, "\r\n", 2);
    lines(w, b, name_len + n + 2);
}

static int event(feed *f, size_t index)
{
    writer *w = &f->w;
    const drill_plan *p = f->plan;
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, p, index);
    if (unit_text_of(f, &it))
        return DRILL_ENOMEM;
    const unit_text *u = &f->unit;
    const rule_text *r = &f->rules[it.rule_index];
    const scenario_text *scenario = r->own_scenario ? &r->scenario : &u->scenario;
    const textbuf *sb = r->own_scenario ? &f->b : &u->b;
    char id[2 * DRILL_ID_MAX], buf[64];
    size_t id_n = escape(id, it.id);

    lines(w, LIT("BEGIN:VEVENT\r\n"));
    char uid[37];
    uid_of(uid, it.id);
    short_line(w, LIT("UID:"), uid, 36);
    hash_begin(w); /* what the event says, up to its stamps */
    int timed = it.status != DRILL_STATUS_PLANNED && it.status != DRILL_STATUS_CANCELLED;
    if (it.status == DRILL_STATUS_CANCELLED && it.date.year) /* cancelled on its day: stays there */
        timed = 1;
    if (timed) {
        int start = it.start_minute, end = it.start_minute + it.duration_minutes;
        drill_outcome o = DRILL_OUTCOME_INIT;
        if (it.status >= DRILL_STATUS_HELD && drill_track_outcome(&o, p, it.id) == 0) {
            start = o.start_minute;
            end = o.end_minute;
        }
        zoned_time(f, f->dtstart, it.date, start);
        drill_date end_day = it.date; /* 24:00 and later: the next day's 00:00 and on */
        if (end >= 24 * 60 && drill_date_add_days(&end_day, it.date, end / (24 * 60)) == 0)
            end %= 24 * 60;
        else if (end >= 24 * 60) /* 2200-12-31 has no next day in the date range */
            end = 24 * 60 - 1;
        zoned_time(f, f->dtend, end_day, end);
    } else { /* not on a day yet: the window, all day, the end exclusive */
        drill_date after = { 2201, 1, 1 }; /* the exclusive end of 2200-12-31 lies past the date range */
        drill_date_add_days(&after, it.window_end, 1);
        all_day(f, LIT("DTSTART;VALUE=DATE:"), it.window_start);
        all_day(f, LIT("DTEND;VALUE=DATE:"), after);
    }
    raw(w, LIT("SUMMARY:"));
    put(w, &f->b, r->summary);
    put(w, sb, scenario->summary);
    put(w, &u->b, u->name);
    end_line(w);
    raw(w, LIT("DESCRIPTION:"));
    put(w, &u->b, u->description);
    put(w, &f->b, r->kind_form);
    put(w, sb, scenario->description);
    put(w, &f->b, r->campaign);
    if (f->en)
        raw(w, LIT("Window: "));
    else
        raw(w, LIT("窗口："));
    date10(buf, f, it.window_start); /* YYYY-MM-DD .. YYYY-MM-DD */
    memcpy(buf + 10, " .. ", 4);
    date10(buf + 14, f, it.window_end);
    memcpy(buf + 24, "\\n", 2);
    raw(w, buf, 26);
    put(w, &f->b, r->source);
    if (f->en)
        raw(w, LIT("Drill: "));
    else
        raw(w, LIT("编号："));
    raw(w, id, id_n);
    raw(w, LIT("\\n"));
    end_line(w);
    if (u->has_location)
        prop(w, LIT("LOCATION:"), &u->b, u->location);
    prop(w, LIT("CATEGORIES:"), &f->b, r->categories);
    if (it.status == DRILL_STATUS_CANCELLED)
        lines(w, LIT("STATUS:CANCELLED\r\n"));
    else if (it.status == DRILL_STATUS_PLANNED)
        lines(w, LIT("STATUS:TENTATIVE\r\n"));
    else
        lines(w, LIT("STATUS:CONFIRMED\r\n"));
    put(w, &f->b, f->organizer);
    end_line(w);
    raw(w, LIT("X-DRILL-ID:"));
    raw(w, id, id_n);
    end_line(w);
    prop(w, LIT("X-DRILL-UNIT:"), &u->b, u->id);
    prop(w, LIT("X-DRILL-RULE:"), &f->b, r->id);
    raw(w, LIT("X-DRILL-PERIOD:"));
    raw(w, id, escape(id, it.period)); /* the id is written: its room is free */
    end_line(w);
    prop(w, LIT("X-DRILL-DISTRICT:"), &u->b, u->district);
    prop(w, LIT("X-DRILL-KIND:"), &f->b, r->kind);
    prop(w, LIT("X-DRILL-FORM:"), &f->b, r->form);
    prop(w, LIT("X-DRILL-SCENARIO:"), sb, scenario->id);
    if (*it.campaign)
        prop(w, LIT("X-DRILL-CAMPAIGN:"), &f->b, r->campaign_id);
    date8(buf, f, it.window_start);
    buf[8] = '/';
    date8(buf + 9, f, it.window_end);
    short_line(w, LIT("X-DRILL-WINDOW:"), buf, 17);
    const char *status = drill_status_name(it.status); /* a lowercase word: nothing to escape */
    short_line(w, LIT("X-DRILL-STATUS:"), status, strlen(status));
    short_line(w, LIT("X-DRILL-OBSERVER:"), it.needs_observer ? "1" : "0", 1);
    hash_stop(w);
    int alarm = f->alarm && it.status == DRILL_STATUS_SCHEDULED;
    if (alarm) { /* the alarm comes after the stamps (components follow properties): in the digest now */
        digest_add(&w->hash, f->b.s + f->alarm_lines.at, f->alarm_lines.n);
        digest_add(&w->hash, f->b.s + f->alarm_text.at, f->alarm_text.n);
    }
    uint64_t sum = digest_end(&w->hash);
    /* the stamps: from the last export when the event says what it said then */
    unsigned char key[16];
    const old_event *was = f->old && hex_uid(key, uid) == 0 ? old_find(f->old, key) : NULL;
    const char *changed = p->ntracks ? drill__track_changed(p, it.id) : NULL; /* the last audit entry */
    uint32_t sequence = it.revision;
    if (was && was->hash == sum) {
        sequence = was->sequence;
        short_line(w, LIT("DTSTAMP:"), was->modified, 16);
        short_line(w, LIT("LAST-MODIFIED:"), was->modified, 16);
        short_line(w, LIT("CREATED:"), *was->created ? was->created : f->created, 16);
    } else if (was) {
        sequence = was->sequence + 1 > sequence ? was->sequence + 1 : sequence;
        short_line(w, LIT("DTSTAMP:"), f->old->now, 16);
        short_line(w, LIT("LAST-MODIFIED:"), f->old->now, 16);
        short_line(w, LIT("CREATED:"), *was->created ? was->created : f->created, 16);
    } else if (changed) {
        utc_basic(buf, changed);
        short_line(w, LIT("DTSTAMP:"), buf, 16);
        short_line(w, LIT("LAST-MODIFIED:"), buf, 16);
        short_line(w, LIT("CREATED:"), f->created, 16);
    } else /* unchanged since the plan was made */
        lines(w, f->b.s + f->stamps.at, f->stamps.n);
    int n = 0;
    uint32_t v = sequence;
    do
        buf[15 - n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < 15);
    short_line(w, LIT("SEQUENCE:"), buf + 16 - n, (size_t)n);
    static const char hex[] = "0123456789abcdef";
    for (int k = 0; k < 16; k++)
        buf[k] = hex[(sum >> (60 - 4 * k)) & 15];
    short_line(w, LIT("X-DRILL-HASH:"), buf, 16);
    if (alarm) {
        lines(w, f->b.s + f->alarm_lines.at, f->alarm_lines.n);
        raw(w, LIT("DESCRIPTION:"));
        put(w, &f->b, f->alarm_text);
        put(w, &u->b, u->name);
        end_line(w);
        lines(w, LIT("END:VALARM\r\n"));
    }
    lines(w, LIT("END:VEVENT\r\n"));
    return 0;
}

static int check_feed_options(const drill_feed_options *o)
{
    if (o->version != DRILL_FEED_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_feed_options version %u is not %d", o->version,
                            DRILL_FEED_OPTIONS_VERSION);
    const char *texts[] = { o->name, o->tzid, o->color, o->organizer, o->organizer_name };
    for (size_t i = 0; i < 5; i++)
        if (!drill__utf8_text_ok(texts[i]))
            return drill__error(DRILL_EINVAL, "feed options must be UTF-8");
    if (o->refresh_minutes < 0 || o->alarm_minutes < 0)
        return drill__error(DRILL_EINVAL, "refresh_minutes and alarm_minutes must not be negative");
    if (o->tzid && (!*o->tzid || strpbrk(o->tzid, ":;,\"\r\n")))
        return drill__error(DRILL_EINVAL, "'%s' is not a time zone name", o->tzid);
    if (o->color && strpbrk(o->color, ":;,\"\r\n"))
        return drill__error(DRILL_EINVAL, "'%s' is not a colour name", o->color);
    return 0;
}

/* the text of the options, the rules and the days, once per feed */
static int feed_prepare(feed *f, const drill_feed_options *o, const char *tzid)
{
    const drill_plan *p = f->plan;
    textbuf *b = &f->b;
    f->en = o->english;
    f->alarm = o->alarm_minutes > 0;
    f->unit.index = SIZE_MAX;
    char generated[64], buf[128];
    snprintf(generated, sizeof generated, o->english ? "Emergency drills %d" : "应急演练 %d", p->year);
    if (keep_span(b, &f->name, o->name ? o->name : generated) || /* any length: folded, never cut */
        keep_span(b, &f->tzid, tzid) || keep_span(b, &f->color, o->color) ||
        keep_span(b, &f->alarm_text, o->english ? "Drill: " : "演练："))
        return DRILL_ENOMEM;
    size_t at = b->len;
    if (keep_raw(b, LIT("ORGANIZER")) ||
        (o->organizer_name && (keep_raw(b, LIT(";CN=")) || keep_param(b, o->organizer_name))) ||
        keep_raw(b, LIT(":")) || keep_text(b, o->organizer ? o->organizer : "mailto:drills@localhost"))
        return DRILL_ENOMEM;
    f->organizer = since(b, at);
    at = b->len;
    snprintf(buf, sizeof buf, "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT%dM\r\n", o->alarm_minutes);
    if (keep_raw(b, buf, strlen(buf)))
        return DRILL_ENOMEM;
    f->alarm_lines = since(b, at);
    /* tzid holds no character to escape or quote (check_feed_options) */
    at = b->len;
    if (keep_raw(b, LIT("DTSTART;TZID=")) || keep_raw(b, tzid, strlen(tzid)) || keep_raw(b, LIT(":")))
        return DRILL_ENOMEM;
    f->dtstart = since(b, at);
    at = b->len;
    if (keep_raw(b, LIT("DTEND;TZID=")) || keep_raw(b, tzid, strlen(tzid)) || keep_raw(b, LIT(":")))
        return DRILL_ENOMEM;
    f->dtend = since(b, at);
    /* a drill never changed since the plan was made has the plan's time three times */
    utc_basic(f->created, p->created);
    at = b->len;
    if (keep_raw(b, LIT("DTSTAMP:")) || keep_raw(b, f->created, 16) || keep_raw(b, LIT("\r\nLAST-MODIFIED:")) ||
        keep_raw(b, f->created, 16) || keep_raw(b, LIT("\r\nCREATED:")) || keep_raw(b, f->created, 16) ||
        keep_raw(b, LIT("\r\n")))
        return DRILL_ENOMEM;
    f->stamps = since(b, at);
    if (!(f->rules = calloc(p->rules->count + 1, sizeof *f->rules)))
        return drill__error(DRILL_ENOMEM, "out of memory writing a feed");
    for (size_t r = 0; r < p->rules->count; r++)
        if (rule_text_of(f, r))
            return DRILL_ENOMEM;
    for (int k = 0; k < p->ndays; k++) {
        drill_date d;
        drill__from_serial(p->y0 + k, &d);
        put_digits(put_digits(put_digits(f->day8[k], d.year, 4), d.month, 2), d.day, 2);
        char *o10 = put_digits(f->day10[k], d.year, 4);
        *o10++ = '-';
        o10 = put_digits(o10, d.month, 2);
        *o10++ = '-';
        put_digits(o10, d.day, 2);
        if (d.day == 1)
            f->month_start[d.month] = k;
    }
    return 0;
}

static void feed_free(feed *f)
{
    if (!f)
        return;
    free(f->b.s);
    free(f->unit.b.s);
    free(f->rules);
    free(f);
}

static int feed_write(FILE *out, const drill_plan *plan, const drill_feed_options *opts, const old_feed *old)
{
    drill_feed_options defaults = DRILL_FEED_OPTIONS_INIT;
    const drill_feed_options *o = opts ? opts : &defaults;
    int rc = check_feed_options(o);
    if (rc)
        return rc;
    const char *tzid = o->tzid ? o->tzid : "Asia/Shanghai";
    char *zone = NULL;
    drill_selection *sel = NULL;
    feed *f = NULL;
    if ((rc = zone_text(&zone, tzid, plan->year)))
        return rc;
    if (o->filter && (rc = drill_plan_select(&sel, plan, o->filter)))
        goto done;
    if (!(f = calloc(1, sizeof *f))) {
        rc = drill__error(DRILL_ENOMEM, "out of memory writing a feed");
        goto done;
    }
    f->plan = plan;
    f->old = old;
    if ((rc = feed_prepare(f, o, tzid)))
        goto done;
    writer *w = &f->w;
    w->f = out;
    char buf[320];
    snprintf(buf, sizeof buf, "PRODID:-//libdrill//libdrill %s//%s\r\n", drill_version_string(),
             o->english ? "EN" : "ZH");
    lines(w, LIT("BEGIN:VCALENDAR\r\n"));
    lines(w, buf, strlen(buf));
    lines(w, LIT("VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"));
    prop(w, LIT("NAME:"), &f->b, f->name);
    prop(w, LIT("X-WR-CALNAME:"), &f->b, f->name);
    prop(w, LIT("X-WR-TIMEZONE:"), &f->b, f->tzid);
    int refresh = o->refresh_minutes ? o->refresh_minutes : 720;
    snprintf(buf, sizeof buf, "REFRESH-INTERVAL;VALUE=DURATION:PT%dM\r\nX-PUBLISHED-TTL:PT%dM\r\n", refresh, refresh);
    lines(w, buf, strlen(buf));
    if (o->color)
        prop(w, LIT("COLOR:"), &f->b, f->color);
    /* the zone as libical wrote it, unfolded again and refolded here */
    for (char *line = zone, *next; line && *line; line = next) {
        next = strstr(line, "\r\n");
        size_t n = next ? (size_t)(next - line) : strlen(line);
        if (line[0] == ' ' && w->open) /* a continuation of the previous line */
            raw(w, line + 1, n - 1);
        else {
            end_line(w);
            raw(w, line, n);
        }
        next = next ? next + 2 : NULL;
    }
    end_line(w);
    size_t n = sel ? drill_selection_count(sel) : plan->count;
    for (size_t k = 0; k < n && !w->failed && rc == 0; k++) {
        size_t i = k;
        if (sel)
            drill_selection_index(&i, sel, k);
        rc = event(f, i);
    }
    if (rc)
        goto done;
    lines(w, LIT("END:VCALENDAR\r\n"));
    flush_out(w);
    if (w->failed || ferror(out))
        rc = drill__error(DRILL_EIO, "cannot write the feed: %s", strerror(errno));
done:
    feed_free(f);
    free(zone);
    drill_selection_free(sel);
    return rc;
}
int drill_feed_write(FILE *out, const drill_plan *plan, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL__VERSIONED(opts, drill_feed_options, DRILL_FEED_OPTIONS_INIT);
    return feed_write(out, plan, opts, NULL);
}

/* ---- files ---- */

/* do two files hold the same bytes? */
typedef struct feed_file {
    const drill_plan *plan;
    const drill_feed_options *opts;
    const old_feed *old;
} feed_file;

static int write_feed_file(FILE *f, const void *arg)
{
    const feed_file *ff = arg;
    return feed_write(f, ff->plan, ff->opts, ff->old);
}

/* clean: look for stale temporaries of path (a set looks once for all its files) */
static int feed_write_file(int *out_written, const drill_plan *plan, const char *path, const drill_feed_options *opts,
                           int clean)
{
    old_feed old;
    memset(&old, 0, sizeof old);
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || strftime(old.now, sizeof old.now, "%Y%m%dT%H%M%SZ", &tm) != 16)
        memcpy(old.now, "19700101T000000Z", 17);
    int rc = old_feed_read(&old, path);
    if (rc) {
        old_free(&old); /* what was read before memory ran out */
        return rc;
    }
    feed_file ff = { plan, opts, &old };
    int written = 0;
    /* unchanged: left alone, so subscribers' caches stay valid */
    rc = (clean ? drill__write_atomic : drill__write_atomic_noclean)(&written, path, write_feed_file, &ff);
    old_free(&old);
    if (rc == 0 && out_written)
        *out_written = written;
    return rc;
}

int drill_feed_write_file(int *out_written, const drill_plan *plan, const char *path, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(path);
    DRILL__VERSIONED(opts, drill_feed_options, DRILL_FEED_OPTIONS_INIT);
    return feed_write_file(out_written, plan, path, opts, 1);
}

/* ---- feed sets ----
 *
 * A group's file name (documented in feed.h): ASCII letters, digits, '-',
 * '.' (not first) and UTF-8 characters stay; '/' becomes '_'; every other
 * byte, '_' and '~' included, becomes "~XX" (two upper-case hex digits). The
 * names the set uses itself ("all", and "none" when split by campaign) are
 * written with their first letter escaped. Every id thus has its own name,
 * and the id can be read back from it. */

static size_t group_file_name(char *out, size_t n, const char *group, int reserved)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t k = 0;
    for (const char *s = group; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int keep = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || (c == '.' && s != group);
        if (reserved && s == group)
            keep = 0;
        if (c == '/') {
            if (k + 1 < n)
                out[k] = '_';
            k++;
        } else if (keep) {
            if (k + 1 < n)
                out[k] = (char)c;
            k++;
        } else {
            if (k + 3 < n) {
                out[k] = '~';
                out[k + 1] = hex[c >> 4];
                out[k + 2] = hex[c & 15];
            }
            k += 3;
        }
    }
    if (k + 4 < n)
        memcpy(out + k, ".ics", 5);
    else if (n)
        out[0] = '\0';
    return k + 4; /* the whole name's length, whether it fitted or not */
}

/* the next code point of a NUL-terminated name at *i, case folded: Unicode
 * simple case folding (CaseFolding.txt's C and S mappings) by ICU's
 * u_foldCase() with U_FOLD_CASE_DEFAULT, the same for every locale (no
 * Turkic dotted I); 0 at the end; a byte of invalid UTF-8 stands for itself,
 * above every code point */
static int32_t folded_next(const char *s, int32_t *i)
{
    if (!s[*i])
        return 0;
    UChar32 c;
    int32_t start = *i;
    U8_NEXT(s, *i, -1, c);
    if (c < 0) {
        *i = start + 1;
        return 0x110000 + (unsigned char)s[start];
    }
    return u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

/* case-folded compare, for names that would share a file on a
 * case-insensitive file system (macOS, Windows shares): "Ä.ics" and
 * "ä.ics", "Σ.ics" and "σ.ics" are the same file there */
static int name_cmp(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    for (int32_t i = 0, j = 0;;) {
        int32_t c = folded_next(x, &i), d = folded_next(y, &j);
        if (c != d || !c)
            return c < d ? -1 : c > d;
    }
}

#define MANIFEST ".drill-feeds"

typedef struct group_feed {
    const char *group, *label;
    char *file;
    drill_filter filter;
    int excluded; /* the caller's filter asks for another group */
} group_feed;

static int write_manifest(FILE *f, const void *arg)
{
    const group_feed *g = arg;
    fputs("# the feed files libdrill wrote here; the next export removes those it no longer writes\n", f);
    fputs("all.ics\n", f);
    for (; g->group; g++)
        if (g->file)
            fprintf(f, "%s\n", g->file);
    return ferror(f) ? drill__error(DRILL_EIO, "cannot write the feed manifest") : 0;
}

/* the files of the last export's manifest that this one did not write: removed */
static size_t remove_stale_feeds(const char *dir, const group_feed *groups)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/" MANIFEST, dir);
    char *text;
    size_t len, removed = 0;
    if (drill__read_file(&text, &len, path))
        return 0; /* no earlier export */
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (char *line = text, *next; dirfd >= 0 && line < text + len; line = next) {
        next = strchr(line, '\n');
        next = next ? (*next = '\0', next + 1) : text + len;
        size_t n = strlen(line);
        /* only names this code writes: no folder, not hidden, .ics */
        if (n < 5 || line[0] == '.' || line[0] == '#' || strchr(line, '/') || strcmp(line + n - 4, ".ics") != 0 ||
            strcmp(line, "all.ics") == 0)
            continue;
        int current = 0;
        for (const group_feed *g = groups; g->group && !current; g++)
            current = g->file && strcmp(g->file, line) == 0;
        struct stat st;
        if (!current && fstatat(dirfd, line, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            unlinkat(dirfd, line, 0) == 0)
            removed++;
    }
    if (dirfd >= 0)
        close(dirfd);
    free(text);
    return removed;
}

int drill_feed_write_set(drill_feed_set_stats *out_stats, const drill_plan *plan, const char *dir,
                         drill_feed_split split, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(dir);
    DRILL__VERSIONED(opts, drill_feed_options, DRILL_FEED_OPTIONS_INIT);
    int vrc = drill__out_check(out_stats, &drill__abi_drill_feed_set_stats);
    if (vrc)
        return vrc;
    if ((unsigned)split > DRILL_SPLIT_CAMPAIGN)
        return drill__error(DRILL_EINVAL, "unknown split %d", (int)split);
    drill_feed_options defaults = DRILL_FEED_OPTIONS_INIT;
    drill_feed_options o = opts ? *opts : defaults;
    int rc = check_feed_options(&o);
    if (rc)
        return rc;
    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    if (strlen(dir) + sizeof "/" MANIFEST >= 4096)
        return drill__error(DRILL_ERANGE, "the folder name '%.*s...' is too long", DRILL__CUT(dir, 40));
    const drill_units *u = plan->units;
    size_t ncampaigns = drill_campaigns_count(plan->campaigns);
    size_t ngroups = split == DRILL_SPLIT_DISTRICT ? u->ndistricts
                     : split == DRILL_SPLIT_UNIT    ? u->count
                                                    : ncampaigns + 1;
    group_feed *groups = calloc(ngroups + 1, sizeof *groups);
    char **sorted = calloc(ngroups + 1, sizeof *sorted);
    char path[4096];
    size_t nfiles = 0;
    if (!groups || !sorted) {
        rc = drill__error(DRILL_ENOMEM, "out of memory writing feeds");
        goto done;
    }
    /* every group's file name first: a name that cannot be written stops the export before any file is */
    for (size_t g = 0; g < ngroups; g++) {
        group_feed *gf = &groups[g];
        drill_filter *f = &gf->filter;
        *f = o.filter ? *o.filter : (drill_filter)DRILL_FILTER_INIT;
        drill_campaign_def def = DRILL_CAMPAIGN_DEF_INIT;
        size_t years;
        int reserved;
        const char **field, *value; /* the filter's field the split sets: the caller's value, if any, must agree */
        if (split == DRILL_SPLIT_DISTRICT) {
            value = gf->group = u->pool + u->districts[g];
            field = &f->district;
        } else if (split == DRILL_SPLIT_UNIT) {
            value = gf->group = u->pool + u->units[g].id;
            field = &f->unit_id;
        } else if (g < ncampaigns && drill__campaigns_def(plan->campaigns, g, &def, &years) == 0) {
            value = gf->group = def.id;
            gf->label = o.english && def.name_en ? def.name_en : def.name;
            field = &f->campaign;
        } else {
            gf->group = "none";
            value = ""; /* drills without a campaign */
            field = &f->campaign;
        }
        gf->excluded = *field && strcmp(*field, value) != 0;
        *field = value;
        reserved = strcmp(gf->group, "all") == 0 || (split == DRILL_SPLIT_CAMPAIGN && g < ncampaigns &&
                                                     strcmp(gf->group, "none") == 0);
        size_t need = group_file_name(NULL, 0, gf->group, reserved);
        if (need > DRILL__FILE_NAME_MAX || strlen(dir) + 1 + need >= sizeof path) {
            rc = drill__error(DRILL_ERANGE, "the feed of '%s' would need a file name of %zu bytes; at most %d fit",
                              gf->group, need, strlen(dir) + 1 + need >= sizeof path ? 0 : DRILL__FILE_NAME_MAX);
            goto done;
        }
        if (!(gf->file = malloc(need + 1))) {
            rc = drill__error(DRILL_ENOMEM, "out of memory writing feeds");
            goto done;
        }
        group_file_name(gf->file, need + 1, gf->group, reserved);
        sorted[nfiles++] = gf->file;
    }
    sorted[nfiles++] = "all.ics";
    qsort(sorted, nfiles, sizeof *sorted, name_cmp);
    for (size_t k = 1; k < nfiles; k++)
        if (name_cmp(&sorted[k - 1], &sorted[k]) == 0) {
            rc = drill__error(DRILL_EEXISTS,
                              "the feeds '%s' and '%s' would share one file where case is not told apart: "
                              "rename one group",
                              sorted[k - 1], sorted[k]);
            goto done;
        }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        rc = drill__error(DRILL_EIO, "cannot make %s: %s", dir, strerror(errno));
        goto done;
    }
    int written = 0;
    drill__remove_stale_temporaries(dir); /* once for every file of the set */
    /* the city feed */
    snprintf(path, sizeof path, "%s/all.ics", dir);
    if ((rc = feed_write_file(&written, plan, path, &o, 0)))
        goto done;
    st.feeds++;
    st.written += written;
    st.unchanged += !written;
    if (o.filter) {
        drill_selection *all;
        if ((rc = drill_plan_select(&all, plan, o.filter)))
            goto done;
        st.events = drill_selection_count(all);
        drill_selection_free(all);
    } else
        st.events = plan->count;
    /* one per group with drills */
    for (size_t g = 0; g < ngroups; g++) {
        group_feed *gf = &groups[g];
        drill_selection *sel;
        size_t count = 0;
        if (!gf->excluded) {
            if ((rc = drill_plan_select(&sel, plan, &gf->filter)))
                goto done;
            count = drill_selection_count(sel);
            drill_selection_free(sel);
        }
        if (!count) { /* not written: an old file of it is removed with the stale ones */
            free(gf->file);
            gf->file = NULL;
            continue;
        }
        drill_feed_options go = o;
        char title[1280]; /* a district path is at most 511 bytes: never cut */
        drill__format(title, sizeof title, "%s %d: %s", o.english ? "Emergency drills" : "应急演练", plan->year,
                      gf->label ? gf->label : gf->group);
        go.name = o.name ? o.name : title;
        go.filter = &gf->filter;
        snprintf(path, sizeof path, "%s/%s", dir, gf->file);
        if ((rc = feed_write_file(&written, plan, path, &go, 0)))
            goto done;
        st.feeds++;
        st.written += written;
        st.unchanged += !written;
    }
    /* the groups that are gone: the last manifest names their files */
    st.removed = remove_stale_feeds(dir, groups);
    snprintf(path, sizeof path, "%s/" MANIFEST, dir);
    if ((rc = drill__write_atomic_noclean(NULL, path, write_manifest, groups)))
        goto done;
done:
    for (size_t g = 0; groups && g < ngroups; g++)
        free(groups[g].file);
    free(groups);
    free(sorted);
    if (rc == 0)
        rc = drill__out_fill(out_stats, &st, &drill__abi_drill_feed_set_stats);
    return rc;
}
