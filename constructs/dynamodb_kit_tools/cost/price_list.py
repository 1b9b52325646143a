"""Rebuild a price snapshot from an AWS Price List offer file.

The offer file is AWS's bulk price list for DynamoDB, per region::

    https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonDynamoDB/current/<region>/index.json

Its ``products`` name each SKU's usage type; its ``terms`` hold the prices:
``OnDemand`` (tiered: the free tier first, then the paid price) and
``Reserved`` (an upfront fee and an hourly fee per capacity unit, per term).
The snapshot keeps the usage types the cost tools price, with the offer's
publication date and address as its source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .prices import CAPACITY_HOUR, SNAPSHOT_DIR, SUFFIXES, TERMS


class OfferError(ValueError):
    """The offer file lacks something a snapshot needs."""


def _usage_suffix(usage_type: str) -> tuple[str, str] | None:
    """(region prefix, suffix) when the usage type is one the tools price."""
    for suffix in sorted(SUFFIXES, key=len, reverse=True):  # IA-... before its plain suffix
        if usage_type == suffix or usage_type.endswith("-" + suffix):
            prefix = usage_type[: len(usage_type) - len(suffix)]
            if suffix.startswith("IA-") or not prefix.endswith("IA-"):
                return prefix, suffix
    return None


def _paid_price(term: dict[str, Any]) -> float:
    """The price past the free tier: the dimension with the highest begin range."""
    dimensions = list(term["priceDimensions"].values())
    paid = max(dimensions, key=lambda d: float(d.get("beginRange", 0)))
    return float(paid["pricePerUnit"]["USD"])


def _reserved(terms: dict[str, Any]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for term in terms.values():
        length = term["termAttributes"]["LeaseContractLength"]
        if length not in TERMS:
            continue
        fees = {"upfront_usd": 0.0, "hourly_usd": 0.0}
        for dim in term["priceDimensions"].values():
            key = "upfront_usd" if dim["unit"] == "Quantity" else "hourly_usd"
            fees[key] = float(dim["pricePerUnit"]["USD"])
        out[length] = fees
    return out


def snapshot_from_offer(offer: dict[str, Any], region: str, *, source: str) -> dict[str, Any]:
    """The snapshot (as written to ``prices/``) of ``region`` in ``offer``."""
    found: dict[str, tuple[str, str, dict]] = {}
    location = None
    for sku, product in offer["products"].items():
        attributes = product.get("attributes", {})
        if attributes.get("regionCode") != region:
            continue
        split = _usage_suffix(attributes.get("usagetype", ""))
        if split is None or sku not in offer["terms"]["OnDemand"]:
            continue
        location = attributes.get("location", location)
        found[attributes["usagetype"]] = (sku, split[0], product)
    if not found:
        raise OfferError(f"the offer file has no DynamoDB usage types for {region}")
    # The region's prefix, read off its write capacity usage type ("EU-", "" for us-east-1).
    prefix = next((p for _, p, _ in found.values() if any(u == p + CAPACITY_HOUR["write"] for u in found)), None)
    if prefix is None:
        raise OfferError(f"the offer file has no WriteCapacityUnit-Hrs usage type for {region}")
    missing = [prefix + s for s in SUFFIXES if prefix + s not in found]
    if missing:
        raise OfferError(f"the offer file lacks {', '.join(missing)} for {region}")
    prices, reserved = {}, {}
    for usage_type, (sku, _, _) in sorted(found.items()):
        (term,) = offer["terms"]["OnDemand"][sku].values()
        prices[usage_type] = {"usd": _paid_price(term), "unit": next(iter(term["priceDimensions"].values()))["unit"],
                              "basis": "price-list"}
        if usage_type in {prefix + s for s in CAPACITY_HOUR.values()}:
            terms = _reserved(offer["terms"].get("Reserved", {}).get(sku, {}))
            if terms:
                reserved[usage_type] = {t: {**fees, "per": "capacity unit", "basis": "price-list"}
                                        for t, fees in terms.items()}
    effective = offer["publicationDate"][:10]
    return {
        "service": "AmazonDynamoDB", "region": region, "location": location, "usage_type_prefix": prefix,
        "currency": "USD", "effective": effective,
        "source": f"AWS Price List offer file, version {offer.get('version', '?')}, published {offer['publicationDate']}",
        "sources": {"price-list": source},
        "free_tier": "not applied (25 GB, 25 WCU and 25 RCU per account and region are free)",
        "prices": prices, "reserved": reserved,
    }


def rebuild(offer_file: Path, region: str, out_dir: Path = SNAPSHOT_DIR) -> Path:
    """Write ``<region>_<publication date>.json`` from an offer file; its path."""
    offer = json.loads(Path(offer_file).read_text())
    snapshot = snapshot_from_offer(offer, region, source=str(offer_file))
    path = Path(out_dir) / f"{region}_{snapshot['effective']}.json"
    path.write_text(json.dumps(snapshot, indent=2) + "\n")
    return path
