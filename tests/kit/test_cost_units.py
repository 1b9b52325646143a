"""The unit math against AWS's documented examples and the book's.

Sources: the DynamoDB developer guide ("Item sizes and formats", "Read
consistency", the capacity mode pages) and the DynamoDB pricing page's key
terms; the book's index example (five indexes that every write touches).
"""

from __future__ import annotations

import pytest

from dynamodb_kit_tools.cost import units
from dynamodb_kit_tools.cost.units import Consistency, IndexShape

KB = 1024


# ---- item sizes --------------------------------------------------------------


def test_strings_numbers_binary_booleans_and_null():
    # name bytes + value bytes; numbers about 1 byte per 2 significant digits + 1
    assert units.attribute_size("Name", "Ana") == 4 + 3
    assert units.attribute_size("Größe", "ß") == 7 + 2  # UTF-8 bytes, not characters
    assert units.number_size(27) == 2
    assert units.number_size(2099) == 3
    assert units.number_size("12345") == 4
    assert units.number_size(0.000125) == 3  # leading and trailing zeros are trimmed
    assert units.number_size(1200000) == 2
    assert units.attribute_size("Photo", b"\x00" * 100) == 5 + 100  # raw bytes, not base64
    assert units.attribute_size("Active", True) == 6 + 1
    assert units.attribute_size("Gone", None) == 4 + 1


def test_lists_and_maps_carry_3_bytes_and_1_per_element():
    assert units.attribute_size("Tags", []) == 4 + 3
    assert units.attribute_size("Tags", ["a", "bc"]) == 4 + 3 + (1 + 1) + (1 + 2)
    # a map element counts its key's bytes too
    assert units.attribute_size("Dim", {"w": 10, "h": 5}) == 3 + 3 + (1 + 1 + 2) + (1 + 1 + 2)
    assert units.value_size({"inner": {"x": "y"}}) == 3 + (1 + 5 + (3 + 1 + 1 + 1))


def test_a_whole_item_as_the_public_calculators_size_it():
    # AWS's item size calculator and the tools modelled on it give these sizes.
    slot = {"itemType": "SLOT", "id": "abc1231", "hostName": "Harry Mason", "timeSlot": "February 23, 1999",
            "slotStatus": "OPEN", "createdAt": "February 1, 1999", "updatedAt": "February 1, 1999", "expiresAt": 2099}
    assert units.item_size(slot) == 141
    assert units.item_size({"string": "string", "number": 27, "buffer": b"buffer"}) == 32


def test_storage_adds_100_bytes_per_item():
    assert units.stored_size(900) == 1000


# ---- reads -------------------------------------------------------------------


def test_get_item_rounds_up_to_4_kb_and_consistency_scales():
    # "a strongly consistent read of an 8 KB item would require two RCUs, an eventually
    # consistent read one RCU, and a transactional read four"
    assert units.get_item_units(8 * KB, Consistency.STRONG) == 2
    assert units.get_item_units(8 * KB, Consistency.EVENTUAL) == 1
    assert units.get_item_units(8 * KB, Consistency.TRANSACTIONAL) == 4
    assert units.get_item_units(int(3.5 * KB), Consistency.STRONG) == 1
    assert units.get_item_units(7 * KB, Consistency.STRONG) == 2
    assert units.get_item_units(100, Consistency.EVENTUAL) == 0.5


def test_batch_get_rounds_each_item_then_sums():
    # 1.5 KB + 6.5 KB: 4 KB + 8 KB = 12 KB, three units (not 8 KB, two)
    assert units.batch_get_units([int(1.5 * KB), int(6.5 * KB)]) == 3


def test_query_sums_then_rounds():
    # items totalling 40.8 KB are read as 44 KB: 11 units strong, 5.5 eventual
    sizes = [int(40.8 * KB / 10)] * 10
    assert units.query_units(sizes, Consistency.STRONG) == 11
    assert units.query_units(sizes, Consistency.EVENTUAL) == 5.5
    # one page is at most 1 MB; each page is rounded on its own
    assert units.query_units([KB * KB + 1]) == 256 + 1


def test_scan_and_filtered_query_pay_for_what_they_read():
    # 100 items of 1 KB evaluated, 3 returned: the 100 KB read is paid
    assert units.query_units([KB] * 100) == 25


# ---- writes ------------------------------------------------------------------


def test_writes_round_up_to_1_kb_and_transactions_double():
    # "a standard write of a 3 KB item requires three WCUs, a transactional one six"
    assert units.write_units(None, 3 * KB) == 3
    assert units.write_units(None, 3 * KB, transactional=True) == 6
    assert units.write_units(None, 500) == 1


def test_put_and_update_pay_for_the_larger_of_before_and_after():
    assert units.write_units(1 * KB, 3 * KB) == 3  # grows
    assert units.write_units(3 * KB, 1 * KB) == 3  # shrinks: still the larger
    assert units.write_units(2 * KB, None) == 2  # a delete pays for the item deleted


def test_batch_write_rounds_each_item():
    # 500 bytes + 3.5 KB: 1 KB + 4 KB = 5 units
    assert units.batch_write_units([500, int(3.5 * KB)]) == 5


# ---- write amplification per index -----------------------------------------------

TABLE_KEYS = ("PK", "SK")
ITEM = {"PK": "customer#1", "SK": "order#1", "Status": "NEW", "Total": 10, "Notes": "x" * 200}


def gsi(name: str, key: str, projection: str = "ALL", include: tuple[str, ...] = ()) -> IndexShape:
    return IndexShape(name, local=False, keys=(key,), projection=projection, include=include)


def test_the_books_five_indexes_cost_six_writes_per_write():
    item = {**ITEM, **{f"K{i}": f"v{i}" for i in range(5)}}
    indexes = [gsi(f"ByK{i}", f"K{i}") for i in range(5)]
    table = units.write_units(None, units.item_size(item))
    extra = sum(units.index_write_units(i, TABLE_KEYS, None, item) for i in indexes)
    assert table + extra == 6


def test_sparse_index_costs_nothing_for_items_without_its_key():
    assert units.index_write_units(gsi("ByShipped", "ShippedAt"), TABLE_KEYS, None, ITEM) == 0
    assert units.index_write_units(gsi("ByShipped", "ShippedAt"), TABLE_KEYS, ITEM, {**ITEM, "Total": 11}) == 0


def test_a_changed_index_key_costs_a_delete_and_a_put():
    by_status = gsi("ByStatus", "Status", "KEYS_ONLY")
    assert units.index_write_units(by_status, TABLE_KEYS, ITEM, {**ITEM, "Status": "SHIPPED"}) == 2


def test_an_update_of_unprojected_attributes_costs_the_index_nothing():
    keys_only = gsi("ByStatus", "Status", "KEYS_ONLY")
    include_total = gsi("ByStatus", "Status", "INCLUDE", ("Total",))
    changed_notes = {**ITEM, "Notes": "y" * 200}
    changed_total = {**ITEM, "Total": 12}
    assert units.index_write_units(keys_only, TABLE_KEYS, ITEM, changed_notes) == 0
    assert units.index_write_units(include_total, TABLE_KEYS, ITEM, changed_notes) == 0
    assert units.index_write_units(include_total, TABLE_KEYS, ITEM, changed_total) == 1
    assert units.index_write_units(gsi("ByStatus", "Status"), TABLE_KEYS, ITEM, changed_notes) == 1  # ALL


def test_items_entering_and_leaving_an_index_pay_a_put_or_a_delete():
    by_shipped = gsi("ByShipped", "ShippedAt")
    shipped = {**ITEM, "ShippedAt": "2026-01-05"}
    assert units.index_write_units(by_shipped, TABLE_KEYS, ITEM, shipped) == 1
    assert units.index_write_units(by_shipped, TABLE_KEYS, shipped, ITEM) == 1
    assert units.index_write_units(by_shipped, TABLE_KEYS, shipped, None) == 1  # the item is deleted


def test_index_entries_are_table_keys_index_keys_and_projected_attributes_rounded_to_1_kb():
    big = {**ITEM, "Body": "b" * 3000}
    keys_only = gsi("ByStatus", "Status", "KEYS_ONLY")
    assert units.index_entry(keys_only, TABLE_KEYS, big) == {"PK": "customer#1", "SK": "order#1", "Status": "NEW"}
    assert units.index_write_units(keys_only, TABLE_KEYS, None, big) == 1
    assert units.index_write_units(gsi("ByStatus", "Status"), TABLE_KEYS, None, big) == 4  # ALL: 3.3 KB


@pytest.mark.parametrize("consistency, factor", [("eventual", 0.5), ("strong", 1.0), ("transactional", 2.0)])
def test_consistency_factors(consistency, factor):
    assert Consistency(consistency).factor == factor
