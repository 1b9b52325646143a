"""Build the app: one DataStack per environment."""

from __future__ import annotations

import dataclasses
import os
from typing import Iterable

from cdktf import App

from .data_stack import DataStack
from .environments import ENVIRONMENTS, EnvironmentConfig

ENDPOINT_URL_ENV = "DYNAMODB_KIT_ENDPOINT_URL"


def build_app(
    outdir: str | None = None, environments: Iterable[EnvironmentConfig] | None = None
) -> tuple[App, dict[str, DataStack]]:
    app = App(outdir=outdir) if outdir else App()
    chosen = list(environments if environments is not None else ENVIRONMENTS.values())
    # Deploy the same stacks to a local emulator: DYNAMODB_KIT_ENDPOINT_URL=http://127.0.0.1:5000
    endpoint_url = os.environ.get(ENDPOINT_URL_ENV)
    if endpoint_url:
        chosen = [dataclasses.replace(env, endpoint_url=endpoint_url) for env in chosen]
    stacks = {env.name: DataStack(app, env) for env in chosen}
    return app, stacks
