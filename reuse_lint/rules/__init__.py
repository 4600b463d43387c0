"""The rule registry: the one place that lists every rule."""

from __future__ import annotations

from reuse_lint.rules import ffn_block, mlp_head
from reuse_lint.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (ffn_block.RULE, mlp_head.RULE)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
PREFIX = "RL"


def select_rules(select: list[str] | None, ignore: list[str]) -> tuple[Rule, ...]:
    """Rules whose code starts with a selected prefix and no ignored one."""
    chosen = select or [PREFIX]
    return tuple(
        rule
        for rule in ALL_RULES
        if any(rule.code.startswith(s) for s in chosen)
        and not any(rule.code.startswith(i) for i in ignore)
    )


def is_known_code(code: str) -> bool:
    """Whether ``code`` is a rule code or a prefix of one (``RL``, ``RL1``)."""
    return any(rule.code.startswith(code) for rule in ALL_RULES) or code == "ALL"
