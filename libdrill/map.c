/* The one string map: see map.h. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "map.h"

/* place a slot in a table known to have room and not to hold its entry */
static void place(drill__map_slot *slots, size_t cap, drill__map_slot s)
{
    size_t mask = cap - 1, i = s.hash & mask;
    while (slots[i].index1)
        i = (i + 1) & mask;
    slots[i] = s;
}

/* the table size for count entries at most three quarters full */
static int table_size(size_t *out, size_t count)
{
    size_t cap = 64;
    while (cap / 4 * 3 < count) {
        if (cap > SIZE_MAX / 2 / sizeof(drill__map_slot))
            return drill__error(DRILL_ENOMEM, "out of memory: a map of %zu entries", count);
        cap *= 2;
    }
    *out = cap;
    return 0;
}

int drill__map_reserve(drill__map *m, size_t count)
{
    if (count <= m->cap / 4 * 3)
        return 0;
    size_t cap = 0;
    int rc = table_size(&cap, count);
    if (rc)
        return rc;
    drill__map_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return drill__error(DRILL_ENOMEM, "out of memory growing a map to %zu slots", cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].index1)
            place(slots, cap, m->slots[i]);
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int drill__map_add(drill__map *m, uint32_t hash, size_t index)
{
    if (index >= DRILL__MAP_MAX)
        return drill__error(DRILL_ERANGE, "a map holds at most %zu entries", DRILL__MAP_MAX);
    if (m->count + 1 > m->cap / 4 * 3) {
        int rc = drill__map_reserve(m, m->count < 32 ? 32 : m->count * 2); /* doubling */
        if (rc)
            return rc;
    }
    place(m->slots, m->cap, (drill__map_slot){ (uint32_t)index + 1, hash });
    m->count++;
    return 0;
}

void drill__map_remove(drill__map *m, uint32_t hash, size_t index)
{
    if (!m->cap || index >= DRILL__MAP_MAX)
        return;
    size_t mask = m->cap - 1, i = hash & mask;
    for (;; i = (i + 1) & mask) {
        if (!m->slots[i].index1)
            return; /* not there */
        if (m->slots[i].index1 == (uint32_t)index + 1)
            break;
    }
    /* backward shift: an entry after the hole moves into it unless its home
     * lies cyclically in (hole, its place], where the hole does not cut it off */
    for (size_t j = i;;) {
        j = (j + 1) & mask;
        if (!m->slots[j].index1)
            break;
        size_t home = m->slots[j].hash & mask;
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        m->slots[i] = m->slots[j];
        i = j;
    }
    m->slots[i] = (drill__map_slot){ 0, 0 };
    m->count--;
}

void drill__map_clear(drill__map *m)
{
    if (m->cap)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = 0;
}

int drill__map_copy(drill__map *out, const drill__map *m)
{
    drill__map c = { NULL, m->cap, m->count };
    if (m->cap) {
        if (!(c.slots = malloc(m->cap * sizeof *c.slots)))
            return drill__error(DRILL_ENOMEM, "out of memory copying a map");
        memcpy(c.slots, m->slots, m->cap * sizeof *c.slots);
    }
    *out = c;
    return 0;
}

void drill__map_free(drill__map *m)
{
    free(m->slots);
    *m = (drill__map)DRILL__MAP_INIT;
}
