"""What the local emulator now holds, read back with boto3: tables, roles, logs.

After a deploy to the local emulator::

    python -m dynamodb_kit_tools.inventory http://127.0.0.1:5000 [--region us-east-1] [--wait 30]

prints every table (keys, indexes, billing, point-in-time recovery window,
encryption, TTL, stream, deletion protection, tags), every IAM role that
carries DynamoDB actions (who may assume it, on which conditions; each
statement's actions, resources and condition keys) and every log group
(retention, key). It reads what the service answers, not what was declared, so
it shows what a deploy really produced. It first waits (30 s by default) for
the emulator to answer, so it can follow a start in the background at once.
It signs with the emulator's test
credentials, never real ones. boto3 comes with moto (a development dependency)
and is imported only when a function here runs.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
from dataclasses import dataclass
from typing import Any, Sequence

from .emulator import EMULATOR_CREDENTIALS, EmulatorError, wait_until_answering


@dataclass(frozen=True)
class TableView:
    name: str
    lines: tuple[tuple[str, str], ...]  # (label, text), in print order


@dataclass(frozen=True)
class RoleView:
    name: str
    trusted: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Inventory:
    endpoint_url: str
    region: str
    tables: tuple[TableView, ...] = ()
    roles: tuple[RoleView, ...] = ()
    log_groups: tuple[str, ...] = ()

    def format(self) -> str:
        out = [f"What {self.endpoint_url} ({self.region}) now holds:", "", "Tables"]
        for table in self.tables:
            out.append(f"  {table.name}")
            out += [f"    {label:<11} {text}" for label, text in table.lines]
        if not self.tables:
            out.append("  (none)")
        out += ["", "Roles with DynamoDB actions"]
        for role in self.roles:
            out.append(f"  {role.name} (assumed by {role.trusted})")
            out += [f"    {statement}" for statement in role.statements]
        if not self.roles:
            out.append("  (none)")
        out += ["", "Log groups"] + [f"  {group}" for group in self.log_groups or ("(none)",)]
        return "\n".join(out)


def _client(service: str, endpoint_url: str, region: str):
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=EMULATOR_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=EMULATOR_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _keys(schema: list[dict], types: dict[str, str]) -> str:
    return " + ".join(f"{k['AttributeName']} ({types.get(k['AttributeName'], '?')})" for k in schema)


def _projection(projection: dict) -> str:
    kind = projection.get("ProjectionType", "?")
    extra = projection.get("NonKeyAttributes")
    return f"{kind} {', '.join(extra)}" if extra else kind


def _billing(description: dict) -> str:
    mode = description.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    if mode == "PAY_PER_REQUEST":
        ceiling = description.get("OnDemandThroughput", {})
        reads, writes = ceiling.get("MaxReadRequestUnits"), ceiling.get("MaxWriteRequestUnits")
        limits = [f"{n} {what}/s" for n, what in ((reads, "reads"), (writes, "writes"))
                  if n not in (None, -1)]
        return "on-demand, " + (f"at most {' and '.join(limits)}" if limits else "no ceiling")
    throughput = description.get("ProvisionedThroughput", {})
    return (f"provisioned, {throughput.get('ReadCapacityUnits')} read and "
            f"{throughput.get('WriteCapacityUnits')} write units")


def _table_view(dynamodb, kms_aliases: dict[str, str], name: str) -> TableView:
    table = dynamodb.describe_table(TableName=name)["Table"]
    types = {a["AttributeName"]: a["AttributeType"] for a in table.get("AttributeDefinitions", [])}
    lines = [("key", _keys(table["KeySchema"], types))]
    for gsi in table.get("GlobalSecondaryIndexes", []):
        lines.append(("GSI", f"{gsi['IndexName']}: {_keys(gsi['KeySchema'], types)}, "
                             f"projects {_projection(gsi['Projection'])}"))
    for lsi in table.get("LocalSecondaryIndexes", []):
        lines.append(("LSI", f"{lsi['IndexName']}: {_keys(lsi['KeySchema'], types)}, "
                             f"projects {_projection(lsi['Projection'])}"))
    lines.append(("billing", _billing(table)))
    pitr = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    recovery = pitr.get("PointInTimeRecoveryDescription", {})
    if recovery.get("PointInTimeRecoveryStatus") == "ENABLED":
        lines.append(("PITR", f"on, {recovery.get('RecoveryPeriodInDays', 35)}-day window"))
    else:
        lines.append(("PITR", "off"))
    sse = table.get("SSEDescription")
    if sse and sse.get("Status", "ENABLED") == "ENABLED":
        key_arn = sse.get("KMSMasterKeyArn", "")
        alias = kms_aliases.get(key_arn.rsplit("/", 1)[-1])
        key = f"{alias} ({key_arn})" if alias else key_arn or "aws/dynamodb"
        lines.append(("encryption", f"{sse.get('SSEType', 'KMS')}, key {key}"))
    else:
        lines.append(("encryption", "AWS owned key"))
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    on = ttl.get("TimeToLiveStatus") == "ENABLED"
    lines.append(("TTL", f"on, attribute {ttl['AttributeName']}" if on else "off"))
    stream = table.get("StreamSpecification", {})
    lines.append(("stream", stream["StreamViewType"] if stream.get("StreamEnabled") else "off"))
    protected = table.get("DeletionProtectionEnabled", False)
    lines.append(("protection", "deletion protection " + ("on" if protected else "off")))
    tags = dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
    lines.append(("tags", ", ".join(sorted(f"{t['Key']}={t['Value']}" for t in tags)) or "none"))
    return TableView(name=name, lines=tuple(lines))


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _document(value: Any) -> dict:
    """IAM returns policy documents URL-encoded (AWS) or already decoded (boto3)."""
    if isinstance(value, dict):
        return value
    return json.loads(urllib.parse.unquote(value))


def _resource(arn: str) -> str:
    """``table/NAME/index/X`` for DynamoDB ARNs, the ARN (or token) otherwise."""
    return arn.split(":", 5)[-1] if arn.startswith("arn:") and ":dynamodb:" in arn else arn


def _statement_text(statement: dict) -> str:
    actions = sorted(a for a in _as_list(statement.get("Action", [])) if a.startswith("dynamodb:"))
    resources = ", ".join(_resource(r) for r in _as_list(statement.get("Resource", [])))
    text = f"{statement.get('Sid') or '(no Sid)'}: {statement.get('Effect', 'Allow')} " \
           f"{', '.join(actions)} on {resources}"
    keys = sorted({key for test in statement.get("Condition", {}).values() for key in test})
    return text + (f" when {', '.join(keys)}" if keys else "")


def _trusted(role: dict) -> str:
    principals, keys = set(), set()
    for statement in _as_list(_document(role.get("AssumeRolePolicyDocument", {})).get("Statement", [])):
        for who in statement.get("Principal", {}).values():
            principals.update(str(p) for p in _as_list(who))
        keys.update(key for test in statement.get("Condition", {}).values() for key in test)
    who = ", ".join(sorted(principals)) or "nobody"
    return who + (f" when {', '.join(sorted(keys))}" if keys else "")


def _role_views(iam) -> list[RoleView]:
    views = []
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            name = role["RoleName"]
            documents = [
                _document(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])
                for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]
            ]
            for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
                policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
                version = iam.get_policy_version(
                    PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"]
                )
                documents.append(_document(version["PolicyVersion"]["Document"]))
            statements = [
                _statement_text(s)
                for document in documents
                for s in _as_list(document.get("Statement", []))
                if any(str(a).startswith("dynamodb:") for a in _as_list(s.get("Action", [])))
            ]
            if statements:
                views.append(RoleView(name=name, trusted=_trusted(role), statements=tuple(statements)))
    return sorted(views, key=lambda v: v.name)


def read_inventory(endpoint_url: str, region: str = "us-east-1") -> Inventory:
    """Every table, role with DynamoDB actions and log group at ``endpoint_url``."""
    dynamodb = _client("dynamodb", endpoint_url, region)
    kms = _client("kms", endpoint_url, region)
    aliases = {
        alias["TargetKeyId"]: alias["AliasName"]
        for page in kms.get_paginator("list_aliases").paginate()
        for alias in page["Aliases"]
        if alias.get("TargetKeyId")
    }
    names = [n for page in dynamodb.get_paginator("list_tables").paginate() for n in page["TableNames"]]
    logs = _client("logs", endpoint_url, region)
    groups = [g for page in logs.get_paginator("describe_log_groups").paginate() for g in page["logGroups"]]
    return Inventory(
        endpoint_url=endpoint_url,
        region=region,
        tables=tuple(_table_view(dynamodb, aliases, name) for name in sorted(names)),
        roles=tuple(_role_views(_client("iam", endpoint_url, region))),
        log_groups=tuple(sorted(_log_group_text(g, aliases) for g in groups)),
    )


def _log_group_text(group: dict, kms_aliases: dict[str, str]) -> str:
    days = group.get("retentionInDays")
    key_arn = group.get("kmsKeyId")
    key = f", key {kms_aliases.get(key_arn.rsplit('/', 1)[-1], key_arn)}" if key_arn else ""
    return f"{group['logGroupName']}: kept {f'{days} days' if days else 'forever'}{key}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dynamodb_kit_tools.inventory",
        description="Print the tables, DynamoDB roles and log groups the local emulator holds.",
    )
    parser.add_argument("endpoint_url", help="e.g. http://127.0.0.1:5000")
    parser.add_argument("--region", default=EMULATOR_CREDENTIALS["AWS_DEFAULT_REGION"])
    parser.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                        help="wait this long for the emulator to answer (default: 30)")
    args = parser.parse_args(argv)
    try:
        wait_until_answering(args.endpoint_url, args.wait)  # it may still be starting
    except EmulatorError as error:
        print(f"inventory: {error}", file=sys.stderr)
        return 1
    print(read_inventory(args.endpoint_url, args.region).format())
    return 0


if __name__ == "__main__":
    sys.exit(main())
