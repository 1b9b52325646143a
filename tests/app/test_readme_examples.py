"""The README's "add a table", "add an environment" and "give a function access"
examples, run as written against the app, and the error message it quotes."""

from __future__ import annotations

import json
import re

import pytest
from cdktf import Testing, TerraformStack

import stacks.data_layer as data_layer
import stacks.data_stack as data_stack
from dynamodb_kit import Attribute, Table, TableShape, ValidationError
from helpers import REPO, resources
from stacks.app import build_app
from stacks.environments import ENVIRONMENTS, EnvironmentConfig

README = (REPO / "README.md").read_text()


def section_code(title: str) -> str:
    section = README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def synth(tmp_path, environments) -> dict[str, dict]:
    app, _ = build_app(outdir=str(tmp_path), environments=environments)
    app.synth()
    return {p.parent.name: json.loads(p.read_text()) for p in (tmp_path / "stacks").glob("*/cdk.tf.json")}


def test_add_a_table(tmp_path, monkeypatch):
    namespace = dict(vars(data_layer))
    exec(section_code("Add a table"), namespace)
    monkeypatch.setattr(data_stack, "TABLES", namespace["TABLES"])
    stack = synth(tmp_path, [ENVIRONMENTS["dev"]])["dev"]
    tables = {t["name"]: t for t in resources(stack, "aws_dynamodb_table").values()}
    events = tables["dev-Events"]
    assert (events["hash_key"], events["range_key"], events["ttl"]["attribute_name"]) == (
        "DeviceId", "Timestamp", "ExpiresAt")
    assert events["point_in_time_recovery"] == {"enabled": True, "recovery_period_in_days": 7}


def test_the_quoted_error_is_what_the_kit_says():
    quoted = re.search(r"e\.g\. `(prod/Events: .*?)`", README.replace("\n", " ")).group(1)
    shape = TableShape(table_name="Events", partition_key=Attribute("DeviceId"), sort_key=Attribute("DeviceId"))
    prod = TerraformStack(Testing.app(), "prod")
    with pytest.raises(ValidationError) as raised:
        Table(prod, "Events", shape.props(ENVIRONMENTS["prod"].table_settings(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")))
    assert str(raised.value) == quoted


def test_add_an_environment(tmp_path):
    config = eval("{" + section_code("Add an environment") + "}", dict(EnvironmentConfig=EnvironmentConfig))
    stacks = synth(tmp_path, [config["qa"]])
    assert stacks["qa"]["provider"]["aws"][0]["region"] == "eu-west-1"
    assert "qa-Orders" in {t["name"] for t in resources(stacks["qa"], "aws_dynamodb_table").values()}


def test_give_a_function_access(tmp_path, monkeypatch):
    import stacks.functions as functions

    extra = eval(section_code("Give a function access").rstrip().rstrip(","), vars(functions))
    monkeypatch.setattr(data_stack, "FUNCTIONS", (*functions.FUNCTIONS, extra))
    stack = synth(tmp_path, [ENVIRONMENTS["dev"]])["dev"]
    role = next(r for r in resources(stack, "aws_iam_role").values() if r["name"] == "dev-orders-report-role")
    assert role
    assert "OrdersReportRoleArn" in stack["output"]
    policy = next(json.loads(p["policy"]) for k, p in resources(stack, "aws_iam_role_policy").items()
                  if k.startswith("OrdersReportRole"))
    index = [s for s in policy["Statement"] if s["Resource"][0].endswith("/index/ByStatus")]
    assert [s["Action"] for s in index] == [["dynamodb:Query"]]
    assert index[0]["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"] == [
        "CustomerId", "OrderDate", "OrderId", "Status", "Total"]
