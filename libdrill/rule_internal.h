/* The rule set's layout, shared with the plan; never installed. */
#ifndef DRILL_RULE_INTERNAL_H
#define DRILL_RULE_INTERNAL_H

#include "drill/rule.h"

typedef struct rule_rec {
    drill_rule r; /* strings owned */
} rule_rec;

struct drill_rules {
    rule_rec *items;
    size_t count, cap;
};

/* 1 and *out the index if id is a rule, 0 otherwise (no error recorded) */
int drill__rules_lookup(const drill_rules *rules, const char *id, size_t *out);
/* a deep copy */
int drill__rules_dup(drill_rules **out, const drill_rules *rules);
/* a byte per class of units: 1 where the rule's class conditions hold */
int drill__rule_class_mask(const drill_rule *r, const drill_units *units, unsigned char *mask);
/* a byte per area of units: 1 where the rule's area prefix holds */
void drill__rule_area_mask(const drill_rule *r, const drill_units *units, unsigned char *mask);
/* the unit conditions beyond class and area */
int drill__rule_unit_ok(const drill_rule *r, const drill_units *units, size_t unit);
/* the word for a kind or form in feeds ("comprehensive", "special", "onsite";
 * "live", "tabletop"), from the table drill_kind_name and drill_form_name read */
const char *drill__kind_id(drill_kind kind);
const char *drill__form_id(drill_form form);

#endif
