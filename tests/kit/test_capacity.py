"""Capacity values: each rule's exact message, the synthesized autoscaling
resources, what the table ignores, and the plan guard's index check."""

from __future__ import annotations

import json

import pytest
from cdktf import App, TerraformStack

from dynamodb_kit import (
    Attribute,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    ScheduledCapacity,
    Table,
    TableProps,
    ValidationError,
)
from dynamodb_kit.core.plan_markers import APPLY_INDEX_CHANGES_ENV, DECLARED_INDEXES_KEY
from dynamodb_kit_tools.plan_guard import billing_switch_notes, hidden_index_changes

FIX = ("use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), rate(N minutes|hours|days) "
       "or at(2026-12-24T18:00:00)")
NIGHT = dict(name="night", schedule="cron(0 20 * * ? *)")

RULES = {
    "target below 20": (
        lambda: Capacity.autoscaled(min=1, max=10, target_utilization=19),
        "AutoscaledCapacity: target_utilization=19 is outside 20-90 percent (Application Auto Scaling's "
        "range for DynamoDB); choose a target such as 70",
    ),
    "target above 90": (
        lambda: Capacity.autoscaled(min=1, max=10, target_utilization=91),
        "AutoscaledCapacity: target_utilization=91 is outside 20-90 percent (Application Auto Scaling's "
        "range for DynamoDB); choose a target such as 70",
    ),
    "min 0": (
        lambda: Capacity.autoscaled(min=0, max=10),
        "AutoscaledCapacity: min=0 is outside 1-40,000 capacity units; choose a whole number in that range "
        "(ask AWS Service Quotas to raise the per-table quota for more)",
    ),
    "max above the quota": (
        lambda: Capacity.autoscaled(min=1, max=40_001),
        "AutoscaledCapacity: max=40001 is outside 1-40,000 capacity units; choose a whole number in that "
        "range (ask AWS Service Quotas to raise the per-table quota for more)",
    ),
    "min above max": (
        lambda: Capacity.autoscaled(min=20, max=10),
        "AutoscaledCapacity: min=20 is above max (10); give 1 <= min <= max",
    ),
    "negative cooldown": (
        lambda: Capacity.autoscaled(min=1, max=10, scale_in_cooldown=-1),
        "AutoscaledCapacity: scale_in_cooldown=-1 is negative; give seconds, 0 or more",
    ),
    "duplicate schedule names": (
        lambda: Capacity.autoscaled(min=1, max=10, schedules=(
            ScheduledCapacity(**NIGHT, min=2), ScheduledCapacity(**NIGHT, max=5))),
        "AutoscaledCapacity: schedules[1].name='night' is already used by another schedule; "
        "give every schedule of a capacity its own name",
    ),
    "schedule min above the capacity's max": (
        lambda: Capacity.autoscaled(min=200, max=1000, schedules=ScheduledCapacity.business_day("Europe/Berlin")),
        "AutoscaledCapacity: schedules[0].min=1500 is above the max in force then (1000): a schedule's "
        "bounds replace the capacity's, and the bound it leaves out stays; raise the capacity's max, "
        "or give the schedule a max too",
    ),
    "schedule name with a space": (
        lambda: ScheduledCapacity(name="day start", schedule="cron(0 8 * * ? *)", min=5),
        "ScheduledCapacity: name='day start' must be 1-200 characters of letters, digits, '_', '-' and '.'; "
        "choose such a name",
    ),
    "cron day name": (
        lambda: ScheduledCapacity(name="d", schedule="cron(0 8 ? * MONDAY *)", min=5),
        f"ScheduledCapacity: schedule='cron(0 8 ? * MONDAY *)' has 'MONDAY' in the day-of-week field, "
        f"which takes SUN-SAT or 1-7; {FIX}",
    ),
    "unix cron": (
        lambda: ScheduledCapacity(name="d", schedule="0 8 * * *", min=5),
        f"ScheduledCapacity: schedule='0 8 * * *' is not an AWS cron expression; {FIX}",
    ),
    "rate 0": (
        lambda: ScheduledCapacity(name="d", schedule="rate(0 days)", min=5),
        f"ScheduledCapacity: schedule='rate(0 days)' has a rate below 1; {FIX}",
    ),
    "at an impossible date": (
        lambda: ScheduledCapacity(name="d", schedule="at(2026-02-30T18:00:00)", min=5),
        "ScheduledCapacity: schedule='at(2026-02-30T18:00:00)' is not a real instant (day is out of range "
        f"for month); {FIX}",
    ),
    "time zone": (
        lambda: ScheduledCapacity(name="d", schedule="cron(0 8 * * ? *)", timezone="CET+1", min=5),
        "ScheduledCapacity: timezone='CET+1' is not an IANA time zone; use a name such as Etc/UTC or "
        "Europe/Berlin",
    ),
    "no bound": (
        lambda: ScheduledCapacity(name="d", schedule="cron(0 8 * * ? *)"),
        "ScheduledCapacity: min=None and max are both unset: the schedule changes nothing; "
        "give the new min, max or both",
    ),
    "schedule min above its max": (
        lambda: ScheduledCapacity(name="d", schedule="cron(0 8 * * ? *)", min=9, max=5),
        "ScheduledCapacity: min=9 is above max (5); give min <= max",
    ),
    "end before start": (
        lambda: ScheduledCapacity(name="d", schedule="rate(1 hour)", min=5, start="2026-12-02T00:00:00Z",
                                  end="2026-12-01T00:00:00Z"),
        "ScheduledCapacity: end='2026-12-01T00:00:00Z' is not after start (2026-12-02T00:00:00Z); "
        "give an end after the start",
    ),
    "start not RFC 3339": (
        lambda: ScheduledCapacity(name="d", schedule="rate(1 hour)", min=5, start="tomorrow"),
        "ScheduledCapacity: start='tomorrow' is not an RFC 3339 UTC timestamp; write a real UTC instant "
        "such as 2026-11-27T03:00:00Z",
    ),
    "autoscaled on demand is impossible by type": (
        lambda: Billing.on_demand(max_read=Capacity.autoscaled(min=1, max=10)),
        "Billing: max_read=AutoscaledCapacity(min=1, max=10, target_utilization=70, scale_in_cooldown=None, "
        "scale_out_cooldown=None, disable_scale_in=False, schedules=()) must be a whole number (int), not "
        "AutoscaledCapacity; give a whole number, not a string or a bool",
    ),
}


@pytest.mark.parametrize("build, message", RULES.values(), ids=RULES.keys())
def test_capacity_rule_message(build, message):
    with pytest.raises(ValidationError) as raised:
        build()
    assert str(raised.value) == message


def test_the_business_day_preset():
    start, end = ScheduledCapacity.business_day("Europe/Berlin")
    assert (start.schedule, start.min, start.timezone) == ("cron(0 8 ? * MON-FRI *)", 1500, "Europe/Berlin")
    assert (end.schedule, end.min) == ("cron(0 20 ? * MON-FRI *)", 200)


def synth(props: TableProps, tmp_path) -> dict:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "cap")
    Table(stack, "T", props)
    app.synth()
    return json.loads((tmp_path / "stacks" / "cap" / "cdk.tf.json").read_text())["resource"]


def props(read, write, gsi_billing=None) -> TableProps:
    return TableProps(table_name="Orders", partition_key=Attribute("pk"),
                      global_secondary_indexes=(GlobalSecondaryIndex(name="ByX", partition_key=Attribute("x"),
                                                                     billing=gsi_billing),),
                      billing=Billing.provisioned(read=read, write=write))


def test_table_and_index_dimensions_get_target_policy_and_schedules(tmp_path, monkeypatch):
    monkeypatch.delenv(APPLY_INDEX_CHANGES_ENV, raising=False)
    read = Capacity.autoscaled(min=5, max=2000, target_utilization=60, scale_in_cooldown=120,
                               scale_out_cooldown=30, schedules=ScheduledCapacity.business_day("Europe/Berlin"))
    write = Capacity.autoscaled(min=2, max=20, disable_scale_in=True)
    res = synth(props(read, write), tmp_path)
    targets = sorted((t["resource_id"].split("}")[-1], t["scalable_dimension"], t["min_capacity"], t["max_capacity"],
                      "lifecycle" in t) for t in res["aws_appautoscaling_target"].values())
    assert targets == [
        ("", "dynamodb:table:ReadCapacityUnits", 5, 2000, True),
        ("", "dynamodb:table:WriteCapacityUnits", 2, 20, False),
        ("/index/ByX", "dynamodb:index:ReadCapacityUnits", 5, 2000, True),
        ("/index/ByX", "dynamodb:index:WriteCapacityUnits", 2, 20, False),
    ]
    assert all("role_arn" not in t for t in res["aws_appautoscaling_target"].values())  # service-linked role
    policies = {p["name"]: p["target_tracking_scaling_policy_configuration"]
                for p in res["aws_appautoscaling_policy"].values()}
    assert policies["Orders-read-target-tracking"] == {
        "predefined_metric_specification": {"predefined_metric_type": "DynamoDBReadCapacityUtilization"},
        "target_value": 60, "scale_in_cooldown": 120, "scale_out_cooldown": 30}
    assert policies["Orders-ByX-write-target-tracking"] == {
        "predefined_metric_specification": {"predefined_metric_type": "DynamoDBWriteCapacityUtilization"},
        "target_value": 70, "disable_scale_in": True}
    schedules = sorted((s["name"], s["schedule"], s["timezone"], s["scalable_target_action"]["min_capacity"])
                       for s in res["aws_appautoscaling_scheduled_action"].values())
    assert schedules[0] == ("Orders-ByX-read-business-day-end", "cron(0 20 ? * MON-FRI *)", "Europe/Berlin", "200")
    assert len(schedules) == 4
    table = next(iter(res["aws_dynamodb_table"].values()))
    assert table["lifecycle"]["ignore_changes"][4:] == [
        "read_capacity", "write_capacity", "global_secondary_index", "attribute"]
    assert (table["read_capacity"], table["global_secondary_index"][0]["read_capacity"]) == (5, 5)
    assert table["//"][DECLARED_INDEXES_KEY] == [
        {"name": "ByX", "hash_key": "x", "range_key": "", "projection_type": "ALL", "non_key_attributes": []}]


def test_fixed_capacity_ignores_nothing_and_the_opt_in_watches_the_indexes(tmp_path, monkeypatch):
    fixed = synth(props(Capacity.fixed(5), Capacity.fixed(5)), tmp_path / "fixed")
    table = next(iter(fixed["aws_dynamodb_table"].values()))
    assert table["lifecycle"]["ignore_changes"][4:] == [] and "aws_appautoscaling_target" not in fixed
    # Only the GSI autoscaled: the table's own capacity stays watched.
    gsi_only = props(Capacity.fixed(5), Capacity.fixed(5), Billing.provisioned(
        read=Capacity.autoscaled(min=1, max=9), write=Capacity.fixed(3)))
    ignored = next(iter(synth(gsi_only, tmp_path / "gsi")["aws_dynamodb_table"].values()))["lifecycle"]
    assert ignored["ignore_changes"][4:] == ["global_secondary_index", "attribute"]
    monkeypatch.setenv(APPLY_INDEX_CHANGES_ENV, "1")
    opted = next(iter(synth(gsi_only, tmp_path / "opt")["aws_dynamodb_table"].values()))
    assert opted["lifecycle"]["ignore_changes"][4:] == [] and DECLARED_INDEXES_KEY not in opted["//"]


def plan_with(before_indexes, address="aws_dynamodb_table.T_1", before=None, after=None) -> dict:
    return {"resource_changes": [{
        "address": address, "type": "aws_dynamodb_table",
        "change": {"actions": ["update"] if after else ["no-op"],
                   "before": before or {"global_secondary_index": before_indexes, "billing_mode": "PROVISIONED"},
                   "after": after or before or {}},
    }]}


STACK = {"resource": {"aws_dynamodb_table": {"T_1": {"//": {DECLARED_INDEXES_KEY: [
    {"name": "ByX", "hash_key": "x", "range_key": "", "projection_type": "ALL", "non_key_attributes": []},
    {"name": "ByNew", "hash_key": "n", "range_key": "", "projection_type": "KEYS_ONLY", "non_key_attributes": []},
]}}}}}


def test_the_guard_reports_every_hidden_index_change():
    deployed = [
        {"name": "ByX", "hash_key": "x", "range_key": "", "projection_type": "KEYS_ONLY", "non_key_attributes": [],
         "read_capacity": 42},
        {"name": "ByOld", "hash_key": "o", "range_key": "", "projection_type": "ALL", "non_key_attributes": []},
    ]
    assert hidden_index_changes(plan_with(deployed), STACK) == [
        "aws_dynamodb_table.T_1: GSI ByNew is declared but not deployed",
        "aws_dynamodb_table.T_1: GSI ByOld is deployed but no longer declared",
        "aws_dynamodb_table.T_1: GSI ByX is declared ('ByX', 'x', '', 'ALL', ()), deployed "
        "('ByX', 'x', '', 'KEYS_ONLY', ())",
    ]


def test_capacities_alone_are_no_index_change():
    deployed = [dict(i, read_capacity=99, write_capacity=7)
                for i in STACK["resource"]["aws_dynamodb_table"]["T_1"]["//"][DECLARED_INDEXES_KEY]]
    assert hidden_index_changes(plan_with(deployed), STACK) == []


def test_a_switch_to_on_demand_is_noted():
    plan = plan_with([], before={"billing_mode": "PROVISIONED"}, after={"billing_mode": "PAY_PER_REQUEST"})
    assert billing_switch_notes(plan) == [
        "note: aws_dynamodb_table.T_1 switches to on-demand; DynamoDB allows that 4 times per table per "
        "rolling 24 hours"]
    assert billing_switch_notes(plan_with([], before={"billing_mode": "PAY_PER_REQUEST"},
                                          after={"billing_mode": "PROVISIONED"})) == []


def test_warm_throughput_rules_and_the_provider_it_needs(tmp_path):
    from dynamodb_kit import WarmThroughput, add_aws_provider

    with pytest.raises(ValidationError) as raised:
        WarmThroughput()
    assert str(raised.value) == (
        "WarmThroughput: read_units_per_second=None and write_units_per_second are both unset: nothing to "
        "warm; give the reads and/or writes per second the launch needs")
    with pytest.raises(ValidationError) as raised:
        WarmThroughput(write_units_per_second=0)
    assert str(raised.value) == ("WarmThroughput: write_units_per_second=0 must be at least 1; "
                                 "give units per second, 1 or more")
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "warm")
    add_aws_provider(stack, region="us-east-1")
    Table(stack, "T", TableProps(table_name="Launch", partition_key=Attribute("pk"),
                                 warm_throughput=WarmThroughput(read_units_per_second=15000,
                                                                write_units_per_second=5000)))
    app.synth()
    synthesized = json.loads((tmp_path / "stacks" / "warm" / "cdk.tf.json").read_text())
    table = next(iter(synthesized["resource"]["aws_dynamodb_table"].values()))
    assert table["warm_throughput"] == {"read_units_per_second": 15000, "write_units_per_second": 5000}
    # The argument exists from provider 6.13.0: the stack admits no older provider.
    assert synthesized["terraform"]["required_providers"]["aws"]["version"] == ">= 6.13.0, < 7.0.0"


def test_a_time_zone_is_valid_exactly_when_the_tz_database_lists_it():
    """Every listed zone, and nothing else: not the database's other files and
    directories, paths, a wrong case (which a case-insensitive file system
    would load), near-misses or a value that is not a string."""
    import zoneinfo

    from dynamodb_kit.core.cron import is_timezone

    listed = zoneinfo.available_timezones()
    assert len(listed) > 300 and all(is_timezone(name) for name in listed)
    not_zones = ("posixrules", "right/UTC", "posix/Europe/Berlin", "Europe", "Europe/", "zone.tab", "tzdata.zi",
                 "../zoneinfo/UTC", "/usr/share/zoneinfo/UTC", "./UTC", "Europe//Berlin", "europe/berlin",
                 "Europe/Berln", "CET+1", "", " UTC", None, 5, b"UTC", ["UTC"])
    assert [name for name in not_zones if is_timezone(name)] == []
