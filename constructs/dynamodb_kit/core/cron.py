"""AWS cron expressions and their time zones, as AWS Backup and Application Auto Scaling read them.

``cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR)``: six fields, ``?`` in
exactly one of the two day fields, days ``SUN``-``SAT`` or 1-7 (never
``MONDAY``), months ``JAN``-``DEC`` or 1-12.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from .errors import ValidationError

CRON_FIX = "use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. cron(0 3 * * ? *)"
# One AWS cron field: numbers, names, ranges, lists, steps and the wildcards.
_CRON_FIELD = re.compile(r"[0-9A-Z*?,/\-#LW]+")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
_MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
_DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
# Words each field takes (AWS Backup: SUN-SAT and JAN-DEC, never full day names).
_CRON_WORDS = (set(), set(), {"L", "W", "LW"}, _MONTHS, _DAYS | {"L"}, set())
_CRON_FIELD_NAMES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")


def check_cron(path: str, field: str, expression: str, fix: str = CRON_FIX) -> None:
    """An AWS cron expression: six fields, '?' in one day field, SUN-SAT, JAN-DEC."""
    match = re.fullmatch(r"cron\((.*)\)", expression.strip())
    parts = match.group(1).split() if match else []
    if len(parts) != 6 or not all(_CRON_FIELD.fullmatch(p) for p in parts):
        raise ValidationError(path, field, expression, problem="is not an AWS cron expression", fix=fix)
    if (parts[2] == "?") == (parts[4] == "?"):
        raise ValidationError(
            path, field, expression,
            problem="must have '?' in exactly one of day-of-month and day-of-week", fix=fix,
        )
    for i, (part, (low, high)) in enumerate(zip(parts, _CRON_RANGES)):
        if "?" in part and (i not in (2, 4) or part != "?"):
            raise ValidationError(
                path, field, expression,
                problem=f"has '?' in the {_CRON_FIELD_NAMES[i]} field", fix=fix,
            )
        for word in re.findall(r"[A-Z]+", part):
            if word not in _CRON_WORDS[i]:
                allowed = "SUN-SAT or 1-7" if i == 4 else "JAN-DEC or 1-12" if i == 3 else "numbers"
                raise ValidationError(
                    path, field, expression,
                    problem=f"has '{word}' in the {_CRON_FIELD_NAMES[i]} field, which takes {allowed}",
                    fix=fix,
                )
        for number in re.findall(r"\d+", part.split("/")[0]):
            if not low <= int(number) <= high:
                raise ValidationError(
                    path, field, expression,
                    problem=f"has {number} outside {low}-{high} in '{part}'", fix=fix,
                )


@functools.cache
def _iana_timezones() -> frozenset[str]:
    # Listed once per process (about 20 ms: it opens every file of the tz
    # database). Loading just the one zone would be cheaper but not exact: on a
    # case-insensitive file system (macOS, Windows) "europe/berlin" loads too.
    return frozenset(zoneinfo.available_timezones())


def is_timezone(name: object) -> bool:
    """Whether ``name`` is an IANA time zone (``Europe/Berlin``, ``Etc/UTC``)."""
    return isinstance(name, str) and name in _iana_timezones()


def check_timezone(path: str, field: str, name: str) -> None:
    """A schedule's time zone: an IANA name."""
    if not is_timezone(name):
        raise ValidationError(path, field, name, problem="is not an IANA time zone",
                              fix="use a name such as Etc/UTC or Europe/Berlin")
