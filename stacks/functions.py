"""Who uses the data layer, and exactly what each may do.

Each function gets one Lambda execution role per environment; its grants name
tables by their id in ``data_layer.TABLES`` (an unknown id or index is a
``ValidationError`` that lists the valid ones). Each environment prefixes the
function names (``prod-movie-roles-writer``).

``construct_id`` fixes the role's Terraform address. Renaming ``function``
keeps the addresses but renames the role and the function's log group, which
terraform can only do by replacing them: the old role is deleted (harmless),
and so is the old log group **with its logs** (export them first if you need
them; tests/app/test_functions.py shows the plan's changes). Changing
``construct_id`` moves the addresses, which terraform also plans as a
replacement unless you ``terraform state mv`` them first.
"""

from __future__ import annotations

from typing import Mapping

from dynamodb_kit import (
    AccessPattern,
    KeyMatch,
    LeadingKeys,
    TableBase,
    TableGrant,
    ValidationError,
    props,
)


@props
class TableAccess:
    """What a function may do on one table of ``data_layer.TABLES``.

    ``table`` is the table's id; the other fields mean what they mean on
    :class:`dynamodb_kit.TableGrant`.
    """

    table: str
    patterns: tuple[AccessPattern, ...] = ()
    query_indexes: tuple[str, ...] = ()
    scan_indexes: tuple[str, ...] = ()
    attributes: tuple[str, ...] | None = None
    leading_keys: LeadingKeys | None = None

    def grant(self, where: str, field: str, tables: Mapping[str, TableBase]) -> TableGrant:
        if self.table not in tables:
            raise ValidationError(
                where, f"{field}.table", self.table,
                problem=f"is not a table id ({', '.join(tables)})",
                fix="use one of the ids of data_layer.TABLES",
            )
        indexes = tables[self.table].index_names
        for name_field in ("query_indexes", "scan_indexes"):
            for name in getattr(self, name_field):
                if name != "*" and name not in indexes:
                    raise ValidationError(
                        where, f"{field}.{name_field}", name,
                        problem=f"is not an index of {self.table} ({', '.join(indexes) or 'none'})",
                        fix="use one of its indexes, or ALL_INDEXES ('*') for every index",
                    )
        return TableGrant(
            table=tables[self.table], patterns=self.patterns, query_indexes=self.query_indexes,
            scan_indexes=self.scan_indexes, attributes=self.attributes,
            leading_keys=self.leading_keys,
        )


@props
class FunctionAccess:
    """One function's role: its construct id, base name and table access."""

    construct_id: str
    function: str
    access: tuple[TableAccess, ...]


FUNCTIONS: tuple[FunctionAccess, ...] = (
    # Records who played whom, and lists a movie's cast: PutItem on the table,
    # Query on the ByMovie index. Nothing else: no reads of the table itself.
    FunctionAccess(
        construct_id="MovieRolesWriterRole",
        function="movie-roles-writer",
        access=(TableAccess(table="MovieRoles", patterns=(AccessPattern.PUT_ITEM,),
                            query_indexes=("ByMovie",)),),
    ),
    # Item-level: the EU fulfilment service reads and updates only the orders
    # of customers whose id starts with "EU#".
    FunctionAccess(
        construct_id="OrdersEuFulfilmentRole",
        function="orders-eu-fulfilment",
        access=(TableAccess(
            table="Orders",
            patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY, AccessPattern.UPDATE_ITEM),
            leading_keys=LeadingKeys(("EU#*",), KeyMatch.PREFIX),
        ),),
    ),
    # Attribute-level: the shipping label printer reads an order's status and
    # date, never its total or contents.
    FunctionAccess(
        construct_id="OrdersShippingLabelsRole",
        function="orders-shipping-labels",
        access=(TableAccess(
            table="Orders",
            patterns=(AccessPattern.GET_ITEM, AccessPattern.QUERY),
            attributes=("Status", "OrderDate", "ShippingAddress"),
        ),),
    ),
)

# Signed-in app users (a Cognito identity pool): each reads and writes only the
# orders in their own item collection (partition key = their identity id).
APP_USERS: tuple[TableAccess, ...] = (
    TableAccess(
        table="Orders",
        patterns=(AccessPattern.GET_ITEM, AccessPattern.PUT_ITEM, AccessPattern.QUERY),
        leading_keys=LeadingKeys.cognito_identity(),
    ),
)
