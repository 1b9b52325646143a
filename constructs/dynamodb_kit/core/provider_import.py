"""The one place that decides how the prebuilt AWS provider bindings load.

``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource modules
(most of a synth's CPU time and memory). The kit registers the package without
running that ``__init__``, so ``import cdktf_cdktf_provider_aws.dynamodb_table``
loads one submodule; any other submodule still loads on first attribute access.
Every jsii type the kit uses lives in a submodule it imports, so the synthesized
output is identical (tests/test_fast_import.py proves it).

Set ``DYNAMODB_KIT_STOCK_PROVIDER_IMPORT=1`` to use the stock import instead
(the benchmark does, to compare).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types

PACKAGE = "cdktf_cdktf_provider_aws"
STOCK_IMPORT_ENV = "DYNAMODB_KIT_STOCK_PROVIDER_IMPORT"


def _lazy_package() -> types.ModuleType | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        return None  # not installed: the kit does not need it (only the oracle path does)
    package = importlib.util.module_from_spec(spec)

    def __getattr__(name: str) -> types.ModuleType:
        # Attribute access to a submodule that is not loaded yet imports it.
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return importlib.import_module(f"{PACKAGE}.{name}")
        except ModuleNotFoundError as error:
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}") from error

    package.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules[PACKAGE] = package
    # Each submodule imports the assembly (``.._jsii``) itself, so nothing starts
    # the jsii runtime here: importing the kit stays cheap until a construct is used.
    return package


def install() -> types.ModuleType | None:
    """Make ``cdktf_cdktf_provider_aws`` importable submodule by submodule."""
    if PACKAGE in sys.modules:  # already imported, stock or lazy: keep it
        return sys.modules[PACKAGE]
    if os.environ.get(STOCK_IMPORT_ENV) == "1":
        return importlib.import_module(PACKAGE)
    return _lazy_package()


install()
