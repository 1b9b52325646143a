"""The checked edge: every public props type checks every field's type on creation.

The test walks every dataclass the kit exports (and every one defined in its
modules), so a props field added without a check fails here. For each field it
derives wrong values from the annotation (a bare str for a tuple, None for a
bool, a str for an int, a dict for a props object, ...) and asserts the kit's
ValidationError naming the type and the field: never a raw exception, never
accepted.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import pkgutil
import re
import types
import typing

import pytest
from cdktf import Testing, TerraformStack

import dynamodb_kit
from dynamodb_kit import (
    Attribute,
    BackupCopy,
    BackupProps,
    BackupRule,
    Billing,
    Capacity,
    GitHubRepository,
    LeadingKeys,
    RestoreSource,
    Table,
    TableGrant,
    TableProps,
    TableShape,
    ValidationError,
    deploy_permissions,
)
from dynamodb_kit.core.checked import field_checks, is_checked

# Dataclasses of the kit that are not props (results the kit hands back).
NOT_PROPS = {"dynamodb_kit.rules.Result", "dynamodb_kit.rules.Rule"}


def kit_dataclasses() -> dict[str, type]:
    found = {}
    for module in pkgutil.walk_packages(dynamodb_kit.__path__, "dynamodb_kit."):
        mod = importlib.import_module(module.name)
        for obj in vars(mod).values():
            if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == mod.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def test_every_exported_dataclass_is_a_checked_props_type():
    exported = [getattr(dynamodb_kit, n) for n in dynamodb_kit.__all__]
    classes = [c for c in exported if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) >= 20
    for cls in classes:
        assert is_checked(cls), f"{cls.__name__} is not made with @props"
        field_checks(cls)  # every annotation has a check (TypeError otherwise)


def test_no_dataclass_in_the_kit_escapes_the_edge():
    unchecked = [n for n, c in kit_dataclasses().items() if not is_checked(c) and n not in NOT_PROPS]
    assert unchecked == []


# A valid instance of each public props type, built as a user would.
_stack = TerraformStack(Testing.app(), "edge")
_table = Table(_stack, "T", TableProps(table_name="Orders", partition_key=Attribute("pk")))
_grant = TableGrant(table=_table, patterns=("GetItem",))
VALID: dict[str, dict] = {
    "AccessPolicyProps": dict(role_name="app-role", grants=(_grant,)),
    "AlarmActions": dict(),
    "AlarmThresholds": dict(),
    "AlarmsProps": dict(name_prefix="dev", tables=(_table,)),
    "ContributorInsights": dict(),
    "Replica": dict(region="us-west-2"),
    "Attribute": dict(name="pk"),
    "BackupCopy": dict(destination_vault_arn="arn:aws:backup:us-west-2:123456789012:backup-vault:dr"),
    "BackupProps": dict(vault_name="vault", rules=(BackupRule.daily(),), tables=(_table,)),
    "DisasterRecoveryVault": dict(region="us-west-2"),
    "BackupRule": dict(name="daily", schedule="cron(0 3 * * ? *)", delete_after_days=7),
    "Billing": dict(mode="PAY_PER_REQUEST"),
    "FixedCapacity": dict(units=5),
    "AutoscaledCapacity": dict(min=5, max=100),
    "ScheduledCapacity": dict(name="night", schedule="cron(0 20 * * ? *)", min=5),
    "EncryptionKeyProps": dict(),
    "GlobalSecondaryIndex": dict(name="ByX", partition_key=Attribute("x")),
    "IdentityPoolRoleProps": dict(role_name="users", identity_pool_id="us-east-1:1a2b3c4d-0000-1111-2222-333344445555",
                                  grants=(_grant,)),
    "LambdaRoleProps": dict(function_name="fn"),
    "LeadingKeys": dict(values=("user-1",)),
    "LocalSecondaryIndex": dict(name="ByY", sort_key=Attribute("y")),
    "PointInTimeRecovery": dict(days=7),
    "WarmThroughput": dict(read_units_per_second=15000),
    "RestoreSource": dict(table_name="prod-Orders", point_in_time="latest"),
    "Suppression": dict(rule_id="SomeRule", reason="a sentence that says why"),
    "TableEncryption": dict(type="AWS_OWNED"),
    "TableGrant": dict(table=_table, patterns=("GetItem",)),
    "TableProps": dict(table_name="Orders", partition_key=Attribute("pk")),
    "TableRestore": dict(construct_id="Restored", shape=TableShape(table_name="Orders", partition_key=Attribute("pk")),
                         table_name="Orders-restored",
                         source=RestoreSource.from_table_name("prod-Orders", point_in_time="latest")),
    "TableSettings": dict(),
    "TableShape": dict(table_name="Orders", partition_key=Attribute("pk")),
    "VaultLock": dict(mode="GOVERNANCE", min_retention_days=7, max_retention_days=35),
    "RemoteStateProps": dict(bucket="acme-state", region="us-east-1",
                             kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    "StateBucketProps": dict(bucket_name="acme-state"),
    "GitHubRepository": dict(owner="acme", name="data", owner_id=1, repository_id=2),
    "GitHubOidcProviderProps": dict(),
    "StateAccess": dict(bucket_arn="arn:aws:s3:::acme-state", key="kit/dev.tfstate", region="us-east-1",
                        kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    "DeployRoleProps": dict(
        role_name="kit-dev-apply", phase="apply", contexts=("environment:dev",),
        oidc_provider_arn="arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        repository=GitHubRepository(owner="acme", name="data", owner_id=1, repository_id=2),
        permissions=deploy_permissions({"provider": {"aws": [{"region": "us-east-1"}]}}, "dev-"),
        state=dynamodb_kit.StateAccess(bucket_arn="arn:aws:s3:::acme-state", key="kit/dev.tfstate", region="us-east-1",
                                       kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ),
}


def exported_props() -> dict[str, type]:
    return {
        n: getattr(dynamodb_kit, n) for n in dynamodb_kit.__all__
        if isinstance(getattr(dynamodb_kit, n), type) and dataclasses.is_dataclass(getattr(dynamodb_kit, n))
    }


def test_every_props_type_has_a_valid_example():
    assert set(VALID) == set(exported_props())
    for name, cls in exported_props().items():
        cls(**VALID[name])


def wrong_values(annotation) -> list:
    """Values of the wrong type for a field annotated ``annotation``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    optional = type(None) in args
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        values = [v for a in inner for v in wrong_values(a)]
        # A value wrong for one member may be right for another (False for PITR).
        values = [v for v in values if not any(_fits(v, a) for a in args)]
        return values if optional else values + [None]
    if origin is typing.Literal:
        return [object()]
    if annotation is str:
        return [5, None, b"bytes"]
    if annotation is bool:
        return [None, "yes", 1]
    if annotation is int:
        return ["5", True, 1.5, None]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return ["NOT_A_MEMBER", None, 3.5]
    if origin in (tuple, typing.Sequence, __import__("collections.abc").abc.Sequence):
        return ["bare string", None, {"a": 1}, (object(),)]
    if origin in (typing.Mapping, __import__("collections.abc").abc.Mapping, dict):
        return [["not", "a", "mapping"], None, {5: "x"}, {"key": object()}]
    if isinstance(annotation, type):
        return [{"as": "dict"}, "a-name", None, 5]
    raise AssertionError(f"no wrong values for {annotation!r}")


def _fits(value, annotation) -> bool:
    if annotation is type(None):
        return value is None
    if typing.get_origin(annotation) is typing.Literal:
        return any(value is a for a in typing.get_args(annotation))
    return False


def _cases():
    for name, cls in sorted(exported_props().items()):
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            for value in wrong_values(hints[field.name]):
                yield pytest.param(name, field.name, value, id=f"{name}.{field.name}={value!r:.20}")


CASES = list(_cases())


def test_the_generated_table_is_large():
    assert len(CASES) >= 250


@pytest.mark.parametrize("name, field, value", CASES)
def test_a_wrong_type_is_a_validation_error_naming_the_field(name, field, value):
    cls = exported_props()[name]
    with pytest.raises(ValidationError) as raised:
        cls(**{**VALID[name], field: value})
    error = raised.value
    assert error.path == name
    assert error.field.split("[")[0].split(" ")[0] == field
    assert f"{field}" in str(error) and "; " in str(error)


@pytest.mark.parametrize("construct, props_name", [
    ("Table", "TableProps"), ("Backup", "BackupProps"), ("LambdaRole", "LambdaRoleProps"),
    ("IdentityPoolRole", "IdentityPoolRoleProps"), ("AccessPolicy", "AccessPolicyProps"),
    ("EncryptionKey", "EncryptionKeyProps"),
])
@pytest.mark.parametrize("wrong", [{"table_name": "Orders"}, "Orders", None])
def test_a_construct_given_anything_but_its_props_names_the_props(stack, construct, props_name, wrong):
    if construct == "EncryptionKey" and wrong is None:
        pytest.skip("EncryptionKey's props are optional: None means the defaults")
    with pytest.raises(ValidationError) as raised:
        getattr(dynamodb_kit, construct)(stack, "C", wrong)
    assert str(raised.value).startswith(f"test/C: props={wrong!r} must be a")
    assert f"build it with {props_name}(...)" in str(raised.value)


def test_a_bare_string_is_never_a_sequence_anywhere():
    """The LeadingKeys hole, generalised: no tuple field takes a str."""
    tuple_fields = [
        (name, f.name)
        for name, cls in exported_props().items()
        for f in dataclasses.fields(cls)
        if "tuple[" in str(typing.get_type_hints(cls)[f.name])
    ]
    assert len(tuple_fields) >= 15
    for name, field in tuple_fields:
        with pytest.raises(ValidationError, match="a bare string is not a list of one"):
            exported_props()[name](**{**VALID[name], field: "EU#*"})


def test_enum_fields_take_members_and_exact_literals_and_name_the_allowed_values():
    assert LeadingKeys(("EU#*",), "StringLike").match.name == "PREFIX"
    assert Billing(mode="PROVISIONED", read=Capacity.fixed(1), write=Capacity.fixed(1)).mode.value == "PROVISIONED"
    with pytest.raises(ValidationError) as raised:
        LeadingKeys(("EU#*",), "PREFIX")
    assert str(raised.value) == (
        "LeadingKeys: match='PREFIX' is not one of StringEquals, StringLike; "
        "use a KeyMatch member or one of StringEquals, StringLike"
    )


def test_lists_are_accepted_and_stored_as_tuples():
    grant = TableGrant(table=_table, patterns=["GetItem"], attributes=["Status"])
    assert grant.patterns == (dynamodb_kit.AccessPattern.GET_ITEM,) and grant.attributes == ("Status",)
    copy = BackupRule(name="r", schedule="cron(0 3 * * ? *)", delete_after_days=7,
                      copies=[BackupCopy(destination_vault_arn=VALID["BackupCopy"]["destination_vault_arn"])])
    assert isinstance(copy.copies, tuple)
    assert BackupProps(**{**VALID["BackupProps"], "tables": [_table]}).tables == (_table,)


def test_none_is_accepted_only_where_the_docs_say_default_none():
    """A field that takes None documents it ("Default: none"); every other
    field refuses None (the generated cases above prove the refusal)."""
    undocumented = []
    for name, cls in exported_props().items():
        doc = " ".join((cls.__doc__ or "").split())
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            if type(None) not in typing.get_args(hints[field.name]):
                continue
            # The field's paragraph: from its name (alone or in a "a, b:" list) to the next field's.
            names = "|".join(f.name for f in dataclasses.fields(cls))
            match = re.search(rf"(?:^|\s)(?:\w+, )*{field.name}(?:, \w+)*: (.*?)(?= (?:{names})(?:, \w+)*: |$)", doc)
            if not match or "default: none" not in match.group(1).lower():
                undocumented.append(f"{name}.{field.name}")
    assert undocumented == []
