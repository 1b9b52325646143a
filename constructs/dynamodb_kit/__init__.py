"""dynamodb_kit: operate Amazon DynamoDB tables as code with CDK for Terraform.

Importing the package registers the fast provider import first (see
``_provider``), so nothing here pays for the ~2,200 unused provider modules.
"""

import os

# jsii prints an end-of-life banner on Node 20, which the kit supports; the
# variable must be set before the jsii runtime starts (at the first cdktf import).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from . import _provider  # noqa: F401,E402  (must run before any provider import)
from .aws_identity import AwsIdentity
from .access_patterns import AccessPattern
from .backup import Backup
from .identity_pool_role import IdentityPoolRole, IdentityPoolRoleProps
from .lambda_role import LambdaRole, LambdaRoleProps
from .table_grant import ALL_INDEXES, KeyMatch, LeadingKeys, TableGrant
from .backup_props import BackupCopy, BackupProps, BackupRule, VaultLock, VaultLockMode
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
    RestoreSource,
    StreamViewType,
    TableClass,
    TableEncryption,
    TableProps,
)

__all__ = [
    "ALL_INDEXES",
    "AccessPattern",
    "IdentityPoolRole",
    "IdentityPoolRoleProps",
    "KeyMatch",
    "LambdaRole",
    "LambdaRoleProps",
    "LeadingKeys",
    "TableGrant",
    "Backup",
    "BackupCopy",
    "BackupProps",
    "BackupRule",
    "VaultLock",
    "VaultLockMode",
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
    "RestoreSource",
    "StreamViewType",
    "Table",
    "TableClass",
    "TableEncryption",
    "TableProps",
    "ValidationError",
]
