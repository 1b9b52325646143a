"""IdentityPoolRole: the role signed-in users of a Cognito identity pool assume.

The per-user pattern: with ``LeadingKeys.cognito_identity()`` in its grants,
each user reaches only the items whose partition key is their own identity id.
The policy variable resolves only in such web-identity sessions, which is why
this is a role of its own and not a Lambda execution role.
"""

from __future__ import annotations

import re

from dataclasses import field
from typing import Mapping

from ..core.aws_names import check_role_name, is_reference
from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, path_of, ref
from .grant import TableGrant
from .role_policy import add_role_with_inline_policy, grant_statements

_POOL_ID = re.compile(r"[\w-]+:[0-9a-f-]+")


@props
class IdentityPoolRoleProps:
    """Props of an :class:`IdentityPoolRole`.

    Attributes
    ----------
    role_name:
        IAM role name, 1-64 of ``[A-Za-z0-9+=,.@_-]``.
    identity_pool_id:
        The pool whose authenticated identities may assume the role (a
        reference such as ``aws_cognito_identity_pool.id``, or
        ``REGION:UUID``).
    grants:
        At least one; item-level grants should use ``LeadingKeys.cognito_identity()``.
    tags:
        Default: none.
    """

    role_name: str
    identity_pool_id: str
    grants: tuple[TableGrant, ...]
    tags: Mapping[str, str] = field(default_factory=dict)

    def _check(self) -> None:
        where = "IdentityPoolRoleProps"
        check_role_name(where, "role_name", self.role_name)
        if not is_reference(self.identity_pool_id) and not _POOL_ID.fullmatch(self.identity_pool_id):
            raise ValidationError(
                where, "identity_pool_id", self.identity_pool_id,
                problem="is not an identity pool id (REGION:UUID)",
                fix="pass the pool's .id reference, or its id such as us-east-1:1a2b...",
            )
        if not self.grants:
            raise ValidationError(where, "grants", (), problem="is empty",
                                  fix="grant the access the users need")


class IdentityPoolRole(KitConstruct):
    """The role a pool's signed-in users assume, with exactly the granted access."""

    def __init__(self, scope: Construct, id: str, props: IdentityPoolRoleProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, IdentityPoolRoleProps)
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
            statements=grant_statements(path_of(self), props.grants),
            tags=props.tags,
        )

    @property
    def role_arn(self) -> str:
        return ref(self.role, "arn")
