/* The one growable array: see vec.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "vec.h"

int drill__vec_reserve(void *itemsp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    if (size == 0 || need > SIZE_MAX / size)
        return drill__error(DRILL_ENOMEM, "out of memory: an array of %zu elements of %zu bytes", need, size);
    size_t n = *cap;
    if (n == 0)
        n = size < 16 ? 256 / size : 16;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (n > SIZE_MAX / size) /* doubling went past what can be addressed: take just what is needed */
        n = need;
    void *items;
    memcpy(&items, itemsp, sizeof items); /* any object pointer, read without type punning */
    void *p = realloc(items, n * size);
    if (!p)
        return drill__error(DRILL_ENOMEM, "out of memory growing an array to %zu elements", n);
    memcpy(itemsp, &p, sizeof p);
    *cap = n;
    return 0;
}
