"""Shared by every test: a session temp folder that is removed at the end, and
a fresh stack for constructing one construct under test.

Every temp file of the run (pytest's own, cdktf's ``Testing.app()`` outdirs made
by the jsii node process, terraform work dirs) goes under one folder that the
session deletes, so a run leaves the temp folder as it found it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Before cdktf starts its node process, which inherits TMPDIR.
SESSION_TMP = tempfile.mkdtemp(prefix="dynamodb-kit-tests-")
os.environ["TMPDIR"] = SESSION_TMP
tempfile.tempdir = SESSION_TMP
# No shared provider cache: flows run `terraform init` at the same time, and
# Terraform's cache breaks under concurrent installs ("still not detected in
# ...; this is a bug in Terraform"). The offline mirror is linked, not copied
# (write_cli_config); without one, each flow has its own cache.
os.environ.pop("TF_PLUGIN_CACHE_DIR", None)

import pytest  # noqa: E402
from cdktf import Testing, TerraformStack  # noqa: E402



def pytest_configure(config: pytest.Config) -> None:
    # pytest's tmp_path folders too, unless the user chose a basetemp.
    if not config.option.basetemp:
        config.option.basetemp = os.path.join(SESSION_TMP, "pytest")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_TMP, ignore_errors=True)


def in_background(item: pytest.Item) -> bool:
    """Its work is a flow started at the session's start (support/background.py)."""
    return item.get_closest_marker("e2e") is not None or item.get_closest_marker("background") is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The tests of background flows last: the flows run while everything else does.
    items.sort(key=in_background)


@pytest.fixture(scope="session", autouse=True)
def _background_flows(request: pytest.FixtureRequest):
    from support import background

    modules = {item.module.__name__ for item in request.session.items if in_background(item)}
    background.start(modules, Path(SESSION_TMP) / "e2e")
    yield
    background.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    from support import background

    if background.timings:
        flows = sorted(background.timings.items(), key=lambda item: item[1][1])
        terminalreporter.write_line("background flows (start-end, seconds after the session's start): " + ", ".join(
            f"{name} {start:.0f}-{end:.0f}" for name, (start, end) in flows))


@pytest.fixture
def stack() -> TerraformStack:
    """A fresh, empty stack for constructing one construct under test."""
    return TerraformStack(Testing.app(), "test")
