"""The bootstrap stack's deploy roles, proven with the tools that prove the
function roles (tests/kit/test_iam_proof.py): parliament, cloudsplaining,
iamprover's Z3 engine, and the concrete evaluator of tests/support/iam_eval.py.

The stack is the app's own (``stacks/bootstrap_stack.py``: ``DELIVERY`` and
the three environments as ``main.py`` synthesizes them). For every
environment and phase the solver proves that the role allows exactly the
actions derived from that environment's synthesized JSON
(``deploy_permissions``) plus the state's, nothing else under any action
string, resource or request context, and nothing on another environment's
resources, the deploy roles themselves or the bootstrap's state.
"""

from __future__ import annotations

import json
import warnings

import pytest
import z3

from dynamodb_kit import deploy_permissions
from dynamodb_kit.delivery.deploy_actions import RESOURCE_NEEDS
from stacks.bootstrap_stack import BootstrapStack
from stacks.delivery import DELIVERY
from stacks.environments import ENVIRONMENTS
from support.iam_eval import ACCOUNT, PARTITION, REGION, Resolver, allowed

from helpers import REPO, resources
from support.z3_policy import policy_may

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import parliament
from cloudsplaining.scan.policy_document import PolicyDocument
from iamprover.engine.context import Context
from iamprover.engine.encoder import allowed as z3_allowed
from iamprover.engine.patterns import matches_any
from iamprover.model import Principal
from iamprover.parsers.iam import parse_policy_document

ENVS = tuple(ENVIRONMENTS)
PHASES = ("plan", "apply")
BUCKET = DELIVERY.state_bucket
STATE_KEY_ARN = f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/statekey"
# IAM counts a role's inline policies together, without whitespace.
INLINE_POLICY_LIMIT = 10_240
# The state's own actions, beside what the stack needs.
STATE_ACTIONS = {
    "plan": {"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "kms:Decrypt",
             "kms:GenerateDataKey"},
}
STATE_ACTIONS["apply"] = STATE_ACTIONS["plan"]


@pytest.fixture(scope="module")
def environments(stacks_json) -> dict[str, dict]:
    # The session's one synth of the app (what synthesized_environments() returns).
    return stacks_json


@pytest.fixture(scope="module")
def bootstrap(environments) -> dict:
    from dynamodb_kit.core.terraform import Testing

    return json.loads(Testing.synth(BootstrapStack(Testing.app(), DELIVERY, environments)))


class BootstrapResolver(Resolver):
    """Concrete ARNs for the bootstrap's references (bucket, keys, OIDC provider)."""

    def __init__(self, stack_json: dict) -> None:
        super().__init__(stack_json)
        res = stack_json["resource"]
        for logical_id, bucket in res["aws_s3_bucket"].items():
            self.values[f"aws_s3_bucket.{logical_id}.arn"] = f"arn:{PARTITION}:s3:::{bucket['bucket']}"
        for logical_id in res["aws_kms_key"]:
            self.values[f"aws_kms_key.{logical_id}.arn"] = STATE_KEY_ARN
        for logical_id in res.get("aws_iam_openid_connect_provider", {}):
            self.values[f"aws_iam_openid_connect_provider.{logical_id}.arn"] = (
                f"arn:{PARTITION}:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")


@pytest.fixture(scope="module")
def roles(bootstrap) -> dict[tuple[str, str], dict]:
    """(env, phase) -> {"role": the aws_iam_role, "trust": ..., "policy": resolved access policy}."""
    resolver = BootstrapResolver(bootstrap)
    by_id = resources(bootstrap, "aws_iam_role")
    found = {}
    for body in resources(bootstrap, "aws_iam_role_policy").values():
        role_id = body["role"].split(".")[1]
        role = by_id[role_id]
        _, env, phase = role["name"].rsplit("-", 2)
        found[(env, phase)] = {
            "role": role,
            "trust": resolver.policy(role["assume_role_policy"]),
            "policy": resolver.policy(body["policy"]),
            "policy_text": resolver.resolve(body["policy"]),
        }
    assert sorted(found) == sorted((e, p) for e in ENVS for p in PHASES)
    return found


def expected_actions(environments: dict, env: str, phase: str) -> set[str]:
    """What the role must allow: the stack's derived needs and the state's."""
    derived = deploy_permissions(environments[env], name_prefix=f"{env}-").actions(phase)
    return set(derived) | STATE_ACTIONS[phase]


CASES = [(env, phase) for env in ENVS for phase in PHASES]


@pytest.mark.parametrize("env, phase", CASES)
def test_parliament_finds_nothing(roles, env, phase):
    findings = parliament.analyze_policy_string(json.dumps(roles[(env, phase)]["policy"])).findings
    assert [(f.issue, f.detail) for f in findings] == []


@pytest.mark.parametrize("env, phase", CASES)
def test_cloudsplaining_finds_no_risk(roles, env, phase):
    document = PolicyDocument(roles[(env, phase)]["policy"])
    assert document.allows_privilege_escalation == []
    assert document.permissions_management_without_constraints == []
    assert document.infrastructure_modification == []  # every write is scoped or conditioned
    assert document.write_actions_without_constraints == []
    assert document.tagging_actions_without_constraints == []
    assert document.service_wildcard == []
    assert document.credentials_exposure == []
    assert document.contains_statement_using_not_action == []


def allowed_actions(policy: dict, expected: set[str]) -> set[str]:
    """The actions the policy allows (for some request context), decided by the
    solver: each expected action is tried on a resource its statements name
    (wildcards filled in: a concrete resource keeps each query fast), and one
    query proves that no other action string at all is allowed, on any
    resource."""
    action, resource = z3.String("action"), z3.String("resource")
    may = policy_may(policy, action, resource, role="deploy")
    found = set()
    for name in sorted(expected):
        candidates = {r.replace("*", "x") for st in policy["Statement"] if name in st["Action"] for r in st["Resource"]}
        for candidate in sorted(candidates):
            solver = z3.Solver()
            solver.add(may, action == z3.StringVal(name.lower()), resource == z3.StringVal(candidate))
            if solver.check() == z3.sat:
                found.add(name)
                break
    solver = z3.Solver()
    solver.add(may, z3.Not(matches_any(action, sorted(expected), case_insensitive=True)))
    assert solver.check() == z3.unsat, f"allows an action outside the list: {solver.model()}"
    return found


@pytest.mark.parametrize("env, phase", CASES)
def test_the_role_allows_exactly_the_actions_derived_from_the_stack(roles, environments, env, phase):
    expected = expected_actions(environments, env, phase)
    assert allowed_actions(roles[(env, phase)]["policy"], expected) == expected
    print(f"\n{env} {phase} role: {len(expected)} actions allowed, "
          f"{len(expected - STATE_ACTIONS[phase])} derived from the stack's resource types")


def test_the_page_gives_each_roles_action_count(environments):
    page = (REPO / "constructs" / "docs" / "deploy-from-github-actions.md").read_text()
    counts = {(e, p): len(expected_actions(environments, e, p)) for e in ENVS for p in PHASES}
    expected = (f"(dev's apply role: {counts[('dev', 'apply')]} actions, staging's {counts[('staging', 'apply')]}, "
                f"prod's {counts[('prod', 'apply')]};\nthe plan roles {counts[('dev', 'plan')]}, "
                f"{counts[('staging', 'plan')]} and {counts[('prod', 'plan')]})")
    assert expected in page


def test_the_derived_list_follows_the_stacks_resource_types(environments):
    """Each action comes from a type the stack holds; the phases nest; prod's
    apply role cannot delete what prevent_destroy protects, dev's can."""
    for env, stack in environments.items():
        permissions = deploy_permissions(stack, name_prefix=f"{env}-")
        held = set(stack["resource"])
        from_types = {a for t in held for need in RESOURCE_NEEDS[t] for a in need.actions}
        extras = {"iam:PassRole", "kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant", "kms:Decrypt",
                  "kms:GenerateDataKey"}
        assert permissions.actions("apply") - from_types <= extras
        assert permissions.actions("plan") < permissions.actions("apply")
        unheld = set(RESOURCE_NEEDS) - held
        foreign = {a for t in unheld for need in RESOURCE_NEEDS[t] for a in need.actions} - from_types - extras
        assert not foreign & permissions.actions("apply"), env
    prod = deploy_permissions(environments["prod"], name_prefix="prod-").actions("apply")
    dev = deploy_permissions(environments["dev"], name_prefix="dev-").actions("apply")
    for action in ("dynamodb:DeleteTable", "kms:ScheduleKeyDeletion"):
        assert action in dev and action not in prod
    assert "backup:DeleteBackupVault" not in prod


def _arn(service: str, resource: str, region: str = REGION) -> str:
    region = "" if service in ("iam", "s3") else region
    account = "" if service == "s3" else ACCOUNT
    return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


@pytest.mark.parametrize("env, phase", CASES)
def test_nothing_outside_the_environment_is_reachable(roles, environments, env, phase):
    """Over every action and context: no other environment's resources, no
    deploy role, no other state object, no other region. (The actions AWS
    authorizes on ``*`` only, such as ``kms:ListAliases``, name no resource;
    they are pinned to the region by ``aws:RequestedRegion`` instead.)"""
    other = next(e for e in ENVS if e != env)
    decoys = [
        _arn("dynamodb", f"table/{other}-Orders"), _arn("dynamodb", f"table/{env}-Orders", "eu-west-1"),
        _arn("iam", f"role/{other}-orders-shipping-labels-role"),
        _arn("iam", f"role/{DELIVERY.role_name(env, 'apply')}"), _arn("iam", f"role/{DELIVERY.role_name(env, 'plan')}"),
        _arn("logs", f"log-group:/aws/lambda/{other}-orders-shipping-labels"),
        _arn("kms", f"alias/{other}-dynamodb-data"), _arn("backup", f"backup-vault:{other}-dynamodb"),
        _arn("sns", f"{other}-dynamodb-alarms"),
        f"arn:{PARTITION}:s3:::{BUCKET}/{DELIVERY.state_prefix}/{other}.tfstate",
        f"arn:{PARTITION}:s3:::{BUCKET}/{DELIVERY.state_prefix}/bootstrap.tfstate",
        f"arn:{PARTITION}:s3:::{BUCKET}/{DELIVERY.state_prefix}/bootstrap.tfstate.tflock",
    ]
    policy = roles[(env, phase)]["policy"]
    unscoped = sorted({a for s in policy["Statement"] if s["Resource"] == ["*"] for a in s["Action"]})
    regions = list(deploy_permissions(environments[env], name_prefix=f"{env}-").regions)
    assert REGION in regions and "eu-west-1" not in regions
    assert all(s["Condition"]["StringEquals"]["aws:RequestedRegion"] == regions
               for s in policy["Statement"] if s["Resource"] == ["*"])
    action, resource = z3.String("action"), z3.String("resource")
    may = z3.And(policy_may(policy, action, resource, role="deploy"), z3.Not(matches_any(action, unscoped, case_insensitive=True)))
    for decoy in decoys:
        solver = z3.Solver()
        solver.add(may, resource == z3.StringVal(decoy))
        assert solver.check() == z3.unsat, f"{decoy}: {solver.model()}"
    # ... while its own are (the proof above is not vacuous).
    own = _arn("dynamodb", f"table/{env}-Orders")
    solver = z3.Solver()
    solver.add(may, resource == z3.StringVal(own))
    assert solver.check() == z3.sat


TAGGED = {  # what needs the environment's own tag, on resources whose ARN names no environment
    "kms:ScheduleKeyDeletion": _arn("kms", "key/0000-prod-data-key"),
    "kms:PutKeyPolicy": _arn("kms", "key/0000-prod-data-key"),
    "kms:DisableKeyRotation": _arn("kms", "key/0000-prod-data-key"),
    "cognito-identity:DeleteIdentityPool": _arn("cognito-identity", "identitypool/us-east-1:0000"),
    "cognito-identity:UpdateIdentityPool": _arn("cognito-identity", "identitypool/us-east-1:0000"),
    "application-autoscaling:DeregisterScalableTarget": _arn("application-autoscaling", "scalable-target/0000"),
}


@pytest.mark.parametrize("env", ENVS)
def test_keys_pools_and_targets_of_another_environment_are_out_of_reach(roles, env):
    """Over every request context in which the resource carries another
    environment's Environment tag, the apply role may not change, delete or
    deregister it; with its own tag it may (where the stack needs it)."""
    policy = roles[(env, "apply")]["policy"]
    principal = Principal(arn=f"arn:aws:iam::{ACCOUNT}:role/deploy", policies=[parse_policy_document("p", policy)])
    allowed_somewhere = set()
    for action_name, arn in TAGGED.items():
        for tag, expect in ((next(e for e in ENVS if e != env), z3.unsat), (env, None)):
            ctx = Context()
            action, resource = z3.String("action"), z3.String("resource")
            solver = z3.Solver()
            solver.add(z3_allowed(principal, action, resource, ctx), action == z3.StringVal(action_name.lower()),
                       resource == z3.StringVal(arn), ctx.constrain("aws:ResourceTag/Environment", tag))
            result = solver.check()
            if expect is not None:
                assert result == expect, (action_name, tag)
            elif result == z3.sat:
                allowed_somewhere.add(action_name)
    # Prod keeps its keys (prevent_destroy): no ScheduleKeyDeletion at all there.
    assert ("kms:ScheduleKeyDeletion" in allowed_somewhere) == (env != "prod")
    assert "kms:PutKeyPolicy" in allowed_somewhere and "cognito-identity:UpdateIdentityPool" in allowed_somewhere


def test_the_state_is_written_only_by_the_apply_role(roles):
    for env in ENVS:
        state = f"arn:{PARTITION}:s3:::{BUCKET}/{DELIVERY.state_prefix}/{env}.tfstate"
        lock = f"{state}.tflock"
        plan, apply = roles[(env, "plan")]["policy"], roles[(env, "apply")]["policy"]
        assert allowed(plan, "s3:GetObject", state) and not allowed(plan, "s3:PutObject", state)
        assert allowed(plan, "s3:PutObject", lock) and allowed(plan, "s3:DeleteObject", lock)
        assert allowed(apply, "s3:PutObject", state) and not allowed(apply, "s3:DeleteObject", state)
        via_s3 = {"kms:ViaService": f"s3.{DELIVERY.region}.amazonaws.com"}
        assert allowed(plan, "kms:Decrypt", STATE_KEY_ARN, via_s3)
        assert not allowed(plan, "kms:Decrypt", STATE_KEY_ARN, {"kms:ViaService": "lambda.us-east-1.amazonaws.com"})


def test_roles_are_passed_only_to_the_services_the_stack_hands_them_to(roles):
    staging = roles[("staging", "apply")]["policy"]
    backup_role = _arn("iam", "role/staging-dynamodb-backup-20261130")
    assert allowed(staging, "iam:PassRole", backup_role, {"iam:PassedToService": "backup.amazonaws.com"})
    assert not allowed(staging, "iam:PassRole", backup_role, {"iam:PassedToService": "lambda.amazonaws.com"})
    assert not allowed(staging, "iam:PassRole", backup_role, {})
    app_users = _arn("iam", "role/staging-app-user-role")
    assert allowed(staging, "iam:PassRole", app_users, {"iam:PassedToService": "cognito-identity.amazonaws.com"})
    # A function's role is never passed by the deploy role (Lambda is not the stack's).
    function = _arn("iam", "role/staging-orders-shipping-labels-role")
    for service in ("lambda.amazonaws.com", "backup.amazonaws.com", "cognito-identity.amazonaws.com"):
        assert not allowed(staging, "iam:PassRole", function, {"iam:PassedToService": service})
    # Only the managed policies the stack attaches.
    attach = "iam:AttachRolePolicy"
    backup_policy = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    assert allowed(staging, attach, backup_role, {"iam:PolicyARN": backup_policy})
    assert not allowed(staging, attach, backup_role, {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert not any("iam:PassRole" in s["Action"] for s in roles[("dev", "plan")]["policy"]["Statement"])


TOKEN_AUD = "token.actions.githubusercontent.com:aud"
TOKEN_SUB = "token.actions.githubusercontent.com:sub"


def _may_assume(trust: dict, sub: str, aud: str = "sts.amazonaws.com") -> bool:
    (statement,) = trust["Statement"]
    request = {TOKEN_SUB: sub, TOKEN_AUD: aud}
    return allowed({"Statement": [{**statement, "Resource": "*"}]}, "sts:AssumeRoleWithWebIdentity", "*", request)


def test_trust_github_actions_of_this_repository_in_the_right_contexts(roles):
    repo = DELIVERY.repository
    classic = f"repo:{repo.owner}/{repo.name}"
    immutable = f"repo:{repo.owner}@{repo.owner_id}/{repo.name}@{repo.repository_id}"
    for env in ENVS:
        plan, apply = roles[(env, "plan")]["trust"], roles[(env, "apply")]["trust"]
        for form in (classic, immutable):
            assert _may_assume(plan, f"{form}:pull_request") and _may_assume(plan, f"{form}:ref:refs/heads/main")
            assert not _may_assume(plan, f"{form}:environment:{env}")
            assert not _may_assume(plan, f"{form}:ref:refs/heads/feature")
            assert _may_assume(apply, f"{form}:environment:{env}")
            assert not _may_assume(apply, f"{form}:pull_request")
            assert not _may_assume(apply, f"{form}:ref:refs/heads/main")
            other = next(e for e in ENVS if e != env)
            assert not _may_assume(apply, f"{form}:environment:{other}")
            assert not _may_assume(apply, f"{form}:environment:{env}", aud="https://github.com/other")
        # A same-named repository under other ids, or another owner, is refused.
        assert not _may_assume(apply, f"repo:{repo.owner}@9/{repo.name}@9:environment:{env}")
        assert not _may_assume(plan, f"repo:someone-else/{repo.name}:pull_request")
        (statement,) = apply["Statement"]
        assert statement["Principal"] == {
            "Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"}
        assert set(statement["Condition"]) == {"StringEquals"}  # no ForAllValues:, no wildcard
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"


@pytest.mark.parametrize("env, phase", CASES)
def test_each_role_fits_iams_inline_policy_limit(roles, env, phase):
    text = roles[(env, phase)]["policy_text"]
    size = len("".join(text.split()))
    assert size < INLINE_POLICY_LIMIT, size
    assert roles[(env, phase)]["role"]["max_session_duration"] == 3600


def test_the_oidc_provider_has_no_thumbprint(bootstrap):
    (provider,) = resources(bootstrap, "aws_iam_openid_connect_provider").values()
    assert provider["url"] == "https://token.actions.githubusercontent.com"
    assert provider["client_id_list"] == ["sts.amazonaws.com"]
    assert "thumbprint_list" not in provider
