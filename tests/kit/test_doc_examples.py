"""The library's doc pages' Python examples, run as written.

Every fenced ``python`` block of the pages below runs in a fresh stack (the
name ``stack`` is given, as the pages assume); blocks marked ``python fragment``
are pieces of a larger file and are run by the app's tests instead. The
synthesized result must pass through cdktf.
"""

from __future__ import annotations

import json
import re

import pytest
from cdktf import Testing, TerraformStack

from helpers import REPO

PAGES = ["tables.md", "backup-and-restore.md", "capacity.md", "multi-region.md", "operations.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks():
    for page in PAGES:
        text = (REPO / "constructs" / "docs" / page).read_text()
        for i, code in enumerate(BLOCK.findall(text)):
            yield pytest.param(code, id=f"{page}[{i}]")


def test_the_pages_have_examples():
    assert len(list(blocks())) >= 3


@pytest.mark.parametrize("code", blocks())
def test_example_runs_and_synthesizes(code):
    stack = TerraformStack(Testing.app(), "docs")
    namespace = {"stack": stack}
    exec(compile(code, "<doc example>", "exec"), namespace)
    assert isinstance(json.loads(Testing.synth(stack)), dict)
