"""Helpers the tests import: the repository root and readers of synthesized JSON."""

from __future__ import annotations

import json
from pathlib import Path

from cdktf import Testing, TerraformStack

REPO = Path(__file__).resolve().parent.parent


def resources(stack_json: dict, kind: str) -> dict[str, dict]:
    """All resources of a Terraform type in a parsed stack, by logical id."""
    return stack_json.get("resource", {}).get(kind, {})


def synth_resources(stack: TerraformStack, kind: str) -> list[dict]:
    """Synthesize a test stack and return the resources of one type."""
    return list(resources(json.loads(Testing.synth(stack)), kind).values())


def shell_env(base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """The environment of a reader's shell, where ``python3 -m pipenv`` works:
    this run's venv (``pipenv run`` puts it first on PATH) taken off again.
    ``base``: the environment to start from (a background flow's
    ``context.env``). Default: ``os.environ``."""
    import os
    import sys

    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in ("VIRTUAL_ENV", "PIPENV_ACTIVE")}
    venv_bin = Path(sys.prefix, "bin").resolve()
    env["PATH"] = os.pathsep.join(
        entry for entry in env["PATH"].split(os.pathsep) if entry and Path(entry).resolve() != venv_bin
    )
    return {**env, **extra}
