"""The rule pack: every rule of the kit, in one list."""

from . import replica_pitr_enabled, table_has_alarms, table_in_backup_selection, table_pitr_enabled

ALL_RULES = (
    table_pitr_enabled.RULE,
    table_in_backup_selection.RULE,
    table_has_alarms.RULE,
    replica_pitr_enabled.RULE,
)
