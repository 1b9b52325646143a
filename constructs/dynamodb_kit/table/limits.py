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

# The AWS regions DynamoDB global tables can replicate to (commercial
# partition, 2026); a replica elsewhere fails only at apply.
AWS_REGIONS = (
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
)
# The AWS provider release that first takes replica.consistency_mode (multi-Region
# strong consistency); the kit's constraint admits 5.100.0, which lacks it.
MRSC_PROVIDER_VERSION = "6.3.0"
