"""Monthly backup cost per environment for a table size, from dated prices.

    python -m stacks.backup_costs --gb 100

Steady state: PITR is billed on the table size; every retained backup is a full
copy. A rule running daily and keeping N days holds N copies; a monthly rule
keeping M days holds about M/30 copies; a DR vault holds its copies of each.
Copies moved to cold storage are counted but not priced (no verified cold price
in the kit's data yet), nor is the transfer of DR copies between regions; DR
copies are priced at the source region's backup price.
"""

from __future__ import annotations

import argparse

from dynamodb_kit_tools import backup_pricing
from dynamodb_kit_tools.backup_pricing import BackupPrices

from .environments import ENVIRONMENTS, EnvironmentConfig


def copies_held(environment: EnvironmentConfig) -> tuple[float, float]:
    """(warm copies, cold copies) held in steady state, copies in other vaults
    (a rule's own, the DR vault's) included, kept as the Backup construct keeps them."""
    dr = environment.backup_disaster_recovery
    held = []
    for rule in environment.backup_rules:
        held.append((rule.schedule, rule.delete_after_days, rule.cold_storage_after_days))
        held += [(rule.schedule, *copy.lifecycle(rule)) for copy in (*rule.copies, *([dr] if dr else []))]
    return backup_pricing.copies_held(held)


def monthly_cost(environment: EnvironmentConfig, gb: float, prices: BackupPrices) -> dict:
    warm, cold = copies_held(environment)
    pitr = gb * prices.pitr_gb_month
    backups = warm * gb * prices.backup_gb_month
    return {"pitr": pitr, "warm_copies": warm, "cold_copies": cold, "backups": backups,
            "total": pitr + backups}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=100.0, help="table size in GB (default 100)")
    args = parser.parse_args()
    prices = backup_pricing.backup_prices("us-east-1")
    print(f"prices: {prices.region}, {prices.as_of}: PITR ${prices.pitr_gb_month}/GB-month, "
          f"backup ${prices.backup_gb_month}/GB-month per copy, restore ${prices.restore_gb}/GB")
    print(f"per {args.gb:g} GB table, per month:")
    print(f"{'env':<9}{'PITR $':>8}{'warm copies':>13}{'cold copies':>13}{'backups $':>11}{'total $':>9}")
    for name, env in ENVIRONMENTS.items():
        c = monthly_cost(env, args.gb, prices)
        print(f"{name:<9}{c['pitr']:>8.2f}{c['warm_copies']:>13.0f}{c['cold_copies']:>13.0f}"
              f"{c['backups']:>11.2f}{c['total']:>9.2f}")
    print(f"a restore of {args.gb:g} GB costs ${args.gb * prices.restore_gb:.2f} once")


if __name__ == "__main__":
    main()
