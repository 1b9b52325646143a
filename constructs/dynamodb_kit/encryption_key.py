"""EncryptionKey: a customer-managed KMS key with rotation and a key policy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping

from constructs import Construct

from . import _provider  # noqa: F401  (fast provider import)
from . import limits
from .aws_identity import AwsIdentity
from .errors import ValidationError
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey


@dataclass(frozen=True, kw_only=True)
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
    tags:
        Default: none.
    """

    alias: str | None = None
    description: str = "DynamoDB encryption key"
    deletion_window_days: int = limits.MAX_KEY_DELETION_WINDOW_DAYS
    prevent_destroy: bool = False
    allow_cloudwatch_logs: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)


class EncryptionKey(Construct):
    """A symmetric KMS key, rotation on, whose policy delegates to IAM.

    The key policy grants the account (``:root``) administration of the key, the
    AWS default: access to the key is then decided by IAM policies, where the
    kit's grants add only the KMS actions a role needs.
    """

    def __init__(self, scope: Construct, id: str, props: EncryptionKeyProps | None = None) -> None:
        super().__init__(scope, id)
        props = props or EncryptionKeyProps()
        low, high = limits.MIN_KEY_DELETION_WINDOW_DAYS, limits.MAX_KEY_DELETION_WINDOW_DAYS
        window = props.deletion_window_days
        if isinstance(window, bool) or not isinstance(window, int) or not low <= window <= high:
            raise ValidationError(
                self.node.path, "deletion_window_days", window,
                f"is outside the allowed {low}-{high} days",
                f"choose a whole number of days from {low} to {high}",
            )
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
        self.resource = KmsKey(
            self,
            "Resource",
            description=props.description,
            enable_key_rotation=True,
            deletion_window_in_days=window,
            policy=json.dumps(policy),
            tags=dict(props.tags) or None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True) if props.prevent_destroy else None,
        )
        if props.alias:
            KmsAlias(self, "Alias", name=f"alias/{props.alias}", target_key_id=self.resource.key_id)

    @property
    def key_arn(self) -> str:
        return self.resource.arn
