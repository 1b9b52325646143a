"""Construction-time rules that relate several fields of a table's props.

Types and single values are checked when the props objects are created
(``core/checked.py`` and each value object's ``_check``); what remains here are
DynamoDB's rules about keys, indexes and billing, which need the whole table.
Each rule raises :class:`~dynamodb_kit.core.errors.ValidationError` naming the
construct path, the field, the value, what is allowed and the fix, in the order
a reader would check the props: names, keys, indexes, billing, features.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..core.errors import ValidationError
from . import limits
from .capacity import FixedCapacity
from .props import (
    Attribute,
    AttributeType,
    BillingMode,
    EncryptionType,
    ProjectionType,
    StreamViewType,
    TableProps,
    check_attribute_name,
)

_NAME = re.compile(limits.NAME_PATTERN)


def check_name(path: str, field: str, name: str, minimum: int, maximum: int) -> None:
    if not minimum <= len(name) <= maximum:
        raise ValidationError(
            path, field, name,
            problem=f"must be {minimum}-{maximum} characters long",
            fix="choose a name of that length",
        )
    if not _NAME.fullmatch(name):
        raise ValidationError(
            path, field, name,
            problem="may only contain letters, digits, '_', '-' and '.'",
            fix="remove or replace the other characters",
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
        known = definitions.setdefault(attribute.name, attribute.type)
        if known is not attribute.type:
            raise ValidationError(
                path, f"{field}.type", attribute.type.value,
                problem=f"conflicts with type {known.value} of '{attribute.name}' in "
                f"{first_field[attribute.name]}",
                fix="give an attribute one type everywhere it is a key",
            )
        first_field.setdefault(attribute.name, field)
    return definitions


def _check_distinct_keys(path: str, props: TableProps) -> None:
    """A key schema names two different attributes (table, each GSI, each LSI)."""
    schemas = [("sort_key", "the table", props.partition_key, props.sort_key)]
    schemas += [
        (f"gsi[{i}].sort_key", f"index {g.name}", g.partition_key, g.sort_key)
        for i, g in enumerate(props.global_secondary_indexes)
    ]
    schemas += [
        (f"lsi[{i}].sort_key", f"local index {l.name} (whose partition key is the table's)",
         props.partition_key, l.sort_key)
        for i, l in enumerate(props.local_secondary_indexes)
    ]
    for field, owner, partition, sort in schemas:
        if sort is not None and sort.name == partition.name:
            raise ValidationError(
                path, f"{field}.name", sort.name,
                problem=f"is also the partition key of {owner}; a key schema needs two "
                "different attributes",
                fix="choose another sort key attribute, or leave the sort key out",
            )


def _check_projection(path: str, field: str, kind: ProjectionType, non_key: tuple[str, ...]) -> None:
    if kind is ProjectionType.INCLUDE and not non_key:
        raise ValidationError(
            path, f"{field}.non_key_attributes", non_key,
            problem="must list at least one attribute with projection INCLUDE",
            fix="list the attributes to project, or use KEYS_ONLY",
        )
    if kind is not ProjectionType.INCLUDE and non_key:
        raise ValidationError(
            path, f"{field}.non_key_attributes", non_key,
            problem=f"is only allowed with projection INCLUDE, not {kind.value}",
            fix="remove them or use projection INCLUDE",
        )
    for j, name in enumerate(non_key):
        check_attribute_name(path, f"{field}.non_key_attributes[{j}]", name)
        if name in non_key[:j]:
            raise ValidationError(
                path, f"{field}.non_key_attributes[{j}]", name,
                problem="is listed twice", fix="list each projected attribute once",
            )


def _check_indexes(path: str, props: TableProps) -> None:
    gsis, lsis = props.global_secondary_indexes, props.local_secondary_indexes
    if len(gsis) > limits.MAX_GLOBAL_SECONDARY_INDEXES:
        raise ValidationError(
            path, "global_secondary_indexes", f"{len(gsis)} indexes",
            problem=f"exceeds the quota of {limits.MAX_GLOBAL_SECONDARY_INDEXES} per table",
            fix="remove indexes (overload one GSI) or raise the quota first",
        )
    if len(lsis) > limits.MAX_LOCAL_SECONDARY_INDEXES:
        raise ValidationError(
            path, "local_secondary_indexes", f"{len(lsis)} indexes",
            problem=f"exceeds the limit of {limits.MAX_LOCAL_SECONDARY_INDEXES} per table",
            fix="remove indexes or use global secondary indexes",
        )
    if lsis and props.sort_key is None:
        raise ValidationError(
            path, "local_secondary_indexes", [lsi.name for lsi in lsis],
            problem="need a table sort key",
            fix="add sort_key to the table (at creation) or use global secondary indexes",
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
                problem=f"is already used by {seen[index.name]}",
                fix="give every index of a table its own name",
            )
        seen[index.name] = field
        _check_projection(path, field, index.projection, index.non_key_attributes)
        projected += len(index.non_key_attributes)
    if projected > limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES:
        raise ValidationError(
            path, "non_key_attributes", f"{projected} in total",
            problem=f"exceeds the limit of {limits.MAX_PROJECTED_NON_KEY_ATTRIBUTES} projected "
            "non-key attributes across all indexes of a table",
            fix="project fewer attributes or use projection ALL",
        )
    mode = props.billing.mode
    for i, gsi in enumerate(gsis):
        if gsi.billing is not None and gsi.billing.mode is not mode:
            raise ValidationError(
                path, f"gsi[{i}].billing.mode", gsi.billing.mode.value,
                problem=f"differs from the table's billing mode {mode.value}",
                fix="give the index the table's mode (Billing.on_demand(...) or "
                "Billing.provisioned(...)), or leave billing out to follow the table",
            )


def _check_time_to_live(path: str, props: TableProps, definitions: dict[str, AttributeType]) -> None:
    ttl = props.time_to_live_attribute
    if ttl is None:
        return
    check_attribute_name(path, "time_to_live_attribute", ttl)
    primary_key = {props.partition_key.name: "partition key"}
    if props.sort_key is not None:
        primary_key[props.sort_key.name] = "sort key"
    if ttl in primary_key:
        raise ValidationError(
            path, "time_to_live_attribute", ttl,
            problem=f"is the table's {primary_key[ttl]}; TTL must use a non-key Number attribute",
            fix="store the expiry time in an attribute of its own",
        )
    kind = definitions.get(ttl)
    if kind is not None and kind is not AttributeType.NUMBER:
        raise ValidationError(
            path, "time_to_live_attribute", ttl,
            problem=f"is an index key of type {kind.value}; TTL reads only Number (epoch seconds)",
            fix="make that index key type N, or store the expiry in another attribute",
        )


def validate_table_props(path: str, props: TableProps) -> dict[str, AttributeType]:
    """Check every rule; return the derived attribute definitions."""
    check_name(
        path, "table_name", props.table_name,
        limits.TABLE_NAME_MIN_LENGTH, limits.TABLE_NAME_MAX_LENGTH,
    )
    _check_distinct_keys(path, props)
    definitions = attribute_definitions(path, props)
    _check_indexes(path, props)
    _check_time_to_live(path, props, definitions)
    restore = props.restore
    if restore is not None and restore.table_name == props.table_name:
        raise ValidationError(
            path, "restore.table_name", restore.table_name,
            problem="is the table being created: a restore always creates a new table",
            fix="give the restored table a new table_name",
        )
    return definitions


def validate_replicas(path: str, props: TableProps, home_region: str | None) -> None:
    """Global-table rules: distinct regions other than the table's, the stream
    replication needs, billing that can follow traffic in every region, keys
    only where the table is customer-managed, MRSC only with a provider that has it."""
    if props.multi_region_strong_consistency:
        raise ValidationError(
            path, "multi_region_strong_consistency", True,
            problem=f"needs AWS provider >= {limits.MRSC_PROVIDER_VERSION} (replica.consistency_mode); "
            "the kit's provider constraint admits 5.100.0, which does not have it",
            fix="leave it False (eventual consistency) until the kit requires provider "
            f">= {limits.MRSC_PROVIDER_VERSION}",
        )
    if not props.replicas:
        return
    if home_region is None:
        raise ValidationError(
            path, "replicas[0].region", props.replicas[0].region,
            problem="needs a provider for that region, copied from the stack's, and the stack has none",
            fix="call add_aws_provider(stack, region=...) before constructing the table",
        )
    seen: dict[str, int] = {}
    for i, replica in enumerate(props.replicas):
        field = f"replicas[{i}].region"
        if replica.region == home_region:
            raise ValidationError(
                path, field, replica.region,
                problem="is the table's own region; a replica lives in another region",
                fix="choose another region, or remove the replica",
            )
        if replica.region in seen:
            raise ValidationError(
                path, field, replica.region,
                problem=f"is already the region of replicas[{seen[replica.region]}]",
                fix="keep one replica per region",
            )
        seen[replica.region] = i
        if replica.encryption_key_arn is not None and props.encryption.type is not EncryptionType.CUSTOMER_MANAGED:
            raise ValidationError(
                path, f"replicas[{i}].encryption_key_arn", replica.encryption_key_arn,
                problem=f"needs a customer-managed table, not {props.encryption.type.value}",
                fix="use TableEncryption.customer_managed(...) on the table, or leave the replica's key out",
            )
    if props.stream is not None and props.stream is not StreamViewType.NEW_AND_OLD_IMAGES:
        raise ValidationError(
            path, "stream", props.stream.value,
            problem="is not NEW_AND_OLD_IMAGES, the stream global table replication needs",
            fix="set stream=StreamViewType.NEW_AND_OLD_IMAGES, or leave it out (replicas set it)",
        )
    if props.billing.mode is BillingMode.PROVISIONED:
        dimensions = [("billing", props.billing)] + [
            (f"global_secondary_indexes[{i}].billing", g.billing)
            for i, g in enumerate(props.global_secondary_indexes) if g.billing is not None
        ]
        for field, billing in dimensions:
            for kind in ("read", "write"):
                capacity = getattr(billing, kind)
                if isinstance(capacity, FixedCapacity):
                    raise ValidationError(
                        path, f"{field}.{kind}", capacity.initial_units,
                        problem="is fixed capacity; a global table's replicas need on-demand "
                        "billing or autoscaled capacity to follow each region's traffic",
                        fix=f"use {kind}=Capacity.autoscaled(min=, max=), or Billing.on_demand()",
                    )
    if props.restore is not None:
        raise ValidationError(
            path, "replicas", tuple(r.region for r in props.replicas),
            problem="cannot be created with a restore: DynamoDB restores into one region",
            fix="restore first, then add the replicas in a later change",
        )
