#!/usr/bin/env python
"""TEST SUPPORT ONLY: moto_server with in-memory patches that echo settings.

moto 5.2.5 accepts these DynamoDB settings but does not hand them back the way
AWS does, so every terraform re-plan shows a change that was in fact applied.
The patches only store what a request carried and return it; they decide no
behaviour under test (no IAM evaluation, no item data):

- ``OnDemandThroughput`` of CreateTable/UpdateTable is stored and returned by
  DescribeTable (moto drops it);
- after UpdateTable to ``PAY_PER_REQUEST``, the table's and its indexes'
  ``ProvisionedThroughput`` read as 0/0, as AWS reports them (moto keeps the old
  capacities, which makes the provider refuse the next plan);
- after UpdateTable, ``AttributeDefinitions`` list only attributes that some key
  still uses, as AWS reports them (moto keeps a deleted GSI's key attribute);
- a table restored to a point in time reports a billing mode: the request's
  ``BillingModeOverride``, else the source's (moto reports none);
- Cognito ``SetIdentityPoolRoles`` / ``GetIdentityPoolRoles`` store and return
  a pool's roles (moto does not implement them).

Run like moto_server: ``python tests/support/patched_moto_server.py -H 127.0.0.1 -p 5000``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from moto.cognitoidentity.responses import CognitoIdentityResponse
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
from moto.server import main as moto_server_main

_ZERO = {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}


def _store_on_demand_throughput(handler_method):
    def wrapper(self: DynamoHandler, *args: Any, **kwargs: Any):
        response = handler_method(self, *args, **kwargs)
        body = self.body
        if "OnDemandThroughput" in body:
            table = self.dynamodb_backend.get_table(body["TableName"])
            table.kit_on_demand_throughput = body["OnDemandThroughput"]
        return response

    return wrapper


def _describe_with_on_demand_throughput(describe):
    def wrapper(self: Table, base_key: str = "TableDescription") -> dict[str, Any]:
        result = describe(self, base_key)
        stored = getattr(self, "kit_on_demand_throughput", None)
        if stored:
            result[base_key]["OnDemandThroughput"] = stored
        return result

    return wrapper


def _report_table_like_aws_after_update(update_table):
    def wrapper(self: DynamoDBBackend, name: str, *args: Any, **kwargs: Any) -> Table:
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
    def wrapper(self: DynamoHandler, *args: Any, **kwargs: Any):
        response = handler_method(self, *args, **kwargs)
        body = self.body
        source = self.dynamodb_backend.get_table(body["SourceTableName"])
        target = self.dynamodb_backend.get_table(body["TargetTableName"])
        target.billing_mode = body.get("BillingModeOverride") or source.billing_mode
        return response

    return wrapper


_IDENTITY_POOL_ROLES: dict[str, dict] = {}


def _set_identity_pool_roles(self: CognitoIdentityResponse) -> str:
    pool_id = self._get_param("IdentityPoolId")
    _IDENTITY_POOL_ROLES[pool_id] = {
        "IdentityPoolId": pool_id,
        "Roles": self._get_param("Roles") or {},
        **({"RoleMappings": self._get_param("RoleMappings")} if self._get_param("RoleMappings") else {}),
    }
    return ""


def _get_identity_pool_roles(self: CognitoIdentityResponse) -> str:
    pool_id = self._get_param("IdentityPoolId")
    return json.dumps(_IDENTITY_POOL_ROLES.get(pool_id, {"IdentityPoolId": pool_id, "Roles": {}}))


def apply_patches() -> None:
    CognitoIdentityResponse.set_identity_pool_roles = _set_identity_pool_roles
    CognitoIdentityResponse.get_identity_pool_roles = _get_identity_pool_roles
    DynamoHandler.create_table = _store_on_demand_throughput(DynamoHandler.create_table)
    DynamoHandler.update_table = _store_on_demand_throughput(DynamoHandler.update_table)
    Table.describe = _describe_with_on_demand_throughput(Table.describe)
    DynamoDBBackend.update_table = _report_table_like_aws_after_update(DynamoDBBackend.update_table)
    DynamoHandler.restore_table_to_point_in_time = _restored_table_keeps_billing_mode(
        DynamoHandler.restore_table_to_point_in_time
    )


if __name__ == "__main__":
    apply_patches()
    moto_server_main(sys.argv[1:])
