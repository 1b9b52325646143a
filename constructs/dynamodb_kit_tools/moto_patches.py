"""moto's server with the kit's gap-fillers: what the emulator users run.

moto 5.2.5 accepts these settings but does not hand them back the way AWS
does (or does not answer the call at all), so a deploy fails or every
terraform re-plan shows a change that was in fact applied. Each gap-filler
only stores what a request carried and returns it; none decides behaviour that
a test relies on (no IAM evaluation, and no item data of their own: items move
only through moto's own restore):

- DynamoDB ``OnDemandThroughput`` of CreateTable/UpdateTable is stored and
  returned by DescribeTable (moto 5.2.5 drops it: the on-demand ceiling
  drifted on every re-plan);
- after UpdateTable to ``PAY_PER_REQUEST``, the table's and its indexes'
  ``ProvisionedThroughput`` read 0/0, as AWS reports them (moto 5.2.5 keeps
  the old capacities, and the provider then refuses the next plan);
- after UpdateTable, ``AttributeDefinitions`` list only attributes that some
  key still uses, as AWS reports them (moto 5.2.5 keeps a deleted GSI's key
  attribute: a re-plan diff);
- a table restored to a point in time reports a billing mode: the request's
  ``BillingModeOverride``, else the source's (moto 5.2.5 reports none);
- ``RestoreTableToPointInTime`` with ``SourceTableArn`` instead of
  ``SourceTableName`` finds its source by that ARN, also in another region
  (AWS's cross-region restore); moto 5.2.5 reads only ``SourceTableName``;
- DynamoDB global tables (version 2019.11.21): ``UpdateTable`` with
  ``ReplicaUpdates`` (moto 5.2.5 drops them). ``Create`` makes the table in
  the replica region's backend with the source's keys, attributes, indexes,
  billing, stream, TTL and the given KMS key (else the region's
  ``aws/dynamodb`` key if the source uses KMS); ``DescribeTable`` of the
  table then lists it in ``Replicas`` as ``ACTIVE``. ``Update`` stores a new
  KMS key or table class; ``Delete`` removes the record and the replica
  region's table. Replication is not emulated: the replica starts empty (AWS
  backfills it) and a write stays in the region it was written to;
- Cognito identity ``SetIdentityPoolRoles`` / ``GetIdentityPoolRoles`` store
  and return a pool's roles (moto 5.2.5 answers 500: not implemented);
- Application Auto Scaling ``TagResource`` / ``UntagResource`` /
  ``ListTagsForResource``, and the ``Tags`` of ``RegisterScalableTarget``,
  store and return a scalable target's tags (moto 5.2.5 does not implement
  them; the provider reads a target's tags after every create and refresh);
- an S3 bucket policy statement with a ``Condition`` is left out when moto
  checks an object request against the policy: moto 5.2.5 evaluates
  statements without their conditions, so the state bucket's TLS-only
  ``Deny`` (``aws:SecureTransport = false``) refused every request, state
  reads and writes included. Statements without a condition still apply.
  (This one corrects moto rather than filling a gap; like moto, the emulator
  evaluates no IAM condition.)

Recording: ``POST /moto-api/recorder/start-recording`` makes moto record every
request; the file is ``MOTO_RECORDER_FILEPATH``, which the emulator puts in the
temp folder (moto's default is ``moto_recording`` in the working directory).

Run it like ``moto_server``::

    python -m dynamodb_kit_tools.moto_patches -H 127.0.0.1 -p 5000

Users start it through :mod:`dynamodb_kit_tools.emulator`, which also stops
it. moto is a development dependency (``moto[server]``), imported only here.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import sys
import threading
from collections import OrderedDict
from typing import Any, Sequence

# Set by Emulator: the child stops when this process (its parent) is gone.
PARENT_PID_ENV = "DYNAMODB_KIT_EMULATOR_PARENT_PID"

_ZERO = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
_IDENTITY_POOL_ROLES: dict[str, dict] = {}
_SCALING_TAGS: dict[str, dict[str, str]] = {}  # scalable target ARN -> tags


def _store_on_demand_throughput(handler_method):
    def wrapper(self, *args: Any, **kwargs: Any):
        response = handler_method(self, *args, **kwargs)
        body = self.body
        if "OnDemandThroughput" in body:
            table = self.dynamodb_backend.get_table(body["TableName"])
            table.kit_on_demand_throughput = body["OnDemandThroughput"]
        return response

    return wrapper


def _describe_with_on_demand_throughput(describe):
    def wrapper(self, base_key: str = "TableDescription") -> dict[str, Any]:
        result = describe(self, base_key)
        stored = getattr(self, "kit_on_demand_throughput", None)
        if stored:
            result[base_key]["OnDemandThroughput"] = stored
        return result

    return wrapper


def _report_table_like_aws_after_update(update_table):
    def wrapper(self, name: str, *args: Any, **kwargs: Any):
        table = update_table(self, name, *args, **kwargs)
        if table.billing_mode == "PAY_PER_REQUEST":
            table.throughput = dict(_ZERO)
            for index in table.global_indexes:
                index.throughput = dict(_ZERO)
        schemas = [table.schema] + [i.schema for i in (*table.global_indexes, *table.indexes)]
        used = {key["AttributeName"] for schema in schemas for key in schema}
        table.attr = [a for a in table.attr if a["AttributeName"] in used]
        return table

    return wrapper


def _restored_table_keeps_billing_mode(handler_method):
    def wrapper(self, *args: Any, **kwargs: Any):
        response = handler_method(self, *args, **kwargs)
        body = self.body
        source = _table_by_name_or_arn(self.dynamodb_backend, body["SourceTableName"])
        target = self.dynamodb_backend.get_table(body["TargetTableName"])
        target.billing_mode = body.get("BillingModeOverride") or source.billing_mode
        return response

    return wrapper


def _table_by_name_or_arn(backend, name_or_arn: str):
    """A table of ``backend`` by name or ARN, or, for an ARN of another region
    or account, the table of that region's and account's backend."""
    if name_or_arn.startswith("arn:"):
        region, account = name_or_arn.split(":")[3:5]
        if (region, account) != (backend.region_name, backend.account_id):
            from moto.dynamodb.models import dynamodb_backends

            backend = dynamodb_backends[account][region]
    return backend.get_table(name_or_arn)


def _restore_source_by_arn(handler_method):
    """AWS's RestoreTableToPointInTime names its source by ``SourceTableName``
    or ``SourceTableArn`` (the provider's ``restore_source_table_arn``); moto
    5.2.5 reads only the name. The ARN is passed on as the name (moto's
    ``get_table`` also finds a table by ARN)."""

    def wrapper(self, *args: Any, **kwargs: Any):
        if not self.body.get("SourceTableName") and self.body.get("SourceTableArn"):
            self.body["SourceTableName"] = self.body["SourceTableArn"]
        return handler_method(self, *args, **kwargs)

    return wrapper


def _restore_from_another_region(restore):
    """AWS restores a table to a point in time from a source table in another
    region (``SourceTableArn`` of that region, the call made in the target's);
    moto 5.2.5 looks for the source in the target's region only. The restored
    table is moto's own ``RestoredPITTable`` (the source's keys, indexes and
    items), as for a source in the same region."""

    def wrapper(self, target_table_name: str, source_table_name: str):
        from moto.dynamodb.exceptions import (
            ResourceNotFoundException,
            SourceTableNotFoundException,
            TableAlreadyExistsException,
        )
        from moto.dynamodb.models.table import RestoredPITTable

        if not (source_table_name or "").startswith("arn:") or \
                source_table_name.split(":")[3:5] == [self.region_name, self.account_id]:
            return restore(self, target_table_name, source_table_name)
        try:
            source = _table_by_name_or_arn(self, source_table_name)
        except ResourceNotFoundException:
            raise SourceTableNotFoundException(source_table_name)
        if target_table_name in self.tables:
            raise TableAlreadyExistsException(target_table_name)
        table = RestoredPITTable(target_table_name, account_id=self.account_id, region=self.region_name, source=source)
        self.tables[target_table_name] = table
        return table

    return wrapper


# --- global tables (version 2019.11.21) -------------------------------------

_REPLICA_NOT_FOUND = "Replica specified in the Replica Update or Replica Delete action of the request was not found."


def _apply_replica_updates(handler_method):
    """AWS's UpdateTable ``ReplicaUpdates`` (``Create`` / ``Update`` /
    ``Delete`` of a replica in another region: what ``aws_dynamodb_table_replica``
    and the ``replica`` blocks of ``aws_dynamodb_table`` call); moto 5.2.5 drops
    them. Applied before the rest of the call, so its answer lists the replicas.
    """

    def wrapper(self, *args: Any, **kwargs: Any):
        updates = self.body.get("ReplicaUpdates") or []
        if updates:
            table = self.dynamodb_backend.get_table(self.body["TableName"])
            for update in updates:
                if "Create" in update:
                    _create_replica(table, update["Create"])
                if "Update" in update:
                    _update_replica(table, update["Update"])
                if "Delete" in update:
                    _delete_replica(table, update["Delete"]["RegionName"])
        return handler_method(self, *args, **kwargs)

    return wrapper


def _replica_backend(table, region: str):
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[table.account_id][region]


def _create_replica(table, action: dict) -> None:
    """The replica: a table of the same name in the replica region, with the
    source's keys, attributes, indexes, billing, stream and TTL (AWS keeps them
    the same in every replica) and the given KMS key; empty (AWS backfills a
    new replica with the table's data and replicates every write: not
    emulated). Deletion protection, PITR and tags are each replica's own: off
    and none, as on AWS, until set in that region."""
    from moto.dynamodb.exceptions import MockValidationException

    region = action["RegionName"]
    replicas = table.__dict__.setdefault("kit_replicas", {})
    if region == table.region_name:
        raise MockValidationException(f"Replica region {region} is the region of table {table.name}")
    backend = _replica_backend(table, region)
    if region in replicas or table.name in backend.tables:
        raise MockValidationException(
            f"Failed to create the new replica of table {table.name} in {region}: a table of that name exists there"
        )
    sse = None
    if action.get("KMSMasterKeyId"):
        sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": action["KMSMasterKeyId"]}
    elif table.sse_specification and table.sse_specification.get("Enabled"):
        sse = {"Enabled": True, "SSEType": "KMS"}  # moto fills in the region's aws/dynamodb key
    stream = table.stream_specification if (table.stream_specification or {}).get("StreamEnabled") else None
    replica = backend.create_table(
        name=table.name,
        schema=copy.deepcopy(table.schema),
        throughput=copy.deepcopy(table.throughput),
        attr=copy.deepcopy(table.attr),
        global_indexes=None,
        indexes=None,
        streams=copy.deepcopy(stream),
        billing_mode=table.billing_mode,
        sse_specification=sse,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
    )
    replica.global_indexes = copy.deepcopy(table.global_indexes)
    replica.indexes = copy.deepcopy(table.indexes)
    replica.ttl = copy.deepcopy(table.ttl)
    if getattr(table, "kit_on_demand_throughput", None):
        replica.kit_on_demand_throughput = copy.deepcopy(table.kit_on_demand_throughput)
    description = {"RegionName": region, "ReplicaStatus": "ACTIVE"}
    if sse:
        description["KMSMasterKeyId"] = replica.sse_specification["KMSMasterKeyId"]
    if action.get("TableClassOverride"):
        description["ReplicaTableClassSummary"] = {"TableClass": action["TableClassOverride"]}
    replicas[region] = description


def _update_replica(table, action: dict) -> None:
    """A replica's new KMS key (also the replica table's) or table class, stored."""
    from moto.dynamodb.exceptions import MockValidationException

    description = getattr(table, "kit_replicas", {}).get(action["RegionName"])
    if description is None:
        raise MockValidationException(_REPLICA_NOT_FOUND)
    if action.get("KMSMasterKeyId"):
        description["KMSMasterKeyId"] = action["KMSMasterKeyId"]
        replica = _replica_backend(table, action["RegionName"]).get_table(table.name)
        replica.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": action["KMSMasterKeyId"]}
    if action.get("TableClassOverride"):
        description["ReplicaTableClassSummary"] = {"TableClass": action["TableClassOverride"]}


def _delete_replica(table, region: str) -> None:
    """The replica region's table is deleted (refused, as any delete, while its
    deletion protection is on), then the record."""
    from moto.dynamodb.exceptions import MockValidationException

    replicas = getattr(table, "kit_replicas", {})
    if region not in replicas:
        raise MockValidationException(_REPLICA_NOT_FOUND)
    backend = _replica_backend(table, region)
    if table.name in backend.tables:
        backend.delete_table(table.name)
    del replicas[region]


def _describe_with_replicas(describe):
    def wrapper(self, base_key: str = "TableDescription") -> dict[str, Any]:
        result = describe(self, base_key)
        replicas = getattr(self, "kit_replicas", None)
        if replicas:
            result[base_key]["GlobalTableVersion"] = "2019.11.21"
            result[base_key]["Replicas"] = [copy.deepcopy(r) for r in replicas.values()]
        return result

    return wrapper


def _set_identity_pool_roles(self) -> str:
    pool_id = self._get_param("IdentityPoolId")
    mappings = self._get_param("RoleMappings")
    _IDENTITY_POOL_ROLES[pool_id] = {
        "IdentityPoolId": pool_id,
        "Roles": self._get_param("Roles") or {},
        **({"RoleMappings": mappings} if mappings else {}),
    }
    return ""


def _get_identity_pool_roles(self) -> str:
    pool_id = self._get_param("IdentityPoolId")
    return json.dumps(_IDENTITY_POOL_ROLES.get(pool_id, {"IdentityPoolId": pool_id, "Roles": {}}))


def _register_scalable_target_with_tags(register):
    def wrapper(self) -> str:
        response = register(self)
        arn = json.loads(response)["ScalableTargetARN"]
        if self._get_param("Tags"):
            _SCALING_TAGS.setdefault(arn, {}).update(self._get_param("Tags"))
        return response

    return wrapper


def _tag_scaling_resource(self) -> str:
    _SCALING_TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return "{}"


def _untag_scaling_resource(self) -> str:
    tags = _SCALING_TAGS.setdefault(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return "{}"


def _list_scaling_tags(self) -> str:
    return json.dumps({"Tags": _SCALING_TAGS.get(self._get_param("ResourceARN"), {})})


def _bucket_permission_without_conditions(get_permission):
    def wrapper(self, action: str, resource: str):
        if self.policy is None:
            return get_permission(self, action, resource)
        policy = json.loads(self.policy)
        statements = policy.get("Statement", [])
        statements = statements if isinstance(statements, list) else [statements]
        unconditional = [s for s in statements if "Condition" not in s]
        if len(unconditional) == len(statements):
            return get_permission(self, action, resource)
        from moto.iam.access_control import IAMPolicy, PermissionResult

        if not unconditional:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**policy, "Statement": unconditional})).is_action_permitted(action, resource)

    return wrapper


def apply_patches() -> None:
    """Patch moto's classes in this process (once; before its server starts)."""
    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
    from moto.cognitoidentity.responses import CognitoIdentityResponse
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.s3.models import FakeBucket

    if getattr(DynamoHandler, "kit_patched", False):
        return
    ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target_with_tags(
        ApplicationAutoScalingResponse.register_scalable_target
    )
    ApplicationAutoScalingResponse.tag_resource = _tag_scaling_resource
    ApplicationAutoScalingResponse.untag_resource = _untag_scaling_resource
    ApplicationAutoScalingResponse.list_tags_for_resource = _list_scaling_tags
    CognitoIdentityResponse.set_identity_pool_roles = _set_identity_pool_roles
    CognitoIdentityResponse.get_identity_pool_roles = _get_identity_pool_roles
    DynamoHandler.create_table = _store_on_demand_throughput(DynamoHandler.create_table)
    DynamoHandler.update_table = _apply_replica_updates(_store_on_demand_throughput(DynamoHandler.update_table))
    Table.describe = _describe_with_replicas(_describe_with_on_demand_throughput(Table.describe))
    DynamoDBBackend.update_table = _report_table_like_aws_after_update(DynamoDBBackend.update_table)
    DynamoDBBackend.restore_table_to_point_in_time = _restore_from_another_region(
        DynamoDBBackend.restore_table_to_point_in_time
    )
    DynamoHandler.restore_table_to_point_in_time = _restore_source_by_arn(_restored_table_keeps_billing_mode(
        DynamoHandler.restore_table_to_point_in_time
    ))
    FakeBucket.get_permission = _bucket_permission_without_conditions(FakeBucket.get_permission)
    DynamoHandler.kit_patched = True


def _one_request_at_a_time(call):
    """moto's backends are plain dicts and lists, not thread-safe; its server is
    threaded, and terraform sends requests in parallel. AWS serializes changes
    to a table; this serializes every request (each takes milliseconds)."""
    lock = threading.Lock()

    def wrapper(self, environ, start_response):
        with lock:
            return call(self, environ, start_response)

    return wrapper


def _replay_answered_retries(call):
    """Under load the emulator's development server can drop a connection after
    answering, and the AWS SDK then retries the call (same
    ``amz-sdk-invocation-id``): a retried create finds what its first attempt
    made and fails (``EntityAlreadyExists``, ``TableAlreadyExists``), where AWS
    would have delivered the first answer. A retry of a call already answered
    with success gets that answer again (the last 256 are kept); anything else
    goes to moto. Each replay is logged."""
    answered: OrderedDict[str, tuple[str, list, bytes]] = OrderedDict()

    def wrapper(self, environ, start_response):
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if invocation in answered:
            status, headers, body = answered[invocation]
            print(f"emulator: answered a retry of {invocation} as its first attempt was", file=sys.stderr, flush=True)
            start_response(status, headers)
            return [body]
        seen: dict[str, Any] = {}

        def keep(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answer = call(self, environ, keep)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        if invocation and seen.get("status", "").startswith("2"):
            answered[invocation] = (seen["status"], seen["headers"], body)
            if len(answered) > 256:
                answered.popitem(last=False)
        return [body]

    return wrapper


def die_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies, even by SIGKILL
    (also a ``preexec_fn`` for a child that cannot ask itself)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop_with_parent() -> None:
    """Stop when the emulator that started this process dies, so no server outlives it."""
    expected = os.environ.get(PARENT_PID_ENV)
    if not expected or not sys.platform.startswith("linux"):
        return
    die_with_parent()
    if os.getppid() != int(expected):  # the parent died before prctl took effect
        sys.exit(0)


def main(argv: Sequence[str]) -> None:
    """``moto_server``'s command line (``-H HOST -p PORT``), patched."""
    _stop_with_parent()
    # AWS-managed policies must exist to be attached (e.g. backup roles).
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    # Recordings (off unless started through /moto-api/recorder/) go to the temp folder.
    import tempfile

    os.environ.setdefault(
        "MOTO_RECORDER_FILEPATH", os.path.join(tempfile.gettempdir(), f"dynamodb-kit-emulator-{os.getpid()}.recording")
    )
    apply_patches()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.server import main as moto_server_main

    DomainDispatcherApplication.__call__ = _one_request_at_a_time(
        _replay_answered_retries(DomainDispatcherApplication.__call__))

    moto_server_main(list(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
