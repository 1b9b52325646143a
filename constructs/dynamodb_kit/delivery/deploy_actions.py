"""What a deploy role may do, derived from a synthesized stack: resource types
-> IAM actions, as data.

``RESOURCE_NEEDS`` says, for each Terraform resource type the kit's stacks
create, which actions the AWS provider needs to read it (``terraform plan``
refreshes it) and to manage it (create, update, tag, and delete), and on which
resources. :func:`deploy_permissions` reads a synthesized ``cdk.tf.json``,
collects the needs of the types it holds, scopes them to the stack's name
prefix, region and account, and derives what depends on the stack's content:

- deletions only for types with a resource that lacks ``prevent_destroy``
  (so prod's apply role cannot delete a table, its keys or its vault at all);
- ``iam:PassRole`` only for the roles the stack hands to a service (the
  backup selection's role to ``backup.amazonaws.com``, the identity pool's
  roles to ``cognito-identity.amazonaws.com``), with ``iam:PassedToService``;
- ``iam:AttachRolePolicy`` only for the managed policies the stack attaches
  (``iam:PolicyARN``);
- the KMS grants that DynamoDB and AWS Backup create on the caller's behalf
  when a table or vault uses a customer-managed key (``kms:ViaService``).

A stack with replicas has a provider per region; every pattern and the
region condition then cover each of them. A type, data source or attribute
this module does not know is a
``ValidationError``: a new resource type needs its entry here before CI can
deploy it. Actions that support no resource-level scoping get ``"*"`` with
``aws:RequestedRegion`` pinned to the stack's regions; resources whose ARN
carries no name can be held to the stack's own tag (``scope_tag``). Which calls the provider
really makes is checked on the emulator (tests/app/test_e2e_delivery.py
records them); what only AWS can show (calls made on the caller's behalf) is
listed in constructs/docs/deploy-from-github-actions.md.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from ..core.errors import ValidationError

# Resource kinds: ARN patterns per stack. {partition} and {account} are filled
# in by the role (the bootstrap stack's own account); {region} and {prefix}
# come from the stack.
ARNS: dict[str, str] = {
    "table": "arn:{partition}:dynamodb:{region}:{account}:table/{prefix}*",
    "key": "arn:{partition}:kms:{region}:{account}:key/*",
    "alias": "arn:{partition}:kms:{region}:{account}:alias/{prefix}*",
    "role": "arn:{partition}:iam::{account}:role/{prefix}*",
    "log-group": "arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/{prefix}*",
    "identity-pool": "arn:{partition}:cognito-identity:{region}:{account}:identitypool/*",
    "scalable-target": "arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/*",
    # Target tracking names its alarms "TargetTracking-<resource id>-...".
    "alarm": "arn:{partition}:cloudwatch:{region}:{account}:alarm:TargetTracking-table/{prefix}*",
    "metric-alarm": "arn:{partition}:cloudwatch:{region}:{account}:alarm:{prefix}*",
    "topic": "arn:{partition}:sns:{region}:{account}:{prefix}*",
    "backup-vault": "arn:{partition}:backup:{region}:{account}:backup-vault:{prefix}*",
    "backup-plan": "arn:{partition}:backup:{region}:{account}:backup-plan:*",
    "autoscaling-service-role": (
        "arn:{partition}:iam::{account}:role/aws-service-role/"
        "dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
    ),
    "*": "*",
}

# Names that must start with the stack's prefix, so that the patterns above cover them.
_NAMED = {
    "aws_dynamodb_table": ("name", "{prefix}"),
    "aws_iam_role": ("name", "{prefix}"),
    "aws_cloudwatch_log_group": ("name", "/aws/lambda/{prefix}"),
    "aws_kms_alias": ("name", "alias/{prefix}"),
    "aws_backup_vault": ("name", "{prefix}"),
    "aws_cloudwatch_metric_alarm": ("alarm_name", "{prefix}"),
    "aws_sns_topic": ("name", "{prefix}"),
}


class Need(NamedTuple):
    """Actions the provider calls for a resource type, on one kind of resource.

    ``phase``: ``read`` (refresh: plan and apply roles), ``manage`` (create,
    update, tag: apply role) or ``delete`` (apply role, only where some
    resource of the type lacks ``prevent_destroy``). ``resource``: a key of
    ``ARNS``, or several joined by ``+`` for actions authorized on several
    resources at once. ``condition``: ``region`` (``aws:RequestedRegion``),
    ``attached-policies`` (``iam:PolicyARN``), ``autoscaling-service``
    (``iam:AWSServiceName``), ``own-tag`` (``aws:ResourceTag/<scope tag>``,
    for resources whose ARN carries no name), or none.
    """

    phase: str
    actions: tuple[str, ...]
    resource: str
    condition: str | None = None


def _needs(*needs: Need) -> tuple[Need, ...]:
    return needs


R, M, D = "read", "manage", "delete"

RESOURCE_NEEDS: dict[str, tuple[Need, ...]] = {
    "aws_dynamodb_table": _needs(
        Need(R, ("dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive",
                 "dynamodb:ListTagsOfResource"), "table"),
        Need(M, ("dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups",
                 "dynamodb:UpdateTimeToLive", "dynamodb:TagResource", "dynamodb:UntagResource"), "table"),
        Need(D, ("dynamodb:DeleteTable",), "table"),
    ),
    # A replica in another region (global table): the table's provider adds and
    # removes it; the replica's own settings are read and updated in its region.
    "aws_dynamodb_table_replica": _needs(
        Need(R, ("dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:ListTagsOfResource"),
             "table"),
        Need(M, ("dynamodb:CreateTableReplica", "dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups",
                 "dynamodb:TagResource", "dynamodb:UntagResource"), "table"),
        Need(D, ("dynamodb:DeleteTableReplica",), "table"),
    ),
    "aws_dynamodb_contributor_insights": _needs(
        Need(R, ("dynamodb:DescribeContributorInsights",), "table"),
        # Enabling and disabling (the delete) are the same call.
        Need(M, ("dynamodb:UpdateContributorInsights",), "table"),
    ),
    "aws_cloudwatch_metric_alarm": _needs(
        Need(R, ("cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"), "metric-alarm"),
        Need(M, ("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"),
             "metric-alarm"),
        Need(D, ("cloudwatch:DeleteAlarms",), "metric-alarm"),
    ),
    "aws_sns_topic": _needs(
        Need(R, ("sns:GetTopicAttributes", "sns:ListTagsForResource"), "topic"),
        Need(M, ("sns:CreateTopic", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"), "topic"),
        Need(D, ("sns:DeleteTopic",), "topic"),
    ),
    "aws_kms_key": _needs(
        Need(R, ("kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"),
             "key"),
        Need(M, ("kms:CreateKey",), "*", "region"),
        # Keys have no name in their ARN: what could hurt another environment's
        # key (its policy, rotation, deletion) also needs the stack's own tag.
        Need(M, ("kms:EnableKeyRotation", "kms:TagResource"), "key"),
        Need(M, ("kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:UntagResource"),
             "key", "own-tag"),
        Need(D, ("kms:ScheduleKeyDeletion",), "key", "own-tag"),
    ),
    "aws_kms_alias": _needs(
        Need(R, ("kms:ListAliases",), "*", "region"),
        # Alias actions are authorized on the alias and on its key, together.
        Need(M, ("kms:CreateAlias", "kms:UpdateAlias"), "alias+key"),
        Need(D, ("kms:DeleteAlias",), "alias+key"),
    ),
    "aws_iam_role": _needs(
        Need(R, ("iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"), "role"),
        Need(M, ("iam:CreateRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole",
                 "iam:UntagRole"), "role"),
        Need(D, ("iam:DeleteRole", "iam:ListInstanceProfilesForRole"), "role"),
    ),
    "aws_iam_role_policy": _needs(
        Need(R, ("iam:GetRolePolicy",), "role"),
        Need(M, ("iam:PutRolePolicy",), "role"),
        Need(D, ("iam:DeleteRolePolicy",), "role"),
    ),
    "aws_iam_role_policy_attachment": _needs(
        Need(R, ("iam:ListAttachedRolePolicies",), "role"),
        Need(M, ("iam:AttachRolePolicy",), "role", "attached-policies"),
        Need(D, ("iam:DetachRolePolicy",), "role", "attached-policies"),
    ),
    "aws_cloudwatch_log_group": _needs(
        Need(R, ("logs:DescribeLogGroups",), "*", "region"),
        Need(R, ("logs:ListTagsForResource",), "log-group"),
        Need(M, ("logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
                 "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource"),
             "log-group"),
        Need(D, ("logs:DeleteLogGroup",), "log-group"),
    ),
    "aws_cognito_identity_pool": _needs(
        Need(R, ("cognito-identity:DescribeIdentityPool", "cognito-identity:ListTagsForResource"), "identity-pool"),
        Need(M, ("cognito-identity:CreateIdentityPool",), "*", "region"),
        Need(M, ("cognito-identity:TagResource",), "identity-pool"),
        Need(M, ("cognito-identity:UpdateIdentityPool", "cognito-identity:UntagResource"), "identity-pool",
             "own-tag"),
        Need(D, ("cognito-identity:DeleteIdentityPool",), "identity-pool", "own-tag"),
    ),
    "aws_cognito_identity_pool_roles_attachment": _needs(
        Need(R, ("cognito-identity:GetIdentityPoolRoles",), "identity-pool"),
        # SetIdentityPoolRoles supports no resource-level scoping; it also detaches.
        Need(M, ("cognito-identity:SetIdentityPoolRoles",), "*", "region"),
    ),
    "aws_appautoscaling_target": _needs(
        Need(R, ("application-autoscaling:DescribeScalableTargets",), "*", "region"),
        Need(R, ("application-autoscaling:ListTagsForResource",), "scalable-target"),
        Need(M, ("application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource",
                 "application-autoscaling:UntagResource"), "scalable-target"),
        # Registering a DynamoDB target creates the service-linked role on first use.
        Need(M, ("iam:CreateServiceLinkedRole",), "autoscaling-service-role", "autoscaling-service"),
        Need(D, ("application-autoscaling:DeregisterScalableTarget",), "scalable-target", "own-tag"),
    ),
    "aws_appautoscaling_policy": _needs(
        Need(R, ("application-autoscaling:DescribeScalingPolicies",), "*", "region"),
        Need(M, ("application-autoscaling:PutScalingPolicy",), "scalable-target"),
        # Target tracking creates and deletes its CloudWatch alarms as the caller.
        Need(M, ("cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"), "alarm"),
        Need(D, ("application-autoscaling:DeleteScalingPolicy",), "scalable-target"),
    ),
    "aws_appautoscaling_scheduled_action": _needs(
        Need(R, ("application-autoscaling:DescribeScheduledActions",), "*", "region"),
        Need(M, ("application-autoscaling:PutScheduledAction",), "scalable-target"),
        Need(D, ("application-autoscaling:DeleteScheduledAction",), "scalable-target"),
    ),
    "aws_backup_vault": _needs(
        Need(R, ("backup:DescribeBackupVault", "backup:ListTags"), "backup-vault"),
        Need(M, ("backup:CreateBackupVault", "backup:TagResource", "backup:UntagResource"), "backup-vault"),
        # AWS Backup's documented requirement for creating a vault.
        Need(M, ("backup-storage:MountCapsule",), "*", "region"),
        Need(D, ("backup:DeleteBackupVault",), "backup-vault"),
    ),
    "aws_backup_vault_lock_configuration": _needs(
        Need(R, ("backup:DescribeBackupVault",), "backup-vault"),
        Need(M, ("backup:PutBackupVaultLockConfiguration",), "backup-vault"),
        Need(D, ("backup:DeleteBackupVaultLockConfiguration",), "backup-vault"),
    ),
    "aws_backup_plan": _needs(
        Need(R, ("backup:GetBackupPlan", "backup:ListTags"), "backup-plan"),
        Need(M, ("backup:CreateBackupPlan", "backup:UpdateBackupPlan", "backup:TagResource",
                 "backup:UntagResource"), "backup-plan"),
        Need(D, ("backup:DeleteBackupPlan",), "backup-plan"),
    ),
    "aws_backup_selection": _needs(
        Need(R, ("backup:GetBackupSelection",), "backup-plan"),
        Need(M, ("backup:CreateBackupSelection",), "backup-plan"),
        Need(D, ("backup:DeleteBackupSelection",), "backup-plan"),
    ),
    "aws_backup_region_settings": _needs(
        Need(R, ("backup:DescribeRegionSettings",), "*", "region"),
        Need(M, ("backup:UpdateRegionSettings",), "*", "region"),
    ),
}

# Data sources the kit's stacks read; these need no permission
# (sts:GetCallerIdentity is always allowed) or make no call at all.
DATA_SOURCES_WITHOUT_NEEDS = frozenset({"aws_caller_identity", "aws_partition", "aws_region",
                                        "aws_iam_policy_document"})

# A customer-managed key on a table or vault: the service creates grants on it
# with the caller's credentials (forward access), so the caller needs these,
# through that service only.
KMS_FOR_SERVICE = {
    "dynamodb": ("kms:DescribeKey", "kms:CreateGrant"),
    "backup": ("kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant", "kms:Decrypt", "kms:GenerateDataKey"),
}
# Who receives the roles a stack passes, by the attribute that passes them.
PASSED_ROLES = {
    "aws_backup_selection": ("iam_role_arn", "backup.amazonaws.com"),
    "aws_cognito_identity_pool_roles_attachment": ("roles", "cognito-identity.amazonaws.com"),
}
AUTOSCALING_SERVICE = "dynamodb.application-autoscaling.amazonaws.com"

_ROLE_REF = re.compile(r"^\$\{aws_iam_role\.([A-Za-z0-9_-]+)\.arn\}$")
_IDENTITY_REF = re.compile(r"\$\{data\.(aws_partition|aws_caller_identity)\.[A-Za-z0-9_-]+\.(partition|account_id)\}")
_PLACEHOLDER = {"partition": "{partition}", "account_id": "{account}"}


class Permission(NamedTuple):
    """One statement's worth: actions on resources (ARN patterns with
    ``{partition}`` and ``{account}`` left to fill), under a condition."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def statement(self, sid: str, partition: str, account: str) -> dict:
        fill = {"partition": partition, "account": account}
        statement: dict = {
            "Sid": sid,
            "Effect": "Allow",
            "Action": list(self.actions),
            "Resource": [r.format(**fill) for r in self.resources],
        }
        if self.condition:
            block: dict = {}
            for operator, key, values in self.condition:
                block.setdefault(operator, {})[key] = [v.format(**fill) for v in values]
            statement["Condition"] = block
        return statement


class DeployPermissions(NamedTuple):
    """What deploying one synthesized stack takes.

    ``regions`` are its providers' regions (more than one with replicas);
    ``read`` is what ``terraform plan`` needs (the plan role), ``write`` what
    ``terraform apply`` needs beyond it (the apply role has both).
    """

    stack: str
    regions: tuple[str, ...]
    prefix: str
    read: tuple[Permission, ...]
    write: tuple[Permission, ...]

    def actions(self, phase: str) -> frozenset[str]:
        """Every action of the ``plan`` or ``apply`` phase."""
        chosen = self.read if phase == "plan" else self.read + self.write
        return frozenset(a for p in chosen for a in p.actions)

    def statements(self, phase: str, partition: str, account: str, sid_prefix: str = "") -> list[dict]:
        """The phase's statements; permissions on the same resources under the
        same condition share one statement (a role's inline policies may hold
        10,240 characters)."""
        merged: dict[tuple, list[str]] = {}
        for permission in self.read if phase == "plan" else self.read + self.write:
            actions = merged.setdefault((permission.resources, permission.condition), [])
            actions += [a for a in permission.actions if a not in actions]
        chosen = [Permission(tuple(sorted(a)), r, c) for (r, c), a in merged.items()]
        return [p.statement(f"{sid_prefix}{_sid(p, i)}", partition, account) for i, p in enumerate(chosen)]


def _sid(permission: Permission, index: int) -> str:
    service = permission.actions[0].split(":")[0].title().replace("-", "")
    return f"{service}{index}"


def _fail(stack: str, field: str, value: object, problem: str, fix: str) -> ValidationError:
    return ValidationError(stack, field, value, problem=problem, fix=fix)


def _identity_placeholders(stack: str, field: str, value: str) -> str:
    """A value with the stack's partition and account references as placeholders."""
    replaced = _IDENTITY_REF.sub(lambda m: _PLACEHOLDER.get(m.group(2), m.group(0)), value)
    if "${" in replaced:
        raise _fail(stack, field, value, "holds a reference the deploy roles cannot scope",
                    "use a literal or the stack's partition, account or region")
    return replaced


def deploy_permissions(stack_json: dict, name_prefix: str, scope_tag: str | None = None) -> DeployPermissions:
    """The permissions to plan and apply the synthesized stack ``stack_json``,
    whose named resources all start with ``name_prefix`` (``"dev-"``).

    ``scope_tag``: a tag key of the stack's default tags (``"Environment"``).
    KMS keys, identity pools and scalable targets have no name in their ARN;
    changing a key's policy, rotation or deletion, an identity pool, or
    deregistering a target then also needs the resource to carry the stack's
    value of that tag (``aws:ResourceTag``), so one environment's role cannot
    touch another's in the same account and region. Default: none, those
    resources are scoped by account and region only.
    """
    resources: dict[str, dict[str, dict]] = stack_json.get("resource", {})
    stack = _stack_name(stack_json)
    providers = stack_json.get("provider", {}).get("aws", [])
    regions = tuple(sorted({p.get("region") for p in providers if isinstance(p, dict)} - {None}))
    if not providers or len(regions) != len({p.get("region") for p in providers}) or \
            any(not re.fullmatch(r"[a-z]{2}(?:-[a-z]+)+-\d", r) for r in regions):
        raise _fail(stack, "provider.aws", providers, "must be aws providers with literal regions",
                    "give each aws provider of the stack its region (add_aws_provider)")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name_prefix):
        raise _fail(stack, "name_prefix", name_prefix, "is not a plain name prefix",
                    "use letters, digits, '_', '.', '-', e.g. dev-")

    for data_type in stack_json.get("data", {}):
        if data_type not in DATA_SOURCES_WITHOUT_NEEDS:
            raise _fail(stack, "data", data_type, "is a data source the deploy roles do not know",
                        "add what it reads to dynamodb_kit/delivery/deploy_actions.py")
    needs: list[Need] = []
    extra_write: list[Permission] = []
    for kind, by_id in sorted(resources.items()):
        if kind not in RESOURCE_NEEDS:
            raise _fail(stack, "resource", kind, "is a resource type the deploy roles do not know",
                        "add its actions to RESOURCE_NEEDS in dynamodb_kit/delivery/deploy_actions.py")
        _check_names(stack, kind, by_id, name_prefix)
        deletable = any(not r.get("lifecycle", {}).get("prevent_destroy") for r in by_id.values())
        needs += [n for n in RESOURCE_NEEDS[kind] if n.phase != D or deletable]
        if kind == "aws_dynamodb_table":
            for table_id, table in by_id.items():
                if any(k in table for k in ("restore_source_name", "restore_source_table_arn",
                                            "restore_date_time", "restore_to_latest_time")):
                    raise _fail(stack, f"aws_dynamodb_table.{table_id}", "restore",
                                "is a restore, which needs data-plane access to both tables",
                                "apply restores as an administrator, then remove the restore attributes")
    region_condition = (("StringEquals", "aws:RequestedRegion", regions),)
    own_tag: tuple = ()
    if scope_tag is not None:
        tags = [t for p in providers for block in p.get("default_tags", []) for t in [block.get("tags", {})]]
        values = {t.get(scope_tag) for t in tags} if tags else {None}
        if None in values or len(values) != 1:
            raise _fail(stack, "provider.aws.default_tags", scope_tag,
                        "is not a default tag of every aws provider of the stack, with one value",
                        "give the stack's providers default_tags that include it, or pass scope_tag=None")
        own_tag = (("StringEquals", f"aws:ResourceTag/{scope_tag}", (values.pop(),)),)
    conditions = {
        None: (),
        "region": region_condition,
        "autoscaling-service": (("StringEquals", "iam:AWSServiceName", (AUTOSCALING_SERVICE,)),),
        "own-tag": own_tag,
    }
    attached = sorted({
        _identity_placeholders(stack, f"aws_iam_role_policy_attachment.{i}.policy_arn", a["policy_arn"])
        for i, a in resources.get("aws_iam_role_policy_attachment", {}).items()
    })
    if attached:
        conditions["attached-policies"] = (("ArnEquals", "iam:PolicyARN", tuple(attached)),)

    # KMS grants that a service creates with the caller's credentials.
    services = []
    if any(t.get("server_side_encryption", {}).get("kms_key_arn")
           for t in resources.get("aws_dynamodb_table", {}).values()) or any(
           r.get("kms_key_arn") for r in resources.get("aws_dynamodb_table_replica", {}).values()):
        services.append("dynamodb")
    if any(v.get("kms_key_arn") for v in resources.get("aws_backup_vault", {}).values()):
        services.append("backup")
    for service in services:
        extra_write.append(Permission(
            KMS_FOR_SERVICE[service], _patterns("key", regions, name_prefix),
            (("StringEquals", "kms:ViaService", tuple(f"{service}.{r}.amazonaws.com" for r in regions)),),
        ))
    # Roles handed to a service.
    for kind, (attribute, service) in PASSED_ROLES.items():
        arns = sorted({_role_arn(stack, resources, kind, i, ref)
                       for i, r in resources.get(kind, {}).items() for ref in _refs(r.get(attribute))})
        if arns:
            extra_write.append(Permission(
                ("iam:PassRole",), tuple(arns), (("StringEquals", "iam:PassedToService", (service,)),),
            ))

    def merged(phases: Iterable[str]) -> tuple[Permission, ...]:
        grouped: dict[tuple[str, str | None], list[str]] = {}
        for need in needs:
            if need.phase in phases:
                actions = grouped.setdefault((need.resource, need.condition), [])
                actions += [a for a in need.actions if a not in actions]
        return tuple(
            Permission(tuple(sorted(actions)), _patterns(resource, regions, name_prefix), conditions[condition])
            for (resource, condition), actions in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        )

    read = merged((R,))
    write = merged((M, D)) + tuple(extra_write)
    return DeployPermissions(stack=stack, regions=regions, prefix=name_prefix, read=read, write=write)


def _patterns(kind: str, regions: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    """The kinds' ARN patterns in each region (one pattern for a global service)."""
    patterns = [ARNS[k].replace("{region}", r).replace("{prefix}", prefix) for k in kind.split("+") for r in regions]
    return tuple(dict.fromkeys(patterns))


def _stack_name(stack_json: dict) -> str:
    for by_id in stack_json.get("resource", {}).values():
        for resource in by_id.values():
            path = resource.get("//", {}).get("metadata", {}).get("path", "")
            if path:
                return path.split("/")[0]
    return "stack"


def _check_names(stack: str, kind: str, by_id: dict[str, dict], prefix: str) -> None:
    if kind not in _NAMED:
        return
    attribute, template = _NAMED[kind]
    start = template.format(prefix=prefix)
    for resource_id, resource in by_id.items():
        name = resource.get(attribute) or resource.get(f"{attribute}_prefix")
        if not isinstance(name, str) or not name.startswith(start):
            raise _fail(stack, f"{kind}.{resource_id}.{attribute}", name,
                        f"does not start with {start!r}, so the deploy roles could not manage it",
                        f"name it {start}..., or choose the stack's name prefix accordingly")


def _refs(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _role_arn(stack: str, resources: dict, kind: str, resource_id: str, value: str) -> str:
    """The ARN pattern of a role the stack creates, from a reference to it."""
    match = _ROLE_REF.match(value)
    role = resources.get("aws_iam_role", {}).get(match.group(1)) if match else None
    if role is None:
        raise _fail(stack, f"{kind}.{resource_id}", value, "passes a role that this stack does not create",
                    "pass a role of the stack (a reference to its aws_iam_role), or grant iam:PassRole by hand")
    name = role.get("name") or f"{role['name_prefix']}*"
    return f"arn:{{partition}}:iam::{{account}}:role/{name}"
