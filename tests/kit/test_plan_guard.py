"""Plan guard decisions (the e2e test runs it on a real terraform plan)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cdktf
import pytest

from dynamodb_kit import Attribute, Table, TableProps, ValidationError, add_aws_provider
from dynamodb_kit.core.destruction_approval import approve_destruction
from dynamodb_kit_tools.plan_guard import approvals_from_stack, check_plan, main

from helpers import REPO


def deletion(address: str, kind: str = "aws_dynamodb_table") -> dict:
    return {
        "address": address,
        "type": kind,
        "action_reason": "delete_because_no_resource_config",
        "change": {"actions": ["delete"], "before": {"name": "x"}, "after": None},
    }


PLAN = {
    "resource_changes": [
        deletion("aws_dynamodb_table.Old_1"),
        deletion("aws_kms_key.Key_1", "aws_kms_key"),
        deletion("aws_iam_role.Role_1", "aws_iam_role"),  # not stateful: ignored
        {"address": "aws_dynamodb_table.Kept_1", "type": "aws_dynamodb_table",
         "change": {"actions": ["update"], "before": {}, "after": {}}},
    ]
}


def test_deletions_of_stateful_resources_are_found_and_blocked():
    findings = check_plan(PLAN, approvals={})
    assert [(f.address, f.blocked) for f in findings] == [
        ("aws_dynamodb_table.Old_1", True), ("aws_kms_key.Key_1", True),
    ]
    assert "it is no longer declared in the code" in findings[0].explain()


def test_removed_resource_is_approved_on_the_command_line(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN))
    assert main([str(plan), "--approve", "aws_dynamodb_table.Old_1=dba: table retired"]) == 1
    assert main([
        str(plan),
        "--approve", "aws_dynamodb_table.Old_1=dba: table retired",
        "--approve", "aws_kms_key.Key_1=sec: key rotated out, data re-encrypted",
    ]) == 0
    assert "approval: dba: table retired" in capsys.readouterr().out


def test_approval_in_code_lands_in_the_synthesized_stack(stack):
    add_aws_provider(stack, region="us-east-1")
    Table(stack, "T", TableProps(
        table_name="t-table", partition_key=Attribute("pk"), destruction_approved="me: testing",
    ))
    # Testing.synth drops "//" metadata; the full synth keeps it, as `cdktf synth` does.
    outdir = cdktf.Testing.full_synth(stack)
    stack_json = json.loads((Path(outdir) / "stacks" / "test" / "cdk.tf.json").read_text())
    approvals = approvals_from_stack(stack_json)
    assert list(approvals.items()) == [("aws_dynamodb_table.T_D925BC7E", "me: testing")]


def test_the_guard_runs_as_a_module(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN))
    result = subprocess.run(
        [sys.executable, "-m", "dynamodb_kit_tools.plan_guard", str(plan)],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "BLOCKED: DELETE aws_dynamodb_table.Old_1" in result.stdout
    assert "plan guard: 2 stateful resource(s) would be lost; not applying" in result.stdout
    assert "Warning" not in result.stderr  # e.g. runpy's "found in sys.modules"


REASON_TOO_SHORT = (
    "is too short to say who approved it and why; write who approved the destruction and "
    "why, e.g. 'J. Doe, CHG-123: rebuild keys'"
)


def test_an_approval_needs_a_reason(stack):
    table = Table(stack, "T", TableProps(table_name="t-table", partition_key=Attribute("pk")))
    with pytest.raises(ValidationError) as raised:
        approve_destruction(table.resource, "  ")
    assert str(raised.value) == f"test/T/Resource: destruction_approved='  ' {REASON_TOO_SHORT}"
    with pytest.raises(ValidationError) as raised:
        approve_destruction(table.resource, "me: ok")
    assert str(raised.value) == f"test/T/Resource: destruction_approved='me: ok' {REASON_TOO_SHORT}"


def test_a_table_approval_needs_a_reason():
    with pytest.raises(ValidationError) as raised:
        TableProps(table_name="t-table", partition_key=Attribute("pk"), destruction_approved="ok")
    assert str(raised.value) == f"TableProps: destruction_approved='ok' {REASON_TOO_SHORT}"
