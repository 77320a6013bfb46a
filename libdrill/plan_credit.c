/* The requirements a drill meets for other rules (plan.c's generation
 * records them as credits): queries. */
#include <stdio.h>
#include "internal.h"
#include "rule_internal.h"
#include "plan_internal.h"

/* the k-th credit of drill index, or NULL, and how many it has: a scan of
 * the plan's credits, for one drill at a time (drillctl show), not for bulk */
static const credit_rec *nth_credit(const drill_plan *p, size_t index, size_t k, size_t *out_count)
{
    size_t n = 0;
    const credit_rec *found = NULL;
    for (size_t i = 0; i < p->ncredits; i++)
        if (p->credits[i].drill == index) {
            if (n == k)
                found = &p->credits[i];
            n++;
        }
    if (out_count)
        *out_count = n;
    return found;
}

int drill_plan_credit_count(size_t *out, const drill_plan *plan, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    if (index >= plan->count)
        return drill__error(DRILL_ENOTFOUND, "no drill at index %zu (the plan has %zu)", index, plan->count);
    nth_credit(plan, index, (size_t)-1, out);
    return 0;
}

int drill_plan_credit_get(const char **out_rule, char *out_period, size_t size, const drill_plan *plan, size_t index,
                          size_t k)
{
    DRILL_CHECK_NULL(out_rule);
    DRILL_CHECK_NULL(out_period);
    DRILL_CHECK_NULL(plan);
    if (index >= plan->count)
        return drill__error(DRILL_ENOTFOUND, "no drill at index %zu (the plan has %zu)", index, plan->count);
    size_t n = 0;
    const credit_rec *c = nth_credit(plan, index, k, &n);
    if (!c)
        return drill__error(DRILL_ENOTFOUND, "drill %zu meets %zu other requirements, not %zu", index, n, k + 1);
    int len = snprintf(out_period, size, "%d%s", plan->year, drill__period_suffix(c->period));
    if (len < 0 || (size_t)len >= size)
        return drill__error(DRILL_EINVAL, "a period needs %d bytes, the buffer has %zu", len + 1, size);
    *out_rule = plan->rules->items[c->rule].r.id;
    return 0;
}
