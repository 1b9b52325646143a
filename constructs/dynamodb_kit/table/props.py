"""Typed, frozen props of a DynamoDB table and its indexes, as value objects.

Enum values are the service's own literals, so they read the same here, in the
synthesized JSON and in the AWS documentation; a props field typed with an enum
also takes its literal (``"S"``). Every props type checks its fields' types when
it is created (see ``core/checked.py``); each value object checks its own
range. Rules that relate several fields (keys, indexes, billing) are checked by
the :class:`~dynamodb_kit.table.table.Table` construct, with its path.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Literal, Mapping

from ..core.aws_names import check_arn, is_reference, parse_instant
from ..core.checked import props
from ..core.errors import ValidationError
from . import limits
from .capacity import Capacity


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


class EncryptionType(str, Enum):
    """Who owns the key that encrypts the table at rest."""

    AWS_OWNED = "AWS_OWNED"  # DynamoDB's own key, free, not visible in the account
    AWS_MANAGED = "AWS_MANAGED"  # the account's aws/dynamodb key
    CUSTOMER_MANAGED = "CUSTOMER_MANAGED"  # a KMS key the account controls


def check_attribute_name(where: str, field: str, name: str) -> None:
    """Key and projected attribute names: 1-255 bytes of UTF-8."""
    size = len(name.encode())
    if not 1 <= size <= limits.MAX_KEY_ATTRIBUTE_NAME_BYTES:
        raise ValidationError(
            where, field, name,
            problem=f"is {size} bytes long; key and projected attribute names must be "
            f"1-{limits.MAX_KEY_ATTRIBUTE_NAME_BYTES} bytes (UTF-8)",
            fix="use a shorter attribute name",
        )


@props(positional=True)
class Attribute:
    """A key attribute: its name and scalar type.

    Attributes
    ----------
    name:
        1-255 bytes.
    type:
        An :class:`AttributeType` or its literal (``"S"``, ``"N"``, ``"B"``).
        Default: ``"S"``.
    """

    name: str
    type: AttributeType = AttributeType.STRING

    def _check(self) -> None:
        check_attribute_name("Attribute", "name", self.name)


@props
class Billing:
    """How a table (or one GSI) pays for throughput. Build it with a classmethod.

    Attributes
    ----------
    mode:
        ``PAY_PER_REQUEST`` (on-demand) or ``PROVISIONED``.
    read, write:
        Provisioned capacities, ``Capacity.fixed(n)`` or
        ``Capacity.autoscaled(...)`` (``PROVISIONED`` only). Default: none.
    max_read, max_write:
        On-demand ceilings in request units per second, a cost guard
        (``PAY_PER_REQUEST`` only). Default: none, no ceiling.
    """

    mode: BillingMode
    read: Capacity | None = None
    write: Capacity | None = None
    max_read: int | None = None
    max_write: int | None = None

    @classmethod
    def on_demand(cls, *, max_read: int | None = None, max_write: int | None = None) -> "Billing":
        """Pay per request: the right default for new, unknown or spiky traffic."""
        return cls(mode=BillingMode.PAY_PER_REQUEST, max_read=max_read, max_write=max_write)

    @classmethod
    def provisioned(cls, *, read: Capacity, write: Capacity) -> "Billing":
        """Pay for capacity per hour: cheaper for steady, known traffic, or
        traffic that autoscaling or schedules can follow."""
        return cls(mode=BillingMode.PROVISIONED, read=read, write=write)

    def _check(self) -> None:
        on_demand = self.mode is BillingMode.PAY_PER_REQUEST
        for name in ("read", "write", "max_read", "max_write"):
            value = getattr(self, name)
            belongs = name.startswith("max_") == on_demand
            if value is not None and not belongs:
                raise ValidationError(
                    "Billing", name, value,
                    problem=f"is not allowed with mode {self.mode.value}",
                    fix="use Billing.on_demand(max_read=, max_write=) or "
                    "Billing.provisioned(read=Capacity.fixed(n), write=Capacity.autoscaled(...))",
                )
            if value is None and not on_demand and belongs:
                raise ValidationError(
                    "Billing", name, value, problem="is required with mode PROVISIONED",
                    fix=f"give {name}=Capacity.fixed(n)",
                )
            if isinstance(value, int) and value < 1:
                raise ValidationError(
                    "Billing", name, value, problem="must be at least 1 request unit per second",
                    fix="give 1 or more, or leave it out for no ceiling",
                )


@props(positional=True)
class PointInTimeRecovery:
    """Continuous backups: restore to any second of the last ``days`` days.

    Attributes
    ----------
    days:
        Recovery period, 1-35. Default: 35.
    """

    days: int = limits.MAX_RECOVERY_PERIOD_DAYS

    def _check(self) -> None:
        low, high = limits.MIN_RECOVERY_PERIOD_DAYS, limits.MAX_RECOVERY_PERIOD_DAYS
        if not low <= self.days <= high:
            raise ValidationError(
                "PointInTimeRecovery", "days", self.days,
                problem=f"is outside the allowed {low}-{high} days",
                fix=f"choose a whole number of days from {low} to {high}",
            )


@props
class TableEncryption:
    """Encryption at rest. Build it with a classmethod.

    Attributes
    ----------
    type:
        Who owns the key.
    key_arn:
        An existing KMS key (``CUSTOMER_MANAGED`` only). Default: none: the
        :class:`Table` creates a key with rotation on.
    """

    type: EncryptionType
    key_arn: str | None = None

    @classmethod
    def aws_owned(cls) -> "TableEncryption":
        """DynamoDB's own key: free, invisible in the account (the default)."""
        return cls(type=EncryptionType.AWS_OWNED)

    @classmethod
    def aws_managed(cls) -> "TableEncryption":
        """The account's ``aws/dynamodb`` key."""
        return cls(type=EncryptionType.AWS_MANAGED)

    @classmethod
    def customer_managed(cls, key_arn: str | None = None) -> "TableEncryption":
        """A KMS key the account controls: ``key_arn``, or one the table creates."""
        return cls(type=EncryptionType.CUSTOMER_MANAGED, key_arn=key_arn)

    def _check(self) -> None:
        if self.key_arn is None:
            return
        if self.type is not EncryptionType.CUSTOMER_MANAGED:
            raise ValidationError(
                "TableEncryption", "key_arn", self.key_arn,
                problem=f"is only used with CUSTOMER_MANAGED, not {self.type.value}",
                fix="use TableEncryption.customer_managed(key_arn=...)",
            )
        check_arn("TableEncryption", "key_arn", self.key_arn, "kms")


@props
class GlobalSecondaryIndex:
    """A global secondary index: its own keys, projection and billing.

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
        Default: none.
    billing:
        The index's capacities or on-demand ceilings; its mode must be the
        table's. Default: none: the table's (the same provisioned capacities;
        no on-demand ceiling).
    """

    name: str
    partition_key: Attribute
    sort_key: Attribute | None = None
    projection: ProjectionType = ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()
    billing: Billing | None = None


@props
class LocalSecondaryIndex:
    """A local secondary index: the table's partition key, another sort key.

    LSIs exist only from the table's creation: adding or removing one replaces
    the table (and loses its data).

    Attributes
    ----------
    name:
        Index name, 3-255 characters of ``[a-zA-Z0-9_.-]``.
    sort_key:
        Not the table's partition key.
    projection:
        Default: ``ALL``.
    non_key_attributes:
        With ``INCLUDE`` only. Default: none.
    """

    name: str
    sort_key: Attribute
    projection: ProjectionType = ProjectionType.ALL
    non_key_attributes: tuple[str, ...] = ()


@props
class RestoreSource:
    """Create a table as a point-in-time restore of another table.

    Restoring always creates a new table; the source is left untouched. Build
    it with :meth:`from_table_name` (same region and account) or
    :meth:`from_table_arn` (another region or account).

    Attributes
    ----------
    table_name, table_arn:
        The table whose PITR history is restored: exactly one of them. Each
        Default: none (use a classmethod, which sets one).
    point_in_time:
        A UTC instant, RFC 3339 (``2026-11-27T03:00:00Z``), within the source's
        recovery period, or ``"latest"`` (about 5 minutes ago).
    """

    point_in_time: str = field(metadata={"fix": "give a UTC instant such as 2026-11-27T03:00:00Z, or 'latest'"})
    table_name: str | None = None
    table_arn: str | None = None

    @classmethod
    def from_table_name(cls, table_name: str, *, point_in_time: str) -> "RestoreSource":
        return cls(table_name=table_name, point_in_time=point_in_time)

    @classmethod
    def from_table_arn(cls, table_arn: str, *, point_in_time: str) -> "RestoreSource":
        return cls(table_arn=table_arn, point_in_time=point_in_time)

    @property
    def latest(self) -> bool:
        return self.point_in_time == "latest"

    def _check(self) -> None:
        if (self.table_name is None) == (self.table_arn is None):
            raise ValidationError(
                "RestoreSource", "table_name", self.table_name,
                problem=f"and table_arn={self.table_arn!r}: exactly one is needed",
                fix="use RestoreSource.from_table_name(...) or RestoreSource.from_table_arn(...)",
            )
        if self.table_arn is not None:
            check_arn("RestoreSource", "table_arn", self.table_arn, "dynamodb-table")
        if not self.latest and not is_reference(self.point_in_time):
            parse_instant("RestoreSource", "point_in_time", self.point_in_time)


@props
class Replica:
    """A replica of the table in another region (global tables version 2019.11.21).

    Managed as an ``aws_dynamodb_table_replica`` in the region's provider, so a
    change of its key, PITR or class updates that replica alone (the inline
    ``replica`` block of ``aws_dynamodb_table`` recreates replicas on such changes).

    Attributes
    ----------
    region:
        An AWS region other than the table's, e.g. ``"us-west-2"``.
    encryption_key_arn:
        A KMS key in ``region`` (customer-managed tables only). Default: none:
        a customer-managed table gets a key the kit creates in ``region``; other
        tables use the same kind of key as the table there.
    point_in_time_recovery:
        PITR of the replica (AWS keeps 35 days: the provider cannot set a
        replica's recovery period). Default: none, on when the table has PITR.
    deletion_protection:
        Default: none, the table's.
    table_class:
        Table class of this replica. Default: none, the table's.
    propagate_tags:
        Give the replica the table's tags. Default: ``True``.
    """

    region: str
    encryption_key_arn: str | None = None
    point_in_time_recovery: bool | None = None
    deletion_protection: bool | None = None
    table_class: TableClass | None = None
    propagate_tags: bool = True

    def _check(self) -> None:
        if self.region not in limits.AWS_REGIONS:
            raise ValidationError(
                "Replica", "region", self.region,
                problem="is not an AWS region DynamoDB global tables replicate to",
                fix=f"use one of {', '.join(limits.AWS_REGIONS)}",
            )
        if self.encryption_key_arn is not None:
            check_arn("Replica", "encryption_key_arn", self.encryption_key_arn, "kms")
            if not is_reference(self.encryption_key_arn) and \
                    self.encryption_key_arn.split(":")[3] != self.region:
                raise ValidationError(
                    "Replica", "encryption_key_arn", self.encryption_key_arn,
                    problem=f"is a key of region {self.encryption_key_arn.split(':')[3]}, "
                    f"not of the replica's region {self.region}",
                    fix=f"give a KMS key in {self.region}, or leave it out for a key the kit creates",
                )


@props
class ContributorInsights:
    """CloudWatch Contributor Insights: the most accessed and most throttled keys.

    Attributes
    ----------
    table:
        On the table's own keys. Default: ``True``.
    indexes:
        GSI names to watch. Default: none, every GSI of the table.
    """

    table: bool = True
    indexes: tuple[str, ...] | None = None


@props
class WarmThroughput:
    """Pre-warmed throughput for a launch spike: the reads and writes per second
    the table can serve at once (``UpdateTable``'s ``WarmThroughput``).

    AWS only ever raises it: a value below the table's current warm throughput
    fails at apply. Needs AWS provider >= 6.13.0 (the kit then raises the stack's
    provider constraint to that; see the capacity page).

    Attributes
    ----------
    read_units_per_second, write_units_per_second:
        At least one. Each Default: none, left as it is.
    """

    read_units_per_second: int | None = None
    write_units_per_second: int | None = None

    def _check(self) -> None:
        if self.read_units_per_second is None and self.write_units_per_second is None:
            raise ValidationError(
                "WarmThroughput", "read_units_per_second", None,
                problem="and write_units_per_second are both unset: nothing to warm",
                fix="give the reads and/or writes per second the launch needs",
            )
        for name in ("read_units_per_second", "write_units_per_second"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValidationError("WarmThroughput", name, value, problem="must be at least 1",
                                      fix="give units per second, 1 or more")


@props
class TableProps:
    """Everything a :class:`~dynamodb_kit.table.table.Table` needs.

    Attributes
    ----------
    table_name:
        Physical name, 3-255 characters of ``[a-zA-Z0-9_.-]``. Changing it
        replaces the table.
    partition_key, sort_key:
        The primary key. Changing either replaces the table. Sort key
        default: none.
    global_secondary_indexes:
        Default: none. At most 20 (the default quota).
    local_secondary_indexes:
        Default: none. At most 5; need a table sort key.
    billing:
        Default: ``Billing.on_demand()``, the right choice for new or unknown
        traffic, with no ceiling.
    time_to_live_attribute:
        Number attribute holding an epoch-seconds expiry, not a key. Default:
        none, TTL off.
    stream:
        The stream's view type. Default: none, no stream.
    encryption:
        Default: ``TableEncryption.aws_owned()``.
    table_class:
        Default: ``STANDARD``.
    deletion_protection:
        Default: ``True``: the API refuses to delete the table until it is
        switched off in a change of its own.
    point_in_time_recovery:
        Default: ``PointInTimeRecovery(days=35)``. ``False`` turns it off: an
        explicit choice, never a default.
    prevent_destroy:
        Terraform ``lifecycle.prevent_destroy``: any plan that would destroy the
        table fails. Default: ``False``.
    tags:
        Default: none (the stack's default tags still apply).
    restore:
        Create the table from another table's PITR history. Default: none, an
        empty table. Removing it after the restore changes nothing (the table
        ignores later changes of the restore arguments).
    warm_throughput:
        Pre-warmed reads/writes per second for a launch spike (AWS provider
        >= 6.13.0). Default: none.
    replicas:
        Replicas in other regions (global table). Needs on-demand billing or
        autoscaled capacities, and the stream ``NEW_AND_OLD_IMAGES`` (set when
        none is given). Default: none, one region.
    multi_region_strong_consistency:
        Multi-Region strong consistency (three regions, or two and a witness).
        Needs AWS provider >= 6.3.0; refused while the kit admits 5.100.
        Default: ``False``, eventual consistency.
    contributor_insights:
        Default: none, off.
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
    billing: Billing = Billing.on_demand()
    time_to_live_attribute: str | None = None
    stream: StreamViewType | None = None
    encryption: TableEncryption = TableEncryption.aws_owned()
    table_class: TableClass = TableClass.STANDARD
    deletion_protection: bool = True
    point_in_time_recovery: PointInTimeRecovery | Literal[False] = PointInTimeRecovery()
    prevent_destroy: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    restore: RestoreSource | None = None
    replicas: tuple[Replica, ...] = ()
    multi_region_strong_consistency: bool = False
    contributor_insights: ContributorInsights | None = None
    warm_throughput: WarmThroughput | None = None
    destruction_approved: str | None = None

    def _check(self) -> None:
        if self.destruction_approved is not None and len(self.destruction_approved.strip()) < 10:
            raise ValidationError(
                "TableProps", "destruction_approved", self.destruction_approved,
                problem="is too short to say who approved it and why",
                fix="write who approved the destruction and why, e.g. 'J. Doe, CHG-123: rebuild keys'",
            )
