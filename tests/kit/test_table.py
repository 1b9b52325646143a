"""What the Table construct synthesizes for valid props."""

from __future__ import annotations

import dataclasses
import json

import cdktf
from cdktf import TerraformOutput, TerraformStack

from dynamodb_kit import (
    Attribute,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    PointInTimeRecovery,
    RestoreSource,
    StreamViewType,
    Table,
    TableClass,
    TableEncryption,
    TableProps,
)
from dynamodb_kit.table.table import RESTORE_ARGUMENTS

from helpers import synth_resources

BASE = TableProps(table_name="Orders", partition_key=Attribute("pk"), sort_key=Attribute("sk", "N"))
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def only_table(stack) -> dict:
    (table,) = synth_resources(stack, "aws_dynamodb_table")
    return table


def test_safe_defaults(stack):
    Table(stack, "T", BASE)
    table = only_table(stack)
    assert table["billing_mode"] == "PAY_PER_REQUEST"
    assert table["point_in_time_recovery"] == {"enabled": True, "recovery_period_in_days": 35}
    assert table["deletion_protection_enabled"] is True
    assert table["table_class"] == "STANDARD"
    for absent in (
        "server_side_encryption", "read_capacity", "write_capacity", "on_demand_throughput", "ttl",
        "stream_enabled", "stream_view_type", "restore_source_name",
    ):
        assert absent not in table
    # Restore arguments are ignored after creation, so removing a restore
    # declaration never replaces the restored table.
    assert table["lifecycle"] == {"ignore_changes": list(RESTORE_ARGUMENTS)}


def test_attribute_definitions_are_derived_from_every_key_once(stack):
    Table(
        stack,
        "T",
        dataclasses.replace(
            BASE,
            global_secondary_indexes=(
                GlobalSecondaryIndex(name="ByA", partition_key=Attribute("a"), sort_key=Attribute("sk", "N")),
                GlobalSecondaryIndex(name="ByB", partition_key=Attribute("b", "B")),
            ),
            local_secondary_indexes=(LocalSecondaryIndex(name="ByC", sort_key=Attribute("c", "N")),),
            time_to_live_attribute="expires",
        ),
    )
    table = only_table(stack)
    assert table["attribute"] == [
        {"name": "pk", "type": "S"},
        {"name": "sk", "type": "N"},
        {"name": "a", "type": "S"},
        {"name": "b", "type": "B"},
        {"name": "c", "type": "N"},
    ]
    assert table["ttl"] == {"attribute_name": "expires", "enabled": True}


def test_provisioned_table_and_index_capacities(stack):
    Table(
        stack,
        "T",
        dataclasses.replace(
            BASE,
            billing=Billing.provisioned(read=Capacity.fixed(10), write=Capacity.fixed(5)),
            global_secondary_indexes=(
                GlobalSecondaryIndex(
                    name="ByA",
                    partition_key=Attribute("a"),
                    projection="INCLUDE",
                    non_key_attributes=("x", "y"),
                    billing=Billing.provisioned(read=Capacity.fixed(3), write=Capacity.fixed(2)),
                ),
                # Without billing of its own, an index gets the table's capacities.
                GlobalSecondaryIndex(name="ByB", partition_key=Attribute("b")),
            ),
        ),
    )
    table = only_table(stack)
    assert (table["billing_mode"], table["read_capacity"], table["write_capacity"]) == (
        "PROVISIONED", 10, 5,
    )
    assert table["global_secondary_index"] == [
        {
            "name": "ByA",
            "hash_key": "a",
            "projection_type": "INCLUDE",
            "non_key_attributes": ["x", "y"],
            "read_capacity": 3,
            "write_capacity": 2,
        },
        {
            "name": "ByB",
            "hash_key": "b",
            "projection_type": "ALL",
            "read_capacity": 10,
            "write_capacity": 5,
        },
    ]
    assert "on_demand_throughput" not in table


def test_on_demand_ceiling_stream_class_recovery_and_prevent_destroy(stack):
    Table(
        stack,
        "T",
        dataclasses.replace(
            BASE,
            billing=Billing.on_demand(max_read=200, max_write=50),
            global_secondary_indexes=(
                GlobalSecondaryIndex(name="ByA", partition_key=Attribute("a"),
                                     billing=Billing.on_demand(max_write=20)),
                # Without billing of its own, an on-demand index has no ceiling.
                GlobalSecondaryIndex(name="ByB", partition_key=Attribute("b")),
            ),
            stream="KEYS_ONLY",
            table_class=TableClass.STANDARD_INFREQUENT_ACCESS,
            point_in_time_recovery=PointInTimeRecovery(days=7),
            prevent_destroy=True,
            deletion_protection=False,
            tags={"Team": "orders"},
        ),
    )
    table = only_table(stack)
    assert table["on_demand_throughput"] == {"max_read_request_units": 200, "max_write_request_units": 50}
    by_a, by_b = table["global_secondary_index"]
    assert by_a["on_demand_throughput"] == {"max_write_request_units": 20}
    assert "on_demand_throughput" not in by_b and "read_capacity" not in by_b
    assert (table["stream_enabled"], table["stream_view_type"]) == (True, "KEYS_ONLY")
    assert table["table_class"] == "STANDARD_INFREQUENT_ACCESS"
    assert table["point_in_time_recovery"] == {"enabled": True, "recovery_period_in_days": 7}
    assert table["lifecycle"] == {"prevent_destroy": True, "ignore_changes": list(RESTORE_ARGUMENTS)}
    assert table["deletion_protection_enabled"] is False
    assert table["tags"] == {"Team": "orders"}


def test_pitr_can_be_turned_off_explicitly(stack):
    Table(stack, "T", dataclasses.replace(BASE, point_in_time_recovery=False))
    assert only_table(stack)["point_in_time_recovery"] == {"enabled": False}


def test_customer_managed_key_is_created_with_rotation_when_none_is_given(stack):
    table = Table(stack, "T", dataclasses.replace(BASE, encryption=TableEncryption.customer_managed()))
    assert table.encryption_key is not None
    (key,) = synth_resources(stack, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    assert key["deletion_window_in_days"] == 30
    sse = only_table(stack)["server_side_encryption"]
    assert sse["enabled"] is True
    assert sse["kms_key_arn"].startswith("${aws_kms_key.T_Key_") and sse["kms_key_arn"].endswith(".arn}")


def test_existing_key_is_used_and_no_key_created(stack):
    Table(
        stack,
        "T",
        dataclasses.replace(
            BASE, encryption=TableEncryption.customer_managed(key_arn=KEY_ARN)
        ),
    )
    assert synth_resources(stack, "aws_kms_key") == []
    assert only_table(stack)["server_side_encryption"] == {
        "enabled": True, "kms_key_arn": KEY_ARN,
    }


def test_aws_managed_key_enables_encryption_without_key_arn(stack):
    Table(stack, "T", dataclasses.replace(BASE, encryption=TableEncryption.aws_managed()))
    assert only_table(stack)["server_side_encryption"] == {"enabled": True}


def test_references_resolve_to_the_table_resource(stack):
    table = Table(
        stack,
        "T",
        dataclasses.replace(
            BASE,
            stream=StreamViewType.NEW_IMAGE,
            global_secondary_indexes=(GlobalSecondaryIndex(name="ByA", partition_key=Attribute("a")),),
        ),
    )
    references = {
        "name": table.table_name,
        "arn": table.table_arn,
        "stream": table.stream_arn,
        "index": table.index_arn("ByA"),
    }
    for name, value in references.items():
        TerraformOutput(stack, name, value=value)
    outputs = json.loads(cdktf.Testing.synth(stack))["output"]
    resolved = {name: output["value"] for name, output in outputs.items()}
    address = "aws_dynamodb_table.T_D925BC7E"
    assert resolved == {
        "name": f"${{{address}.name}}",
        "arn": f"${{{address}.arn}}",
        "stream": f"${{{address}.stream_arn}}",
        "index": f"${{{address}.arn}}/index/ByA",
    }


def test_address_depends_only_on_the_construct_path():
    # The same path in two apps gives the same Terraform address, whatever else
    # the stack holds: the contract that keeps a refactor from recreating a table.
    addresses = []
    for extra_tables in (0, 2):
        stack = TerraformStack(cdktf.Testing.app(), "prod")
        for i in range(extra_tables):
            Table(stack, f"Other{i}", dataclasses.replace(BASE, table_name=f"Other{i}"))
        Table(stack, "Orders", BASE)
        tables = json.loads(cdktf.Testing.synth(stack))["resource"]["aws_dynamodb_table"]
        addresses.append({tables[a]["name"]: a for a in tables}["Orders"])
    assert addresses == ["Orders_A9B65338", "Orders_A9B65338"]


def test_restore_declaration_synthesizes_restore_arguments(stack):
    Table(stack, "T", dataclasses.replace(
        BASE, table_name="prod-Orders-restored",
        restore=RestoreSource.from_table_name("prod-Orders", point_in_time="2026-11-27T03:00:00Z"),
    ))
    table = only_table(stack)
    assert (table["restore_source_name"], table["restore_date_time"]) == (
        "prod-Orders", "2026-11-27T03:00:00Z",
    )
    assert "restore_to_latest_time" not in table and "restore_source_table_arn" not in table


def test_restore_to_latest_from_another_account(stack):
    arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/prod-Orders"
    Table(stack, "T", dataclasses.replace(
        BASE, table_name="Orders-copy", restore=RestoreSource.from_table_arn(arn, point_in_time="latest"),
    ))
    table = only_table(stack)
    assert (table["restore_source_table_arn"], table["restore_to_latest_time"]) == (arn, True)
