"""The kit's provider import: same output as the stock import, far fewer modules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from bench_synth import identical, run_synth
from helpers import REPO

PROBE = """
import json, sys
import dynamodb_kit
import cdktf_cdktf_provider_aws as aws
loaded = sorted(m for m in sys.modules if m.count(".") == 1 and m.startswith("cdktf_cdktf_provider_aws."))
bucket = aws.s3_bucket.S3Bucket.__name__          # not loaded before: loads on access
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue   # plain import still works
print(json.dumps({"loaded": loaded, "bucket": bucket, "queue": SqsQueue.__name__,
                  "after": sum(m.count(".") == 1 and m.startswith("cdktf_cdktf_provider_aws.")
                               for m in sys.modules)}))
"""


def used_by_the_kit() -> set[str]:
    """Provider submodules named in ``from cdktf_cdktf_provider_aws.X import`` lines."""
    package = REPO / "constructs" / "dynamodb_kit"
    pattern = re.compile(r"^from (cdktf_cdktf_provider_aws\.\w+) import", re.MULTILINE)
    return {m for path in package.rglob("*.py") for m in pattern.findall(path.read_text())}


def probe(stock: bool) -> dict:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("DYNAMODB_KIT_STOCK_PROVIDER_IMPORT", None)
    if stock:
        env["DYNAMODB_KIT_STOCK_PROVIDER_IMPORT"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.slow
def test_kit_import_loads_only_what_it_uses_and_the_rest_on_access():
    kit = probe(stock=False)
    # Exactly the submodules the kit's source imports, plus the jsii assembly.
    assert kit["loaded"] == sorted({"cdktf_cdktf_provider_aws._jsii", *used_by_the_kit()})
    assert len(kit["loaded"]) < 30
    assert (kit["bucket"], kit["queue"]) == ("S3Bucket", "SqsQueue")
    assert kit["after"] == len(kit["loaded"]) + 2
    stock = probe(stock=True)
    assert len(stock["loaded"]) > 2000


@pytest.mark.slow
def test_synth_output_is_byte_identical_with_stock_import(tmp_path):
    kit = run_synth(stock=False, outdir=tmp_path / "kit")
    stock = run_synth(stock=True, outdir=tmp_path / "stock")
    assert sorted(p.name for p in (kit.outdir / "stacks").iterdir()) == ["dev", "prod", "staging"]
    assert identical(kit.outdir, stock.outdir)
