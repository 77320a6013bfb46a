/* The unit registry: units, classes, areas and districts, blackouts.
 *
 * Strings live in one pool and are referred to by offset, so a registry of a
 * million units makes a handful of allocations and copies with memcpy. Ids,
 * areas and districts are found through open-addressing hash maps keyed by
 * pool offsets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "unit_internal.h"

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
    if (u->pool_cap - u->pool_len < n) {
        size_t cap = u->pool_cap ? u->pool_cap : 4096;
        while (cap - u->pool_len < n)
            cap *= 2;
        char *p = realloc(u->pool, cap);
        if (!p)
            return drill__error(DRILL_ENOMEM, "out of memory adding a unit");
        u->pool = p;
        u->pool_cap = cap;
    }
    memcpy(u->pool + u->pool_len, s, n);
    *out = (uint32_t)u->pool_len;
    u->pool_len += n;
    return 0;
}

/* ---- maps from a pooled string to a value ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* slot of key s: the one holding it, or the empty one where it would go */
static size_t map_slot(const strmap *m, const char *pool, const char *s)
{
    size_t mask = m->cap - 1, i = (size_t)hash_str(s) & mask;
    while (m->slots[i].key && strcmp(pool + m->slots[i].key, s) != 0)
        i = (i + 1) & mask;
    return i;
}

static int map_get(const strmap *m, const char *pool, const char *s, uint32_t *out)
{
    if (!m->cap)
        return 0;
    size_t i = map_slot(m, pool, s);
    if (!m->slots[i].key)
        return 0;
    *out = m->slots[i].value;
    return 1;
}

static int map_grow(strmap *m, const char *pool)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    strmap n = { calloc(cap, sizeof *n.slots), cap, m->count };
    if (!n.slots)
        return drill__error(DRILL_ENOMEM, "out of memory indexing units");
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            n.slots[map_slot(&n, pool, pool + m->slots[i].key)] = m->slots[i];
    free(m->slots);
    *m = n;
    return 0;
}

/* add key (already pooled at offset key) -> value; the key must be new */
static int map_put(strmap *m, const char *pool, uint32_t key, uint32_t value)
{
    if ((m->count + 1) * 4 > m->cap * 3) {
        int rc = map_grow(m, pool);
        if (rc)
            return rc;
    }
    size_t i = map_slot(m, pool, pool + key);
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->count++;
    return 0;
}

/* ---- growable arrays ---- */

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return drill__error(DRILL_ENOMEM, "out of memory growing the unit registry");
    *items = p;
    *cap = n;
    return 0;
}

/* ---- classes ---- */

static const struct {
    const char *id, *name, *name_en, *scenario;
    unsigned flags;
} builtin_classes[] = {
#define P DRILL_CLASS_PRODUCTION
#define H DRILL_CLASS_HIGH_RISK
#define C DRILL_CLASS_CROWDED
    { "hazardous-chemicals", "危险化学品", "Hazardous chemicals", "chemical-release", P | H },
    { "mining", "矿山", "Mining", "collapse", P | H },
    { "metallurgy", "冶金", "Metallurgy", "fire", P | H },
    { "construction", "建筑施工", "Construction", "collapse", P | H },
    { "urban-rail", "城市轨道交通", "Urban rail transit", "evacuation", P | H },
    { "hotel", "宾馆饭店", "Hotel", "fire", P | H | C },
    { "mall", "商场", "Shopping mall", "fire", P | H | C },
    { "entertainment", "娱乐场所", "Entertainment venue", "fire", P | H | C },
    { "scenic-area", "旅游景区", "Scenic area", "crowd", P | H | C },
    { "key-fire-unit", "消防安全重点单位", "Key fire-safety unit", "fire", P | DRILL_CLASS_KEY_FIRE },
    { "enterprise", "一般企业", "General enterprise", "fire", P },
    { "school", "学校", "School", "earthquake", DRILL_CLASS_PUBLIC },
    { "hospital", "医院", "Hospital", "fire", DRILL_CLASS_PUBLIC },
    { "community", "社区", "Community", "evacuation", DRILL_CLASS_PUBLIC },
    { "government", "党政机关", "Government organ", "fire", DRILL_CLASS_GOVERNMENT },
    { "township", "乡镇街道", "Township or sub-district office", "flood", DRILL_CLASS_TOWNSHIP },
#undef P
#undef H
#undef C
};

static int valid_id(const char *id, size_t max)
{
    size_t n = strlen(id);
    if (n == 0 || n > max)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

static int utf8(const char *s)
{
    return !s || drill__utf8_valid(s, strlen(s));
}

int drill_units_add_class(drill_units *units, const drill_class_def *def)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(def);
    DRILL__VERSIONED(def, drill_class_def, DRILL_CLASS_DEF_INIT);
    if (def->version != DRILL_CLASS_DEF_VERSION)
        return drill__error(DRILL_EVERSION, "drill_class_def version %u is not %d", def->version,
                            DRILL_CLASS_DEF_VERSION);
    if (!def->id || !valid_id(def->id, 63))
        return drill__error(DRILL_EINVAL, "class id '%s' is not 1-63 of [A-Za-z0-9._-]", def->id ? def->id : "(null)");
    if (!def->name || !*def->name || !utf8(def->name) || !utf8(def->name_en) || !utf8(def->scenario))
        return drill__error(DRILL_EINVAL, "class '%s' needs a UTF-8 name", def->id);
    if (def->scenario && !valid_id(def->scenario, 63))
        return drill__error(DRILL_EINVAL, "class '%s': scenario '%s' is not 1-63 of [A-Za-z0-9._-]", def->id,
                            def->scenario);
    if (drill__units_class_index(units, def->id) >= 0)
        return drill__error(DRILL_EEXISTS, "class '%s' exists already", def->id);
    if (units->nclasses >= 65535)
        return drill__error(DRILL_ERANGE, "a registry holds at most 65535 classes");
    int rc = grow((void **)&units->classes, &units->classes_cap, units->nclasses + 1, sizeof *units->classes);
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
    if (index >= units->nclasses)
        return drill__error(DRILL_ENOTFOUND, "no class at index %zu", index);
    const class_rec *c = &units->classes[index];
    *out = (drill_class_def){ DRILL_CLASS_DEF_VERSION, c->id, c->name, c->name_en ? c->name_en : "", c->flags,
                              c->scenario };
    return 0;
}

/* ---- the registry ---- */

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
    free(units->units);
    free(units->blackouts);
    free(units->areas);
    free(units->districts);
    free(units->ids.slots);
    free(units->area_map.slots);
    free(units->district_map.slots);
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
    failed |= copy_block((void **)&u->ids.slots, units->ids.slots, units->ids.cap, sizeof *u->ids.slots);
    failed |= copy_block((void **)&u->area_map.slots, units->area_map.slots, units->area_map.cap,
                         sizeof *u->area_map.slots);
    failed |= copy_block((void **)&u->district_map.slots, units->district_map.slots, units->district_map.cap,
                         sizeof *u->district_map.slots);
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
    *out = u;
    return 0;
}

/* the area and district of a path, interned; "a/b/c" has district "a/b" */
static int intern_area(drill_units *u, const char *area, uint32_t *out)
{
    if (map_get(&u->area_map, u->pool, area, out))
        return 0;
    const char *slash = strchr(area, '/');
    char district[512];
    const char *second = slash ? strchr(slash + 1, '/') : NULL;
    size_t dlen = second ? (size_t)(second - area) : strlen(area);
    if (dlen >= sizeof district)
        return drill__error(DRILL_EINVAL, "area path '%.40s...' is too long", area);
    memcpy(district, area, dlen);
    district[dlen] = '\0';
    uint32_t d, off;
    int rc;
    if (!map_get(&u->district_map, u->pool, district, &d)) {
        if ((rc = grow((void **)&u->districts, &u->districts_cap, u->ndistricts + 1, sizeof *u->districts)) ||
            (rc = pool_add(u, district, &off)) || (rc = map_put(&u->district_map, u->pool, off, (uint32_t)u->ndistricts)))
            return rc;
        d = (uint32_t)u->ndistricts;
        u->districts[u->ndistricts++] = off;
    }
    if ((rc = grow((void **)&u->areas, &u->areas_cap, u->nareas + 1, sizeof *u->areas)) ||
        (rc = pool_add(u, area, &off)) || (rc = map_put(&u->area_map, u->pool, off, (uint32_t)u->nareas)))
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
        return drill__error(DRILL_EINVAL, "unit id '%.40s...' is longer than 127 bytes", unit->id);
    for (const char *p = unit->id; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return drill__error(DRILL_EINVAL, "unit id '%s' contains a control character", unit->id);
    if ((rc = text_ok(unit->name, "name", unit->id, 1)) || (rc = text_ok(unit->area, "area", unit->id, 1)) ||
        (rc = text_ok(unit->unit_class, "class", unit->id, 1)) ||
        (rc = text_ok(unit->address, "address", unit->id, 0)) ||
        (rc = text_ok(unit->contact, "contact", unit->id, 0)) || (rc = text_ok(unit->phone, "phone", unit->id, 0)))
        return rc;
    if (strlen(unit->area) > 511)
        return drill__error(DRILL_EINVAL, "unit '%s': area '%.40s...' is longer than 511 bytes", unit->id, unit->area);
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
    r->flags = (uint8_t)((unit->flood_prone ? UNIT_FLOOD : 0) | (unit->key_fire ? UNIT_KEY_FIRE : 0));
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
    if (map_get(&units->ids, units->pool, unit->id, &existing))
        return drill__error(DRILL_EEXISTS, "unit '%s' exists already", unit->id);
    if (units->count >= UINT32_MAX - 1)
        return drill__error(DRILL_ERANGE, "a registry holds at most %u units", UINT32_MAX - 1);
    if ((rc = grow((void **)&units->units, &units->units_cap, units->count + 1, sizeof *units->units)))
        return rc;
    unit_rec r = { 0 };
    if ((rc = pool_add(units, unit->id, &r.id)) || (rc = fill(units, &r, unit, cls)) ||
        (rc = map_put(&units->ids, units->pool, r.id, (uint32_t)units->count)))
        return rc; /* what was pooled stays unused: harmless */
    units->units[units->count++] = r;
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
    if (!map_get(&units->ids, units->pool, unit->id, &index))
        return drill__error(DRILL_ENOTFOUND, "no unit '%s'", unit->id);
    unit_rec r = units->units[index];
    if ((rc = fill(units, &r, unit, cls)))
        return rc;
    units->units[index] = r;
    return 0;
}

size_t drill_units_count(const drill_units *units)
{
    return units ? units->count : 0;
}

int drill__units_lookup(const drill_units *units, const char *id, size_t *out)
{
    uint32_t i;
    if (!map_get(&units->ids, units->pool, id, &i))
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
    if (!map_get(&units->ids, units->pool, id, &i))
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
    int rc = index_ok(units, index);
    if (rc)
        return rc;
    const unit_rec *r = &units->units[index];
    const char *p = units->pool;
    *out = (drill_unit){ DRILL_UNIT_VERSION, p + r->id, p + r->name, p + units->areas[r->area].name,
                         units->classes[r->cls].id, p + r->address, p + r->contact, p + r->phone, r->headcount,
                         (drill_risk)r->risk, !!(r->flags & UNIT_FLOOD), !!(r->flags & UNIT_KEY_FIRE) };
    return 0;
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
    if (!map_get(&units->ids, units->pool, id, &i))
        return drill__error(DRILL_ENOTFOUND, "no unit '%s'", id);
    if ((rc = grow((void **)&units->blackouts, &units->blackouts_cap, units->nblackouts + 1, sizeof *units->blackouts)))
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
    drill_units_free(tmp);
}

int drill__unit_key_fire(const drill_units *units, const unit_rec *r)
{
    return (r->flags & UNIT_KEY_FIRE) || (units->classes[r->cls].flags & DRILL_CLASS_KEY_FIRE);
}
