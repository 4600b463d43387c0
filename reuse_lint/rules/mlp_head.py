"""RL102: a hand-written MLP head (output size differs from input size)."""

from __future__ import annotations

from reuse_lint.model import Chain, ChainKind
from reuse_lint.rules.base import Rule, describe_chain


def _matches(chain: Chain) -> bool:
    spec = chain.spec
    return (
        chain.kind is ChainKind.REPLACEABLE and spec is not None and not spec.same_size
    )


def _describe(chain: Chain) -> str:
    return f"Hand-written MLP head {describe_chain(chain)}"


RULE = Rule(
    code="RL102",
    name="hand-written-mlp-head",
    summary="nn.Sequential MLP head that MLPBlock can replace",
    fix_title="Replace with MLPBlock",
    matches=_matches,
    describe=_describe,
)
