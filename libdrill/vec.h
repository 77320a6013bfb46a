/* The one growable array of libdrill (private, never installed).
 *
 * An array is three fields of its owner: a pointer to the elements, a count
 * and a capacity (e.g. `unit_rec *units; size_t count, units_cap;`), so the
 * owner's struct keeps its shape and each element keeps its type. All growth
 * goes through drill__vec_reserve: geometric (doubling), every size product
 * checked for overflow, and on failure nothing changes. */
#ifndef DRILL_VEC_H
#define DRILL_VEC_H

#include <stddef.h>

/* Make room for need elements of size bytes in the array *itemsp (the
 * address of any object pointer, e.g. &plan->drills) of capacity *cap.
 * Capacity doubles from at least 16 elements (or 256 bytes of small
 * elements) until need fits. Returns 0, or DRILL_ENOMEM (recorded as "out of
 * memory") when the allocation fails or need * size overflows; then *itemsp
 * and *cap are left as they were, so the array stays whole. */
int drill__vec_reserve(void *itemsp, size_t *cap, size_t need, size_t size);

/* drill__vec_reserve for an array given by its pointer lvalue */
#define DRILL__VEC_RESERVE(items, cap, need) drill__vec_reserve(&(items), &(cap), (need), sizeof *(items))

#endif
