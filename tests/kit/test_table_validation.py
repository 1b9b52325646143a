"""Every construction-time rule of a table, with its exact message.

Rules about one value are checked when its props object is created (the path
is the props type: ``Billing: ...``); rules that relate several fields of a
table are checked by the Table construct (the path is the construct's:
``test/T: ...``).
"""

from __future__ import annotations

import dataclasses

import pytest

from dynamodb_kit import (
    Attribute,
    Billing,
    BillingMode,
    Capacity,
    EncryptionKeyProps,
    EncryptionType,
    GlobalSecondaryIndex as GSI,
    LocalSecondaryIndex as LSI,
    PointInTimeRecovery,
    ProjectionType,
    RestoreSource,
    StreamViewType,
    Table,
    TableEncryption,
    TableProps,
    ValidationError,
)

BASE = TableProps(table_name="Orders", partition_key=Attribute("pk"), sort_key=Attribute("sk"))
PROVISIONED = Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5))


def gsi(name: str = "ByStatus", **kwargs) -> GSI:
    return GSI(name=name, partition_key=Attribute("status"), **kwargs)


def lsi(name: str = "ByDate", **kwargs) -> LSI:
    return LSI(name=name, sort_key=Attribute("date"), **kwargs)


# Rules the Table construct checks, with its path.
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
    "GSI capacity with on-demand": (
        dict(global_secondary_indexes=(gsi(), gsi("Other", billing=PROVISIONED))),
        "test/T: gsi[1].billing.mode='PROVISIONED' differs from the table's billing mode "
        "PAY_PER_REQUEST; give the index the table's mode (Billing.on_demand(...) or "
        "Billing.provisioned(...)), or leave billing out to follow the table",
    ),
    "GSI on-demand ceiling with provisioned": (
        dict(billing=PROVISIONED,
             global_secondary_indexes=(gsi(billing=Billing.on_demand(max_read=100)),)),
        "test/T: gsi[0].billing.mode='PAY_PER_REQUEST' differs from the table's billing mode "
        "PROVISIONED; give the index the table's mode (Billing.on_demand(...) or "
        "Billing.provisioned(...)), or leave billing out to follow the table",
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
    "restore onto itself": (
        dict(restore=RestoreSource.from_table_name("Orders", point_in_time="latest")),
        "test/T: restore.table_name='Orders' is the table being created: a restore "
        "always creates a new table; give the restored table a new table_name",
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


# Rules checked when a props object is created, with the props type as path.
# Each case is a function: the wrong object cannot even be built at import.
PROPS_CASES = {
    "key type": (
        lambda: Attribute("pk", "STRING"),
        "Attribute: type='STRING' is not one of S, N, B; use an AttributeType member or "
        "one of S, N, B",
    ),
    "unknown projection": (
        lambda: gsi(projection="SOME"),
        "GlobalSecondaryIndex: projection='SOME' is not one of ALL, KEYS_ONLY, INCLUDE; "
        "use a ProjectionType member or one of ALL, KEYS_ONLY, INCLUDE",
    ),
    "table capacity with on-demand": (
        lambda: Billing(mode=BillingMode.PAY_PER_REQUEST, read=Capacity.fixed(5)),
        "Billing: read=FixedCapacity(units=5) is not allowed with mode PAY_PER_REQUEST; "
        "use Billing.on_demand(max_read=, max_write=) or "
        "Billing.provisioned(read=Capacity.fixed(n), write=Capacity.autoscaled(...))",
    ),
    "table capacity missing with provisioned": (
        lambda: Billing(mode="PROVISIONED", read=Capacity.fixed(5)),
        "Billing: write=None is required with mode PROVISIONED; give write=Capacity.fixed(n)",
    ),
    "GSI capacity missing with provisioned": (
        lambda: gsi(billing=Billing(mode="PROVISIONED", write=Capacity.fixed(1))),
        "Billing: read=None is required with mode PROVISIONED; give read=Capacity.fixed(n)",
    ),
    "capacity below 1": (
        lambda: Billing.provisioned(read=Capacity.fixed(0), write=Capacity.fixed(1)),
        "FixedCapacity: units=0 is outside 1-40,000 capacity units; choose a whole number in "
        "that range (ask AWS Service Quotas to raise the per-table quota for more)",
    ),
    "unknown billing mode": (
        lambda: Billing(mode="ON_DEMAND"),
        "Billing: mode='ON_DEMAND' is not one of PAY_PER_REQUEST, PROVISIONED; "
        "use a BillingMode member or one of PAY_PER_REQUEST, PROVISIONED",
    ),
    "max request units with provisioned": (
        lambda: dataclasses.replace(PROVISIONED, max_read=100),
        "Billing: max_read=100 is not allowed with mode PROVISIONED; "
        "use Billing.on_demand(max_read=, max_write=) or "
        "Billing.provisioned(read=Capacity.fixed(n), write=Capacity.autoscaled(...))",
    ),
    "stream without view type": (
        lambda: dataclasses.replace(BASE, stream=True),
        "TableProps: stream=True is not one of KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, "
        "NEW_AND_OLD_IMAGES; use a StreamViewType member or one of KEYS_ONLY, NEW_IMAGE, "
        "OLD_IMAGE, NEW_AND_OLD_IMAGES",
    ),
    "recovery period 0": (
        lambda: PointInTimeRecovery(0),
        "PointInTimeRecovery: days=0 is outside the allowed 1-35 days; "
        "choose a whole number of days from 1 to 35",
    ),
    "recovery period 36": (
        lambda: PointInTimeRecovery(days=36),
        "PointInTimeRecovery: days=36 is outside the allowed 1-35 days; "
        "choose a whole number of days from 1 to 35",
    ),
    "restore with two sources": (
        lambda: RestoreSource(
            table_name="a-table",
            table_arn="arn:aws:dynamodb:us-east-1:123456789012:table/a-table",
            point_in_time="latest",
        ),
        "RestoreSource: table_name='a-table' and "
        "table_arn='arn:aws:dynamodb:us-east-1:123456789012:table/a-table': exactly one is "
        "needed; use RestoreSource.from_table_name(...) or RestoreSource.from_table_arn(...)",
    ),
    "restore without a moment": (
        lambda: RestoreSource.from_table_name("prod-Orders", point_in_time=None),
        "RestoreSource: point_in_time=None must be a str, not NoneType; "
        "give a UTC instant such as 2026-11-27T03:00:00Z, or 'latest'",
    ),
    "restore timestamp not UTC": (
        lambda: RestoreSource.from_table_name("prod-Orders", point_in_time="2026-11-27 03:00"),
        "RestoreSource: point_in_time='2026-11-27 03:00' is not an RFC 3339 UTC timestamp; "
        "write a real UTC instant such as 2026-11-27T03:00:00Z",
    ),
    "key ARN without customer-managed encryption": (
        lambda: TableEncryption(
            type=EncryptionType.AWS_MANAGED,
            key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        "TableEncryption: key_arn='arn:aws:kms:us-east-1:123456789012:key/"
        "1234abcd-12ab-34cd-56ef-1234567890ab' is only used with CUSTOMER_MANAGED, not "
        "AWS_MANAGED; use TableEncryption.customer_managed(key_arn=...)",
    ),
}


@pytest.mark.parametrize("build, message", PROPS_CASES.values(), ids=PROPS_CASES.keys())
def test_props_reject_with_exact_message(build, message):
    with pytest.raises(ValidationError) as raised:
        build()
    assert str(raised.value) == message


def test_error_carries_path_field_and_value(stack):
    with pytest.raises(ValidationError) as raised:
        PointInTimeRecovery(days=40)
    assert (raised.value.path, raised.value.field, raised.value.value) == (
        "PointInTimeRecovery", "days", 40
    )
    with pytest.raises(ValidationError) as raised:
        Table(stack, "T", dataclasses.replace(BASE, table_name="ab"))
    assert (raised.value.path, raised.value.field, raised.value.value) == (
        "test/T", "table_name", "ab"
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
        "test/T: stream=None means the table has no stream ARN; "
        "give the table a stream (stream=StreamViewType.NEW_AND_OLD_IMAGES, ...)"
    )


def test_stream_view_type_literal_is_coerced_to_the_enum():
    assert dataclasses.replace(BASE, stream="NEW_IMAGE").stream is StreamViewType.NEW_IMAGE


@pytest.mark.parametrize("days", [6, 31])
def test_key_deletion_window_outside_7_to_30_is_rejected(days):
    with pytest.raises(ValidationError) as raised:
        EncryptionKeyProps(deletion_window_days=days)
    assert str(raised.value) == (
        f"EncryptionKeyProps: deletion_window_days={days} is outside the allowed 7-30 days; "
        "choose a whole number of days from 7 to 30"
    )
