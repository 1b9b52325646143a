"""Least privilege, proven on the synthesized policies of every kind of role the
kit builds (Lambda roles with table, index, item-level and attribute-level
grants; the per-user identity pool role), in stacks of several environments,
with independent tools: parliament, cloudsplaining, iamprover's Z3 engine (with
policy_sentry's action list) and a concrete-request evaluator.

The stacks are built here from the kit's constructs alone (the example app has
its own tests): two tables encrypted with one customer-managed key, and the
roles declared in ``ROLES``.
"""

from __future__ import annotations

import json
import warnings

import cdktf
import pytest
import z3

from dynamodb_kit import (
    AccessPattern,
    Attribute,
    EncryptionKey,
    EncryptionKeyProps,
    GlobalSecondaryIndex,
    IdentityPoolRole,
    IdentityPoolRoleProps,
    KeyMatch,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    LocalSecondaryIndex,
    ProjectionType,
    StreamViewType,
    Table,
    TableEncryption,
    TableGrant,
    TableProps,
    add_aws_provider,
)
from support.iam_eval import ACCOUNT, PARTITION, REGION, Resolver, allowed
from support.z3_policy import allowed_pairs, policy_may

from helpers import resources

# After dynamodb_kit: its fast import registers the provider package first.
from cdktf_cdktf_provider_aws.cognito_identity_pool import CognitoIdentityPool  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import parliament
from cloudsplaining.scan.policy_document import PolicyDocument
from iamprover.engine.patterns import matches_any
from policy_sentry.querying.actions import get_actions_for_service

ENVS = ("dev", "staging", "prod")
DYNAMODB_ACTIONS = sorted(get_actions_for_service("dynamodb"))
FUNCTIONS = ("movie-roles-writer", "orders-eu-fulfilment", "orders-shipping-labels", "app-user")


def table_props(env: str, key_arn: str) -> dict[str, TableProps]:
    """Construct id -> props: a table with a GSI; one with an LSI, a GSI, TTL and a stream."""
    encryption = TableEncryption.customer_managed(key_arn=key_arn)
    return {
        "MovieRoles": TableProps(
            table_name=f"{env}-MovieRoles",
            partition_key=Attribute("Actor"),
            sort_key=Attribute("Movie"),
            global_secondary_indexes=(GlobalSecondaryIndex(
                name="ByMovie", partition_key=Attribute("Movie"), sort_key=Attribute("Actor"),
            ),),
            encryption=encryption,
        ),
        "Orders": TableProps(
            table_name=f"{env}-Orders",
            partition_key=Attribute("CustomerId"),
            sort_key=Attribute("OrderId"),
            local_secondary_indexes=(LocalSecondaryIndex(
                name="ByOrderDate", sort_key=Attribute("OrderDate"),
                projection=ProjectionType.INCLUDE, non_key_attributes=("Status", "Total"),
            ),),
            global_secondary_indexes=(GlobalSecondaryIndex(
                name="ByStatus", partition_key=Attribute("Status"), sort_key=Attribute("OrderDate"),
                projection=ProjectionType.KEYS_ONLY,
            ),),
            time_to_live_attribute="ExpiresAt",
            stream=StreamViewType.NEW_AND_OLD_IMAGES,
            encryption=encryption,
        ),
    }


# Function -> (table id, grant arguments): the grants under proof.
ROLES = {
    # Table writes and one index's reads, nothing else.
    "movie-roles-writer": ("MovieRoles", dict(
        patterns=(AccessPattern.PUT_ITEM,), query_indexes=("ByMovie",))),
    # Item-level: only the items whose partition key starts with "EU#".
    "orders-eu-fulfilment": ("Orders", dict(
        patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY, AccessPattern.UPDATE_ITEM),
        leading_keys=LeadingKeys(("EU#*",), KeyMatch.PREFIX))),
    # Attribute-level: only these attributes (plus the keys).
    "orders-shipping-labels": ("Orders", dict(
        patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY),
        attributes=("Status", "OrderDate", "ShippingAddress"))),
}
# Signed-in users of an identity pool: only the items of their own identity id.
APP_USER = ("Orders", dict(
    patterns=(AccessPattern.GET_ITEM, AccessPattern.PUT_ITEM, AccessPattern.QUERY),
    leading_keys=LeadingKeys.cognito_identity()))


def build_stack(env: str) -> dict:
    """One environment's stack, from the kit's constructs; returns the parsed JSON."""
    stack = cdktf.TerraformStack(cdktf.Testing.app(), env)
    add_aws_provider(stack, region=REGION)
    key = EncryptionKey(stack, "DataKey", EncryptionKeyProps(alias=f"{env}-data", allow_cloudwatch_logs=True))
    tables = {i: Table(stack, i, p) for i, p in table_props(env, key.key_arn).items()}
    for function, (table, grant) in ROLES.items():
        LambdaRole(stack, function, LambdaRoleProps(
            function_name=f"{env}-{function}",
            grants=(TableGrant(table=tables[table], **grant),),
            log_encryption_key_arn=key.key_arn,
        ))
    pool = CognitoIdentityPool(stack, "AppUsers", identity_pool_name=f"{env}_app_users",
                               allow_unauthenticated_identities=False)
    table, grant = APP_USER
    IdentityPoolRole(stack, "AppUserRole", IdentityPoolRoleProps(
        role_name=f"{env}-app-user-role", identity_pool_id=pool.id,
        grants=(TableGrant(table=tables[table], **grant),),
    ))
    return json.loads(cdktf.Testing.synth(stack))


@pytest.fixture(scope="module")
def stacks_json() -> dict[str, dict]:
    """Environment name -> parsed stack."""
    return {env: build_stack(env) for env in ENVS}


def table_arn(env: str, table: str) -> str:
    return f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{env}-{table}"


def declared(env: str, function: str, key_arn: str) -> set[tuple[str, str]]:
    """The specification, written independently of the kit's code: what each
    function's role must allow, as (action, resource or resource pattern)."""
    logs = f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{env}-{function}:*"
    pairs = {("logs:CreateLogStream", logs), ("logs:PutLogEvents", logs)}
    if function == "app-user":  # signed-in users: no function, no logs
        return {(f"dynamodb:{a}", table_arn(env, "Orders")) for a in ("GetItem", "PutItem", "Query")} | {
            ("kms:Decrypt", key_arn), ("kms:GenerateDataKey", key_arn)}
    if function == "movie-roles-writer":
        pairs |= {
            ("dynamodb:PutItem", table_arn(env, "MovieRoles")),
            ("dynamodb:Query", table_arn(env, "MovieRoles") + "/index/ByMovie"),
            ("kms:Decrypt", key_arn), ("kms:GenerateDataKey", key_arn),
        }
    elif function == "orders-eu-fulfilment":
        pairs |= {(f"dynamodb:{a}", table_arn(env, "Orders")) for a in ("GetItem", "Query", "UpdateItem")}
        pairs |= {("kms:Decrypt", key_arn), ("kms:GenerateDataKey", key_arn)}
    elif function == "orders-shipping-labels":
        pairs |= {(f"dynamodb:{a}", table_arn(env, "Orders")) for a in ("GetItem", "Query")}
        pairs |= {("kms:Decrypt", key_arn)}
    return pairs


@pytest.fixture(scope="module")
def role_policies(stacks_json) -> dict[tuple[str, str], tuple[dict, set]]:
    """(env, function) -> (resolved policy document, declared pairs)."""
    found = {}
    for env in ENVS:
        stack = stacks_json[env]
        resolver = Resolver(stack)
        roles = {f"${{aws_iam_role.{i}.id}}": r.get("name", "") for i, r in resources(stack, "aws_iam_role").items()}
        key_id = next(i for i in resources(stack, "aws_kms_key") if i.startswith("DataKey_"))
        key_arn = resolver.values[f"aws_kms_key.{key_id}.arn"]
        for body in resources(stack, "aws_iam_role_policy").values():
            function = roles[body["role"]].removeprefix(f"{env}-").removesuffix("-role")
            found[(env, function)] = (resolver.policy(body["policy"]), declared(env, function, key_arn))
    assert sorted(found) == sorted((env, f) for env in ENVS for f in FUNCTIONS)
    return found


CASES = [(env, function) for env in ENVS for function in FUNCTIONS]


@pytest.mark.parametrize("env, function", CASES)
def test_parliament_finds_nothing(role_policies, env, function):
    policy, _ = role_policies[(env, function)]
    findings = parliament.analyze_policy_string(json.dumps(policy)).findings
    assert [(f.issue, f.detail) for f in findings] == []


@pytest.mark.parametrize("env, function", CASES)
def test_cloudsplaining_finds_no_risk(role_policies, env, function):
    policy, _ = role_policies[(env, function)]
    document = PolicyDocument(policy)
    assert document.allows_privilege_escalation == []
    assert document.permissions_management_without_constraints == []  # resource exposure
    assert document.infrastructure_modification == []
    assert document.service_wildcard == []
    assert document.credentials_exposure == []


@pytest.mark.parametrize("env, function", CASES)
def test_role_allows_exactly_its_declared_pairs(role_policies, env, function, stacks_json):
    policy, pairs = role_policies[(env, function)]
    action, resource = z3.String("action"), z3.String("resource")
    may = policy_may(policy, action, resource)

    # 1. Over every action and resource string and every request context: the
    #    policy allows nothing outside the declared pairs (unsat = proof).
    solver = z3.Solver()
    solver.add(may, z3.Not(z3.Or(*[
        z3.And(matches_any(action, [a], case_insensitive=True), matches_any(resource, [r]))
        for a, r in pairs
    ])))
    assert solver.check() == z3.unsat, f"counterexample: {solver.model()}"

    # 2. Each declared pair is allowed (for some request context).
    for a, r in pairs:
        concrete = r.replace("*", "log-stream:2026/11/27/abc")
        solver = z3.Solver()
        # iamprover compares actions in lower case (IAM action names are case-insensitive).
        solver.add(may, action == z3.StringVal(a.lower()), resource == z3.StringVal(concrete))
        assert solver.check() == z3.sat, (a, concrete)

    # 3. Decided one by one over the stack's universe: all DynamoDB actions x every
    #    table, index and stream ARN of the stack, a decoy table, a decoy index and "*".
    resolver = Resolver(stacks_json[env])
    arns = {"*"}
    for table in resources(stacks_json[env], "aws_dynamodb_table").values():
        arn = table_arn(env, table["name"].removeprefix(f"{env}-"))
        arns |= {arn, f"{arn}/stream/2026-11-27T00:00:00.000", f"{arn}/index/ByNothing"}
        arns |= {f"{arn}/index/{g['name']}" for g in table.get("global_secondary_index", [])}
        arns |= {f"{arn}/index/{l['name']}" for l in table.get("local_secondary_index", [])}
    decoy = table_arn(env, "Decoy")
    arns |= {decoy, f"{decoy}/index/ByMovie", f"{decoy}/stream/2026-11-27T00:00:00.000"}
    granted = allowed_pairs(may, action, resource, DYNAMODB_ACTIONS, sorted(arns))
    assert granted == {(a, r) for a, r in pairs if a.startswith("dynamodb:")}
    decided = len(DYNAMODB_ACTIONS) * len(arns)
    print(f"\n{env}/{function}: {decided} (action, resource) pairs decided, {len(granted)} allowed")
    assert resolver  # the stack's references all resolved


# Condition behaviour on concrete requests (tests/support/iam_eval.py).

def orders_arn(env: str = "prod") -> str:
    return table_arn(env, "Orders")


def test_item_level_prefix(role_policies):
    policy, _ = role_policies[("prod", "orders-eu-fulfilment")]
    get = "dynamodb:GetItem"
    assert allowed(policy, get, orders_arn(), {"dynamodb:LeadingKeys": ["EU#42"]})
    assert not allowed(policy, get, orders_arn(), {"dynamodb:LeadingKeys": ["US#7"]})
    assert not allowed(policy, get, orders_arn(), {"dynamodb:LeadingKeys": ["EU#42", "US#7"]})
    assert not allowed(policy, get, orders_arn(), {})  # key absent: the Null guard denies
    assert not allowed(policy, "dynamodb:Scan", orders_arn(), {})
    assert not allowed(policy, get, table_arn("prod", "MovieRoles"), {"dynamodb:LeadingKeys": ["EU#42"]})


def test_attribute_level(role_policies):
    policy, _ = role_policies[("prod", "orders-shipping-labels")]
    get = "dynamodb:GetItem"
    ok = {"dynamodb:Attributes": ["CustomerId", "OrderId", "Status"], "dynamodb:Select": "SPECIFIC_ATTRIBUTES"}
    assert allowed(policy, get, orders_arn(), ok)
    assert not allowed(policy, get, orders_arn(), {**ok, "dynamodb:Attributes": ["Status", "Total"]})
    assert not allowed(policy, get, orders_arn(), {})  # no projection: the whole item
    assert not allowed(policy, get, orders_arn(), {**ok, "dynamodb:Select": "ALL_ATTRIBUTES"})
    assert not allowed(policy, "dynamodb:UpdateItem", orders_arn(), ok)  # not granted at all


def test_the_guard_is_what_closes_the_vacuous_hole(role_policies):
    # The widely copied policy without the Null guard lets a keyless request through.
    policy, _ = role_policies[("prod", "orders-eu-fulfilment")]
    unguarded = json.loads(json.dumps(policy))
    for statement in unguarded["Statement"]:
        statement.get("Condition", {}).pop("Null", None)
    assert allowed(unguarded, "dynamodb:GetItem", orders_arn(), {})
    assert not allowed(policy, "dynamodb:GetItem", orders_arn(), {})


def test_per_user_role_reaches_only_the_users_own_items(role_policies, stacks_json):
    policy, _ = role_policies[("prod", "app-user")]
    alice = {"cognito-identity.amazonaws.com:sub": "us-east-1:alice"}
    put = "dynamodb:PutItem"
    assert allowed(policy, put, orders_arn(), {**alice, "dynamodb:LeadingKeys": ["us-east-1:alice"]})
    assert not allowed(policy, put, orders_arn(), {**alice, "dynamodb:LeadingKeys": ["us-east-1:bob"]})
    assert not allowed(policy, "dynamodb:Query", orders_arn(), alice)  # key absent
    assert not allowed(policy, "dynamodb:Scan", orders_arn(), alice)
    # Only authenticated identities of this stack's pool may assume it.
    (role,) = [r for r in resources(stacks_json["prod"], "aws_iam_role").values()
               if r.get("name") == "prod-app-user-role"]
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {"cognito-identity.amazonaws.com:aud":
                         "${aws_cognito_identity_pool.AppUsers.id}"},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
    }
