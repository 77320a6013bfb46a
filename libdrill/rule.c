/* Drill rules and the presets. */
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

int drill_rules_new(drill_rules **out)
{
    DRILL_CHECK_NULL(out);
    *out = calloc(1, sizeof **out);
    return *out ? 0 : drill__error(DRILL_ENOMEM, "out of memory creating a rule set");
}

static void rule_clear(drill_rule *r)
{
    free((char *)r->id);
    free((char *)r->name);
    free((char *)r->name_en);
    free((char *)r->source);
    free((char *)r->classes);
    free((char *)r->area);
    free((char *)r->scenario);
    free((char *)r->campaign);
}

void drill_rules_free(drill_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->count; i++)
        rule_clear(&rules->items[i].r);
    free(rules->items);
    free(rules);
}

static int valid_id(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 63)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* '|'-separated ids, each valid */
static int valid_list(const char *s)
{
    char buf[64];
    while (*s) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        if (n == 0 || n >= sizeof buf)
            return 0;
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (!valid_id(buf))
            return 0;
        if (!bar)
            break;
        s = bar + 1;
    }
    return 1;
}

static int utf8(const char *s)
{
    return !s || drill__utf8_valid(s, strlen(s));
}

static int check_rule(const drill_rule *r)
{
    if (r->version != DRILL_RULE_VERSION)
        return drill__error(DRILL_EVERSION, "drill_rule version %u is not %d", r->version, DRILL_RULE_VERSION);
    if (!valid_id(r->id))
        return drill__error(DRILL_EINVAL, "rule id '%s' is not 1-63 of [A-Za-z0-9._-]", r->id ? r->id : "(null)");
    if (!r->name || !*r->name || !utf8(r->name) || !utf8(r->name_en) || !utf8(r->source) || !utf8(r->area))
        return drill__error(DRILL_EINVAL, "rule '%s' needs a UTF-8 name (and UTF-8 text)", r->id);
    if (r->classes && !valid_list(r->classes))
        return drill__error(DRILL_EINVAL, "rule '%s': classes '%s' is not a '|'-separated list of ids", r->id,
                            r->classes);
    if (r->class_flags & ~0x7Fu)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown class_flags 0x%x", r->id, r->class_flags);
    if ((int)r->min_risk < DRILL_RISK_UNSET || r->min_risk > DRILL_RISK_MAJOR)
        return drill__error(DRILL_EINVAL, "rule '%s': min_risk %d is not 0-4", r->id, (int)r->min_risk);
    if (r->flood_prone < 0 || r->flood_prone > 1)
        return drill__error(DRILL_EINVAL, "rule '%s': flood_prone %d is not 0 or 1", r->id, r->flood_prone);
    if (r->key_fire < -1 || r->key_fire > 1)
        return drill__error(DRILL_EINVAL, "rule '%s': key_fire %d is not -1, 0 or 1", r->id, r->key_fire);
    if (r->kind < DRILL_KIND_COMPREHENSIVE || r->kind > DRILL_KIND_ONSITE)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown kind %d", r->id, (int)r->kind);
    if (r->form != DRILL_FORM_LIVE && r->form != DRILL_FORM_TABLETOP)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown form %d", r->id, (int)r->form);
    if (r->scenario && !valid_id(r->scenario))
        return drill__error(DRILL_EINVAL, "rule '%s': scenario '%s' is not 1-63 of [A-Za-z0-9._-]", r->id,
                            r->scenario);
    if (r->frequency < DRILL_FREQ_YEARLY || r->frequency > DRILL_FREQ_BIENNIAL)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown frequency %d", r->id, (int)r->frequency);
    if (r->campaign && !valid_id(r->campaign))
        return drill__error(DRILL_EINVAL, "rule '%s': campaign '%s' is not an id", r->id, r->campaign);
    if (r->campaign && (r->frequency == DRILL_FREQ_HALF_YEARLY || r->frequency == DRILL_FREQ_ROLLING))
        return drill__error(DRILL_EINVAL, "rule '%s': only yearly and biennial rules can name a campaign", r->id);
    if (r->due_from != DRILL_DUE_FROM_PLANNED && r->due_from != DRILL_DUE_FROM_HELD)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown due_from %d", r->id, (int)r->due_from);
    return 0;
}

static int copy_rule(drill_rule *dst, const drill_rule *src)
{
    const char *const *from[] = { &src->id, &src->name, &src->name_en, &src->source,
                                  &src->classes, &src->area, &src->scenario, &src->campaign };
    const char **to[] = { &dst->id, &dst->name, &dst->name_en, &dst->source,
                          &dst->classes, &dst->area, &dst->scenario, &dst->campaign };
    *dst = *src;
    int failed = 0;
    for (size_t i = 0; i < sizeof to / sizeof *to; i++) {
        *to[i] = *from[i] && **from[i] ? drill__strdup(*from[i]) : NULL;
        failed |= *from[i] && **from[i] && !*to[i];
    }
    if (failed) {
        rule_clear(dst);
        return drill__error(DRILL_ENOMEM, "out of memory adding rule '%s'", src->id);
    }
    return 0;
}

int drill__rules_lookup(const drill_rules *rules, const char *id, size_t *out)
{
    for (size_t i = 0; i < rules->count; i++)
        if (strcmp(rules->items[i].r.id, id) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

static int find(const drill_rules *rules, const char *id, size_t *out)
{
    for (size_t i = 0; i < rules->count; i++)
        if (strcmp(rules->items[i].r.id, id) == 0) {
            *out = i;
            return 0;
        }
    return drill__error(DRILL_ENOTFOUND, "no rule '%s'", id);
}

int drill_rules_add(drill_rules *rules, const drill_rule *rule)
{
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(rule);
    DRILL__VERSIONED(rule, drill_rule, DRILL_RULE_INIT);
    size_t i = 0;
    int rc = check_rule(rule);
    if (rc)
        return rc;
    if (find(rules, rule->id, &i) == 0)
        return drill__error(DRILL_EEXISTS, "rule '%s' exists already", rule->id);
    if (rules->count >= 65535)
        return drill__error(DRILL_ERANGE, "a rule set holds at most 65535 rules");
    if (rules->count == rules->cap) {
        size_t cap = rules->cap ? rules->cap * 2 : 16;
        rule_rec *n = realloc(rules->items, cap * sizeof *n);
        if (!n)
            return drill__error(DRILL_ENOMEM, "out of memory adding rule '%s'", rule->id);
        rules->items = n;
        rules->cap = cap;
    }
    if ((rc = copy_rule(&rules->items[rules->count].r, rule)))
        return rc;
    rules->count++;
    return 0;
}

int drill__rules_dup(drill_rules **out, const drill_rules *rules)
{
    drill_rules *copy = NULL;
    int rc = drill_rules_new(&copy);
    for (size_t i = 0; rc == 0 && i < rules->count; i++)
        rc = drill_rules_add(copy, &rules->items[i].r);
    if (rc) {
        drill_rules_free(copy);
        return rc;
    }
    *out = copy;
    return 0;
}

int drill_rules_update(drill_rules *rules, const drill_rule *rule)
{
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(rule);
    DRILL__VERSIONED(rule, drill_rule, DRILL_RULE_INIT);
    size_t i = 0;
    int rc = check_rule(rule);
    if (rc || (rc = find(rules, rule->id, &i)))
        return rc;
    drill_rule copy;
    if ((rc = copy_rule(&copy, rule)))
        return rc;
    rule_clear(&rules->items[i].r);
    rules->items[i].r = copy;
    return 0;
}

int drill_rules_remove(drill_rules *rules, const char *id)
{
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(id);
    size_t i = 0;
    int rc = find(rules, id, &i);
    if (rc)
        return rc;
    rule_clear(&rules->items[i].r);
    memmove(&rules->items[i], &rules->items[i + 1], (rules->count - i - 1) * sizeof *rules->items);
    rules->count--;
    return 0;
}

size_t drill_rules_count(const drill_rules *rules)
{
    return rules ? rules->count : 0;
}

int drill_rules_get(drill_rule *out, const drill_rules *rules, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(rules);
    if (index >= rules->count)
        return drill__error(DRILL_ENOTFOUND, "no rule at index %zu (the set has %zu)", index, rules->count);
    *out = rules->items[index].r;
    return 0;
}

int drill_rules_find(size_t *out, const drill_rules *rules, const char *id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(id);
    return find(rules, id, out);
}

static int in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *s = list; s && *s;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (len == n && strncmp(s, id, n) == 0)
            return 1;
        s = bar ? bar + 1 : NULL;
    }
    return 0;
}

int drill__rule_class_mask(const drill_rule *r, const drill_units *units, unsigned char *mask)
{
    int any = 0;
    for (size_t c = 0; c < units->nclasses; c++) {
        const class_rec *k = &units->classes[c];
        mask[c] = (!r->classes || in_list(r->classes, k->id)) && (!r->class_flags || (k->flags & r->class_flags));
        any |= mask[c];
    }
    return any;
}

void drill__rule_area_mask(const drill_rule *r, const drill_units *units, unsigned char *mask)
{
    size_t n = r->area ? strlen(r->area) : 0;
    for (size_t a = 0; a < units->nareas; a++) {
        const char *path = units->pool + units->areas[a].name;
        /* a prefix that ends at a path boundary: "大连市/中山区" is not "大连市/中山" */
        mask[a] = !n || (strncmp(path, r->area, n) == 0 && (path[n] == '\0' || path[n] == '/' || r->area[n - 1] == '/'));
    }
}

int drill__rule_unit_ok(const drill_rule *r, const drill_units *units, size_t unit)
{
    const unit_rec *u = &units->units[unit];
    if (r->min_risk && u->risk < r->min_risk)
        return 0;
    if (r->flood_prone && !(u->flags & UNIT_FLOOD))
        return 0;
    if (r->key_fire) {
        int key = drill__unit_key_fire(units, u);
        if ((r->key_fire == 1) != key)
            return 0;
    }
    return 1;
}

int drill_rules_applies(int *out, const drill_rules *rules, size_t rule, const drill_units *units, size_t unit)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(units);
    if (rule >= rules->count)
        return drill__error(DRILL_ENOTFOUND, "no rule at index %zu", rule);
    if (unit >= units->count)
        return drill__error(DRILL_ENOTFOUND, "no unit at index %zu", unit);
    const drill_rule *r = &rules->items[rule].r;
    const unit_rec *u = &units->units[unit];
    const class_rec *k = &units->classes[u->cls];
    unsigned char area = 0;
    const char *path = units->pool + units->areas[u->area].name;
    size_t n = r->area ? strlen(r->area) : 0;
    area = !n || (strncmp(path, r->area, n) == 0 && (path[n] == '\0' || path[n] == '/' || r->area[n - 1] == '/'));
    *out = area && (!r->classes || in_list(r->classes, k->id)) && (!r->class_flags || (k->flags & r->class_flags)) &&
           drill__rule_unit_ok(r, units, unit);
    return 0;
}

/* ---- names ---- */

const char *drill_kind_name(drill_kind kind, int en)
{
    switch (kind) {
    case DRILL_KIND_COMPREHENSIVE: return en ? "comprehensive" : "综合演练";
    case DRILL_KIND_SPECIAL: return en ? "special" : "专项演练";
    case DRILL_KIND_ONSITE: return en ? "on-site response" : "现场处置演练";
    default: return en ? "unknown" : "未知";
    }
}

const char *drill_form_name(drill_form form, int en)
{
    switch (form) {
    case DRILL_FORM_LIVE: return en ? "live" : "实战";
    case DRILL_FORM_TABLETOP: return en ? "tabletop" : "桌面";
    default: return en ? "unknown" : "未知";
    }
}

static const struct { const char *id, *zh, *en; } scenarios[] = {
    { "fire", "火灾", "fire" },
    { "flood", "防汛", "flood" },
    { "earthquake", "地震", "earthquake" },
    { "chemical-release", "危险化学品泄漏", "hazardous-chemical release" },
    { "evacuation", "疏散", "evacuation" },
    { "power-cut", "停电", "power cut" },
    { "typhoon", "台风", "typhoon" },
    { "gas-leak", "燃气泄漏", "gas leak" },
    { "collapse", "坍塌", "collapse" },
    { "crowd", "人员踩踏", "crowd crush" },
    { "medical", "医疗救护", "medical emergency" },
};

const char *drill_scenario_name(const char *scenario, int en)
{
    if (!scenario)
        return "";
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        if (strcmp(scenarios[i].id, scenario) == 0)
            return en ? scenarios[i].en : scenarios[i].zh;
    return scenario;
}

/* ---- presets ---- */

#define ART33 "《生产安全事故应急预案管理办法》(应急管理部令第2号, 2019年修正) 第三十三条"
#define D708 "《生产安全事故应急条例》(国务院令第708号, 2019) 第八条"
#define MPS61 "《机关、团体、企业、事业单位消防安全管理规定》(公安部令第61号, 2001) (article number unverified)"
#define CITY "大连市应急管理局 2022 年工作要求: 全覆盖应急演练 (Dalian EMB 2022 work plan)"

int drill_rules_new_presets(drill_rules **out)
{
    DRILL_CHECK_NULL(out);
    const unsigned v = DRILL_RULE_VERSION;
    const drill_rule presets[] = {
        { .version = v, .id = "art33-annual", .name = "年度综合或专项预案演练",
          .name_en = "Annual comprehensive drill", .source = ART33, .class_flags = DRILL_CLASS_PRODUCTION,
          .kind = DRILL_KIND_COMPREHENSIVE, .form = DRILL_FORM_LIVE, .frequency = DRILL_FREQ_YEARLY },
        { .version = v, .id = "art33-onsite", .name = "现场处置方案演练", .name_en = "On-site response drill",
          .source = ART33, .class_flags = DRILL_CLASS_PRODUCTION, .kind = DRILL_KIND_ONSITE,
          .form = DRILL_FORM_LIVE, .frequency = DRILL_FREQ_HALF_YEARLY },
        { .version = v, .id = "decree708-high-risk", .name = "高危行业及人员密集场所专项演练",
          .name_en = "High-risk industries and crowded venues: special drill", .source = D708,
          .class_flags = DRILL_CLASS_HIGH_RISK, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .frequency = DRILL_FREQ_HALF_YEARLY },
        { .version = v, .id = "decree708-government", .name = "政府及部门、乡镇街道应急演练",
          .name_en = "Governments, departments, townships and sub-districts", .source = D708,
          .class_flags = DRILL_CLASS_GOVERNMENT | DRILL_CLASS_TOWNSHIP, .kind = DRILL_KIND_COMPREHENSIVE,
          .form = DRILL_FORM_TABLETOP, .frequency = DRILL_FREQ_BIENNIAL },
        { .version = v, .id = "fire-key-unit", .name = "消防安全重点单位灭火和应急疏散演练",
          .name_en = "Key fire-safety unit: fire and evacuation drill", .source = MPS61, .key_fire = 1,
          .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "fire",
          .frequency = DRILL_FREQ_HALF_YEARLY },
        { .version = v, .id = "fire-other", .name = "灭火和应急疏散演练", .name_en = "Fire and evacuation drill",
          .source = MPS61, .key_fire = -1, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "fire", .frequency = DRILL_FREQ_YEARLY },
        { .version = v, .id = "city-work-safety-month", .name = "安全生产月应急演练",
          .name_en = "Work Safety Month drill", .source = CITY, .kind = DRILL_KIND_SPECIAL,
          .form = DRILL_FORM_LIVE, .scenario = "evacuation", .frequency = DRILL_FREQ_YEARLY,
          .campaign = "work-safety-month" },
        { .version = v, .id = "city-disaster-week", .name = "防灾减灾日地震疏散演练",
          .name_en = "Disaster Reduction Day earthquake evacuation", .source = CITY, .classes = "school|community",
          .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "earthquake",
          .frequency = DRILL_FREQ_YEARLY, .campaign = "disaster-reduction-week" },
        { .version = v, .id = "city-pre-flood", .name = "主汛期前防汛演练", .name_en = "Pre-flood-season drill",
          .source = CITY, .flood_prone = 1, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "flood", .frequency = DRILL_FREQ_YEARLY, .campaign = "pre-flood-season" },
        { .version = v, .id = "city-iddrr", .name = "国际减灾日机关应急演练",
          .name_en = "International Day for Disaster Risk Reduction: government drill", .source = CITY,
          .class_flags = DRILL_CLASS_GOVERNMENT, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "evacuation", .frequency = DRILL_FREQ_YEARLY, .campaign = "iddrr" },
        { .version = v, .id = "city-fire-month", .name = "消防宣传月重点单位演练",
          .name_en = "November fire month: key fire-safety units", .source = CITY, .key_fire = 1,
          .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "fire",
          .frequency = DRILL_FREQ_YEARLY, .campaign = "fire-month" },
    };
    drill_rules *rules = NULL;
    int rc = drill_rules_new(&rules);
    for (size_t i = 0; rc == 0 && i < sizeof presets / sizeof *presets; i++)
        rc = drill_rules_add(rules, &presets[i]);
    if (rc) {
        drill_rules_free(rules);
        return rc;
    }
    *out = rules;
    return 0;
}
