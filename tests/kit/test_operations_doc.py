"""The operations page's alarm table against the code: every AlarmThresholds
field with its default, and each alarm name, threshold and number of periods
against what ``Alarms`` synthesizes."""

from __future__ import annotations

import dataclasses
import json
import re

import cdktf

from dynamodb_kit import (
    Alarms,
    AlarmsProps,
    AlarmThresholds,
    Attribute,
    Billing,
    GlobalSecondaryIndex,
    Replica,
    Table,
    TableProps,
    add_aws_provider,
)
from dynamodb_kit.monitoring.props import PERIOD_SECONDS

from helpers import REPO, resources

PAGE = REPO / "constructs" / "docs" / "operations.md"
NAMES = {"<table>": "Movies", "<index>": "ByYear", "<region>": "us-west-2",
         "<prefix>": "prod", "<vault>": "prod-dynamodb"}


def alarm_rows() -> list[dict]:
    """The rows of the table under '## The alarms'."""
    section = PAGE.read_text().split("## The alarms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    parsed = []
    for row in rows:
        alarm, _metric, threshold, fires = [c.strip() for c in row.strip("|").split(" | ")]
        match = re.fullmatch(r"(?:`(\w+)`|fixed) = (\d+)", threshold)
        assert match, threshold
        names = [n for n in re.findall(r"`([^`]+)`", alarm) if "..." not in n]
        for placeholder, value in NAMES.items():
            names = [n.replace(placeholder, value) for n in names]
        periods = re.search(r"(?:for|in) (\d+) periods?", fires)
        parsed.append({"names": names, "field": match.group(1), "default": int(match.group(2)),
                       "periods": int(periods.group(1)), "text": row})
    return parsed


def synthesized_alarms() -> dict[str, dict]:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "ops")
    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Movies", TableProps(
        table_name="Movies", partition_key=Attribute("pk"),
        billing=Billing.on_demand(max_read=100, max_write=40),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByYear", partition_key=Attribute("year")),),
        replicas=(Replica(region="us-west-2"),),
    ))
    Alarms(stack, "Alarms", AlarmsProps(name_prefix="prod", tables=(table,),
                                        backup_vault_names=("prod-dynamodb",)))
    synthesized = json.loads(cdktf.Testing.synth(stack))
    return {a["alarm_name"]: a for a in resources(synthesized, "aws_cloudwatch_metric_alarm").values()}


def test_the_page_gives_every_threshold_with_its_default():
    defaults = dataclasses.asdict(AlarmThresholds())
    rows = alarm_rows()
    assert {r["field"] for r in rows if r["field"]} == set(defaults)
    for row in rows:
        if row["field"]:
            assert row["default"] == defaults[row["field"]], row["text"]
    assert f"`PERIOD_SECONDS = {PERIOD_SECONDS}`" in PAGE.read_text()


def test_the_pages_alarms_are_the_synthesized_ones_with_their_thresholds_and_periods():
    alarms = synthesized_alarms()
    rows = alarm_rows()
    assert sorted(n for r in rows for n in r["names"]) == sorted(alarms)
    for row in rows:
        for name in row["names"]:
            alarm = alarms[name]
            # ReplicationLatency is in milliseconds; the threshold field in seconds.
            scale = 1000 if row["field"] == "replication_latency_seconds" else 1
            assert alarm["threshold"] == row["default"] * scale, name
            assert alarm["evaluation_periods"] == row["periods"], name
            assert alarm["treat_missing_data"] == "notBreaching"
