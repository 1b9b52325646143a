"""DynamoDB service limits the kit validates against (AWS documentation, 2026)."""

TABLE_NAME_MIN_LENGTH = 3
TABLE_NAME_MAX_LENGTH = 255
INDEX_NAME_MIN_LENGTH = 3
INDEX_NAME_MAX_LENGTH = 255
# Table and index names: letters, digits, underscore, hyphen, dot.
NAME_PATTERN = r"[a-zA-Z0-9_.\-]+"

# Default quota; it can be raised through Service Quotas.
MAX_GLOBAL_SECONDARY_INDEXES = 20
# Hard limit; LSIs can only be created with the table.
MAX_LOCAL_SECONDARY_INDEXES = 5
# Non-key attributes projected with INCLUDE, summed over all indexes of a table.
MAX_PROJECTED_NON_KEY_ATTRIBUTES = 100

# Point-in-time recovery period, in days.
MIN_RECOVERY_PERIOD_DAYS = 1
MAX_RECOVERY_PERIOD_DAYS = 35


# Key attribute names, and names of attributes projected into an index (bytes, UTF-8).
MAX_KEY_ATTRIBUTE_NAME_BYTES = 255
# Provisioned capacity units per table or index: the default per-table quota
# (Service Quotas raises it).
MAX_CAPACITY_UNITS = 40_000
