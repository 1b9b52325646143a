"""Table: one DynamoDB table with its indexes, recovery, encryption and capacity."""

from __future__ import annotations

from constructs import Construct

from . import _provider  # noqa: F401  (fast provider import)
from .encryption_key import EncryptionKey, EncryptionKeyProps
from .errors import ValidationError
from .destruction_approval import approve_destruction
from .table_props import (
    BillingMode,
    ProjectionType,
    StreamViewType,
    TableClass,
    TableEncryption,
    TableProps,
)
from .table_validation import validate_table_props
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
    DynamodbTableLocalSecondaryIndex,
    DynamodbTableOnDemandThroughput,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
    DynamodbTableTtl,
)


RESTORE_ARGUMENTS = (
    "restore_source_name",
    "restore_source_table_arn",
    "restore_date_time",
    "restore_to_latest_time",
)


class Table(Construct):
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
        The key the construct created for ``CUSTOMER_MANAGED`` without a key
        ARN, else ``None``.
    """

    def __init__(self, scope: Construct, id: str, props: TableProps) -> None:
        super().__init__(scope, id)
        self.props = props
        definitions = validate_table_props(self.node.path, props)
        billing = BillingMode(props.billing_mode)

        self.encryption_key: EncryptionKey | None = None
        encryption = TableEncryption(props.encryption)
        key_arn = props.encryption_key_arn
        if encryption is TableEncryption.CUSTOMER_MANAGED and key_arn is None:
            self.encryption_key = EncryptionKey(
                self,
                "Key",
                EncryptionKeyProps(
                    description=f"Encrypts DynamoDB table {props.table_name}",
                    prevent_destroy=props.prevent_destroy,
                    tags=props.tags,
                ),
            )
            key_arn = self.encryption_key.key_arn
        self._encryption_key_arn = key_arn

        on_demand_limits = props.max_read_request_units, props.max_write_request_units
        restore = props.restore
        self.resource = DynamodbTable(
            self,
            "Resource",
            name=props.table_name,
            hash_key=props.partition_key.name,
            range_key=props.sort_key.name if props.sort_key else None,
            attribute=[
                DynamodbTableAttribute(name=name, type=kind.value)
                for name, kind in definitions.items()
            ],
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(
                    name=gsi.name,
                    hash_key=gsi.partition_key.name,
                    range_key=gsi.sort_key.name if gsi.sort_key else None,
                    projection_type=ProjectionType(gsi.projection).value,
                    non_key_attributes=list(gsi.non_key_attributes) or None,
                    read_capacity=gsi.read_capacity,
                    write_capacity=gsi.write_capacity,
                )
                for gsi in props.global_secondary_indexes
            ]
            or None,
            local_secondary_index=[
                DynamodbTableLocalSecondaryIndex(
                    name=lsi.name,
                    range_key=lsi.sort_key.name,
                    projection_type=ProjectionType(lsi.projection).value,
                    non_key_attributes=list(lsi.non_key_attributes) or None,
                )
                for lsi in props.local_secondary_indexes
            ]
            or None,
            billing_mode=billing.value,
            read_capacity=props.read_capacity,
            write_capacity=props.write_capacity,
            on_demand_throughput=DynamodbTableOnDemandThroughput(
                max_read_request_units=props.max_read_request_units,
                max_write_request_units=props.max_write_request_units,
            )
            if any(value is not None for value in on_demand_limits)
            else None,
            ttl=DynamodbTableTtl(enabled=True, attribute_name=props.time_to_live_attribute)
            if props.time_to_live_attribute
            else None,
            stream_enabled=props.stream_enabled or None,
            stream_view_type=StreamViewType(props.stream_view_type).value
            if props.stream_view_type
            else None,
            server_side_encryption=None
            if encryption is TableEncryption.AWS_OWNED
            else DynamodbTableServerSideEncryption(enabled=True, kms_key_arn=key_arn),
            table_class=TableClass(props.table_class).value,
            deletion_protection_enabled=props.deletion_protection,
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(
                enabled=True, recovery_period_in_days=props.recovery_period_days or 35
            )
            if props.point_in_time_recovery
            else DynamodbTablePointInTimeRecovery(enabled=False),
            tags=dict(props.tags) or None,
            restore_source_name=restore.source_table_name if restore else None,
            restore_source_table_arn=restore.source_table_arn if restore else None,
            restore_date_time=restore.point_in_time if restore else None,
            restore_to_latest_time=True if restore and restore.latest else None,
            lifecycle=TerraformResourceLifecycle(
                prevent_destroy=props.prevent_destroy or None,
                # Restore arguments only matter at creation; changing or removing
                # them later must not replace the (restored) table.
                ignore_changes=list(RESTORE_ARGUMENTS),
            ),
        )

        if props.destruction_approved:
            approve_destruction(self.resource, props.destruction_approved)

    # References other constructs need: tokens that resolve at apply time.

    @property
    def table_name(self) -> str:
        return self.resource.name

    @property
    def table_arn(self) -> str:
        return self.resource.arn

    @property
    def stream_arn(self) -> str:
        """The latest stream's ARN; the table must have ``stream_enabled=True``."""
        if not self.props.stream_enabled:
            raise ValidationError(
                self.node.path, "stream_enabled", False,
                "means the table has no stream ARN",
                "set stream_enabled=True and a stream_view_type",
            )
        return self.resource.stream_arn

    @property
    def encryption_key_arn(self) -> str | None:
        """The customer-managed key's ARN, or ``None`` for AWS-owned/managed keys."""
        return self._encryption_key_arn

    @property
    def index_names(self) -> tuple[str, ...]:
        return tuple(
            index.name
            for index in (*self.props.global_secondary_indexes, *self.props.local_secondary_indexes)
        )

    def index_arn(self, index_name: str) -> str:
        """``<table arn>/index/<name>``: built from the table ARN reference.

        Terraform has no attribute for an index ARN, and a grant on the table
        ARN does not cover its indexes.
        """
        if index_name not in self.index_names:
            raise ValidationError(
                self.node.path, "index_name", index_name,
                f"is not an index of this table (indexes: {', '.join(self.index_names) or 'none'})",
                "use one of the table's index names",
            )
        return f"{self.table_arn}/index/{index_name}"
