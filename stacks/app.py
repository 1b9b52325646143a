"""Build the app: one DataStack per environment."""

from __future__ import annotations

from typing import Iterable

from dynamodb_kit.core.terraform import App

from .data_stack import DataStack
from .environments import ENVIRONMENTS, EnvironmentConfig


def build_app(
    outdir: str | None = None, environments: Iterable[EnvironmentConfig] | None = None,
    emulator: bool | None = None,
) -> tuple[App, dict[str, DataStack]]:
    """``emulator``: as ``add_aws_provider``'s (default: whether AWS_ENDPOINT_URL is set)."""
    app = App(outdir=outdir) if outdir else App()
    chosen = list(environments if environments is not None else ENVIRONMENTS.values())
    stacks = {env.name: DataStack(app, env, emulator=emulator) for env in chosen}
    return app, stacks
