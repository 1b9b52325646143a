"""Every construction-time rule of the Table construct, with its exact message."""

from __future__ import annotations

import dataclasses

import pytest

from dynamodb_kit import (
    Attribute,
    BillingMode,
    EncryptionKey,
    EncryptionKeyProps,
    GlobalSecondaryIndex as GSI,
    LocalSecondaryIndex as LSI,
    ProjectionType,
    RestoreSource,
    StreamViewType,
    Table,
    TableEncryption,
    TableProps,
    ValidationError,
)

BASE = TableProps(table_name="Orders", partition_key=Attribute("pk"), sort_key=Attribute("sk"))
PROVISIONED = dict(billing_mode=BillingMode.PROVISIONED, read_capacity=5, write_capacity=5)


def gsi(name: str = "ByStatus", **kwargs) -> GSI:
    return GSI(name=name, partition_key=Attribute("status"), **kwargs)


def lsi(name: str = "ByDate", **kwargs) -> LSI:
    return LSI(name=name, sort_key=Attribute("date"), **kwargs)


CASES = {
    "table name too short": (
        dict(table_name="ab"),
        "test/T: table_name='ab' must be 3-255 characters long; choose a name of that length",
    ),
    "table name too long": (
        dict(table_name="x" * 256),
        f"test/T: table_name='{'x' * 256}' must be 3-255 characters long; "
        "choose a name of that length",
    ),
    "table name characters": (
        dict(table_name="my orders"),
        "test/T: table_name='my orders' may only contain letters, digits, '_', '-' and '.'; "
        "remove or replace the other characters",
    ),
    "index name characters": (
        dict(global_secondary_indexes=(gsi("by/status"),)),
        "test/T: gsi[0].name='by/status' may only contain letters, digits, '_', '-' and '.'; "
        "remove or replace the other characters",
    ),
    "index name too short": (
        dict(local_secondary_indexes=(lsi("ix"),)),
        "test/T: lsi[0].name='ix' must be 3-255 characters long; choose a name of that length",
    ),
    "key type": (
        dict(partition_key=Attribute("pk", "STRING")),
        "test/T: partition_key.type='STRING' is not one of S, N, B; use one of S, N, B",
    ),
    "attribute with two types": (
        dict(global_secondary_indexes=(GSI(name="BySk", partition_key=Attribute("sk", "N")),)),
        "test/T: gsi[0].partition_key.type='N' conflicts with type S of 'sk' in sort_key; "
        "give an attribute one type everywhere it is a key",
    ),
    "duplicate index names": (
        dict(global_secondary_indexes=(gsi("Dup"),), local_secondary_indexes=(lsi("Dup"),)),
        "test/T: lsi[0].name='Dup' is already used by gsi[0]; "
        "give every index of a table its own name",
    ),
    "more than 20 GSIs": (
        dict(global_secondary_indexes=tuple(gsi(f"Index{i}") for i in range(21))),
        "test/T: global_secondary_indexes='21 indexes' exceeds the quota of 20 per table; "
        "remove indexes (overload one GSI) or raise the quota first",
    ),
    "more than 5 LSIs": (
        dict(local_secondary_indexes=tuple(lsi(f"Index{i}") for i in range(6))),
        "test/T: local_secondary_indexes='6 indexes' exceeds the limit of 5 per table; "
        "remove indexes or use global secondary indexes",
    ),
    "LSI without table sort key": (
        dict(sort_key=None, local_secondary_indexes=(lsi(),)),
        "test/T: local_secondary_indexes=['ByDate'] need a table sort key; "
        "add sort_key to the table (at creation) or use global secondary indexes",
    ),
    "INCLUDE without non-key attributes": (
        dict(global_secondary_indexes=(gsi(projection=ProjectionType.INCLUDE),)),
        "test/T: gsi[0].non_key_attributes=() must list at least one attribute with "
        "projection INCLUDE; list the attributes to project, or use KEYS_ONLY",
    ),
    "non-key attributes with ALL": (
        dict(global_secondary_indexes=(gsi(non_key_attributes=("total",)),)),
        "test/T: gsi[0].non_key_attributes=('total',) is only allowed with projection "
        "INCLUDE, not ALL; remove them or use projection INCLUDE",
    ),
    "non-key attributes with KEYS_ONLY": (
        dict(local_secondary_indexes=(lsi(projection="KEYS_ONLY", non_key_attributes=("a",)),)),
        "test/T: lsi[0].non_key_attributes=('a',) is only allowed with projection "
        "INCLUDE, not KEYS_ONLY; remove them or use projection INCLUDE",
    ),
    "unknown projection": (
        dict(global_secondary_indexes=(gsi(projection="SOME"),)),
        "test/T: gsi[0].projection='SOME' is not one of ALL, KEYS_ONLY, INCLUDE; "
        "use one of ALL, KEYS_ONLY, INCLUDE",
    ),
    "more than 100 projected non-key attributes": (
        dict(
            global_secondary_indexes=tuple(
                gsi(
                    f"Index{i}",
                    projection="INCLUDE",
                    non_key_attributes=tuple(f"a{i}_{j}" for j in range(51)),
                )
                for i in range(2)
            )
        ),
        "test/T: non_key_attributes='102 in total' exceeds the limit of 100 projected "
        "non-key attributes across all indexes of a table; "
        "project fewer attributes or use projection ALL",
    ),
    "table capacity with on-demand": (
        dict(read_capacity=5),
        "test/T: read_capacity=5 is not allowed with billing PAY_PER_REQUEST; "
        "remove it or use PROVISIONED",
    ),
    "GSI capacity with on-demand": (
        dict(global_secondary_indexes=(gsi(), gsi("Other", read_capacity=5))),
        "test/T: gsi[1].read_capacity=5 is not allowed with billing PAY_PER_REQUEST; "
        "remove it or use PROVISIONED",
    ),
    "table capacity missing with provisioned": (
        dict(billing_mode="PROVISIONED", read_capacity=5),
        "test/T: write_capacity=None is required with billing PROVISIONED; "
        "set it to at least 1 or use PAY_PER_REQUEST",
    ),
    "GSI capacity missing with provisioned": (
        dict(**PROVISIONED, global_secondary_indexes=(gsi(read_capacity=1),)),
        "test/T: gsi[0].write_capacity=None is required with billing PROVISIONED; "
        "set it to at least 1 or use PAY_PER_REQUEST",
    ),
    "capacity below 1": (
        dict(billing_mode="PROVISIONED", read_capacity=0, write_capacity=1),
        "test/T: read_capacity=0 must be a whole number of at least 1; set it to 1 or more",
    ),
    "unknown billing mode": (
        dict(billing_mode="ON_DEMAND"),
        "test/T: billing_mode='ON_DEMAND' is not one of PAY_PER_REQUEST, PROVISIONED; "
        "use one of PAY_PER_REQUEST, PROVISIONED",
    ),
    "max request units with provisioned": (
        dict(**PROVISIONED, max_read_request_units=100),
        "test/T: max_read_request_units=100 is only allowed with billing PAY_PER_REQUEST; "
        "remove it or use PAY_PER_REQUEST",
    ),
    "TTL on the partition key": (
        dict(time_to_live_attribute="pk"),
        "test/T: time_to_live_attribute='pk' is the table's partition key; TTL must use a "
        "non-key Number attribute; store the expiry time in an attribute of its own",
    ),
    "TTL on the sort key": (
        dict(time_to_live_attribute="sk"),
        "test/T: time_to_live_attribute='sk' is the table's sort key; TTL must use a "
        "non-key Number attribute; store the expiry time in an attribute of its own",
    ),
    "stream view type without stream": (
        dict(stream_view_type=StreamViewType.NEW_IMAGE),
        "test/T: stream_view_type='NEW_IMAGE' has no effect with "
        "stream_enabled=False; set stream_enabled=True or remove stream_view_type",
    ),
    "stream without view type": (
        dict(stream_enabled=True),
        "test/T: stream_view_type=None is required with stream_enabled=True; "
        "choose KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES",
    ),
    "recovery period 0": (
        dict(recovery_period_days=0),
        "test/T: recovery_period_days=0 is outside the allowed 1-35 days; "
        "choose a whole number of days from 1 to 35",
    ),
    "recovery period 36": (
        dict(recovery_period_days=36),
        "test/T: recovery_period_days=36 is outside the allowed 1-35 days; "
        "choose a whole number of days from 1 to 35",
    ),
    "recovery period without PITR": (
        dict(point_in_time_recovery=False, recovery_period_days=7),
        "test/T: recovery_period_days=7 has no effect with point_in_time_recovery=False; "
        "remove it or turn point-in-time recovery on",
    ),
    "restore from a backup ARN": (
        dict(restore=RestoreSource(backup_arn="arn:aws:dynamodb:us-east-1:1:table/t/backup/b")),
        "test/T: restore.backup_arn='arn:aws:dynamodb:us-east-1:1:table/t/backup/b' cannot be "
        "restored by Terraform's aws_dynamodb_table (it restores from PITR only); restore the "
        "backup with AWS Backup or `aws dynamodb restore-table-from-backup`, then `terraform "
        "import` the new table; or restore from PITR with point_in_time",
    ),
    "restore with two sources": (
        dict(restore=RestoreSource(source_table_name="a-table", source_table_arn="arn:x", latest=True)),
        "test/T: restore.source_table_name='a-table' and source_table_arn='arn:x': exactly one "
        "is needed; name the source table, or give its ARN for another region or account",
    ),
    "restore onto itself": (
        dict(restore=RestoreSource(source_table_name="Orders", latest=True)),
        "test/T: restore.source_table_name='Orders' is the table being created: a restore "
        "always creates a new table; give the restored table a new table_name",
    ),
    "restore without a moment": (
        dict(restore=RestoreSource(source_table_name="prod-Orders")),
        "test/T: restore.point_in_time=None and latest=False: exactly one is needed; "
        "give a UTC timestamp such as 2026-11-27T03:00:00Z, or latest=True",
    ),
    "restore timestamp not UTC": (
        dict(restore=RestoreSource(source_table_name="prod-Orders", point_in_time="2026-11-27 03:00")),
        "test/T: restore.point_in_time='2026-11-27 03:00' is not an RFC 3339 UTC timestamp; "
        "write it as 2026-11-27T03:00:00Z",
    ),
    "key ARN without customer-managed encryption": (
        dict(encryption=TableEncryption.AWS_MANAGED, encryption_key_arn="arn:aws:kms:k"),
        "test/T: encryption_key_arn='arn:aws:kms:k' is only used with encryption "
        "CUSTOMER_MANAGED, not AWS_MANAGED; remove it or use CUSTOMER_MANAGED",
    ),
}


@pytest.mark.parametrize("changes, message", CASES.values(), ids=CASES.keys())
def test_rule_rejects_with_exact_message(stack, changes, message):
    props = dataclasses.replace(BASE, **changes)
    with pytest.raises(ValidationError) as raised:
        Table(stack, "T", props)
    assert str(raised.value) == message
    # Nothing was added to the stack: the error came before any resource.
    assert stack.node.try_find_child("T").node.children == []


def test_error_carries_path_field_and_value(stack):
    with pytest.raises(ValidationError) as raised:
        Table(stack, "T", dataclasses.replace(BASE, recovery_period_days=40))
    assert (raised.value.path, raised.value.field, raised.value.value) == (
        "test/T", "recovery_period_days", 40
    )


def test_index_arn_of_unknown_index_is_rejected(stack):
    table = Table(stack, "T", dataclasses.replace(BASE, global_secondary_indexes=(gsi(),)))
    with pytest.raises(ValidationError) as raised:
        table.index_arn("ByNothing")
    assert str(raised.value) == (
        "test/T: index_name='ByNothing' is not an index of this table (indexes: ByStatus); "
        "use one of the table's index names"
    )


def test_stream_arn_without_stream_is_rejected(stack):
    table = Table(stack, "T", BASE)
    with pytest.raises(ValidationError) as raised:
        table.stream_arn
    assert str(raised.value) == (
        "test/T: stream_enabled=False means the table has no stream ARN; "
        "set stream_enabled=True and a stream_view_type"
    )


@pytest.mark.parametrize("days", [6, 31])
def test_key_deletion_window_outside_7_to_30_is_rejected(stack, days):
    with pytest.raises(ValidationError) as raised:
        EncryptionKey(stack, "Key", EncryptionKeyProps(deletion_window_days=days))
    assert str(raised.value) == (
        f"test/Key: deletion_window_days={days} is outside the allowed 7-30 days; "
        "choose a whole number of days from 7 to 30"
    )
