"""Who uses the data layer, and exactly what each may do.

Function base name -> grants, per table id of ``data_layer.TABLES``. Each
environment prefixes the names (``prod-movie-roles-writer``) and gets one
Lambda execution role per function.
"""

from __future__ import annotations

from dynamodb_kit import AccessPattern, KeyMatch, LeadingKeys

FUNCTIONS: dict[str, dict[str, dict]] = {
    # Records who played whom, and lists a movie's cast: PutItem on the table,
    # Query on the ByMovie index. Nothing else: no reads of the table itself.
    "movie-roles-writer": {
        "MovieRoles": dict(patterns=(AccessPattern.PUT_ITEM,), query_indexes=("ByMovie",)),
    },
    # Item-level: the EU fulfilment service reads and updates only the orders
    # of customers whose id starts with "EU#".
    "orders-eu-fulfilment": {
        "Orders": dict(
            patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY, AccessPattern.UPDATE_ITEM),
            leading_keys=LeadingKeys(("EU#*",), KeyMatch.PREFIX),
        ),
    },
    # Attribute-level: the shipping label printer reads an order's status and
    # date, never its total or contents.
    "orders-shipping-labels": {
        "Orders": dict(
            patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY),
            attributes=("Status", "OrderDate", "ShippingAddress"),
        ),
    },
}


# Signed-in app users (a Cognito identity pool): each reads and writes only the
# orders in their own item collection (partition key = their identity id).
APP_USERS: dict[str, dict] = {
    "Orders": dict(
        patterns=(AccessPattern.GET_ITEM, AccessPattern.PUT_ITEM, AccessPattern.QUERY),
        leading_keys=LeadingKeys.cognito_identity(),
    ),
}
