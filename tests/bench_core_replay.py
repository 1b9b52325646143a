"""The benchmark's ``app core`` case: the app's synthesized stacks, rebuilt
through the kit's generic element layer alone (``core/terraform.py``:
``aws_resource``, ``aws_data_source``, ``aws_provider_block``; none of its
constructs, props or policies, no provider bindings) and synthesized again.

    python tests/bench_core_replay.py SOURCE_STACKS_DIR OUTDIR [--compiled PYTHON_DIR]

Reads each ``SOURCE_STACKS_DIR/<stack>/cdk.tf.json`` and makes the same
construct tree (a plain ``Construct`` per path segment), the same elements
(cdktf's generic resources and data sources, whose ``synthesizeAttributes``
returns the attributes as written, the provider blocks, outputs, backend and
overrides), then synthesizes: the files come out byte for byte as the source
(the benchmark checks it). It is what this exact output costs through cdktf's
generic elements, the floor of the kit's approach: an overridden
``synthesizeAttributes`` is the only way to give a generic element its
attributes without changing the output (an ``add_override`` is listed in the
stack's metadata). References are the literal ``${...}`` strings of the source.

``--compiled`` builds the resources with the element ``tests/bench_compiled_element.py``
compiled (its attributes cross to node once, and no callback reads them back).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

from dynamodb_kit.core.terraform import (App, Construct, LocalBackend, TerraformOutput, TerraformProvider,
                                         TerraformResource, TerraformResourceLifecycle, TerraformStack,
                                         aws_data_source, aws_provider_block, aws_resource)


def meta_arguments(attributes: dict, providers: dict[str, TerraformProvider]) -> dict:
    """The meta-arguments, taken out of the attributes: cdktf drops them there."""
    lifecycle, provider = attributes.pop("lifecycle", None), attributes.pop("provider", None)
    return {"lifecycle": TerraformResourceLifecycle(**lifecycle) if lifecycle else None,
            "provider": providers[provider] if provider else None}


def kit_resource(scope: Construct, id: str, terraform_type: str, attributes: dict,
                 providers: dict[str, TerraformProvider]) -> TerraformResource:
    return aws_resource(scope, id, terraform_type, attributes, **meta_arguments(attributes, providers))


def compiled_resource(scope: Construct, id: str, terraform_type: str, attributes: dict,
                      providers: dict[str, TerraformProvider]) -> TerraformResource:
    from bench_elements import AttributesResource  # built by bench_compiled_element.py (against cdktf)
    from cdktf import TerraformResourceConfig

    meta = meta_arguments(attributes, providers)
    return AttributesResource(scope, id, attributes,
                              TerraformResourceConfig(terraform_resource_type=terraform_type, **meta))


def replay(app: App, name: str, config: dict, resource: Callable[..., Any] = kit_resource) -> None:
    stack = TerraformStack(app, name)
    scopes: dict[str, Construct] = {name: stack}

    def parent_of(path: str) -> tuple[Construct, str]:
        parent, _, id = path.rpartition("/")
        if parent not in scopes:
            grand, parent_id = parent_of(parent)
            scopes[parent] = Construct(grand, parent_id)
        return scopes[parent], id

    LocalBackend(stack, path=config["terraform"]["backend"]["local"]["path"])
    providers = {}
    for attributes in config.get("provider", {}).get("aws", []):
        alias = attributes.pop("alias", None)
        providers[f"aws.{alias}"] = aws_provider_block(stack, attributes, alias=alias)

    def data_source(scope: Construct, id: str, terraform_type: str, attributes: dict, providers: dict) -> Any:
        return aws_data_source(scope, id, terraform_type, attributes)

    for kind, element in (("data", data_source), ("resource", resource)):
        for terraform_type, items in config.get(kind, {}).items():
            for body in items.values():
                extra = {k: v for k, v in body["//"].items() if k != "metadata"}
                scope, id = parent_of(body["//"]["metadata"]["path"])
                made = element(scope, id, terraform_type, {k: v for k, v in body.items() if k != "//"}, providers)
                for key, value in extra.items():
                    made.add_override(f"//.{key}", value)
    for id, output in config.get("output", {}).items():
        TerraformOutput(stack, id, value=output["value"])
    stack.add_override("terraform.required_providers.aws.version",
                       config["terraform"]["required_providers"]["aws"]["version"])


if __name__ == "__main__":
    source, outdir, *compiled = sys.argv[1:]
    if compiled:  # --compiled PYTHON_DIR
        sys.path.insert(0, compiled[1])
    app = App(outdir=outdir)
    for file in sorted(Path(source).glob("*/cdk.tf.json")):
        replay(app, file.parent.name, json.loads(file.read_text()), compiled_resource if compiled else kit_resource)
    app.synth()
