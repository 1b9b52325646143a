"""The data layer, declared once: every table's shape, whatever the environment.

Names here are base names; each environment adds its prefix and its own
operational settings (``TableSettings``, see ``environments.py``): a shape
holds only what the data model owns, so no environment can override it. The dictionary key is the
construct id: it fixes the table's Terraform address, so never rename it
(a new id means a new table and the old one destroyed).
"""

from __future__ import annotations

from dynamodb_kit import (
    Attribute,
    GlobalSecondaryIndex,
    LocalSecondaryIndex,
    ProjectionType,
    StreamViewType,
    TableShape,
)

# Which actors played in which movie, and in which role (the book's example):
# the table answers "movies of an actor", the inverted index "actors of a movie".
MOVIE_ROLES = TableShape(
    table_name="MovieRoles",
    partition_key=Attribute("Actor"),
    sort_key=Attribute("Movie"),
    global_secondary_indexes=(
        GlobalSecondaryIndex(
            name="ByMovie",
            partition_key=Attribute("Movie"),
            sort_key=Attribute("Actor"),
            projection=ProjectionType.ALL,
        ),
    ),
)

# A shop's orders, one item collection per customer. The LSI sorts a customer's
# orders by date, projecting only what an order list shows; the GSI finds orders
# in a status (KEYS_ONLY keeps its write cost low); the stream feeds fulfilment;
# TTL removes abandoned carts.
ORDERS = TableShape(
    table_name="Orders",
    partition_key=Attribute("CustomerId"),
    sort_key=Attribute("OrderId"),
    local_secondary_indexes=(
        LocalSecondaryIndex(
            name="ByOrderDate",
            sort_key=Attribute("OrderDate"),
            projection=ProjectionType.INCLUDE,
            non_key_attributes=("Status", "Total"),
        ),
    ),
    global_secondary_indexes=(
        GlobalSecondaryIndex(
            name="ByStatus",
            partition_key=Attribute("Status"),
            sort_key=Attribute("OrderDate"),
            projection=ProjectionType.KEYS_ONLY,
        ),
    ),
    time_to_live_attribute="ExpiresAt",
    stream=StreamViewType.NEW_AND_OLD_IMAGES,
)

# Construct id -> shape.
TABLES: dict[str, TableShape] = {
    "MovieRoles": MOVIE_ROLES,
    "Orders": ORDERS,
}
