"""Construction-time rules for a table's props.

Each rule raises :class:`~dynamodb_kit.errors.ValidationError` naming the
construct path, the field, the value, what is allowed and the fix. Rules run in
the order a reader would check the props: names, keys, indexes, capacity,
features.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Iterator, TypeVar

from . import limits
from .errors import ValidationError
from .table_props import (
    Attribute,
    AttributeType,
    BillingMode,
    ProjectionType,
    StreamViewType,
    TableClass,
    TableEncryption,
    TableProps,
)

E = TypeVar("E", bound=Enum)

_NAME = re.compile(limits.NAME_PATTERN)


def enum_value(path: str, field: str, value: object, enum: type[E]) -> E:
    """Coerce a literal (``"S"``) or member to ``enum``, or explain what is allowed."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(
            path, field, value, f"is not one of {allowed}", f"use one of {allowed}"
        ) from None


def check_name(path: str, field: str, name: str, minimum: int, maximum: int) -> None:
    if not isinstance(name, str) or not minimum <= len(name) <= maximum:
        raise ValidationError(
            path, field, name,
            f"must be {minimum}-{maximum} characters long",
            "choose a name of that length",
        )
    if not _NAME.fullmatch(name):
        raise ValidationError(
            path, field, name,
            "may only contain letters, digits, '_', '-' and '.'",
            "remove or replace the other characters",
        )


def _key_attributes(props: TableProps) -> Iterator[tuple[str, Attribute]]:
    """Every key attribute of the table and its indexes, with the field naming it."""
    yield "partition_key", props.partition_key
    if props.sort_key is not None:
        yield "sort_key", props.sort_key
    for i, gsi in enumerate(props.global_secondary_indexes):
        yield f"gsi[{i}].partition_key", gsi.partition_key
        if gsi.sort_key is not None:
            yield f"gsi[{i}].sort_key", gsi.sort_key
    for i, lsi in enumerate(props.local_secondary_indexes):
        yield f"lsi[{i}].sort_key", lsi.sort_key


def attribute_definitions(path: str, props: TableProps) -> dict[str, AttributeType]:
    """Name -> type of every key attribute, in first-use order.

    DynamoDB rejects an attribute definition that no key uses, so the list is
    derived from the keys and never written by hand.
    """
    definitions: dict[str, AttributeType] = {}
    first_field: dict[str, str] = {}
    for field, attribute in _key_attributes(props):
        if not isinstance(attribute.name, str) or not attribute.name:
            raise ValidationError(
                path, f"{field}.name", attribute.name,
                "must be a non-empty string", "name the key attribute",
            )
        kind = enum_value(path, f"{field}.type", attribute.type, AttributeType)
        known = definitions.setdefault(attribute.name, kind)
        if known is not kind:
            raise ValidationError(
                path, f"{field}.type", kind.value,
                f"conflicts with type {known.value} of '{attribute.name}' in "
                f"{first_field[attribute.name]}",
                "give an attribute one type everywhere it is a key",
            )
        first_field.setdefault(attribute.name, field)
    return definitions


def _check_projection(
    path: str, field: str, projection: object, non_key_attributes: tuple[str, ...]
) -> ProjectionType:
    kind = enum_value(path, f"{field}.projection", projection, ProjectionType)
    if kind is ProjectionType.INCLUDE and not non_key_attributes:
        raise ValidationError(
            path, f"{field}.non_key_attributes", non_key_attributes,
            "must list at least one attribute with projection INCLUDE",
            "list the attributes to project, or use KEYS_ONLY",
        )
    if kind is not ProjectionType.INCLUDE and non_key_attributes:
        raise ValidationError(
            path, f"{field}.non_key_attributes", non_key_attributes,
            f"is only allowed with projection INCLUDE, not {kind.value}",
            "remove them or use projection INCLUDE",
        )
    return kind


def _check_capacity(path: str, field: str, value: int | None, billing: BillingMode) -> None:
    if billing is BillingMode.PAY_PER_REQUEST and value is not None:
        raise ValidationError(
            path, field, value,
            "is not allowed with billing PAY_PER_REQUEST",
            "remove it or use PROVISIONED",
        )
    if billing is BillingMode.PROVISIONED:
        if value is None:
            raise ValidationError(
                path, field, value,
                "is required with billing PROVISIONED",
                "set it to at least 1 or use PAY_PER_REQUEST",
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                path, field, value, "must be a whole number of at least 1", "set it to 1 or more"
            )


def _check_indexes(path: str, props: TableProps, billing: BillingMode) -> None:
    gsis, lsis = props.global_secondary_indexes, props.local_secondary_indexes
    if len(gsis) > limits.MAX_GLOBAL_SECONDARY_INDEXES:
        raise ValidationError(
            path, "global_secondary_indexes", f"{len(gsis)} indexes",
            f"exceeds the quota of {limits.MAX_GLOBAL_SECONDARY_INDEXES} per table",
            "remove indexes (overload one GSI) or raise the quota first",
        )
    if len(lsis) > limits.MAX_LOCAL_SECONDARY_INDEXES:
        raise ValidationError(
            path, "local_secondary_indexes", f"{len(lsis)} indexes",
            f"exceeds the limit of {limits.MAX_LOCAL_SECONDARY_INDEXES} per table",
            "remove indexes or use global secondary indexes",
        )
    if lsis and props.sort_key is None:
        raise ValidationError(
            path, "local_secondary_indexes", [lsi.name for lsi in lsis],
            "need a table sort key",
            "add sort_key to the table (at creation) or use global secondary indexes",
        )
    seen: dict[str, str] = {}
    projected = 0
    indexes = [(f"gsi[{i}]", g) for i, g in enumerate(gsis)]
    indexes += [(f"lsi[{i}]", l) for i, l in enumerate(lsis)]
    for field, index in indexes:
        check_name(
            path, f"{field}.name", index.name,
            limits.INDEX_NAME_MIN_LENGTH, limits.INDEX_NAME_MAX_LENGTH,
        )
        if index.name in seen:
            raise ValidationError(
                path, f"{field}.name", index.name,
                f"is already used by {seen[index.name]}",
                "give every index of a table its own name",
            )
        seen[index.name] = field
        _check_projection(path, field, index.projection, index.non_key_attributes)
        projected += len(index.non_key_attributes)
    if projected > limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES:
        raise ValidationError(
            path, "non_key_attributes", f"{projected} in total",
            f"exceeds the limit of {limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES} projected "
            "non-key attributes across all indexes of a table",
            "project fewer attributes or use projection ALL",
        )
    for i, gsi in enumerate(gsis):
        _check_capacity(path, f"gsi[{i}].read_capacity", gsi.read_capacity, billing)
        _check_capacity(path, f"gsi[{i}].write_capacity", gsi.write_capacity, billing)


def _check_restore(path: str, props: TableProps) -> None:
    restore = props.restore
    if restore is None:
        return
    if restore.backup_arn is not None:
        raise ValidationError(
            path, "restore.backup_arn", restore.backup_arn,
            "cannot be restored by Terraform's aws_dynamodb_table (it restores from PITR only)",
            "restore the backup with AWS Backup or `aws dynamodb restore-table-from-backup`, "
            "then `terraform import` the new table; or restore from PITR with point_in_time",
        )
    sources = [s for s in (restore.source_table_name, restore.source_table_arn) if s]
    if len(sources) != 1:
        raise ValidationError(
            path, "restore.source_table_name", restore.source_table_name,
            f"and source_table_arn={restore.source_table_arn!r}: exactly one is needed",
            "name the source table, or give its ARN for another region or account",
        )
    if restore.source_table_name == props.table_name:
        raise ValidationError(
            path, "restore.source_table_name", restore.source_table_name,
            "is the table being created: a restore always creates a new table",
            "give the restored table a new table_name",
        )
    if bool(restore.point_in_time) == bool(restore.latest):
        raise ValidationError(
            path, "restore.point_in_time", restore.point_in_time,
            f"and latest={restore.latest}: exactly one is needed",
            "give a UTC timestamp such as 2026-11-27T03:00:00Z, or latest=True",
        )
    if restore.point_in_time and not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", restore.point_in_time
    ):
        raise ValidationError(
            path, "restore.point_in_time", restore.point_in_time,
            "is not an RFC 3339 UTC timestamp", "write it as 2026-11-27T03:00:00Z",
        )


def validate_table_props(path: str, props: TableProps) -> dict[str, AttributeType]:
    """Check every rule; return the derived attribute definitions."""
    check_name(
        path, "table_name", props.table_name,
        limits.TABLE_NAME_MIN_LENGTH, limits.TABLE_NAME_MAX_LENGTH,
    )
    definitions = attribute_definitions(path, props)
    billing = enum_value(path, "billing_mode", props.billing_mode, BillingMode)
    _check_indexes(path, props, billing)

    _check_capacity(path, "read_capacity", props.read_capacity, billing)
    _check_capacity(path, "write_capacity", props.write_capacity, billing)
    for field in ("max_read_request_units", "max_write_request_units"):
        value = getattr(props, field)
        if value is None:
            continue
        if billing is not BillingMode.PAY_PER_REQUEST:
            raise ValidationError(
                path, field, value,
                "is only allowed with billing PAY_PER_REQUEST",
                "remove it or use PAY_PER_REQUEST",
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                path, field, value, "must be a whole number of at least 1", "set it to 1 or more"
            )

    ttl = props.time_to_live_attribute
    primary_key = {props.partition_key.name: "partition key"}
    if props.sort_key is not None:
        primary_key[props.sort_key.name] = "sort key"
    if ttl is not None and ttl in primary_key:
        raise ValidationError(
            path, "time_to_live_attribute", ttl,
            f"is the table's {primary_key[ttl]}; TTL must use a non-key Number attribute",
            "store the expiry time in an attribute of its own",
        )

    if props.stream_view_type is not None:
        enum_value(path, "stream_view_type", props.stream_view_type, StreamViewType)
        if not props.stream_enabled:
            raise ValidationError(
                path, "stream_view_type", props.stream_view_type,
                "has no effect with stream_enabled=False",
                "set stream_enabled=True or remove stream_view_type",
            )
    elif props.stream_enabled:
        raise ValidationError(
            path, "stream_view_type", None,
            "is required with stream_enabled=True",
            "choose KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES",
        )

    encryption = enum_value(path, "encryption", props.encryption, TableEncryption)
    if props.encryption_key_arn is not None and encryption is not TableEncryption.CUSTOMER_MANAGED:
        raise ValidationError(
            path, "encryption_key_arn", props.encryption_key_arn,
            f"is only used with encryption CUSTOMER_MANAGED, not {encryption.value}",
            "remove it or use CUSTOMER_MANAGED",
        )
    enum_value(path, "table_class", props.table_class, TableClass)

    period = props.recovery_period_days
    if period is not None:
        if not props.point_in_time_recovery:
            raise ValidationError(
                path, "recovery_period_days", period,
                "has no effect with point_in_time_recovery=False",
                "remove it or turn point-in-time recovery on",
            )
        low, high = limits.MIN_RECOVERY_PERIOD_DAYS, limits.MAX_RECOVERY_PERIOD_DAYS
        if isinstance(period, bool) or not isinstance(period, int) or not low <= period <= high:
            raise ValidationError(
                path, "recovery_period_days", period,
                f"is outside the allowed {low}-{high} days",
                f"choose a whole number of days from {low} to {high}",
            )
    _check_restore(path, props)
    return definitions
