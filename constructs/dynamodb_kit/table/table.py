"""Table: one DynamoDB table with its indexes, recovery, encryption and capacity.

``TableBase`` is what grants need from a table (ARN, name, index and key
names, stream, key); ``Table`` creates one, ``Table.from_table_arn`` refers to
one that another stack or project created.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from ..core.aws_names import check_arn
from ..core.destruction_approval import approve_destruction
from ..core.checked import expect_props
from ..core.errors import ValidationError
from ..kms.encryption_key import EncryptionKey, EncryptionKeyProps
from .props import Billing, BillingMode, EncryptionType, StreamViewType, TableProps
from ..core.terraform import (Construct, Fn, KitConstruct, TerraformResourceLifecycle, aws_resource, path_of, ref,
                              stack_of)
from .autoscaling import (
    DECLARED_INDEXES_KEY,
    add_autoscaling,
    declared_indexes,
    ignored_by_autoscaling,
)
from .validation import validate_replicas, validate_table_props
from ..core.aws_provider import WARM_THROUGHPUT_PROVIDER_CONSTRAINT, regional_provider, stack_region

RESTORE_ARGUMENTS = (
    "restore_source_name",
    "restore_source_table_arn",
    "restore_date_time",
    "restore_to_latest_time",
)


class ReplicaTable(NamedTuple):
    """A replica as grants see it: its region, ARN (a reference) and key."""

    region: str
    table_arn: str
    encryption_key_arn: str | None


class TableBase(KitConstruct):
    """What a grant needs from a table. Subclasses set the attributes below.

    Attributes
    ----------
    table_arn, table_name:
        References (tokens) or literals.
    index_names:
        Names of the table's indexes.
    key_attribute_names:
        Index name (``""`` for the table) -> its key attribute names.
    has_stream:
        Whether the table has a stream (``stream_arn`` then works).
    encryption_key_arn:
        The customer-managed key's ARN, or ``None``.
    replicas:
        The table's replicas in other regions (global table). Default: none.
    """

    # What the checked edge suggests when a props field is given a name or ARN.
    __checked_hint__ = "pass the Table itself, or Table.from_table_arn(...) for a table created elsewhere"

    table_arn: str
    table_name: str
    index_names: tuple[str, ...]
    key_attribute_names: dict[str, tuple[str, ...]]
    has_stream: bool
    encryption_key_arn: str | None
    replicas: tuple[ReplicaTable, ...] = ()

    @property
    def stream_arn(self) -> str:
        if not self.has_stream:
            raise ValidationError(
                path_of(self), "stream", None,
                problem="means the table has no stream ARN",
                fix="give the table a stream (stream=StreamViewType.NEW_AND_OLD_IMAGES, ...)",
            )
        return self._stream_arn()

    def _stream_arn(self) -> str:
        raise NotImplementedError

    def index_arn(self, index_name: str) -> str:
        """``<table arn>/index/<name>``: built from the table ARN reference.

        Terraform has no attribute for an index ARN, and a grant on the table
        ARN does not cover its indexes.
        """
        if index_name not in self.index_names:
            raise ValidationError(
                path_of(self), "index_name", index_name,
                problem=f"is not an index of this table (indexes: {', '.join(self.index_names) or 'none'})",
                fix="use one of the table's index names",
            )
        return f"{self.table_arn}/index/{index_name}"


class Table(TableBase):
    """A DynamoDB table, validated when constructed.

    The ``aws_dynamodb_table`` resource has the stable id ``Resource``: its
    Terraform address depends only on this construct's path, so renaming
    anything else never recreates the table.

    Attributes
    ----------
    props:
        The props, as given.
    resource:
        The ``aws_dynamodb_table`` resource.
    encryption_key:
        The key the construct created for ``customer_managed()`` without a key
        ARN, else ``None``.
    """

    def __init__(self, scope: Construct, id: str, props: TableProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, TableProps)
        definitions = validate_table_props(path_of(self), props)
        validate_replicas(path_of(self), props, stack_region(self))
        self._check_contributor_insights(props)
        self.props = props
        # Replication needs the stream with both images; set when not given.
        stream = props.stream or (StreamViewType.NEW_AND_OLD_IMAGES if props.replicas else None)

        self.encryption_key: EncryptionKey | None = None
        encryption = props.encryption
        key_arn = encryption.key_arn
        if encryption.type is EncryptionType.CUSTOMER_MANAGED and key_arn is None:
            self.encryption_key = EncryptionKey(
                self, "Key",
                EncryptionKeyProps(
                    description=f"Encrypts DynamoDB table {props.table_name}",
                    prevent_destroy=props.prevent_destroy,
                    tags=props.tags,
                ),
            )
            key_arn = self.encryption_key.key_arn
        self.encryption_key_arn = key_arn

        billing = props.billing
        pitr = props.point_in_time_recovery
        restore = props.restore
        ignored = ignored_by_autoscaling(props)
        self.resource = aws_resource(self, "Resource", "aws_dynamodb_table", {
            "name": props.table_name,
            "hash_key": props.partition_key.name,
            "range_key": props.sort_key.name if props.sort_key else None,
            "attribute": [{"name": name, "type": kind.value} for name, kind in definitions.items()],
            "global_secondary_index": [
                {
                    "name": gsi.name,
                    "hash_key": gsi.partition_key.name,
                    "range_key": gsi.sort_key.name if gsi.sort_key else None,
                    "projection_type": gsi.projection.value,
                    "non_key_attributes": list(gsi.non_key_attributes) or None,
                    # An index without billing of its own follows the table's capacities.
                    "read_capacity": _units((gsi.billing or billing).read),
                    "write_capacity": _units((gsi.billing or billing).write),
                    "on_demand_throughput": _on_demand(gsi.billing),
                }
                for gsi in props.global_secondary_indexes
            ] or None,
            "local_secondary_index": [
                {
                    "name": lsi.name,
                    "range_key": lsi.sort_key.name,
                    "projection_type": lsi.projection.value,
                    "non_key_attributes": list(lsi.non_key_attributes) or None,
                }
                for lsi in props.local_secondary_indexes
            ] or None,
            "billing_mode": billing.mode.value,
            "read_capacity": _units(billing.read),
            "write_capacity": _units(billing.write),
            "on_demand_throughput": _on_demand(billing),
            "ttl": {"enabled": True, "attribute_name": props.time_to_live_attribute}
            if props.time_to_live_attribute else None,
            "stream_enabled": True if stream else None,
            "stream_view_type": stream.value if stream else None,
            "server_side_encryption": None if encryption.type is EncryptionType.AWS_OWNED
            else {"enabled": True, "kms_key_arn": key_arn},
            "table_class": props.table_class.value,
            "deletion_protection_enabled": props.deletion_protection,
            "point_in_time_recovery": {"enabled": True, "recovery_period_in_days": pitr.days}
            if pitr else {"enabled": False},
            "tags": dict(props.tags) or None,
            "restore_source_name": restore.table_name if restore else None,
            "restore_source_table_arn": restore.table_arn if restore else None,
            "restore_date_time": None if not restore or restore.latest else restore.point_in_time,
            "restore_to_latest_time": True if restore and restore.latest else None,
            "warm_throughput": {
                "read_units_per_second": props.warm_throughput.read_units_per_second,
                "write_units_per_second": props.warm_throughput.write_units_per_second,
            } if props.warm_throughput else None,
        }, lifecycle=TerraformResourceLifecycle(
            prevent_destroy=props.prevent_destroy or None,
            # Restore arguments only matter at creation; changing or removing
            # them later must not replace the (restored) table. Capacities that
            # autoscaling owns are its to change (see ignored_by_autoscaling).
            # Replicas are aws_dynamodb_table_replica resources of their own
            # (the provider's rule when both are used).
            ignore_changes=list(RESTORE_ARGUMENTS) + ignored
            + (["replica"] if props.replicas else []),
        ))
        if "global_secondary_index" in ignored:
            # What the ignored block should hold, for the plan guard to compare
            # with the deployed indexes: an index change is never hidden.
            self.resource.add_override(f"//.{DECLARED_INDEXES_KEY}", declared_indexes(props))
        add_autoscaling(self, self.resource, ref(self.resource, "name"), props)
        if props.warm_throughput:
            # The argument exists from AWS provider 6.13.0: the stack must not admit older ones.
            stack_of(self).add_override("terraform.required_providers.aws.version",
                                        WARM_THROUGHPUT_PROVIDER_CONSTRAINT)
        if props.destruction_approved:
            approve_destruction(self.resource, props.destruction_approved)

        self.table_arn = ref(self.resource, "arn")
        self.table_name = ref(self.resource, "name")
        self.has_stream = stream is not None
        self._add_contributor_insights(props)
        self.replica_keys: dict[str, EncryptionKey] = {}
        self.replica_resources: dict[str, object] = {}
        self.replicas = tuple(self._add_replica(r) for r in props.replicas)
        self.index_names = tuple(
            i.name for i in (*props.global_secondary_indexes, *props.local_secondary_indexes)
        )
        primary = (props.partition_key.name,) + ((props.sort_key.name,) if props.sort_key else ())
        self.key_attribute_names = {"": primary}
        for gsi in props.global_secondary_indexes:
            self.key_attribute_names[gsi.name] = (gsi.partition_key.name,) + (
                (gsi.sort_key.name,) if gsi.sort_key else ()
            )
        for lsi in props.local_secondary_indexes:
            self.key_attribute_names[lsi.name] = (props.partition_key.name, lsi.sort_key.name)

    def _stream_arn(self) -> str:
        return ref(self.resource, "stream_arn")

    def _check_contributor_insights(self, props: TableProps) -> None:
        insights = props.contributor_insights
        gsi_names = [g.name for g in props.global_secondary_indexes]
        for i, name in enumerate(insights.indexes or () if insights else ()):
            if name not in gsi_names:
                raise ValidationError(
                    path_of(self), f"contributor_insights.indexes[{i}]", name,
                    problem=f"is not a GSI of this table ({', '.join(gsi_names) or 'none'})",
                    fix="name one of the table's global secondary indexes",
                )

    def _add_contributor_insights(self, props: TableProps) -> None:
        insights = props.contributor_insights
        if insights is None:
            return
        if insights.table:
            aws_resource(self, "ContributorInsights", "aws_dynamodb_contributor_insights",
                         {"table_name": self.table_name})
        indexes = insights.indexes if insights.indexes is not None else tuple(
            g.name for g in props.global_secondary_indexes)
        for name in indexes:
            aws_resource(self, f"ContributorInsights-{name}", "aws_dynamodb_contributor_insights",
                         {"table_name": self.table_name, "index_name": name})

    def _add_replica(self, replica) -> ReplicaTable:
        """One replica in its region's provider, with its key and autoscaling there."""
        props = self.props
        provider = regional_provider(self, replica.region)
        key_arn = replica.encryption_key_arn
        if props.encryption.type is EncryptionType.CUSTOMER_MANAGED and key_arn is None:
            key = EncryptionKey(
                self, f"ReplicaKey-{replica.region}",
                EncryptionKeyProps(
                    description=f"Encrypts the {replica.region} replica of DynamoDB table {props.table_name}",
                    prevent_destroy=props.prevent_destroy,
                    tags=props.tags,
                ),
                provider=provider,
            )
            self.replica_keys[replica.region] = key
            key_arn = key.key_arn
        pitr = replica.point_in_time_recovery
        resource = aws_resource(self, f"Replica-{replica.region}", "aws_dynamodb_table_replica", {
            "global_table_arn": self.table_arn,
            "kms_key_arn": key_arn,
            "point_in_time_recovery": bool(props.point_in_time_recovery) if pitr is None else pitr,
            "deletion_protection_enabled": props.deletion_protection if replica.deletion_protection is None
            else replica.deletion_protection,
            "table_class_override": replica.table_class.value if replica.table_class else None,
            "tags": (dict(props.tags) or None) if replica.propagate_tags else None,
        }, lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None,
            provider=provider)
        self.replica_resources[replica.region] = resource
        replica_arn = ref(resource, "arn")
        # The replica's name is its ARN's resource part: the targets then wait for it.
        add_autoscaling(self, resource, Fn.element(Fn.split("/", replica_arn), 1), props,
                        provider=provider, id_prefix=f"Replica-{replica.region}-")
        return ReplicaTable(region=replica.region, table_arn=replica_arn, encryption_key_arn=key_arn)

    @classmethod
    def from_table_arn(
        cls,
        scope: Construct,
        id: str,
        table_arn: str,
        *,
        partition_key: str,
        sort_key: str | None = None,
        indexes: dict[str, Sequence[str]] | None = None,
        stream_arn: str | None = None,
        encryption_key_arn: str | None = None,
    ) -> "ImportedTable":
        """A table this stack does not create (another stack's, or a provider
        ``DynamodbTable``'s ``.arn``), so grants can name it.

        ``indexes`` maps each index name to its key attribute names; give the
        stream ARN and customer-managed key ARN if grants need them.
        """
        return ImportedTable(
            scope, id, table_arn,
            partition_key=partition_key, sort_key=sort_key, indexes=indexes or {},
            stream_arn=stream_arn, encryption_key_arn=encryption_key_arn,
        )


class ImportedTable(TableBase):
    """A table created elsewhere, known by its ARN. Use :meth:`Table.from_table_arn`."""

    def __init__(
        self, scope: Construct, id: str, table_arn: str, *, partition_key: str,
        sort_key: str | None, indexes: dict[str, Sequence[str]],
        stream_arn: str | None, encryption_key_arn: str | None,
    ) -> None:
        super().__init__(scope, id)
        path = path_of(self)
        check_arn(path, "table_arn", table_arn, "dynamodb-table")
        if stream_arn is not None:
            check_arn(path, "stream_arn", stream_arn, "dynamodb-stream")
        if encryption_key_arn is not None:
            check_arn(path, "encryption_key_arn", encryption_key_arn, "kms")
        for field, value in (("partition_key", partition_key), ("sort_key", sort_key)):
            if value is not None and (not isinstance(value, str) or not value):
                raise ValidationError(path, field, value, problem="must be a non-empty str",
                                      fix="give the key attribute's name")
        self.table_arn = table_arn
        # The name is the ARN's resource part; Terraform computes it for a reference.
        self.table_name = Fn.element(Fn.split("/", table_arn), 1)
        self.index_names = tuple(indexes)
        self.key_attribute_names = {"": (partition_key,) + ((sort_key,) if sort_key else ())}
        self.key_attribute_names.update({name: tuple(keys) for name, keys in indexes.items()})
        self.has_stream = stream_arn is not None
        self._stream = stream_arn
        self.encryption_key_arn = encryption_key_arn

    def _stream_arn(self) -> str:
        return self._stream or ""


def _units(capacity) -> int | None:
    return capacity.initial_units if capacity is not None else None


def _on_demand(billing: Billing | None) -> dict | None:
    if billing is None or billing.mode is not BillingMode.PAY_PER_REQUEST:
        return None
    if billing.max_read is None and billing.max_write is None:
        return None
    return {"max_read_request_units": billing.max_read, "max_write_request_units": billing.max_write}
