"""Pictures of a plan with matplotlib (an optional dependency).

Each function draws on the Axes given (or a new figure's) and returns the
Axes; save it with ``ax.figure.savefig("load.png")``. Without a display,
select the Agg backend first (``matplotlib.use("Agg")``). ::

    ax = drill.plot.load(plan, "大连市/中山区")
    ax.figure.savefig("zhongshan-load.png")
"""

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from . import Plan


#: fonts with Chinese glyphs, tried in order for unit and district names
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC")


def _fonts(ax: Any) -> Any:
    """Give the Axes' text the first installed CJK font (matplotlib falls
    back to its default for Latin text); without one, CJK names draw as
    boxes and matplotlib warns (Debian: apt install fonts-noto-cjk)."""
    from matplotlib import font_manager
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [name for name in CJK_FONTS if name in installed]
    if cjk:
        family = cjk[:1] + ["DejaVu Sans"]
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label] + ax.get_xticklabels() + ax.get_yticklabels()
        legend = ax.get_legend()
        if legend is not None:
            texts += legend.get_texts()
        for text in texts:
            text.set_fontfamily(family)
    return ax


def _axes(ax: Any, size: Any = (10, 4)) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the machine
        raise ImportError("drill.plot needs matplotlib: pip install matplotlib, "
                          "or apt install python3-matplotlib") from None
    _fig, new = plt.subplots(figsize=size)
    return new


def load(plan: "Plan", district: str, ax: Any = None) -> Any:
    """A district's drills on each working day of the year (bars: all drills;
    dark bars: those an observer attends) against its observer capacity (a
    line). The bars are ``ax.containers[0]`` (every drill) and ``[1]``
    (observed), one bar per working day."""
    ax = _axes(ax)
    capacity = next(q.capacity for q in plan.district_quality() if q.district == district)
    counts: Dict[_dt.date, List[int]] = {}
    day = _dt.date(plan.year, 1, 1)
    while day.year == plan.year:
        if plan.calendar.is_working_day(day):
            counts[day] = [0, 0]
        day += _dt.timedelta(days=1)
    rec = plan.records(columns=True, fields=["date", "needs_observer"], district=district,
                       start=_dt.date(plan.year, 1, 1), end=_dt.date(plan.year, 12, 31))
    for when, observed in zip(rec["date"], rec["needs_observer"]):
        if when in counts:
            counts[when][0] += 1
            counts[when][1] += int(observed)
    days = sorted(counts)
    ax.bar(days, [counts[d][0] for d in days], width=1.0, color="#9ecae1", label="drills")
    ax.bar(days, [counts[d][1] for d in days], width=1.0, color="#08519c", label="observed drills")
    ax.axhline(capacity, color="#d62728", linestyle="--", label="observer capacity (%d)" % capacity)
    ax.set_title("%s: drills per working day, %d" % (district, plan.year))
    ax.set_ylabel("drills")
    ax.legend(loc="upper right")
    return _fonts(ax)


def coverage(plan: "Plan", by: str = "district", today: Optional[_dt.date] = None, ax: Any = None) -> Any:
    """Coverage (held of required, percent) by district, class, campaign, tier
    or rule, as of a day (default today): one horizontal bar per group
    (``ax.containers[0]``), the total left out."""
    ax = _axes(ax, (8, 5))
    table = plan.coverage(by=by, today=today)
    rows = [r for r in table if r["group"] != "total"]
    labels = [str(r["group"]).split("/")[-1] for r in rows]
    values = [float(r["coverage_percent"] or 0) for r in rows]
    ax.barh(labels, values, color="#31a354")
    ax.set_xlim(0, 100)
    ax.set_xlabel("held of required, %")
    ax.set_title("coverage by %s%s" % (by, ", as of %s" % today if today else ""))
    ax.invert_yaxis()
    return _fonts(ax)


def campaigns(plan: "Plan", ax: Any = None) -> Any:
    """The year's campaign calendar: each campaign's window as a bar on a
    line of its own (``ax.collections``, one per campaign), months marked."""
    import matplotlib.dates as mdates
    ax = _axes(ax, (10, 4))
    windows = plan.campaigns.windows(plan.year, plan.calendar)
    for row, w in enumerate(windows):
        start = mdates.date2num(w.start)
        ax.broken_barh([(start, mdates.date2num(w.end) - start + 1)], (row - 0.4, 0.8),
                       color="#fd8d3c" if not w.estimated else "#fdd0a2")
    ax.set_yticks(range(len(windows)))
    ax.set_yticklabels([w.name_en or w.name or w.id for w in windows])
    ax.set_xlim(mdates.date2num(_dt.date(plan.year, 1, 1)), mdates.date2num(_dt.date(plan.year, 12, 31)) + 1)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.set_title("campaigns, %d" % plan.year)
    ax.invert_yaxis()
    return _fonts(ax)
