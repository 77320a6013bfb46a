/* Drill rules and the presets. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"
#include "vec.h"

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
    free((char *)r->satisfied_by_scenarios);
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
        if (!drill__id_valid(buf, 63))
            return 0;
        if (!bar)
            break;
        s = bar + 1;
    }
    return 1;
}

static int check_rule(const drill_rule *r)
{
    if (r->version < 1 || r->version > DRILL_RULE_VERSION)
        return drill__error(DRILL_EVERSION, "drill_rule version %u is not 1-%d", r->version, DRILL_RULE_VERSION);
    if (!drill__id_valid(r->id, 63))
        return drill__error(DRILL_EINVAL, "rule id '%s' is not 1-63 of [A-Za-z0-9._-]", r->id ? r->id : "(null)");
    if (!r->name || !*r->name || !drill__utf8_text_ok(r->name) || !drill__utf8_text_ok(r->name_en) || !drill__utf8_text_ok(r->source) || !drill__utf8_text_ok(r->area))
        return drill__error(DRILL_EINVAL, "rule '%s' needs a UTF-8 name (and UTF-8 text)", r->id);
    if (r->classes && !valid_list(r->classes))
        return drill__error(DRILL_EINVAL, "rule '%s': classes '%s' is not a '|'-separated list of ids", r->id,
                            r->classes);
    if (r->class_flags & ~0xFFu)
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
    if (r->scenario && !drill__id_valid(r->scenario, 63))
        return drill__error(DRILL_EINVAL, "rule '%s': scenario '%s' is not 1-63 of [A-Za-z0-9._-]", r->id,
                            r->scenario);
    if (r->frequency < DRILL_FREQ_YEARLY || r->frequency > DRILL_FREQ_QUARTERLY)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown frequency %d", r->id, (int)r->frequency);
    if (r->campaign && !drill__id_valid(r->campaign, 63))
        return drill__error(DRILL_EINVAL, "rule '%s': campaign '%s' is not an id", r->id, r->campaign);
    if (r->campaign && r->frequency != DRILL_FREQ_YEARLY && r->frequency != DRILL_FREQ_BIENNIAL)
        return drill__error(DRILL_EINVAL, "rule '%s': only yearly and biennial rules can name a campaign", r->id);
    if (r->due_from != DRILL_DUE_FROM_PLANNED && r->due_from != DRILL_DUE_FROM_HELD)
        return drill__error(DRILL_EINVAL, "rule '%s': unknown due_from %d", r->id, (int)r->due_from);
    if (r->version >= 2) {
        if (r->satisfied_by_kinds & ~(DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE) | DRILL_KIND_BIT(DRILL_KIND_SPECIAL) |
                                      DRILL_KIND_BIT(DRILL_KIND_ONSITE)))
            return drill__error(DRILL_EINVAL, "rule '%s': satisfied_by_kinds 0x%x has bits of no kind", r->id,
                                r->satisfied_by_kinds);
        const char *sc = r->satisfied_by_scenarios;
        if (sc && *sc && strcmp(sc, "*") != 0 && !valid_list(sc))
            return drill__error(DRILL_EINVAL, "rule '%s': satisfied_by_scenarios '%s' is not \"*\" or a '|'-separated "
                                "list of scenario ids", r->id, sc);
    }
    return 0;
}

static int copy_rule(drill_rule *dst, const drill_rule *src)
{
    const char *const *from[] = { &src->id, &src->name, &src->name_en, &src->source,
                                  &src->classes, &src->area, &src->scenario, &src->campaign,
                                  &src->satisfied_by_scenarios };
    const char **to[] = { &dst->id, &dst->name, &dst->name_en, &dst->source,
                          &dst->classes, &dst->area, &dst->scenario, &dst->campaign,
                          &dst->satisfied_by_scenarios };
    const char *none = NULL;
    if (src->version < 2) { /* a version 1 rule has no satisfied_by fields: read only what it had */
        memcpy(dst, src, offsetof(drill_rule, satisfied_by_kinds));
        dst->satisfied_by_kinds = 0;
        from[8] = &none;
    } else {
        *dst = *src;
    }
    dst->version = DRILL_RULE_VERSION;
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
    if (DRILL__VEC_RESERVE(rules->items, rules->cap, rules->count + 1))
        return drill__error(DRILL_ENOMEM, "out of memory adding rule '%s'", rule->id);
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
    drill_rule copy = DRILL_RULE_INIT;
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
    int rc = drill__out_check(out, &drill__abi_drill_rule);
    if (rc)
        return rc;
    if (index >= rules->count)
        return drill__error(DRILL_ENOTFOUND, "no rule at index %zu (the set has %zu)", index, rules->count);
    return drill__out_fill(out, &rules->items[index].r, &drill__abi_drill_rule);
}

int drill_rules_find(size_t *out, const drill_rules *rules, const char *id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(id);
    return find(rules, id, out);
}

int drill__rule_class_mask(const drill_rule *r, const drill_units *units, unsigned char *mask)
{
    int any = 0;
    for (size_t c = 0; c < units->nclasses; c++) {
        const class_rec *k = &units->classes[c];
        mask[c] = (!r->classes || drill__in_bar_list(r->classes, k->id)) && (!r->class_flags || (k->flags & r->class_flags));
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
    *out = area && (!r->classes || drill__in_bar_list(r->classes, k->id)) && (!r->class_flags || (k->flags & r->class_flags)) &&
           drill__rule_unit_ok(r, units, unit);
    return 0;
}

/* ---- names ---- */

/* one table per enum: the word feeds write (CATEGORIES, X-DRILL-KIND), the
 * Chinese and the English name */
typedef struct enum_name {
    const char *id, *zh, *en;
} enum_name;

static const enum_name kinds[] = {
    [DRILL_KIND_COMPREHENSIVE] = { "comprehensive", "综合演练", "comprehensive" },
    [DRILL_KIND_SPECIAL] = { "special", "专项演练", "special" },
    [DRILL_KIND_ONSITE] = { "onsite", "现场处置演练", "on-site response" },
};

static const enum_name forms[] = {
    [DRILL_FORM_LIVE] = { "live", "实战", "live" },
    [DRILL_FORM_TABLETOP] = { "tabletop", "桌面", "tabletop" },
};

static const enum_name unknown = { "unknown", "未知", "unknown" };

static const enum_name *kind_entry(drill_kind kind)
{
    return (unsigned)kind < sizeof kinds / sizeof *kinds && kinds[kind].id ? &kinds[kind] : &unknown;
}

static const enum_name *form_entry(drill_form form)
{
    return (unsigned)form < sizeof forms / sizeof *forms && forms[form].id ? &forms[form] : &unknown;
}

const char *drill_kind_name(drill_kind kind, int en)
{
    return en ? kind_entry(kind)->en : kind_entry(kind)->zh;
}

const char *drill_form_name(drill_form form, int en)
{
    return en ? form_entry(form)->en : form_entry(form)->zh;
}

const char *drill__kind_id(drill_kind kind)
{
    return kind_entry(kind)->id;
}

const char *drill__form_id(drill_form form)
{
    return form_entry(form)->id;
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

#define ART33 "《生产安全事故应急预案管理办法》(应急管理部令第2号, 2019年修正) 第三十三条第一款"
#define ART33_2 "《生产安全事故应急预案管理办法》(应急管理部令第2号, 2019年修正) 第三十三条第二款; 《生产安全事故应急条例》(国务院令第708号, 2019) 第八条第二款"
#define D708_1 "《生产安全事故应急条例》(国务院令第708号, 2019) 第八条第一款"
#define MPS61 "《机关、团体、企业、事业单位消防安全管理规定》(公安部令第61号, 2001) 第四十条 (重点单位: 第十三条)"
#define HIGHRISE "《高层民用建筑消防安全管理规定》(应急管理部令第5号, 2021) 第四十四条"
#define HIGHRISE41 "《高层民用建筑消防安全管理规定》(应急管理部令第5号, 2021) 第四十一条"
#define HIGHRISES "high-rise-public|high-rise-residential|high-rise-public-100m|high-rise-complex"
#define MOE "《中小学幼儿园应急疏散演练指南》(教基一厅〔2014〕2号)"
#define CITY "大连市应急管理局 2022 年工作要求: 组织党政机关和社会公众开展安全生产月、5·12 全国防灾减灾日、10·13 国际减灾日和主汛期前应急演练 (Dalian EMB 2022 work plan)"
#define CITY_FIRE "大连市应急管理局 2022 年工作要求: 防大火、控小火; 11 月消防宣传月 (Dalian EMB 2022 work plan)"

/* the organs and the public of the seed's four campaigns */
#define ORGANS_PUBLIC (DRILL_CLASS_GOVERNMENT | DRILL_CLASS_TOWNSHIP | DRILL_CLASS_PUBLIC)
#define PLAN_KINDS (DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE) | DRILL_KIND_BIT(DRILL_KIND_SPECIAL))
#define ALL_KINDS (PLAN_KINDS | DRILL_KIND_BIT(DRILL_KIND_ONSITE))
#define EVACUATIONS "evacuation|fire|earthquake"

int drill_rules_new_presets(drill_rules **out)
{
    DRILL_CHECK_NULL(out);
    const unsigned v = DRILL_RULE_VERSION;
    const drill_rule presets[] = {
        /* 每年至少组织一次综合应急预案演练或者专项应急预案演练: either kind, any hazard */
        { .version = v, .id = "art33-annual", .name = "年度综合或专项应急预案演练",
          .name_en = "Yearly comprehensive or special-plan drill", .source = ART33,
          .class_flags = DRILL_CLASS_PRODUCTION, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .frequency = DRILL_FREQ_YEARLY, .satisfied_by_kinds = PLAN_KINDS, .satisfied_by_scenarios = "*" },
        /* 每半年至少组织一次现场处置方案演练 */
        { .version = v, .id = "art33-onsite", .name = "现场处置方案演练", .name_en = "On-site response drill",
          .source = ART33, .class_flags = DRILL_CLASS_PRODUCTION, .kind = DRILL_KIND_ONSITE,
          .form = DRILL_FORM_LIVE, .frequency = DRILL_FREQ_HALF_YEARLY, .satisfied_by_scenarios = "*" },
        /* 至少每半年组织一次生产安全事故应急预案演练: any plan's drill, so the on-site drills meet it */
        { .version = v, .id = "decree708-high-risk", .name = "高危行业及人员密集场所应急预案演练",
          .name_en = "High-risk industries and crowded venues: a plan drill every half year", .source = ART33_2,
          .class_flags = DRILL_CLASS_HIGH_RISK, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .frequency = DRILL_FREQ_HALF_YEARLY, .satisfied_by_kinds = ALL_KINDS, .satisfied_by_scenarios = "*" },
        /* 至少每2年组织1次生产安全事故应急救援预案演练: the government's comprehensive plan (tabletop or
         * live); the campaigns' office evacuation drills do not meet it */
        { .version = v, .id = "decree708-government", .name = "政府及部门、乡镇街道应急救援预案演练",
          .name_en = "Governments, departments, townships and sub-districts: a plan drill every two years",
          .source = D708_1, .class_flags = DRILL_CLASS_GOVERNMENT | DRILL_CLASS_TOWNSHIP,
          .kind = DRILL_KIND_COMPREHENSIVE, .form = DRILL_FORM_TABLETOP, .frequency = DRILL_FREQ_BIENNIAL,
          .satisfied_by_kinds = DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE), .satisfied_by_scenarios = "*" },
        /* 消防安全重点单位 ... 至少每半年进行一次演练 */
        { .version = v, .id = "fire-key-unit", .name = "消防安全重点单位灭火和应急疏散预案演练",
          .name_en = "Key fire-safety unit: fire and evacuation drill every half year", .source = MPS61,
          .key_fire = 1, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "fire",
          .frequency = DRILL_FREQ_HALF_YEARLY, .satisfied_by_kinds = PLAN_KINDS, .satisfied_by_scenarios = "fire" },
        /* 其他单位 ... 至少每年组织一次演练 */
        { .version = v, .id = "fire-other", .name = "灭火和应急疏散演练", .name_en = "Fire and evacuation drill, yearly",
          .source = MPS61, .key_fire = -1, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "fire", .frequency = DRILL_FREQ_YEARLY, .satisfied_by_kinds = PLAN_KINDS,
          .satisfied_by_scenarios = "fire" },
        /* 高层民用建筑应当每年至少进行一次全要素综合演练 */
        { .version = v, .id = "highrise-annual", .name = "高层民用建筑全要素综合演练",
          .name_en = "High-rise building: full-element comprehensive drill, yearly", .source = HIGHRISE,
          .classes = HIGHRISES, .kind = DRILL_KIND_COMPREHENSIVE, .form = DRILL_FORM_LIVE, .scenario = "fire",
          .frequency = DRILL_FREQ_YEARLY, .satisfied_by_kinds = DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE),
          .satisfied_by_scenarios = "fire" },
        /* 建筑高度超过100米的高层公共建筑应当每半年至少进行一次全要素综合演练 */
        { .version = v, .id = "highrise-100m", .name = "超过100米高层公共建筑全要素综合演练",
          .name_en = "High-rise public building over 100 m: comprehensive drill every half year",
          .source = HIGHRISE, .classes = "high-rise-public-100m", .kind = DRILL_KIND_COMPREHENSIVE,
          .form = DRILL_FORM_LIVE, .scenario = "fire", .frequency = DRILL_FREQ_HALF_YEARLY,
          .satisfied_by_kinds = DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE), .satisfied_by_scenarios = "fire" },
        /* 编制分预案的, 有关单位和职能部门应当每季度至少进行一次综合演练或者专项灭火、疏散演练 */
        { .version = v, .id = "highrise-subplan", .name = "分预案综合演练或专项灭火、疏散演练",
          .name_en = "High-rise building with sub-plans: a drill every quarter", .source = HIGHRISE,
          .classes = "high-rise-complex", .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "fire",
          .frequency = DRILL_FREQ_QUARTERLY, .satisfied_by_kinds = PLAN_KINDS,
          .satisfied_by_scenarios = "fire|evacuation" },
        /* 高层住宅建筑的物业服务企业应当每年至少对居住人员 ... 进行一次疏散演练 */
        { .version = v, .id = "highrise-residential", .name = "高层住宅建筑居住人员疏散演练",
          .name_en = "High-rise residential building: residents' evacuation drill, yearly", .source = HIGHRISE41,
          .classes = "high-rise-residential", .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "evacuation", .frequency = DRILL_FREQ_YEARLY, .satisfied_by_kinds = PLAN_KINDS,
          .satisfied_by_scenarios = "evacuation|fire" },
        /* 中小学校每月至少开展1次应急疏散演练 (in term) */
        { .version = v, .id = "moe-school-monthly", .name = "中小学校应急疏散演练",
          .name_en = "Primary and secondary schools: evacuation drill every month in term", .source = MOE,
          .classes = "school|boarding-school|special-school", .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "evacuation", .frequency = DRILL_FREQ_MONTHLY, .satisfied_by_scenarios = EVACUATIONS },
        /* 幼儿园每季度至少开展1次应急疏散演练 */
        { .version = v, .id = "moe-kindergarten-quarterly", .name = "幼儿园应急疏散演练",
          .name_en = "Kindergartens: evacuation drill every quarter in term", .source = MOE,
          .classes = "kindergarten", .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "evacuation",
          .frequency = DRILL_FREQ_QUARTERLY, .satisfied_by_scenarios = EVACUATIONS },
        { .version = v, .id = "city-work-safety-month", .name = "安全生产月应急演练",
          .name_en = "Work Safety Month drill", .source = CITY, .kind = DRILL_KIND_SPECIAL,
          .form = DRILL_FORM_LIVE, .scenario = "evacuation", .frequency = DRILL_FREQ_YEARLY,
          .campaign = "work-safety-month" },
        { .version = v, .id = "city-disaster-week", .name = "防灾减灾日应急演练",
          .name_en = "Disaster Reduction Day drill: organs and the public", .source = CITY,
          .class_flags = ORGANS_PUBLIC, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "earthquake", .frequency = DRILL_FREQ_YEARLY, .campaign = "disaster-reduction-week" },
        { .version = v, .id = "city-pre-flood", .name = "主汛期前防汛演练", .name_en = "Pre-flood-season drill: flood-prone units",
          .source = CITY, .flood_prone = 1, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "flood", .frequency = DRILL_FREQ_YEARLY, .campaign = "pre-flood-season",
          .satisfied_by_scenarios = "flood" },
        { .version = v, .id = "city-pre-flood-public", .name = "主汛期前党政机关和社会公众防汛演练",
          .name_en = "Pre-flood-season drill: organs and the public", .source = CITY, .class_flags = ORGANS_PUBLIC,
          .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE, .scenario = "flood", .frequency = DRILL_FREQ_YEARLY,
          .campaign = "pre-flood-season", .satisfied_by_scenarios = "flood" },
        { .version = v, .id = "city-iddrr", .name = "国际减灾日应急演练",
          .name_en = "International Day for Disaster Risk Reduction drill: organs and the public", .source = CITY,
          .class_flags = ORGANS_PUBLIC, .kind = DRILL_KIND_SPECIAL, .form = DRILL_FORM_LIVE,
          .scenario = "evacuation", .frequency = DRILL_FREQ_YEARLY, .campaign = "iddrr" },
        { .version = v, .id = "city-fire-month", .name = "消防宣传月重点单位演练",
          .name_en = "November fire month: key fire-safety units", .source = CITY_FIRE, .key_fire = 1,
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
