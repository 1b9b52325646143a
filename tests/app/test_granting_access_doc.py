"""constructs/docs/granting-access.md shows the example roles as they are.

Its section "The example roles, as synthesized for prod" has, per role, the
declaration from stacks/functions.py and the access policy that
``python -m stacks.show_policies prod`` prints. Both are checked here: the
policies against show_policies' output for the session's synth, the
declarations against ``FUNCTIONS`` and ``APP_USERS``.
"""

from __future__ import annotations

import ast
import re
import subprocess

import pytest

import dynamodb_kit
from stacks import functions
from stacks.functions import APP_USERS, FUNCTIONS

from helpers import REPO, shell_env
from support import background

DOC = REPO / "constructs" / "docs" / "granting-access.md"
ENV = "prod"  # the environment the page shows
SECTION = f"## The example roles, as synthesized for {ENV}"
APP_USER_ROLE = f"{ENV}-app-user-role"


def json_blocks(text: str) -> list[str]:
    return re.findall(r"^```json\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def doc_roles() -> dict[str, dict[str, list[str]]]:
    """Role name -> its python and json blocks, from the page's example section."""
    text = DOC.read_text()
    assert SECTION in text
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    roles = {}
    for heading, body in re.findall(r"^### ([^\n]*)\n(.*?)(?=^### |\Z)", section,
                                     flags=re.DOTALL | re.MULTILINE):
        (role,) = re.findall(r"\(`([^`]+)`\)$", heading)
        roles[role] = {
            "python": re.findall(r"^```python\n(.*?)^```$", body, flags=re.DOTALL | re.MULTILINE),
            "json": json_blocks(body),
        }
    return roles


@background.flow(__name__, "show_policies")
def printed_policies(context: background.Context) -> dict[str, list[str]]:
    """Role name -> the JSON blocks the page's command prints for it.

    The command runs as the page writes it, in a reader's shell, in a
    background flow (support/background.py); CDKTF_OUTDIR keeps its cdktf.out
    out of the checkout (main.py and show_policies both honour it).
    """
    command = re.search(r"`(python3 -m pipenv run python main\.py && python3 -m pipenv run python "
                        rf"-m stacks\.show_policies {ENV})`", DOC.read_text()).group(1)
    out = subprocess.run(command, shell=True, cwd=REPO, env=shell_env(context.env, CDKTF_OUTDIR=str(context.work)),
                         capture_output=True, text=True, check=True).stdout
    return {
        role: json_blocks(body)
        for role, body in re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", out, flags=re.DOTALL | re.MULTILINE)
    }


@pytest.mark.background
def test_the_page_shows_exactly_the_policies_show_policies_prints():
    printed = background.result("show_policies")
    expected_roles = {f"{ENV}-{f.function}-role" for f in FUNCTIONS} | {APP_USER_ROLE}
    assert set(printed) == expected_roles
    shown = {role: blocks["json"] for role, blocks in doc_roles().items()}
    assert set(shown) == expected_roles
    for role, blocks in printed.items():
        assert len(blocks) == 1, role
        assert shown[role] == blocks, (
            f"{role}: the page's policy differs from `python -m stacks.show_policies {ENV}`; "
            "paste the printed block into constructs/docs/granting-access.md"
        )


def evaluate(sample: str) -> object:
    """A page's python block: an expression, or one assignment (its value)."""
    tree = ast.parse(sample)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    namespace = {
        name: getattr(functions, name) if hasattr(functions, name) else getattr(dynamodb_kit, name)
        for name in names - {"APP_USERS"}
    }
    (statement,) = tree.body
    if isinstance(statement, ast.Expr):
        return eval(compile(ast.Expression(statement.value), str(DOC), "eval"), namespace)
    assert isinstance(statement, ast.Assign), sample
    exec(compile(tree, str(DOC), "exec"), namespace)
    (target,) = statement.targets
    return namespace[target.id]


@pytest.mark.parametrize("role", sorted(doc_roles()))
def test_each_declaration_on_the_page_is_the_one_in_stacks_functions(role):
    by_role = {f"{ENV}-{f.function}-role": f for f in FUNCTIONS} | {APP_USER_ROLE: APP_USERS}
    (sample,) = doc_roles()[role]["python"]
    assert evaluate(sample) == by_role[role]
