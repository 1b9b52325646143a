"""Grants as an inline policy: on a role the kit creates, or on any existing role.

``add_role_with_inline_policy`` is the role + policy pair that ``LambdaRole``
and ``IdentityPoolRole`` share; ``AccessPolicy`` attaches grants to a role the
kit did not create (an ``IamRole`` of the provider, or a role name).
"""

from __future__ import annotations

import json
import re
from typing import Mapping, Sequence

from ..core.aws_names import check_role_name
from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, TerraformResource, aws_resource, path_of, ref
from .grant import TableGrant


def grant_statements(path: str, grants: Sequence[TableGrant]) -> list[dict]:
    """Every grant's statements, validated, with unique Sids."""
    statements: list[dict] = []
    for i, grant in enumerate(grants):
        statements += grant.statements(path, f"grants[{i}]")
    sids = [s["Sid"] for s in statements]
    duplicate = next((sid for sid in sids if sids.count(sid) > 1), None)
    if duplicate:
        raise ValidationError(
            path, "grants", duplicate, problem="appears twice: one table has two grants of one kind",
            fix="merge the grants of a table into one TableGrant",
        )
    return statements


def add_role_with_inline_policy(
    scope: Construct,
    *,
    role_name: str,
    trust_statement: dict,
    statements: list[dict],
    permissions_boundary_arn: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> tuple[TerraformResource, dict]:
    """``aws_iam_role`` (id ``Resource``) with one inline policy ``access`` (id ``Policy``).

    Both documents are ``json.dumps`` of real structure, never ``Fn.jsonencode``,
    so scanners can read them. Returns the role and the access document.
    """
    document = {"Version": "2012-10-17", "Statement": statements}
    role = aws_resource(scope, "Resource", "aws_iam_role", {
        "name": role_name,
        "assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": [trust_statement]}),
        "permissions_boundary": permissions_boundary_arn,
        "tags": dict(tags or {}) or None,
    })
    aws_resource(scope, "Policy", "aws_iam_role_policy", {
        "name": "access", "role": ref(role, "id"), "policy": json.dumps(document),
    })
    return role, document


_POLICY_NAME = re.compile(r"[\w+=,.@-]{1,128}")


@props
class AccessPolicyProps:
    """Props of an :class:`AccessPolicy`.

    Attributes
    ----------
    role_name:
        Name of the role to attach the grants to: a literal, or a reference such
        as ``iam_role.name`` of a provider ``IamRole``.
    grants:
        At least one :class:`TableGrant`.
    policy_name:
        Name of the inline policy. Default: ``"dynamodb-access"``.
    """

    role_name: str
    grants: tuple[TableGrant, ...]
    policy_name: str = "dynamodb-access"

    def _check(self) -> None:
        check_role_name("AccessPolicyProps", "role_name", self.role_name)
        if not self.grants:
            raise ValidationError("AccessPolicyProps", "grants", (), problem="is empty",
                                  fix="grant the access the role needs")
        if not _POLICY_NAME.fullmatch(self.policy_name):
            raise ValidationError(
                "AccessPolicyProps", "policy_name", self.policy_name,
                problem="must be 1-128 characters of letters, digits and +=,.@_-",
                fix="choose such a name",
            )


class AccessPolicy(KitConstruct):
    """DynamoDB grants as an inline policy on any IAM role (id ``Resource``)."""

    def __init__(self, scope: Construct, id: str, props: AccessPolicyProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, AccessPolicyProps)
        self.policy_document = {
            "Version": "2012-10-17", "Statement": grant_statements(path_of(self), props.grants)
        }
        self.resource = aws_resource(self, "Resource", "aws_iam_role_policy", {
            "name": props.policy_name, "role": props.role_name,
            "policy": json.dumps(self.policy_document),
        })
