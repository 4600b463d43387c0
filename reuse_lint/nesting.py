"""Refuse code nested too deeply for LibCST, before LibCST sees it.

LibCST's native parser recurses once per level of nesting and its time grows
with the square of the depth: a 3,000-deep ``x[0][0]...`` takes minutes, and a
10,000-term ``a and a and ...`` (flat in ``ast``, nested in LibCST) overflows
the parser's stack and kills the process. LibCST's Python visitors give up
with a ``RecursionError`` long before either, at a few hundred levels, so
nothing that could be analysed is lost by measuring the ``ast`` first.
"""

from __future__ import annotations

import ast

MAX_DEPTH = 500
"""Deepest nesting handed to LibCST, counted in ``ast`` levels."""


class NestingError(RecursionError):
    """Code nested deeper than ``MAX_DEPTH``; caught where RecursionError is."""


def check_depth(node: ast.AST, limit: int = MAX_DEPTH) -> None:
    """Raise ``NestingError`` when ``node`` nests deeper than ``limit``.

    Iterative, so the measurement itself cannot run out of stack. Each operand
    of a boolean operation counts as a level, as LibCST nests them.
    """
    stack = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            raise NestingError(f"more than {limit} levels")
        step = len(current.values) if isinstance(current, ast.BoolOp) else 1
        stack.extend((child, depth + step) for child in ast.iter_child_nodes(current))
