"""The benchmark's ``app compiled`` case: the resource element compiled to
TypeScript with jsii, so its attributes cross to node once, at creation, and
cdktf's two synth passes read them without a callback into Python.

    python tests/bench_compiled_element.py WORKDIR

builds the element's jsii assembly in WORKDIR with the jsii compiler that
``npm ci`` installed (cdktf-cli's), against the repository's cdktf and
constructs, and a Python module for it (``bench_elements``, on ``WORKDIR/py``).
``tests/bench_core_replay.py --compiled WORKDIR/py`` then builds the app's
resources with it. The kit does not ship this: it measures how far the
approach would go (the fast-synth page).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME, VERSION = "bench-elements", "0.1.0"

ELEMENT_TS = """\
import { TerraformResource, TerraformResourceConfig } from "cdktf";
import { Construct } from "constructs";

/** A generic resource whose attributes are given once, at creation. */
export class AttributesResource extends TerraformResource {
  private readonly givenAttributes: { [key: string]: any };

  constructor(scope: Construct, id: string, attributes: { [key: string]: any }, config: TerraformResourceConfig) {
    super(scope, id, config);
    this.givenAttributes = attributes;
  }

  protected synthesizeAttributes(): { [key: string]: any } {
    return this.givenAttributes;
  }
}
"""

MODULE_PY = f"""\
import jsii
import cdktf._jsii

__jsii_assembly__ = jsii.JSIIAssembly.load("{NAME}", "{VERSION}", "bench_elements", "{NAME}@{VERSION}.jsii.tgz")
"""

ELEMENT_PY = f"""\
import cdktf
import jsii

from ._jsii import __jsii_assembly__  # noqa: F401


class AttributesResource(cdktf.TerraformResource, metaclass=jsii.JSIIMeta,
                         jsii_type="{NAME}.AttributesResource"):
    def __init__(self, scope, id, attributes, config) -> None:
        jsii.create(self.__class__, self, [scope, id, attributes, config])
"""


def build(workdir: Path) -> Path:
    """Compile the element and write its Python module; returns the folder to put on sys.path."""
    (workdir / "lib").mkdir(parents=True)
    (workdir / "lib" / "index.ts").write_text(ELEMENT_TS)
    (workdir / "README.md").write_text("Benchmark element.\n")
    (workdir / "package.json").write_text(json.dumps({
        "name": NAME, "version": VERSION, "description": "Benchmark element", "license": "Apache-2.0",
        "author": {"name": "dynamodb-kit", "roles": ["author"]},
        "repository": {"type": "git", "url": "https://example.invalid/dynamodb-kit.git"},
        "main": "lib/index.js", "types": "lib/index.d.ts",
        "peerDependencies": {"cdktf": "0.21.0", "constructs": "^10.4.2"},
        "jsii": {"outdir": "dist", "targets": {}, "tsc": {"outDir": "lib", "rootDir": "lib"}},
    }))
    (workdir / "node_modules").mkdir()
    for package in ("cdktf", "constructs"):
        (workdir / "node_modules" / package).symlink_to(REPO / "node_modules" / package)
    subprocess.run([str(REPO / "node_modules" / ".bin" / "jsii"), "--silence-warnings=reserved-word"],
                   cwd=workdir, check=True, capture_output=True, env=os.environ)
    module = workdir / "py" / "bench_elements"
    (module / "_jsii").mkdir(parents=True)
    with tarfile.open(module / "_jsii" / f"{NAME}@{VERSION}.jsii.tgz", "w:gz") as tarball:
        for name in ("package.json", ".jsii", "lib/index.js", "lib/index.d.ts"):
            tarball.add(workdir / name, arcname=f"package/{name}")
    (module / "_jsii" / "__init__.py").write_text(MODULE_PY)
    (module / "__init__.py").write_text(ELEMENT_PY)
    return workdir / "py"


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
