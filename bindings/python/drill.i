/* The SWIG layer of libdrill's Python binding: the public C API as the
 * module drill.capi, with typemaps that make it callable from Python.
 *
 * - Every function that returns an error code raises drill.Error (or the
 *   subclass for the code) with drill_error_last()'s message when it fails;
 *   on success it returns its out-parameters (None when it has none).
 * - Out-parameters are results, never arguments: `rc = f(&out, ...)` is
 *   `out = f(...)`; several out-parameters come back as a list.
 * - Opaque handles are owned by the Python object that received them and
 *   freed by its destructor (drill_*_free); nothing else frees them.
 * - drill_date crosses as datetime.date (a "YYYY-MM-DD" string is accepted
 *   on the way in); year 0 ("none") comes out as None.
 * - Structs cross as dicts keyed by the C field names: on the way in a
 *   dict (or None) is laid over the struct's DRILL_*_INIT defaults, so a
 *   missing key keeps the C default and an unknown key is a TypeError; on
 *   the way out every string is copied, so nothing borrowed outlives the call.
 *
 * The classes analysts use (drill.Plan, drill.Units, ...) live in the pure
 * Python layer, drill/__init__.py, over these functions. */
%module(package="drill", docstring="libdrill's C API as SWIG wraps it; use the drill package's classes instead.") capi

%feature("autodoc", "2");
/* drill_filter's `from` is a Python keyword; the struct crosses as a dict */
#pragma SWIG nowarn=314

%{
#define SWIG_FILE_WITH_INIT
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <datetime.h>
#include <drill/drill.h>
%}

%init %{
    PyDateTime_IMPORT;
%}

/* ------------------------------------------------------------------ */
/* errors                                                               */
/* ------------------------------------------------------------------ */

%{
/* drill.Error subclasses by code, installed by the Python layer through
 * set_error_classes(); until then every failure is a RuntimeError. */
static PyObject *drill_py_error_classes = NULL; /* dict: code -> class */

static PyObject *drill_py_raise(int rc)
{
    const drill_error *e = drill_error_last();
    const char *msg = e->code == rc && e->message[0] ? e->message : drill_strerror(rc);
    PyObject *cls = NULL;
    if (rc == DRILL_ENOMEM)
        return PyErr_NoMemory();
    if (drill_py_error_classes) {
        PyObject *key = PyLong_FromLong(rc);
        if (!key)
            return NULL;
        cls = PyDict_GetItemWithError(drill_py_error_classes, key);
        Py_DECREF(key);
        if (!cls && PyErr_Occurred())
            return NULL;
    }
    if (!cls) {
        PyErr_Format(PyExc_RuntimeError, "libdrill error %d: %s", rc, msg);
        return NULL;
    }
    /* the class is built as cls(message, code, source, line, column) */
    int has_pos = e->code == rc && e->line > 0;
    PyObject *exc = PyObject_CallFunction(cls, "sizii", msg, rc, has_pos ? e->source : NULL,
                                          has_pos ? e->line : 0, has_pos ? e->column : 0);
    if (exc) {
        PyErr_SetObject(cls, exc);
        Py_DECREF(exc);
    }
    return NULL;
}
%}

%{
static PyObject *drill_py_import_errors(const drill_import_report *report);

/* set .errors on the exception being raised */
static void drill_py_attach_import_errors(const drill_import_report *report)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *errors = drill_py_import_errors(report);
    if (!errors || PyObject_SetAttrString(value, "errors", errors) < 0)
        PyErr_Clear(); /* the exception itself still goes out */
    Py_XDECREF(errors);
    PyErr_Restore(type, value, tb);
}
%}

%inline %{
/* Install the exception classes (a dict mapping DRILL_E* codes to classes);
 * the Python layer calls this once on import. */
void set_error_classes(PyObject *classes)
{
    Py_XINCREF(classes);
    Py_XDECREF(drill_py_error_classes);
    drill_py_error_classes = classes;
}
%}

/* every int a libdrill function returns is an error code... */
%typemap(out) int {
    if ($1 < 0) {
        drill_py_raise($1);
        SWIG_fail;
    }
    $result = Py_None;
    Py_INCREF(Py_None);
}
/* ...except these, which return a value (or 1/0 and a negative code) */
%typemap(out) int drill_plan_year, int drill_date_is_leap_year {
    $result = PyLong_FromLong($1);
}
%typemap(out) int drill_feed_reader_next {
    if ($1 < 0) {
        drill_py_raise($1);
        SWIG_fail;
    }
    $result = PyBool_FromLong($1);
}
/* a failed units import still fills its report: every bad row goes on the
 * raised exception as .errors, a list of dicts (code, line, column, message) */
%typemap(out) int drill_units_import_csv, int drill_units_import_csv_buffer {
    if ($1 < 0) {
        drill_py_raise($1);
        if (arg1 && *arg1)
            drill_py_attach_import_errors(*arg1);
        SWIG_fail;
    }
    $result = Py_None;
    Py_INCREF(Py_None);
}
%typemap(out) unsigned int drill_version {
    $result = PyLong_FromUnsignedLong($1);
}

/* ------------------------------------------------------------------ */
/* dates                                                                */
/* ------------------------------------------------------------------ */

%{
/* datetime.date (or datetime.datetime, or "YYYY-MM-DD") -> drill_date */
static int drill_py_to_date(drill_date *out, PyObject *o)
{
    if (PyDate_Check(o)) {
        out->year = PyDateTime_GET_YEAR(o);
        out->month = PyDateTime_GET_MONTH(o);
        out->day = PyDateTime_GET_DAY(o);
        return 0;
    }
    if (PyUnicode_Check(o)) {
        const char *s = PyUnicode_AsUTF8(o);
        if (!s)
            return -1;
        int rc = drill_date_parse(out, s);
        if (rc < 0) {
            drill_py_raise(rc);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "expected a datetime.date or a 'YYYY-MM-DD' string, not %s",
                 Py_TYPE(o)->tp_name);
    return -1;
}

/* drill_date -> datetime.date; year 0 (no date) -> None */
static PyObject *drill_py_from_date(drill_date d)
{
    if (d.year == 0)
        Py_RETURN_NONE;
    return PyDate_FromDate(d.year, d.month, d.day);
}
%}

%typemap(in) drill_date {
    if (drill_py_to_date(&$1, $input) < 0)
        SWIG_fail;
}
%typemap(typecheck) drill_date {
    $1 = PyDate_Check($input) || PyUnicode_Check($input);
}
%typemap(in, numinputs=0) drill_date *out (drill_date tmp) {
    tmp.year = tmp.month = tmp.day = 0;
    $1 = &tmp;
}
%typemap(argout) drill_date *out {
    $result = SWIG_Python_AppendOutput($result, drill_py_from_date(*$1));
}

/* ------------------------------------------------------------------ */
/* plain out-parameters                                                 */
/* ------------------------------------------------------------------ */

%typemap(in, numinputs=0) int *OUT_INT (int tmp = 0), size_t *OUT_SIZE (size_t tmp = 0),
                          const char **OUT_STR (const char *tmp = NULL) {
    $1 = ($1_ltype)&tmp;
}
%typemap(argout) int *OUT_INT {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromLong(*$1));
}
%typemap(argout) size_t *OUT_SIZE {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1));
}
%typemap(argout) const char **OUT_STR {
    $result = SWIG_Python_AppendOutput($result, *$1 ? PyUnicode_FromString(*$1) : (Py_INCREF(Py_None), Py_None));
}
%apply int *OUT_INT { int *out, int *out_ok, int *out_written, int *out_year, int *out_week };
%apply size_t *OUT_SIZE { size_t *out, size_t *out_days, size_t *out_number, size_t *out_imported,
                          size_t *out_district, size_t *out_years, size_t *out_loaded, size_t *out_changes };
%apply const char **OUT_STR { const char **out, const char **out_name, const char **out_description,
                              const char **out_rule };

%typemap(in, numinputs=0) drill_uncovered_policy *out (drill_uncovered_policy tmp = DRILL_UNCOVERED_ERROR) {
    $1 = &tmp;
}
%typemap(argout) drill_uncovered_policy *out {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
}

/* drill_store_plan_years() returns the years as a list */
%typemap(in, numinputs=0) (int *out_years, size_t size, size_t *out_count)
    (int years[DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1], size_t count = 0) {
    $1 = years;
    $2 = sizeof years / sizeof years[0];
    $3 = &count;
}
%typemap(argout) (int *out_years, size_t size, size_t *out_count) {
    size_t n = *$3 < $2 ? *$3 : $2;
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *y = PyLong_FromLong($1[i]);
        if (!y)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, y);
    }
    if (!list) {
        Py_XDECREF($result);
        $result = NULL;
        SWIG_fail;
    }
    $result = SWIG_Python_AppendOutput($result, list);
}

/* drill_date_format() returns its text */
%typemap(in, numinputs=0) (char *out, size_t size) (char buf[DRILL_DATE_STRLEN]) {
    $1 = buf;
    $2 = sizeof buf;
}
%typemap(argout) (char *out, size_t size) {
    $result = SWIG_Python_AppendOutput($result, PyUnicode_FromString($1));
}
%apply (char *out, size_t size) { (char *out_period, size_t size) };

/* drill_store_check_detail() returns its finding */
%typemap(in, numinputs=0) (char *out_detail, size_t size) (char buf[1024]) {
    $1 = buf;
    $2 = sizeof buf;
    buf[0] = '\0';
}
%typemap(argout) (char *out_detail, size_t size) {
    PyObject *text = PyUnicode_DecodeUTF8($1, (Py_ssize_t)strlen($1), "replace");
    if (!text) {
        Py_XDECREF($result);
        $result = NULL;
        SWIG_fail;
    }
    $result = SWIG_Python_AppendOutput($result, text);
}

/* text from memory: str (UTF-8) or bytes */
%typemap(in) (const char *data, size_t len) (Py_ssize_t n = 0) {
    if (PyUnicode_Check($input)) {
        $1 = (char *)PyUnicode_AsUTF8AndSize($input, &n);
    } else if (PyBytes_Check($input)) {
        char *p = NULL;
        if (PyBytes_AsStringAndSize($input, &p, &n) == 0)
            $1 = p;
    } else {
        PyErr_SetString(PyExc_TypeError, "expected str or bytes");
    }
    if (!$1)
        SWIG_fail;
    $2 = (size_t)n;
}

/* ------------------------------------------------------------------ */
/* structs <-> dicts                                                    */
/* ------------------------------------------------------------------ */

%{
/* One table-driven converter for every struct of the API: a field list
 * names each member, its kind and its offset. */
typedef enum {
    DF_INT,    /* int or an enum */
    DF_UINT,   /* unsigned int */
    DF_SIZE,   /* size_t */
    DF_ULL,    /* unsigned long long */
    DF_STR,    /* const char *, NULL allowed */
    DF_DATE,   /* drill_date */
    DF_CHARS,  /* char[n] */
    DF_INTS,   /* int[n] */
    DF_SIZES,  /* size_t[n] */
    DF_OUTCOME,/* a nested drill_outcome */
    DF_FILTER  /* const drill_filter *, input only */
} drill_py_kind;

typedef struct {
    const char *name;
    drill_py_kind kind;
    size_t offset;
    size_t n;
} drill_py_field;

#define F(S, m, k) { #m, k, offsetof(S, m), 0 }
#define FA(S, m, k) { #m, k, offsetof(S, m), sizeof(((S *)0)->m) / sizeof(((S *)0)->m[0]) }
#define FEND { NULL, DF_INT, 0, 0 }

static const drill_py_field drill_py_outcome_fields[] = {
    F(drill_outcome, date, DF_DATE), F(drill_outcome, start_minute, DF_INT), F(drill_outcome, end_minute, DF_INT),
    F(drill_outcome, kind, DF_INT), F(drill_outcome, form, DF_INT), F(drill_outcome, participants, DF_INT),
    F(drill_outcome, non_participants, DF_INT), F(drill_outcome, observers, DF_STR),
    F(drill_outcome, evacuation_seconds, DF_INT), F(drill_outcome, evacuation_target, DF_INT),
    F(drill_outcome, headcount_seconds, DF_INT), F(drill_outcome, headcount_target, DF_INT),
    F(drill_outcome, score, DF_INT), F(drill_outcome, notes, DF_STR), FEND
};
static const drill_py_field drill_py_filter_fields[] = {
    F(drill_filter, unit_id, DF_STR), F(drill_filter, district, DF_STR), F(drill_filter, campaign, DF_STR),
    F(drill_filter, rule_id, DF_STR), F(drill_filter, has_range, DF_INT), F(drill_filter, from, DF_DATE),
    F(drill_filter, to, DF_DATE), F(drill_filter, status, DF_INT), F(drill_filter, statuses, DF_UINT), FEND
};

static PyObject *drill_py_to_dict(const void *s, const drill_py_field *fields);
static int drill_py_from_dict(void *s, const drill_py_field *fields, PyObject *dict, drill_filter *filter_store);

static PyObject *drill_py_field_value(const char *base, const drill_py_field *f)
{
    const void *p = base + f->offset;
    switch (f->kind) {
    case DF_INT: return PyLong_FromLong(*(const int *)p);
    case DF_UINT: return PyLong_FromUnsignedLong(*(const unsigned int *)p);
    case DF_SIZE: return PyLong_FromSize_t(*(const size_t *)p);
    case DF_ULL: return PyLong_FromUnsignedLongLong(*(const unsigned long long *)p);
    case DF_STR: {
        const char *str = *(const char *const *)p;
        if (!str)
            Py_RETURN_NONE;
        return PyUnicode_FromString(str);
    }
    case DF_DATE: return drill_py_from_date(*(const drill_date *)p);
    case DF_CHARS: return PyUnicode_FromString((const char *)p);
    case DF_INTS:
    case DF_SIZES: {
        PyObject *list = PyList_New((Py_ssize_t)f->n);
        for (size_t i = 0; list && i < f->n; i++) {
            PyObject *v = f->kind == DF_INTS ? PyLong_FromLong(((const int *)p)[i])
                                             : PyLong_FromSize_t(((const size_t *)p)[i]);
            if (!v) {
                Py_CLEAR(list);
                break;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)i, v);
        }
        return list;
    }
    case DF_OUTCOME: return drill_py_to_dict(p, drill_py_outcome_fields);
    case DF_FILTER: Py_RETURN_NONE;
    }
    Py_RETURN_NONE;
}

/* the interned str of a field name, made once: the names are literals, so
 * their addresses key a small table (PyDict_SetItemString would make the
 * str afresh for every field of every struct) */
static PyObject *drill_py_field_key(const char *name)
{
    static const char *names[512];
    static PyObject *keys[512];
    size_t i = ((size_t)(uintptr_t)name >> 3) % 512;
    for (size_t probes = 0; probes < 512; probes++, i = (i + 1) % 512) {
        if (names[i] == name)
            return keys[i];
        if (!names[i]) {
            PyObject *k = PyUnicode_InternFromString(name);
            if (k) {
                names[i] = name;
                keys[i] = k; /* kept for the life of the module */
            }
            return k;
        }
    }
    return PyUnicode_InternFromString(name); /* never: fewer than 512 names */
}

/* a struct as a dict of its fields; strings are copied */
static PyObject *drill_py_to_dict(const void *s, const drill_py_field *fields)
{
    PyObject *d = PyDict_New();
    for (const drill_py_field *f = fields; d && f->name; f++) {
        PyObject *v = drill_py_field_value((const char *)s, f);
        PyObject *k = v ? drill_py_field_key(f->name) : NULL;
        if (!k || PyDict_SetItem(d, k, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

static int drill_py_set_field(char *base, const drill_py_field *f, PyObject *v, drill_filter *filter_store)
{
    void *p = base + f->offset;
    switch (f->kind) {
    case DF_INT: {
        long x = PyLong_AsLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        if (x < INT_MIN || x > INT_MAX) {
            PyErr_Format(PyExc_OverflowError, "%s out of range", f->name);
            return -1;
        }
        *(int *)p = (int)x;
        return 0;
    }
    case DF_UINT: {
        unsigned long x = PyLong_AsUnsignedLong(v);
        if (x == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        if (x > UINT_MAX) {
            PyErr_Format(PyExc_OverflowError, "%s out of range", f->name);
            return -1;
        }
        *(unsigned int *)p = (unsigned int)x;
        return 0;
    }
    case DF_SIZE: {
        size_t x = PyLong_AsSize_t(v);
        if (x == (size_t)-1 && PyErr_Occurred())
            return -1;
        *(size_t *)p = x;
        return 0;
    }
    case DF_ULL: {
        unsigned long long x = PyLong_AsUnsignedLongLong(v);
        if (x == (unsigned long long)-1 && PyErr_Occurred())
            return -1;
        *(unsigned long long *)p = x;
        return 0;
    }
    case DF_STR:
        /* borrowed from the dict's str for the length of the call */
        if (v == Py_None) {
            *(const char **)p = NULL;
            return 0;
        }
        if (!PyUnicode_Check(v)) {
            PyErr_Format(PyExc_TypeError, "%s: expected str or None, not %s", f->name, Py_TYPE(v)->tp_name);
            return -1;
        }
        *(const char **)p = PyUnicode_AsUTF8(v);
        return *(const char **)p ? 0 : -1;
    case DF_DATE:
        if (v == Py_None) {
            memset(p, 0, sizeof(drill_date));
            return 0;
        }
        return drill_py_to_date((drill_date *)p, v);
    case DF_INTS: {
        PyObject *seq = PySequence_Fast(v, "expected a sequence");
        if (!seq)
            return -1;
        if ((size_t)PySequence_Fast_GET_SIZE(seq) != f->n) {
            PyErr_Format(PyExc_ValueError, "%s: expected %zu values", f->name, f->n);
            Py_DECREF(seq);
            return -1;
        }
        for (size_t i = 0; i < f->n; i++) {
            long x = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i));
            if ((x == -1 && PyErr_Occurred()) || x < INT_MIN || x > INT_MAX) {
                if (!PyErr_Occurred())
                    PyErr_Format(PyExc_OverflowError, "%s out of range", f->name);
                Py_DECREF(seq);
                return -1;
            }
            ((int *)p)[i] = (int)x;
        }
        Py_DECREF(seq);
        return 0;
    }
    case DF_OUTCOME:
        return drill_py_from_dict(p, drill_py_outcome_fields, v, NULL);
    case DF_FILTER:
        if (v == Py_None) {
            *(const drill_filter **)p = NULL;
            return 0;
        }
        if (!filter_store) {
            PyErr_Format(PyExc_TypeError, "%s cannot be set here", f->name);
            return -1;
        }
        {
            drill_filter init = DRILL_FILTER_INIT;
            *filter_store = init;
        }
        if (drill_py_from_dict(filter_store, drill_py_filter_fields, v, NULL) < 0)
            return -1;
        *(const drill_filter **)p = filter_store;
        return 0;
    case DF_CHARS:
    case DF_SIZES:
        break;
    }
    PyErr_Format(PyExc_TypeError, "%s is read-only", f->name);
    return -1;
}

/* lay a dict (or None) over a struct that holds its defaults */
static int drill_py_from_dict(void *s, const drill_py_field *fields, PyObject *dict, drill_filter *filter_store)
{
    if (dict == Py_None)
        return 0;
    if (!PyDict_Check(dict)) {
        PyErr_Format(PyExc_TypeError, "expected a dict of fields, not %s", Py_TYPE(dict)->tp_name);
        return -1;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
        const drill_py_field *f = fields;
        while (name && f->name && strcmp(f->name, name) != 0)
            f++;
        if (!name || !f->name) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "unknown field %R", key);
            return -1;
        }
        if (drill_py_set_field((char *)s, f, value, filter_store) < 0)
            return -1;
    }
    return 0;
}
%}

/* A struct that goes in: `%drill_struct_in(TYPE, INIT, FIELDS)` makes a
 * `const TYPE *` argument a dict (or None for the defaults). */
%define %drill_struct_in(TYPE, INIT, FIELDS)
%typemap(in) const TYPE * (TYPE tmp = INIT, drill_filter filter_tmp) {
    (void)filter_tmp;
    if (drill_py_from_dict(&tmp, FIELDS, $input, &filter_tmp) < 0)
        SWIG_fail;
    $1 = &tmp;
}
%typemap(typecheck) const TYPE * {
    $1 = $input == Py_None || PyDict_Check($input);
}
%enddef

/* A struct that comes out: `TYPE *NAME` becomes a returned dict. Every such
 * struct is versioned: the library writes the fields of the version set
 * here, this module's (so a newer libdrill never writes past tmp). */
%define %drill_struct_out(TYPE, NAME, FIELDS)
%typemap(in, numinputs=0) TYPE *NAME (TYPE tmp) {
    memset(&tmp, 0, sizeof tmp);
    tmp.version = TYPE##_version_;
    $1 = &tmp;
}
%typemap(argout) TYPE *NAME {
    PyObject *d = drill_py_to_dict($1, FIELDS);
    if (!d) {
        Py_XDECREF($result);
        $result = NULL;
        SWIG_fail;
    }
    $result = SWIG_Python_AppendOutput($result, d);
}
%enddef

%{
/* the version of each struct this module was built with, for %drill_struct_out */
enum {
    drill_unit_version_ = DRILL_UNIT_VERSION, drill_class_def_version_ = DRILL_CLASS_DEF_VERSION,
    drill_rule_version_ = DRILL_RULE_VERSION, drill_break_version_ = DRILL_BREAK_VERSION,
    drill_campaign_def_version_ = DRILL_CAMPAIGN_DEF_VERSION,
    drill_campaign_window_version_ = DRILL_CAMPAIGN_WINDOW_VERSION,
    drill_day_info_version_ = DRILL_DAY_INFO_VERSION,
    drill_calendar_load_stats_version_ = DRILL_CALENDAR_LOAD_STATS_VERSION,
    drill_import_error_version_ = DRILL_IMPORT_ERROR_VERSION, drill_quality_version_ = DRILL_QUALITY_VERSION,
    drill_district_quality_version_ = DRILL_DISTRICT_QUALITY_VERSION,
    drill_schedule_options_version_ = DRILL_SCHEDULE_OPTIONS_VERSION, drill_action_version_ = DRILL_ACTION_VERSION,
    drill_track_info_version_ = DRILL_TRACK_INFO_VERSION, drill_audit_entry_version_ = DRILL_AUDIT_ENTRY_VERSION,
    drill_feed_set_stats_version_ = DRILL_FEED_SET_STATS_VERSION,
    drill_feed_event_version_ = DRILL_FEED_EVENT_VERSION, drill_region_options_version_ = DRILL_REGION_OPTIONS_VERSION,
    drill_ics_holiday_options_version_ = DRILL_ICS_HOLIDAY_OPTIONS_VERSION,
    drill_import_options_version_ = DRILL_IMPORT_OPTIONS_VERSION,
    drill_generate_options_version_ = DRILL_GENERATE_OPTIONS_VERSION,
    drill_plan_options_version_ = DRILL_PLAN_OPTIONS_VERSION, drill_filter_version_ = DRILL_FILTER_VERSION,
    drill_outcome_version_ = DRILL_OUTCOME_VERSION, drill_feed_options_version_ = DRILL_FEED_OPTIONS_VERSION,
    drill_store_options_version_ = DRILL_STORE_OPTIONS_VERSION
};

static const drill_py_field drill_py_unit_fields[] = {
    F(drill_unit, id, DF_STR), F(drill_unit, name, DF_STR), F(drill_unit, area, DF_STR),
    F(drill_unit, unit_class, DF_STR), F(drill_unit, address, DF_STR), F(drill_unit, contact, DF_STR),
    F(drill_unit, phone, DF_STR), F(drill_unit, headcount, DF_INT), F(drill_unit, risk, DF_INT),
    F(drill_unit, flood_prone, DF_INT), F(drill_unit, key_fire, DF_INT), FEND
};
static const drill_py_field drill_py_class_fields[] = {
    F(drill_class_def, id, DF_STR), F(drill_class_def, name, DF_STR), F(drill_class_def, name_en, DF_STR),
    F(drill_class_def, flags, DF_UINT), F(drill_class_def, scenario, DF_STR), FEND
};
static const drill_py_field drill_py_rule_fields[] = {
    F(drill_rule, id, DF_STR), F(drill_rule, name, DF_STR), F(drill_rule, name_en, DF_STR),
    F(drill_rule, source, DF_STR), F(drill_rule, classes, DF_STR), F(drill_rule, class_flags, DF_UINT),
    F(drill_rule, area, DF_STR), F(drill_rule, min_risk, DF_INT), F(drill_rule, flood_prone, DF_INT),
    F(drill_rule, key_fire, DF_INT), F(drill_rule, kind, DF_INT), F(drill_rule, form, DF_INT),
    F(drill_rule, scenario, DF_STR), F(drill_rule, frequency, DF_INT), F(drill_rule, campaign, DF_STR),
    F(drill_rule, due_from, DF_INT), F(drill_rule, satisfied_by_kinds, DF_UINT),
    F(drill_rule, satisfied_by_scenarios, DF_STR), FEND
};
static const drill_py_field drill_py_break_fields[] = {
    F(drill_break, class_id, DF_STR), F(drill_break, name, DF_STR), F(drill_break, yearly, DF_INT),
    F(drill_break, from, DF_DATE), F(drill_break, to, DF_DATE), FEND
};
static const drill_py_field drill_py_campaign_def_fields[] = {
    F(drill_campaign_def, id, DF_STR), F(drill_campaign_def, name, DF_STR),
    F(drill_campaign_def, name_en, DF_STR), F(drill_campaign_def, source, DF_STR),
    F(drill_campaign_def, rule, DF_INT), F(drill_campaign_def, month, DF_INT), F(drill_campaign_def, day, DF_INT),
    F(drill_campaign_def, end_month, DF_INT), F(drill_campaign_def, end_day, DF_INT),
    F(drill_campaign_def, nth, DF_INT), F(drill_campaign_def, weekday, DF_INT),
    F(drill_campaign_def, length_days, DF_INT), F(drill_campaign_def, align_weekday, DF_INT),
    F(drill_campaign_def, base, DF_STR), F(drill_campaign_def, start_offset, DF_INT),
    F(drill_campaign_def, end_offset, DF_INT), F(drill_campaign_def, first_year, DF_INT),
    F(drill_campaign_def, last_year, DF_INT), F(drill_campaign_def, estimated_without_data, DF_INT), FEND
};
static const drill_py_field drill_py_region_fields[] = {
    F(drill_region_options, flood_month, DF_INT), F(drill_region_options, flood_day, DF_INT),
    F(drill_region_options, flood_end_month, DF_INT), F(drill_region_options, flood_end_day, DF_INT),
    F(drill_region_options, flood_lead_days, DF_INT), FEND
};
static const drill_py_field drill_py_window_fields[] = {
    F(drill_campaign_window, id, DF_STR), F(drill_campaign_window, name, DF_STR),
    F(drill_campaign_window, name_en, DF_STR), F(drill_campaign_window, source, DF_STR),
    F(drill_campaign_window, year, DF_INT), F(drill_campaign_window, start, DF_DATE),
    F(drill_campaign_window, end, DF_DATE), F(drill_campaign_window, origin, DF_INT),
    F(drill_campaign_window, days, DF_INT), F(drill_campaign_window, working_days, DF_INT),
    F(drill_campaign_window, holidays, DF_INT), F(drill_campaign_window, covered, DF_INT), FEND
};
static const drill_py_field drill_py_day_info_fields[] = {
    F(drill_day_info, kind, DF_INT), F(drill_day_info, working, DF_INT), F(drill_day_info, covered, DF_INT),
    F(drill_day_info, name, DF_STR), F(drill_day_info, name_en, DF_STR), FEND
};
static const drill_py_field drill_py_load_stats_fields[] = {
    F(drill_calendar_load_stats, entries, DF_INT), F(drill_calendar_load_stats, holidays, DF_INT),
    F(drill_calendar_load_stats, workdays, DF_INT), F(drill_calendar_load_stats, skipped, DF_INT),
    F(drill_calendar_load_stats, tolerated, DF_INT), FEND
};
static const drill_py_field drill_py_ics_fields[] = {
    F(drill_ics_holiday_options, workday_markers, DF_STR), F(drill_ics_holiday_options, holiday_markers, DF_STR),
    FEND
};
static const drill_py_field drill_py_import_error_fields[] = {
    F(drill_import_error, code, DF_INT), F(drill_import_error, line, DF_INT),
    F(drill_import_error, column, DF_INT), F(drill_import_error, message, DF_STR), FEND
};
static const drill_py_field drill_py_import_options_fields[] = {
    F(drill_import_options, all_errors, DF_INT), F(drill_import_options, skip_bad_rows, DF_INT),
    F(drill_import_options, max_errors, DF_INT), FEND
};
static const drill_py_field drill_py_generate_fields[] = {
    F(drill_generate_options, count, DF_SIZE), F(drill_generate_options, seed, DF_ULL),
    F(drill_generate_options, blackout_year, DF_INT), FEND
};
static const drill_py_field drill_py_plan_options_fields[] = {
    F(drill_plan_options, year, DF_INT), F(drill_plan_options, allow_uncovered, DF_INT), FEND
};
static const drill_py_field drill_py_schedule_fields[] = {
    F(drill_schedule_options, capacity, DF_INT), F(drill_schedule_options, spacing_days, DF_INT),
    F(drill_schedule_options, observer_min_risk, DF_INT), F(drill_schedule_options, observe_comprehensive, DF_INT),
    FA(drill_schedule_options, start_minute, DF_INTS), FA(drill_schedule_options, duration_minutes, DF_INTS),
    F(drill_schedule_options, tabletop_minutes, DF_INT), F(drill_schedule_options, today, DF_DATE),
    F(drill_schedule_options, day_slots, DF_INT), F(drill_schedule_options, slot_minutes, DF_INT),
    F(drill_schedule_options, avoid_after_breaks, DF_INT), F(drill_schedule_options, campaign_min_days, DF_INT),
    F(drill_schedule_options, campaign_widen_days, DF_INT), FEND
};
static const drill_py_field drill_py_quality_fields[] = {
    F(drill_quality, required, DF_SIZE), F(drill_quality, placed, DF_SIZE),
    FA(drill_quality, unplaced, DF_SIZES), F(drill_quality, held, DF_SIZE), F(drill_quality, cancelled, DF_SIZE),
    F(drill_quality, moved, DF_SIZE), F(drill_quality, kept, DF_SIZE), F(drill_quality, violations, DF_SIZE),
    F(drill_quality, covered, DF_INT), FEND
};
static const drill_py_field drill_py_district_quality_fields[] = {
    F(drill_district_quality, district, DF_STR), F(drill_district_quality, capacity, DF_INT),
    F(drill_district_quality, drills, DF_SIZE), F(drill_district_quality, observed, DF_SIZE),
    F(drill_district_quality, busiest_day, DF_DATE), F(drill_district_quality, busiest, DF_INT),
    F(drill_district_quality, lower_bound, DF_INT), F(drill_district_quality, busiest_observed, DF_INT), FEND
};
static const drill_py_field drill_py_action_fields[] = {
    F(drill_action, finding, DF_STR), F(drill_action, capability, DF_STR), F(drill_action, action, DF_STR),
    F(drill_action, owner, DF_STR), F(drill_action, due, DF_DATE), F(drill_action, status, DF_INT),
    F(drill_action, closed, DF_DATE), FEND
};
static const drill_py_field drill_py_track_info_fields[] = {
    F(drill_track_info, status, DF_INT), F(drill_track_info, has_outcome, DF_INT),
    F(drill_track_info, cancel_reason, DF_STR),
    F(drill_track_info, actions, DF_SIZE), F(drill_track_info, open_actions, DF_SIZE), FEND
};
static const drill_py_field drill_py_audit_fields[] = {
    F(drill_audit_entry, seq, DF_SIZE), F(drill_audit_entry, time, DF_STR), F(drill_audit_entry, actor, DF_STR),
    F(drill_audit_entry, drill_id, DF_STR), F(drill_audit_entry, field, DF_STR),
    F(drill_audit_entry, old_value, DF_STR), F(drill_audit_entry, new_value, DF_STR),
    F(drill_audit_entry, reason, DF_STR), FEND
};
static const drill_py_field drill_py_feed_options_fields[] = {
    F(drill_feed_options, name, DF_STR), F(drill_feed_options, tzid, DF_STR), F(drill_feed_options, color, DF_STR),
    F(drill_feed_options, english, DF_INT), F(drill_feed_options, refresh_minutes, DF_INT),
    F(drill_feed_options, alarm_minutes, DF_INT), F(drill_feed_options, organizer, DF_STR),
    F(drill_feed_options, organizer_name, DF_STR), F(drill_feed_options, filter, DF_FILTER), FEND
};
static const drill_py_field drill_py_feed_stats_fields[] = {
    F(drill_feed_set_stats, feeds, DF_SIZE), F(drill_feed_set_stats, written, DF_SIZE),
    F(drill_feed_set_stats, unchanged, DF_SIZE), F(drill_feed_set_stats, events, DF_SIZE), FEND
};
static const drill_py_field drill_py_feed_event_fields[] = {
    F(drill_feed_event, is_drill, DF_INT), F(drill_feed_event, uid, DF_STR), F(drill_feed_event, summary, DF_STR),
    F(drill_feed_event, description, DF_STR), F(drill_feed_event, location, DF_STR),
    F(drill_feed_event, status, DF_STR), F(drill_feed_event, sequence, DF_INT), F(drill_feed_event, all_day, DF_INT),
    F(drill_feed_event, start, DF_DATE), F(drill_feed_event, end, DF_DATE),
    F(drill_feed_event, start_minute, DF_INT), F(drill_feed_event, end_minute, DF_INT),
    F(drill_feed_event, tzid, DF_STR), F(drill_feed_event, drill_id, DF_STR), F(drill_feed_event, unit_id, DF_STR),
    F(drill_feed_event, rule_id, DF_STR), F(drill_feed_event, period, DF_STR),
    F(drill_feed_event, district, DF_STR), F(drill_feed_event, kind, DF_STR), F(drill_feed_event, form, DF_STR),
    F(drill_feed_event, scenario, DF_STR), F(drill_feed_event, campaign, DF_STR),
    F(drill_feed_event, drill_status, DF_STR), F(drill_feed_event, window_start, DF_DATE),
    F(drill_feed_event, window_end, DF_DATE), F(drill_feed_event, observer, DF_INT), F(drill_feed_event, line, DF_INT),
    FEND
};
static const drill_py_field drill_py_store_options_fields[] = {
    F(drill_store_options, read_only, DF_INT), FEND
};
%}

%{
/* an import report's errors as a list of dicts */
static PyObject *drill_py_import_errors(const drill_import_report *report)
{
    size_t n = drill_import_report_count(report);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        drill_import_error e = DRILL_IMPORT_ERROR_INIT;
        PyObject *d = drill_import_report_get(&e, report, i) == 0 ? drill_py_to_dict(&e, drill_py_import_error_fields)
                                                                  : NULL;
        if (!d) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_RuntimeError, "reading an import report failed");
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    return list;
}
%}

%drill_struct_in(drill_unit, DRILL_UNIT_INIT, drill_py_unit_fields)
%drill_struct_in(drill_class_def, DRILL_CLASS_DEF_INIT, drill_py_class_fields)
%drill_struct_in(drill_rule, DRILL_RULE_INIT, drill_py_rule_fields)
%drill_struct_in(drill_campaign_def, DRILL_CAMPAIGN_DEF_INIT, drill_py_campaign_def_fields)
%drill_struct_in(drill_region_options, DRILL_REGION_OPTIONS_INIT, drill_py_region_fields)
%drill_struct_in(drill_ics_holiday_options, DRILL_ICS_HOLIDAY_OPTIONS_INIT, drill_py_ics_fields)
%drill_struct_in(drill_import_options, DRILL_IMPORT_OPTIONS_INIT, drill_py_import_options_fields)
%drill_struct_in(drill_generate_options, DRILL_GENERATE_OPTIONS_INIT, drill_py_generate_fields)
%drill_struct_in(drill_plan_options, DRILL_PLAN_OPTIONS_INIT, drill_py_plan_options_fields)
%drill_struct_in(drill_schedule_options, DRILL_SCHEDULE_OPTIONS_INIT, drill_py_schedule_fields)
%drill_struct_in(drill_filter, DRILL_FILTER_INIT, drill_py_filter_fields)
%drill_struct_in(drill_outcome, DRILL_OUTCOME_INIT, drill_py_outcome_fields)
%drill_struct_in(drill_action, DRILL_ACTION_INIT, drill_py_action_fields)
%drill_struct_in(drill_feed_options, DRILL_FEED_OPTIONS_INIT, drill_py_feed_options_fields)
%drill_struct_in(drill_store_options, DRILL_STORE_OPTIONS_INIT, drill_py_store_options_fields)

%drill_struct_out(drill_unit, out, drill_py_unit_fields)
%drill_struct_out(drill_class_def, out, drill_py_class_fields)
%drill_struct_out(drill_rule, out, drill_py_rule_fields)
%drill_struct_out(drill_break, out, drill_py_break_fields)
%drill_struct_out(drill_campaign_def, out, drill_py_campaign_def_fields)
%drill_struct_out(drill_campaign_window, out, drill_py_window_fields)
%drill_struct_out(drill_day_info, out, drill_py_day_info_fields)
%drill_struct_out(drill_calendar_load_stats, out_stats, drill_py_load_stats_fields)
%drill_struct_out(drill_import_error, out, drill_py_import_error_fields)
%drill_struct_out(drill_quality, out, drill_py_quality_fields)
%drill_struct_out(drill_quality, out_quality, drill_py_quality_fields)
%drill_struct_out(drill_district_quality, out, drill_py_district_quality_fields)
%drill_struct_out(drill_schedule_options, out, drill_py_schedule_fields)
%drill_struct_out(drill_action, out, drill_py_action_fields)
%drill_struct_out(drill_track_info, out, drill_py_track_info_fields)
%drill_struct_out(drill_audit_entry, out, drill_py_audit_fields)
%drill_struct_out(drill_feed_set_stats, out_stats, drill_py_feed_stats_fields)
%drill_struct_out(drill_feed_event, out, drill_py_feed_event_fields)

/* drill_*_init(version) returns the defaults of that version as a dict */
%drill_struct_out(drill_unit, out, drill_py_unit_fields)
%drill_struct_out(drill_class_def, out, drill_py_class_fields)
%drill_struct_out(drill_rule, out, drill_py_rule_fields)
%drill_struct_out(drill_campaign_def, out, drill_py_campaign_def_fields)
%drill_struct_out(drill_region_options, out, drill_py_region_fields)
%drill_struct_out(drill_ics_holiday_options, out, drill_py_ics_fields)
%drill_struct_out(drill_import_options, out, drill_py_import_options_fields)
%drill_struct_out(drill_generate_options, out, drill_py_generate_fields)
%drill_struct_out(drill_plan_options, out, drill_py_plan_options_fields)
%drill_struct_out(drill_schedule_options, out, drill_py_schedule_fields)
%drill_struct_out(drill_filter, out, drill_py_filter_fields)
%drill_struct_out(drill_outcome, out, drill_py_outcome_fields)
%drill_struct_out(drill_action, out, drill_py_action_fields)
%drill_struct_out(drill_feed_options, out, drill_py_feed_options_fields)
%drill_struct_out(drill_store_options, out, drill_py_store_options_fields)

/* ------------------------------------------------------------------ */
/* drills: one converter for drill_plan_get() and the bulk records()    */
/* ------------------------------------------------------------------ */

%{
/* Strings and dates that many drills share (unit names, districts, rule
 * ids, days) are converted once per bulk call: the library hands out the
 * same pointer for the same pooled string, so a pointer-keyed cache turns
 * a million conversions into a few thousand. One cache lives for one call. */
typedef struct {
    const void **keys;
    PyObject **values;
    size_t mask;
    PyObject *dates[2 * 366 + 2];
    int date_base;   /* serial of the first cached day */
    PyObject *ints[1441];  /* minutes of a day and small counts */
    char periods[8][16];   /* "2026H1": the same few in every plan */
    PyObject *period_objs[8];
} drill_py_cache;

static void drill_py_cache_init(drill_py_cache *c, size_t size, int year)
{
    memset(c, 0, sizeof *c);
    size_t n = 1024;
    while (n < 2 * size && n < ((size_t)1 << 22))
        n <<= 1;
    c->keys = (const void **)calloc(n, sizeof *c->keys);
    c->values = (PyObject **)calloc(n, sizeof *c->values);
    c->mask = c->keys && c->values ? n - 1 : 0;
    drill_date jan1 = { year, 1, 1 };
    if (year < DRILL_DATE_MIN_YEAR || drill_date_to_serial(&c->date_base, jan1) < 0)
        c->date_base = -100000;
}

static void drill_py_cache_free(drill_py_cache *c)
{
    for (size_t i = 0; c->values && i <= c->mask; i++)
        Py_XDECREF(c->values[i]);
    free(c->keys);
    free(c->values);
    for (size_t i = 0; i < sizeof c->dates / sizeof c->dates[0]; i++)
        Py_XDECREF(c->dates[i]);
    for (size_t i = 0; i < sizeof c->ints / sizeof c->ints[0]; i++)
        Py_XDECREF(c->ints[i]);
    for (size_t i = 0; i < 8; i++)
        Py_XDECREF(c->period_objs[i]);
}

static PyObject *drill_py_cached_int(drill_py_cache *c, int value)
{
    if (!c || value < 0 || value >= (int)(sizeof c->ints / sizeof c->ints[0]))
        return PyLong_FromLong(value);
    if (!c->ints[value])
        c->ints[value] = PyLong_FromLong(value);
    Py_XINCREF(c->ints[value]);
    return c->ints[value];
}

/* a period ("2026H1") by its text: it lives in each drill's own id, so the
 * pointer cache cannot find it */
static PyObject *drill_py_cached_period(drill_py_cache *c, const char *period)
{
    for (size_t i = 0; c && i < 8 && strlen(period) < sizeof c->periods[i]; i++) {
        if (!c->period_objs[i]) {
            PyObject *v = PyUnicode_FromString(period);
            if (v) {
                strcpy(c->periods[i], period);
                c->period_objs[i] = v;
                Py_INCREF(v);
            }
            return v;
        }
        if (strcmp(c->periods[i], period) == 0) {
            Py_INCREF(c->period_objs[i]);
            return c->period_objs[i];
        }
    }
    return PyUnicode_FromString(period);
}

/* a new reference to the str for s (NULL on a Python error) */
static PyObject *drill_py_cached_str(drill_py_cache *c, const char *s)
{
    if (!c || !c->mask)
        return PyUnicode_FromString(s);
    size_t h = ((size_t)(uintptr_t)s >> 3) * (size_t)0x9E3779B97F4A7C15ULL;
    size_t i = (h >> 20) & c->mask, probes = 0;
    while (c->keys[i] && c->keys[i] != s && probes++ < 16)
        i = (i + 1) & c->mask;
    if (c->keys[i] == s) {
        Py_INCREF(c->values[i]);
        return c->values[i];
    }
    PyObject *v = PyUnicode_FromString(s);
    if (v && !c->keys[i]) {
        c->keys[i] = s;
        c->values[i] = v;
        Py_INCREF(v);
    }
    return v;
}

static PyObject *drill_py_cached_date(drill_py_cache *c, drill_date d)
{
    int serial;
    if (c && d.year != 0 && drill_date_to_serial(&serial, d) == 0) {
        int k = serial - c->date_base;
        if (k >= 0 && k < (int)(sizeof c->dates / sizeof c->dates[0])) {
            if (!c->dates[k])
                c->dates[k] = drill_py_from_date(d);
            Py_XINCREF(c->dates[k]);
            return c->dates[k];
        }
    }
    return drill_py_from_date(d);
}

/* The enum members the Python layer made (drill.Status.HELD, ...), by C
 * value, installed by set_enum_classes(): records carry them, not ints. */
enum { DRILL_PY_E_KIND, DRILL_PY_E_FORM, DRILL_PY_E_STATUS, DRILL_PY_E_REASON, DRILL_PY_E_RISK, DRILL_PY_E_COUNT };
static PyObject *drill_py_enums[DRILL_PY_E_COUNT]; /* each a tuple indexed by the C value */

/* a new reference to the member for a value, or None */
static PyObject *drill_py_enum_member(int which, long value)
{
    PyObject *t = drill_py_enums[which];
    if (t && value >= 0 && value < PyTuple_GET_SIZE(t)) {
        PyObject *m = PyTuple_GET_ITEM(t, value);
        Py_INCREF(m);
        return m;
    }
    if (t)
        Py_RETURN_NONE;
    return PyLong_FromLong(value);
}
%}

%inline %{
/* Install the enum classes' members by C value: a dict whose keys are
 * "kind", "form", "status", "reason", "risk" and whose values are tuples
 * (None where a value has no member); the Python layer calls this once. */
void set_enum_classes(PyObject *members)
{
    static const char *const keys[DRILL_PY_E_COUNT] = { "kind", "form", "status", "reason", "risk" };
    for (int k = 0; k < DRILL_PY_E_COUNT; k++) {
        PyObject *t = PyDict_Check(members) ? PyDict_GetItemString(members, keys[k]) : NULL;
        if (t && !PyTuple_Check(t))
            t = NULL;
        Py_XINCREF(t);
        Py_XSETREF(drill_py_enums[k], t);
    }
}
%}

%{
/* The columns of a drill record: the drill itself (group 0), its outcome
 * and tracking (DRILL_PY_G_OUTCOME), its unit (DRILL_PY_G_UNIT). One
 * table drives records() (Python objects) and the pandas arrays. */
enum { DRILL_PY_G_DRILL = 0, DRILL_PY_G_OUTCOME = 1, DRILL_PY_G_UNIT = 2 };
typedef enum { DC_STR, DC_DATE, DC_INT, DC_BOOL, DC_ENUM, DC_PERIOD } drill_py_ckind;
typedef struct {
    const char *name;
    int group;
    drill_py_ckind kind;
    int which; /* DC_ENUM: DRILL_PY_E_* */
} drill_py_column;

static const drill_py_column drill_py_columns[] = {
    { "id", 0, DC_STR, 0 }, { "unit_id", 0, DC_STR, 0 }, { "unit_name", 0, DC_STR, 0 },
    { "district", 0, DC_STR, 0 }, { "rule_id", 0, DC_STR, 0 }, { "source", 0, DC_STR, 0 },
    { "period", 0, DC_PERIOD, 0 }, { "kind", 0, DC_ENUM, DRILL_PY_E_KIND }, { "form", 0, DC_ENUM, DRILL_PY_E_FORM },
    { "scenario", 0, DC_STR, 0 }, { "campaign", 0, DC_STR, 0 }, { "window_start", 0, DC_DATE, 0 },
    { "window_end", 0, DC_DATE, 0 }, { "status", 0, DC_ENUM, DRILL_PY_E_STATUS }, { "date", 0, DC_DATE, 0 },
    { "start_minute", 0, DC_INT, 0 }, { "duration_minutes", 0, DC_INT, 0 }, { "needs_observer", 0, DC_BOOL, 0 },
    { "reason", 0, DC_ENUM, DRILL_PY_E_REASON }, { "revision", 0, DC_INT, 0 },
    /* 20: the outcome */
    { "held_date", 1, DC_DATE, 0 }, { "held_start_minute", 1, DC_INT, 0 }, { "held_end_minute", 1, DC_INT, 0 },
    { "held_kind", 1, DC_ENUM, DRILL_PY_E_KIND }, { "held_form", 1, DC_ENUM, DRILL_PY_E_FORM },
    { "participants", 1, DC_INT, 0 }, { "non_participants", 1, DC_INT, 0 }, { "observers", 1, DC_STR, 0 },
    { "evacuation_seconds", 1, DC_INT, 0 }, { "evacuation_target", 1, DC_INT, 0 },
    { "headcount_seconds", 1, DC_INT, 0 }, { "headcount_target", 1, DC_INT, 0 }, { "score", 1, DC_INT, 0 },
    { "notes", 1, DC_STR, 0 }, { "cancel_reason", 1, DC_STR, 0 }, { "actions", 1, DC_INT, 0 },
    { "open_actions", 1, DC_INT, 0 },
    /* 37: the unit */
    { "unit_class", 2, DC_STR, 0 }, { "area", 2, DC_STR, 0 }, { "risk", 2, DC_ENUM, DRILL_PY_E_RISK },
    { "headcount", 2, DC_INT, 0 }, { "flood_prone", 2, DC_BOOL, 0 }, { "key_fire", 2, DC_BOOL, 0 },
};
#define DRILL_PY_NCOLS (sizeof drill_py_columns / sizeof drill_py_columns[0])

/* what one drill's columns are read from */
typedef struct {
    drill_item it;
    drill_track_info ti;
    drill_outcome o; /* the outcome when ti.has_outcome, else the defaults */
    drill_unit u;
} drill_py_row;

/* a row the getters can fill: zeroed, each struct's version set */
static void drill_py_row_init(drill_py_row *r)
{
    memset(r, 0, sizeof *r);
    r->it.version = DRILL_ITEM_VERSION;
    r->ti.version = DRILL_TRACK_INFO_VERSION;
    r->o.version = DRILL_OUTCOME_VERSION;
    r->u.version = DRILL_UNIT_VERSION;
}

/* one cell: missing, or an int (also dates as serials, enums, bools), or a string */
typedef struct {
    int missing;
    long long i;
    const char *s;
} drill_py_cell;

static void drill_py_cell_int(drill_py_cell *c, long long v, int missing)
{
    c->missing = missing;
    c->i = v;
}

static void drill_py_cell_date(drill_py_cell *c, drill_date d)
{
    int serial = 0;
    c->missing = d.year == 0 || drill_date_to_serial(&serial, d) != 0;
    c->i = serial;
}

static void drill_py_cell_str(drill_py_cell *c, const char *s)
{
    c->missing = !s || !*s; /* "" is how C says "none" */
    c->s = s;
}

static void drill_py_cell_get(drill_py_cell *c, size_t col, const drill_py_row *r)
{
    const drill_item *it = &r->it;
    const drill_outcome *o = &r->o;
    int placed = it->status != DRILL_STATUS_PLANNED && it->status != DRILL_STATUS_CANCELLED;
    int held = r->ti.has_outcome;
    c->missing = 0;
    c->i = 0;
    c->s = NULL;
    switch (col) {
    case 0: drill_py_cell_str(c, it->id); break;
    case 1: drill_py_cell_str(c, it->unit_id); break;
    case 2: drill_py_cell_str(c, it->unit_name); break;
    case 3: drill_py_cell_str(c, it->district); break;
    case 4: drill_py_cell_str(c, it->rule_id); break;
    case 5: drill_py_cell_str(c, it->source); break;
    case 6: drill_py_cell_str(c, it->period); break;
    case 7: drill_py_cell_int(c, it->kind, 0); break;
    case 8: drill_py_cell_int(c, it->form, 0); break;
    case 9: drill_py_cell_str(c, it->scenario); break;
    case 10: drill_py_cell_str(c, it->campaign); break;
    case 11: drill_py_cell_date(c, it->window_start); break;
    case 12: drill_py_cell_date(c, it->window_end); break;
    case 13: drill_py_cell_int(c, it->status, 0); break;
    case 14:
        drill_py_cell_date(c, it->date);
        c->missing |= !placed;
        break;
    case 15: drill_py_cell_int(c, it->start_minute, !placed); break;
    case 16: drill_py_cell_int(c, it->duration_minutes, !placed); break;
    case 17: drill_py_cell_int(c, it->needs_observer != 0, 0); break;
    case 18: drill_py_cell_int(c, it->reason, it->reason == DRILL_REASON_NONE); break;
    case 19: drill_py_cell_int(c, it->revision, 0); break;
    case 20:
        drill_py_cell_date(c, o->date);
        c->missing |= !held;
        break;
    case 21: drill_py_cell_int(c, o->start_minute, !held); break;
    case 22: drill_py_cell_int(c, o->end_minute, !held); break;
    case 23: drill_py_cell_int(c, o->kind, !held); break;
    case 24: drill_py_cell_int(c, o->form, !held); break;
    case 25: drill_py_cell_int(c, o->participants, !held); break;
    case 26: drill_py_cell_int(c, o->non_participants, !held); break;
    case 27:
        drill_py_cell_str(c, o->observers);
        c->missing |= !held;
        break;
    case 28: drill_py_cell_int(c, o->evacuation_seconds, !held || o->evacuation_seconds < 0); break;
    case 29: drill_py_cell_int(c, o->evacuation_target, !held || o->evacuation_target < 0); break;
    case 30: drill_py_cell_int(c, o->headcount_seconds, !held || o->headcount_seconds < 0); break;
    case 31: drill_py_cell_int(c, o->headcount_target, !held || o->headcount_target < 0); break;
    case 32: drill_py_cell_int(c, o->score, !held || o->score < 0); break;
    case 33:
        drill_py_cell_str(c, o->notes);
        c->missing |= !held;
        break;
    case 34: drill_py_cell_str(c, r->ti.cancel_reason); break;
    case 35: drill_py_cell_int(c, (long long)r->ti.actions, 0); break;
    case 36: drill_py_cell_int(c, (long long)r->ti.open_actions, 0); break;
    case 37: drill_py_cell_str(c, r->u.unit_class); break;
    case 38: drill_py_cell_str(c, r->u.area); break;
    case 39: drill_py_cell_int(c, r->u.risk, r->u.risk == DRILL_RISK_UNSET); break;
    case 40: drill_py_cell_int(c, r->u.headcount, 0); break;
    case 41: drill_py_cell_int(c, r->u.flood_prone != 0, 0); break;
    case 42: drill_py_cell_int(c, r->u.key_fire != 0, 0); break;
    default: c->missing = 1; break;
    }
}

/* a cell as a new Python object (None when missing); NULL on a Python error */
static PyObject *drill_py_cell_object(const drill_py_cell *c, size_t col, drill_py_cache *cache)
{
    if (c->missing)
        Py_RETURN_NONE;
    switch (drill_py_columns[col].kind) {
    case DC_STR: return col == 0 ? PyUnicode_FromString(c->s) : drill_py_cached_str(cache, c->s);
    case DC_PERIOD: return drill_py_cached_period(cache, c->s);
    case DC_DATE: {
        drill_date d;
        if (drill_date_from_serial(&d, (int)c->i) != 0)
            Py_RETURN_NONE;
        return drill_py_cached_date(cache, d);
    }
    case DC_INT: return drill_py_cached_int(cache, (int)c->i);
    case DC_BOOL: return PyBool_FromLong((long)c->i);
    case DC_ENUM: return drill_py_enum_member(drill_py_columns[col].which, (long)c->i);
    }
    Py_RETURN_NONE;
}

static PyObject *drill_py_column_names[DRILL_PY_NCOLS];

static int drill_py_column_names_init(void)
{
    for (size_t k = 0; k < DRILL_PY_NCOLS; k++)
        if (!drill_py_column_names[k] && !(drill_py_column_names[k] = PyUnicode_InternFromString(drill_py_columns[k].name)))
            return -1;
    return 0;
}

/* read what a row's groups need; 0 or a DRILL_E* code */
static int drill_py_row_read(drill_py_row *r, const drill_plan *plan, const drill_units *units, size_t index,
                             int groups)
{
    int rc = drill_plan_get(&r->it, plan, index);
    if (rc == 0 && (groups & DRILL_PY_G_OUTCOME)) {
        rc = drill_track_get(&r->ti, plan, r->it.id);
        if (rc == 0 && r->ti.has_outcome)
            rc = drill_track_outcome(&r->o, plan, r->it.id);
        else if (rc == 0)
            r->o = (drill_outcome)DRILL_OUTCOME_INIT;
    }
    if (rc == 0 && (groups & DRILL_PY_G_UNIT)) {
        if (!units)
            return DRILL_EINVAL;
        rc = drill_units_get(&r->u, units, r->it.unit_index);
    }
    return rc;
}

/* one drill (group 0) as a dict, for drill_plan_get(); NULL with a Python error */
static PyObject *drill_py_item_dict(const drill_item *it, drill_py_cache *cache)
{
    if (drill_py_column_names_init() < 0)
        return NULL;
    drill_py_row r;
    drill_py_row_init(&r);
    r.it = *it;
    PyObject *d = PyDict_New();
    for (size_t k = 0; d && k < DRILL_PY_NCOLS && drill_py_columns[k].group == 0; k++) {
        drill_py_cell c;
        drill_py_cell_get(&c, k, &r);
        PyObject *v = drill_py_cell_object(&c, k, cache);
        if (!v || PyDict_SetItem(d, drill_py_column_names[k], v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

/* the indexes a bulk call walks: a bytes of uint32 (a Selection's), or
 * None for the whole plan; 0 or -1 with a Python error */
static int drill_py_indexes(const uint32_t **out, size_t *out_n, PyObject *indexes, const drill_plan *plan)
{
    if (indexes == Py_None) {
        *out = NULL;
        *out_n = drill_plan_count(plan);
        return 0;
    }
    if (!PyBytes_Check(indexes) || PyBytes_GET_SIZE(indexes) % 4) {
        PyErr_SetString(PyExc_TypeError, "indexes: expected bytes of uint32 or None");
        return -1;
    }
    *out = (const uint32_t *)(const void *)PyBytes_AS_STRING(indexes);
    *out_n = (size_t)PyBytes_GET_SIZE(indexes) / 4;
    return 0;
}
%}

%inline %{
/* The names of the drill record's columns with their group (0 drill, 1
 * outcome, 2 unit) and kind ("str", "date", "int", "bool", "enum"), in
 * order: [(name, group, kind, enum), ...] where enum names the enum. */
PyObject *record_columns(void)
{
    static const char *const kinds[] = { "str", "date", "int", "bool", "enum", "str" };
    static const char *const enums[] = { "kind", "form", "status", "reason", "risk" };
    PyObject *list = PyList_New((Py_ssize_t)DRILL_PY_NCOLS);
    for (size_t k = 0; list && k < DRILL_PY_NCOLS; k++) {
        const drill_py_column *c = &drill_py_columns[k];
        PyObject *t = Py_BuildValue("(sisz)", c->name, c->group, kinds[c->kind],
                                    c->kind == DC_ENUM ? enums[c->which] : NULL);
        if (!t)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, t);
    }
    return list;
}

/* The indexes of the drills a selection holds that pass a status mask
 * (bit s for status s; 0 for any) and, with dated_only, have a day: a
 * bytes of uint32 for the bulk calls. */
PyObject *selection_indexes(const drill_plan *plan, const drill_selection *sel, unsigned int status_mask,
                            int dated_only)
{
    if (!plan) {
        PyErr_SetString(PyExc_ValueError, "no plan");
        return NULL;
    }
    size_t n = sel ? drill_selection_count(sel) : drill_plan_count(plan), m = 0;
    uint32_t *idx = (uint32_t *)malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return PyErr_NoMemory();
    for (size_t i = 0; i < n; i++) {
        size_t index = i;
        drill_item it = DRILL_ITEM_INIT;
        int rc = sel ? drill_selection_index(&index, sel, i) : 0;
        if (rc == 0 && (status_mask || dated_only))
            rc = drill_plan_get(&it, plan, index);
        if (rc < 0) {
            free(idx);
            return drill_py_raise(rc);
        }
        if (status_mask && !(status_mask & (1u << it.status)))
            continue;
        if (dated_only && (it.status == DRILL_STATUS_PLANNED || it.status == DRILL_STATUS_CANCELLED || it.date.year == 0))
            continue;
        idx[m++] = (uint32_t)index;
    }
    PyObject *b = PyBytes_FromStringAndSize((const char *)idx, (Py_ssize_t)(m * sizeof *idx));
    free(idx);
    return b;
}

/* Drills of a plan (all, or the indexes a Selection holds) in one call:
 * a list of dicts, or with columns=1 a dict of lists, with the columns of
 * the groups asked for (1 outcome, 2 unit; the drill's own always). */
PyObject *plan_records(const drill_plan *plan, const drill_units *units, PyObject *indexes, int columns, int groups)
{
    if (!plan) {
        PyErr_SetString(PyExc_ValueError, "no plan");
        return NULL;
    }
    const uint32_t *idx;
    size_t n;
    if (drill_py_indexes(&idx, &n, indexes, plan) < 0 || drill_py_column_names_init() < 0)
        return NULL;
    size_t cols[DRILL_PY_NCOLS], ncols = 0;
    for (size_t k = 0; k < DRILL_PY_NCOLS; k++)
        if (drill_py_columns[k].group == 0 || (groups & drill_py_columns[k].group))
            cols[ncols++] = k;
    /* a million new containers would set off the cyclic collector over and
     * over, each pass walking every record made so far: none of them can
     * be in a cycle, so it waits until the records are built */
    int gc_was_enabled = PyGC_Disable();
    drill_py_cache cache;
    drill_py_cache_init(&cache, n / 2 + 64, drill_plan_year(plan) - 1);
    PyObject *lists[DRILL_PY_NCOLS] = { NULL };
    PyObject *template = NULL;
    PyObject *result = columns ? PyDict_New() : PyList_New((Py_ssize_t)n);
    for (size_t j = 0; result && columns && j < ncols; j++) {
        lists[j] = PyList_New((Py_ssize_t)n);
        if (!lists[j] || PyDict_SetItem(result, drill_py_column_names[cols[j]], lists[j]) < 0)
            Py_CLEAR(result);
        Py_XDECREF(lists[j]); /* the dict holds them */
    }
    if (result && !columns) {
        /* records are copies of an all-None one: much faster than growing
         * each dict key by key */
        template = PyDict_New();
        for (size_t j = 0; template && j < ncols; j++)
            if (PyDict_SetItem(template, drill_py_column_names[cols[j]], Py_None) < 0)
                Py_CLEAR(template);
        if (!template)
            Py_CLEAR(result);
    }
    drill_py_row r;
    drill_py_row_init(&r);
    for (size_t i = 0; result && i < n; i++) {
        int rc = drill_py_row_read(&r, plan, units, idx ? idx[i] : i, groups);
        if (rc < 0) {
            drill_py_raise(rc);
            Py_CLEAR(result);
            break;
        }
        PyObject *d = columns ? NULL : PyDict_Copy(template);
        if (!columns && !d) {
            Py_CLEAR(result);
            break;
        }
        for (size_t j = 0; result && j < ncols; j++) {
            drill_py_cell c;
            drill_py_cell_get(&c, cols[j], &r);
            PyObject *v = drill_py_cell_object(&c, cols[j], &cache);
            if (!v) {
                Py_CLEAR(result);
            } else if (columns) {
                PyList_SET_ITEM(lists[j], (Py_ssize_t)i, v);
            } else {
                if (PyDict_SetItem(d, drill_py_column_names[cols[j]], v) < 0)
                    Py_CLEAR(result);
                Py_DECREF(v);
            }
        }
        if (!columns) {
            if (result)
                PyList_SET_ITEM(result, (Py_ssize_t)i, d);
            else
                Py_DECREF(d);
        }
    }
    Py_XDECREF(template);
    drill_py_cache_free(&cache);
    if (gc_was_enabled)
        PyGC_Enable();
    return result;
}

/* The same columns for pandas, without a Python object per cell: a dict
 * of name -> bytes of int64 for dates (days since 1970-01-01), ints,
 * bools and enums (the C value), INT64_MIN where missing; and name -> list
 * of str (None where missing) for text. */
PyObject *plan_arrays(const drill_plan *plan, const drill_units *units, PyObject *indexes, int groups)
{
    if (!plan) {
        PyErr_SetString(PyExc_ValueError, "no plan");
        return NULL;
    }
    const uint32_t *idx;
    size_t n;
    if (drill_py_indexes(&idx, &n, indexes, plan) < 0 || drill_py_column_names_init() < 0)
        return NULL;
    size_t cols[DRILL_PY_NCOLS], ncols = 0;
    for (size_t k = 0; k < DRILL_PY_NCOLS; k++)
        if (drill_py_columns[k].group == 0 || (groups & drill_py_columns[k].group))
            cols[ncols++] = k;
    const int epoch = 25567; /* the serial of 1970-01-01 */
    int gc_was_enabled = PyGC_Disable();
    drill_py_cache cache;
    drill_py_cache_init(&cache, n / 2 + 64, drill_plan_year(plan) - 1);
    PyObject *objs[DRILL_PY_NCOLS] = { NULL };
    long long *nums[DRILL_PY_NCOLS] = { NULL };
    PyObject *result = PyDict_New();
    for (size_t j = 0; result && j < ncols; j++) {
        drill_py_ckind kind = drill_py_columns[cols[j]].kind;
        if (kind == DC_STR || kind == DC_PERIOD) {
            objs[j] = PyList_New((Py_ssize_t)n);
            if (!objs[j] || PyDict_SetItem(result, drill_py_column_names[cols[j]], objs[j]) < 0)
                Py_CLEAR(result);
            Py_XDECREF(objs[j]);
        } else {
            /* the bytes object is filled in place before anyone sees it */
            objs[j] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(long long)));
            if (!objs[j] || PyDict_SetItem(result, drill_py_column_names[cols[j]], objs[j]) < 0)
                Py_CLEAR(result);
            else
                nums[j] = (long long *)(void *)PyBytes_AS_STRING(objs[j]);
            Py_XDECREF(objs[j]);
        }
    }
    drill_py_row r;
    drill_py_row_init(&r);
    for (size_t i = 0; result && i < n; i++) {
        int rc = drill_py_row_read(&r, plan, units, idx ? idx[i] : i, groups);
        if (rc < 0) {
            drill_py_raise(rc);
            Py_CLEAR(result);
            break;
        }
        for (size_t j = 0; result && j < ncols; j++) {
            drill_py_cell c;
            drill_py_cell_get(&c, cols[j], &r);
            if (nums[j]) {
                nums[j][i] = c.missing ? LLONG_MIN
                                       : drill_py_columns[cols[j]].kind == DC_DATE ? c.i - epoch : c.i;
            } else {
                PyObject *v = drill_py_cell_object(&c, cols[j], &cache);
                if (!v)
                    Py_CLEAR(result);
                else
                    PyList_SET_ITEM(objs[j], (Py_ssize_t)i, v);
            }
        }
    }
    drill_py_cache_free(&cache);
    if (gc_was_enabled)
        PyGC_Enable();
    return result;
}
%}

%typemap(in, numinputs=0) drill_item *out (drill_item tmp) {
    memset(&tmp, 0, sizeof tmp);
    tmp.version = DRILL_ITEM_VERSION;
    $1 = &tmp;
}
%typemap(argout) drill_item *out {
    PyObject *d = drill_py_item_dict($1, NULL);
    if (!d) {
        Py_XDECREF($result);
        $result = NULL;
        SWIG_fail;
    }
    $result = SWIG_Python_AppendOutput($result, d);
}

%{
/* "YYYY-MM-DDTHH:MM:SSZ" as an aware datetime in UTC; the text itself
 * (a str) if it is not in that form */
static PyObject *drill_py_utc_time(const char *t)
{
    int y, mo, d, h, mi, sec;
    char z;
    if (t && strlen(t) == 20 && sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) == 7 && z == 'Z')
        return PyDateTimeAPI->DateTime_FromDateAndTime(y, mo, d, h, mi, sec, 0, PyDateTime_TimeZone_UTC,
                                                        PyDateTimeAPI->DateTimeType);
    return PyUnicode_FromString(t ? t : "");
}

%}


%inline %{
/* Every row of a report table in one call: a list of dicts keyed by the
 * column names (cells as str), or with columns=1 a dict of lists. */
PyObject *table_records(const drill_table *table, int columns)
{
    if (!table) {
        PyErr_SetString(PyExc_ValueError, "no table");
        return NULL;
    }
    size_t ncol = drill_table_columns(table), nrow = drill_table_rows(table);
    PyObject *names = PyList_New((Py_ssize_t)ncol);
    for (size_t k = 0; names && k < ncol; k++) {
        PyObject *name = PyUnicode_FromString(drill_table_column(table, k));
        if (!name)
            Py_CLEAR(names);
        else
            PyList_SET_ITEM(names, (Py_ssize_t)k, name);
    }
    if (!names)
        return NULL;
    PyObject *result = columns ? PyDict_New() : PyList_New((Py_ssize_t)nrow);
    for (size_t k = 0; result && columns && k < ncol; k++) {
        PyObject *list = PyList_New((Py_ssize_t)nrow);
        if (!list || PyDict_SetItem(result, PyList_GET_ITEM(names, (Py_ssize_t)k), list) < 0)
            Py_CLEAR(result);
        Py_XDECREF(list);
    }
    for (size_t r = 0; result && r < nrow; r++) {
        PyObject *row = columns ? NULL : PyDict_New();
        if (!columns && !row) {
            Py_CLEAR(result);
            break;
        }
        for (size_t k = 0; result && k < ncol; k++) {
            const char *cell = "";
            drill_table_cell(&cell, table, r, k);
            PyObject *v = PyUnicode_FromString(cell);
            if (!v) {
                Py_CLEAR(result);
                break;
            }
            PyObject *name = PyList_GET_ITEM(names, (Py_ssize_t)k);
            if (columns) {
                PyList_SET_ITEM(PyDict_GetItem(result, name), (Py_ssize_t)r, v);
            } else {
                if (PyDict_SetItem(row, name, v) < 0)
                    Py_CLEAR(result);
                Py_DECREF(v);
            }
        }
        if (!columns) {
            if (result)
                PyList_SET_ITEM(result, (Py_ssize_t)r, row);
            else
                Py_DECREF(row);
        }
    }
    Py_DECREF(names);
    return result;
}

/* The audit trail in one call, oldest first, keeping the entries whose
 * drill and actor are those given (None: any) and whose time ("YYYY-MM-
 * DDTHH:MM:SSZ", compared as text) is from since up to before until: a
 * list of dicts, or with columns=1 a dict of lists. Times are aware
 * datetimes in UTC; an empty old value or reason is None. */
PyObject *audit_records(const drill_plan *plan, const char *drill_id, const char *actor, const char *since,
                        const char *until, int columns)
{
    static const char *const keys[] = { "seq", "time", "actor", "drill_id", "field", "old_value", "new_value",
                                        "reason" };
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    if (!plan) {
        PyErr_SetString(PyExc_ValueError, "no plan");
        return NULL;
    }
    size_t n = drill_audit_count(plan);
    PyObject *lists[NKEYS] = { NULL };
    PyObject *result = columns ? PyDict_New() : PyList_New(0);
    for (size_t k = 0; result && columns && k < NKEYS; k++) {
        lists[k] = PyList_New(0);
        if (!lists[k] || PyDict_SetItemString(result, keys[k], lists[k]) < 0)
            Py_CLEAR(result);
        Py_XDECREF(lists[k]);
    }
    for (size_t i = 0; result && i < n; i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        int rc = drill_audit_get(&e, plan, i);
        if (rc < 0) {
            drill_py_raise(rc);
            Py_CLEAR(result);
            break;
        }
        if ((drill_id && strcmp(e.drill_id, drill_id) != 0) || (actor && strcmp(e.actor, actor) != 0) ||
            (since && strcmp(e.time, since) < 0) || (until && strcmp(e.time, until) >= 0))
            continue;
        PyObject *v[NKEYS];
        v[0] = PyLong_FromSize_t(e.seq);
        v[1] = drill_py_utc_time(e.time);
        v[2] = PyUnicode_FromString(e.actor);
        v[3] = PyUnicode_FromString(e.drill_id);
        v[4] = PyUnicode_FromString(e.field);
        v[5] = e.old_value[0] ? PyUnicode_FromString(e.old_value) : (Py_INCREF(Py_None), Py_None);
        v[6] = PyUnicode_FromString(e.new_value);
        v[7] = e.reason[0] ? PyUnicode_FromString(e.reason) : (Py_INCREF(Py_None), Py_None);
        PyObject *d = columns ? NULL : PyDict_New();
        for (size_t k = 0; k < NKEYS; k++) {
            if (result && (!v[k] || (!columns && !d)))
                Py_CLEAR(result);
            if (result && (columns ? PyList_Append(lists[k], v[k]) : PyDict_SetItemString(d, keys[k], v[k])) < 0)
                Py_CLEAR(result);
            Py_XDECREF(v[k]);
        }
        if (d && result && PyList_Append(result, d) < 0)
            Py_CLEAR(result);
        Py_XDECREF(d);
    }
    return result;
}

/* The next event of a feed as an object of cls (drill.FeedEvent) whose
 * attributes are the event's fields (is_drill, all_day and observer as
 * bools), made without running Python code; None at the end. */
PyObject *feed_reader_event(drill_feed_reader *reader, PyObject *cls)
{
    if (!reader || !PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "feed_reader_event(reader, class)");
        return NULL;
    }
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    int rc = drill_feed_reader_next(&ev, reader);
    if (rc < 0)
        return drill_py_raise(rc);
    if (rc == 0)
        Py_RETURN_NONE;
    PyObject *d = drill_py_to_dict(&ev, drill_py_feed_event_fields);
    if (d && (PyDict_SetItem(d, drill_py_field_key("is_drill"), ev.is_drill ? Py_True : Py_False) < 0 ||
              PyDict_SetItem(d, drill_py_field_key("all_day"), ev.all_day ? Py_True : Py_False) < 0 ||
              PyDict_SetItem(d, drill_py_field_key("observer"), ev.observer ? Py_True : Py_False) < 0))
        Py_CLEAR(d);
    if (!d)
        return NULL;
    PyObject *obj = ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    if (obj && PyObject_GenericSetDict(obj, d, NULL) < 0)
        Py_CLEAR(obj);
    Py_DECREF(d);
    return obj;
}

/* drill_feed_write() to a string: the feed's text (the stream variant
 * takes a FILE *, which Python does not have). */
PyObject *feed_text(const drill_plan *plan, const drill_feed_options *opts)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return PyErr_NoMemory();
    /* the GIL stays held: a plan is one thread's at a time */
    int rc = drill_feed_write(f, plan, opts);
    if (fclose(f) != 0 && rc == 0)
        rc = DRILL_EIO;
    PyObject *text = rc < 0 ? drill_py_raise(rc) : PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
    free(buf);
    return text;
}

/* The error of the calling thread as a dict (drill_error_last()). */
PyObject *error_last(void)
{
    const drill_error *e = drill_error_last();
    return Py_BuildValue("{s:i,s:s,s:s,s:i,s:i}", "code", e->code, "message", e->message, "source", e->source,
                         "line", e->line, "column", e->column);
}
%}

/* bulk calls and feed_text return their own new objects */
%typemap(out) PyObject *feed_reader_event, PyObject *plan_records, PyObject *plan_arrays, PyObject *selection_indexes,
              PyObject *record_columns, PyObject *audit_records, PyObject *table_records, PyObject *feed_text, PyObject *error_last {
    $result = $1;
    if (!$result)
        SWIG_fail;
}

/* ------------------------------------------------------------------ */
/* opaque handles                                                       */
/* ------------------------------------------------------------------ */

/* `%drill_handle(TYPE, FREE)`: TYPE becomes a Python class whose objects
 * own one TYPE * and free it with FREE; a `TYPE **out` parameter returns a
 * new owned object. */
%define %drill_handle(TYPE, FREE)
%nodefaultctor TYPE;
struct TYPE {};
%extend TYPE {
    ~TYPE() { FREE($self); }
}
%typemap(in, numinputs=0) TYPE **OUT_HANDLE (TYPE *tmp = NULL) {
    $1 = &tmp;
}
%typemap(argout) TYPE **OUT_HANDLE {
    $result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(*$1, $descriptor(TYPE *), SWIG_POINTER_OWN));
    *$1 = NULL; /* the Python object owns it now */
}
/* a handle the call made before it failed (an import's error report) */
%typemap(freearg) TYPE **OUT_HANDLE {
    if (*$1)
        FREE(*$1);
}
%enddef

%drill_handle(drill_calendar, drill_calendar_free)
%drill_handle(drill_campaigns, drill_campaigns_free)
%drill_handle(drill_units, drill_units_free)
%drill_handle(drill_rules, drill_rules_free)
%drill_handle(drill_plan, drill_plan_free)
%drill_handle(drill_selection, drill_selection_free)
%drill_handle(drill_import_report, drill_import_report_free)
%drill_handle(drill_table, drill_table_free)
%drill_handle(drill_feed_reader, drill_feed_reader_free)
%drill_handle(drill_store, drill_store_close)
%drill_handle(drill_csv, drill_csv_free)

%apply drill_calendar **OUT_HANDLE { drill_calendar **out, drill_calendar **out_cal };
%apply drill_campaigns **OUT_HANDLE { drill_campaigns **out, drill_campaigns **out_campaigns };
%apply drill_units **OUT_HANDLE { drill_units **out, drill_units **out_units };
%apply drill_rules **OUT_HANDLE { drill_rules **out, drill_rules **out_rules };
%apply drill_plan **OUT_HANDLE { drill_plan **out, drill_plan **out_plan };
%apply drill_selection **OUT_HANDLE { drill_selection **out };
%apply drill_import_report **OUT_HANDLE { drill_import_report **out_report };
%apply drill_table **OUT_HANDLE { drill_table **out };
%apply drill_feed_reader **OUT_HANDLE { drill_feed_reader **out };
%apply drill_store **OUT_HANDLE { drill_store **out };
%apply drill_csv **OUT_HANDLE { drill_csv **out };
%apply int *OUT_INT { int *out_line, int *out_column };

/* freeing is the handles' destructors' job, and closing a store the
 * Store class's (which disowns the handle first) */
%ignore drill_calendar_free;
%ignore drill_campaigns_free;
%ignore drill_units_free;
%ignore drill_rules_free;
%ignore drill_plan_free;
%ignore drill_selection_free;
%ignore drill_import_report_free;
%ignore drill_table_free;
%ignore drill_feed_reader_free;
%ignore drill_csv_free;
/* a FILE * has no Python counterpart: feed_text() and drill_feed_write_file() */
%ignore drill_feed_write;
/* drill_error_last() is error_last() (a dict), and raised exceptions carry it */
%ignore drill_error_last;
/* hands out a borrowed store; Python's Plan knows its Store (Plan.store) */
%ignore drill_store_attachment;
/* takes a C callback: drill_file_write_text(path, text) */
%ignore drill_file_write;

/* the structs cross as dicts, never as SWIG objects */
%ignore drill_error;
%ignore drill_date;
%ignore drill_day_info;
%ignore drill_calendar_load_stats;
%ignore drill_ics_holiday_options;
%ignore drill_campaign_def;
%ignore drill_region_options;
%ignore drill_campaign_window;
%ignore drill_class_def;
%ignore drill_unit;
%ignore drill_import_error;
%ignore drill_import_options;
%ignore drill_generate_options;
%ignore drill_rule;
%ignore drill_break;
%ignore drill_item;
%ignore drill_plan_options;
%ignore drill_schedule_options;
%ignore drill_quality;
%ignore drill_district_quality;
%ignore drill_filter;
%ignore drill_outcome;
%ignore drill_action;
%ignore drill_track_info;
%ignore drill_audit_entry;
%ignore drill_feed_options;
%ignore drill_feed_set_stats;
%ignore drill_feed_event;
%ignore drill_store_options;

#define DRILL_EXTERN
%include <drill/version.h>
%include <drill/common.h>
%include <drill/error.h>
%include <drill/csv.h>
%include <drill/date.h>
%include <drill/calendar.h>
%include <drill/campaign.h>
%include <drill/unit.h>
%include <drill/rule.h>
%include <drill/plan.h>
%include <drill/track.h>
%include <drill/report.h>
%include <drill/feed.h>
%include <drill/store.h>
