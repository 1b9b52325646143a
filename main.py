#!/usr/bin/env python
"""Synthesize every environment to cdktf.out/stacks/<env>/cdk.tf.json."""

from stacks.app import build_app

if __name__ == "__main__":
    app, _ = build_app()
    app.synth()
