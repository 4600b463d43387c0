"""The depth guard in front of LibCST."""

from __future__ import annotations

import ast

import pytest

from reuse_lint.nesting import MAX_DEPTH, NestingError, check_depth


def depth_of(source: str) -> int:
    """The smallest limit ``check_depth`` accepts for ``source``."""
    tree = ast.parse(source)
    for limit in range(200):
        try:
            check_depth(tree, limit)
        except NestingError:
            continue
        return limit
    raise AssertionError("deeper than 200")


def test_depth_counts_ast_levels() -> None:
    assert depth_of("x") == 3  # Module > Expr > Name > Load
    assert depth_of("x + y") == 4
    assert depth_of("x + y + z") == 5


def test_each_boolean_operand_is_a_level() -> None:
    assert depth_of("a and b") == depth_of("a + b") + 1
    assert depth_of("a and b and c and d") == depth_of("a + b") + 3


def test_wide_code_is_shallow() -> None:
    layers = ", ".join(["nn.ReLU()"] * 100_000)
    check_depth(ast.parse(f"m = nn.Sequential({layers})"))


@pytest.mark.parametrize(
    "source",
    [
        " + ".join(["a"] * (MAX_DEPTH + 1)),
        " and ".join(["a"] * 10_000),
        "x" + "[0]" * (MAX_DEPTH + 1),
    ],
    ids=["sum", "and", "subscripts"],
)
def test_too_deep_raises_a_recursion_error(source: str) -> None:
    with pytest.raises(RecursionError, match=f"more than {MAX_DEPTH} levels"):
        check_depth(ast.parse(source))
