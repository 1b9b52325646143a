"""TableGrant: a function's access patterns on one table, turned into IAM statements."""

from __future__ import annotations

import json
import re
from enum import Enum

from ..core.aws_identity import AwsIdentity
from ..core.checked import props
from ..core.errors import ValidationError
from ..core.terraform import path_of
from ..table.table import TableBase
from . import access_patterns as ap
from .access_patterns import AccessPattern

ALL_INDEXES = "*"
# ReturnValues that echo only what the caller wrote (ALL_OLD/ALL_NEW would return
# attributes outside the allowed list).
SAFE_RETURN_VALUES = ("NONE", "UPDATED_OLD", "UPDATED_NEW")


class KeyMatch(str, Enum):
    """How ``LeadingKeys`` values match: the IAM condition operator's name."""

    EXACT = "StringEquals"
    PREFIX = "StringLike"


# An IAM policy variable as AWS documents it: ${aws:username}, ${cognito-identity.amazonaws.com:sub}.
_POLICY_VARIABLE = re.compile(r"\$\{[A-Za-z0-9_.:/-]+\}")
_TOKEN = re.compile(r"\$\{TfToken\[TOKEN\.\d+\]\}")


def escape_for_terraform(value: str) -> str:
    """A literal for Terraform's template syntax: ``${`` -> ``$${``, ``%{`` -> ``%%{``.

    Terraform references (cdktf tokens) are left as they are, so they still resolve;
    everything else, policy variables included, reaches IAM exactly as written.
    """
    parts = _TOKEN.split(value)
    tokens = _TOKEN.findall(value)
    escaped = [p.replace("${", "$${").replace("%{", "%%{") for p in parts]
    return "".join(e + (tokens[i] if i < len(tokens) else "") for i, e in enumerate(escaped))


@props(positional=True)
class LeadingKeys:
    """Item-level access: the partition keys a caller may touch.

    Attributes
    ----------
    values:
        At least one. With ``EXACT``: whole keys or IAM policy variables written
        as AWS documents them (``${cognito-identity.amazonaws.com:sub}``; the
        kit escapes them for Terraform). With ``PREFIX``: each a non-empty
        prefix followed by one ``*`` (``"EU#*"``), never a lone ``*``.
    match:
        A :class:`KeyMatch` or its literal. Default: ``EXACT``.
    """

    values: tuple[str, ...]
    match: KeyMatch = KeyMatch.EXACT

    @classmethod
    def cognito_identity(cls) -> "LeadingKeys":
        """The caller's own Cognito identity id: each user reaches only their items."""
        return cls(("${cognito-identity.amazonaws.com:sub}",))

    def _check(self) -> None:
        where = "LeadingKeys"
        if not self.values:
            raise ValidationError(
                where, "values", self.values, problem="is empty: it would match no item",
                fix="name the keys (or prefixes) the caller may touch; leave leading_keys out "
                "only if the caller may touch every item",
            )
        for i, value in enumerate(self.values):
            field = f"values[{i}]"
            literal = _TOKEN.sub("", _POLICY_VARIABLE.sub("", value))
            if not value.strip():
                raise ValidationError(where, field, value, problem="is empty",
                                      fix="give a key, a prefix ending in *, or a policy variable")
            if "$${" in value or "${" in literal or "%{" in literal:
                raise ValidationError(
                    where, field, value,
                    problem="is not a key, a prefix or an IAM policy variable in ${service:name} form",
                    fix="write a policy variable as AWS documents it, e.g. "
                    "${cognito-identity.amazonaws.com:sub}: the kit escapes it for Terraform",
                )
            if self.match is KeyMatch.EXACT and ("*" in literal or "?" in literal):
                raise ValidationError(
                    where, field, value,
                    problem="has a wildcard, which StringEquals compares literally",
                    fix="use match=KeyMatch.PREFIX for a prefix such as 'EU#*', or remove the wildcard",
                )
            if self.match is KeyMatch.PREFIX:
                stem = literal[:-1] if literal.endswith("*") else None
                if stem is None or "*" in stem or "?" in stem or not value[:-1]:
                    raise ValidationError(
                        where, field, value,
                        problem="is not a prefix: PREFIX takes a non-empty prefix followed by one * "
                        "(a lone * or another wildcard would match every key)",
                        fix="write it as 'EU#*'; to allow every item, leave leading_keys out",
                    )


@props
class TableGrant:
    """What one function may do on one table.

    Attributes
    ----------
    table:
        The table.
    patterns:
        Table-level access patterns (``AccessPattern`` members or their literals), e.g.
        ``access_patterns.READ`` or ``(AccessPattern.PUT_ITEM,)``. Default: none.
    query_indexes, scan_indexes:
        Index names to Query/Scan, each on its own index ARN; ``ALL_INDEXES``
        for ``index/*``. Default: none.
    attributes:
        Attribute-level access: only these attributes (plus the keys, added by
        the kit) may be read or updated; at least one. Default: none, every
        attribute.
    leading_keys:
        Item-level access. Default: none, every item.
    """

    table: TableBase
    patterns: tuple[AccessPattern, ...] = ()
    query_indexes: tuple[str, ...] = ()
    scan_indexes: tuple[str, ...] = ()
    attributes: tuple[str, ...] | None = None
    leading_keys: LeadingKeys | None = None

    def _check(self) -> None:
        if self.attributes is not None and not self.attributes:
            raise ValidationError(
                "TableGrant", "attributes", self.attributes,
                problem="is empty: it would allow no attribute",
                fix="list the attributes the caller may read or write, or leave attributes out "
                "for every attribute",
            )
        for i, name in enumerate(self.attributes or ()):
            if not name or "${" in name or "%{" in name or "*" in name:
                raise ValidationError(
                    "TableGrant", f"attributes[{i}]", name,
                    problem="is not an attribute name (empty, a wildcard or a template)",
                    fix="list attribute names exactly as stored",
                )

    def statements(self, path: str, field: str) -> list[dict]:
        """IAM statements (dicts with Terraform references), validated."""
        patterns = list(self.patterns)
        if not patterns and not self.query_indexes and not self.scan_indexes:
            raise ValidationError(
                path, f"{field}.patterns", (), problem="grants nothing",
                fix="name the access patterns or indexes the function needs",
            )
        for name_field, names in (("query_indexes", self.query_indexes), ("scan_indexes", self.scan_indexes)):
            for name in names:
                if name != ALL_INDEXES and name not in self.table.index_names:
                    raise ValidationError(
                        path, f"{field}.{name_field}", name,
                        problem=f"is not an index of {path_of(self.table)} "
                        f"({', '.join(self.table.index_names) or 'none'})",
                        fix="use one of its indexes, or ALL_INDEXES for every index",
                    )
        if AccessPattern.READ_STREAM in patterns and not self.table.has_stream:
            raise ValidationError(
                path, f"{field}.patterns", "ReadStream",
                problem=f"needs a stream, and {path_of(self.table)} has none",
                fix="give the table a stream or remove ReadStream",
            )
        prefix = "".join(ch for ch in path_of(self.table).rsplit("/", 1)[-1] if ch.isalnum())
        table_arn = self.table.table_arn
        item_actions = sorted({a for p in patterns if p is not AccessPattern.DESCRIBE
                               for a in ap.TABLE_ACTIONS.get(p, ())})
        index_actions = [
            (action, arn)
            for names, actions in ((self.query_indexes, ap.INDEX_QUERY_ACTIONS),
                                   (self.scan_indexes, ap.INDEX_SCAN_ACTIONS))
            for name in names for action in actions
            for arn in self._index_arns(name)
        ]
        conditioned = self.leading_keys is not None or self.attributes is not None
        if conditioned:
            self._check_conditions_apply(path, field, patterns, item_actions)

        # A replicated table: the same access in every replica's region, and no other.
        replicas = self.table.replicas
        table_arns = [table_arn] + [r.table_arn for r in replicas]
        statements: list[dict] = []
        statements += self._conditioned_statements(f"{prefix}Items", item_actions, table_arns)
        by_action: dict[str, list[str]] = {}
        for action, arn in index_actions:
            by_action.setdefault(action, []).append(arn)
        for action, arns in sorted(by_action.items()):
            verb = action.split(":")[1]
            statements += self._conditioned_statements(f"{prefix}Index{verb}", [action], arns)
        if AccessPattern.DESCRIBE in patterns:
            statements.append(_plain(f"{prefix}Describe", ["dynamodb:DescribeTable"], table_arns))
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
            # Each replica's key, only through DynamoDB in that replica's region.
            for replica in replicas:
                if replica.encryption_key_arn is None:
                    continue
                statements.append({
                    "Sid": f"{prefix}Key{''.join(p.title() for p in replica.region.split('-'))}",
                    "Effect": "Allow",
                    "Action": sorted(actions),
                    "Resource": [replica.encryption_key_arn],
                    "Condition": {"StringEquals": {"kms:ViaService": f"dynamodb.{replica.region}.amazonaws.com"}},
                })
        return statements

    def _index_arn(self, name: str) -> str:
        return f"{self.table.table_arn}/index/*" if name == ALL_INDEXES else self.table.index_arn(name)

    def _index_arns(self, name: str) -> list[str]:
        """The index in the table's region and in each replica's."""
        self._index_arn(name)  # an unknown index fails here
        suffix = "*" if name == ALL_INDEXES else name
        return [self._index_arn(name)] + [f"{r.table_arn}/index/{suffix}" for r in self.table.replicas]

    def _check_conditions_apply(self, path: str, field: str, patterns, item_actions) -> None:
        if AccessPattern.READ_STREAM in patterns:
            key_field = "leading_keys" if self.leading_keys else "attributes"
            raise ValidationError(
                path, f"{field}.{key_field}",
                self.leading_keys.values if self.leading_keys else self.attributes,
                problem="cannot restrict ReadStream: stream records carry whole items of every key",
                fix="grant ReadStream in a TableGrant of its own, to a function that may see all items",
            )
        for key_field, supported, present in (
            ("leading_keys", ap.LEADING_KEYS_ACTIONS, self.leading_keys),
            ("attributes", ap.ATTRIBUTES_ACTIONS, self.attributes),
        ):
            if present is None:
                continue
            shown = present.values if isinstance(present, LeadingKeys) else present
            unsupported = [a for a in item_actions if a not in supported]
            if unsupported:
                raise ValidationError(
                    path, f"{field}.{key_field}", shown,
                    problem=f"cannot restrict {', '.join(unsupported)}: the request carries no "
                    f"dynamodb:{'LeadingKeys' if key_field == 'leading_keys' else 'Attributes'}",
                    fix="grant those patterns without the restriction in a TableGrant of their own",
                )
            if key_field == "leading_keys" and (self.query_indexes or self.scan_indexes):
                raise ValidationError(
                    path, f"{field}.leading_keys", shown,
                    problem="cannot restrict index reads: an index's partition key is not the table's",
                    fix="grant index reads in a TableGrant without leading_keys",
                )
            if key_field == "attributes" and self.scan_indexes:
                raise ValidationError(
                    path, f"{field}.attributes", shown,
                    problem="cannot be combined with scan_indexes in one grant",
                    fix="grant index scans in a TableGrant of their own",
                )

    def _conditions(self, action: str) -> dict:
        """The conditions that apply to one action's requests."""
        conditions: dict[str, dict] = {}
        if self.leading_keys is not None:
            match = self.leading_keys.match.value
            conditions[f"ForAllValues:{match}"] = {
                "dynamodb:LeadingKeys": [escape_for_terraform(v) for v in self.leading_keys.values]
            }
            # ForAllValues is vacuously true when the key is absent (a Scan has no
            # leading keys): the Null guard refuses such requests.
            conditions.setdefault("Null", {})["dynamodb:LeadingKeys"] = "false"
        if self.attributes is not None:
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
        keys = self.table.key_attribute_names
        names = list(keys[""])
        for index in self.table.index_names:
            if index in self.query_indexes or ALL_INDEXES in self.query_indexes:
                names += keys[index]
        return names


def _plain(sid: str, actions: list[str], resources: list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
