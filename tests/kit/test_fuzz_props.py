"""Property-based tests of the checked edge (hypothesis).

Hypothesis writes table, index, grant and backup props as a careless user
would (valid and invalid names, keys, types, projections, billing, TTL, PITR,
leading keys, crons...). Every example must either raise the kit's
ValidationError or build; whichever it does must agree with an independent
model of DynamoDB's, IAM's and AWS Backup's rules written here from the AWS
documentation, not from the kit's code. A sample of the built tables is
synthesized and checked by ``terraform validate`` against the real provider
schema. The counts are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import json
import re
import shutil
import zoneinfo

import pytest
from cdktf import Testing, TerraformStack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynamodb_kit import (
    Attribute,
    Backup,
    BackupProps,
    BackupRule,
    Billing,
    Capacity,
    GlobalSecondaryIndex,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    LocalSecondaryIndex,
    PointInTimeRecovery,
    StreamViewType,
    Table,
    TableGrant,
    TableProps,
    ValidationError,
    add_aws_provider,
)
from dynamodb_kit_tools.terraform_runner import Terraform, find_provider_mirror, write_cli_config

FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
COUNTS: dict[str, dict[str, int]] = {}
SYNTHESIZED: list[str] = []  # cdk.tf.json of built tables, for terraform validate
VALIDATE_SAMPLE = 6

# ---------------------------------------------------------------- strategies
def mostly(good: list, bad: list) -> st.SearchStrategy:
    """A good value 9 times in 10: a table has a dozen fields, so both outcomes stay common."""
    return st.integers(0, 9).flatmap(lambda i: st.sampled_from(good if i else bad))


NAMES = mostly(["pk", "sk", "status", "date", "region"], ["é" * 128, ""])
TYPES = mostly(["S", "S", "N", "B"], ["STRING", "s"])
KEY = st.tuples(NAMES, TYPES)
INDEX_NAMES = mostly(["ByStatus", "ByDate", "ByTotal", "ByRegion", "ByStatus.v2"], ["ix", "by status", "i" * 256])
PROJECTION = mostly([("ALL", ()), ("KEYS_ONLY", ()), ("INCLUDE", ("total",)), ("INCLUDE", ("a", "b"))],
                    [("INCLUDE", ()), ("ALL", ("total",)), ("INCLUDE", ("total", "total")), ("INCLUDE", ("",)),
                     ("INCLUDE", ("x" * 256,)), ("SOME", ())])
BILLING = st.sampled_from([None, None, "on_demand", "on_demand_ceiling", "provisioned"])

gsi_spec = st.fixed_dictionaries({"name": INDEX_NAMES, "pk": KEY, "sk": st.none() | KEY,
                                  "projection": PROJECTION, "billing": BILLING})
lsi_spec = st.fixed_dictionaries({"name": INDEX_NAMES, "sk": KEY, "projection": PROJECTION})
table_spec = st.fixed_dictionaries({
    "table_name": mostly(["Orders", "prod-Orders.v2", "Movie_Roles"], ["ab", "my orders", "t" * 256]),
    "pk": KEY,
    "sk": st.none() | KEY,
    "gsis": st.lists(gsi_spec, max_size=2),
    "lsis": st.lists(lsi_spec, max_size=1),
    "billing": st.sampled_from(["on_demand", "on_demand_ceiling", "provisioned"]),
    "ttl": mostly([None, "expires"], ["", "pk", "status", "date"]),
    "pitr": mostly([False, 1, 7, 35], [0, 36]),
    "stream": mostly([None, "NEW_IMAGE", "NEW_AND_OLD_IMAGES"], ["BOTH"]),
})


def billing_of(kind: str | None) -> Billing | None:
    return {
        None: None,
        "on_demand": Billing.on_demand(),
        "on_demand_ceiling": Billing.on_demand(max_read=100, max_write=50),
        "provisioned": Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
    }[kind]


def build_table(stack: TerraformStack, spec: dict) -> Table:
    """What a user writes for ``spec``, through the documented API."""
    gsis = tuple(
        GlobalSecondaryIndex(name=g["name"], partition_key=Attribute(*g["pk"]),
                             sort_key=Attribute(*g["sk"]) if g["sk"] else None,
                             projection=g["projection"][0], non_key_attributes=g["projection"][1],
                             billing=billing_of(g["billing"]))
        for g in spec["gsis"]
    )
    lsis = tuple(
        LocalSecondaryIndex(name=l["name"], sort_key=Attribute(*l["sk"]), projection=l["projection"][0],
                            non_key_attributes=l["projection"][1])
        for l in spec["lsis"]
    )
    return Table(stack, "T", TableProps(
        table_name=spec["table_name"],
        partition_key=Attribute(*spec["pk"]),
        sort_key=Attribute(*spec["sk"]) if spec["sk"] else None,
        global_secondary_indexes=gsis,
        local_secondary_indexes=lsis,
        billing=billing_of(spec["billing"]),
        time_to_live_attribute=spec["ttl"],
        point_in_time_recovery=PointInTimeRecovery(spec["pitr"]) if spec["pitr"] is not False else False,
        stream=spec["stream"],
    ))


# ---------------------------------------------------------------- the model
def _name_ok(name: str, low: int, high: int) -> bool:
    return low <= len(name) <= high and re.fullmatch(r"[A-Za-z0-9_.-]+", name) is not None


def _attr_ok(name: str) -> bool:
    return 1 <= len(name.encode("utf-8")) <= 255


def table_is_valid(spec: dict) -> bool:
    """DynamoDB's CreateTable rules (and the kit's documented ranges), from the docs."""
    keys = [spec["pk"]] + ([spec["sk"]] if spec["sk"] else [])
    for g in spec["gsis"]:
        keys += [g["pk"]] + ([g["sk"]] if g["sk"] else [])
    keys += [l["sk"] for l in spec["lsis"]]
    if any(t not in ("S", "N", "B") or not _attr_ok(n) for n, t in keys):
        return False
    if len({n for n, _ in keys}) != len({(n, t) for n, t in keys}):
        return False  # one attribute, two types
    if not _name_ok(spec["table_name"], 3, 255):
        return False
    if spec["sk"] and spec["sk"][0] == spec["pk"][0]:
        return False
    if any(g["sk"] and g["sk"][0] == g["pk"][0] for g in spec["gsis"]):
        return False
    if any(l["sk"][0] == spec["pk"][0] for l in spec["lsis"]):
        return False
    if spec["lsis"] and not spec["sk"]:
        return False
    indexes = spec["gsis"] + spec["lsis"]
    names = [i["name"] for i in indexes]
    if len(set(names)) != len(names) or not all(_name_ok(n, 3, 255) for n in names):
        return False
    for index in indexes:
        projection, non_key = index["projection"]
        if projection not in ("ALL", "KEYS_ONLY", "INCLUDE"):
            return False
        if (projection == "INCLUDE") != bool(non_key):
            return False
        if len(set(non_key)) != len(non_key) or not all(map(_attr_ok, non_key)):
            return False
    table_mode = "provisioned" if spec["billing"] == "provisioned" else "on_demand"
    for g in spec["gsis"]:
        if g["billing"] is not None and ("provisioned" if g["billing"] == "provisioned" else "on_demand") != table_mode:
            return False
    ttl = spec["ttl"]
    if ttl is not None:
        if not _attr_ok(ttl) or ttl in {n for n, _ in keys[: 1 + bool(spec["sk"])]}:
            return False
        if any(n == ttl and t != "N" for n, t in keys):
            return False
    if spec["pitr"] is not False and not 1 <= spec["pitr"] <= 35:
        return False
    return spec["stream"] in (None, "NEW_IMAGE", "NEW_AND_OLD_IMAGES")


def _count(kind: str, outcome: str) -> None:
    COUNTS.setdefault(kind, {"examples": 0, "rejected": 0, "built": 0})
    COUNTS[kind]["examples"] += 1
    COUNTS[kind][outcome] += 1


@FUZZ
@given(spec=table_spec)
def test_tables_raise_or_build_as_the_model_says(spec):
    stack = TerraformStack(Testing.app(), "fuzz")
    add_aws_provider(stack, region="us-east-1")
    try:
        built = build_table(stack, spec)
    except ValidationError as error:
        _count("table", "rejected")
        assert not table_is_valid(spec), f"the kit rejected a valid table: {error}"
        return
    _count("table", "built")
    assert table_is_valid(spec), "the kit built a table DynamoDB would refuse"
    synthesized = Testing.synth(stack)
    resource = next(iter(json.loads(synthesized)["resource"]["aws_dynamodb_table"].values()))
    # Attribute definitions: exactly the key attributes, each with its one type.
    keys = {spec["pk"]} | ({spec["sk"]} if spec["sk"] else set())
    keys |= {g["pk"] for g in spec["gsis"]} | {g["sk"] for g in spec["gsis"] if g["sk"]}
    keys |= {l["sk"] for l in spec["lsis"]}
    assert {(a["name"], a["type"]) for a in resource["attribute"]} == keys
    assert built.table_name
    if len(SYNTHESIZED) < VALIDATE_SAMPLE:
        SYNTHESIZED.append(synthesized)


# ---------------------------------------------------------------- grants
POLICY_VARIABLE = re.compile(r"\$\{[A-Za-z0-9_.:/-]+\}")
LEADING_VALUES = st.sampled_from(["EU#*", "*", "EU#", "", "user-1", "E*U*", "?*", "${aws:username}",
                                  "$${aws:username}", "${aws:username}*", "%{if}", "a?"])
grant_spec = st.fixed_dictionaries({
    "patterns": st.lists(st.sampled_from(["GetItem", "PutItem", "Query", "Scan", "BatchWrite",
                                          "TransactWrite", "Describe", "ReadStream", "Read", "dynamodb:GetItem"]),
                         max_size=3, unique=True),
    "query_indexes": st.lists(st.sampled_from(["ByStatus", "ByNothing", "*"]), max_size=2, unique=True),
    "scan_indexes": st.lists(st.sampled_from(["ByStatus", "*"]), max_size=1),
    "attributes": st.sampled_from([None, (), ("Status",), ("Status", "Total"), ("*",), ("",)]),
    "leading": st.none() | st.tuples(st.lists(LEADING_VALUES, max_size=2),
                                     st.sampled_from(["StringEquals", "StringLike", "PREFIX"])),
    "stream": st.booleans(),
})
ITEM_ACTIONS = {"GetItem": {"GetItem"}, "PutItem": {"PutItem"}, "Query": {"Query"}, "Scan": {"Scan"},
                "BatchWrite": {"BatchWriteItem"}, "TransactWrite": {"ConditionCheckItem", "DeleteItem",
                                                                    "PutItem", "UpdateItem"}}
# IAM's service authorization reference: actions whose requests carry dynamodb:LeadingKeys.
CARRY_LEADING_KEYS = {"BatchGetItem", "BatchWriteItem", "ConditionCheckItem", "DeleteItem", "GetItem",
                      "PutItem", "Query", "UpdateItem"}


def leading_value_ok(value: str, match: str) -> bool:
    literal = POLICY_VARIABLE.sub("", value)
    if not value or "$${" in value or "${" in literal or "%{" in literal:
        return False
    if match == "StringEquals":
        return "*" not in literal and "?" not in literal
    return literal.endswith("*") and not set("*?") & set(literal[:-1]) and len(value) > 1


def grant_is_valid(spec: dict) -> bool:
    known = {"GetItem", "PutItem", "Query", "Scan", "BatchWrite", "TransactWrite", "Describe", "ReadStream"}
    patterns = spec["patterns"]
    if any(p not in known for p in patterns):
        return False
    attributes, leading = spec["attributes"], spec["leading"]
    if attributes is not None and (not attributes or any(a in ("", "*") for a in attributes)):
        return False
    if leading is not None:
        values, match = leading
        if match not in ("StringEquals", "StringLike") or not values:
            return False
        if not all(leading_value_ok(v, match) for v in values):
            return False
    if not patterns and not spec["query_indexes"] and not spec["scan_indexes"]:
        return False  # grants nothing
    if "ByNothing" in spec["query_indexes"]:
        return False
    if "ReadStream" in patterns and not spec["stream"]:
        return False
    restricted = leading is not None or attributes is not None
    if restricted and "ReadStream" in patterns:
        return False
    actions = set().union(*(ITEM_ACTIONS.get(p, set()) for p in patterns))
    if leading is not None and (actions - CARRY_LEADING_KEYS or spec["query_indexes"] or spec["scan_indexes"]):
        return False
    return not (attributes is not None and spec["scan_indexes"])


@FUZZ
@given(spec=grant_spec)
def test_grants_raise_or_build_as_the_model_says(spec):
    stack = TerraformStack(Testing.app(), "fuzz")
    add_aws_provider(stack, region="us-east-1")
    table = Table(stack, "Orders", TableProps(
        table_name="Orders", partition_key=Attribute("CustomerId"), sort_key=Attribute("OrderId"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByStatus", partition_key=Attribute("Status")),),
        stream=StreamViewType.NEW_IMAGE if spec["stream"] else None,
    ))
    try:
        leading = LeadingKeys(tuple(spec["leading"][0]), spec["leading"][1]) if spec["leading"] else None
        LambdaRole(stack, "Role", LambdaRoleProps(function_name="fn", grants=(TableGrant(
            table=table, patterns=tuple(spec["patterns"]), query_indexes=tuple(spec["query_indexes"]),
            scan_indexes=tuple(spec["scan_indexes"]), attributes=spec["attributes"], leading_keys=leading,
        ),)))
    except ValidationError as error:
        _count("grant", "rejected")
        assert not grant_is_valid(spec), f"the kit rejected a valid grant: {error}"
        return
    _count("grant", "built")
    assert grant_is_valid(spec), "the kit built a grant the model refuses"
    policy = json.loads(next(iter(json.loads(Testing.synth(stack))["resource"]["aws_iam_role_policy"].values()))
                        ["policy"])
    # No statement ever allows every key, and a restricted grant never lacks its Null guard.
    for statement in policy["Statement"]:
        for operator, block in statement.get("Condition", {}).items():
            for value in block.get("dynamodb:LeadingKeys", []) if isinstance(block, dict) else []:
                assert value not in ("*", "?*") and not (operator.endswith("StringLike") and value == "*")
        if "dynamodb:LeadingKeys" in json.dumps(statement.get("Condition", {})):
            assert statement["Condition"]["Null"]["dynamodb:LeadingKeys"] == "false"


# ---------------------------------------------------------------- backups
# (expression, valid for AWS Backup) from the AWS Backup cron documentation.
CRONS = [("cron(0 3 * * ? *)", True), ("cron(0 3 ? * MON *)", True), ("cron(0 3 ? * MON-FRI *)", True),
         ("cron(0 3 ? * 2 *)", True), ("cron(0 3 1 JAN ? *)", True), ("cron(0 3 ? * MONDAY *)", False),
         ("cron(0 3 * * *)", False), ("cron(0 24 * * ? *)", False), ("cron(0 3 * * ? 1969)", False),
         ("rate(1 day)", False), ("cron(0 3 ? * ? *)", False), ("cron(0 3 1 JANUARY ? *)", False)]
backup_spec = st.fixed_dictionaries({
    "rule_name": mostly(["daily", "monthly-1", "weekly.v2"], ["daily backup", "d" * 51]),
    "cron": mostly([c for c in CRONS if c[1]], [c for c in CRONS if not c[1]]),
    "timezone": mostly(["Etc/UTC", "Europe/Berlin", "America/New_York"], ["CET+1", "Mars/Olympus"]),
    "delete_after": mostly([1, 35, 200], [0]),
    "cold_after": mostly([None, 30], [0, 150]),
    "start_window": mostly([60, 120], [30]),
    "completion_window": mostly([480], [60]),
    "vault_name": mostly(["vault", "prod-dynamodb"], ["v", "my vault"]),
})


def backup_is_valid(spec: dict) -> bool:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,50}", spec["vault_name"]):
        return False
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,50}", spec["rule_name"]) or not spec["cron"][1]:
        return False
    if spec["timezone"] not in zoneinfo.available_timezones():
        return False
    if spec["start_window"] < 60 or spec["completion_window"] <= spec["start_window"]:
        return False
    if spec["delete_after"] < 1:
        return False
    cold = spec["cold_after"]
    return cold is None or (cold >= 1 and spec["delete_after"] >= cold + 90)


@FUZZ
@given(spec=backup_spec)
def test_backups_raise_or_build_as_the_model_says(spec):
    stack = TerraformStack(Testing.app(), "fuzz")
    table = Table(stack, "Orders", TableProps(table_name="Orders", partition_key=Attribute("pk")))
    try:
        Backup(stack, "Backup", BackupProps(vault_name=spec["vault_name"], tables=(table,), rules=(BackupRule(
            name=spec["rule_name"], schedule=spec["cron"][0], timezone=spec["timezone"],
            delete_after_days=spec["delete_after"], cold_storage_after_days=spec["cold_after"],
            start_window_minutes=spec["start_window"], completion_window_minutes=spec["completion_window"],
        ),)))
    except ValidationError as error:
        _count("backup", "rejected")
        assert not backup_is_valid(spec), f"the kit rejected a valid backup: {error}"
        return
    _count("backup", "built")
    assert backup_is_valid(spec), "the kit built a backup plan AWS Backup would refuse"


@pytest.mark.terraform
@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_a_sample_of_fuzzed_tables_passes_terraform_validate(tmp_path):
    if not SYNTHESIZED:
        pytest.skip("run with the fuzz tests above (they collect the sample)")
    stack_files = []
    for i, stack_json in enumerate(SYNTHESIZED):
        path = tmp_path / "stacks" / f"sample-{i}" / "cdk.tf.json"
        path.parent.mkdir(parents=True)
        path.write_text(stack_json)
        stack_files.append(path)
    # One validate for the whole sample (each stack a module): the schema loads once.
    Terraform(tmp_path / "work", write_cli_config(tmp_path / "rc", find_provider_mirror())).validate_stacks(stack_files)
    COUNTS["table"]["validated"] = len(SYNTHESIZED)
    print("\nfuzz counts:", json.dumps(COUNTS, sort_keys=True))
    assert COUNTS["table"]["built"] >= 10 and COUNTS["table"]["rejected"] >= 10
    assert COUNTS["grant"]["built"] >= 10 and COUNTS["grant"]["rejected"] >= 10
    assert COUNTS["backup"]["built"] >= 5 and COUNTS["backup"]["rejected"] >= 10
