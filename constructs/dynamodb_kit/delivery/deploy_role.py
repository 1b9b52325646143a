"""DeployRole: the role a GitHub Actions job assumes to plan or apply one stack."""

from __future__ import annotations

import json
from dataclasses import field
from typing import Literal, Mapping

from ..core.aws_identity import AwsIdentity
from ..core.aws_names import IAM_ROLE_NAME
from ..core.checked import expect_props, props
from ..core.errors import ValidationError
from ..core.terraform import Construct, KitConstruct, aws_resource, path_of, ref
from .deploy_actions import DeployPermissions
from .github_oidc import GITHUB_OIDC_HOST, STS_AUDIENCE, GitHubRepository
from .remote_state import LOCK_SUFFIX

# IAM's bounds for a role's maximum session, in hours.
MIN_SESSION_HOURS, MAX_SESSION_HOURS = 1, 12


@props
class StateAccess:
    """The state object of one stack, in the state bucket.

    Attributes
    ----------
    bucket_arn:
        The state bucket's ARN (or a reference to it).
    kms_key_arn:
        The state key's ARN (or a reference to it).
    key:
        The stack's state object key (``dynamodb-kit/dev.tfstate``); its lock
        object is ``<key>.tflock``.
    region:
        The bucket's region (the state key is used through S3 there only).
    """

    bucket_arn: str
    kms_key_arn: str
    key: str
    region: str

    def _check(self) -> None:
        if not self.key.endswith(".tfstate") or self.key.startswith("/"):
            raise ValidationError("StateAccess", "key", self.key,
                                  problem="is not a state object key (<prefix>/<stack>.tfstate)",
                                  fix="use RemoteStateProps.key(stack) or state_key(prefix, stack)")


@props
class DeployRoleProps:
    """Props of a :class:`DeployRole`.

    Attributes
    ----------
    role_name:
        IAM role name; must not start with the stack's name prefix (the role
        would manage itself).
    phase:
        ``plan``: read what the stack manages, read the state, write the lock
        object. ``apply``: also create, update and delete what the stack
        manages, and write the state.
    oidc_provider_arn:
        The account's GitHub OIDC provider (``GitHubOidcProvider``, or the ARN
        of an existing one).
    repository:
        The GitHub repository whose workflows may assume the role.
    contexts:
        The subject contexts trusted, e.g. ``("pull_request", "ref:refs/heads/main")``
        for a plan role, ``("environment:prod",)`` for an apply role.
    permissions:
        What the stack needs (``deploy_permissions(stack_json, prefix)``).
    state:
        The stack's state object.
    max_session_hours:
        1-12. Default: 1 (a plan or apply that runs longer must re-authenticate).
    tags:
        Default: none.
    """

    role_name: str
    phase: Literal["plan", "apply"]
    oidc_provider_arn: str
    repository: GitHubRepository
    contexts: tuple[str, ...]
    permissions: DeployPermissions
    state: StateAccess
    max_session_hours: int = 1
    tags: Mapping[str, str] = field(default_factory=dict)

    def _check(self) -> None:
        where = "DeployRoleProps"
        if not IAM_ROLE_NAME.fullmatch(self.role_name):
            raise ValidationError(where, "role_name", self.role_name,
                                  problem="is not an IAM role name (1-64 of letters, digits and +=,.@_-)",
                                  fix="choose such a name, e.g. dynamodb-kit-dev-apply")
        if self.role_name.startswith(self.permissions.prefix):
            raise ValidationError(
                where, "role_name", self.role_name,
                problem=f"starts with the stack's name prefix {self.permissions.prefix!r}, so the role "
                "could rewrite its own policy",
                fix="name deploy roles outside the prefix, e.g. dynamodb-kit-<env>-apply",
            )
        if not self.contexts:
            raise ValidationError(where, "contexts", self.contexts, problem="is empty: nobody could assume the role",
                                  fix="trust e.g. ('environment:prod',)")
        for i, context in enumerate(self.contexts):
            self.repository.subjects(context)  # raises on a context the kit does not trust
            if self.phase == "apply" and not context.startswith("environment:"):
                raise ValidationError(
                    where, f"contexts[{i}]", context,
                    problem="lets a job without a GitHub Environment (and its required reviewers) apply",
                    fix="trust only environment:<name> for an apply role",
                )
        if not MIN_SESSION_HOURS <= self.max_session_hours <= MAX_SESSION_HOURS:
            raise ValidationError(where, "max_session_hours", self.max_session_hours,
                                  problem=f"is outside IAM's {MIN_SESSION_HOURS}-{MAX_SESSION_HOURS} hours",
                                  fix="choose 1 (the default) unless a deploy takes longer")


class DeployRole(KitConstruct):
    """A role only GitHub Actions jobs of one repository, in the trusted
    contexts, can assume (OIDC, audience ``sts.amazonaws.com``), allowed
    exactly what planning or applying one stack takes.

    ``policy_document`` is the inline policy as synthesized.
    """

    def __init__(self, scope: Construct, id: str, props: DeployRoleProps) -> None:
        super().__init__(scope, id)
        expect_props(path_of(self), props, DeployRoleProps)
        self.props = props
        identity = AwsIdentity.of(self)
        subjects = [s for context in props.contexts for s in props.repository.subjects(context)]
        trust = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "GitHubActionsOfThisRepository",
                "Effect": "Allow",
                "Principal": {"Federated": props.oidc_provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    f"{GITHUB_OIDC_HOST}:aud": STS_AUDIENCE,
                    f"{GITHUB_OIDC_HOST}:sub": subjects,
                }},
            }],
        }
        partition, account = identity.partition, identity.account_id
        statements = props.permissions.statements(props.phase, partition, account)
        statements += self._state_statements(props)
        self.policy_document = {"Version": "2012-10-17", "Statement": statements}
        self.role = aws_resource(self, "Resource", "aws_iam_role", {
            "name": props.role_name,
            "description": f"GitHub Actions: {props.phase} {props.permissions.stack}",
            "assume_role_policy": json.dumps(trust),
            "max_session_duration": props.max_session_hours * 3600,
            "tags": dict(props.tags) or None,
        })
        # Compact JSON: IAM counts every character of a role's inline policies
        # (10,240 at most); tests/app/test_delivery_iam.py checks the size.
        aws_resource(self, "Policy", "aws_iam_role_policy", {
            "name": props.phase,
            "role": ref(self.role, "id"),
            "policy": json.dumps(self.policy_document, separators=(",", ":")),
        })

    @staticmethod
    def _state_statements(props: DeployRoleProps) -> list[dict]:
        state = props.state
        bucket = state.bucket_arn
        state_object, lock_object = f"{bucket}/{state.key}", f"{bucket}/{state.key}{LOCK_SUFFIX}"
        objects: list[dict] = [
            {"Sid": "StateRead", "Effect": "Allow", "Action": ["s3:GetObject"],
             "Resource": [state_object, lock_object]},
            {"Sid": "StateLock", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
             "Resource": [lock_object]},
        ]
        if props.phase == "apply":
            objects.append({"Sid": "StateWrite", "Effect": "Allow", "Action": ["s3:PutObject"],
                            "Resource": [state_object]})
        region = state.region
        key_actions = ["kms:Decrypt", "kms:GenerateDataKey"]
        return [
            # Listing shows object names only. Terraform lists the workspaces
            # ("env:/"), and a HeadObject on a state that does not exist yet
            # answers 404 rather than 403 only with ListBucket on the bucket.
            {"Sid": "StateList", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket]},
            *objects,
            # Only through S3: the key reads and writes state objects, nothing else.
            {"Sid": "StateKey", "Effect": "Allow", "Action": key_actions, "Resource": [state.kms_key_arn],
             "Condition": {"StringEquals": {"kms:ViaService": [f"s3.{region}.amazonaws.com"]}}},
        ]

    @property
    def role_arn(self) -> str:
        return ref(self.role, "arn")
