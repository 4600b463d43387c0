"""RL101: a hand-written feed-forward block (output size equals input size)."""

from __future__ import annotations

from reuse_lint.model import Chain, ChainKind, layout
from reuse_lint.rules.base import Rule


def _matches(chain: Chain) -> bool:
    spec = chain.spec
    return chain.kind is ChainKind.REPLACEABLE and spec is not None and spec.same_size


def _describe(chain: Chain) -> str:
    spec = chain.spec
    sizes = f"{spec.input_dim} → {spec.hidden_dim} → {spec.output_dim}" if spec else ""
    return f"Hand-written feed-forward block {layout(chain.layers)} ({sizes})"


RULE = Rule(
    code="RL101",
    name="hand-written-feed-forward",
    summary="nn.Sequential feed-forward block that MLPBlock can replace",
    fix_title="Replace with MLPBlock",
    matches=_matches,
    describe=_describe,
)
