"""The per-environment stacks, read from the session's one synth.

Expected tables, indexes and roles come from ``stacks.data_layer.TABLES``,
``stacks.functions.FUNCTIONS``/``APP_USERS`` and ``stacks.environments.ENVIRONMENTS``:
adding a table, a function or an environment needs no change here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cdktf import Testing

from dynamodb_kit import (
    AWS_PROVIDER_VERSION_CONSTRAINT,
    ENDPOINT_URL_ENV,
    AccessPattern,
    ProjectionType,
    TableShape,
)
from stacks.data_layer import TABLES
from stacks.data_stack import DataStack
from stacks.environments import ENVIRONMENTS
from stacks.functions import APP_USERS, FUNCTIONS, TableAccess

from helpers import REPO, resources

ENVS = tuple(ENVIRONMENTS)
APP_USER_ROLE_ID = "AppUserRole"  # the construct id DataStack gives the app users' role


def tables_by_name(stack_json: dict) -> dict[str, dict]:
    return {t["name"]: t for t in resources(stack_json, "aws_dynamodb_table").values()}


def at_path(stack_json: dict, kind: str, path: str) -> tuple[str, dict]:
    """(logical id, body) of the one resource of ``kind`` at construct ``path``."""
    (found,) = [
        (logical_id, body)
        for logical_id, body in resources(stack_json, kind).items()
        if body["//"]["metadata"]["path"] == path
    ]
    return found


def data_key(stack_json: dict) -> tuple[str, dict]:
    """The stack's table key (the backup vault, where there is one, has its own)."""
    (found,) = [
        (logical_id, key)
        for logical_id, key in resources(stack_json, "aws_kms_key").items()
        if logical_id.startswith("DataKey_")
    ]
    return found


def expected_table_names(env: str) -> list[str]:
    config = ENVIRONMENTS[env]
    return sorted(
        [f"{env}-{shape.table_name}" for shape in TABLES.values()]
        + [f"{env}-{restore.table_name}" for restore in config.restores]
    )


def test_every_environment_is_synthesized(stacks_json):
    assert sorted(stacks_json) == sorted(ENVIRONMENTS)
    assert {"dev", "staging", "prod"} <= set(ENVIRONMENTS)


@pytest.mark.parametrize("env", ENVS)
def test_table_names_carry_the_environment_prefix(stacks_json, env):
    assert sorted(tables_by_name(stacks_json[env])) == expected_table_names(env)


@pytest.mark.parametrize("env", ENVS)
def test_every_table_has_pitr_and_the_stack_key(stacks_json, env):
    stack = stacks_json[env]
    key_id, _ = data_key(stack)
    expected_days = ENVIRONMENTS[env].recovery_period_days
    tables = tables_by_name(stack).values()
    assert len(tables) == len(expected_table_names(env))
    for table in tables:
        assert table["point_in_time_recovery"] == {
            "enabled": True, "recovery_period_in_days": expected_days,
        }
        assert table["server_side_encryption"] == {
            "enabled": True, "kms_key_arn": f"${{aws_kms_key.{key_id}.arn}}",
        }


def test_prod_protects_its_data(stacks_json):
    prod = stacks_json["prod"]
    tables = tables_by_name(prod).values()
    assert len(tables) == len(expected_table_names("prod"))
    for table in tables:
        assert table["deletion_protection_enabled"] is True
        assert table["lifecycle"]["prevent_destroy"] is True
        assert table["point_in_time_recovery"]["recovery_period_in_days"] == 35
    keys = resources(prod, "aws_kms_key").values()  # tables', backup vault's, DR vault's, each replica's
    assert len(keys) == 3 + sum(len(r) for r in ENVIRONMENTS["prod"].replicas.values())
    for key in keys:
        assert key["enable_key_rotation"] is True
        assert key["lifecycle"] == {"prevent_destroy": True}
        assert key["deletion_window_in_days"] == 30


def test_dev_is_cheap_but_safe(stacks_json):
    tables = tables_by_name(stacks_json["dev"]).values()
    assert len(tables) == len(expected_table_names("dev"))
    for table in tables:
        assert table["point_in_time_recovery"] == {"enabled": True, "recovery_period_in_days": 7}
        assert table["billing_mode"] == "PAY_PER_REQUEST"
        assert table["on_demand_throughput"] == {
            "max_read_request_units": 100, "max_write_request_units": 100,
        }
        assert table["deletion_protection_enabled"] is False
        assert "prevent_destroy" not in table["lifecycle"]


def expected_shape(shape: TableShape, replicated: bool = False) -> dict:
    """The synthesized fields of a table that its shape decides, written out independently."""
    keys = [shape.partition_key, shape.sort_key]
    keys += [k for g in shape.global_secondary_indexes for k in (g.partition_key, g.sort_key)]
    keys += [lsi.sort_key for lsi in shape.local_secondary_indexes]
    attributes = {k.name: k.type.value for k in keys if k is not None}

    def index(name, partition_key, sort_key, projection, non_key_attributes) -> dict:
        body = {"name": name, "projection_type": projection.value}
        if partition_key is not None:
            body["hash_key"] = partition_key.name
        if sort_key is not None:
            body["range_key"] = sort_key.name
        if projection is ProjectionType.INCLUDE:
            body["non_key_attributes"] = list(non_key_attributes)
        return body

    return {
        "hash_key": shape.partition_key.name,
        "attribute": [{"name": n, "type": t} for n, t in sorted(attributes.items())],
        "global_secondary_index": [
            index(g.name, g.partition_key, g.sort_key, g.projection, g.non_key_attributes)
            for g in shape.global_secondary_indexes
        ] or None,
        "local_secondary_index": [
            index(lsi.name, None, lsi.sort_key, lsi.projection, lsi.non_key_attributes)
            for lsi in shape.local_secondary_indexes
        ] or None,
        "range_key": shape.sort_key.name if shape.sort_key else None,
        "ttl": {"attribute_name": shape.time_to_live_attribute, "enabled": True}
        if shape.time_to_live_attribute else None,
        # Replicas need the stream with both images (set when the shape has none).
        "stream_enabled": True if shape.stream or replicated else None,
        "stream_view_type": shape.stream.value if shape.stream else "NEW_AND_OLD_IMAGES" if replicated else None,
        "table_class": shape.table_class.value,
    }


def test_the_data_layer_exercises_every_table_feature_the_shape_test_checks():
    # Otherwise test_every_table_has_its_shape would check these fields on no table.
    shapes = TABLES.values()
    assert any(s.sort_key for s in shapes)
    assert any(s.global_secondary_indexes for s in shapes)
    assert any(s.local_secondary_indexes for s in shapes)
    assert any(s.time_to_live_attribute for s in shapes)
    assert any(s.stream for s in shapes)
    projections = {i.projection for s in shapes
                   for i in (*s.global_secondary_indexes, *s.local_secondary_indexes)}
    assert projections == set(ProjectionType)


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("table_id", list(TABLES))
def test_every_table_has_its_shape(stacks_json, env, table_id):
    shape = TABLES[table_id]
    _, table = at_path(stacks_json[env], "aws_dynamodb_table", f"{env}/{table_id}/Resource")
    assert table["name"] == f"{env}-{shape.table_name}"
    for field, value in expected_shape(shape, bool(ENVIRONMENTS[env].replicas.get(table_id))).items():
        if field == "attribute":  # DynamoDB ignores the order of attribute definitions
            assert sorted(table[field], key=lambda a: a["name"]) == value
        elif field == "global_secondary_index" and value:  # capacities are the environment's
            shapes = [{k: v for k, v in g.items() if not k.endswith("_capacity")} for g in table[field]]
            assert shapes == value, field
        elif value is None:
            assert field not in table, field
        else:
            assert table[field] == value, field


@pytest.mark.parametrize("env", ENVS)
def test_provider_backend_and_tags(stacks_json, env):
    stack = stacks_json[env]
    terraform = stack["terraform"]
    assert terraform["required_providers"]["aws"]["version"] == AWS_PROVIDER_VERSION_CONSTRAINT
    assert terraform["backend"] == {"local": {"path": f"../../../terraform.{env}.tfstate"}}
    provider, *regional = stack["provider"]["aws"]
    assert provider["region"] == ENVIRONMENTS[env].region and "alias" not in provider
    assert provider["default_tags"] == [{"tags": dict(ENVIRONMENTS[env].tags)}]
    # One aliased provider per replica region, with the same tags.
    regions = sorted({r.region for rs in ENVIRONMENTS[env].replicas.values() for r in rs})
    assert [(p["alias"], p["region"]) for p in regional] == [(r.replace("-", "_"), r) for r in regions]
    assert all(p["default_tags"] == provider["default_tags"] for p in regional)


@pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:5000"])
def test_the_emulator_endpoint_comes_from_the_environment(monkeypatch, endpoint):
    # AWS_ENDPOINT_URL is read by the kit's add_aws_provider, not by stacks/; the
    # URL itself stays out of the stack (the provider reads the variable).
    if endpoint is None:
        monkeypatch.delenv(ENDPOINT_URL_ENV, raising=False)
    else:
        monkeypatch.setenv(ENDPOINT_URL_ENV, endpoint)
    stack_json = json.loads(Testing.synth(DataStack(Testing.app(), ENVIRONMENTS["dev"])))
    (provider,) = stack_json["provider"]["aws"]
    assert "endpoints" not in provider and "127.0.0.1" not in json.dumps(stack_json)
    emulator_settings = {"skip_credentials_validation": True, "skip_metadata_api_check": "true",
                         "skip_region_validation": True, "skip_requesting_account_id": False,
                         "s3_use_path_style": True, "max_retries": 2}
    if endpoint is None:
        assert not set(emulator_settings) & set(provider)
    else:
        assert {k: provider[k] for k in emulator_settings if k in provider} == emulator_settings


def test_constraint_admits_the_tested_and_the_bound_provider():
    # 5.100.0 is what the tests run (offline mirror); the bindings target 6.25.0.
    assert AWS_PROVIDER_VERSION_CONSTRAINT == ">= 5.100.0, < 7.0.0"


def test_no_absolute_machine_path_in_the_output(synth_dir: Path):
    machine_paths = re.compile(r'"(/(?:root|home|tmp|work|opt|usr|var)/|[A-Za-z]:\\\\)')
    paths = list(synth_dir.glob("*/cdk.tf.json"))
    assert len(paths) == len(ENVIRONMENTS)
    for path in paths:
        text = path.read_text()
        assert str(REPO) not in text and str(synth_dir) not in text
        assert not machine_paths.search(text), path


# Roles: one per function of FUNCTIONS, one for APP_USERS.

def role_ids() -> list[str]:
    return [f.construct_id for f in FUNCTIONS] + [APP_USER_ROLE_ID]


@pytest.mark.parametrize("env", ENVS)
def test_every_function_has_its_own_role(stacks_json, env):
    stack = stacks_json[env]
    for function in FUNCTIONS:
        _, role = at_path(stack, "aws_iam_role", f"{env}/{function.construct_id}/Resource")
        assert role["name"] == f"{env}-{function.function}-role"
        _, logs = at_path(stack, "aws_cloudwatch_log_group", f"{env}/{function.construct_id}/Logs")
        assert logs["name"] == f"/aws/lambda/{env}-{function.function}"
        assert logs["retention_in_days"] == ENVIRONMENTS[env].log_retention_days
    _, app_users = at_path(stack, "aws_iam_role", f"{env}/{APP_USER_ROLE_ID}/Resource")
    assert app_users["name"] == f"{env}-app-user-role"
    # Nothing else but the AWS Backup service role, where AWS Backup is on.
    backup_roles = 1 if ENVIRONMENTS[env].backup_rules else 0
    assert len(resources(stack, "aws_iam_role")) == len(role_ids()) + backup_roles


_DYNAMODB_RESOURCE = re.compile(r"\$\{aws_dynamodb_table(?:_replica)?\.([\w-]+)\.(arn|stream_arn)\}(?:/index/(.+))?")


def reached(stack: dict, policy: dict) -> set[tuple[str, str | None]]:
    """(table id, index name or None) of every DynamoDB resource a policy allows."""
    table_ids = {
        logical_id: body["//"]["metadata"]["path"].split("/")[1]
        for kind in ("aws_dynamodb_table", "aws_dynamodb_table_replica")
        for logical_id, body in resources(stack, kind).items()
    }
    found = set()
    for statement in json.loads(policy["policy"])["Statement"]:
        if not any(a.startswith("dynamodb:") for a in statement["Action"]):
            continue
        for arn in statement["Resource"]:
            if arn == "*":
                assert statement["Action"] == ["dynamodb:ListStreams"], statement
                continue
            match = _DYNAMODB_RESOURCE.fullmatch(arn)
            assert match, arn
            found.add((table_ids[match[1]], match[3]))
    return found


def declared(access: tuple[TableAccess, ...]) -> set[tuple[str, str | None]]:
    pairs = set()
    for grant in access:
        if set(grant.patterns) - {AccessPattern.READ_STREAM}:
            pairs.add((grant.table, None))
        pairs |= {(grant.table, name) for name in (*grant.query_indexes, *grant.scan_indexes)}
    return pairs


@pytest.mark.parametrize("env", ENVS)
def test_each_role_reaches_exactly_the_tables_and_indexes_its_access_names(stacks_json, env):
    stack = stacks_json[env]
    accesses = {f.construct_id: f.access for f in FUNCTIONS} | {APP_USER_ROLE_ID: APP_USERS}
    for construct_id, access in accesses.items():
        _, policy = at_path(stack, "aws_iam_role_policy", f"{env}/{construct_id}/Policy")
        assert reached(stack, policy) == declared(access), construct_id


@pytest.mark.parametrize("env", ENVS)
def test_each_role_arn_is_a_stack_output(stacks_json, env):
    stack = stacks_json[env]
    for construct_id in role_ids():
        role_id, _ = at_path(stack, "aws_iam_role", f"{env}/{construct_id}/Resource")
        assert stack["output"][f"{construct_id}Arn"] == {"value": f"${{aws_iam_role.{role_id}.arn}}"}


def test_outputs_name_every_table_and_role(stacks_json):
    for env, stack in stacks_json.items():
        expected = [f"{table_id}{suffix}" for table_id in TABLES for suffix in ("Arn", "Name")]
        expected += [f"{restore.construct_id}Name" for restore in ENVIRONMENTS[env].restores]
        expected += [f"{construct_id}Arn" for construct_id in role_ids()]
        expected += ["AlarmTopicArn"] if ENVIRONMENTS[env].alarm_topic else []
        assert sorted(stack["output"]) == sorted(expected)


@pytest.mark.parametrize("env", ENVS)
def test_tables_bill_as_their_environment_says(stacks_json, env):
    """On-demand unless ``table_billing`` says otherwise; autoscaled dimensions
    get a scalable target each, and the table ignores what autoscaling owns."""
    targets = resources(stacks_json[env], "aws_appautoscaling_target")
    for table_id, shape in TABLES.items():
        _, table = at_path(stacks_json[env], "aws_dynamodb_table", f"{env}/{table_id}/Resource")
        billing = ENVIRONMENTS[env].table_billing.get(table_id)
        mine = [t for t in targets.values() if t["//"]["metadata"]["path"].startswith(f"{env}/{table_id}/")]
        if billing is None:
            assert table["billing_mode"] == "PAY_PER_REQUEST" and mine == []
            continue
        assert table["billing_mode"] == "PROVISIONED"
        dimensions = 2 * (1 + len(shape.global_secondary_indexes))  # read and write, table and each GSI
        regions = 1 + len(ENVIRONMENTS[env].replicas.get(table_id, ()))  # and again in each replica's region
        assert len(mine) == dimensions * regions
        assert {"read_capacity", "write_capacity", "global_secondary_index"} <= set(
            table["lifecycle"]["ignore_changes"])
