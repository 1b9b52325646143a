"""DataStack: the data layer of one environment."""

from __future__ import annotations

from dynamodb_kit import (
    AlarmActions,
    Alarms,
    AlarmsProps,
    Backup,
    BackupProps,
    EncryptionKey,
    EncryptionKeyProps,
    IdentityPoolRole,
    IdentityPoolRoleProps,
    LambdaRole,
    LambdaRoleProps,
    RemoteStateProps,
    Table,
    add_aws_provider,
    add_remote_state,
    aws_resource,
    ref,
)
from dynamodb_kit.core.terraform import Construct, LocalBackend, TerraformOutput, TerraformStack, path_of

from .data_layer import TABLES
from .environments import EnvironmentConfig
from .functions import APP_USERS, FUNCTIONS


class DataStack(TerraformStack):
    """Every table of ``data_layer.TABLES``, with the environment's settings."""

    def __init__(self, scope: Construct, environment: EnvironmentConfig, emulator: bool | None = None) -> None:
        super().__init__(scope, environment.name)
        self.environment = environment
        # emulator: a local emulator's provider settings (default: with AWS_ENDPOINT_URL set).
        add_aws_provider(self, region=environment.region, default_tags=environment.tags, emulator=emulator)
        # S3 (one key per environment) when DYNAMODB_KIT_STATE_BUCKET is set, as in CI.
        remote_state = RemoteStateProps.from_environment(environment.region)
        if remote_state is not None:
            add_remote_state(self, remote_state, environment.name)
        else:
            # Relative to the stack's working directory (cdktf.out/stacks/<env>): the
            # state lands in the repository root, never at an absolute machine path.
            LocalBackend(self, path=f"../../../terraform.{environment.name}.tfstate")

        self.key = EncryptionKey(
            self,
            "DataKey",
            EncryptionKeyProps(
                alias=f"{environment.name}-dynamodb-data",
                description=f"Encrypts the {environment.name} DynamoDB tables",
                deletion_window_days=environment.key_deletion_window_days,
                prevent_destroy=environment.prevent_destroy,
                allow_cloudwatch_logs=True,
                allow_cloudwatch_alarms=environment.alarm_topic,
            ),
        )
        self.tables: dict[str, Table] = {}
        for table_id, shape in TABLES.items():
            table = Table(self, table_id, shape.props(environment.table_settings(self.key.key_arn, table_id)))
            self.tables[table_id] = table
            TerraformOutput(self, f"{table_id}Name", value=table.table_name)
            TerraformOutput(self, f"{table_id}Arn", value=table.table_arn)
        for restore in environment.restores:
            # A restored table bills like the table whose shape it has (unless the
            # restore says otherwise); the kit leaves its replicas to a later change.
            shape_id = next((i for i, shape in TABLES.items() if shape == restore.shape), None)
            table = Table(self, restore.construct_id,
                          restore.props(environment.table_settings(self.key.key_arn, shape_id)))
            self.tables[restore.construct_id] = table
            TerraformOutput(self, f"{restore.construct_id}Name", value=table.table_name)

        self.backup: Backup | None = None
        if environment.backup_rules:
            self.backup = Backup(
                self,
                "Backup",
                BackupProps(
                    vault_name=f"{environment.name}-dynamodb",
                    rules=environment.backup_rules,
                    tables=tuple(self.tables.values()),
                    vault_lock=environment.backup_vault_lock,
                    disaster_recovery=environment.backup_disaster_recovery,
                    region=environment.region,
                    prevent_destroy=environment.prevent_destroy,
                ),
            )

        # Every table, index and replica watched; prod and staging page through
        # the stack's topic, dev's alarms stay in CloudWatch.
        self.alarms = Alarms(self, "Alarms", AlarmsProps(
            name_prefix=environment.name,
            tables=tuple(self.tables.values()),
            actions=AlarmActions.new_topic(self.key.key_arn) if environment.alarm_topic
            else AlarmActions.nowhere(),
            table_thresholds=environment.alarm_thresholds,
            backup_vault_names=(self.backup.props.vault_name,) if self.backup else (),
        ))
        if self.alarms.topic_arn:
            TerraformOutput(self, "AlarmTopicArn", value=self.alarms.topic_arn)

        self.roles: dict[str, LambdaRole] = {}
        for function in FUNCTIONS:
            field = f"FUNCTIONS[{function.construct_id}].access"
            self.roles[function.function] = role = LambdaRole(
                self,
                function.construct_id,
                LambdaRoleProps(
                    function_name=f"{environment.name}-{function.function}",
                    grants=tuple(
                        access.grant(path_of(self), f"{field}[{i}]", self.tables)
                        for i, access in enumerate(function.access)
                    ),
                    log_retention_days=environment.log_retention_days,
                    log_encryption_key_arn=self.key.key_arn,
                ),
            )
            TerraformOutput(self, f"{function.construct_id}Arn", value=role.role_arn)

        # App users sign in through this pool (its identity providers are wired
        # up by the application); signed-in identities get the per-user role.
        self.identity_pool = aws_resource(self, "AppUsers", "aws_cognito_identity_pool", {
            "identity_pool_name": f"{environment.name}_app_users",
            "allow_unauthenticated_identities": False,
        })
        self.app_user_role = IdentityPoolRole(
            self, "AppUserRole",
            IdentityPoolRoleProps(
                role_name=f"{environment.name}-app-user-role",
                identity_pool_id=ref(self.identity_pool, "id"),
                grants=tuple(
                    access.grant(path_of(self), f"APP_USERS[{i}]", self.tables)
                    for i, access in enumerate(APP_USERS)
                ),
            ),
        )
        aws_resource(self, "AppUsersRoles", "aws_cognito_identity_pool_roles_attachment", {
            "identity_pool_id": ref(self.identity_pool, "id"),
            "roles": {"authenticated": self.app_user_role.role_arn},
        })
        TerraformOutput(self, "AppUserRoleArn", value=self.app_user_role.role_arn)
