"""IdentityPoolRole: the role signed-in users of a Cognito identity pool assume.

The per-user pattern: with ``LeadingKeys.cognito_identity()`` in its grants,
each user reaches only the items whose partition key is their own identity id.
The policy variable resolves only in such web-identity sessions, which is why
this is a role of its own and not a Lambda execution role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from constructs import Construct

from . import _provider  # noqa: F401  (fast provider import)
from .errors import ValidationError
from .inline_policy_role import add_role_with_inline_policy, grant_statements
from .table_grant import TableGrant


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
            "Sid": "SignedInUsersOfThisPool",
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": props.identity_pool_id},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
            },
        }
        self.role, self.policy_document = add_role_with_inline_policy(
            self,
            role_name=props.role_name,
            trust_statement=trust,
            statements=grant_statements(self.node.path, props.grants),
            tags=props.tags,
        )

    @property
    def role_arn(self) -> str:
        return self.role.arn
