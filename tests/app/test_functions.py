"""stacks/functions.py through the real DataStack: wrong table ids and indexes, renames.

``DataStack`` reads ``FUNCTIONS`` from its module, so these tests hand it
other declarations with ``monkeypatch.setattr`` (real ``FunctionAccess``
objects, real synth: only the input changes).
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from cdktf import Testing

from dynamodb_kit import ValidationError
from stacks import data_stack
from stacks.data_layer import TABLES
from stacks.data_stack import DataStack
from stacks.environments import ENVIRONMENTS
from stacks.functions import FUNCTIONS, FunctionAccess

from helpers import resources

ENV = "prod"


def with_first_function(monkeypatch: pytest.MonkeyPatch, first: FunctionAccess) -> None:
    monkeypatch.setattr(data_stack, "FUNCTIONS", (first, *FUNCTIONS[1:]))


def build(env: str = ENV) -> DataStack:
    return DataStack(Testing.app(), ENVIRONMENTS[env])


def test_an_unknown_table_id_lists_the_valid_ones(monkeypatch):
    function = FUNCTIONS[0]
    wrong = dataclasses.replace(function.access[0], table="Movies")
    with_first_function(monkeypatch, dataclasses.replace(function, access=(wrong,)))
    assert "Movies" not in TABLES
    with pytest.raises(ValidationError) as raised:
        build()
    assert str(raised.value) == (
        f"{ENV}: FUNCTIONS[{function.construct_id}].access[0].table='Movies' is not a table id "
        f"({', '.join(TABLES)}); use one of the ids of data_layer.TABLES"
    )


def test_an_unknown_index_lists_the_valid_ones(monkeypatch):
    # The first function's first table, with an index that table does not have.
    function = FUNCTIONS[0]
    access = function.access[0]
    shape = TABLES[access.table]
    assert shape.index_names, "the test needs a table with indexes"
    wrong = dataclasses.replace(access, query_indexes=("ByNothing",))
    with_first_function(monkeypatch, dataclasses.replace(function, access=(wrong,)))
    with pytest.raises(ValidationError) as raised:
        build()
    assert str(raised.value) == (
        f"{ENV}: FUNCTIONS[{function.construct_id}].access[0].query_indexes='ByNothing' is not an "
        f"index of {access.table} ({', '.join(shape.index_names)}); "
        "use one of its indexes, or ALL_INDEXES ('*') for every index"
    )


def at_path(stack_json: dict, kind: str, path: str) -> str:
    """Logical id of the one resource of ``kind`` at construct ``path``."""
    (found,) = [
        logical_id for logical_id, body in resources(stack_json, kind).items()
        if body["//"]["metadata"]["path"] == path
    ]
    return found


def changed_fields(before: dict, after: dict) -> set[tuple[str, str, str]]:
    """(type, logical id, argument) of every resource argument that differs."""
    assert {k: sorted(v) for k, v in before["resource"].items()} == {
        k: sorted(v) for k, v in after["resource"].items()
    }, "a resource was added, removed or moved to another address"
    return {
        (kind, logical_id, argument)
        for kind, bodies in before["resource"].items()
        for logical_id, body in bodies.items()
        for argument in body.keys() | after["resource"][kind][logical_id].keys()
        if body.get(argument) != after["resource"][kind][logical_id].get(argument)
    }


def test_renaming_a_function_keeps_every_address_and_replaces_only_its_role_and_log_group(
    monkeypatch, stacks_json
):
    """Renaming ``function`` (not ``construct_id``) keeps every Terraform address.

    What then changes: the role's ``name`` and the log group's ``name`` (both
    force a new resource in the AWS provider, so the plan replaces the role,
    harmless, and the log group, whose old logs go with it), and the trust
    policy's SourceArn (updated in place). Changing ``construct_id`` instead
    would move the addresses (see stacks/functions.py).
    """
    function = FUNCTIONS[0]
    # Logical ids from the session's synth, which carries each resource's construct path.
    role_id = at_path(stacks_json[ENV], "aws_iam_role", f"{ENV}/{function.construct_id}/Resource")
    logs_id = at_path(stacks_json[ENV], "aws_cloudwatch_log_group", f"{ENV}/{function.construct_id}/Logs")
    before = json.loads(Testing.synth(build()))
    renamed = dataclasses.replace(function, function=f"{function.function}-v2")
    with_first_function(monkeypatch, renamed)
    after = json.loads(Testing.synth(build()))

    assert changed_fields(before, after) == {
        ("aws_iam_role", role_id, "name"),
        ("aws_iam_role", role_id, "assume_role_policy"),
        ("aws_cloudwatch_log_group", logs_id, "name"),
    }
    assert resources(after, "aws_iam_role")[role_id]["name"] == f"{ENV}-{renamed.function}-role"
    assert f':function:{ENV}-{renamed.function}"' in (
        resources(after, "aws_iam_role")[role_id]["assume_role_policy"]
    )
    assert resources(after, "aws_cloudwatch_log_group")[logs_id]["name"] == (
        f"/aws/lambda/{ENV}-{renamed.function}"
    )
    assert after["output"] == before["output"]  # <construct_id>Arn: the same output name
