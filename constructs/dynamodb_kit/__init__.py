"""dynamodb_kit: operate Amazon DynamoDB tables as code with CDK for Terraform.

Importing the package registers the fast provider import first (see
``_provider``), so nothing here pays for the ~2,200 unused provider modules.
"""

from . import _provider  # noqa: F401  (must run before any provider import)
from .aws_identity import AwsIdentity
from .aws_provider import AWS_PROVIDER_VERSION_CONSTRAINT, add_aws_provider
from .encryption_key import EncryptionKey, EncryptionKeyProps
from .errors import ValidationError
from .table import Table
from .table_props import (
    Attribute,
    AttributeType,
    BillingMode,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    ProjectionType,
    StreamViewType,
    TableClass,
    TableEncryption,
    TableProps,
)

__all__ = [
    "AWS_PROVIDER_VERSION_CONSTRAINT",
    "add_aws_provider",
    "Attribute",
    "AttributeType",
    "AwsIdentity",
    "BillingMode",
    "EncryptionKey",
    "EncryptionKeyProps",
    "GlobalSecondaryIndex",
    "LocalSecondaryIndex",
    "ProjectionType",
    "StreamViewType",
    "Table",
    "TableClass",
    "TableEncryption",
    "TableProps",
    "ValidationError",
]
