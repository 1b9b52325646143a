"""EncryptionKey: a customer-managed KMS key with rotation and a key policy."""

from __future__ import annotations

import re

import json
from dataclasses import field
from typing import Mapping

from ..core.aws_identity import AwsIdentity
from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, TerraformProvider, TerraformResourceLifecycle, aws_resource, path_of, ref


# KMS key deletion waiting period, in days.
MIN_KEY_DELETION_WINDOW_DAYS = 7
MAX_KEY_DELETION_WINDOW_DAYS = 30
_ALIAS = re.compile(r"[a-zA-Z0-9/_-]{1,250}")


@props
class EncryptionKeyProps:
    """Props of an :class:`EncryptionKey`.

    Attributes
    ----------
    alias:
        Alias without the ``alias/`` prefix. Default: none.
    description:
        Default: ``"DynamoDB encryption key"``.
    deletion_window_days:
        Waiting period before a scheduled deletion, 7-30 days. Default: 30
        (the longest: a deleted key makes its tables and backups unreadable).
    prevent_destroy:
        Terraform ``lifecycle.prevent_destroy``. Default: ``False``.
    allow_cloudwatch_logs:
        Let CloudWatch Logs in this account and region encrypt log groups with
        the key. Default: ``False``.
    allow_cloudwatch_alarms:
        Let CloudWatch alarms of this account publish to SNS topics encrypted
        with the key. Default: ``False``.
    tags:
        Default: none.
    """

    alias: str | None = None
    description: str = "DynamoDB encryption key"
    deletion_window_days: int = MAX_KEY_DELETION_WINDOW_DAYS
    prevent_destroy: bool = False
    allow_cloudwatch_logs: bool = False
    allow_cloudwatch_alarms: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)

    def _check(self) -> None:
        low, high = MIN_KEY_DELETION_WINDOW_DAYS, MAX_KEY_DELETION_WINDOW_DAYS
        if not low <= self.deletion_window_days <= high:
            raise ValidationError(
                "EncryptionKeyProps", "deletion_window_days", self.deletion_window_days,
                problem=f"is outside the allowed {low}-{high} days",
                fix=f"choose a whole number of days from {low} to {high}",
            )
        if self.alias is not None and (
            not _ALIAS.fullmatch(self.alias) or self.alias.startswith(("alias/", "aws/"))
        ):
            raise ValidationError(
                "EncryptionKeyProps", "alias", self.alias,
                problem="must be 1-250 characters of letters, digits, '/', '_' and '-', "
                "without the alias/ prefix and not in the reserved aws/ namespace",
                fix="give the alias name only, e.g. prod-dynamodb-data",
            )


class EncryptionKey(KitConstruct):
    """A symmetric KMS key, rotation on, whose policy delegates to IAM.

    The key policy grants the account (``:root``) administration of the key, the
    AWS default: access to the key is then decided by IAM policies, where the
    kit's grants add only the KMS actions a role needs.
    """

    def __init__(
        self, scope: Construct, id: str, props: EncryptionKeyProps | None = None,
        *, provider: TerraformProvider | None = None,
    ) -> None:
        """``provider``: the provider of another region (a replica's key). Default:
        none, the stack's region."""
        super().__init__(scope, id)
        props = props if props is not None else EncryptionKeyProps()
        expect_props(path_of(self), props, EncryptionKeyProps)
        window = props.deletion_window_days
        identity = AwsIdentity.of(self)
        # A key policy is a resource policy ("*" means this key), so it is kept
        # out of aws_iam_policy_document, whose checks are for identity policies.
        # json.dumps keeps its structure visible to scanners (never Fn.jsonencode).
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministersKeyThroughIam",
                    "Effect": "Allow",
                    "Principal": {"AWS": identity.account_root_arn()},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
        if props.allow_cloudwatch_logs:
            p, r, a = identity.partition, identity.region, identity.account_id
            policy["Statement"].append({
                "Sid": "CloudWatchLogsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{r}.amazonaws.com"},
                "Action": ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*",
                           "kms:ReEncrypt*"],
                "Resource": "*",
                "Condition": {"ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:{p}:logs:{r}:{a}:log-group:*"
                }},
            })
        if props.allow_cloudwatch_alarms:
            # An alarm publishing to an encrypted topic needs the key (AWS's
            # documented statement for CloudWatch and encrypted SNS topics).
            policy["Statement"].append({
                "Sid": "CloudWatchAlarmsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": identity.account_id}},
            })
        self.resource = aws_resource(self, "Resource", "aws_kms_key", {
            "description": props.description,
            "enable_key_rotation": True,
            "deletion_window_in_days": window,
            "policy": json.dumps(policy),
            "tags": dict(props.tags) or None,
        }, lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None,
            provider=provider)
        if props.alias:
            aws_resource(self, "Alias", "aws_kms_alias", {
                "name": f"alias/{props.alias}", "target_key_id": ref(self.resource, "key_id"),
            }, provider=provider)

    @property
    def key_arn(self) -> str:
        return ref(self.resource, "arn")
