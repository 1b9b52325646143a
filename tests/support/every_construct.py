"""TEST SUPPORT: every construct of the kit with every feature on, as a user
would write them, in one stack: built by the bindings oracle
(tests/kit/test_bindings_oracle.py) and the construct-path checks
(tests/kit/test_construct_paths.py)."""

from __future__ import annotations

from cdktf import TerraformStack

from dynamodb_kit import (
    AccessPattern,
    AlarmActions,
    Alarms,
    AlarmsProps,
    AlarmThresholds,
    ContributorInsights,
    Replica,
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
    GlobalSecondaryIndex,
    IdentityPoolRole,
    IdentityPoolRoleProps,
    KeyMatch,
    LambdaRole,
    LambdaRoleProps,
    LeadingKeys,
    LocalSecondaryIndex,
    PointInTimeRecovery,
    ProjectionType,
    RestoreSource,
    ScheduledCapacity,
    StreamViewType,
    Table,
    TableClass,
    TableEncryption,
    TableGrant,
    TableProps,
    VaultLock,
    WarmThroughput,
    add_aws_provider,
    DeployRole,
    DeployRoleProps,
    GitHubOidcProvider,
    GitHubOidcProviderProps,
    GitHubRepository,
    StateAccess,
    StateBucket,
    StateBucketProps,
    deploy_permissions,
)


def every_construct(stack: TerraformStack) -> None:
    """Each construct with each feature on, as a user would write them."""
    add_aws_provider(stack, region="eu-west-1", default_tags={"Team": "data"}, emulator=True)
    key = EncryptionKey(stack, "Key", EncryptionKeyProps(alias="data", deletion_window_days=7,
                                                         prevent_destroy=True, allow_cloudwatch_logs=True,
                                                         tags={"K": "v"}))
    orders = Table(stack, "Orders", TableProps(
        table_name="Orders", partition_key=Attribute("pk"), sort_key=Attribute("sk", "N"),
        global_secondary_indexes=(
            GlobalSecondaryIndex(name="ByStatus", partition_key=Attribute("status"), sort_key=Attribute("date"),
                                 projection=ProjectionType.INCLUDE, non_key_attributes=("total",),
                                 billing=Billing.provisioned(read=Capacity.fixed(3), write=Capacity.fixed(4))),
            GlobalSecondaryIndex(name="ByOwner", partition_key=Attribute("owner", "B"),
                                 projection=ProjectionType.KEYS_ONLY),
        ),
        local_secondary_indexes=(LocalSecondaryIndex(name="ByDate", sort_key=Attribute("date")),),
        billing=Billing.provisioned(read=Capacity.fixed(5), write=Capacity.fixed(6)),
        time_to_live_attribute="expires", stream=StreamViewType.NEW_AND_OLD_IMAGES,
        encryption=TableEncryption.customer_managed(key_arn=key.key_arn), table_class=TableClass.STANDARD_INFREQUENT_ACCESS,
        point_in_time_recovery=PointInTimeRecovery(days=14), prevent_destroy=True, tags={"T": "1"},
        destruction_approved="J. Doe, CHG-1: rebuild with new keys",
    ))
    events = Table(stack, "Events", TableProps(
        table_name="Events", partition_key=Attribute("id"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByKind", partition_key=Attribute("kind"),
                                                       billing=Billing.on_demand(max_read=10, max_write=5)),),
        billing=Billing.on_demand(max_read=100, max_write=50), encryption=TableEncryption.customer_managed(),
        point_in_time_recovery=False, deletion_protection=False,
        restore=RestoreSource.from_table_arn("arn:aws:dynamodb:us-east-1:123456789012:table/prod-Events",
                                             point_in_time="2026-11-27T03:00:00Z"),
    ))
    Table(stack, "Scaled", TableProps(
        table_name="Scaled", partition_key=Attribute("pk"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByX", partition_key=Attribute("x")),),
        billing=Billing.provisioned(
            read=Capacity.autoscaled(min=5, max=2000, target_utilization=60, scale_in_cooldown=60,
                                     scale_out_cooldown=30, schedules=ScheduledCapacity.business_day("Europe/Berlin")),
            write=Capacity.autoscaled(min=1, max=10, disable_scale_in=True, schedules=(ScheduledCapacity(
                name="batch", schedule="at(2026-12-24T18:00:00)", min=5, max=20,
                start="2026-12-01T00:00:00Z", end="2026-12-31T00:00:00Z"),))),
    ))
    # Warm throughput (provider >= 6.13): the bindings (6.25) check the block's shape.
    Table(stack, "Warm", TableProps(table_name="Warm", partition_key=Attribute("pk"),
                                    warm_throughput=WarmThroughput(read_units_per_second=15000,
                                                                   write_units_per_second=5000)))
    Table(stack, "Latest", TableProps(table_name="Latest", partition_key=Attribute("id"),
                                      encryption=TableEncryption.aws_managed(),
                                      restore=RestoreSource.from_table_name("prod-Latest", point_in_time="latest")))
    LambdaRole(stack, "Writer", LambdaRoleProps(
        function_name="writer", log_retention_days=30, log_encryption_key_arn=key.key_arn,
        dead_letter_queue_arn="arn:aws:sqs:eu-west-1:123456789012:dlq",
        permissions_boundary_arn="arn:aws:iam::123456789012:policy/boundary", tags={"R": "1"},
        grants=(
            TableGrant(table=orders, patterns=(AccessPattern.PUT_ITEM, AccessPattern.READ_STREAM),
                       query_indexes=("ByStatus",), scan_indexes=("*",)),
            TableGrant(table=events, patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY),
                       attributes=("kind",), leading_keys=LeadingKeys(("EU#*",), KeyMatch.PREFIX)),
        ),
    ))
    IdentityPoolRole(stack, "Users", IdentityPoolRoleProps(
        role_name="users", identity_pool_id="eu-west-1:1a2b3c4d-0000-1111-2222-333344445555",
        grants=(TableGrant(table=events, patterns=(AccessPattern.GET_ITEM,),
                           leading_keys=LeadingKeys.cognito_identity()),),
    ))
    AccessPolicy(stack, "Existing", AccessPolicyProps(
        role_name="legacy-role", grants=(TableGrant(table=orders, patterns=(AccessPattern.DESCRIBE,)),)))
    Backup(stack, "Backup", BackupProps(
        vault_name="vault", tables=(orders, events), selection_tags={"Backup": "daily"},
        rules=(BackupRule.daily(), BackupRule.monthly(), BackupRule(
            name="copied", schedule="cron(0 5 ? * SUN *)", delete_after_days=400, timezone="Europe/Berlin",
            copies=(BackupCopy(destination_vault_arn="arn:aws:backup:us-west-2:123456789012:backup-vault:dr",
                               cold_storage_after_days=30, delete_after_days=200),))),
        vault_lock=VaultLock(mode="COMPLIANCE", min_retention_days=7, max_retention_days=400, changeable_for_days=3),
        region="eu-west-1", prevent_destroy=True, tags={"B": "1"},
    ))
    global_table = Table(stack, "Global", TableProps(
        table_name="Global", partition_key=Attribute("pk"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByG", partition_key=Attribute("g")),),
        billing=Billing.on_demand(max_read=50, max_write=20), encryption=TableEncryption.customer_managed(),
        replicas=(Replica(region="us-west-2", point_in_time_recovery=True, deletion_protection=False,
                          table_class=TableClass.STANDARD_INFREQUENT_ACCESS),
                  Replica(region="eu-central-1", propagate_tags=False,
                          encryption_key_arn="arn:aws:kms:eu-central-1:123456789012:key/"
                                             "1234abcd-12ab-34cd-56ef-1234567890ab")),
        contributor_insights=ContributorInsights(indexes=("ByG",)), prevent_destroy=True, tags={"G": "1"},
    ))
    LambdaRole(stack, "GlobalReader", LambdaRoleProps(function_name="global-reader", grants=(
        TableGrant(table=global_table, patterns=(AccessPattern.GET_ITEM,), query_indexes=("ByG",)),)))
    alarm_key = EncryptionKey(stack, "AlarmKey", EncryptionKeyProps(allow_cloudwatch_alarms=True))
    Alarms(stack, "Alarms", AlarmsProps(
        name_prefix="oracle", tables=(orders, events, global_table),
        actions=AlarmActions.new_topic(alarm_key.key_arn),
        table_thresholds={"Orders": AlarmThresholds(throttled_requests=5, capacity_percent=90)},
        backup_vault_names=("vault",),
    ))
    Alarms(stack, "ExistingTopicAlarms", AlarmsProps(
        name_prefix="oracle2", tables=(orders,),
        actions=AlarmActions.existing_topic("arn:aws:sns:eu-west-1:123456789012:ops")))
    # Delivery: the state bucket, the GitHub OIDC provider, a deploy role for a stack of one table.
    state = StateBucket(stack, "State", StateBucketProps(bucket_name="acme-state", tags={"S": "1"}))
    oidc = GitHubOidcProvider(stack, "GitHub", GitHubOidcProviderProps(tags={"G": "1"}))
    DeployRole(stack, "Deploy", DeployRoleProps(
        role_name="kit-dev-apply", phase="apply", contexts=("environment:dev",), oidc_provider_arn=oidc.provider_arn,
        repository=GitHubRepository(owner="acme", name="data", owner_id=1, repository_id=2),
        permissions=deploy_permissions({"provider": {"aws": [{"region": "eu-west-1"}]}, "resource": {
            "aws_dynamodb_table": {"T": {"name": "dev-T", "server_side_encryption": {"kms_key_arn": "k"}}}}}, "dev-"),
        state=StateAccess(bucket_arn=state.bucket_arn, kms_key_arn=state.key_arn, key="kit/dev.tfstate",
                          region="eu-west-1"),
        max_session_hours=2, tags={"D": "1"},
    ))
    Backup(stack, "Plain", BackupProps(vault_name="plain", rules=(BackupRule.daily(7),), tables=(events,),
                                       encryption_key_arn=key.key_arn,
                                       vault_lock=VaultLock(mode="GOVERNANCE", min_retention_days=1,
                                                            max_retention_days=30)))
