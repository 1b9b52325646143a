"""AWS Backup for tables: vault, plan, selection, service role, and their rules."""
