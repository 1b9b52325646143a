"""LambdaRole: the execution role of one Lambda function, least privilege."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Mapping

from ..core.aws_identity import AwsIdentity
from ..core.aws_names import check_arn
from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, aws_resource, path_of, ref
from .grant import TableGrant
from .role_policy import add_role_with_inline_policy, grant_statements

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
                      1096, 1827, 2192, 2557, 2922, 3288, 3653)
# The role is named "<function>-role" and IAM role names stop at 64 characters,
# so function names stop at 59 (Lambda itself would allow 64).
ROLE_SUFFIX = "-role"
MAX_FUNCTION_NAME = 64 - len(ROLE_SUFFIX)
_FUNCTION_NAME = re.compile(rf"[a-zA-Z0-9_\-]{{1,{MAX_FUNCTION_NAME}}}")


@props
class LambdaRoleProps:
    """Props of a :class:`LambdaRole`.

    Attributes
    ----------
    function_name:
        Name of the function the role is for, 1-59 of ``[a-zA-Z0-9_-]`` (Lambda
        allows 64, but the role is named ``<function>-role`` and IAM role names
        stop at 64): it names the role and the log group and pins the trust
        policy's SourceArn.
    grants:
        DynamoDB access, one :class:`TableGrant` per table. Default: none.
    log_retention_days:
        Default: 365 (one of CloudWatch's allowed values).
    log_encryption_key_arn:
        KMS key for the log group; its policy must allow CloudWatch Logs.
        Default: none, CloudWatch's own encryption.
    dead_letter_queue_arn:
        SQS queue the function may send failed events to (an ARN or a
        reference to one). Default: none.
    dead_letter_topic_arn:
        SNS topic for failed events instead of a queue. Default: none.
    permissions_boundary_arn:
        ARN of a managed policy. Default: none.
    tags:
        Default: none.
    """

    function_name: str
    grants: tuple[TableGrant, ...] = ()
    log_retention_days: int = 365
    log_encryption_key_arn: str | None = None
    dead_letter_queue_arn: str | None = None
    dead_letter_topic_arn: str | None = None
    permissions_boundary_arn: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def _check(self) -> None:
        where = "LambdaRoleProps"
        if not _FUNCTION_NAME.fullmatch(self.function_name):
            raise ValidationError(
                where, "function_name", self.function_name,
                problem=f"must be 1-{MAX_FUNCTION_NAME} characters of letters, digits, '_' and '-' "
                f"(the role is named <function>{ROLE_SUFFIX}, at most 64 characters)",
                fix="choose such a name",
            )
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise ValidationError(
                where, "log_retention_days", self.log_retention_days,
                problem="is not a CloudWatch Logs retention period",
                fix="use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, ...",
            )
        if self.log_encryption_key_arn is not None:
            check_arn(where, "log_encryption_key_arn", self.log_encryption_key_arn, "kms")
        if self.dead_letter_queue_arn is not None:
            check_arn(where, "dead_letter_queue_arn", self.dead_letter_queue_arn, "sqs")
        if self.dead_letter_topic_arn is not None:
            check_arn(where, "dead_letter_topic_arn", self.dead_letter_topic_arn, "sns")
            if self.dead_letter_queue_arn is not None:
                raise ValidationError(
                    where, "dead_letter_topic_arn", self.dead_letter_topic_arn,
                    problem="and dead_letter_queue_arn are both set; a function has one dead-letter target",
                    fix="keep the queue or the topic",
                )
        if self.permissions_boundary_arn is not None:
            check_arn(where, "permissions_boundary_arn", self.permissions_boundary_arn, "iam-policy")


class LambdaRole(KitConstruct):
    """A role only ``lambda.amazonaws.com`` can assume, for one named function
    of this account, with its own log group and exactly the granted access.

    ``policy_document`` holds the access policy as synthesized (see
    ``inline_policy_role``).
    """

    def __init__(self, scope: Construct, id: str, props: LambdaRoleProps) -> None:
        super().__init__(scope, id)
        path = path_of(self)
        self.props = expect_props(path, props, LambdaRoleProps)
        identity = AwsIdentity.of(self)
        name = props.function_name
        function_arn = (
            f"arn:{identity.partition}:lambda:{identity.region}:{identity.account_id}:function:{name}"
        )
        trust = {
            "Sid": "LambdaServiceForThisFunction",
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
            # Confused-deputy guard: only for this account's function of that name.
            "Condition": {
                "StringEquals": {"aws:SourceAccount": identity.account_id},
                "ArnLike": {"aws:SourceArn": function_arn},
            },
        }
        self.log_group = aws_resource(self, "Logs", "aws_cloudwatch_log_group", {
            "name": f"/aws/lambda/{name}",
            "retention_in_days": props.log_retention_days,
            "kms_key_id": props.log_encryption_key_arn,
            "tags": dict(props.tags) or None,
        })
        statements = [{
            "Sid": "OwnLogGroupOnly",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [f"{ref(self.log_group, 'arn')}:*"],
        }]
        if props.dead_letter_queue_arn:
            statements.append({
                "Sid": "DeadLetterQueue",
                "Effect": "Allow",
                "Action": ["sqs:SendMessage"],
                "Resource": [props.dead_letter_queue_arn],
            })
        if props.dead_letter_topic_arn:
            statements.append({
                "Sid": "DeadLetterTopic",
                "Effect": "Allow",
                "Action": ["sns:Publish"],
                "Resource": [props.dead_letter_topic_arn],
            })
        statements += grant_statements(path, props.grants)
        self.role, self.policy_document = add_role_with_inline_policy(
            self,
            role_name=f"{name}{ROLE_SUFFIX}",
            trust_statement=trust,
            statements=statements,
            permissions_boundary_arn=props.permissions_boundary_arn,
            tags=props.tags,
        )

    @property
    def role_arn(self) -> str:
        return ref(self.role, "arn")
