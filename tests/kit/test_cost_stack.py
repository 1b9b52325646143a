"""Stack estimates: a synthesized stack's tables priced from what the kit
emits (billing, GSIs, class, autoscaling and its schedules) and a usage file."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cdktf import Testing

from dynamodb_kit import (
    Attribute,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    ScheduledCapacity,
    Table,
    TableClass,
    TableProps,
)
from dynamodb_kit.core.errors import ValidationError
from dynamodb_kit_tools.cost import prices
from dynamodb_kit_tools.cost.estimate import Month
from dynamodb_kit_tools.cost.stack_costs import estimate, floors, load_usage, read_tables, stack_text

USAGE = '''
[tables.Roles]
timezone = "Europe/Berlin"
noise = 0
[tables.Roles.items.role]
count = 1_000_000
sample = { Actor = "Tom Hanks", Movie = "Apollo 13", Role = "Jim Lovell" }
[[tables.Roles.patterns]]
name = "movies of an actor"
operation = "Query"
item = "role"
items_per_call = 30
rate = 1000
shape = "office"
[[tables.Roles.patterns]]
name = "add a role"
operation = "PutItem"
item = "role"
rate = 10
shape = "steady"
[tables.Roles.shapes.steady]
hourly = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
[tables.Roles.shapes.office]
weekday_hourly = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1]
weekend_hourly = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
[environments.test]
traffic = 0.5
'''


def roles_props(billing: Billing, table_class: TableClass = TableClass.STANDARD) -> TableProps:
    return TableProps(
        table_name="test-Roles", partition_key=Attribute("Actor"), sort_key=Attribute("Movie"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByMovie", partition_key=Attribute("Movie"),
                                                       sort_key=Attribute("Actor")),),
        billing=billing, table_class=table_class)


@pytest.fixture
def usage(tmp_path):
    path = tmp_path / "app.usage.toml"
    path.write_text(USAGE)
    return load_usage(path)


def synth(stack, props: TableProps) -> dict:
    Table(stack, "Roles", props)
    return json.loads(Testing.synth(stack))


def test_autoscaling_and_its_schedule_are_simulated(stack, usage):
    business_day = Capacity.autoscaled(min=100, max=4000, target_utilization=70,
                                       schedules=ScheduledCapacity.business_day("Europe/Berlin", day_min=600,
                                                                                night_min=100))
    stack_json = synth(stack, roles_props(Billing.provisioned(read=business_day, write=Capacity.fixed(10))))
    (spec,) = read_tables(stack_json)
    assert set(spec.targets) == {(None, "read"), ("ByMovie", "read")}  # the GSI follows the table
    floor = floors(spec.targets[(None, "read")], spec.actions[(None, "read")], usage_week(), [])
    assert floor[7 * 60 - 1] == 100 and floor[7 * 60] == 600  # 08:00 in Berlin is 07:00 UTC in January
    assert floor[19 * 60 - 1] == 600 and floor[19 * 60] == 100
    assert floor[5 * 1440 + 7 * 60] == 100  # not on Saturdays

    cost = estimate(stack_json, usage, "test", "cdk.tf.json")
    (table,) = cost.resources
    lines = {line.label: line for line in table.lines}
    reads = lines["table reads"]
    assert "target 70%, 100-4,000, at least 600 when scheduled" in reads.quantity
    held = float(reads.quantity.split(" unit-hours")[0].replace(",", ""))
    assert 100 * 730 < held < 4000 * 730
    assert reads.usd == pytest.approx(held * prices.load("us-east-1").capacity_unit_hour("read"))
    assert lines["table writes"].quantity.startswith("7,300 unit-hours (fixed 10)")
    assert {"GSI ByMovie reads", "GSI ByMovie writes", "storage", "PITR"} <= set(lines)
    assert "\n  total test  " in stack_text(cost)


def usage_week():
    import datetime as dt

    return dt.date(2026, 1, 5)


def test_on_demand_tables_pay_for_the_units_the_usage_asks_for(stack, usage):
    stack_json = synth(stack, roles_props(Billing.on_demand(), TableClass.STANDARD_INFREQUENT_ACCESS))
    (table,) = estimate(stack_json, usage, "test", "cdk.tf.json").resources
    assert table.title == "test-Roles, on-demand, STANDARD_INFREQUENT_ACCESS"
    writes = next(line for line in table.lines if line.label == "table writes")
    # 10 puts/s of a small item, half the traffic in "test", every second of 730 hours
    assert writes.quantity == f"{10 * 0.5 * 730 * 3600 / 1e6:,.2f} M request units"
    assert writes.usd == pytest.approx(10 * 0.5 * 730 * 3600 * prices.load("us-east-1").request_unit(
        "write", "STANDARD_INFREQUENT_ACCESS"))
    gsi_writes = next(line for line in table.lines if line.label == "GSI ByMovie writes")
    assert gsi_writes.usd == pytest.approx(writes.usd)  # every new role enters the inverted index


def test_a_usage_file_names_only_the_stacks_tables_and_what_the_stack_cannot_say(stack, tmp_path, usage):
    stack_json = synth(stack, roles_props(Billing.on_demand()))
    wrong = tmp_path / "wrong.usage.toml"
    wrong.write_text(USAGE.replace("[tables.Roles]", "[tables.Actors]").replace("tables.Roles.", "tables.Actors."))
    with pytest.raises(ValidationError) as error:
        estimate(stack_json, load_usage(wrong), "test", "cdk.tf.json")
    assert str(error.value) == "wrong.usage.toml: tables.Actors='Actors' is not a table of the stack; use one of: Roles"
    wrong.write_text(USAGE + '[[tables.Roles.indexes]]\nname = "ByRole"\n')
    with pytest.raises(ValidationError) as error:
        load_usage(wrong)
    assert str(error.value) == ("wrong.usage.toml: tables.Roles.indexes=[{'name': 'ByRole'}] is not a usage field "
                                "(the stack says it); use one of: items, noise, patterns, shapes, storage, streams, "
                                "timezone, traffic, week_of")
    wrong.write_text(USAGE.replace("rate = 10\n", "rate = -10\n"))
    with pytest.raises(ValidationError) as error:
        estimate(stack_json, load_usage(wrong), "test", "cdk.tf.json")
    assert str(error.value) == ("wrong.usage.toml: tables.Roles.patterns[1].rate=-10 is not a number of 0 or more; "
                                "give calls per second at multiplier 1, e.g. rate = 20")


def test_a_table_without_usage_is_listed_not_guessed(stack, tmp_path):
    stack_json = synth(stack, roles_props(Billing.on_demand()))
    empty = tmp_path / "empty.usage.toml"
    empty.write_text("")
    (table,) = estimate(stack_json, load_usage(empty), "test", "cdk.tf.json", Month()).resources
    assert table.lines == [] and table.notes == ["no usage for Roles in empty.usage.toml: not priced"]
    assert np.isclose(table.total, 0)


def test_copies_in_other_vaults_count_as_copies_held():
    from dynamodb_kit_tools.cost.stack_costs import _copies

    def stack_with(copy_action: list[dict]) -> dict:
        return {"resource": {
            "aws_backup_plan": {"P": {"rule": [{"schedule": "cron(0 3 * * ? *)", "lifecycle": {"delete_after": 35},
                                                "copy_action": copy_action}]}},
            "aws_backup_selection": {"S": {"plan_id": "${aws_backup_plan.P.id}",
                                           "resources": ["${aws_dynamodb_table.T.arn}"]}},
        }}

    assert _copies(stack_with([])) == {"aws_dynamodb_table.T": (35.0, 0.0)}
    dr = {"destination_vault_arn": "${aws_backup_vault.Dr.arn}", "lifecycle": {"delete_after": 200,
                                                                               "cold_storage_after": 10}}
    assert _copies(stack_with([dr])) == {"aws_dynamodb_table.T": (35.0 + 10, 190.0)}
