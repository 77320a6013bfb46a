/**
 * @file drill/rule.h
 * @brief Drill rules as data: which units drill, what, how often, and in
 * which campaign window.
 *
 * A rule selects units (by class id, class flags, area, risk and flags) and
 * requires of each a drill of a kind, form and scenario, at a frequency,
 * optionally inside a campaign's window. drill_rules_new_presets() encodes
 * the national rules and the Dalian bureau's campaign duties, each naming
 * its source:
 *
 * | id | who | what | how often | source |
 * |----|-----|------|-----------|--------|
 * | art33-annual | production units | comprehensive or special plan drill (either meets it) | yearly | plan rules (MEM order 2) art. 33 para. 1 |
 * | art33-onsite | production units | on-site response drill | every half year | same |
 * | decree708-high-risk | decree 708 industries and crowded venues | any plan's drill (the on-site drills meet it) | every half year | art. 33 para. 2 = decree 708 art. 8 para. 2 |
 * | decree708-government | government organs, township and sub-district offices | comprehensive | every two years | decree 708 art. 8 para. 1 |
 * | fire-key-unit | key fire-safety units (MPS order 61 art. 13) | fire and evacuation | every half year | MPS order 61 art. 40 |
 * | fire-other | all other units | fire and evacuation | yearly | same |
 * | highrise-annual | high-rise buildings | full-element comprehensive | yearly | MEM order 5 art. 44 |
 * | highrise-100m | high-rise public buildings over 100 m | comprehensive | every half year | same |
 * | highrise-subplan | high-rise buildings with sub-plans | comprehensive or special fire/evacuation | quarterly | same |
 * | highrise-residential | high-rise residential buildings | residents' evacuation | yearly | MEM order 5 art. 41 |
 * | moe-school-monthly | primary, secondary, boarding and special schools | evacuation, in term | monthly | MOE guide 教基一厅〔2014〕2号 |
 * | moe-kindergarten-quarterly | kindergartens | evacuation, in term | quarterly | same |
 * | city-work-safety-month | every unit | evacuation | in Work Safety Month | Dalian EMB 2022 |
 * | city-disaster-week | organs and the public | earthquake evacuation | in the May 12 publicity week | same |
 * | city-pre-flood | flood-prone units | flood | before the main flood season | same |
 * | city-pre-flood-public | organs and the public | flood (one drill with the above) | before the main flood season | same |
 * | city-iddrr | organs and the public | evacuation | on October 13 | same |
 * | city-fire-month | key fire-safety units | fire | in November fire month | same |
 *
 * One drill can satisfy several rules: a rule that names the kinds and
 * scenarios that satisfy it (satisfied_by_kinds, satisfied_by_scenarios) is
 * met by another rule's drill of those inside its window; the plan then
 * generates no drill of its own for it and the coverage report credits it
 * with that drill's state.
 *
 * Scenarios are short ids; the built-in ones are fire, flood, earthquake,
 * chemical-release, evacuation, power-cut, typhoon, gas-leak, collapse,
 * crowd and medical (drill_scenario_name() names them). Any other id of
 * [A-Za-z0-9._-] is allowed.
 */
#ifndef DRILL_RULE_H
#define DRILL_RULE_H

#include <stddef.h>
#include "common.h"
#include "unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of rules (opaque). One thread at a time. */
typedef struct drill_rules drill_rules;

/** By content (AQ/T 9007-2019 and the plan rules' three plan types). */
typedef enum drill_kind {
    DRILL_KIND_COMPREHENSIVE = 1, /**< 综合演练: the comprehensive plan */
    DRILL_KIND_SPECIAL = 2,       /**< 专项演练: a special (single-hazard) plan */
    DRILL_KIND_ONSITE = 3         /**< 现场处置方案演练: an on-site response procedure */
} drill_kind;

/** By form. */
typedef enum drill_form {
    DRILL_FORM_LIVE = 1,    /**< 实战演练: operations-based */
    DRILL_FORM_TABLETOP = 2 /**< 桌面演练: discussion-based */
} drill_form;

/** How often a drill is due. */
typedef enum drill_frequency {
    DRILL_FREQ_YEARLY = 1,      /**< once a calendar year */
    DRILL_FREQ_HALF_YEARLY = 2, /**< once in each calendar half (January-June, July-December) */
    DRILL_FREQ_ROLLING = 3,     /**< within six months of the previous drill (two a year) */
    DRILL_FREQ_BIENNIAL = 4,    /**< once every two years */
    DRILL_FREQ_MONTHLY = 5,     /**< once in each calendar month (ids PERIOD "YYYYM01".."YYYYM12") */
    DRILL_FREQ_QUARTERLY = 6    /**< once in each calendar quarter (ids "YYYYQ1".."YYYYQ4") */
} drill_frequency;

/** Where the next due date counts from, for rolling and biennial rules. */
typedef enum drill_due_from {
    DRILL_DUE_FROM_PLANNED = 0, /**< the previous drill's planned date */
    DRILL_DUE_FROM_HELD = 1     /**< the date the previous drill was actually held */
} drill_due_from;

/** A rule. Strings are copied by drill_rules_add(); from drill_rules_get(), borrowed. */
typedef struct drill_rule {
    unsigned int version;   /**< DRILL_RULE_VERSION */
    const char *id;         /**< 1-63 of [A-Za-z0-9._-], required */
    const char *name;       /**< UTF-8 name, required */
    const char *name_en;    /**< English name, or NULL */
    const char *source;     /**< the legal source or notice, or NULL */
    /* which units: all conditions must hold */
    const char *classes;    /**< '|'-separated class ids, or NULL for any class */
    unsigned int class_flags; /**< the unit's class has one of these drill_class_flag bits; 0 = any */
    const char *area;       /**< area path prefix ("大连市/中山区"), or NULL for everywhere */
    drill_risk min_risk;    /**< at least this risk; DRILL_RISK_UNSET = any */
    int flood_prone;        /**< 1: only flood-prone units; 0: any */
    int key_fire;           /**< 1: only key fire-safety units; -1: only the others; 0: any */
    /* what */
    drill_kind kind;        /**< the drill's kind */
    drill_form form;        /**< live or tabletop */
    const char *scenario;   /**< scenario id, or NULL for the unit class's default */
    drill_frequency frequency; /**< how often */
    const char *campaign;   /**< campaign id the drill must fall in (yearly and biennial rules only), or NULL */
    drill_due_from due_from; /**< rolling and biennial rules: what the next due date counts from */
    /* version 2 */
    /** drill kinds whose drills satisfy the rule, as bits (DRILL_KIND_BIT()); 0 = only kind.
     *  A rule that sets neither this nor satisfied_by_scenarios is met by its own drills only.
     *  Art. 33's yearly duty is (1u << DRILL_KIND_COMPREHENSIVE) | (1u << DRILL_KIND_SPECIAL). */
    unsigned int satisfied_by_kinds;
    /** '|'-separated scenario ids whose drills satisfy the rule, "*" for any scenario, or NULL
     *  for only the rule's own scenario (the unit class's default when scenario is NULL) */
    const char *satisfied_by_scenarios;
} drill_rule;

#define DRILL_RULE_VERSION 2
#define DRILL_RULE_INIT { DRILL_RULE_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, DRILL_RISK_UNSET, 0, 0, \
    DRILL_KIND_SPECIAL, DRILL_FORM_LIVE, NULL, DRILL_FREQ_YEARLY, NULL, DRILL_DUE_FROM_PLANNED, 0, NULL }

/** The bit of a kind in drill_rule.satisfied_by_kinds. */
#define DRILL_KIND_BIT(kind) (1u << (unsigned)(kind))

/**
 * Fill a drill_rule with the defaults of DRILL_RULE_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_RULE_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_rule_init(drill_rule *out, unsigned int version);

/**
 * An empty rule set.
 * @param out receives the set; free it with drill_rules_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_rules_new(drill_rules **out);

/**
 * The preset rules (see the file comment).
 * @param out receives the set; free it with drill_rules_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_rules_new_presets(drill_rules **out);

/** Free a rule set; NULL is allowed. */
DRILL_EXTERN void drill_rules_free(drill_rules *rules);

/**
 * Add a rule.
 * @return 0; DRILL_EINVAL for a NULL pointer or a bad field (the message
 *         names it; a campaign on a half-yearly or rolling rule is one);
 *         DRILL_EVERSION; DRILL_EEXISTS if the id is taken; DRILL_ERANGE past
 *         65535 rules; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_rules_add(drill_rules *rules, const drill_rule *rule);

/**
 * Replace the rule with rule->id, keeping its position.
 * @return as drill_rules_add(), but DRILL_ENOTFOUND for an unknown id
 */
DRILL_EXTERN int drill_rules_update(drill_rules *rules, const drill_rule *rule);

/**
 * Remove a rule.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 */
DRILL_EXTERN int drill_rules_remove(drill_rules *rules, const char *id);

/** Number of rules. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_rules_count(const drill_rules *rules);

/**
 * A rule by index, in the order added.
 * @param out receives the rule; its strings are borrowed from rules until it changes
 *        (its version set with DRILL_RULE_INIT (or drill_rule_init()); the fields of that version are written)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_rules_get(drill_rule *out, const drill_rules *rules, size_t index);

/**
 * Find a rule by id.
 * @param out receives its index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 */
DRILL_EXTERN int drill_rules_find(size_t *out, const drill_rules *rules, const char *id);

/**
 * Whether a rule applies to a unit of a registry.
 * @param out receives 1 or 0
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_rules_applies(int *out, const drill_rules *rules, size_t rule, const drill_units *units,
                                     size_t unit);

/** Name of a kind ("综合演练" or, with en, "comprehensive"). @return a static string */
DRILL_EXTERN const char *drill_kind_name(drill_kind kind, int en);
/** Name of a form ("实战" / "live"). @return a static string */
DRILL_EXTERN const char *drill_form_name(drill_form form, int en);
/** Name of a scenario id ("火灾" / "fire"); an unknown id is returned as it is. @return a static or the given string */
DRILL_EXTERN const char *drill_scenario_name(const char *scenario, int en);

#ifdef __cplusplus
}
#endif
#endif
