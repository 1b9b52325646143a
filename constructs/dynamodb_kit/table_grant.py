"""TableGrant: a function's access patterns on one table, turned into IAM statements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from . import access_patterns as ap
from .access_patterns import AccessPattern
from .aws_identity import AwsIdentity
from .errors import ValidationError
from .table import Table
from .table_validation import enum_value

ALL_INDEXES = "*"
# ReturnValues that echo only what the caller wrote (ALL_OLD/ALL_NEW would return
# attributes outside the allowed list).
SAFE_RETURN_VALUES = ("NONE", "UPDATED_OLD", "UPDATED_NEW")


class KeyMatch(str, Enum):
    EXACT = "StringEquals"
    PREFIX = "StringLike"


@dataclass(frozen=True)
class LeadingKeys:
    """Item-level access: the partition keys a caller may touch.

    ``values`` are exact keys or policy variables (exact match), or prefixes
    ending in ``*`` (``match=KeyMatch.PREFIX``).
    """

    values: tuple[str, ...]
    match: KeyMatch | str = KeyMatch.EXACT

    @classmethod
    def cognito_identity(cls) -> "LeadingKeys":
        """The caller's own Cognito identity id: each user reaches only their items."""
        # "$${" is Terraform's escape for a literal "${": the policy variable
        # must reach IAM as written, not be interpolated by Terraform.
        return cls(("$${cognito-identity.amazonaws.com:sub}",))


@dataclass(frozen=True, kw_only=True)
class TableGrant:
    """What one function may do on one table.

    Attributes
    ----------
    table:
        The table.
    patterns:
        Table-level access patterns (``AccessPattern`` or its value), e.g.
        ``access_patterns.READ`` or ``(AccessPattern.PUT_ITEM,)``. Default: none.
    query_indexes, scan_indexes:
        Index names to Query/Scan, each on its own index ARN; ``ALL_INDEXES``
        for ``index/*``. Default: none.
    attributes:
        Attribute-level access: only these attributes (plus the keys, added by
        the kit) may be read or updated. Default: every attribute.
    leading_keys:
        Item-level access. Default: every item.
    """

    table: Table
    patterns: tuple[AccessPattern | str, ...] = ()
    query_indexes: tuple[str, ...] = ()
    scan_indexes: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    leading_keys: LeadingKeys | None = None

    def statements(self, path: str, field: str) -> list[dict]:
        """IAM statements (dicts with Terraform references), validated."""
        patterns = [
            enum_value(path, f"{field}.patterns[{i}]", p, AccessPattern)
            for i, p in enumerate(self.patterns)
        ]
        if not patterns and not self.query_indexes and not self.scan_indexes:
            raise ValidationError(
                path, f"{field}.patterns", (), "grants nothing",
                "name the access patterns or indexes the function needs",
            )
        for name_field, names in (("query_indexes", self.query_indexes), ("scan_indexes", self.scan_indexes)):
            for name in names:
                if name != ALL_INDEXES and name not in self.table.index_names:
                    raise ValidationError(
                        path, f"{field}.{name_field}", name,
                        f"is not an index of {self.table.node.path} "
                        f"({', '.join(self.table.index_names) or 'none'})",
                        "use one of its indexes, or ALL_INDEXES for every index",
                    )
        if AccessPattern.READ_STREAM in patterns and not self.table.props.stream_enabled:
            raise ValidationError(
                path, f"{field}.patterns", "ReadStream",
                f"needs a stream, and {self.table.node.path} has stream_enabled=False",
                "turn the table's stream on or remove ReadStream",
            )
        prefix = "".join(ch for ch in self.table.node.id if ch.isalnum())
        table_arn = self.table.table_arn
        item_actions = sorted({a for p in patterns if p is not AccessPattern.DESCRIBE
                               for a in ap.TABLE_ACTIONS.get(p, ())})
        index_actions = [
            (action, self._index_arn(name))
            for names, actions in ((self.query_indexes, ap.INDEX_QUERY_ACTIONS),
                                   (self.scan_indexes, ap.INDEX_SCAN_ACTIONS))
            for name in names for action in actions
        ]
        conditioned = bool(self.leading_keys or self.attributes)
        if conditioned:
            self._check_conditions_apply(path, field, patterns, item_actions)

        statements: list[dict] = []
        statements += self._conditioned_statements(f"{prefix}Items", item_actions, [table_arn])
        by_action: dict[str, list[str]] = {}
        for action, arn in index_actions:
            by_action.setdefault(action, []).append(arn)
        for action, arns in sorted(by_action.items()):
            verb = action.split(":")[1]
            statements += self._conditioned_statements(f"{prefix}Index{verb}", [action], arns)
        if AccessPattern.DESCRIBE in patterns:
            statements.append(_plain(f"{prefix}Describe", ["dynamodb:DescribeTable"], [table_arn]))
        if AccessPattern.READ_STREAM in patterns:
            statements.append(_plain(f"{prefix}Stream", list(ap.STREAM_ACTIONS), [self.table.stream_arn]))
            statements.append(_plain(f"{prefix}ListStreams", list(ap.UNSCOPED_STREAM_ACTIONS), ["*"]))
        key_arn = self.table.encryption_key_arn
        if key_arn is not None and (set(patterns) & (ap.READ_PATTERNS | ap.WRITE_PATTERNS)
                                    or index_actions):
            writes = set(patterns) & ap.WRITE_PATTERNS
            actions = ap.KMS_WRITE_ACTIONS if writes else ap.KMS_READ_ACTIONS
            statements.append({
                "Sid": f"{prefix}Key",
                "Effect": "Allow",
                "Action": sorted(actions),
                "Resource": [key_arn],
                # Only through DynamoDB in the stack's region, never directly.
                "Condition": {"StringEquals": {
                    "kms:ViaService": f"dynamodb.{AwsIdentity.of(self.table).region}.amazonaws.com"
                }},
            })
        return statements

    def _index_arn(self, name: str) -> str:
        return f"{self.table.table_arn}/index/*" if name == ALL_INDEXES else self.table.index_arn(name)

    def _check_conditions_apply(self, path: str, field: str, patterns, item_actions) -> None:
        if AccessPattern.READ_STREAM in patterns:
            key_field = "leading_keys" if self.leading_keys else "attributes"
            raise ValidationError(
                path, f"{field}.{key_field}",
                self.leading_keys.values if self.leading_keys else self.attributes,
                "cannot restrict ReadStream: stream records carry whole items of every key",
                "grant ReadStream in a TableGrant of its own, to a function that may see all items",
            )
        for key_field, supported, present in (
            ("leading_keys", ap.LEADING_KEYS_ACTIONS, self.leading_keys),
            ("attributes", ap.ATTRIBUTES_ACTIONS, self.attributes),
        ):
            if not present:
                continue
            shown = present.values if isinstance(present, LeadingKeys) else present
            unsupported = [a for a in item_actions if a not in supported]
            if unsupported:
                raise ValidationError(
                    path, f"{field}.{key_field}", shown,
                    f"cannot restrict {', '.join(unsupported)}: the request carries no "
                    f"dynamodb:{'LeadingKeys' if key_field == 'leading_keys' else 'Attributes'}",
                    "grant those patterns without the restriction in a TableGrant of their own",
                )
            if key_field == "leading_keys" and (self.query_indexes or self.scan_indexes):
                raise ValidationError(
                    path, f"{field}.leading_keys", shown,
                    "cannot restrict index reads: an index's partition key is not the table's",
                    "grant index reads in a TableGrant without leading_keys",
                )
            if key_field == "attributes" and self.scan_indexes:
                raise ValidationError(
                    path, f"{field}.attributes", shown,
                    "cannot be combined with scan_indexes in one grant",
                    "grant index scans in a TableGrant of their own",
                )

    def _conditions(self, action: str) -> dict:
        """The conditions that apply to one action's requests."""
        conditions: dict[str, dict] = {}
        if self.leading_keys:
            match = KeyMatch(self.leading_keys.match).value
            conditions[f"ForAllValues:{match}"] = {"dynamodb:LeadingKeys": list(self.leading_keys.values)}
            # ForAllValues is vacuously true when the key is absent (a Scan has no
            # leading keys): the Null guard refuses such requests.
            conditions.setdefault("Null", {})["dynamodb:LeadingKeys"] = "false"
        if self.attributes:
            allowed = sorted(set(self.attributes) | set(self._key_attribute_names()))
            conditions.setdefault("ForAllValues:StringEquals", {})["dynamodb:Attributes"] = allowed
            # Without a projection the request names no attributes (and returns all).
            conditions.setdefault("Null", {})["dynamodb:Attributes"] = "false"
            if_exists = {}
            if action in ap.SELECT_ACTIONS:
                if_exists["dynamodb:Select"] = "SPECIFIC_ATTRIBUTES"
            if action in ap.RETURN_VALUES_ACTIONS:
                if_exists["dynamodb:ReturnValues"] = list(SAFE_RETURN_VALUES)
            if if_exists:
                conditions["StringEqualsIfExists"] = if_exists
        return conditions

    def _conditioned_statements(self, sid: str, actions: list[str], resources: list[str]) -> list[dict]:
        """One statement per distinct set of conditions (split by key support)."""
        groups: dict[str, list[str]] = {}
        for action in actions:
            groups.setdefault(json.dumps(self._conditions(action), sort_keys=True), []).append(action)
        statements = []
        for n, (conditions, grouped) in enumerate(groups.items(), start=1):
            statement = _plain(sid if n == 1 else f"{sid}{n}", grouped, resources)
            if json.loads(conditions):
                statement["Condition"] = json.loads(conditions)
            statements.append(statement)
        return statements

    def _key_attribute_names(self) -> list[str]:
        props = self.table.props
        names = [props.partition_key.name] + ([props.sort_key.name] if props.sort_key else [])
        for index in props.global_secondary_indexes:
            if index.name in self.query_indexes or ALL_INDEXES in self.query_indexes:
                names += [index.partition_key.name] + ([index.sort_key.name] if index.sort_key else [])
        for index in props.local_secondary_indexes:
            if index.name in self.query_indexes or ALL_INDEXES in self.query_indexes:
                names.append(index.sort_key.name)
        return names


def _plain(sid: str, actions: list[str], resources: list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
