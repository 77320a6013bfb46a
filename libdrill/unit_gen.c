/* A synthetic Dalian: deterministic units for demos, tests and benchmarks. */
#include <stdio.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "unit_internal.h"

/* splitmix64: small, fast, and the same everywhere */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned pick(uint64_t *s, unsigned n)
{
    return (unsigned)(next(s) % n);
}

/* index drawn with the given weights (summing to total) */
static size_t weighted(uint64_t *s, const unsigned *w, size_t n, unsigned total)
{
    unsigned r = pick(s, total);
    for (size_t i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

static const struct {
    const char *name;
    unsigned weight; /* share of units, per mille */
    int coastal;     /* more flood-prone units */
    const char *streets[6];
} districts[] = {
    { "中山区", 90, 0, { "青泥洼桥街道", "人民路街道", "桃源街道", "老虎滩街道", "葵英街道", "海军广场街道" } },
    { "西岗区", 70, 0, { "白云街道", "人民广场街道", "日新街道", "北京街道", "八一路街道", "香炉礁街道" } },
    { "沙河口区", 100, 0, { "春柳街道", "马栏街道", "黑石礁街道", "李家街道", "星海湾街道", "兴工街道" } },
    { "甘井子区", 200, 0, { "周水子街道", "革镇堡街道", "泉水街道", "红旗街道", "椒金山街道", "大连湾街道" } },
    { "旅顺口区", 60, 1, { "登峰街道", "市场街道", "水师营街道", "铁山街道", "三涧堡街道", "龙王塘街道" } },
    { "金州区", 180, 0, { "友谊街道", "先进街道", "拥政街道", "大魏家街道", "杏树街道", "七顶山街道" } },
    { "普兰店区", 80, 1, { "丰荣街道", "铁西街道", "太平街道", "皮口街道", "城子坦街道", "南山街道" } },
    { "瓦房店市", 110, 1, { "共济街道", "岭东街道", "太阳街道", "复州城镇", "长兴岛街道", "老虎屯镇" } },
    { "庄河市", 90, 1, { "城关街道", "兴达街道", "昌盛街道", "青堆镇", "光明山镇", "栗子房镇" } },
    { "长海县", 20, 1, { "大长山岛镇", "小长山乡", "獐子岛镇", "广鹿乡", "海洋乡", "大长山岛镇" } },
};

static const struct {
    const char *cls;
    unsigned weight; /* per ten thousand */
    const char *words[4];
    int min_head, max_head;
} classes[] = {
    { "enterprise", 5200, { "机械制造有限公司", "食品有限公司", "物流有限公司", "电子科技有限公司" }, 8, 600 },
    { "hazardous-chemicals", 400, { "石化有限公司", "化工有限公司", "精细化工有限公司", "燃气有限公司" }, 20, 1500 },
    { "mining", 100, { "矿业有限公司", "采石场", "矿业集团有限公司", "石材有限公司" }, 20, 800 },
    { "metallurgy", 200, { "特钢有限公司", "铸造有限公司", "金属制品有限公司", "冶金有限公司" }, 30, 3000 },
    { "construction", 800, { "建设工程有限公司", "建工集团有限公司", "路桥工程有限公司", "建筑安装有限公司" }, 30, 900 },
    { "urban-rail", 10, { "地铁运营有限公司", "轨道交通站", "快轨运营分公司", "地铁车辆段" }, 100, 3000 },
    { "hotel", 300, { "大酒店", "宾馆", "商务酒店", "度假酒店" }, 20, 600 },
    { "mall", 300, { "购物中心", "商场", "百货大楼", "商业广场" }, 50, 1500 },
    { "entertainment", 300, { "娱乐城", "KTV", "影城", "游乐园" }, 10, 300 },
    { "scenic-area", 60, { "风景区", "森林公园", "海滨景区", "旅游度假区" }, 30, 500 },
    { "key-fire-unit", 500, { "仓储有限公司", "纺织有限公司", "家具有限公司", "印刷有限公司" }, 20, 800 },
    { "school", 600, { "第一中学", "实验小学", "职业技术学校", "第二中学" }, 300, 3000 },
    { "hospital", 150, { "人民医院", "中心医院", "中医院", "妇幼保健院" }, 100, 2500 },
    { "community", 600, { "社区居委会", "社区", "村委会", "社区服务中心" }, 5, 60 },
    { "government", 250, { "应急管理局", "住房和城乡建设局", "教育局", "交通运输局" }, 30, 300 },
    { "township", 230, { "街道办事处", "人民政府", "街道办事处", "人民政府" }, 30, 200 },
};

static const char *const brand[] = { "华信", "瑞丰", "海通", "金石", "东港", "恒远", "鑫达", "泰和", "星海", "长兴",
                                     "北方", "辽港", "宏业", "新港", "富源", "联合", "盛世", "永安", "滨海", "金港" };
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "于",
                                        "马", "高", "林", "郭" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
                                     "涛", "明", "超", "秀英", "建国", "海峰", "晓东" };
static const char *const roads[] = { "中山路", "人民路", "黄河路", "长江路", "西安路", "五一路", "华北路", "金马路",
                                     "友谊路", "滨海路" };

static int generate(drill_units *units, const drill_generate_options *o);

int drill_units_generate(drill_units *units, const drill_generate_options *opts)
{
    DRILL_CHECK_NULL(units);
    DRILL__VERSIONED(opts, drill_generate_options, DRILL_GENERATE_OPTIONS_INIT);
    drill_generate_options defaults = DRILL_GENERATE_OPTIONS_INIT;
    const drill_generate_options *o = opts ? opts : &defaults;
    if (o->version != DRILL_GENERATE_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_generate_options version %u is not %d", o->version,
                            DRILL_GENERATE_OPTIONS_VERSION);
    if (o->blackout_year && (o->blackout_year < DRILL_DATE_MIN_YEAR || o->blackout_year > DRILL_DATE_MAX_YEAR))
        return drill__error(DRILL_ERANGE, "blackout_year %d is outside 1900-2200", o->blackout_year);
    /* on a copy, swapped in when complete: all or nothing */
    drill_units *tmp = NULL;
    int rc = drill_units_dup(&tmp, units);
    if (rc == 0 && (rc = generate(tmp, o)) == 0)
        drill__units_swap_in(units, tmp);
    else
        drill_units_free(tmp);
    return rc;
}

static int generate(drill_units *units, const drill_generate_options *o)
{
    size_t count = o->count ? o->count : 20737;
    unsigned dweights[10], cweights[16];
    for (size_t i = 0; i < 10; i++)
        dweights[i] = districts[i].weight;
    for (size_t i = 0; i < 16; i++)
        cweights[i] = classes[i].weight;
    uint64_t s = o->seed;
    char id[32], name[256], area[256], address[256], contact[64], phone[32];
    for (size_t n = 1; n <= count; n++) {
        size_t d = weighted(&s, dweights, 10, 1000), c = weighted(&s, cweights, 16, 10000);
        const char *street = districts[d].streets[pick(&s, 6)];
        const char *word = classes[c].words[pick(&s, 4)];
        const char *b = brand[pick(&s, sizeof brand / sizeof *brand)];
        const char *cls = classes[c].cls;
        if (strcmp(cls, "school") == 0 || strcmp(cls, "hospital") == 0 || strcmp(cls, "government") == 0)
            snprintf(name, sizeof name, "大连市%s%s", districts[d].name, word);
        else if (strcmp(cls, "community") == 0 || strcmp(cls, "township") == 0)
            snprintf(name, sizeof name, "%s%s%s", districts[d].name, street, word);
        else
            snprintf(name, sizeof name, "大连%s%s", b, word);
        snprintf(id, sizeof id, "DL%06zu", n);
        snprintf(area, sizeof area, "大连市/%s/%s", districts[d].name, street);
        snprintf(address, sizeof address, "辽宁省大连市%s%s%u号", districts[d].name,
                 roads[pick(&s, sizeof roads / sizeof *roads)], 1 + pick(&s, 999));
        snprintf(contact, sizeof contact, "%s%s", surnames[pick(&s, 16)], given[pick(&s, 20)]);
        snprintf(phone, sizeof phone, "1%u%09u", 30 + pick(&s, 60), pick(&s, 1000000000));
        int high = c >= 1 && c <= 9; /* decree 708 industries and crowded venues */
        unsigned r = pick(&s, 100);
        drill_unit u = DRILL_UNIT_INIT;
        u.id = id;
        u.name = name;
        u.area = area;
        u.unit_class = cls;
        u.address = address;
        u.contact = contact;
        u.phone = phone;
        u.headcount = classes[c].min_head + (int)pick(&s, (unsigned)(classes[c].max_head - classes[c].min_head + 1));
        u.risk = high ? (r < 10 ? DRILL_RISK_MAJOR : r < 40 ? DRILL_RISK_HIGHER : r < 80 ? DRILL_RISK_GENERAL
                                                                                        : DRILL_RISK_LOW)
                      : (r < 5 ? DRILL_RISK_HIGHER : r < 40 ? DRILL_RISK_GENERAL : DRILL_RISK_LOW);
        u.flood_prone = pick(&s, 100) < (districts[d].coastal ? 25u : 8u);
        u.key_fire = (c >= 6 && c <= 8) || c == 12 ? pick(&s, 2) : pick(&s, 100) < 3;
        int rc = drill_units_add(units, &u);
        if (rc)
            return rc;
        if (o->blackout_year && pick(&s, 100) < 3) { /* a shutdown for maintenance: 5-20 days */
            int start = drill__serial(o->blackout_year, 1, 1) + (int)pick(&s, 340);
            drill_date a, z;
            drill__from_serial(start, &a);
            drill__from_serial(start + 4 + (int)pick(&s, 16), &z);
            if ((rc = drill_units_add_blackout(units, id, a, z)))
                return rc;
        }
    }
    return 0;
}
