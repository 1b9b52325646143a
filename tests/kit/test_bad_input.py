"""The bad-input table: plausible mistakes a user writes against the documented
API, one row each, across every public props type and construct.

Each row builds what a user would write (inside a fresh stack) and must raise
the kit's ValidationError whose message names the field; nothing may be
accepted, and nothing may escape as a raw AttributeError, TypeError or jsii
error. The rows for DynamoDB's key rules and for AWS identifier shapes also
assert the exact message.
"""

from __future__ import annotations

import pytest

from dynamodb_kit import (
    AccessPattern,
    AccessPolicy,
    AccessPolicyProps,
    Attribute,
    Backup,
    BackupCopy,
    BackupProps,
    BackupRule,
    Billing,
    Capacity,
    EncryptionKey,
    EncryptionKeyProps,
    GlobalSecondaryIndex as GSI,
    IdentityPoolRole,
    IdentityPoolRoleProps,
    KeyMatch,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    LocalSecondaryIndex as LSI,
    PointInTimeRecovery,
    ProjectionType,
    RestoreSource,
    StreamViewType,
    Suppression,
    Table,
    TableEncryption,
    TableGrant,
    TableProps,
    TableRestore,
    TableSettings,
    TableShape,
    ValidationError,
    VaultLock,
)

PK, SK = Attribute("pk"), Attribute("sk")
VAULT_ARN = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def table(stack, **changes) -> Table:
    return Table(stack, "T", TableProps(**{"table_name": "Orders", "partition_key": PK, "sort_key": SK, **changes}))


def gsi(name="ByStatus", **kw) -> GSI:
    return GSI(name=name, partition_key=kw.pop("partition_key", Attribute("status")), **kw)


def grant(stack, **kw) -> TableGrant:
    t = table(stack, global_secondary_indexes=(gsi(),), stream=StreamViewType.KEYS_ONLY)
    return TableGrant(table=t, **{"patterns": (AccessPattern.GET_ITEM,), **kw})


def role(stack, grants=None, **kw) -> LambdaRole:
    return LambdaRole(stack, "Role", LambdaRoleProps(
        **{"function_name": "fn", "grants": grants if grants is not None else (grant(stack),), **kw}))


def backup(stack, **kw) -> Backup:
    return Backup(stack, "Backup", BackupProps(
        **{"vault_name": "vault", "rules": (BackupRule.daily(),), "tables": (table(stack),), **kw}))


def rule(**kw) -> BackupRule:
    return BackupRule(**{"name": "daily", "schedule": "cron(0 3 * * ? *)", "delete_after_days": 7, **kw})


SHAPE = TableShape(table_name="Orders", partition_key=PK, sort_key=SK,
                   global_secondary_indexes=(gsi(), gsi("ByDate", partition_key=Attribute("date"))))
SOURCE = RestoreSource.from_table_name("prod-Orders", point_in_time="latest")

# id -> (what the user writes, a field the message must name)
ROWS = {
    # --- Attribute
    "attribute name int": (lambda s: Attribute(5), "name"),
    "attribute name empty": (lambda s: Attribute(""), "name"),
    "attribute name 256 bytes": (lambda s: Attribute("é" * 128), "name"),
    "attribute type word": (lambda s: Attribute("pk", "STRING"), "type"),
    "attribute type lower": (lambda s: Attribute("pk", "s"), "type"),
    "attribute type python type": (lambda s: Attribute("pk", str), "type"),
    "attribute type None": (lambda s: Attribute("pk", None), "type"),
    # --- Capacity and Billing
    "capacity zero": (lambda s: Capacity.fixed(0), "units"),
    "capacity str": (lambda s: Capacity.fixed("5"), "units"),
    "capacity float": (lambda s: Capacity.fixed(2.5), "units"),
    "capacity bool": (lambda s: Capacity.fixed(True), "units"),
    "capacity above quota": (lambda s: Capacity.fixed(40_001), "units"),
    "provisioned int not Capacity": (lambda s: Billing.provisioned(read=5, write=5), "read"),
    "provisioned without write": (lambda s: Billing(mode="PROVISIONED", read=Capacity.fixed(5)), "write"),
    "on-demand with capacity": (lambda s: Billing(mode="PAY_PER_REQUEST", read=Capacity.fixed(5)), "read"),
    "on-demand ceiling zero": (lambda s: Billing.on_demand(max_read=0), "max_read"),
    "on-demand ceiling str": (lambda s: Billing.on_demand(max_write="100"), "max_write"),
    "provisioned with ceiling": (lambda s: Billing(mode="PROVISIONED", read=Capacity.fixed(1), write=Capacity.fixed(1),
                                                   max_read=5), "max_read"),
    "billing mode typo": (lambda s: Billing(mode="ON_DEMAND"), "mode"),
    "billing as string": (lambda s: table(s, billing="PAY_PER_REQUEST"), "billing"),
    # --- PointInTimeRecovery
    "pitr 0 days": (lambda s: PointInTimeRecovery(0), "days"),
    "pitr 36 days": (lambda s: PointInTimeRecovery(days=36), "days"),
    "pitr days str": (lambda s: PointInTimeRecovery(days="35"), "days"),
    "pitr None switches off": (lambda s: table(s, point_in_time_recovery=None), "point_in_time_recovery"),
    "pitr True": (lambda s: table(s, point_in_time_recovery=True), "point_in_time_recovery"),
    "pitr int days": (lambda s: table(s, point_in_time_recovery=7), "point_in_time_recovery"),
    # --- TableEncryption
    "key ARN with aws owned": (lambda s: TableEncryption(type="AWS_OWNED", key_arn=KEY_ARN), "key_arn"),
    "key ARN not an ARN": (lambda s: TableEncryption.customer_managed(key_arn="my-key"), "key_arn"),
    "key ARN of another service": (lambda s: TableEncryption.customer_managed(
        key_arn="arn:aws:s3:::bucket"), "key_arn"),
    "key ARN without region": (lambda s: TableEncryption.customer_managed(
        key_arn="arn:aws:kms::123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"), "key_arn"),
    "encryption as string": (lambda s: table(s, encryption="CUSTOMER_MANAGED"), "encryption"),
    "encryption type typo": (lambda s: TableEncryption(type="KMS"), "type"),
    # --- TableProps types
    "table name int": (lambda s: table(s, table_name=123), "table_name"),
    "table name None": (lambda s: table(s, table_name=None), "table_name"),
    "partition key as name": (lambda s: table(s, partition_key="pk"), "partition_key"),
    "partition key as dict": (lambda s: table(s, partition_key={"name": "pk"}), "partition_key"),
    "sort key tuple": (lambda s: table(s, sort_key=("sk", "S")), "sort_key"),
    "gsi not in a tuple": (lambda s: table(s, global_secondary_indexes=gsi()), "global_secondary_indexes"),
    "gsi as dict": (lambda s: table(s, global_secondary_indexes=({"name": "ByX"},)), "global_secondary_indexes"),
    "lsi not in a tuple": (lambda s: table(s, local_secondary_indexes=LSI(name="ByDate", sort_key=Attribute("d"))),
                           "local_secondary_indexes"),
    "deletion protection None": (lambda s: table(s, deletion_protection=None), "deletion_protection"),
    "deletion protection str": (lambda s: table(s, deletion_protection="false"), "deletion_protection"),
    "deletion protection 0": (lambda s: table(s, deletion_protection=0), "deletion_protection"),
    "prevent destroy None": (lambda s: table(s, prevent_destroy=None), "prevent_destroy"),
    "stream True": (lambda s: table(s, stream=True), "stream"),
    "stream typo": (lambda s: table(s, stream="NEW_AND_OLD"), "stream"),
    "table class typo": (lambda s: table(s, table_class="INFREQUENT_ACCESS"), "table_class"),
    "tags list": (lambda s: table(s, tags=["Team"]), "tags"),
    "tags int value": (lambda s: table(s, tags={"Cost": 5}), "tags"),
    "tags int key": (lambda s: table(s, tags={5: "x"}), "tags"),
    "ttl int": (lambda s: table(s, time_to_live_attribute=1), "time_to_live_attribute"),
    "restore as name": (lambda s: table(s, restore="prod-Orders"), "restore"),
    "approval too short": (lambda s: table(s, destruction_approved="ok"), "destruction_approved"),
    "approval True": (lambda s: table(s, destruction_approved=True), "destruction_approved"),
    "props as dict": (lambda s: Table(s, "T", {"table_name": "Orders"}), "props"),
    # --- names and DynamoDB's key rules (construct)
    "table name short": (lambda s: table(s, table_name="ab"), "table_name"),
    "table name space": (lambda s: table(s, table_name="my orders"), "table_name"),
    "table name slash": (lambda s: table(s, table_name="prod/Orders"), "table_name"),
    "sort key is partition key": (lambda s: table(s, sort_key=Attribute("pk")), "sort_key"),
    "gsi sort key is its partition key": (lambda s: table(s, global_secondary_indexes=(
        gsi(sort_key=Attribute("status")),)), "gsi[0].sort_key"),
    "lsi sort key is the partition key": (lambda s: table(s, local_secondary_indexes=(
        LSI(name="ByPk", sort_key=Attribute("pk")),)), "lsi[0].sort_key"),
    "key with two types": (lambda s: table(s, global_secondary_indexes=(gsi(partition_key=Attribute("sk", "N")),)),
                           "gsi[0].partition_key.type"),
    "index name short": (lambda s: table(s, global_secondary_indexes=(gsi("ix"),)), "gsi[0].name"),
    "index name space": (lambda s: table(s, global_secondary_indexes=(gsi("by status"),)), "gsi[0].name"),
    "index names twice": (lambda s: table(s, global_secondary_indexes=(gsi("Dup"),),
                                          local_secondary_indexes=(LSI(name="Dup", sort_key=Attribute("d")),)),
                          "lsi[0].name"),
    "21 GSIs": (lambda s: table(s, global_secondary_indexes=tuple(gsi(f"Index{i}") for i in range(21))),
                "global_secondary_indexes"),
    "6 LSIs": (lambda s: table(s, local_secondary_indexes=tuple(
        LSI(name=f"Index{i}", sort_key=Attribute(f"d{i}")) for i in range(6))), "local_secondary_indexes"),
    "LSI without sort key": (lambda s: table(s, sort_key=None, local_secondary_indexes=(
        LSI(name="ByDate", sort_key=Attribute("d")),)), "local_secondary_indexes"),
    "INCLUDE without attributes": (lambda s: table(s, global_secondary_indexes=(
        gsi(projection=ProjectionType.INCLUDE),)), "gsi[0].non_key_attributes"),
    "non-key with ALL": (lambda s: table(s, global_secondary_indexes=(gsi(non_key_attributes=("total",)),)),
                         "gsi[0].non_key_attributes"),
    "non-key as bare str": (lambda s: gsi(projection="INCLUDE", non_key_attributes="Role"), "non_key_attributes"),
    "non-key twice": (lambda s: table(s, global_secondary_indexes=(
        gsi(projection="INCLUDE", non_key_attributes=("a", "a")),)), "gsi[0].non_key_attributes[1]"),
    "non-key name too long": (lambda s: table(s, global_secondary_indexes=(
        gsi(projection="INCLUDE", non_key_attributes=("x" * 256,)),)), "gsi[0].non_key_attributes[0]"),
    "non-key empty name": (lambda s: table(s, local_secondary_indexes=(
        LSI(name="ByD", sort_key=Attribute("d"), projection="INCLUDE", non_key_attributes=("",)),)),
        "lsi[0].non_key_attributes[0]"),
    "projection typo": (lambda s: gsi(projection="SOME"), "projection"),
    "101 projected": (lambda s: table(s, global_secondary_indexes=tuple(
        gsi(f"Index{i}", projection="INCLUDE", non_key_attributes=tuple(f"a{i}_{j}" for j in range(51)))
        for i in range(2))), "non_key_attributes"),
    "gsi provisioned on on-demand table": (lambda s: table(s, global_secondary_indexes=(
        gsi(billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5))),)), "gsi[0].billing.mode"),
    "gsi on-demand on provisioned table": (lambda s: table(
        s, billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
        global_secondary_indexes=(gsi(billing=Billing.on_demand(max_read=5)),)), "gsi[0].billing.mode"),
    "ttl empty": (lambda s: table(s, time_to_live_attribute=""), "time_to_live_attribute"),
    "ttl is partition key": (lambda s: table(s, time_to_live_attribute="pk"), "time_to_live_attribute"),
    "ttl is sort key": (lambda s: table(s, time_to_live_attribute="sk"), "time_to_live_attribute"),
    "ttl is a string index key": (lambda s: table(s, time_to_live_attribute="status",
                                                  global_secondary_indexes=(gsi(),)), "time_to_live_attribute"),
    "ttl name too long": (lambda s: table(s, time_to_live_attribute="t" * 256), "time_to_live_attribute"),
    "restore onto itself": (lambda s: table(s, restore=RestoreSource.from_table_name(
        "Orders", point_in_time="latest")), "restore.table_name"),
    # --- RestoreSource
    "restore no source": (lambda s: RestoreSource(point_in_time="latest"), "table_name"),
    "restore two sources": (lambda s: RestoreSource(point_in_time="latest", table_name="a-table",
                                                    table_arn="arn:aws:dynamodb:us-east-1:123456789012:table/a"),
                            "table_name"),
    "restore arn not an arn": (lambda s: RestoreSource.from_table_arn("prod-Orders", point_in_time="latest"),
                               "table_arn"),
    "restore arn of a stream": (lambda s: RestoreSource.from_table_arn(
        "arn:aws:dynamodb:us-east-1:123456789012:table/a/stream/2026", point_in_time="latest"), "table_arn"),
    "restore time not UTC": (lambda s: RestoreSource.from_table_name("t-1", point_in_time="2026-11-27 03:00"),
                             "point_in_time"),
    "restore time offset": (lambda s: RestoreSource.from_table_name(
        "t-1", point_in_time="2026-11-27T03:00:00+01:00"), "point_in_time"),
    "restore impossible date": (lambda s: RestoreSource.from_table_name(
        "t-1", point_in_time="2026-02-30T03:00:00Z"), "point_in_time"),
    "restore hour 25": (lambda s: RestoreSource.from_table_name("t-1", point_in_time="2026-11-27T25:00:00Z"),
                        "point_in_time"),
    "restore latest True": (lambda s: RestoreSource(table_name="t-1", point_in_time=True), "point_in_time"),
    "restore time None": (lambda s: RestoreSource(table_name="t-1", point_in_time=None), "point_in_time"),
    # --- TableShape, TableSettings, TableRestore
    "shape gsi with billing": (lambda s: TableShape(table_name="Orders", partition_key=PK, global_secondary_indexes=(
        gsi(billing=Billing.on_demand()),)), "global_secondary_indexes[0].billing"),
    "settings index billing unknown": (lambda s: SHAPE.props(TableSettings(index_billing={
        "ByNothing": Billing.on_demand()})), "index_billing"),
    "settings index billing list": (lambda s: TableSettings(index_billing=[Billing.on_demand()]), "index_billing"),
    "settings prefix None": (lambda s: TableSettings(name_prefix=None), "name_prefix"),
    "settings pitr None": (lambda s: TableSettings(point_in_time_recovery=None), "point_in_time_recovery"),
    "restore drops unknown gsi": (lambda s: TableRestore(construct_id="R", shape=SHAPE, table_name="Orders-r",
                                                        source=SOURCE, drop_global_secondary_indexes=("ByX",)),
                                  "drop_global_secondary_indexes[0]"),
    "restore bills a dropped gsi": (lambda s: TableRestore(
        construct_id="R", shape=SHAPE, table_name="Orders-r", source=SOURCE, drop_global_secondary_indexes=(
            "ByDate",), index_billing={"ByDate": Billing.on_demand()}), "index_billing"),
    "restore drop as bare str": (lambda s: TableRestore(construct_id="R", shape=SHAPE, table_name="Orders-r",
                                                       source=SOURCE, drop_global_secondary_indexes="ByDate"),
                                 "drop_global_secondary_indexes"),
    "restore gsi billing mode differs": (lambda s: Table(s, "R", TableRestore(
        construct_id="R", shape=SHAPE, table_name="Orders-r", source=SOURCE,
        billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(5)),
        index_billing={"ByDate": Billing.on_demand()}).props(TableSettings())), "gsi[1].billing.mode"),
    # --- LeadingKeys: access can only narrow
    "leading keys bare str": (lambda s: LeadingKeys("EU#*", KeyMatch.PREFIX), "values"),
    "leading keys empty": (lambda s: LeadingKeys(()), "values"),
    "leading keys lone star": (lambda s: LeadingKeys(("*",), KeyMatch.PREFIX), "values[0]"),
    "leading keys star question": (lambda s: LeadingKeys(("?*",), KeyMatch.PREFIX), "values[0]"),
    "leading keys inner star": (lambda s: LeadingKeys(("E*U*",), KeyMatch.PREFIX), "values[0]"),
    "leading keys prefix without star": (lambda s: LeadingKeys(("EU#",), KeyMatch.PREFIX), "values[0]"),
    "leading keys star with exact": (lambda s: LeadingKeys(("EU#*",)), "values[0]"),
    "leading keys empty value": (lambda s: LeadingKeys(("",)), "values[0]"),
    "leading keys pre-escaped variable": (lambda s: LeadingKeys(("$${aws:username}",)), "values[0]"),
    "leading keys template directive": (lambda s: LeadingKeys(("%{if x}",)), "values[0]"),
    "leading keys match word": (lambda s: LeadingKeys(("EU#*",), "PREFIX"), "match"),
    "leading keys match bool": (lambda s: LeadingKeys(("EU#*",), True), "match"),
    "leading keys values int": (lambda s: LeadingKeys((5,)), "values[0]"),
    # --- TableGrant
    "grant table name": (lambda s: TableGrant(table="Orders", patterns=("GetItem",)), "table"),
    "grant pattern bare str": (lambda s: TableGrant(table=table(s), patterns="GetItem"), "patterns"),
    "grant pattern action name": (lambda s: TableGrant(table=table(s), patterns=("dynamodb:GetItem",)),
                                  "patterns[0]"),
    "grant pattern typo": (lambda s: TableGrant(table=table(s), patterns=("Read",)), "patterns[0]"),
    "grant attributes bare str": (lambda s: TableGrant(table=table(s), patterns=("GetItem",), attributes="Role"),
                                  "attributes"),
    "grant attributes empty": (lambda s: TableGrant(table=table(s), patterns=("GetItem",), attributes=()),
                               "attributes"),
    "grant attribute wildcard": (lambda s: TableGrant(table=table(s), patterns=("GetItem",), attributes=("*",)),
                                 "attributes[0]"),
    "grant query index bare str": (lambda s: TableGrant(table=table(s), query_indexes="ByStatus"),
                                   "query_indexes"),
    "grant leading keys tuple": (lambda s: TableGrant(table=table(s), patterns=("GetItem",),
                                                      leading_keys=("EU#*",)), "leading_keys"),
    "grant nothing": (lambda s: role(s, grants=(TableGrant(table=table(s)),)), "grants[0].patterns"),
    "grant unknown index": (lambda s: role(s, grants=(grant(s, query_indexes=("ByNothing",)),)),
                            "grants[0].query_indexes"),
    "grant stream without stream": (lambda s: role(s, grants=(TableGrant(table=table(s), patterns=("ReadStream",)),)),
                                    "grants[0].patterns"),
    "grant leading keys on scan": (lambda s: role(s, grants=(grant(s, patterns=("Scan",),
                                                                   leading_keys=LeadingKeys(("u",))),)),
                                   "grants[0].leading_keys"),
    "grant leading keys on index": (lambda s: role(s, grants=(grant(s, query_indexes=("ByStatus",),
                                                                    leading_keys=LeadingKeys(("u",))),)),
                                    "grants[0].leading_keys"),
    "grant attributes on stream": (lambda s: role(s, grants=(grant(s, patterns=("ReadStream",),
                                                                   attributes=("a",)),)), "grants[0].attributes"),
    "two grants of one kind": (lambda s: role(s, grants=(grant(s),) * 2), "grants"),
    "index arn of unknown index": (lambda s: table(s).index_arn("ByNothing"), "index_name"),
    "stream arn without stream": (lambda s: table(s).stream_arn, "stream"),
    # --- LambdaRoleProps
    "function name 60 chars": (lambda s: LambdaRoleProps(function_name="f" * 60), "function_name"),
    "function name space": (lambda s: LambdaRoleProps(function_name="my fn"), "function_name"),
    "function name empty": (lambda s: LambdaRoleProps(function_name=""), "function_name"),
    "log retention 2": (lambda s: LambdaRoleProps(function_name="fn", log_retention_days=2), "log_retention_days"),
    "log retention str": (lambda s: LambdaRoleProps(function_name="fn", log_retention_days="30"),
                          "log_retention_days"),
    "log key not an ARN": (lambda s: LambdaRoleProps(function_name="fn", log_encryption_key_arn="alias/x"),
                           "log_encryption_key_arn"),
    "dlq a queue URL": (lambda s: LambdaRoleProps(
        function_name="fn", dead_letter_queue_arn="https://sqs.us-east-1.amazonaws.com/123456789012/dlq"),
        "dead_letter_queue_arn"),
    "dlq a queue name": (lambda s: LambdaRoleProps(function_name="fn", dead_letter_queue_arn="dlq"),
                         "dead_letter_queue_arn"),
    "dlq a topic in the queue field": (lambda s: LambdaRoleProps(
        function_name="fn", dead_letter_queue_arn="arn:aws:sns:us-east-1:123456789012:t"), "dead_letter_queue_arn"),
    "dlq topic a queue": (lambda s: LambdaRoleProps(
        function_name="fn", dead_letter_topic_arn="arn:aws:sqs:us-east-1:123456789012:q"), "dead_letter_topic_arn"),
    "table key an alias": (lambda s: TableEncryption.customer_managed(
        key_arn="arn:aws:kms:us-east-1:123456789012:alias/orders"), "key_arn"),
    "boundary a role ARN": (lambda s: LambdaRoleProps(
        function_name="fn", permissions_boundary_arn="arn:aws:iam::123456789012:role/x"),
        "permissions_boundary_arn"),
    "role grants a single grant": (lambda s: LambdaRoleProps(function_name="fn", grants=grant(s)), "grants"),
    "role props as dict": (lambda s: LambdaRole(s, "R", {"function_name": "fn"}), "props"),
    # --- IdentityPoolRoleProps, AccessPolicyProps
    "pool role name space": (lambda s: IdentityPoolRoleProps(role_name="app users", identity_pool_id="us-east-1:1a2b",
                                                             grants=(grant(s),)), "role_name"),
    "pool role name 65": (lambda s: IdentityPoolRoleProps(role_name="r" * 65, identity_pool_id="us-east-1:1a2b",
                                                          grants=(grant(s),)), "role_name"),
    "pool id a name": (lambda s: IdentityPoolRoleProps(role_name="users", identity_pool_id="app_users",
                                                       grants=(grant(s),)), "identity_pool_id"),
    "pool no grants": (lambda s: IdentityPoolRoleProps(role_name="users", identity_pool_id="us-east-1:1a2b",
                                                       grants=()), "grants"),
    "access policy role with space": (lambda s: AccessPolicyProps(role_name="my role", grants=(grant(s),)),
                                      "role_name"),
    "access policy no grants": (lambda s: AccessPolicyProps(role_name="app", grants=()), "grants"),
    "access policy name with space": (lambda s: AccessPolicyProps(role_name="app", grants=(grant(s),),
                                                                  policy_name="my policy"), "policy_name"),
    "access policy role an IamRole-like object": (lambda s: AccessPolicyProps(role_name=object(),
                                                                              grants=(grant(s),)), "role_name"),
    # --- EncryptionKeyProps
    "key window 6": (lambda s: EncryptionKeyProps(deletion_window_days=6), "deletion_window_days"),
    "key window 31": (lambda s: EncryptionKeyProps(deletion_window_days=31), "deletion_window_days"),
    "key window str": (lambda s: EncryptionKeyProps(deletion_window_days="30"), "deletion_window_days"),
    "key alias with prefix": (lambda s: EncryptionKeyProps(alias="alias/data"), "alias"),
    "key alias aws namespace": (lambda s: EncryptionKeyProps(alias="aws/dynamodb"), "alias"),
    "key alias space": (lambda s: EncryptionKeyProps(alias="my key"), "alias"),
    "key props as dict": (lambda s: EncryptionKey(s, "K", {"alias": "x"}), "props"),
    # --- BackupRule, BackupCopy, VaultLock, BackupProps
    "rule name space": (lambda s: backup(s, rules=(rule(name="daily backup"),)), "rules[0].name"),
    "rule cron day name": (lambda s: backup(s, rules=(rule(schedule="cron(0 3 ? * MONDAY *)"),)),
                           "rules[0].schedule"),
    "rule cron month name": (lambda s: backup(s, rules=(rule(schedule="cron(0 3 1 JANUARY ? *)"),)),
                             "rules[0].schedule"),
    "rule cron five fields": (lambda s: backup(s, rules=(rule(schedule="cron(0 3 * * *)"),)), "rules[0].schedule"),
    "rule cron unix": (lambda s: backup(s, rules=(rule(schedule="0 3 * * *"),)), "rules[0].schedule"),
    "rule cron hour 24": (lambda s: backup(s, rules=(rule(schedule="cron(0 24 * * ? *)"),)), "rules[0].schedule"),
    "rule cron two ?": (lambda s: backup(s, rules=(rule(schedule="cron(0 3 ? * ? *)"),)), "rules[0].schedule"),
    "rule cron ? in hours": (lambda s: backup(s, rules=(rule(schedule="cron(0 ? * * ? *)"),)), "rules[0].schedule"),
    "rule cron lower case": (lambda s: backup(s, rules=(rule(schedule="cron(0 3 ? * mon *)"),)),
                             "rules[0].schedule"),
    "rule timezone": (lambda s: backup(s, rules=(rule(timezone="CET+1"),)), "rules[0].timezone"),
    "rule start window 30": (lambda s: backup(s, rules=(rule(start_window_minutes=30),)),
                             "rules[0].start_window_minutes"),
    "rule completion before start": (lambda s: backup(s, rules=(rule(completion_window_minutes=60),)),
                                     "rules[0].completion_window_minutes"),
    "rule retention 0": (lambda s: backup(s, rules=(rule(delete_after_days=0),)), "rules[0].delete_after_days"),
    "rule cold then delete soon": (lambda s: backup(s, rules=(rule(cold_storage_after_days=30,
                                                                   delete_after_days=60),)),
                                   "rules[0].delete_after_days"),
    "rule cold 0": (lambda s: backup(s, rules=(rule(cold_storage_after_days=0, delete_after_days=100),)),
                    "rules[0].cold_storage_after_days"),
    "rule retention str": (lambda s: rule(delete_after_days="7"), "delete_after_days"),
    "rule copies single": (lambda s: rule(copies=BackupCopy(destination_vault_arn=VAULT_ARN)), "copies"),
    "copy vault name not ARN": (lambda s: backup(s, rules=(rule(copies=(BackupCopy(destination_vault_arn="dr"),)),)),
                                "rules[0].copies[0].destination_vault_arn"),
    "copy to itself": (lambda s: backup(s, vault_name="dr", region="us-west-2", rules=(rule(copies=(
        BackupCopy(destination_vault_arn=VAULT_ARN),)),)), "rules[0].copies[0].destination_vault_arn"),
    "rules empty": (lambda s: backup(s, rules=()), "rules"),
    "rules bare rule": (lambda s: BackupProps(vault_name="vault", rules=BackupRule.daily()), "rules"),
    "rules twice": (lambda s: backup(s, rules=(rule(), rule())), "rules[1].name"),
    "nothing selected": (lambda s: backup(s, tables=()), "tables"),
    "tables by name": (lambda s: BackupProps(vault_name="vault", rules=(rule(),), tables=("Orders",)), "tables[0]"),
    "vault name long": (lambda s: backup(s, vault_name="v" * 51), "vault_name"),
    "vault name space": (lambda s: backup(s, vault_name="my vault"), "vault_name"),
    "vault key not ARN": (lambda s: backup(s, encryption_key_arn="my-key"), "encryption_key_arn"),
    "region typo": (lambda s: backup(s, region="useast1"), "region"),
    "lock mode typo": (lambda s: VaultLock(mode="STRICT", min_retention_days=1, max_retention_days=2), "mode"),
    "lock min above max": (lambda s: backup(s, vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=40,
                                                                    max_retention_days=35)),
                           "vault_lock.min_retention_days"),
    "compliance lock without grace": (lambda s: backup(s, vault_lock=VaultLock(
        mode="COMPLIANCE", min_retention_days=1, max_retention_days=40)), "vault_lock.changeable_for_days"),
    "governance lock with grace": (lambda s: backup(s, vault_lock=VaultLock(
        mode="GOVERNANCE", min_retention_days=1, max_retention_days=40, changeable_for_days=3)),
        "vault_lock.changeable_for_days"),
    "rule outside lock": (lambda s: backup(s, vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=40,
                                                                   max_retention_days=50)),
                          "rules[0].delete_after_days"),
    "backup props as dict": (lambda s: Backup(s, "B", {"vault_name": "v"}), "props"),
    # --- Suppression
    "suppression without reason": (lambda s: Suppression("DynamoDBPITREnabled", ""), "reason"),
    "suppression reason None": (lambda s: Suppression("DynamoDBPITREnabled", None), "reason"),
}


def test_the_table_has_at_least_120_rows_across_every_public_props_type():
    assert len(ROWS) >= 120


@pytest.mark.parametrize("build, field", ROWS.values(), ids=ROWS.keys())
def test_bad_input_is_a_validation_error_naming_the_field(stack, build, field):
    with pytest.raises(ValidationError) as raised:
        build(stack)
    assert raised.value.field.startswith(field), str(raised.value)
    assert f"{raised.value.field}=" in str(raised.value) and "; " in str(raised.value)


# DynamoDB's rules, AWS identifier shapes and the LeadingKeys hole: exact messages.
EXACT = {
    "sort key is partition key": (
        lambda s: table(s, sort_key=Attribute("pk")),
        "test/T: sort_key.name='pk' is also the partition key of the table; a key schema needs two "
        "different attributes; choose another sort key attribute, or leave the sort key out",
    ),
    "gsi sort key is its partition key": (
        lambda s: table(s, global_secondary_indexes=(gsi(sort_key=Attribute("status")),)),
        "test/T: gsi[0].sort_key.name='status' is also the partition key of index ByStatus; a key schema "
        "needs two different attributes; choose another sort key attribute, or leave the sort key out",
    ),
    "lsi sort key is the partition key": (
        lambda s: table(s, local_secondary_indexes=(LSI(name="ByPk", sort_key=Attribute("pk")),)),
        "test/T: lsi[0].sort_key.name='pk' is also the partition key of local index ByPk (whose partition "
        "key is the table's); a key schema needs two different attributes; choose another sort key "
        "attribute, or leave the sort key out",
    ),
    "attribute name 256 bytes": (
        lambda s: Attribute("é" * 128),
        f"Attribute: name='{'é' * 128}' is 256 bytes long; key and projected attribute names must be "
        "1-255 bytes (UTF-8); use a shorter attribute name",
    ),
    "index name too long": (
        lambda s: table(s, global_secondary_indexes=(gsi("i" * 256),)),
        f"test/T: gsi[0].name='{'i' * 256}' must be 3-255 characters long; choose a name of that length",
    ),
    "ttl empty": (
        lambda s: table(s, time_to_live_attribute=""),
        "test/T: time_to_live_attribute='' is 0 bytes long; key and projected attribute names must be "
        "1-255 bytes (UTF-8); use a shorter attribute name",
    ),
    "ttl is a string index key": (
        lambda s: table(s, time_to_live_attribute="status", global_secondary_indexes=(gsi(),)),
        "test/T: time_to_live_attribute='status' is an index key of type S; TTL reads only Number "
        "(epoch seconds); make that index key type N, or store the expiry in another attribute",
    ),
    "kms key ARN": (
        lambda s: TableEncryption.customer_managed(key_arn="my-key"),
        "TableEncryption: key_arn='my-key' is not a KMS key ARN; give the full ARN, e.g. "
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, or a Terraform reference",
    ),
    "impossible restore date": (
        lambda s: RestoreSource.from_table_name("t-1", point_in_time="2026-02-30T03:00:00Z"),
        "RestoreSource: point_in_time='2026-02-30T03:00:00Z' is not a real instant (day is out of range "
        "for month); write a real UTC instant such as 2026-11-27T03:00:00Z",
    ),
    "role name with spaces": (
        lambda s: IdentityPoolRoleProps(role_name="app users", identity_pool_id="us-east-1:1a2b", grants=(grant(s),)),
        "IdentityPoolRoleProps: role_name='app users' must be 1-64 characters of letters, digits and "
        "+=,.@_- (an IAM role name); choose a shorter name without spaces or other characters",
    ),
    "role from a 64-character function name": (
        lambda s: LambdaRoleProps(function_name="f" * 64),
        f"LambdaRoleProps: function_name='{'f' * 64}' must be 1-59 characters of letters, digits, '_' and "
        "'-' (the role is named <function>-role, at most 64 characters); choose such a name",
    ),
    "dead-letter queue": (
        lambda s: LambdaRoleProps(function_name="fn", dead_letter_queue_arn="dlq"),
        "LambdaRoleProps: dead_letter_queue_arn='dlq' is not an SQS queue ARN; give the "
        "full ARN, e.g. arn:aws:sqs:us-east-1:123456789012:my-dlq, or a Terraform reference",
    ),
    "kms alias ARN for a table key": (
        lambda s: TableEncryption.customer_managed(key_arn="arn:aws:kms:us-east-1:123456789012:alias/orders"),
        "TableEncryption: key_arn='arn:aws:kms:us-east-1:123456789012:alias/orders' is not a KMS key ARN; "
        "give the full ARN, e.g. arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, "
        "or a Terraform reference",
    ),
    "cron day name": (
        lambda s: backup(s, rules=(rule(schedule="cron(0 3 ? * MONDAY *)"),)),
        "test/Backup: rules[0].schedule='cron(0 3 ? * MONDAY *)' has 'MONDAY' in the day-of-week field, "
        "which takes SUN-SAT or 1-7; use cron(MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK YEAR), e.g. "
        "cron(0 3 * * ? *)",
    ),
    "backup rule name with a space": (
        lambda s: backup(s, rules=(rule(name="daily backup"),)),
        "test/Backup: rules[0].name='daily backup' must be 1-50 characters of letters, digits, '_', '-' "
        "and '.'; choose such a name (no spaces)",
    ),
    "leading keys bare str": (
        lambda s: LeadingKeys("EU#*", KeyMatch.PREFIX),
        "LeadingKeys: values='EU#*' must be a tuple of str, not str; wrap it in a tuple, e.g. (x,): a "
        "bare string is not a list of one",
    ),
    "leading keys lone star": (
        lambda s: LeadingKeys(("*",), KeyMatch.PREFIX),
        "LeadingKeys: values[0]='*' is not a prefix: PREFIX takes a non-empty prefix followed by one * "
        "(a lone * or another wildcard would match every key); write it as 'EU#*'; to allow every item, "
        "leave leading_keys out",
    ),
    "leading keys empty": (
        lambda s: LeadingKeys(()),
        "LeadingKeys: values=() is empty: it would match no item; name the keys (or prefixes) the caller "
        "may touch; leave leading_keys out only if the caller may touch every item",
    ),
    "attributes empty": (
        lambda s: TableGrant(table=table(s), patterns=("GetItem",), attributes=()),
        "TableGrant: attributes=() is empty: it would allow no attribute; list the attributes the caller "
        "may read or write, or leave attributes out for every attribute",
    ),
}


@pytest.mark.parametrize("build, message", EXACT.values(), ids=EXACT.keys())
def test_rule_message_is_exact(stack, build, message):
    with pytest.raises(ValidationError) as raised:
        build(stack)
    assert str(raised.value) == message
