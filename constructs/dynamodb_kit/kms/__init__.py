"""Customer-managed KMS keys for tables, vaults and log groups."""
