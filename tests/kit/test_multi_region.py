"""Replicas, their keys and grants across regions; alarms and contributor insights; the two rules.

The replica grant proof uses the same independent tools as test_iam_proof.py:
parliament, cloudsplaining and iamprover's Z3 engine, over the concrete ARNs of
the replica regions, a region outside the replica set and the legacy
global-table ARN.
"""

from __future__ import annotations

import json
import warnings

import cdktf
import pytest
import z3

from dynamodb_kit import (
    AccessPattern,
    AlarmActions,
    Alarms,
    AlarmsProps,
    AlarmThresholds,
    Attribute,
    Billing,
    Capacity,
    ContributorInsights,
    EncryptionKey,
    EncryptionKeyProps,
    GlobalSecondaryIndex,
    LambdaRole,
    LambdaRoleProps,
    Replica,
    StreamViewType,
    Table,
    TableEncryption,
    TableGrant,
    TableProps,
    ValidationError,
    add_aws_provider,
)
from dynamodb_kit.rules import Status
from dynamodb_kit.rules import replica_pitr_enabled, table_has_alarms
from support.iam_eval import ACCOUNT, PARTITION, REGION, Resolver, allowed
from support.z3_policy import allowed_pairs, policy_may

from helpers import resources

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import parliament
from cloudsplaining.scan.policy_document import PolicyDocument
from iamprover.engine.patterns import matches_any
from policy_sentry.querying.actions import get_actions_for_service

REPLICA_REGIONS = ("us-west-2", "eu-central-1")


def stack_with(**props) -> tuple[cdktf.TerraformStack, Table]:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    add_aws_provider(stack, region=REGION)
    base = dict(table_name="Movies", partition_key=Attribute("pk"),
                global_secondary_indexes=(GlobalSecondaryIndex(name="ByYear", partition_key=Attribute("year")),))
    return stack, Table(stack, "Movies", TableProps(**{**base, **props}))


def error(**props) -> str:
    with pytest.raises(ValidationError) as raised:
        stack_with(**props)
    return str(raised.value)


# Validation: exact messages.

def test_a_replica_in_the_tables_own_region_is_refused():
    assert error(replicas=(Replica(region=REGION),)) == (
        "s/Movies: replicas[0].region='us-east-1' is the table's own region; a replica lives in another "
        "region; choose another region, or remove the replica")


def test_a_replica_needs_the_stacks_provider():
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")  # no add_aws_provider
    with pytest.raises(ValidationError) as raised:
        Table(stack, "Movies", TableProps(table_name="Movies", partition_key=Attribute("pk"),
                                          replicas=(Replica(region="us-west-2"),)))
    assert str(raised.value) == (
        "s/Movies: replicas[0].region='us-west-2' needs a provider for that region, copied from the stack's, "
        "and the stack has none; call add_aws_provider(stack, region=...) before constructing the table")


@pytest.mark.parametrize("emulator", ["http://127.0.0.1:5000", 1, "true"])
def test_the_provider_takes_emulator_as_a_bool_not_a_url(emulator):
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    with pytest.raises(ValidationError) as raised:
        add_aws_provider(stack, region="us-east-1", emulator=emulator)
    assert str(raised.value) == (
        f"s: emulator={emulator!r} must be True, False or None; give True for a local emulator "
        "(its URL goes in AWS_ENDPOINT_URL when terraform runs), or leave it out")


def test_an_emulator_stack_names_no_endpoint_and_its_regions_copy_the_settings(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    add_aws_provider(stack, region="us-east-1")
    Table(stack, "Movies", TableProps(table_name="Movies", partition_key=Attribute("pk"),
                                      stream=StreamViewType.NEW_AND_OLD_IMAGES,
                                      replicas=(Replica(region="us-west-2"),)))
    home, west = json.loads(cdktf.Testing.synth(stack))["provider"]["aws"]
    assert "endpoints" not in home and home["skip_credentials_validation"] is True
    assert {k: v for k, v in west.items() if k not in ("alias", "region")} == {
        k: v for k, v in home.items() if k != "region"}


def test_two_replicas_in_one_region_are_refused():
    assert error(replicas=(Replica(region="us-west-2"), Replica(region="us-west-2"))) == (
        "s/Movies: replicas[1].region='us-west-2' is already the region of replicas[0]; "
        "keep one replica per region")


def test_a_region_that_is_not_an_aws_region_is_refused():
    with pytest.raises(ValidationError) as raised:
        Replica(region="us-westt-2")
    assert str(raised.value).startswith(
        "Replica: region='us-westt-2' is not an AWS region DynamoDB global tables replicate to; "
        "use one of af-south-1, ap-east-1,")


def test_a_stream_other_than_new_and_old_images_is_refused():
    assert error(replicas=(Replica(region="us-west-2"),), stream=StreamViewType.KEYS_ONLY) == (
        "s/Movies: stream='KEYS_ONLY' is not NEW_AND_OLD_IMAGES, the stream global table replication needs; "
        "set stream=StreamViewType.NEW_AND_OLD_IMAGES, or leave it out (replicas set it)")


def test_fixed_capacity_is_refused_for_a_global_table():
    billing = Billing.provisioned(read=Capacity.autoscaled(min=5, max=50), write=Capacity.fixed(5))
    assert error(replicas=(Replica(region="us-west-2"),), billing=billing) == (
        "s/Movies: billing.write=5 is fixed capacity; a global table's replicas need on-demand billing or "
        "autoscaled capacity to follow each region's traffic; use write=Capacity.autoscaled(min=, max=), "
        "or Billing.on_demand()")


def test_multi_region_strong_consistency_names_the_provider_version_it_needs():
    assert error(multi_region_strong_consistency=True) == (
        "s/Movies: multi_region_strong_consistency=True needs AWS provider >= 6.3.0 "
        "(replica.consistency_mode); the kit's provider constraint admits 5.100.0, which does not have it; "
        "leave it False (eventual consistency) until the kit requires provider >= 6.3.0")


def test_a_replica_key_of_another_region_is_refused():
    with pytest.raises(ValidationError) as raised:
        Replica(region="us-west-2",
                encryption_key_arn="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert str(raised.value) == (
        "Replica: encryption_key_arn='arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-"
        "1234567890ab' is a key of region us-east-1, not of the replica's region us-west-2; give a KMS key "
        "in us-west-2, or leave it out for a key the kit creates")


def test_contributor_insights_on_an_unknown_index_is_refused():
    assert error(contributor_insights=ContributorInsights(indexes=("ByNothing",))) == (
        "s/Movies: contributor_insights.indexes[0]='ByNothing' is not a GSI of this table (ByYear); "
        "name one of the table's global secondary indexes")


# What a replicated table synthesizes.

def test_each_replica_gets_its_regions_provider_key_and_resource():
    stack, _ = stack_with(encryption=TableEncryption.customer_managed(), prevent_destroy=True,
                          replicas=tuple(Replica(region=r) for r in REPLICA_REGIONS))
    synthesized = json.loads(cdktf.Testing.synth(stack))
    providers = synthesized["provider"]["aws"]
    assert [(p.get("alias"), p["region"]) for p in providers] == [
        (None, REGION), ("us_west_2", "us-west-2"), ("eu_central_1", "eu-central-1")]  # in order of use
    table_id, table = next(iter(resources(synthesized, "aws_dynamodb_table").items()))
    assert table["stream_enabled"] is True and table["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert "replica" in table["lifecycle"]["ignore_changes"]
    keys = resources(synthesized, "aws_kms_key")
    replicas = resources(synthesized, "aws_dynamodb_table_replica")
    assert sorted(r["provider"] for r in replicas.values()) == ["aws.eu_central_1", "aws.us_west_2"]
    for replica in replicas.values():
        key_id = replica["kms_key_arn"].split(".")[1]
        assert keys[key_id]["provider"] == replica["provider"]  # the key lives in the replica's region
        assert replica["global_table_arn"] == f"${{aws_dynamodb_table.{table_id}.arn}}"
        assert replica["point_in_time_recovery"] is True and replica["deletion_protection_enabled"] is True
        assert replica["lifecycle"] == {"prevent_destroy": True}


def test_replica_regions_get_their_own_autoscaling():
    billing = Billing.provisioned(read=Capacity.autoscaled(min=5, max=50), write=Capacity.autoscaled(min=5, max=50))
    stack, _ = stack_with(billing=billing, replicas=(Replica(region="us-west-2"),))
    targets = resources(json.loads(cdktf.Testing.synth(stack)), "aws_appautoscaling_target").values()
    assert sorted(t.get("provider", "aws") for t in targets) == ["aws"] * 4 + ["aws.us_west_2"] * 4


# The replica grant proof.

def grant_stack() -> dict:
    stack, table = stack_with(encryption=TableEncryption.customer_managed(),
                              replicas=tuple(Replica(region=r) for r in REPLICA_REGIONS))
    LambdaRole(stack, "Writer", LambdaRoleProps(function_name="writer", grants=(
        TableGrant(table=table, patterns=(AccessPattern.PUT_ITEM,), query_indexes=("ByYear",)),)))
    return json.loads(cdktf.Testing.synth(stack))


@pytest.fixture(scope="module")
def replica_policy() -> tuple[dict, dict]:
    stack = grant_stack()
    policy = Resolver(stack).policy(next(iter(resources(stack, "aws_iam_role_policy").values()))["policy"])
    return stack, policy


def _key_arn(stack: dict, region: str) -> str:
    resolver = Resolver(stack)
    arns = [v for k, v in resolver.values.items() if k.startswith("aws_kms_key.") and f":{region}:" in v]
    (arn,) = arns
    return arn


def test_replica_grant_passes_parliament_and_cloudsplaining(replica_policy):
    _, policy = replica_policy
    assert [(f.issue, f.detail) for f in parliament.analyze_policy_string(json.dumps(policy)).findings] == []
    document = PolicyDocument(policy)
    assert document.allows_privilege_escalation == [] and document.service_wildcard == []
    assert document.permissions_management_without_constraints == [] and document.infrastructure_modification == []


def test_replica_grant_allows_exactly_the_table_and_index_in_every_replica_region(replica_policy):
    stack, policy = replica_policy
    regions = (REGION, *REPLICA_REGIONS)
    arn = lambda region: f"arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/Movies"  # noqa: E731
    declared = {("dynamodb:PutItem", arn(r)) for r in regions} | {
        ("dynamodb:Query", f"{arn(r)}/index/ByYear") for r in regions}
    keys = {r: _key_arn(stack, r) for r in regions}
    declared_kms = {(a, keys[r]) for r in regions for a in ("kms:Decrypt", "kms:GenerateDataKey")}
    logs = f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/writer:*"
    declared_kms |= {("logs:CreateLogStream", logs), ("logs:PutLogEvents", logs)}  # its own log group
    action, resource = z3.String("action"), z3.String("resource")
    may = policy_may(policy, action, resource)
    # 1. Nothing outside the declared pairs, over every action and resource string (unsat = proof).
    solver = z3.Solver()
    solver.add(may, z3.Not(z3.Or(*[
        z3.And(matches_any(action, [a], case_insensitive=True), matches_any(resource, [r]))
        for a, r in declared | declared_kms])))
    assert solver.check() == z3.unsat, f"counterexample: {solver.model()}"
    # 2. Decided pair by pair: every DynamoDB action (global-table ones included) on the replica
    #    regions' table, index and stream ARNs, a region outside the set, and the legacy global table.
    universe = {f"arn:{PARTITION}:dynamodb::{ACCOUNT}:global-table/Movies", "*"}
    for region in (*regions, "ap-south-1"):
        universe |= {arn(region), f"{arn(region)}/index/ByYear", f"{arn(region)}/index/Other",
                     f"{arn(region)}/stream/2026-11-27T00:00:00.000"}
    granted = allowed_pairs(may, action, resource, sorted(get_actions_for_service("dynamodb")), sorted(universe))
    assert granted == declared
    assert not any("global-table" in r or "ap-south-1" in r for _, r in granted)


def test_each_regions_key_only_through_dynamodb_of_that_region(replica_policy):
    stack, policy = replica_policy
    for region in (REGION, *REPLICA_REGIONS):
        key = _key_arn(stack, region)
        for via in (REGION, *REPLICA_REGIONS):
            context = {"kms:ViaService": f"dynamodb.{via}.amazonaws.com"}
            assert allowed(policy, "kms:Decrypt", key, context) is (via == region), (region, via)
        assert not allowed(policy, "kms:Decrypt", key, {})  # never directly


# Alarms.

def alarm_stack(**alarm_props) -> dict:
    stack, table = stack_with(billing=Billing.on_demand(max_read=100, max_write=40),
                              replicas=(Replica(region="us-west-2"),))
    Alarms(stack, "Alarms", AlarmsProps(name_prefix="dev", tables=(table,), **alarm_props))
    return json.loads(cdktf.Testing.synth(stack))


def by_name(stack: dict) -> dict[str, dict]:
    return {a["alarm_name"]: a for a in resources(stack, "aws_cloudwatch_metric_alarm").values()}


def test_every_alarm_with_its_default_threshold():
    alarms = by_name(alarm_stack(backup_vault_names=("dev-dynamodb",)))
    assert {name: (a["threshold"], a["evaluation_periods"], a["comparison_operator"])
            for name, a in alarms.items()} == {
        "Movies-read-throttles": (1, 1, "GreaterThanOrEqualToThreshold"),
        "Movies-write-throttles": (1, 1, "GreaterThanOrEqualToThreshold"),
        "Movies-ByYear-read-throttles": (1, 1, "GreaterThanOrEqualToThreshold"),
        "Movies-ByYear-write-throttles": (1, 1, "GreaterThanOrEqualToThreshold"),
        "Movies-read-capacity": (80, 3, "GreaterThanThreshold"),  # % of the on-demand ceiling
        "Movies-write-capacity": (80, 3, "GreaterThanThreshold"),
        "Movies-system-errors": (1, 1, "GreaterThanOrEqualToThreshold"),
        "Movies-replication-latency-us-west-2": (60000, 1, "GreaterThanThreshold"),
        "dev-dynamodb-user-errors": (50, 1, "GreaterThanOrEqualToThreshold"),
        "dev-dynamodb-backup-jobs-failed": (1, 1, "GreaterThanOrEqualToThreshold"),
    }
    capacity = alarms["Movies-read-capacity"]["metric_query"]
    assert capacity[-1]["expression"] == "100 * (consumed / 300) / 100"
    errors = alarms["Movies-system-errors"]["metric_query"]
    assert len([q for q in errors if "metric" in q]) == 10  # every operation, CloudWatch's limit
    assert all("alarm_actions" not in a for a in alarms.values())  # nowhere by default


def test_thresholds_change_per_table_and_actions_go_to_the_topic():
    stack, table = stack_with()
    key = EncryptionKey(stack, "Key", EncryptionKeyProps(allow_cloudwatch_alarms=True))
    Alarms(stack, "Alarms", AlarmsProps(
        name_prefix="prod", tables=(table,), actions=AlarmActions.new_topic(key.key_arn),
        table_thresholds={"Movies": AlarmThresholds(throttled_requests=10)}))
    synthesized = json.loads(cdktf.Testing.synth(stack))
    (topic_id, topic), = resources(synthesized, "aws_sns_topic").items()
    assert topic["name"] == "prod-dynamodb-alarms" and topic["kms_master_key_id"].startswith("${aws_kms_key.")
    alarms = by_name(synthesized)
    assert alarms["Movies-read-throttles"]["threshold"] == 10
    assert alarms["Movies-system-errors"]["threshold"] == 1
    assert {tuple(a["alarm_actions"]) for a in alarms.values()} == {(f"${{aws_sns_topic.{topic_id}.arn}}",)}
    statement = json.loads(next(iter(resources(synthesized, "aws_kms_key").values()))["policy"])["Statement"][-1]
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}


def test_alarm_props_errors():
    with pytest.raises(ValidationError) as raised:
        AlarmThresholds(capacity_percent=120)
    assert str(raised.value) == ("AlarmThresholds: capacity_percent=120 is outside 1-100 percent; give the share "
                                 "of the capacity that should raise the alarm, e.g. 80")
    with pytest.raises(ValidationError) as raised:
        AlarmActions(create_topic=True)
    assert str(raised.value) == ("AlarmActions: topic_key_arn=None is required to create an encrypted topic; "
                                 "use AlarmActions.new_topic(key_arn=<the stack's key>)")
    stack, table = stack_with()
    with pytest.raises(ValidationError) as raised:
        Alarms(stack, "Alarms", AlarmsProps(name_prefix="p", tables=(table,),
                                            table_thresholds={"Orders": AlarmThresholds()}))
    assert str(raised.value) == ("s/Alarms: table_thresholds='Orders' is not one of the watched tables (Movies); "
                                 "use the construct id of a table in tables")


def test_contributor_insights_per_table_and_index():
    stack, _ = stack_with(contributor_insights=ContributorInsights(table=False, indexes=("ByYear",)))
    insights = list(resources(json.loads(cdktf.Testing.synth(stack)), "aws_dynamodb_contributor_insights").values())
    assert [i.get("index_name") for i in insights] == ["ByYear"]


# The two rules.

def test_rule_every_table_has_alarms_names_the_unwatched_table():
    stack = alarm_stack()
    (result,) = table_has_alarms.evaluate(stack)
    assert result.status is Status.COMPLIANT
    stack["resource"].pop("aws_cloudwatch_metric_alarm")
    (result,) = table_has_alarms.evaluate(stack)
    assert (result.status, result.detail) == (
        Status.NON_COMPLIANT, "no aws_cloudwatch_metric_alarm has its TableName as a dimension")


def test_rule_replicas_have_pitr():
    stack, _ = stack_with(replicas=(Replica(region="us-west-2"), Replica(region="eu-west-1",
                                                                          point_in_time_recovery=False)))
    results = replica_pitr_enabled.evaluate(json.loads(cdktf.Testing.synth(stack)))
    assert sorted((r.address.split("_Replica-")[1].rsplit("_", 1)[0], r.status) for r in results) == [
        ("eu-west-1", Status.NON_COMPLIANT), ("us-west-2", Status.COMPLIANT)]
