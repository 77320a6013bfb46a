"""HTML for notebooks: what ``_repr_html_`` of Plan, Selection, Table and
Drill shows (Jupyter calls it; nothing here needs pandas)."""

import html as _html
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from . import Drill, Plan, Selection, Table

#: rows shown before "... N more"
MAX_ROWS = 20


def _cell(value: Any) -> str:
    return "" if value is None else _html.escape(str(value))


def grid(columns: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "", more: int = 0) -> str:
    """An HTML table; ``more`` rows left out are said at the bottom."""
    out: List[str] = ['<table class="drill">']
    if caption:
        out.append("<caption>%s</caption>" % _html.escape(caption))
    out.append("<thead><tr>%s</tr></thead><tbody>" % "".join("<th>%s</th>" % _cell(c) for c in columns))
    for row in rows:
        out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % _cell(v) for v in row))
    out.append("</tbody></table>")
    if more > 0:
        out.append("<p>&hellip; %d more</p>" % more)
    return "".join(out)


def plan(p: "Plan") -> str:
    """A plan's summary: drills by status, placed, unplaced by reason."""
    import drill
    q = p.quality
    counts: Dict[str, int] = {}
    for status in p.records(columns=True, fields=["status"])["status"]:
        counts[status.value] = counts.get(status.value, 0) + 1
    rows = [("year", p.year), ("units", len(p.units)), ("drills", len(p)), ("placed", q.placed)]
    rows += [("unplaced: " + reason.value, n) for reason, n in q.unplaced.items() if n]
    rows += [("status: " + s.value, counts.get(s.value, 0)) for s in drill.Status]
    return grid(("", ""), rows, "drill.Plan %d" % p.year)


_SELECTION_COLUMNS = ("id", "unit_name", "district", "kind", "status", "date", "start_minute")


def selection(sel: "Selection") -> str:
    """The first rows of a selection."""
    n = len(sel)
    rows: List[List[Any]] = []
    for d in sel:
        if len(rows) == MAX_ROWS:
            break
        rows.append([getattr(d, c) for c in _SELECTION_COLUMNS])
    return grid(_SELECTION_COLUMNS, rows, repr(sel)[1:-1], n - len(rows))


def table(t: "Table") -> str:
    """A report's first rows."""
    n = len(t)
    cols = t.columns
    rows = [[t[r][c] for c in cols] for r in range(min(n, MAX_ROWS))]
    return grid(cols, rows, "drill.Table, %d rows" % n, n - len(rows))


def drill_(d: "Drill") -> str:
    """A drill's fields, one a row."""
    fields = d.as_dict()
    return grid(("field", "value"), fields.items(), "drill %s" % d.id)
