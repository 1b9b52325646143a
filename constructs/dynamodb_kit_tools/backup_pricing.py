"""Dated DynamoDB prices the kit computes with (list prices, USD).

Prices change; each set says where and when it was read. Add a new set rather
than editing an old one, so past estimates stay reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BackupPrices:
    region: str
    as_of: str
    pitr_gb_month: float  # continuous backups, per GB of table size
    backup_gb_month: float  # on-demand / AWS Backup warm storage, per GB per copy
    restore_gb: float  # per GB restored


US_EAST_1_2026 = BackupPrices(
    region="us-east-1",
    as_of="2026 (AWS DynamoDB pricing page)",
    pitr_gb_month=0.20,
    backup_gb_month=0.10,
    restore_gb=0.15,
)
