/* The unit registry: units, classes, areas and districts, blackouts.
 *
 * Strings live in one pool and are referred to by offset, so a registry of a
 * million units makes a handful of allocations and copies with memcpy. Ids,
 * areas and districts are found through the string map (map.h), whose keys
 * stay in the pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "csv.h"
#include "internal.h"
#include "map.h"
#include "unit_internal.h"
#include "vec.h"

/* ---- string pool ---- */

static int pool_add(drill_units *u, const char *s, uint32_t *out)
{
    if (!s || !*s) {
        *out = 0; /* offset 0 is the empty string */
        return 0;
    }
    size_t n = strlen(s) + 1;
    if (u->pool_len + n > UINT32_MAX)
        return drill__error(DRILL_ENOMEM, "a unit registry holds at most 4 GiB of text");
    if (DRILL__VEC_RESERVE(u->pool, u->pool_cap, u->pool_len + n))
        return drill__error(DRILL_ENOMEM, "out of memory adding a unit");
    memcpy(u->pool + u->pool_len, s, n);
    *out = (uint32_t)u->pool_len;
    u->pool_len += n;
    return 0;
}

/* ---- maps from ids, areas and districts to their index (keys stay in the pool) ---- */

static const char *unit_key(const void *u, size_t i)
{
    const drill_units *units = u;
    return units->pool + units->units[i].id;
}

static const char *area_key(const void *u, size_t i)
{
    const drill_units *units = u;
    return units->pool + units->areas[i].name;
}

static const char *district_key(const void *u, size_t i)
{
    const drill_units *units = u;
    return units->pool + units->districts[i];
}

static int map_get(const drill__map *m, drill__map_key_fn key_of, const drill_units *u, const char *s, uint32_t *out)
{
    size_t i;
    if (!drill__map_get(&i, m, s, key_of, u))
        return 0;
    *out = (uint32_t)i;
    return 1;
}

/* ---- classes ---- */

static const struct {
    const char *id, *name, *name_en, *scenario;
    unsigned flags;
} builtin_classes[] = {
#define P DRILL_CLASS_PRODUCTION
#define H DRILL_CLASS_HIGH_RISK
#define C DRILL_CLASS_CROWDED
#define K DRILL_CLASS_KEY_FIRE
#define T DRILL_CLASS_TERMS
    /* MPS order 61 art. 13 makes these kinds key fire-safety units (K): public gathering places (hotels,
     * malls, entertainment venues), hospitals, boarding schools, nurseries and kindergartens, state
     * organs, flammable and explosive chemical units, underground railways and high-rise public
     * buildings; a unit's key_fire flag (-1) can still take a unit out */
    { "hazardous-chemicals", "危险化学品", "Hazardous chemicals", "chemical-release", P | H | K },
    { "mining", "矿山", "Mining", "collapse", P | H },
    { "metallurgy", "冶金", "Metallurgy", "fire", P | H },
    { "construction", "建筑施工", "Construction", "collapse", P | H },
    { "urban-rail", "城市轨道交通", "Urban rail transit", "evacuation", P | H | K },
    { "hotel", "宾馆饭店", "Hotel", "fire", P | H | C | K },
    { "mall", "商场", "Shopping mall", "fire", P | H | C | K },
    { "entertainment", "娱乐场所", "Entertainment venue", "fire", P | H | C | K },
    { "scenic-area", "旅游景区", "Scenic area", "crowd", P | H | C },
    { "key-fire-unit", "消防安全重点单位", "Key fire-safety unit", "fire", P | K },
    { "enterprise", "一般企业", "General enterprise", "fire", P },
    { "school", "学校", "School (primary or secondary)", "evacuation", DRILL_CLASS_PUBLIC | T },
    { "hospital", "医院", "Hospital", "fire", DRILL_CLASS_PUBLIC | K },
    { "community", "社区", "Community", "evacuation", DRILL_CLASS_PUBLIC },
    { "government", "党政机关", "Government organ", "fire", DRILL_CLASS_GOVERNMENT | K },
    { "township", "乡镇街道", "Township or sub-district office", "flood", DRILL_CLASS_TOWNSHIP },
    { "kindergarten", "幼儿园", "Kindergarten", "evacuation", DRILL_CLASS_PUBLIC | T | K },
    { "boarding-school", "寄宿制学校", "Boarding school", "evacuation", DRILL_CLASS_PUBLIC | T | K },
    { "special-school", "特殊教育学校", "Special-education school", "evacuation", DRILL_CLASS_PUBLIC | T },
    /* MEM order 5 (2021): high-rise public buildings over 24 m, residential over 27 m (art. 50); over 100 m,
     * and buildings whose units have sub-plans (分预案, art. 43), drill more often (art. 44) */
    { "high-rise-public", "高层公共建筑", "High-rise public building", "fire", P | K },
    { "high-rise-residential", "高层住宅建筑", "High-rise residential building", "fire", DRILL_CLASS_PUBLIC },
    { "high-rise-public-100m", "建筑高度超过100米的高层公共建筑", "High-rise public building over 100 m", "fire",
      P | K },
    { "high-rise-complex", "编制分预案的高层公共建筑", "High-rise public building with sub-plans", "fire", P | K },
};
#undef P
#undef H
#undef C
#undef K
#undef T

int drill_units_add_class(drill_units *units, const drill_class_def *def)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(def);
    DRILL__VERSIONED(def, drill_class_def, DRILL_CLASS_DEF_INIT);
    if (def->version != DRILL_CLASS_DEF_VERSION)
        return drill__error(DRILL_EVERSION, "drill_class_def version %u is not %d", def->version,
                            DRILL_CLASS_DEF_VERSION);
    if (!def->id || !drill__id_valid(def->id, 63))
        return drill__error(DRILL_EINVAL, "class id '%s' is not 1-63 of [A-Za-z0-9._-]", def->id ? def->id : "(null)");
    if (!def->name || !*def->name || !drill__utf8_text_ok(def->name) || !drill__utf8_text_ok(def->name_en) || !drill__utf8_text_ok(def->scenario))
        return drill__error(DRILL_EINVAL, "class '%s' needs a UTF-8 name", def->id);
    if (def->scenario && !drill__id_valid(def->scenario, 63))
        return drill__error(DRILL_EINVAL, "class '%s': scenario '%s' is not 1-63 of [A-Za-z0-9._-]", def->id,
                            def->scenario);
    if (drill__units_class_index(units, def->id) >= 0)
        return drill__error(DRILL_EEXISTS, "class '%s' exists already", def->id);
    if (units->nclasses >= 65535)
        return drill__error(DRILL_ERANGE, "a registry holds at most 65535 classes");
    int rc = DRILL__VEC_RESERVE(units->classes, units->classes_cap, units->nclasses + 1);
    if (rc)
        return rc;
    class_rec c = { drill__strdup(def->id), drill__strdup(def->name),
                    def->name_en ? drill__strdup(def->name_en) : NULL,
                    drill__strdup(def->scenario ? def->scenario : "fire"), def->flags };
    if (!c.id || !c.name || (def->name_en && !c.name_en) || !c.scenario) {
        free(c.id);
        free(c.name);
        free(c.name_en);
        free(c.scenario);
        return drill__error(DRILL_ENOMEM, "out of memory adding class '%s'", def->id);
    }
    units->classes[units->nclasses++] = c;
    return 0;
}

int drill__units_class_index(const drill_units *units, const char *id)
{
    for (size_t i = 0; i < units->nclasses; i++)
        if (strcmp(units->classes[i].id, id) == 0)
            return (int)i;
    return -1;
}

size_t drill_units_class_count(const drill_units *units)
{
    return units ? units->nclasses : 0;
}

int drill_units_class_at(drill_class_def *out, const drill_units *units, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    int rc = drill__out_check(out, &drill__abi_drill_class_def);
    if (rc)
        return rc;
    if (index >= units->nclasses)
        return drill__error(DRILL_ENOTFOUND, "no class at index %zu", index);
    const class_rec *c = &units->classes[index];
    const drill_class_def def = { DRILL_CLASS_DEF_VERSION, c->id, c->name, c->name_en ? c->name_en : "", c->flags,
                                  c->scenario };
    return drill__out_fill(out, &def, &drill__abi_drill_class_def);
}

/* ---- the registry ---- */

static int default_breaks(drill_units *units, const char *class_id); /* school terms, below */

int drill_units_new(drill_units **out)
{
    DRILL_CHECK_NULL(out);
    drill_units *u = calloc(1, sizeof *u);
    if (!u)
        return drill__error(DRILL_ENOMEM, "out of memory creating a unit registry");
    uint32_t empty;
    int rc = pool_add(u, "-", &empty); /* reserve offset 0 for "" */
    if (rc == 0)
        u->pool[0] = '\0';
    for (size_t i = 0; rc == 0 && i < sizeof builtin_classes / sizeof *builtin_classes; i++) {
        drill_class_def d = { DRILL_CLASS_DEF_VERSION, builtin_classes[i].id, builtin_classes[i].name,
                              builtin_classes[i].name_en, builtin_classes[i].flags, builtin_classes[i].scenario };
        rc = drill_units_add_class(u, &d);
    }
    for (size_t i = 0; rc == 0 && i < sizeof builtin_classes / sizeof *builtin_classes; i++)
        if (builtin_classes[i].flags & DRILL_CLASS_TERMS)
            rc = default_breaks(u, builtin_classes[i].id);
    if (rc) {
        drill_units_free(u);
        return rc;
    }
    *out = u;
    return 0;
}

void drill_units_free(drill_units *units)
{
    if (!units)
        return;
    for (size_t i = 0; i < units->nclasses; i++) {
        free(units->classes[i].id);
        free(units->classes[i].name);
        free(units->classes[i].name_en);
        free(units->classes[i].scenario);
    }
    free(units->classes);
    for (size_t i = 0; i < units->nbreaks; i++)
        free(units->breaks[i].name);
    free(units->breaks);
    free(units->units);
    free(units->blackouts);
    free(units->areas);
    free(units->districts);
    drill__map_free(&units->ids);
    drill__map_free(&units->area_map);
    drill__map_free(&units->district_map);
    free(units->pool);
    free(units);
}

static int copy_block(void **dst, const void *src, size_t n, size_t size)
{
    *dst = NULL;
    if (!n)
        return 0;
    *dst = malloc(n * size);
    if (!*dst)
        return -1;
    memcpy(*dst, src, n * size);
    return 0;
}

int drill_units_dup(drill_units **out, const drill_units *units)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    drill_units *u = calloc(1, sizeof *u);
    if (!u)
        return drill__error(DRILL_ENOMEM, "out of memory copying a unit registry");
    *u = *units;
    u->classes = NULL;
    u->nclasses = u->classes_cap = 0;
    u->breaks = NULL;
    u->nbreaks = u->breaks_cap = 0;
    int failed = 0;
    failed |= copy_block((void **)&u->pool, units->pool, units->pool_len, 1);
    u->pool_cap = units->pool_len;
    failed |= copy_block((void **)&u->units, units->units, units->count, sizeof *u->units);
    u->units_cap = units->count;
    failed |= copy_block((void **)&u->blackouts, units->blackouts, units->nblackouts, sizeof *u->blackouts);
    u->blackouts_cap = units->nblackouts;
    failed |= copy_block((void **)&u->areas, units->areas, units->nareas, sizeof *u->areas);
    u->areas_cap = units->nareas;
    failed |= copy_block((void **)&u->districts, units->districts, units->ndistricts, sizeof *u->districts);
    u->districts_cap = units->ndistricts;
    u->ids = u->area_map = u->district_map = (drill__map)DRILL__MAP_INIT; /* not units' tables, on failure */
    failed |= drill__map_copy(&u->ids, &units->ids) != 0;
    failed |= drill__map_copy(&u->area_map, &units->area_map) != 0;
    failed |= drill__map_copy(&u->district_map, &units->district_map) != 0;
    if (failed) {
        drill_units_free(u);
        return drill__error(DRILL_ENOMEM, "out of memory copying a unit registry");
    }
    for (size_t i = 0; i < units->nclasses; i++) {
        const class_rec *c = &units->classes[i];
        drill_class_def d = { DRILL_CLASS_DEF_VERSION, c->id, c->name, c->name_en, c->flags, c->scenario };
        int rc = drill_units_add_class(u, &d);
        if (rc) {
            drill_units_free(u);
            return rc;
        }
    }
    if (units->nbreaks && !(u->breaks = calloc(units->nbreaks, sizeof *u->breaks))) {
        drill_units_free(u);
        return drill__error(DRILL_ENOMEM, "out of memory copying a unit registry");
    }
    u->breaks_cap = units->nbreaks;
    for (; u->nbreaks < units->nbreaks; u->nbreaks++) {
        u->breaks[u->nbreaks] = units->breaks[u->nbreaks];
        if (!(u->breaks[u->nbreaks].name = drill__strdup(units->breaks[u->nbreaks].name))) {
            drill_units_free(u);
            return drill__error(DRILL_ENOMEM, "out of memory copying a unit registry");
        }
    }
    *out = u;
    return 0;
}

/* the area and district of a path, interned; "a/b/c" has district "a/b" */
static int intern_area(drill_units *u, const char *area, uint32_t *out)
{
    if (map_get(&u->area_map, area_key, u, area, out))
        return 0;
    const char *slash = strchr(area, '/');
    char district[512];
    const char *second = slash ? strchr(slash + 1, '/') : NULL;
    size_t dlen = second ? (size_t)(second - area) : strlen(area);
    if (dlen >= sizeof district)
        return drill__error(DRILL_EINVAL, "area path '%.*s...' is too long", DRILL__CUT(area, 40));
    memcpy(district, area, dlen);
    district[dlen] = '\0';
    uint32_t d, off;
    int rc;
    if (!map_get(&u->district_map, district_key, u, district, &d)) {
        if ((rc = DRILL__VEC_RESERVE(u->districts, u->districts_cap, u->ndistricts + 1)) ||
            (rc = pool_add(u, district, &off)) || (rc = drill__map_put(&u->district_map, district, u->ndistricts)))
            return rc;
        d = (uint32_t)u->ndistricts;
        u->districts[u->ndistricts++] = off;
    }
    if ((rc = DRILL__VEC_RESERVE(u->areas, u->areas_cap, u->nareas + 1)) || (rc = pool_add(u, area, &off)) ||
        (rc = drill__map_put(&u->area_map, area, u->nareas)))
        return rc;
    u->areas[u->nareas] = (area_rec){ off, d };
    *out = (uint32_t)u->nareas++;
    return 0;
}

static int text_ok(const char *s, const char *field, const char *id, int required)
{
    if (!s || !*s) {
        if (required)
            return drill__error(DRILL_EINVAL, "unit '%s': %s is required", id ? id : "", field);
        return 0;
    }
    if (!drill__utf8_valid(s, strlen(s)))
        return drill__error(DRILL_EINVAL, "unit '%s': %s is not UTF-8", id, field);
    return 0;
}

/* check a unit's fields; *cls receives its class index */
static int check_unit(const drill_units *u, const drill_unit *unit, int *cls)
{
    if (unit->version != DRILL_UNIT_VERSION)
        return drill__error(DRILL_EVERSION, "drill_unit version %u is not %d", unit->version, DRILL_UNIT_VERSION);
    int rc;
    if ((rc = text_ok(unit->id, "id", unit->id, 1)))
        return rc;
    if (strlen(unit->id) > 127)
        return drill__error(DRILL_EINVAL, "unit id '%.*s...' is longer than 127 bytes", DRILL__CUT(unit->id, 40));
    for (const char *p = unit->id; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return drill__error(DRILL_EINVAL, "unit id '%s' contains a control character", unit->id);
    if ((rc = text_ok(unit->name, "name", unit->id, 1)) || (rc = text_ok(unit->area, "area", unit->id, 1)) ||
        (rc = text_ok(unit->unit_class, "class", unit->id, 1)) ||
        (rc = text_ok(unit->address, "address", unit->id, 0)) ||
        (rc = text_ok(unit->contact, "contact", unit->id, 0)) || (rc = text_ok(unit->phone, "phone", unit->id, 0)))
        return rc;
    if (strlen(unit->area) > 511)
        return drill__error(DRILL_EINVAL, "unit '%s': area '%.*s...' is longer than 511 bytes", unit->id,
                            DRILL__CUT(unit->area, 40));
    const char *slash = strchr(unit->area, '/');
    if (!slash || slash == unit->area || !slash[1] || slash[1] == '/')
        return drill__error(DRILL_EINVAL, "unit '%s': area '%s' is not a path city/district[/street]", unit->id,
                            unit->area);
    if ((*cls = drill__units_class_index(u, unit->unit_class)) < 0)
        return drill__error(DRILL_ENOTFOUND, "unit '%s': no class '%s'", unit->id, unit->unit_class);
    if (unit->headcount < 0)
        return drill__error(DRILL_EINVAL, "unit '%s': headcount %d is negative", unit->id, unit->headcount);
    if ((int)unit->risk < DRILL_RISK_UNSET || unit->risk > DRILL_RISK_MAJOR)
        return drill__error(DRILL_EINVAL, "unit '%s': risk %d is not 0-4", unit->id, (int)unit->risk);
    return 0;
}

static int fill(drill_units *u, unit_rec *r, const drill_unit *unit, int cls)
{
    int rc;
    if ((rc = pool_add(u, unit->name, &r->name)) || (rc = pool_add(u, unit->address, &r->address)) ||
        (rc = pool_add(u, unit->contact, &r->contact)) || (rc = pool_add(u, unit->phone, &r->phone)) ||
        (rc = intern_area(u, unit->area, &r->area)))
        return rc;
    r->cls = (uint16_t)cls;
    r->headcount = unit->headcount;
    r->risk = (uint8_t)unit->risk;
    r->flags = (uint8_t)((unit->flood_prone ? UNIT_FLOOD : 0) | (unit->key_fire > 0 ? UNIT_KEY_FIRE : 0) |
                         (unit->key_fire < 0 ? UNIT_NOT_KEY_FIRE : 0));
    return 0;
}

int drill_units_add(drill_units *units, const drill_unit *unit)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(unit);
    DRILL__VERSIONED(unit, drill_unit, DRILL_UNIT_INIT);
    int cls, rc;
    uint32_t existing;
    if ((rc = check_unit(units, unit, &cls)))
        return rc;
    if (map_get(&units->ids, unit_key, units, unit->id, &existing))
        return drill__error(DRILL_EEXISTS, "unit '%s' exists already", unit->id);
    if (units->count >= UINT32_MAX - 1)
        return drill__error(DRILL_ERANGE, "a registry holds at most %u units", UINT32_MAX - 1);
    if ((rc = DRILL__VEC_RESERVE(units->units, units->units_cap, units->count + 1)))
        return rc;
    unit_rec r = { 0 };
    if ((rc = pool_add(units, unit->id, &r.id)) || (rc = fill(units, &r, unit, cls)) ||
        (rc = drill__map_put(&units->ids, unit->id, units->count)))
        return rc; /* what was pooled stays unused: harmless */
    units->units[units->count++] = r;
    units->revision++;
    return 0;
}

int drill_units_update(drill_units *units, const drill_unit *unit)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(unit);
    DRILL__VERSIONED(unit, drill_unit, DRILL_UNIT_INIT);
    int cls, rc;
    uint32_t index;
    if ((rc = check_unit(units, unit, &cls)))
        return rc;
    if (!map_get(&units->ids, unit_key, units, unit->id, &index))
        return drill__error(DRILL_ENOTFOUND, "no unit '%s'", unit->id);
    unit_rec r = units->units[index];
    if ((rc = fill(units, &r, unit, cls)))
        return rc;
    units->units[index] = r;
    units->revision++;
    return 0;
}

size_t drill_units_count(const drill_units *units)
{
    return units ? units->count : 0;
}

int drill__units_lookup(const drill_units *units, const char *id, size_t *out)
{
    uint32_t i;
    if (!map_get(&units->ids, unit_key, units, id, &i))
        return 0;
    *out = i;
    return 1;
}

int drill_units_find(size_t *out, const drill_units *units, const char *id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(id);
    uint32_t i;
    if (!map_get(&units->ids, unit_key, units, id, &i))
        return drill__error(DRILL_ENOTFOUND, "no unit '%s'", id);
    *out = i;
    return 0;
}

static int index_ok(const drill_units *units, size_t index)
{
    if (index >= units->count)
        return drill__error(DRILL_ENOTFOUND, "no unit at index %zu (the registry has %zu)", index, units->count);
    return 0;
}

int drill_units_get(drill_unit *out, const drill_units *units, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    int rc = drill__out_check(out, &drill__abi_drill_unit);
    if (rc || (rc = index_ok(units, index)))
        return rc;
    const unit_rec *r = &units->units[index];
    const char *p = units->pool;
    const drill_unit unit = { DRILL_UNIT_VERSION, p + r->id, p + r->name, p + units->areas[r->area].name,
                         units->classes[r->cls].id, p + r->address, p + r->contact, p + r->phone, r->headcount,
                         (drill_risk)r->risk, !!(r->flags & UNIT_FLOOD),
                         r->flags & UNIT_NOT_KEY_FIRE ? -1 : !!(r->flags & UNIT_KEY_FIRE) };
    return drill__out_fill(out, &unit, &drill__abi_drill_unit);
}

int drill_units_is_key_fire(int *out, const drill_units *units, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    int rc = index_ok(units, index);
    if (rc)
        return rc;
    *out = drill__unit_key_fire(units, &units->units[index]);
    return 0;
}

int drill_units_district_of(size_t *out_district, const char **out_name, const drill_units *units, size_t index)
{
    DRILL_CHECK_NULL(units);
    int rc = index_ok(units, index);
    if (rc)
        return rc;
    uint32_t d = units->areas[units->units[index].area].district;
    if (out_district)
        *out_district = d;
    if (out_name)
        *out_name = units->pool + units->districts[d];
    return 0;
}

size_t drill_units_district_count(const drill_units *units)
{
    return units ? units->ndistricts : 0;
}

int drill_units_district_name(const char **out, const drill_units *units, size_t district)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    if (district >= units->ndistricts)
        return drill__error(DRILL_ENOTFOUND, "no district at index %zu", district);
    *out = units->pool + units->districts[district];
    return 0;
}

int drill_units_add_blackout(drill_units *units, const char *id, drill_date from, drill_date to)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(id);
    int a, b, rc;
    uint32_t i;
    if ((rc = drill_date_to_serial(&a, from)) || (rc = drill_date_to_serial(&b, to)))
        return rc;
    if (b < a)
        return drill__error(DRILL_EINVAL, "unit '%s': blackout ends before it starts", id);
    if (!map_get(&units->ids, unit_key, units, id, &i))
        return drill__error(DRILL_ENOTFOUND, "no unit '%s'", id);
    if ((rc = DRILL__VEC_RESERVE(units->blackouts, units->blackouts_cap, units->nblackouts + 1)))
        return rc;
    /* keep each unit's list sorted by start: insert after the last earlier range */
    unit_rec *r = &units->units[i];
    uint32_t *link = &r->blackout;
    while (*link && units->blackouts[*link - 1].from <= a)
        link = &units->blackouts[*link - 1].next;
    units->blackouts[units->nblackouts] = (blackout_rec){ a, b, *link };
    *link = (uint32_t)++units->nblackouts;
    return 0;
}

int drill__unit_blacked_out(const drill_units *units, size_t index, int serial)
{
    for (uint32_t l = units->units[index].blackout; l; l = units->blackouts[l - 1].next) {
        const blackout_rec *b = &units->blackouts[l - 1];
        if (b->from > serial)
            break;
        if (serial <= b->to)
            return 1;
    }
    return 0;
}

int drill_units_is_blacked_out(int *out, const drill_units *units, size_t index, drill_date day)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    int s, rc;
    if ((rc = index_ok(units, index)) || (rc = drill_date_to_serial(&s, day)))
        return rc;
    *out = drill__unit_blacked_out(units, index, s);
    return 0;
}

void drill__units_swap_in(drill_units *units, drill_units *tmp)
{
    drill_units t = *units;
    *units = *tmp;
    *tmp = t;
    units->revision = t.revision + 1;
    drill_units_free(tmp);
}

int drill__unit_key_fire(const drill_units *units, const unit_rec *r)
{
    if (r->flags & UNIT_NOT_KEY_FIRE)
        return 0;
    return (r->flags & UNIT_KEY_FIRE) || (units->classes[r->cls].flags & DRILL_CLASS_KEY_FIRE);
}

/* ---- school terms and breaks ---- */

/* the Dalian default: approximately the Dalian education bureau's calendars of
 * recent school years (winter break from about January 20 for a month,
 * summer break from about July 11 to the end of August); a year's real
 * calendar replaces it once loaded (drill_units_add_break, drill_units_load_terms_csv) */
static const struct { const char *name; int m, d, em, ed; } dalian_breaks[] = {
    { "寒假", 1, 20, 2, 20 },
    { "暑假", 7, 11, 8, 31 },
};

/* the Dalian default breaks for a class with terms */
static int default_breaks(drill_units *units, const char *class_id)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof dalian_breaks / sizeof *dalian_breaks; i++)
        rc = drill_units_set_yearly_break(units, class_id, dalian_breaks[i].name, dalian_breaks[i].m,
                                          dalian_breaks[i].d, dalian_breaks[i].em, dalian_breaks[i].ed);
    return rc;
}

static int break_class(const drill_units *units, const char *class_id, const char *name, size_t *out)
{
    int c = drill__units_class_index(units, class_id);
    if (c < 0)
        return drill__error(DRILL_ENOTFOUND, "no class '%s'", class_id);
    if (!(units->classes[c].flags & DRILL_CLASS_TERMS))
        return drill__error(DRILL_EINVAL, "class '%s' has no terms (DRILL_CLASS_TERMS): it cannot have breaks",
                            class_id);
    if (name && (!*name || !drill__utf8_text_ok(name)))
        return drill__error(DRILL_EINVAL, "a break needs a UTF-8 name");
    *out = (size_t)c;
    return 0;
}

static int add_break(drill_units *units, break_rec b, const char *name)
{
    int rc = DRILL__VEC_RESERVE(units->breaks, units->breaks_cap, units->nbreaks + 1);
    if (rc)
        return rc;
    if (!(b.name = drill__strdup(name)))
        return drill__error(DRILL_ENOMEM, "out of memory adding a break");
    units->breaks[units->nbreaks++] = b;
    return 0;
}

int drill_units_add_break(drill_units *units, const char *class_id, drill_date from, drill_date to, const char *name)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(class_id);
    DRILL_CHECK_NULL(name);
    size_t c;
    int a, b, rc;
    if ((rc = break_class(units, class_id, name, &c)) || (rc = drill_date_to_serial(&a, from)) ||
        (rc = drill_date_to_serial(&b, to)))
        return rc;
    if (b < a)
        return drill__error(DRILL_EINVAL, "class '%s': break '%s' ends before it starts", class_id, name);
    if (b - a > 183)
        return drill__error(DRILL_EINVAL, "class '%s': break '%s' is longer than half a year", class_id, name);
    for (size_t i = 0; i < units->nbreaks; i++) {
        const break_rec *x = &units->breaks[i];
        if (x->cls == c && !x->yearly && x->from <= b && a <= x->to)
            return drill__error(DRILL_EEXISTS, "class '%s': break '%s' overlaps break '%s'", class_id, name, x->name);
    }
    return add_break(units, (break_rec){ (uint16_t)c, 0, a, b, NULL }, name);
}

int drill_units_set_yearly_break(drill_units *units, const char *class_id, const char *name, int month, int day,
                                 int end_month, int end_day)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(class_id);
    DRILL_CHECK_NULL(name);
    size_t c;
    int rc = break_class(units, class_id, name, &c);
    if (rc)
        return rc;
    if (month < 1 || month > 12 || day < 1 || day > drill__days_in_month(2000, month) || end_month < 1 ||
        end_month > 12 || end_day < 1 || end_day > drill__days_in_month(2000, end_month))
        return drill__error(DRILL_ERANGE, "class '%s': break '%s' %02d-%02d..%02d-%02d is not a month-day range",
                            class_id, name, month, day, end_month, end_day);
    if (end_month * 100 + end_day < month * 100 + day)
        return drill__error(DRILL_EINVAL, "class '%s': a yearly break ends in its year (split one that spans New Year)",
                            class_id);
    for (size_t i = 0; i < units->nbreaks; i++) {
        break_rec *x = &units->breaks[i];
        if (x->cls == c && x->yearly && strcmp(x->name, name) == 0) {
            x->from = month * 100 + day;
            x->to = end_month * 100 + end_day;
            return 0;
        }
    }
    return add_break(units, (break_rec){ (uint16_t)c, 1, month * 100 + day, end_month * 100 + end_day, NULL }, name);
}

int drill_units_clear_breaks(drill_units *units, const char *class_id, int yearly)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(class_id);
    size_t c, k = 0;
    int rc = break_class(units, class_id, NULL, &c);
    if (rc)
        return rc;
    if (yearly < 0 || yearly > 2)
        return drill__error(DRILL_EINVAL, "yearly %d is not 0 (dated), 1 (yearly) or 2 (both)", yearly);
    for (size_t i = 0; i < units->nbreaks; i++) {
        break_rec *x = &units->breaks[i];
        if (x->cls == c && (yearly == 2 || x->yearly == yearly))
            free(x->name);
        else
            units->breaks[k++] = *x;
    }
    units->nbreaks = k;
    return 0;
}

size_t drill_units_break_count(const drill_units *units)
{
    return units ? units->nbreaks : 0;
}

int drill_units_break_at(drill_break *out_caller, const drill_units *units, size_t index)
{
    DRILL__OUT_BEGIN(out, drill_break);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    if (index >= units->nbreaks)
        return drill__error(DRILL_ENOTFOUND, "no break at index %zu (the registry has %zu)", index, units->nbreaks);
    const break_rec *b = &units->breaks[index];
    out->class_id = units->classes[b->cls].id;
    out->name = b->name;
    out->yearly = b->yearly;
    if (b->yearly) {
        out->from = (drill_date){ 2000, b->from / 100, b->from % 100 }; /* a leap year: February 29 exists */
        out->to = (drill_date){ 2000, b->to / 100, b->to % 100 };
    } else {
        drill__from_serial(b->from, &out->from);
        drill__from_serial(b->to, &out->to);
    }
    return DRILL__OUT_END(out, drill_break);
}

int drill__units_term_days(const drill_units *units, size_t cls, int year, uint8_t *out)
{
    if (!(units->classes[cls].flags & DRILL_CLASS_TERMS))
        return 0;
    int y0 = drill__serial(year, 1, 1), n = drill_date_is_leap_year(year) ? 366 : 365;
    memset(out, 1, (size_t)n);
    for (size_t i = 0; i < units->nbreaks; i++) {
        const break_rec *b = &units->breaks[i];
        if (b->cls != cls)
            continue;
        if (!b->yearly) {
            for (int s = b->from < y0 ? y0 : b->from; s <= b->to && s < y0 + n; s++)
                out[s - y0] = 0;
            continue;
        }
        /* a yearly break gives way to a dated break of its name in the year (that year's calendar) */
        int replaced = 0;
        for (size_t j = 0; j < units->nbreaks && !replaced; j++) {
            const break_rec *d = &units->breaks[j];
            replaced = d->cls == cls && !d->yearly && strcmp(d->name, b->name) == 0 && d->to >= y0 &&
                       d->from <= y0 + n - 1;
        }
        if (replaced)
            continue;
        int fdim = drill__days_in_month(year, b->from / 100), tdim = drill__days_in_month(year, b->to / 100);
        int a = drill__serial(year, b->from / 100, b->from % 100 <= fdim ? b->from % 100 : fdim);
        int z = drill__serial(year, b->to / 100, b->to % 100 <= tdim ? b->to % 100 : tdim);
        for (int s = a; s <= z; s++)
            out[s - y0] = 0;
    }
    return 1;
}

int drill_units_is_in_term(int *out, const drill_units *units, size_t index, drill_date day)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    if (index >= units->count)
        return drill__error(DRILL_ENOTFOUND, "no unit at index %zu", index);
    int rc = drill_date_check(day);
    if (rc)
        return rc;
    uint8_t days[366];
    size_t cls = units->units[index].cls;
    *out = !drill__units_term_days(units, cls, day.year, days) ||
           days[drill__serial(day.year, day.month, day.day) - drill__serial(day.year, 1, 1)];
    return 0;
}

/* "MM-DD" (yearly) or "YYYY-MM-DD" (dated); 1 yearly, 0 dated, -1 bad */
static int parse_break_day(const char *s, drill_date *out, int *bad_col)
{
    size_t n = strlen(s);
    if (n == 5) {
        for (int i = 0; i < 5; i++)
            if (i == 2 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
                *bad_col = i + 1;
                return -1;
            }
        *out = (drill_date){ 0, (s[0] - '0') * 10 + (s[1] - '0'), (s[3] - '0') * 10 + (s[4] - '0') };
        if (out->month < 1 || out->month > 12 || out->day < 1 || out->day > drill__days_in_month(2000, out->month)) {
            *bad_col = 1;
            return -1;
        }
        return 1;
    }
    return drill__date_parse_n(out, s, n, bad_col) == 0 ? 0 : -1;
}

int drill_units_load_terms_csv_buffer(size_t *out_loaded, drill_units *units, const char *data, size_t len,
                                      const char *source)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(data);
    if (!source)
        source = "<buffer>";
    drill_units *tmp = NULL;
    int rc = drill_units_dup(&tmp, units);
    if (rc)
        return rc;
    drill__csv r;
    drill__csv_init(&r, data, len, source);
    int col[4] = { -1, -1, -1, -1 };
    static const char *const names[4] = { "class", "from", "to", "name" };
    size_t loaded = 0;
    int got = drill__csv_next(&r);
    if (got == 0)
        rc = drill__error_at(source, 1, 1, "empty terms file: a header row (class,from,to,name) is required");
    else if (got < 0)
        rc = got;
    for (int i = 0; rc == 0 && i < 4; i++)
        if ((col[i] = drill__csv_find(&r, names[i])) < 0)
            rc = drill__error_at(source, r.record_line, 1, "the header has no '%s' column", names[i]);
    while (rc == 0 && (got = drill__csv_next(&r)) > 0) {
        const drill__csv_field *f[4];
        for (int i = 0; rc == 0 && i < 4; i++) {
            if ((size_t)col[i] >= r.nfields)
                rc = drill__error_at(source, r.record_line,
                                     drill__csv_end_column(&r.fields[r.nfields - 1]), "missing '%s' field", names[i]);
            else
                f[i] = &r.fields[col[i]];
        }
        if (rc)
            break;
        drill_date a, b;
        int bad = 0, ka = parse_break_day(f[1]->text, &a, &bad), kb;
        if (ka < 0) {
            rc = drill__error_at(source, f[1]->line, drill__csv_text_column(f[1]) + bad - 1,
                                 "from: '%s' is not YYYY-MM-DD or MM-DD", f[1]->text);
            break;
        }
        if ((kb = parse_break_day(f[2]->text, &b, &bad)) < 0 || kb != ka) {
            rc = drill__error_at(source, f[2]->line, drill__csv_text_column(f[2]) + (kb < 0 ? bad - 1 : 0),
                                 "to: '%s' is not %s like from", f[2]->text, ka ? "MM-DD" : "YYYY-MM-DD");
            break;
        }
        rc = ka ? drill_units_set_yearly_break(tmp, f[0]->text, f[3]->text, a.month, a.day, b.month, b.day)
                : drill_units_add_break(tmp, f[0]->text, a, b, f[3]->text);
        if (rc) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", drill_error_last()->message);
            rc = drill__error_code_at(rc, source, f[0]->line, f[0]->column, "%s", msg);
            break;
        }
        loaded++;
    }
    if (rc == 0 && got < 0)
        rc = got;
    drill__csv_free(&r);
    if (rc) {
        drill_units_free(tmp);
        return rc;
    }
    drill__units_swap_in(units, tmp);
    if (out_loaded)
        *out_loaded = loaded;
    return 0;
}

int drill_units_load_terms_csv(size_t *out_loaded, drill_units *units, const char *path)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(path);
    char *data = NULL;
    size_t len = 0;
    int rc = drill__read_file(&data, &len, path);
    if (rc)
        return rc;
    rc = drill_units_load_terms_csv_buffer(out_loaded, units, data, len, path);
    free(data);
    return rc;
}

/* ---- terms from an iCalendar feed ---- */

typedef struct break_run {
    drill_units *units;
    const char *class_id;
    int from, to; /* the run being collected, serials; from > to: none */
    char name[256];
    size_t loaded;
    int rc;
} break_run;

static void flush_run(break_run *r)
{
    if (r->rc || r->from > r->to)
        return;
    drill_date a, b;
    drill__from_serial(r->from, &a);
    drill__from_serial(r->to, &b);
    r->rc = drill_units_add_break(r->units, r->class_id, a, b, r->name);
    r->loaded += r->rc == 0;
    r->from = 1;
    r->to = 0;
}

static void each_entry(void *ctx, int serial, int kind, const char *name, const char *name_en)
{
    break_run *r = ctx;
    (void)name_en;
    if (r->rc || kind != DRILL_ENTRY_HOLIDAY)
        return;
    if (r->from <= r->to && serial == r->to + 1 && strcmp(name, r->name) == 0) {
        r->to = serial;
        return;
    }
    flush_run(r);
    snprintf(r->name, sizeof r->name, "%s", name);
    if (strlen(name) >= sizeof r->name) { /* a name cut short would not be the feed's */
        r->rc = drill__error(DRILL_ERANGE, "break name '%.40s...' is longer than %zu bytes", name,
                             sizeof r->name - 1);
        return;
    }
    r->from = r->to = serial;
}

int drill_units_load_terms_ics(size_t *out_loaded, drill_units *units, const char *class_id, const char *path,
                               const char *markers)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(class_id);
    DRILL_CHECK_NULL(path);
    size_t c;
    int rc = break_class(units, class_id, NULL, &c);
    if (rc)
        return rc;
    drill_calendar *cal = NULL;
    drill_units *tmp = NULL;
    drill_ics_holiday_options o = DRILL_ICS_HOLIDAY_OPTIONS_INIT;
    o.holiday_markers = markers ? markers : "假|break|Break|holiday|Holiday|vacation|Vacation";
    if ((rc = drill_calendar_new(&cal)) || (rc = drill_calendar_load_ics(NULL, cal, path, &o)) ||
        (rc = drill_units_dup(&tmp, units))) {
        drill_calendar_free(cal);
        return rc;
    }
    break_run r = { tmp, class_id, 1, 0, "", 0, 0 };
    drill__calendar_each(cal, each_entry, &r);
    flush_run(&r);
    drill_calendar_free(cal);
    if (r.rc) {
        drill_units_free(tmp);
        return r.rc;
    }
    drill__units_swap_in(units, tmp);
    if (out_loaded)
        *out_loaded = r.loaded;
    return 0;
}
