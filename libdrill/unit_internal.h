/* The unit registry's layout, shared with the plan (which reads it directly
 * for speed) and unit_csv.c; never installed. */
#ifndef DRILL_UNIT_INTERNAL_H
#define DRILL_UNIT_INTERNAL_H

#include <stdint.h>
#include "drill/unit.h"
#include "map.h"

enum { UNIT_FLOOD = 1, UNIT_KEY_FIRE = 2, UNIT_NOT_KEY_FIRE = 4 };

typedef struct unit_rec {
    uint32_t id, name, address, contact, phone; /* pool offsets; 0 = "" */
    uint32_t area;     /* index into areas */
    uint32_t blackout; /* 1 + index of the first blackout range, 0 = none */
    int32_t headcount;
    uint16_t cls;      /* index into classes */
    uint8_t risk, flags;
} unit_rec;

typedef struct blackout_rec {
    int32_t from, to; /* serials, both included */
    uint32_t next;    /* 1 + index of the unit's next range, 0 = none */
} blackout_rec;

typedef struct area_rec {
    uint32_t name;     /* pool offset of the whole path */
    uint32_t district; /* index into districts */
} area_rec;

typedef struct class_rec {
    char *id, *name, *name_en, *scenario;
    unsigned flags;
} class_rec;

/* a school break of a class: dated (serials) or yearly (month * 100 + day) */
typedef struct break_rec {
    uint16_t cls;
    uint8_t yearly;
    int32_t from, to;
    char *name;
} break_rec;

struct drill_units {
    char *pool;
    size_t pool_len, pool_cap;
    unit_rec *units;
    size_t count, units_cap;
    blackout_rec *blackouts;
    size_t nblackouts, blackouts_cap;
    area_rec *areas;
    size_t nareas, areas_cap;
    uint32_t *districts; /* pool offsets of district paths */
    size_t ndistricts, districts_cap;
    class_rec *classes;
    size_t nclasses, classes_cap;
    break_rec *breaks;
    size_t nbreaks, breaks_cap;
    drill__map ids, area_map, district_map; /* id, area path, district path -> index */
    unsigned long revision; /* rises when a unit is added or changed (its area, so its district, may
                               have moved): what a plan keeps of the units' districts follows it */
};

/* 1 and *out the index if id is a unit, 0 otherwise (no error recorded) */
int drill__units_lookup(const drill_units *units, const char *id, size_t *out);
int drill__units_class_index(const drill_units *units, const char *id);
int drill__unit_blacked_out(const drill_units *units, size_t index, int serial);
int drill__unit_key_fire(const drill_units *units, const unit_rec *r);
/* for a class with terms (DRILL_CLASS_TERMS): out[day of year] = 1 on the
 * days of year in term, and 1 returned; 0 for a class without terms */
int drill__units_term_days(const drill_units *units, size_t cls, int year, uint8_t *out);
/* make units what tmp is, and free the old contents with tmp: how an
 * all-or-nothing change built on a copy is committed */
void drill__units_swap_in(drill_units *units, drill_units *tmp);

static inline uint32_t drill__unit_district(const drill_units *u, size_t index)
{
    return u->areas[u->units[index].area].district;
}

#endif
