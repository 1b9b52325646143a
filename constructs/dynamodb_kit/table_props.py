"""Typed, frozen props of a DynamoDB table and its indexes.

Enum values are the service's own literals, so they read the same here, in the
synthesized JSON and in the AWS documentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping


class AttributeType(str, Enum):
    """Scalar types a key attribute can have."""

    STRING = "S"
    NUMBER = "N"
    BINARY = "B"


class ProjectionType(str, Enum):
    """Which attributes an index copies from the table."""

    ALL = "ALL"
    KEYS_ONLY = "KEYS_ONLY"
    INCLUDE = "INCLUDE"


class BillingMode(str, Enum):
    PAY_PER_REQUEST = "PAY_PER_REQUEST"
    PROVISIONED = "PROVISIONED"


class StreamViewType(str, Enum):
    KEYS_ONLY = "KEYS_ONLY"
    NEW_IMAGE = "NEW_IMAGE"
    OLD_IMAGE = "OLD_IMAGE"
    NEW_AND_OLD_IMAGES = "NEW_AND_OLD_IMAGES"


class TableClass(str, Enum):
    STANDARD = "STANDARD"
    STANDARD_INFREQUENT_ACCESS = "STANDARD_INFREQUENT_ACCESS"


class TableEncryption(str, Enum):
    """Who owns the key that encrypts the table at rest."""

    AWS_OWNED = "AWS_OWNED"  # DynamoDB's own key, free, not visible in the account
    AWS_MANAGED = "AWS_MANAGED"  # the account's aws/dynamodb key
    CUSTOMER_MANAGED = "CUSTOMER_MANAGED"  # a KMS key the account controls


@dataclass(frozen=True)
class Attribute:
    """A key attribute: its name and scalar type.

    ``type`` accepts an :class:`AttributeType` or its literal (``"S"``, ``"N"``,
    ``"B"``). Default: ``"S"``.
    """

    name: str
    type: AttributeType | str = AttributeType.STRING


@dataclass(frozen=True, kw_only=True)
class GlobalSecondaryIndex:
    """A global secondary index: its own keys, projection and capacity.

    Attributes
    ----------
    name:
        Index name, 3-255 characters of ``[a-zA-Z0-9_.-]``.
    partition_key:
        The index's partition key.
    sort_key:
        Default: none.
    projection:
        Default: ``ALL``. Every projected attribute is written again on each
        table write; ``KEYS_ONLY`` or ``INCLUDE`` keep indexes cheap.
    non_key_attributes:
        Attributes copied with ``INCLUDE`` (required then, not allowed otherwise).
    read_capacity, write_capacity:
        Required when the table is ``PROVISIONED``, not allowed otherwise.
    """

    name: str
    partition_key: Attribute
    sort_key: Attribute | None = None
    projection: ProjectionType | str = ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()
    read_capacity: int | None = None
    write_capacity: int | None = None


@dataclass(frozen=True, kw_only=True)
class LocalSecondaryIndex:
    """A local secondary index: the table's partition key, another sort key.

    LSIs exist only from the table's creation: adding or removing one replaces
    the table (and loses its data).
    """

    name: str
    sort_key: Attribute
    projection: ProjectionType | str = ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RestoreSource:
    """Create a table as a point-in-time restore of another table.

    Restoring always creates a new table; the source is left untouched. Give one
    source (``source_table_name`` in this region and account, or
    ``source_table_arn`` for another region/account) and one moment
    (``point_in_time`` or ``latest=True``). The target's own props (billing,
    capacity, encryption, fewer GSIs) apply on the way.

    Attributes
    ----------
    source_table_name, source_table_arn:
        The table whose PITR history is restored.
    point_in_time:
        UTC timestamp, RFC 3339 (``2026-11-27T03:00:00Z``), within the source's
        recovery period.
    latest:
        Restore to the latest restorable time (about 5 minutes ago).
    backup_arn:
        Not supported by Terraform's ``aws_dynamodb_table`` (it restores from
        PITR only); given, it is rejected with the way to do it instead.
    """

    source_table_name: str | None = None
    source_table_arn: str | None = None
    point_in_time: str | None = None
    latest: bool = False
    backup_arn: str | None = None


@dataclass(frozen=True, kw_only=True)
class TableProps:
    """Everything a :class:`~dynamodb_kit.table.Table` needs.

    Attributes
    ----------
    table_name:
        Physical name, 3-255 characters of ``[a-zA-Z0-9_.-]``. Changing it
        replaces the table.
    partition_key, sort_key:
        The primary key. Default sort key: none. Changing either replaces the table.
    global_secondary_indexes:
        Default: none. At most 20 (the default quota).
    local_secondary_indexes:
        Default: none. At most 5; need a table sort key.
    billing_mode:
        Default: ``PAY_PER_REQUEST`` (on-demand), the right choice for new or
        unknown traffic.
    read_capacity, write_capacity:
        Required with ``PROVISIONED``, not allowed with ``PAY_PER_REQUEST``.
    max_read_request_units, max_write_request_units:
        On-demand ceiling per second, a cost guard. Default: no ceiling.
    time_to_live_attribute:
        Number attribute holding an epoch-seconds expiry. Default: TTL off.
    stream_enabled, stream_view_type:
        Default: no stream. A view type is required when the stream is on.
    encryption:
        Default: ``AWS_OWNED``.
    encryption_key_arn:
        Existing KMS key for ``CUSTOMER_MANAGED``. Default: the construct
        creates a key with rotation on.
    table_class:
        Default: ``STANDARD``.
    deletion_protection:
        Default: ``True``: the API refuses to delete the table until it is
        switched off in a change of its own.
    point_in_time_recovery:
        Default: ``True``. Turning it off is an explicit choice.
    recovery_period_days:
        PITR window, 1-35 days. Default: 35 when PITR is on.
    prevent_destroy:
        Terraform ``lifecycle.prevent_destroy``: any plan that would destroy the
        table fails. Default: ``False``.
    tags:
        Default: none (the stack's default tags still apply).
    restore:
        Create the table from another table's PITR history. Default: an empty
        table. Removing it after the restore changes nothing (the construct
        ignores later changes of the restore arguments).
    destruction_approved:
        A named opt-in (who approved it, why) that lets the plan guard pass a
        plan replacing or deleting this table. Default: none, the guard blocks.
        Remove it once applied.
    """

    table_name: str
    partition_key: Attribute
    sort_key: Attribute | None = None
    global_secondary_indexes: tuple[GlobalSecondaryIndex, ...] = ()
    local_secondary_indexes: tuple[LocalSecondaryIndex, ...] = ()
    billing_mode: BillingMode | str = BillingMode.PAY_PER_REQUEST
    read_capacity: int | None = None
    write_capacity: int | None = None
    max_read_request_units: int | None = None
    max_write_request_units: int | None = None
    time_to_live_attribute: str | None = None
    stream_enabled: bool = False
    stream_view_type: StreamViewType | str | None = None
    encryption: TableEncryption | str = TableEncryption.AWS_OWNED
    encryption_key_arn: str | None = None
    table_class: TableClass | str = TableClass.STANDARD
    deletion_protection: bool = True
    point_in_time_recovery: bool = True
    recovery_period_days: int | None = None
    prevent_destroy: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    restore: RestoreSource | None = None
    destruction_approved: str | None = None
