"""Run the terraform CLI on synthesized stacks, offline when a provider mirror exists.

Used by ``main.py --check`` and the tests. The CLI configuration it writes
installs ``hashicorp/*`` providers from a local filesystem mirror when one is
found, and from the public registry otherwise: nothing here ever needs the
registry on a machine that has a mirror.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

MIRROR_ENV = "DYNAMODB_KIT_PROVIDER_MIRROR"
# Where offline mirrors usually live (the first is this project's CI machines).
MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


class TerraformError(RuntimeError):
    """terraform exited with an error; the message carries its output."""


def find_provider_mirror() -> Path | None:
    """A directory holding ``registry.terraform.io/hashicorp/aws``, or ``None``."""
    candidates = [os.environ[MIRROR_ENV]] if os.environ.get(MIRROR_ENV) else []
    candidates += list(MIRROR_CANDIDATES)
    for candidate in candidates:
        path = Path(candidate).expanduser()
        if (path / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return path
    return None


def write_cli_config(path: Path, mirror: Path | None, plugin_cache: Path | None = None) -> Path:
    """Write a terraform CLI config: the mirror for hashicorp/*, direct for the rest.

    With a mirror in the unpacked layout, ``terraform init`` links the provider
    from it, so ``plugin_cache`` is only used without one (or with a packed,
    zipped mirror): providers downloaded or unpacked once, then linked (the AWS
    provider is about 700 MB).
    Terraform's cache is not safe for concurrent installs: give each process
    running ``init`` at the same time its own.
    """
    cache = ""
    if plugin_cache is not None and not (mirror is not None and _unpacked(mirror)):
        plugin_cache.mkdir(parents=True, exist_ok=True)
        cache = f"plugin_cache_dir = {json.dumps(str(plugin_cache))}\n"
    if mirror is None:
        path.write_text(cache + "# no provider mirror found: providers come from the registry\n")
        return path
    path.write_text(
        cache
        + "provider_installation {\n"
        f"  filesystem_mirror {{\n    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        "}\n"
    )
    return path


def _unpacked(mirror: Path) -> bool:
    """The mirror holds the AWS provider unpacked (``VERSION/OS_ARCH/`` folders), not zipped."""
    return any(path.is_dir() for path in (mirror / "registry.terraform.io" / "hashicorp" / "aws").glob("*/*"))


class Terraform:
    """terraform in one working directory, with its own CLI config and no prompts."""

    def __init__(self, workdir: Path, cli_config: Path, extra_env: dict[str, str] | None = None):
        binary = shutil.which("terraform")
        if binary is None:
            raise TerraformError("terraform is not on PATH; install Terraform >= 1.10")
        self.binary = binary
        self.workdir = workdir
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            **(extra_env or {}),
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.binary, *args, "-no-color"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise TerraformError(
                f"terraform {' '.join(args)} failed in {self.workdir} "
                f"(exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def validate_stacks(self, stack_files: list[Path]) -> None:
        """Validate several synthesized stacks with one ``init`` and one ``validate``:
        each is a module of a root that holds nothing else, so the provider's
        schema is loaded once, not once per stack. A stack's ``backend`` block is
        ignored in a module (Terraform warns); everything else is checked as in a
        root. Raises naming each invalid stack (directory name) and its errors."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        # Module names Terraform accepts whatever the folders are called.
        names = {f"stack_{i}": stack_file.parent.name for i, stack_file in enumerate(stack_files)}
        for module, stack_file in zip(names, stack_files):
            (self.workdir / module).mkdir(exist_ok=True)
            shutil.copyfile(stack_file, self.workdir / module / "cdk.tf.json")
        (self.workdir / "stacks.tf.json").write_text(
            json.dumps({"module": {module: {"source": f"./{module}"} for module in names}}))
        self.run("init", "-backend=false")
        result = self.run("validate", "-json", check=False)
        report = json.loads(result.stdout)
        errors = [d for d in report.get("diagnostics", []) if d.get("severity") == "error"]
        if report.get("valid") and not errors:
            return
        lines = []
        for error in errors:
            address, where = error.get("address", ""), error.get("range", {}).get("filename", "")
            module = address.split(".")[1] if address.startswith("module.") else where.split("/")[0]
            lines.append(f"  {names.get(module, '?')}: {error.get('summary')}: {error.get('detail', '')}".rstrip(": "))
        raise TerraformError("terraform validate failed:\n" + "\n".join(lines))

    def validate(self) -> dict:
        """``terraform validate -json``; raises unless the configuration is valid."""
        result = self.run("validate", "-json", check=False)
        report = json.loads(result.stdout)
        if not report.get("valid"):
            raise TerraformError(f"terraform validate failed in {self.workdir}:\n{result.stdout}")
        return report


if __name__ == "__main__":
    # python -m dynamodb_kit_tools.terraform_runner PATH: write a CLI config to PATH
    # (then export TF_CLI_CONFIG_FILE=PATH) that uses the provider mirror if any.
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "terraform.rc").resolve()
    mirror = find_provider_mirror()
    write_cli_config(target, mirror)
    print(f"wrote {target} ({'mirror ' + str(mirror) if mirror else 'registry'})")
