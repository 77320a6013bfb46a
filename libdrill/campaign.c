/* Campaign definitions and their windows for a year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "vec.h"

typedef struct year_window {
    int year, start, end; /* serials */
} year_window;

typedef struct campaign {
    drill_campaign_def def; /* strings owned */
    size_t base;            /* OFFSET: index of the base campaign */
    year_window *years;
    size_t nyears, years_cap;
} campaign;

struct drill_campaigns {
    campaign *items;
    size_t count, cap;
};

int drill_campaigns_new(drill_campaigns **out)
{
    DRILL_CHECK_NULL(out);
    *out = calloc(1, sizeof **out);
    return *out ? 0 : drill__error(DRILL_ENOMEM, "out of memory creating a campaign set");
}

static void campaign_clear(campaign *c)
{
    free((char *)c->def.id);
    free((char *)c->def.name);
    free((char *)c->def.name_en);
    free((char *)c->def.source);
    free((char *)c->def.base);
    free(c->years);
}

void drill_campaigns_free(drill_campaigns *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        campaign_clear(&set->items[i]);
    free(set->items);
    free(set);
}

static int find(const drill_campaigns *set, const char *id, size_t *out)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i].def.id, id) == 0) {
            *out = i;
            return 0;
        }
    return drill__error(DRILL_ENOTFOUND, "no campaign '%s'", id);
}

static int bad(const drill_campaign_def *d, const char *field, int value)
{
    return drill__error(DRILL_EINVAL, "campaign '%s': %s %d is out of range", d->id, field, value);
}

/* month and day that exist in some year (February 29 included) */
static int check_month_day(const drill_campaign_def *d, int month, int day, const char *mname, const char *dname)
{
    if (month < 1 || month > 12)
        return bad(d, mname, month);
    if (day < 1 || day > drill__days_in_month(2000, month))
        return bad(d, dname, day);
    return 0;
}

static int check_def(const drill_campaigns *set, const drill_campaign_def *d, size_t *base)
{
    int rc;
    switch (d->rule) {
    case DRILL_CAMPAIGN_FIXED:
        if ((rc = check_month_day(d, d->month, d->day, "month", "day")))
            return rc;
        if (d->align_weekday < 0 || d->align_weekday > 7)
            return bad(d, "align_weekday", d->align_weekday);
        break;
    case DRILL_CAMPAIGN_RANGE:
        if ((rc = check_month_day(d, d->month, d->day, "month", "day")) ||
            (rc = check_month_day(d, d->end_month, d->end_day, "end_month", "end_day")))
            return rc;
        if (d->end_month * 100 + d->end_day < d->month * 100 + d->day)
            return drill__error(DRILL_EINVAL, "campaign '%s': the range ends (%02d-%02d) before it starts (%02d-%02d)",
                                d->id, d->end_month, d->end_day, d->month, d->day);
        break;
    case DRILL_CAMPAIGN_NTH_WEEKDAY:
        if (d->month < 1 || d->month > 12)
            return bad(d, "month", d->month);
        if (!(d->nth == -1 || (d->nth >= 1 && d->nth <= 5)))
            return bad(d, "nth", d->nth);
        if (d->weekday < DRILL_MONDAY || d->weekday > DRILL_SUNDAY)
            return bad(d, "weekday", d->weekday);
        break;
    case DRILL_CAMPAIGN_OFFSET:
        if (!d->base)
            return drill__error(DRILL_EINVAL, "campaign '%s': an offset campaign needs a base", d->id);
        if ((rc = find(set, d->base, base)))
            return rc;
        if (d->start_offset < -366 || d->start_offset > 366)
            return bad(d, "start_offset", d->start_offset);
        if (d->end_offset < d->start_offset || d->end_offset > 366)
            return bad(d, "end_offset", d->end_offset);
        break;
    default:
        return drill__error(DRILL_EINVAL, "campaign '%s': unknown rule %d", d->id, (int)d->rule);
    }
    if (d->length_days < 0 || d->length_days > 366)
        return bad(d, "length_days", d->length_days);
    if (d->first_year && (d->first_year < DRILL_DATE_MIN_YEAR || d->first_year > DRILL_DATE_MAX_YEAR))
        return bad(d, "first_year", d->first_year);
    if (d->last_year && (d->last_year < DRILL_DATE_MIN_YEAR || d->last_year > DRILL_DATE_MAX_YEAR ||
                         d->last_year < d->first_year))
        return bad(d, "last_year", d->last_year);
    return 0;
}

static char *dup_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *p = drill__strdup(s);
    if (!p)
        *failed = 1;
    return p;
}

int drill_campaigns_add(drill_campaigns *set, const drill_campaign_def *def)
{
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(def);
    DRILL__VERSIONED(def, drill_campaign_def, DRILL_CAMPAIGN_DEF_INIT);
    if (def->version != DRILL_CAMPAIGN_DEF_VERSION)
        return drill__error(DRILL_EVERSION, "drill_campaign_def version %u is not %d", def->version,
                            DRILL_CAMPAIGN_DEF_VERSION);
    if (!def->id || !drill__id_valid(def->id, 63))
        return drill__error(DRILL_EINVAL, "campaign id '%s' is not 1-63 of [A-Za-z0-9._-]",
                            def->id ? def->id : "(null)");
    if (!def->name || !*def->name || !drill__utf8_valid(def->name, strlen(def->name)))
        return drill__error(DRILL_EINVAL, "campaign '%s' needs a UTF-8 name", def->id);
    if (!drill__utf8_text_ok(def->name_en) || !drill__utf8_text_ok(def->source))
        return drill__error(DRILL_EINVAL, "campaign '%s': names and source must be UTF-8", def->id);
    size_t existing = 0, base = 0;
    if (find(set, def->id, &existing) == 0)
        return drill__error(DRILL_EEXISTS, "campaign '%s' exists already", def->id);
    int rc = check_def(set, def, &base);
    if (rc)
        return rc;
    if (DRILL__VEC_RESERVE(set->items, set->cap, set->count + 1))
        return drill__error(DRILL_ENOMEM, "out of memory adding campaign '%s'", def->id);
    campaign c = { *def, base, NULL, 0, 0 };
    int failed = 0;
    c.def.id = dup_or_null(def->id, &failed);
    c.def.name = dup_or_null(def->name, &failed);
    c.def.name_en = dup_or_null(def->name_en, &failed);
    c.def.source = dup_or_null(def->source, &failed);
    c.def.base = dup_or_null(def->rule == DRILL_CAMPAIGN_OFFSET ? def->base : NULL, &failed);
    if (c.def.length_days == 0)
        c.def.length_days = 1;
    if (failed) {
        campaign_clear(&c);
        return drill__error(DRILL_ENOMEM, "out of memory adding campaign '%s'", def->id);
    }
    set->items[set->count++] = c;
    return 0;
}

int drill_campaigns_update(drill_campaigns *set, const drill_campaign_def *def)
{
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(def);
    if (def->version != DRILL_CAMPAIGN_DEF_VERSION)
        return drill__error(DRILL_EVERSION, "drill_campaign_def version %u is not %d", def->version,
                            DRILL_CAMPAIGN_DEF_VERSION);
    if (!def->id)
        return drill__error(DRILL_EINVAL, "campaign id must not be NULL");
    size_t i = 0;
    int rc = find(set, def->id, &i);
    if (rc)
        return rc;
    /* checked and copied as drill_campaigns_add() would, into a set of the
     * campaigns before it, so that an offset's base is one of those */
    drill_campaigns before = { set->items, i, i };
    if (def->rule == DRILL_CAMPAIGN_OFFSET && def->base && strcmp(def->base, def->id) == 0)
        return drill__error(DRILL_EINVAL, "campaign '%s' cannot be offset from itself", def->id);
    drill_campaigns *tmp = NULL;
    if ((rc = drill_campaigns_new(&tmp)))
        return rc;
    tmp->items = NULL;
    size_t base = 0;
    if (def->rule == DRILL_CAMPAIGN_OFFSET && def->base && find(&before, def->base, &base)) {
        drill_campaigns_free(tmp);
        return drill__error(DRILL_ENOTFOUND, "campaign '%s': its base '%s' must come before it in the set",
                            def->id, def->base);
    }
    /* a lone copy of the base, so that drill_campaigns_add() checks the def against it */
    if (def->rule == DRILL_CAMPAIGN_OFFSET && def->base) {
        drill_campaign_def b = set->items[base].def;
        b.rule = DRILL_CAMPAIGN_FIXED;
        b.month = b.day = 1;
        b.base = NULL;
        if ((rc = drill_campaigns_add(tmp, &b))) {
            drill_campaigns_free(tmp);
            return rc;
        }
    }
    if ((rc = drill_campaigns_add(tmp, def))) {
        drill_campaigns_free(tmp);
        return rc;
    }
    campaign *c = &tmp->items[tmp->count - 1], *old = &set->items[i];
    c->base = base;
    /* keep the per-year data */
    year_window *years = old->years;
    size_t nyears = old->nyears, cap = old->years_cap;
    old->years = NULL;
    campaign_clear(old);
    *old = *c;
    old->years = years;
    old->nyears = nyears;
    old->years_cap = cap;
    tmp->count--;
    drill_campaigns_free(tmp);
    return 0;
}

int drill_campaigns_remove(drill_campaigns *set, const char *id)
{
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(id);
    size_t i = 0;
    int rc = find(set, id, &i);
    if (rc)
        return rc;
    for (size_t j = 0; j < set->count; j++)
        if (set->items[j].def.rule == DRILL_CAMPAIGN_OFFSET && set->items[j].base == i)
            return drill__error(DRILL_ESTATE, "campaign '%s' is the base of '%s': remove that first", id,
                                set->items[j].def.id);
    campaign_clear(&set->items[i]);
    memmove(&set->items[i], &set->items[i + 1], (set->count - i - 1) * sizeof *set->items);
    set->count--;
    for (size_t j = 0; j < set->count; j++)
        if (set->items[j].def.rule == DRILL_CAMPAIGN_OFFSET && set->items[j].base > i)
            set->items[j].base--;
    return 0;
}

int drill_campaigns_set_year(drill_campaigns *set, const char *id, drill_date start, drill_date end)
{
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(id);
    size_t i = 0;
    int a, b, rc;
    if ((rc = drill_date_to_serial(&a, start)) || (rc = drill_date_to_serial(&b, end)))
        return rc;
    if ((rc = find(set, id, &i)))
        return rc;
    if (b < a)
        return drill__error(DRILL_EINVAL, "campaign '%s': the window ends before it starts", id);
    if (b - a >= 366)
        return drill__error(DRILL_EINVAL, "campaign '%s': a window is at most 366 days", id);
    campaign *c = &set->items[i];
    for (size_t k = 0; k < c->nyears; k++)
        if (c->years[k].year == start.year) {
            c->years[k].start = a;
            c->years[k].end = b;
            return 0;
        }
    if (DRILL__VEC_RESERVE(c->years, c->years_cap, c->nyears + 1))
        return drill__error(DRILL_ENOMEM, "out of memory setting a campaign year");
    c->years[c->nyears++] = (year_window){ start.year, a, b };
    return 0;
}

int drill_campaigns_get(drill_campaign_def *out, size_t *out_years, const drill_campaigns *set, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(set);
    int rc = drill__out_check(out, &drill__abi_drill_campaign_def);
    if (rc)
        return rc;
    if (index >= set->count)
        return drill__error(DRILL_ENOTFOUND, "no campaign at index %zu (the set has %zu)", index, set->count);
    if (out_years)
        *out_years = set->items[index].nyears;
    return drill__out_fill(out, &set->items[index].def, &drill__abi_drill_campaign_def);
}

int drill_campaigns_find(size_t *out, const drill_campaigns *set, const char *id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(id);
    return find(set, id, out);
}

size_t drill_campaigns_count(const drill_campaigns *set)
{
    return set ? set->count : 0;
}

static int not_in_year(const campaign *c, int year)
{
    return drill__error(DRILL_ENOTFOUND, "campaign '%s' does not occur in %d", c->def.id, year);
}

/* the window of campaign i in year as serials */
static int resolve(const drill_campaigns *set, size_t i, int year, int *start, int *end, drill_window_origin *origin)
{
    const campaign *c = &set->items[i];
    const drill_campaign_def *d = &c->def;
    if (year < DRILL_DATE_MIN_YEAR || year > DRILL_DATE_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", year, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR);
    if ((d->first_year && year < d->first_year) || (d->last_year && year > d->last_year))
        return not_in_year(c, year);
    for (size_t k = 0; k < c->nyears; k++)
        if (c->years[k].year == year) {
            *start = c->years[k].start;
            *end = c->years[k].end;
            *origin = DRILL_WINDOW_DATA;
            return 0;
        }
    *origin = d->estimated_without_data ? DRILL_WINDOW_ESTIMATED : DRILL_WINDOW_RULE;
    long s, e;
    switch (d->rule) {
    case DRILL_CAMPAIGN_FIXED:
        if (d->day > drill__days_in_month(year, d->month))
            return not_in_year(c, year);
        s = drill__serial(year, d->month, d->day);
        if (d->align_weekday)
            s -= (drill__weekday((int)s) - d->align_weekday + 7) % 7;
        e = s + d->length_days - 1;
        break;
    case DRILL_CAMPAIGN_RANGE: {
        int dim = drill__days_in_month(year, d->month), edim = drill__days_in_month(year, d->end_month);
        s = drill__serial(year, d->month, d->day < dim ? d->day : dim);
        e = drill__serial(year, d->end_month, d->end_day < edim ? d->end_day : edim);
        break;
    }
    case DRILL_CAMPAIGN_NTH_WEEKDAY: {
        int dim = drill__days_in_month(year, d->month);
        if (d->nth > 0) {
            int first = drill__serial(year, d->month, 1);
            s = first + (d->weekday - drill__weekday(first) + 7) % 7 + 7L * (d->nth - 1);
            if (s > first + dim - 1)
                return not_in_year(c, year);
        } else {
            int last = drill__serial(year, d->month, dim);
            s = last - (drill__weekday(last) - d->weekday + 7) % 7;
        }
        e = s + d->length_days - 1;
        break;
    }
    default: { /* DRILL_CAMPAIGN_OFFSET: the base was added before, so this recursion ends */
        int bs, be, rc = resolve(set, c->base, year, &bs, &be, origin);
        if (rc)
            return rc == DRILL_ENOTFOUND ? not_in_year(c, year) : rc;
        s = bs + d->start_offset;
        e = bs + d->end_offset;
        if (*origin == DRILL_WINDOW_DATA)
            *origin = DRILL_WINDOW_RULE;
        break;
    }
    }
    if (s < 0 || e > DRILL__SERIAL_MAX)
        return drill__error(DRILL_ERANGE, "campaign '%s' in %d falls outside 1900-2200", d->id, year);
    *start = (int)s;
    *end = (int)e;
    return 0;
}

int drill_campaigns_window_at(drill_campaign_window *out_caller, const drill_campaigns *set, size_t index, int year,
                              const drill_calendar *cal)
{
    DRILL__OUT_BEGIN(out, drill_campaign_window);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(set);
    if (index >= set->count)
        return drill__error(DRILL_ENOTFOUND, "no campaign at index %zu (the set has %zu)", index, set->count);
    int s, e, rc;
    drill_window_origin origin;
    if ((rc = resolve(set, index, year, &s, &e, &origin)))
        return rc;
    const drill_campaign_def *d = &set->items[index].def;
    out->id = d->id;
    out->name = d->name;
    out->name_en = d->name_en ? d->name_en : "";
    out->source = d->source ? d->source : "";
    out->year = year;
    drill__from_serial(s, &out->start);
    drill__from_serial(e, &out->end);
    out->origin = origin;
    out->days = e - s + 1;
    out->working_days = out->holidays = out->covered = -1;
    if (cal) {
        out->working_days = out->holidays = 0;
        out->covered = 1;
        for (int k = s; k <= e; k++) {
            int covered;
            drill_day_kind kind = drill__calendar_kind(cal, k, &covered);
            out->working_days += kind == DRILL_DAY_WORKDAY || kind == DRILL_DAY_MAKEUP_WORKDAY;
            out->holidays += kind == DRILL_DAY_HOLIDAY;
            out->covered &= covered;
        }
    }
    return DRILL__OUT_END(out, drill_campaign_window);
}

int drill_campaigns_window(drill_campaign_window *out, const drill_campaigns *set, const char *id, int year,
                           const drill_calendar *cal)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(set);
    DRILL_CHECK_NULL(id);
    size_t i = 0;
    int rc = find(set, id, &i);
    return rc ? rc : drill_campaigns_window_at(out, set, i, year, cal);
}

/* ---- the built-in campaigns ---- */

/* National Disaster Prevention and Reduction Day publicity weeks as announced */
static const struct { int year, month, day, end_day; } disaster_weeks[] = {
    { 2020, 5, 9, 15 }, { 2021, 5, 8, 14 }, { 2022, 5, 7, 13 }, { 2023, 5, 6, 12 }, { 2024, 5, 11, 17 },
    { 2025, 5, 12, 18 },
};

int drill_campaigns_new_builtin(drill_campaigns **out, const drill_region_options *region)
{
    DRILL_CHECK_NULL(out);
    DRILL__VERSIONED(region, drill_region_options, DRILL_REGION_OPTIONS_INIT);
    drill_region_options dalian = DRILL_REGION_OPTIONS_INIT;
    const drill_region_options *r = region ? region : &dalian;
    if (r->version != DRILL_REGION_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_region_options version %u is not %d", r->version,
                            DRILL_REGION_OPTIONS_VERSION);
    if (r->flood_lead_days < 1 || r->flood_lead_days > 366)
        return drill__error(DRILL_EINVAL, "flood_lead_days %d is not 1-366", r->flood_lead_days);

    const unsigned int v = DRILL_CAMPAIGN_DEF_VERSION;
    const drill_campaign_def defs[] = {
        { .version = v, .id = "work-safety-month", .name = "安全生产月", .name_en = "Work Safety Month",
          .source = "国务院安全生产委员会等 (State Council Work Safety Committee and others): every June since 2002; "
                    "before it a safety month in May 1980-1984 and a safety week 1991-2001",
          .rule = DRILL_CAMPAIGN_RANGE, .month = 6, .day = 1, .end_month = 6, .end_day = 30, .first_year = 2002 },
        { .version = v, .id = "disaster-reduction-day", .name = "全国防灾减灾日",
          .name_en = "National Disaster Prevention and Reduction Day",
          .source = "经国务院批准 (approved by the State Council, March 2009): May 12 every year since 2009",
          .rule = DRILL_CAMPAIGN_FIXED, .month = 5, .day = 12, .first_year = 2009 },
        { .version = v, .id = "disaster-reduction-week", .name = "防灾减灾宣传周",
          .name_en = "Disaster Prevention and Reduction publicity week",
          .source = "国家减灾委员会办公室 / 应急管理部 announce the week yearly: 2020 May 9-15, 2021 May 8-14, "
                    "2022 May 7-13, 2023 May 6-12, 2024 May 11-17, 2025 May 12-18; other years estimated",
          .rule = DRILL_CAMPAIGN_FIXED, .month = 5, .day = 12, .length_days = 7,
          .align_weekday = DRILL_SATURDAY, .first_year = 2009, .estimated_without_data = 1 },
        { .version = v, .id = "iddrr", .name = "国际减灾日", .name_en = "International Day for Disaster Risk Reduction",
          .source = "UN General Assembly resolution 44/236 (1989): the second Wednesday of October, 1990-2009; "
                    "resolution 64/200 (21 December 2009): October 13 from 2010",
          .rule = DRILL_CAMPAIGN_FIXED, .month = 10, .day = 13, .first_year = 1990 },
        { .version = v, .id = "main-flood-season", .name = "主汛期", .name_en = "Main flood season",
          .source = "regional configuration (Dalian default: Liaoning's average, July 23 - August 11)",
          .rule = DRILL_CAMPAIGN_RANGE, .month = r->flood_month, .day = r->flood_day,
          .end_month = r->flood_end_month, .end_day = r->flood_end_day },
        { .version = v, .id = "pre-flood-season", .name = "主汛期前", .name_en = "Before the main flood season",
          .source = "regional configuration: the lead days before the main flood season",
          .rule = DRILL_CAMPAIGN_OFFSET, .base = "main-flood-season", .start_offset = -r->flood_lead_days,
          .end_offset = -1 },
        { .version = v, .id = "fire-safety-day", .name = "全国消防日", .name_en = "China Fire Safety Day (119)",
          .source = "公安部 (Ministry of Public Security): November 9 (119) since 1992",
          .rule = DRILL_CAMPAIGN_FIXED, .month = 11, .day = 9, .first_year = 1992 },
        { .version = v, .id = "fire-month", .name = "消防宣传月", .name_en = "November fire-publicity month",
          .source = "消防宣传月: November, around China Fire Safety Day",
          .rule = DRILL_CAMPAIGN_RANGE, .month = 11, .day = 1, .end_month = 11, .end_day = 30 },
    };

    drill_campaigns *set = NULL;
    int rc = drill_campaigns_new(&set);
    for (size_t i = 0; rc == 0 && i < sizeof defs / sizeof *defs; i++)
        rc = drill_campaigns_add(set, &defs[i]);
    for (size_t i = 0; rc == 0 && i < sizeof disaster_weeks / sizeof *disaster_weeks; i++) {
        drill_date s = { disaster_weeks[i].year, disaster_weeks[i].month, disaster_weeks[i].day };
        drill_date e = { disaster_weeks[i].year, disaster_weeks[i].month, disaster_weeks[i].end_day };
        rc = drill_campaigns_set_year(set, "disaster-reduction-week", s, e);
    }
    /* until UNGA 64/200 fixed it to October 13 from 2010, the day was the second
     * Wednesday of October (UNGA 44/236): 2009's fell on October 14 */
    for (int y = 1990; rc == 0 && y <= 2009; y++) {
        int first = drill__serial(y, 10, 1);
        drill_date d;
        drill__from_serial(first + (DRILL_WEDNESDAY - drill__weekday(first) + 7) % 7 + 7, &d);
        rc = drill_campaigns_set_year(set, "iddrr", d, d);
    }
    if (rc) {
        drill_campaigns_free(set);
        if (rc == DRILL_ENOMEM)
            return rc;
        return drill__error(DRILL_EINVAL, "bad region options: %s", drill_error_last()->message);
    }
    *out = set;
    return 0;
}

int drill__campaigns_has(const drill_campaigns *set, const char *id)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i].def.id, id) == 0)
            return 1;
    return 0;
}

int drill__campaigns_def(const drill_campaigns *set, size_t i, drill_campaign_def *out, size_t *out_years)
{
    if (i >= set->count)
        return -1;
    *out = set->items[i].def;
    *out_years = set->items[i].nyears;
    return 0;
}

void drill__campaigns_year(const drill_campaigns *set, size_t i, size_t k, int *year, int *start, int *end)
{
    const year_window *y = &set->items[i].years[k];
    *year = y->year;
    *start = y->start;
    *end = y->end;
}
