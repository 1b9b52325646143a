"""Capacity and cost of DynamoDB tables: unit math, workload profiles, dated
prices, a minute-by-minute simulator of provisioned capacity, the advisor,
and stack estimates. ``python -m dynamodb_kit_tools.cost --help``; the
pricing page (``constructs/docs/pricing.md``) explains it all.

Modules: ``units`` (sizes and units), ``prices`` (+ ``prices/*.json``,
``price_list``), ``profile`` and ``workload`` (what a table does),
``simulate`` (target tracking by AWS's rules), ``search`` (the space and its
two searches), ``estimate``, ``advisor``, ``explain``, ``report``, ``plot``,
``stack_costs``. Imports neither cdktf nor jsii.
"""
