#!/usr/bin/python3
"""Validate every feed the C tests wrote with Debian's python3-icalendar.

For each FILE.ics with a FILE.ics.expect.jsonl beside it (what libical read
of each event): no component may carry parse errors (python3-icalendar
swallows bad lines into .errors), and every event's fields must equal what
libical read. Prints 'python3-icalendar: N passed, N failed'."""
import json
import pathlib
import sys

import icalendar


def fmt(value):
    dt = value.dt
    if hasattr(dt, "hour"):
        return dt.strftime("%Y-%m-%dT%H:%M:%S")
    return dt.strftime("%Y-%m-%d")


def check(path):
    problems = []
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    for comp in cal.walk():
        if getattr(comp, "errors", None):
            problems.append(f"{comp.name}: {comp.errors}")
    expected = [json.loads(line) for line in open(f"{path}.expect.jsonl", encoding="utf-8")]
    events = cal.walk("VEVENT")
    if len(events) != len(expected):
        problems.append(f"{len(events)} events, libical read {len(expected)}")
    for ev, want in zip(events, expected):
        got = {
            "uid": str(ev.get("UID", "")),
            "summary": str(ev.get("SUMMARY", "")),
            "description": str(ev.get("DESCRIPTION", "")),
            "location": str(ev.get("LOCATION", "")),
            "status": str(ev.get("STATUS", "")),
            "id": str(ev.get("X-DRILL-ID", "")),
            "start": fmt(ev["DTSTART"]),
            "end": fmt(ev["DTEND"]),
            "sequence": int(ev.get("SEQUENCE", 0)),
        }
        for key, value in want.items():
            if got[key] != value:
                problems.append(f"{want['id']}: {key} {got[key]!r} != {value!r}")
    return problems


def main():
    root = pathlib.Path(sys.argv[1])
    passed = failed = 0
    for path in sorted(root.rglob("*.ics")):
        if not pathlib.Path(f"{path}.expect.jsonl").exists():
            continue
        problems = check(path)
        if problems:
            failed += 1
            print(f"FAIL {path}:", *problems[:5], sep="\n  ")
        else:
            passed += 1
    print(f"python3-icalendar: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
