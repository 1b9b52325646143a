"""The provider bindings are the oracle of the kit's generic resources.

The kit emits its AWS resources through cdktf's generic classes
(``core/terraform.py``); with ``DYNAMODB_KIT_PROVIDER_BINDINGS=1`` the same
calls build the prebuilt bindings' classes (``cdktf_cdktf_provider_aws``).
Every construct, built both ways with every feature on, must synthesize to
identical JSON, and references flow both ways between kit constructs and
binding classes. (The app, both ways: the benchmark, tests/app/test_bench_command.py;
the kit's own path never loading the bindings: tests/app/test_no_bindings.py.)
"""

from __future__ import annotations

import json
import pytest
from cdktf import Testing, TerraformStack

from dynamodb_kit import (
    AccessPattern,
    Attribute,
    LambdaRole,
    LambdaRoleProps,
    Table,
    TableGrant,
    TableProps,
)
from dynamodb_kit.core.terraform import BINDINGS_ENV
from support.every_construct import every_construct


def synth(monkeypatch, bindings: bool) -> str:
    monkeypatch.setenv(BINDINGS_ENV, "1") if bindings else monkeypatch.delenv(BINDINGS_ENV, raising=False)
    stack = TerraformStack(Testing.app(), "oracle")
    every_construct(stack)
    return Testing.synth(stack)


@pytest.mark.slow
def test_every_construct_synthesizes_identically_through_the_bindings(monkeypatch):
    kit, bindings = synth(monkeypatch, False), synth(monkeypatch, True)
    resources = json.loads(kit)["resource"]
    assert len(resources) >= 12  # every resource type the kit emits is covered
    assert kit == bindings


@pytest.mark.slow
def test_references_flow_between_binding_classes_and_kit_constructs(stack):
    """A provider ``DynamodbTable`` granted through the kit, and a kit table's
    ARN used by a provider class."""
    from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable
    from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

    theirs = DynamodbTable(stack, "Theirs", name="theirs", hash_key="pk", billing_mode="PAY_PER_REQUEST",
                           attribute=[{"name": "pk", "type": "S"}])
    imported = Table.from_table_arn(stack, "TheirsRef", theirs.arn, partition_key="pk")
    ours = Table(stack, "Ours", TableProps(table_name="ours", partition_key=Attribute("pk")))
    LambdaRole(stack, "Role", LambdaRoleProps(function_name="fn", grants=(
        TableGrant(table=imported, patterns=(AccessPattern.GET_ITEM,)),)))
    SqsQueue(stack, "Queue", name="q", tags={"table": ours.table_arn})
    synthesized = json.loads(Testing.synth(stack))
    policy = json.loads(next(iter(synthesized["resource"]["aws_iam_role_policy"].values()))["policy"])
    assert policy["Statement"][1]["Resource"] == ["${aws_dynamodb_table.Theirs.arn}"]
    table_id = next(iter(k for k in synthesized["resource"]["aws_dynamodb_table"] if k.startswith("Ours")))
    assert synthesized["resource"]["aws_sqs_queue"]["Queue"]["tags"] == {
        "table": f"${{aws_dynamodb_table.{table_id}.arn}}"}
