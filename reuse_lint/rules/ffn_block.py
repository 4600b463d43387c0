"""RL101: a hand-written feed-forward block (output size equals input size)."""

from __future__ import annotations

from reuse_lint.model import Chain, ChainKind
from reuse_lint.rules.base import Rule, describe_chain


def _matches(chain: Chain) -> bool:
    spec = chain.spec
    return chain.kind is ChainKind.REPLACEABLE and spec is not None and spec.same_size


def _describe(chain: Chain) -> str:
    return f"Hand-written feed-forward block {describe_chain(chain)}"


RULE = Rule(
    code="RL101",
    name="hand-written-feed-forward",
    summary="nn.Sequential feed-forward block that MLPBlock can replace",
    fix_title="Replace with MLPBlock",
    matches=_matches,
    describe=_describe,
)
