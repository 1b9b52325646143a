"""Backup figures the kit computes with: PITR, backup copies and restores.

The prices come from the cost tools' dated snapshots (``cost/prices/*.json``,
keyed by AWS Price List usage types), the one place the tools keep prices.
Both the backup cost table (``stacks/backup_costs.py``) and the stack
estimates (``python main.py --cost``) count copies the same way here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .cost.prices import load


@dataclass(frozen=True)
class BackupPrices:
    region: str
    as_of: str
    pitr_gb_month: float  # continuous backups, per GB of table size
    backup_gb_month: float  # on-demand / AWS Backup warm storage, per GB per copy
    restore_gb: float  # per GB restored


def backup_prices(region: str = "us-east-1", on: dt.date | None = None) -> BackupPrices:
    """The backup prices of the snapshot in force in ``region`` (default: the newest)."""
    snapshot = load(region, on)
    return BackupPrices(
        region=snapshot.region,
        as_of=f"{snapshot.effective} ({snapshot.file})",
        pitr_gb_month=snapshot.pitr_gb_month,
        backup_gb_month=snapshot.backup_gb_month,
        restore_gb=snapshot.restore_gb,
    )


def copies_held(rules: Iterable[tuple[str, int, int | None]]) -> tuple[float, float]:
    """(warm copies, cold copies) held in steady state by backup rules given as
    (schedule, delete after days, cold storage after days or None).

    A rule running daily and keeping N days holds N copies; a monthly rule
    (a day of the month in its cron) keeping M days holds about M/30 copies.
    """
    warm = cold = 0.0
    for schedule, delete_after, cold_after in rules:
        monthly = " 1 * ? *)" in schedule
        total = delete_after / 30 if monthly else delete_after
        if cold_after is not None:
            in_warm = cold_after / 30 if monthly else cold_after
            warm += min(total, max(in_warm, 1))
            cold += max(total - max(in_warm, 1), 0)
        else:
            warm += total
    return warm, cold
