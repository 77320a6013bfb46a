/* The one string map of libdrill (private, never installed).
 *
 * It maps a key to the index of its entry in the owner's own array: the keys
 * stay where the owner keeps them (a record's id, an offset into a string
 * pool that may move), so the map holds no copy and no pointer that a
 * realloc could leave dangling. Open addressing with linear probing; a slot
 * is the entry's index + 1 (0 = empty) and its key's 32-bit hash, so a probe
 * compares keys only when the hashes agree and growing never reads a key.
 * At most three quarters full; the capacity is a power of two. No global
 * state: one map per owner, used by one thread at a time.
 *
 * A string key: drill__map_get / drill__map_put with a function that gives
 * the key of an entry. Any other key (two fields, a string and a number):
 * hash it (drill__fnv1a, drill__map_mix), then drill__map_find with an
 * equality function and drill__map_add. */
#ifndef DRILL_MAP_H
#define DRILL_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct drill__map_slot {
    uint32_t index1; /* the entry's index + 1; 0: empty */
    uint32_t hash;
} drill__map_slot;

typedef struct drill__map {
    drill__map_slot *slots;
    size_t cap, count;
} drill__map;

#define DRILL__MAP_INIT { NULL, 0, 0 }
/* the most entries a map holds (indexes are 32-bit) */
#define DRILL__MAP_MAX ((size_t)UINT32_MAX - 1)

/* The starting value libdrill's hashes have always used: FNV's offset basis
 * (14695981039346656037) with its last digit lost. Kept: a biennial drill's
 * year for a unit without history follows its id's hash (plan.c), and a
 * different start would move drills of existing plans to the other year. */
#define DRILL__FNV_OFFSET 1469598103934665603ULL
/* FNV-1a (64 bits) of the bytes of s, continuing from h (DRILL__FNV_OFFSET to start) */
static inline uint64_t drill__fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}
/* 32 well-mixed bits of a 64-bit hash: FNV's low bits are weak (the lowest
 * is the parity of the bytes), so the table takes the product's high half */
static inline uint32_t drill__map_mix(uint64_t h)
{
    return (uint32_t)((h * 0x9E3779B97F4A7C15ULL) >> 32);
}
/* the hash a string key is stored under */
static inline uint32_t drill__map_hash(const char *s)
{
    return drill__map_mix(drill__fnv1a(DRILL__FNV_OFFSET, s));
}

/* whether the entry at index has the key */
typedef int (*drill__map_eq_fn)(const void *ctx, size_t index, const void *key);
/* the string key of the entry at index */
typedef const char *(*drill__map_key_fn)(const void *ctx, size_t index);

/* 1 and *out the index of the entry whose hash is hash and for which eq says
 * yes; 0 when there is none (nothing recorded) */
static inline int drill__map_find(size_t *out, const drill__map *m, uint32_t hash, drill__map_eq_fn eq,
                                  const void *ctx, const void *key)
{
    if (!m->cap)
        return 0;
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const drill__map_slot *s = &m->slots[i];
        if (!s->index1)
            return 0;
        if (s->hash == hash && eq(ctx, s->index1 - 1, key)) {
            *out = s->index1 - 1;
            return 1;
        }
    }
}

/* 1 and *out the index of the entry with string key s (key_of gives an
 * entry's key); 0 when there is none */
static inline int drill__map_get(size_t *out, const drill__map *m, const char *s, drill__map_key_fn key_of,
                                 const void *ctx)
{
    if (!m->cap)
        return 0;
    uint32_t hash = drill__map_hash(s);
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const drill__map_slot *sl = &m->slots[i];
        if (!sl->index1)
            return 0;
        if (sl->hash == hash && strcmp(key_of(ctx, sl->index1 - 1), s) == 0) {
            *out = sl->index1 - 1;
            return 1;
        }
    }
}

/* Add the entry at index under hash; its key must not be in the map yet.
 * Grows the table first when it would pass three quarters full. Returns 0,
 * DRILL_ERANGE (index past DRILL__MAP_MAX) or DRILL_ENOMEM, recorded; on
 * error the map is as it was. */
int drill__map_add(drill__map *m, uint32_t hash, size_t index);
/* drill__map_add under a string key's hash */
static inline int drill__map_put(drill__map *m, const char *s, size_t index)
{
    return drill__map_add(m, drill__map_hash(s), index);
}
/* room for count entries without growing; 0 or DRILL_ENOMEM (map unchanged) */
int drill__map_reserve(drill__map *m, size_t count);
/* take out the entry at index stored under hash (nothing when it is not
 * there); the entries after it in its probe run move back, so every other
 * entry is still found */
void drill__map_remove(drill__map *m, uint32_t hash, size_t index);
/* empty the map, keeping its table */
void drill__map_clear(drill__map *m);
/* a copy of m into *out (which is overwritten); 0 or DRILL_ENOMEM (*out untouched) */
int drill__map_copy(drill__map *out, const drill__map *m);
void drill__map_free(drill__map *m);

#endif
