"""pandas DataFrames of libdrill's data, with typed columns.

Used through ``to_pandas()`` on Plan, Selection, Table, Units and the
AuditTrail; needs pandas (an optional dependency: ``pip install
libdrill[pandas]``, or Debian's python3-pandas). Dates are datetime64,
times are aware datetimes, enums are categoricals whose categories are
the members' names (so ``df.status == drill.Status.HELD`` and
``df.status == "held"`` agree), counts are nullable integers (Int64)
with ``<NA>`` where C had no value.
"""

import datetime
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional

from . import capi

if TYPE_CHECKING:  # pragma: no cover
    from . import AuditTrail, Plan, Table, Units

_NA = -(2 ** 63)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the machine
        raise ImportError("to_pandas() needs pandas: pip install pandas, or apt install python3-pandas") from None
    return pandas


def plan_frame(plan: "Plan", idx: Optional[bytes], fields: Optional[Iterable[str]]) -> Any:
    """The drills of a plan (all, or the indexes of a Selection) as a DataFrame."""
    import drill
    pd = _pandas()
    import numpy as np
    names, groups = drill._record_fields(fields)
    raw = capi.plan_arrays(plan._h, plan._units._h, idx, groups)
    enums: Dict[str, Any] = {"kind": drill.Kind, "form": drill.Form, "status": drill.Status,
                             "reason": drill.Reason, "risk": drill.Risk}
    columns: Dict[str, Any] = {}
    for name, _group, kind, enum in capi.record_columns():
        if name not in raw:
            continue
        data = raw[name]
        if kind in ("str",):
            columns[name] = pd.array(data, dtype="object") if name == "id" else pd.Categorical(data) \
                if name in _CATEGORY_COLUMNS else np.array(data, dtype=object)
            continue
        values = np.frombuffer(data, dtype=np.int64)
        missing = values == _NA
        if kind == "date":
            columns[name] = values.view("M8[D]").astype("M8[ns]")
        elif kind == "bool":
            columns[name] = values.astype(bool)
        elif kind == "enum" and enum != "risk":
            cls = enums[enum]
            members = [m for m in cls if not (cls is drill.Reason and m is drill.Reason.NONE)]
            lut = np.full(max(m.code for m in cls) + 1, -1, dtype=np.int64)
            for pos, m in enumerate(members):
                lut[m.code] = pos
            codes = np.where(missing, -1, lut[np.where(missing, 0, values)])
            columns[name] = pd.Categorical.from_codes(codes, categories=[m.value for m in members])
        else:
            columns[name] = pd.arrays.IntegerArray(np.where(missing, 0, values), missing)
    if "date" in columns and "start_minute" in raw:
        # when it starts and ends, in the plan's zone (UTC+8 all year: China has no DST)
        day = np.frombuffer(raw["date"], dtype=np.int64)
        minute = np.frombuffer(raw["start_minute"], dtype=np.int64)
        gone = (day == _NA) | (minute == _NA)
        start = np.where(gone, _NA, (day * 1440 + minute - 8 * 60) * 60_000_000_000)
        columns["start"] = pd.Series(start.view("M8[ns]")).dt.tz_localize("UTC").dt.tz_convert(drill.TIMEZONE)
        if "duration_minutes" in raw:
            length = np.frombuffer(raw["duration_minutes"], dtype=np.int64)
            end = np.where(gone | (length == _NA), _NA, start + length * 60_000_000_000)
            columns["end"] = pd.Series(end.view("M8[ns]")).dt.tz_localize("UTC").dt.tz_convert(drill.TIMEZONE)
    frame = pd.DataFrame(columns, copy=False)
    if names is not None:
        extra = [c for c in ("start", "end") if c in frame and "date" in names]
        frame = frame[names + extra]
    return frame


# text columns with few distinct values: categoricals
_CATEGORY_COLUMNS = {"district", "rule_id", "source", "period", "scenario", "campaign", "unit_class"}


def units_frame(units: "Units") -> Any:
    """A registry's units as a DataFrame."""
    pd = _pandas()
    data = units.records(columns=True)
    frame = pd.DataFrame(data)
    frame["risk"] = pd.array([None if r is None else int(r) for r in data["risk"]], dtype="Int64")
    frame["headcount"] = frame["headcount"].astype("Int64")
    for key in ("unit_class", "district"):
        frame[key] = frame[key].astype("category")
    return frame


def audit_frame(trail: "AuditTrail") -> Any:
    """An audit trail as a DataFrame; time is datetime64 in UTC."""
    pd = _pandas()
    data = trail.records(columns=True)
    frame = pd.DataFrame(data)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame["seq"] = frame["seq"].astype("int64")
    return frame


def table_frame(table: "Table") -> Any:
    """A report as a DataFrame with typed columns."""
    pd = _pandas()
    import drill
    data = table.records(columns=True)
    frame = pd.DataFrame(data, columns=table.columns)
    for name in table.columns:
        values: List[Any] = data[name]
        kinds = {type(v) for v in values if v is not None}
        if kinds <= {int}:
            frame[name] = pd.array(values, dtype="Int64")
        elif kinds <= {int, float}:
            frame[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif kinds and all(issubclass(k, datetime.date) for k in kinds):
            frame[name] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
        elif kinds and all(issubclass(k, drill.NamedEnum) for k in kinds):
            cls = next(iter(kinds))
            frame[name] = pd.Categorical([None if v is None else v.value for v in values],
                                         categories=[m.value for m in cls])
    return frame
