"""Workload profiles: every mistake is a ValidationError with its exact
message; what a valid profile derives (units per call, per minute, storage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from dynamodb_kit.core.errors import ValidationError
from dynamodb_kit_tools.cost import units
from dynamodb_kit_tools.cost.profile import load
from dynamodb_kit_tools.cost.workload import Dimension, derive
from helpers import REPO

EXAMPLES = REPO / "constructs" / "dynamodb_kit_tools" / "cost" / "examples"
HOURS_OF_ONES = "[" + ", ".join(["1"] * 24) + "]"
BASE = '''name = "t"
[table]
partition_key = "PK"
sort_key = "SK"
[[indexes]]
name = "ByStatus"
type = "GSI"
partition_key = "Status"
[items.order]
sample = { PK = "a", SK = "b", Status = "NEW" }
[[patterns]]
name = "get"
operation = "GetItem"
item = "order"
rate = 10
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.profile.toml"
    path.write_text(text)
    return path


BAD = [
    ('name = "t"\n[table]\npartition_key = "PK"\n[items.order]\nsample = { PK = "a" }\n',
     "patterns=None is required; give patterns (see the pricing page, 'Write a profile')"),
    ("rate_limit = 5\n" + BASE,
     "rate_limit=5 is not a field here; use one of: about, backups, indexes, items, name, noise, patterns, "
     "region, shapes, storage, streams, table, timezone, traffic, week_of"),
    (BASE + "rates = 5\n",
     "patterns[0].rates=5 is not a field here; use one of: consistency, evaluated_items, fails, index, item, "
     "items_per_call, name, operation, rate, remove, replaces, set, shape, transactional"),
    (BASE + '[[patterns]]\nname = "q"\noperation = "Query"\nitem = "order"\nindex = "ByStatus"\n'
            'consistency = "strong"\nrate = 1\n',
     "patterns[1].consistency='strong' is not possible on global secondary index ByStatus; "
     "use 'eventual' (a GSI is eventually consistent)"),
    (BASE.replace('item = "order"\nrate = 10', 'item = "ordr"\nrate = 10'),
     "patterns[0].item='ordr' is not an item type of the profile; use one of: order"),
    (BASE.replace('operation = "GetItem"', 'operation = "GetItems"'),
     "patterns[0].operation='GetItems' is not a known value; use one of: GetItem, BatchGetItem, TransactGetItems, "
     "Query, Scan, PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems"),
    (BASE + "[shapes.day]\nhourly = [" + ", ".join(["1"] * 23) + "]\n",
     "shapes.day.hourly=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] has 23 values, "
     "not 24; give one multiplier per hour, 00:00 first"),
    (BASE + '[[patterns]]\nname = "s"\noperation = "Scan"\nitem = "order"\nrate = 1\n',
     "patterns[1].evaluated_items=None is required for Scan: it pays for every item it reads; "
     "give the number of items one Scan call reads"),
    (BASE + '[[patterns]]\nname = "p"\noperation = "PutItem"\nitem = "order"\nconsistency = "strong"\nrate = 1\n',
     "patterns[1].consistency='strong' is not used by PutItem; remove it (or use an operation that takes consistency)"),
    (BASE + '[[patterns]]\nname = "u"\noperation = "UpdateItem"\nitem = "order"\nrate = 1\n',
     "patterns[1].set=None and remove are both empty: the update changes nothing; "
     'give set = { Attribute = "new value" } or remove = ["Attribute"]'),
    ('timezone = ["Etc/UTC"]\n' + BASE,
     "timezone=['Etc/UTC'] is not an IANA time zone; use a name such as Europe/Berlin"),
    ('timezone = "europe/berlin"\n' + BASE,
     "timezone='europe/berlin' is not an IANA time zone; use a name such as Europe/Berlin"),
    ('region = "mars-north-1"\n' + BASE,
     "region='mars-north-1' has no price snapshot; use one of: ap-northeast-1, eu-central-1, eu-west-1, "
     "us-east-1, us-east-2, us-west-2, or rebuild one from the AWS Price List"),
    (BASE + "oops\n",
     "(file)='x.profile.toml' is not valid TOML: Expected '=' after a key in a key/value pair "
     "(at line 16, column 5); fix the file at that line"),
    (BASE.replace('sort_key = "SK"\n', "", 1).replace('SK = "b", ', "")
     + '[[indexes]]\nname = "ByDate"\ntype = "LSI"\nsort_key = "Date"\n',
     "table.sort_key=None is required by LSI ByDate: an LSI only exists on a table with a sort key; "
     "give the table a sort key, or make the index a GSI"),
    (BASE.replace('partition_key = "Status"\n', 'partition_key = "Status"\ninclude = ["Total"]\n'),
     "indexes[0].include=['Total'] goes with projection INCLUDE, and only with it; "
     'give projection = "INCLUDE" with include = [...], or neither'),
    (BASE + f"[shapes.day]\nhourly = {HOURS_OF_ONES}\n[[shapes.day.bursts]]\n"
            'at = "25:00"\nminutes = 5\nmultiplier = 3\n',
     "shapes.day.bursts[0].at='25:00' is not a time of day HH:MM; write at = \"10:30\""),
    ('week_of = "2026-01-06"\n' + BASE,
     "week_of='2026-01-06' is not a Monday (YYYY-MM-DD); give the Monday of the week to simulate, e.g. 2026-01-05"),
    (BASE.replace('SK = "b", ', ""),
     "items.order.sample=['PK', 'Status'] lacks the table key SK; add SK to the sample item"),
    (BASE + f"[shapes.a]\nhourly = {HOURS_OF_ONES}\n[shapes.b]\nhourly = {HOURS_OF_ONES}\n",
     "patterns[0].shape=None is required when the profile has several shapes; use one of: a, b"),
    (BASE.replace("rate = 10", "rate = -1"),
     "patterns[0].rate=-1 is not a number of 0 or more; give calls per second at multiplier 1, e.g. rate = 20"),
    (BASE + '[[patterns]]\nname = "p"\noperation = "PutItem"\nitem = "order"\nfails = 2\nrate = 1\n',
     "patterns[1].fails=2 is not a number of 0-1; give the share of calls whose condition fails, e.g. fails = 0.05"),
    (BASE + '[shapes.day]\ncsv = "missing.csv"\n',
     "shapes.day.csv='missing.csv' is not a file next to the profile; give the export's path relative to the "
     "profile file"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m.split("=")[0] for _, m in BAD])
def test_a_wrong_profile_fails_with_the_exact_message(tmp_path, text, message):
    with pytest.raises(ValidationError) as error:
        load(write(tmp_path, text))
    assert str(error.value) == f"x.profile.toml: {message}"


def test_the_example_profiles_load():
    names = sorted(p.name for p in EXAMPLES.glob("*.profile.toml"))
    assert names == ["business-day.profile.toml", "diurnal.profile.toml", "flat.profile.toml",
                     "nightly-import.profile.toml", "read-heavy.profile.toml", "spiky.profile.toml",
                     "unknown.profile.toml", "weekly.profile.toml"]
    for path in EXAMPLES.glob("*.profile.toml"):
        assert load(path).file == path.name


def test_units_per_call_follow_the_unit_rules(tmp_path):
    profile = load(EXAMPLES / "weekly.profile.toml")
    workload = derive(profile)
    task = profile.items["task"].sample
    size = units.item_size(task)
    keys_only = {k: task[k] for k in ("TeamId", "TaskId", "Assignee", "Due")}
    assert workload.per_call["a team's board"] == {Dimension("read"): units.query_units([size] * 40, units.Consistency.EVENTUAL)}
    assert workload.per_call["my tasks"] == {
        Dimension("read", "ByAssignee"): units.query_units([units.item_size(keys_only)] * 15, units.Consistency.EVENTUAL)}
    # a reassignment: the item rewritten, its KEYS_ONLY entry moved (delete + put)
    assert workload.per_call["reassign a task"] == {Dimension("write"): 1, Dimension("write", "ByAssignee"): 2}


def test_updates_of_unprojected_attributes_and_failed_conditions_spare_the_index(tmp_path):
    text = BASE.replace('name = "ByStatus"\n', 'name = "ByStatus"\nprojection = "KEYS_ONLY"\n') + (
        '[[patterns]]\nname = "note"\noperation = "UpdateItem"\nitem = "order"\nset = { Note = "x" }\nrate = 1\n'
        '[[patterns]]\nname = "add"\noperation = "PutItem"\nitem = "order"\nfails = 0.25\nrate = 1\n')
    workload = derive(load(write(tmp_path, text)))
    assert workload.per_call["note"] == {Dimension("write"): 1, Dimension("write", "ByStatus"): 0}
    assert workload.per_call["add"] == {Dimension("write"): 1, Dimension("write", "ByStatus"): 0.75}


def test_demand_is_rate_times_shape_in_the_profiles_time_zone(tmp_path):
    hourly = ", ".join("1" if 8 <= h < 20 else "0.1" for h in range(24))
    text = ('timezone = "Europe/Berlin"\nnoise = 0\n' + BASE.replace("rate = 10", "rate = 100")
            + f"[shapes.office]\nhourly = [{hourly}]\n")
    workload = derive(load(write(tmp_path, text)))
    reads = workload.demand[workload.row(Dimension("read"))]
    # Monday 08:00 in Berlin (winter) is 07:00 UTC: minute 420 of the UTC week
    assert reads[419] == pytest.approx(5.0) and reads[420] == pytest.approx(50.0)  # 100 x 0.5 unit (eventual)
    assert reads[19 * 60 - 1] == pytest.approx(50.0) and reads[19 * 60] == pytest.approx(5.0)


def test_bursts_multiply_the_shape(tmp_path):
    text = ("noise = 0\n" + BASE + f"[shapes.day]\nhourly = {HOURS_OF_ONES}\n[[shapes.day.bursts]]\n"
            'at = "10:00"\nminutes = 5\nmultiplier = 20\nevery_minutes = 120\ndays = "SAT,SUN"\n')
    reads = derive(load(write(tmp_path, text))).demand[0]
    saturday = 5 * 1440
    assert reads[saturday + 600] == pytest.approx(100.0) and reads[saturday + 605] == pytest.approx(5.0)
    assert reads[saturday + 720] == pytest.approx(100.0)  # every two hours from 10:00
    assert reads[600] == pytest.approx(5.0)  # not on Monday


def test_a_cloudwatch_export_gives_the_shape(tmp_path):
    start = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    rows = ["Timestamp,ConsumedReadCapacityUnits"]
    for m in range(7 * 1440):
        if m % 1440 < 720:  # busy mornings; quiet afternoons are left out as CloudWatch does
            rows.append(f"{(start + dt.timedelta(minutes=m)).isoformat()},{60 * 30}")
    (tmp_path / "reads.csv").write_text("\n".join(rows) + "\n")
    text = "noise = 0\n" + BASE + '[shapes.measured]\ncsv = "reads.csv"\n'
    reads = derive(load(write(tmp_path, text))).demand[0]
    assert reads.mean() == pytest.approx(5.0)  # the rate is the mean: 10 calls/s x 0.5 unit
    assert reads[0] == pytest.approx(10.0) and reads[720] == 0


def test_storage_counts_items_index_entries_and_their_overhead(tmp_path):
    text = BASE.replace("[items.order]\n", "[items.order]\ncount = 1000\n") + (
        '[items.draft]\ncount = 500\nsample = { PK = "c", SK = "d" }\n')
    workload = derive(load(write(tmp_path, text)))
    order = {"PK": "a", "SK": "b", "Status": "NEW"}
    expected_table = 1000 * (units.item_size(order) + 100) + 500 * (units.item_size({"PK": "c", "SK": "d"}) + 100)
    assert workload.storage.table_gb * 1024**3 == pytest.approx(expected_table)
    # drafts have no Status: the sparse index stores orders only
    assert workload.storage.index_gb["ByStatus"] * 1024**3 == pytest.approx(1000 * (units.item_size(order) + 100))


def test_noise_is_the_same_every_run():
    first = derive(load(EXAMPLES / "flat.profile.toml")).demand
    assert np.array_equal(first, derive(load(EXAMPLES / "flat.profile.toml")).demand)
    assert first.std() > 0
