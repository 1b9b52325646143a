"""The kit's one seam to CDK for Terraform, and its typed layer over it.

Every cdktf class the kit uses is imported here and nowhere else. Where cdktf
is not installed, the same classes come from CDK Terrain (``cdktn``, the
maintained fork); ``tests/app/test_cdk_terrain.py`` synthesizes the app both ways.

The kit's constructs emit AWS resources and data sources through cdktf's
generic ``TerraformResource`` and ``TerraformDataSource``: the attributes are
plain Python values (dicts for blocks, lists for repeated blocks, cdktf tokens
for references), and the kit's typed props are the only typed surface. Touching
any class of the prebuilt provider bindings (``cdktf-cdktf-provider-aws``) would
make the jsii runtime load the whole provider assembly into node, about 4.5 CPU
seconds and 500 MB before the first table; this layer never does.

The bindings stay the oracle: with ``DYNAMODB_KIT_PROVIDER_BINDINGS=1`` the
same calls build the bindings' classes instead (``tests/kit/test_bindings_oracle.py``
proves the synthesized JSON identical, and the benchmark measures both).

Adding a resource type: call ``aws_resource(scope, id, "aws_<type>", {...})``
with the attribute names and block shapes of the provider's schema (the
Terraform registry page of the resource); the oracle test then checks them
against the bindings. See constructs/docs/fast-synth.md.
"""

from __future__ import annotations

import importlib
import os

import jsii
from typing import Any, Mapping

try:
    import cdktf as cdk
except ImportError:  # CDK Terrain, the maintained fork, where cdktf is not installed
    import cdktn as cdk  # type: ignore[no-redef]
from constructs import Construct  # noqa: F401  (re-exported)

from .errors import ValidationError

# The kit's only use of cdktf, re-exported for the kit and the app.
App = cdk.App
Fn = cdk.Fn
LocalBackend = cdk.LocalBackend
S3Backend = cdk.S3Backend
TerraformDataSource = cdk.TerraformDataSource
TerraformOutput = cdk.TerraformOutput
TerraformProvider = cdk.TerraformProvider
TerraformResource = cdk.TerraformResource
TerraformResourceLifecycle = cdk.TerraformResourceLifecycle
TerraformStack = cdk.TerraformStack
Testing = cdk.Testing
Token = cdk.Token

BINDINGS_ENV = "DYNAMODB_KIT_PROVIDER_BINDINGS"
# The provider version the prebuilt bindings were generated from; the stacks
# override the constraint (see aws_provider.py).
BINDINGS_PROVIDER_VERSION = "6.25.0"


def use_bindings() -> bool:
    """Whether to build through the provider bindings (the oracle, and the benchmark)."""
    return os.environ.get(BINDINGS_ENV) == "1"


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def _binding(kind: str, terraform_type: str, scope: Construct, id: str, attributes: dict, **meta: Any):
    """Build the bindings' class for a Terraform type (``aws_kms_key`` -> ``kms_key.KmsKey``),
    turning block dicts into the bindings' structs (jsii takes no dicts inside lists)."""
    from . import provider_import  # noqa: F401  (loads one submodule, not ~2,200)

    module_name = terraform_type.removeprefix("aws_")
    if kind == "data":
        module_name = f"data_aws_{module_name}"
    elif kind == "provider":
        module_name = "provider"
    module = importlib.import_module(f"cdktf_cdktf_provider_aws.{module_name}")
    # The bindings rename a class whose name a struct already has (the table's
    # ``replica`` block is ``DynamodbTableReplica``).
    class_name = {"Provider": "AwsProvider", "DynamodbTableReplica": "DynamodbTableReplicaA"}.get(
        _camel(module_name), _camel(module_name))

    def lookup(name: str) -> Any:
        # As named, or as the bindings rename a clashing name: with an "A"
        # (aws_s3_bucket_versioning is S3BucketVersioningA, its blocks' structs too).
        return getattr(module, name, None) or getattr(module, f"{name}A", None)

    def structs(prefix: str, values: dict) -> dict:
        converted = {}
        for key, value in values.items():
            name = prefix + _camel(key.rstrip("_"))
            struct = lookup(name)
            if struct is not None and isinstance(value, dict):
                value = struct(**structs(name, value))
            elif struct is not None and isinstance(value, list):
                value = [struct(**structs(name, v)) if isinstance(v, dict) else v for v in value]
            converted[key] = value
        return converted

    cls = getattr(module, class_name, None) or getattr(module, f"{class_name}A")
    return cls(scope, id, **structs(class_name, attributes), **meta)


class _GenericResource(TerraformResource):
    def __init__(self, scope: Construct, id: str, terraform_type: str, attributes: dict, **meta: Any):
        super().__init__(scope, id, terraform_resource_type=terraform_type, **meta)
        self._kit_attributes = attributes

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._kit_attributes


class _GenericDataSource(TerraformDataSource):
    def __init__(self, scope: Construct, id: str, terraform_type: str, attributes: dict):
        super().__init__(scope, id, terraform_resource_type=terraform_type)
        self._kit_attributes = attributes

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._kit_attributes


class _GenericProvider(TerraformProvider):
    def __init__(self, scope: Construct, id: str, attributes: dict):
        self._kit_attributes = attributes
        super().__init__(scope, id, terraform_resource_type="aws", terraform_provider_source="aws")

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._kit_attributes

    # cdktf's provider reads its alias from this property (for ``provider =
    # aws.<alias>`` on resources), which every generated provider overrides.
    @property
    @jsii.member(jsii_name="alias")
    def alias(self) -> str | None:
        return self.__dict__.get("_kit_attributes", {}).get("alias")

    @alias.setter
    def alias(self, value: str | None) -> None:
        raise AttributeError("give the alias to aws_provider_block(..., alias=)")


def _without_none(value: Any) -> Any:
    """Drop unset attributes (``None``) and empty blocks, as the bindings do."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def aws_resource(
    scope: Construct,
    id: str,
    terraform_type: str,
    attributes: Mapping[str, Any],
    *,
    lifecycle: TerraformResourceLifecycle | None = None,
    provider: TerraformProvider | None = None,
) -> TerraformResource:
    """A resource of the AWS provider. Read its attributes with :func:`ref`.

    ``provider``: an aliased provider (another region, see
    ``aws_provider.regional_provider``). Default: none, the stack's ``aws``.
    """
    attributes = _without_none(dict(attributes))
    meta: dict[str, Any] = {"lifecycle": lifecycle}
    if provider is not None:  # left out otherwise: existing stacks synthesize as before
        meta["provider"] = provider
    if use_bindings():
        return _binding("resource", terraform_type, scope, id, attributes, **meta)
    return _GenericResource(scope, id, terraform_type, attributes, **meta)


def aws_data_source(
    scope: Construct, id: str, terraform_type: str, attributes: Mapping[str, Any] | None = None
) -> TerraformDataSource:
    """A data source of the AWS provider (``terraform_type`` without ``data.``)."""
    attributes = _without_none(dict(attributes or {}))
    if use_bindings():
        return _binding("data", terraform_type, scope, id, attributes)
    return _GenericDataSource(scope, id, terraform_type, attributes)


def aws_provider_block(
    scope: Construct, attributes: Mapping[str, Any], *, alias: str | None = None
) -> TerraformProvider:
    """The ``aws`` provider block (id ``aws``), or an aliased one (id ``aws_<alias>``)."""
    attributes = _without_none(dict(attributes))
    if alias is not None:
        attributes = {**attributes, "alias": alias}
    id = "aws" if alias is None else f"aws_{alias}"
    if use_bindings():
        # Python names of the bindings for endpoints that are keywords ("lambda").
        endpoints = [{("lambda_" if k == "lambda" else k): v for k, v in e.items()}
                     for e in attributes.get("endpoints", [])]
        if endpoints:
            attributes = {**attributes, "endpoints": endpoints}
        return _binding("provider", "aws", scope, id, attributes)
    return _GenericProvider(scope, id, attributes)


def path_of(construct: Construct) -> str:
    """The construct's path (``stack/Orders``), read once from the jsii runtime
    (never for a :class:`KitConstruct`, which knows it from its birth)."""
    cache = construct.__dict__
    if "_kit_path" not in cache:
        cache["_kit_path"] = construct.node.path
    return cache["_kit_path"]


def stack_of(scope: Construct) -> TerraformStack:
    """``TerraformStack.of(scope)``, asked of the jsii runtime once per scope."""
    if isinstance(scope, TerraformStack):
        return scope
    cache = scope.__dict__
    if "_kit_stack" not in cache:
        cache["_kit_stack"] = TerraformStack.of(scope)
    return cache["_kit_stack"]


class KitConstruct(Construct):
    """The base of the kit's constructs: a ``Construct`` that remembers its path
    and stack on the Python side, from its scope's, so the kit never asks the
    jsii runtime for them (each a round trip; the app's constructs asked about
    120 times per synth)."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        parent = path_of(scope)
        id = id.replace("/", "--")  # as constructs escapes a path separator in an id
        path = self.__dict__["_kit_path"] = f"{parent}/{id}" if parent else id
        try:
            self.__dict__["_kit_stack"] = stack_of(scope)
        except RuntimeError:  # the jsii runtime's error names the scope, not this construct
            kind = type(self).__name__
            raise ValidationError(path, "scope", parent or "the app", problem="is not inside a TerraformStack",
                                  fix=f"create the construct in a stack: {kind}(stack, ...), not {kind}(app, ...)") from None


def stack_singleton(scope: Construct, id: str, create: Any) -> Any:
    """The one child ``id`` of ``scope``'s stack, made by ``create(stack, id)`` on first use.

    Remembered on the Python side of the stack and of ``scope``, so later calls
    cost no round trip to the jsii runtime.
    """
    key = f"_kit_singleton_{id}"
    if key in scope.__dict__:
        return scope.__dict__[key]
    stack = stack_of(scope)
    if key not in stack.__dict__:
        stack.__dict__[key] = stack.node.try_find_child(id) or create(stack, id)
    scope.__dict__[key] = stack.__dict__[key]
    return stack.__dict__[key]


def ref(element: TerraformResource | TerraformDataSource, attribute: str) -> str:
    """A reference to an attribute (``${aws_kms_key.Key.arn}``), as a token string.

    Kept per element: a token stands for the same reference every time, and
    each new one costs a round trip to the jsii runtime.
    """
    cache = element.__dict__.setdefault("_kit_refs", {})
    if attribute not in cache:
        cache[attribute] = element.get_string_attribute(attribute)
    return cache[attribute]
