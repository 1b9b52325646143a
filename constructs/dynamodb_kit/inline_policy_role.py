"""The IAM role + inline policy pair that LambdaRole and IdentityPoolRole share."""

from __future__ import annotations

import json
from typing import Mapping, Sequence

from constructs import Construct

from . import _provider  # noqa: F401  (fast provider import)
from .errors import ValidationError
from .table_grant import TableGrant
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy


def grant_statements(path: str, grants: Sequence[TableGrant]) -> list[dict]:
    """Every grant's statements, validated, with unique Sids."""
    statements: list[dict] = []
    for i, grant in enumerate(grants):
        statements += grant.statements(path, f"grants[{i}]")
    sids = [s["Sid"] for s in statements]
    duplicate = next((sid for sid in sids if sids.count(sid) > 1), None)
    if duplicate:
        raise ValidationError(
            path, "grants", duplicate, "appears twice: one table has two grants of one kind",
            "merge the grants of a table into one TableGrant",
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
) -> tuple[IamRole, dict]:
    """``IamRole`` (id ``Resource``) with one inline policy ``access`` (id ``Policy``).

    Both documents are ``json.dumps`` of real structure, never ``Fn.jsonencode``,
    so scanners can read them. Returns the role and the access document.
    """
    document = {"Version": "2012-10-17", "Statement": statements}
    role = IamRole(
        scope, "Resource",
        name=role_name,
        assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [trust_statement]}),
        permissions_boundary=permissions_boundary_arn,
        tags=dict(tags or {}) or None,
    )
    IamRolePolicy(scope, "Policy", name="access", role=role.id, policy=json.dumps(document))
    return role, document
