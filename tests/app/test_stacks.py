"""The per-environment stacks, read from the session's one synth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dynamodb_kit import AWS_PROVIDER_VERSION_CONSTRAINT
from stacks.environments import ENVIRONMENTS

from helpers import REPO, resources

ENVS = ("dev", "staging", "prod")


def tables_by_name(stack_json: dict) -> dict[str, dict]:
    return {t["name"]: t for t in resources(stack_json, "aws_dynamodb_table").values()}


def data_key(stack_json: dict) -> tuple[str, dict]:
    """The stack's table key (the backup vault, where there is one, has its own)."""
    (found,) = [
        (logical_id, key)
        for logical_id, key in resources(stack_json, "aws_kms_key").items()
        if logical_id.startswith("DataKey_")
    ]
    return found


def test_every_environment_is_synthesized(stacks_json):
    assert sorted(stacks_json) == sorted(ENVS) == sorted(ENVIRONMENTS)


@pytest.mark.parametrize("env", ENVS)
def test_table_names_carry_the_environment_prefix(stacks_json, env):
    assert sorted(tables_by_name(stacks_json[env])) == [f"{env}-MovieRoles", f"{env}-Orders"]


@pytest.mark.parametrize("env", ENVS)
def test_every_table_has_pitr_and_the_stack_key(stacks_json, env):
    stack = stacks_json[env]
    key_id, _ = data_key(stack)
    expected_days = ENVIRONMENTS[env].recovery_period_days
    for table in tables_by_name(stack).values():
        assert table["point_in_time_recovery"] == {
            "enabled": True, "recovery_period_in_days": expected_days,
        }
        assert table["server_side_encryption"] == {
            "enabled": True, "kms_key_arn": f"${{aws_kms_key.{key_id}.arn}}",
        }


def test_prod_protects_its_data(stacks_json):
    prod = stacks_json["prod"]
    for table in tables_by_name(prod).values():
        assert table["deletion_protection_enabled"] is True
        assert table["lifecycle"]["prevent_destroy"] is True
        assert table["point_in_time_recovery"]["recovery_period_in_days"] == 35
    for key in resources(prod, "aws_kms_key").values():  # tables' and backup vault's
        assert key["enable_key_rotation"] is True
        assert key["lifecycle"] == {"prevent_destroy": True}
        assert key["deletion_window_in_days"] == 30


def test_dev_is_cheap_but_safe(stacks_json):
    for table in tables_by_name(stacks_json["dev"]).values():
        assert table["point_in_time_recovery"] == {"enabled": True, "recovery_period_in_days": 7}
        assert table["billing_mode"] == "PAY_PER_REQUEST"
        assert table["on_demand_throughput"] == {
            "max_read_request_units": 100, "max_write_request_units": 100,
        }
        assert table["deletion_protection_enabled"] is False
        assert "prevent_destroy" not in table["lifecycle"]


@pytest.mark.parametrize("env", ENVS)
def test_movie_roles_shape(stacks_json, env):
    table = tables_by_name(stacks_json[env])[f"{env}-MovieRoles"]
    assert (table["hash_key"], table["range_key"]) == ("Actor", "Movie")
    assert table["attribute"] == [{"name": "Actor", "type": "S"}, {"name": "Movie", "type": "S"}]
    assert table["global_secondary_index"] == [
        {"name": "ByMovie", "hash_key": "Movie", "range_key": "Actor", "projection_type": "ALL"}
    ]


@pytest.mark.parametrize("env", ENVS)
def test_orders_uses_lsi_ttl_stream_and_include(stacks_json, env):
    table = tables_by_name(stacks_json[env])[f"{env}-Orders"]
    assert table["local_secondary_index"] == [
        {
            "name": "ByOrderDate",
            "range_key": "OrderDate",
            "projection_type": "INCLUDE",
            "non_key_attributes": ["Status", "Total"],
        }
    ]
    assert table["ttl"] == {"attribute_name": "ExpiresAt", "enabled": True}
    assert (table["stream_enabled"], table["stream_view_type"]) == (True, "NEW_AND_OLD_IMAGES")


@pytest.mark.parametrize("env", ENVS)
def test_provider_backend_and_tags(stacks_json, env):
    stack = stacks_json[env]
    terraform = stack["terraform"]
    assert terraform["required_providers"]["aws"]["version"] == AWS_PROVIDER_VERSION_CONSTRAINT
    assert terraform["backend"] == {"local": {"path": f"../../../terraform.{env}.tfstate"}}
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == "us-east-1"
    assert provider["default_tags"] == [{"tags": dict(ENVIRONMENTS[env].tags)}]


def test_constraint_admits_the_tested_and_the_bound_provider():
    # 5.100.0 is what the tests run (offline mirror); the bindings target 6.25.0.
    assert AWS_PROVIDER_VERSION_CONSTRAINT == ">= 5.100.0, < 7.0.0"


def test_no_absolute_machine_path_in_the_output(synth_dir: Path):
    machine_paths = re.compile(r'"(/(?:root|home|tmp|work|opt|usr|var)/|[A-Za-z]:\\\\)')
    for path in synth_dir.glob("*/cdk.tf.json"):
        text = path.read_text()
        assert str(REPO) not in text and str(synth_dir) not in text
        assert not machine_paths.search(text), path


def test_outputs_name_every_table(stacks_json):
    for stack in stacks_json.values():
        assert sorted(stack["output"]) == [
            "MovieRolesArn", "MovieRolesName", "OrdersArn", "OrdersName",
        ]
