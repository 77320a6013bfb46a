"""libdrill for Python: plan, schedule and track emergency drills, and
analyse them with pandas.

A year's work, in short::

    import datetime, drill
    units = drill.Units()
    units.import_csv("units.csv")                 # or units.generate() for a synthetic Dalian
    plan = drill.Plan(units, drill.Rules(), year=2026)
    plan.schedule(capacity=30)
    plan.hold("DL000001/art33-annual/2026", date=datetime.date(2026, 3, 2), actor="clerk")
    plan.write_feeds("feeds/")

A stored year, for analysis::

    with drill.Store("dalian.db", read_only=True) as store:
        plan = store.load(2026)
    df = plan.to_pandas()                         # one row a drill, typed columns
    df[df.status == drill.Status.HELD].groupby("unit_class").evacuation_seconds.median()
    plan.coverage(by="district").to_pandas()      # reports are typed too
    plan.plot_load("大连市/中山区")                 # matplotlib

What there is:

- Registries: :class:`Units`, :class:`Rules`, :class:`Campaigns`, :class:`Calendar`.
- :class:`Plan`: its drills (``plan[id]``, iteration, ``select(...)``,
  ``records()``, ``to_pandas()``), scheduling, tracking (hold, evaluate,
  add_action, close, cancel, reinstate, reschedule), the audit trail
  (``plan.audit(actor=..., since=...)``), reports (coverage, noncompliant,
  reminders, actions_report: :class:`Table`) and feeds.
- :class:`Store`: a SQLite file of plans and registries.
- :class:`FeedReader`: any iCalendar feed, one event at a time.
- Enums whose members are their names (:class:`Status`, :class:`Kind`,
  :class:`Form`, :class:`Frequency`, :class:`Reason`, :class:`ActionStatus`):
  ``drill.Status.HELD == "held"``. Missing values are None (NaN/NA in pandas).
- :mod:`drill.plot` (matplotlib) and ``_repr_html_`` for notebooks.

Every failure raises :class:`Error` or its subclass for the kind of
failure (NotFoundError, ParseError with line and column, ...). Objects free
their C memory when dropped; a drill, table or selection keeps its plan
alive, and a plan what it was made from. The ``drill.capi`` module is the
raw C API as SWIG wraps it.
"""

import array as _array
import contextlib as _contextlib
import collections.abc as _abc
import datetime as _dt
import enum as _enum
import inspect as _inspect
import os as _os
import weakref as _weakref
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Type, TypeVar,
                    Union, overload)

from typing import cast as _cast

from . import capi
from ._capi import feed_reader_event as _next_event

__all__ = [
    "Error", "InvalidArgumentError", "NotFoundError", "ExistsError", "ParseError", "RangeError",
    "StateError", "FileError", "VersionError", "NoDataError", "CorruptError", "ConflictError",
    "Kind", "Form", "Frequency", "DueFrom", "Status", "Reason", "ActionStatus", "Risk", "ClassFlag",
    "DayKind", "CampaignRule", "WindowOrigin", "GroupBy", "Split",
    "Calendar", "Campaigns", "Units", "Rules", "Plan", "Drill", "Selection", "Table", "Store",
    "FeedReader", "read_feed", "version", "parse_date", "date_serial", "date_from_serial", "iso_week",
    "half_year", "half_year_bounds",
]

__version__ = capi.drill_version_string()


def version() -> str:
    """The loaded libdrill's version as "MAJOR.MINOR.PATCH"."""
    return capi.drill_version_string()


_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")

#: a date: datetime.date, or its "YYYY-MM-DD" text
DateLike = Union[_dt.date, str]
#: a file's path
PathLike = Union[str, "_os.PathLike[str]"]


def _c(name: str) -> Callable[[_F], _F]:
    """Decorator: name the C function a method calls at the end of its docstring.

    The C documentation itself (out-parameters, return codes) stays on
    ``drill.capi.<name>``; in Python a failure is raised as the drill.Error
    subclass for its code."""
    def wrap(func: _F) -> _F:
        own = _inspect.cleandoc(func.__doc__ or "")
        func.__doc__ = "%s\n\n(libdrill's %s(); its C documentation: help(drill.capi.%s))" % (own, name, name)
        return func
    return wrap


# ---------------------------------------------------------------- errors

class Error(Exception):
    """A libdrill call failed.

    Attributes: ``code`` (the DRILL_E* code, negative), ``message``, and for
    parse errors ``source`` (the file or source name), ``line`` and ``column``
    (1-based; None otherwise).
    """

    def __init__(self, message: str, code: Optional[int] = None, source: Optional[str] = None, line: int = 0,
                 column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.source = source
        self.line = line or None
        self.column = column or None

    def __str__(self) -> str:
        if self.line:
            return "%s:%d:%d: %s" % (self.source, self.line, self.column or 0, self.message)
        return self.message

    def __repr__(self) -> str:
        return "%s(%r, code=%r)" % (type(self).__name__, self.message, self.code)


class InvalidArgumentError(Error, ValueError):
    """DRILL_EINVAL: an invalid argument (a bad field, an unknown value)."""


class NotFoundError(Error, LookupError):
    """DRILL_ENOTFOUND: the unit, rule, drill or campaign asked for does not exist."""


class ExistsError(Error, ValueError):
    """DRILL_EEXISTS: the thing to add exists already, or conflicts."""


class ParseError(Error, ValueError):
    """DRILL_EPARSE: malformed input; ``source``, ``line`` and ``column`` say where."""


class RangeError(Error, ValueError):
    """DRILL_ERANGE: a value outside its range (an impossible date, a day outside a window)."""


class StateError(Error):
    """DRILL_ESTATE: not allowed in the object's state (holding a cancelled drill)."""


class FileError(Error, OSError):
    """DRILL_EIO: reading or writing a file failed."""


class VersionError(Error):
    """DRILL_EVERSION: an unsupported version (a store of a newer libdrill)."""


class NoDataError(Error, LookupError):
    """DRILL_ENODATA: no data for what was asked (a year with no holiday arrangement)."""


class CorruptError(Error):
    """DRILL_ECORRUPT: a damaged file, or not a libdrill store."""


class ConflictError(Error):
    """DRILL_ECONFLICT: another writer changed the drill first; nothing was written.

    Catch up with ``Store.refresh(plan)`` (or ``Store.refresh_drill``) and make
    the change again."""


_ERRORS = {
    capi.DRILL_EINVAL: InvalidArgumentError, capi.DRILL_ENOTFOUND: NotFoundError,
    capi.DRILL_EEXISTS: ExistsError, capi.DRILL_EPARSE: ParseError, capi.DRILL_ERANGE: RangeError,
    capi.DRILL_ESTATE: StateError, capi.DRILL_EIO: FileError, capi.DRILL_EVERSION: VersionError,
    capi.DRILL_ENODATA: NoDataError, capi.DRILL_ECORRUPT: CorruptError, capi.DRILL_ECONFLICT: ConflictError,
}
capi.set_error_classes(_ERRORS)


# ---------------------------------------------------------------- enums

class NamedEnum(str, _enum.Enum):
    """An enum whose members are their names: ``Status.HELD == "held"``.

    Members compare equal to (and hash like) their lower-case names, so a
    column of names and a member filter the same rows; ``Status("held")``,
    ``Status("HELD")`` and ``Status.from_code(2)`` all give ``Status.HELD``;
    ``member.code`` is libdrill's number for it.
    """

    code: int

    def __new__(cls, name: str, code: int = 0) -> "NamedEnum":
        obj = str.__new__(cls, name)
        obj._value_ = name
        obj.code = code
        return obj

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    def __repr__(self) -> str:
        return "<%s.%s: %r>" % (type(self).__name__, self.name, self.value)

    @classmethod
    def _missing_(cls, value: object) -> "Optional[NamedEnum]":
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            for member in cls:
                if member.value == key:
                    return member
        elif isinstance(value, int) and not isinstance(value, bool):
            for member in cls:
                if member.code == value:
                    return member
        return None

    @classmethod
    def from_code(cls: "Type[_E]", code: int) -> "_E":
        """The member for libdrill's number (ValueError if none)."""
        for member in cls:
            if member.code == code:
                return member
        raise ValueError("%d is not a %s code" % (code, cls.__name__))


_E = TypeVar("_E", bound=NamedEnum)


class Kind(NamedEnum):
    """A drill's kind by content (X-DRILL-KIND's names)."""
    COMPREHENSIVE = ("comprehensive", capi.DRILL_KIND_COMPREHENSIVE)
    SPECIAL = ("special", capi.DRILL_KIND_SPECIAL)
    ONSITE = ("onsite", capi.DRILL_KIND_ONSITE)


class Form(NamedEnum):
    """Live (operations-based) or tabletop (discussion-based)."""
    LIVE = ("live", capi.DRILL_FORM_LIVE)
    TABLETOP = ("tabletop", capi.DRILL_FORM_TABLETOP)


class Frequency(NamedEnum):
    """How often a rule's drill is due."""
    YEARLY = ("yearly", capi.DRILL_FREQ_YEARLY)
    HALF_YEARLY = ("half_yearly", capi.DRILL_FREQ_HALF_YEARLY)
    ROLLING = ("rolling", capi.DRILL_FREQ_ROLLING)
    BIENNIAL = ("biennial", capi.DRILL_FREQ_BIENNIAL)
    MONTHLY = ("monthly", capi.DRILL_FREQ_MONTHLY)
    QUARTERLY = ("quarterly", capi.DRILL_FREQ_QUARTERLY)


class DueFrom(_enum.IntEnum):
    """What a rolling or biennial rule counts its next due date from."""
    PLANNED = capi.DRILL_DUE_FROM_PLANNED
    HELD = capi.DRILL_DUE_FROM_HELD


class Status(NamedEnum):
    """Where a drill stands: ``d.status == "held"`` and ``d.status == Status.HELD`` agree."""
    PLANNED = ("planned", capi.DRILL_STATUS_PLANNED)
    SCHEDULED = ("scheduled", capi.DRILL_STATUS_SCHEDULED)
    HELD = ("held", capi.DRILL_STATUS_HELD)
    EVALUATED = ("evaluated", capi.DRILL_STATUS_EVALUATED)
    CLOSED = ("closed", capi.DRILL_STATUS_CLOSED)
    CANCELLED = ("cancelled", capi.DRILL_STATUS_CANCELLED)


class Reason(NamedEnum):
    """Why a drill could not be placed (``description`` says it in words).
    A placed drill's reason is None in records; NONE is kept for counts."""
    NONE = ("none", capi.DRILL_REASON_NONE)
    NO_WORKING_DAY = ("no_working_day", capi.DRILL_REASON_NO_WORKING_DAY)
    BLACKOUT = ("blackout", capi.DRILL_REASON_BLACKOUT)
    CAPACITY = ("capacity", capi.DRILL_REASON_CAPACITY)
    SPACING = ("spacing", capi.DRILL_REASON_SPACING)

    @property
    def description(self) -> str:
        """libdrill's sentence for it ("observer capacity exhausted")."""
        return str(capi.drill_reason_name(self.code))


class ActionStatus(NamedEnum):
    """Where a corrective action stands ("in progress" is accepted for IN_PROGRESS)."""
    OPEN = ("open", capi.DRILL_ACTION_OPEN)
    IN_PROGRESS = ("in_progress", capi.DRILL_ACTION_IN_PROGRESS)
    DONE = ("done", capi.DRILL_ACTION_DONE)
    VERIFIED = ("verified", capi.DRILL_ACTION_VERIFIED)
    WAIVED = ("waived", capi.DRILL_ACTION_WAIVED)


class Risk(_enum.IntEnum):
    """China's four risk levels (and unset)."""
    UNSET = capi.DRILL_RISK_UNSET
    LOW = capi.DRILL_RISK_LOW
    GENERAL = capi.DRILL_RISK_GENERAL
    HIGHER = capi.DRILL_RISK_HIGHER
    MAJOR = capi.DRILL_RISK_MAJOR


class ClassFlag(_enum.IntFlag):
    """What a unit class is, for rules to select by."""
    PRODUCTION = capi.DRILL_CLASS_PRODUCTION
    HIGH_RISK = capi.DRILL_CLASS_HIGH_RISK
    CROWDED = capi.DRILL_CLASS_CROWDED
    KEY_FIRE = capi.DRILL_CLASS_KEY_FIRE
    GOVERNMENT = capi.DRILL_CLASS_GOVERNMENT
    TOWNSHIP = capi.DRILL_CLASS_TOWNSHIP
    PUBLIC = capi.DRILL_CLASS_PUBLIC
    TERMS = capi.DRILL_CLASS_TERMS


class DayKind(_enum.IntEnum):
    """What kind of day a date is."""
    WORKDAY = capi.DRILL_DAY_WORKDAY
    WEEKEND = capi.DRILL_DAY_WEEKEND
    HOLIDAY = capi.DRILL_DAY_HOLIDAY
    MAKEUP_WORKDAY = capi.DRILL_DAY_MAKEUP_WORKDAY


class CampaignRule(_enum.IntEnum):
    """How a campaign's window is computed."""
    FIXED = capi.DRILL_CAMPAIGN_FIXED
    RANGE = capi.DRILL_CAMPAIGN_RANGE
    NTH_WEEKDAY = capi.DRILL_CAMPAIGN_NTH_WEEKDAY
    OFFSET = capi.DRILL_CAMPAIGN_OFFSET


class WindowOrigin(_enum.IntEnum):
    """Where a campaign window came from."""
    RULE = capi.DRILL_WINDOW_RULE
    DATA = capi.DRILL_WINDOW_DATA
    ESTIMATED = capi.DRILL_WINDOW_ESTIMATED


class GroupBy(_enum.IntEnum):
    """How a coverage report groups drills."""
    CAMPAIGN = capi.DRILL_BY_CAMPAIGN
    DISTRICT = capi.DRILL_BY_DISTRICT
    CLASS = capi.DRILL_BY_CLASS
    TIER = capi.DRILL_BY_TIER
    RULE = capi.DRILL_BY_RULE


class Split(_enum.IntEnum):
    """How a feed set splits a plan."""
    DISTRICT = capi.DRILL_SPLIT_DISTRICT
    UNIT = capi.DRILL_SPLIT_UNIT
    CAMPAIGN = capi.DRILL_SPLIT_CAMPAIGN


def _enum_arg(cls: Type[Any], value: Any) -> Any:
    """An enum member from a member, its value or its name ("district")."""
    if issubclass(cls, NamedEnum):
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(repr(m.value) for m in cls)
            raise InvalidArgumentError("unknown %s %r (one of %s)" % (cls.__name__, value, names),
                                       capi.DRILL_EINVAL) from None
    if isinstance(value, str):
        try:
            return cls[value.upper().replace("-", "_").replace(" ", "_")]
        except KeyError:
            raise InvalidArgumentError("unknown %s %r" % (cls.__name__, value), capi.DRILL_EINVAL) from None
    return cls(value)


def _code(cls: Type[Any], value: Any) -> int:
    """libdrill's number for an enum argument (a member, a name or a number)."""
    member = _enum_arg(cls, value)
    return member.code if isinstance(member, NamedEnum) else int(member)


def _enum_tuple(cls: Type[Any]) -> Tuple[Any, ...]:
    """cls's members indexed by their codes (None in the gaps), for the C layer."""
    members: List[Any] = [m for m in cls]
    top = max(m.code if isinstance(m, NamedEnum) else int(m) for m in members)
    out: List[Any] = [None] * (top + 1)
    for m in members:
        out[m.code if isinstance(m, NamedEnum) else int(m)] = m
    return tuple(out)


capi.set_enum_classes({"kind": _enum_tuple(Kind), "form": _enum_tuple(Form), "status": _enum_tuple(Status),
                        "reason": (None,) + _enum_tuple(Reason)[1:], "risk": (None,) + _enum_tuple(Risk)[1:]})

#: The zone a plan's times are in (libdrill's feeds default to it; China has one zone, no DST).
TIMEZONE = "Asia/Shanghai"


def _zone() -> _dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(TIMEZONE)
    except Exception:  # no tz database: the zone's fixed offset
        return _dt.timezone(_dt.timedelta(hours=8), "CST")


_ZONE = _zone()


def _index(container: Any, key: Union[int, str], find: Callable[[Any, str], int]) -> int:
    """An index from an id (find(handle, id)) or an int (negative counts from the end)."""
    if isinstance(key, int):
        return key + len(container) if key < 0 else key
    return find(container._h, key)


def _has(container: Any, key: object, find: Callable[[Any, Any], int]) -> bool:
    """Whether find(handle, key) finds the key."""
    try:
        find(container._h, key)
        return True
    except NotFoundError:
        return False


# ---------------------------------------------------------------- records

class Record(_abc.Mapping):  # type: ignore[type-arg]
    """A snapshot of a C struct as an object: its fields are attributes.

    It is also a read-only mapping of its fields, so ``dict(record)``,
    ``record["id"]`` and ``pandas.DataFrame(list_of_records)`` work;
    ``record.as_dict()`` gives a new dict.
    """

    _show: Tuple[str, ...] = ("id",)

    def __init__(self, fields: Dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def as_dict(self) -> Dict[str, Any]:
        """The fields as a new dict."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def keys(self) -> Any:
        return self.as_dict().keys()

    def __getitem__(self, key: str) -> Any:
        if key.startswith("_"):
            raise KeyError(key)
        return self.__dict__[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and type(other) is type(self) and other.as_dict() == self.as_dict()

    __hash__ = None  # type: ignore[assignment]

    if TYPE_CHECKING:  # the fields are attributes; to a type checker, those not declared are Any
        def __getattr__(self, name: str) -> Any: ...

    def __repr__(self) -> str:
        shown = ", ".join("%s=%r" % (k, self.__dict__[k]) for k in self._show if k in self.__dict__)
        return "<drill.%s %s>" % (type(self).__name__, shown)


class Unit(Record):
    """A unit of a registry (a snapshot; change it with Units.update())."""
    _show = ("id", "name", "area", "unit_class")

    def __init__(self, fields: Dict[str, Any]) -> None:
        fields["risk"] = Risk(fields["risk"])
        fields["flood_prone"] = bool(fields["flood_prone"])
        fields["key_fire"] = bool(fields["key_fire"])
        super().__init__(fields)


# a rule's fields that are enums, and their classes
_RULE_ENUMS = (("min_risk", Risk), ("kind", Kind), ("form", Form), ("frequency", Frequency), ("due_from", DueFrom))


class Rule(Record):
    """A rule (a snapshot; change it with Rules.update())."""
    _show = ("id", "name", "frequency", "campaign")

    def __init__(self, fields: Dict[str, Any]) -> None:
        for key, cls in _RULE_ENUMS:
            fields[key] = cls(fields[key])
        fields["class_flags"] = ClassFlag(fields["class_flags"])
        super().__init__(fields)


class Window(Record):
    """A campaign resolved for one year: id, name, start, end, working_days, ..."""
    _show = ("id", "year", "start", "end")

    def __init__(self, fields: Dict[str, Any]) -> None:
        fields["origin"] = WindowOrigin(fields["origin"])
        super().__init__(fields)

    @property
    def estimated(self) -> bool:
        """True when the window is the fallback estimate for a year without data."""
        return self.origin == WindowOrigin.ESTIMATED


class DayInfo(Record):
    """What a calendar knows of a day: kind, working, covered, name, name_en."""
    _show = ("date", "kind", "working", "name")

    def __init__(self, fields: Dict[str, Any]) -> None:
        fields["kind"] = DayKind(fields["kind"])
        fields["working"] = bool(fields["working"])
        fields["covered"] = bool(fields["covered"])
        super().__init__(fields)


class Quality(Record):
    """What a schedule achieved: required, placed, unplaced (by reason), held, ..."""
    _show = ("required", "placed", "violations", "covered")

    required: int
    placed: int
    unplaced: Dict["Reason", int]
    held: int
    cancelled: int
    moved: int
    kept: int
    violations: int
    covered: bool

    def __init__(self, fields: Dict[str, Any]) -> None:
        counts = fields["unplaced"]
        fields["unplaced"] = {Reason.from_code(i): n for i, n in enumerate(counts) if i != Reason.NONE.code}
        fields["covered"] = bool(fields["covered"])
        super().__init__(fields)

    @property
    def unplaced_total(self) -> int:
        """Drills left without a day, whatever the reason."""
        return sum(self.unplaced.values())


class DistrictQuality(Record):
    """A district's load after a schedule: ``lower_bound`` is the interval
    bound of its observer-attended drills (the load its observer capacity
    constrains), against ``busiest_observed``."""
    _show = ("district", "drills", "busiest_observed", "lower_bound")

    district: str
    capacity: int
    drills: int
    observed: int
    busiest_day: Optional[_dt.date]
    busiest: int
    lower_bound: int
    busiest_observed: int

    @property
    def ratio(self) -> float:
        """``busiest_observed`` over ``lower_bound``: 1.0 at the bound (0.0 without observed drills)."""
        return self.busiest_observed / self.lower_bound if self.lower_bound else 0.0


def _outcome(o: Dict[str, Any]) -> Dict[str, Any]:
    """An outcome dict with enums for kind and form and None for what was not measured."""
    o["kind"] = Kind.from_code(o["kind"])
    o["form"] = Form.from_code(o["form"])
    for key in ("evacuation_seconds", "evacuation_target", "headcount_seconds", "headcount_target", "score"):
        if o[key] < 0:
            o[key] = None
    for key in ("observers", "notes"):
        if not o[key]:
            o[key] = None
    return o


class TrackInfo(Record):
    """The tracking record of a drill: ``status`` (a Status), ``outcome`` (a
    dict: date, start_minute, end_minute, kind, form, participants, ...,
    score; None for what was not measured) or None before it is held,
    ``cancel_reason`` (None unless cancelled), ``actions``, ``open_actions``."""
    _show = ("status", "actions", "open_actions")

    status: "Status"
    outcome: Optional[Dict[str, Any]]
    cancel_reason: Optional[str]
    actions: int
    open_actions: int

    def __init__(self, fields: Dict[str, Any]) -> None:
        fields["status"] = Status.from_code(fields["status"])
        fields["outcome"] = _outcome(fields["outcome"]) if fields.pop("has_outcome") else None  # drill_track_outcome()
        fields["cancel_reason"] = fields["cancel_reason"] or None
        super().__init__(fields)


class Action(Record):
    """A finding and its corrective action."""
    _show = ("number", "finding", "status", "due")

    def __init__(self, fields: Dict[str, Any]) -> None:
        fields["status"] = ActionStatus.from_code(fields["status"])
        super().__init__(fields)


class AuditEntry(Record):
    """One change of the audit trail: seq, time (an aware datetime in UTC),
    actor, drill_id, field ("state", "schedule", "outcome", "action N"),
    old_value (None if none), new_value, reason (None if none given)."""
    _show = ("seq", "time", "drill_id", "field", "new_value")

    seq: int
    time: _dt.datetime
    actor: str
    drill_id: str
    field: str
    old_value: Optional[str]
    new_value: str
    reason: Optional[str]


class FeedEvent(Record):
    """An event read from a feed (X-DRILL-* properties included)."""
    _show = ("uid", "summary", "start")

    def __init__(self, fields: Dict[str, Any]) -> None:
        for key in ("is_drill", "all_day", "observer"):
            fields[key] = bool(fields[key])
        super().__init__(fields)


# ---------------------------------------------------------------- dates

def parse_date(text: str) -> _dt.date:
    """Parse "YYYY-MM-DD" strictly (ParseError with the column otherwise)."""
    return capi.drill_date_parse(text)


def date_serial(day: DateLike) -> int:
    """Days since 1900-01-01 (libdrill's serial day number)."""
    return capi.drill_date_to_serial(day)


def date_from_serial(serial: int) -> _dt.date:
    """The date of a serial day number."""
    return capi.drill_date_from_serial(serial)


def iso_week(day: DateLike) -> Tuple[int, int]:
    """(ISO year, ISO week) of a date."""
    year, week = capi.drill_date_iso_week(day)
    return year, week


def half_year(day: DateLike) -> int:
    """1 for January-June, 2 for July-December."""
    return capi.drill_date_half(day)


def half_year_bounds(day: DateLike) -> Tuple[_dt.date, _dt.date]:
    """(first, last) day of the date's calendar half-year."""
    return capi.drill_date_half_first(day), capi.drill_date_half_last(day)


def lunar_to_date(year: int, month: int, day: int, leap: bool = False) -> _dt.date:
    """The date of a day of the Chinese lunar calendar (1949-2100)."""
    return _cast(_dt.date, capi.drill_lunar_to_date(year, month, day, 1 if leap else 0))


def solar_term_date(year: int, degrees: int) -> _dt.date:
    """The day (Beijing time) the sun reaches a solar term's longitude (15: Qingming)."""
    return _cast(_dt.date, capi.drill_solar_term_date(year, degrees))


# ---------------------------------------------------------------- calendar

class Calendar:
    """A working-day calendar: weekends, holidays and make-up working days.

    ``Calendar()`` has China's arrangements that ship with libdrill and
    answers a year without a notice provisionally from the law (its
    statutory holidays and the weekends, 1949-2100: ``provisional``);
    ``Calendar(china=False)`` has weekends only, and a day of a year with no
    arrangement raises NoDataError unless ``uncovered_weekends`` or
    ``provisional`` is set.
    """

    @_c("drill_calendar_new_china")
    def __init__(self, china: bool = True, uncovered_weekends: bool = False, _handle: Any = None) -> None:
        """Make a calendar."""
        if _handle is not None:
            self._h = _handle
        else:
            self._h = capi.drill_calendar_new_china() if china else capi.drill_calendar_new()
        if uncovered_weekends:
            self.uncovered_weekends = True

    @_c("drill_calendar_dup")
    def copy(self) -> "Calendar":
        """A copy of the calendar."""
        return Calendar(_handle=capi.drill_calendar_dup(self._h))

    @property
    @_c("drill_calendar_get_policy")
    def uncovered_weekends(self) -> bool:
        """True: days of uncovered years are answered from weekends alone
        (DRILL_UNCOVERED_WEEKENDS); False: they raise NoDataError."""
        return capi.drill_calendar_get_policy(self._h) == capi.DRILL_UNCOVERED_WEEKENDS

    @uncovered_weekends.setter
    def uncovered_weekends(self, value: bool) -> None:
        policy = capi.DRILL_UNCOVERED_WEEKENDS if value else capi.DRILL_UNCOVERED_ERROR
        capi.drill_calendar_set_policy(self._h, policy)

    @property
    @_c("drill_calendar_get_policy")
    def provisional(self) -> bool:
        """True: days of uncovered years (1949-2100) are answered from the law's
        statutory holidays and the weekends (DRILL_UNCOVERED_PROVISIONAL);
        False: they raise NoDataError."""
        return bool(capi.drill_calendar_get_policy(self._h) == capi.DRILL_UNCOVERED_PROVISIONAL)

    @provisional.setter
    def provisional(self, value: bool) -> None:
        policy = capi.DRILL_UNCOVERED_PROVISIONAL if value else capi.DRILL_UNCOVERED_ERROR
        capi.drill_calendar_set_policy(self._h, policy)

    @_c("drill_calendar_is_provisional")
    def is_provisional(self, year: int) -> bool:
        """Whether a year is answered provisionally from the law (no notice loaded)."""
        return bool(capi.drill_calendar_is_provisional(self._h, year))

    @_c("drill_calendar_add")
    def add(self, day: DateLike, name: str, kind: str = "holiday", name_en: Optional[str] = None, year: int = 0) -> None:
        """Add a holiday (kind="holiday") or a make-up working day (kind="workday")."""
        kinds = {"holiday": capi.DRILL_ENTRY_HOLIDAY, "workday": capi.DRILL_ENTRY_WORKDAY}
        if kind not in kinds:
            raise InvalidArgumentError("kind must be 'holiday' or 'workday', not %r" % (kind,), capi.DRILL_EINVAL)
        capi.drill_calendar_add(self._h, day, kinds[kind], name, name_en, year)

    @_c("drill_calendar_mark_covered")
    def mark_covered(self, year: int) -> None:
        """Declare a year's arrangement loaded although it has no entries."""
        capi.drill_calendar_mark_covered(self._h, year)

    @_c("drill_calendar_is_covered")
    def is_covered(self, year: int) -> bool:
        """Whether a year's arrangement is loaded."""
        return bool(capi.drill_calendar_is_covered(self._h, year))

    @property
    def covered_years(self) -> List[int]:
        """The years whose arrangement is loaded."""
        return [y for y in range(capi.DRILL_DATE_MIN_YEAR, capi.DRILL_DATE_MAX_YEAR + 1)
                if capi.drill_calendar_is_covered(self._h, y)]

    @_c("drill_calendar_day_info")
    def day(self, day: DateLike) -> "DayInfo":
        """Everything known of a day, as a DayInfo."""
        info = capi.drill_calendar_day_info(self._h, day)
        info["date"] = parse_date(day) if isinstance(day, str) else day
        return DayInfo(info)

    @_c("drill_calendar_is_working_day")
    def is_working_day(self, day: DateLike) -> bool:
        """Whether a day is a working day."""
        return bool(capi.drill_calendar_is_working_day(self._h, day))

    @_c("drill_calendar_next_working_day")
    def next_working_day(self, day: DateLike) -> _dt.date:
        """The first working day strictly after a date."""
        return capi.drill_calendar_next_working_day(self._h, day)

    @_c("drill_calendar_prev_working_day")
    def prev_working_day(self, day: DateLike) -> _dt.date:
        """The last working day strictly before a date."""
        return capi.drill_calendar_prev_working_day(self._h, day)

    @_c("drill_calendar_count_working_days")
    def count_working_days(self, first: DateLike, last: DateLike) -> int:
        """Working days from first to last, both included."""
        return capi.drill_calendar_count_working_days(self._h, first, last)

    @_c("drill_calendar_load_csv")
    def load_csv(self, path: PathLike) -> Dict[str, int]:
        """Load a holidays CSV file; returns what was read (a dict). All or nothing."""
        return capi.drill_calendar_load_csv(self._h, str(path))

    @_c("drill_calendar_load_csv_buffer")
    def load_csv_text(self, text: Union[str, bytes], source: Optional[str] = None) -> Dict[str, int]:
        """Load holidays CSV text (str or bytes)."""
        return capi.drill_calendar_load_csv_buffer(self._h, text, source)

    @_c("drill_calendar_load_ics")
    def load_ics(self, path: PathLike, workday_markers: Optional[str] = None,
                 holiday_markers: Optional[str] = None) -> Dict[str, int]:
        """Load a holiday iCalendar feed; returns what was read (a dict)."""
        opts = {"workday_markers": workday_markers, "holiday_markers": holiday_markers}
        return capi.drill_calendar_load_ics(self._h, str(path), opts)

    @_c("drill_calendar_load_ics_buffer")
    def load_ics_text(self, text: Union[str, bytes], source: Optional[str] = None,
                      workday_markers: Optional[str] = None, holiday_markers: Optional[str] = None) -> Dict[str, int]:
        """Load a holiday iCalendar feed from text (str or bytes)."""
        opts = {"workday_markers": workday_markers, "holiday_markers": holiday_markers}
        return capi.drill_calendar_load_ics_buffer(self._h, text, source, opts)

    def __repr__(self) -> str:
        years = self.covered_years
        span = "%d-%d" % (years[0], years[-1]) if years else "no year"
        return "<drill.Calendar covering %s%s>" % (span, ", weekends elsewhere" if self.uncovered_weekends else "")


# ---------------------------------------------------------------- campaigns

class Campaigns:
    """Campaign definitions; each resolves to a window for any year.

    ``Campaigns()`` has the built-in national campaigns with the Dalian
    flood-season defaults; keyword arguments (flood_month, flood_day,
    flood_end_month, flood_end_day, flood_lead_days) set another region.
    ``Campaigns(builtin=False)`` is empty.
    """

    @_c("drill_campaigns_new_builtin")
    def __init__(self, builtin: bool = True, **region: int) -> None:
        """Make a campaign set."""
        if builtin:
            self._h = capi.drill_campaigns_new_builtin(region or None)
        else:
            if region:
                raise TypeError("region options need builtin=True")
            self._h = capi.drill_campaigns_new()

    @_c("drill_campaigns_add")
    def add(self, id: str, name: str, rule: Any = "fixed", **fields: Any) -> None:
        """Add a campaign: rule is fixed, range, nth_weekday or offset (see CampaignRule)."""
        fields.update(id=id, name=name, rule=_code(CampaignRule, rule))
        capi.drill_campaigns_add(self._h, fields)

    @_c("drill_campaigns_remove")
    def remove(self, id: str) -> None:
        """Remove a campaign."""
        capi.drill_campaigns_remove(self._h, id)

    @_c("drill_campaigns_set_year")
    def set_year(self, id: str, start: DateLike, end: DateLike) -> None:
        """Give a campaign its real window for one year (start's year)."""
        capi.drill_campaigns_set_year(self._h, id, start, end)

    def __len__(self) -> int:
        return capi.drill_campaigns_count(self._h)

    @_c("drill_campaigns_window")
    def window(self, id: str, year: int, calendar: Optional["Calendar"] = None) -> "Window":
        """A campaign's window in a year (with working days when a calendar is given)."""
        return Window(capi.drill_campaigns_window(self._h, id, year, calendar._h if calendar else None))

    @_c("drill_campaigns_window_at")
    def windows(self, year: int, calendar: Optional["Calendar"] = None) -> List["Window"]:
        """Every campaign that occurs in a year, as Windows, in the order added."""
        out = []
        for i in range(len(self)):
            try:
                out.append(Window(capi.drill_campaigns_window_at(self._h, i, year,
                                                                calendar._h if calendar else None)))
            except NotFoundError:
                pass
        return out

    def __repr__(self) -> str:
        return "<drill.Campaigns of %d campaigns>" % len(self)


# ---------------------------------------------------------------- units

class ImportResult(Record):
    """What an import did: ``imported`` and ``errors`` (dicts with code, line, column, message)."""
    _show = ("imported",)


class Units:
    """A registry of units (enterprises, schools, organs, communities) and classes.

    Iterating gives Unit snapshots in the order added; ``units["DL000001"]``
    or ``units[0]`` gives one; ``len(units)`` counts them.
    """

    @_c("drill_units_new")
    def __init__(self, _handle: Any = None) -> None:
        """An empty registry with the built-in classes."""
        self._h = _handle if _handle is not None else capi.drill_units_new()

    @_c("drill_units_dup")
    def copy(self) -> "Units":
        """A copy of the registry."""
        return Units(_handle=capi.drill_units_dup(self._h))

    @_c("drill_units_generate")
    def generate(self, count: int = 0, seed: int = 2022, blackout_year: int = 0) -> None:
        """Add a synthetic Dalian (20,737 units by default); deterministic from the seed."""
        capi.drill_units_generate(self._h, {"count": count, "seed": seed, "blackout_year": blackout_year})

    @_c("drill_units_add")
    def add(self, id: str, name: str, area: str, unit_class: str, **fields: Any) -> None:
        """Add a unit; other fields: address, contact, phone, headcount, risk, flood_prone, key_fire."""
        fields.update(id=id, name=name, area=area, unit_class=unit_class)
        capi.drill_units_add(self._h, self._fields(fields))

    @_c("drill_units_update")
    def update(self, id: str, **fields: Any) -> None:
        """Change fields of a unit (the others keep their values)."""
        current = self[id].as_dict()
        current.update(fields)
        capi.drill_units_update(self._h, self._fields(current))

    @staticmethod
    def _fields(fields: Dict[str, Any]) -> Dict[str, Any]:
        for key in ("risk", "flood_prone", "key_fire"):
            if key in fields:
                fields[key] = _code(Risk, fields[key]) if key == "risk" else int(fields[key])
        return fields

    @_c("drill_units_add_class")
    def add_class(self, id: str, name: str, flags: int = 0, name_en: Optional[str] = None,
                  scenario: Optional[str] = None) -> None:
        """Add a unit class (flags: ClassFlag bits)."""
        capi.drill_units_add_class(self._h, {"id": id, "name": name, "name_en": name_en,
                                             "flags": int(flags), "scenario": scenario})

    @property
    @_c("drill_units_class_at")
    def classes(self) -> List[Dict[str, Any]]:
        """The classes, as dicts (id, name, name_en, flags, scenario)."""
        out = []
        for i in range(capi.drill_units_class_count(self._h)):
            c = capi.drill_units_class_at(self._h, i)
            c["flags"] = ClassFlag(c["flags"])
            out.append(c)
        return out

    def __len__(self) -> int:
        return capi.drill_units_count(self._h)

    @_c("drill_units_find")
    def index(self, id: str) -> int:
        """The index of a unit (NotFoundError if unknown)."""
        return capi.drill_units_find(self._h, id)

    def __contains__(self, id: object) -> bool:
        return _has(self, id, capi.drill_units_find)

    @_c("drill_units_get")
    def __getitem__(self, key: Union[int, str]) -> "Unit":
        """A unit by id or by index."""
        index = _index(self, key, capi.drill_units_find)
        unit = Unit(capi.drill_units_get(self._h, index))
        unit.__dict__["_index"] = index
        return unit

    def __iter__(self) -> Iterator["Unit"]:
        for i in range(len(self)):
            yield self[i]

    @_c("drill_units_district_of")
    def district_of(self, id: str) -> str:
        """A unit's district path ("大连市/中山区")."""
        return capi.drill_units_district_of(self._h, self.index(id))[1]

    @property
    @_c("drill_units_district_name")
    def districts(self) -> List[str]:
        """Every district path, in the order first seen."""
        return [capi.drill_units_district_name(self._h, i) for i in range(capi.drill_units_district_count(self._h))]

    @_c("drill_units_add_blackout")
    def add_blackout(self, id: str, first: DateLike, last: Optional[DateLike] = None) -> None:
        """Days (first..last, both included) a unit cannot drill."""
        capi.drill_units_add_blackout(self._h, id, first, last if last is not None else first)

    @_c("drill_units_is_key_fire")
    def is_key_fire(self, id: str) -> bool:
        """Whether a unit is a key fire-safety unit: its own key_fire flag or its class's."""
        return bool(capi.drill_units_is_key_fire(self._h, self.index(id)))

    @_c("drill_units_is_blacked_out")
    def is_blacked_out(self, id: str, day: DateLike) -> bool:
        """Whether a unit is blacked out on a day."""
        return bool(capi.drill_units_is_blacked_out(self._h, self.index(id), day))

    @property
    @_c("drill_units_break_at")
    def breaks(self) -> List[Dict[str, Any]]:
        """School breaks of the classes with terms, as dicts (class_id, name,
        yearly, from, to; a yearly break's dates carry the year 2000, only
        month and day count)."""
        return [capi.drill_units_break_at(self._h, i) for i in range(capi.drill_units_break_count(self._h))]

    @_c("drill_units_add_break")
    def add_break(self, unit_class: str, first: DateLike, last: DateLike, name: str) -> None:
        """A dated break (first..last, both included) of a class with terms."""
        capi.drill_units_add_break(self._h, unit_class, first, last, name)

    @_c("drill_units_set_yearly_break")
    def set_yearly_break(self, unit_class: str, name: str, month: int, day: int, end_month: int,
                         end_day: int) -> None:
        """A break every year, replacing the class's yearly break of that name."""
        capi.drill_units_set_yearly_break(self._h, unit_class, name, month, day, end_month, end_day)

    @_c("drill_units_clear_breaks")
    def clear_breaks(self, unit_class: str, dated: bool = True, yearly: bool = True) -> None:
        """Remove a class's dated and/or yearly breaks."""
        if dated or yearly:
            capi.drill_units_clear_breaks(self._h, unit_class, 2 if dated and yearly else 1 if yearly else 0)

    @_c("drill_units_load_terms_csv")
    def load_terms_csv(self, path: Any) -> int:
        """Breaks from a terms CSV (class,from,to,name); returns how many were read. All or nothing."""
        return int(capi.drill_units_load_terms_csv(self._h, str(path)))

    @_c("drill_units_load_terms_ics")
    def load_terms_ics(self, unit_class: str, path: Any, markers: Optional[str] = None) -> int:
        """A class's breaks from a school calendar feed; returns how many were added."""
        return int(capi.drill_units_load_terms_ics(self._h, unit_class, str(path), markers))

    @_c("drill_units_is_in_term")
    def in_term(self, id: str, day: DateLike) -> bool:
        """Whether a day is in term for a unit (always True for a class without terms)."""
        return bool(capi.drill_units_is_in_term(self._h, self.index(id), day))

    def _import(self, func: Any, args: Tuple[Any, ...], all_errors: bool, skip_bad_rows: bool,
                max_errors: int) -> "ImportResult":
        opts = {"all_errors": int(all_errors), "skip_bad_rows": int(skip_bad_rows), "max_errors": max_errors}
        report, imported = func(self._h, *args, opts)
        errors = [capi.drill_import_report_get(report, i) for i in range(capi.drill_import_report_count(report))]
        return ImportResult({"imported": imported, "errors": errors})

    @_c("drill_units_import_csv")
    def import_csv(self, path: PathLike, all_errors: bool = False, skip_bad_rows: bool = False,
                   max_errors: int = 0) -> "ImportResult":
        """Import a units CSV. By default the first bad row raises ParseError (with
        line and column) and nothing is imported. all_errors=True goes on and
        lists every bad row in the raised exception's ``errors`` (dicts: code,
        line, column, message); skip_bad_rows=True imports the good rows all
        the same and returns them with the errors (ImportResult)."""
        return self._import(capi.drill_units_import_csv, (str(path),), all_errors, skip_bad_rows, max_errors)

    @_c("drill_units_import_csv_buffer")
    def import_csv_text(self, text: Union[str, bytes], source: Optional[str] = None, all_errors: bool = False,
                        skip_bad_rows: bool = False, max_errors: int = 0) -> "ImportResult":
        """Import units CSV text (str or bytes); as import_csv()."""
        return self._import(capi.drill_units_import_csv_buffer, (text, source), all_errors, skip_bad_rows,
                            max_errors)

    def records(self, columns: bool = False) -> Any:
        """Every unit as plain data: a list of dicts (id, name, area, district,
        unit_class, address, contact, phone, headcount, risk, flood_prone,
        key_fire; None where empty), or with ``columns=True`` a dict of lists."""
        rows = []
        for i in range(len(self)):
            u = capi.drill_units_get(self._h, i)
            rows.append({"id": u["id"], "name": u["name"], "area": u["area"],
                         "district": capi.drill_units_district_of(self._h, i)[1], "unit_class": u["unit_class"],
                         "address": u["address"] or None, "contact": u["contact"] or None,
                         "phone": u["phone"] or None, "headcount": u["headcount"],
                         "risk": Risk(u["risk"]) if u["risk"] else None, "flood_prone": bool(u["flood_prone"]),
                         "key_fire": bool(u["key_fire"])})
        if columns:
            keys = ("id", "name", "area", "district", "unit_class", "address", "contact", "phone", "headcount",
                    "risk", "flood_prone", "key_fire")
            return {k: [r[k] for r in rows] for k in keys}
        return rows

    def to_pandas(self) -> Any:
        """The units as a pandas DataFrame."""
        from . import frames
        return frames.units_frame(self)

    @_c("drill_units_export_csv")
    def export_csv(self, path: PathLike) -> None:
        """Write every unit as CSV (atomically)."""
        capi.drill_units_export_csv(self._h, str(path))

    def __repr__(self) -> str:
        return "<drill.Units of %d units in %d districts>" % (len(self), capi.drill_units_district_count(self._h))


# ---------------------------------------------------------------- rules

class Rules:
    """Drill rules as data: who drills, what, how often, in which campaign.

    ``Rules()`` has the presets (national law and the Dalian bureau's
    campaign duties); ``Rules(presets=False)`` is empty.
    """

    @_c("drill_rules_new_presets")
    def __init__(self, presets: bool = True) -> None:
        """Make a rule set."""
        self._h = capi.drill_rules_new_presets() if presets else capi.drill_rules_new()

    @staticmethod
    def _fields(fields: Dict[str, Any]) -> Dict[str, Any]:
        for key, cls in _RULE_ENUMS:
            if key in fields:
                fields[key] = _code(cls, fields[key])
        if "class_flags" in fields:
            fields["class_flags"] = int(fields["class_flags"])
        for key in ("flood_prone", "key_fire"):
            if key in fields:
                fields[key] = int(fields[key])
        return fields

    @_c("drill_rules_add")
    def add(self, id: str, name: str, **fields: Any) -> None:
        """Add a rule; fields as drill_rule's (kind, form, frequency, classes, campaign, ...)."""
        fields.update(id=id, name=name)
        capi.drill_rules_add(self._h, self._fields(fields))

    @_c("drill_rules_update")
    def update(self, id: str, **fields: Any) -> None:
        """Change fields of a rule (the others keep their values)."""
        current = self[id].as_dict()
        current.update(fields)
        capi.drill_rules_update(self._h, self._fields(current))

    @_c("drill_rules_remove")
    def remove(self, id: str) -> None:
        """Remove a rule."""
        capi.drill_rules_remove(self._h, id)

    def __len__(self) -> int:
        return capi.drill_rules_count(self._h)

    @_c("drill_rules_find")
    def index(self, id: str) -> int:
        """The index of a rule."""
        return capi.drill_rules_find(self._h, id)

    def __contains__(self, id: object) -> bool:
        return _has(self, id, capi.drill_rules_find)

    @_c("drill_rules_get")
    def __getitem__(self, key: Union[int, str]) -> "Rule":
        """A rule by id or index."""
        index = _index(self, key, capi.drill_rules_find)
        return Rule(capi.drill_rules_get(self._h, index))

    def __iter__(self) -> Iterator["Rule"]:
        for i in range(len(self)):
            yield self[i]

    @_c("drill_rules_applies")
    def applies(self, rule_id: str, units: "Units", unit_id: str) -> bool:
        """Whether a rule applies to a unit of a registry."""
        return bool(capi.drill_rules_applies(self._h, self.index(rule_id), units._h, units.index(unit_id)))

    def __repr__(self) -> str:
        return "<drill.Rules of %d rules>" % len(self)


def kind_name(kind: Any, english: bool = False) -> str:
    """The name of a drill kind (综合演练 / comprehensive)."""
    return capi.drill_kind_name(_code(Kind, kind), int(english))


def form_name(form: Any, english: bool = False) -> str:
    """The name of a drill form (实战 / live)."""
    return capi.drill_form_name(_code(Form, form), int(english))


def scenario_name(scenario: str, english: bool = False) -> str:
    """The name of a scenario id (火灾 / fire); an unknown id comes back as it is."""
    return capi.drill_scenario_name(scenario, int(english))


# ---------------------------------------------------------------- plan

_FILTERS = ("unit_id", "district", "campaign", "rule_id", "status", "start", "end", "include_undated")

StatusArg = Union["Status", str, Iterable[Union["Status", str]], None]


def _status_mask(status: StatusArg) -> int:
    """A bit per status asked for (0: any); a str or Status is one, an iterable several."""
    if status is None:
        return 0
    if isinstance(status, (str, int)):
        status = (status,)
    mask = 0
    for one in status:
        mask |= 1 << _code(Status, one)
    if not mask:
        raise InvalidArgumentError("status: an empty list of statuses selects nothing; use None for any",
                                   capi.DRILL_EINVAL)
    return mask


def _check_filters(func: str, filters: Dict[str, Any]) -> None:
    unknown = sorted(set(filters) - set(_FILTERS))
    if unknown:
        raise TypeError("%s got an unknown filter %s; the filters are %s"
                        % (func, ", ".join(repr(k) for k in unknown), ", ".join(_FILTERS)))


def _filter(unit_id: Optional[str] = None, district: Optional[str] = None, campaign: Optional[str] = None,
            rule_id: Optional[str] = None, status: StatusArg = None, start: Optional[DateLike] = None,
            end: Optional[DateLike] = None, include_undated: bool = False) -> Tuple[Dict[str, Any], int]:
    """The C filter (a dict) and the status mask for keyword filters; raises
    InvalidArgumentError for a reversed range."""
    mask = _status_mask(status)
    one = [m for m in Status if mask == 1 << m.code]
    f: Dict[str, Any] = {"unit_id": unit_id, "district": district, "campaign": campaign, "rule_id": rule_id,
                         "status": one[0].code if one else -1}
    if start is not None or end is not None:
        first = parse_date(start) if isinstance(start, str) else start
        last = parse_date(end) if isinstance(end, str) else end
        if first is not None and last is not None and first > last:
            raise InvalidArgumentError("the range is reversed: start %s is after end %s" % (first, last),
                                       capi.DRILL_EINVAL)
        f["has_range"] = 1
        f["from"] = first or _dt.date(capi.DRILL_DATE_MIN_YEAR, 1, 1)
        f["to"] = last or _dt.date(capi.DRILL_DATE_MAX_YEAR, 12, 31)
    return f, (mask if not one else 0)


def _cancel_args(func: str, args: Sequence[Optional[str]], kw: Dict[str, Optional[str]]
                 ) -> Tuple[Optional[str], Optional[str]]:
    """(actor, reason) from cancel()'s arguments, new order or old."""
    unknown = set(kw) - {"actor", "reason"}
    if unknown or len(args) > 2:
        raise TypeError("%s(actor, reason=None): unexpected arguments %s" % (func, sorted(unknown) or args[2:]))
    if len(args) == 1 and "actor" in kw and "reason" not in kw:
        import warnings
        warnings.warn("%s(reason, actor=...) is the old order; write %s(actor, reason)" % (func, func),
                      DeprecationWarning, stacklevel=3)
        return kw["actor"], args[0]
    names = ("actor", "reason")
    values = dict(zip(names, args))
    for k, v in kw.items():
        if k in values:
            raise TypeError("%s() got multiple values for %r" % (func, k))
        values[k] = v
    if values.get("actor") is None:
        raise TypeError("%s() needs an actor" % func)
    return values["actor"], values.get("reason")


def _feed_filter(filter: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """A feed's filter: select()'s conditions that the C filter can say alone."""
    if not filter:
        return None
    _check_filters("filter=", filter)
    cfilter, mask = _filter(**filter)
    if mask:
        raise InvalidArgumentError("a feed's filter takes one status, not several", capi.DRILL_EINVAL)
    return cfilter


def _today(today: Optional[DateLike]) -> DateLike:
    return _dt.date.today() if today is None else today


#: The columns of a drill record, each (name, group, kind): group "drill",
#: "outcome" or "unit"; kind "str", "date", "int", "bool" or "enum".
RECORD_FIELDS: List[Tuple[str, str, str]] = [
    (name, ("drill", "outcome", "unit")[group], kind) for name, group, kind, _ in capi.record_columns()]
_GROUP_BITS = {"drill": 0, "outcome": 1, "unit": 2}


def _record_fields(fields: Optional[Iterable[str]]) -> Tuple[Optional[List[str]], int]:
    """(column names, or None for all; the C group bits they need)."""
    if fields is None:
        return None, 1 | 2
    if isinstance(fields, str):
        fields = [fields]
    group_of = {name: group for name, group, _ in RECORD_FIELDS}
    names: List[str] = []
    for f in fields:
        if f in _GROUP_BITS:
            names.extend(n for n, g, _ in RECORD_FIELDS if g == f and n not in names)
        elif f in group_of:
            if f not in names:
                names.append(f)
        else:
            raise InvalidArgumentError("unknown field %r: a column of drill.RECORD_FIELDS or a group "
                                       "(drill, outcome, unit)" % (f,), capi.DRILL_EINVAL)
    bits = 0
    for n in names:
        bits |= _GROUP_BITS[group_of[n]]
    return names, bits


def _utc_text(when: Union[_dt.datetime, _dt.date, str, None], name: str) -> Optional[str]:
    """A time as the audit trail writes it ("YYYY-MM-DDTHH:MM:SSZ"); a date is its midnight UTC,
    a naive datetime is taken as UTC."""
    if when is None:
        return None
    if isinstance(when, str):
        when = _dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    if not isinstance(when, _dt.datetime):
        if not isinstance(when, _dt.date):
            raise TypeError("%s: expected a datetime, a date or an ISO string, not %s" % (name, type(when).__name__))
        when = _dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class AuditTrail:
    """A plan's audit trail, oldest first, or the part a filter keeps.

    List-like (``len``, iteration and indexing give AuditEntry records);
    call it to filter further: ``plan.audit(drill=id, actor="clerk",
    since=datetime, until=datetime)`` (since included, until excluded;
    naive times are UTC). ``records()`` and ``to_pandas()`` give it whole.
    """

    def __init__(self, plan: "Plan", drill: Optional[str] = None, actor: Optional[str] = None,
                 since: Optional[str] = None, until: Optional[str] = None) -> None:
        self._plan = plan
        self._args = (drill, actor, since, until)

    def __call__(self, drill: Optional[str] = None, actor: Optional[str] = None,
                 since: Union[_dt.datetime, _dt.date, str, None] = None,
                 until: Union[_dt.datetime, _dt.date, str, None] = None) -> "AuditTrail":
        d0, a0, s0, u0 = self._args
        if (drill is not None and d0 is not None and drill != d0) or (actor is not None and a0 is not None
                                                                        and actor != a0):
            drill, actor = "\0", "\0"  # two different drills (or actors): nothing
        s1, u1 = _utc_text(since, "since"), _utc_text(until, "until")
        s1 = max(x for x in (s0, s1) if x is not None) if (s0 or s1) else None
        u1 = min(x for x in (u0, u1) if x is not None) if (u0 or u1) else None
        if s1 is not None and u1 is not None and s1 > u1:
            raise InvalidArgumentError("the range is reversed: since %s is after until %s" % (s1, u1),
                                       capi.DRILL_EINVAL)
        return AuditTrail(self._plan, drill if drill is not None else d0, actor if actor is not None else a0,
                          s1, u1)

    def records(self, columns: bool = False) -> Any:
        """The entries as plain data in one call: a list of dicts, or with
        ``columns=True`` a dict of lists."""
        return capi.audit_records(self._plan._h, *self._args, int(columns))

    def to_pandas(self) -> Any:
        """The entries as a pandas DataFrame (time as datetime64 in UTC)."""
        from . import frames
        return frames.audit_frame(self)

    def _entries(self) -> List[AuditEntry]:
        return [AuditEntry(r) for r in self.records()]

    def __len__(self) -> int:
        if self._args == (None, None, None, None):
            return int(capi.drill_audit_count(self._plan._h))
        return len(self.records(columns=True)["seq"])

    def __iter__(self) -> Iterator[AuditEntry]:
        return iter(self._entries())

    def __getitem__(self, index: int) -> AuditEntry:
        return self._entries()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AuditTrail):
            other = other._entries()
        return isinstance(other, list) and self._entries() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join("%s=%r" % (k, v) for k, v in zip(("drill", "actor", "since", "until"), self._args)
                          if v is not None)
        return "<drill.AuditTrail of %d entries%s>" % (len(self), " " + shown if shown else "")


class Drill(Record):
    """One drill of a plan: a snapshot of its fields, with methods that track it.

    Fields: id, unit_id, unit_name, district, rule_id, source, period, kind,
    form, scenario, campaign, window_start, window_end, status, date,
    start_minute, duration_minutes, needs_observer, reason, revision. The
    methods (hold, evaluate, add_action, close, cancel, ...) call the plan's
    and refresh the snapshot. A drill keeps its plan alive.
    """
    _show = ("id", "status", "date")

    id: str
    unit_id: str
    unit_name: str
    district: str
    rule_id: str
    source: Optional[str]
    period: str
    kind: Kind
    form: Form
    scenario: Optional[str]
    campaign: Optional[str]
    window_start: Optional[_dt.date]
    window_end: Optional[_dt.date]
    status: Status
    date: Optional[_dt.date]
    start_minute: Optional[int]
    duration_minutes: Optional[int]
    needs_observer: bool
    reason: Optional[Reason]
    revision: int

    def __init__(self, plan: "Plan", fields: Dict[str, Any]) -> None:
        super().__init__(fields)
        self._plan = plan

    @property
    def plan(self) -> "Plan":
        """The plan the drill belongs to."""
        return self._plan

    @property
    def start(self) -> Optional[_dt.datetime]:
        """When it starts, as an aware datetime in the plan's zone (drill.TIMEZONE), or None."""
        if self.date is None or self.start_minute is None:
            return None
        return _dt.datetime.combine(self.date, _dt.time(self.start_minute // 60, self.start_minute % 60),
                                    tzinfo=_ZONE)

    @property
    def end(self) -> Optional[_dt.datetime]:
        """When it ends, as a datetime, or None."""
        start = self.start
        return None if start is None else start + _dt.timedelta(minutes=self.duration_minutes or 0)

    def reload(self) -> "Drill":
        """Read the drill's fields again from its plan."""
        self.__dict__.update(self._plan[self.id].as_dict())
        return self

    def _then_reload(self, result: _T) -> _T:
        self.reload()
        return result

    def hold(self, **outcome: Any) -> None:
        """Record it held; see Plan.hold()."""
        return self._then_reload(self._plan.hold(self.id, **outcome))

    def evaluate(self, score: int, **kw: Any) -> None:
        """Record its evaluation; see Plan.evaluate()."""
        return self._then_reload(self._plan.evaluate(self.id, score, **kw))

    def add_action(self, **action: Any) -> int:
        """Add a finding and corrective action; see Plan.add_action()."""
        return self._then_reload(self._plan.add_action(self.id, **action))

    def set_action(self, number: int, status: Any, **kw: Any) -> None:
        """Move a corrective action on; see Plan.set_action()."""
        return self._then_reload(self._plan.set_action(self.id, number, status, **kw))

    def close(self, **kw: Any) -> None:
        """Close it; see Plan.close()."""
        return self._then_reload(self._plan.close(self.id, **kw))

    def cancel(self, *args: Optional[str], **kw: Optional[str]) -> None:
        """Cancel it: ``d.cancel(actor, reason)``; see Plan.cancel()."""
        actor, reason = _cancel_args("Drill.cancel", args, kw)
        return self._then_reload(self._plan.cancel(self.id, actor, reason))

    def reinstate(self, **kw: Any) -> None:
        """Bring it back from cancelled; see Plan.reinstate()."""
        return self._then_reload(self._plan.reinstate(self.id, **kw))

    def reschedule(self, day: DateLike, **kw: Any) -> None:
        """Move it to another day; see Plan.reschedule()."""
        return self._then_reload(self._plan.reschedule(self.id, day, **kw))

    @property
    def tracking(self) -> "TrackInfo":
        """Its tracking record (TrackInfo)."""
        return self._plan.tracking(self.id)

    @property
    def actions(self) -> List["Action"]:
        """Its corrective actions."""
        return self._plan.actions_of(self.id)

    @property
    def audit(self) -> "AuditTrail":
        """Its audit trail (the plan's, for this drill alone)."""
        return self._plan.audit(drill=self.id)

    def __repr__(self) -> str:
        when = " on %s" % self.date if self.date is not None else ""
        return "<drill.Drill %s: %s %s, %s%s>" % (self.id, self.kind, self.form, self.status, when)

    def _repr_html_(self) -> str:
        from . import html
        return html.drill_(self)


class Selection:
    """The drills a query selected, in plan order; keeps its plan alive.

    ``len()``, iteration (Drills), ``records()`` and ``to_pandas()`` as a
    Plan's. Made by ``plan.select(...)``.
    """

    def __init__(self, plan: "Plan", indexes: bytes, description: str = "") -> None:
        self._plan = plan
        self._idx = indexes
        self._description = description

    @property
    def plan(self) -> "Plan":
        """The plan the drills belong to."""
        return self._plan

    @property
    def indexes(self) -> List[int]:
        """The selected drills' indexes in the plan."""
        return list(_array.array("I", self._idx))

    def __len__(self) -> int:
        return len(self._idx) // 4

    def __iter__(self) -> Iterator["Drill"]:
        for i in _array.array("I", self._idx):
            yield Drill(self._plan, capi.drill_plan_get(self._plan._h, i))

    def records(self, columns: bool = False, fields: Optional[Iterable[str]] = None) -> Any:
        """The selected drills as plain data in one call; see Plan.records()."""
        return self._plan._records(self._idx, columns, fields)

    def to_pandas(self, fields: Optional[Iterable[str]] = None) -> Any:
        """The selected drills as a typed pandas DataFrame; see Plan.to_pandas()."""
        from . import frames
        return frames.plan_frame(self._plan, self._idx, fields)

    def __repr__(self) -> str:
        return "<drill.Selection of %d drills%s>" % (len(self), " " + self._description if self._description else "")

    def _repr_html_(self) -> str:
        from . import html
        return html.selection(self)


class Plan:
    """A year's drill plan: every drill the rules require of the units, and
    the scheduler that puts them on working days.

    ``Plan(units, rules, year=2026)`` uses the built-in campaigns and China's
    calendar unless others are given. Iterating gives Drills; ``plan[id]`` or
    ``plan[index]`` gives one; ``plan.records()`` gives all as plain data.
    """

    @_c("drill_plan_new")
    def __init__(self, units: Units, rules: Rules, campaigns: Optional[Campaigns] = None,
                 calendar: Optional[Calendar] = None, year: Optional[int] = None, allow_uncovered: bool = False,
                 _handle: Any = None) -> None:
        """Make the year's requirements (units x rules)."""
        # the C plan borrows these: they live as long as the plan, read-only
        self._units = units
        self._rules = rules
        self._campaigns = campaigns if campaigns is not None else Campaigns()
        self._calendar = calendar if calendar is not None else Calendar()
        self._store: Optional[Store] = None
        if _handle is not None:
            self._h = _handle
        else:
            if year is None:
                raise TypeError("Plan() needs a year")
            self._h = capi.drill_plan_new(units._h, rules._h, self._campaigns._h, self._calendar._h,
                                          {"year": year, "allow_uncovered": int(allow_uncovered)})

    @property
    def store(self) -> Optional["Store"]:
        """The Store the plan's tracking changes are written through to, or
        None (never attached, detached, or its store was closed: then
        tracking calls raise StateError until it is attached again)."""
        return self._store

    @property
    def units(self) -> Units:
        """The units the plan was made from (change them, then refresh())."""
        return self._units

    @property
    def rules(self) -> Rules:
        """The rules the plan was made from (change them, then refresh())."""
        return self._rules

    @property
    def campaigns(self) -> Campaigns:
        """The campaigns the plan was made with."""
        return self._campaigns

    @property
    def calendar(self) -> Calendar:
        """The working-day calendar the plan was made with."""
        return self._calendar

    @property
    def year(self) -> int:
        """The plan's year."""
        return capi.drill_plan_year(self._h)

    def __len__(self) -> int:
        return capi.drill_plan_count(self._h)

    @_c("drill_plan_get")
    def __getitem__(self, key: Union[int, str]) -> "Drill":
        """A drill by id or index."""
        index = _index(self, key, capi.drill_plan_find)
        return Drill(self, capi.drill_plan_get(self._h, index))

    def __iter__(self) -> Iterator["Drill"]:
        for i in range(len(self)):
            yield Drill(self, capi.drill_plan_get(self._h, i))

    def __contains__(self, id: object) -> bool:
        return _has(self, id, capi.drill_plan_find)

    @_c("drill_plan_find")
    def index(self, id: str) -> int:
        """A drill's index (indexes change at refresh(); ids do not)."""
        return capi.drill_plan_find(self._h, id)

    def select(self, **filter: Any) -> Selection:
        """The drills matching every condition given, in plan order.

        Filters: ``unit_id``, ``district`` (a path, "大连市/中山区"),
        ``campaign`` ("" for drills without one), ``rule_id``, ``status`` (a
        Status or its name, or a list of them: ``status=["held", "evaluated"]``),
        ``start``/``end`` (a date range, both included; dates or "YYYY-MM-DD";
        a reversed range raises InvalidArgumentError). A range keeps the drills
        placed in it; ``include_undated=True`` adds the unplaced ones whose
        window overlaps it. ::

            june = plan.select(start="2027-06-01", end="2027-06-30", status="scheduled")
        """
        _check_filters("select()", filter)
        cfilter, mask = _filter(**filter)
        dated_only = bool(cfilter.get("has_range")) and not filter.get("include_undated", False)
        sel = capi.drill_plan_select(self._h, cfilter)
        idx = capi.selection_indexes(self._h, sel, mask, int(dated_only))
        shown = ", ".join("%s=%r" % (k, v) for k, v in filter.items() if v is not None)
        return Selection(self, idx, shown)

    def _records(self, idx: Optional[bytes], columns: bool, fields: Optional[Iterable[str]]) -> Any:
        names, groups = _record_fields(fields)
        out = capi.plan_records(self._h, self._units._h, idx, int(columns), groups)
        made = [n for n, g, _ in RECORD_FIELDS if g == "drill" or groups & _GROUP_BITS[g]]
        if names is not None and names != made:
            if columns:
                out = {k: out[k] for k in names}
            else:
                out = [{k: r[k] for k in names} for r in out]
        return out

    def records(self, columns: bool = False, fields: Optional[Iterable[str]] = None, **filter: Any) -> Any:
        """Every drill (or those a filter selects, as select()) as plain data in
        one call: a list of dicts, or with ``columns=True`` a dict of lists.

        The columns are the drill's own (id, unit_id, ..., status, date, ...),
        its outcome and tracking (held_date, participants, evacuation_seconds,
        headcount_seconds, score, observers, cancel_reason, actions, ...) and its
        unit's (unit_class, area, risk, headcount, flood_prone, key_fire): see
        ``drill.RECORD_FIELDS``. ``fields`` picks columns or whole groups
        ("drill", "outcome", "unit"). Enums are members (``r["status"] ==
        "held"``), dates ``datetime.date``, and what is missing None. ::

            held = plan.records(status=["held", "evaluated"], fields=["drill", "score"])
        """
        if filter:
            return self.select(**filter).records(columns, fields)
        return self._records(None, columns, fields)

    def to_pandas(self, fields: Optional[Iterable[str]] = None, **filter: Any) -> Any:
        """The drills (or those a filter selects) as a pandas DataFrame with
        typed columns: datetime64 dates, ``start``/``end`` datetimes in
        drill.TIMEZONE, categorical enums, nullable integers (Int64) and
        booleans. Needs pandas. ::

            df = plan.to_pandas()
            df[df.status == drill.Status.HELD].groupby("unit_class").score.mean()
        """
        if filter:
            return self.select(**filter).to_pandas(fields)
        from . import frames
        return frames.plan_frame(self, None, fields)

    # -- planning and scheduling

    @_c("drill_plan_set_last")
    def set_last(self, unit_id: str, rule_id: str, last: DateLike, held: bool = False) -> None:
        """Record a unit's last drill under a rule before this year."""
        capi.drill_plan_set_last(self._h, unit_id, rule_id, last, int(held))

    @_c("drill_plan_close_day")
    def close_day(self, day: DateLike, district: Optional[str] = None) -> None:
        """Close a day for one district or everywhere (takes effect at the next schedule)."""
        capi.drill_plan_close_day(self._h, district, day)

    @_c("drill_plan_set_capacity")
    def set_capacity(self, district: str, capacity: int) -> None:
        """One district's observer capacity a day."""
        capi.drill_plan_set_capacity(self._h, district, capacity)

    @_c("drill_plan_refresh")
    def refresh(self) -> None:
        """Re-read the units and rules."""
        capi.drill_plan_refresh(self._h)

    @_c("drill_plan_schedule")
    def schedule(self, capacity: int = 0, spacing_days: int = 0, observer_min_risk: Any = Risk.UNSET,
                 observe_comprehensive: int = 0,
                 start_minute: Sequence[int] = (0, 0, 0, 0), duration_minutes: Sequence[int] = (0, 0, 0, 0),
                 tabletop_minutes: int = 0, today: Optional[DateLike] = None, day_slots: int = 0,
                 slot_minutes: int = 0, avoid_after_breaks: Any = 0, campaign_min_days: int = 0,
                 campaign_widen_days: int = 0) -> "Quality":
        """Place the drills; returns the Quality. Zero keeps the C default (capacity 30
        a district a day, spacing 7 days, three start slots an hour apart, ...).
        ``today``: nothing is placed on or before it, and scheduled drills on
        days gone by stay (overdue); None: every day of the year is open.
        ``avoid_after_breaks``: use the first working day after Spring Festival
        and National Day last. ``campaign_min_days``: a campaign window with
        fewer working days (a campaign day on a weekend) grows a day each side
        at a time until it has them (5; -1: never), by ``campaign_widen_days``
        each side at most (7)."""
        opts = {"capacity": capacity, "spacing_days": spacing_days,
                "observer_min_risk": _code(Risk, observer_min_risk),
                "observe_comprehensive": int(observe_comprehensive), "start_minute": list(start_minute),
                "duration_minutes": list(duration_minutes), "tabletop_minutes": tabletop_minutes,
                "today": today, "day_slots": day_slots, "slot_minutes": slot_minutes,
                "avoid_after_breaks": int(avoid_after_breaks), "campaign_min_days": campaign_min_days,
                "campaign_widen_days": campaign_widen_days}
        return Quality(capi.drill_plan_schedule(self._h, opts))

    @property
    @_c("drill_plan_schedule_options_v2")
    def schedule_options(self) -> Dict[str, Any]:
        """The options of the last schedule (a dict; schedule(**options) repeats it)."""
        return capi.drill_plan_schedule_options_v2(self._h, capi.DRILL_SCHEDULE_OPTIONS_VERSION)

    @property
    @_c("drill_plan_quality")
    def quality(self) -> "Quality":
        """The last schedule's quality, with violations counted afresh."""
        return Quality(capi.drill_plan_quality(self._h))

    @_c("drill_plan_district_quality")
    def district_quality(self) -> List["DistrictQuality"]:
        """Every district's load, as DistrictQuality records."""
        return [DistrictQuality(capi.drill_plan_district_quality(self._h, i))
                for i in range(capi.drill_units_district_count(self._units._h))]

    @_c("drill_plan_validate")
    def validate(self) -> int:
        """Constraint violations found by an independent check (0 for a correct schedule)."""
        return capi.drill_plan_validate(self._h)

    # -- tracking

    @_c("drill_track_hold")
    def hold(self, drill_id: str, date: DateLike, actor: str, reason: Optional[str] = None, kind: Any = None,
             form: Any = None, **outcome: Any) -> None:
        """Record a drill held on a date; outcome fields: start_minute, end_minute,
        participants, non_participants, observers, evacuation_seconds,
        evacuation_target, headcount_seconds, headcount_target, score, notes.
        kind and form default to the drill's own. ::

            plan.hold(drill_id, date=datetime.date(2026, 3, 2), actor="clerk",
                      participants=120, evacuation_seconds=210, evacuation_target=240)
        """
        item = self[drill_id]
        outcome.update(date=date, kind=_code(Kind, kind if kind is not None else item.kind),
                       form=_code(Form, form if form is not None else item.form))
        capi.drill_track_hold(self._h, drill_id, outcome, actor, reason)

    @_c("drill_track_evaluate")
    def evaluate(self, drill_id: str, score: int, actor: str, notes: Optional[str] = None,
                 reason: Optional[str] = None) -> None:
        """Record a held drill's evaluation (score 0-100)."""
        capi.drill_track_evaluate(self._h, drill_id, score, notes, actor, reason)

    @_c("drill_track_add_action")
    def add_action(self, drill_id: str, finding: str, action: str, owner: str, due: DateLike, actor: str,
                   capability: Optional[str] = None, reason: Optional[str] = None) -> int:
        """Add a finding with its corrective action; returns its number (1, 2, ...)."""
        fields = {"finding": finding, "action": action, "owner": owner, "due": due, "capability": capability}
        return capi.drill_track_add_action(self._h, drill_id, fields, actor, reason)

    @_c("drill_track_set_action")
    def set_action(self, drill_id: str, number: int, status: Any, actor: str, when: Optional[DateLike] = None,
                   reason: Optional[str] = None) -> None:
        """Move a corrective action to a status (when: the day it was done; default today)."""
        capi.drill_track_set_action(self._h, drill_id, number, _code(ActionStatus, status),
                                    _today(when), actor, reason)

    @_c("drill_track_close")
    def close(self, drill_id: str, actor: str, reason: Optional[str] = None) -> None:
        """Close a drill whose actions are all done, verified or waived."""
        capi.drill_track_close(self._h, drill_id, actor, reason)

    @_c("drill_track_cancel")
    def cancel(self, drill_id: str, *args: Optional[str], **kw: Optional[str]) -> None:
        """Cancel a drill: ``plan.cancel(drill_id, actor, reason)``, the order of
        every other tracking method. The old order, ``cancel(drill_id, reason,
        actor=...)``, is told apart by its keyword and still works with a
        DeprecationWarning; two positional strings are read in the new order."""
        actor, reason = _cancel_args("Plan.cancel", args, kw)
        capi.drill_track_cancel(self._h, drill_id, actor, reason)

    @_c("drill_track_reinstate")
    def reinstate(self, drill_id: str, actor: str, reason: Optional[str] = None) -> None:
        """Bring a cancelled drill back to planned."""
        capi.drill_track_reinstate(self._h, drill_id, actor, reason)

    @_c("drill_track_reschedule")
    def reschedule(self, drill_id: str, day: DateLike, actor: str, reason: Optional[str] = None) -> None:
        """Move a planned or scheduled drill to another valid day by hand."""
        capi.drill_track_reschedule(self._h, drill_id, day, actor, reason)

    @_c("drill_track_get")
    def tracking(self, drill_id: str) -> "TrackInfo":
        """A drill's tracking record (TrackInfo)."""
        fields = capi.drill_track_get(self._h, drill_id)
        fields["outcome"] = capi.drill_track_outcome(self._h, drill_id) if fields["has_outcome"] else None
        return TrackInfo(fields)

    @_c("drill_track_action")
    def actions_of(self, drill_id: str) -> List["Action"]:
        """A drill's corrective actions, as Action records numbered from 1."""
        info = capi.drill_track_get(self._h, drill_id)
        out = []
        for n in range(1, info["actions"] + 1):
            fields = capi.drill_track_action(self._h, drill_id, n)
            fields["number"] = n
            out.append(Action(fields))
        return out

    @property
    def audit(self) -> "AuditTrail":
        """The audit trail, oldest first: a list-like AuditTrail of AuditEntry
        records; call it to filter (``plan.audit(actor="clerk", since=...)``)."""
        return AuditTrail(self)

    # -- reports

    @_c("drill_report_coverage")
    def coverage(self, by: Any = "district", today: Optional[DateLike] = None) -> "Table":
        """Coverage as of a day (default today), grouped by campaign, district,
        class, tier or rule, with a last row "total": a Table whose columns are
        group, required, scheduled, held, overdue, cancelled, coverage_percent. ::

            plan.coverage(by="class", today=datetime.date(2026, 7, 1)).to_pandas()
        """
        return Table(self, capi.drill_report_coverage(self._h, _code(GroupBy, by), _today(today)))

    @_c("drill_report_noncompliant")
    def noncompliant(self, today: Optional[DateLike] = None) -> "Table":
        """Required drills whose window ended without them being held."""
        return Table(self, capi.drill_report_noncompliant(self._h, _today(today)), Status)

    @_c("drill_report_reminders")
    def reminders(self, today: Optional[DateLike] = None, days_ahead: int = 14) -> "Table":
        """Drills due in the next days, overdue drills and overdue actions, with contacts."""
        return Table(self, capi.drill_report_reminders(self._h, _today(today), days_ahead))

    @_c("drill_report_actions")
    def actions_report(self, today: Optional[DateLike] = None) -> "Table":
        """Every corrective action of the plan's drills."""
        return Table(self, capi.drill_report_actions(self._h, _today(today)), ActionStatus)

    # -- feeds

    @staticmethod
    def _feed_options(name: Optional[str] = None, tzid: Optional[str] = None, color: Optional[str] = None,
                      english: bool = False, refresh_minutes: int = 0, alarm_minutes: int = 0,
                      organizer: Optional[str] = None, organizer_name: Optional[str] = None,
                      filter: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        return {"name": name, "tzid": tzid, "color": color, "english": int(english),
                "refresh_minutes": refresh_minutes, "alarm_minutes": alarm_minutes, "organizer": organizer,
                "organizer_name": organizer_name, "filter": _feed_filter(filter)}

    @_c("feed_text")
    def feed_text(self, **options: Any) -> str:
        """The plan's iCalendar feed as a str (drill_feed_write() into memory). Options: name, tzid, color,
        english, refresh_minutes, alarm_minutes, organizer, organizer_name,
        filter (a dict of select() conditions)."""
        return capi.feed_text(self._h, self._feed_options(**options))

    @_c("drill_feed_write_file")
    def write_feed(self, path: PathLike, **options: Any) -> bool:
        """Write the feed to a file atomically; True if written, False if unchanged."""
        return bool(capi.drill_feed_write_file(self._h, str(path), self._feed_options(**options)))

    @_c("drill_feed_write_set")
    def write_feeds(self, directory: PathLike, by: Any = "district", **options: Any) -> Dict[str, int]:
        """A feed per district, unit or campaign plus the city feed all.ics;
        returns what was done (feeds, written, unchanged, events)."""
        return capi.drill_feed_write_set(self._h, str(directory), _code(Split, by),
                                         self._feed_options(**options))

    @_c("drill_feed_import_busy")
    def import_busy(self, path: PathLike, district: Optional[str] = None) -> int:
        """Close every day another calendar's events cover (in a district, or
        everywhere) in the plan's year. Returns how many days it closed: each
        day once however many events cover it, and not the days closed before."""
        return capi.drill_feed_import_busy(self._h, str(path), district)

    def __repr__(self) -> str:
        q = capi.drill_plan_quality(self._h)
        return "<drill.Plan %d: %d drills, %d placed>" % (self.year, q["required"], q["placed"])

    def _repr_html_(self) -> str:
        from . import html
        return html.plan(self)

    # -- pictures (matplotlib; see drill.plot)

    def plot_load(self, district: str, ax: Any = None) -> Any:
        """Drills per working day in a district against its observer capacity; see drill.plot.load()."""
        from . import plot
        return plot.load(self, district, ax)

    def plot_coverage(self, by: str = "district", today: Optional[_dt.date] = None, ax: Any = None) -> Any:
        """Coverage by district, class, ...; see drill.plot.coverage()."""
        from . import plot
        return plot.coverage(self, by, today, ax)

    def plot_campaigns(self, ax: Any = None) -> Any:
        """The year's campaign calendar; see drill.plot.campaigns()."""
        from . import plot
        return plot.campaigns(self, ax)


# report columns that hold text even when they look like numbers
_TEXT_COLUMNS = {"group", "unit_id", "unit_name", "drill_id", "rule", "district", "contact", "phone", "owner",
                 "finding", "capability", "action", "what", "why", "type", "id", "name", "rule_id", "campaign",
                 "reason", "start", "end", "kind", "form", "scenario"}


def _typed_cells(name: str, cells: List[str], status: Optional[Type[NamedEnum]]) -> List[Any]:
    """A report column's text as values: "" is None; a column whose cells are all
    integers, numbers or dates becomes ints, floats or dates; "status" an enum."""
    if name == "status" and status is not None:
        return [status(c) if c else None for c in cells]
    if name in _TEXT_COLUMNS:
        return [c if c else None for c in cells]
    present = [c for c in cells if c]
    converters: Tuple[Callable[[str], Any], ...] = (int, float, _dt.date.fromisoformat)
    for convert in converters:
        try:
            typed = {c: convert(c) for c in set(present)}
        except ValueError:
            continue
        if convert is _dt.date.fromisoformat and not all(len(c) == 10 for c in present):
            continue
        return [typed[c] if c else None for c in cells]
    return [c if c else None for c in cells]


class Table:
    """A report: named columns and rows of typed cells (int, float, date,
    an enum, str; None where empty). Iterating gives rows as dicts;
    ``records()`` and ``to_pandas()`` give them all. Keeps its plan alive."""

    def __init__(self, plan: "Plan", handle: Any, status: Optional[Type[NamedEnum]] = None) -> None:
        self._plan = plan
        self._h = handle
        self._status = status
        self._cache: Optional[Dict[str, List[Any]]] = None

    @property
    def columns(self) -> List[str]:
        """The column names."""
        return [capi.drill_table_column(self._h, k) for k in range(capi.drill_table_columns(self._h))]

    def __len__(self) -> int:
        return int(capi.drill_table_rows(self._h))

    def _typed(self) -> Dict[str, List[Any]]:
        if self._cache is None:
            text = capi.table_records(self._h, 1)
            self._cache = {name: _typed_cells(name, text[name], self._status) for name in self.columns}
        return self._cache

    def cell(self, row: int, column: Union[int, str]) -> Any:
        """A cell by row index and column name or index."""
        name = column if isinstance(column, str) else self.columns[column]
        if name not in self.columns:
            raise NotFoundError("no column %r (the columns are %s)" % (name, ", ".join(self.columns)),
                                capi.DRILL_ENOTFOUND)
        return self._typed()[name][row]

    def text(self, row: int, column: Union[int, str]) -> str:
        """A cell as the report wrote it (the text of write_csv())."""
        if isinstance(column, str):
            column = self.columns.index(column)
        return str(capi.drill_table_cell(self._h, row, column))

    def __getitem__(self, row: int) -> Dict[str, Any]:
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError("row %d of a %d-row table" % (row, len(self)))
        return {name: values[row] for name, values in self._typed().items()}

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        for r in range(len(self)):
            yield self[r]

    def records(self, columns: bool = False) -> Any:
        """Every row as plain, typed data: a list of dicts, or with
        ``columns=True`` a dict of lists."""
        typed = self._typed()
        if columns:
            return {k: list(v) for k, v in typed.items()}
        names = list(typed)
        return [dict(zip(names, row)) for row in zip(*typed.values())]

    def to_pandas(self) -> Any:
        """The report as a pandas DataFrame (Int64, Float64, datetime64 and
        categorical columns)."""
        from . import frames
        return frames.table_frame(self)

    @_c("drill_table_write_csv")
    def write_csv(self, path: Any) -> None:
        """Write the table as CSV (atomically)."""
        capi.drill_table_write_csv(self._h, str(path))

    def __repr__(self) -> str:
        return "<drill.Table %s, %d rows>" % (self.columns, len(self))

    def _repr_html_(self) -> str:
        from . import html
        return html.table(self)


# ---------------------------------------------------------------- store

def _drill_id_parts(drill_id: str, year: Optional[int]) -> Tuple[str, int]:
    """(unit id, year) of a drill id "UNIT/RULE/PERIOD" (the unit id may hold a "/")."""
    parts = drill_id.rsplit("/", 2)
    if len(parts) != 3 or not parts[0]:
        raise InvalidArgumentError("%r is not a drill id (UNIT/RULE/PERIOD)" % (drill_id,), capi.DRILL_EINVAL)
    if year is None:
        if not parts[2][:4].isdigit():
            raise InvalidArgumentError("drill id %r names no year in its period %r; give year="
                                       % (drill_id, parts[2]), capi.DRILL_EINVAL)
        year = int(parts[2][:4])
    return parts[0], year


def _wrap(cls: Type[_T], handle: Any) -> _T:  # a Rules or Campaigns
    """A Rules or Campaigns object around a handle the store made."""
    obj = cls.__new__(cls)
    setattr(obj, "_h", handle)
    return obj


class Store:
    """A libdrill store: one SQLite file holding plans, their registries and
    the tracking of their drills. Use it as a context manager::

        with drill.Store("drills.sqlite") as store:
            store.save(plan)
    """

    @_c("drill_store_open")
    def __init__(self, path: PathLike, read_only: bool = False) -> None:
        """Open a store, creating the file (writable) if it does not exist."""
        self.path = str(path)
        self._h = capi.drill_store_open(self.path, {"read_only": int(read_only)})
        self._plan: Optional[Callable[[], Optional[Plan]]] = None

    def _handle(self) -> Any:
        if self._h is None:
            raise StateError("the store is closed", capi.DRILL_ESTATE)
        return self._h

    @_c("drill_store_close")
    def close(self) -> None:
        """Close the store (ending any attachment); closing twice is allowed."""
        h, self._h = self._h, None
        if h is not None:
            h.thisown = False
            capi.drill_store_close(h)
        self._forget_plan()

    def _forget_plan(self) -> None:
        """Forget the attached plan (C has ended the attachment)."""
        plan = self._plan() if self._plan is not None else None
        if plan is not None and plan._store is self:
            plan._store = None
        self._plan = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    @_c("drill_store_schema_version")
    def schema_version(self) -> int:
        """The store's schema version."""
        return capi.drill_store_schema_version(self._handle())

    @_c("drill_store_check")
    def check(self) -> bool:
        """A full consistency check of the store (an SQLite file's pages and
        references; a PostgreSQL database's tables and rows that name a year
        with no plan); True if sound."""
        return bool(capi.drill_store_check(self._handle()))

    @_c("drill_store_check_detail")
    def check_detail(self) -> Tuple[bool, str]:
        """The consistency check and what it found: (True, "ok"), or False and
        the first problem, on one line, led by its table where it has one
        ("drills: 1 row of a year with no plan" on PostgreSQL, "drills: a row
        names a row of plans that is not there" in an SQLite file)."""
        ok, detail = capi.drill_store_check_detail(self._handle())
        return bool(ok), detail

    @_c("drill_store_save")
    def save(self, plan: Plan) -> None:
        """Save a plan with its units, rules, campaigns and calendar (one transaction)."""
        capi.drill_store_save(self._handle(), plan._h)

    @_c("drill_store_load")
    def load(self, year: int) -> Plan:
        """Load a year's plan with everything it was made from, as a Plan whose
        units, rules, campaigns and calendar attributes hold them. ::

            with drill.Store("dalian.db", read_only=True) as store:
                plan = store.load(2027)
        """
        h, units, rules, campaigns, cal = capi.drill_store_load(self._handle(), year)
        return Plan(Units(_handle=units), _wrap(Rules, rules), _wrap(Campaigns, campaigns), Calendar(_handle=cal),
                    _handle=h)

    @property
    @_c("drill_store_plan_years")
    def years(self) -> List[int]:
        """The years the store has a plan for, in order."""
        return capi.drill_store_plan_years(self._handle())

    @_c("drill_store_save_registries")
    def save_registries(self, units: Units, rules: Rules, campaigns: Optional[Campaigns] = None,
                        calendar: Optional[Calendar] = None) -> None:
        """Save the working registries (units, rules, campaigns, holidays),
        the ones kept before and between plans; one transaction."""
        capi.drill_store_save_registries(self._handle(), units._h, rules._h,
                                         (campaigns if campaigns is not None else Campaigns())._h,
                                         (calendar if calendar is not None else Calendar())._h)

    @_c("drill_store_load_registries")
    def load_registries(self) -> Tuple[Units, Rules, Campaigns, Calendar]:
        """The working registries as (units, rules, campaigns, calendar)."""
        units, rules, campaigns, cal = capi.drill_store_load_registries(self._handle())
        return Units(_handle=units), _wrap(Rules, rules), _wrap(Campaigns, campaigns), Calendar(_handle=cal)

    @_c("drill_store_load_plan")
    def load_plan(self, year: int, units: Units, rules: Rules, campaigns: Optional[Campaigns] = None,
                  calendar: Optional[Calendar] = None) -> Plan:
        """A stored year's plan (days, tracking, audit) laid over the given
        registries, so it takes in changed units, rules and holidays."""
        campaigns = campaigns if campaigns is not None else Campaigns()
        calendar = calendar if calendar is not None else Calendar()
        h = capi.drill_store_load_plan(self._handle(), year, units._h, rules._h, campaigns._h, calendar._h)
        return Plan(units, rules, campaigns, calendar, _handle=h)

    @_c("drill_store_attach")
    def attach(self, plan: Plan) -> None:
        """Save a plan and write each of its tracking changes through, durable
        when the call returns. The plan keeps the store open while attached."""
        capi.drill_store_attach(self._handle(), plan._h)
        # C has ended both earlier attachments: this store's plan, and this
        # plan's store
        self._forget_plan()
        if plan._store is not None and plan._store is not self:
            plan._store._plan = None
        self._plan = _weakref.ref(plan)
        plan._store = self

    @_c("drill_store_detach")
    def detach(self) -> None:
        """Stop writing the attached plan's changes through."""
        capi.drill_store_detach(self._handle())
        self._forget_plan()

    @_c("drill_store_load_unit")
    def load_unit(self, year: int, unit_id: str) -> Plan:
        """One unit's part of a year's plan (its drills, tracking and audit
        trail), read by index: the same cost on a store of any size. Attach it
        to make tracking changes; it is never saved whole. ::

            with drill.Store("dalian.db") as store:
                part = store.load_unit(2027, "DL000001")
                store.attach(part)
                part.hold("DL000001/art33-onsite/2027H1", date="2027-03-03")
        """
        h, units, rules, campaigns, cal = capi.drill_store_load_unit(self._handle(), year, unit_id)
        return Plan(Units(_handle=units), _wrap(Rules, rules), _wrap(Campaigns, campaigns), Calendar(_handle=cal),
                    _handle=h)

    def drill(self, drill_id: str, year: Optional[int] = None) -> "Drill":
        """One drill as the store has it, without loading the year: its unit's
        part of the plan is read by index (load_unit()), so this costs the same
        on a store of any size. The year defaults to the one the drill's
        period names ("DL000001/art33-onsite/2027H1": 2027). The drill keeps
        that part alive; ``d.plan`` is it, attach it to track the drill. ::

            with drill.Store("dalian.db", read_only=True) as store:
                d = store.drill("DL000001/art33-onsite/2027H1")
                print(d.status, d.tracking.outcome)
        """
        unit_id, year = _drill_id_parts(drill_id, year)
        return self.load_unit(year, unit_id)[drill_id]

    def drills(self, year: int, unit_id: str, **filter: Any) -> Selection:
        """A unit's drills of a year, filtered as Plan.select() (status, start,
        end, rule_id, campaign, ...), without loading the year: read by index
        through load_unit(). ``.records()`` and ``.to_pandas()`` as any
        Selection. Lists across units need the plan (``load(year)``). ::

            store.drills(2027, "DL000001", status=["held", "evaluated"]).to_pandas()
        """
        return self.load_unit(year, unit_id).select(**filter)

    @_c("drill_store_refresh")
    def refresh(self, plan: Plan) -> int:
        """Take in every change other writers made since the plan last read
        this store; returns how many audit entries came in. After a
        ConflictError, refresh and make the change again."""
        return int(capi.drill_store_refresh(self._handle(), plan._h))

    @_c("drill_store_refresh_drill")
    def refresh_drill(self, plan: Plan, drill_id: str) -> None:
        """Take in one drill as the store has it now."""
        capi.drill_store_refresh_drill(self._handle(), plan._h, drill_id)

    @_c("drill_store_report_coverage")
    def coverage(self, year: int, by: Any = "district", today: Optional[DateLike] = None) -> "Table":
        """The coverage report of a year straight from the store (the same
        table as ``Plan.coverage``), without loading the plan."""
        return Table(_cast(Any, self), capi.drill_store_report_coverage(self._handle(), year, _code(GroupBy, by),
                                                                          _today(today)))

    @_c("drill_store_report_overdue")
    def overdue(self, year: int, today: Optional[DateLike] = None) -> "Table":
        """The overdue list of a year straight from the store (the same table
        as ``Plan.noncompliant``), read by index without loading the plan."""
        return Table(_cast(Any, self), capi.drill_store_report_overdue(self._handle(), year, _today(today)), Status)

    @_c("drill_store_report_reminders")
    def reminders(self, year: int, today: Optional[DateLike] = None, days_ahead: int = 14) -> "Table":
        """The reminders of a year straight from the store (the same table as
        ``Plan.reminders``), read by index without loading the plan."""
        return Table(_cast(Any, self), capi.drill_store_report_reminders(self._handle(), year, _today(today),
                                                                           days_ahead))

    @_c("drill_store_report_actions")
    def actions_report(self, year: int, today: Optional[DateLike] = None) -> "Table":
        """Every corrective action of a year straight from the store (the same
        table as ``Plan.actions_report``), without loading the plan."""
        return Table(_cast(Any, self), capi.drill_store_report_actions(self._handle(), year, _today(today)),
                     ActionStatus)

    @_c("drill_store_list_drills")
    def list(self, year: int, **filter: Any) -> "Table":
        """A year's drills straight from the store, without loading the plan:
        a Table in plan order with the columns id, unit_id, unit_name,
        district, campaign, rule_id, status, date, reason, window_start,
        window_end, revision, start, end, kind, form, scenario, observer.
        The filters are ``Plan.select()``'s; a date range also keeps the
        unplaced and cancelled drills whose window overlaps it (as
        ``include_undated=True``). One unit's drills are read by index. ::

            store.list(2027, district="大连市/中山区", status=["held", "evaluated"]).to_pandas()
        """
        _check_filters("Store.list()", filter)
        cfilter, mask = _filter(**filter)
        if mask:
            cfilter["statuses"] = mask
        return Table(_cast(Any, self), capi.drill_store_list_drills(self._handle(), year, cfilter), Status)

    @_contextlib.contextmanager
    def group(self) -> Iterator["Store"]:
        """The attached plan's changes inside the block in one transaction:
        all durable at its end, or none if it raises (the plan is then out of
        step with the store: load it again). ::

            with store.group():
                plan.hold(drill_id, date=day)
                plan.evaluate(drill_id, 90)
        """
        capi.drill_store_begin(self._handle())
        try:
            yield self
        except BaseException:
            capi.drill_store_rollback(self._handle())
            raise
        capi.drill_store_commit(self._handle())

    def __repr__(self) -> str:
        return "<drill.Store %r%s>" % (self.path, "" if self._h is not None else " (closed)")


# ---------------------------------------------------------------- feed reading

class FeedReader:
    """Read an iCalendar feed one event at a time (memory does not grow with
    the file). Iterating gives FeedEvents; ``tolerated`` says what deviations
    were accepted. A context manager::

        with drill.FeedReader("all.ics") as reader:
            held = sum(e.drill_status == "held" for e in reader)
    """

    @_c("drill_feed_reader_open")
    def __init__(self, path: PathLike) -> None:
        """Open a feed."""
        self.path = str(path)
        self._h = capi.drill_feed_reader_open(self.path)

    @_c("drill_feed_reader_next")
    def __next__(self) -> "FeedEvent":
        """The next event; StopIteration at the end, ParseError (with the line) on a broken one."""
        if self._h is None:
            raise StopIteration
        event = _next_event(self._h, FeedEvent)
        if event is None:
            raise StopIteration
        return event

    def __iter__(self) -> "FeedReader":
        return self

    @property
    @_c("drill_feed_reader_tolerated")
    def tolerated(self) -> Tuple[int, str]:
        """(count, description) of the deviations tolerated so far."""
        count, text = capi.drill_feed_reader_tolerated(self._h)
        return count, text or ""

    def close(self) -> None:
        """Close the reader."""
        self._h = None

    def __enter__(self) -> "FeedReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<drill.FeedReader %r>" % self.path


def read_feed(path: PathLike) -> List["FeedEvent"]:
    """Every event of a feed, as a list of FeedEvents."""
    with FeedReader(path) as reader:
        return list(reader)
