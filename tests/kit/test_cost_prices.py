"""Prices come from the dated snapshots only, and reproduce AWS's figures.

The figures are the issue's (after the November 2024 cut, us-east-1): 20
provisioned WCU = $9.49 a month and 30 RCU = $2.85 (730 hours), 3 million
on-demand write units = $1.88, 8 million read units = $1.00; the break-even
utilisation is computed from the snapshots, about 28.9% now and 14.4% before.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from dynamodb_kit_tools import backup_pricing
from dynamodb_kit_tools.cost import prices
from dynamodb_kit_tools.cost.price_list import OfferError, rebuild, snapshot_from_offer
from dynamodb_kit_tools.cost.prices import HOURS_PER_MONTH, STANDARD_IA
from helpers import REPO

COST = REPO / "constructs" / "dynamodb_kit_tools" / "cost"
OFFER = Path(__file__).parent / "cost_fixtures" / "offer-us-east-1.json"
NOW = prices.load("us-east-1")
BEFORE = prices.load("us-east-1", dt.date(2024, 10, 31))


def test_the_issues_figures_from_the_snapshot():
    assert NOW.effective == dt.date(2024, 11, 1)
    assert round(20 * NOW.capacity_unit_hour("write") * HOURS_PER_MONTH, 2) == 9.49
    assert round(30 * NOW.capacity_unit_hour("read") * HOURS_PER_MONTH, 2) == 2.85
    assert round(3_000_000 * NOW.request_unit("write"), 2) == 1.88
    assert round(8_000_000 * NOW.request_unit("read"), 2) == 1.00


def test_the_unit_prices_the_issue_lists():
    per_million = lambda kind, c="STANDARD": round(NOW.request_unit(kind, c) * 1e6, 4)  # noqa: E731
    assert (per_million("write"), per_million("read")) == (0.625, 0.125)
    assert (per_million("write", STANDARD_IA), per_million("read", STANDARD_IA)) == (0.78, 0.155)
    assert (NOW.capacity_unit_hour("write"), NOW.capacity_unit_hour("read")) == (0.00065, 0.00013)
    assert (NOW.capacity_unit_hour("write", STANDARD_IA), NOW.capacity_unit_hour("read", STANDARD_IA)) == (0.00081, 0.00016)
    assert (NOW.storage_gb_month(), NOW.storage_gb_month(STANDARD_IA)) == (0.25, 0.10)
    assert (NOW.pitr_gb_month, NOW.backup_gb_month, NOW.restore_gb) == (0.20, 0.10, 0.15)


def test_break_even_utilisation_is_computed_not_written():
    assert round(NOW.break_even_utilisation("write") * 100, 1) == 28.9
    assert round(NOW.break_even_utilisation("read") * 100, 1) == 28.9
    assert round(BEFORE.break_even_utilisation("write") * 100, 1) == 14.4
    # the book's "on-demand costs about 7x fully used provisioned" was the old price; now about 3.46x
    assert round(1 / NOW.break_even_utilisation("write"), 2) == 3.46
    assert round(1 / BEFORE.break_even_utilisation("write"), 2) == 6.92


def test_reserved_capacity_is_54_and_77_percent_cheaper():
    for kind in ("read", "write"):
        on_demand_hour = NOW.capacity_unit_hour(kind)
        assert round(1 - NOW.reserved(kind, "1yr").effective_hourly / on_demand_hour, 2) == 0.54
        assert round(1 - NOW.reserved(kind, "3yr").effective_hourly / on_demand_hour, 2) == 0.77


def test_every_region_the_issue_names_has_a_dated_snapshot_with_its_sources():
    assert {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"} <= set(prices.regions())
    for snapshot in prices.snapshots():
        data = json.loads((prices.SNAPSHOT_DIR / snapshot.file).read_text())
        assert snapshot.file == f"{snapshot.region}_{snapshot.effective}.json"
        assert data["source"] and data["sources"]
        for usage_type, entry in data["prices"].items():
            assert usage_type.startswith(snapshot.prefix)
            for basis in entry["basis"].split("; "):  # "source[: detail]; source..."
                assert basis.split(":")[0] in data["sources"], (snapshot.file, usage_type)
        for suffix in prices.SUFFIXES:  # everything the tools price is there
            assert snapshot.usd(suffix) > 0
        for kind in ("read", "write"):
            for term in prices.TERMS:
                assert snapshot.reserved(kind, term).effective_hourly < snapshot.capacity_unit_hour(kind)


def test_no_price_literal_outside_the_snapshots():
    """A number in the code equal to a snapshot's price is a price written
    twice. The modules that compute money hold none; the others (shapes, the
    search, the plot) hold no tiny per-unit price either."""
    known = {entry["usd"] for s in prices.snapshots() for entry in s.prices.values()}
    known |= {v for s in prices.snapshots() for terms in s.reserved_prices.values() for t in terms.values()
              for k, v in t.items() if k.endswith("_usd")}
    money = {"prices.py", "price_list.py", "estimate.py", "advisor.py", "explain.py", "report.py", "stack_costs.py",
             "backup_pricing.py", "backup_costs.py"}
    files = [*COST.glob("*.py"), REPO / "constructs" / "dynamodb_kit_tools" / "backup_pricing.py",
             REPO / "stacks" / "backup_costs.py"]
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value in known \
                    and (path.name in money or node.value < 0.01):
                found.append(f"{path.name}:{node.lineno} {node.value}")
    assert found == []


def test_the_backup_figures_come_from_the_snapshot():
    figures = backup_pricing.backup_prices("us-east-1")
    assert (figures.pitr_gb_month, figures.backup_gb_month, figures.restore_gb) == (0.20, 0.10, 0.15)
    assert figures.as_of == "2024-11-01 (us-east-1_2024-11-01.json)"
    assert backup_pricing.copies_held([("cron(0 3 * * ? *)", 35, None), ("cron(0 4 1 * ? *)", 365, 30)]) == (
        36, pytest.approx(365 / 30 - 1))


def test_a_snapshot_rebuilt_from_an_offer_file_holds_the_shipped_prices(tmp_path):
    path = rebuild(OFFER, "us-east-1", tmp_path)
    assert path.name == "us-east-1_2024-11-01.json"
    rebuilt = json.loads(path.read_text())
    shipped = json.loads((prices.SNAPSHOT_DIR / "us-east-1_2024-11-01.json").read_text())
    assert {k: v["usd"] for k, v in rebuilt["prices"].items()} == {k: v["usd"] for k, v in shipped["prices"].items()}
    strip = lambda r: {k: {t: (v["upfront_usd"], v["hourly_usd"]) for t, v in terms.items()} for k, terms in r.items()}  # noqa: E731
    assert strip(rebuilt["reserved"]) == strip(shipped["reserved"])
    assert rebuilt["source"] == "AWS Price List offer file, version 20241101000000, published 2024-11-01T00:00:00Z"
    assert "ReplWriteCapacityUnit-Hrs" not in rebuilt["prices"]  # global tables are not priced by the tools


def test_an_offer_file_without_the_region_or_a_usage_type_is_refused():
    offer = json.loads(OFFER.read_text())
    with pytest.raises(OfferError, match="no DynamoDB usage types for ap-south-1"):
        snapshot_from_offer(offer, "ap-south-1", source="fixture")
    with pytest.raises(OfferError, match="lacks EU-ReadCapacityUnit-Hrs"):
        snapshot_from_offer(offer, "eu-west-1", source="fixture")
