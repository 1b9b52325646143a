"""The package's shape: concerns in folders, tools apart, Table copyable.

Read from the source (imports), not from a list kept by hand.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from helpers import REPO

SRC = REPO / "constructs"
KIT = SRC / "dynamodb_kit"


def kit_imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules of the kit (``dynamodb_kit.x.y``) that ``path`` imports (at import
    time only, with ``top_level_only``: not inside functions)."""
    package = ".".join(path.relative_to(SRC).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    found = set()
    tree = ast.parse(path.read_text())
    for node in (tree.body if top_level_only else ast.walk(tree)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [f"{module}.{a.name}" for a in node.names]
            for candidate in [module, *names]:
                if (SRC / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
                elif (SRC / Path(*candidate.split(".")) / "__init__.py").exists() and candidate != module:
                    found.add(candidate + ".__init__")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("dynamodb_kit")}
    return found


def closure(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        path = SRC / (Path(*current.split(".")).with_suffix(".py"))
        todo += sorted(kit_imports(path, top_level_only=True))
    return seen


def test_the_constructs_never_import_the_tools():
    offenders = [str(p.relative_to(SRC)) for p in KIT.rglob("*.py")
                 if any(m.startswith("dynamodb_kit_tools") for m in kit_imports(p))
                 or "dynamodb_kit_tools" in p.read_text()]
    assert offenders == []


def test_each_concern_is_a_folder():
    folders = {p.name for p in KIT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {"core", "table", "iam", "backup", "kms", "rules", "delivery", "monitoring"}
    assert sorted(p.name for p in KIT.glob("*.py")) == ["__init__.py"]


def test_copying_table_needs_the_files_the_package_readme_lists():
    needed = {m for m in closure("dynamodb_kit.table.table") if not m.endswith("__init__")}
    assert needed == {
        "dynamodb_kit.table.table", "dynamodb_kit.table.props", "dynamodb_kit.table.validation",
        "dynamodb_kit.table.limits", "dynamodb_kit.table.capacity", "dynamodb_kit.kms.encryption_key",
        "dynamodb_kit.core.errors", "dynamodb_kit.core.cron", "dynamodb_kit.table.autoscaling",
        "dynamodb_kit.core.plan_markers",
        "dynamodb_kit.core.checked", "dynamodb_kit.core.aws_names", "dynamodb_kit.core.aws_identity",
        "dynamodb_kit.core.terraform", "dynamodb_kit.core.destruction_approval",
        "dynamodb_kit.core.aws_provider",  # replicas: the provider of each replica's region
    }
    readme = (SRC / "README.md").read_text()
    for module in needed - {"dynamodb_kit.table.table", "dynamodb_kit.table.props",
                            "dynamodb_kit.table.validation", "dynamodb_kit.table.limits",
                            "dynamodb_kit.table.capacity", "dynamodb_kit.table.autoscaling"}:
        assert module.split(".")[-1] + ".py" in readme


def test_the_tools_and_the_package_import_start_no_jsii_runtime():
    probe = ("import sys, dynamodb_kit, dynamodb_kit_tools.plan_guard, dynamodb_kit_tools.emulator, "
             "dynamodb_kit_tools.terraform_runner, dynamodb_kit_tools.backup_pricing, dynamodb_kit.core.errors; "
             "print(sorted(m for m in ('jsii', 'cdktf') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def test_the_kit_tests_never_import_the_example_app():
    kit_tests = REPO / "tests" / "kit"
    offenders = []
    for path in kit_tests.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n == "stacks" or n.startswith("stacks.")]
    assert offenders == []
