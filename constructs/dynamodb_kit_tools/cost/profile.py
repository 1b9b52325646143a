"""Workload profiles: one TOML file per table, read and checked with exact errors.

A profile says what the table holds (item types with a sample item each, and
how many), how it is used (access patterns: operation, item, rate, ...), when
(weekly shapes: per-hour multipliers, bursts, or a CloudWatch CSV export) and
what it keeps (storage growth, PITR, backup copies, stream readers). The
pricing page documents every field; ``examples/`` holds eight profiles.

Every mistake is a ``ValidationError`` whose path is the file's name::

    flat.profile.toml: patterns[0].consistency='strong' is not possible on global
    secondary index ByStatus; use 'eventual' (a GSI is eventually consistent)
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynamodb_kit.core.cron import is_timezone
from dynamodb_kit.core.errors import ValidationError

from . import prices

READS = ("GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan")
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")
PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")
# Real traffic varies from minute to minute around any shape; 10% is typical of
# CloudWatch's per-minute consumed units. It keeps the simulator from trusting
# a perfectly smooth week.
DEFAULT_NOISE = 0.1
DAY_NAMES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# Which optional pattern fields each operation uses.
_PATTERN_FIELDS = {
    "GetItem": {"consistency"},
    "BatchGetItem": {"consistency", "items_per_call"},
    "TransactGetItems": {"items_per_call"},
    "Query": {"consistency", "index", "items_per_call", "evaluated_items"},
    "Scan": {"consistency", "index", "evaluated_items"},
    "PutItem": {"replaces", "transactional", "fails"},
    "UpdateItem": {"set", "remove", "transactional", "fails"},
    "DeleteItem": {"transactional", "fails"},
    "BatchWriteItem": {"replaces", "items_per_call"},
    "TransactWriteItems": {"replaces", "items_per_call"},
}
_COMMON_PATTERN_FIELDS = {"name", "operation", "item", "rate", "shape"}


@dataclass(frozen=True)
class Index:
    name: str
    local: bool
    partition_key: str | None  # None for an LSI: the table's
    sort_key: str | None
    projection: str = "ALL"
    include: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.partition_key, self.sort_key) if k)


@dataclass(frozen=True)
class ItemType:
    name: str
    sample: dict[str, Any]
    count: int = 0


@dataclass(frozen=True)
class Pattern:
    name: str
    operation: str
    item: str
    rate: float  # calls per second at shape multiplier 1
    shape: str
    consistency: str = "eventual"
    index: str | None = None
    items_per_call: int = 1
    evaluated_items: int | None = None
    set: dict[str, Any] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    replaces: str | None = None
    transactional: bool = False
    fails: float = 0.0

    @property
    def is_read(self) -> bool:
        return self.operation in READS


@dataclass(frozen=True)
class Burst:
    start_minute: int  # minute of the local day
    minutes: int
    multiplier: float
    days: frozenset[int]  # 0 = Monday
    every_minutes: int | None = None


@dataclass(frozen=True)
class Shape:
    """A weekly shape in the profile's time zone: ``hourly[day][hour]`` (Monday
    first), or per-minute multipliers of the UTC week read from a CSV export
    (``per_minute``, mean 1), with bursts on top."""

    name: str
    hourly: tuple[tuple[float, ...], ...] | None = None
    per_minute: tuple[float, ...] | None = None
    bursts: tuple[Burst, ...] = ()


@dataclass(frozen=True)
class Profile:
    file: str
    name: str
    about: str
    region: str
    timezone: str
    week_of: dt.date
    traffic: str
    noise: float  # minute-to-minute variation of every dimension, a fraction
    partition_key: str
    sort_key: str | None
    indexes: tuple[Index, ...]
    items: dict[str, ItemType]
    patterns: tuple[Pattern, ...]
    shapes: dict[str, Shape]
    storage_gb: float | None = None
    growth_percent_per_month: float = 0.0
    pitr: bool = True
    backup_copies: float = 0.0
    stream_read_units_per_second: float = 0.0

    @property
    def table_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.partition_key, self.sort_key) if k)

    def index(self, name: str) -> Index:
        return next(i for i in self.indexes if i.name == name)


def read_toml(path: Path) -> dict:
    """A TOML file's data; a ValidationError naming the file when it is not TOML."""
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise ValidationError(path.name, "(file)", path.name, problem=f"is not valid TOML: {error}",
                              fix="fix the file at that line") from None


def load(path: str | Path) -> Profile:
    """Read and check a profile file."""
    path = Path(path)
    return _Reader(path.name, path.parent).profile(read_toml(path))


def from_data(data: dict, *, where: str, folder: Path, prefix: str = "") -> Profile:
    """A profile from parsed TOML (a usage file's table section, completed from
    the stack); errors name ``where`` and the fields under ``prefix``."""
    return _Reader(where, folder, prefix).profile(data)


class _Reader:
    """Reads one profile; every check raises with the profile's file name."""

    def __init__(self, where: str, folder: Path, prefix: str = "") -> None:
        self.where = where
        self.folder = folder
        self.prefix = prefix  # where the profile sits in a larger file ("tables.Orders.")

    def fail(self, field_name: str, value: Any, problem: str, fix: str) -> ValidationError:
        return ValidationError(self.where, self.prefix + field_name, value, problem=problem, fix=fix)

    # ---- generic checks -------------------------------------------------

    def table(self, field_name: str, value: Any, known: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(field_name, value, "is not a table", f"write it as a TOML table with {', '.join(sorted(known))}")
        for key in value:
            if key not in known:
                raise self.fail(f"{field_name}.{key}".lstrip("."), value[key], "is not a field here",
                                f"use one of: {', '.join(sorted(known))}")
        for key in sorted(required):
            if key not in value:
                raise self.fail(f"{field_name}.{key}".lstrip("."), None, "is required",
                                f"give {key} (see the pricing page, 'Write a profile')")
        return value

    def text(self, field_name: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field_name, value, "is not a non-empty string", "give a quoted name")
        return value

    def number(self, field_name: str, value: Any, *, low: float = 0, high: float = math.inf,
               integer: bool = False, fix: str = "") -> float:
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            shown = f"{low:g}-{high:g}" if high < math.inf else f"{low:g} or more"
            raise self.fail(field_name, value, f"is not {'a whole number' if integer else 'a number'} of {shown}",
                            fix or f"give a number of {shown}")
        return value

    def choice(self, field_name: str, value: Any, allowed: tuple[str, ...], what: str = "a known value") -> str:
        if value not in allowed:
            raise self.fail(field_name, value, f"is not {what}", f"use one of: {', '.join(allowed)}")
        return value

    def names(self, field_name: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(field_name, value, "is not a list of attribute names", 'write ["Name", ...]')
        return tuple(value)

    # ---- the profile ----------------------------------------------------

    def profile(self, data: dict) -> Profile:
        top = {"name", "about", "region", "timezone", "week_of", "traffic", "noise", "table", "indexes", "items",
               "patterns", "shapes", "storage", "backups", "streams"}
        self.table("", data, top, required={"name", "table", "items", "patterns"})
        region = data.get("region", "us-east-1")
        if region not in prices.regions():
            raise self.fail("region", region, "has no price snapshot",
                            f"use one of: {', '.join(prices.regions())}, or rebuild one from the AWS Price List")
        timezone = data.get("timezone", "Etc/UTC")
        if not is_timezone(timezone):
            raise self.fail("timezone", timezone, "is not an IANA time zone", "use a name such as Europe/Berlin")
        week_of = self.week_of(data.get("week_of", "2026-01-05"))
        table = self.table("table", data["table"], {"partition_key", "sort_key"}, {"partition_key"})
        partition_key = self.text("table.partition_key", table["partition_key"])
        sort_key = self.text("table.sort_key", table["sort_key"]) if "sort_key" in table else None
        indexes = tuple(self.index(i, v, sort_key) for i, v in enumerate(self.array("indexes", data.get("indexes", []))))
        if len({i.name for i in indexes}) < len(indexes):
            raise self.fail("indexes", [i.name for i in indexes], "repeats an index name", "give every index its own name")
        items = self.items(data["items"], (partition_key, sort_key), indexes)
        shapes = {name: self.shape(f"shapes.{name}", name, value)
                  for name, value in self.table("shapes", data.get("shapes", {}), set(data.get("shapes", {}))).items()}
        shapes = shapes or {"flat": Shape("flat", hourly=((1.0,) * 24,) * 7)}  # no shape: the same every minute
        patterns = tuple(self.pattern(i, v, items, indexes, shapes)
                         for i, v in enumerate(self.array("patterns", data["patterns"], at_least_one=True)))
        storage = self.table("storage", data.get("storage", {}), {"gb", "growth_percent_per_month"})
        backups = self.table("backups", data.get("backups", {}), {"pitr", "copies"})
        streams = self.table("streams", data.get("streams", {}), {"read_request_units_per_second"})
        pitr = backups.get("pitr", True)
        if not isinstance(pitr, bool):
            raise self.fail("backups.pitr", pitr, "is not true or false", "write pitr = true or pitr = false")
        return Profile(
            file=self.where, name=self.text("name", data["name"]), about=str(data.get("about", "")),
            region=region, timezone=timezone, week_of=week_of,
            traffic=self.choice("traffic", data.get("traffic", "known"), ("known", "unknown")),
            noise=self.number("noise", data.get("noise", DEFAULT_NOISE), high=1,
                              fix="give the minute-to-minute variation as a fraction, e.g. noise = 0.1"),
            partition_key=partition_key, sort_key=sort_key, indexes=indexes, items=items, patterns=patterns,
            shapes=shapes,
            storage_gb=self.number("storage.gb", storage["gb"]) if "gb" in storage else None,
            growth_percent_per_month=self.number("storage.growth_percent_per_month",
                                                 storage.get("growth_percent_per_month", 0), high=1000),
            pitr=pitr, backup_copies=self.number("backups.copies", backups.get("copies", 0)),
            stream_read_units_per_second=self.number("streams.read_request_units_per_second",
                                                     streams.get("read_request_units_per_second", 0)),
        )

    def array(self, field_name: str, value: Any, at_least_one: bool = False) -> list:
        if not isinstance(value, list) or (at_least_one and not value):
            raise self.fail(field_name, value, "is not a list of tables" + (" with at least one entry" if at_least_one else ""),
                            f"write one [[{field_name}]] block per entry")
        return value

    def week_of(self, value: Any) -> dt.date:
        day = value if isinstance(value, dt.date) else None
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
        if day is None or day.weekday() != 0:
            raise self.fail("week_of", value, "is not a Monday (YYYY-MM-DD)",
                            "give the Monday of the week to simulate, e.g. 2026-01-05")
        return day

    def index(self, i: int, value: Any, table_sort_key: str | None) -> Index:
        where = f"indexes[{i}]"
        entry = self.table(where, value, {"name", "type", "partition_key", "sort_key", "projection", "include"},
                           {"name", "type"})
        kind = self.choice(f"{where}.type", entry["type"], ("GSI", "LSI"))
        local = kind == "LSI"
        if local and "partition_key" in entry:
            raise self.fail(f"{where}.partition_key", entry["partition_key"], "is not used by an LSI (it has the table's)",
                            "remove it")
        if local and "sort_key" not in entry:
            raise self.fail(f"{where}.sort_key", None, "is required for an LSI", "give the index's sort key")
        if local and table_sort_key is None:
            raise self.fail("table.sort_key", None, f"is required by LSI {entry['name']}: an LSI only exists on a "
                            "table with a sort key", "give the table a sort key, or make the index a GSI")
        if not local and "partition_key" not in entry:
            raise self.fail(f"{where}.partition_key", None, "is required for a GSI", "give the index's partition key")
        projection = self.choice(f"{where}.projection", entry.get("projection", "ALL"), PROJECTIONS)
        include = self.names(f"{where}.include", entry.get("include", []))
        if bool(include) != (projection == "INCLUDE"):
            raise self.fail(f"{where}.include", list(include), "goes with projection INCLUDE, and only with it",
                            'give projection = "INCLUDE" with include = [...], or neither')
        return Index(name=self.text(f"{where}.name", entry["name"]), local=local,
                     partition_key=entry.get("partition_key"), sort_key=entry.get("sort_key"),
                     projection=projection, include=include)

    def items(self, value: Any, table_keys: tuple[str | None, str | None], indexes: tuple[Index, ...]) -> dict[str, ItemType]:
        if not isinstance(value, dict) or not value:
            raise self.fail("items", value, "has no item type", "add [items.<name>] with a sample item")
        out = {}
        for name, entry in value.items():
            where = f"items.{name}"
            self.table(where, entry, {"sample", "count"}, {"sample"})
            sample = self.table(f"{where}.sample", entry["sample"], set(entry["sample"]) if isinstance(entry["sample"], dict) else set())
            converted = {k: self.value(f"{where}.sample.{k}", v) for k, v in sample.items()}
            for key in (k for k in table_keys if k):
                if key not in converted:
                    raise self.fail(f"{where}.sample", sorted(converted), f"lacks the table key {key}",
                                    f"add {key} to the sample item")
            out[name] = ItemType(name, converted, int(self.number(f"{where}.count", entry.get("count", 0), integer=True)))
        return out

    def value(self, field_name: str, value: Any) -> Any:
        """A sample attribute: strings, numbers, booleans, lists and tables as
        themselves; ``{ "$bytes" = N }`` is a binary of N bytes, ``{ "$base64" = "..." }``
        a binary given in base64."""
        if isinstance(value, dict) and set(value) == {"$bytes"}:
            return bytes(int(self.number(field_name + ".$bytes", value["$bytes"], integer=True, high=400 * 1024)))
        if isinstance(value, dict) and set(value) == {"$base64"}:
            return base64.b64decode(value["$base64"])
        if isinstance(value, dict):
            return {k: self.value(f"{field_name}.{k}", v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(f"{field_name}[{i}]", v) for i, v in enumerate(value)]
        if isinstance(value, (dt.date, dt.time)):
            return value.isoformat()  # DynamoDB stores dates as strings
        return value

    def pattern(self, i: int, value: Any, items: dict[str, ItemType], indexes: tuple[Index, ...],
                shapes: dict[str, Shape]) -> Pattern:
        where = f"patterns[{i}]"
        every = _COMMON_PATTERN_FIELDS | set().union(*_PATTERN_FIELDS.values())
        entry = self.table(where, value, every, {"name", "operation", "item", "rate"})
        operation = self.choice(f"{where}.operation", entry["operation"], READS + WRITES)
        for key in entry:
            if key not in _COMMON_PATTERN_FIELDS | _PATTERN_FIELDS[operation]:
                raise self.fail(f"{where}.{key}", entry[key], f"is not used by {operation}",
                                f"remove it (or use an operation that takes {key})")
        item = self.choice(f"{where}.item", entry["item"], tuple(items), "an item type of the profile")
        rate = self.number(f"{where}.rate", entry["rate"], fix="give calls per second at multiplier 1, e.g. rate = 20")
        shape = entry.get("shape")
        if shape is None:
            if len(shapes) > 1:
                raise self.fail(f"{where}.shape", None, "is required when the profile has several shapes",
                                f"use one of: {', '.join(shapes)}")
            shape = next(iter(shapes))
        elif shape not in shapes:
            raise self.fail(f"{where}.shape", shape, "is not a shape of the profile",
                            f"use one of: {', '.join(shapes)}")
        index = entry.get("index")
        consistency = self.choice(f"{where}.consistency", entry.get("consistency", "eventual"),
                                  ("eventual", "strong"))
        if index is not None:
            index = self.choice(f"{where}.index", index, tuple(i.name for i in indexes), "an index of the profile")
            if consistency == "strong" and not next(i for i in indexes if i.name == index).local:
                raise self.fail(f"{where}.consistency", consistency,
                                f"is not possible on global secondary index {index}",
                                "use 'eventual' (a GSI is eventually consistent)")
        many = int(self.number(f"{where}.items_per_call", entry.get("items_per_call", 1), low=1, integer=True,
                               high=100 if operation in ("BatchGetItem", "TransactGetItems", "TransactWriteItems") else
                               25 if operation == "BatchWriteItem" else math.inf))
        evaluated = entry.get("evaluated_items")
        if operation == "Scan" and evaluated is None:
            raise self.fail(f"{where}.evaluated_items", None, "is required for Scan: it pays for every item it reads",
                            "give the number of items one Scan call reads")
        if evaluated is not None:
            evaluated = int(self.number(f"{where}.evaluated_items", evaluated, low=many, integer=True,
                                        fix=f"give at least items_per_call ({many}): a filter only drops items"))
        updates = {k: self.value(f"{where}.set.{k}", v)
                   for k, v in self.table(f"{where}.set", entry.get("set", {}), set(entry.get("set", {}))).items()}
        remove = self.names(f"{where}.remove", entry.get("remove", []))
        if operation == "UpdateItem" and not updates and not remove:
            raise self.fail(f"{where}.set", None, "and remove are both empty: the update changes nothing",
                            'give set = { Attribute = "new value" } or remove = ["Attribute"]')
        replaces = entry.get("replaces")
        if replaces is not None:
            replaces = self.choice(f"{where}.replaces", replaces, tuple(items), "an item type of the profile")
        transactional = entry.get("transactional", operation in ("TransactGetItems", "TransactWriteItems"))
        if not isinstance(transactional, bool):
            raise self.fail(f"{where}.transactional", transactional, "is not true or false", "write true or false")
        return Pattern(
            name=self.text(f"{where}.name", entry["name"]), operation=operation, item=item, rate=rate, shape=shape,
            consistency="transactional" if operation == "TransactGetItems" else consistency, index=index,
            items_per_call=many, evaluated_items=evaluated, set=updates, remove=remove, replaces=replaces,
            transactional=transactional,
            fails=self.number(f"{where}.fails", entry.get("fails", 0), high=1,
                              fix="give the share of calls whose condition fails, e.g. fails = 0.05"),
        )

    # ---- shapes ---------------------------------------------------------

    def shape(self, where: str, name: str, value: Any) -> Shape:
        entry = self.table(where, value, {"hourly", "weekday_hourly", "weekend_hourly", "days", "csv", "column",
                                          "bursts"})
        given = [k for k in ("hourly", "weekday_hourly", "csv") if k in entry]
        if len(given) != 1 or (("weekday_hourly" in entry) != ("weekend_hourly" in entry)):
            raise self.fail(where, sorted(entry), "needs exactly one of hourly, weekday_hourly with weekend_hourly, or csv",
                            "give one way to describe the week")
        bursts = tuple(self.burst(f"{where}.bursts[{i}]", b)
                       for i, b in enumerate(self.array(f"{where}.bursts", entry.get("bursts", []))))
        if "csv" in entry:
            return Shape(name, per_minute=self.csv(where, entry), bursts=bursts)
        if "hourly" in entry:
            weekday = weekend = self.hours(f"{where}.hourly", entry["hourly"])
        else:
            weekday = self.hours(f"{where}.weekday_hourly", entry["weekday_hourly"])
            weekend = self.hours(f"{where}.weekend_hourly", entry["weekend_hourly"])
        days = entry.get("days", [1] * 7)
        if not isinstance(days, list) or len(days) != 7:
            raise self.fail(f"{where}.days", days, "is not 7 multipliers", "give one per day, Monday first")
        days = [self.number(f"{where}.days[{d}]", v) for d, v in enumerate(days)]
        hourly = tuple(tuple(h * days[d] for h in (weekday if d < 5 else weekend)) for d in range(7))
        return Shape(name, hourly=hourly, bursts=bursts)

    def hours(self, where: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or len(value) != 24:
            count = len(value) if isinstance(value, list) else "no"
            raise self.fail(where, value, f"has {count} values, not 24", "give one multiplier per hour, 00:00 first")
        return tuple(self.number(f"{where}[{h}]", v) for h, v in enumerate(value))

    def burst(self, where: str, value: Any) -> Burst:
        entry = self.table(where, value, {"at", "minutes", "multiplier", "days", "every_minutes"},
                           {"at", "minutes", "multiplier"})
        at = entry["at"]
        match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", at) if isinstance(at, str) else None
        if match is None:
            raise self.fail(f"{where}.at", at, "is not a time of day HH:MM", 'write at = "10:30"')
        every = entry.get("every_minutes")
        return Burst(
            start_minute=int(match[1]) * 60 + int(match[2]),
            minutes=int(self.number(f"{where}.minutes", entry["minutes"], low=1, high=1440, integer=True)),
            multiplier=self.number(f"{where}.multiplier", entry["multiplier"]),
            days=self.days(f"{where}.days", entry.get("days", "daily")),
            every_minutes=None if every is None else int(self.number(f"{where}.every_minutes", every, low=1,
                                                                     high=1440, integer=True)),
        )

    def days(self, where: str, value: Any) -> frozenset[int]:
        if value == "daily":
            return frozenset(range(7))
        found: set[int] = set()
        for part in str(value).split(","):
            ends = part.strip().split("-")
            if not all(e in DAY_NAMES for e in ends) or len(ends) > 2:
                raise self.fail(where, value, "is not daily or a list of days such as MON-FRI or SAT,SUN",
                                "use MON, TUE, WED, THU, FRI, SAT, SUN, ranges and commas")
            first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[-1])
            found |= set(range(first, last + 1))
        return frozenset(found)

    def csv(self, where: str, entry: dict) -> tuple[float, ...]:
        """Per-minute values of the UTC week (mean 1) from a CloudWatch export:
        a header row, ISO 8601 timestamps in the first column, the Sum per
        minute in ``column`` (default: the second). Minutes without a row
        consumed nothing (CloudWatch leaves them out); several weeks average."""
        file = self.folder / str(entry["csv"])
        if not file.is_file():
            raise self.fail(f"{where}.csv", entry["csv"], "is not a file next to the profile",
                            "give the export's path relative to the profile file")
        with file.open(newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        column = entry.get("column", header[1] if len(header) > 1 else None)
        if column not in header[1:]:
            raise self.fail(f"{where}.column", column, "is not a column of the CSV", f"use one of: {', '.join(header[1:])}")
        col = header.index(column)
        sums, counts = [0.0] * 10080, [0] * 10080
        stamps = []
        for line, row in enumerate(body, start=2):
            try:
                stamp = dt.datetime.fromisoformat(row[0].replace("Z", "+00:00"))
                value = float(row[col]) if row[col] else 0.0
            except (ValueError, IndexError):
                raise self.fail(f"{where}.csv", f"{file.name}:{line}", "has a row without a timestamp and a number",
                                "export ISO 8601 timestamps and per-minute sums") from None
            stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
            utc = stamp.astimezone(dt.timezone.utc)
            minute = utc.weekday() * 1440 + utc.hour * 60 + utc.minute
            sums[minute] += value
            counts[minute] += 1
            stamps.append(utc)
        weeks = max(1, round((max(stamps) - min(stamps)).total_seconds() / 604800)) if stamps else 0
        # Zero-traffic minutes have no row: a week's export may end early on its last day.
        if not stamps or max(stamps) - min(stamps) < dt.timedelta(days=6):
            raise self.fail(f"{where}.csv", entry["csv"], "covers less than a week", "export at least 7 days, 1-minute period")
        values = [s / weeks for s in sums]  # missing minutes count as 0
        mean = sum(values) / len(values)
        if mean <= 0:
            raise self.fail(f"{where}.csv", entry["csv"], "holds no consumption", "export a week with traffic")
        return tuple(v / mean for v in values)
