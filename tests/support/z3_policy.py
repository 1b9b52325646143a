"""TEST SUPPORT: an identity policy as iamprover's z3 formula, and the
(action, resource) pairs it allows out of a finite set: shared by the
least-privilege proofs of the grants, the replicas and the deploy roles."""

from __future__ import annotations

from typing import Iterable

import z3
from iamprover.engine.context import Context
from iamprover.engine.encoder import allowed as z3_allowed
from iamprover.model import Principal
from iamprover.parsers.iam import parse_policy_document

from support.iam_eval import ACCOUNT


def policy_may(policy: dict, action: z3.SeqRef, resource: z3.SeqRef, role: str = "test") -> z3.BoolRef:
    """True when ``policy``, attached to role ``role``, allows ``action`` on
    ``resource`` for some request context."""
    principal = Principal(arn=f"arn:aws:iam::{ACCOUNT}:role/{role}", policies=[parse_policy_document("p", policy)])
    return z3_allowed(principal, action, resource, Context())


def allowed_pairs(may: z3.BoolRef, action: z3.SeqRef, resource: z3.SeqRef,
                  actions: Iterable[str], resources: Iterable[str]) -> set[tuple[str, str]]:
    """Each (action, resource) of the product that ``may`` allows, decided one by
    one (iamprover compares actions in lower case)."""
    solver = z3.Solver()
    solver.add(may)
    granted = set()
    resources = list(resources)
    for a in actions:
        for r in resources:
            solver.push()
            solver.add(action == z3.StringVal(a.lower()), resource == z3.StringVal(r))
            if solver.check() == z3.sat:
                granted.add((a, r))
            solver.pop()
    return granted
