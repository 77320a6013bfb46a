# make demo: what a city's first months of drills might have looked like.
#
# Reads `drillctl drills --status scheduled --to TODAY --csv` and writes three
# batch files for drillctl into OUT: held.csv (drills held, with outcomes),
# actions.csv (findings and their corrective actions) and actions-closed.csv
# (the actions done by TODAY). Deterministic: the same plan gives the same
# files. A few drills in each district are left unrecorded (more in some
# districts than others); those whose window has ended are overdue.
#
#   awk -F, -v today=2027-05-31 -v out=build/demo -f tools/demo-sample.awk drills.csv

# Park-Miller: exact in a double, the same in every awk
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
function pick(n) { return int(rnd() * n) }

# days since 1970-01-01 and back (H. Hinnant's civil calendar algorithms)
function days(s,   y, m, d, era, yoe, doy) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    y -= m <= 2; era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}
function date(z,   era, doe, yoe, y, doy, mp, d, m) {
    z += 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1; m = mp + (mp < 10 ? 3 : -9)
    return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function csv(s) { if (s ~ /[",]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" } return s }
function minutes(t) { return substr(t, 1, 2) * 60 + substr(t, 4, 2) }
function hhmm(x) { return sprintf("%02d:%02d", int(x / 60), x % 60) }

function finding(i, f, c, a, o) { nf++; F[nf] = f; C[nf] = c; A[nf] = a; O[nf] = o }

BEGIN {
    seed = 20270531
    now = days(today)
    finding(1, "疏散用时超过目标", "evacuation", "优化疏散路线, 每层增设疏散引导员", "安全管理部")
    finding(2, "人员清点耗时过长", "accountability", "按楼层指定清点负责人并演练点名流程", "行政部")
    finding(3, "应急广播部分区域听不清", "communication", "检修应急广播系统, 增设扬声器", "设备部")
    finding(4, "消防通道堆放杂物", "fire safety", "清理消防通道并纳入每日巡查", "物业部")
    finding(5, "部分员工不会使用灭火器", "training", "组织全员灭火器实操培训", "人力资源部")
    finding(6, "应急物资部分过期", "logistics", "更换过期物资, 建立物资台账", "安全管理部")
    finding(7, "现场指挥与各小组联络不畅", "command", "明确联络人并配备对讲机", "应急办")
    print "drill_id,held,start,end,participants,absent,observers,evacuation,evacuation_target," \
          "headcount,headcount_target,score,close,notes" > (out "/held.csv")
    print "drill_id,finding,capability,action,owner,due" > (out "/actions.csv")
    print "drill_id,number,status,date" > (out "/actions-closed.csv")
}

NR == 1 { next }
{
    sub(/\r$/, "")
    id = $1; day = $2; start = $3; end = $4; district = $7; scenario = $11; observer = $15
    if (!(district in miss)) { # each district its own share of drills left unrecorded: 2% to 10%
        nd++; miss[district] = 0.02 + 0.02 * (nd % 5)
        split(district, part, "/"); office[district] = part[2] "应急管理局"
    }
    if (rnd() < miss[district] || days(day) > now)
        next
    held = day
    s = minutes(start) + 5 * pick(4)
    e = minutes(end) - 10 + pick(25); if (e <= s) e = s + 30; if (e > 1439) e = 1439
    people = 20 + pick(380); absent = int(people * pick(8) / 100)
    observers = observer ? office[district] : ""
    evac = ""; evac_target = ""; head = ""; head_target = ""
    late_evac = 0; late_head = 0
    if (scenario ~ /fire|evacuation|earthquake|chemical|gas|flood|typhoon/) {
        evac_target = 300; evac = 150 + pick(165); late_evac = evac > evac_target
        head_target = 120; head = 40 + pick(86); late_head = head > head_target
    }
    recent = now - days(held) < 7          # held this past week: not evaluated yet
    n = 0
    if (late_evac) found[++n] = 1
    if (late_head) found[++n] = 2
    if (rnd() < 0.04) found[++n] = 3 + pick(5)
    score = recent ? "" : 92 - 8 * n - pick(12)
    done = !recent && n == 0
    print id "," held "," hhmm(s) "," hhmm(e) "," people "," absent "," observers "," evac "," evac_target "," \
          head "," head_target "," score "," done "," (n ? csv("发现问题, 已列整改") : "") >> (out "/held.csv")
    recorded++
    if (recent)
        next
    for (k = 1; k <= n; k++) {
        f = found[k]; due = days(held) + 30
        print id "," csv(F[f]) "," csv(C[f]) "," csv(A[f]) "," csv(O[f]) "," date(due) >> (out "/actions.csv")
        actions++
        if (due <= now + 10 && rnd() < 0.8) { # most actions due by now are done, some verified
            when = days(held) + 7 + pick(30); if (when > now) when = now
            print id "," k "," (rnd() < 0.3 ? "verified" : "done") "," date(when) >> (out "/actions-closed.csv")
            closed++
        }
    }
}

END {
    printf "sample: %d drills held by %s, %d corrective actions, %d of them closed\n", recorded, today, actions,
           closed
}
