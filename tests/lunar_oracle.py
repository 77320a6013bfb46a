"""The first day of every month of the Chinese calendar, 1949-2099, from
python3-lunardate (an independent table), for tests/test_calendar.c:
lines "YEAR MONTH LEAP YYYY-MM-DD" (LEAP 1 for a leap month)."""
import sys

from lunardate import LunarDate

first, last = int(sys.argv[1]), int(sys.argv[2])
for year in range(first, last + 1):
    for month in range(1, 13):
        for leap in (0, 1):
            try:
                day = LunarDate(year, month, 1, leap).toSolarDate()
            except ValueError:
                continue
            print(year, month, leap, day.isoformat())
