"""The kit's constructs know their path and stack without asking the jsii runtime
(``KitConstruct``): what they know must be what cdktf knows, at any depth, under
a user's own constructs, with "/" in an id, in a stack below the app; errors
name that path, and a kit construct outside any stack is refused by name."""

from __future__ import annotations

import pytest
from cdktf import Testing, TerraformStack
from constructs import Construct

from dynamodb_kit import (AccessPattern, Attribute, GlobalSecondaryIndex, LambdaRole, LambdaRoleProps, Table,
                          TableGrant, TableProps, ValidationError)
from dynamodb_kit.core.terraform import KitConstruct, path_of, stack_of
from support.every_construct import every_construct


def kit_constructs(stack: TerraformStack) -> list[KitConstruct]:
    found = [c for c in stack.node.find_all() if isinstance(c, KitConstruct)]
    assert found
    return found


def test_every_kit_construct_knows_the_path_and_stack_cdktf_gives_it():
    stack = TerraformStack(Testing.app(), "paths")
    every_construct(stack)
    constructs = kit_constructs(stack)
    assert len(constructs) >= 15  # tables, their keys, roles, policies, backups, identity, delivery
    for construct in constructs:
        assert path_of(construct) == construct.node.path
        assert stack_of(construct) is stack


def test_under_a_users_own_constructs_the_path_is_the_whole_path():
    stack = TerraformStack(Testing.app(), "outer")
    group = Construct(Construct(stack, "Team"), "Orders")
    table = Table(group, "Table", TableProps(
        table_name="orders", partition_key=Attribute("pk"),
        global_secondary_indexes=(GlobalSecondaryIndex(name="ByOwner", partition_key=Attribute("owner")),)))
    for construct in kit_constructs(stack):
        assert path_of(construct) == construct.node.path
        assert stack_of(construct) is stack
    assert path_of(table) == "outer/Team/Orders/Table"
    with pytest.raises(ValidationError, match=r"^outer/Team/Orders/Role: .*is not an index of outer/Team/Orders/Table"):
        LambdaRole(group, "Role", LambdaRoleProps(function_name="fn", grants=(
            TableGrant(table=table, patterns=(AccessPattern.QUERY,), query_indexes=("ByStatus",)),)))


def test_an_id_with_a_slash_and_a_stack_under_a_users_construct():
    """constructs escapes "/" in an id as "--"; a stack may sit below the app."""
    stack = TerraformStack(Construct(Testing.app(), "Region"), "inner")
    table = Table(stack, "Orders/v2", TableProps(table_name="orders", partition_key=Attribute("pk")))
    assert path_of(table) == table.node.path == "Region/inner/Orders--v2"
    for construct in kit_constructs(stack):
        assert path_of(construct) == construct.node.path
        assert stack_of(construct) is stack


def test_a_kit_construct_outside_a_stack_is_refused_by_name():
    app = Testing.app()
    with pytest.raises(ValidationError) as error:
        Table(app, "Orders", TableProps(table_name="orders", partition_key=Attribute("pk")))
    assert str(error.value) == ("Orders: scope='the app' is not inside a TerraformStack; "
                                "create the construct in a stack: Table(stack, ...), not Table(app, ...)")
    with pytest.raises(ValidationError, match=r"^Team/Writer: scope='Team' is not inside a TerraformStack; "
                                              r"create the construct in a stack: LambdaRole\(stack, \.\.\.\)"):
        LambdaRole(Construct(app, "Team"), "Writer", LambdaRoleProps(function_name="writer"))
