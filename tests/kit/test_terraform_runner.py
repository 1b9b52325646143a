"""The terraform runner's CLI config: concurrent `terraform init` from the offline mirror."""

from __future__ import annotations

import json
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import pytest

from dynamodb_kit_tools.terraform_runner import Terraform, TerraformError, find_provider_mirror, write_cli_config

MIRROR = find_provider_mirror()
CONFIG = {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.100.0"}}}}


def test_the_cache_is_written_unless_the_mirror_is_unpacked(tmp_path):
    cache_line = f"plugin_cache_dir = {json.dumps(str(tmp_path / 'cache'))}"
    assert cache_line in write_cli_config(tmp_path / "a", None, plugin_cache=tmp_path / "cache").read_text()
    provider = tmp_path / "packed" / "registry.terraform.io" / "hashicorp" / "aws"
    provider.mkdir(parents=True)
    (provider / "terraform-provider-aws_5.100.0_linux_amd64.zip").write_bytes(b"")
    packed = write_cli_config(tmp_path / "b", tmp_path / "packed", plugin_cache=tmp_path / "cache").read_text()
    assert cache_line in packed and "filesystem_mirror" in packed
    (tmp_path / "unpacked" / "registry.terraform.io" / "hashicorp" / "aws" / "5.100.0" / "linux_amd64").mkdir(
        parents=True)
    linked = write_cli_config(tmp_path / "c", tmp_path / "unpacked", plugin_cache=tmp_path / "cache").read_text()
    assert "plugin_cache_dir" not in linked and "filesystem_mirror" in linked


@pytest.mark.skipif(MIRROR is None, reason="needs the offline provider mirror")
def test_concurrent_inits_link_the_provider_from_the_mirror(tmp_path):
    # The CI failure this pins: four inits at once sharing a plugin cache.
    cli_config = write_cli_config(tmp_path / "terraformrc", MIRROR, plugin_cache=tmp_path / "cache")
    workdirs = []
    for n in range(4):
        workdir = tmp_path / f"w{n}"
        workdir.mkdir()
        (workdir / "main.tf.json").write_text(json.dumps(CONFIG))
        workdirs.append(workdir)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda w: Terraform(w, cli_config).run("init", check=False), workdirs))
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    for workdir in workdirs:
        [provider] = (workdir / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp" / "aws").glob("*/*")
        assert provider.is_symlink() and provider.resolve().is_relative_to(MIRROR.resolve())


def _stack(tmp_path, name: str, table: dict) -> Path:
    folder = tmp_path / "stacks" / name
    folder.mkdir(parents=True)
    body = {**CONFIG, "provider": {"aws": [{"region": "us-east-1"}]},
            "resource": {"aws_dynamodb_table": {"T": {"name": name, "hash_key": "pk", "billing_mode": "PAY_PER_REQUEST",
                                                       "attribute": [{"name": "pk", "type": "S"}], **table}}}}
    (folder / "cdk.tf.json").write_text(json.dumps(body))
    return folder / "cdk.tf.json"


@pytest.mark.skipif(MIRROR is None, reason="needs the offline provider mirror")
def test_stacks_validated_together_name_the_invalid_one(tmp_path):
    good = _stack(tmp_path, "good", {})
    bad = _stack(tmp_path, "bad", {"bogus_argument": True})
    cli_config = write_cli_config(tmp_path / "terraformrc", MIRROR)
    with pytest.raises(TerraformError) as raised:
        Terraform(tmp_path / "fails", cli_config).validate_stacks([good, bad])
    assert str(raised.value) == ('terraform validate failed:\n  bad: Extraneous JSON object property: '
                                 'No argument or block type is named "bogus_argument".')
