"""Backup: an AWS Backup vault, plan, selection and service role for tables."""

from __future__ import annotations

from ..core.aws_identity import AwsIdentity
from ..core.aws_provider import regional_provider, stack_region
from ..core.checked import expect_props
from ..core.errors import ValidationError
from ..core.terraform import (
    Construct,
    KitConstruct,
    TerraformProvider,
    TerraformResource,
    TerraformResourceLifecycle,
    aws_data_source,
    aws_resource,
    path_of,
    ref,
    stack_singleton,
)
from ..kms.encryption_key import EncryptionKey, EncryptionKeyProps
from .props import BackupProps, BackupRule, VaultLock, VaultLockMode
from .validation import dr_vault_name, validate_backup_props

# AWS's managed policies for the AWS Backup service role, and nothing more.
SERVICE_ROLE_POLICIES = {
    "BackupPolicy": "service-role/AWSBackupServiceRolePolicyForBackup",
    "RestorePolicy": "service-role/AWSBackupServiceRolePolicyForRestores",
}
_REGION_SETTINGS_ID = "BackupRegionSettings"


class Backup(KitConstruct):
    """Scheduled on-demand backups of tables, kept beyond PITR's 35 days.

    Creates a vault encrypted with a customer-managed key (optionally locked), a
    plan with the given rules, a selection of tables by ARN and/or tag, and the
    service role with AWS's managed backup and restore policies; optionally a
    DR vault with its own key in another region that every rule copies to.
    When a rule uses cold storage or copies, or there is a DR vault, it
    switches on AWS Backup's advanced DynamoDB features for the region (one
    ``aws_backup_region_settings`` per stack).
    """

    def __init__(self, scope: Construct, id: str, props: BackupProps) -> None:
        super().__init__(scope, id)
        self.props = expect_props(path_of(self), props, BackupProps)
        validate_backup_props(path_of(self), props, stack_region(self))

        self.vault = self._vault("", props.vault_name, props.encryption_key_arn, props.vault_lock)
        vault_name = ref(self.vault, "name")
        # The DR vault, in its region with its own key: every rule copies there.
        dr = props.disaster_recovery
        self.dr_vault: TerraformResource | None = None
        if dr:
            self.dr_vault = self._vault("Dr", dr_vault_name(props), None, dr.vault_lock,
                                        provider=regional_provider(self, dr.region), region=dr.region)

        def copies(rule: BackupRule) -> list[dict]:
            """The rule's copy actions: its own, then the DR vault's (the rule's lifecycle unless DR overrides it)."""
            listed = [(c.destination_vault_arn, c.lifecycle(rule)) for c in rule.copies]
            if self.dr_vault is not None:
                listed.append((ref(self.dr_vault, "arn"), dr.lifecycle(rule)))
            return [{"destination_vault_arn": arn, "lifecycle": {"delete_after": delete, "cold_storage_after": cold}}
                    for arn, (delete, cold) in listed]

        tags = dict(props.tags) or None

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
                    "copy_action": copies(rule) or None,
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

        if dr or any(rule.cold_storage_after_days or rule.copies for rule in props.rules):
            _enable_advanced_dynamodb_backup(self)

    def _vault(self, prefix: str, name: str, key_arn: str | None, lock: VaultLock | None, *,
               provider: TerraformProvider | None = None, region: str | None = None) -> TerraformResource:
        """A vault encrypted with ``key_arn`` or a key made for it, and its lock;
        ``provider`` and ``region``: another region's (the DR vault)."""
        props = self.props
        lifecycle = TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None
        if key_arn is None:
            key_arn = EncryptionKey(
                self, f"{prefix}Key",
                EncryptionKeyProps(
                    description=f"Encrypts backup vault {name}" + (f" in {region}" if region else ""),
                    prevent_destroy=props.prevent_destroy,
                    tags=props.tags,
                ),
                provider=provider,
            ).key_arn
        vault = aws_resource(self, f"{prefix}Vault", "aws_backup_vault", {
            "name": name, "kms_key_arn": key_arn, "tags": dict(props.tags) or None,
        }, lifecycle=lifecycle, provider=provider)
        if lock:
            compliance = lock.mode is VaultLockMode.COMPLIANCE
            aws_resource(self, f"{prefix}VaultLock", "aws_backup_vault_lock_configuration", {
                "backup_vault_name": ref(vault, "name"),
                "min_retention_days": lock.min_retention_days,
                "max_retention_days": lock.max_retention_days,
                "changeable_for_days": lock.changeable_for_days if compliance else None,
            }, provider=provider)
        return vault

    @property
    def vault_arn(self) -> str:
        return ref(self.vault, "arn")

    @property
    def dr_vault_arn(self) -> str | None:
        """The DR vault's ARN, or ``None`` without ``disaster_recovery``."""
        return ref(self.dr_vault, "arn") if self.dr_vault else None


def _enable_advanced_dynamodb_backup(scope: Construct) -> TerraformResource:
    """The region's AWS Backup settings, once per stack: DynamoDB opted in, with
    advanced features (cold storage, cross-region and cross-account copy)."""
    return stack_singleton(scope, _REGION_SETTINGS_ID, lambda stack, id: aws_resource(
        stack, id, "aws_backup_region_settings", {
            "resource_type_opt_in_preference": {"DynamoDB": True},
            "resource_type_management_preference": {"DynamoDB": True},
        }))
