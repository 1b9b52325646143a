"""IdentityPoolRole: the role signed-in users of a Cognito identity pool assume.

The per-user pattern: with ``LeadingKeys.cognito_identity()`` in its grants,
each user reaches only the items whose partition key is their own identity id.
The policy variable resolves only in such web-identity sessions, which is why
this is a role of its own and not a Lambda execution role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping

from constructs import Construct

from . import _provider  # noqa: F401  (fast provider import)
from .errors import ValidationError
from .table_grant import TableGrant
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy


@dataclass(frozen=True, kw_only=True)
class IdentityPoolRoleProps:
    """Props of an :class:`IdentityPoolRole`.

    Attributes
    ----------
    role_name:
        IAM role name.
    identity_pool_id:
        The pool whose authenticated identities may assume the role (a
        reference such as ``aws_cognito_identity_pool.id``).
    grants:
        DynamoDB access; item-level grants should use ``LeadingKeys.cognito_identity()``.
    tags:
        Default: none.
    """

    role_name: str
    identity_pool_id: str
    grants: tuple[TableGrant, ...]
    tags: Mapping[str, str] = field(default_factory=dict)


class IdentityPoolRole(Construct):
    def __init__(self, scope: Construct, id: str, props: IdentityPoolRoleProps) -> None:
        super().__init__(scope, id)
        if not props.grants:
            raise ValidationError(
                self.node.path, "grants", (), "is empty", "grant the access the users need"
            )
        trust = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "SignedInUsersOfThisPool",
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": props.identity_pool_id},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                },
            }],
        }
        statements = []
        for i, grant in enumerate(props.grants):
            statements += grant.statements(self.node.path, f"grants[{i}]")
        self.policy_document = {"Version": "2012-10-17", "Statement": statements}
        self.role = IamRole(
            self, "Resource",
            name=props.role_name,
            assume_role_policy=json.dumps(trust),
            tags=dict(props.tags) or None,
        )
        IamRolePolicy(self, "Policy", name="access", role=self.role.id,
                      policy=json.dumps(self.policy_document))

    @property
    def role_arn(self) -> str:
        return self.role.arn
