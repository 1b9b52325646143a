"""dynamodb_kit: operate Amazon DynamoDB tables as code with CDK for Terraform.

The package is grouped by concern (``table/``, ``iam/``, ``backup/``, ``kms/``,
``rules/``, ``delivery/``, and ``core/`` for what they share). Names are
exported lazily: a module is imported on first use, so ``import dynamodb_kit.core.errors`` (or an
operator tool) never starts the jsii runtime.
"""

from __future__ import annotations

import importlib
from typing import Any

# Registers the provider package for submodule-by-submodule import before the
# app imports any provider class (see core/provider_import.py); starts nothing.
from .core import provider_import  # noqa: F401

# Public name -> the module that defines it.
_EXPORTS = {
    "ValidationError": "core.errors",
    "props": "core.checked",
    "AwsIdentity": "core.aws_identity",
    "AWS_PROVIDER_VERSION_CONSTRAINT": "core.aws_provider",
    "ENDPOINT_URL_ENV": "core.aws_provider",
    "add_aws_provider": "core.aws_provider",
    "approve_destruction": "core.destruction_approval",
    "aws_resource": "core.terraform",
    "aws_data_source": "core.terraform",
    "ref": "core.terraform",
    "EncryptionKey": "kms.encryption_key",
    "EncryptionKeyProps": "kms.encryption_key",
    "Attribute": "table.props",
    "AttributeType": "table.props",
    "Billing": "table.props",
    "BillingMode": "table.props",
    "Capacity": "table.capacity",
    "FixedCapacity": "table.capacity",
    "AutoscaledCapacity": "table.capacity",
    "ScheduledCapacity": "table.capacity",
    "EncryptionType": "table.props",
    "GlobalSecondaryIndex": "table.props",
    "LocalSecondaryIndex": "table.props",
    "PointInTimeRecovery": "table.props",
    "WarmThroughput": "table.props",
    "ProjectionType": "table.props",
    "RestoreSource": "table.props",
    "StreamViewType": "table.props",
    "TableClass": "table.props",
    "TableEncryption": "table.props",
    "TableProps": "table.props",
    "Replica": "table.props",
    "ContributorInsights": "table.props",
    "TableShape": "table.shape",
    "TableSettings": "table.shape",
    "TableRestore": "table.shape",
    "Table": "table.table",
    "TableBase": "table.table",
    "ImportedTable": "table.table",
    "AccessPattern": "iam.access_patterns",
    "ALL_INDEXES": "iam.grant",
    "KeyMatch": "iam.grant",
    "LeadingKeys": "iam.grant",
    "TableGrant": "iam.grant",
    "LambdaRole": "iam.lambda_role",
    "LambdaRoleProps": "iam.lambda_role",
    "IdentityPoolRole": "iam.identity_pool_role",
    "IdentityPoolRoleProps": "iam.identity_pool_role",
    "AccessPolicy": "iam.role_policy",
    "AccessPolicyProps": "iam.role_policy",
    "Backup": "backup.backup",
    "BackupCopy": "backup.props",
    "BackupProps": "backup.props",
    "BackupRule": "backup.props",
    "DisasterRecoveryVault": "backup.props",
    "VaultLock": "backup.props",
    "VaultLockMode": "backup.props",
    "Alarms": "monitoring.alarms",
    "AlarmsProps": "monitoring.props",
    "AlarmActions": "monitoring.props",
    "AlarmThresholds": "monitoring.props",
    "Suppression": "rules",
    "RemoteStateProps": "delivery.remote_state",
    "add_remote_state": "delivery.remote_state",
    "StateBucket": "delivery.state_bucket",
    "StateBucketProps": "delivery.state_bucket",
    "GitHubRepository": "delivery.github_oidc",
    "GitHubOidcProvider": "delivery.github_oidc",
    "GitHubOidcProviderProps": "delivery.github_oidc",
    "DeployPermissions": "delivery.deploy_actions",
    "deploy_permissions": "delivery.deploy_actions",
    "DeployRole": "delivery.deploy_role",
    "DeployRoleProps": "delivery.deploy_role",
    "StateAccess": "delivery.deploy_role",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dynamodb_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
