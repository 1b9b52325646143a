"""Backup: an AWS Backup vault, plan, selection and service role for tables."""

from __future__ import annotations

from ..core.aws_identity import AwsIdentity
from ..core.errors import ValidationError
from ..kms.encryption_key import EncryptionKey, EncryptionKeyProps
from .props import BackupProps, VaultLockMode
from .validation import validate_backup_props
from ..core.checked import expect_props
from ..core.terraform import (
    Construct,
    TerraformResource,
    TerraformResourceLifecycle,
    aws_data_source,
    aws_resource,
    path_of,
    ref,
    stack_singleton,
)

# AWS's managed policies for the AWS Backup service role, and nothing more.
SERVICE_ROLE_POLICIES = {
    "BackupPolicy": "service-role/AWSBackupServiceRolePolicyForBackup",
    "RestorePolicy": "service-role/AWSBackupServiceRolePolicyForRestores",
}
_REGION_SETTINGS_ID = "BackupRegionSettings"


class Backup(Construct):
    """Scheduled on-demand backups of tables, kept beyond PITR's 35 days.

    Creates a vault encrypted with a customer-managed key (optionally locked), a
    plan with the given rules, a selection of tables by ARN and/or tag, and the
    service role with AWS's managed backup and restore policies. When a rule
    uses cold storage or copies, it switches on AWS Backup's advanced DynamoDB
    features for the region (one ``aws_backup_region_settings`` per stack).
    """

    def __init__(self, scope: Construct, id: str, props: BackupProps) -> None:
        super().__init__(scope, id)
        self.props = expect_props(path_of(self), props, BackupProps)
        validate_backup_props(path_of(self), props)
        lifecycle = TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None
        tags = dict(props.tags) or None

        key_arn = props.encryption_key_arn
        if key_arn is None:
            key_arn = EncryptionKey(
                self, "Key",
                EncryptionKeyProps(
                    description=f"Encrypts backup vault {props.vault_name}",
                    prevent_destroy=props.prevent_destroy,
                    tags=props.tags,
                ),
            ).key_arn
        self.vault = aws_resource(self, "Vault", "aws_backup_vault", {
            "name": props.vault_name, "kms_key_arn": key_arn, "tags": tags,
        }, lifecycle=lifecycle)
        vault_name = ref(self.vault, "name")
        lock = props.vault_lock
        if lock:
            compliance = lock.mode is VaultLockMode.COMPLIANCE
            aws_resource(self, "VaultLock", "aws_backup_vault_lock_configuration", {
                "backup_vault_name": vault_name,
                "min_retention_days": lock.min_retention_days,
                "max_retention_days": lock.max_retention_days,
                "changeable_for_days": lock.changeable_for_days if compliance else None,
            })

        self.plan = aws_resource(self, "Plan", "aws_backup_plan", {
            "name": props.vault_name,
            "rule": [
                {
                    "rule_name": rule.name,
                    "target_vault_name": vault_name,
                    "schedule": rule.schedule,
                    "schedule_expression_timezone": rule.timezone,
                    "start_window": rule.start_window_minutes,
                    "completion_window": rule.completion_window_minutes,
                    "lifecycle": {
                        "delete_after": rule.delete_after_days,
                        "cold_storage_after": rule.cold_storage_after_days,
                    },
                    "copy_action": [
                        {
                            "destination_vault_arn": copy.destination_vault_arn,
                            "lifecycle": {
                                "delete_after": copy.delete_after_days or rule.delete_after_days,
                                "cold_storage_after": copy.cold_storage_after_days,
                            },
                        }
                        for copy in rule.copies
                    ] or None,
                }
                for rule in props.rules
            ],
            "tags": tags,
        })

        identity = AwsIdentity.of(self)
        trust = aws_data_source(self, "TrustPolicy", "aws_iam_policy_document", {
            "statement": [{
                "effect": "Allow",
                "actions": ["sts:AssumeRole"],
                "principals": [{"type": "Service", "identifiers": ["backup.amazonaws.com"]}],
            }],
        })
        self.role = aws_resource(self, "ServiceRole", "aws_iam_role", {
            "name_prefix": f"{props.vault_name[:26]}-backup-",
            "assume_role_policy": ref(trust, "json"),
            "tags": tags,
        })
        for policy_id, policy in SERVICE_ROLE_POLICIES.items():
            aws_resource(self, policy_id, "aws_iam_role_policy_attachment", {
                "role": ref(self.role, "name"),
                "policy_arn": f"arn:{identity.partition}:iam::aws:policy/{policy}",
            })

        self.selection = aws_resource(self, "Selection", "aws_backup_selection", {
            "name": props.vault_name,
            "plan_id": ref(self.plan, "id"),
            "iam_role_arn": ref(self.role, "arn"),
            "resources": [table.table_arn for table in props.tables] or None,
            "selection_tag": [
                {"type": "STRINGEQUALS", "key": key, "value": value}
                for key, value in props.selection_tags.items()
            ] or None,
        })

        if any(rule.cold_storage_after_days or rule.copies for rule in props.rules):
            _enable_advanced_dynamodb_backup(self)

    @property
    def vault_arn(self) -> str:
        return ref(self.vault, "arn")


def _enable_advanced_dynamodb_backup(scope: Construct) -> TerraformResource:
    """The region's AWS Backup settings, once per stack: DynamoDB opted in, with
    advanced features (cold storage, cross-region and cross-account copy)."""
    return stack_singleton(scope, _REGION_SETTINGS_ID, lambda stack, id: aws_resource(
        stack, id, "aws_backup_region_settings", {
            "resource_type_opt_in_preference": {"DynamoDB": True},
            "resource_type_management_preference": {"DynamoDB": True},
        }))
