"""libdrill for Python: plan, schedule and track emergency drills.

The classes here are a thin layer over ``drill.capi``, which SWIG generates
from libdrill's public C headers: each method is one C call (or a few), its
docstring ends with the C function's own documentation, and every failure
raises :class:`drill.Error` or the subclass for its code.

A year's work, in short::

    import datetime, drill
    units = drill.Units()
    units.import_csv("units.csv")
    plan = drill.Plan(units, drill.Rules(), year=2026)
    plan.schedule(capacity=30)
    plan.hold("DL000001/art33-annual/2026", date=datetime.date(2026, 3, 2), actor="clerk")
    print(plan.coverage(by="district").records())
    plan.write_feeds("feeds/")

Objects own their C memory and free it when dropped. A plan keeps the units,
rules, campaigns and calendar it was made from alive, and a drill, a table
or a selection keeps its plan alive, so nothing outlives what it borrows.
"""

import datetime as _dt
import enum as _enum
import weakref as _weakref

from . import capi

__all__ = [
    "Error", "InvalidArgumentError", "NotFoundError", "ExistsError", "ParseError", "RangeError",
    "StateError", "FileError", "VersionError", "NoDataError", "CorruptError",
    "Kind", "Form", "Frequency", "DueFrom", "Status", "Reason", "ActionStatus", "Risk", "ClassFlag",
    "DayKind", "CampaignRule", "WindowOrigin", "GroupBy", "Split",
    "Calendar", "Campaigns", "Units", "Rules", "Plan", "Drill", "Selection", "Table", "Store",
    "FeedReader", "read_feed", "version", "parse_date", "date_serial", "date_from_serial", "iso_week",
    "half_year", "half_year_bounds",
]

__version__ = capi.drill_version_string()


def version():
    """The loaded libdrill's version as "MAJOR.MINOR.PATCH"."""
    return capi.drill_version_string()


def _c(name):
    """Decorator: append the C function's documentation to a method's.

    The C text speaks of return codes; in Python a code below 0 is raised as
    the drill.Error subclass for it, which the appended text says."""
    def wrap(func):
        cdoc = getattr(capi, name).__doc__ or ""
        cdoc = cdoc.replace(":rtype: int\n", "").replace(
            ":return: 0;", ":return: (the C codes; each failure is raised as its drill.Error subclass) 0;")
        own = (func.__doc__ or "").strip()
        func.__doc__ = "%s\n\nC function %s():\n%s" % (own, name, cdoc)
        return func
    return wrap


# ---------------------------------------------------------------- errors

class Error(Exception):
    """A libdrill call failed.

    Attributes: ``code`` (the DRILL_E* code, negative), ``message``, and for
    parse errors ``source`` (the file or source name), ``line`` and ``column``
    (1-based; None otherwise).
    """

    def __init__(self, message, code=None, source=None, line=0, column=0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.source = source
        self.line = line or None
        self.column = column or None

    def __str__(self):
        if self.line:
            return "%s:%d:%d: %s" % (self.source, self.line, self.column, self.message)
        return self.message

    def __repr__(self):
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


_ERRORS = {
    capi.DRILL_EINVAL: InvalidArgumentError, capi.DRILL_ENOTFOUND: NotFoundError,
    capi.DRILL_EEXISTS: ExistsError, capi.DRILL_EPARSE: ParseError, capi.DRILL_ERANGE: RangeError,
    capi.DRILL_ESTATE: StateError, capi.DRILL_EIO: FileError, capi.DRILL_EVERSION: VersionError,
    capi.DRILL_ENODATA: NoDataError, capi.DRILL_ECORRUPT: CorruptError,
}
capi.set_error_classes(_ERRORS)


# ---------------------------------------------------------------- enums

class Kind(_enum.IntEnum):
    """A drill's kind by content."""
    COMPREHENSIVE = capi.DRILL_KIND_COMPREHENSIVE
    SPECIAL = capi.DRILL_KIND_SPECIAL
    ONSITE = capi.DRILL_KIND_ONSITE


class Form(_enum.IntEnum):
    """Live (operations-based) or tabletop (discussion-based)."""
    LIVE = capi.DRILL_FORM_LIVE
    TABLETOP = capi.DRILL_FORM_TABLETOP


class Frequency(_enum.IntEnum):
    """How often a rule's drill is due."""
    YEARLY = capi.DRILL_FREQ_YEARLY
    HALF_YEARLY = capi.DRILL_FREQ_HALF_YEARLY
    ROLLING = capi.DRILL_FREQ_ROLLING
    BIENNIAL = capi.DRILL_FREQ_BIENNIAL


class DueFrom(_enum.IntEnum):
    """What a rolling or biennial rule counts its next due date from."""
    PLANNED = capi.DRILL_DUE_FROM_PLANNED
    HELD = capi.DRILL_DUE_FROM_HELD


class Status(_enum.IntEnum):
    """Where a drill stands."""
    PLANNED = capi.DRILL_STATUS_PLANNED
    SCHEDULED = capi.DRILL_STATUS_SCHEDULED
    HELD = capi.DRILL_STATUS_HELD
    EVALUATED = capi.DRILL_STATUS_EVALUATED
    CLOSED = capi.DRILL_STATUS_CLOSED
    CANCELLED = capi.DRILL_STATUS_CANCELLED

    def __str__(self):
        return capi.drill_status_name(self)


class Reason(_enum.IntEnum):
    """Why a drill could not be placed."""
    NONE = capi.DRILL_REASON_NONE
    NO_WORKING_DAY = capi.DRILL_REASON_NO_WORKING_DAY
    BLACKOUT = capi.DRILL_REASON_BLACKOUT
    CAPACITY = capi.DRILL_REASON_CAPACITY
    SPACING = capi.DRILL_REASON_SPACING


class ActionStatus(_enum.IntEnum):
    """Where a corrective action stands."""
    OPEN = capi.DRILL_ACTION_OPEN
    IN_PROGRESS = capi.DRILL_ACTION_IN_PROGRESS
    DONE = capi.DRILL_ACTION_DONE
    VERIFIED = capi.DRILL_ACTION_VERIFIED
    WAIVED = capi.DRILL_ACTION_WAIVED


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


def _enum_arg(cls, value):
    """An enum member from a member, its value or its name ("district")."""
    if isinstance(value, str):
        try:
            return cls[value.upper().replace("-", "_").replace(" ", "_")]
        except KeyError:
            raise InvalidArgumentError("unknown %s %r" % (cls.__name__, value), capi.DRILL_EINVAL) from None
    return cls(value)


def _index(container, key, find):
    """An index from an id (find(handle, id)) or an int (negative counts from the end)."""
    if isinstance(key, int):
        return key + len(container) if key < 0 else key
    return find(container._h, key)


def _has(container, key, find):
    """Whether find(handle, key) finds the key."""
    try:
        find(container._h, key)
        return True
    except NotFoundError:
        return False


# ---------------------------------------------------------------- records

class Record:
    """A snapshot of a C struct as an object: its fields are attributes.

    ``dict(record)`` / ``record.as_dict()`` give the fields as a dict.
    """

    _show = ("id",)

    def __init__(self, fields):
        self.__dict__.update(fields)

    def as_dict(self):
        """The fields as a new dict."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def keys(self):
        return self.as_dict().keys()

    def __getitem__(self, key):
        return self.as_dict()[key]

    def __eq__(self, other):
        return type(other) is type(self) and other.as_dict() == self.as_dict()

    __hash__ = None

    def __repr__(self):
        shown = ", ".join("%s=%r" % (k, self.__dict__[k]) for k in self._show if k in self.__dict__)
        return "<drill.%s %s>" % (type(self).__name__, shown)


class Unit(Record):
    """A unit of a registry (a snapshot; change it with Units.update())."""
    _show = ("id", "name", "area", "unit_class")

    def __init__(self, fields):
        fields["risk"] = Risk(fields["risk"])
        fields["flood_prone"] = bool(fields["flood_prone"])
        fields["key_fire"] = bool(fields["key_fire"])
        super().__init__(fields)


# a rule's fields that are enums, and their classes
_RULE_ENUMS = (("min_risk", Risk), ("kind", Kind), ("form", Form), ("frequency", Frequency), ("due_from", DueFrom))


class Rule(Record):
    """A rule (a snapshot; change it with Rules.update())."""
    _show = ("id", "name", "frequency", "campaign")

    def __init__(self, fields):
        for key, cls in _RULE_ENUMS:
            fields[key] = cls(fields[key])
        fields["class_flags"] = ClassFlag(fields["class_flags"])
        super().__init__(fields)


class Window(Record):
    """A campaign resolved for one year: id, name, start, end, working_days, ..."""
    _show = ("id", "year", "start", "end")

    def __init__(self, fields):
        fields["origin"] = WindowOrigin(fields["origin"])
        super().__init__(fields)

    @property
    def estimated(self):
        """True when the window is the fallback estimate for a year without data."""
        return self.origin == WindowOrigin.ESTIMATED


class DayInfo(Record):
    """What a calendar knows of a day: kind, working, covered, name, name_en."""
    _show = ("date", "kind", "working", "name")

    def __init__(self, fields):
        fields["kind"] = DayKind(fields["kind"])
        fields["working"] = bool(fields["working"])
        fields["covered"] = bool(fields["covered"])
        super().__init__(fields)


class Quality(Record):
    """What a schedule achieved: required, placed, unplaced (by reason), held, ..."""
    _show = ("required", "placed", "violations", "covered")

    def __init__(self, fields):
        counts = fields["unplaced"]
        fields["unplaced"] = {Reason(i): n for i, n in enumerate(counts) if i != Reason.NONE}
        fields["covered"] = bool(fields["covered"])
        super().__init__(fields)

    @property
    def unplaced_total(self):
        """Drills left without a day, whatever the reason."""
        return sum(self.unplaced.values())


class DistrictQuality(Record):
    """A district's load after a schedule."""
    _show = ("district", "drills", "busiest", "lower_bound")


class TrackInfo(Record):
    """The tracking record of a drill: status, outcome (a dict, or None), actions, ..."""
    _show = ("status", "actions", "open_actions")

    def __init__(self, fields):
        fields["status"] = Status(fields["status"])
        if not fields.pop("has_outcome"):
            fields["outcome"] = None
        super().__init__(fields)


class Action(Record):
    """A finding and its corrective action."""
    _show = ("number", "finding", "status", "due")

    def __init__(self, fields):
        fields["status"] = ActionStatus(fields["status"])
        super().__init__(fields)


class AuditEntry(Record):
    """One change of the audit trail."""
    _show = ("seq", "time", "drill_id", "field", "new_value")


class FeedEvent(Record):
    """An event read from a feed (X-DRILL-* properties included)."""
    _show = ("uid", "summary", "start")

    def __init__(self, fields):
        for key in ("is_drill", "all_day", "observer"):
            fields[key] = bool(fields[key])
        super().__init__(fields)


# ---------------------------------------------------------------- dates

def parse_date(text):
    """Parse "YYYY-MM-DD" strictly (ParseError with the column otherwise)."""
    return capi.drill_date_parse(text)


def date_serial(day):
    """Days since 1900-01-01 (libdrill's serial day number)."""
    return capi.drill_date_to_serial(day)


def date_from_serial(serial):
    """The date of a serial day number."""
    return capi.drill_date_from_serial(serial)


def iso_week(day):
    """(ISO year, ISO week) of a date."""
    year, week = capi.drill_date_iso_week(day)
    return year, week


def half_year(day):
    """1 for January-June, 2 for July-December."""
    return capi.drill_date_half(day)


def half_year_bounds(day):
    """(first, last) day of the date's calendar half-year."""
    return capi.drill_date_half_first(day), capi.drill_date_half_last(day)


# ---------------------------------------------------------------- calendar

class Calendar:
    """A working-day calendar: weekends, holidays and make-up working days.

    ``Calendar()`` has China's arrangements that ship with libdrill;
    ``Calendar(china=False)`` has weekends only. A day of a year with no
    arrangement raises NoDataError unless ``uncovered_weekends`` is set.
    """

    @_c("drill_calendar_new_china")
    def __init__(self, china=True, uncovered_weekends=False, _handle=None):
        """Make a calendar."""
        if _handle is not None:
            self._h = _handle
        else:
            self._h = capi.drill_calendar_new_china() if china else capi.drill_calendar_new()
        if uncovered_weekends:
            self.uncovered_weekends = True

    @_c("drill_calendar_dup")
    def copy(self):
        """A copy of the calendar."""
        return Calendar(_handle=capi.drill_calendar_dup(self._h))

    @property
    @_c("drill_calendar_get_policy")
    def uncovered_weekends(self):
        """True: days of uncovered years are answered from weekends alone
        (DRILL_UNCOVERED_WEEKENDS); False: they raise NoDataError."""
        return capi.drill_calendar_get_policy(self._h) == capi.DRILL_UNCOVERED_WEEKENDS

    @uncovered_weekends.setter
    def uncovered_weekends(self, value):
        policy = capi.DRILL_UNCOVERED_WEEKENDS if value else capi.DRILL_UNCOVERED_ERROR
        capi.drill_calendar_set_policy(self._h, policy)

    @_c("drill_calendar_add")
    def add(self, day, name, kind="holiday", name_en=None, year=0):
        """Add a holiday (kind="holiday") or a make-up working day (kind="workday")."""
        kinds = {"holiday": capi.DRILL_ENTRY_HOLIDAY, "workday": capi.DRILL_ENTRY_WORKDAY}
        if kind not in kinds:
            raise InvalidArgumentError("kind must be 'holiday' or 'workday', not %r" % (kind,), capi.DRILL_EINVAL)
        capi.drill_calendar_add(self._h, day, kinds[kind], name, name_en, year)

    @_c("drill_calendar_mark_covered")
    def mark_covered(self, year):
        """Declare a year's arrangement loaded although it has no entries."""
        capi.drill_calendar_mark_covered(self._h, year)

    @_c("drill_calendar_is_covered")
    def is_covered(self, year):
        """Whether a year's arrangement is loaded."""
        return bool(capi.drill_calendar_is_covered(self._h, year))

    @property
    def covered_years(self):
        """The years whose arrangement is loaded."""
        return [y for y in range(capi.DRILL_DATE_MIN_YEAR, capi.DRILL_DATE_MAX_YEAR + 1)
                if capi.drill_calendar_is_covered(self._h, y)]

    @_c("drill_calendar_day_info")
    def day(self, day):
        """Everything known of a day, as a DayInfo."""
        info = capi.drill_calendar_day_info(self._h, day)
        info["date"] = parse_date(day) if isinstance(day, str) else day
        return DayInfo(info)

    @_c("drill_calendar_is_working_day")
    def is_working_day(self, day):
        """Whether a day is a working day."""
        return bool(capi.drill_calendar_is_working_day(self._h, day))

    @_c("drill_calendar_next_working_day")
    def next_working_day(self, day):
        """The first working day strictly after a date."""
        return capi.drill_calendar_next_working_day(self._h, day)

    @_c("drill_calendar_prev_working_day")
    def prev_working_day(self, day):
        """The last working day strictly before a date."""
        return capi.drill_calendar_prev_working_day(self._h, day)

    @_c("drill_calendar_count_working_days")
    def count_working_days(self, first, last):
        """Working days from first to last, both included."""
        return capi.drill_calendar_count_working_days(self._h, first, last)

    @_c("drill_calendar_load_csv")
    def load_csv(self, path):
        """Load a holidays CSV file; returns what was read (a dict). All or nothing."""
        return capi.drill_calendar_load_csv(self._h, str(path))

    @_c("drill_calendar_load_csv_buffer")
    def load_csv_text(self, text, source=None):
        """Load holidays CSV text (str or bytes)."""
        return capi.drill_calendar_load_csv_buffer(self._h, text, source)

    @_c("drill_calendar_load_ics")
    def load_ics(self, path, workday_markers=None, holiday_markers=None):
        """Load a holiday iCalendar feed; returns what was read (a dict)."""
        opts = {"workday_markers": workday_markers, "holiday_markers": holiday_markers}
        return capi.drill_calendar_load_ics(self._h, str(path), opts)

    @_c("drill_calendar_load_ics_buffer")
    def load_ics_text(self, text, source=None, workday_markers=None, holiday_markers=None):
        """Load a holiday iCalendar feed from text (str or bytes)."""
        opts = {"workday_markers": workday_markers, "holiday_markers": holiday_markers}
        return capi.drill_calendar_load_ics_buffer(self._h, text, source, opts)

    def __repr__(self):
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
    def __init__(self, builtin=True, **region):
        """Make a campaign set."""
        if builtin:
            self._h = capi.drill_campaigns_new_builtin(region or None)
        else:
            if region:
                raise TypeError("region options need builtin=True")
            self._h = capi.drill_campaigns_new()

    @_c("drill_campaigns_add")
    def add(self, id, name, rule="fixed", **fields):
        """Add a campaign: rule is fixed, range, nth_weekday or offset (see CampaignRule)."""
        fields.update(id=id, name=name, rule=int(_enum_arg(CampaignRule, rule)))
        capi.drill_campaigns_add(self._h, fields)

    @_c("drill_campaigns_remove")
    def remove(self, id):
        """Remove a campaign."""
        capi.drill_campaigns_remove(self._h, id)

    @_c("drill_campaigns_set_year")
    def set_year(self, id, start, end):
        """Give a campaign its real window for one year (start's year)."""
        capi.drill_campaigns_set_year(self._h, id, start, end)

    def __len__(self):
        return capi.drill_campaigns_count(self._h)

    @_c("drill_campaigns_window")
    def window(self, id, year, calendar=None):
        """A campaign's window in a year (with working days when a calendar is given)."""
        return Window(capi.drill_campaigns_window(self._h, id, year, calendar._h if calendar else None))

    @_c("drill_campaigns_window_at")
    def windows(self, year, calendar=None):
        """Every campaign that occurs in a year, as Windows, in the order added."""
        out = []
        for i in range(len(self)):
            try:
                out.append(Window(capi.drill_campaigns_window_at(self._h, i, year,
                                                                calendar._h if calendar else None)))
            except NotFoundError:
                pass
        return out

    def __repr__(self):
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
    def __init__(self, _handle=None):
        """An empty registry with the built-in classes."""
        self._h = _handle if _handle is not None else capi.drill_units_new()

    @_c("drill_units_dup")
    def copy(self):
        """A copy of the registry."""
        return Units(_handle=capi.drill_units_dup(self._h))

    @_c("drill_units_generate")
    def generate(self, count=0, seed=2022, blackout_year=0):
        """Add a synthetic Dalian (20,737 units by default); deterministic from the seed."""
        capi.drill_units_generate(self._h, {"count": count, "seed": seed, "blackout_year": blackout_year})

    @_c("drill_units_add")
    def add(self, id, name, area, unit_class, **fields):
        """Add a unit; other fields: address, contact, phone, headcount, risk, flood_prone, key_fire."""
        fields.update(id=id, name=name, area=area, unit_class=unit_class)
        capi.drill_units_add(self._h, self._fields(fields))

    @_c("drill_units_update")
    def update(self, id, **fields):
        """Change fields of a unit (the others keep their values)."""
        current = self[id].as_dict()
        current.update(fields)
        capi.drill_units_update(self._h, self._fields(current))

    @staticmethod
    def _fields(fields):
        for key in ("risk", "flood_prone", "key_fire"):
            if key in fields:
                fields[key] = int(_enum_arg(Risk, fields[key]) if key == "risk" else fields[key])
        return fields

    @_c("drill_units_add_class")
    def add_class(self, id, name, flags=0, name_en=None, scenario=None):
        """Add a unit class (flags: ClassFlag bits)."""
        capi.drill_units_add_class(self._h, {"id": id, "name": name, "name_en": name_en,
                                             "flags": int(flags), "scenario": scenario})

    @property
    @_c("drill_units_class_at")
    def classes(self):
        """The classes, as dicts (id, name, name_en, flags, scenario)."""
        out = []
        for i in range(capi.drill_units_class_count(self._h)):
            c = capi.drill_units_class_at(self._h, i)
            c["flags"] = ClassFlag(c["flags"])
            out.append(c)
        return out

    def __len__(self):
        return capi.drill_units_count(self._h)

    @_c("drill_units_find")
    def index(self, id):
        """The index of a unit (NotFoundError if unknown)."""
        return capi.drill_units_find(self._h, id)

    def __contains__(self, id):
        return _has(self, id, capi.drill_units_find)

    @_c("drill_units_get")
    def __getitem__(self, key):
        """A unit by id or by index."""
        index = _index(self, key, capi.drill_units_find)
        unit = Unit(capi.drill_units_get(self._h, index))
        unit._index = index
        return unit

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @_c("drill_units_district_of")
    def district_of(self, id):
        """A unit's district path ("大连市/中山区")."""
        return capi.drill_units_district_of(self._h, self.index(id))[1]

    @property
    @_c("drill_units_district_name")
    def districts(self):
        """Every district path, in the order first seen."""
        return [capi.drill_units_district_name(self._h, i) for i in range(capi.drill_units_district_count(self._h))]

    @_c("drill_units_add_blackout")
    def add_blackout(self, id, first, last=None):
        """Days (first..last, both included) a unit cannot drill."""
        capi.drill_units_add_blackout(self._h, id, first, last if last is not None else first)

    @_c("drill_units_is_key_fire")
    def is_key_fire(self, id):
        """Whether a unit is a key fire-safety unit: its own key_fire flag or its class's."""
        return bool(capi.drill_units_is_key_fire(self._h, self.index(id)))

    @_c("drill_units_is_blacked_out")
    def is_blacked_out(self, id, day):
        """Whether a unit is blacked out on a day."""
        return bool(capi.drill_units_is_blacked_out(self._h, self.index(id), day))

    def _import(self, func, args, all_errors, skip_bad_rows, max_errors):
        opts = {"all_errors": int(all_errors), "skip_bad_rows": int(skip_bad_rows), "max_errors": max_errors}
        report, imported = func(self._h, *args, opts)
        errors = [capi.drill_import_report_get(report, i) for i in range(capi.drill_import_report_count(report))]
        return ImportResult({"imported": imported, "errors": errors})

    @_c("drill_units_import_csv")
    def import_csv(self, path, all_errors=False, skip_bad_rows=False, max_errors=0):
        """Import a units CSV. By default the first bad row raises ParseError (with
        line and column) and nothing is imported. all_errors=True goes on and
        lists every bad row in the raised exception's ``errors`` (dicts: code,
        line, column, message); skip_bad_rows=True imports the good rows all
        the same and returns them with the errors (ImportResult)."""
        return self._import(capi.drill_units_import_csv, (str(path),), all_errors, skip_bad_rows, max_errors)

    @_c("drill_units_import_csv_buffer")
    def import_csv_text(self, text, source=None, all_errors=False, skip_bad_rows=False, max_errors=0):
        """Import units CSV text (str or bytes); as import_csv()."""
        return self._import(capi.drill_units_import_csv_buffer, (text, source), all_errors, skip_bad_rows,
                            max_errors)

    @_c("drill_units_export_csv")
    def export_csv(self, path):
        """Write every unit as CSV (atomically)."""
        capi.drill_units_export_csv(self._h, str(path))

    def __repr__(self):
        return "<drill.Units of %d units in %d districts>" % (len(self), capi.drill_units_district_count(self._h))


# ---------------------------------------------------------------- rules

class Rules:
    """Drill rules as data: who drills, what, how often, in which campaign.

    ``Rules()`` has the presets (national law and the Dalian bureau's
    campaign duties); ``Rules(presets=False)`` is empty.
    """

    @_c("drill_rules_new_presets")
    def __init__(self, presets=True):
        """Make a rule set."""
        self._h = capi.drill_rules_new_presets() if presets else capi.drill_rules_new()

    @staticmethod
    def _fields(fields):
        for key, cls in _RULE_ENUMS:
            if key in fields:
                fields[key] = int(_enum_arg(cls, fields[key]))
        if "class_flags" in fields:
            fields["class_flags"] = int(fields["class_flags"])
        for key in ("flood_prone", "key_fire"):
            if key in fields:
                fields[key] = int(fields[key])
        return fields

    @_c("drill_rules_add")
    def add(self, id, name, **fields):
        """Add a rule; fields as drill_rule's (kind, form, frequency, classes, campaign, ...)."""
        fields.update(id=id, name=name)
        capi.drill_rules_add(self._h, self._fields(fields))

    @_c("drill_rules_update")
    def update(self, id, **fields):
        """Change fields of a rule (the others keep their values)."""
        current = self[id].as_dict()
        current.update(fields)
        capi.drill_rules_update(self._h, self._fields(current))

    @_c("drill_rules_remove")
    def remove(self, id):
        """Remove a rule."""
        capi.drill_rules_remove(self._h, id)

    def __len__(self):
        return capi.drill_rules_count(self._h)

    @_c("drill_rules_find")
    def index(self, id):
        """The index of a rule."""
        return capi.drill_rules_find(self._h, id)

    def __contains__(self, id):
        return _has(self, id, capi.drill_rules_find)

    @_c("drill_rules_get")
    def __getitem__(self, key):
        """A rule by id or index."""
        index = _index(self, key, capi.drill_rules_find)
        return Rule(capi.drill_rules_get(self._h, index))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @_c("drill_rules_applies")
    def applies(self, rule_id, units, unit_id):
        """Whether a rule applies to a unit of a registry."""
        return bool(capi.drill_rules_applies(self._h, self.index(rule_id), units._h, units.index(unit_id)))

    def __repr__(self):
        return "<drill.Rules of %d rules>" % len(self)


def kind_name(kind, english=False):
    """The name of a drill kind (综合演练 / comprehensive)."""
    return capi.drill_kind_name(int(_enum_arg(Kind, kind)), int(english))


def form_name(form, english=False):
    """The name of a drill form (实战 / live)."""
    return capi.drill_form_name(int(_enum_arg(Form, form)), int(english))


def scenario_name(scenario, english=False):
    """The name of a scenario id (火灾 / fire); an unknown id comes back as it is."""
    return capi.drill_scenario_name(scenario, int(english))


# ---------------------------------------------------------------- plan

def _filter(unit_id=None, district=None, campaign=None, rule_id=None, status=None, start=None, end=None):
    """A drill_filter dict from keyword arguments (start/end: a date range)."""
    f = {"unit_id": unit_id, "district": district, "campaign": campaign, "rule_id": rule_id,
         "status": -1 if status is None else int(_enum_arg(Status, status))}
    if start is not None or end is not None:
        f.update(has_range=1, **{"from": start or _dt.date(capi.DRILL_DATE_MIN_YEAR, 1, 1),
                                 "to": end or _dt.date(capi.DRILL_DATE_MAX_YEAR, 12, 31)})
    return f


def _today(today):
    return _dt.date.today() if today is None else today


class Drill(Record):
    """One drill of a plan: a snapshot of its fields, with methods that track it.

    Fields: id, unit_id, unit_name, district, rule_id, source, period, kind,
    form, scenario, campaign, window_start, window_end, status, date,
    start_minute, duration_minutes, needs_observer, reason, revision. The
    methods (hold, evaluate, add_action, close, cancel, ...) call the plan's
    and refresh the snapshot. A drill keeps its plan alive.
    """
    _show = ("id", "status", "date")

    def __init__(self, plan, fields):
        super().__init__(fields)
        self._plan = plan

    @property
    def plan(self):
        """The plan the drill belongs to."""
        return self._plan

    @property
    def start(self):
        """When it starts, as a datetime (naive, in the plan's zone), or None."""
        if self.date is None:
            return None
        return _dt.datetime.combine(self.date, _dt.time(self.start_minute // 60, self.start_minute % 60))

    @property
    def end(self):
        """When it ends, as a datetime, or None."""
        start = self.start
        return None if start is None else start + _dt.timedelta(minutes=self.duration_minutes)

    def reload(self):
        """Read the drill's fields again from its plan."""
        self.__dict__.update(self._plan[self.id].as_dict())
        return self

    def _then_reload(self, result):
        self.reload()
        return result

    def hold(self, **outcome):
        """Record it held; see Plan.hold()."""
        return self._then_reload(self._plan.hold(self.id, **outcome))

    def evaluate(self, score, **kw):
        """Record its evaluation; see Plan.evaluate()."""
        return self._then_reload(self._plan.evaluate(self.id, score, **kw))

    def add_action(self, **action):
        """Add a finding and corrective action; see Plan.add_action()."""
        return self._then_reload(self._plan.add_action(self.id, **action))

    def set_action(self, number, status, **kw):
        """Move a corrective action on; see Plan.set_action()."""
        return self._then_reload(self._plan.set_action(self.id, number, status, **kw))

    def close(self, **kw):
        """Close it; see Plan.close()."""
        return self._then_reload(self._plan.close(self.id, **kw))

    def cancel(self, reason, **kw):
        """Cancel it; see Plan.cancel()."""
        return self._then_reload(self._plan.cancel(self.id, reason, **kw))

    def reinstate(self, **kw):
        """Bring it back from cancelled; see Plan.reinstate()."""
        return self._then_reload(self._plan.reinstate(self.id, **kw))

    def reschedule(self, day, **kw):
        """Move it to another day; see Plan.reschedule()."""
        return self._then_reload(self._plan.reschedule(self.id, day, **kw))

    @property
    def tracking(self):
        """Its tracking record (TrackInfo)."""
        return self._plan.tracking(self.id)

    @property
    def actions(self):
        """Its corrective actions."""
        return self._plan.actions_of(self.id)


class Selection:
    """The drills a query selected, in plan order; keeps its plan alive."""

    def __init__(self, plan, handle):
        self._plan = plan
        self._h = handle

    def __len__(self):
        return capi.drill_selection_count(self._h)

    def __iter__(self):
        for i in range(len(self)):
            yield self._plan[capi.drill_selection_index(self._h, i)]

    def records(self, columns=False):
        """The selected drills as plain data in one C call: a list of dicts, or
        with columns=True a dict of lists (both go straight into pandas.DataFrame)."""
        return capi.plan_records(self._plan._h, self._h, int(columns))

    def __repr__(self):
        return "<drill.Selection of %d drills>" % len(self)


class Plan:
    """A year's drill plan: every drill the rules require of the units, and
    the scheduler that puts them on working days.

    ``Plan(units, rules, year=2026)`` uses the built-in campaigns and China's
    calendar unless others are given. Iterating gives Drills; ``plan[id]`` or
    ``plan[index]`` gives one; ``plan.records()`` gives all as plain data.
    """

    @_c("drill_plan_new")
    def __init__(self, units, rules, campaigns=None, calendar=None, year=None, allow_uncovered=False, _handle=None):
        """Make the year's requirements (units x rules)."""
        # the C plan borrows these: they live as long as the plan, read-only
        self._units = units
        self._rules = rules
        self._campaigns = campaigns if campaigns is not None else Campaigns()
        self._calendar = calendar if calendar is not None else Calendar()
        self._store = None
        if _handle is not None:
            self._h = _handle
        else:
            if year is None:
                raise TypeError("Plan() needs a year")
            self._h = capi.drill_plan_new(units._h, rules._h, self._campaigns._h, self._calendar._h,
                                          {"year": year, "allow_uncovered": int(allow_uncovered)})

    @property
    def units(self):
        """The units the plan was made from (change them, then refresh())."""
        return self._units

    @property
    def rules(self):
        """The rules the plan was made from (change them, then refresh())."""
        return self._rules

    @property
    def campaigns(self):
        """The campaigns the plan was made with."""
        return self._campaigns

    @property
    def calendar(self):
        """The working-day calendar the plan was made with."""
        return self._calendar

    @property
    def year(self):
        """The plan's year."""
        return capi.drill_plan_year(self._h)

    def __len__(self):
        return capi.drill_plan_count(self._h)

    @_c("drill_plan_get")
    def __getitem__(self, key):
        """A drill by id or index."""
        index = _index(self, key, capi.drill_plan_find)
        return Drill(self, capi.drill_plan_get(self._h, index))

    def __iter__(self):
        for i in range(len(self)):
            yield Drill(self, capi.drill_plan_get(self._h, i))

    def __contains__(self, id):
        return _has(self, id, capi.drill_plan_find)

    @_c("drill_plan_find")
    def index(self, id):
        """A drill's index (indexes change at refresh(); ids do not)."""
        return capi.drill_plan_find(self._h, id)

    @_c("drill_plan_select")
    def select(self, **filter):
        """The drills matching every condition given: unit_id, district, campaign
        ("" for none), rule_id, status, start/end (a date range)."""
        return Selection(self, capi.drill_plan_select(self._h, _filter(**filter)))

    def records(self, columns=False, **filter):
        """Every drill (or those a filter selects) as plain data in one C call: a
        list of dicts, or with columns=True a dict of lists, for pandas.DataFrame()."""
        if filter:
            return self.select(**filter).records(columns)
        return capi.plan_records(self._h, None, int(columns))

    # -- planning and scheduling

    @_c("drill_plan_set_last")
    def set_last(self, unit_id, rule_id, last, held=False):
        """Record a unit's last drill under a rule before this year."""
        capi.drill_plan_set_last(self._h, unit_id, rule_id, last, int(held))

    @_c("drill_plan_close_day")
    def close_day(self, day, district=None):
        """Close a day for one district or everywhere (takes effect at the next schedule)."""
        capi.drill_plan_close_day(self._h, district, day)

    @_c("drill_plan_set_capacity")
    def set_capacity(self, district, capacity):
        """One district's observer capacity a day."""
        capi.drill_plan_set_capacity(self._h, district, capacity)

    @_c("drill_plan_refresh")
    def refresh(self):
        """Re-read the units and rules."""
        capi.drill_plan_refresh(self._h)

    @_c("drill_plan_schedule")
    def schedule(self, capacity=0, spacing_days=0, observer_min_risk=Risk.UNSET, observe_comprehensive=0,
                 start_minute=(0, 0, 0, 0), duration_minutes=(0, 0, 0, 0), tabletop_minutes=0):
        """Place the drills; returns the Quality. Zero keeps the C default (capacity 30
        a district a day, spacing 7 days, ...)."""
        opts = {"capacity": capacity, "spacing_days": spacing_days,
                "observer_min_risk": int(_enum_arg(Risk, observer_min_risk)),
                "observe_comprehensive": int(observe_comprehensive), "start_minute": list(start_minute),
                "duration_minutes": list(duration_minutes), "tabletop_minutes": tabletop_minutes}
        return Quality(capi.drill_plan_schedule(self._h, opts))

    @property
    @_c("drill_plan_schedule_options")
    def schedule_options(self):
        """The options of the last schedule (a dict; schedule(**options) repeats it)."""
        return capi.drill_plan_schedule_options(self._h)

    @property
    @_c("drill_plan_quality")
    def quality(self):
        """The last schedule's quality, with violations counted afresh."""
        return Quality(capi.drill_plan_quality(self._h))

    @_c("drill_plan_district_quality")
    def district_quality(self):
        """Every district's load, as DistrictQuality records."""
        return [DistrictQuality(capi.drill_plan_district_quality(self._h, i))
                for i in range(capi.drill_units_district_count(self._units._h))]

    @_c("drill_plan_validate")
    def validate(self):
        """Constraint violations found by an independent check (0 for a correct schedule)."""
        return capi.drill_plan_validate(self._h)

    # -- tracking

    @_c("drill_track_hold")
    def hold(self, drill_id, date, actor, reason=None, kind=None, form=None, **outcome):
        """Record a drill held on a date; outcome fields: start_minute, end_minute,
        participants, non_participants, observers, evacuation_seconds,
        evacuation_target, headcount_seconds, headcount_target, score, notes.
        kind and form default to the drill's own."""
        item = self[drill_id]
        outcome.update(date=date, kind=int(_enum_arg(Kind, kind if kind is not None else item.kind)),
                       form=int(_enum_arg(Form, form if form is not None else item.form)))
        capi.drill_track_hold(self._h, drill_id, outcome, actor, reason)

    @_c("drill_track_evaluate")
    def evaluate(self, drill_id, score, actor, notes=None, reason=None):
        """Record a held drill's evaluation (score 0-100)."""
        capi.drill_track_evaluate(self._h, drill_id, score, notes, actor, reason)

    @_c("drill_track_add_action")
    def add_action(self, drill_id, finding, action, owner, due, actor, capability=None, reason=None):
        """Add a finding with its corrective action; returns its number (1, 2, ...)."""
        fields = {"finding": finding, "action": action, "owner": owner, "due": due, "capability": capability}
        return capi.drill_track_add_action(self._h, drill_id, fields, actor, reason)

    @_c("drill_track_set_action")
    def set_action(self, drill_id, number, status, actor, when=None, reason=None):
        """Move a corrective action to a status (when: the day it was done; default today)."""
        capi.drill_track_set_action(self._h, drill_id, number, int(_enum_arg(ActionStatus, status)),
                                    _today(when), actor, reason)

    @_c("drill_track_close")
    def close(self, drill_id, actor, reason=None):
        """Close a drill whose actions are all done, verified or waived."""
        capi.drill_track_close(self._h, drill_id, actor, reason)

    @_c("drill_track_cancel")
    def cancel(self, drill_id, reason, actor):
        """Cancel a drill, with a reason."""
        capi.drill_track_cancel(self._h, drill_id, actor, reason)

    @_c("drill_track_reinstate")
    def reinstate(self, drill_id, actor, reason=None):
        """Bring a cancelled drill back to planned."""
        capi.drill_track_reinstate(self._h, drill_id, actor, reason)

    @_c("drill_track_reschedule")
    def reschedule(self, drill_id, day, actor, reason=None):
        """Move a planned or scheduled drill to another valid day by hand."""
        capi.drill_track_reschedule(self._h, drill_id, day, actor, reason)

    @_c("drill_track_get")
    def tracking(self, drill_id):
        """A drill's tracking record (TrackInfo)."""
        return TrackInfo(capi.drill_track_get(self._h, drill_id))

    @_c("drill_track_action")
    def actions_of(self, drill_id):
        """A drill's corrective actions, as Action records numbered from 1."""
        info = capi.drill_track_get(self._h, drill_id)
        out = []
        for n in range(1, info["actions"] + 1):
            fields = capi.drill_track_action(self._h, drill_id, n)
            fields["number"] = n
            out.append(Action(fields))
        return out

    @property
    @_c("drill_audit_get")
    def audit(self):
        """The audit trail, oldest first, as AuditEntry records."""
        return [AuditEntry(capi.drill_audit_get(self._h, i)) for i in range(capi.drill_audit_count(self._h))]

    # -- reports

    @_c("drill_report_coverage")
    def coverage(self, by="district", today=None):
        """Coverage as of a day (default today), grouped by campaign, district,
        class, tier or rule, with a last row "total"."""
        return Table(self, capi.drill_report_coverage(self._h, int(_enum_arg(GroupBy, by)), _today(today)))

    @_c("drill_report_noncompliant")
    def noncompliant(self, today=None):
        """Required drills whose window ended without them being held."""
        return Table(self, capi.drill_report_noncompliant(self._h, _today(today)))

    @_c("drill_report_reminders")
    def reminders(self, today=None, days_ahead=14):
        """Drills due in the next days, overdue drills and overdue actions, with contacts."""
        return Table(self, capi.drill_report_reminders(self._h, _today(today), days_ahead))

    @_c("drill_report_actions")
    def actions_report(self, today=None):
        """Every corrective action of the plan's drills."""
        return Table(self, capi.drill_report_actions(self._h, _today(today)))

    # -- feeds

    @staticmethod
    def _feed_options(name=None, tzid=None, color=None, english=False, refresh_minutes=0, alarm_minutes=0,
                      organizer=None, organizer_name=None, filter=None):
        return {"name": name, "tzid": tzid, "color": color, "english": int(english),
                "refresh_minutes": refresh_minutes, "alarm_minutes": alarm_minutes, "organizer": organizer,
                "organizer_name": organizer_name, "filter": _filter(**filter) if filter else None}

    @_c("feed_text")
    def feed_text(self, **options):
        """The plan's iCalendar feed as a str (drill_feed_write() into memory). Options: name, tzid, color,
        english, refresh_minutes, alarm_minutes, organizer, organizer_name,
        filter (a dict of select() conditions)."""
        return capi.feed_text(self._h, self._feed_options(**options))

    @_c("drill_feed_write_file")
    def write_feed(self, path, **options):
        """Write the feed to a file atomically; True if written, False if unchanged."""
        return bool(capi.drill_feed_write_file(self._h, str(path), self._feed_options(**options)))

    @_c("drill_feed_write_set")
    def write_feeds(self, directory, by="district", **options):
        """A feed per district, unit or campaign plus the city feed all.ics;
        returns what was done (feeds, written, unchanged, events)."""
        return capi.drill_feed_write_set(self._h, str(directory), int(_enum_arg(Split, by)),
                                         self._feed_options(**options))

    @_c("drill_feed_import_busy")
    def import_busy(self, path, district=None):
        """Close every day another calendar's events cover (in a district, or
        everywhere); returns the number of days closed."""
        return capi.drill_feed_import_busy(self._h, str(path), district)

    def __repr__(self):
        q = capi.drill_plan_quality(self._h)
        return "<drill.Plan %d: %d drills, %d placed>" % (self.year, q["required"], q["placed"])


class Table:
    """A report: named columns and rows of text cells. Iterating gives rows as
    dicts; ``records()`` gives them all in one C call. Keeps its plan alive."""

    def __init__(self, plan, handle):
        self._plan = plan
        self._h = handle

    @property
    def columns(self):
        """The column names."""
        return [capi.drill_table_column(self._h, k) for k in range(capi.drill_table_columns(self._h))]

    def __len__(self):
        return capi.drill_table_rows(self._h)

    @_c("drill_table_cell")
    def cell(self, row, column):
        """A cell by row index and column name or index."""
        if isinstance(column, str):
            column = self.columns.index(column)
        return capi.drill_table_cell(self._h, row, column)

    def __getitem__(self, row):
        if row < 0:
            row += len(self)
        return {name: capi.drill_table_cell(self._h, row, k) for k, name in enumerate(self.columns)}

    def __iter__(self):
        for r in range(len(self)):
            yield self[r]

    def records(self, columns=False):
        """Every row as plain data in one C call: a list of dicts, or with
        columns=True a dict of lists (pandas.DataFrame takes either)."""
        return capi.table_records(self._h, int(columns))

    @_c("drill_table_write_csv")
    def write_csv(self, path):
        """Write the table as CSV (atomically)."""
        capi.drill_table_write_csv(self._h, str(path))

    def __repr__(self):
        return "<drill.Table %s, %d rows>" % (self.columns, len(self))


# ---------------------------------------------------------------- store

def _wrap(cls, handle):
    """A Rules or Campaigns object around a handle the store made."""
    obj = cls.__new__(cls)
    obj._h = handle
    return obj


class Store:
    """A libdrill store: one SQLite file holding plans, their registries and
    the tracking of their drills. Use it as a context manager::

        with drill.Store("drills.sqlite") as store:
            store.save(plan)
    """

    @_c("drill_store_open")
    def __init__(self, path, read_only=False):
        """Open a store, creating the file (writable) if it does not exist."""
        self.path = str(path)
        self._h = capi.drill_store_open(self.path, {"read_only": int(read_only)})
        self._plan = None

    def _handle(self):
        if self._h is None:
            raise StateError("the store is closed", capi.DRILL_ESTATE)
        return self._h

    @_c("drill_store_close")
    def close(self):
        """Close the store (ending any attachment); closing twice is allowed."""
        h, self._h = self._h, None
        if h is not None:
            h.thisown = False
            capi.drill_store_close(h)
        self._forget_plan()

    def _forget_plan(self):
        """Forget the attached plan (C has ended the attachment)."""
        plan = self._plan() if self._plan is not None else None
        if plan is not None and plan._store is self:
            plan._store = None
        self._plan = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    @_c("drill_store_schema_version")
    def schema_version(self):
        """The store's schema version."""
        return capi.drill_store_schema_version(self._handle())

    @_c("drill_store_check")
    def check(self):
        """A full consistency check of the file; True if sound."""
        return bool(capi.drill_store_check(self._handle()))

    @_c("drill_store_save")
    def save(self, plan):
        """Save a plan with its units, rules, campaigns and calendar (one transaction)."""
        capi.drill_store_save(self._handle(), plan._h)

    @_c("drill_store_load")
    def load(self, year):
        """Load a year's plan with everything it was made from, as a Plan whose
        units, rules, campaigns and calendar attributes hold them."""
        h, units, rules, campaigns, cal = capi.drill_store_load(self._handle(), year)
        return Plan(Units(_handle=units), _wrap(Rules, rules), _wrap(Campaigns, campaigns), Calendar(_handle=cal),
                    _handle=h)

    @property
    @_c("drill_store_plan_years")
    def years(self):
        """The years the store has a plan for, in order."""
        return capi.drill_store_plan_years(self._handle())

    @_c("drill_store_save_registries")
    def save_registries(self, units, rules, campaigns=None, calendar=None):
        """Save the working registries (units, rules, campaigns, holidays),
        the ones kept before and between plans; one transaction."""
        capi.drill_store_save_registries(self._handle(), units._h, rules._h,
                                         (campaigns if campaigns is not None else Campaigns())._h,
                                         (calendar if calendar is not None else Calendar())._h)

    @_c("drill_store_load_registries")
    def load_registries(self):
        """The working registries as (units, rules, campaigns, calendar)."""
        units, rules, campaigns, cal = capi.drill_store_load_registries(self._handle())
        return Units(_handle=units), _wrap(Rules, rules), _wrap(Campaigns, campaigns), Calendar(_handle=cal)

    @_c("drill_store_load_plan")
    def load_plan(self, year, units, rules, campaigns=None, calendar=None):
        """A stored year's plan (days, tracking, audit) laid over the given
        registries, so it takes in changed units, rules and holidays."""
        campaigns = campaigns if campaigns is not None else Campaigns()
        calendar = calendar if calendar is not None else Calendar()
        h = capi.drill_store_load_plan(self._handle(), year, units._h, rules._h, campaigns._h, calendar._h)
        return Plan(units, rules, campaigns, calendar, _handle=h)

    @_c("drill_store_attach")
    def attach(self, plan):
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
    def detach(self):
        """Stop writing the attached plan's changes through."""
        capi.drill_store_detach(self._handle())
        self._forget_plan()

    def __repr__(self):
        return "<drill.Store %r%s>" % (self.path, "" if self._h is not None else " (closed)")


# ---------------------------------------------------------------- feed reading

class FeedReader:
    """Read an iCalendar feed one event at a time (memory does not grow with
    the file). Iterating gives FeedEvents; ``tolerated`` says what deviations
    were accepted. A context manager."""

    @_c("drill_feed_reader_open")
    def __init__(self, path):
        """Open a feed."""
        self.path = str(path)
        self._h = capi.drill_feed_reader_open(self.path)

    @_c("drill_feed_reader_next")
    def __next__(self):
        """The next event; StopIteration at the end, ParseError (with the line) on a broken one."""
        if self._h is None:
            raise StopIteration
        more, event = capi.drill_feed_reader_next(self._h)
        if not more:
            raise StopIteration
        return FeedEvent(event)

    def __iter__(self):
        return self

    @property
    @_c("drill_feed_reader_tolerated")
    def tolerated(self):
        """(count, description) of the deviations tolerated so far."""
        count, text = capi.drill_feed_reader_tolerated(self._h)
        return count, text or ""

    def close(self):
        """Close the reader."""
        self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<drill.FeedReader %r>" % self.path


def read_feed(path):
    """Every event of a feed, as a list of FeedEvents."""
    with FeedReader(path) as reader:
        return list(reader)
