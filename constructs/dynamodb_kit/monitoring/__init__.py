"""CloudWatch alarms on tables, their indexes, replicas and backups."""
