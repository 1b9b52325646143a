"""Dated DynamoDB price snapshots, one JSON file per region and date in ``prices/``.

Each snapshot is keyed by AWS Price List usage types (``WriteCapacityUnit-Hrs``,
``EU-ReadRequestUnits``, ...), says where every figure comes from, and holds
USD list prices without the free tier. This module is the only reader: no
price is written anywhere else in the tools. Add a new file when prices
change (``python -m dynamodb_kit_tools.cost prices rebuild``), never edit an
old one, so past estimates stay reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

SNAPSHOT_DIR = Path(__file__).parent / "prices"
HOURS_PER_MONTH = 730  # AWS's billing month (8,760 hours / 12)
GB = 1024**3  # storage is billed per GB of 2^30 bytes

Kind = Literal["read", "write"]
STANDARD = "STANDARD"
STANDARD_IA = "STANDARD_INFREQUENT_ACCESS"

# Usage type suffixes (after the region prefix, e.g. "EU-"): what each price is.
CAPACITY_HOUR = {"read": "ReadCapacityUnit-Hrs", "write": "WriteCapacityUnit-Hrs"}
REQUEST_UNIT = {"read": "ReadRequestUnits", "write": "WriteRequestUnits"}
STORAGE = "TimedStorage-ByteHrs"
PITR = "TimedPITRStorage-ByteHrs"
BACKUP = "TimedBackupStorage-ByteHrs"
RESTORE = "RestoreDataSize-Bytes"
STREAMS = "Streams-Requests"
IA = "IA-"  # Standard-IA's usage types put this after the region prefix
SUFFIXES = (*CAPACITY_HOUR.values(), *REQUEST_UNIT.values(), STORAGE,
            *(IA + s for s in (*CAPACITY_HOUR.values(), *REQUEST_UNIT.values(), STORAGE)),
            PITR, BACKUP, RESTORE, STREAMS)
TERMS = ("1yr", "3yr")


@dataclass(frozen=True)
class Reserved:
    """Reserved capacity per unit: paid once for the term, plus every hour."""

    upfront: float
    hourly: float
    term_hours: int

    @property
    def effective_hourly(self) -> float:
        return self.hourly + self.upfront / self.term_hours


@dataclass(frozen=True)
class Snapshot:
    region: str
    location: str
    prefix: str  # the region's usage type prefix ("" for us-east-1)
    effective: dt.date
    source: str
    file: str
    prices: dict[str, dict]
    reserved_prices: dict[str, dict]

    def usd(self, suffix: str) -> float:
        """The price of ``prefix + suffix``, in the unit the usage type is billed in."""
        entry = self.prices.get(self.prefix + suffix)
        if entry is None:
            raise KeyError(f"{self.file} has no price for {self.prefix + suffix}")
        return float(entry["usd"])

    def _class(self, suffix: str, table_class: str) -> float:
        return self.usd((IA if table_class == STANDARD_IA else "") + suffix)

    def capacity_unit_hour(self, kind: Kind, table_class: str = STANDARD) -> float:
        return self._class(CAPACITY_HOUR[kind], table_class)

    def request_unit(self, kind: Kind, table_class: str = STANDARD) -> float:
        return self._class(REQUEST_UNIT[kind], table_class)

    def storage_gb_month(self, table_class: str = STANDARD) -> float:
        return self._class(STORAGE, table_class)

    @property
    def pitr_gb_month(self) -> float:
        return self.usd(PITR)

    @property
    def backup_gb_month(self) -> float:
        return self.usd(BACKUP)

    @property
    def restore_gb(self) -> float:
        return self.usd(RESTORE)

    @property
    def streams_read_request(self) -> float:
        return self.usd(STREAMS)

    def reserved(self, kind: Kind, term: str) -> Reserved:
        """Standard class only: AWS sells no reserved capacity for Standard-IA."""
        entry = self.reserved_prices[self.prefix + CAPACITY_HOUR[kind]][term]
        years = int(term[0])
        return Reserved(upfront=float(entry["upfront_usd"]), hourly=float(entry["hourly_usd"]),
                        term_hours=years * 8760)

    def break_even_utilisation(self, kind: Kind = "write", table_class: str = STANDARD) -> float:
        """Average utilisation above which provisioned capacity costs less than
        on-demand: one unit held for an hour against 3,600 request units."""
        return self.capacity_unit_hour(kind, table_class) / (3600 * self.request_unit(kind, table_class))


def _read(path: Path) -> Snapshot:
    data = json.loads(path.read_text())
    return Snapshot(
        region=data["region"], location=data["location"], prefix=data["usage_type_prefix"],
        effective=dt.date.fromisoformat(data["effective"]), source=data["source"], file=path.name,
        prices=data["prices"], reserved_prices=data.get("reserved", {}),
    )


@cache
def snapshots() -> tuple[Snapshot, ...]:
    """Every shipped snapshot, oldest first."""
    return tuple(sorted((_read(p) for p in SNAPSHOT_DIR.glob("*.json")),
                        key=lambda s: (s.region, s.effective)))


def regions() -> list[str]:
    return sorted({s.region for s in snapshots()})


def load(region: str = "us-east-1", on: dt.date | None = None) -> Snapshot:
    """The snapshot in force in ``region`` on ``on`` (default: the newest)."""
    candidates = [s for s in snapshots() if s.region == region and (on is None or s.effective <= on)]
    if not candidates:
        known = ", ".join(regions())
        raise KeyError(f"no price snapshot for {region}" + (f" on {on}" if on else "") + f"; known: {known}")
    return candidates[-1]
